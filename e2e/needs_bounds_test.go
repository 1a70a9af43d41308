//go:build unix

package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// runFor runs the binary and fails the test when it has not ended after d.
func runFor(t *testing.T, d time.Duration, env map[string]string, args ...string) result {
	t.Helper()
	done := make(chan result, 1)
	go func() { done <- run(t, env, "", args...) }()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		t.Fatalf("pat-check %s: still running after %v", strings.Join(args, " "), d)
	}
	return result{}
}

// A FIFO among the workflows, or given as infer's workflow, is refused
// at once (opening one waits for a writer forever): needs lists it and
// reports the other files (exit 1), infer says why it cannot read it.
func TestNeedsAndInferRefuseAFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(wf, "fifo.yml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	good := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh pr create --fill\n        env: {GH_TOKEN: \"${{ secrets.BOT_PAT }}\"}\n"
	if err := os.WriteFile(filepath.Join(wf, "good.yml"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runFor(t, 10*time.Second, nil, "needs", wf)
	if r.code != 1 || !strings.Contains(r.stdout, "BOT_PAT") || !strings.Contains(r.stdout+r.stderr, "named pipe") {
		t.Errorf("needs: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runFor(t, 10*time.Second, nil, "needs", "--format", "json", wf)
	if r.code != 1 || !strings.Contains(r.stdout, `"errors": [`) || !strings.Contains(r.stdout, "fifo.yml") {
		t.Errorf("needs --format json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	w := newWorld(t, "")
	r = runFor(t, 10*time.Second, map[string]string{"PAT_CHECK_TOKEN": fixture.ReadOnly}, "--api-url", w.API, "--infer", "--workflow", fifo, "--secret", "BOT_PAT")
	if r.code != 2 || !strings.Contains(r.stdout+r.stderr, "named pipe") {
		t.Errorf("infer: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// SIGTERM and SIGINT stop needs at once, and --timeout bounds it:
// a directory of many workflows is read inside both.
func TestNeedsStopsOnSignal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	// Each file is large enough to take a while: together, seconds.
	var b strings.Builder
	b.WriteString("on: push\njobs:\n")
	for j := range 400 {
		b.WriteString("  j" + strings.Repeat("x", 3) + itoa(j) + ":\n    runs-on: ubuntu-latest\n    steps:\n")
		for range 10 {
			b.WriteString("      - run: gh pr create --fill && git push && curl -H \"Authorization: token $T\" https://api.github.com/repos/o/r/issues\n        env: {GH_TOKEN: \"${{ secrets.BOT_PAT }}\", T: \"${{ secrets.BOT_PAT }}\"}\n")
		}
	}
	for i := range 40 {
		if err := os.WriteFile(filepath.Join(wf, "w"+itoa(i)+".yml"), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, sig := range []os.Signal{syscall.SIGTERM, syscall.SIGINT} {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		cmd := exec.CommandContext(ctx, binary, "needs", wf)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, binaryEnv()...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Second) // past the start, when the signal handlers are set
		sent := time.Now()
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		took := time.Since(sent)
		cancel()
		// needs answers at once (at most 200 ms to hand over what it read);
		// the rest is room for the race detector on a loaded machine.
		if took > 2*time.Second {
			t.Errorf("%v: ended %v after the signal", sig, took)
		}
		t.Logf("%v: ended %v after the signal", sig, took)
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			t.Errorf("%v: %v, want exit 3 (stopped)", sig, err)
		}
	}
	start := time.Now()
	r := runFor(t, 20*time.Second, nil, "needs", "--timeout", "0.5", wf)
	if r.code != 3 || time.Since(start) > 3*time.Second || !strings.Contains(r.stderr, "--timeout") {
		t.Errorf("--timeout 0.5: exit %d after %v\n%s", r.code, time.Since(start), r.stderr)
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
