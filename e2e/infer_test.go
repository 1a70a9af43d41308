package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

func inferEnv(dir string) map[string]string {
	return map[string]string{
		"GITHUB_WORKFLOW_REF": "octo/private/.github/workflows/bump.yml@refs/heads/main",
		"GITHUB_WORKSPACE":    dir, "GITHUB_JOB": "bump", "GITHUB_ACTION": "__octo_pat-check",
	}
}

// Under Actions, infer with no other requirement reads the workflow from
// the checkout the runner's variables name: a classic token that cannot
// write fails for the scope the push needs, and the annotations, summary
// and report name the step and line that need it. What infer decides for
// other tokens and front-ends runs in-process
// (internal/app/infer_frontends_test.go).
func TestActionsInferClassic(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	dir := fixture.BumpCheckout(t)
	line := strconv.Itoa(fixture.BumpPushLine())

	report := filepath.Join(t.TempDir(), "report.json")
	r := runActions(t, w, fixture.ReadOnly, map[string]string{"infer": "true", "report-path": report}, inferEnv(dir))
	if r.code != 1 || r.outputs["missing"] != "repo" {
		t.Fatalf("read-only token: exit %d outputs %v\n%s", r.code, r.outputs, r.shown())
	}
	if msg := r.annotations("error")["scope-missing"]; !strings.Contains(msg, "repo") {
		t.Errorf("scope-missing annotation: %q", msg)
	}
	notice := r.annotations("notice")["requirements-inferred"]
	if !strings.Contains(notice, "Push the bump") || !strings.Contains(notice, "bump.yml:"+line) || !strings.Contains(notice, "git push") {
		t.Errorf("requirements-inferred notice: %q", notice)
	}
	want := `| Inferred: repo | ❌ fail | needed by "Push the bump" at .github/workflows/bump.yml:` + line + ` (git push)`
	if !strings.Contains(r.summary, "| Inferred: repo | ❌ fail |") || !strings.Contains(r.summary, ".github/workflows/bump.yml:"+line+" (git push)") {
		t.Errorf("summary lacks %q:\n%s", want, r.summary)
	}
	var rep struct {
		Inferred []struct {
			Requirement, File, Step, Rule string
			Line                          int
		}
	}
	if err := json.Unmarshal([]byte(r.report), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, q := range rep.Inferred {
		if q.Requirement == "repo" && q.Rule == "git push" && strconv.Itoa(q.Line) == line && q.File == ".github/workflows/bump.yml" {
			found = true
		}
	}
	if !found {
		t.Errorf("report's inferred list: %+v", rep.Inferred)
	}
}

// infer without the repository checked out says so and how to fix it.
func TestActionsInferWithoutCheckout(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runActions(t, w, fixture.Healthy, map[string]string{"infer": "true"}, inferEnv(t.TempDir()))
	msg := r.annotations("error")["config-invalid"]
	if r.code != 2 || !strings.Contains(msg, "infer") || !strings.Contains(msg, "not checked out") || !strings.Contains(msg, "actions/checkout") {
		t.Fatalf("exit %d annotation %q", r.code, msg)
	}
	if len(w.GitHub.Requests()) != 0 {
		t.Errorf("%d requests with invalid options", len(w.GitHub.Requests()))
	}
}

// The command line: --infer with --workflow and --secret.
func TestCLIInfer(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	dir := fixture.BumpCheckout(t)
	r := run(t, map[string]string{"PAT_CHECK_TOKEN": fixture.ReadOnly}, "", "--api-url", w.API, "--infer",
		"--workflow", filepath.Join(dir, ".github/workflows/bump.yml"), "--secret", "BOT_PAT")
	if r.code != 1 || !strings.Contains(r.stdout, "Inferred: repo") || !strings.Contains(r.stdout, "requirements-inferred") {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, map[string]string{"PAT_CHECK_TOKEN": fixture.ReadOnly}, "", "--api-url", w.API, "--infer")
	if r.code != 2 || !strings.Contains(r.stderr+r.stdout, "--workflow") {
		t.Errorf("--infer alone: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// A publish job as release workflows write it: git and gh in run steps.
const publishWorkflow = `on: workflow_dispatch
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      actions: read
    steps:
      - uses: actions/checkout@v6
      - uses: actions/download-artifact@v8
        with:
          name: assets
          github-token: ${{ github.token }}
          run-id: ${{ github.run_id }}
      - name: Tag
        run: |
          git tag v1.2.3
          git push origin refs/tags/v1.2.3
      - name: Publish
        env:
          GH_TOKEN: ${{ github.token }}
        run: gh release create v1.2.3 --verify-tag dist/*
`

// pat-check needs on the project's own workflows prints what their
// tokens need (the release workflow's publish step is a script, which it
// names as unknown), and on a publish job what git push and gh release
// create need; JSON in the contract's shape.
func TestCLINeedsOnOwnWorkflows(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "", "needs", "../.github/workflows")
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"GITHUB_TOKEN (github)", "release.yml", "actions:read", "(gh release download)", "Publish: GITHUB_TOKEN needs unknown: the token is in GH_TOKEN for bash"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("needs lacks %q:\n%s", want, r.stdout)
		}
	}
	publish := filepath.Join(t.TempDir(), "publish.yml")
	if err := os.WriteFile(publish, []byte(publishWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "", "needs", publish)
	for _, want := range []string{"GITHUB_TOKEN (github)", "contents:write", "(git push)", "(gh release create)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("needs of a publish job lacks %q:\n%s", want, r.stdout)
		}
	}
	r = run(t, nil, "", "needs", "--format", "json", publish)
	var out struct {
		Tokens []struct {
			Secret, Provider string
			Scopes           []string
			Permissions      map[string]string
			Steps            []struct {
				File, Step, Rule string
				Line             int
				Needs            []string
			}
			Unknown []struct{ File, Step, Why string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("exit %d: %v\n%s", r.code, err, r.stdout)
	}
	if len(out.Tokens) != 1 || out.Tokens[0].Secret != "GITHUB_TOKEN" || out.Tokens[0].Provider != "github" ||
		out.Tokens[0].Permissions["contents"] != "write" || out.Tokens[0].Permissions["actions"] != "read" || len(out.Tokens[0].Steps) == 0 {
		t.Errorf("json: %+v", out)
	}
	r = run(t, nil, "", "needs", "does-not-exist.yml")
	if r.code != 2 || !strings.Contains(r.stderr, "does-not-exist.yml") {
		t.Errorf("unreadable input: exit %d %q", r.code, r.stderr)
	}
}

const adoPipeline = `trigger: [main]
pool:
  vmImage: ubuntu-latest
steps:
  - checkout: self
  - task: PatCheck@1
    inputs:
      token: $(ADO_PAT)
      infer: true
  - script: az repos pr create --title "Bump" --source-branch bump --target-branch main
    displayName: Open the pull request
    env:
      AZURE_DEVOPS_EXT_PAT: $(ADO_PAT)
`

// Under Azure Pipelines, infer reads the pipeline's YAML from the sources
// directory (pipelineFile names it) and its $(VARIABLE) uses.
func TestAzureInfer(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	w.Azure.SetTokenList(true)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "ci"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "ci", "release.yml"), []byte(adoPipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	azure := func(tok string, inputs map[string]string) azureRun {
		t.Helper()
		env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": t.TempDir(), "INPUT_TOKEN": tok,
			"SYSTEM_COLLECTIONURI": w.Org + "/", "SYSTEM_TEAMPROJECT": "Web", "BUILD_SOURCESDIRECTORY": dir}
		for k, v := range inputs {
			env["INPUT_"+strings.ToUpper(k)] = v
		}
		return parseAzureRun(t, run(t, env, ""), tok)
	}
	r := azure(fixture.AzureReader, map[string]string{"infer": "true", "pipelineFile": "ci/release.yml", "tokenName": "reader"})
	if r.code != 1 || r.variables["missing"] != "vso.code_write" {
		t.Fatalf("read-only: exit %d variables %v\n%s", r.code, r.variables, r.shown())
	}
	if !strings.Contains(r.summary, `| Inferred: vso.code_write | ❌ fail | needed by "Open the pull request" at ci/release.yml:10 (az repos pr create/update) |`) {
		t.Errorf("summary:\n%s", r.summary)
	}
	r = azure(fixture.AzureValid, map[string]string{"infer": "true", "pipelineFile": "ci/release.yml", "tokenName": "release"})
	if r.code != 0 || r.complete != "Succeeded" {
		t.Errorf("a token that can write: exit %d complete %q\n%s", r.code, r.complete, r.shown())
	}
	// The default file, azure-pipelines.yml, is not there.
	r = azure(fixture.AzureValid, map[string]string{"infer": "true"})
	if r.code != 2 || !strings.Contains(strings.Join(r.issues["error"], "\n"), "pipelineFile") {
		t.Errorf("no pipeline file: exit %d issues %v", r.code, r.issues)
	}
}
