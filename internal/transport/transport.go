// Package transport is the HTTP layer that carries a credential: it adds
// the Authorization header only for the hosts the contract allows, refuses
// redirects elsewhere, retries what is worth retrying within the deadline,
// bounds each attempt, and reads bodies through a size limit.
package transport

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"unicode"

	"github.com/pat-check/pat-check/internal/finding"
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

// Options tunes the HTTP layer; zero values take the defaults.
type Options struct {
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
	// Withhold, when set, is applied to every string of every answer
	// before anyone reads it: each header value, each string (and key) of
	// a JSON body, or a body that is not JSON as a whole. It returns the
	// string, or a placeholder in its place when it holds part of the
	// credential (scrub.Scrubber.Withhold), so that nothing the server
	// sends back with the token in it is ever cut, quoted or printed.
	Withhold func(string) string
}

// IsLoopback reports whether host (a host name or address, without the
// port) is localhost, in any letter case, or a loopback address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// direct is http.DefaultTransport, except that a loopback host, however it
// is spelled, never goes through a proxy: Go's proxy rules bypass only the
// lower-case "localhost", and the token travels to a loopback API over
// plain http.
var direct = func() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = func(r *http.Request) (*url.URL, error) {
		if IsLoopback(r.URL.Hostname()) {
			return nil, nil
		}
		return http.ProxyFromEnvironment(r)
	}
	return t
}()

// WithDefaults fills in the zero values.
func (o Options) WithDefaults() Options {
	if o.Base == nil {
		o.Base = direct
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

// NewClient returns a client that sends authorization (a whole header
// value, "Bearer …" or "Basic …") only to the given sites (scheme and host
// of each URL), refuses redirects elsewhere, retries what is worth retrying,
// and reads bodies through a size limit.
func NewClient(sites []*url.URL, authorization string, o Options) *http.Client {
	o = o.WithDefaults()
	rt := &authTransport{authorization: authorization, next: &retryTransport{opts: o}}
	for _, s := range sites {
		rt.sites = append(rt.sites, site{scheme: s.Scheme, host: strings.ToLower(s.Host)})
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

type site struct{ scheme, host string }

// authTransport adds the credential to requests for the allowed sites and
// to no other, whatever header the caller set.
type authTransport struct {
	sites         []site
	authorization string
	next          http.RoundTripper
}

func (t *authTransport) sameSite(u *url.URL) bool {
	for _, s := range t.sites {
		if u.Scheme == s.scheme && strings.EqualFold(u.Host, s.host) {
			return true
		}
	}
	return false
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	// Host names compare without regard to case: the one sent on is
	// lower-cased, so that whatever decides on a proxy below sees
	// "localhost" as Go's rules spell it.
	r.URL.Host = strings.ToLower(r.URL.Host)
	r.Header.Del("Authorization")
	if t.sameSite(req.URL) {
		r.Header.Set("Authorization", t.authorization)
	}
	return t.next.RoundTrip(r)
}

// retryTransport retries network errors, 5xx and 429 with backoff, honours
// Retry-After while it fits before the deadline, bounds each attempt, and
// reads each body whole through MaxBody so that the attempt's timer cannot
// cut a body short after RoundTrip returns.
type retryTransport struct{ opts Options }

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
			if ra, ok := RetryAfter(resp.Header, t.opts.Now()); ok {
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
	boundHeader(resp.Header)
	if w := t.opts.Withhold; w != nil {
		for _, vs := range resp.Header {
			for i, v := range vs {
				vs[i] = w(v)
			}
		}
		body = withholdBody(body, w)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// MaxHeaderValue is the most of one response header value pat-check reads,
// and MaxHeaderValues the most values of one header: far more than any
// header GitHub or Azure DevOps sends (all of GitHub's scopes take under 1
// KiB), little enough that no later step can be made to work for long on
// what a hostile server sends.
const (
	MaxHeaderValue  = 8 << 10
	MaxHeaderValues = 16
)

// boundHeader cuts each value of h to MaxHeaderValue bytes and each header
// to MaxHeaderValues values.
func boundHeader(h http.Header) {
	for k, vs := range h {
		if len(vs) > MaxHeaderValues {
			vs = vs[:MaxHeaderValues]
			h[k] = vs
		}
		for i, v := range vs {
			if len(v) > MaxHeaderValue {
				vs[i] = v[:MaxHeaderValue]
			}
		}
	}
}

// withholdBody passes every string of a JSON body, keys included, through
// w, and re-encodes the body when one changed; a body that is not JSON
// passes through w whole. A body with no backslash (no JSON escape could
// hide anything) that w leaves as it is needs no decoding.
func withholdBody(body []byte, w func(string) string) []byte {
	text := string(body)
	if !strings.Contains(text, `\`) && w(text) == text {
		return body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() {
		return []byte(w(text))
	}
	changed := false
	v = withholdJSON(v, w, &changed)
	if !changed {
		return body
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if enc.Encode(v) != nil {
		return []byte(w(text))
	}
	return b.Bytes()
}

func withholdJSON(v any, w func(string) string, changed *bool) any {
	switch x := v.(type) {
	case string:
		if y := w(x); y != x {
			*changed = true
			return y
		}
	case []any:
		for i := range x {
			x[i] = withholdJSON(x[i], w, changed)
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if wk := w(k); wk != k {
				*changed = true
				k = wk
			}
			out[k] = withholdJSON(e, w, changed)
		}
		return out
	}
	return v
}

// retryable: network errors, 5xx and 429. Never 401/403/404: repeating bad
// credentials makes GitHub refuse even good ones for a while.
func retryable(resp *http.Response, err error) bool {
	if err != nil {
		return !errors.Is(err, ErrBodyTooLarge) && !errors.Is(err, context.Canceled)
	}
	return resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests
}

// RetryAfter reads Retry-After in seconds or as an HTTP date.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
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

// Describe says why a request failed, in words for a finding: the overall
// deadline, a refused redirect, an oversized body, or the network's own
// reason (without the URL, which url.Error repeats).
func Describe(err error) string {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "the overall time limit (timeout) ran out before the API answered"
	case errors.Is(err, ErrOffHost):
		return ErrOffHost.Error()
	case errors.Is(err, ErrBodyTooLarge):
		return ErrBodyTooLarge.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return CleanText(ue.Err.Error(), 300)
	}
	return CleanText(err.Error(), 300)
}

// CleanText makes text from the network safe to quote: control characters
// become spaces, runs of space collapse, and it is cut to at most n runes.
func CleanText(s string, n int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			if !space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return finding.Clip(strings.TrimSpace(b.String()), n)
}
