package frontend

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/pat-check/pat-check/internal/config"
)

// ErrTokenCancelled is TokenWithin's error when the run was cancelled
// (SIGINT, SIGTERM) before the token came.
var ErrTokenCancelled = errors.New("cancelled (SIGINT or SIGTERM) while waiting for the token on standard input")

// TokenWithin returns fe.Token(), or gives up when ctx ends (Ctrl-C at the
// prompt, SIGTERM) or when the token has not come within the run's timeout
// (--timeout when given and valid, else its default): standard input that
// never ends, or a prompt no one answers, cannot hold the run. A terminal
// whose echo the prompt turned off is given it back.
func TokenWithin(ctx context.Context, fe Frontend) (string, error) {
	c, ok := fe.(*cli)
	if !ok || !c.tokenStdin {
		return fe.Token() // read from the environment: nothing to wait for
	}
	type result struct {
		tok string
		err error
	}
	done := make(chan result, 1)
	go func() {
		tok, err := fe.Token()
		done <- result{tok, err}
	}()
	d := c.timeout()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.tok, r.err
	case <-ctx.Done():
		c.giveBackTerminal()
		return "", ErrTokenCancelled
	case <-timer.C:
		c.giveBackTerminal()
		return "", &UsageError{Msg: fmt.Sprintf("no token came on standard input within %s (--timeout): pipe in the token and close the pipe, or answer the prompt", d)}
	}
}

// timeout is --timeout as given, when it is a valid number of seconds,
// else the option's default: the options are parsed after the token.
func (c *cli) timeout() time.Duration {
	o, _ := config.Lookup("timeout")
	secs, err := strconv.Atoi(strings.TrimSpace(c.raw["timeout"]))
	if err != nil || secs < 1 || secs > 3600 {
		secs, _ = strconv.Atoi(o.Default)
	}
	return time.Duration(secs) * time.Second
}

// terminalState remembers a terminal's state before the prompt turned its
// echo off, so that a run stopped at the prompt gives it back.
type terminalState struct {
	mu      sync.Mutex
	restore func()
}

func (c *cli) giveBackTerminal() {
	c.term.mu.Lock()
	restore := c.term.restore
	c.term.restore = nil
	c.term.mu.Unlock()
	if restore != nil {
		restore()
		_, _ = io.WriteString(c.stdio.Err, "\n")
	}
}

// saveTerminal returns what gives the terminal r its present state back.
func saveTerminal(r io.Reader) func() {
	f, ok := r.(*os.File)
	if !ok {
		return nil
	}
	st, err := term.GetState(int(f.Fd()))
	if err != nil {
		return nil
	}
	return func() { _ = term.Restore(int(f.Fd()), st) }
}
