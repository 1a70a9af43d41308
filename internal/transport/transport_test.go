package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync/atomic"
	"testing"
	"time"
)

// The credential goes to every allowed site and to no other, even when the
// caller set a header of its own.
func TestAuthorizationOnlyForAllowedSites(t *testing.T) {
	t.Parallel()
	seen := map[string]string{}
	var mu = make(chan struct{}, 1)
	handler := func(name string) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			mu <- struct{}{}
			seen[name] = r.Header.Get("Authorization")
			<-mu
		})
	}
	a := httptest.NewServer(handler("a"))
	b := httptest.NewServer(handler("b"))
	other := httptest.NewServer(handler("other"))
	defer a.Close()
	defer b.Close()
	defer other.Close()
	ua, _ := url.Parse(a.URL)
	ub, _ := url.Parse(b.URL)
	c := NewClient([]*url.URL{ua, ub}, "Basic secret", Options{})
	for _, u := range []string{a.URL, b.URL, other.URL} {
		req, _ := http.NewRequest("GET", u, nil)
		req.Header.Set("Authorization", "Basic smuggled")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if seen["a"] != "Basic secret" || seen["b"] != "Basic secret" || seen["other"] != "" {
		t.Errorf("authorization seen = %v", seen)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"3": 3 * time.Second, "0": 0, "Thu, 26 Nov 2026 12:00:10 GMT": 10 * time.Second, "Thu, 26 Nov 2026 11:00:00 GMT": 0,
	} {
		h := http.Header{"Retry-After": {v}}
		if got, ok := RetryAfter(h, now); !ok || got != want {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v", v, got, ok, want)
		}
	}
	if _, ok := RetryAfter(http.Header{"Retry-After": {"soon"}}, now); ok {
		t.Error("a word was read as a delay")
	}
}

// A 404 is never retried; a 500 is, up to the attempts.
func TestWhatIsRetried(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]int32{404: 1, 401: 1, 403: 1, 500: 3, 429: 3} {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			n.Add(1)
			rw.WriteHeader(status)
		}))
		u, _ := url.Parse(srv.URL)
		c := NewClient([]*url.URL{u}, "Bearer x", Options{Sleep: func(context.Context, time.Duration) error { return nil }})
		resp, err := c.Get(srv.URL)
		if err == nil {
			resp.Body.Close()
		}
		srv.Close()
		if n.Load() != want {
			t.Errorf("status %d: %d attempts, want %d", status, n.Load(), want)
		}
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	if got := CleanText("a\r\n\tb  c\x1b[0m", 100); got != "a b c [0m" {
		t.Errorf("CleanText = %q", got)
	}
	if got := CleanText("abcdef", 3); got != "abc…" {
		t.Errorf("CleanText cuts to %q", got)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Case 1: whatever decides on a proxy below the client sees a loopback
// host in lower case, and the default transport never proxies loopback,
// however it is spelled (Go's rules bypass only "localhost").
func TestLoopbackHostsAreNormalisedAndNeverProxied(t *testing.T) {
	t.Parallel()
	var hosts []string
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		hosts = append(hosts, r.URL.Host)
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	site, _ := url.Parse("http://LOCALHOST:8080/api/")
	c := NewClient([]*url.URL{site}, "Bearer x", Options{Base: base})
	for _, u := range []string{"http://LOCALHOST:8080/user", "http://LocalHost:8080/user"} {
		resp, err := c.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for _, h := range hosts {
		if h != "localhost:8080" {
			t.Errorf("the transport below saw host %q", h)
		}
	}
	proxy := Options{}.WithDefaults().Base.(*http.Transport).Proxy
	for _, u := range []string{"http://LOCALHOST:1/", "http://LocalHost:1/", "http://127.0.0.1:1/", "http://[::1]:1/"} {
		req, _ := http.NewRequest("GET", u, nil)
		if p, err := proxy(req); p != nil || err != nil {
			t.Errorf("%s would go through the proxy %v (%v)", u, p, err)
		}
	}
}
