package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// The token-health runs: several tokens at once (tokens, --tokens-from-env)
// through the binary, once per front-end, against a repository whose
// workflow uses five of them: the masking of every value that looks like a
// token, the summary, the outputs, the current directory of the command
// line. What the several-token mode decides (GITHUB_TOKEN named on a line,
// token and tokens together, the rate-limit floor) runs in-process
// (internal/app/several_test.go).

var (
	// Values that are not tokens: never printed, never sent.
	hPassword = "hunter2-Correct-Horse-Battery-9f8e7d"
	hWebhook  = "0123456789abcdef0123456789abcdef01234567" // 40 hex: a legacy token's shape
)

// healthSecrets are the repository's secrets by name.
func healthSecrets() map[string]string {
	return map[string]string{
		"RELEASE_PAT": fixture.TeamRelease, "DOCS_PAT": fixture.TeamDocs, "TAP_PAT": fixture.TeamTap, "PUSH_PAT": fixture.TeamPush, "ORG_PAT": fixture.TeamOrg,
		"DEPLOY_PAT": fixture.TeamDeploy, "SIGNING_PASSWORD": hPassword, "WEBHOOK_SECRET": hWebhook,
	}
}

// healthResults are each token's result.
var healthResults = map[string]string{
	"RELEASE_PAT": "pass", "DOCS_PAT": "warn", "TAP_PAT": "fail", "PUSH_PAT": "fail", "ORG_PAT": "fail", "DEPLOY_PAT": "pass",
}

// healthWorld is the shared world with a checkout whose workflow
// (fixture.TeamWorkflow) uses the team's tokens.
type healthWorld struct {
	*fixture.World
	dir string // the checkout, with .github/workflows/release.yml
}

func newHealthWorld(t *testing.T) *healthWorld {
	t.Helper()
	return &healthWorld{World: newWorld(t, ""), dir: fixture.TeamCheckout(t)}
}

// healthReport is the JSON report of a run over several tokens.
type healthReport struct {
	Result string
	Tokens []struct {
		Name, Result, TokenType, Login, Reason string
		UsedBy                                 []string
		DaysLeft                               *int
		Missing                                []string
		Findings                               []struct{ Code, Severity, Token, Message string }
	}
	NotChecked []struct{ Name, Why string }
	Findings   []struct{ Code, Token string }
}

func parseHealth(t *testing.T, text string) healthReport {
	t.Helper()
	var r healthReport
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		t.Fatalf("the report does not parse: %v\n%s", err, text)
	}
	return r
}

// check asserts the per-token results, the findings' token names and the
// values left alone.
func (r healthReport) check(t *testing.T, want map[string]string, notChecked []string) {
	t.Helper()
	got := map[string]string{}
	for _, tk := range r.Tokens {
		got[tk.Name] = tk.Result
		for _, f := range tk.Findings {
			if f.Token != tk.Name {
				t.Errorf("%s: a finding (%s) carries token %q", tk.Name, f.Code, f.Token)
			}
		}
		if tk.Reason == "" {
			t.Errorf("%s: no reason", tk.Name)
		}
	}
	for name, res := range want {
		if got[name] != res {
			t.Errorf("%s: %q, want %q", name, got[name], res)
		}
	}
	if len(got) != len(want) {
		t.Errorf("tokens checked %v, want %v", got, want)
	}
	var names []string
	for _, n := range r.NotChecked {
		names = append(names, n.Name)
	}
	slices.Sort(names)
	slices.Sort(notChecked)
	if !slices.Equal(names, notChecked) {
		t.Errorf("not checked %v, want %v", names, notChecked)
	}
	for _, f := range r.Findings {
		if f.Token == "" {
			continue
		}
		if _, ok := got[f.Token]; !ok {
			t.Errorf("a finding names token %q, which was not checked", f.Token)
		}
	}
	for _, tk := range r.Tokens {
		switch tk.Name {
		case "DEPLOY_PAT":
			if len(tk.UsedBy) != 0 || !hasCode(tk.Findings, "token-unused") {
				t.Errorf("DEPLOY_PAT: used by %v, findings %v: want none and token-unused", tk.UsedBy, tk.Findings)
			}
		case "PUSH_PAT":
			if !slices.Contains(tk.Missing, "workflow") || !hasCode(tk.Findings, "scope-missing") {
				t.Errorf("PUSH_PAT: missing %v", tk.Missing)
			}
		case "ORG_PAT":
			if !hasCode(tk.Findings, "sso-authorization-required") {
				t.Errorf("ORG_PAT: findings %v", tk.Findings)
			}
		case "TAP_PAT":
			if !hasCode(tk.Findings, "token-invalid") {
				t.Errorf("TAP_PAT: findings %v", tk.Findings)
			}
		case "RELEASE_PAT":
			if !slices.Equal(tk.UsedBy, []string{".github/workflows/release.yml#release"}) {
				t.Errorf("RELEASE_PAT: used by %v", tk.UsedBy)
			}
		}
	}
}

func hasCode(fs []struct{ Code, Severity, Token, Message string }, code string) bool {
	return slices.ContainsFunc(fs, func(f struct{ Code, Severity, Token, Message string }) bool { return f.Code == code })
}

// assertNotSent fails when a value that is not a token reached the API,
// in any part of any request.
func (w *healthWorld) assertNotSent(t *testing.T, values ...string) {
	t.Helper()
	for _, req := range w.GitHub.Requests() {
		all := req.Authorization + " " + req.Path + "?" + req.RawQuery + " " + string(req.Body)
		for i, v := range values {
			if strings.Contains(all, v) {
				t.Errorf("value #%d, not a token, was sent to the API (%s %s)", i, req.Method, req.Path)
			}
		}
	}
}

// assertNowhere fails when a value appears in a channel.
func assertNowhere(t *testing.T, text string, values ...string) {
	t.Helper()
	for i, v := range values {
		if strings.Contains(text, v) {
			t.Errorf("value #%d, not a token, appears in the output", i)
		}
	}
}

func TestTokensInActions(t *testing.T) {
	t.Parallel()
	w := newHealthWorld(t)
	secrets := healthSecrets()
	secrets["github_token"] = fixture.TeamJob // toJSON(secrets) holds the job's own token
	blob, _ := json.Marshal(secrets)
	reportPath := filepath.Join(t.TempDir(), "report.json")
	r := runActions(t, w.World, "", map[string]string{"tokens": string(blob), "report-path": reportPath},
		map[string]string{"GITHUB_WORKSPACE": w.dir, "GITHUB_REPOSITORY": "octo/app"})
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.shown(), r.stderr)
	}
	rep := parseHealth(t, r.report)
	rep.check(t, healthResults, []string{"SIGNING_PASSWORD", "WEBHOOK_SECRET", "github_token"})
	if r.outputs["result"] != "fail" || r.outputs["failing"] != "ORG_PAT,PUSH_PAT,TAP_PAT" || r.outputs["expiring"] != "DOCS_PAT" {
		t.Errorf("outputs result %q failing %q expiring %q", r.outputs["result"], r.outputs["failing"], r.outputs["expiring"])
	}
	// Every token-shaped value is masked before anything else, the 40-hex
	// secret too; nothing else is.
	masked := map[string]bool{}
	for _, c := range r.cmds {
		if c.name == "add-mask" {
			masked[c.msg] = true
		}
	}
	for name, v := range secrets {
		if want := name != "SIGNING_PASSWORD"; masked[v] != want {
			t.Errorf("%s: masked %v, want %v", name, masked[v], want)
		}
	}
	for _, v := range secrets {
		if v == hPassword {
			continue
		}
		after := strings.Join(lines(r.stdout)[len(masked):], "\n")
		for name, text := range map[string]string{"stdout": after, "stderr": r.stderr, "outputs": r.outputFile, "summary": r.summary, "report": r.report} {
			assertNoLeak(t, v, name, text)
		}
	}
	assertNowhere(t, r.all(), hPassword, "hunter2")
	w.assertNotSent(t, hPassword, hWebhook, fixture.TeamJob)
	// The summary is one table, a row per token, then the fixes by token.
	for _, want := range []string{"| Token | Kind | Account | Expires | Used by | Verdict | Reason |", "| SIGNING_PASSWORD | — |",
		"not a token", "##### PUSH_PAT", "##### TAP_PAT", ".github/workflows/release.yml#sync", "edit the secret TAP_PAT"} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, r.summary)
		}
	}
	// Annotations name their token in the title.
	if !slices.ContainsFunc(r.cmds, func(c workflowCommand) bool {
		return c.name == "error" && strings.HasPrefix(c.props["title"], "PUSH_PAT: Missing scope")
	}) {
		t.Errorf("no error annotation titled for PUSH_PAT:\n%s", r.shown())
	}
}

func TestTokensInAzurePipelines(t *testing.T) {
	t.Parallel()
	w := newHealthWorld(t)
	secrets := healthSecrets()
	var b strings.Builder
	for _, name := range []string{"RELEASE_PAT", "DOCS_PAT", "TAP_PAT", "PUSH_PAT", "ORG_PAT", "DEPLOY_PAT", "SIGNING_PASSWORD", "WEBHOOK_SECRET"} {
		b.WriteString(name + "=" + secrets[name] + "\n")
	}
	// A variable the pipeline does not define stays as the agent leaves it.
	b.WriteString("MIRROR_PAT=$(MIRROR_PAT)\n")
	// Azure DevOps tokens, checked in the run's organization with what the
	// pipeline needs of them: AZDO_PAT (a legacy-format PAT, checked because
	// the pipeline uses it as a token) lacks vso.code_write; NIGHTLY_PAT
	// expires in 5 days.
	w.Azure.SetTokenList(true) // the expiry comes from the user's token list
	if err := os.WriteFile(filepath.Join(w.dir, "azure-pipelines.yml"), []byte(healthPipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	b.WriteString("AZDO_PAT=" + fixture.AzureReader + "\nNIGHTLY_PAT=" + fixture.AzureNightly + "\n")
	temp := t.TempDir()
	reportPath := filepath.Join(temp, "report.json")
	env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": temp, "INPUT_TOKENS": b.String(), "INPUT_APIURL": w.API,
		"INPUT_REPORTPATH": reportPath, "BUILD_SOURCESDIRECTORY": w.dir,
		"SYSTEM_COLLECTIONURI": w.Org + "/", "SYSTEM_TEAMPROJECT": "Web"}
	res := run(t, env, "")
	rep := readFile(reportPath)
	res.report = rep
	r := parseAzureRun(t, res, "")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s", r.code, res.shown())
	}
	want := map[string]string{"MIRROR_PAT": "fail", "AZDO_PAT": "fail", "NIGHTLY_PAT": "pass"}
	for k, v := range healthResults {
		want[k] = v
	}
	hr := parseHealth(t, rep)
	hr.check(t, want, []string{"SIGNING_PASSWORD", "WEBHOOK_SECRET"})
	for _, tk := range hr.Tokens {
		if tk.Name == "MIRROR_PAT" && (!hasCode(tk.Findings, "token-unexpanded") || !strings.Contains(tk.Findings[0].Message, "$(MIRROR_PAT)")) {
			t.Errorf("MIRROR_PAT: %v, want token-unexpanded naming $(MIRROR_PAT)", tk.Findings)
		}
	}
	if r.variables["failing"] != "TAP_PAT,PUSH_PAT,ORG_PAT,MIRROR_PAT,AZDO_PAT" || r.variables["expiring"] != "DOCS_PAT" || r.complete != "Failed" {
		t.Errorf("failing %q expiring %q complete %q", r.variables["failing"], r.variables["expiring"], r.complete)
	}
	masks := 0
	for _, c := range r.cmds {
		if c.name == "task.setsecret" {
			masks++
		}
	}
	for _, tk := range hr.Tokens {
		if tk.Name == "AZDO_PAT" && (!slices.Contains(tk.Missing, "vso.code_write") || tk.Login != "Dana Dev") {
			t.Errorf("AZDO_PAT: missing %v login %q", tk.Missing, tk.Login)
		}
		if tk.Name == "NIGHTLY_PAT" && (!hasCode(tk.Findings, "token-expiry-unknown") || !slices.Equal(tk.UsedBy, []string{"azure-pipelines.yml"})) {
			t.Errorf("NIGHTLY_PAT: used by %v, findings %v", tk.UsedBy, tk.Findings)
		}
	}
	secrets["AZDO_PAT"], secrets["NIGHTLY_PAT"] = fixture.AzureReader, fixture.AzureNightly
	for name, v := range secrets {
		if v == hPassword {
			continue
		}
		after := strings.Join(lines(r.stdout)[masks:], "\n")
		for where, text := range map[string]string{"stdout": after, "stderr": r.stderr, "summary": r.summary, "report": rep} {
			assertNoLeak(t, v, name+" in "+where, text)
		}
	}
	assertNowhere(t, r.all(), hPassword, "hunter2")
	w.assertNotSent(t, hPassword, hWebhook)
	if !strings.Contains(r.summary, "| MIRROR_PAT |") || !strings.Contains(r.summary, "| WEBHOOK_SECRET | — |") {
		t.Errorf("the summary lacks rows:\n%s", r.summary)
	}
	// Each issue names its token.
	for _, msgs := range r.issues {
		for _, m := range msgs {
			code, rest, _ := strings.Cut(m, ": ")
			name, _, _ := strings.Cut(rest, ": ")
			if _, ok := want[name]; !ok {
				t.Errorf("issue %s does not name its token: %q", code, m)
			}
		}
	}
}

// healthPipeline uses two Azure DevOps tokens: AZDO_PAT opens a pull
// request in Azure Repos (vso.code_write), NIGHTLY_PAT lists pipeline runs
// (vso.build).
const healthPipeline = `trigger: none
steps:
  - script: az repos pr create --organization https://dev.azure.com/contoso --project Web --source-branch sync --target-branch main
    env:
      AZURE_DEVOPS_EXT_PAT: $(AZDO_PAT)
  - script: az pipelines runs list --organization https://dev.azure.com/contoso --project Web
    env:
      AZURE_DEVOPS_EXT_PAT: $(NIGHTLY_PAT)
`

func TestTokensOnTheCommandLine(t *testing.T) {
	t.Parallel()
	w := newHealthWorld(t)
	env := healthSecrets()
	env["GH_TOKEN"] = fixture.TeamRelease // set for other tools: not read with --tokens-from-env
	names := "RELEASE_PAT,DOCS_PAT,TAP_PAT,PUSH_PAT,ORG_PAT,DEPLOY_PAT,SIGNING_PASSWORD,WEBHOOK_SECRET"
	r := runIn(t, w.dir, env, "", "--tokens-from-env", names, "--api-url", w.API, "--format", "json")
	if r.code != 1 {
		t.Fatalf("exit %d, want 1\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	rep := parseHealth(t, r.stdout)
	rep.check(t, healthResults, []string{"SIGNING_PASSWORD", "WEBHOOK_SECRET"})
	text := runIn(t, w.dir, env, "", "--tokens-from-env", names, "--api-url", w.API)
	if text.code != 1 {
		t.Errorf("text: exit %d", text.code)
	}
	for _, want := range []string{"FAIL: 6 tokens checked: 3 failing, 1 with warnings, 2 passing", "SIGNING_PASSWORD", "not a token", "PUSH_PAT:", "export TAP_PAT"} {
		if !strings.Contains(text.stdout, want) {
			t.Errorf("the text lacks %q:\n%s", want, text.stdout)
		}
	}
	for _, v := range []string{fixture.TeamRelease, fixture.TeamDocs, fixture.TeamTap, fixture.TeamPush, fixture.TeamOrg, fixture.TeamDeploy, hWebhook} {
		assertNoLeak(t, v, "the command line's output", r.all()+text.all())
	}
	assertNowhere(t, r.all()+text.all(), hPassword, "hunter2")
	w.assertNotSent(t, hPassword, hWebhook)
}
