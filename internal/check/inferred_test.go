package check_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
	"github.com/pat-check/pat-check/internal/token"
)

// inferIssuer is a platform whose scopes rule records the given missing
// and unverified scopes and whose permission probes led to the given
// verdicts; it adds nothing else.
type inferIssuer struct {
	missing, unverified []string
	verdicts            []check.PermissionVerdict
}

func (inferIssuer) Rejected(check.Facts) (string, string) { return "rejected", "401" }
func (i inferIssuer) EvalScopes(o *check.Outcome, _ check.Requirements, _ check.Facts) {
	if len(i.missing) > 0 {
		o.ScopesMissing(i.missing)
	}
	if len(i.unverified) > 0 {
		o.ScopesUnverified(i.unverified)
	}
}
func (inferIssuer) EvalScopeExcess(*check.Outcome, check.Requirements, check.Facts) {}
func (inferIssuer) EvalKindAdvice(*check.Outcome, check.Requirements, check.Facts)  {}
func (i inferIssuer) PermissionVerdicts(check.Facts) []check.PermissionVerdict      { return i.verdicts }
func (inferIssuer) NotFoundCauses(check.Facts) string                               { return "causes" }

var inferNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func inferFacts(kind token.Kind, scopes ...string) check.Facts {
	return check.Facts{Kind: kind, Checked: true, Accepted: true, Login: "octocat", ScopesKnown: kind == token.Classic || kind == token.AzureDevOps,
		Scopes: scopes, Expiry: check.Expiry{Known: true, At: inferNow.Add(60 * 24 * time.Hour)}}
}

// probed is an Azure DevOps token whose scopes are not told, with the
// answers of its read probes.
func probed(probes ...check.ScopeFact) check.Facts {
	f := inferFacts(token.AzureDevOps)
	f.ScopesKnown, f.ScopeProbes = false, probes
	return f
}

var (
	contentsWrite = check.Permission{Name: "contents", Level: check.LevelWrite}
	contentsRead  = check.Permission{Name: "contents", Level: check.LevelRead}
	issuesWrite   = check.Permission{Name: "issues", Level: check.LevelWrite}
)

// inferredScopes is what infer read for a job that pushes (repo) and
// reads its organization (read:org).
func inferredScopes() *check.Inference {
	repo, org := check.Required{Scope: "repo"}, check.Required{Scope: "read:org"}
	return &check.Inference{File: "bump.yml", Job: "bump", Token: "BOT_PAT", Required: []check.Required{repo, org},
		Steps: []check.InferredStep{
			{Required: repo, Step: "Push", File: "bump.yml", Line: 12, Rule: "git push"},
			{Required: org, Step: "Teams", File: "bump.yml", Line: 20, Rule: "gh api orgs/{org}/teams"},
			{Required: repo, Step: "Tag", File: "bump.yml", Line: 30, Rule: "git push"},
		}}
}

// inferredPermissions is what infer read for a job that pushes
// (contents:write) and comments (issues:write).
func inferredPermissions() *check.Inference {
	contents, issues := check.Required{Permission: contentsWrite}, check.Required{Permission: issuesWrite}
	return &check.Inference{File: "bump.yml", Token: "BOT_PAT", Required: []check.Required{contents, issues},
		Steps: []check.InferredStep{
			{Required: contents, Step: "Push", File: "bump.yml", Line: 12, Rule: "git push"},
			{Required: issues, Step: "Comment", File: "bump.yml", Line: 18, Rule: "gh issue comment"},
		}}
}

// inferredRows are the rows of the inferred requirements, as name: state.
func inferredRows(o check.Outcome) []string {
	var out []string
	for _, c := range o.Checks {
		if len(c.Name) > len("Inferred: ") && c.Name[:len("Inferred: ")] == "Inferred: " {
			out = append(out, c.Name+": "+string(c.State))
		}
	}
	return out
}

// Each inferred requirement's row says what the rules concluded about it,
// and about it alone: failing when the token lacks it, warning when it
// could not be verified, skipped when the API did not accept the token
// (or was not asked), passing otherwise. A permission at another level or
// on its own is another requirement. Equivalent reorderings, which no test
// can tell apart: inferred.go:99-104, verdicts.state's `!accepted` case
// moved before `missing`, or after `unverified`: Evaluate runs no rule for
// a token the API did not accept, so no requirement of it is ever missing
// or unverified.
func TestInferredRowStates(t *testing.T) {
	t.Parallel()
	at := func(p check.Permission, s check.PermissionState) check.PermissionVerdict {
		return check.PermissionVerdict{Permission: p, Target: "octo/app", State: s, Reason: "cannot be proven without writing"}
	}
	rejected := inferFacts(token.Classic)
	rejected.Accepted, rejected.Invalid = false, true
	tests := []struct {
		name  string
		iss   check.Issuer
		in    *check.Inference
		perms []check.Permission
		facts check.Facts
		want  []string
	}{
		{name: "scopes granted", iss: inferIssuer{}, in: inferredScopes(), facts: inferFacts(token.Classic),
			want: []string{"Inferred: repo: pass", "Inferred: read:org: pass"}},
		{name: "scope missing", iss: inferIssuer{missing: []string{"read:org"}}, in: inferredScopes(), facts: inferFacts(token.Classic),
			want: []string{"Inferred: repo: pass", "Inferred: read:org: fail"}},
		{name: "scope unverified", iss: inferIssuer{unverified: []string{"repo"}}, in: inferredScopes(), facts: inferFacts(token.Classic),
			want: []string{"Inferred: repo: warn", "Inferred: read:org: pass"}},
		{name: "missing wins over unverified", iss: inferIssuer{missing: []string{"repo"}, unverified: []string{"repo", "read:org"}}, in: inferredScopes(), facts: inferFacts(token.Classic),
			want: []string{"Inferred: repo: fail", "Inferred: read:org: warn"}},
		{name: "token refused", iss: inferIssuer{}, in: inferredScopes(), facts: rejected,
			want: []string{"Inferred: repo: skipped", "Inferred: read:org: skipped"}},
		{name: "not asked", iss: inferIssuer{}, in: inferredScopes(), facts: check.Facts{Kind: token.Classic},
			want: []string{"Inferred: repo: skipped", "Inferred: read:org: skipped"}},
		{name: "permissions granted", iss: inferIssuer{verdicts: []check.PermissionVerdict{at(contentsWrite, check.PermGranted), at(issuesWrite, check.PermGranted)}},
			in: inferredPermissions(), perms: []check.Permission{contentsWrite, issuesWrite}, facts: inferFacts(token.FineGrained),
			want: []string{"Inferred: contents:write: pass", "Inferred: issues:write: pass"}},
		{name: "permission missing", iss: inferIssuer{verdicts: []check.PermissionVerdict{at(contentsWrite, check.PermGranted), at(issuesWrite, check.PermMissing)}},
			in: inferredPermissions(), perms: []check.Permission{contentsWrite, issuesWrite}, facts: inferFacts(token.FineGrained),
			want: []string{"Inferred: contents:write: pass", "Inferred: issues:write: fail"}},
		{name: "permission unverified", iss: inferIssuer{verdicts: []check.PermissionVerdict{at(contentsWrite, check.PermUnverified), at(issuesWrite, check.PermGranted)}},
			in: inferredPermissions(), perms: []check.Permission{contentsWrite, issuesWrite}, facts: inferFacts(token.FineGrained),
			want: []string{"Inferred: contents:write: warn", "Inferred: issues:write: pass"}},
		{name: "another level is another permission", iss: inferIssuer{verdicts: []check.PermissionVerdict{at(contentsRead, check.PermMissing), at(issuesWrite, check.PermGranted)}},
			in: inferredPermissions(), perms: []check.Permission{contentsRead, issuesWrite}, facts: inferFacts(token.FineGrained),
			want: []string{"Inferred: contents:write: pass", "Inferred: issues:write: pass"}},
		{name: "permissions of a refused token", iss: inferIssuer{}, in: inferredPermissions(), perms: []check.Permission{contentsWrite, issuesWrite}, facts: rejected,
			want: []string{"Inferred: contents:write: skipped", "Inferred: issues:write: skipped"}},
		// The platforms' own scopes rules record what they conclude.
		{name: "GitHub: a classic token without the scope", iss: ghplatform.Issuer{}, in: inferredScopes(), facts: inferFacts(token.Classic, "repo"),
			want: []string{"Inferred: repo: pass", "Inferred: read:org: fail"}},
		{name: "GitHub: a token without scopes", iss: ghplatform.Issuer{}, in: inferredScopes(), facts: inferFacts(token.FineGrained),
			want: []string{"Inferred: repo: warn", "Inferred: read:org: warn"}},
		{name: "Azure DevOps: a token without the scope", iss: azplatform.Issuer{}, in: &check.Inference{File: "ci.yml", Token: "ADO_PAT",
			Required: []check.Required{{Scope: "vso.code_write"}, {Scope: "vso.build"}}}, facts: inferFacts(token.AzureDevOps, "vso.build"),
			want: []string{"Inferred: vso.code_write: fail", "Inferred: vso.build: pass"}},
		{name: "Azure DevOps: scopes proved by probes", iss: azplatform.Issuer{}, in: &check.Inference{File: "ci.yml", Token: "ADO_PAT",
			Required: []check.Required{{Scope: "vso.code"}, {Scope: "vso.build"}, {Scope: "vso.work"}}}, facts: probed(
			check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 200}},
			check.ScopeFact{Scope: "vso.build", Probed: true, Answer: check.AzureAnswer{Status: 401}},
			check.ScopeFact{Scope: "vso.work", NoProbe: "no-request"}),
			want: []string{"Inferred: vso.code: pass", "Inferred: vso.build: fail", "Inferred: vso.work: warn"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := check.Requirements{Inferred: tt.in, Permissions: tt.perms}
			for _, q := range tt.in.Required {
				if q.Scope != "" {
					req.Scopes = append(req.Scopes, q.Scope)
				}
			}
			o := check.Evaluate(tt.iss, req, token.Inspection{Kind: tt.facts.Kind}, tt.facts, inferNow)
			if diff := cmp.Diff(tt.want, inferredRows(o)); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
			// The rows come first in the table, in the order inferred.
			for i := range tt.want {
				if i >= len(o.Checks) || o.Checks[i].Name != "Inferred: "+tt.in.Required[i].String() {
					t.Fatalf("the inferred rows are not first: %+v", o.Checks)
				}
			}
		})
	}
}

// What infer read is told in notices: the steps that need each
// requirement (file:line and the rule), the steps whose needs are
// unknown, or why nothing could be read; the rows name the steps too.
func TestInferredNotices(t *testing.T) {
	t.Parallel()
	in := inferredScopes()
	in.Unknowns = []check.UnknownStep{{Step: "Mystery", File: "bump.yml", Line: 40, Why: "an action pat-check does not know"}}
	o := check.Evaluate(inferIssuer{}, check.Requirements{Scopes: []string{"repo", "read:org"}, Inferred: in}, token.Inspection{Kind: token.Classic}, inferFacts(token.Classic), inferNow)
	var notices []finding.Finding
	for _, f := range o.Findings {
		if f.Code == finding.RequirementsInferred || f.Code == finding.RequirementUnknown {
			notices = append(notices, f)
		}
	}
	want := []finding.Finding{
		{Code: finding.RequirementsInferred, Severity: finding.Notice,
			Message: `infer read bump.yml, job bump: the steps using BOT_PAT need repo ("Push" at bump.yml:12 (git push); "Tag" at bump.yml:30 (git push)), read:org ("Teams" at bump.yml:20 (gh api orgs/{org}/teams))`},
		{Code: finding.RequirementUnknown, Severity: finding.Notice,
			Message: `the needs of 1 step(s) using BOT_PAT cannot be known from the file, so they are not required: "Mystery" at bump.yml:40: an action pat-check does not know; give scopes or permissions to check them`},
	}
	if diff := cmp.Diff(want, notices); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	if got := o.Checks[0].Detail; got != `needed by "Push" at bump.yml:12 (git push); "Tag" at bump.yml:30 (git push)` {
		t.Errorf("row detail: %q", got)
	}
	if diff := cmp.Diff(in.Steps, o.Inferred); diff != "" {
		t.Errorf("inferred steps (-want +got):\n%s", diff)
	}

	none := check.Evaluate(inferIssuer{}, check.Requirements{Inferred: &check.Inference{File: "ci.yml", Token: "PAT"}}, token.Inspection{Kind: token.Classic}, inferFacts(token.Classic), inferNow)
	if got := none.Findings[len(none.Findings)-1]; got.Code != finding.RequirementsInferred ||
		got.Message != "infer read ci.yml: no other step using PAT needs a scope or permission pat-check knows, so none is required" {
		t.Errorf("nothing needed: %+v", got)
	}

	release := check.Evaluate(inferIssuer{}, check.Requirements{Inferred: &check.Inference{None: "nothing to read in a classic release job"}}, token.Inspection{Kind: token.Classic}, inferFacts(token.Classic), inferNow)
	if diff := cmp.Diff([]finding.Finding{{Code: finding.RequirementUnknown, Severity: finding.Notice, Message: "nothing to read in a classic release job"}}, release.Findings); diff != "" {
		t.Errorf("nothing read (-want +got):\n%s", diff)
	}
	if len(inferredRows(release)) > 0 || release.Inferred != nil {
		t.Errorf("nothing read, yet rows %v and steps %v", inferredRows(release), release.Inferred)
	}

	given := check.Evaluate(inferIssuer{}, check.Requirements{Scopes: []string{"repo"}}, token.Inspection{Kind: token.Classic}, inferFacts(token.Classic), inferNow)
	if len(given.Findings) > 0 || len(inferredRows(given)) > 0 {
		t.Errorf("requirements given, not inferred: %+v %+v", given.Findings, given.Checks)
	}
}
