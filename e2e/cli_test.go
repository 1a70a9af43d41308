package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

func TestCLIText(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := run(t, map[string]string{"PAT_CHECK_TOKEN": fixture.NoWorkflow}, "", "--api-url", w.API, "--scopes", "repo,workflow")
	if r.code != 1 {
		t.Fatalf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"FAIL: the token lacks the workflow scope\n", "Token: ghp_**** (from PAT_CHECK_TOKEN)", "✗ Scopes",
		"error scope-missing: the token lacks the scope workflow", "How to fix:", "/settings/tokens/new?scopes=repo,read:org,workflow&description=CI+token"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	// The replacement link is printed once, inside its step (the
	// least-privilege links beside it grant only what the job needs).
	if n := strings.Count(r.stdout, "/settings/tokens/new?scopes=repo,read:org,workflow&"); n != 1 {
		t.Errorf("the replacement link is printed %d times:\n%s", n, r.stdout)
	}
	if strings.Contains(r.stdout, "Link: ") {
		t.Errorf("a link is printed again as Link:\n%s", r.stdout)
	}
	if !strings.HasPrefix(r.stdout, "FAIL: ") {
		t.Errorf("the verdict is not the first line:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "\x1b[") {
		t.Error("colour codes on a pipe")
	}
	assertNoLeak(t, fixture.NoWorkflow, "output", r.all())
}

func TestCLIJSONAndSources(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	for name, tc := range map[string]struct {
		env   map[string]string
		stdin string
		args  []string
	}{
		"GH_TOKEN":      {env: map[string]string{"GH_TOKEN": fixture.Healthy}},
		"GITHUB_TOKEN":  {env: map[string]string{"GITHUB_TOKEN": fixture.Healthy}},
		"--token-stdin": {stdin: fixture.Healthy + "\n", args: []string{"--token-stdin"}},
	} {
		args := append([]string{"--format", "json", "--api-url", w.API, "--scopes", "repo"}, tc.args...)
		r := run(t, tc.env, tc.stdin, args...)
		var rep map[string]any
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatalf("%s: stdout is not JSON: %v\n%s", name, err, r.stdout)
		}
		if r.code != 0 || rep["result"] != "pass" || rep["login"] != "octocat" || rep["tokenType"] != "classic" {
			t.Errorf("%s: exit %d report %v", name, r.code, rep)
		}
		assertNoLeak(t, fixture.Healthy, name, r.all())
	}
}

func TestCLIRefusesTheTokenAsAFlag(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "", "--token", fixture.Healthy)
	if r.code != 2 || !strings.Contains(r.stderr, "never given as a flag") {
		t.Errorf("exit %d stderr %q", r.code, r.stderr)
	}
}

func TestCLIHelpDocumentsEveryFlag(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "", "--help")
	if r.code != 0 {
		t.Fatalf("exit %d", r.code)
	}
	for _, o := range config.Options {
		if o.Flag != "" && !strings.Contains(r.stdout, "--"+o.Flag) {
			t.Errorf("--help does not document --%s", o.Flag)
		}
	}
	for _, want := range []string{"--token-stdin", "--format", "PAT_CHECK_TOKEN", "Exit codes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--help lacks %q", want)
		}
	}
}

func TestCLIMissingTokenAndBadOptions(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "")
	if r.code != 1 || !strings.Contains(r.stdout, "token-missing") || !strings.Contains(r.stdout, "PAT_CHECK_TOKEN") {
		t.Errorf("no token: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, map[string]string{"PAT_CHECK_TOKEN": fixture.Healthy}, "", "--timeout", "never")
	if r.code != 2 || !strings.Contains(r.stdout, "--timeout") {
		t.Errorf("bad timeout: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, map[string]string{"PAT_CHECK_TOKEN": fixture.Healthy}, "", "--api-url", "http://example.com")
	if r.code != 2 || !strings.Contains(r.stdout, "plain http") {
		t.Errorf("http api-url: exit %d\n%s", r.code, r.stdout)
	}
	r = run(t, nil, "", "--bogus")
	if r.code != 2 || !strings.Contains(r.stderr, "bogus") {
		t.Errorf("unknown flag: exit %d stderr %q", r.code, r.stderr)
	}
}

func TestVersionAndDemo(t *testing.T) {
	t.Parallel()
	r := run(t, nil, "", "version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "pat-check ") {
		t.Errorf("version: exit %d %q", r.code, r.stdout)
	}
	r = run(t, nil, "", "demo")
	if r.code != 0 {
		t.Fatalf("demo: exit %d\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"PASS: the token passed every check", "scope-missing", "token-expiry-warning", "token-invalid", "sso-authorization-required", "(exit code 1)"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("demo lacks %q:\n%s", want, r.stdout)
		}
	}
}

func TestCLINeverEchoesATokenTypedAsAnArgument(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{fixture.Healthy},
		{"--format", fixture.Healthy},
		{"--token-stdin=" + fixture.Healthy},
		{"--" + fixture.Healthy},
		{"--scopes", fixture.Healthy},
		{"--token=" + fixture.Healthy},
	} {
		r := run(t, map[string]string{"PAT_CHECK_TOKEN": simulate.ClassicToken("other"), "GITHUB_API_URL": "http://127.0.0.1:1/"}, "", args...)
		if r.code != 2 {
			t.Errorf("args #%d: exit %d, want 2", len(args), r.code)
		}
		assertNoLeak(t, fixture.Healthy, "output", r.all())
	}
}
