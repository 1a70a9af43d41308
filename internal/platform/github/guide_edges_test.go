package github

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

func fixerFor(kind token.Kind, req check.Requirements) fixer {
	return fixer{guide.Context{Frontend: frontend.CommandLine, Kind: kind, ServerURL: "https://github.com", Required: req}}
}

// A replacement is fine-grained for a fine-grained token, or when the job
// states permissions and no scopes and the token is not classic.
func TestReplacementKind(t *testing.T) {
	t.Parallel()
	perms := []check.Permission{{Name: "contents", Level: check.LevelRead}}
	for _, tt := range []struct {
		kind token.Kind
		req  check.Requirements
		fine bool
	}{
		{token.FineGrained, check.Requirements{}, true},
		{token.OAuth, check.Requirements{Permissions: perms}, true},
		{token.Classic, check.Requirements{Permissions: perms}, false},
		{token.OAuth, check.Requirements{Permissions: perms, Scopes: []string{"repo"}}, false},
		{token.OAuth, check.Requirements{}, false},
	} {
		if got := fixerFor(tt.kind, tt.req).wantsFineGrained(); got != tt.fine {
			t.Errorf("%s %+v: fine-grained %v, want %v", tt.kind, tt.req, got, tt.fine)
		}
	}
}

// The creation steps name what they can: the permissions, the scopes, the
// SSO step only for organizations.
func TestCreationStepsEdges(t *testing.T) {
	t.Parallel()
	steps := func(f fixer) string { return strings.Join(f.createSteps("LINK"), "\n") }
	if s := steps(fixerFor(token.FineGrained, check.Requirements{})); !strings.Contains(s, "Permissions: the permissions the job needs.") {
		t.Errorf("no permissions required:\n%s", s)
	}
	if s := steps(fixerFor(token.FineGrained, check.Requirements{Permissions: []check.Permission{{Name: "pull_requests", Level: check.LevelWrite}}})); !strings.Contains(s, "Permissions: Pull requests: Read and write.") {
		t.Errorf("a permission required:\n%s", s)
	}
	if s := steps(fixerFor(token.Classic, check.Requirements{})); !strings.Contains(s, "Select scopes: tick no scope.") || strings.Contains(s, "SAML") {
		t.Errorf("no scope, no organization:\n%s", s)
	}
	if s := steps(fixerFor(token.Classic, check.Requirements{Scopes: []string{"repo"}, Organizations: []string{"octo"}})); !strings.Contains(s, "tick repo.") || !strings.Contains(s, "If octo uses SAML single sign-on") {
		t.Errorf("a scope and an organization:\n%s", s)
	}
}

func TestAPIHint(t *testing.T) {
	t.Parallel()
	if h := apiHint("https://github.com"); h != "https://api.github.com for github.com" {
		t.Errorf("github.com: %q", h)
	}
	if h := apiHint("https://ghes.example.com"); !strings.Contains(h, "https://HOST/api/v3") {
		t.Errorf("GHES: %q", h)
	}
}

// Lists and their agreement: owners, is/are, the permissions named.
func TestGuidanceLists(t *testing.T) {
	t.Parallel()
	one := fixerFor(token.FineGrained, check.Requirements{Repositories: []string{"a/x", "a/y"}})
	two := fixerFor(token.FineGrained, check.Requirements{Repositories: []string{"a/x", "b/y"}})
	if one.ownersNote() != "" || !strings.Contains(two.ownersNote(), "belong to a, b") {
		t.Errorf("owners: %q / %q", one.ownersNote(), two.ownersNote())
	}
	if isAre(0) != "is" || isAre(1) != "is" || isAre(2) != "are" {
		t.Error("isAre")
	}
	if p := fixerFor(token.FineGrained, check.Requirements{}).permissionList(); p != "the permissions the job needs" {
		t.Errorf("no permissions: %q", p)
	}
	if p := fixerFor(token.FineGrained, check.Requirements{Permissions: []check.Permission{{Name: "contents", Level: check.LevelRead}}}).permissionList(); p != "Contents to Read-only" {
		t.Errorf("one permission: %q", p)
	}
}

// GITHUB_TOKEN's steps: the permissions block for the keys it accepts, a
// word for the ones it cannot be given.
func TestWorkflowPermissionSteps(t *testing.T) {
	t.Parallel()
	only := strings.Join(fixerFor(token.AppInstallation, check.Requirements{Permissions: []check.Permission{{Name: "administration", Level: check.LevelWrite}}}).workflowPermissionSteps(), "\n")
	if strings.Contains(only, "permissions:") || !strings.Contains(only, "GITHUB_TOKEN cannot be given administration:write") {
		t.Errorf("no key it accepts:\n%s", only)
	}
	block := strings.Join(fixerFor(token.AppInstallation, check.Requirements{Permissions: []check.Permission{{Name: "contents", Level: check.LevelAdmin}}}).workflowPermissionSteps(), "\n")
	if !strings.Contains(block, "permissions:\n  contents: write") || strings.Contains(block, "cannot be given") {
		t.Errorf("a key it accepts:\n%s", block)
	}
}

// A link from the network is offered only when it is clean and on the
// server's host, and not too long. Equivalent mutant: guide.go:536,
// networkLink's `b >= 0x7f` read as `b > 0x7f`, lets DEL through to
// url.Parse, which refuses a control character anyway.
func TestNetworkLinkEdges(t *testing.T) {
	t.Parallel()
	f := fixerFor(token.Classic, check.Requirements{})
	ok := "https://github.com/orgs/o/sso?authorization_request=x"
	for link, want := range map[string]string{
		ok: ok, "": "", "https://github.com/" + strings.Repeat("a", 2048): "",
		"https://github.com/a b": "", "https://github.com/a\x7f": "", "https://github.com/a\"": "", "https://github.com/~ok": "https://github.com/~ok",
	} {
		if got := f.networkLink(link); got != want {
			t.Errorf("networkLink(%q) = %q, want %q", link, got, want)
		}
	}
	exact := "https://github.com/" + strings.Repeat("a", 2048-len("https://github.com/"))
	if f.networkLink(exact) != exact {
		t.Error("a link of 2048 characters is refused")
	}
}

// A permission the token page's labels do not list is named from its API
// name, capitalised as the page does.
func TestPermissionLabel(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]string{"pull_requests": "Pull requests", "agent_secrets": "Agent secrets", "code_quality": "Code quality", "": ""} {
		if got := permissionLabel(name); got != want {
			t.Errorf("permissionLabel(%q) = %q, want %q", name, got, want)
		}
	}
}
