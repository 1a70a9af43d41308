package report

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
)

func one(result Result, days int, fs ...finding.Finding) Report {
	r := Report{Provider: "github", TokenType: "classic", Valid: true, Login: "octocat", Findings: fs}
	if days != 0 {
		at := time.Date(2031, 3, 10, 0, 0, 0, 0, time.UTC).Add(time.Duration(days) * 24 * time.Hour)
		r.ExpiresAt, r.DaysLeft = &at, &days
	}
	r.Decide()
	if r.Result != result {
		panic("test setup: " + string(r.Result))
	}
	return r
}

func TestSeveral(t *testing.T) {
	t.Parallel()
	missing := finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, Message: "the token lacks the scope workflow",
		Fix: "1. Tick workflow.", About: finding.About{Scopes: []string{"workflow"}}}
	expiring := finding.Finding{Code: finding.TokenExpiryWarning, Severity: finding.Warning, Message: "expires in 5 days", Fix: "1. Regenerate it."}
	rate := finding.Finding{Code: finding.RateLimited, Severity: finding.Error, Message: "held back"}
	push := one(Fail, 60, missing)
	push.Missing = []string{"workflow"}
	rows := []TokenReport{
		NewTokenReport("PUSH_PAT", push, []string{"w.yml#sync"}),
		NewTokenReport("DOCS_PAT", one(Warn, 5, expiring), []string{"w.yml#docs"}),
		NewTokenReport("BOT_PAT", one(Error, 30, rate), nil),
		NewTokenReport("OK_PAT", one(Pass, 40), []string{"w.yml#ok"}),
	}
	r := Several("v1", rows, []Skipped{{Name: "PASSWORD", Why: "not a token"}}, nil)
	r.Decide()
	if r.Result != Fail || r.ExitCode() != ExitFail {
		t.Errorf("result %s exit %d, want the worst: fail, 1", r.Result, r.ExitCode())
	}
	if *r.DaysLeft != 5 || strings.Join(r.Missing, ",") != "PUSH_PAT:workflow" || !r.Valid {
		t.Errorf("days %d missing %v valid %v", *r.DaysLeft, r.Missing, r.Valid)
	}
	out := r.OutputValues()
	if out["failing"] != "PUSH_PAT" || out["expiring"] != "DOCS_PAT" || out["result"] != "fail" {
		t.Errorf("outputs %v", out)
	}
	for _, f := range r.Findings {
		if f.Token == "" {
			t.Errorf("finding %s carries no token", f.Code)
		}
	}
	md := r.Markdown()
	for _, want := range []string{"3 failing", "| PUSH_PAT | classic | octocat |", "w.yml#sync", "❌ fail | the token lacks the workflow scope",
		"| PASSWORD | — |", "##### PUSH_PAT", "##### DOCS_PAT", "**❌ Missing scope: workflow**"} {
		if want == "3 failing" {
			want = "1 failing, 1 inconclusive, 1 with warnings, 1 passing"
		}
		if !strings.Contains(md, want) {
			t.Errorf("the summary lacks %q:\n%s", want, md)
		}
	}
	if r.Title(r.Findings[0]) != "PUSH_PAT: Missing scope: workflow" || !strings.HasPrefix(Annotation(r.Findings[0]), "scope-missing: PUSH_PAT: ") {
		t.Errorf("title %q annotation %q", r.Title(r.Findings[0]), Annotation(r.Findings[0]))
	}
	text := r.Text(TextStyle{}, "")
	if !strings.Contains(text, "FAIL: 4 tokens checked") || !strings.Contains(text, "PASSWORD") || !strings.Contains(text, "\nPUSH_PAT:\n") {
		t.Errorf("text:\n%s", text)
	}
	var j struct {
		Tokens     []map[string]any
		NotChecked []map[string]any
	}
	if err := json.Unmarshal(r.JSON(), &j); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"name", "result", "provider", "tokenType", "login", "expiresAt", "daysLeft", "missing", "excess", "usedBy", "findings"} {
		if _, ok := j.Tokens[0][key]; !ok {
			t.Errorf("tokens[] lacks %s", key)
		}
	}
	if len(j.NotChecked) != 1 {
		t.Errorf("notChecked %v", j.NotChecked)
	}
	if u := j.Tokens[2]["usedBy"]; u == nil {
		t.Error("usedBy must be [] rather than null")
	}
}

func TestSingleTokenReportHasNoTokens(t *testing.T) {
	t.Parallel()
	r := one(Pass, 40)
	if strings.Contains(string(r.JSON()), `"tokens"`) || r.OutputValues()["failing"] != "" {
		t.Error("a run of one token gained the several-token fields")
	}
}

func TestSeveralWithNoToken(t *testing.T) {
	t.Parallel()
	r := Several("v1", []TokenReport{}, []Skipped{{Name: "PASSWORD", Why: "not a token"}}, nil)
	r.Decide()
	if r.Result != Pass || !strings.Contains(r.Headline(), "no token to check") {
		t.Errorf("%s %q", r.Result, r.Headline())
	}
}
