package demo

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/frontend"
)

const (
	readmePath  = "../../README.md"
	outputStart = "<!-- demo output: UPDATE_README=1 go test ./internal/demo -run TestREADMEShowsTheDemo -->\n```text\n"
	outputEnd   = "```\n<!-- end of demo output -->"
)

// volatile are the parts of the demo's output that change from run to
// run: dates and times (the tokens expire relative to now), the SAML
// authorization request's id, and the version.
var volatile = regexp.MustCompile(`\d{4}-\d{2}-\d{2}( \d{2}:\d{2} UTC)?|authorization_request=[A-Z0-9]+|pat-check \S+ demo`)

func normalize(s string) string { return volatile.ReplaceAllString(s, "…") }

// The README shows the demo's output as it is today. UPDATE_README=1
// rewrites it.
func TestREADMEShowsTheDemo(t *testing.T) {
	var out bytes.Buffer
	if code := Run(context.Background(), nil, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &out}); code != 0 {
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
	if normalize(shown) != normalize(out.String()) {
		t.Errorf("README.md's demo output is stale: run UPDATE_README=1 go test ./internal/demo -run TestREADMEShowsTheDemo")
	}
	// The first screen still shows the two commands.
	first := strings.Join(strings.SplitN(text, "\n", 12)[:11], "\n")
	for _, cmd := range []string{"go run ./cmd/pat-check demo", "go test -race ./..."} {
		if !strings.Contains(first, cmd) {
			t.Errorf("the README's first screen lacks %q", cmd)
		}
	}
}
