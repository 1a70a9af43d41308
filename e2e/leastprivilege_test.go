package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// lpReport is the part of the JSON report these tests read.
type lpReport struct {
	Result   string
	Excess   []string
	Advice   []string
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

func TestExcessScopesInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	tok := simulate.ClassicToken("too-much")
	w.GitHub.AddToken(simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"repo", "delete_repo", "admin:org"},
		Expiration: w.Expiry(60), Repositories: []string{"octo/private"}})

	for fe, r := range runEveryFrontEnd(t, w, tok, map[string]string{"scopes": "repo"}, "") {
		sev, msg, fix, _, ok := r.report.find("scope-excess")
		switch {
		case r.code != 0 || r.report.Result != "pass":
			t.Errorf("%s: exit %d result %s: a notice must not fail or warn", fe, r.code, r.report.Result)
		case !ok || sev != "notice":
			t.Errorf("%s: scope-excess %q %q", fe, sev, msg)
		case !strings.Contains(msg, "delete_repo: delete any repository the account administers") || !strings.Contains(msg, "admin:org: "):
			t.Errorf("%s: the message does not name the scopes and what they allow: %s", fe, msg)
		case !strings.Contains(fix, "Untick delete_repo, admin:org") || !strings.Contains(fix, "the value stays the same"):
			t.Errorf("%s: fix %s", fe, fix)
		}
		if !slices.Equal(r.report.Excess, []string{"delete_repo", "admin:org"}) || !slices.Equal(r.report.Advice, []string{"scope-excess"}) {
			t.Errorf("%s: excess %v advice %v", fe, r.report.Excess, r.report.Advice)
		}
	}
	for fe, r := range runEveryFrontEnd(t, w, tok, map[string]string{"scopes": "repo", "excess": "error"}, "") {
		if sev, _, _, _, _ := r.report.find("scope-excess"); r.code != 1 || sev != "error" {
			t.Errorf("%s, excess: error: exit %d severity %q", fe, r.code, sev)
		}
		if fe != "cli" && !strings.Contains(r.summary, "#### Least privilege") || !strings.Contains(r.summary, "delete_repo") {
			t.Errorf("%s: no Least privilege section:\n%s", fe, r.summary)
		}
	}
}

func TestExcessPermissionsOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	opts := map[string]string{"permissions": "contents:read", "repositories": "octo/private"}
	probed := func() bool {
		for _, r := range w.GitHub.Requests() {
			if strings.Contains(r.Path, "/hooks") {
				return true
			}
		}
		return false
	}
	for fe, r := range runEveryFrontEnd(t, w, fixture.Fine, opts, "") {
		if _, _, _, _, ok := r.report.find("permission-excess"); ok || r.code != 0 {
			t.Errorf("%s, excess at its default: exit %d, permission-excess reported", fe, r.code)
		}
	}
	if probed() {
		t.Error("permissions that were not required were probed at excess: notice")
	}
	opts["excess"] = "warning"
	for fe, r := range runEveryFrontEnd(t, w, fixture.Fine, opts, "") {
		sev, msg, fix, url, ok := r.report.find("permission-excess")
		if !ok || sev != "warning" || r.code != 0 || r.report.Result != "warn" {
			t.Fatalf("%s: exit %d result %s permission-excess %q", fe, r.code, r.report.Result, sev)
		}
		for _, p := range []string{"pull_requests:write", "issues:write", "discussions:read", "repository_hooks:write"} {
			if !strings.Contains(msg, p) || !slices.Contains(r.report.Excess, p+"@octo/private") {
				t.Errorf("%s: %s not named: %s / %v", fe, p, msg, r.report.Excess)
			}
		}
		for _, e := range r.report.Excess {
			if strings.HasPrefix(e, "contents:") || strings.HasPrefix(e, "metadata:") {
				t.Errorf("%s: a required or implied permission called excess: %v", fe, r.report.Excess)
			}
		}
		if !strings.Contains(fix, "Pull requests → No access") || !strings.Contains(url, "contents=read") || strings.Contains(url, "issues=") {
			t.Errorf("%s: fix %s\nlink %s", fe, fix, url)
		}
	}
	if !probed() {
		t.Error("excess: warning sent no probe of the permissions not required")
	}
}

func TestGitHubTokenExcessGetsTheSmallestPermissionsBlock(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	opts := map[string]string{"permissions": "contents:read", "repositories": "octo/private", "excess": "warning"}
	for fe, r := range runEveryFrontEnd(t, w, fixture.Job, opts, "") {
		_, msg, fix, _, ok := r.report.find("permission-excess")
		if !ok || !strings.Contains(msg, "pull_requests:read") {
			t.Fatalf("%s: %v %s", fe, ok, msg)
		}
		// The block follows its step, indented, as every block to copy
		// is; the summary fences it so that it stays code.
		if !strings.Contains(fix, "\n     permissions:\n       contents: read") {
			t.Errorf("%s: no permissions block in the fix:\n%s", fe, fix)
		}
		if fe == "actions" && !strings.Contains(r.summary, "```\n   permissions:\n     contents: read\n   ```") {
			t.Errorf("the summary does not show the block as code:\n%s", r.summary)
		}
	}
}

func TestLifetimeTooLong(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	tok := simulate.ClassicToken("long-lived")
	w.GitHub.AddToken(simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"repo"}, Expiration: w.Expiry(300)})
	for fe, r := range runEveryFrontEnd(t, w, tok, map[string]string{"max-days-left": "90"}, "") {
		sev, msg, fix, _, _ := r.report.find("token-lifetime-too-long")
		if sev != "warning" || r.code != 0 || !strings.Contains(msg, "300 days") || !strings.Contains(msg, "at most 90 days") || !strings.Contains(fix, "Regenerate token") {
			t.Errorf("%s: exit %d %q %s\n%s", fe, r.code, sev, msg, fix)
		}
	}
	for fe, r := range runEveryFrontEnd(t, w, tok, map[string]string{"max-days-left": "90", "lifetime-policy": "enforce"}, "") {
		if sev, _, _, _, _ := r.report.find("token-lifetime-too-long"); sev != "error" || r.code != 1 {
			t.Errorf("%s, enforce: exit %d severity %q", fe, r.code, sev)
		}
	}
}

func TestKindAdviceForAClassicToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	for fe, r := range runEveryFrontEnd(t, w, fixture.Healthy, map[string]string{"scopes": "repo, workflow", "policy": "recommended"}, "") {
		sev, msg, fix, url, ok := r.report.find("token-kind-advice")
		if !ok || sev != "notice" || r.code != 0 {
			t.Fatalf("%s: exit %d kind advice %v %q", fe, r.code, ok, sev)
		}
		for _, p := range []string{"contents:write", "pull_requests:write", "issues:write", "workflows:write", "metadata:read"} {
			if !strings.Contains(msg, p) {
				t.Errorf("%s: %s not listed: %s", fe, p, msg)
			}
		}
		if !strings.Contains(url, "/settings/personal-access-tokens/new?") || !strings.Contains(url, "workflows=write") || !strings.Contains(url, "contents=write") {
			t.Errorf("%s: link %s", fe, url)
		}
		if !strings.Contains(fix, "Narrow them to what the job uses") {
			t.Errorf("%s: no line on narrowing: %s", fe, fix)
		}
	}
}

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
