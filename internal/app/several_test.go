package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// sPassword is a value that is not a token: never printed, never sent.
const sPassword = "hunter2-but-longer-and-Secret-9f8e7d"

// severalWorld is the shared world (package fixture) and a checkout whose
// workflow (fixture.TeamWorkflow) uses the team's tokens.
func severalWorld(t *testing.T) (*simulate.GitHub, string, string) {
	t.Helper()
	w := fixture.New(t, fixture.Options{Now: mainNow})
	return w.GitHub, w.API, fixture.TeamCheckout(t)
}

type severalReport struct {
	Result string
	Tokens []struct {
		Name, Result, TokenType, Login, Reason string
		UsedBy                                 []string
		DaysLeft                               *int
		Findings                               []struct{ Code, Severity, Token, Message string }
	}
	NotChecked []struct{ Name, Why string }
	Findings   []struct{ Code, Token string }
}

func TestSeveralTokensActions(t *testing.T) {
	t.Parallel()
	gh, api, dir := severalWorld(t)
	secrets, _ := json.Marshal(map[string]string{
		"RELEASE_PAT": fixture.TeamRelease, "DOCS_PAT": fixture.TeamDocs, "TAP_PAT": fixture.TeamTap, "ORG_PAT": fixture.TeamOrg,
		"DEPLOY_PAT": fixture.TeamDeploy, "SIGNING_PASSWORD": sPassword, "github_token": simulate.InstallationToken("several-job"),
	})
	out := filepath.Join(dir, "out")
	reportPath := filepath.Join(dir, "report.json")
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "octo/app", "GITHUB_OUTPUT": out,
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"), "INPUT_TOKENS": string(secrets), "INPUT_API-URL": api,
		"INPUT_REPORT-PATH": reportPath, "INPUT_ORGANIZATION": "octo-org",
	}
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), nil, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &stdout, Err: &stderr}, World{Now: func() time.Time { return mainNow }})
	if code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	var r severalReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	results := map[string]string{}
	for _, tk := range r.Tokens {
		results[tk.Name] = tk.Result
		for _, f := range tk.Findings {
			if f.Token != tk.Name {
				t.Errorf("%s: a finding carries token %q", tk.Name, f.Token)
			}
		}
	}
	want := map[string]string{"RELEASE_PAT": "pass", "DOCS_PAT": "warn", "TAP_PAT": "fail", "ORG_PAT": "fail", "DEPLOY_PAT": "pass"}
	for k, v := range want {
		if results[k] != v {
			t.Errorf("%s: %s, want %s", k, results[k], v)
		}
	}
	var skipped []string
	for _, s := range r.NotChecked {
		skipped = append(skipped, s.Name)
	}
	slices.Sort(skipped)
	if !slices.Equal(skipped, []string{"SIGNING_PASSWORD", "github_token"}) {
		t.Errorf("not checked: %v", skipped)
	}
	all := stdout.String() + stderr.String() + string(b)
	for _, f := range []string{"summary", "out"} {
		s, _ := os.ReadFile(filepath.Join(dir, f))
		all += string(s)
	}
	if strings.Contains(all, sPassword) || strings.Contains(all, "hunter2") {
		t.Error("the password appears in an output channel")
	}
	for _, req := range gh.Requests() {
		if strings.Contains(req.Authorization+req.Path+req.RawQuery+string(req.Body), "hunter2") {
			t.Error("the password was sent to the API")
		}
	}
	if !strings.Contains(all, "failing<<") || !strings.Contains(all, "no workflow uses DEPLOY_PAT") {
		t.Errorf("outputs or unused notice missing:\n%s", all)
	}
}

// An Azure DevOps token in a GitHub run with no organization cannot be
// checked: its row says so (exit 2), and the other tokens are checked.
func TestSeveralTokensOneCannotBeChecked(t *testing.T) {
	t.Parallel()
	_, api, dir := severalWorld(t)
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "octo/app",
		"INPUT_TOKENS": "RELEASE_PAT=" + fixture.TeamRelease + "\nMIRROR_PAT=" + simulate.CurrentAzurePAT("several-mirror") + "\n", "INPUT_API-URL": api,
	}
	var stdout bytes.Buffer
	code := Main(context.Background(), nil, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &stdout, Err: io.Discard}, World{Now: func() time.Time { return mainNow }})
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	out := stdout.String()
	for _, want := range []string{"passed every check", "MIRROR_PAT   azure-devops", "config-invalid: MIRROR_PAT: organization"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q:\n%s", want, out)
		}
	}
}

func TestSeveralTokensSharedOptionInvalid(t *testing.T) {
	t.Parallel()
	gh, api, dir := severalWorld(t)
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "INPUT_TOKENS": "RELEASE_PAT=" + fixture.TeamRelease + "\nDOCS_PAT=" + fixture.TeamDocs,
		"INPUT_API-URL": api, "INPUT_MIN-DAYS-LEFT": "soon",
	}
	var stdout bytes.Buffer
	code := Main(context.Background(), nil, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &stdout, Err: io.Discard}, World{Now: func() time.Time { return mainNow }})
	if code != 2 || strings.Count(stdout.String(), "::error title=Invalid option%3A min-days-left") != 1 {
		t.Errorf("exit %d, want 2 and the option named once:\n%s", code, stdout.String())
	}
	if n := len(gh.Requests()); n != 0 {
		t.Errorf("%d requests sent with invalid options", n)
	}
}

// A fine-grained token that may do on each repository only what that
// repository's steps do (on GitHub the account's role there limits it; the
// simulator's per-repository grants stand for that) passes: each
// permission is checked where a step needs it, not on every repository the
// token reaches.
func TestSeveralTokensPermissionsPerRepository(t *testing.T) {
	t.Parallel()
	gh, api, dir := severalWorld(t)
	gh.AddRepo("octo/lib", true)
	fine := simulate.FineGrainedToken("several-per-repo")
	gh.AddToken(simulate.Token{Value: fine, Login: "octocat", FineGrained: true, Expiration: mainExpiry(60),
		Repositories: []string{"octo/app", "octo/lib"},
		Grants:       map[string]map[string]string{"octo/lib": {"issues": "write"}, "octo/app": {"contents": "write"}}})
	wf := "name: bot\non: push\njobs:\n  bot:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n" +
		"          gh issue create --repo octo/lib --title t --body b\n          gh release create v1 --repo octo/app\n" +
		"        env:\n          GH_TOKEN: ${{ secrets.BOT_PAT }}\n"
	if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "bot.yml"), []byte(wf), 0o644); err != nil {
		t.Fatal(err)
	}
	reportPath := filepath.Join(dir, "report.json")
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "octo/app",
		"INPUT_TOKENS": "BOT_PAT=" + fine, "INPUT_API-URL": api, "INPUT_REPORT-PATH": reportPath}
	var stdout bytes.Buffer
	code := Main(context.Background(), nil, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &stdout, Err: io.Discard}, World{Now: func() time.Time { return mainNow }})
	b, _ := os.ReadFile(reportPath)
	var r severalReport
	_ = json.Unmarshal(b, &r)
	if code != 0 || len(r.Tokens) != 1 || r.Tokens[0].Result != "pass" {
		t.Errorf("exit %d, want 0 and BOT_PAT passing:\n%s", code, b)
	}
	probed := map[string]bool{}
	for _, req := range gh.Requests() {
		probed[req.Method+" "+req.Path] = true
	}
	if probed["GET /repos/octo/lib/commits"] || probed["GET /repos/octo/app/issues"] {
		t.Errorf("a permission was probed where no step needs it: %v", probed)
	}
}

// The task's defaults (pipelineFile, infer) come with every run: they are
// not options given with tokens; a pipelineFile that is given is read
// besides the default places.
func TestSeveralTokensAzureDefaults(t *testing.T) {
	t.Parallel()
	_, api, dir := severalWorld(t)
	env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": t.TempDir(), "BUILD_SOURCESDIRECTORY": dir,
		"INPUT_TOKENS": "RELEASE_PAT=" + fixture.TeamRelease, "INPUT_APIURL": api, "INPUT_PIPELINEFILE": "azure-pipelines.yml", "INPUT_INFER": "false"}
	var stdout bytes.Buffer
	code := Main(context.Background(), nil, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &stdout, Err: io.Discard}, World{Now: func() time.Time { return mainNow }})
	if code != 0 {
		t.Errorf("exit %d, want 0:\n%s", code, stdout.String())
	}
	// A pipeline elsewhere is read too: there, DEPLOY_PAT is used.
	if err := os.MkdirAll(filepath.Join(dir, "ci"), 0o755); err != nil {
		t.Fatal(err)
	}
	pipeline := "steps:\n  - checkout: self\n  - script: git push https://x-access-token:$(DEPLOY_PAT)@github.com/octo/app.git HEAD\n"
	if err := os.WriteFile(filepath.Join(dir, "ci", "release.yml"), []byte(pipeline), 0o644); err != nil {
		t.Fatal(err)
	}
	env["INPUT_PIPELINEFILE"] = "ci/release.yml"
	env["INPUT_TOKENS"] += "\nDEPLOY_PAT=" + fixture.TeamDeploy
	stdout.Reset()
	code = Main(context.Background(), nil, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &stdout, Err: io.Discard}, World{Now: func() time.Time { return mainNow }})
	if code != 0 || strings.Contains(stdout.String(), "no workflow uses DEPLOY_PAT") || !strings.Contains(stdout.String(), "ci/release.yml") {
		t.Errorf("exit %d, want 0 with DEPLOY_PAT used by ci/release.yml:\n%s", code, stdout.String())
	}
}

// check asserts each token's result (want, by name: exactly these were
// checked), the values left alone (notChecked), that every finding names
// the token it is about and every token says why, and that RELEASE_PAT is
// used by the release job.
func (r severalReport) check(t *testing.T, want map[string]string, notChecked []string) {
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
		if tk.Name == "RELEASE_PAT" && !slices.Equal(tk.UsedBy, []string{".github/workflows/release.yml#release"}) {
			t.Errorf("RELEASE_PAT: used by %v", tk.UsedBy)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("results (-want +got):\n%s", diff)
	}
	names := []string{}
	for _, n := range r.NotChecked {
		names = append(names, n.Name)
	}
	slices.Sort(names)
	notChecked = append([]string{}, notChecked...)
	slices.Sort(notChecked)
	if diff := cmp.Diff(notChecked, names); diff != "" {
		t.Errorf("not checked (-want +got):\n%s", diff)
	}
	for _, f := range r.Findings {
		if _, ok := got[f.Token]; f.Token != "" && !ok {
			t.Errorf("a finding names token %q, which was not checked", f.Token)
		}
	}
}

// severalMain runs Main with env (and stdin, for --token-stdin) at mainNow.
func severalMain(env map[string]string, stdin string, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(stdin), Out: &stdout, Err: &stderr}, World{Now: func() time.Time { return mainNow }})
	return code, stdout.String(), stderr.String()
}

// GITHUB_TOKEN named on a line of the tokens input is checked, beside the
// secrets of toJSON(secrets).
func TestTokensInActionsNamingGitHubToken(t *testing.T) {
	t.Parallel()
	_, api, dir := severalWorld(t)
	blob, _ := json.Marshal(map[string]string{"github_token": fixture.TeamJob, "RELEASE_PAT": fixture.TeamRelease})
	reportPath := filepath.Join(t.TempDir(), "report.json")
	code, stdout, _ := severalMain(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "octo/app",
		"INPUT_TOKENS": string(blob) + "\nGITHUB_TOKEN\n", "INPUT_API-URL": api, "INPUT_REPORT-PATH": reportPath}, "")
	b, _ := os.ReadFile(reportPath)
	var r severalReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("exit %d: the report: %v", code, err)
	}
	result := ""
	for _, tk := range r.Tokens {
		if tk.Name == "github_token" {
			result = tk.Result
		}
	}
	if result == "" {
		t.Errorf("GITHUB_TOKEN named on a line is not checked:\n%s", stdout)
	}
	r.check(t, map[string]string{"RELEASE_PAT": "pass", "github_token": result}, []string{})
}

// token and tokens together are an invalid option in every front-end, and
// nothing is sent.
func TestTokensWithTokenIsAnError(t *testing.T) {
	t.Parallel()
	gh, api, dir := severalWorld(t)
	code, stdout, _ := severalMain(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "INPUT_TOKEN": fixture.TeamRelease,
		"INPUT_TOKENS": "DOCS_PAT=" + fixture.TeamDocs, "INPUT_API-URL": api}, "")
	if code != 2 || !strings.Contains(stdout, "token and tokens are both given") {
		t.Errorf("Actions: exit %d, want 2 naming both options:\n%s", code, stdout)
	}
	code, stdout, _ = severalMain(map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": t.TempDir(), "INPUT_TOKEN": fixture.TeamRelease,
		"INPUT_TOKENS": "DOCS_PAT=" + fixture.TeamDocs, "BUILD_SOURCESDIRECTORY": dir, "INPUT_APIURL": api}, "")
	if code != 2 || !strings.Contains(stdout, "token and tokens are both given") {
		t.Errorf("Azure: exit %d, want 2 naming both options:\n%s", code, stdout)
	}
	code, stdout, stderr := severalMain(map[string]string{"DOCS_PAT": fixture.TeamDocs}, fixture.TeamRelease,
		"--tokens-from-env", "DOCS_PAT", "--token-stdin", "--api-url", api)
	if code != 2 || !strings.Contains(stdout+stderr, "--token-stdin and --tokens-from-env are both given") {
		t.Errorf("CLI: exit %d, want 2 naming both options:\n%s%s", code, stdout, stderr)
	}
	if n := len(gh.Requests()); n != 0 {
		t.Errorf("%d requests sent for invalid options", n)
	}
}

// floorWorkflow checks out another repository with each of five tokens:
// every check is the token's own request, then the repository's.
const floorWorkflow = `name: mirror
on: push
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { repository: octo/tap, token: "${{ secrets.BOT1_PAT }}" }
  two:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { repository: octo/tap, token: "${{ secrets.BOT2_PAT }}" }
  three:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { repository: octo/tap, token: "${{ secrets.BOT3_PAT }}" }
  four:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { repository: octo/tap, token: "${{ secrets.OCTO1_PAT }}" }
  five:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with: { repository: octo/tap, token: "${{ secrets.OCTO2_PAT }}" }
`

// A floor reached midway: the bot account has few requests left this hour.
// Each of its tokens gets its first request (the token itself), then no
// more: those checks are inconclusive (rate-limited) and say why, and the
// other account's tokens are checked in full.
func TestTokensRateLimitFloor(t *testing.T) {
	t.Parallel()
	gh, api, dir := severalWorld(t)
	if err := os.WriteFile(filepath.Join(dir, ".github", "workflows", "release.yml"), []byte(floorWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	bots := []string{simulate.ClassicToken("bot-1"), simulate.ClassicToken("bot-2"), simulate.ClassicToken("bot-3")}
	for _, b := range bots {
		gh.AddToken(simulate.Token{Value: b, Login: "release-bot", Scopes: []string{"repo"},
			Expiration: mainExpiry(60), Repositories: []string{"octo/tap"}})
	}
	gh.SetAccountRateLimit("release-bot", 12)
	// Under Actions: the workflows are read from the checkout that
	// GITHUB_WORKSPACE names (the command line reads the current
	// directory, which e2e/tokens_test.go exercises).
	blob, _ := json.Marshal(map[string]string{"BOT1_PAT": bots[0], "BOT2_PAT": bots[1], "BOT3_PAT": bots[2], "OCTO1_PAT": fixture.TeamRelease, "OCTO2_PAT": fixture.TeamDeploy})
	reportPath := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := severalMain(map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "octo/app",
		"INPUT_TOKENS": string(blob), "INPUT_API-URL": api, "INPUT_REPORT-PATH": reportPath}, "")
	b, _ := os.ReadFile(reportPath)
	var r severalReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("exit %d: the report: %v\n%s%s", code, err, stdout, stderr)
	}
	if code != 3 {
		t.Errorf("exit %d, want 3 (inconclusive)", code)
	}
	r.check(t, map[string]string{"BOT1_PAT": "error", "BOT2_PAT": "error", "BOT3_PAT": "error", "OCTO1_PAT": "pass", "OCTO2_PAT": "pass"}, nil)
	for _, tk := range r.Tokens {
		if tk.Result != "error" {
			continue
		}
		limited := false
		for _, f := range tk.Findings {
			if f.Code == "rate-limited" {
				limited = true
				if !strings.Contains(f.Message, "were not sent") {
					t.Errorf("%s: the message does not say why: %q", tk.Name, f.Message)
				}
			}
		}
		if !limited {
			t.Errorf("%s: %v, want rate-limited", tk.Name, tk.Findings)
		}
		if tk.Login != "release-bot" {
			t.Errorf("%s: the token's own request was not sent (login %q)", tk.Name, tk.Login)
		}
	}
	bot := 0
	for _, req := range gh.Requests() {
		for _, b := range bots {
			if strings.Contains(req.Authorization, b) {
				bot++
			}
		}
	}
	if bot != len(bots) {
		t.Errorf("the bot's tokens sent %d requests, want %d (one each, then the floor)", bot, len(bots))
	}
}
