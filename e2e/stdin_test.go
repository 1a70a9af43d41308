package e2e

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// --token-stdin with a standard input that never ends: SIGINT and SIGTERM
// stop the wait (exit 3, cancelled), and --timeout bounds it (exit 2).
func TestTokenStdinThatNeverEndsCanBeStopped(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals are sent differently on Windows")
	}
	t.Parallel()
	for _, c := range []struct {
		name string
		sig  syscall.Signal
		args []string
		code int
		took time.Duration
	}{
		{"SIGINT", syscall.SIGINT, nil, 3, 3 * time.Second},
		{"SIGTERM", syscall.SIGTERM, nil, 3, 3 * time.Second},
		{"--timeout 1", 0, []string{"--timeout", "1"}, 2, 4 * time.Second},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			cmd := exec.Command(binary, append([]string{"--token-stdin"}, c.args...)...)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, binaryEnv()...)
			stdin, err := cmd.StdinPipe() // held open and never written
			if err != nil {
				t.Fatal(err)
			}
			defer stdin.Close()
			var out, errb bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &errb
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			if c.sig != 0 {
				// Signalled once it waits on standard input: before its
				// handlers are set, a signal would just kill it.
				waitReadingStdin(cmd.Process.Pid)
				start = time.Now()
				if err := cmd.Process.Signal(c.sig); err != nil {
					t.Fatal(err)
				}
			}
			waited := make(chan error, 1)
			go func() { waited <- cmd.Wait() }()
			select {
			case err = <-waited:
			case <-time.After(15 * time.Second):
				_ = cmd.Process.Kill()
				t.Fatalf("still running 15 s later; stderr:\n%s", errb.String())
			}
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != c.code {
				t.Errorf("exit %v, want %d; stderr:\n%s", err, c.code, errb.String())
			}
			if took := time.Since(start); took > c.took {
				t.Errorf("took %s to stop", took)
			}
		})
	}
}

// waitReadingStdin returns once process pid is blocked reading its standard
// input: on Linux, when one of its threads is in read(0, …) as
// /proc/PID/task/*/syscall shows; elsewhere, or when that cannot be read,
// after two seconds.
func waitReadingStdin(pid int) {
	nr := map[string]string{"amd64": "0", "arm64": "63"}[runtime.GOARCH]
	if runtime.GOOS != "linux" || nr == "" {
		time.Sleep(2 * time.Second)
		return
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		tasks, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/syscall", pid))
		if err != nil || len(tasks) == 0 {
			time.Sleep(2 * time.Second)
			return
		}
		for _, task := range tasks {
			b, err := os.ReadFile(task)
			if f := strings.Fields(string(b)); err == nil && len(f) > 1 && f[0] == nr && f[1] == "0x0" {
				time.Sleep(50 * time.Millisecond) // the select on the signal is set up beside the read
				return
			}
		}
	}
}
