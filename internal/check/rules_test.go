package check

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// verdictIssuer is a platform whose permission probes led to the given
// verdicts; it adds nothing else of its own.
type verdictIssuer struct {
	noIssuer
	verdicts []PermissionVerdict
}

func (v verdictIssuer) PermissionVerdicts(Facts) []PermissionVerdict { return v.verdicts }

var ruleNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// accepted is the facts of a token the API accepted, with its expiry in
// days (never when nil).
func accepted(days *int) Facts {
	f := Facts{Kind: token.Classic, Checked: true, Accepted: true, Login: "octocat"}
	if days == nil {
		f.Expiry = Expiry{Known: true, Never: true}
	} else {
		f.Expiry = Expiry{Known: true, At: ruleNow.Add(time.Duration(*days)*24*time.Hour + time.Hour)}
	}
	return f
}

func days(n int) *int { return &n }

// row is the table's row of that name, or a zero row.
func row(o Outcome, name string) finding.Check {
	for _, c := range o.Checks {
		if c.Name == name {
			return c
		}
	}
	return finding.Check{}
}

func codes(o Outcome) []string {
	var out []string
	for _, f := range o.Findings {
		out = append(out, string(f.Code)+":"+string(f.Severity))
	}
	return out
}

// The expiry rule at its edges: min-days-left and warn-days-left count
// whole days, a day short of either is below it, and require-expiration
// weighs a token without one.
func TestExpiryEdges(t *testing.T) {
	t.Parallel()
	req := Requirements{MinDaysLeft: 3, WarnDaysLeft: 10}
	for _, tt := range []struct {
		name  string
		req   Requirements
		f     Facts
		codes []string
		state finding.State
	}{
		{"exactly min-days-left", req, accepted(days(3)), []string{"token-expiry-warning:warning"}, finding.Warn},
		{"a day short of min-days-left", req, accepted(days(2)), []string{"token-expiring:error"}, finding.Fail},
		{"exactly warn-days-left", req, accepted(days(10)), nil, finding.Pass},
		{"a day short of warn-days-left", req, accepted(days(9)), []string{"token-expiry-warning:warning"}, finding.Warn},
		{"never, allowed", req, accepted(nil), []string{"token-no-expiration:warning"}, finding.Warn},
		{"never, required", Requirements{RequireExpiration: true}, accepted(nil), []string{"token-no-expiration:error"}, finding.Fail},
		{"unknown", req, Facts{Kind: token.FineGrained, Checked: true, Accepted: true}, []string{"token-expiry-unknown:notice"}, finding.Unknown},
		{"unknown, required", Requirements{RequireExpiration: true}, Facts{Kind: token.FineGrained, Checked: true, Accepted: true, Expiry: Expiry{Note: "no header"}},
			[]string{"token-expiry-unknown:warning"}, finding.Warn},
	} {
		o := Evaluate(noIssuer{}, tt.req, token.Inspection{Kind: tt.f.Kind}, tt.f, ruleNow)
		if diff := cmp.Diff(tt.codes, codes(o)); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", tt.name, diff)
		}
		if got := row(o, "Expiry").State; got != tt.state {
			t.Errorf("%s: Expiry row %v, want %v", tt.name, got, tt.state)
		}
	}
	o := Evaluate(noIssuer{}, Requirements{RequireExpiration: true}, token.Inspection{Kind: token.FineGrained},
		Facts{Kind: token.FineGrained, Checked: true, Accepted: true, Expiry: Expiry{Note: "no header"}}, ruleNow)
	if !strings.HasSuffix(o.Findings[0].Message, ": no header") || !strings.Contains(o.Findings[0].Message, "fine-grained personal access token") {
		t.Errorf("the unknown expiry does not say why: %q", o.Findings[0].Message)
	}
}

// The lifetime rule: a token within max-days-left passes, one beyond it is
// a warning (an error when enforced), and so is one that never expires.
func TestLifetimeEdges(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name  string
		req   Requirements
		f     Facts
		state finding.State
	}{
		{"exactly max-days-left", Requirements{MaxDaysLeft: 30}, accepted(days(30)), finding.Pass},
		{"a day beyond", Requirements{MaxDaysLeft: 30}, accepted(days(31)), finding.Warn},
		{"a day beyond, enforced", Requirements{MaxDaysLeft: 30, LifetimeEnforce: true}, accepted(days(31)), finding.Fail},
		{"never expires", Requirements{MaxDaysLeft: 30}, accepted(nil), finding.Warn},
	} {
		o := Evaluate(noIssuer{}, tt.req, token.Inspection{Kind: token.Classic}, tt.f, ruleNow)
		if got := row(o, "Lifetime").State; got != tt.state {
			t.Errorf("%s: Lifetime row %v, want %v (%+v)", tt.name, got, tt.state, o.Checks)
		}
	}
}

// The committed rule: one finding, every match up to the bound, encoded forms named as
// such, the budgets said, and an unsearched workspace unknown.
func TestCommittedEdges(t *testing.T) {
	t.Parallel()
	eval := func(w WorkspaceScan) Outcome {
		f := Facts{Kind: token.Classic, Workspace: &w}
		return Evaluate(noIssuer{}, Requirements{}, token.Inspection{Kind: token.Classic}, f, ruleNow)
	}
	var many []WorkspaceMatch
	for i := range maxCommittedPlaces + 3 {
		many = append(many, WorkspaceMatch{File: "f.txt", Line: i + 1, Encoded: i == 0})
	}
	o := eval(WorkspaceScan{Files: 2, Bytes: 3 << 20, Matches: many})
	if len(o.Findings) != 1 || len(o.Findings[0].About.Places) != maxCommittedPlaces ||
		!strings.Contains(o.Findings[0].Message, "in 23 places: f.txt:1 (encoded: base64 or URL-escaped), f.txt:2, ") ||
		!strings.Contains(o.Findings[0].Message, "f.txt:20, and 3 more;") || strings.Contains(o.Findings[0].Message, "f.txt:2 (encoded") {
		t.Errorf("%d findings: %v", len(o.Findings), o.Findings)
	}
	if r := row(o, "Workspace"); r.State != finding.Fail || !strings.Contains(r.Detail, "23 places") || !strings.Contains(r.Detail, "2 files, 3.1 MB") {
		t.Errorf("row %+v", r)
	}
	for _, tt := range []struct {
		w      WorkspaceScan
		state  finding.State
		detail string
	}{
		{WorkspaceScan{Files: 1, Skipped: 2}, finding.Pass, "1 file, 0.0 MB (2 files skipped as binary): the token is in none"},
		{WorkspaceScan{Files: 5, Exceeded: "bytes", BudgetBytes: 1 << 20}, finding.Warn, "stopped at the byte budget (1.0 MB)"},
		{WorkspaceScan{Files: 5, Exceeded: "time", BudgetTime: time.Second}, finding.Warn, "stopped at the time budget (1s)"},
		{WorkspaceScan{Files: 5, Unreadable: 1}, finding.Warn, "; 1 entry (file or folder) could not be read and was not searched"},
		{WorkspaceScan{Error: "no such directory"}, finding.Unknown, "not searched: no such directory"},
	} {
		if r := row(eval(tt.w), "Workspace"); r.State != tt.state || !strings.Contains(r.Detail, tt.detail) {
			t.Errorf("%+v: row %+v, want %v with %q", tt.w, r, tt.state, tt.detail)
		}
	}
	if got := codes(eval(WorkspaceScan{Files: 4, Bytes: 1 << 10})); len(got) != 0 {
		t.Errorf("a workspace without the token: findings %q, want none", got)
	}
}

// The format rule: a refresh token's problem is said to be one (its fix
// exchanges it), another kind's is not; a kind that token-types does not
// allow is named, or said to be unrecognisable.
func TestOfflineEdges(t *testing.T) {
	t.Parallel()
	bad := []token.Problem{{Code: finding.TokenMalformed, Message: "bad"}}
	for kind, refresh := range map[token.Kind]bool{token.Refresh: true, token.Classic: false, token.Unknown: false} {
		o := Evaluate(noIssuer{}, Requirements{}, token.Inspection{Kind: kind, Problems: bad}, Facts{Kind: kind}, ruleNow)
		if len(o.Findings) != 1 || o.Findings[0].Code != finding.TokenMalformed || o.Findings[0].About.RefreshToken != refresh {
			t.Errorf("%s: findings %+v, want one %s with RefreshToken %v", kind, o.Findings, finding.TokenMalformed, refresh)
		}
	}
	req := Requirements{TokenTypes: []token.Kind{token.FineGrained, token.Classic}}
	for kind, want := range map[token.Kind]string{
		token.OAuth:   "the token is an OAuth app token, and token-types allows only fine-grained, classic",
		token.Unknown: "the token's kind cannot be recognised from its format, and token-types allows only fine-grained, classic",
	} {
		o := Evaluate(noIssuer{}, req, token.Inspection{Kind: kind}, Facts{Kind: kind}, ruleNow)
		if len(o.Findings) != 1 || o.Findings[0].Code != finding.TokenTypeDisallowed || o.Findings[0].Message != want {
			t.Errorf("%s: findings %+v, want %q", kind, o.Findings, want)
		}
	}
}

// The resources rule names the organization that refused, from the
// repository's owner when the answer named none.
func TestResourceRefusals(t *testing.T) {
	t.Parallel()
	f := accepted(days(60))
	f.Repositories = []Resource{
		{Name: "acme/app", Access: AccessSSO, SSOURL: "https://github.com/orgs/acme/sso"},
		{Name: "corp/app", Access: AccessPolicy, Message: "forbids classic tokens", PolicyKind: finding.PolicyNoClassic},
		{Name: "o/gone", Access: AccessForbidden, Message: "Resource not accessible", AcceptedPermissions: "contents=read"},
		{Name: "o/flaky", Access: AccessFailed, Problem: &APIProblem{What: "GET /repos/o/flaky", Message: "503"}},
		{Name: "o/later", Access: AccessUnknown},
	}
	f.Organizations = []Resource{{Name: "hidden", Access: AccessForbidden, Message: "Must be a member"}}
	o := Evaluate(noIssuer{}, Requirements{WarnOnAPIError: true}, token.Inspection{Kind: token.Classic}, f, ruleNow)
	about := map[finding.Code]string{}
	for _, fd := range o.Findings {
		about[fd.Code] = fd.About.Organization + fd.About.Repository + " " + fd.Message
	}
	want := map[finding.Code]string{
		finding.SSOAuthorizationRequired: "acme",
		finding.OrganizationPolicy:       `corp the organization corp refuses this token: "forbids classic tokens"`,
		finding.RepositoryInaccessible:   "o/gone",
		finding.APIError:                 "GET /repos/o/flaky failed: 503",
		finding.OrganizationInaccessible: `hidden the organization hidden refused the token: "Must be a member"`,
	}
	for code, w := range want {
		if !strings.Contains(about[code], w) {
			t.Errorf("%s: %q, want %q", code, about[code], w)
		}
	}
	if !strings.Contains(about[finding.RepositoryInaccessible], "GitHub says the request needs contents=read") {
		t.Errorf("the 403 does not quote what the request needs: %q", about[finding.RepositoryInaccessible])
	}
	for _, fd := range o.Findings {
		if fd.Code == finding.APIError && fd.Severity != finding.Warning {
			t.Errorf("on-api-error warn: %s is %s", fd.Code, fd.Severity)
		}
	}
	if r := row(o, "Repository o/later"); r.State != finding.Skipped {
		t.Errorf("an unasked repository: %+v", r)
	}
	if r := row(o, "Repository o/flaky"); r.State != finding.Unknown {
		t.Errorf("an unanswered repository: %+v", r)
	}
}

// The permissions rule: an organization's refusal of a probe on a
// reachable target is a finding of its own, SSO or policy.
func TestPermissionRefusedByTheOrganization(t *testing.T) {
	t.Parallel()
	p := Permission{Name: "issues", Level: LevelRead}
	iss := verdictIssuer{verdicts: []PermissionVerdict{
		{Permission: p, Target: "acme/app", State: PermUnreachable, SSOURL: "https://github.com/orgs/acme/sso"},
		{Permission: p, Target: "corp", State: PermUnreachable, Policy: "forbids fine-grained tokens", PolicyKind: finding.PolicyNoFineGrained},
		{Permission: p, Target: "o/r", State: PermFailed, Problem: &APIProblem{What: "GET /repos/o/r/issues", Message: "502"}},
		{Permission: p, Target: "o/pub", State: PermPublic},
	}}
	f := accepted(days(60))
	o := Evaluate(iss, Requirements{Permissions: []Permission{p}}, token.Inspection{Kind: token.FineGrained}, f, ruleNow)
	if diff := cmp.Diff([]string{"sso-authorization-required:error", "organization-policy:error", "api-error:error"}, codes(o)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if o.Findings[0].About.Organization != "acme" || o.Findings[1].About.Organization != "corp" {
		t.Errorf("organizations: %q %q", o.Findings[0].About.Organization, o.Findings[1].About.Organization)
	}
	wantRows := map[string]finding.State{"Permissions on acme/app": finding.Fail, "Permissions on corp": finding.Fail,
		"Permissions on o/r": finding.Unknown, "Permissions on o/pub": finding.Pass}
	for name, state := range wantRows {
		if r := row(o, name); r.State != state {
			t.Errorf("%s: %+v, want %v", name, r, state)
		}
	}
	if r := row(o, "Permissions on o/pub"); !strings.Contains(r.Detail, "readable by anyone") {
		t.Errorf("a public repository's row: %+v", r)
	}
}

// A token that failed an offline check, or whose kind is not allowed, is
// never sent; any kind passes when none is named.
func TestBlocked(t *testing.T) {
	t.Parallel()
	ok := token.Inspection{Kind: token.Classic}
	if Blocked(Requirements{}, ok) || Blocked(Requirements{TokenTypes: []token.Kind{token.Classic}}, ok) {
		t.Error("an allowed, well-formed token is blocked")
	}
	if !Blocked(Requirements{TokenTypes: []token.Kind{token.FineGrained}}, ok) {
		t.Error("a kind that is not allowed is sent")
	}
	if !Blocked(Requirements{}, token.Inspection{Kind: token.Classic, Problems: []token.Problem{{Code: finding.TokenMalformed, Message: "bad checksum"}}}) {
		t.Error("a token that failed an offline check is sent")
	}
}

func TestWithArticle(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"OAuth app token": "an OAuth app token", "fine-grained token": "a fine-grained token", "": "a "} {
		if got := withArticle(in); got != want {
			t.Errorf("withArticle(%q) = %q, want %q", in, got, want)
		}
	}
}
