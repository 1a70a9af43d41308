package demo

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/frontend"
)

const (
	readmePath  = "../../README.md"
	outputStart = "<!-- demo output: UPDATE_README=1 go test ./internal/demo -run TestREADMEShowsTheDemo -->\n```text\n"
	outputEnd   = "```\n<!-- end of demo output -->"
)

// readmeHost is the clock and version of the README's demo output: the
// instant its dates were printed at, and the version of a build from
// source. Every other part of the output follows from the simulated
// worlds, so the README is compared byte for byte.
var readmeHost = Host{
	Now:     func() time.Time { return time.Date(2026, time.December, 6, 2, 28, 0, 0, time.UTC) },
	Version: "dev",
}

// The README shows the demo's output as it is today. UPDATE_README=1
// rewrites it.
func TestREADMEShowsTheDemo(t *testing.T) {
	var out bytes.Buffer
	if code := Run(context.Background(), nil, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &out}, readmeHost); code != 0 {
		t.Fatalf("exit %d", code)
	}
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	i := strings.Index(text, outputStart)
	j := strings.Index(text, outputEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the demo output block (%q … %q)", outputStart, outputEnd)
	}
	shown := text[i+len(outputStart) : j]
	if os.Getenv("UPDATE_README") != "" {
		text = text[:i+len(outputStart)] + out.String() + text[j:]
		if err := os.WriteFile(readmePath, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if diff := cmp.Diff(shown, out.String()); diff != "" {
		t.Errorf("README.md's demo output is stale (-README +demo):\n%s\nrun UPDATE_README=1 go test ./internal/demo -run TestREADMEShowsTheDemo", diff)
	}
	// The first screen still shows the two commands.
	first := strings.Join(strings.SplitN(text, "\n", 12)[:11], "\n")
	for _, cmd := range []string{"go run ./cmd/pat-check demo", "go test -race ./..."} {
		if !strings.Contains(first, cmd) {
			t.Errorf("the README's first screen lacks %q", cmd)
		}
	}
}
