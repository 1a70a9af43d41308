package github

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

// fixLacks reports each wanted piece the fix does not hold.
func fixLacks(t *testing.T, f finding.Finding, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(f.Fix, w) {
			t.Errorf("%s: fix lacks %q:\n%s", f.Code, w, f.Fix)
		}
	}
}

// Excess permissions of a fine-grained token: each set down to the level
// the job needs (No access when it needs none), what the probes could not
// see said once per permission, and a least-privilege link with only the
// required ones; the replacement keeps the higher level of a permission
// found besides a required one.
func TestPermissionExcessFix(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.Actions, Kind: token.FineGrained, ServerURL: "https://github.com", Repository: "o/r",
		Required: check.Requirements{Permissions: []check.Permission{{Name: "contents", Level: check.LevelRead}, {Name: "pull_requests", Level: check.LevelRead}},
			Repositories: []string{"o/r"}},
		ExtraPermissions: []check.Permission{{Name: "contents", Level: check.LevelWrite}, {Name: "issues", Level: check.LevelWrite}}}
	least := "https://github.com/settings/personal-access-tokens/new?name=o%2Fr&description=Used+by+o%2Fr+%28least+privilege%29&target_name=o&expires_in=90&contents=read&pull_requests=read"
	f := apply(t, finding.Finding{Code: finding.PermissionExcess, Severity: finding.Warning, About: finding.About{
		Excess: []string{"pull_requests:write", "actions:read", "not a permission"}, Target: "o/r",
		Unprobed: []string{"discussions:write", "actions:read", "actions:write"}}}, c)
	if f.URL != least {
		t.Errorf("link %s\nwant %s", f.URL, least)
	}
	fixLacks(t, f, "2. Under Permissions set Pull requests → Read-only, Actions → No access; keep Contents to Read-only, Pull requests to Read-only.",
		"4. pat-check found these with read-only requests on o/r; the token's page lists every permission it holds, including those no safe request can probe: discussions (write), actions.",
		"5. Or create a token with only what this job needs: "+least+", then store it")
	f = apply(t, finding.Finding{Code: finding.PermissionExcess, Severity: finding.Warning, About: finding.About{Excess: []string{"issues:write"}, Target: "o/r"}}, c)
	fixLacks(t, f, "found these with read-only requests on o/r; the token's page lists every permission it holds.")
	// The replacement keeps contents at write, found besides the required read.
	f = apply(t, finding.Finding{Code: finding.TokenCommitted, Severity: finding.Error, About: finding.About{Places: []finding.Place{{File: "a.yml", Line: 2}}}}, c)
	if f.URL != "https://github.com/settings/personal-access-tokens" {
		t.Errorf("committed fine-grained: link %s", f.URL)
	}
	fixLacks(t, f, "1. Revoke the token now: open https://github.com/settings/personal-access-tokens, choose the token → Delete.",
		"2. Create a new token: https://github.com/settings/personal-access-tokens/new?name=o%2Fr&description=For+o%2Fr&target_name=o&expires_in=90&contents=write&pull_requests=read&issues=write\n",
		"Read it in the job from there, never from a file.", "Remove the value from a.yml:2 and from the history")
}

// Kind advice: the fine-grained token pre-filled with the permissions the
// scopes correspond to, or a classic token kept for what has none.
func TestKindAdviceFix(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.Actions, Kind: token.Classic, ServerURL: "https://github.com", Repository: "o/r",
		Required: check.Requirements{Scopes: []string{"repo", "workflow"}}}
	link := "https://github.com/settings/personal-access-tokens/new?name=o%2Fr&description=Used+by+o%2Fr+%28replaces+a+classic+token%29&target_name=o&expires_in=90&contents=write&workflows=write"
	f := apply(t, finding.Finding{Code: finding.TokenKindAdvice, Severity: finding.Notice,
		About: finding.About{Scopes: []string{"repo", "workflow"}, Equivalents: []string{"contents:write", "workflows:write", "not a permission"}}}, c)
	if f.URL != link {
		t.Errorf("link %s\nwant %s", f.URL, link)
	}
	fixLacks(t, f, "1. Create a fine-grained token: "+link+" (pre-filled with Contents to Read and write, Workflows to Read and write).",
		"these cover all that repo, workflow allowed", "Repository access: Only select repositories → o/r; resource owner: o.",
		"as permissions (for example permissions: contents:write) instead of scopes, and delete the classic token at https://github.com/settings/tokens.")
	f = apply(t, finding.Finding{Code: finding.TokenKindAdvice, Severity: finding.Notice,
		About: finding.About{Scopes: []string{"write:packages"}, NoEquivalent: []string{"write:packages: only classic tokens", "gist: none"}}}, c)
	if f.URL != "" || strings.Contains(f.Fix, "fine-grained token:") {
		t.Errorf("a classic token still needed: link %q\n%s", f.URL, f.Fix)
	}
	fixLacks(t, f, "1. Keep a classic token for write:packages: only classic tokens; gist: none.")
}

// A committed classic token is revoked on the classic tokens page; an
// installation token by the API. An OAuth token's excess scopes are
// dropped by the app that asked for them.
func TestCommittedAndOAuthExcessFixes(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.Actions, Kind: token.Classic, ServerURL: "https://ghes.example.com", Repository: "o/r",
		Required: check.Requirements{Scopes: []string{"repo"}}}
	f := apply(t, finding.Finding{Code: finding.TokenCommitted, Severity: finding.Error}, c)
	if f.URL != "https://ghes.example.com/settings/tokens" {
		t.Errorf("committed classic: link %s", f.URL)
	}
	fixLacks(t, f, "1. Revoke the token now: open https://ghes.example.com/settings/tokens, choose the token → Delete.",
		"2. Create a new token: https://ghes.example.com/settings/tokens/new?scopes=repo&description=o%2Fr", "Remove the value from the files and from the history",
		`GitHub's "Removing sensitive data from a repository" says what a force-push leaves on GitHub.`)
	c.Kind = token.AppInstallation
	f = apply(t, finding.Finding{Code: finding.TokenCommitted, Severity: finding.Error}, c)
	fixLacks(t, f, "1. Revoke it now: an installation token is revoked with DELETE /installation/token",
		"2. Make installation tokens in the job that needs one (actions/create-github-app-token", "3. Remove the value from the files")
	// A new installation token is not made on a token page, nor kept in a secret.
	if strings.Contains(f.Fix, "/settings/tokens/new") || strings.Contains(f.Fix, "Store it") || f.URL != "" {
		t.Errorf("committed installation token: the fix offers a personal access token (link %q):\n%s", f.URL, f.Fix)
	}
	c.Kind = token.OAuth
	f = apply(t, finding.Finding{Code: finding.ScopeExcess, Severity: finding.Notice, About: finding.About{Excess: []string{"delete_repo", "gist"}, Needed: []string{"repo"}}}, c)
	if f.URL != "" {
		t.Errorf("OAuth excess: link %s", f.URL)
	}
	fixLacks(t, f, "1. An OAuth token's scopes are those its app asked for. For the GitHub CLI run: gh auth refresh -h ghes.example.com --remove-scopes delete_repo,gist",
		"2. For another app, revoke its authorization at https://ghes.example.com/settings/applications and sign in again, granting only repo.")
}
