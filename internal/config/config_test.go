package config

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/token"
)

func TestParseDefaults(t *testing.T) {
	t.Parallel()
	c, problems := Parse(nil, Env{Platform: "cli"}, token.Classic)
	if len(problems) > 0 {
		t.Fatalf("problems with no options: %v", problems)
	}
	r := c.Requirements
	if c.Provider != "github" || r.MinDaysLeft != 1 || r.WarnDaysLeft != 14 || r.RequireExpiration || c.Timeout != 30*time.Second ||
		c.APIURL != "https://api.github.com/" || c.ServerURL != "https://github.com" || r.WarnOnAPIError || r.TokenTypes != nil {
		t.Errorf("defaults = %+v", c)
	}
}

// The documented defaults in the option table are the ones Parse applies.
func TestDocumentedDefaultsAreApplied(t *testing.T) {
	t.Parallel()
	raw := map[string]string{}
	for _, o := range Options {
		if o.Default != "" {
			raw[o.Name] = o.Default
		}
	}
	explicit, problems := Parse(raw, Env{Platform: "cli"}, token.Classic)
	if len(problems) > 0 {
		t.Fatalf("documented defaults do not parse: %v", problems)
	}
	implicit, _ := Parse(nil, Env{Platform: "cli"}, token.Classic)
	if explicit.Requirements.MinDaysLeft != implicit.Requirements.MinDaysLeft ||
		explicit.Requirements.WarnDaysLeft != implicit.Requirements.WarnDaysLeft ||
		explicit.Timeout != implicit.Timeout || explicit.APIURL != implicit.APIURL ||
		explicit.Provider != implicit.Provider || explicit.Requirements.WarnOnAPIError != implicit.Requirements.WarnOnAPIError {
		t.Errorf("documented defaults %+v differ from applied ones %+v", explicit, implicit)
	}
}

func TestParseValues(t *testing.T) {
	t.Parallel()
	raw := map[string]string{
		"scopes":             "repo, workflow\nread:org",
		"permissions":        "contents:write pull-requests=read contents:read members:read",
		"repositories":       "octo/app, octo/lib",
		"organization":       "octo",
		"min-days-left":      "7",
		"warn-days-left":     "30",
		"require-expiration": "TRUE",
		"expires-on":         "2027-01-31",
		"token-types":        "classic,fine-grained",
		"api-url":            "https://ghes.example.com/api/v3",
		"timeout":            "12",
		"on-api-error":       "warn",
		"token-name":         "deploy bot",
	}
	c, problems := Parse(raw, Env{Platform: "actions", GitHubServerURL: "https://ghes.example.com"}, token.Classic)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	r := c.Requirements
	if !slices.Equal(r.Scopes, []string{"repo", "workflow", "read:org"}) {
		t.Errorf("scopes = %q", r.Scopes)
	}
	wantPerms := []check.Permission{{Name: "contents", Level: check.LevelWrite}, {Name: "pull_requests", Level: check.LevelRead}, {Name: "members", Level: check.LevelRead}}
	if !slices.Equal(r.Permissions, wantPerms) {
		t.Errorf("permissions = %v, want %v", r.Permissions, wantPerms)
	}
	if !slices.Equal(r.Repositories, []string{"octo/app", "octo/lib"}) || !slices.Equal(r.Organizations, []string{"octo"}) {
		t.Errorf("repositories %q organizations %q", r.Repositories, r.Organizations)
	}
	if r.MinDaysLeft != 7 || r.WarnDaysLeft != 30 || !r.RequireExpiration || !r.WarnOnAPIError || c.Timeout != 12*time.Second {
		t.Errorf("numbers and switches: %+v", c)
	}
	if r.DeclaredExpiry == nil || r.DeclaredExpiry.Format(time.RFC3339) != "2027-01-31T23:59:59Z" {
		t.Errorf("declared expiry = %v", r.DeclaredExpiry)
	}
	if !slices.Equal(r.TokenTypes, []token.Kind{token.Classic, token.FineGrained}) {
		t.Errorf("token types = %v", r.TokenTypes)
	}
	if c.APIURL != "https://ghes.example.com/api/v3/" || c.ServerURL != "https://ghes.example.com" {
		t.Errorf("api %q server %q", c.APIURL, c.ServerURL)
	}
}

func TestParseProblemsNameTheOption(t *testing.T) {
	t.Parallel()
	tests := []struct{ option, value, want string }{
		{"provider", "gitlab", "not one of auto, github, azure-devops"},
		{"scopes", "wokflow", "did you mean workflow?"},
		{"permissions", "contents", "name:level"},
		{"permissions", "contents:read", "list the repositories"},
		{"permissions", "members:read", "name the organization"},
		{"repositories", "not-a-repo", "owner/name"},
		{"organization", "bad/org", "organization login"},
		{"min-days-left", "-1", "whole number"},
		{"warn-days-left", "soon", "whole number"},
		{"require-expiration", "maybe", "true or false"},
		{"expires-on", "31/01/2027", "YYYY-MM-DD"},
		{"token-types", "classic,robot", "not a token kind"},
		{"api-url", "http://api.example.com", "plain http"},
		{"api-url", "https://user:pw@api.example.com", "credentials"},
		{"api-url", "ftp://x", "not an http(s) URL"},
		{"timeout", "0", "whole number from 1"},
		{"on-api-error", "ignore", "not one of fail, warn"},
		{"token-name", strings.Repeat("x", 41), "at most 40"},
		{"scopes", "repo ghp_" + strings.Repeat("A", 36), "looks like a token"},
	}
	for _, tt := range tests {
		_, problems := Parse(map[string]string{tt.option: tt.value}, Env{Platform: "cli"}, token.Classic)
		if len(problems) != 1 || problems[0].Option != tt.option || !strings.Contains(problems[0].Message, tt.want) {
			t.Errorf("%s=%q: problems %v, want one for %s containing %q", tt.option, tt.value, problems, tt.option, tt.want)
		}
	}
}

func TestRepositoriesDefaultUnderActions(t *testing.T) {
	t.Parallel()
	env := Env{Platform: "actions", Repository: "octo/app"}
	c, problems := Parse(map[string]string{"permissions": "contents:read"}, env, token.FineGrained)
	if len(problems) > 0 || !slices.Equal(c.Requirements.Repositories, []string{"octo/app"}) {
		t.Errorf("with permissions: repositories = %q, want the workflow's", c.Requirements.Repositories)
	}
	c, _ = Parse(nil, env, token.FineGrained)
	if len(c.Requirements.Repositories) != 0 {
		t.Errorf("without permissions: repositories = %q, want none", c.Requirements.Repositories)
	}
}

func TestResolveProvider(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider string
		kind     token.Kind
		platform string
		want     string
	}{
		{"auto", token.Classic, "azure", "github"},
		{"auto", token.AzureDevOps, "actions", "azure-devops"},
		{"auto", token.Unknown, "azure", "azure-devops"},
		{"auto", token.Unknown, "actions", "github"},
		{"github", token.AzureDevOps, "cli", "github"},
	}
	for _, tt := range tests {
		if got := ResolveProvider(tt.provider, tt.kind, tt.platform); got != tt.want {
			t.Errorf("ResolveProvider(%s, %s, %s) = %s, want %s", tt.provider, tt.kind, tt.platform, got, tt.want)
		}
	}
}

func TestServerURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ api, explicit, want string }{
		{"https://api.github.com/", "", "https://github.com"},
		{"https://ghes.example.com/api/v3/", "", "https://ghes.example.com"},
		{"https://api.octo.ghe.com/", "", "https://octo.ghe.com"},
		{"http://127.0.0.1:8080/", "", "http://127.0.0.1:8080"},
		{"https://api.github.com/", "https://github.com", "https://github.com"},
		{"https://api.github.com/", "https://evil.example.com", "https://github.com"},
		{"http://127.0.0.1:8080/", "https://github.com", "https://github.com"},
	}
	for _, tt := range tests {
		if got := ServerURL(tt.api, tt.explicit); got != tt.want {
			t.Errorf("ServerURL(%q, %q) = %q, want %q", tt.api, tt.explicit, got, tt.want)
		}
	}
}

func TestLoopbackOnlyForHTTP(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"http://localhost:1/", "http://127.0.0.1/", "http://127.5.6.7:9/api/v3", "http://[::1]:80/", "https://api.github.com"} {
		if _, err := CheckURL(ok); err != nil {
			t.Errorf("CheckURL(%q) = %v, want accepted", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1/", "http://example.com/", "http://localhost.example.com/", "https://api.github.com/?x=1", "api.github.com"} {
		if _, err := CheckURL(bad); err == nil {
			t.Errorf("CheckURL(%q) accepted, want refused", bad)
		}
	}
}

func TestLongNamesAreNotTokens(t *testing.T) {
	t.Parallel()
	raw := map[string]string{"report-path": "/tmp/" + strings.Repeat("VeryLongDirectoryName", 4) + "/report.json", "project": "Web"}
	if _, problems := Parse(raw, Env{Platform: "cli"}, token.Classic); len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
}

func TestSplitList(t *testing.T) {
	t.Parallel()
	got := SplitList(" a, b\nc\r\n\td ,a,, ")
	if !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("SplitList = %q", got)
	}
}
