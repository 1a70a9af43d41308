package simulate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/token"
)

// base is a non-root mount, as on GitHub Enterprise Server: it catches
// clients (and tests) that build absolute paths.
const base = "/api/v3"

var clock = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

// world is the setup most tests share.
func world(g *GitHub) {
	g.SetBasePath(base)
	g.SetNow(func() time.Time { return clock })

	g.AddOrg(Org{Login: "acme"})
	g.AddOrg(Org{Login: "SSO-Org", SSO: true})
	g.AddOrg(Org{Login: "noclassic", ForbidClassic: true})
	g.AddOrg(Org{Login: "nofine", ForbidFineGrained: true})
	g.AddOrg(Org{Login: "shortlife", MaxLifetimeDays: 90})
	for _, r := range []struct {
		name    string
		private bool
	}{
		{"acme/public", false}, {"acme/private", true}, {"acme/other-private", true},
		{"SSO-Org/public", false}, {"SSO-Org/private", true}, {"SSO-Org/internal", true},
		{"noclassic/repo", false}, {"nofine/repo", false}, {"shortlife/repo", false},
		{"octocat/hello", false}, {"octocat/secret", true},
	} {
		g.AddRepo(r.name, r.private)
	}

	g.AddToken(Token{Value: "ghp_classic", Login: "octocat", Scopes: []string{"repo", "workflow"},
		Expiration:   "2026-12-31 23:00:00 UTC",
		Repositories: []string{"acme/private", "sso-org/private", "octocat/secret"}})
	g.AddToken(Token{Value: "ghp_sso", Login: "octocat", Scopes: []string{"repo"},
		Repositories: []string{"SSO-Org/private"}, SSOAuthorized: []string{"sso-org"}})
	g.AddToken(Token{Value: "ghp_noscopes", Login: "octocat", Scopes: []string{}})
	g.AddToken(Token{Value: "ghp_revoked", Login: "octocat", Scopes: []string{"repo"}, Revoked: true})
	g.AddToken(Token{Value: "github_pat_short", Login: "octocat", FineGrained: true,
		Expiration: "2026-07-01 00:00:00 +0200"})
	g.AddToken(Token{Value: "github_pat_long", Login: "octocat", FineGrained: true,
		Expiration: "2027-06-01 00:00:00 UTC"})
	g.AddToken(Token{Value: "github_pat_forever", Login: "octocat", FineGrained: true})
	g.AddToken(Token{Value: "ghs_install", Installation: true,
		Expiration:   "2026-06-01 13:00:00 UTC",
		Repositories: []string{"acme/private", "acme/public", "missing/repo"}})
}

// start serves a fresh simulator prepared by setup and returns it with the
// API's URL (server URL plus base path).
func start(t *testing.T, setup func(*GitHub)) (*GitHub, *httptest.Server) {
	t.Helper()
	g := NewGitHub()
	if setup != nil {
		setup(g)
	}
	srv := httptest.NewServer(g)
	t.Cleanup(srv.Close)
	return g, srv
}

type reply struct {
	status int
	header http.Header
	raw    []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.raw, &m); err != nil {
		t.Fatalf("body %s: %v", r.raw, err)
	}
	return m
}

// ownClient is the tests' client, with a transport of its own:
// httptest.Server.Close closes the idle connections of
// http.DefaultTransport, and a parallel test's server closing could break
// a connection another test had just taken from the shared pool
// ("transport connection broken: http: CloseIdleConnections called").
var ownClient = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}

// noRedirects lets tests see a 302 instead of following it, on ownClient's
// transport.
var noRedirects = &http.Client{
	Transport: ownClient.Transport,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// do sends one request; auth is the whole Authorization header ("" = none).
func do(t *testing.T, method, url, auth string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return roundTrip(t, req)
}

// roundTrip sends req as a client that follows no redirect and reads the answer.
func roundTrip(t *testing.T, req *http.Request) reply {
	t.Helper()
	resp, err := noRedirects.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{resp.StatusCode, resp.Header, raw}
}

func get(t *testing.T, srv *httptest.Server, path, tok string) reply {
	t.Helper()
	auth := ""
	if tok != "" {
		auth = "Bearer " + tok
	}
	return do(t, http.MethodGet, srv.URL+base+path, auth)
}

func TestAuthentication(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	tests := []struct {
		name, auth string
		want       int
	}{
		{"no header", "", 401},
		{"unknown token", "Bearer ghp_unknown", 401},
		{"revoked token", "Bearer ghp_revoked", 401},
		{"empty bearer", "Bearer ", 401},
		{"basic scheme", "Basic Z2hwX2NsYXNzaWM=", 401},
		{"bare token", "ghp_classic", 401},
		{"bearer", "Bearer ghp_classic", 200},
		{"token scheme", "token ghp_classic", 200},
		{"scheme case", "bearer ghp_classic", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, http.MethodGet, srv.URL+base+"/user", tt.auth)
			if r.status != tt.want {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.want, r.raw)
			}
			if tt.want != 401 {
				return
			}
			const want = `{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest","status":"401"}`
			if string(r.raw) != want {
				t.Errorf("body = %s, want %s", r.raw, want)
			}
			for _, h := range []string{"X-Ratelimit-Limit", "X-OAuth-Scopes", "GitHub-Authentication-Token-Expiration"} {
				if v := r.header.Values(h); len(v) > 0 {
					t.Errorf("unauthenticated response has %s: %q", h, v)
				}
			}
		})
	}
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	absent := "<absent>"
	tests := []struct {
		name, tok, path              string
		status                       int
		scopes, accepted, expiration string
	}{
		{"classic on /user", "ghp_classic", "/user", 200, "repo, workflow", "", "2026-12-31 23:00:00 UTC"},
		{"classic on a repo", "ghp_classic", "/repos/acme/public", 200, "repo, workflow", "repo", "2026-12-31 23:00:00 UTC"},
		{"classic on a 404", "ghp_classic", "/repos/acme/nope", 404, "repo, workflow", "repo", "2026-12-31 23:00:00 UTC"},
		{"classic on /rate_limit", "ghp_classic", "/rate_limit", 200, "repo, workflow", "", "2026-12-31 23:00:00 UTC"},
		{"classic without scopes", "ghp_noscopes", "/user", 200, "", "", absent},
		{"fine-grained", "github_pat_short", "/user", 200, absent, absent, "2026-07-01 00:00:00 +0200"},
		{"fine-grained without expiry", "github_pat_forever", "/user", 200, absent, absent, absent},
		{"installation", "ghs_install", "/installation/repositories", 200, absent, absent, "2026-06-01 13:00:00 UTC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, srv, tt.path, tt.tok)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			header := func(name, want string) {
				t.Helper()
				got := absent
				if v := r.header.Values(name); len(v) > 0 {
					got = v[0]
				}
				if got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
			}
			header("Content-Type", "application/json; charset=utf-8")
			header("X-Ratelimit-Limit", "5000")
			header("X-Ratelimit-Remaining", "4999")
			header("X-Ratelimit-Used", "1")
			header("X-Ratelimit-Reset", strconv.FormatInt(clock.Add(time.Hour).Unix(), 10))
			header("X-Ratelimit-Resource", "core")
			header("X-OAuth-Scopes", tt.scopes)
			header("X-Accepted-OAuth-Scopes", tt.accepted)
			header("GitHub-Authentication-Token-Expiration", tt.expiration)
			if r.header.Get("X-GitHub-Request-Id") == "" {
				t.Error("no X-GitHub-Request-Id")
			}
		})
	}
}

func TestRequestIDsDiffer(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	seen := map[string]bool{}
	for range 20 {
		id := get(t, srv, "/user", "").header.Get("X-GitHub-Request-Id")
		if id == "" || seen[id] {
			t.Fatalf("request id %q empty or repeated", id)
		}
		seen[id] = true
	}
}

func TestUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, tok, redirect string
		status              int
		want                map[string]any
	}{
		{"classic", "ghp_classic", "", 200,
			map[string]any{"login": "octocat", "id": float64(numericID("octocat")), "type": "User", "name": "octocat"}},
		{"fine-grained", "github_pat_short", "", 200,
			map[string]any{"login": "octocat", "id": float64(numericID("octocat")), "type": "User", "name": "octocat"}},
		{"installation", "ghs_install", "", 403,
			map[string]any{"message": "Resource not accessible by integration", "documentation_url": docsUser, "status": "403"}},
		{"redirected", "ghp_classic", "https://elsewhere.example/user", 302,
			map[string]any{"message": "Found", "url": "https://elsewhere.example/user", "documentation_url": docsUser}},
		{"redirect needs a valid token", "ghp_revoked", "https://elsewhere.example/user", 401,
			map[string]any{"message": "Bad credentials", "documentation_url": docsRoot, "status": "401"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := start(t, func(g *GitHub) {
				world(g)
				g.RedirectUserTo(tt.redirect)
			})
			r := get(t, srv, "/user", tt.tok)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			if got := r.json(t); fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("body = %v, want %v", got, tt.want)
			}
			if tt.status == 302 && r.header.Get("Location") != tt.redirect {
				t.Errorf("Location = %q, want %q", r.header.Get("Location"), tt.redirect)
			}
		})
	}
}

func TestRateLimitEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		exhausted bool
		remaining float64
	}{
		{"normal", false, 4999},
		{"exhausted still answers", true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := start(t, func(g *GitHub) {
				world(g)
				g.SetRateLimitExhausted(tt.exhausted)
			})
			for range 3 { // asking does not count down anything
				r := get(t, srv, "/rate_limit", "ghp_classic")
				if r.status != 200 {
					t.Fatalf("status = %d (%s)", r.status, r.raw)
				}
				core := r.json(t)["resources"].(map[string]any)["core"].(map[string]any)
				if core["limit"] != float64(5000) || core["remaining"] != tt.remaining ||
					core["reset"] != float64(clock.Add(time.Hour).Unix()) || core["resource"] != "core" {
					t.Errorf("core = %v", core)
				}
				if got := r.header.Get("X-Ratelimit-Remaining"); got != strconv.Itoa(int(tt.remaining)) {
					t.Errorf("x-ratelimit-remaining = %s", got)
				}
			}
		})
	}
}

func TestInstallationRepositories(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	tests := []struct {
		name, tok, query string
		status           int
		total            int
		names            []string
	}{
		{"lists existing repos", "ghs_install", "", 200, 2, []string{"acme/private", "acme/public"}},
		{"per_page", "ghs_install", "?per_page=1", 200, 2, []string{"acme/private"}},
		{"second page", "ghs_install", "?per_page=1&page=2", 200, 2, []string{"acme/public"}},
		{"past the end", "ghs_install", "?per_page=1&page=9", 200, 2, []string{}},
		{"classic token", "ghp_classic", "", 403, 0, nil},
		{"fine-grained token", "github_pat_short", "", 403, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, srv, "/installation/repositories"+tt.query, tt.tok)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			if tt.status != 200 {
				if msg := r.json(t)["message"]; !strings.Contains(fmt.Sprint(msg), "installation access token") {
					t.Errorf("message = %q", msg)
				}
				return
			}
			var body struct {
				TotalCount   int `json:"total_count"`
				Repositories []struct {
					FullName string `json:"full_name"`
					Name     string `json:"name"`
					Private  bool   `json:"private"`
					Owner    struct {
						Login string `json:"login"`
					} `json:"owner"`
				} `json:"repositories"`
			}
			if err := json.Unmarshal(r.raw, &body); err != nil {
				t.Fatal(err)
			}
			if body.TotalCount != tt.total {
				t.Errorf("total_count = %d, want %d", body.TotalCount, tt.total)
			}
			got := []string{}
			for _, rp := range body.Repositories {
				got = append(got, rp.FullName)
				if rp.Owner.Login+"/"+rp.Name != rp.FullName || rp.Private != (rp.Name == "private") {
					t.Errorf("inconsistent repository %+v", rp)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.names) {
				t.Errorf("repositories = %v, want %v", got, tt.names)
			}
		})
	}
}

const (
	ssoMessage   = "Resource protected by organization SAML enforcement. You must grant your personal token access to this organization."
	classicMsg   = "`noclassic` forbids access via a personal access token (classic). Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions."
	fineMsg      = "`nofine` forbids access via a personal access token with fine-grained permissions."
	lifetimeMsg  = "The 'shortlife' organization forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days. Please adjust your token's lifetime at the following URL: https://github.com/settings/personal-access-tokens/12885303"
	notFoundBody = "Not Found"
)

func TestRepo(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	tests := []struct {
		name, tok, repo string
		status          int
		message         string // prefix of the error message
		sso             bool
	}{
		{"unknown repo", "ghp_classic", "acme/nope", 404, notFoundBody, false},
		{"unknown owner", "ghp_classic", "nobody/nope", 404, notFoundBody, false},
		{"public, classic", "ghp_classic", "acme/public", 200, "", false},
		{"public, fine-grained", "github_pat_short", "acme/public", 200, "", false},
		{"public, installation", "ghs_install", "acme/public", 200, "", false},
		{"public, any case", "ghp_classic", "ACME/Public", 200, "", false},
		{"private, granted", "ghp_classic", "acme/private", 200, "", false},
		{"private, not granted", "ghp_classic", "acme/other-private", 404, notFoundBody, false},
		{"private, fine-grained not granted", "github_pat_short", "acme/private", 404, notFoundBody, false},
		{"private, installation granted", "ghs_install", "acme/private", 200, "", false},
		{"user-owned private, granted", "ghp_classic", "octocat/secret", 200, "", false},
		{"user-owned private, not granted", "ghp_noscopes", "octocat/secret", 404, notFoundBody, false},
		{"user-owned public", "ghp_noscopes", "octocat/hello", 200, "", false},
		{"classic forbidden", "ghp_classic", "noclassic/repo", 403, classicMsg, false},
		{"classic policy spares fine-grained", "github_pat_short", "noclassic/repo", 200, "", false},
		{"classic policy spares installation", "ghs_install", "noclassic/repo", 200, "", false},
		{"fine-grained forbidden", "github_pat_short", "nofine/repo", 403, fineMsg, false},
		{"fine-grained policy spares classic", "ghp_classic", "nofine/repo", 200, "", false},
		{"lifetime within limit", "github_pat_short", "shortlife/repo", 200, "", false},
		{"lifetime too long", "github_pat_long", "shortlife/repo", 403, lifetimeMsg, false},
		{"lifetime unbounded", "github_pat_forever", "shortlife/repo", 403, lifetimeMsg, false},
		{"lifetime spares classic", "ghp_noscopes", "shortlife/repo", 200, "", false},
		{"SSO private, not authorized", "ghp_classic", "sso-org/private", 403, ssoMessage, true},
		{"SSO private, authorized", "ghp_sso", "sso-org/private", 200, "", false},
		{"SSO private, authorized, any case", "ghp_sso", "SSO-Org/Private", 200, "", false},
		{"SSO private, authorized but not granted", "ghp_sso", "sso-org/internal", 404, notFoundBody, false},
		{"SSO public, not authorized", "ghp_classic", "sso-org/public", 200, "", false},
		{"SSO spares installation", "ghs_install", "sso-org/public", 200, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, srv, "/repos/"+tt.repo, tt.tok)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			body := r.json(t)
			sso := r.header.Get("X-GitHub-SSO")
			if tt.sso != (sso != "") {
				t.Errorf("X-GitHub-SSO = %q", sso)
			}
			if tt.sso && !strings.HasPrefix(sso, "required; url=https://github.com/orgs/SSO-Org/sso?authorization_request=") {
				t.Errorf("X-GitHub-SSO = %q", sso)
			}
			if tt.status != 200 {
				if msg := fmt.Sprint(body["message"]); !strings.HasPrefix(msg, tt.message) {
					t.Errorf("message = %q, want prefix %q", msg, tt.message)
				}
				if body["status"] != strconv.Itoa(tt.status) || body["documentation_url"] == "" {
					t.Errorf("body = %v", body)
				}
				return
			}
			owner, name, _ := strings.Cut(tt.repo, "/")
			if !strings.EqualFold(fmt.Sprint(body["full_name"]), tt.repo) ||
				!strings.EqualFold(fmt.Sprint(body["name"]), name) ||
				!strings.EqualFold(fmt.Sprint(body["owner"].(map[string]any)["login"]), owner) {
				t.Errorf("body = %v", body)
			}
			if fmt.Sprint(body["permissions"]) != "map[admin:false pull:true push:true]" {
				t.Errorf("permissions = %v", body["permissions"])
			}
		})
	}
}

func TestLifetimeFollowsClock(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		now    time.Time
		status int
	}{
		{"a year ahead", clock, 403},
		{"91 days ahead", time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC), 403},
		{"89 days ahead", time.Date(2027, 3, 4, 0, 0, 0, 0, time.UTC), 200},
		{"already expired", time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC), 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := start(t, func(g *GitHub) {
				world(g)
				g.SetNow(func() time.Time { return tt.now })
			})
			if r := get(t, srv, "/repos/shortlife/repo", "github_pat_long"); r.status != tt.status {
				t.Errorf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
		})
	}
}

func TestOrgRepos(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	tests := []struct {
		name, tok, path string
		status          int
		names           []string // on 200
		message         string   // prefix, otherwise
	}{
		{"unknown org", "ghp_classic", "/orgs/nobody/repos", 404, nil, notFoundBody},
		{"user is not an org", "ghp_classic", "/orgs/octocat/repos", 404, nil, notFoundBody},
		{"visible repos", "ghp_classic", "/orgs/acme/repos", 200, []string{"acme/public", "acme/private"}, ""},
		{"per_page=1", "ghp_classic", "/orgs/acme/repos?per_page=1", 200, []string{"acme/public"}, ""},
		{"public only", "ghp_noscopes", "/orgs/acme/repos", 200, []string{"acme/public"}, ""},
		{"any case", "ghp_noscopes", "/orgs/ACME/repos", 200, []string{"acme/public"}, ""},
		{"classic forbidden", "ghp_classic", "/orgs/noclassic/repos", 403, nil, classicMsg},
		{"fine-grained forbidden", "github_pat_short", "/orgs/nofine/repos", 403, nil, fineMsg},
		{"lifetime too long", "github_pat_long", "/orgs/shortlife/repos", 403, nil, lifetimeMsg},
		{"lifetime ok", "github_pat_short", "/orgs/shortlife/repos?per_page=1", 200, []string{"shortlife/repo"}, ""},
		{"SSO, not authorized", "ghp_classic", "/orgs/sso-org/repos", 403, nil, ssoMessage},
		{"SSO, authorized", "ghp_sso", "/orgs/sso-org/repos", 200, []string{"SSO-Org/public", "SSO-Org/private"}, ""},
		{"SSO, installation", "ghs_install", "/orgs/sso-org/repos", 200, []string{"SSO-Org/public"}, ""},
		{"org without repos", "ghp_classic", "/orgs/nofine/repos?per_page=1&page=2", 200, []string{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, srv, tt.path, tt.tok)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			if tt.status != 200 {
				if msg := fmt.Sprint(r.json(t)["message"]); !strings.HasPrefix(msg, tt.message) {
					t.Errorf("message = %q, want prefix %q", msg, tt.message)
				}
				if (tt.message == ssoMessage) != (r.header.Get("X-GitHub-SSO") != "") {
					t.Errorf("X-GitHub-SSO = %q", r.header.Get("X-GitHub-SSO"))
				}
				return
			}
			var repos []struct {
				FullName string `json:"full_name"`
			}
			if err := json.Unmarshal(r.raw, &repos); err != nil || repos == nil {
				t.Fatalf("body %s is not a JSON array: %v", r.raw, err)
			}
			got := []string{}
			for _, rp := range repos {
				got = append(got, rp.FullName)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.names) {
				t.Errorf("repos = %v, want %v", got, tt.names)
			}
		})
	}
}

func TestOrg(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	tests := []struct {
		name, tok, org string
		status         int
		login          string
	}{
		{"known", "ghp_classic", "acme", 200, "acme"},
		{"SSO org is public data", "ghp_classic", "sso-org", 200, "SSO-Org"},
		{"policy org is public data", "ghp_classic", "noclassic", 200, "noclassic"},
		{"unknown", "ghp_classic", "nobody", 404, ""},
		{"a user", "ghp_classic", "octocat", 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := get(t, srv, "/orgs/"+tt.org, tt.tok)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			body := r.json(t)
			if tt.status == 200 && (body["login"] != tt.login || body["id"] != float64(numericID(tt.login))) {
				t.Errorf("body = %v", body)
			}
			if tt.status == 404 && body["message"] != notFoundBody {
				t.Errorf("body = %v", body)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	t.Parallel()
	_, srv := start(t, world)
	tests := []struct {
		name, method, url, auth string
	}{
		{"API root", "GET", base + "/", "Bearer ghp_classic"},
		{"unrouted path", "GET", base + "/users/octocat", "Bearer ghp_classic"},
		{"unrouted repo sub-resource", "GET", base + "/repos/acme/public/branches", "Bearer ghp_classic"},
		{"trailing slash", "GET", base + "/user/", "Bearer ghp_classic"},
		{"POST", "POST", base + "/user", "Bearer ghp_classic"},
		{"DELETE a repo", "DELETE", base + "/repos/acme/public", "Bearer ghp_classic"},
		{"outside the base path", "GET", "/user", "Bearer ghp_classic"},
		{"outside the base path, no token", "GET", "/user", ""},
		{"prefix of the base path", "GET", "/api/v3x/user", "Bearer ghp_classic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := do(t, tt.method, srv.URL+tt.url, tt.auth)
			if r.status != 404 || r.json(t)["message"] != notFoundBody {
				t.Errorf("%d %s", r.status, r.raw)
			}
			if r.header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
			}
		})
	}
}

func TestBasePath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, base, path string
		status           int
	}{
		{"root by default", "-", "/user", 200},
		{"empty", "", "/user", 200},
		{"slash", "/", "/user", 200},
		{"GHES", "/api/v3", "/api/v3/user", 200},
		{"GHES, root path refused", "/api/v3", "/user", 404},
		{"without leading slash", "api/v3", "/api/v3/user", 200},
		{"with trailing slash", "/api/v3/", "/api/v3/user", 200},
		{"repos under the base", "/api/v3", "/api/v3/repos/acme/public", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := start(t, func(g *GitHub) {
				g.AddToken(Token{Value: "ghp_classic", Login: "octocat"})
				g.AddRepo("acme/public", false)
				if tt.base != "-" {
					g.SetBasePath(tt.base)
				}
			})
			if r := do(t, "GET", srv.URL+tt.path, "token ghp_classic"); r.status != tt.status {
				t.Errorf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
		})
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	reset := strconv.FormatInt(clock.Add(time.Hour).Unix(), 10)
	type step struct {
		url, tok string // url relative to the server; tok "" = no credentials
		status   int
		message  string            // prefix, when not ""
		header   map[string]string // "" = must be absent
	}
	tests := []struct {
		name  string
		setup func(*GitHub)
		steps []step
	}{
		{"FailNext counts down", func(g *GitHub) { g.FailNext(2, 502) }, []step{
			{base + "/user", "ghp_classic", 502, "Bad Gateway", map[string]string{"X-Ratelimit-Remaining": ""}},
			{base + "/repos/acme/public", "ghp_classic", 502, "Bad Gateway", nil},
			{base + "/user", "ghp_classic", 200, "", nil},
		}},
		{"FailNext comes before auth", func(g *GitHub) { g.FailNext(1, 503) }, []step{
			{base + "/user", "ghp_revoked", 503, "Service Unavailable", nil},
			{base + "/user", "ghp_revoked", 401, "Bad credentials", nil},
		}},
		{"FailNext ignores requests outside the base path", func(g *GitHub) { g.FailNext(1, 500) }, []step{
			{"/user", "ghp_classic", 404, "Not Found", nil},
			{base + "/user", "ghp_classic", 500, "Internal Server Error", nil},
			{base + "/user", "ghp_classic", 200, "", nil},
		}},
		{"FailNext zero clears", func(g *GitHub) { g.FailNext(3, 502); g.FailNext(0, 502) }, []step{
			{base + "/user", "ghp_classic", 200, "", nil},
		}},
		{"RateLimitNext counts down", func(g *GitHub) { g.RateLimitNext(2, 1500*time.Millisecond) }, []step{
			{base + "/user", "ghp_classic", 429, "You have exceeded a secondary rate limit", map[string]string{"Retry-After": "2"}},
			{base + "/rate_limit", "", 429, "You have exceeded a secondary rate limit", map[string]string{"Retry-After": "2"}},
			{base + "/user", "ghp_classic", 200, "", map[string]string{"Retry-After": ""}},
		}},
		{"FailNext before RateLimitNext", func(g *GitHub) { g.RateLimitNext(1, time.Second); g.FailNext(1, 502) }, []step{
			{base + "/user", "ghp_classic", 502, "", nil},
			{base + "/user", "ghp_classic", 429, "", map[string]string{"Retry-After": "1"}},
			{base + "/user", "ghp_classic", 200, "", nil},
		}},
		{"secondary rate limit", func(g *GitHub) { g.SetSecondaryRateLimit(true) }, []step{
			{base + "/user", "ghp_classic", 403, "You have exceeded a secondary rate limit",
				map[string]string{"Retry-After": "60", "X-Ratelimit-Remaining": "4999"}},
			{base + "/user", "ghp_revoked", 403, "You have exceeded a secondary rate limit",
				map[string]string{"Retry-After": "60", "X-Ratelimit-Remaining": ""}},
		}},
		{"secondary rate limit off", func(g *GitHub) { g.SetSecondaryRateLimit(true); g.SetSecondaryRateLimit(false) }, []step{
			{base + "/user", "ghp_classic", 200, "", nil},
		}},
		{"primary rate limit exhausted", func(g *GitHub) { g.SetRateLimitExhausted(true) }, []step{
			{base + "/user", "ghp_classic", 403, "API rate limit exceeded for user ID 1.", map[string]string{
				"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": reset, "X-Ratelimit-Used": "5000",
				"X-OAuth-Scopes": "repo, workflow", "Retry-After": ""}},
			{base + "/repos/acme/public", "ghp_revoked", 403, "API rate limit exceeded", map[string]string{
				"X-Ratelimit-Remaining": "0", "X-OAuth-Scopes": ""}},
			{base + "/user", "", 401, "Bad credentials", nil},
			{base + "/rate_limit", "ghp_classic", 200, "", map[string]string{"X-Ratelimit-Remaining": "0"}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := start(t, func(g *GitHub) {
				world(g)
				tt.setup(g)
			})
			for i, s := range tt.steps {
				auth := ""
				if s.tok != "" {
					auth = "Bearer " + s.tok
				}
				r := do(t, "GET", srv.URL+s.url, auth)
				if r.status != s.status {
					t.Fatalf("step %d: status = %d, want %d (%s)", i, r.status, s.status, r.raw)
				}
				body := r.json(t)
				if msg := fmt.Sprint(body["message"]); s.message != "" && !strings.HasPrefix(msg, s.message) {
					t.Errorf("step %d: message = %q, want prefix %q", i, msg, s.message)
				}
				for k, want := range s.header {
					if got := r.header.Get(k); got != want {
						t.Errorf("step %d: %s = %q, want %q", i, k, got, want)
					}
				}
			}
		})
	}
}

func TestFailNextRejectsNonErrors(t *testing.T) {
	t.Parallel()
	for _, status := range []int{0, 200, 302, 600} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FailNext(1, %d) did not panic", status)
				}
			}()
			NewGitHub().FailNext(1, status)
		}()
	}
}

func TestAddRepoRejectsBadNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "acme", "/x", "acme/", "a/b/c"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddRepo(%q) did not panic", name)
				}
			}()
			NewGitHub().AddRepo(name, false)
		}()
	}
}

func TestSetupIsCopied(t *testing.T) {
	t.Parallel()
	repos := []string{"acme/private"}
	_, srv := start(t, func(g *GitHub) {
		g.AddRepo("acme/private", true)
		g.AddToken(Token{Value: "ghp_x", Login: "octocat", Repositories: repos})
		g.AddRepo("acme/private", true) // adding again keeps it
	})
	repos[0] = "acme/elsewhere"
	if r := do(t, "GET", srv.URL+"/repos/acme/private", "token ghp_x"); r.status != 200 {
		t.Errorf("status = %d (%s)", r.status, r.raw)
	}
}

func TestRecording(t *testing.T) {
	t.Parallel()
	g, srv := start(t, world)
	before := time.Now()
	do(t, "GET", srv.URL+base+"/user", "Bearer ghp_classic")
	do(t, "POST", srv.URL+base+"/repos/acme/public?x=1", "token ghp_revoked")
	do(t, "GET", srv.URL+"/elsewhere?per_page=1", "")

	got := g.Requests()
	want := []Request{
		{Method: "GET", Path: base + "/user", Authorization: "Bearer ghp_classic"},
		{Method: "POST", Path: base + "/repos/acme/public", RawQuery: "x=1", Authorization: "token ghp_revoked"},
		{Method: "GET", Path: "/elsewhere", RawQuery: "per_page=1"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d requests, want %d: %+v", len(got), len(want), got)
	}
	last := before
	for i := range want {
		if got[i].Time.Before(last) {
			t.Errorf("request %d: time %v before %v", i, got[i].Time, last)
		}
		last = got[i].Time
		got[i].Time = time.Time{}
		if got[i] != want[i] {
			t.Errorf("request %d = %+v, want %+v", i, got[i], want[i])
		}
	}

	got[0].Path = "/changed"
	if g.Requests()[0].Path != base+"/user" {
		t.Error("Requests does not return a copy")
	}
	g.ResetRequests()
	if n := len(g.Requests()); n != 0 {
		t.Errorf("after ResetRequests: %d requests", n)
	}
	do(t, "GET", srv.URL+base+"/rate_limit", "Bearer ghp_classic")
	if got := g.Requests(); len(got) != 1 || got[0].Path != base+"/rate_limit" {
		t.Errorf("after reset: %+v", got)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	const latency = 100 * time.Millisecond

	t.Run("delays the answer", func(t *testing.T) {
		t.Parallel()
		_, srv := start(t, func(g *GitHub) { world(g); g.SetLatency(latency) })
		begin := time.Now()
		if r := get(t, srv, "/user", "ghp_classic"); r.status != 200 {
			t.Fatalf("status = %d", r.status)
		}
		if d := time.Since(begin); d < latency {
			t.Errorf("answered after %v, want at least %v", d, latency)
		}
	})

	t.Run("honours the request context", func(t *testing.T) {
		t.Parallel()
		g, srv := start(t, func(g *GitHub) { world(g); g.SetLatency(time.Hour) })
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+base+"/user", nil)
		req.Header.Set("Authorization", "Bearer ghp_classic")
		resp, err := ownClient.Do(req)
		if err == nil {
			resp.Body.Close()
			t.Fatal("request answered despite an hour of latency")
		}
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("err = %v", err)
		}
		if n := len(g.Requests()); n != 1 {
			t.Errorf("recorded %d requests, want 1", n)
		}
		// srv.Close (in Cleanup) blocks until the handler returns: an
		// uncancellable sleep would hang the test here.
	})
}

func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	g, srv := start(t, world)
	const workers, each = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				path := []string{"/user", "/repos/acme/public", "/orgs/acme/repos?per_page=1", "/rate_limit"}[(w+i)%4]
				req, _ := http.NewRequest("GET", srv.URL+base+path, nil)
				req.Header.Set("Authorization", "Bearer ghp_classic")
				resp, err := ownClient.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					errs <- fmt.Errorf("GET %s: %d", path, resp.StatusCode)
				}
			}
		}()
	}
	// Setup calls that do not change these answers, racing with them.
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := range each {
			g.AddRepo(fmt.Sprintf("other/repo%d", i), i%2 == 0)
			g.AddToken(Token{Value: fmt.Sprintf("ghp_other%d", i)})
			g.AddOrg(Org{Login: fmt.Sprintf("org%d", i)})
			g.SetLatency(0)
			g.SetNow(func() time.Time { return clock })
			g.RedirectUserTo("")
			g.FailNext(0, 502)
			g.RateLimitNext(0, 0)
			_ = g.Requests()
		}
	}()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := len(g.Requests()); n != workers*each {
		t.Errorf("recorded %d requests, want %d", n, workers*each)
	}
}

func TestGeneratedTokensAreWellFormed(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		tok  string
		kind token.Kind
	}{
		{ClassicToken("a"), token.Classic},
		{FineGrainedToken("a"), token.FineGrained},
		{InstallationToken("a"), token.AppInstallation},
	} {
		insp := token.Inspect(tc.tok)
		if insp.Kind != tc.kind || len(insp.Problems) > 0 {
			t.Errorf("%s: kind %s problems %v", token.Redact(tc.tok), insp.Kind, insp.Problems)
		}
	}
	if a, again := ClassicToken("a"), ClassicToken("a"); a == ClassicToken("b") || a != again {
		t.Error("tokens are not distinct per seed and stable per seed")
	}
}

func TestAccountRateLimit(t *testing.T) {
	t.Parallel()
	g, srv := start(t, func(g *GitHub) {
		world(g)
		g.AddToken(Token{Value: "ghp_second", Login: "octocat", Scopes: []string{}})
		g.SetAccountRateLimit("OctoCat", 2)
	})
	// Both tokens of the account draw on one limit.
	for i, tok := range []string{"ghp_classic", "ghp_second"} {
		r := get(t, srv, "/user", tok)
		if r.status != 200 || r.header.Get("X-Ratelimit-Remaining") != strconv.Itoa(1-i) {
			t.Fatalf("request %d: %d, remaining %q", i+1, r.status, r.header.Get("X-Ratelimit-Remaining"))
		}
	}
	r := get(t, srv, "/user", "ghp_classic")
	if r.status != 403 || r.header.Get("X-Ratelimit-Remaining") != "0" || !strings.Contains(string(r.raw), "rate limit exceeded") {
		t.Fatalf("over the limit: %d %q %s", r.status, r.header.Get("X-Ratelimit-Remaining"), r.raw)
	}
	// Another account is not counted.
	if r := get(t, srv, "/installation/repositories", "ghs_install"); r.status != 200 || r.header.Get("X-Ratelimit-Remaining") != strconv.Itoa(rateLimit-1) {
		t.Errorf("another account: remaining %q", r.header.Get("X-Ratelimit-Remaining"))
	}
	g.SetAccountRateLimit("octocat", -1)
	if r := get(t, srv, "/user", "ghp_classic"); r.status != 200 || r.header.Get("X-Ratelimit-Remaining") != strconv.Itoa(rateLimit-1) {
		t.Errorf("after clearing: %d %q", r.status, r.header.Get("X-Ratelimit-Remaining"))
	}
}
