package github

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxBody is the most pat-check reads of one response: enough for a page of
// a hundred repositories, small enough that a hostile server cannot make it
// hoard memory.
const MaxBody = 4 << 20

// ErrBodyTooLarge is returned when a response exceeds MaxBody.
var ErrBodyTooLarge = errors.New("the response is larger than pat-check reads (4 MiB)")

// ErrOffHost is returned for a redirect to another host: the token is never
// sent there, and the answer would not be about this API anyway.
var ErrOffHost = errors.New("the API redirected to another host; pat-check does not follow it")

// TransportOptions tunes the HTTP layer; zero values take the defaults.
type TransportOptions struct {
	// Base performs the requests; http.DefaultTransport when nil.
	Base http.RoundTripper
	// PerRequest bounds one attempt; 10 s by default, never past the
	// overall deadline of the context.
	PerRequest time.Duration
	// Attempts is the most tries of one request; 3 by default.
	Attempts int
	// Backoff is the first wait between tries; it doubles each time. 300 ms by default.
	Backoff time.Duration
	// Sleep waits; injected so that tests need not wait. It must return
	// early with the context's error when the context ends.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock, for Retry-After dates.
	Now func() time.Time
}

func (o TransportOptions) withDefaults() TransportOptions {
	if o.Base == nil {
		o.Base = http.DefaultTransport
	}
	if o.PerRequest <= 0 {
		o.PerRequest = 10 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 3
	}
	if o.Backoff <= 0 {
		o.Backoff = 300 * time.Millisecond
	}
	if o.Sleep == nil {
		o.Sleep = sleepContext
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// NewHTTPClient returns a client that sends the token only to the API's own
// scheme and host, refuses redirects elsewhere, retries what is worth
// retrying, and reads bodies through a size limit.
func NewHTTPClient(api *url.URL, tok string, o TransportOptions) *http.Client {
	o = o.withDefaults()
	rt := &authTransport{
		scheme: api.Scheme,
		host:   strings.ToLower(api.Host),
		token:  tok,
		next:   &retryTransport{opts: o},
	}
	return &http.Client{
		Transport: rt,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 5 {
				return errors.New("too many redirects")
			}
			if !rt.sameSite(req.URL) {
				return ErrOffHost
			}
			return nil
		},
	}
}

// authTransport adds the token to requests for the API host and to no other.
type authTransport struct {
	scheme, host, token string
	next                http.RoundTripper
}

func (t *authTransport) sameSite(u *url.URL) bool {
	return u.Scheme == t.scheme && strings.EqualFold(u.Host, t.host)
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Del("Authorization")
	if t.sameSite(req.URL) {
		r.Header.Set("Authorization", "Bearer "+t.token)
	}
	return t.next.RoundTrip(r)
}

// retryTransport retries network errors, 5xx and 429 with backoff, honours
// Retry-After while it fits before the deadline, bounds each attempt, and
// reads each body whole through MaxBody so that the attempt's timer cannot
// cut a body short after RoundTrip returns.
type retryTransport struct{ opts TransportOptions }

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	wait := t.opts.Backoff
	for attempt := 1; ; attempt++ {
		resp, err := t.once(req)
		last := attempt >= t.opts.Attempts || req.Body != nil && req.GetBody == nil
		if !retryable(resp, err) || last || ctx.Err() != nil {
			return resp, err
		}
		d := wait
		if resp != nil {
			if ra, ok := retryAfter(resp.Header, t.opts.Now()); ok {
				d = ra
			}
		}
		// Context deadlines run on the real clock, whatever clock is injected.
		if deadline, ok := ctx.Deadline(); ok && d >= time.Until(deadline) {
			// The wait would outlast the run: report what we have.
			return resp, err
		}
		if serr := t.opts.Sleep(ctx, d); serr != nil {
			return resp, err
		}
		wait *= 2
		if req.GetBody != nil {
			body, gerr := req.GetBody()
			if gerr != nil {
				return resp, err
			}
			req = req.Clone(ctx)
			req.Body = body
		}
	}
}

func (t *retryTransport) once(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(req.Context(), t.opts.PerRequest)
	defer cancel()
	resp, err := t.opts.Base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		if ctx.Err() != nil && req.Context().Err() == nil {
			return nil, fmt.Errorf("no answer within %s", t.opts.PerRequest)
		}
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading the response: %w", err)
	}
	if len(body) > MaxBody {
		return nil, ErrBodyTooLarge
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// retryable: network errors, 5xx and 429. Never 401/403/404: repeating bad
// credentials makes GitHub refuse even good ones for a while.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, ErrBodyTooLarge) && !errors.Is(err, context.Canceled)
	}
	return resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
}

// retryAfter reads Retry-After in seconds or as an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d, true
		}
		return 0, true
	}
	return 0, false
}
