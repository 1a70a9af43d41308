package azdo

import (
	"strings"
	"testing"
)

func TestParseOrganization(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, name, base, kind, vssps string
	}{
		{"contoso", "contoso", "https://dev.azure.com/contoso", "services", "https://vssps.dev.azure.com/contoso"},
		{"https://dev.azure.com/contoso/", "contoso", "https://dev.azure.com/contoso", "services", "https://vssps.dev.azure.com/contoso"},
		{"https://dev.azure.com/contoso/Web", "contoso", "https://dev.azure.com/contoso", "services", "https://vssps.dev.azure.com/contoso"},
		{"https://contoso.visualstudio.com", "contoso", "https://contoso.visualstudio.com", "legacy", "https://contoso.vssps.visualstudio.com"},
		{"https://tfs.example.com/tfs/DefaultCollection", "DefaultCollection", "https://tfs.example.com/tfs/DefaultCollection", "server", "https://tfs.example.com/tfs/DefaultCollection"},
		{"http://127.0.0.1:8080/contoso", "contoso", "http://127.0.0.1:8080/contoso", "server", "http://127.0.0.1:8080/contoso"},
	}
	for _, tt := range tests {
		o, err := ParseOrganization(tt.in)
		if err != nil || o.Name != tt.name || o.BaseURL != tt.base || o.Kind != tt.kind || o.ServiceURL("vssps") != tt.vssps {
			t.Errorf("ParseOrganization(%q) = %+v, %v", tt.in, o, err)
		}
	}
	for _, bad := range []string{"", "http://tfs.example.com/tfs", "https://vssps.dev.azure.com/contoso", "https://dev.azure.com/", "con toso"} {
		if _, err := ParseOrganization(bad); err == nil {
			t.Errorf("ParseOrganization(%q) accepted", bad)
		}
	}
}

func TestSitesAndPages(t *testing.T) {
	t.Parallel()
	o, _ := ParseOrganization("contoso")
	var hosts []string
	for _, s := range o.Sites() {
		hosts = append(hosts, s.Host)
	}
	if got := strings.Join(hosts, " "); got != "dev.azure.com vssps.dev.azure.com feeds.dev.azure.com vsrm.dev.azure.com vsaex.dev.azure.com" {
		t.Errorf("sites = %s", got)
	}
	if o.TokensPage() != "https://dev.azure.com/contoso/_usersSettings/tokens" || o.LibraryPage("Web App") != "https://dev.azure.com/contoso/Web%20App/_library?itemType=VariableGroups" {
		t.Errorf("pages %s %s", o.TokensPage(), o.LibraryPage("Web App"))
	}
	s, _ := ParseOrganization("https://tfs.example.com/tfs/DefaultCollection")
	if len(s.Sites()) != 1 || s.Sites()[0].Host != "tfs.example.com" {
		t.Errorf("server sites = %v", s.Sites())
	}
}
