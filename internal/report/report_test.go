package report

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
)

func f(code finding.Code, sev finding.Severity) finding.Finding {
	return finding.Finding{Code: code, Severity: sev, Message: string(code) + " happened", Fix: "1. do it"}
}

func TestDecideAndExitCode(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		findings []finding.Finding
		result   Result
		exit     int
	}{
		{"nothing", nil, Pass, 0},
		{"notice only", []finding.Finding{f(finding.TokenExpiryUnknown, finding.Notice)}, Pass, 0},
		{"warning", []finding.Finding{f(finding.TokenExpiryWarning, finding.Warning)}, Warn, 0},
		{"error", []finding.Finding{f(finding.ScopeMissing, finding.Error), f(finding.TokenExpiryWarning, finding.Warning)}, Fail, 1},
		{"inconclusive", []finding.Finding{f(finding.APIError, finding.Error)}, Error, 3},
		{"rate limited", []finding.Finding{f(finding.RateLimited, finding.Error)}, Error, 3},
		{"inconclusive as warning", []finding.Finding{f(finding.APIError, finding.Warning)}, Warn, 0},
		{"a verdict beats inconclusive", []finding.Finding{f(finding.APIError, finding.Error), f(finding.RepositoryInaccessible, finding.Error)}, Fail, 1},
		{"config", []finding.Finding{f(finding.ConfigInvalid, finding.Error)}, Error, 2},
	}
	for _, tt := range tests {
		r := Report{Findings: tt.findings}
		r.Decide()
		if r.Result != tt.result || r.ExitCode() != tt.exit {
			t.Errorf("%s: result %s exit %d, want %s %d", tt.name, r.Result, r.ExitCode(), tt.result, tt.exit)
		}
	}
}

func sample() Report {
	exp := time.Date(2027, 1, 31, 23, 0, 0, 0, time.UTC)
	days, src := 66, "api"
	r := Report{
		Provider: "github", TokenType: "classic", Valid: true, Login: "octocat",
		ExpiresAt: &exp, DaysLeft: &days, ExpirySource: &src,
		Scopes: []string{"repo", "read:org"}, Missing: []string{"workflow"},
		Findings: []finding.Finding{{Code: finding.ScopeMissing, Severity: finding.Error, Message: "the token lacks the scope workflow | <b>",
			Fix: "1. Tick workflow\n2. Update token", URL: "https://github.com/settings/tokens/new?scopes=repo,read:org,workflow&description=x"}},
		Checks: []finding.Check{{Name: "Scopes", State: finding.Fail, Detail: "missing: workflow | x"}},
	}
	r.Decide()
	return r
}

func TestJSONFollowsTheContract(t *testing.T) {
	t.Parallel()
	var got map[string]any
	if err := json.Unmarshal(sample().JSON(), &got); err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]any{
		"provider": "github", "tokenType": "classic", "result": "fail", "valid": true, "login": "octocat",
		"expiresAt": "2027-01-31T23:00:00Z", "daysLeft": 66.0, "expirySource": "api",
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v", key, got[key], want)
		}
	}
	fs := got["findings"].([]any)
	first := fs[0].(map[string]any)
	for _, k := range []string{"code", "severity", "message", "fix", "url"} {
		if _, ok := first[k]; !ok {
			t.Errorf("finding lacks %s", k)
		}
	}
	if _, ok := first["About"]; ok {
		t.Error("internal fields leak into the report")
	}

	var empty map[string]any
	_ = json.Unmarshal(Report{Result: Pass}.JSON(), &empty)
	if v, ok := empty["expiresAt"]; !ok || v != nil {
		t.Errorf("expiresAt must be null when unknown, got %v", v)
	}
	if v, ok := empty["expirySource"]; !ok || v != nil {
		t.Errorf("expirySource must be null when unknown, got %v", v)
	}
	if v := empty["findings"]; v == nil {
		t.Error("findings must be an empty list, not null")
	}
}

func TestOutputValuesAreSingleLines(t *testing.T) {
	t.Parallel()
	r := sample()
	r.Login = "evil\nlogin=forged"
	v := r.OutputValues()
	for k, s := range v {
		if strings.ContainsAny(s, "\r\n") {
			t.Errorf("output %s is multi-line: %q", k, s)
		}
	}
	want := map[string]string{"result": "fail", "valid": "true", "token-type": "classic", "expires-at": "2027-01-31T23:00:00Z",
		"days-left": "66", "scopes": "repo,read:org", "missing": "workflow"}
	for k, w := range want {
		if v[k] != w {
			t.Errorf("%s = %q, want %q", k, v[k], w)
		}
	}
	if _, ok := (Report{}).OutputValues()["days-left"]; !ok {
		t.Error("days-left must exist (empty) when unknown")
	}
}

func TestMarkdownSummary(t *testing.T) {
	t.Parallel()
	md := sample().Markdown()
	for _, want := range []string{
		"### ❌ pat-check FAIL: the token lacks the scope workflow | &lt;b&gt;",
		"| Check | State | Detail |",
		"| Scopes | ❌ fail | missing: workflow \\| x |",
		"#### How to fix",
		"1. Tick workflow\n2. Update token",
		"[Create a token with these scopes](https://github.com/settings/tokens/new?scopes=repo,read:org,workflow&description=x)",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "<b>") {
		t.Errorf("HTML from a message reached the summary:\n%s", md)
	}
}

func TestTextColourOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	r := sample()
	if strings.Contains(r.Text(TextStyle{}, "ghp_****"), "\x1b[") {
		t.Error("plain text has escape codes")
	}
	coloured := r.Text(TextStyle{Color: true}, "ghp_****")
	if !strings.Contains(coloured, "\x1b[1;31mFAIL\x1b[0m") {
		t.Errorf("coloured text lacks a red FAIL:\n%s", coloured)
	}
	if !strings.Contains(coloured, "Token: ghp_****") {
		t.Errorf("text lacks the redacted token:\n%s", coloured)
	}
}

func alignmentSample() Report {
	r := Report{TokenType: "fine-grained", Login: "octocat",
		Checks: []finding.Check{
			{Name: "Format", State: finding.Pass, Detail: "fine-grained personal access token"},
			{Name: "Permissions on octo/ünïcode", State: finding.Fail, Detail: "missing contents:write"},
			{Name: "Expiry", State: finding.Skipped},
			{Name: "SSO", State: finding.Unknown, Detail: "the API could not be asked"},
		},
		Permissions: []finding.PermissionCell{
			{Permission: "contents:write", Target: "octo/ünïcode", State: "missing"},
			{Permission: "issues:read", Target: "octo/ünïcode", State: "granted"},
		},
	}
	r.Decide()
	return r
}

// The check and permission lists are aligned columns, the widest name plus
// two spaces, counted in characters; colour codes do not shift them.
func TestTextAlignment(t *testing.T) {
	t.Parallel()
	const plain = "" +
		"PASS: the token passed every check\n" +
		"Token: github_pat_**** · Token kind: fine-grained · account: octocat\n" +
		"\n" +
		"  ✓ Format                       fine-grained personal access token\n" +
		"  ✗ Permissions on octo/ünïcode  missing contents:write\n" +
		"  - Expiry                       \n" +
		"  ? SSO                          the API could not be asked\n" +
		"\n" +
		"  Permissions:\n" +
		"    contents:write  octo/ünïcode: missing\n" +
		"    issues:read     octo/ünïcode: granted\n"
	r := alignmentSample()
	if got := r.Text(TextStyle{}, "github_pat_****"); got != plain {
		t.Errorf("plain text:\n%s\nwant:\n%s", got, plain)
	}
	const colouredChecks = "" +
		"  \x1b[32m✓\x1b[0m Format                       fine-grained personal access token\n" +
		"  \x1b[31m✗\x1b[0m Permissions on octo/ünïcode  missing contents:write\n" +
		"  \x1b[2m-\x1b[0m Expiry                       \n" +
		"  \x1b[2m?\x1b[0m SSO                          the API could not be asked\n"
	if got := r.Text(TextStyle{Color: true}, "github_pat_****"); !strings.Contains(got, colouredChecks) {
		t.Errorf("coloured text:\n%q\nwant it to contain:\n%q", got, colouredChecks)
	}
}

func TestPaddedKeepsOneRowPerCell(t *testing.T) {
	t.Parallel()
	got := padded([]string{"a\tb", "two\nlines", "ü"})
	want := []string{"a\tb        ", "two lines  ", "ü          "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("padded = %q, want %q", got, want)
	}
}

func TestExcessAndAdviceInTheReport(t *testing.T) {
	t.Parallel()
	r := Report{Scopes: []string{"repo", "delete_repo"}, Excess: []string{"delete_repo"}, Findings: []finding.Finding{
		{Code: finding.ScopeExcess, Severity: finding.Notice, Message: "m", About: finding.About{Excess: []string{"delete_repo"}, Needed: []string{"repo"}}},
		{Code: finding.TokenExpiryWarning, Severity: finding.Warning, Message: "soon"},
		{Code: finding.TokenCommitted, Severity: finding.Error, Message: "c", About: finding.About{Places: []finding.Place{{File: "a.yml", Line: 3}, {File: "b.yml", Line: 1}}}},
	}}
	r.Decide()
	var got struct {
		Excess []string
		Advice []string
	}
	if err := json.Unmarshal(r.JSON(), &got); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Excess, []string{"delete_repo"}) || !slices.Equal(got.Advice, []string{"scope-excess", "token-committed"}) {
		t.Errorf("excess %v advice %v", got.Excess, got.Advice)
	}
	var empty map[string]any
	_ = json.Unmarshal(Report{Result: Pass}.JSON(), &empty)
	if e, a := empty["excess"], empty["advice"]; e == nil || a == nil {
		t.Errorf("excess %v and advice %v must be empty lists, not null", e, a)
	}
	md := r.Markdown()
	for _, want := range []string{"#### Least privilege", "- **Granted**: repo, delete_repo", "- **The job needs**: repo", "- **Drop**: delete_repo", "- **Committed**: a.yml:3, b.yml:1"} {
		if !strings.Contains(md, want) {
			t.Errorf("summary lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(Report{Result: Pass, Findings: []finding.Finding{{Code: finding.TokenExpiryWarning}}}.Markdown(), "Least privilege") {
		t.Error("a Least privilege section without a best-practice finding")
	}
}
