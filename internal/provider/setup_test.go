package provider_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/provider"
	"github.com/pat-check/pat-check/internal/provider/azdo"
	"github.com/pat-check/pat-check/internal/provider/github"
	"github.com/pat-check/pat-check/internal/token"
)

var all = []provider.Provider{github.Provider{Version: "test"}, azdo.Provider{Version: "test"}}

// setup is the run's configuration from raw options, as the pipeline makes it.
func setup(t *testing.T, raw map[string]string, env config.Env, on frontend.Kind, kind token.Kind) (provider.Setting, []config.Problem) {
	t.Helper()
	cfg, problems := config.Parse(raw, env, ghplatform.ParsePermission)
	s, ps := provider.Setup(all, cfg, env, on, kind)
	return s, append(problems, ps...)
}

func TestParseDefaults(t *testing.T) {
	t.Parallel()
	s, problems := setup(t, nil, config.Env{LocalDir: true}, frontend.CommandLine, token.Classic)
	c, prov := s.Config, s.Provider
	if len(problems) > 0 {
		t.Fatalf("problems with no options: %v", problems)
	}
	type defaults struct {
		Provider, ID, APIURL, ServerURL   string
		MinDaysLeft, WarnDaysLeft         int
		RequireExpiration, WarnOnAPIError bool
		Timeout                           time.Duration
		TokenTypes                        []token.Kind
	}
	r := c.Requirements
	got := defaults{c.Provider, string(prov.ID()), c.APIURL, c.ServerURL, r.MinDaysLeft, r.WarnDaysLeft, r.RequireExpiration, r.WarnOnAPIError, c.Timeout, r.TokenTypes}
	want := defaults{"auto", "github", "https://api.github.com/", "https://github.com", 1, 14, false, false, 30 * time.Second, nil}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
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
	s, problems := setup(t, raw, config.Env{RepositoryDefault: true, GitHubServerURL: "https://ghes.example.com"}, frontend.Actions, token.Classic)
	c := s.Config
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
	if diff := cmp.Diff([]any{7, 30, true, true, 12 * time.Second}, []any{r.MinDaysLeft, r.WarnDaysLeft, r.RequireExpiration, r.WarnOnAPIError, c.Timeout}); diff != "" {
		t.Errorf("min-days-left, warn-days-left, require-expiration, on-api-error warn, timeout (-want +got):\n%s", diff)
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
		_, problems := setup(t, map[string]string{tt.option: tt.value}, config.Env{LocalDir: true}, frontend.CommandLine, token.Classic)
		if len(problems) != 1 || problems[0].Option != tt.option || !strings.Contains(problems[0].Message, tt.want) {
			t.Errorf("%s=%q: problems %v, want one for %s containing %q", tt.option, tt.value, problems, tt.option, tt.want)
		}
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider string
		kind     token.Kind
		on       frontend.Kind
		want     string
		problem  bool
	}{
		{"auto", token.Classic, frontend.AzurePipelines, "github", false},
		{"auto", token.AzureDevOps, frontend.Actions, "azure-devops", false},
		{"auto", token.Unknown, frontend.AzurePipelines, "azure-devops", false},
		{"auto", token.Unknown, frontend.Actions, "github", false},
		{"github", token.Unknown, frontend.AzurePipelines, "github", false},
		{"github", token.AzureDevOps, frontend.CommandLine, "github", true},
		{"azure-devops", token.FineGrained, frontend.CommandLine, "azure-devops", true},
	}
	for _, tt := range tests {
		got, problems := provider.Resolve(all, tt.provider, tt.kind, tt.on, nil)
		if string(got.ID()) != tt.want || (len(problems) > 0) != tt.problem {
			t.Errorf("Resolve(%s, %s, %s) = %s %v, want %s (a problem: %v)", tt.provider, tt.kind, tt.on, got.ID(), problems, tt.want, tt.problem)
		}
	}
}

// Each platform claims its own kinds of token, and no kind is claimed twice.
func TestIssues(t *testing.T) {
	t.Parallel()
	for _, k := range append(token.KnownKinds(), token.Refresh, token.Unknown) {
		var by []string
		for _, p := range all {
			if p.Issues(k) {
				by = append(by, string(p.ID()))
			}
		}
		want := map[token.Kind]string{token.AzureDevOps: "azure-devops", token.Unknown: ""}[k]
		if _, special := map[token.Kind]bool{token.AzureDevOps: true, token.Unknown: true}[k]; !special {
			want = "github"
		}
		if strings.Join(by, ",") != want {
			t.Errorf("%s is issued by %q, want %q", k, by, want)
		}
	}
}

// The provider option accepts exactly auto and the providers' IDs, and the
// command line knows where each provider's token lives.
func TestProviderOptionNamesEveryProvider(t *testing.T) {
	t.Parallel()
	o, _ := config.Lookup("provider")
	want := []string{"auto"}
	for _, p := range all {
		want = append(want, string(p.ID()))
		if len(p.TokenVariables()) == 0 {
			t.Errorf("no token variables for %s", p.ID())
		}
	}
	if !slices.Equal(o.Choices, want) {
		t.Errorf("provider choices %q, want %q", o.Choices, want)
	}
}
