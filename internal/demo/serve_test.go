package demo

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/app"
	"github.com/pat-check/pat-check/internal/frontend"
)

// syncBuffer is a bytes.Buffer safe to read while Serve writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Demo --serve serves the simulated APIs; every command it
// prints works from another shell (here, app.Main in-process) with the
// demo's verdicts; it stops when interrupted.
func TestServeAnswersTheCommandsItPrints(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"--serve", "127.0.0.1:0"}, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &errb})
	}()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "--format json prints the report") {
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve printed no commands:\n%s\n%s", out.String(), errb.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	var commands []string
	for _, l := range strings.Split(out.String(), "\n") {
		if strings.HasPrefix(l, "  PAT_CHECK_TOKEN=") {
			commands = append(commands, strings.TrimPrefix(l, "  "))
		}
	}
	if !strings.Contains(out.String(), "GitHub API:                http://127.0.0.1:") || !strings.Contains(out.String(), "/contoso   (--organization)") {
		t.Errorf("serve does not print its URLs:\n%s", out.String())
	}
	want := []int{0, 1, 0, 1, 1, 1, 1} // as in the demo
	if len(commands) != len(want) {
		t.Fatalf("%d commands, want %d:\n%s", len(commands), len(want), out.String())
	}
	for i, cmd := range commands {
		fields := strings.Fields(cmd)
		tok := strings.TrimPrefix(fields[0], "PAT_CHECK_TOKEN=")
		if fields[1] != "pat-check" {
			t.Fatalf("command %q", cmd)
		}
		var res bytes.Buffer
		env := func(k string) string {
			if k == "PAT_CHECK_TOKEN" {
				return tok
			}
			return ""
		}
		code := app.Main(context.Background(), fields[2:], env, frontend.Stdio{Out: &res, Err: &res}, app.World{})
		if code != want[i] {
			t.Errorf("%s: exit %d, want %d\n%s", cmd, code, want[i], res.String())
		}
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(out.String(), "pat-check demo: stopped") {
			t.Errorf("serve ended with %d:\n%s", code, errb.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop when interrupted")
	}
}

// --serve listens on loopback only unless told otherwise.
func TestServeRefusesOtherAddresses(t *testing.T) {
	t.Parallel()
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:8080", "nonsense"} {
		var errb bytes.Buffer
		if code := Run(context.Background(), []string{"--serve", addr}, func(string) string { return "" }, frontend.Stdio{Out: &bytes.Buffer{}, Err: &errb}); code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", addr, code, errb.String())
		}
	}
}

// The demo says what it covers, and its Azure DevOps links lead
// to the public host, not to a server that is gone.
func TestDemoLinksOutliveTheDemo(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if code := Run(context.Background(), nil, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &out}); code != 0 {
		t.Fatalf("exit %d", code)
	}
	s := out.String()
	if strings.Contains(s, "http://127.0.0.1") || !strings.Contains(s, "https://dev.azure.com/contoso/_usersSettings/tokens") {
		t.Errorf("the demo shows links to its own servers:\n%s", s)
	}
	if !strings.Contains(s, "simulated Azure DevOps organization") {
		t.Errorf("the header does not say the demo covers Azure DevOps:\n%s", s)
	}
	// Creation links are named after what the token is for.
	if strings.Contains(s, "description=pat-check") || strings.Contains(s, "Used+by+pat-check") || !strings.Contains(s, "description=octo-org%2Fdeploy") {
		t.Errorf("creation links are named after pat-check:\n%s", s)
	}
}
