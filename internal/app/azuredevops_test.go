package app

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// Azure DevOps tokens in every front-end: scopes from the header, the token
// list or the probes, the expiry from the token list or declared.

// adoScenario runs in all three front-ends against its own world.
type adoScenario struct {
	name               string
	tok                string
	header, list       bool // the scopes header, the token list
	scopes, tokenName  string
	expiresOn          string
	code               int
	finding            string // a finding code that must be reported
	missing, expirySrc string
	offline            bool // no request may be sent
}

func adoScenarios() []adoScenario {
	declared := mainNow.Add(40 * 24 * time.Hour).Format("2006-01-02")
	bad := fixture.AzureLegacy[:10] + flipBase32(fixture.AzureLegacy[10:11]) + fixture.AzureLegacy[11:]
	return []adoScenario{
		{name: "valid, current format", tok: fixture.AzureValid, code: 0, finding: "token-expiry-unknown"},
		{name: "valid, legacy format", tok: fixture.AzureLegacy, scopes: "vso.code", code: 0},
		{name: "expired", tok: fixture.AzureExpired, code: 1, finding: "token-expired"},
		{name: "wrong", tok: fixture.AzureStranger, code: 1, finding: "token-invalid"},
		{name: "missing scope by probe", tok: fixture.AzureReader, scopes: "vso.code vso.build", code: 1, finding: "scope-missing", missing: "vso.build"},
		{name: "missing scope by header", tok: fixture.AzureValid, header: true, scopes: "vso.release", code: 1, finding: "scope-missing", missing: "vso.release"},
		// A token holding only vso.code: the write aimed at a repository that
		// cannot exist answers 401, which proves vso.code_write missing.
		{name: "missing write scope by a safe write probe", tok: fixture.AzureReader, scopes: "vso.code_write", code: 1, finding: "scope-missing", missing: "vso.code_write"},
		{name: "write scope granted by a safe write probe", tok: fixture.AzureValid, scopes: "vso.code_write vso.build_execute", code: 0},
		{name: "a broader scope than any probe proves", tok: fixture.AzureValid, scopes: "vso.code_manage", code: 0, finding: "scope-unverified"},
		{name: "missing write scope by the token list", tok: fixture.AzureReader, list: true, tokenName: "reader", scopes: "vso.code_write", code: 1, finding: "scope-missing", missing: "vso.code_write", expirySrc: "token-list"},
		{name: "expiry by name", tok: fixture.AzureNightly, list: true, tokenName: "nightly", code: 0, finding: "token-expiry-warning", expirySrc: "token-list"},
		{name: "expiry by unique scopes", tok: fixture.AzureValid, list: true, header: true, code: 0, expirySrc: "token-list"},
		{name: "expiry ambiguous", tok: fixture.AzureLegacy, list: true, header: true, code: 0, finding: "token-expiry-unknown"},
		{name: "declared expiry", tok: fixture.AzureValid, expiresOn: declared, code: 0, expirySrc: "declared"},
		{name: "bad legacy checksum", tok: bad, code: 1, finding: "token-malformed", offline: true},
	}
}

func flipBase32(c string) string {
	if c == "a" {
		return "b"
	}
	return "a"
}

// adoOutcome is what a scenario compares in each front-end.
type adoOutcome struct {
	Code            int
	Finding         bool // the scenario's finding was reported
	Missing, Expiry string
}

func TestAzureDevOpsInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	for _, sc := range adoScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			w := newMainWorld(t)
			w.Azure.SetScopesHeader(sc.header)
			w.Azure.SetTokenList(sc.list)
			e := everyRun{tok: sc.tok, ado: true,
				opts: map[string]string{"scopes": sc.scopes, "token-name": sc.tokenName, "expires-on": sc.expiresOn},
				// In Azure Pipelines the organization and project come from
				// the agent (SYSTEM_COLLECTIONURI, SYSTEM_TEAMPROJECT).
				outsideAzure: map[string]string{"organization": "{org}", "project": "Web"}}
			want := adoOutcome{Code: sc.code, Finding: true, Missing: sc.missing, Expiry: sc.expirySrc}
			for fe, r := range runEveryFrontEnd(t, w, e) {
				got := adoOutcome{Code: r.code, Finding: sc.finding == "" || r.has(sc.finding), Missing: r.missing(t, fe)}
				if r.report.ExpirySource != nil {
					got.Expiry = *r.report.ExpirySource
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-want +got), findings %q:\n%s", fe, r.findingCodes(), diff)
				}
			}
			if n := len(w.Azure.Requests()); sc.offline && n != 0 {
				t.Errorf("%d requests for a token that failed offline", n)
			}
		})
	}
}

func TestAzureDevOpsOnTheCommandLine(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	w.Azure.SetTokenList(true)
	report := func(tok string, args ...string) mainRun {
		t.Helper()
		return runMain(t, w, mainCase{token: tok, tokenVar: "AZURE_DEVOPS_EXT_PAT", ado: true,
			args: append([]string{"--provider", "azure-devops", "--organization", "{org}"}, args...)})
	}
	// expiry is what the runs compare: the exit code, the result, the
	// token's type and where its expiry came from.
	type expiry struct {
		Code              int
		Result, TokenType string
		Source            string
		DaysLeft          int // -1 for none
		Dated             bool
	}
	got := func(r mainRun) expiry {
		e := expiry{Code: r.code, Result: r.report.Result, TokenType: r.report.TokenType, DaysLeft: -1, Dated: r.report.ExpiresAt != nil}
		if r.report.ExpirySource != nil {
			e.Source = *r.report.ExpirySource
		}
		if r.report.DaysLeft != nil {
			e.DaysLeft = *r.report.DaysLeft
		}
		return e
	}
	for _, c := range []struct {
		name   string
		header bool // the scopes header
		tok    string
		args   []string
		want   expiry
	}{
		// Without the scopes header: by name, and ambiguous without one.
		{"by name", false, fixture.AzureNightly, []string{"--token-name", "nightly"},
			expiry{Code: 0, Result: "warn", TokenType: "azure-devops", Source: "token-list", DaysLeft: 5, Dated: true}},
		{"ambiguous", false, fixture.AzureNightly, nil,
			expiry{Code: 0, Result: "pass", TokenType: "azure-devops", DaysLeft: -1}},
		// A unique match of the told scopes picks the token; two tokens
		// with the same scopes leave the expiry unknown.
		{"unique scopes", true, fixture.AzureValid, nil,
			expiry{Code: 0, Result: "pass", TokenType: "azure-devops", Source: "token-list", DaysLeft: 50, Dated: true}},
		{"same scopes as another token", true, fixture.AzureLegacy, nil,
			expiry{Code: 0, Result: "pass", TokenType: "azure-devops", DaysLeft: -1}},
	} {
		w.Azure.SetScopesHeader(c.header)
		r := report(c.tok, c.args...)
		if diff := cmp.Diff(c.want, got(r)); diff != "" {
			t.Errorf("%s (-want +got), findings %q:\n%s", c.name, r.findingCodes(), diff)
		}
	}
}
