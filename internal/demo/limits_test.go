package demo

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/frontend"
)

// startServe runs the demo server at a free loopback port until the test
// ends and returns its GitHub API URL.
func startServe(t *testing.T, run func(ctx context.Context, stdio frontend.Stdio) int) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, frontend.Stdio{Out: &out, Err: &errb}) }()
	t.Cleanup(func() { cancel(); <-done })
	re := regexp.MustCompile(`GitHub API: +(http://127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("serve printed no URL:\n%s\n%s", out.String(), errb.String())
	return ""
}

func runServe(args ...string) func(ctx context.Context, stdio frontend.Stdio) int {
	return func(ctx context.Context, stdio frontend.Stdio) int {
		return Run(ctx, args, func(string) string { return "" }, stdio, Host{})
	}
}

// A request whose Host is not the address served (DNS rebinding: a page
// elsewhere makes the browser send it to a name that now points here) is
// refused with 421, unless --allow-remote.
func TestServeRefusesOtherHostNames(t *testing.T) {
	t.Parallel()
	api := startServe(t, runServe("--serve", "127.0.0.1:0"))
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(api, "http://"))
	// A transport of its own: the demo's scenarios, run by tests beside
	// this one, close http.DefaultTransport's idle connections as their
	// httptest servers close.
	client := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	for host, want := range map[string]int{
		"rebound.example:" + port: http.StatusMisdirectedRequest,
		"rebound.example":         http.StatusMisdirectedRequest,
		"127.0.0.1:" + port:       http.StatusUnauthorized,
		"localhost:" + port:       http.StatusUnauthorized,
	} {
		req, _ := http.NewRequest(http.MethodGet, api+"/user", nil)
		req.Host = host
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Host %s: %d, want %d", host, resp.StatusCode, want)
		}
	}
	remote := startServe(t, runServe("--serve", "127.0.0.1:0", "--allow-remote"))
	req, _ := http.NewRequest(http.MethodGet, remote+"/user", nil)
	req.Host = "rebound.example"
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("--allow-remote: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("--allow-remote: %d, want %d", resp.StatusCode, http.StatusUnauthorized)
	}
}

// 300 requests of 1 MiB leave the server's memory about where it was: it
// keeps the last requests, and 4 KiB of each body.
func TestServeKeepsABoundedRequestLog(t *testing.T) {
	api := startServe(t, runServe("--serve", "127.0.0.1:0"))
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	body := bytes.Repeat([]byte("x"), 1<<20-1)
	for range 300 {
		resp, err := http.Post(api+"/graphql", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if grew := int64(heap()) - int64(before); grew > 64<<20 {
		t.Errorf("the heap grew by %d MB over 300 requests of 1 MiB", grew>>20)
	}
}

// A client that sends half a request and waits, or keeps a connection idle,
// is cut off at the read and idle timeouts.
func TestServeTimesOutSlowClients(t *testing.T) {
	t.Parallel()
	l := serveLimits
	l.Read, l.Idle = 300*time.Millisecond, 300*time.Millisecond
	api := startServe(t, func(ctx context.Context, stdio frontend.Stdio) int {
		return serve(ctx, "127.0.0.1:0", false, "pat-check", l, stdio, Host{})
	})
	addr := strings.TrimPrefix(api, "http://")
	for name, send := range map[string]string{
		"half a body": fmt.Sprintf("POST /graphql HTTP/1.1\r\nHost: %s\r\nContent-Length: 1000\r\n\r\n{\"query\":", addr),
		"idle":        fmt.Sprintf("GET /user HTTP/1.1\r\nHost: %s\r\n\r\n", addr),
	} {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, _ = io.WriteString(conn, send)
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		r := bufio.NewReader(conn)
		for {
			if _, err := r.ReadByte(); err != nil {
				break // closed by the server (or the 5 s deadline)
			}
		}
		conn.Close()
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s: the connection stayed open %s", name, took)
		}
	}
}
