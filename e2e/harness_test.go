// Package e2e runs the real pat-check binary in each front-end against the
// simulated GitHub API and reads its output the way the Actions runner and
// the Azure Pipelines agent do.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	// The binary is built from these packages in TestMain; importing them
	// here ties go test's result cache to their source, so a change to any
	// of them reruns these tests.
	_ "github.com/pat-check/pat-check/internal/app"
	_ "github.com/pat-check/pat-check/internal/demo"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/token"
)

var (
	binary string
	// coverDir receives the binary's coverage counters (GOCOVERDIR of
	// every run): PAT_CHECK_E2E_COVERDIR when set, as .ci/run sets it to
	// add these runs to the measured coverage, else a temporary directory.
	coverDir string
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "pat-check-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "pat-check")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	coverDir = filepath.Join(dir, "cover")
	if d := os.Getenv("PAT_CHECK_E2E_COVERDIR"); d != "" {
		coverDir, err = filepath.Abs(d)
	}
	if err == nil {
		err = os.MkdirAll(coverDir, 0o755)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "the coverage directory:", err)
		os.Exit(1)
	}
	if err := buildBinary(binary); err != nil {
		fmt.Fprintln(os.Stderr, "building pat-check:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildBinary builds pat-check with coverage of the whole module and, where
// cgo can build it, the race detector: the end-to-end runs then count in
// the coverage and fail on a data race. Without cgo (CGO_ENABLED=0, no C
// compiler) it builds without -race and says so.
func buildBinary(out string) error {
	args := []string{"build", "-o", out, "-cover", "-covermode=atomic", "-coverpkg=github.com/pat-check/pat-check/..."}
	race := true
	if v, err := exec.Command("go", "env", "CGO_ENABLED").Output(); err != nil || strings.TrimSpace(string(v)) != "1" {
		fmt.Fprintln(os.Stderr, "e2e: cgo is off: building pat-check without -race")
		race = false
	}
	if race {
		var stderr bytes.Buffer
		build := exec.Command("go", append(slices.Clone(args), "-race", "../cmd/pat-check")...)
		build.Stderr = &stderr
		if err := build.Run(); err == nil {
			return nil
		}
		fmt.Fprintf(os.Stderr, "e2e: -race is not available here (%s): building pat-check without it\n", strings.TrimSpace(stderr.String()))
	}
	build := exec.Command("go", append(args, "../cmd/pat-check")...)
	build.Stderr = os.Stderr
	return build.Run()
}

// binaryEnv is what every run of the binary needs besides its own
// environment: where to write coverage counters, and no second of sleep at
// exit (the race detector waits that long for late reports by default,
// which would make each run take a second).
func binaryEnv() []string {
	return []string{"GOCOVERDIR=" + coverDir, "GORACE=atexit_sleep_ms=0"}
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
	outputFile     string // GITHUB_OUTPUT
	summary        string // GITHUB_STEP_SUMMARY, or the uploaded Azure summary
	report         string // report-path
}

// all is every channel the run wrote to, for leak checks.
func (r result) all() string {
	return strings.Join([]string{r.stdout, r.stderr, r.outputFile, r.summary, r.report}, "\n")
}

// run starts the binary with exactly env (plus PATH and HOME), stdin and args.
func run(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	return runIn(t, "", env, stdin, args...)
}

// runIn is run in the working directory dir ("" for the test's own).
func runIn(t *testing.T, dir string, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, binaryEnv()...)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running pat-check: %v", err)
	}
	if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "DATA RACE") {
		t.Fatalf("pat-check crashed:\n%s", r.stderr)
	}
	return r
}

// world is a simulated GitHub with the accounts, organizations and tokens
// the tests use.
type world struct {
	sim *simulate.GitHub
	api string
	now time.Time
}

func expiry(now time.Time, days int) string {
	return now.Add(time.Duration(days)*24*time.Hour + time.Hour).Format("2006-01-02 15:04:05 UTC")
}

var (
	tokHealthy   = simulate.ClassicToken("healthy")
	tokNoWF      = simulate.ClassicToken("no-workflow")
	tokExpiring  = simulate.ClassicToken("expiring")
	tokRevoked   = simulate.ClassicToken("revoked")
	tokForever   = simulate.ClassicToken("forever")
	tokNoSSO     = simulate.ClassicToken("no-sso")
	tokEvil      = simulate.ClassicToken("evil")
	tokFine      = simulate.FineGrainedToken("fine")
	tokInstall   = simulate.InstallationToken("install")
	tokFGPerms   = simulate.FineGrainedToken("fine-perms")
	tokJobToken  = simulate.InstallationToken("job-token")
	tokFGWriter  = simulate.FineGrainedToken("fine-writer")
	tokJobWriter = simulate.InstallationToken("job-writer")
	tokMalformed = tokHealthy[:len(tokHealthy)-1] + flip(tokHealthy[len(tokHealthy)-1:])
	tokReadOnly  = simulate.ClassicToken("read-only")
)

func flip(c string) string {
	if c == "A" {
		return "B"
	}
	return "A"
}

// evilLogin is a login as a hostile or broken server might send it: it
// tries to end outputs and start workflow and logging commands.
const evilLogin = "octo ##[stop-commands]zz\n::error::forged\r##[error]forged\nresult<<EOF\npass\nEOF\n##vso[task.setvariable variable=result;isOutput=true]pass"

func newWorld(t *testing.T, basePath string) *world {
	t.Helper()
	now := time.Now().UTC()
	sim := simulate.NewGitHub()
	sim.SetBasePath(basePath)
	sim.SetNow(func() time.Time { return now })
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	sim.AddOrg(simulate.Org{Login: "octo-org", SSO: true})
	sim.AddOrg(simulate.Org{Login: "strict-org", ForbidClassic: true})
	sim.AddRepo("octo-org/app", true)
	sim.AddRepo("octo/public", false)
	sim.AddRepo("octo/private", true)
	base := simulate.Token{Login: "octocat", Repositories: []string{"octo-org/app", "octo/private"}, SSOAuthorized: []string{"octo-org"}}
	add := func(value string, mod func(*simulate.Token)) {
		tk := base
		tk.Value = value
		mod(&tk)
		sim.AddToken(tk)
	}
	add(tokHealthy, func(tk *simulate.Token) { tk.Scopes, tk.Expiration = []string{"repo", "workflow"}, expiry(now, 60) })
	add(tokNoWF, func(tk *simulate.Token) { tk.Scopes, tk.Expiration = []string{"repo", "read:org"}, expiry(now, 60) })
	add(tokReadOnly, func(tk *simulate.Token) {
		tk.Scopes, tk.Expiration = []string{"read:org", "read:packages"}, expiry(now, 60)
	})
	add(tokExpiring, func(tk *simulate.Token) { tk.Scopes, tk.Expiration = []string{"repo", "workflow"}, expiry(now, 5) })
	add(tokRevoked, func(tk *simulate.Token) { tk.Revoked = true })
	add(tokForever, func(tk *simulate.Token) { tk.Scopes = []string{"repo"} })
	add(tokNoSSO, func(tk *simulate.Token) {
		tk.Scopes, tk.Expiration, tk.SSOAuthorized = []string{"repo"}, expiry(now, 60), nil
	})
	add(tokEvil, func(tk *simulate.Token) {
		tk.Scopes, tk.Expiration, tk.Login = []string{"repo"}, expiry(now, 60), evilLogin
	})
	add(tokFine, func(tk *simulate.Token) { tk.FineGrained, tk.Expiration = true, expiry(now, 30) })
	add(tokInstall, func(tk *simulate.Token) {
		tk.Installation, tk.Login, tk.Repositories = true, "", []string{"octo/private"}
	})
	sim.AddRepo("octo/lib", true)
	add(tokFGPerms, func(tk *simulate.Token) {
		tk.FineGrained, tk.Expiration, tk.Repositories = true, expiry(now, 30), []string{"octo/private", "octo/lib"}
		tk.Grants = map[string]map[string]string{
			"octo/private": {"contents": "read", "pull_requests": "write", "issues": "write", "discussions": "read", "repository_hooks": "write"},
			"octo/lib":     {"contents": "read", "pull_requests": "read", "repository_hooks": "write"},
		}
		// The account only writes to octo/lib: its webhooks (admin) are hidden.
		tk.Roles = map[string]string{"octo/lib": "write"}
	})
	add(tokJobToken, func(tk *simulate.Token) {
		tk.Installation, tk.Login, tk.Repositories = true, "", []string{"octo/private"}
		tk.Grants = map[string]map[string]string{"octo/private": {"contents": "read", "pull_requests": "read"}}
	})
	// Tokens that may write what the new write probes prove.
	add(tokFGWriter, func(tk *simulate.Token) {
		tk.FineGrained, tk.Expiration, tk.Repositories = true, expiry(now, 30), []string{"octo/private"}
		tk.Grants = map[string]map[string]string{"octo/private": {"contents": "write", "environments": "write", "secrets": "write",
			"administration": "write", "dependabot_secrets": "write"}}
	})
	add(tokJobWriter, func(tk *simulate.Token) {
		tk.Installation, tk.Login, tk.Repositories = true, "", []string{"octo/private"}
		tk.Grants = map[string]map[string]string{"octo/private": {"contents": "write"}}
	})
	t.Cleanup(func() {
		if v := sim.Violations(); len(v) > 0 {
			t.Errorf("pat-check sent requests that could have changed something: %q", v)
		}
	})
	return &world{sim: sim, api: srv.URL + basePath, now: now}
}

// forms are the token and every derived form that must never be printed.
func forms(tok string) []string { return token.MaskForms(tok) }

// assertNoLeak fails when the token or a derived form appears in text. It
// names the form's index, never the form itself.
func assertNoLeak(t *testing.T, tok, where, text string) {
	t.Helper()
	if len(strings.TrimSpace(tok)) < token.MinLength || token.IsReference(tok) {
		// Not a token (empty, an unexpanded reference, a placeholder): it
		// is refused offline, never sent, and a reference such as
		// $(GH_PAT) is a variable's name, quoted on purpose to say which
		// variable was not set; it is not masked either.
		return
	}
	for i, f := range forms(tok) {
		if len(f) >= 6 && strings.Contains(text, f) {
			t.Errorf("%s contains the token's form #%d", where, i)
		}
	}
}

// lines splits output into lines without the final empty one.
func lines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// shown is stdout fit for a failure message: without the mask commands,
// which carry the token (even a simulated token stays out of test logs).
func (r result) shown() string {
	var keep []string
	for _, l := range lines(r.stdout) {
		if !strings.Contains(l, "::add-mask::") && !strings.Contains(l, "##vso[task.setsecret]") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
