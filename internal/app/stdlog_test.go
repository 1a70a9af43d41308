package app

import (
	"bytes"
	"context"
	"log"
	"testing"

	"github.com/pat-check/pat-check/internal/frontend"
)

// The standard logger (net/http writes to it on its own) is pointed at a
// run's scrubbed standard error only once that scrubber knows the token's
// forms. Pointed earlier, a connection of an earlier run in the same
// process that logs late would write through a scrubber that knows no
// token: FuzzPipeline once found 12 characters of its token so.
// Not parallel: the standard logger is the process's.
func TestStandardLoggerWaitsForTheTokensForms(t *testing.T) {
	var trip bytes.Buffer
	old := log.Writer()
	log.SetOutput(&trip)
	t.Cleanup(func() { log.SetOutput(old) })
	noEnv := func(string) string { return "" }
	var out, errb bytes.Buffer
	// Refused at the options, before any token is read.
	if code := Main(context.Background(), []string{"--no-such-flag"}, noEnv, frontend.Stdio{Out: &out, Err: &errb}, World{StandardLogger: true}); code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, errb.String())
	}
	if log.Writer() != &trip {
		t.Error("the standard logger was pointed at the run's standard error before the token's forms were known")
	}
	// Once the token is read and masked, the run's standard error has it.
	env := func(k string) string {
		if k == "PAT_CHECK_TOKEN" {
			return "not-a-token"
		}
		return ""
	}
	Main(context.Background(), []string{"--api-url", "http://127.0.0.1:1/"}, env, frontend.Stdio{Out: &out, Err: &errb}, World{StandardLogger: true})
	if log.Writer() == &trip {
		t.Error("the standard logger is not pointed at the run's standard error after the token was read")
	}
}
