package check

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// Equivalent mutant, which no test can tell apart: rule_expiry.go:53,
// absDuration's `d < 0` read as `d <= 0`, gives the same for d == 0 (minus
// zero is zero).

func TestWords(t *testing.T) {
	t.Parallel()
	got := []string{QuoteAnswer(""), QuoteAnswer("Bad credentials"), Plural(1, "day"), Plural(-1, "day"), Plural(0, "day"), Plural(-2, "day"),
		LoginOr(""), LoginOr("octocat"), NounFor(1, "a scope", "scopes"), NounFor(2, "a scope", "scopes"), OrNone(nil), OrNone([]string{"a", "b"})}
	want := []string{"", ` ("Bad credentials")`, "1 day", "-1 day", "0 days", "-2 days",
		"behind the token", "octocat", "a scope", "scopes", "none", "a, b"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The acceptance row says who the token acts as, or what an installation
// token reaches.
func TestAcceptanceRow(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		f    Facts
		want string
	}{
		{Facts{Kind: token.Classic, Login: "octocat"}, "acts as octocat"},
		{Facts{Kind: token.AppInstallation, InstallationRepositoryCount: 1}, "installation token; reaches 1 repository"},
		{Facts{Kind: token.AppInstallation, InstallationRepositoryCount: 3}, "installation token; reaches 3 repositories"},
		{Facts{Kind: token.FineGrained}, "accepted"},
	} {
		tt.f.Checked, tt.f.Accepted = true, true
		o := Evaluate(noIssuer{}, Requirements{}, token.Inspection{Kind: tt.f.Kind}, tt.f, ruleNow)
		if got := row(o, "Accepted by the API").Detail; got != tt.want {
			t.Errorf("%s: %q, want %q", tt.f.Kind, got, tt.want)
		}
		if r := row(o, "Format"); r.State != finding.Pass || r.Detail != DescribeKind(tt.f.Kind) {
			t.Errorf("a well-formed token's format row: %+v", r)
		}
	}
}

// An API that says the token has expired gets token-expired, in the
// issuer's words (check names no platform), and a failing acceptance row.
func TestExpiredInTheIssuersWords(t *testing.T) {
	t.Parallel()
	f := Facts{Kind: token.AzureDevOps, Checked: true, Expired: true}
	o := Evaluate(noIssuer{}, Requirements{}, token.Inspection{Kind: f.Kind}, f, ruleNow)
	var got []string
	for _, x := range o.Findings {
		got = append(got, string(x.Code)+": "+x.Message)
	}
	if diff := cmp.Diff([]string{"token-expired: rejected"}, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if r := row(o, "Accepted by the API"); r.State != finding.Fail || r.Detail != "401" {
		t.Errorf("acceptance row: %+v", r)
	}
}

// The expiry's source is the API's header unless the facts name another.
func TestExpirySource(t *testing.T) {
	t.Parallel()
	f := accepted(days(40))
	if o := Evaluate(noIssuer{}, Requirements{}, token.Inspection{Kind: token.Classic}, f, ruleNow); o.ExpirySource != "api" {
		t.Errorf("source %q, want api", o.ExpirySource)
	}
	f.Expiry.Source = "token-list"
	if o := Evaluate(noIssuer{}, Requirements{}, token.Inspection{Kind: token.Classic}, f, ruleNow); o.ExpirySource != "token-list" {
		t.Errorf("source %q, want token-list", o.ExpirySource)
	}
}

// A workspace with no binary file says nothing of skipped files, and a
// reachable repository says whether it is private.
func TestWorkspaceAndRepositoryRows(t *testing.T) {
	t.Parallel()
	f := accepted(days(40))
	f.Workspace = &WorkspaceScan{Files: 3}
	f.Repositories = []Resource{{Name: "o/secret", Access: AccessOK, Private: true}, {Name: "o/open", Access: AccessOK}}
	f.Organizations = []Resource{{Name: "o", Access: AccessOK, Private: true}}
	o := Evaluate(noIssuer{}, Requirements{}, token.Inspection{Kind: token.Classic}, f, ruleNow)
	if d := row(o, "Workspace").Detail; strings.Contains(d, "skipped") {
		t.Errorf("workspace row: %q", d)
	}
	got := []string{row(o, "Repository o/secret").Detail, row(o, "Repository o/open").Detail, row(o, "Organization o").Detail}
	if diff := cmp.Diff([]string{"reachable (private)", "reachable", "reachable"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// The lifetime policy an organization reported is quoted, with the
// repository's owner when the refusal named no organization.
func TestLifetimePolicyOwner(t *testing.T) {
	t.Parallel()
	f := accepted(days(200))
	f.Repositories = []Resource{{Name: "acme/app", Access: AccessPolicy, PolicyKind: finding.PolicyLifetime, Message: "at most 90 days"}}
	o := Evaluate(noIssuer{}, Requirements{MaxDaysLeft: 90}, token.Inspection{Kind: token.FineGrained}, f, ruleNow)
	for _, fd := range o.Findings {
		if fd.Code == finding.TokenLifetimeTooLong && (fd.About.Organization != "acme" || !strings.Contains(fd.Message, `the organization acme enforces a limit of its own: "at most 90 days"`)) {
			t.Errorf("%+v", fd)
		}
	}
}

// A permission probe refused by an organization's lifetime policy quotes
// that policy, with the repository's owner; a refusal by another policy,
// or one without words, quotes nothing.
func TestLifetimePolicyFromVerdict(t *testing.T) {
	t.Parallel()
	refused := func(kind finding.Policy, words string) PermissionVerdict {
		return PermissionVerdict{Permission: Permission{Name: "contents", Level: LevelRead}, Target: "acme/app", State: PermMissing, Policy: words, PolicyKind: kind}
	}
	for _, tt := range []struct {
		name    string
		verdict PermissionVerdict
		want    finding.About
	}{
		{"lifetime", refused(finding.PolicyLifetime, "at most 30 days"), finding.About{Organization: "acme", PolicyMessage: "at most 30 days", Policy: finding.PolicyLifetime}},
		{"another policy", refused(finding.PolicyOther, "no classic tokens"), finding.About{}},
		{"lifetime without words", refused(finding.PolicyLifetime, ""), finding.About{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := accepted(days(200))
			f.Kind = token.FineGrained
			o := Evaluate(verdictIssuer{verdicts: []PermissionVerdict{tt.verdict}}, Requirements{MaxDaysLeft: 90}, token.Inspection{Kind: token.FineGrained}, f, ruleNow)
			var got *finding.Finding
			for i := range o.Findings {
				if o.Findings[i].Code == finding.TokenLifetimeTooLong {
					got = &o.Findings[i]
				}
			}
			if got == nil {
				t.Fatalf("no %s finding: %v", finding.TokenLifetimeTooLong, codes(o))
			}
			about := finding.About{Organization: got.About.Organization, PolicyMessage: got.About.PolicyMessage, Policy: got.About.Policy}
			if diff := cmp.Diff(tt.want, about); diff != "" {
				t.Errorf("about (-want +got):\n%s", diff)
			}
			quoted := `; the organization acme enforces a limit of its own: "at most 30 days"`
			if tt.want.Organization != "" && !strings.Contains(got.Message, quoted) || tt.want.Organization == "" && strings.Contains(got.Message, "enforces a limit") {
				t.Errorf("message: %q", got.Message)
			}
		})
	}
}

// Excess permissions: a probe that failed leaves the row unknown, none a
// pass, and no repository to probe on leaves it skipped.
func TestPermissionExcessRows(t *testing.T) {
	t.Parallel()
	req := Requirements{Repositories: []string{"o/r"}, Excess: finding.Warning}
	f := accepted(days(40))
	f.Kind = token.FineGrained
	p := Permission{Name: "issues", Level: LevelWrite}
	for _, tt := range []struct {
		verdicts []PermissionVerdict
		state    finding.State
	}{
		{nil, finding.Pass},
		{[]PermissionVerdict{{Permission: p, Target: "o/r", State: PermFailed}}, finding.Unknown},
		{[]PermissionVerdict{{Permission: p, Target: "o/r", State: PermGranted}}, finding.Warn},
	} {
		o := Evaluate(verdictIssuer{verdicts: tt.verdicts}, req, token.Inspection{Kind: token.FineGrained}, f, ruleNow)
		if r := row(o, "Least privilege"); r.State != tt.state {
			t.Errorf("%v: %+v, want %v", tt.verdicts, r, tt.state)
		}
	}
	// An installation token is probed as a fine-grained one is.
	f.Kind = token.AppInstallation
	granted := []PermissionVerdict{{Permission: p, Target: "o/r", State: PermGranted}}
	if r := row(Evaluate(verdictIssuer{verdicts: granted}, req, token.Inspection{Kind: token.AppInstallation}, f, ruleNow), "Least privilege"); r.State != finding.Warn {
		t.Errorf("installation token: %+v", r)
	}
	// Without a repository there is nothing to probe on: the row says which
	// option names one.
	req.Repositories = nil
	want := finding.Check{Name: "Least privilege", State: finding.Skipped, Detail: "not probed: name a repository in repositories to look for permissions the job does not need"}
	if diff := cmp.Diff(want, row(Evaluate(verdictIssuer{verdicts: granted}, req, token.Inspection{Kind: token.AppInstallation}, f, ruleNow), "Least privilege")); diff != "" {
		t.Errorf("no repository (-want +got):\n%s", diff)
	}
}

// The permissions rule's messages: GitHub's accepted permissions quoted,
// one reason without its label, a write that cannot be proven said first.
func TestPermissionMessages(t *testing.T) {
	t.Parallel()
	read := Permission{Name: "contents", Level: LevelRead}
	write := Permission{Name: "issues", Level: LevelWrite}
	eval := func(vs ...PermissionVerdict) []string {
		o := Evaluate(verdictIssuer{verdicts: vs}, Requirements{Permissions: []Permission{read, write}}, token.Inspection{Kind: token.FineGrained}, accepted(days(40)), ruleNow)
		var out []string
		for _, f := range o.Findings {
			out = append(out, f.Message)
		}
		return out
	}
	got := eval(PermissionVerdict{Permission: read, Target: "o/r", State: PermMissing})
	if len(got) != 1 || strings.Contains(got[0], "GitHub answered 403") {
		t.Errorf("no accepted permissions: %q", got)
	}
	got = eval(PermissionVerdict{Permission: read, Target: "o/r", State: PermUnverified, Reason: "no probe"})
	if len(got) != 1 || !strings.HasSuffix(got[0], "on o/r: no probe") || strings.HasPrefix(got[0], "the job may still fail") {
		t.Errorf("one unverified read: %q", got)
	}
	got = eval(PermissionVerdict{Permission: read, Target: "o/r", State: PermUnverified, Reason: "r1"}, PermissionVerdict{Permission: write, Target: "o/r", State: PermUnverified, Reason: "r2"})
	if len(got) != 1 || !strings.Contains(got[0], "contents:read: r1; issues:write: r2") || !strings.HasPrefix(got[0], "the job may still fail at the step that writes: issues:write on o/r") {
		t.Errorf("two unverified: %q", got)
	}
}

// Unmet keeps the order of the requirements and names each once.
func TestUnmet(t *testing.T) {
	t.Parallel()
	got := Unmet([]string{"repo", "read:org"}, []string{"workflow", "repo", "gist", "workflow", "read:org"})
	if diff := cmp.Diff([]string{"workflow", "gist"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := Unmet([]string{"repo"}, []string{"repo"}); got != nil {
		t.Errorf("all held: %q", got)
	}
}
