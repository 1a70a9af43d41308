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

func TestClassicTokenLink(t *testing.T) {
	t.Parallel()
	got := ClassicTokenLink("https://github.com", []string{"repo", "read:org", "workflow"}, "deploy & release")
	want := "https://github.com/settings/tokens/new?scopes=repo,read:org,workflow&description=deploy+%26+release"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// A scope is listed plainly when GitHub's own links show it so (letters,
// digits, ':', '_', '.', '-'); any other byte is percent-encoded, so that
// a name cannot add a parameter or break the list.
func TestClassicTokenLinkEscapesScopes(t *testing.T) {
	t.Parallel()
	got := ClassicTokenLink("https://github.com", []string{"azAZ09:_.-", "`{@[/", "a,b&c=d é", "a\tb\x7f"}, "")
	want := "https://github.com/settings/tokens/new?scopes=azAZ09:_.-,%60%7B%40%5B%2F,a%2Cb%26c%3Dd%20%C3%A9,a%09b%7F"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestFineGrainedTokenLink(t *testing.T) {
	t.Parallel()
	perms := []check.Permission{{Name: "contents", Level: check.LevelWrite}, {Name: "pull_requests", Level: check.LevelRead}}
	got := FineGrainedTokenLink("https://ghes.example.com", strings.Repeat("n", 50), "used by ci", "octo-org", 400, perms)
	want := "https://ghes.example.com/settings/personal-access-tokens/new?name=" + strings.Repeat("n", 40) +
		"&description=used+by+ci&target_name=octo-org&expires_in=366&contents=write&pull_requests=read"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func apply(t *testing.T, f finding.Finding, c guide.Context) finding.Finding {
	t.Helper()
	out := guide.Apply([]finding.Finding{f}, c)
	if len(out) != 1 {
		t.Fatalf("Apply returned %d findings", len(out))
	}
	return out[0]
}

func TestScopeMissingFixNamesScopesAndLink(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{},
		Frontend: frontend.Actions, Kind: token.Classic, ServerURL: "https://github.com",
		Repository: "octo/app", Login: "octocat", GrantedScopes: []string{"repo", "read:org"},
		Required: check.Requirements{Scopes: []string{"repo", "workflow"}},
	}
	f := apply(t, finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, About: finding.About{Scopes: []string{"workflow"}}}, c)
	for _, want := range []string{"Tick workflow", "Update token", "signed in as octocat", "https://github.com/octo/app/settings/secrets/actions"} {
		if !strings.Contains(f.Fix, want) {
			t.Errorf("fix lacks %q:\n%s", want, f.Fix)
		}
	}
	if f.URL != "https://github.com/settings/tokens/new?scopes=repo,read:org,workflow&description=octo%2Fapp" {
		t.Errorf("url = %s", f.URL)
	}
}

func TestFixesUseTheServersHost(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://ghes.example.com", Required: check.Requirements{Scopes: []string{"repo"}}}
	for _, code := range []finding.Code{finding.ScopeMissing, finding.TokenExpired, finding.TokenInvalid} {
		f := apply(t, finding.Finding{Code: code, Severity: finding.Error, About: finding.About{Scopes: []string{"repo"}}}, c)
		if strings.Contains(f.Fix+f.URL, "https://github.com") || !strings.HasPrefix(f.URL, "https://ghes.example.com/") {
			t.Errorf("%s: fix or url leaves the server:\n%s\n%s", code, f.Fix, f.URL)
		}
	}
}

func TestInstallationTokenFixIsThePermissionsBlock(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.Actions, Kind: token.AppInstallation, Required: check.Requirements{
		Permissions: []check.Permission{{Name: "pull_requests", Level: check.LevelWrite}}}}
	f := apply(t, finding.Finding{Code: finding.PermissionMissing, Severity: finding.Error}, c)
	if !strings.Contains(f.Fix, "permissions:\n       pull-requests: write") || strings.Contains(f.Fix, "settings/tokens") {
		t.Errorf("fix:\n%s", f.Fix)
	}
}

func TestSSOFixUsesGitHubsURL(t *testing.T) {
	t.Parallel()
	u := "https://github.com/orgs/octo/sso?authorization_request=abc"
	f := apply(t, finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, About: finding.About{Organization: "octo", AuthorizationURL: u}},
		guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com"})
	if f.URL != u || !strings.Contains(f.Fix, u) || !strings.Contains(f.Fix, "Configure SSO") || !strings.Contains(f.Fix, "(the link is valid for one hour)") {
		t.Errorf("url %s fix:\n%s", f.URL, f.Fix)
	}
	// Without GitHub's URL the organization's SSO page stands in, which
	// does not expire.
	f = apply(t, finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, About: finding.About{Organization: "octo"}},
		guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com"})
	if f.URL != "https://github.com/orgs/octo/sso" || strings.Contains(f.Fix, "valid for one hour") {
		t.Errorf("url %s fix:\n%s", f.URL, f.Fix)
	}
}

func TestPolicyFixes(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com",
		Required: check.Requirements{Permissions: []check.Permission{{Name: "contents", Level: check.LevelRead}}}}
	classic := apply(t, finding.Finding{Code: finding.OrganizationPolicy, About: finding.About{Organization: "octo", Policy: finding.PolicyNoClassic}, Message: "the organization octo refuses this token: \"`octo` forbids access via a personal access token (classic).\""}, c)
	if !strings.Contains(classic.URL, "/settings/personal-access-tokens/new?") || !strings.Contains(classic.URL, "target_name=octo") || !strings.Contains(classic.URL, "contents=read") {
		t.Errorf("classic-forbidden url: %s", classic.URL)
	}
	lifetime := apply(t, finding.Finding{Code: finding.OrganizationPolicy, About: finding.About{Organization: "octo", Policy: finding.PolicyLifetime, PolicyURL: "https://github.com/settings/personal-access-tokens/1"},
		Message: "... if the token's lifetime is greater than 90 days ..."}, c)
	if lifetime.URL != "https://github.com/settings/personal-access-tokens/1" {
		t.Errorf("lifetime url: %s", lifetime.URL)
	}
}

func TestOAuthTokenFixesUseTheApp(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.OAuth, ServerURL: "https://ghes.example.com", Required: check.Requirements{Scopes: []string{"workflow"}}}
	f := apply(t, finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, About: finding.About{Scopes: []string{"workflow", "read:org"}}}, c)
	if !strings.Contains(f.Fix, "gh auth refresh -h ghes.example.com -s workflow,read:org") || strings.Contains(f.Fix, "Update token") {
		t.Errorf("scope fix:\n%s", f.Fix)
	}
	f = apply(t, finding.Finding{Code: finding.TokenInvalid, Severity: finding.Error}, c)
	if !strings.Contains(f.Fix, "gh auth login -h ghes.example.com") {
		t.Errorf("invalid fix:\n%s", f.Fix)
	}
}

func TestSSOLinkFromAnotherHostIsNotOffered(t *testing.T) {
	t.Parallel()
	f := apply(t, finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, About: finding.About{Organization: "octo", AuthorizationURL: "https://evil.example.com/orgs/octo/sso?x=1"}},
		guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com"})
	if f.URL != "https://github.com/orgs/octo/sso" || strings.Contains(f.Fix, "evil") {
		t.Errorf("url %s fix:\n%s", f.URL, f.Fix)
	}
}

// The permissions block lists the keys a workflow accepts, each at write at
// most; a job that needs none of them gets permissions: {}. Equivalent
// mutant: guide_least.go:164, PermissionsBlock's `n++` read as `n--`: n is
// only compared with 0, which a count going down from 0 never meets either.
func TestPermissionsBlockIsTheSmallest(t *testing.T) {
	t.Parallel()
	perms := []check.Permission{{Name: "contents", Level: check.LevelRead}, {Name: "pull_requests", Level: check.LevelAdmin}, {Name: "metadata", Level: check.LevelRead}}
	if got, want := PermissionsBlock(perms), "permissions:\n  contents: read\n  pull-requests: write"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := PermissionsBlock(nil); got != "permissions: {}" {
		t.Errorf("nothing required: %q", got)
	}
}

// A replacement keeps what the token has; the least-privilege link grants
// only what the job needs.
func TestLeastPrivilegeLinkBesideTheReplacement(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com", GrantedScopes: []string{"repo", "delete_repo"},
		Required: check.Requirements{Scopes: []string{"repo", "workflow"}}}
	f := apply(t, finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, About: finding.About{Scopes: []string{"workflow"}}}, c)
	if !strings.Contains(f.URL, "scopes=repo,delete_repo,workflow") {
		t.Errorf("the replacement does not keep what the token has: %s", f.URL)
	}
	if !strings.Contains(f.Fix, "Least privilege:") || !strings.Contains(f.Fix, "/settings/tokens/new?scopes=repo,workflow&") {
		t.Errorf("no least-privilege link:\n%s", f.Fix)
	}
	c.GrantedScopes = []string{"repo", "workflow"}
	if f := apply(t, finding.Finding{Code: finding.TokenMalformed, Severity: finding.Error}, c); strings.Contains(f.Fix, "Least privilege") {
		t.Errorf("a second link that grants the same:\n%s", f.Fix)
	}
	fg := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.FineGrained, ServerURL: "https://github.com",
		Required:         check.Requirements{Permissions: []check.Permission{{Name: "contents", Level: check.LevelRead}}, Repositories: []string{"o/r"}},
		ExtraPermissions: []check.Permission{{Name: "issues", Level: check.LevelWrite}}}
	f = apply(t, finding.Finding{Code: finding.TokenMalformed, Severity: finding.Error}, fg)
	if !strings.Contains(f.URL, "issues=write") || !strings.Contains(f.Fix, "Least privilege:") {
		t.Errorf("fine-grained: %s\n%s", f.URL, f.Fix)
	}
}

func TestScopeExcessFixReticksWhatAParentIncluded(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.Actions, Kind: token.Classic, ServerURL: "https://github.com", Repository: "o/r"}
	f := apply(t, finding.Finding{Code: finding.ScopeExcess, Severity: finding.Notice,
		About: finding.About{Excess: []string{"repo"}, Needed: []string{"public_repo"}, Replace: []string{"public_repo"}}}, c)
	if !strings.Contains(f.Fix, "Untick repo.") || !strings.Contains(f.Fix, "tick public_repo again") || f.URL != "https://github.com/settings/tokens/new?scopes=public_repo&description=o%2Fr" {
		t.Errorf("%s\n%s", f.Fix, f.URL)
	}
	f = apply(t, finding.Finding{Code: finding.ScopeExcess, Severity: finding.Notice,
		About: finding.About{Excess: []string{"delete_repo"}, Needed: []string{"repo"}}}, c)
	if !strings.Contains(f.Fix, "2. Untick delete_repo.\n3. Choose Update token") || strings.Contains(f.Fix, "Unticking a scope") {
		t.Errorf("nothing to retick:\n%s", f.Fix)
	}
}

// Every permission GitHub accepts as a parameter goes into the link, at a
// level GitHub offers for it: write-only permissions at write, metadata at
// read, admin of a read-and-write permission at write (GitHub's data,
// platformdata); no expiry asked, no expires_in. Equivalent mutant:
// links.go:105, offeredLevel's `p.Level < mustLevel(lowest)` read as `<=`:
// a level equal to the lowest offered is offered, and returned before.
func TestFineGrainedLinkLevelsAndParameters(t *testing.T) {
	t.Parallel()
	var perms []check.Permission
	for _, s := range []string{"gists:read", "profile:read", "workflows:read", "codespaces_secrets:read", "metadata:write", "contents:admin",
		"organization_hooks:write", "organization_actions_variables:read", "organization_user_blocking:read",
		"organization_custom_org_roles:read", "organization_events:read", "followers:read", "starring:write", "watching:read", "checks:write"} {
		p, err := ParsePermission(s)
		if err != nil {
			t.Fatal(err)
		}
		perms = append(perms, p)
	}
	link := FineGrainedTokenLink("https://github.com", "n", "", "", 0, perms)
	for _, want := range []string{"gists=write", "profile=write", "workflows=write", "metadata=read", "contents=write",
		"organization_hooks=write", "organization_actions_variables=read", "organization_user_blocking=read",
		"organization_custom_org_roles=read", "organization_events=read", "followers=read", "starring=write", "watching=read"} {
		if !strings.Contains(link, "&"+want) {
			t.Errorf("link lacks %s: %s", want, link)
		}
	}
	for _, bad := range []string{"gists=read", "metadata=write", "checks=", "expires_in="} {
		if strings.Contains(link, bad) {
			t.Errorf("link has %s: %s", bad, link)
		}
	}
}

// Case 6: links from the network (the SSO authorization URL, a policy's
// settings page) are offered only on the server's own host and only when
// they hold nothing but printable characters; otherwise the fix falls back
// to a page built from the server's URL, or offers none.
func TestLinksFromTheNetworkAreCheckedAndClean(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com"}
	hostile := []string{
		"https://evil.example/settings/personal-access-tokens/1",
		"https://github.com/settings/personal-access-tokens/1\x1b[31m",
		"https://github.com/settings/\x1b]8;;https://evil.example\x07x",
		"https://github.com.evil.example/settings",
		"https://user@github.com/settings",
		"http://github.com/settings",
		"javascript:alert(1)",
		"https://github.com/settings\r\n::error::forged",
	}
	for _, link := range hostile {
		for _, p := range []finding.Policy{finding.PolicyLifetime, finding.PolicyOther} {
			f := apply(t, finding.Finding{Code: finding.OrganizationPolicy, Severity: finding.Error, About: finding.About{Organization: "octo", Policy: p, PolicyURL: link}}, c)
			if f.URL == link || strings.Contains(f.Fix, link) || strings.ContainsAny(f.URL+f.Fix, "\x1b\x07\r") {
				t.Errorf("policy %d, link %q: url %q fix:\n%s", p, link, f.URL, f.Fix)
			}
		}
		f := apply(t, finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, About: finding.About{Organization: "octo", AuthorizationURL: link}}, c)
		if f.URL != "https://github.com/orgs/octo/sso" || strings.ContainsAny(f.Fix, "\x1b\x07\r") {
			t.Errorf("sso link %q: url %q fix:\n%s", link, f.URL, f.Fix)
		}
	}
	ok := "https://github.com/settings/personal-access-tokens/1"
	if f := apply(t, finding.Finding{Code: finding.OrganizationPolicy, Severity: finding.Error, About: finding.About{Organization: "octo", Policy: finding.PolicyOther, PolicyURL: ok}}, c); f.URL != ok {
		t.Errorf("a settings page on the server itself was dropped: %q", f.URL)
	}
}

// A token that never expires has one fix, token-no-expiration's: the
// rotation policy's finding points at it, the organization's own limit
// said beside.
func TestLifetimeOfANeverExpiringTokenPointsAtOneFix(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: Guide{}, Frontend: frontend.CommandLine, Kind: token.Classic, ServerURL: "https://github.com",
		Required: check.Requirements{MaxDaysLeft: 30}}
	never := apply(t, finding.Finding{Code: finding.TokenNoExpiration, Severity: finding.Warning}, c)
	if !strings.Contains(never.Fix, "Regenerate token") || !strings.Contains(never.Fix, "at most 30 days away") || strings.Contains(never.Fix, "cannot be given") {
		t.Errorf("no-expiration fix:\n%s", never.Fix)
	}
	c.Required.MaxDaysLeft = 0
	if f := apply(t, finding.Finding{Code: finding.TokenNoExpiration, Severity: finding.Warning}, c); !strings.Contains(f.Fix, "Expiration: pick a date (GitHub offers 7, 30, 60 and 90 days, or a custom date) rather than No expiration") || strings.Contains(f.Fix, "at most") {
		t.Errorf("no-expiration fix without max-days-left:\n%s", f.Fix)
	}
	c.Required.MaxDaysLeft = 30
	for _, org := range []string{"", "acme"} {
		about := finding.About{MaxDays: 30, Organization: org}
		if org != "" {
			about.PolicyMessage = "at most 30 days"
		}
		f := apply(t, finding.Finding{Code: finding.TokenLifetimeTooLong, Severity: finding.Warning, About: about}, c)
		if len(f.Steps) != 1+min(len(org), 1) || !strings.Contains(f.Fix, "those of token-no-expiration") || strings.Contains(f.Fix, "Copy the new value") {
			t.Errorf("organization %q: %d steps\n%s", org, len(f.Steps), f.Fix)
		}
	}
	days := 200
	f := apply(t, finding.Finding{Code: finding.TokenLifetimeTooLong, Severity: finding.Warning, About: finding.About{MaxDays: 30, DaysLeft: &days}}, c)
	if !strings.Contains(f.Fix, "Regenerate token") || !strings.Contains(f.Fix, "at most 30 days away") {
		t.Errorf("an expiring token's lifetime fix:\n%s", f.Fix)
	}
}
