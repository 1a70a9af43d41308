package e2e

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A release binary is built with the nodemo tag (.goreleaser.yaml,
// scripts/build-task-binaries.sh): `pat-check demo` then says where the demo
// is instead of running it, exits 2, and everything else still works.
func TestReleaseBuildSaysWhereTheDemoIs(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "pat-check-release")
	build := exec.Command("go", "build", "-tags", "nodemo", "-o", bin, "../cmd/pat-check")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build -tags nodemo: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	demo := exec.Command(bin, "demo")
	demo.Stdout, demo.Stderr = &stdout, &stderr
	err := demo.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("demo in a release build: %v, want exit 2", err)
	}
	if stdout.Len() != 0 || !strings.Contains(stderr.String(), "go run github.com/pat-check/pat-check/cmd/pat-check@latest demo") {
		t.Errorf("stdout %q, stderr %q: want the go run command on stderr only", stdout.String(), stderr.String())
	}
	version := exec.Command(bin, "version")
	if out, err := version.Output(); err != nil || !strings.HasPrefix(string(out), "pat-check ") {
		t.Errorf("version in a release build: %v %q", err, out)
	}
}
