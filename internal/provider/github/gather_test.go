package github

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

var simNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// world is a simulated GitHub under a non-root base path (as GHES serves
// it), which catches absolute-URL mistakes.
type world struct {
	sim    *simulate.GitHub
	srv    *httptest.Server
	api    string
	sleeps []time.Duration
	mu     sync.Mutex
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{sim: simulate.NewGitHub()}
	w.sim.SetBasePath("/api/v3")
	w.sim.SetNow(func() time.Time { return simNow })
	w.srv = httptest.NewServer(w.sim)
	t.Cleanup(w.srv.Close)
	w.api = w.srv.URL + "/api/v3/"

	w.sim.AddOrg(simulate.Org{Login: "sso-org", SSO: true})
	w.sim.AddOrg(simulate.Org{Login: "no-classic", ForbidClassic: true})
	w.sim.AddOrg(simulate.Org{Login: "short-life", MaxLifetimeDays: 90})
	w.sim.AddOrg(simulate.Org{Login: "octo"})
	w.sim.AddRepo("octo/public", false)
	w.sim.AddRepo("octo/private", true)
	w.sim.AddRepo("octo/secret", true)
	w.sim.AddRepo("sso-org/app", true)
	w.sim.AddRepo("no-classic/app", true)
	w.sim.AddToken(simulate.Token{Value: "classic-ok", Login: "octocat", Scopes: []string{"repo", "read:org"},
		Expiration: "2027-01-31 23:00:00 UTC", Repositories: []string{"octo/private", "sso-org/app", "no-classic/app"}})
	w.sim.AddToken(simulate.Token{Value: "classic-forever", Login: "octocat", Scopes: []string{"repo"}})
	w.sim.AddToken(simulate.Token{Value: "classic-offset", Login: "octocat", Scopes: []string{}, Expiration: "2027-04-26 23:23:18 +0200"})
	w.sim.AddToken(simulate.Token{Value: "revoked", Login: "octocat", Revoked: true})
	w.sim.AddToken(simulate.Token{Value: "fine", Login: "octocat", FineGrained: true, Expiration: "2027-12-31 00:00:00 UTC", Repositories: []string{"octo/private"}})
	w.sim.AddToken(simulate.Token{Value: "install", Installation: true, Repositories: []string{"octo/private"}})
	return w
}

func (w *world) client(t *testing.T, tok string) *Client {
	t.Helper()
	c, err := New(w.api, tok, "test", transport.Options{
		Now: func() time.Time { return simNow },
		Sleep: func(ctx context.Context, d time.Duration) error {
			w.mu.Lock()
			w.sleeps = append(w.sleeps, d)
			w.mu.Unlock()
			return ctx.Err()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) paths() []string {
	var out []string
	for _, r := range w.sim.Requests() {
		out = append(out, r.Method+" "+r.Path)
	}
	slices.Sort(out)
	return out
}

func TestClassicTokenNeedsOneRequest(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{Scopes: []string{"repo"}})
	if !f.Accepted || f.Login != "octocat" || !f.ScopesKnown || !slices.Equal(f.Scopes, []string{"repo", "read:org"}) {
		t.Errorf("facts = %+v", f)
	}
	if want := time.Date(2027, 1, 31, 23, 0, 0, 0, time.UTC); !f.Expiry.Known || !f.Expiry.At.Equal(want) {
		t.Errorf("expiry = %+v, want %v", f.Expiry, want)
	}
	if got := w.paths(); !slices.Equal(got, []string{"GET /api/v3/user"}) {
		t.Errorf("requests = %q, want exactly one GET /user", got)
	}
	for _, r := range w.sim.Requests() {
		if r.Authorization != "Bearer classic-ok" {
			t.Errorf("authorization header %q", r.Authorization)
		}
	}
}

func TestExpiryForms(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.client(t, "classic-forever").Facts(context.Background(), token.Classic, check.Requirements{})
	if !f.Expiry.Known || !f.Expiry.Never {
		t.Errorf("no header on a classic token: expiry = %+v, want never", f.Expiry)
	}
	f = w.client(t, "classic-offset").Facts(context.Background(), token.Classic, check.Requirements{})
	if want := time.Date(2027, 4, 26, 21, 23, 18, 0, time.UTC); !f.Expiry.At.Equal(want) {
		t.Errorf("offset form: %v, want %v", f.Expiry.At, want)
	}
	if !f.ScopesKnown || len(f.Scopes) != 0 {
		t.Errorf("an empty X-OAuth-Scopes is known and empty: %+v", f)
	}
	f = w.client(t, "fine").Facts(context.Background(), token.FineGrained, check.Requirements{})
	if f.ScopesKnown || !f.Expiry.Known || f.Expiry.Never {
		t.Errorf("fine-grained: %+v", f)
	}
}

func TestRevokedIsInvalidAndNotRetried(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.client(t, "revoked").Facts(context.Background(), token.Classic, check.Requirements{})
	if !f.Invalid || f.Accepted || f.InvalidMessage != "Bad credentials" {
		t.Errorf("facts = %+v", f)
	}
	if n := len(w.sim.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a 401 is never retried", n)
	}
}

func TestInstallationToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.client(t, "install").Facts(context.Background(), token.AppInstallation, check.Requirements{Repositories: []string{"octo/private", "octo/secret"}})
	if !f.Accepted || !slices.Equal(f.InstallationRepositories, []string{"octo/private"}) {
		t.Errorf("facts = %+v", f)
	}
	if f.Repositories[0].Access != check.AccessOK || f.Repositories[1].Access != check.AccessNotFound {
		t.Errorf("repositories = %+v", f.Repositories)
	}
	// An installation token whose format did not say so is found out.
	w2 := newWorld(t)
	f = w2.client(t, "install").Facts(context.Background(), token.Unknown, check.Requirements{})
	if !f.Accepted || len(f.InstallationRepositories) != 1 {
		t.Errorf("unknown-format installation token: %+v", f)
	}
}

func TestRepositoriesAndOrganizations(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := check.Requirements{
		Repositories:  []string{"octo/public", "octo/private", "octo/secret", "octo/missing", "no-classic/app"},
		Organizations: []string{"sso-org", "no-classic", "octo", "ghost"},
	}
	f := w.client(t, "classic-forever").Facts(context.Background(), token.Classic, req)
	want := []check.Access{check.AccessOK, check.AccessNotFound, check.AccessNotFound, check.AccessNotFound, check.AccessPolicy}
	for i, r := range f.Repositories {
		if r.Access != want[i] {
			t.Errorf("%s: access %d, want %d", r.Name, r.Access, want[i])
		}
	}
	sso := f.Organizations[0]
	if sso.Access != check.AccessSSO || sso.Org != "sso-org" || !strings.HasPrefix(sso.SSOURL, "https://github.com/orgs/sso-org/sso?") {
		t.Errorf("sso org = %+v", sso)
	}
	pol := f.Organizations[1]
	if pol.Access != check.AccessPolicy || !strings.Contains(pol.Message, "forbids access via a personal access token (classic)") {
		t.Errorf("policy org = %+v", pol)
	}
	if f.Organizations[2].Access != check.AccessOK || f.Organizations[3].Access != check.AccessNotFound {
		t.Errorf("orgs = %+v", f.Organizations)
	}
}

func TestLifetimePolicyURL(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	f := w.client(t, "fine").Facts(context.Background(), token.FineGrained, check.Requirements{Organizations: []string{"short-life"}})
	o := f.Organizations[0]
	if o.Access != check.AccessPolicy || o.PolicyURL != "https://github.com/settings/personal-access-tokens/12885303" {
		t.Errorf("lifetime policy = %+v", o)
	}
}

func TestRateLimitIsToldApart(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetRateLimitExhausted(true)
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{})
	if f.Accepted || f.Invalid || len(f.Problems) != 1 || !f.Problems[0].RateLimited || f.Problems[0].ResetAt.IsZero() {
		t.Errorf("facts = %+v", f)
	}
	if n := len(w.sim.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a rate-limit 403 is not retried", n)
	}
	w2 := newWorld(t)
	w2.sim.SetSecondaryRateLimit(true)
	f = w2.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{})
	if len(f.Problems) != 1 || !f.Problems[0].RateLimited {
		t.Errorf("secondary: %+v", f)
	}
}

func TestRetriesServerErrorsThenSucceeds(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.FailNext(2, 502)
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{})
	if !f.Accepted || len(f.Problems) != 0 {
		t.Errorf("facts = %+v", f)
	}
	if n := len(w.sim.Requests()); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if !slices.Equal(w.sleeps, []time.Duration{300 * time.Millisecond, 600 * time.Millisecond}) {
		t.Errorf("backoff = %v", w.sleeps)
	}
}

func TestPersistentServerErrorIsInconclusive(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.FailNext(10, 503)
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{})
	if f.Accepted || len(f.Problems) != 1 || f.Problems[0].RateLimited || !strings.Contains(f.Problems[0].Message, "503") {
		t.Errorf("facts = %+v", f)
	}
	if n := len(w.sim.Requests()); n != 3 {
		t.Errorf("%d requests, want 3 attempts", n)
	}
}

func TestRetryAfterIsHonouredWithinTheDeadline(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.RateLimitNext(1, 2*time.Second)
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{})
	if !f.Accepted || !slices.Equal(w.sleeps, []time.Duration{2 * time.Second}) {
		t.Errorf("accepted=%v sleeps=%v", f.Accepted, w.sleeps)
	}

	// A Retry-After beyond the overall deadline is not waited for.
	w2 := newWorld(t)
	w2.sim.RateLimitNext(1, time.Hour)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	f = w2.client(t, "classic-ok").Facts(ctx, token.Classic, check.Requirements{})
	if f.Accepted || len(f.Problems) != 1 || !f.Problems[0].RateLimited || len(w2.sleeps) != 0 {
		t.Errorf("facts=%+v sleeps=%v", f, w2.sleeps)
	}
}

func TestTokenNeverLeavesTheAPIHost(t *testing.T) {
	t.Parallel()
	var leaked atomic.Value
	other := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization"))
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(`{"login":"evil"}`))
	}))
	defer other.Close()
	w := newWorld(t)
	w.sim.RedirectUserTo(other.URL + "/user")
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{})
	if v, _ := leaked.Load().(string); v != "" {
		t.Fatalf("the token reached another host: %q", v)
	}
	if f.Accepted || f.Login == "evil" || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Message, "another host") {
		t.Errorf("facts = %+v", f)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	t.Parallel()
	big := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(`{"login":"` + strings.Repeat("a", transport.MaxBody) + `"}`))
	}))
	defer big.Close()
	c, _ := New(big.URL+"/", "t", "test", transport.Options{Sleep: func(context.Context, time.Duration) error { return nil }})
	f := c.Facts(context.Background(), token.Classic, check.Requirements{})
	if f.Accepted || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Message, "larger") {
		t.Errorf("facts = %+v", f)
	}
}

func TestNonJSONSuccessIsNotAcceptance(t *testing.T) {
	t.Parallel()
	portal := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html")
		_, _ = rw.Write([]byte(`<html>sign in</html>`))
	}))
	defer portal.Close()
	c, _ := New(portal.URL+"/", "t", "test", transport.Options{})
	f := c.Facts(context.Background(), token.Classic, check.Requirements{})
	if f.Accepted || len(f.Problems) != 1 {
		t.Errorf("an HTML 200 was taken for GitHub's answer: %+v", f)
	}
}

func TestPerRequestTimeout(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetLatency(time.Second)
	c, _ := New(w.api, "classic-ok", "test", transport.Options{PerRequest: 20 * time.Millisecond, Attempts: 2,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	f := c.Facts(context.Background(), token.Classic, check.Requirements{})
	if f.Accepted || len(f.Problems) != 1 || !strings.Contains(f.Problems[0].Message, "no answer within") {
		t.Errorf("facts = %+v", f)
	}
}

func TestRequestsRunConcurrently(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	// Each request after /user waits until all three are in flight (or a
	// generous limit passes): sent one after another, they never meet and
	// the test fails; sent together, it passes however loaded the machine.
	var inFlight, peak atomic.Int32
	all := make(chan struct{})
	var once sync.Once
	w.srv.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/user" {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			if n >= 3 {
				once.Do(func() { close(all) })
			}
			select {
			case <-all:
			case <-time.After(5 * time.Second):
			}
			defer inFlight.Add(-1)
		}
		w.sim.ServeHTTP(rw, r)
	})
	req := check.Requirements{Repositories: []string{"octo/public", "octo/private"}, Organizations: []string{"octo"}}
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, req)
	if !f.Accepted {
		t.Fatalf("facts = %+v", f)
	}
	if p := peak.Load(); p < 3 {
		t.Errorf("at most %d requests were in flight together, want the 3 after /user", p)
	}
}

// However many checks a run asks for, at most Concurrency requests are in
// flight at once. Each request is held until one more than the bound is
// in flight (or a second passes): without the bound, all of them are sent
// together and the test sees the excess at once.
func TestRequestsInFlightAreBounded(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	var inFlight, peak atomic.Int32
	over := make(chan struct{})
	var once sync.Once
	w.srv.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v3/user" {
			n := inFlight.Add(1)
			defer inFlight.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			if n > Concurrency {
				once.Do(func() { close(over) })
			}
			select {
			case <-over:
			case <-time.After(time.Second):
			}
		}
		w.sim.ServeHTTP(rw, r)
	})
	var repos []string
	for i := range Concurrency + 1 {
		repos = append(repos, fmt.Sprintf("octo/r%d", i))
	}
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, check.Requirements{Repositories: repos})
	if !f.Accepted || len(f.Repositories) != Concurrency+1 {
		t.Fatalf("facts = %+v", f)
	}
	if p := peak.Load(); p > Concurrency {
		t.Errorf("%d requests were in flight together, want at most %d", p, Concurrency)
	}
}

func TestBadCredentialsAreSentOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	req := check.Requirements{Repositories: []string{"octo/public", "octo/private"}, Organizations: []string{"octo"},
		Permissions: []check.Permission{{Name: "issues", Level: check.LevelRead}}}
	f := w.client(t, "revoked").Facts(context.Background(), token.Classic, req)
	if !f.Invalid {
		t.Fatalf("facts = %+v", f)
	}
	if got := w.paths(); !slices.Equal(got, []string{"GET /api/v3/user"}) {
		t.Errorf("requests = %q, want only GET /user", got)
	}
}
