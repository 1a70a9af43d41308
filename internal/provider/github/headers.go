package github

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/transport"
)

// scopeName is the shape of every GitHub scope (admin:repo_hook, read:packages).
var scopeName = regexp.MustCompile(`^[a-z0-9_:]{1,50}$`)

// ParseScopes reads an X-OAuth-Scopes value ("repo, workflow"): comma
// separated, spaces around each scope ignored, empty entries dropped. An
// entry that is not shaped like a scope is dropped too: the value travels
// into outputs, guidance and links, and must not carry anything else.
func ParseScopes(v string) []string {
	scopes := []string{}
	for s := range strings.SplitSeq(v, ",") {
		if len(scopes) == MaxScopes {
			break
		}
		if s = strings.TrimSpace(s); scopeName.MatchString(s) {
			scopes = append(scopes, s)
		}
	}
	return scopes
}

// MaxScopes is the most scopes read from one X-OAuth-Scopes value: GitHub
// has fewer than fifty, and what is read travels into messages, outputs and
// links, so a server that sends thousands cannot make them long or slow.
const MaxScopes = 100

// expirationLayouts are the two forms GitHub-Authentication-Token-Expiration
// takes: "2023-01-31 23:00:00 UTC" and "2023-04-26 23:23:18 +0200".
var expirationLayouts = []string{
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05 -07:00",
	time.RFC3339,
}

// ParseExpiration reads a GitHub-Authentication-Token-Expiration value.
func ParseExpiration(v string) (time.Time, error) {
	v = strings.TrimSpace(v)
	for _, layout := range expirationLayouts {
		t, err := time.Parse(layout, v)
		if err != nil {
			continue
		}
		// time.Parse gives an unknown zone abbreviation a zero offset; only
		// UTC and GMT are trustworthy in the MST form.
		if layout == "2006-01-02 15:04:05 MST" {
			zone, _ := t.Zone()
			if zone != "UTC" && zone != "GMT" {
				continue
			}
		}
		return t.UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unrecognised token expiration %q", finding.Clip(v, 60))
}

// SSO is a parsed X-GitHub-SSO header.
type SSO struct {
	// Required is true for "required; url=…": the token must be authorized.
	Required bool
	// URL is where the owner authorizes the token (valid for one hour).
	URL string
	// PartialOrganizations are the organization IDs left out of a listing
	// ("partial-results; organizations=21955855,20582480").
	PartialOrganizations []string
}

// ParseSSO reads an X-GitHub-SSO value.
func ParseSSO(v string) SSO {
	var s SSO
	parts := strings.Split(v, ";")
	kind := strings.ToLower(strings.TrimSpace(parts[0]))
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok {
			continue
		}
		switch strings.ToLower(strings.TrimSpace(k)) {
		case "url":
			if u := strings.TrimSpace(val); isHTTPSURL(u) {
				s.URL = u
			}
		case "organizations":
			for _, id := range strings.Split(val, ",") {
				if id = strings.TrimSpace(id); id != "" {
					s.PartialOrganizations = append(s.PartialOrganizations, id)
				}
			}
		}
	}
	s.Required = kind == "required"
	return s
}

func isHTTPSURL(u string) bool {
	if !strings.HasPrefix(u, "https://") || len(u) > 2048 {
		return false
	}
	for _, r := range u {
		if r <= ' ' || r > '~' || r == '"' || r == '<' || r == '>' {
			return false
		}
	}
	return true
}

// AcceptedPermission is one name=level pair of X-Accepted-GitHub-Permissions.
type AcceptedPermission struct {
	Name  string
	Level string
}

// ParseAcceptedPermissions reads X-Accepted-GitHub-Permissions: "; "
// separates alternative sets, "," the permissions that a set needs together
// ("pull_requests=read,contents=read; issues=read,contents=read").
func ParseAcceptedPermissions(v string) [][]AcceptedPermission {
	var sets [][]AcceptedPermission
	for _, alt := range strings.Split(v, ";") {
		var set []AcceptedPermission
		for _, item := range strings.Split(alt, ",") {
			name, level, ok := strings.Cut(strings.TrimSpace(item), "=")
			name, level = strings.TrimSpace(name), strings.TrimSpace(level)
			if !ok || name == "" || level == "" {
				continue
			}
			set = append(set, AcceptedPermission{Name: name, Level: level})
		}
		if len(set) > 0 {
			sets = append(sets, set)
		}
	}
	return sets
}

// FormatAcceptedPermissions renders parsed sets for a message:
// "pull_requests:read and contents:read, or issues:read and contents:read".
func FormatAcceptedPermissions(sets [][]AcceptedPermission) string {
	alts := make([]string, 0, len(sets))
	for _, set := range sets {
		items := make([]string, 0, len(set))
		for _, p := range set {
			items = append(items, transport.CleanText(p.Name, 60)+":"+transport.CleanText(p.Level, 20))
		}
		alts = append(alts, strings.Join(items, " and "))
	}
	return strings.Join(alts, ", or ")
}

// policyURL finds the settings URL that GitHub puts in a lifetime-policy message.
var policyURL = regexp.MustCompile(`https://[^\s"'<>]+`)

// PolicyRefusal is an organization's refusal of a kind of token or of its
// lifetime, as GitHub's 403 message tells it.
type PolicyRefusal struct {
	Policy finding.Policy
	// URL is the settings URL that lifetime refusals carry; "" when none.
	URL string
}

// ParsePolicyRefusal recognises the 403 messages with which an organization
// refuses a kind of token or its lifetime ("`octo` forbids access via a
// personal access token (classic)…", "…forbids access via a fine-grained
// personal access tokens if the token's lifetime is greater than 366
// days…"), names the policy, and returns the settings URL some carry.
func ParsePolicyRefusal(message string) (PolicyRefusal, bool) {
	// The URL is taken from the cleaned message: a control character or
	// an escape sequence ends it, and none can travel into a link.
	message = transport.CleanText(message, 2048)
	m := strings.ToLower(message)
	if !strings.Contains(m, "forbids access via") {
		return PolicyRefusal{}, false
	}
	r := PolicyRefusal{URL: strings.TrimRight(policyURL.FindString(message), ".,;)")}
	switch {
	case strings.Contains(m, "lifetime"):
		r.Policy = finding.PolicyLifetime
	case strings.Contains(m, "(classic)"):
		r.Policy = finding.PolicyNoClassic
	case strings.Contains(m, "fine-grained"):
		r.Policy = finding.PolicyNoFineGrained
	}
	return r, true
}
