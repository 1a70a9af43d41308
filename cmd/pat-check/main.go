// Command pat-check checks a personal access token before a job uses it.
// See the README for the options, outputs and exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/pat-check/pat-check/internal/app"
	"github.com/pat-check/pat-check/internal/frontend"
)

func main() {
	// SIGTERM is what a runner or an agent sends on cancel, SIGINT a
	// terminal: either ends the context, and the run reports itself
	// cancelled (exit 3) after writing its outputs.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stdio := frontend.Stdio{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: isTerminal(os.Stdout)}
	// The demo is handed in: release binaries (-tags nodemo) leave it out.
	code := app.Main(ctx, os.Args[1:], os.Getenv, stdio, app.World{StandardLogger: true, Demo: runDemo})
	stop()
	os.Exit(code)
}

// isTerminal reports whether f is a character device: a terminal, or a
// device such as /dev/null whose reader never sees what is written.
// golang.org/x/term (a dependency, to read the token without echo) could
// tell the two apart; only the colours of the text depend on it, and what
// goes to /dev/null is not read.
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
