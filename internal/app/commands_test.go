package app

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/frontend"
)

// Main routes every subcommand: version and --version print the version
// line, needs reads workflows, and demo runs what the binary handed in,
// with the arguments after its name; without one, demo is no subcommand.
func TestMainRoutesTheSubcommands(t *testing.T) {
	t.Parallel()
	run := func(w World, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), args, func(string) string { return "" },
			frontend.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, w)
		return code, out.String(), errb.String()
	}
	for _, v := range []string{"version", "--version"} {
		if code, out, _ := run(World{}, v); code != 0 || out != VersionLine()+"\n" {
			t.Errorf("%s: exit %d, %q", v, code, out)
		}
	}
	if code, _, errs := run(World{}, "needs", "--format", "yaml"); code != 2 || !strings.Contains(errs, "pat-check needs") {
		t.Errorf("needs with a bad flag: exit %d, %q", code, errs)
	}

	var got []string
	demo := func(_ context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio) int {
		got = args
		return 7
	}
	if code, _, _ := run(World{Demo: demo}, "demo", "--serve", "127.0.0.1:0"); code != 7 || !slices.Equal(got, []string{"--serve", "127.0.0.1:0"}) {
		t.Errorf("demo: exit %d, args %q", code, got)
	}
	if code, _, errs := run(World{}, "demo"); code != 2 || !strings.Contains(errs, `unexpected argument "demo"`) {
		t.Errorf("demo not handed in: exit %d, %q", code, errs)
	}
}
