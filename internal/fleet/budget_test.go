package fleet

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/simulate"
)

func send(t *testing.T, c *http.Client, url, tok string) *http.Response {
	t.Helper()
	req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, url, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp
}

func TestBudgetFloor(t *testing.T) {
	t.Parallel()
	sim := simulate.NewGitHub()
	low, high := simulate.ClassicToken("low"), simulate.ClassicToken("high")
	sim.AddToken(simulate.Token{Value: low, Login: "bot", Scopes: []string{"repo"}})
	sim.AddToken(simulate.Token{Value: high, Login: "octocat", Scopes: []string{"repo"}})
	sim.SetAccountRateLimit("bot", 20)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	b := NewBudget(nil)
	b.Plan(10) // floor: 3 × what is still to send
	check := b.For()
	c := &http.Client{Transport: check}
	// The first request of a credential is always sent: nothing is known yet.
	if r := send(t, c, srv.URL+"/user", low); r.StatusCode != 200 {
		t.Fatalf("first request: %d", r.StatusCode)
	}
	// 19 left < 3 × 9 still to send: held, never sent.
	r := send(t, c, srv.URL+"/user", low)
	if r.StatusCode != http.StatusTooManyRequests || r.Header.Get("Retry-After") == "" {
		t.Fatalf("below the floor: %d %v", r.StatusCode, r.Header)
	}
	if _, err := strconv.ParseInt(r.Header.Get("X-RateLimit-Reset"), 10, 64); err != nil {
		t.Errorf("the held answer has no reset: %v", r.Header)
	}
	if got := len(sim.Requests()); got != 1 {
		t.Errorf("the simulator received %d requests, want 1", got)
	}
	if b.Held("Bearer "+low) != 1 || b.Held("Bearer "+high) != 0 || b.Sent() != 1 {
		t.Errorf("held %d/%d, sent %d", b.Held("Bearer "+low), b.Held("Bearer "+high), b.Sent())
	}
	if held, remaining, still := check.Held(); held != 1 || remaining != 19 || still != 9 {
		t.Errorf("the check's view: held %d, remaining %d, still %d; want 1, 19, 9", held, remaining, still)
	}
	// Another account's limit is its own.
	for range 3 {
		if r := send(t, c, srv.URL+"/user", high); r.StatusCode != 200 {
			t.Fatalf("another account: %d", r.StatusCode)
		}
	}
}

// countingTransport counts requests in flight and remembers the most.
type countingTransport struct {
	in, most atomic.Int32
	wait     time.Duration
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	n := c.in.Add(1)
	for {
		m := c.most.Load()
		if n <= m || c.most.CompareAndSwap(m, n) {
			break
		}
	}
	time.Sleep(c.wait)
	c.in.Add(-1)
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}")), Request: req}, nil
}

func TestBudgetConcurrency(t *testing.T) {
	t.Parallel()
	ct := &countingTransport{wait: 20 * time.Millisecond}
	b := NewBudget(ct)
	c := &http.Client{Transport: b}
	var wg sync.WaitGroup
	for i := range 3 * Concurrency {
		wg.Go(func() { send(t, c, "http://127.0.0.1/x", strconv.Itoa(i)) })
	}
	wg.Wait()
	if m := ct.most.Load(); m > Concurrency || m < Concurrency/2 {
		t.Errorf("%d requests in flight at most, want up to %d", m, Concurrency)
	}
	if b.Sent() != 3*Concurrency {
		t.Errorf("sent %d", b.Sent())
	}
}

func TestBudgetIgnoresOtherResources(t *testing.T) {
	t.Parallel()
	b := NewBudget(nil)
	k := key("Bearer x")
	b.observe(k, http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Resource": {"graphql"}})
	b.observe(k, http.Header{"X-Ratelimit-Remaining": {"nope"}})
	if _, ok := b.remaining[k]; ok {
		t.Error("a GraphQL or unreadable limit counted against the REST floor")
	}
	b.observe(k, http.Header{"X-Ratelimit-Remaining": {"50"}})
	b.observe(k, http.Header{"X-Ratelimit-Remaining": {"70"}})
	if b.remaining[k].remaining != 50 {
		t.Errorf("remaining %d, want the lowest seen (50)", b.remaining[k].remaining)
	}
}
