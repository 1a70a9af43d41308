package frontend

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Ctrl-C at the token prompt stops the wait at once and gives the terminal
// its echo back; the prompt is never answered here.
func TestCtrlCAtTheTokenPromptStopsTheWait(t *testing.T) {
	t.Parallel()
	var errb lockedWriter
	c := newCLI([]string{"--token-stdin"}, envOf(nil), Stdio{In: strings.NewReader(""), Out: io.Discard, Err: &errb}, platformTokens)
	c.terminal = func(io.Reader) bool { return true }
	never := make(chan struct{})
	c.readSecret = func(io.Reader) ([]byte, error) { <-never; return nil, nil }
	var restored atomic.Bool
	c.save = func(io.Reader) func() { return func() { restored.Store(true) } }
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel) // the SIGINT of Ctrl-C
	start := time.Now()
	_, err := TokenWithin(ctx, c)
	if !errors.Is(err, ErrTokenCancelled) || time.Since(start) > 2*time.Second {
		t.Errorf("err %v after %s", err, time.Since(start))
	}
	if !restored.Load() {
		t.Error("the terminal's echo was not given back")
	}
}

// Standard input that never ends is given up at --timeout (its default
// when --timeout is not a valid number).
func TestTokenStdinThatNeverEndsIsGivenUpAtTheTimeout(t *testing.T) {
	t.Parallel()
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	go func() { _, _ = w.Write([]byte("ghp_")) }() // some bytes, then nothing
	c := newCLI([]string{"--token-stdin", "--timeout", "1"}, envOf(nil), Stdio{In: r, Out: io.Discard, Err: io.Discard}, platformTokens)
	start := time.Now()
	_, err := TokenWithin(context.Background(), c)
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(err.Error(), "within 1s") {
		t.Errorf("err %v", err)
	}
	if took := time.Since(start); took < time.Second || took > 3*time.Second {
		t.Errorf("gave up after %s, want about 1 s", took)
	}
	if d := newCLI([]string{"--token-stdin", "--timeout", "x"}, envOf(nil), Stdio{In: r}, platformTokens).timeout(); d != 30*time.Second {
		t.Errorf("an invalid --timeout: waits %s, want the default 30s", d)
	}
}

// lockedWriter is written by the reading goroutine and TokenWithin.
type lockedWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
