package check

import (
	"github.com/pat-check/pat-check/internal/platformdata"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

var lpNow = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

func classicFacts(scopes ...string) Facts {
	return Facts{Kind: token.Classic, Checked: true, Accepted: true, Login: "octocat", ScopesKnown: true, Scopes: scopes,
		Expiry: Expiry{Known: true, At: lpNow.Add(60 * 24 * time.Hour)}}
}

func findingOf(o Outcome, c finding.Code) (finding.Finding, bool) {
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
		o := Evaluate(Requirements{Scopes: tt.required, Excess: tt.sev, WarnDaysLeft: 14}, token.Inspection{Kind: token.Classic}, classicFacts(tt.granted...), lpNow)
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
	o := Evaluate(Requirements{Scopes: []string{"repo"}, Excess: finding.Notice}, token.Inspection{Kind: token.Classic}, classicFacts("repo", "delete_repo"), lpNow)
	if f, _ := findingOf(o, finding.ScopeExcess); !strings.Contains(f.Message, "delete_repo: delete any repository the account administers") {
		t.Errorf("the scope's plain words are missing: %s", f.Message)
	}
}

func TestAzureScopeExcess(t *testing.T) {
	t.Parallel()
	az := func(scopes ...string) Facts {
		return Facts{Kind: token.AzureDevOps, Platform: AzureDevOps, Checked: true, Accepted: true, ScopesKnown: true, Scopes: scopes}
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
		o := Evaluate(Requirements{Scopes: tt.required, Excess: finding.Warning}, token.Inspection{Kind: token.AzureDevOps}, az(tt.granted...), lpNow)
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
	req := Requirements{Permissions: []Permission{{"contents", LevelRead}, {"issues", LevelWrite}}, Repositories: []string{"o/r"}, Excess: finding.Warning}
	probes := ExcessProbes(req, func(string, Level) bool { return true })
	for _, p := range probes {
		if p.Name == "metadata" || p.Name == "issues" || (p.Name == "contents" && p.Level == LevelRead) {
			t.Errorf("probed %s, which is required or implied", p)
		}
	}
	if !slices.Contains(probes, Permission{"contents", LevelWrite}) || !slices.Contains(probes, Permission{"pull_requests", LevelRead}) {
		t.Errorf("probes %v", probes)
	}
	granted := func(p Permission) PermissionFact {
		return PermissionFact{Permission: p, Target: "o/r", Probe: &ProbeResult{Expect: ProbeExpect{Granted: []int{200}}, Answer: ProbeAnswer{Status: 200}}}
	}
	refused := func(p Permission) PermissionFact {
		return PermissionFact{Permission: p, Target: "o/r", Probe: &ProbeResult{Expect: ProbeExpect{Granted: []int{200}}, Answer: ProbeAnswer{Status: 403}}}
	}
	f := Facts{Kind: token.FineGrained, Checked: true, Accepted: true, Repositories: []Resource{{Name: "o/r", Access: AccessOK, Private: true}},
		ExcessPermissions: []PermissionFact{granted(Permission{"pull_requests", LevelRead}), granted(Permission{"pull_requests", LevelWrite}), refused(Permission{"actions", LevelRead})}}
	o := Evaluate(req, token.Inspection{Kind: token.FineGrained}, f, lpNow)
	pe, ok := findingOf(o, finding.PermissionExcess)
	if !ok || pe.Severity != finding.Warning || !slices.Equal(pe.About.Excess, []string{"pull_requests:write"}) || pe.About.Target != "o/r" ||
		!slices.Equal(o.Excess, []string{"pull_requests:write@o/r"}) {
		t.Errorf("%v %+v %v", ok, pe, o.Excess)
	}
	// At notice the probes are not asked for, and what facts hold is not read.
	req.Excess = finding.Notice
	if _, ok := findingOf(Evaluate(req, token.Inspection{Kind: token.FineGrained}, f, lpNow), finding.PermissionExcess); ok || req.ProbeExcess() {
		t.Error("permission-excess at notice")
	}
	// A public repository's read proves nothing: not excess.
	f.Repositories[0].Private = false
	req.Excess = finding.Warning
	f.ExcessPermissions = []PermissionFact{granted(Permission{"pull_requests", LevelRead})}
	f.ExcessPermissions[0].Probe.Expect.PublicRead = true
	if _, ok := findingOf(Evaluate(req, token.Inspection{Kind: token.FineGrained}, f, lpNow), finding.PermissionExcess); ok {
		t.Error("a public read counted as excess")
	}
}

func TestLifetime(t *testing.T) {
	t.Parallel()
	at := func(days int) Facts {
		f := classicFacts("repo")
		f.Expiry = Expiry{Known: true, At: lpNow.Add(time.Duration(days)*24*time.Hour + time.Hour)}
		return f
	}
	never := classicFacts("repo")
	never.Expiry = Expiry{Known: true, Never: true}
	tests := []struct {
		name    string
		f       Facts
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
		o := Evaluate(Requirements{MaxDaysLeft: tt.max, LifetimeEnforce: tt.enforce, MinDaysLeft: 1, WarnDaysLeft: 14}, token.Inspection{Kind: token.Classic}, tt.f, lpNow)
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
	f.Organizations = []Resource{{Name: "acme", Org: "acme", Access: AccessPolicy, PolicyKind: finding.PolicyLifetime, Message: words}}
	o := Evaluate(Requirements{MaxDaysLeft: 90, Organizations: []string{"acme"}}, token.Inspection{Kind: token.FineGrained}, f, lpNow)
	if lf, _ := findingOf(o, finding.TokenLifetimeTooLong); !strings.Contains(lf.Message, words) || lf.About.Policy != finding.PolicyLifetime {
		t.Errorf("policy not quoted: %s", lf.Message)
	}
}

func TestKindAdvice(t *testing.T) {
	t.Parallel()
	run := func(required ...string) (finding.Finding, bool) {
		o := Evaluate(Requirements{Scopes: required, KindAdvice: true}, token.Inspection{Kind: token.Classic}, classicFacts("repo", "workflow", "write:packages"), lpNow)
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
	if o := Evaluate(Requirements{Scopes: []string{"repo"}}, token.Inspection{Kind: token.Classic}, classicFacts("repo"), lpNow); len(o.Findings) > 0 {
		t.Errorf("kind advice without the policy: %v", o.Findings)
	}
}

func TestCommitted(t *testing.T) {
	t.Parallel()
	f := classicFacts("repo")
	f.Workspace = &WorkspaceScan{Files: 3, Bytes: 2e6, Matches: []WorkspaceMatch{{File: "a.yml", Line: 3}, {File: "b.sh", Line: 1, Encoded: true}}}
	o := Evaluate(Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
	var got []string
	for _, fd := range o.Findings {
		if fd.Code == finding.TokenCommitted && fd.Severity == finding.Error {
			got = append(got, fd.About.File)
		}
	}
	if !slices.Equal(got, []string{"a.yml", "b.sh"}) {
		t.Errorf("findings %v", got)
	}
	f.Workspace = &WorkspaceScan{Files: 3, Bytes: 5e6, Exceeded: "bytes", BudgetBytes: 5e6}
	o = Evaluate(Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
	row := o.Checks[slices.IndexFunc(o.Checks, func(c finding.Check) bool { return c.Name == "Workspace" })]
	if row.State != finding.Warn || !strings.Contains(row.Detail, "byte budget (5.0 MB)") {
		t.Errorf("%+v", row)
	}
}

// Every row of the scope table cites, for each fine-grained permission it
// names, an endpoint that GitHub's fine-grained permission data lists under
// that permission at that level; every known scope has a row.
func TestScopeTableHoldsToGitHubsData(t *testing.T) {
	t.Parallel()
	rows := map[string]bool{}
	paths := map[string]bool{}
	for _, e := range platformdata.GitHubEndpoints() {
		rows[e.Permission+" "+e.Access+" "+e.Method+" "+e.Path] = true
		paths[e.Path] = true
	}
	for _, s := range KnownScopes() {
		info, ok := LookupScope(s)
		if !ok || info.Allows == "" {
			t.Errorf("%s: no plain words", s)
			continue
		}
		if (len(info.FineGrained) == 0) == (info.NoEquivalent == "") {
			t.Errorf("%s: needs either fine-grained permissions or the reason it has none", s)
		}
		for _, p := range info.FineGrained {
			if _, ok := TargetOf(p.Name); !ok || p.Level == LevelNone {
				t.Errorf("%s: %s is not a permission pat-check knows", s, p)
			}
			found := false
			for _, e := range info.Evidence {
				name, rest, _ := strings.Cut(e, " ")
				if name != p.Name || !strings.HasPrefix(rest, p.Level.String()+" ") {
					continue
				}
				found = true
				if !rows[e] {
					t.Errorf("%s: the evidence %q is not in GitHub's data", s, e)
				}
			}
			if !found {
				t.Errorf("%s: no evidence for %s", s, p)
			}
		}
	}
	// The notifications row's reason is the data itself.
	for p := range paths {
		if strings.HasPrefix(p, "/notifications") {
			t.Errorf("GitHub's data lpNow gates %s: revisit the notifications row", p)
		}
	}
}

// A search that did not look everywhere (a budget, the timeout, unreadable
// entries) is a warning finding, so the run cannot end in a clean pass;
// special files are said, not counted against it.
func TestAnIncompleteSearchIsAWarning(t *testing.T) {
	t.Parallel()
	for _, w := range []WorkspaceScan{
		{Files: 3, Bytes: 5e6, Exceeded: "bytes", BudgetBytes: 5e6},
		{Files: 3, Bytes: 5e6, Exceeded: "time", BudgetTime: 10 * time.Second},
		{Files: 3, Bytes: 5e6, Unreadable: 2},
	} {
		f := classicFacts("repo")
		f.Workspace = &w
		o := Evaluate(Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
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
	f.Workspace = &WorkspaceScan{Files: 3, Bytes: 5e6, Special: 1}
	o := Evaluate(Requirements{}, token.Inspection{Kind: token.Classic}, f, lpNow)
	row := o.Checks[slices.IndexFunc(o.Checks, func(c finding.Check) bool { return c.Name == "Workspace" })]
	if row.State != finding.Pass || !strings.Contains(row.Detail, "1 special file (device, FIFO, socket) passed over unopened") {
		t.Errorf("%+v", row)
	}
}
