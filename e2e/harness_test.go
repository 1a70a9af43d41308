// Package e2e runs the real pat-check binary in each front-end against the
// simulated world (package fixture) and reads its output the way the Actions
// runner and the Azure Pipelines agent do. It keeps what only a process
// shows: exit codes, signals, standard input, the environment and files a
// platform hands over, the streams the runner and the agent parse, and one
// run per front-end of each area; the matrices of behaviour run Main
// in-process (internal/app).
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
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
	"github.com/pat-check/pat-check/internal/simulate/fixture"
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

// newWorld is the shared simulated world (package fixture) on the real
// clock, which the binary reads; basePath is GitHub's API path on its server
// ("/api/v3" for GitHub Enterprise Server).
func newWorld(t *testing.T, basePath string) *fixture.World {
	t.Helper()
	return fixture.New(t, fixture.Options{Now: time.Now(), BasePath: basePath})
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
