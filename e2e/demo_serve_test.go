package e2e

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Every command demo --serve prints runs as printed, from a shell where
// pat-check is not on PATH (as after the README's go run): it names the
// binary by its path, and its links lead to the public hosts.
func TestDemoServeCommandsRunAsPrinted(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("the printed commands are for a POSIX shell")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	serve := exec.CommandContext(ctx, binary, "demo", "--serve", "127.0.0.1:0")
	serve.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}, binaryEnv()...)
	stdout, err := serve.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = serve.Process.Signal(os.Interrupt)
		_ = serve.Wait()
	}()
	var commands []string
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		l := lines.Text()
		if strings.Contains(l, "PAT_CHECK_TOKEN=") {
			commands = append(commands, strings.TrimSpace(l))
		}
		if strings.Contains(l, "--format json prints the report") {
			if !strings.HasPrefix(l, "Change the flags freely ("+shellQuoted(binary)+" --help") {
				t.Errorf("the help is not named as it runs: %q", l)
			}
			break
		}
	}
	if len(commands) == 0 {
		t.Fatal("demo --serve printed no command")
	}
	for i, c := range []string{commands[0], commands[len(commands)-1]} {
		sh := exec.CommandContext(ctx, "/bin/sh", "-c", c)
		sh.Env = append([]string{"PATH=/usr/bin:/bin", "HOME=" + t.TempDir()}, binaryEnv()...)
		out, err := sh.CombinedOutput()
		want := []int{0, 1}[i] // a healthy token; the Azure DevOps token without a scope
		if code := sh.ProcessState.ExitCode(); code != want || strings.Contains(string(out), "not found") {
			t.Errorf("%s: exit %d (%v), want %d\n%s", c, code, err, want, out)
		}
		if strings.Contains(string(out), "127.0.0.1") && i == 0 {
			t.Errorf("%s: links to the simulator:\n%s", c, out)
		}
	}
}

// shellQuoted is how the demo quotes a path for a shell.
func shellQuoted(p string) string {
	if strings.ContainsAny(p, " \t\n'\"$`\\|&;<>()*?[]{}!#~") {
		return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
	}
	return p
}
