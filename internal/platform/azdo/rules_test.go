package azdo

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

var rulesNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func evaluate(req check.Requirements, f check.Facts) check.Outcome {
	f.Kind, f.Platform, f.Checked, f.Accepted = token.AzureDevOps, Platform, true, true
	f.Expiry = check.Expiry{Known: true, At: rulesNow.Add(40 * 24 * time.Hour)}
	return check.Evaluate(Issuer{}, req, token.Inspection{Kind: token.AzureDevOps}, f, rulesNow)
}

func scopesRow(o check.Outcome) finding.Check {
	for _, c := range o.Checks {
		if c.Name == "Scopes" {
			return c
		}
	}
	return finding.Check{}
}

// The scopes rule: against the told list when there is one (inclusion
// counted), else against what the read probes proved.
func TestScopesRule(t *testing.T) {
	t.Parallel()
	told := func(scopes ...string) check.Facts { return check.Facts{ScopesKnown: true, Scopes: scopes} }
	probed := func(ps ...check.ScopeFact) check.Facts { return check.Facts{ScopeProbes: ps} }
	for _, tt := range []struct {
		name    string
		req     []string
		f       check.Facts
		state   finding.State
		detail  string
		missing []string
	}{
		{"told, none required", nil, told("vso.code"), finding.Pass, "granted: vso.code (none required)", nil},
		{"told, included", []string{"vso.code"}, told("vso.code_write"), finding.Pass, "granted: vso.code_write", nil},
		{"told, missing", []string{"vso.build", "vso.code_write"}, told("vso.code"), finding.Fail, "missing: vso.build, vso.code_write", []string{"vso.build", "vso.code_write"}},
		{"probed, proved", []string{"vso.code"}, probed(check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 200}}),
			finding.Pass, "proved by read probes: vso.code", nil},
		{"probed, refused", []string{"vso.code"}, probed(check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 401, PlainRefusal: true}}),
			finding.Fail, "missing: vso.code", []string{"vso.code"}},
		{"probed, unverified", []string{"vso.code_manage"}, probed(check.ScopeFact{Scope: "vso.code_manage", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: check.AzureAnswer{Status: 404}}),
			finding.Warn, "unverified: vso.code_manage", nil},
		{"probed, failed", []string{"vso.code"}, probed(check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Problem: &check.APIProblem{What: "GET", Message: "503"}}}),
			finding.Unknown, "not proved, the probe failed: vso.code", nil},
		{"none required, none told", nil, check.Facts{}, "", "", nil},
	} {
		o := evaluate(check.Requirements{Scopes: tt.req}, tt.f)
		got := scopesRow(o)
		if got.State != tt.state || got.Detail != tt.detail {
			t.Errorf("%s: row %+v, want %v %q", tt.name, got, tt.state, tt.detail)
		}
		if diff := cmp.Diff(tt.missing, o.Missing); diff != "" {
			t.Errorf("%s: missing (-want +got):\n%s", tt.name, diff)
		}
		var codes []finding.Code
		for _, f := range o.Findings {
			if f.Code != finding.TokenExpiryUnknown {
				codes = append(codes, f.Code)
			}
		}
		want := map[finding.State][]finding.Code{finding.Fail: {finding.ScopeMissing}, finding.Warn: {finding.ScopeUnverified}}[tt.state]
		if strings.Contains(tt.name, "failed") {
			want = []finding.Code{finding.APIError}
		}
		if diff := cmp.Diff(want, codes); diff != "" {
			t.Errorf("%s: findings (-want +got):\n%s", tt.name, diff)
		}
	}
	o := evaluate(check.Requirements{Scopes: []string{"vso.code"}}, told("vso.build"))
	if len(o.Findings) == 0 || !strings.Contains(o.Findings[0].Message, "the token lacks the scope vso.code (Code (Read)") {
		t.Errorf("a missing scope is not named by its label: %+v", o.Findings)
	}
	o = evaluate(check.Requirements{Scopes: []string{"vso.code", "vso.build"}}, told())
	if len(o.Findings) == 0 || !strings.Contains(o.Findings[0].Message, "lacks the scopes") {
		t.Errorf("two missing scopes: %+v", o.Findings)
	}
}

// An unverified scope whose probe needs a project names the option that
// sets one; another reason names none.
func TestUnverifiedScopeNamesTheProjectOption(t *testing.T) {
	t.Parallel()
	f := check.Facts{ScopeProbes: []check.ScopeFact{{Scope: "vso.build", NoProbe: "no-project"}, {Scope: "vso.code_manage", NoProbe: "no-request"}}}
	o := evaluate(check.Requirements{Scopes: []string{"vso.build", "vso.code_manage"}}, f)
	want := "the scopes vso.build, vso.code_manage cannot be verified: vso.build: its probe needs a project: set project; " +
		"vso.code_manage: no request is known that proves this scope, or a scope it includes, without changing anything"
	for _, fd := range o.Findings {
		if fd.Code == finding.ScopeUnverified {
			if fd.Message != want {
				t.Errorf("message:\n got %q\nwant %q", fd.Message, want)
			}
			return
		}
	}
	t.Errorf("no %s finding: %+v", finding.ScopeUnverified, o.Findings)
}

// Scope excess: what the required ones do not include, Full access always.
func TestScopeExcessRule(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		req, granted, excess []string
	}{
		{[]string{"vso.code"}, []string{"vso.code"}, nil},
		{[]string{"vso.code"}, []string{"vso.code_write", "vso.build"}, []string{"vso.code_write", "vso.build"}},
		{[]string{"vso.code_write"}, []string{"vso.code", "vso.code_write"}, nil},
		{[]string{"vso.code"}, []string{FullAccess}, []string{FullAccess}},
		{[]string{FullAccess}, []string{FullAccess}, nil},
		{[]string{"vso.code"}, []string{"", "vso.build", "vso.build"}, []string{"vso.build"}},
	} {
		o := evaluate(check.Requirements{Scopes: tt.req, Excess: finding.Warning}, check.Facts{ScopesKnown: true, Scopes: tt.granted})
		if diff := cmp.Diff(tt.excess, o.Excess); diff != "" {
			t.Errorf("%v granted %v: excess (-want +got):\n%s", tt.req, tt.granted, diff)
		}
		if tt.excess != nil {
			f := o.Findings[len(o.Findings)-1]
			if f.Code != finding.ScopeExcess || f.Severity != finding.Warning || !strings.Contains(f.Message, tt.excess[0]+" (") {
				t.Errorf("%v: %+v", tt.granted, f)
			}
			if (tt.excess[0] == FullAccess) != strings.Contains(f.Message, "every scope of every area") {
				t.Errorf("Full access is not said to be every scope: %q", f.Message)
			}
		}
	}
}

// What the Azure DevOps issuer says of itself.
func TestIssuer(t *testing.T) {
	t.Parallel()
	iss := Issuer{}
	msg, detail := iss.Rejected(check.Facts{InvalidMessage: "TF400813"})
	if !strings.HasPrefix(msg, `Azure DevOps rejected the token ("TF400813")`) || detail != "401 / sign-in page" {
		t.Errorf("Rejected = %q, %q", msg, detail)
	}
	msg, detail = iss.Rejected(check.Facts{Expired: true, InvalidMessage: "TF400813: expired"})
	if msg != `Azure DevOps says the token has expired ("TF400813: expired")` || detail != "401: the token has expired" {
		t.Errorf("Rejected, expired = %q, %q", msg, detail)
	}
	if iss.PermissionVerdicts(check.Facts{}) != nil || !strings.Contains(iss.NotFoundCauses(check.Facts{}), "the name is wrong") {
		t.Error("Azure DevOps has no permission verdicts and neutral 404 causes")
	}
	o := evaluate(check.Requirements{Scopes: []string{"vso.code"}, KindAdvice: true}, check.Facts{ScopesKnown: true, Scopes: []string{"vso.code"}})
	for _, f := range o.Findings {
		if f.Code == finding.TokenKindAdvice {
			t.Errorf("kind advice for an Azure DevOps token: %+v", f)
		}
	}
}

// Family tells a read scope from one that includes another of its family.
func TestFamilyReadOrNot(t *testing.T) {
	t.Parallel()
	for scope, want := range map[string]bool{"vso.code": true, "vso.code_write": false, "vso.build": true, "vso.build_execute": false} {
		if fam, read, ok := Family(scope); !ok || read != want || fam == "" {
			t.Errorf("Family(%s) = %q %v %v, want read %v", scope, fam, read, ok, want)
		}
	}
}

// The fixes that differ on Azure DevOps Server, for a damaged value, for
// Full access alone, and with the token's name given.
func TestFixVariants(t *testing.T) {
	t.Parallel()
	server, err := ParseOrganization("https://tfs.example.com/tfs/DefaultCollection")
	if err != nil {
		t.Fatal(err)
	}
	services, _ := ParseOrganization("contoso")
	ctx := func(org Org, name string) guide.Context {
		return guide.Context{Rules: Guide{Org: org}, Frontend: frontend.CommandLine, Kind: token.AzureDevOps, TokenName: name,
			Required: check.Requirements{Scopes: []string{"vso.code"}}, Option: func(s string) string { return "--" + s }}
	}
	fix := func(c guide.Context, f finding.Finding) string {
		return guide.Apply([]finding.Finding{f}, c)[0].Fix
	}
	invalid := finding.Finding{Code: finding.TokenInvalid, Severity: finding.Error}
	if s := fix(ctx(server, "deploy"), invalid); !strings.Contains(s, "Azure DevOps Server does not accept") || !strings.Contains(s, "Name: deploy.") || strings.Contains(s, "Organization:") {
		t.Errorf("server fix:\n%s", s)
	}
	if s := fix(ctx(services, "deploy"), invalid); !strings.Contains(s, "Azure DevOps does not accept") || !strings.Contains(s, "Name: deploy. Organization: contoso") {
		t.Errorf("services fix:\n%s", s)
	}
	used := ctx(services, "")
	used.Workflow, used.Job = "azure-pipelines.yml", "build"
	if s := fix(used, invalid); strings.Contains(s, "Name: deploy") || !strings.Contains(s, "Name: azure-pipelines.yml job build.") {
		t.Errorf("the token is not named after its use:\n%s", s)
	}
	if s := fix(ctx(services, ""), invalid); strings.Contains(s, "vso.code.") || !strings.Contains(s, "Name: CI token.") {
		t.Errorf("the token is named after its scopes:\n%s", s)
	}
	if s := fix(ctx(services, ""), finding.Finding{Code: finding.TokenMalformed, Severity: finding.Error}); !strings.HasPrefix(s, "1. The value was damaged") {
		t.Errorf("malformed fix:\n%s", s)
	}
	full := fix(ctx(services, ""), finding.Finding{Code: finding.ScopeExcess, Severity: finding.Warning, About: finding.About{Excess: []string{FullAccess}, Needed: []string{"vso.code"}}})
	if !strings.Contains(full, "Custom defined") || strings.Contains(full, "Untick") {
		t.Errorf("Full access alone:\n%s", full)
	}
}

// A server URL without a path is its own collection.
func TestServerWithoutPath(t *testing.T) {
	t.Parallel()
	o, err := ParseOrganization("https://tfs.example.com")
	if err != nil || o.Name != "tfs.example.com" || o.BaseURL != "https://tfs.example.com" || o.Kind != "server" {
		t.Errorf("ParseOrganization = %+v, %v", o, err)
	}
}

// A probe's refusal quotes the service's words when it gave some.
func TestRefusalQuotesTheService(t *testing.T) {
	t.Parallel()
	with := ScopeVerdicts(check.Facts{ScopeProbes: []check.ScopeFact{{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 403, Message: "TF401027"}}}})[0]
	without := ScopeVerdicts(check.Facts{ScopeProbes: []check.ScopeFact{{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 403}}}})[0]
	if !strings.Contains(with.Reason, `(403 "TF401027")`) || !strings.Contains(without.Reason, "(403)") {
		t.Errorf("reasons %q and %q", with.Reason, without.Reason)
	}
}
