package app

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// mainOut runs Main on the command line with env and args, and returns the
// exit code, stdout and stderr.
func mainOut(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, World{})
	return code, out.String(), errb.String()
}

// An Azure DevOps token list gives expiries with fractions of a second:
// the JSON report says the same instant as the text, in whole seconds, and
// names the token list as the source.
func TestJSONExpiryInWholeSecondsFromTheTokenList(t *testing.T) {
	t.Parallel()
	w := fixture.New(t, fixture.Options{Now: time.Now()})
	w.Azure.SetTokenList(true)
	tok := simulate.CurrentAzurePAT("fractions")
	validTo := time.Now().UTC().Add(50 * 24 * time.Hour).Truncate(time.Second).Add(989019900 * time.Nanosecond)
	w.Azure.AddPAT(simulate.AzurePAT{Value: tok, DisplayName: "fractions", UserID: "0d5e1f2a-3b4c-4d5e-8f60-718293a4b5c6",
		Email: "dana@contoso.com", DisplayUser: "Dana Dev", Scopes: []string{"vso.code"}, ValidTo: validTo})
	code, out, errs := mainOut(t, map[string]string{"AZURE_DEVOPS_EXT_PAT": tok},
		"--provider", "azure-devops", "--organization", w.Org, "--token-name", "fractions", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var r struct {
		ExpiresAt    string `json:"expiresAt"`
		ExpirySource string `json:"expirySource"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	want := validTo.Truncate(time.Second).Format(time.RFC3339)
	if r.ExpiresAt != want || r.ExpirySource != "token-list" {
		t.Errorf("expiresAt %q from %q, want %q from token-list", r.ExpiresAt, r.ExpirySource, want)
	}
}

// A mistyped flag followed by owner/name points at --repositories, as it
// was typed, and never at a flag that would write a file by that name.
func TestMistypedFlagPointsAtTheFlagMeant(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"--repos", "octo-org/deploy"}, {"--repos=octo-org/deploy"}, {"--rep", "octo-org/deploy"}} {
		code, out, errs := mainOut(t, nil, args...)
		if code != 2 || out != "" || !strings.Contains(errs, "unknown flag --"+strings.TrimLeft(strings.SplitN(args[0], "=", 2)[0], "-")+"; did you mean --repositories?") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
		if strings.Contains(errs, "--report") {
			t.Errorf("%q: suggests a flag that takes a path: %q", args, errs)
		}
	}
}

// One mistyped option is one line: no second copy of the message, no
// generic step, no token line.
func TestInvalidOptionIsSaidOnce(t *testing.T) {
	t.Parallel()
	env := map[string]string{"PAT_CHECK_TOKEN": simulate.ClassicToken("once")}
	code, out, errs := mainOut(t, env, "--excess", "loud", "--scopes", "repo")
	if code != 2 || errs != "" || out != "ERROR: --excess: \"loud\" is not one of ignore, notice, warning, error\n" {
		t.Errorf("exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	code, out, _ = mainOut(t, env, "--excess", "loud", "--timeout", "never")
	want := "ERROR: the options are invalid:\n  --timeout: \"never\" is not a whole number from 1 to 3600\n  --excess: \"loud\" is not one of ignore, notice, warning, error\n"
	if code != 2 || out != want {
		t.Errorf("two problems: exit %d\n%s", code, out)
	}
	// The JSON report keeps the finding and its fix for programs.
	code, out, _ = mainOut(t, env, "--excess", "loud", "--format", "json")
	if code != 2 || !strings.Contains(out, `"code": "config-invalid"`) || !strings.Contains(out, `"fix": `) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
}

// warn and warning are one value in every option that takes either, and a
// refused value gets the nearest accepted one.
func TestWarnAndWarningAreOneWord(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--excess", "warn"}, {"--excess", "Warning"}, {"--on-api-error", "warning"}, {"--on-api-error", "warn"},
		{"--lifetime-policy", "warning"}, {"--lifetime-policy", "warn"},
	} {
		// No token: the options are judged, and nothing is sent.
		code, out, _ := mainOut(t, nil, append(args, "--format", "json")...)
		if code != 1 || strings.Contains(out, "config-invalid") || !strings.Contains(out, "token-missing") {
			t.Errorf("%q: exit %d\n%s", args, code, out)
		}
	}
	for args, want := range map[[2]string]string{
		{"--excess", "warnig"}:          `--excess: "warnig" is not one of ignore, notice, warning, error; did you mean warning?`,
		{"--on-api-error", "fial"}:      `--on-api-error: "fial" is not one of fail, warn; did you mean fail?`,
		{"--lifetime-policy", "enf"}:    `--lifetime-policy: "enf" is not one of warn, enforce; did you mean enforce?`,
		{"--policy", "recomended"}:      `--policy: "recomended" is not one of none, recommended; did you mean recommended?`,
		{"--lifetime-policy", "errors"}: `--lifetime-policy: "errors" is not one of warn, enforce` + "\n",
	} {
		code, out, _ := mainOut(t, nil, args[0], args[1])
		if code != 2 || !strings.Contains(out, want) {
			t.Errorf("%q: exit %d\n%s", args, code, out)
		}
	}
}

// The permissions: block users copy from a workflow is taken as it is.
func TestPermissionsTakeTheWorkflowBlock(t *testing.T) {
	t.Parallel()
	w := fixture.New(t, fixture.Options{Now: time.Now()})
	tok := simulate.FineGrainedToken("block")
	w.GitHub.AddToken(simulate.Token{Value: tok, Login: "octocat", FineGrained: true, Repositories: []string{"octo/app"},
		Grants:     map[string]map[string]string{"octo/app": {"contents": "read", "pull_requests": "write"}},
		Expiration: w.Now.Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})
	for _, perms := range []string{
		"contents: read\npull-requests: write",
		"permissions:\n  contents: read      # checkout\n  pull-requests: write\n",
		"{ contents: read, pull-requests: write }",
		"contents:read, pull-requests=write",
	} {
		env := map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": tok, "INPUT_PERMISSIONS": perms,
			"INPUT_REPOSITORIES": "octo/app", "INPUT_API-URL": w.API}
		code, out, _ := mainOut(t, env)
		if code != 0 || strings.Contains(out, "config-invalid") || !strings.Contains(out, "pull_requests:write") {
			t.Errorf("%q: exit %d\n%s", perms, code, out)
		}
	}
	env := map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": tok, "INPUT_PERMISSIONS": "contents: raed\n",
		"INPUT_REPOSITORIES": "octo/app", "INPUT_API-URL": w.API}
	if code, out, _ := mainOut(t, env); code != 2 || !strings.Contains(out, `has level "raed"`) {
		t.Errorf("a wrong level: exit %d\n%s", code, out)
	}
}

// A value left after a yes-or-no flag says how to give it; pat-check help
// is the help.
func TestBoolFlagValueAndHelpCommand(t *testing.T) {
	t.Parallel()
	code, out, errs := mainOut(t, nil, "--scopes", "repo", "--require-expiration", "true")
	if code != 2 || out != "" || !strings.Contains(errs, "--require-expiration=true") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out, errs)
	}
	code, out, errs = mainOut(t, nil, "help")
	_, help, _ := mainOut(t, nil, "--help")
	if code != 0 || errs != "" || out != help || !strings.Contains(out, "Usage:") {
		t.Errorf("help: exit %d, stderr %q\n%s", code, errs, out)
	}
}

// --help says what each flag does on the command line: no default for a
// flag given with a directory, none from the Azure task for --workflow.
func TestHelpSpeaksOfTheCommandLine(t *testing.T) {
	t.Parallel()
	_, out, _ := mainOut(t, nil, "--help")
	blocks := map[string]string{}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "  --") && i+1 < len(lines) {
			name, _, _ := strings.Cut(strings.TrimPrefix(l, "  --"), " ")
			blocks[name] = l + "\n" + lines[i+1]
		}
	}
	for flag, bad := range map[string][]string{
		"scan":         {"(default false)", "GITHUB_WORKSPACE"},
		"workflow":     {"azure-pipelines.yml", "the agent does not name it"},
		"repositories": {"Under GitHub Actions"},
		"report":       {"VALUE"},
	} {
		if blocks[flag] == "" {
			t.Errorf("--help lacks --%s", flag)
		}
		for _, b := range bad {
			if strings.Contains(blocks[flag], b) {
				t.Errorf("--%s says %q:\n%s", flag, b, blocks[flag])
			}
		}
	}
	for flag, want := range map[string]string{"scan": "--scan DIR", "report": "--report FILE", "excess": "--excess ignore|notice|warning|error", "workflow": "required with --infer"} {
		if !strings.Contains(blocks[flag], want) {
			t.Errorf("--%s lacks %q:\n%s", flag, want, blocks[flag])
		}
	}
}

// On a passing run, least-privilege advice is one line in the log and a
// "notice" row; its steps wait in the summary, folded.
func TestAdviceOnAPassingRunIsOneLine(t *testing.T) {
	t.Parallel()
	w := fixture.New(t, fixture.Options{Now: time.Now()})
	tok := simulate.ClassicToken("advice")
	w.GitHub.AddToken(simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"repo", "read:org"},
		Expiration: w.Now.Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})

	code, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--scopes", "repo", "--api-url", w.API)
	if code != 0 || !strings.HasPrefix(out, "PASS: ") || strings.Contains(out, "How to fix") {
		t.Errorf("command line: exit %d\n%s", code, out)
	}
	notice := 0
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "notice scope-excess: ") && strings.Contains(l, "read:org") {
			notice++
		}
		if strings.Contains(l, "Least privilege") && !strings.HasPrefix(strings.TrimSpace(l), "i ") {
			t.Errorf("the row is not a notice: %q", l)
		}
	}
	if notice != 1 || !strings.HasSuffix(out, "read:org: read organization and team memberships and organization projects\n") {
		t.Errorf("the advice is not one last line:\n%s", out)
	}

	dir := t.TempDir()
	summary := filepath.Join(dir, "summary.md")
	env := map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": tok, "INPUT_SCOPES": "repo", "INPUT_API-URL": w.API,
		"GITHUB_STEP_SUMMARY": summary, "GITHUB_OUTPUT": filepath.Join(dir, "output")}
	code, out, _ = mainOut(t, env)
	var annotation string
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "::notice ") {
			annotation = l
		}
	}
	if code != 0 || annotation == "" || strings.Contains(annotation, "%0A") || strings.Contains(annotation, "How to fix") {
		t.Errorf("Actions: exit %d, annotation %q", code, annotation)
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	details := strings.Index(md, "<details><summary>")
	if details < 0 || !strings.Contains(md, "| Least privilege | ℹ️ notice |") || strings.Contains(md, "#### How to fix") ||
		!strings.Contains(md[details:], "1. ") || !strings.Contains(md[details:], "</details>") {
		t.Errorf("summary:\n%s", md)
	}
	// The JSON report says so too.
	_, out, _ = mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--scopes", "repo", "--api-url", w.API, "--format", "json")
	if !strings.Contains(out, "\"name\": \"Least privilege\",\n      \"state\": \"notice\"") {
		t.Errorf("json:\n%s", out)
	}
}

// refusingTransport fails the test on any request.
type refusingTransport struct{ t *testing.T }

func (r refusingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.t.Errorf("a request was sent: %s %s", req.Method, req.URL)
	return nil, errors.New("no network in this test")
}

// A GitHub App refresh token is refused offline, never sent, and the user
// is told to exchange it for a user access token.
func TestRefreshTokenIsNeverSent(t *testing.T) {
	t.Parallel()
	tok := "ghr_" + strings.Repeat("a1B2c3D4e5", 7) + "abcdef"
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"--scopes", "repo"}, func(k string) string {
		if k == "PAT_CHECK_TOKEN" {
			return tok
		}
		return ""
	}, frontend.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, World{Transport: refusingTransport{t}})
	text := out.String()
	if code != 1 || !strings.HasPrefix(text, "FAIL: a refresh token cannot call the API\n") {
		t.Errorf("exit %d\n%s", code, text)
	}
	for _, want := range []string{"GitHub App refresh token (ghr_)", "not sent", "user access token (ghu_)", "grant_type=refresh_token"} {
		if !strings.Contains(text, want) {
			t.Errorf("the output lacks %q:\n%s", want, text)
		}
	}
	for _, wrong := range []string{"revoked", "copied incompletely", tok[4:]} {
		if strings.Contains(text, wrong) {
			t.Errorf("the output says %q:\n%s", wrong, text)
		}
	}
}
