package frontend

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/report"
)

// An unknown flag is echoed as typed and gets the flag meant: one the
// typed word begins, else the nearest; never a flag that takes a path for
// a value shaped like owner/name.
func TestUnknownFlagSuggestsTheNearest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ typed, value, want string }{
		{"-scope", "x", "unknown flag -scope; did you mean --scopes?"},
		{"--min-day-left", "x", "unknown flag --min-day-left; did you mean --min-days-left?"},
		{"--perm", "x", "unknown flag --perm; did you mean --permissions?"},
		{"--frobnicate-it", "x", "unknown flag --frobnicate-it (see pat-check --help)"},
		{"--repos", "octo-org/deploy", "unknown flag --repos; did you mean --repositories?"},
		{"--repos=octo-org/deploy", "", "unknown flag --repos; did you mean --repositories?"},
		{"--repo", "octo-org/deploy", "unknown flag --repo; did you mean --repositories?"},
		{"--reprt", "out.json", "unknown flag --reprt; did you mean --report?"},
		{"--reprt", "octo-org/deploy", "unknown flag --reprt (see pat-check --help)"},
		{"--workflw", "octo-org/deploy", "unknown flag --workflw (see pat-check --help)"},
	} {
		typed, want := tt.typed, tt.want
		args := []string{typed}
		if tt.value != "" {
			args = append(args, tt.value)
		}
		c := newCLI(args, envOf(nil), Stdio{Out: io.Discard, Err: io.Discard}, platformTokens)
		_, err := c.Options()
		var ue *UsageError
		if !errors.As(err, &ue) || !strings.HasPrefix(ue.Msg, want) {
			t.Errorf("%s: %v, want %q", typed, err, want)
		}
	}
}

// On a terminal, --token-stdin prompts on stderr and reads
// without echo; from a pipe it reads silently.
func TestTokenStdinPromptsOnATerminal(t *testing.T) {
	t.Parallel()
	var errb bytes.Buffer
	c := newCLI([]string{"--token-stdin"}, envOf(nil), Stdio{In: strings.NewReader("unused"), Out: io.Discard, Err: &errb}, platformTokens)
	c.terminal = func(io.Reader) bool { return true }
	read := false
	c.readSecret = func(io.Reader) ([]byte, error) { read = true; return []byte("typed-token"), nil }
	tok, err := c.Token()
	if err != nil || tok != "typed-token" || !read {
		t.Fatalf("token %q err %v read without echo %v", tok, err, read)
	}
	if !strings.Contains(errb.String(), "Paste the token and press Enter (it is not shown): ") {
		t.Errorf("no prompt: %q", errb.String())
	}

	errb.Reset()
	c = newCLI([]string{"--token-stdin"}, envOf(nil), Stdio{In: strings.NewReader("piped-token\n"), Out: io.Discard, Err: &errb}, platformTokens)
	c.terminal = func(io.Reader) bool { return false }
	c.readSecret = func(io.Reader) ([]byte, error) { t.Error("a pipe was read as a terminal"); return nil, nil }
	if tok, err := c.Token(); err != nil || tok != "piped-token\n" || errb.Len() != 0 {
		t.Errorf("pipe: token %q err %v stderr %q", tok, err, errb.String())
	}
	if isTerminal(strings.NewReader("")) {
		t.Error("a reader that is not a file taken for a terminal")
	}
}

// The header says where the token came from, and which source
// won when two are set.
func TestHeaderSaysWhereTheTokenCameFrom(t *testing.T) {
	t.Parallel()
	r := report.Report{TokenType: "classic", Findings: []finding.Finding{}}
	r.Decide()
	for _, tt := range []struct {
		args  []string
		env   map[string]string
		stdin string
		want  string
	}{
		{nil, map[string]string{"GH_TOKEN": "x"}, "", "Token: ghp_**** (from GH_TOKEN)"},
		{nil, map[string]string{"PAT_CHECK_TOKEN": "x", "GH_TOKEN": "y"}, "", "Token: ghp_**** (from PAT_CHECK_TOKEN)"},
		{[]string{"--token-stdin"}, nil, "x", "Token: ghp_**** (from standard input)"},
		{[]string{"--token-stdin"}, map[string]string{"GH_TOKEN": "y"}, "x", "Token: ghp_**** (from standard input, not GH_TOKEN (also set))"},
	} {
		var out bytes.Buffer
		c := newCLI(tt.args, envOf(tt.env), Stdio{In: strings.NewReader(tt.stdin), Out: &out, Err: io.Discard}, platformTokens)
		c.terminal = func(io.Reader) bool { return false }
		if _, err := c.Token(); err != nil {
			t.Fatal(err)
		}
		if err := c.Emit(r, "ghp_****"); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), tt.want+" · ") {
			t.Errorf("%v %v: header:\n%s\nwant %q", tt.args, tt.env, out.String(), tt.want)
		}
	}
}

// --quiet prints the verdict and the findings only.
func TestQuietFlag(t *testing.T) {
	t.Parallel()
	r := report.Report{TokenType: "classic", Checks: []finding.Check{{Name: "Scopes", State: finding.Fail}},
		Findings: []finding.Finding{{Code: finding.ScopeMissing, Severity: finding.Error, Message: "the token lacks the scope workflow", Fix: "1. Tick workflow",
			About: finding.About{Scopes: []string{"workflow"}}}}}
	r.Decide()
	var out bytes.Buffer
	c := newCLI([]string{"--quiet"}, envOf(nil), Stdio{Out: &out, Err: io.Discard}, platformTokens)
	if _, err := c.Options(); err != nil {
		t.Fatal(err)
	}
	if err := c.Emit(r, "ghp_****"); err != nil {
		t.Fatal(err)
	}
	want := "FAIL: the token lacks the workflow scope\nerror scope-missing: the token lacks the scope workflow\n"
	if out.String() != want {
		t.Errorf("quiet:\n%q\nwant\n%q", out.String(), want)
	}
	if !strings.Contains(Help(), "--quiet") {
		t.Error("--help does not list --quiet")
	}
}
