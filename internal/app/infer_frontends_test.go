package app

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// What infer decides, in-process: the requirements a workflow's steps imply
// and the token's verdict on them.

// bumpEnv is what the Actions runner sets for the pat-check step of
// fixture.BumpWorkflow checked out in dir.
func bumpEnv(dir string) map[string]string {
	return map[string]string{
		"GITHUB_WORKFLOW_REF": "octo/private/.github/workflows/bump.yml@refs/heads/main",
		"GITHUB_WORKSPACE":    dir, "GITHUB_JOB": "bump", "GITHUB_ACTION": "__octo_pat-check",
	}
}

// inferredRow is one entry of the report's inferred list.
type inferredRow struct {
	Requirement, File, Step, Rule string
	Line                          int
}

// reportInferred is the report's inferred list; a field the test does not
// know fails it, so that a comparison covers whole entries.
func reportInferred(t *testing.T, r mainRun) []inferredRow {
	t.Helper()
	var rep struct{ Inferred json.RawMessage }
	if err := json.Unmarshal([]byte(r.leakable["report"]), &rep); err != nil {
		t.Fatal(err)
	}
	var rows []inferredRow
	dec := json.NewDecoder(bytes.NewReader(rep.Inferred))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rows); err != nil {
		t.Fatalf("the report's inferred list: %v", err)
	}
	return rows
}

// bumpLine is the first line of fixture.BumpWorkflow that holds s.
func bumpLine(t *testing.T, s string) int {
	t.Helper()
	for i, l := range strings.Split(fixture.BumpWorkflow, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("fixture.BumpWorkflow has no %q", s)
	return 0
}

// Under Actions, infer with no other requirement: a classic token that
// cannot write fails for the scope the push needs, one that can passes, an
// explicit list wins over infer, and the annotations, summary and report
// name the step and line that need it.
func TestActionsInferClassic(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	dir := fixture.BumpCheckout(t)
	line := strconv.Itoa(fixture.BumpPushLine())

	r := runMain(t, w, mainCase{fe: "actions", token: fixture.ReadOnly, inputs: map[string]string{"infer": "true"}, env: bumpEnv(dir)})
	if r.code != 1 || r.outputs["missing"] != "repo" {
		t.Fatalf("read-only token: exit %d outputs %v\n%s", r.code, r.outputs, r.visible)
	}
	if msg := r.messages["error/scope-missing"]; !strings.Contains(msg, "repo") {
		t.Errorf("scope-missing annotation: %q", msg)
	}
	notice := r.messages["notice/requirements-inferred"]
	if !strings.Contains(notice, "Push the bump") || !strings.Contains(notice, "bump.yml:"+line) || !strings.Contains(notice, "git push") {
		t.Errorf("requirements-inferred notice: %q", notice)
	}
	if !strings.Contains(r.summary, "| Inferred: repo | ❌ fail |") || !strings.Contains(r.summary, ".github/workflows/bump.yml:"+line+" (git push)") {
		t.Errorf("summary lacks the inferred row for line %s:\n%s", line, r.summary)
	}
	// The checkout (at the line that gives it the token) and the push
	// both need repo; nothing else is listed.
	want := []inferredRow{
		{Requirement: "repo", File: ".github/workflows/bump.yml", Line: bumpLine(t, "token: ${{ secrets.BOT_PAT }}"), Step: "actions/checkout@v4", Rule: "actions/checkout"},
		{Requirement: "repo", File: ".github/workflows/bump.yml", Line: fixture.BumpPushLine(), Step: "Push the bump", Rule: "git push"},
	}
	if diff := cmp.Diff(want, reportInferred(t, r)); diff != "" {
		t.Errorf("the report's inferred list (-want +got):\n%s", diff)
	}

	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Healthy, inputs: map[string]string{"infer": "true"}, env: bumpEnv(dir)})
	if r.code != 0 || r.outputs["result"] != "pass" {
		t.Fatalf("a token that can write: exit %d outputs %v\n%s", r.code, r.outputs, r.visible)
	}
	if !strings.Contains(r.summary, "| Inferred: repo | ✅ pass |") {
		t.Errorf("summary:\n%s", r.summary)
	}

	// An explicit list wins over infer.
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.ReadOnly, inputs: map[string]string{"infer": "true", "scopes": "read:org"}, env: bumpEnv(dir)})
	if r.code != 0 || strings.Contains(r.summary, "Inferred") {
		t.Errorf("explicit scopes: exit %d\n%s", r.code, r.summary)
	}
}

// A fine-grained token gets contents:write from the push: one that can only
// read fails (the write probe proves contents:write missing), one that can
// write passes, and the summary says which step needs the permission.
func TestActionsInferFineGrained(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	dir := fixture.BumpCheckout(t)
	line := strconv.Itoa(fixture.BumpPushLine())
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Fine, inputs: map[string]string{"infer": "true"}, env: bumpEnv(dir)})
	if r.code != 1 || r.outputs["result"] != "fail" || r.outputs["missing"] != "contents:write@octo/private" {
		t.Fatalf("exit %d outputs %v\n%s", r.code, r.outputs, r.visible)
	}
	if msg := r.messages["error/permission-missing"]; !strings.Contains(msg, "contents: write") || !strings.Contains(msg, "octo/private") {
		t.Errorf("permission-missing annotation: %q", msg)
	}
	if !strings.Contains(r.summary, "| Inferred: contents:write | ❌ fail | needed by \"Push the bump\" at .github/workflows/bump.yml:"+line+" (git push)") {
		t.Errorf("summary:\n%s", r.summary)
	}
	// Only the push, for the permission's highest level: not the
	// checkout's contents:read, nor the scopes a classic token would need.
	want := []inferredRow{
		{Requirement: "contents:write", File: ".github/workflows/bump.yml", Line: fixture.BumpPushLine(), Step: "Push the bump", Rule: "git push"},
	}
	if diff := cmp.Diff(want, reportInferred(t, r)); diff != "" {
		t.Errorf("the report's inferred list (-want +got):\n%s", diff)
	}
	// A token that can write passes, with no requirement typed.
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.FineWriter, inputs: map[string]string{"infer": "true"}, env: bumpEnv(dir)})
	if r.code != 0 || r.outputs["result"] != "pass" {
		t.Fatalf("writer: exit %d outputs %v\n%s", r.code, r.outputs, r.visible)
	}
	if !strings.Contains(r.summary, "| contents:write | ✅ granted |") {
		t.Errorf("writer summary:\n%s", r.summary)
	}
}

// A classic token is checked on the repositories the steps reach, not only
// for its scopes: a push to another organization's repository finds the
// organization's SAML SSO that the token is not authorized for.
func TestCLIInferClassicReachesTheRepositories(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	wf := filepath.Join(t.TempDir(), "mirror.yml")
	src := "on: push\njobs:\n  mirror:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - run: git push \"https://x-access-token:${{ secrets.MIRROR_PAT }}@github.com/octo-org/app.git\" HEAD:main\n"
	if err := os.WriteFile(wf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runMain(t, w, mainCase{token: fixture.NoSSO, args: []string{"--infer", "--workflow", wf}})
	if f, ok := r.report.find("sso-authorization-required"); r.code != 1 || !ok || !strings.Contains(r.visible, "octo-org/app") {
		t.Errorf("a token without SSO authorization for the pushed repository's organization: exit %d %v %q\n%s", r.code, ok, f.Message, r.visible)
	}
	r = runMain(t, w, mainCase{token: fixture.Healthy, args: []string{"--infer", "--workflow", wf}})
	if r.code != 0 {
		t.Errorf("a token that reaches it: exit %d\n%s", r.code, r.visible)
	}
}
