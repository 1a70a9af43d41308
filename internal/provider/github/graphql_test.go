package github

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

func TestGraphQLURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ api, want string }{
		{"https://api.github.com/", "https://api.github.com/graphql"},
		{"https://api.octo.ghe.com/", "https://api.octo.ghe.com/graphql"},
		{"https://ghes.example.com/api/v3/", "https://ghes.example.com/api/graphql"},
		{"https://ghes.example.com:8443/api/v3/", "https://ghes.example.com:8443/api/graphql"},
		{"https://example.com/github/api/v3/", "https://example.com/github/api/graphql"},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/graphql"},
		{"http://127.0.0.1:8080/api/v3/", "http://127.0.0.1:8080/api/graphql"},
		{"http://localhost:9/proxy/", "http://localhost:9/proxy/graphql"},
	}
	for _, tt := range tests {
		api, err := url.Parse(tt.api)
		if err != nil {
			t.Fatal(err)
		}
		got := graphQLURL(api)
		if got.String() != tt.want {
			t.Errorf("graphQLURL(%s) = %s, want %s", tt.api, got, tt.want)
		}
		if got.Scheme != api.Scheme || got.Host != api.Host {
			t.Errorf("graphQLURL(%s) leaves the API's site: %s", tt.api, got)
		}
		if api.String() != tt.api {
			t.Errorf("graphQLURL changed its argument to %s", api)
		}
	}
}

func TestGraphQLPayloadCarriesTheTargetAsVariables(t *testing.T) {
	t.Parallel()
	p := RuleFor("discussions", check.LevelRead).Probe
	if p == nil || p.GraphQL == "" || p.Method != "POST" || !p.PublicRead {
		t.Fatalf("discussions:read probe = %+v", p)
	}
	// A hostile name cannot reach the query text.
	target := `octo/x"){viewer{login}}`
	var req struct {
		Query     string
		Variables map[string]string
	}
	if err := json.Unmarshal([]byte(p.Payload(target)), &req); err != nil {
		t.Fatal(err)
	}
	if req.Query != p.GraphQL || req.Variables["owner"] != "octo" || req.Variables["name"] != `x"){viewer{login}}` || len(req.Variables) != 2 {
		t.Errorf("payload = %+v", req)
	}
	if strings.Contains(strings.ToLower(p.GraphQL), "mutation") || !strings.HasPrefix(p.GraphQL, "query(") {
		t.Errorf("the probe is not a plain query: %s", p.GraphQL)
	}
	if w := RuleFor("discussions", check.LevelWrite); w.Probe != nil || !strings.Contains(w.Reason, "mutation") {
		t.Errorf("discussions:write = %+v, want unverified for want of a safe mutation", w)
	}
	if body := RuleFor("pull_requests", check.LevelWrite).Probe.Payload("octo/x"); body != `{}` {
		t.Errorf("a REST probe's payload = %q, want its Body", body)
	}
}

func TestReadGraphQL(t *testing.T) {
	t.Parallel()
	field := []string{"repository", "discussions"}
	sso := http.Header{"X-Github-Sso": {"required; url=https://github.com/orgs/acme/sso?authorization_request=ABC"}}
	limited := http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1790000000"}}
	tests := []struct {
		name    string
		header  http.Header
		body    string
		state   check.PermissionState
		granted bool
		want    string // in the Reason (unverified), the Message (missing) or the SSO/policy URL
	}{
		{"granted", nil, `{"data":{"repository":{"discussions":{"totalCount":3}}}}`, check.PermGranted, true, ""},
		{"granted, none yet", nil, `{"data":{"repository":{"discussions":{"totalCount":0}}}}`, check.PermGranted, true, ""},

		{"forbidden, personal token", nil, `{"data":{"repository":{"discussions":null}},"errors":[{"type":"FORBIDDEN","path":["repository","discussions"],` +
			`"extensions":{"saml_failure":false},"locations":[{"line":1,"column":60}],"message":"Resource not accessible by personal access token"}]}`,
			check.PermMissing, false, "Resource not accessible by personal access token"},
		{"forbidden, integration", nil, `{"data":{"repository":{"discussions":null}},"errors":[{"type":"FORBIDDEN","path":["repository","discussions"],` +
			`"message":"Resource not accessible by integration"}]}`, check.PermMissing, false, "Resource not accessible by integration"},
		{"forbidden, below the field", nil, `{"errors":[{"type":"FORBIDDEN","path":["repository","discussions","totalCount"],"message":"Resource not accessible by integration"}]}`,
			check.PermMissing, false, "integration"},
		// Refusals not at discussions say nothing of its permission.
		{"forbidden, on the repository", nil, `{"data":{"repository":null},"errors":[{"type":"FORBIDDEN","path":["repository"],"message":"Resource not accessible by personal access token"}]}`,
			check.PermUnverified, false, "not at repository.discussions"},
		{"forbidden, no path", nil, `{"errors":[{"type":"FORBIDDEN","message":"Resource not accessible by personal access token"}]}`,
			check.PermUnverified, false, "not at repository.discussions"},
		{"forbidden, elsewhere", nil, `{"errors":[{"type":"FORBIDDEN","path":["viewer"],"message":"Resource not accessible by personal access token"}]}`,
			check.PermUnverified, false, "not at repository.discussions"},
		{"forbidden, other message", nil, `{"errors":[{"type":"FORBIDDEN","path":["repository"],"message":"Although you appear to have the correct authorization credentials, the acme organization has an IP allow list enabled"}]}`,
			check.PermUnverified, false, "IP allow list"},

		{"not found", nil, `{"data":{"repository":null},"errors":[{"type":"NOT_FOUND","path":["repository"],"locations":[{"line":1,"column":40}],` +
			`"message":"Could not resolve to a Repository with the name 'octo/app'."}]}`, check.PermUnverified, false, "cannot find the repository octo/app"},
		{"repository null without an error", nil, `{"data":{"repository":null}}`, check.PermUnverified, false, "found no repository octo/app"},

		{"SAML SSO", sso, `{"data":{"repository":null},"errors":[{"type":"FORBIDDEN","path":["repository"],"extensions":{"saml_failure":true},` +
			`"message":"Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization."}]}`,
			check.PermUnreachable, false, "https://github.com/orgs/acme/sso?authorization_request=ABC"},
		{"SAML SSO without a URL", nil, `{"errors":[{"type":"FORBIDDEN","path":["repository"],"extensions":{"saml_failure":true},"message":"Resource protected by organization SAML enforcement."}]}`,
			check.PermUnverified, false, "SAML single sign-on"},
		{"organization policy", nil, `{"errors":[{"type":"FORBIDDEN","path":["repository"],"message":"The 'acme' organization forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 90 days. ` +
			`Please adjust your token's lifetime at the following URL: https://github.com/settings/personal-access-tokens/1"}]}`,
			check.PermUnreachable, false, "https://github.com/settings/personal-access-tokens/1"},
		{"rate limited", limited, `{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}`, check.PermFailed, false, ""},

		{"another error type", nil, `{"errors":[{"type":"INTERNAL","message":"Something went wrong while executing your query."}]}`,
			check.PermUnverified, false, "does not recognise (INTERNAL: \"Something went wrong"},
		{"an error beside data", nil, `{"data":{"repository":{"discussions":{"totalCount":1}}},"errors":[{"type":"MAX_NODE_LIMIT_EXCEEDED","message":"too many"}]}`,
			check.PermUnverified, false, "MAX_NODE_LIMIT_EXCEEDED"},
		{"malformed JSON", nil, `{"data":{"repository":`, check.PermUnverified, false, "not GitHub's GraphQL JSON"},
		{"empty", nil, ``, check.PermUnverified, false, "not GitHub's GraphQL JSON"},
		{"an array", nil, `[]`, check.PermUnverified, false, "not GitHub's GraphQL JSON"},
		{"an empty object", nil, `{}`, check.PermUnverified, false, "not GitHub's GraphQL JSON"},
		{"null data", nil, `{"data":null}`, check.PermUnverified, false, "not GitHub's GraphQL JSON"},
		{"errors of the wrong shape", nil, `{"errors":"denied"}`, check.PermUnverified, false, "not GitHub's GraphQL JSON"},
		{"discussions not an object", nil, `{"data":{"repository":{"discussions":5}}}`, check.PermUnverified, false, "has no repository.discussions"},
		{"no discussions", nil, `{"data":{"repository":{}}}`, check.PermUnverified, false, "has no repository.discussions"},
	}
	c := &Client{now: func() time.Time { return simNow }}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			h := tt.header
			if h == nil {
				h = http.Header{}
			}
			probe := *RuleFor("discussions", check.LevelRead).Probe
			r := &check.ProbeResult{Request: "POST /graphql", Expect: check.ProbeExpect{GraphQL: true, Field: field},
				Answer: c.observe("POST /graphql", probe, answer{status: 200, header: h}, []byte(tt.body))}
			f := verdictOf(token.FineGrained, check.PermissionFact{Permission: perm("discussions:read"), Target: "octo/app", Probe: r})
			granted := f.State == check.PermGranted
			if f.State != tt.state || granted != tt.granted {
				t.Fatalf("state %v granted %v, want %v %v (%+v)", f.State, granted, tt.state, tt.granted, f)
			}
			switch tt.state {
			case check.PermUnverified:
				if !strings.Contains(f.Reason, tt.want) {
					t.Errorf("reason = %q, want it to contain %q", f.Reason, tt.want)
				}
			case check.PermMissing:
				if !strings.Contains(f.Message, tt.want) || f.Accepted != "" {
					t.Errorf("message = %q accepted = %q, want %q and no claim of a header", f.Message, f.Accepted, tt.want)
				}
			case check.PermUnreachable:
				if f.SSOURL != tt.want && f.PolicyURL != tt.want {
					t.Errorf("fact = %+v, want the URL %s", f, tt.want)
				}
			case check.PermFailed:
				if f.Problem == nil || !f.Problem.RateLimited || f.Problem.ResetAt.Unix() != 1790000000 || f.Problem.What != "POST /graphql" {
					t.Errorf("problem = %+v", f.Problem)
				}
			}
		})
	}
}

// discussionsWorld is the simulated GitHub with a fine-grained token that
// may read discussions on octo/private only.
func discussionsWorld(t *testing.T) *world {
	w := newWorld(t)
	w.sim.AddRepo("octo/lib", true)
	w.sim.AddRepo("sso-org/open", false)
	w.sim.AddToken(simulate.Token{Value: "fg-disc", Login: "octocat", FineGrained: true, Expiration: "2027-12-31 00:00:00 UTC",
		Repositories: []string{"octo/private", "octo/lib", "sso-org/app"},
		Grants: map[string]map[string]string{
			"octo/private": {"discussions": "read"},
			"octo/lib":     {"contents": "read"},
			"sso-org/app":  {"discussions": "write"},
		}})
	return w
}

func TestDiscussionsThroughGraphQL(t *testing.T) {
	t.Parallel()
	w := discussionsWorld(t)
	repos := []string{"octo/private", "octo/lib", "octo/public", "octo/secret", "sso-org/app", "sso-org/open"}
	req := check.Requirements{Repositories: repos, Permissions: []check.Permission{perm("discussions:read"), perm("discussions:write")}}
	f := w.client(t, "fg-disc").Facts(context.Background(), token.FineGrained, req)
	want := map[string]string{
		"discussions:read@octo/private":  "granted",
		"discussions:read@octo/lib":      "missing",
		"discussions:read@octo/public":   "public",
		"discussions:read@octo/secret":   "unreachable", // not selected: the repository answers 404
		"discussions:read@sso-org/app":   "unreachable", // the token is not authorized for SAML SSO
		"discussions:read@sso-org/open":  "public",
		"discussions:write@octo/private": "unverified",
		"discussions:write@octo/lib":     "missing", // no read, so no write
		"discussions:write@octo/public":  "unverified",
		"discussions:write@octo/secret":  "unreachable",
	}
	got := states(f)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, p := range ghplatform.PermissionVerdicts(f) {
		switch {
		case p.Target == "octo/lib" && p.State == check.PermMissing && p.Message != "Resource not accessible by personal access token":
			t.Errorf("missing without GitHub's message: %+v", p)
		case p.Permission.Level == check.LevelWrite && p.State == check.PermUnverified && !strings.Contains(p.Reason, "mutation"):
			t.Errorf("write unverified for the wrong reason: %+v", p)
		}
	}

	if v := w.sim.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
	// One query per repository, for read and write together, to the
	// GraphQL endpoint beside /api/v3, carrying the token; never a mutation.
	var queries []string
	seen := map[string]bool{}
	for _, q := range w.sim.Requests() {
		key := q.Method + " " + q.Path + "?" + q.RawQuery + " " + q.Body
		if seen[key] {
			t.Errorf("sent twice: %s", key)
		}
		seen[key] = true
		if q.Path != "/api/graphql" {
			continue
		}
		if q.Method != "POST" || q.Authorization != "Bearer fg-disc" || strings.Contains(q.Body, "mutation") {
			t.Errorf("GraphQL request %+v", q)
		}
		var body struct{ Variables map[string]string }
		if err := json.Unmarshal([]byte(q.Body), &body); err != nil {
			t.Fatal(err)
		}
		queries = append(queries, body.Variables["owner"]+"/"+body.Variables["name"])
	}
	slices.Sort(queries)
	if wantQ := slices.Sorted(slices.Values(repos)); !slices.Equal(queries, wantQ) {
		t.Errorf("queries for %q, want one for each of %q", queries, wantQ)
	}
	cells := len(f.Permissions)
	if n := len(w.sim.Requests()); n > 2*cells+2 {
		t.Errorf("%d requests for %d cells, over the budget %d", n, cells, 2*cells+2)
	}
}

func TestDiscussionsForClassicTokens(t *testing.T) {
	t.Parallel()
	w := discussionsWorld(t)
	req := check.Requirements{Repositories: []string{"octo/private", "octo/secret"}, Permissions: []check.Permission{perm("discussions:read")}}
	f := w.client(t, "classic-ok").Facts(context.Background(), token.Classic, req)
	if got := states(f); got["discussions:read@octo/private"] != "granted" || got["discussions:read@octo/secret"] != "unreachable" {
		t.Errorf("states = %v", got)
	}
}

// graphQLWorld answers the GraphQL endpoint with fn and everything else
// from the simulator.
func graphQLWorld(t *testing.T, fn http.HandlerFunc) *world {
	w := discussionsWorld(t)
	w.srv.Config.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/graphql" {
			fn(rw, r)
			return
		}
		w.sim.ServeHTTP(rw, r)
	})
	return w
}

// The HTTP answers of the GraphQL endpoint are read as the REST probes'
// are, except where GraphQL means something else by them.
func TestGraphQLHTTPAnswers(t *testing.T) {
	t.Parallel()
	reply := func(status int, header map[string]string, body string) http.HandlerFunc {
		return func(rw http.ResponseWriter, r *http.Request) {
			for k, v := range header {
				rw.Header().Set(k, v)
			}
			if rw.Header().Get("Content-Type") == "" {
				rw.Header().Set("Content-Type", "application/json")
			}
			rw.WriteHeader(status)
			_, _ = rw.Write([]byte(body))
		}
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		state   check.PermissionState
		check   func(check.PermissionVerdict) bool
	}{
		{"SAML SSO as a 403", reply(403, map[string]string{"X-GitHub-SSO": "required; url=https://github.com/orgs/octo/sso?authorization_request=X"},
			`{"message":"Resource protected by organization SAML enforcement."}`),
			check.PermUnreachable, func(f check.PermissionVerdict) bool {
				return f.SSOURL == "https://github.com/orgs/octo/sso?authorization_request=X"
			}},
		{"policy as a 403", reply(403, nil, "{\"message\":\"`octo` forbids access via a personal access token with fine-grained permissions.\"}"),
			check.PermUnreachable, func(f check.PermissionVerdict) bool { return strings.Contains(f.Policy, "forbids access via") }},
		{"rate limit as a 403", reply(403, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1790000000"}, `{"message":"API rate limit exceeded"}`),
			check.PermFailed, func(f check.PermissionVerdict) bool { return f.Problem != nil && f.Problem.RateLimited }},
		{"secondary rate limit", reply(403, map[string]string{"Retry-After": "60"}, `{"message":"You have exceeded a secondary rate limit."}`),
			check.PermFailed, func(f check.PermissionVerdict) bool { return f.Problem != nil && f.Problem.RateLimited }},
		{"rate limit in a 200", reply(200, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1790000000"},
			`{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}`),
			check.PermFailed, func(f check.PermissionVerdict) bool { return f.Problem != nil && f.Problem.RateLimited }},
		{"another 403", reply(403, nil, `{"message":"Forbidden"}`),
			check.PermUnverified, func(f check.PermissionVerdict) bool { return strings.Contains(f.Reason, "403") }},
		{"no GraphQL API", reply(404, nil, `{"message":"Not Found"}`),
			check.PermUnverified, func(f check.PermissionVerdict) bool {
				return strings.Contains(f.Reason, "no GraphQL API answered at /api/graphql")
			}},
		{"fine-grained tokens refused by GraphQL", reply(401, nil, `{"message":"Personal access tokens with fine grained access do not support the GraphQL API"}`),
			check.PermUnverified, func(f check.PermissionVerdict) bool { return strings.Contains(f.Reason, "does not accept this token") }},
		{"credentials refused", reply(401, nil, `{"message":"Bad credentials"}`),
			check.PermFailed, func(f check.PermissionVerdict) bool { return f.Problem != nil && !f.Problem.RateLimited }},
		{"server error", reply(502, nil, `{"message":"Bad Gateway"}`),
			check.PermFailed, func(f check.PermissionVerdict) bool {
				return f.Problem != nil && strings.Contains(f.Problem.Message, "502")
			}},
		{"an HTML 200", reply(200, map[string]string{"Content-Type": "text/html"}, `<html>sign in</html>`),
			check.PermFailed, func(f check.PermissionVerdict) bool {
				return f.Problem != nil && strings.Contains(f.Problem.Message, "not GitHub's JSON")
			}},
		{"an empty 200", reply(200, nil, ``),
			check.PermUnverified, func(f check.PermissionVerdict) bool { return strings.Contains(f.Reason, "not GitHub's GraphQL JSON") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			w := graphQLWorld(t, tt.handler)
			req := check.Requirements{Repositories: []string{"octo/private"}, Permissions: []check.Permission{perm("discussions:read")}}
			f := w.client(t, "fg-disc").Facts(context.Background(), token.FineGrained, req)
			if len(f.Permissions) != 1 {
				t.Fatalf("facts = %+v", f)
			}
			p := ghplatform.PermissionVerdicts(f)[0]
			if p.State != tt.state || !tt.check(p) {
				t.Errorf("fact = %+v", p)
			}
		})
	}
}

// GraphQL's exhausted rate limit is GraphQL's own: on GitHub Enterprise
// Server (/api/graphql) it must not stop the REST requests that follow.
func TestGraphQLRateLimitLeavesRESTAlone(t *testing.T) {
	t.Parallel()
	var restSeen atomic.Int32
	// go-github compares the reset time with the real clock.
	reset := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/graphql" {
			w.Header().Set("X-RateLimit-Limit", "5000")
			w.Header().Set("X-RateLimit-Remaining", "0")
			w.Header().Set("X-RateLimit-Reset", reset)
			w.Header().Set("X-RateLimit-Resource", "graphql")
			_, _ = io.WriteString(w, `{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}`)
			return
		}
		restSeen.Add(1)
		w.Header().Set("X-RateLimit-Remaining", "4999")
		_, _ = io.WriteString(w, `[]`)
	}))
	t.Cleanup(srv.Close)
	c, err := New(srv.URL+"/api/v3/", "github_pat_x", "test", transport.Options{Now: func() time.Time { return simNow }})
	if err != nil {
		t.Fatal(err)
	}
	probe := *RuleFor("discussions", check.LevelRead).Probe
	r := c.record(probe, "octo/private")
	c.runProbe(context.Background(), probe, "octo/private", r)
	v := verdictOf(token.FineGrained, check.PermissionFact{Permission: perm("discussions:read"), Target: "octo/private", Probe: r})
	if v.State != check.PermFailed || v.Problem == nil || !v.Problem.RateLimited {
		t.Fatalf("GraphQL probe: %+v, want a rate-limit problem", v)
	}
	if a, _ := c.send(context.Background(), "GET", "repos/octo/private/issues?per_page=1", ""); a.status != 200 || restSeen.Load() != 1 {
		t.Errorf("the REST request after GraphQL's limit: status %d, %d reached the server; want 200 and 1", a.status, restSeen.Load())
	}
}

// Every GraphQL probe is a query (never a mutation or subscription) that
// names where its answer shows the grant.
func TestGraphQLProbesAreQueriesWithAField(t *testing.T) {
	t.Parallel()
	n := 0
	for key, rule := range Probes {
		p := rule.Probe
		if p == nil || p.GraphQL == "" {
			continue
		}
		n++
		if !strings.HasPrefix(strings.TrimSpace(p.GraphQL), "query") || strings.Contains(p.GraphQL, "mutation") || strings.Contains(p.GraphQL, "subscription") {
			t.Errorf("%v: %q is not a plain query", key, p.GraphQL)
		}
		if len(p.Field) == 0 || p.Method != "POST" {
			t.Errorf("%v: Field %v, method %s: want a field and POST", key, p.Field, p.Method)
		}
		if key.level != check.LevelRead {
			t.Errorf("%v: a GraphQL probe can only read", key)
		}
	}
	if n == 0 {
		t.Error("no GraphQL probe: discussions:read should be one")
	}
}
