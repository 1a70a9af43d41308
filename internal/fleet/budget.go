package fleet

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Concurrency is how many requests all the checks of a run send at once:
// the limit one check already keeps (GitHub allows up to 100 concurrent
// requests, docs "Rate limits for the REST API", secondary rate limits).
const Concurrency = 64

// FloorFactor sets the rate-limit floor: a credential whose answers say
// fewer requests remain than FloorFactor times the requests the run still
// has to send gets no more requests.
const FloorFactor = 3

// Budget is the one http.RoundTripper below every check of a run: at most
// Concurrency requests in flight across all of them, and a floor under
// each credential's rate limit. It reads X-RateLimit-Remaining as answers
// come back (GitHub sends it with every answer; Azure DevOps when it starts
// to throttle); once a credential's remaining requests fall below
// FloorFactor times the requests still to send, its further requests are
// not sent: the check reports them as rate-limited (inconclusive) instead
// of using up the token owner's hourly limit, which the jobs need. A
// credential's first request is always sent: nothing is known of its limit
// before it.
type Budget struct {
	next  http.RoundTripper
	slots chan struct{}

	mu        sync.Mutex
	planned   int
	sent      int
	remaining map[[32]byte]limit
	held      map[[32]byte]int
}

// limit is what a credential's answers said of its rate limit.
type limit struct {
	remaining int
	reset     string
}

// NewBudget returns a budget over next (http.DefaultTransport when nil).
func NewBudget(next http.RoundTripper) *Budget {
	if next == nil {
		next = http.DefaultTransport
	}
	return &Budget{next: next, slots: make(chan struct{}, Concurrency), remaining: map[[32]byte]limit{}, held: map[[32]byte]int{}}
}

// Plan adds n requests the run expects to send: the floor is a multiple of
// the planned requests not yet sent.
func (b *Budget) Plan(n int) {
	b.mu.Lock()
	b.planned += n
	b.mu.Unlock()
}

// Sent is how many requests went out.
func (b *Budget) Sent() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sent
}

// Held is how many requests with this authorization header value were not
// sent because of the floor.
func (b *Budget) Held(authorization string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.held[key(authorization)]
}

// Meter is one check's view of the budget: the requests it sends, and
// those the floor held back.
type Meter struct {
	b    *Budget
	mu   sync.Mutex
	held int
	// floor is the last held answer's detail, for the check's message.
	remaining, still int
}

// For returns a check's view of the budget.
func (b *Budget) For() *Meter { return &Meter{b: b} }

// RoundTrip sends req through the budget, counting what is held back.
func (c *Meter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, h, err := c.b.roundTrip(req)
	if h != nil {
		c.mu.Lock()
		c.held++
		c.remaining, c.still = h.remaining, h.still
		c.mu.Unlock()
	}
	return resp, err
}

// Held is how many of the check's requests were not sent, the remaining
// requests its credential's answers last reported, and the requests the
// run still had to send then.
func (c *Meter) Held() (held, remaining, still int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.held, c.remaining, c.still
}

// hold is why a request was held back.
type hold struct{ remaining, still int }

// key identifies a credential without keeping it.
func key(authorization string) [32]byte { return sha256.Sum256([]byte(authorization)) }

// HeldMessage is the message of the answer a held request gets, which the
// check quotes.
const HeldMessage = "pat-check sent no more requests with this token: its rate limit is close to the floor it keeps for the jobs that use the token"

// RoundTrip sends req unless its credential is below the floor.
func (b *Budget) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, _, err := b.roundTrip(req)
	return resp, err
}

func (b *Budget) roundTrip(req *http.Request) (*http.Response, *hold, error) {
	k := key(req.Header.Get("Authorization"))
	b.mu.Lock()
	l, seen := b.remaining[k]
	still := max(b.planned-b.sent, 1)
	if seen && l.remaining < FloorFactor*still {
		b.held[k]++
		b.mu.Unlock()
		return held(req, l, still), &hold{remaining: l.remaining, still: still}, nil
	}
	b.sent++
	b.mu.Unlock()

	select {
	case b.slots <- struct{}{}:
	case <-req.Context().Done():
		return nil, nil, req.Context().Err()
	}
	resp, err := b.next.RoundTrip(req)
	<-b.slots
	if err == nil {
		b.observe(k, resp.Header)
	}
	return resp, nil, err
}

// observe keeps the lowest X-RateLimit-Remaining of a credential's core
// (REST) limit: answers arrive out of order, and the count only goes down
// until the window resets, which is past the end of any run.
func (b *Budget) observe(k [32]byte, h http.Header) {
	v := strings.TrimSpace(h.Get("X-RateLimit-Remaining"))
	if v == "" {
		return
	}
	if r := strings.ToLower(h.Get("X-RateLimit-Resource")); r != "" && r != "core" {
		return // GraphQL and the other resources have limits of their own
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.remaining[k]; !ok || n < l.remaining {
		b.remaining[k] = limit{remaining: n, reset: strings.TrimSpace(h.Get("X-RateLimit-Reset"))}
	}
}

// held is the answer to a request that was not sent: 429, which both
// platforms' checks read as a rate limit, with the reset the credential's
// last answer gave and a Retry-After beyond any run's time limit, so that
// nothing retries it.
func held(req *http.Request, l limit, still int) *http.Response {
	body, _ := json.Marshal(map[string]string{"message": fmt.Sprintf("%s (%d requests left, below %d × the %d still to send)", HeldMessage, l.remaining, FloorFactor, still)})
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Retry-After", "3600")
	if _, err := strconv.ParseInt(l.reset, 10, 64); err == nil {
		h.Set("X-RateLimit-Reset", l.reset)
	}
	return &http.Response{
		Status:        "429 Too Many Requests",
		StatusCode:    http.StatusTooManyRequests,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(body)),
		ContentLength: int64(len(body)),
		Request:       req,
	}
}
