package azdo

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
)

// Org is an Azure DevOps organization (Services) or collection
// (Server), with the hosts the token may be sent to.
type Org struct {
	// Name is the organization, or the collection on a server.
	Name string
	// BaseURL is the organization's or collection's URL, without a final slash.
	BaseURL string
	// Kind is "services" (dev.azure.com), "legacy" (*.visualstudio.com) or
	// "server" (any other host: Azure DevOps Server, a test server).
	Kind string
}

var azureOrgName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{0,49}$`)

// ParseOrganization reads the organization option: a name (contoso),
// https://dev.azure.com/contoso, https://contoso.visualstudio.com, or a
// server collection URL (https://host/tfs/DefaultCollection).
func ParseOrganization(v string) (Org, error) {
	v = strings.TrimSpace(v)
	if azureOrgName.MatchString(v) {
		return Org{Name: v, BaseURL: "https://dev.azure.com/" + v, Kind: "services"}, nil
	}
	u, err := config.CheckURL(strings.TrimSuffix(v, "/"))
	if err != nil {
		return Org{}, fmt.Errorf("%s is neither an organization name (contoso) nor an organization URL (https://dev.azure.com/contoso): %v", finding.Quote(v), err)
	}
	host := strings.ToLower(u.Hostname())
	parts := strings.FieldsFunc(u.Path, func(r rune) bool { return r == '/' })
	switch {
	case host == "dev.azure.com":
		if len(parts) == 0 || !azureOrgName.MatchString(parts[0]) {
			return Org{}, fmt.Errorf("%s names no organization: use https://dev.azure.com/ORGANIZATION", finding.Quote(v))
		}
		return Org{Name: parts[0], BaseURL: "https://dev.azure.com/" + parts[0], Kind: "services"}, nil
	case strings.HasSuffix(host, ".dev.azure.com"):
		return Org{}, fmt.Errorf("%s is a service host, not the organization: use https://dev.azure.com/ORGANIZATION", finding.Quote(v))
	case strings.HasSuffix(host, ".visualstudio.com"):
		name := strings.TrimSuffix(host, ".visualstudio.com")
		if !azureOrgName.MatchString(name) {
			return Org{}, fmt.Errorf("%s is a service host, not the organization: use https://ORGANIZATION.visualstudio.com", finding.Quote(v))
		}
		return Org{Name: name, BaseURL: "https://" + name + ".visualstudio.com", Kind: "legacy"}, nil
	}
	name := host
	if len(parts) > 0 {
		name = parts[len(parts)-1]
	}
	base := u.Scheme + "://" + u.Host
	if len(parts) > 0 {
		base += "/" + strings.Join(parts, "/")
	}
	return Org{Name: name, BaseURL: base, Kind: "server"}, nil
}

// ServiceURL is the base URL of one of the organization's services: "" for
// the organization itself, or "vssps", "feeds", "vsrm", "vsaex". A server
// keeps every service on its own URL.
func (o Org) ServiceURL(service string) string {
	if service == "" {
		return o.BaseURL
	}
	switch o.Kind {
	case "services":
		return "https://" + service + ".dev.azure.com/" + o.Name
	case "legacy":
		return "https://" + o.Name + "." + service + ".visualstudio.com"
	}
	return o.BaseURL
}

// Sites are the scheme and host of every URL the token may be sent to.
func (o Org) Sites() []*url.URL {
	var out []*url.URL
	seen := map[string]bool{}
	for _, s := range []string{"", "vssps", "feeds", "vsrm", "vsaex"} {
		u, err := url.Parse(o.ServiceURL(s))
		if err != nil || seen[u.Host] {
			continue
		}
		seen[u.Host] = true
		out = append(out, &url.URL{Scheme: u.Scheme, Host: u.Host})
	}
	return out
}

// TokensPage is where the user manages personal access tokens.
func (o Org) TokensPage() string { return o.BaseURL + "/_usersSettings/tokens" }

// LibraryPage is where a project's variable groups live.
func (o Org) LibraryPage(project string) string {
	if project == "" {
		project = "PROJECT"
	}
	return o.BaseURL + "/" + url.PathEscape(project) + "/_library?itemType=VariableGroups"
}
