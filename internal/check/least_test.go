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

var lpNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func classicFacts(scopes ...string) check.Facts {
	return check.Facts{Kind: token.Classic, Checked: true, Accepted: true, Login: "octocat", ScopesKnown: true, Scopes: scopes,
		Expiry: check.Expiry{Known: true, At: lpNow.Add(60 * 24 * time.Hour)}}
}

func findingOf(o check.Outcome, c finding.Code) (finding.Finding, bool) {
	for _, f := range o.Findings {
		if f.Code == c {
			return f, true
		}
	}
	return finding.Finding{}, false
}

func TestScopeExcess(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name              string
		granted, required []string
		sev               finding.Severity
		excess, replace   []string
		none              bool
	}{
		{"beyond the closure", []string{"repo", "delete_repo", "admin:org"}, []string{"repo"}, finding.Notice, []string{"delete_repo", "admin:org"}, nil, false},
		{"an implied scope is not excess", []string{"repo"}, []string{"public_repo", "repo:status"}, finding.Warning, []string{"repo"}, []string{"public_repo", "repo:status"}, false},
		{"exactly what is needed", []string{"repo", "workflow"}, []string{"repo", "workflow"}, finding.Error, nil, nil, true},
		{"a child of a required parent", []string{"admin:org", "read:org"}, []string{"admin:org"}, finding.Notice, nil, nil, true},
		{"ignored", []string{"repo", "delete_repo"}, []string{"repo"}, "", nil, nil, true},
		{"nothing required", []string{"repo", "delete_repo"}, nil, finding.Error, nil, nil, true},
	}
	for _, tt := range tests {
		o := evaluate(check.Requirements{Scopes: tt.required, Excess: tt.sev, WarnDaysLeft: 14}, token.Inspection{Kind: token.Classic}, classicFacts(tt.granted...), lpNow)
		f, ok := findingOf(o, finding.ScopeExcess)
		if tt.none {
			if ok {
				t.Errorf("%s: unexpected %s", tt.name, f.Message)
			}
			continue
		}
		if !ok || f.Severity != tt.sev || !slices.Equal(f.About.Excess, tt.excess) || !slices.Equal(f.About.Replace, tt.replace) || !slices.Equal(o.Excess, tt.excess) {
			t.Errorf("%s: %v %+v (outcome excess %v)", tt.name, ok, f, o.Excess)
		}
	}
	o := evaluate(check.Requirements{Scopes: []string{"repo"}, Excess: finding.Notice}, token.Inspection{Kind: token.Classic}, classicFacts("repo", "delete_repo"), lpNow)
	if f, _ := findingOf(o, finding.ScopeExcess); !strings.Contains(f.Message, "delete_repo: delete any repository the account administers") {
		t.Errorf("the scope's plain words are missing: %s", f.Message)
	}
}

func TestAzureScopeExcess(t *testing.T) {
	t.Parallel()
	az := func(scopes ...string) check.Facts {
		return check.Facts{Kind: token.AzureDevOps, Platform: azplatform.Platform, Checked: true, Accepted: true, ScopesKnown: true, Scopes: scopes}
	}
	tests := []struct {
		granted, required, excess []string
	}{
		{[]string{"vso.code_write", "vso.build_execute"}, []string{"vso.code"}, []string{"vso.code_write", "vso.build_execute"}},
		{[]string{"vso.code_write"}, []string{"vso.code_write"}, nil},
		{[]string{"app_token"}, []string{"vso.code"}, []string{"app_token"}},
		{[]string{"app_token"}, []string{"app_token"}, nil},
	}
	for _, tt := range tests {
		o := evaluate(check.Requirements{Scopes: tt.required, Excess: finding.Warning}, token.Inspection{Kind: token.AzureDevOps}, az(tt.granted...), lpNow)
		f, _ := findingOf(o, finding.ScopeExcess)
		if !slices.Equal(f.About.Excess, tt.excess) {
			t.Errorf("%v for %v: excess %v, want %v", tt.granted, tt.required, f.About.Excess, tt.excess)
		}
		if slices.Contains(tt.excess, "app_token") && !strings.Contains(f.Message, "Full access") {
			t.Errorf("full access not named: %s", f.Message)
		}
	}
}

func TestExcessProbesAndPermissionExcess(t *testing.T) {
	t.Parallel()
	req := check.Requirements{Permissions: []check.Permission{{"contents", check.LevelRead}, {"issues", check.LevelWrite}}, Repositories: []string{"o/r"}, Excess: finding.Warning}
	probes := ghplatform.ExcessProbes(req, func(string, check.Level) bool { return true })
	for _, p := range probes {
		if p.Name == "metadata" || p.Name == "issues" || (p.Name == "contents" && p.Level == check.LevelRead) {
			t.Errorf("probed %s, which is required or implied", p)
		}
	}
	if !slices.Contains(probes, check.Permission{"contents", check.LevelWrite}) || !slices.Contains(probes, check.Permission{"pull_requests", check.LevelRead}) {
		t.Errorf("probes %v", probes)
	}
	granted := func(p check.Permission) check.PermissionFact {
		return check.PermissionFact{Permission: p, Target: "o/r", Probe: &check.ProbeResult{Expect: check.ProbeExpect{Granted: []int{200}}, Answer: check.ProbeAnswer{Status: 200}}}
	}
	refused := func(p check.Permission) check.PermissionFact {
		return check.PermissionFact{Permission: p, Target: "o/r", Probe: &check.ProbeResult{Expect: check.ProbeExpect{Granted: []int{200}}, Answer: check.ProbeAnswer{Status: 403}}}
	}
	f := check.Facts{Kind: token.FineGrained, Checked: true, Accepted: true, Repositories: []check.Resource{{Name: "o/r", Access: check.AccessOK, Private: true}},
		ExcessPermissions: []check.PermissionFact{granted(check.Permission{"pull_requests", check.LevelRead}), granted(check.Permission{"pull_requests", check.LevelWrite}), refused(check.Permission{"actions", check.LevelRead})}}
	o := evaluate(req, token.Inspection{Kind: token.FineGrained}, f, lpNow)
	pe, ok := findingOf(o, finding.PermissionExcess)
	if !ok || pe.Severity != finding.Warning || !slices.Equal(pe.About.Excess, []string{"pull_requests:write"}) || pe.About.Target != "o/r" ||
		!slices.Equal(o.Excess, []string{"pull_requests:write@o/r"}) {
		t.Errorf("%v %+v %v", ok, pe, o.Excess)
	}
	// At notice the probes are not asked for, and what facts hold is not read.
	req.Excess = finding.Notice
	if _, ok := findingOf(evaluate(req, token.Inspection{Kind: token.FineGrained}, f, lpNow), finding.PermissionExcess); ok || req.ProbeExcess() {
		t.Error("permission-excess at notice")
	}
	// A public repository's read proves nothing: not excess.
	f.Repositories[0].Private = false
	req.Excess = finding.Warning
	f.ExcessPermissions = []check.PermissionFact{granted(check.Permission{"pull_requests", check.LevelRead})}
	f.ExcessPermissions[0].Probe.Expect.PublicRead = true
	if _, ok := findingOf(evaluate(req, token.Inspection{Kind: token.FineGrained}, f, lpNow), finding.PermissionExcess); ok {
		t.Error("a public read counted as excess")
	}
}

func TestLifetime(t *testing.T) {
	t.Parallel()
	at := func(days int) check.Facts {
		f := classicFacts("repo")
		f.Expiry = check.Expiry{Known: true, At: lpNow.Add(time.Duration(days)*24*time.Hour + time.Hour)}
		return f
	}
	never := classicFacts("repo")
	never.Expiry = check.Expiry{Known: true, Never: true}
	tests := []struct {
		name    string
		f       check.Facts
		max     int
		enforce bool
		sev     finding.Severity
	}{
		{"300 days, 90 allowed", at(300), 90, false, finding.Warning},
		{"300 days, enforced", at(300), 90, true, finding.Error},
		{"exactly 90", at(90), 90, false, ""},
		{"91", at(91), 90, false, finding.Warning},
		{"never", never, 90, false, finding.Warning},
		{"off", at(300), 0, false, ""},
	}
	for _, tt := range tests {
		o := evaluate(check.Requirements{MaxDaysLeft: tt.max, LifetimeEnforce: tt.enforce, MinDaysLeft: 1, WarnDaysLeft: 14}, token.Inspection{Kind: token.Classic}, tt.f, lpNow)
		f, ok := findingOf(o, finding.TokenLifetimeTooLong)
		if ok != (tt.sev != "") || f.Severity != tt.sev {
			t.Errorf("%s: %v %q %s", tt.name, ok, f.Severity, f.Message)
		}
		// The days are those of the expiry rule.
		if ok && f.About.DaysLeft != nil && *f.About.DaysLeft != *o.DaysLeft {
			t.Errorf("%s: %d days, the expiry rule says %d", tt.name, *f.About.DaysLeft, *o.DaysLeft)
		}
	}
	// GitHub's own words for an organization's lifetime policy are quoted.
	f := at(300)
	f.Kind = token.FineGrained
	words := "The 'acme' organization forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days."
	f.Organizations = []check.Resource{{Name: "acme", Org: "acme", Access: check.AccessPolicy, PolicyKind: finding.PolicyLifetime, Message: words}}
	o := evaluate(check.Requirements{MaxDaysLeft: 90, Organizations: []string{"acme"}}, token.Inspection{Kind: token.FineGrained}, f, lpNow)
	if lf, _ := findingOf(o, finding.TokenLifetimeTooLong); !strings.Contains(lf.Message, words) || lf.About.Policy != finding.PolicyLifetime {
		t.Errorf("policy not quoted: %s", lf.Message)
	}
}

func TestKindAdvice(t *testing.T) {
	t.Parallel()
	run := func(required ...string) (finding.Finding, bool) {
		o := evaluate(check.Requirements{Scopes: required, KindAdvice: true}, token.Inspection{Kind: token.Classic}, classicFacts("repo", "workflow", "write:packages"), lpNow)
		return findingOf(o, finding.TokenKindAdvice)
	}
	f, ok := run("repo", "workflow")
	if !ok || f.Severity != finding.Notice || !slices.Contains(f.About.Equivalents, "workflows:write") || !slices.Contains(f.About.Equivalents, "contents:write") || len(f.About.NoEquivalent) > 0 {
		t.Errorf("%v %+v", ok, f.About)
	}
	f, _ = run("repo", "write:packages")
	if len(f.About.NoEquivalent) != 1 || !strings.Contains(f.Message, "classic token is still needed") || !strings.Contains(f.Message, "GitHub Packages accepts only classic tokens") {
		t.Errorf("%s", f.Message)
	}
	if o := evaluate(check.Requirements{Scopes: []string{"repo"}}, token.Inspection{Kind: token.Classic}, classicFacts("repo"), lpNow); len(o.Findings) > 0 {
		t.Errorf("kind advice without the policy: %v", o.Findings)
	}
}

func TestCommitted(t *testing.T) {
	t.Parallel()
	f := classicFacts("repo")
	f.Workspace = &check.WorkspaceScan{Files: 3, Bytes: 2e6, Matches: []check.WorkspaceMatch{{File: "a.yml", Line: 3}, {File: "b.sh", Line: 1, Encoded: true}}}
	o := evaluate(check.Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
	var got []string
	n := 0
	for _, fd := range o.Findings {
		if fd.Code == finding.TokenCommitted && fd.Severity == finding.Error {
			n++
			for _, p := range fd.About.Places {
				got = append(got, p.String())
			}
			if !strings.Contains(fd.Message, "in 2 places: a.yml:3, b.sh:1 (encoded") {
				t.Errorf("message %q", fd.Message)
			}
		}
	}
	if n != 1 || !slices.Equal(got, []string{"a.yml:3", "b.sh:1"}) {
		t.Errorf("%d findings, places %v", n, got)
	}
	f.Workspace = &check.WorkspaceScan{Files: 3, Bytes: 5e6, Exceeded: "bytes", BudgetBytes: 5e6}
	o = evaluate(check.Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
	row := o.Checks[slices.IndexFunc(o.Checks, func(c finding.Check) bool { return c.Name == "Workspace" })]
	if row.State != finding.Warn || !strings.Contains(row.Detail, "byte budget (5.0 MB)") {
		t.Errorf("%+v", row)
	}
}

// A search that did not look everywhere (a budget, the timeout, unreadable
// entries) is a warning finding, so the run cannot end in a clean pass;
// special files are said, not counted against it.
func TestAnIncompleteSearchIsAWarning(t *testing.T) {
	t.Parallel()
	for _, w := range []check.WorkspaceScan{
		{Files: 3, Bytes: 5e6, Exceeded: "bytes", BudgetBytes: 5e6},
		{Files: 3, Bytes: 5e6, Exceeded: "time", BudgetTime: 10 * time.Second},
		{Files: 3, Bytes: 5e6, Unreadable: 2},
	} {
		f := classicFacts("repo")
		f.Workspace = &w
		o := evaluate(check.Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
		i := slices.IndexFunc(o.Findings, func(fd finding.Finding) bool { return fd.Code == finding.WorkspaceIncomplete })
		if i < 0 || o.Findings[i].Severity != finding.Warning {
			t.Errorf("%+v: findings %v", w, o.Findings)
		}
		row := o.Checks[slices.IndexFunc(o.Checks, func(c finding.Check) bool { return c.Name == "Workspace" })]
		if row.State != finding.Warn || strings.Contains(row.Detail, "in none") {
			t.Errorf("%+v: %+v", w, row)
		}
		if w.Unreadable > 0 && !strings.Contains(row.Detail, "2 entries (files or folders) could not be read") {
			t.Errorf("%+v", row)
		}
	}
	f := classicFacts("repo")
	f.Workspace = &check.WorkspaceScan{Files: 3, Bytes: 5e6, Special: 1}
	o := evaluate(check.Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
	row := o.Checks[slices.IndexFunc(o.Checks, func(c finding.Check) bool { return c.Name == "Workspace" })]
	if row.State != finding.Pass || !strings.Contains(row.Detail, "1 special file (device, FIFO, socket) passed over unopened") {
		t.Errorf("%+v", row)
	}
}
