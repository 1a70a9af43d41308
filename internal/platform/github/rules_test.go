package github

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

var rulesNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// evaluate runs the rules with GitHub as the issuer, for a token GitHub
// accepted that expires in 40 days.
func evaluate(req check.Requirements, f check.Facts) check.Outcome {
	f.Checked, f.Accepted = true, true
	f.Expiry = check.Expiry{Known: true, At: rulesNow.Add(40 * 24 * time.Hour)}
	return check.Evaluate(Issuer{}, req, token.Inspection{Kind: f.Kind}, f, rulesNow)
}

// told is a classic token whose X-OAuth-Scopes header listed scopes.
func told(scopes ...string) check.Facts {
	return check.Facts{Kind: token.Classic, Login: "octocat", ScopesKnown: true, Scopes: scopes}
}

func row(o check.Outcome, name string) finding.Check {
	for _, c := range o.Checks {
		if c.Name == name {
			return c
		}
	}
	return finding.Check{}
}

// messages are the findings as code: message.
func messages(o check.Outcome) []string {
	var out []string
	for _, f := range o.Findings {
		out = append(out, string(f.Code)+": "+f.Message)
	}
	return out
}

// The scopes rule for GitHub: the told scopes against the required ones
// (inclusions counted, the token page's own ones with a notice), and a
// kind without scopes says so when scopes are required.
func TestScopesRule(t *testing.T) {
	t.Parallel()
	fineGrained := check.Facts{Kind: token.FineGrained}
	for _, tt := range []struct {
		name     string
		req      []string
		f        check.Facts
		row      finding.Check
		findings []string
		missing  []string
	}{
		{"none required", nil, told("repo"), finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: repo (none required)"}, nil, nil},
		{"none granted, none required", nil, told(), finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: none (none required)"}, nil, nil},
		{"included", []string{"public_repo"}, told("repo"), finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: repo"}, nil, nil},
		{"one missing", []string{"repo", "workflow"}, told("repo"), finding.Check{Name: "Scopes", State: finding.Fail, Detail: "missing: workflow"},
			[]string{"scope-missing: the token lacks the scope workflow (granted: repo)"}, []string{"workflow"}},
		{"two missing, none granted", []string{"workflow", "read:org"}, told(), finding.Check{Name: "Scopes", State: finding.Fail, Detail: "missing: workflow, read:org"},
			[]string{"scope-missing: the token lacks the scopes workflow, read:org (granted: none)"}, []string{"workflow", "read:org"}},
		{"assumed", []string{"admin:repo_hook"}, told("repo"), finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: repo (assumed: admin:repo_hook)"},
			[]string{`scope-assumed: a required scope is counted as granted through an inclusion GitHub's token page shows but its docs ("Scopes for OAuth apps") do not state: admin:repo_hook (granted because repo includes admin:repo_hook)`}, nil},
		{"two assumed", []string{"admin:repo_hook", "read:repo_hook"}, told("repo"), finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: repo (assumed: admin:repo_hook, read:repo_hook)"},
			[]string{`scope-assumed: required scopes are counted as granted through an inclusion GitHub's token page shows but its docs ("Scopes for OAuth apps") do not state: ` +
				"admin:repo_hook (granted because repo includes admin:repo_hook); read:repo_hook (granted because repo includes admin:repo_hook)"}, nil},
		{"a kind without scopes", []string{"repo"}, fineGrained, finding.Check{Name: "Scopes", State: finding.Warn, Detail: "this kind of token has no scopes"},
			[]string{"scope-unverified: a fine-grained personal access token has no scopes (GitHub sends no X-OAuth-Scopes header for it), so the required scopes repo cannot be checked: state what the job needs as permissions instead"}, nil},
		{"a kind without scopes, none required", nil, fineGrained, finding.Check{}, nil, nil},
	} {
		o := evaluate(check.Requirements{Scopes: tt.req}, tt.f)
		if diff := cmp.Diff(tt.row, row(o, "Scopes")); diff != "" {
			t.Errorf("%s: row (-want +got):\n%s", tt.name, diff)
		}
		var got []string
		for _, m := range messages(o) {
			if !strings.HasPrefix(m, "token-expiry") {
				got = append(got, m)
			}
		}
		if diff := cmp.Diff(tt.findings, got); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", tt.name, diff)
		}
		if diff := cmp.Diff(tt.missing, o.Missing); diff != "" {
			t.Errorf("%s: missing (-want +got):\n%s", tt.name, diff)
		}
	}
}

// Scope excess for GitHub: each granted scope the required ones do not
// imply, once, in plain words, with the required ones a parent's
// unticking takes along; the row's state follows the severity asked.
func TestScopeExcessRule(t *testing.T) {
	t.Parallel()
	req := check.Requirements{Scopes: []string{"public_repo", "read:org"}, Excess: finding.Warning}
	o := evaluate(req, told("repo", "", "delete_repo", "repo", "read:org"))
	want := "the token has scopes the job does not need (it needs public_repo, read:org): " +
		ScopeAllows("repo") + "; delete_repo: delete any repository the account administers"
	var fd finding.Finding
	for _, f := range o.Findings {
		if f.Code == finding.ScopeExcess {
			fd = f
		}
	}
	if fd.Message != want || fd.Severity != finding.Warning {
		t.Errorf("finding %s %q\nwant %s %q", fd.Severity, fd.Message, finding.Warning, want)
	}
	if diff := cmp.Diff(finding.About{Excess: []string{"repo", "delete_repo"}, Needed: []string{"public_repo", "read:org"}, Replace: []string{"public_repo"}}, fd.About); diff != "" {
		t.Errorf("about (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(finding.Check{Name: "Least privilege", State: finding.Warn, Detail: "beyond what the job needs: repo, delete_repo"}, row(o, "Least privilege")); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	if !slices.Equal(o.Excess, []string{"repo", "delete_repo"}) {
		t.Errorf("outcome's excess %q", o.Excess)
	}
	req.Excess = finding.Error
	o = evaluate(req, told("read:org", "gist", "public_repo"))
	if r := row(o, "Least privilege"); r.State != finding.Fail || r.Detail != "beyond what the job needs: gist" {
		t.Errorf("one scope, as an error: %+v", r)
	}
	for _, f := range o.Findings {
		if f.Code == finding.ScopeExcess && (f.Message != "the token has a scope the job does not need (it needs public_repo, read:org): "+ScopeAllows("gist") || len(f.About.Replace) != 0) {
			t.Errorf("one scope: %+v", f)
		}
	}
	if o := evaluate(req, told("public_repo", "read:org")); len(o.Findings) != 0 || len(o.Excess) != 0 {
		t.Errorf("exactly what is needed: %q, excess %q", messages(o), o.Excess)
	}
}

// Kind advice: only for a classic token, when asked, with scopes required;
// the fine-grained permissions named, or why a classic token is still
// needed.
func TestKindAdviceRule(t *testing.T) {
	t.Parallel()
	advice := check.Requirements{Scopes: []string{"repo", "workflow"}, KindAdvice: true}
	o := evaluate(advice, told("repo", "workflow"))
	if diff := cmp.Diff(finding.Check{Name: "Token kind", State: finding.Pass, Detail: "fine-grained would do: " + equivalents(t, "repo", "workflow")}, row(o, "Token kind")); diff != "" {
		t.Errorf("row (-want +got):\n%s", diff)
	}
	o = evaluate(check.Requirements{Scopes: []string{"repo", "write:packages"}, KindAdvice: true}, told("repo", "write:packages"))
	if r := row(o, "Token kind"); r.Detail != "classic still needed" {
		t.Errorf("packages: %+v", r)
	}
	for name, tt := range map[string]struct {
		req check.Requirements
		f   check.Facts
	}{
		"not asked":            {check.Requirements{Scopes: []string{"repo"}}, told("repo")},
		"a fine-grained token": {advice, check.Facts{Kind: token.FineGrained}},
		"no scopes required":   {check.Requirements{KindAdvice: true}, told("repo")},
	} {
		o := evaluate(tt.req, tt.f)
		for _, f := range o.Findings {
			if f.Code == finding.TokenKindAdvice {
				t.Errorf("%s: %s", name, f.Message)
			}
		}
		if r := row(o, "Token kind"); r.Name != "" {
			t.Errorf("%s: row %+v", name, r)
		}
	}
}

// equivalents is the fine-grained permissions the scopes correspond to, as
// the advice names them.
func equivalents(t *testing.T, scopes ...string) string {
	t.Helper()
	eq, none := FineGrainedFor(scopes)
	if len(none) > 0 || len(eq) == 0 {
		t.Fatalf("%q: equivalents %v, none %q", scopes, eq, none)
	}
	out := ""
	for i, p := range eq {
		if i > 0 {
			out += ", "
		}
		out += p.String()
	}
	return out
}

// The excess probes: every repository permission's levels above the
// required one, metadata aside, split by whether the probe table has a
// request for them; organization and account permissions are never
// probed on a repository.
func TestExcessLevels(t *testing.T) {
	t.Parallel()
	req := check.Requirements{Permissions: []check.Permission{{Name: "contents", Level: check.LevelRead}, {Name: "actions", Level: check.LevelWrite}}}
	hasProbe := func(name string, l check.Level) bool {
		return (name == "contents" || name == "issues") && l == check.LevelWrite
	}
	probed, unprobed := ExcessProbes(req, hasProbe), ExcessUnprobed(req, hasProbe)
	if diff := cmp.Diff([]check.Permission{{Name: "contents", Level: check.LevelWrite}, {Name: "issues", Level: check.LevelWrite}}, probed); diff != "" {
		t.Errorf("probed (-want +got):\n%s", diff)
	}
	for _, p := range []check.Permission{{Name: "issues", Level: check.LevelRead}, {Name: "pull_requests", Level: check.LevelRead}, {Name: "pull_requests", Level: check.LevelWrite}} {
		if !slices.Contains(unprobed, p) {
			t.Errorf("unprobed lacks %s: %v", p, unprobed)
		}
	}
	for _, p := range unprobed {
		if target, _ := TargetOf(p.Name); target != check.TargetRepository || p.Name == "metadata" || p.Name == "contents" || p.Name == "actions" || p.Level == check.LevelAdmin {
			t.Errorf("unprobed holds %s (%s)", p, target)
		}
	}
}

// GitHub's words for a rejected token and for a repository it answers 404
// for: why, most likely first for the kind of token.
func TestIssuerWords(t *testing.T) {
	t.Parallel()
	msg, detail := Issuer{}.Rejected(check.Facts{InvalidMessage: "Bad credentials"})
	if msg != `GitHub rejected the token ("Bad credentials"): it was revoked, has expired, was regenerated, or was copied incompletely or from another server` || detail != "401 Bad credentials" {
		t.Errorf("rejected: %q, %q", msg, detail)
	}
	msg, detail = Issuer{}.Rejected(check.Facts{Expired: true})
	if msg != "GitHub says the token has expired" || detail != "401: the token has expired" {
		t.Errorf("rejected, expired: %q, %q", msg, detail)
	}
	for _, tt := range []struct {
		f    check.Facts
		want string
	}{
		{check.Facts{Kind: token.Classic, ScopesKnown: true, Scopes: []string{"read:org"}, Login: "octocat"},
			"the name is wrong, or it is private and the token lacks the repo scope, or the account octocat has no access to it"},
		{check.Facts{Kind: token.OAuth, ScopesKnown: true, Scopes: []string{"repo"}, Login: "octocat"},
			"the name is wrong, or it is private and the account octocat has no access to it"},
		{check.Facts{Kind: token.Classic}, "the name is wrong, or it is private and the account behind the token has no access to it"},
		{check.Facts{Kind: token.AppUser}, "the name is wrong, or it is private and the token has no access to it"},
	} {
		if got := (Issuer{}).NotFoundCauses(tt.f); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.f.Kind, got, tt.want)
		}
	}
}
