package azdo

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/transport"
)

var now = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const user = "5a7bdc1e-1111-4222-8333-944455556666"

type world struct {
	sim *simulate.AzureDevOps
	srv *httptest.Server
	org azplatform.Org
}

func newWorld(t *testing.T) *world {
	t.Helper()
	sim := simulate.NewAzureDevOps("contoso")
	sim.SetNow(func() time.Time { return now })
	sim.AddProject("Web")
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	org, err := azplatform.ParseOrganization(srv.URL + "/contoso")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if v := sim.Violations(); len(v) > 0 {
			t.Errorf("writes: %q", v)
		}
	})
	return &world{sim: sim, srv: srv, org: org}
}

func (w *world) add(value, name string, validDays int, scopes ...string) {
	w.sim.AddPAT(simulate.AzurePAT{Value: value, DisplayName: name, UserID: user, Email: "dev@contoso.com", DisplayUser: "Dana Dev",
		Scopes: scopes, ValidTo: now.Add(time.Duration(validDays) * 24 * time.Hour)})
}

func (w *world) facts(t *testing.T, pat string, q Query) check.Facts {
	t.Helper()
	c := New(w.org, pat, "test", transport.Options{Now: func() time.Time { return now }})
	return c.Facts(context.Background(), q)
}

func TestValidTokenWithScopesHeader(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetScopesHeader(true)
	w.add("pat-a", "deploy", 30, "vso.code_write", "vso.build")
	f := w.facts(t, "pat-a", Query{Scopes: []string{"vso.code"}})
	if !f.Accepted || f.Login != "Dana Dev" || !f.ScopesKnown || !slices.Equal(f.Scopes, []string{"vso.code_write", "vso.build"}) {
		t.Errorf("facts = %+v", f)
	}
	for _, r := range w.sim.Requests() {
		if !strings.HasPrefix(r.Authorization, "Basic ") {
			t.Errorf("%s %s without Basic credentials", r.Method, r.Path)
		}
	}
}

func TestExpiredAndWrongTokens(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.add("pat-old", "old", -2, "vso.code")
	if f := w.facts(t, "pat-old", Query{}); !f.Expired || f.Accepted || !strings.Contains(f.InvalidMessage, "has expired") {
		t.Errorf("expired: %+v", f)
	}
	if f := w.facts(t, "nope", Query{}); !f.Invalid || f.Accepted || !strings.Contains(f.InvalidMessage, "TF400813") {
		t.Errorf("wrong: %+v", f)
	}
}

// A 203 sign-in page is a refusal, although the Go client calls it success.
func TestSignInPageIsInvalid(t *testing.T) {
	t.Parallel()
	sim := simulate.NewAzureDevOps("contoso")
	srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.URL.Path, "/contoso/_apis/connectionData") {
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			rw.WriteHeader(http.StatusNonAuthoritativeInfo)
			_, _ = rw.Write([]byte("<html><body>Sign in</body></html>"))
			return
		}
		sim.ServeHTTP(rw, r)
	}))
	defer srv.Close()
	org, _ := azplatform.ParseOrganization(srv.URL + "/contoso")
	f := New(org, "whatever", "test", transport.Options{}).Facts(context.Background(), Query{})
	if !f.Invalid || f.Accepted {
		t.Errorf("facts = %+v", f)
	}
}

func TestExpiryFromTheTokenList(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetTokenList(true)
	w.add("pat-1", "deploy", 30, "vso.code_write")
	w.add("pat-2", "nightly", 60, "vso.build")
	w.add("pat-3", "nightly-copy", 90, "vso.build")
	w.add("pat-gone", "expired", -5, "vso.code")

	f := w.facts(t, "pat-2", Query{TokenName: "Nightly"})
	if !f.Expiry.Known || f.Expiry.Source != "token-list" || !f.Expiry.At.Equal(now.Add(60*24*time.Hour)) {
		t.Errorf("by name: %+v", f.Expiry)
	}
	if !f.ScopesKnown || !slices.Equal(f.Scopes, []string{"vso.build"}) {
		t.Errorf("scopes from the list: %v %v", f.ScopesKnown, f.Scopes)
	}
	f = w.facts(t, "pat-2", Query{})
	if f.Expiry.Known || !strings.Contains(f.Expiry.Note, "3 valid tokens") {
		t.Errorf("ambiguous: %+v", f.Expiry)
	}
	f = w.facts(t, "pat-2", Query{TokenName: "absent"})
	if f.Expiry.Known || !strings.Contains(f.Expiry.Note, "0 tokens") {
		t.Errorf("no such name: %+v", f.Expiry)
	}

	w.sim.SetScopesHeader(true)
	if f := w.facts(t, "pat-1", Query{}); !f.Expiry.Known || !f.Expiry.At.Equal(now.Add(30*24*time.Hour)) {
		t.Errorf("unique scopes: %+v", f.Expiry)
	}
	if f := w.facts(t, "pat-2", Query{}); f.Expiry.Known {
		t.Errorf("two tokens with the same scopes must stay unknown: %+v", f.Expiry)
	}
}

// The only valid token in the list need not be this one (a token for all
// organizations is listed elsewhere): nothing is assumed.
func TestTheOnlyValidTokenIsNotAssumed(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetTokenList(true)
	w.add("solo", "solo", 45, "vso.code")
	w.add("old", "old", -1, "vso.code")
	if f := w.facts(t, "solo", Query{}); f.Expiry.Known || f.ScopesKnown {
		t.Errorf("facts = %+v", f)
	}
}

func TestANamedTokenWithOtherScopesIsAnotherToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetTokenList(true)
	w.sim.SetScopesHeader(true)
	w.add("this", "deploy", 45, "vso.code")
	w.add("other", "deploy-old", 3, "app_token")
	if f := w.facts(t, "this", Query{TokenName: "deploy-old"}); f.Expiry.Known || !strings.Contains(f.Expiry.Note, "other scopes") {
		t.Errorf("facts = %+v", f.Expiry)
	}
}

// Answers the Go client cannot classify by itself: an HTML 401, and an
// expiry said only in X-TFS-ServiceError.
func TestUnusualRefusals(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		handler func(rw http.ResponseWriter)
		expired bool
	}{
		"html 401": {func(rw http.ResponseWriter) {
			rw.Header().Set("Content-Type", "text/html")
			rw.WriteHeader(401)
			_, _ = rw.Write([]byte("<html>no</html>"))
		}, false},
		"expired in the header": {func(rw http.ResponseWriter) {
			rw.Header().Set("X-TFS-ServiceError", "Access%20Denied%3A%20The%20Personal%20Access%20Token%20used%20has%20expired.")
			rw.WriteHeader(401)
		}, true},
		"revoked with the access-check type": {func(rw http.ResponseWriter) {
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(401)
			_, _ = rw.Write([]byte(`{"message":"Access Denied: The Personal Access Token used has been revoked.","typeKey":"AccessCheckException"}`))
		}, false},
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { tc.handler(rw) }))
		org, _ := azplatform.ParseOrganization(srv.URL + "/contoso")
		f := New(org, "x", "test", transport.Options{}).Facts(context.Background(), Query{})
		srv.Close()
		if f.Accepted || f.Expired != tc.expired || (!tc.expired && !f.Invalid) || len(f.Problems) > 0 {
			t.Errorf("%s: %+v", name, f)
		}
	}
}

func TestScopeProbes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.AddPAT(simulate.AzurePAT{Value: "p", DisplayName: "p", UserID: user, Scopes: []string{"vso.code_write", "vso.build"},
		ValidTo: now.Add(24 * time.Hour * 10), DeniedAreas: []string{"build"}})
	scopes := []string{"vso.code", "vso.code_write", "vso.work", "vso.build", "vso.packaging", "vso.release", "vso.securefiles_read", "vso.graph"}
	f := w.facts(t, "p", Query{Scopes: scopes, Project: "Web"})
	got := map[string]check.PermissionState{}
	for _, s := range azplatform.ScopeVerdicts(f) {
		got[s.Scope] = s.State
	}
	want := map[string]check.PermissionState{
		"vso.code": check.PermGranted, "vso.code_write": check.PermGranted, "vso.work": check.PermMissing,
		"vso.build": check.PermUnverified, "vso.packaging": check.PermMissing, "vso.release": check.PermMissing,
		"vso.securefiles_read": check.PermUnverified, "vso.graph": check.PermMissing,
	}
	for s, st := range want {
		if got[s] != st {
			t.Errorf("%s = %v, want %v", s, got[s], st)
		}
	}
	// A token holding only vso.code, asked for the write scope: the write
	// aimed at a repository that cannot exist answers 401, not 404.
	w.sim.AddPAT(simulate.AzurePAT{Value: "ro", DisplayName: "ro", UserID: user, Scopes: []string{"vso.code"}, ValidTo: now.Add(24 * time.Hour * 10)})
	f = w.facts(t, "ro", Query{Scopes: []string{"vso.code_write", "vso.code_manage", "vso.work_write", "vso.build_execute"}, Project: "Web"})
	for _, s := range azplatform.ScopeVerdicts(f) {
		if s.State != check.PermMissing {
			t.Errorf("read-only token: %s = %+v, want missing", s.Scope, s)
		}
	}
	if v := w.sim.Violations(); len(v) > 0 {
		t.Errorf("requests that could change something: %q", v)
	}
	f = w.facts(t, "p", Query{Scopes: []string{"vso.code", "vso.build"}, Project: "Nope"})
	if s := azplatform.ScopeVerdicts(f)[1]; s.Scope != "vso.build" || s.State != check.PermUnverified || !strings.Contains(s.Reason, "does not exist") {
		t.Errorf("missing project: %+v", s)
	}
	f = w.facts(t, "p", Query{Scopes: []string{"vso.build"}})
	if s := azplatform.ScopeVerdicts(f)[0]; s.State != check.PermUnverified || !strings.Contains(s.Reason, "set project") {
		t.Errorf("no project: %+v", s)
	}
}

// recorder answers every request with a 503 and records where each went
// and whether it carried credentials.
type recorder struct {
	mu   sync.Mutex
	seen map[string]bool // host → had Authorization
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.seen[req.URL.Host] = r.seen[req.URL.Host] || req.Header.Get("Authorization") != ""
	r.mu.Unlock()
	return &http.Response{StatusCode: 503, Header: http.Header{}, Body: http.NoBody, Request: req}, nil
}

// Requests go only to the organization's own hosts.
func TestRequestsStayOnTheOrganizationsHosts(t *testing.T) {
	t.Parallel()
	for in, allowed := range map[string][]string{
		"contoso":                          {"dev.azure.com", "vssps.dev.azure.com", "feeds.dev.azure.com", "vsrm.dev.azure.com"},
		"https://contoso.visualstudio.com": {"contoso.visualstudio.com", "contoso.vssps.visualstudio.com", "contoso.feeds.visualstudio.com", "contoso.vsrm.visualstudio.com"},
		"https://tfs.example.com/tfs/Main": {"tfs.example.com"},
	} {
		org, _ := azplatform.ParseOrganization(in)
		rec := &recorder{seen: map[string]bool{}}
		c := New(org, "pat", "test", transport.Options{Base: rec, Attempts: 1})
		_ = c.Facts(context.Background(), Query{Scopes: []string{"vso.code", "vso.graph", "vso.packaging", "vso.release"}, Project: "Web"})
		for host := range rec.seen {
			if !slices.Contains(allowed, host) {
				t.Errorf("%s: a request went to %s", in, host)
			}
		}
		if len(rec.seen) == 0 {
			t.Errorf("%s: no request recorded", in)
		}
	}
}

// Counts agree in number: "1 valid token", never "1 valid tokens".
func TestTokenListCountsAgreeInNumber(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetTokenList(true)
	w.add("pat-1", "deploy", 30, "vso.code_write")
	f := w.facts(t, "pat-1", Query{})
	if f.Expiry.Known || !strings.Contains(f.Expiry.Note, "has 1 valid token and") {
		t.Errorf("one token: %+v", f.Expiry)
	}
}

// Case 12: a rejected token is sent once. connectionData is asked first,
// alone, as GitHub's check asks GET /user first; the token list and the
// probes follow only once it is accepted. Under a 503 storm only
// connectionData is retried.
func TestARejectedTokenIsSentOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.SetTokenList(true)
	f := w.facts(t, simulate.CurrentAzurePAT("unknown"), Query{Scopes: []string{"vso.code", "vso.build", "vso.packaging", "vso.work"}, Project: "Web"})
	if !f.Invalid {
		t.Fatalf("facts: %+v", f)
	}
	if got := w.sim.Requests(); len(got) != 1 || !strings.Contains(got[0].Path, "connectionData") {
		t.Errorf("%d requests with a rejected token: %v", len(got), got)
	}

	storm := newWorld(t)
	storm.sim.SetTokenList(true)
	storm.add(simulate.CurrentAzurePAT("stormy"), "stormy", 30, "vso.code")
	storm.sim.FailNext(100, http.StatusServiceUnavailable)
	c := New(storm.org, simulate.CurrentAzurePAT("stormy"), "test", transport.Options{Now: func() time.Time { return now },
		Sleep: func(context.Context, time.Duration) error { return nil }})
	f = c.Facts(context.Background(), Query{Scopes: []string{"vso.code", "vso.build"}, Project: "Web"})
	if f.Accepted || len(f.Problems) == 0 {
		t.Fatalf("facts under a 503 storm: %+v", f)
	}
	for _, r := range storm.sim.Requests() {
		if !strings.Contains(r.Path, "connectionData") {
			t.Errorf("%s was sent before connectionData answered", r.Path)
		}
	}
}
