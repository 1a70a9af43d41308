package demo

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
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
		done <- Serve(ctx, "127.0.0.1:0", false, "pat-check", frontend.Stdio{Out: &out, Err: &errb}, Host{})
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
		if strings.HasPrefix(l, "  PAT_CHECK_TOKEN=") || strings.HasPrefix(l, "  GITHUB_SERVER_URL=") {
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
		vars := map[string]string{}
		for len(fields) > 0 && strings.Contains(fields[0], "=") {
			k, v, _ := strings.Cut(fields[0], "=")
			vars[k] = v
			fields = fields[1:]
		}
		if len(fields) == 0 || fields[0] != "pat-check" || vars["PAT_CHECK_TOKEN"] == "" {
			t.Fatalf("command %q", cmd)
		}
		var res bytes.Buffer
		code := app.Main(context.Background(), fields[1:], func(k string) string { return vars[k] }, frontend.Stdio{Out: &res, Err: &res}, app.World{})
		if code != want[i] {
			t.Errorf("%s: exit %d, want %d\n%s", cmd, code, want[i], res.String())
		}
		// The fixes' links lead where a real token is fixed; the Azure
		// DevOps organization's pages redirect there.
		for _, link := range regexp.MustCompile(`https?://[^\s)]+`).FindAllString(res.String(), -1) {
			if strings.HasPrefix(link, "http://127.0.0.1") && !strings.Contains(link, "/contoso/") {
				t.Errorf("%s: a link to the simulator: %s", cmd, link)
			}
			if strings.Contains(link, "/contoso/") && strings.HasPrefix(link, "http://127.0.0.1") {
				resp, err := noRedirect.Get(strings.TrimRight(link, ".,"))
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(loc, "https://dev.azure.com/contoso/") {
					t.Errorf("%s: %s answers %d, Location %q", cmd, link, resp.StatusCode, loc)
				}
			}
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
		if code := Run(context.Background(), []string{"--serve", addr}, func(string) string { return "" }, frontend.Stdio{Out: &bytes.Buffer{}, Err: &errb}, Host{}); code != 2 {
			t.Errorf("%s: exit %d, want 2 (%s)", addr, code, errb.String())
		}
	}
}

// The demo says what it covers, and its Azure DevOps links lead
// to the public host, not to a server that is gone.
func TestDemoLinksOutliveTheDemo(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if code := Run(context.Background(), nil, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &out}, Host{}); code != 0 {
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

// noRedirect shows a redirect instead of following it.
var noRedirect = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// The commands --serve prints start pat-check as this shell can: by name
// when it is on PATH, with go run when go run built it, else by its path.
func TestInvocationRunsAsPrinted(t *testing.T) {
	t.Parallel()
	exe := func(p string) func() (string, error) { return func() (string, error) { return p, nil } }
	none := func(string) (string, error) { return "", errors.New("not found") }
	at := func(p string) func(string) (string, error) { return func(string) (string, error) { return p, nil } }
	for _, tt := range []struct {
		exe        func() (string, error)
		look       func(string) (string, error)
		want, what string
	}{
		{exe("/usr/local/bin/pat-check"), at("/usr/local/bin/pat-check"), "pat-check", "on PATH"},
		{exe(filepath.Join(os.TempDir(), "go-build123", "b001", "exe", "pat-check")), none, "go run ./cmd/pat-check", "go run"},
		{exe("/home/dev/pat check/pat-check"), none, "'/home/dev/pat check/pat-check'", "a built binary"},
		{exe("/opt/pat-check"), at("/usr/bin/pat-check"), "/opt/pat-check", "another pat-check on PATH"},
		{func() (string, error) { return "", errors.New("unknown") }, none, "pat-check", "unknown"},
	} {
		if got := Invocation(tt.exe, tt.look); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.what, got, tt.want)
		}
	}
}
