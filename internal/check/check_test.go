package check_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/check"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

func TestExpandScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		granted []string
		want    []string
	}{
		{nil, []string{}},
		{[]string{"repo"}, []string{"admin:repo_hook", "public_repo", "read:repo_hook", "repo", "repo:invite", "repo:status", "repo_deployment", "security_events", "write:repo_hook"}}, // repo covers the repository-hook scopes
		{[]string{"admin:org"}, []string{"admin:org", "manage_runners:org", "read:org", "write:org"}},
		{[]string{"user", "gist"}, []string{"gist", "read:user", "user", "user:email", "user:follow"}},
		{[]string{"write:packages"}, []string{"read:packages", "write:packages"}}, // the token page ticks read:packages with it
		{[]string{" repo ", ""}, []string{"admin:repo_hook", "public_repo", "read:repo_hook", "repo", "repo:invite", "repo:status", "repo_deployment", "security_events", "write:repo_hook"}},
		{[]string{"audit_log"}, []string{"audit_log", "read:audit_log"}},
		{[]string{"copilot"}, []string{"copilot", "manage_billing:copilot"}},
		{[]string{"admin:network_configurations"}, []string{"admin:network_configurations", "read:network_configurations"}},
	}
	for _, tt := range tests {
		got := ghplatform.ExpandScopes(tt.granted)
		if !slices.Equal(got, tt.want) {
			t.Errorf("ExpandScopes(%q) = %q, want %q", tt.granted, got, tt.want)
		}
	}
}

func TestMissingScopes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		granted, required, want []string
	}{
		{[]string{"repo"}, []string{"public_repo", "repo:status"}, nil},
		{[]string{"repo"}, []string{"workflow", "read:org"}, []string{"workflow", "read:org"}},
		{[]string{"admin:org"}, []string{"read:org"}, nil},
		{[]string{"read:org"}, []string{"admin:org"}, []string{"admin:org"}},
		{[]string{"write:packages"}, []string{"read:packages"}, nil},
		{[]string{"read:packages"}, []string{"write:packages"}, []string{"write:packages"}},
		{[]string{"admin:enterprise"}, []string{"scim:enterprise"}, nil},
		{[]string{"repo"}, []string{"admin:repo_hook"}, nil},
		{nil, []string{"repo", "repo"}, []string{"repo"}},
	}
	for _, tt := range tests {
		if got := ghplatform.MissingScopes(tt.granted, tt.required); !slices.Equal(got, tt.want) {
			t.Errorf("MissingScopes(%q, %q) = %q, want %q", tt.granted, tt.required, got, tt.want)
		}
	}
}

func TestMinimalScopes(t *testing.T) {
	t.Parallel()
	got := ghplatform.MinimalScopes([]string{"repo", "public_repo", "workflow", "read:org", "admin:org", "repo"})
	want := []string{"repo", "workflow", "admin:org"}
	if !slices.Equal(got, want) {
		t.Errorf("MinimalScopes = %q, want %q", got, want)
	}
}

func TestParsePermission(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    check.Permission
		wantErr string
	}{
		{"contents:write", check.Permission{"contents", check.LevelWrite}, ""},
		{"pull-requests=read", check.Permission{"pull_requests", check.LevelRead}, ""},
		{" Administration : ADMIN ", check.Permission{"administration", check.LevelAdmin}, ""},
		{"variables:read", check.Permission{"actions_variables", check.LevelRead}, ""},
		{"contents", check.Permission{}, "not name:level"},
		{"contents:delete", check.Permission{}, "use read, write or admin"},
		{"contnets:read", check.Permission{}, "did you mean contents?"},
	}
	for _, tt := range tests {
		got, err := ghplatform.ParsePermission(tt.in)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("ParsePermission(%q) error = %v, want it to contain %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParsePermission(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func codes(fs []finding.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f.Code) + "/" + string(f.Severity)
	}
	return out
}

func accepted(kind token.Kind) check.Facts {
	return check.Facts{Kind: kind, Checked: true, Accepted: true, Login: "octocat", ScopesKnown: kind == token.Classic,
		Expiry: check.Expiry{Known: true, At: now.Add(60 * 24 * time.Hour)}}
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	base := check.Requirements{MinDaysLeft: 1, WarnDaysLeft: 14}
	classic := token.Inspection{Kind: token.Classic}
	declared := now.Add(3*24*time.Hour + time.Hour)
	tests := []struct {
		name    string
		req     func(check.Requirements) check.Requirements
		insp    token.Inspection
		facts   func(check.Facts) check.Facts
		want    []string
		missing []string
		days    *int
	}{
		{name: "healthy", want: []string{}},
		{name: "offline problem stops", insp: token.Inspection{Kind: token.Classic, Problems: []token.Problem{{Code: finding.TokenMalformed, Message: "bad"}}},
			facts: func(check.Facts) check.Facts { return check.Facts{Kind: token.Classic} }, want: []string{"token-malformed/error"}},
		{name: "kind not allowed", req: func(r check.Requirements) check.Requirements {
			r.TokenTypes = []token.Kind{token.FineGrained}
			return r
		},
			facts: func(check.Facts) check.Facts { return check.Facts{Kind: token.Classic} }, want: []string{"token-type-disallowed/error"}},
		{name: "invalid", facts: func(f check.Facts) check.Facts { return check.Facts{Kind: token.Classic, Checked: true, Invalid: true} }, want: []string{"token-invalid/error"}},
		{name: "missing scopes", req: func(r check.Requirements) check.Requirements {
			r.Scopes = []string{"repo", "workflow", "read:org"}
			return r
		},
			facts: func(f check.Facts) check.Facts { f.Scopes = []string{"repo"}; return f }, want: []string{"scope-missing/error"}, missing: []string{"workflow", "read:org"}},
		{name: "implied scope counts", req: func(r check.Requirements) check.Requirements { r.Scopes = []string{"read:org"}; return r },
			facts: func(f check.Facts) check.Facts { f.Scopes = []string{"admin:org"}; return f }, want: []string{}},
		{name: "scopes on fine-grained", req: func(r check.Requirements) check.Requirements { r.Scopes = []string{"repo"}; return r },
			insp: token.Inspection{Kind: token.FineGrained}, facts: func(f check.Facts) check.Facts { f.Kind = token.FineGrained; f.ScopesKnown = false; return f },
			want: []string{"scope-unverified/warning"}},
		{name: "expired", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(-2 * time.Hour); return f }, want: []string{"token-expired/error"}, days: ptr(0)},
		{name: "expired two and a half days ago", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(-60 * time.Hour); return f }, want: []string{"token-expired/error"}, days: ptr(-2)},
		{name: "expiring below min", req: func(r check.Requirements) check.Requirements { r.MinDaysLeft = 7; return r },
			facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(5*24*time.Hour + time.Hour); return f }, want: []string{"token-expiring/error"}, days: ptr(5)},
		{name: "expiring below warn", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(13*24*time.Hour + time.Hour); return f }, want: []string{"token-expiry-warning/warning"}, days: ptr(13)},
		{name: "exactly warn days is fine", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(14 * 24 * time.Hour); return f }, want: []string{}, days: ptr(14)},
		{name: "less than a day left fails the default min", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(3 * time.Hour); return f }, want: []string{"token-expiring/error"}, days: ptr(0)},
		{name: "never expires", facts: func(f check.Facts) check.Facts { f.Expiry = check.Expiry{Known: true, Never: true}; return f }, want: []string{"token-no-expiration/warning"}},
		{name: "never expires, required", req: func(r check.Requirements) check.Requirements { r.RequireExpiration = true; return r },
			facts: func(f check.Facts) check.Facts { f.Expiry = check.Expiry{Known: true, Never: true}; return f }, want: []string{"token-no-expiration/error"}},
		{name: "expiry equal to now is noise", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(20 * time.Second); return f }, want: []string{"token-expiry-unknown/notice"}},
		{name: "expiry a minute from now is still noise", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(time.Minute); return f }, want: []string{"token-expiry-unknown/notice"}},
		{name: "expiry a minute ago is still noise", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(-time.Minute); return f }, want: []string{"token-expiry-unknown/notice"}},
		{name: "expiry past the noise is an expiry", facts: func(f check.Facts) check.Facts { f.Expiry.At = now.Add(time.Minute + time.Second); return f },
			want: []string{"token-expiring/error"}, days: ptr(0)},
		{name: "unknown expiry, required", req: func(r check.Requirements) check.Requirements { r.RequireExpiration = true; return r },
			facts: func(f check.Facts) check.Facts { f.Expiry = check.Expiry{}; return f }, want: []string{"token-expiry-unknown/warning"}},
		{name: "declared expiry used when unknown", req: func(r check.Requirements) check.Requirements { r.DeclaredExpiry = &declared; return r },
			facts: func(f check.Facts) check.Facts { f.Expiry = check.Expiry{}; return f }, want: []string{"token-expiry-warning/warning"}, days: ptr(3)},
		{name: "installation token has no expiry finding", insp: token.Inspection{Kind: token.AppInstallation},
			facts: func(f check.Facts) check.Facts {
				f.Kind = token.AppInstallation
				f.Login = ""
				f.Expiry = check.Expiry{}
				return f
			}, want: []string{}},
		{name: "rate limited", facts: func(f check.Facts) check.Facts {
			return check.Facts{Kind: token.Classic, Checked: true, Problems: []check.APIProblem{{What: "GET /user", RateLimited: true}}}
		}, want: []string{"rate-limited/error"}},
		{name: "api error as warning", req: func(r check.Requirements) check.Requirements { r.WarnOnAPIError = true; return r }, facts: func(f check.Facts) check.Facts {
			return check.Facts{Kind: token.Classic, Checked: true, Problems: []check.APIProblem{{What: "GET /user", Message: "502"}}}
		}, want: []string{"api-error/warning"}},
		{name: "repository and organization outcomes", facts: func(f check.Facts) check.Facts {
			f.Repositories = []check.Resource{
				{Name: "o/ok", Access: check.AccessOK},
				{Name: "o/gone", Access: check.AccessNotFound},
				{Name: "sso/r", Access: check.AccessSSO, SSOURL: "https://github.com/orgs/sso/sso?x=1"},
			}
			f.Organizations = []check.Resource{
				{Name: "sso", Org: "sso", Access: check.AccessSSO, SSOURL: "https://github.com/orgs/sso/sso?x=1"},
				{Name: "pol", Org: "pol", Access: check.AccessPolicy, Message: "`pol` forbids access via a personal access token (classic)."},
				{Name: "nope", Access: check.AccessNotFound},
			}
			return f
		}, want: []string{"repository-inaccessible/error", "sso-authorization-required/error", "organization-policy/error", "organization-inaccessible/error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := base
			if tt.req != nil {
				req = tt.req(req)
			}
			insp := tt.insp
			if insp.Kind == "" {
				insp = classic
			}
			f := accepted(insp.Kind)
			if tt.facts != nil {
				f = tt.facts(f)
			}
			o := evaluate(req, insp, f, now)
			if got := codes(o.Findings); !slices.Equal(got, tt.want) {
				t.Errorf("findings = %q, want %q", got, tt.want)
			}
			if !slices.Equal(o.Missing, tt.missing) {
				t.Errorf("missing = %q, want %q", o.Missing, tt.missing)
			}
			if tt.days != nil && (o.DaysLeft == nil || *o.DaysLeft != *tt.days) {
				t.Errorf("daysLeft = %v, want %d", deref(o.DaysLeft), *tt.days)
			}
			for _, c := range o.Checks {
				if c.Name == "" || c.State == "" {
					t.Errorf("check row without name or state: %+v", c)
				}
			}
		})
	}
}

func ptr(n int) *int { return &n }

func deref(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestEvaluateSSOOncePerOrganization(t *testing.T) {
	t.Parallel()
	f := accepted(token.Classic)
	f.Repositories = []check.Resource{{Name: "sso/a", Access: check.AccessSSO, SSOURL: "u"}, {Name: "sso/b", Access: check.AccessSSO, SSOURL: "u"}}
	f.Organizations = []check.Resource{{Name: "sso", Org: "sso", Access: check.AccessSSO, SSOURL: "u"}}
	o := evaluate(check.Requirements{MinDaysLeft: 1, WarnDaysLeft: 14}, token.Inspection{Kind: token.Classic}, f, now)
	n := 0
	for _, x := range o.Findings {
		if x.Code == finding.SSOAuthorizationRequired {
			n++
			if x.About.Organization != "sso" || x.About.AuthorizationURL != "u" {
				t.Errorf("SSO finding = %+v, want subject sso and the URL as detail", x)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d SSO findings, want 1 per organization", n)
	}
}

func TestNotFoundCausesByKind(t *testing.T) {
	t.Parallel()
	for kind, want := range map[token.Kind]string{
		token.FineGrained:     "not selected under the token's repository access",
		token.AppInstallation: "not installed",
		token.Classic:         "lacks the repo scope",
	} {
		f := check.Facts{Kind: kind, ScopesKnown: kind == token.Classic, Scopes: []string{"public_repo"}}
		if got := (ghplatform.Issuer{}).NotFoundCauses(f); !strings.Contains(got, want) {
			t.Errorf("%s: causes %q lack %q", kind, got, want)
		}
	}
}

func TestEvaluatePermissions(t *testing.T) {
	t.Parallel()
	cw := check.Permission{Name: "contents", Level: check.LevelWrite}
	pr := check.Permission{Name: "pull_requests", Level: check.LevelRead}
	req := check.Requirements{MinDaysLeft: 1, WarnDaysLeft: 14, Permissions: []check.Permission{cw, pr}, Repositories: []string{"o/a", "o/b", "o/gone"}}
	f := accepted(token.FineGrained)
	f.Kind, f.ScopesKnown = token.FineGrained, false
	f.Repositories = []check.Resource{{Name: "o/a", Access: check.AccessOK, Private: true}, {Name: "o/b", Access: check.AccessOK}, {Name: "o/gone", Access: check.AccessNotFound}}
	// contents:write has no probe of its own: its read probe is asked.
	read := func(target string, status int, accepted string) *check.ProbeResult {
		return &check.ProbeResult{Request: "GET /repos/" + target + "/contents", Expect: check.ProbeExpect{Granted: []int{200}},
			Answer: check.ProbeAnswer{Status: status, Accepted: accepted}}
	}
	// pull_requests:read has a read probe that anyone may make on a public repository.
	own := func(target string, status int) *check.ProbeResult {
		return &check.ProbeResult{Request: "GET /repos/" + target + "/pulls", Expect: check.ProbeExpect{Granted: []int{200}, PublicRead: true},
			Answer: check.ProbeAnswer{Status: status}}
	}
	f.Permissions = []check.PermissionFact{
		{Permission: cw, Target: "o/a", NoProbe: "no safe probe", Read: read("o/a", 200, "")},
		{Permission: cw, Target: "o/b", NoProbe: "no safe probe", Read: read("o/b", 403, "contents:read")},
		{Permission: cw, Target: "o/gone", NoProbe: "no safe probe", Read: read("o/gone", 404, "")},
		{Permission: pr, Target: "o/a", Probe: own("o/a", 200)},
		{Permission: pr, Target: "o/b", Probe: own("o/b", 200)},
		{Permission: pr, Target: "o/gone", Probe: own("o/gone", 404)},
	}
	o := evaluate(req, token.Inspection{Kind: token.FineGrained}, f, now)
	want := []string{"repository-inaccessible/error", "permission-unverified/warning", "permission-missing/error"}
	if got := codes(o.Findings); !slices.Equal(got, want) {
		t.Errorf("findings = %q, want %q", got, want)
	}
	if !slices.Equal(o.Missing, []string{"contents:write@o/b"}) {
		t.Errorf("missing = %q", o.Missing)
	}
	states := map[string]string{}
	for _, c := range o.Permissions {
		states[c.Permission+"@"+c.Target] = string(c.State)
	}
	wantStates := map[string]string{
		"contents:write@o/a": "unverified", "contents:write@o/b": "missing", "contents:write@o/gone": "unreachable",
		"pull_requests:read@o/a": "granted", "pull_requests:read@o/b": "public", "pull_requests:read@o/gone": "unreachable",
	}
	for k, v := range wantStates {
		if states[k] != v {
			t.Errorf("%s = %q, want %q", k, states[k], v)
		}
	}
	for _, x := range o.Findings {
		if x.Code == finding.PermissionMissing && !strings.Contains(x.Message, "contents:read") {
			t.Errorf("missing message does not quote the accepted permissions: %s", x.Message)
		}
		// An unverified write cannot be missed: the headline says the job
		// may still fail where it writes.
		if x.Code == finding.PermissionUnverified && !strings.HasPrefix(x.Message, "the job may still fail at the step that writes: contents:write on o/a") {
			t.Errorf("unverified write without the headline: %s", x.Message)
		}
	}
	rows := map[string]finding.State{}
	for _, c := range o.Checks {
		rows[c.Name] = c.State
	}
	if rows["Permissions on o/a"] != finding.Warn || rows["Permissions on o/b"] != finding.Fail || rows["Permissions on o/gone"] != finding.Skipped {
		t.Errorf("rows = %v", rows)
	}
}

// evaluate is check.Evaluate with the issuer of the platform that answered.
func evaluate(req check.Requirements, insp token.Inspection, f check.Facts, now time.Time) check.Outcome {
	var iss check.Issuer = ghplatform.Issuer{}
	if f.Platform == azplatform.Platform {
		iss = azplatform.Issuer{}
	}
	return check.Evaluate(iss, req, insp, f, now)
}
