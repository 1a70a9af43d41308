package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
	"github.com/pat-check/pat-check/internal/token"
)

// leakyAPI is a simulated GitHub that answers with the token inside the
// account's name, as a broken or hostile server might: whatever shows the
// login would show the token, unless it is scrubbed.
func leakyAPI(t *testing.T) (api, tok string) {
	t.Helper()
	w := fixture.New(t, fixture.Options{Now: time.Now()})
	tok = simulate.ClassicToken("leaky")
	w.GitHub.AddToken(simulate.Token{Value: tok, Login: "octo-" + tok, Scopes: []string{"repo"}, Expiration: w.Expiry(60)})
	return w.API, tok
}

type channels map[string]string

// run runs Main with env and args and returns what each channel received.
// The commands that register the token's forms with the runner or agent,
// which must hold them, are left out of stdout.
func run(t *testing.T, env map[string]string, args ...string) (int, channels) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, World{})
	var kept []string
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if !strings.HasPrefix(line, "::add-mask::") && !strings.HasPrefix(line, "##vso[task.setsecret]") {
			kept = append(kept, line)
		}
	}
	return code, channels{"stdout": strings.Join(kept, ""), "stderr": errb.String()}
}

func readInto(t *testing.T, ch channels, name, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	ch[name] = string(b)
}

// assertScrubbed fails when a channel holds a form of tok, or lacks the
// withheld login (so that it is known to have carried the token).
func assertScrubbed(t *testing.T, tok string, ch channels, carriers ...string) {
	t.Helper()
	for name, text := range ch {
		for i, f := range token.MaskForms(tok) {
			if strings.Contains(text, f) {
				t.Errorf("%s holds form #%d of the token", name, i)
			}
		}
	}
	for _, name := range carriers {
		if !strings.Contains(ch[name], "withheld: it held part of the token") {
			t.Errorf("%s lacks the withheld login:\n%s", name, ch[name])
		}
	}
}

func TestEveryChannelIsScrubbed(t *testing.T) {
	t.Parallel()
	api, tok := leakyAPI(t)

	t.Run("actions", func(t *testing.T) {
		dir := t.TempDir()
		files := map[string]string{"GITHUB_OUTPUT": filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
			"report-path": filepath.Join(dir, "report.json")}
		code, ch := run(t, map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": tok, "INPUT_API-URL": api,
			"INPUT_REPORT-PATH": files["report-path"], "GITHUB_OUTPUT": files["GITHUB_OUTPUT"], "GITHUB_STEP_SUMMARY": files["GITHUB_STEP_SUMMARY"]})
		if code != 0 {
			t.Fatalf("exit %d\n%v", code, ch)
		}
		for name, path := range files {
			readInto(t, ch, name, path)
		}
		assertScrubbed(t, tok, ch, "stdout", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "report-path")
	})

	t.Run("azure", func(t *testing.T) {
		dir := t.TempDir()
		report := filepath.Join(dir, "report.json")
		code, ch := run(t, map[string]string{"TF_BUILD": "True", "INPUT_TOKEN": tok, "INPUT_PROVIDER": "github", "INPUT_APIURL": api,
			"INPUT_REPORTPATH": report, "AGENT_TEMPDIRECTORY": dir})
		if code != 0 {
			t.Fatalf("exit %d\n%v", code, ch)
		}
		_, rest, ok := strings.Cut(ch["stdout"], "##vso[task.uploadsummary]")
		if !ok {
			t.Fatalf("no summary was uploaded:\n%s", ch["stdout"])
		}
		summary, _, _ := strings.Cut(rest, "\n")
		readInto(t, ch, "summary", summary)
		readInto(t, ch, "report-path", report)
		assertScrubbed(t, tok, ch, "stdout", "summary", "report-path")
	})

	t.Run("cli", func(t *testing.T) {
		dir := t.TempDir()
		report := filepath.Join(dir, "report.json")
		env := map[string]string{"PAT_CHECK_TOKEN": tok}
		code, ch := run(t, env, "--api-url", api, "--report", report)
		if code != 0 {
			t.Fatalf("exit %d\n%v", code, ch)
		}
		readInto(t, ch, "report-path", report)
		code, js := run(t, env, "--api-url", api, "--format", "json")
		ch["stdout (json)"] = js["stdout"]
		if code != 0 {
			t.Fatalf("exit %d\n%v", code, js)
		}
		assertScrubbed(t, tok, ch, "stdout", "stdout (json)", "report-path")
	})

	t.Run("stderr", func(t *testing.T) {
		// A report path naming a base64 form of the token (not token-shaped,
		// so the options accept it) in a missing directory: the error quotes it.
		var form string
		for _, f := range token.MaskForms(tok)[1:] {
			if !strings.ContainsAny(f, "/+=") {
				form = f
				break
			}
		}
		path := filepath.Join(t.TempDir(), "missing", form, "report.json")
		_, ch := run(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", api, "--report", path)
		if !strings.Contains(ch["stderr"], "could not write the report") || !strings.Contains(ch["stderr"], "***") {
			t.Fatalf("stderr:\n%s", ch["stderr"])
		}
		assertScrubbed(t, tok, ch)
	})
}

// TestReportPathIsTheValidatedOption: the report goes where config.Parse
// says, not where the raw option points, and still when other options are
// invalid.
func TestReportPathIsTheValidatedOption(t *testing.T) {
	t.Parallel()
	api, tok := leakyAPI(t)
	env := map[string]string{"PAT_CHECK_TOKEN": tok}

	// Surrounding blanks are trimmed, as for every option.
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	if code, ch := run(t, env, "--api-url", api, "--report", " "+path+" "); code != 0 || ch["stderr"] != "" {
		t.Fatalf("exit %d\n%v", code, ch)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the trimmed report path was not written: %v", err)
	}

	// A path that looks like a token is refused: a config problem, and no
	// file named after the token.
	dir = t.TempDir()
	refused := filepath.Join(dir, simulate.ClassicToken("other")+".json")
	if code, ch := run(t, env, "--api-url", api, "--report", refused); code != 2 {
		t.Errorf("a token-shaped report path: exit %d, want 2\n%v", code, ch)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a report was written beside the refused path: %v", entries)
	}

	// Another invalid option still leaves the report, saying why.
	path = filepath.Join(t.TempDir(), "report.json")
	if code, ch := run(t, env, "--api-url", api, "--min-days-left", "soon", "--report", path); code != 2 {
		t.Errorf("an invalid option: exit %d, want 2\n%v", code, ch)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), `"result": "error"`) || !strings.Contains(string(b), "config-invalid") {
		t.Errorf("the report of a config problem: %v\n%s", err, b)
	}
}
