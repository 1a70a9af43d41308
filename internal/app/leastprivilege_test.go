package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// Least privilege in every front-end: what a token holds beyond the job's
// needs, its lifetime, the advice on its kind.

func TestExcessScopesInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	tok := simulate.ClassicToken("too-much")
	tk := fixture.Token(tok)
	tk.Scopes, tk.Expiration, tk.Repositories = []string{"repo", "delete_repo", "admin:org"}, w.Expiry(60), []string{"octo/private"}
	w.GitHub.AddToken(tk)

	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: tok, opts: map[string]string{"scopes": "repo"}}) {
		f, ok := r.report.find("scope-excess")
		switch {
		case r.code != 0 || r.report.Result != "pass":
			t.Errorf("%s: exit %d result %s: a notice must not fail or warn", fe, r.code, r.report.Result)
		case !ok || f.Severity != "notice":
			t.Errorf("%s: scope-excess %q %q", fe, f.Severity, f.Message)
		case !strings.Contains(f.Message, "delete_repo: delete any repository the account administers") || !strings.Contains(f.Message, "admin:org: "):
			t.Errorf("%s: the message does not name the scopes and what they allow: %s", fe, f.Message)
		case !strings.Contains(f.Fix, "Untick delete_repo, admin:org") || !strings.Contains(f.Fix, "the value stays the same"):
			t.Errorf("%s: fix %s", fe, f.Fix)
		}
		if diff := cmp.Diff([]string{"delete_repo", "admin:org"}, r.report.Excess); diff != "" {
			t.Errorf("%s: excess (-want +got):\n%s", fe, diff)
		}
		if diff := cmp.Diff([]string{"scope-excess"}, r.report.Advice); diff != "" {
			t.Errorf("%s: advice (-want +got):\n%s", fe, diff)
		}
	}
	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: tok, opts: map[string]string{"scopes": "repo", "excess": "error"}}) {
		if f, _ := r.report.find("scope-excess"); r.code != 1 || f.Severity != "error" {
			t.Errorf("%s, excess: error: exit %d severity %q", fe, r.code, f.Severity)
		}
		if fe != "cli" && !strings.Contains(r.summary, "#### Least privilege") {
			t.Errorf("%s: no Least privilege section:\n%s", fe, r.summary)
		}
		// On the command line the summary is the text output, which the
		// report's excess list is no part of.
		if !strings.Contains(r.summary, "delete_repo") {
			t.Errorf("%s: the summary does not name delete_repo:\n%s", fe, r.summary)
		}
	}
}

func TestExcessPermissionsOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	opts := map[string]string{"permissions": "contents:read", "repositories": "octo/private"}
	probed := func() bool {
		for _, r := range w.GitHub.Requests() {
			if strings.Contains(r.Path, "/hooks") {
				return true
			}
		}
		return false
	}
	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: fixture.Fine, opts: opts}) {
		if r.has("permission-excess") || r.code != 0 {
			t.Errorf("%s, excess at its default: exit %d, findings %q", fe, r.code, r.findingCodes())
		}
	}
	if probed() {
		t.Error("permissions that were not required were probed at excess: notice")
	}
	opts["excess"] = "warning"
	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: fixture.Fine, opts: opts}) {
		f, ok := r.report.find("permission-excess")
		if !ok || f.Severity != "warning" || r.code != 0 || r.report.Result != "warn" {
			t.Fatalf("%s: exit %d result %s permission-excess %q", fe, r.code, r.report.Result, f.Severity)
		}
		for _, p := range []string{"pull_requests:write", "issues:write", "discussions:read", "repository_hooks:write"} {
			if !strings.Contains(f.Message, p) || !slices.Contains(r.report.Excess, p+"@octo/private") {
				t.Errorf("%s: %s not named: %s / %v", fe, p, f.Message, r.report.Excess)
			}
		}
		for _, e := range r.report.Excess {
			if strings.HasPrefix(e, "contents:") || strings.HasPrefix(e, "metadata:") {
				t.Errorf("%s: a required or implied permission called excess: %v", fe, r.report.Excess)
			}
		}
		if !strings.Contains(f.Fix, "Pull requests → No access") || !strings.Contains(f.URL, "contents=read") || strings.Contains(f.URL, "issues=") {
			t.Errorf("%s: fix %s\nlink %s", fe, f.Fix, f.URL)
		}
		if fe == "actions" && !strings.Contains(r.messages["warning/permission-excess"], "Pull requests → No access") {
			t.Errorf("the annotation lacks the fix:\n%s", r.messages["warning/permission-excess"])
		}
	}
	if !probed() {
		t.Error("excess: warning sent no probe of the permissions not required")
	}
}

func TestGitHubTokenExcessGetsTheSmallestPermissionsBlock(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	opts := map[string]string{"permissions": "contents:read", "repositories": "octo/private", "excess": "warning"}
	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: fixture.Job, opts: opts}) {
		f, ok := r.report.find("permission-excess")
		if !ok || !strings.Contains(f.Message, "pull_requests:read") {
			t.Fatalf("%s: %v %s", fe, ok, f.Message)
		}
		// The block follows its step, indented, as every block to copy
		// is; the summary fences it so that it stays code.
		if !strings.Contains(f.Fix, "\n     permissions:\n       contents: read") {
			t.Errorf("%s: no permissions block in the fix:\n%s", fe, f.Fix)
		}
		if fe == "actions" && !strings.Contains(r.summary, "```\n   permissions:\n     contents: read\n   ```") {
			t.Errorf("the summary does not show the block as code:\n%s", r.summary)
		}
	}
}

func TestLifetimeTooLong(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	tok := simulate.ClassicToken("long-lived")
	tk := fixture.Token(tok)
	tk.Scopes, tk.Expiration = []string{"repo"}, w.Expiry(300)
	w.GitHub.AddToken(tk)
	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: tok, opts: map[string]string{"max-days-left": "90"}}) {
		f, _ := r.report.find("token-lifetime-too-long")
		if f.Severity != "warning" || r.code != 0 || !strings.Contains(f.Message, "300 days") || !strings.Contains(f.Message, "at most 90 days") || !strings.Contains(f.Fix, "Regenerate token") {
			t.Errorf("%s: exit %d %q %s\n%s", fe, r.code, f.Severity, f.Message, f.Fix)
		}
	}
	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: tok, opts: map[string]string{"max-days-left": "90", "lifetime-policy": "enforce"}}) {
		if f, _ := r.report.find("token-lifetime-too-long"); f.Severity != "error" || r.code != 1 {
			t.Errorf("%s, enforce: exit %d severity %q", fe, r.code, f.Severity)
		}
	}
}

func TestKindAdviceForAClassicToken(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: fixture.Healthy, opts: map[string]string{"scopes": "repo, workflow", "policy": "recommended"}}) {
		f, ok := r.report.find("token-kind-advice")
		if !ok || f.Severity != "notice" || r.code != 0 {
			t.Fatalf("%s: exit %d kind advice %v %q", fe, r.code, ok, f.Severity)
		}
		for _, p := range []string{"contents:write", "pull_requests:write", "issues:write", "workflows:write", "metadata:read"} {
			if !strings.Contains(f.Message, p) {
				t.Errorf("%s: %s not listed: %s", fe, p, f.Message)
			}
		}
		if !strings.Contains(f.URL, "/settings/personal-access-tokens/new?") || !strings.Contains(f.URL, "workflows=write") || !strings.Contains(f.URL, "contents=write") {
			t.Errorf("%s: link %s", fe, f.URL)
		}
		if !strings.Contains(f.Fix, "Narrow them to what the job uses") {
			t.Errorf("%s: no line on narrowing: %s", fe, f.Fix)
		}
	}
}
