package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// lpReport is the part of the JSON report these tests read.
type lpReport struct {
	Result   string
	Findings []struct {
		Code, Severity, Message, Fix, URL string
	}
}

func (r lpReport) find(code string) (sev, msg, fix, url string, ok bool) {
	for _, f := range r.Findings {
		if f.Code == code {
			return f.Severity, f.Message, f.Fix, f.URL, true
		}
	}
	return "", "", "", "", false
}

// feRun is one front-end's run, reduced to what these tests compare.
type feRun struct {
	code    int
	report  lpReport
	summary string
	all     string
}

// runEveryFrontEnd runs a GitHub token through the three front-ends with
// the same options (by canonical name), the workspace (if any) given the
// way each platform gives it, and reads the JSON report each one wrote.
func runEveryFrontEnd(t *testing.T, w *fixture.World, tok string, opts map[string]string, ws string) map[string]feRun {
	t.Helper()
	out := map[string]feRun{}
	read := func(fe, path string, code int, summary, all string) {
		var rep lpReport
		if err := json.Unmarshal([]byte(readFile(path)), &rep); err != nil {
			t.Fatalf("%s: the report is not JSON: %v", fe, err)
		}
		out[fe] = feRun{code: code, report: rep, summary: summary, all: all}
	}

	// GitHub Actions: inputs by name, the checkout in GITHUB_WORKSPACE.
	report := filepath.Join(t.TempDir(), "report.json")
	inputs := map[string]string{"report-path": report}
	for k, v := range opts {
		inputs[k] = v
	}
	extra := map[string]string{}
	if ws != "" {
		inputs["scan-workspace"], extra["GITHUB_WORKSPACE"] = "true", ws
	}
	// Every channel but the mask commands, which carry the token by design
	// (runActions and parseAzureRun check those come first).
	all := func(r result) string {
		r.stdout = r.shown()
		return r.all()
	}
	a := runActions(t, w, tok, inputs, extra)
	read("actions", report, a.code, a.summary, all(a.result))

	// Azure Pipelines: inputs by task name, the checkout in BUILD_SOURCESDIRECTORY.
	report = filepath.Join(t.TempDir(), "report.json")
	env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": t.TempDir(), "INPUT_TOKEN": tok, "INPUT_APIURL": w.API, "INPUT_REPORTPATH": report}
	for k, v := range opts {
		o, _ := config.Lookup(k)
		env["INPUT_"+strings.ToUpper(o.Task)] = v
	}
	if ws != "" {
		env["INPUT_SCANWORKSPACE"], env["BUILD_SOURCESDIRECTORY"] = "true", ws
	}
	res := run(t, env, "")
	res.report = readFile(report)
	z := parseAzureRun(t, res, tok)
	read("azure", report, z.code, z.summary, all(z.result))

	// The command line: flags, --scan DIR.
	report = filepath.Join(t.TempDir(), "report.json")
	args := []string{"--api-url", w.API, "--report", report}
	for k, v := range opts {
		o, _ := config.Lookup(k)
		args = append(args, "--"+o.Flag+"="+v)
	}
	if ws != "" {
		args = append(args, "--scan", ws)
	}
	c := run(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "", args...)
	c.report = readFile(report)
	read("cli", report, c.code, c.stdout, c.all())

	for fe, r := range out {
		assertNoLeak(t, tok, fe, r.all)
	}
	return out
}

// The end-to-end runs here are the least-privilege checks that only a
// process shows: the checkout found through each platform's environment
// and read from disk. The rest (excess scopes and permissions, lifetime,
// the advice on the token's kind) runs in-process in every front-end
// (internal/app/leastprivilege_test.go).
func TestCommittedTokenInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	ws := t.TempDir()
	if err := os.MkdirAll(filepath.Join(ws, "config"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(ws, "config", "deploy.yml"), []byte("deploy:\n  target: prod\n  token: "+fixture.Healthy+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for fe, r := range runEveryFrontEnd(t, w, fixture.Healthy, map[string]string{"scopes": "repo, workflow"}, ws) {
		sev, msg, fix, _, ok := r.report.find("token-committed")
		if !ok || sev != "error" || r.code != 1 {
			t.Fatalf("%s: exit %d token-committed %v", fe, r.code, ok)
		}
		if !strings.Contains(msg, "config/deploy.yml:3") {
			t.Errorf("%s: %s", fe, msg)
		}
		steps := []string{"Revoke the token now", "Create a new token", "Store it", "from the history"}
		last := -1
		for _, s := range steps {
			i := strings.Index(fix, s)
			if i < last {
				t.Errorf("%s: %q missing or out of order in:\n%s", fe, s, fix)
			}
			last = i
		}
	}
}

func TestScanOfNoDirectoryIsAnInvalidOption(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	missing := filepath.Join(t.TempDir(), "nowhere")
	c := run(t, map[string]string{"PAT_CHECK_TOKEN": fixture.Healthy}, "", "--api-url", w.API, "--scan", missing)
	if c.code != 2 || !strings.Contains(c.stdout+c.stderr, "--scan: ") {
		t.Errorf("exit %d\n%s%s", c.code, c.stdout, c.stderr)
	}
	a := runActions(t, w, fixture.Healthy, map[string]string{"scan-workspace": "true"}, nil)
	if a.code != 2 || !strings.Contains(a.all(), "GITHUB_WORKSPACE is not set") {
		t.Errorf("actions: exit %d\n%s", a.code, a.shown())
	}
	if len(w.GitHub.Requests()) != 0 {
		t.Errorf("%d requests sent with an invalid option", len(w.GitHub.Requests()))
	}
}
