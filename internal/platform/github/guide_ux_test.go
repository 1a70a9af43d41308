package github

import (
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

// cliOption spells options as the command line does.
func cliOption(name string) string { return "--" + name }

// A classic token refused by token-types: fine-grained is told to
// make a fine-grained token, and the link is that kind's.
func TestDisallowedKindLinksToAnAllowedKind(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com", Required: check.Requirements{Repositories: []string{"octo/app"}}}
	f := apply(t, finding.Finding{Code: finding.TokenTypeDisallowed, Severity: finding.Error, About: finding.About{TokenKinds: []string{"fine-grained"}}}, c)
	if !strings.Contains(f.URL, "/settings/personal-access-tokens/new?") || strings.Contains(f.Fix, "Generate new token (classic)") || !strings.Contains(f.Fix, "Create a fine-grained token instead") {
		t.Errorf("url %s fix:\n%s", f.URL, f.Fix)
	}
	o := check.Evaluate(Issuer{}, check.Requirements{TokenTypes: []token.Kind{token.FineGrained}}, token.Inspection{Kind: token.Classic}, check.Facts{Kind: token.Classic}, now0)
	if len(o.Findings) == 0 || strings.Contains(o.Findings[0].Message, "(classic) token") || !strings.Contains(o.Findings[0].Message, "is a personal access token (classic), and") {
		t.Errorf("message: %+v", o.Findings)
	}
}

// A classic token that has repo is told what else hides a
// repository, not to tick repo.
func TestRepositoryFixUsesTheGrantedScopes(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com", Login: "octocat", GrantedScopes: []string{"repo", "workflow"}}
	f := apply(t, finding.Finding{Code: finding.RepositoryInaccessible, Severity: finding.Error, About: finding.About{Repository: "octo-org/app"}}, c)
	for _, want := range []string{"has the repo scope", "collaborator", "Configure SSO", "refuses classic tokens"} {
		if !strings.Contains(f.Fix, want) {
			t.Errorf("fix lacks %q:\n%s", want, f.Fix)
		}
	}
	if strings.Contains(f.Fix, "needs the repo scope") {
		t.Errorf("a token with repo is told to tick it:\n%s", f.Fix)
	}
	c.GrantedScopes = []string{"public_repo"}
	if f := apply(t, finding.Finding{Code: finding.RepositoryInaccessible, Severity: finding.Error, About: finding.About{Repository: "octo-org/app"}}, c); !strings.Contains(f.Fix, "needs the repo scope") {
		t.Errorf("a token without repo is not told to tick it:\n%s", f.Fix)
	}
}

// A fine-grained token's permissions are one set for all its
// repositories; the fix says what the page offers.
func TestFineGrainedPermissionFixHasNoPerRepositoryControl(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.FineGrained, ServerURL: "https://github.com", Required: check.Requirements{
		Repositories: []string{"octo-org/deploy", "octo-org/site"},
		Permissions:  []check.Permission{{Name: "pull_requests", Level: check.LevelWrite}}}}
	f := apply(t, finding.Finding{Code: finding.PermissionMissing, Severity: finding.Error,
		About: finding.About{Permissions: []string{"pull_requests:write"}, Target: "octo-org/site"}}, c)
	for _, want := range []string{"one set of permissions for every repository it selects", "set Pull requests to Read and write", "the account's own access there"} {
		if !strings.Contains(f.Fix, want) {
			t.Errorf("fix lacks %q:\n%s", want, f.Fix)
		}
	}
	if strings.Contains(f.Fix, "for octo-org/site;") || strings.Contains(f.Fix, "grant pull_requests:write for") {
		t.Errorf("the fix offers a per-repository grant:\n%s", f.Fix)
	}
}

// The same fix speaks each front-end's language.
func TestFixesNameOptionsAsTheFrontEndDoes(t *testing.T) {
	t.Parallel()
	azure := func(n string) string {
		return map[string]string{"on-api-error": "onApiError", "expires-on": "expiresOn", "api-url": "apiUrl"}[n]
	}
	for _, tt := range []struct {
		platform frontend.Kind
		option   func(string) string
		want     []string
	}{
		{frontend.CommandLine, cliOption, []string{"--on-api-error warn", "--api-url"}},
		{frontend.Actions, nil, []string{"on-api-error: warn", "api-url"}},
		{frontend.AzurePipelines, azure, []string{"onApiError: warn", "apiUrl"}},
	} {
		c := guide.Context{Rules: Guide{}, Frontend: tt.platform, Option: tt.option, Kind: token.Classic, ServerURL: "https://github.com"}
		f := apply(t, finding.Finding{Code: finding.APIError, Severity: finding.Error}, c)
		for _, w := range tt.want {
			if !strings.Contains(f.Fix, w) {
				t.Errorf("%s: fix lacks %q:\n%s", tt.platform, w, f.Fix)
			}
		}
		cfg := apply(t, finding.Finding{Code: finding.ConfigInvalid, Severity: finding.Error}, c)
		help := "the README lists every input"
		if tt.platform == frontend.CommandLine {
			help = "pat-check --help lists every flag"
		}
		if !strings.Contains(cfg.Fix, help) {
			t.Errorf("%s: config fix %q", tt.platform, cfg.Fix)
		}
		report := apply(t, finding.Finding{Code: finding.ReportUnwritten, Severity: finding.Error}, c)
		if name := c.Opt("report-path"); !strings.Contains(report.Fix, "Make sure "+name+" names a file") {
			t.Errorf("%s: report fix does not name %s:\n%s", tt.platform, name, report.Fix)
		}
	}
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Option: cliOption, Kind: token.Classic}
	if f := apply(t, finding.Finding{Code: finding.TokenExpiryUnknown, Severity: finding.Notice}, c); !strings.Contains(f.Fix, "--expires-on YYYY-MM-DD") {
		t.Errorf("expiry fix: %s", f.Fix)
	}
}

// A new token is named after what it is for, cut to 40
// characters, never after pat-check.
func TestNewTokensAreNamedAfterTheirUse(t *testing.T) {
	t.Parallel()
	long := "octo-org/a-repository-with-a-very-long-name"
	for _, tt := range []struct {
		name string
		c    guide.Context
		want string
	}{
		{"actions", guide.Context{Rules: Guide{}, Frontend: frontend.Actions, Repository: "octo/app", Pipeline: "Deploy"}, "octo/app Deploy"},
		{"azure", guide.Context{Rules: Guide{}, Frontend: frontend.AzurePipelines, Project: "Web", Pipeline: "release"}, "Web release"},
		{"cli repository", guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Required: check.Requirements{Repositories: []string{"octo/app", "octo/lib"}}}, "octo/app and 1 more"},
		{"cli organization", guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Required: check.Requirements{Organizations: []string{"octo-org"}}}, "octo-org"},
		{"cut to 40", guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Required: check.Requirements{Repositories: []string{long}}}, long[:40]},
		{"token-name wins", guide.Context{Rules: Guide{}, Frontend: frontend.Actions, Repository: "octo/app", TokenName: "release-bot"}, "release-bot"},
	} {
		if got := tt.c.Description(); got != tt.want {
			t.Errorf("%s: Description() = %q, want %q", tt.name, got, tt.want)
		}
	}
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.FineGrained, ServerURL: "https://github.com",
		Required: check.Requirements{Repositories: []string{"octo/app"}, Permissions: []check.Permission{{Name: "contents", Level: check.LevelWrite}}}}
	if l := (fixer{c}).createLink(); strings.Contains(l, "pat-check") || !strings.Contains(l, "name=octo%2Fapp&description=For+octo%2Fapp") {
		t.Errorf("fine-grained link %s", l)
	}
}

var now0 = time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
