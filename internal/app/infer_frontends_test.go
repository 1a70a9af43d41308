package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

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
	var rep struct {
		Inferred []struct {
			Requirement, File, Step, Rule string
			Line                          int
		}
	}
	if err := json.Unmarshal([]byte(r.leakable["report"]), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range rep.Inferred {
		if q.Requirement == "repo" && q.Rule == "git push" && strconv.Itoa(q.Line) == line && q.File == ".github/workflows/bump.yml" && q.Step == "Push the bump" {
			found = true
		}
	}
	if !found {
		t.Errorf("report's inferred list: %+v", rep.Inferred)
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
