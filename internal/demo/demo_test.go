package demo

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/frontend"
)

func TestRunShowsEveryScenario(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	code := Run(context.Background(), nil, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &errb}, Host{})
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errb.String())
	}
	for _, want := range []string{"7 checks of simulated tokens", "PASS: the token passed every check", "scope-missing", "token-expiry-warning", "token-invalid",
		"sso-authorization-required", "=== 7. an Azure DevOps token", "(exit code 1)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the demo lacks %q:\n%s", want, out.String())
		}
	}
}

func TestRunTakesNoArguments(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"extra"}, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &errb}, Host{}); code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if out.Len() != 0 || !strings.Contains(errb.String(), `unexpected argument "extra"`) {
		t.Errorf("stdout %q stderr %q", out.String(), errb.String())
	}
}

// --help is an answer, not a mistake: the usage on stdout, every flag in
// it, and exit 0 (it was "flag: help requested" and exit 2).
func TestRunHelp(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"--help", "-h"} {
		var out, errb bytes.Buffer
		if code := Run(context.Background(), []string{arg}, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &errb}, Host{}); code != 0 {
			t.Errorf("%s: exit %d, want 0; stderr %q", arg, code, errb.String())
		}
		for _, want := range []string{"Usage: pat-check demo", "--serve ADDR", "--allow-remote"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: the usage lacks %q:\n%s", arg, want, out.String())
			}
		}
		if errb.Len() != 0 {
			t.Errorf("%s: stderr %q", arg, errb.String())
		}
	}
}
