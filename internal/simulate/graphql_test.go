package simulate

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
)

// probeQuery is the discussions probe as internal/provider/github sends it.
const probeQuery = `query($owner:String!,$name:String!){repository(owner:$owner,name:$name){discussions(first:1){totalCount}}}`

func gqlBody(t *testing.T, query string, vars map[string]any) string {
	t.Helper()
	raw, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

// post sends one request to a full path (base path included) with a body.
func post(t *testing.T, srv *httptest.Server, method, path, tok, body string) reply {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	req.Header.Set("Content-Type", "application/json")
	return roundTrip(t, req)
}

// gqlReply is a GraphQL answer, decoded.
type gqlReply struct {
	Data   map[string]any `json:"data"`
	Errors []gqlError     `json:"errors"`
}

func (r reply) gql(t *testing.T) gqlReply {
	t.Helper()
	var g gqlReply
	if err := json.Unmarshal(r.raw, &g); err != nil {
		t.Fatalf("body %s: %v", r.raw, err)
	}
	return g
}

func TestGraphQLPath(t *testing.T) {
	t.Parallel()
	tests := []struct{ base, path string }{
		{"", "/graphql"},
		{"/", "/graphql"},
		{"/api/v3", "/api/graphql"},
		{"api/v3/", "/api/graphql"},
		{"/ghe/api/v3", "/ghe/api/graphql"},
		{"/proxy", "/proxy/graphql"},
	}
	for _, tt := range tests {
		t.Run(tt.base, func(t *testing.T) {
			t.Parallel()
			g, srv := start(t, func(g *GitHub) {
				g.SetBasePath(tt.base)
				g.AddRepo("acme/public", false)
				g.AddToken(Token{Value: "ghp_classic", Login: "octocat", Scopes: []string{"repo"}})
			})
			body := gqlBody(t, probeQuery, map[string]any{"owner": "acme", "name": "public"})
			r := post(t, srv, "POST", tt.path, "ghp_classic", body)
			if got := r.gql(t); r.status != 200 || len(got.Errors) != 0 || got.Data == nil {
				t.Errorf("POST %s: %d %s", tt.path, r.status, r.raw)
			}
			if r.header.Get("X-Ratelimit-Resource") != "graphql" || r.header.Get("X-OAuth-Scopes") != "repo" {
				t.Errorf("headers = %v", r.header)
			}
			if v := g.Violations(); len(v) != 0 {
				t.Errorf("violations: %q", v)
			}
			// Elsewhere a POST is an unknown write (and a violation when
			// under the base path).
			for _, elsewhere := range []string{"/graphql/", "/api/v3/graphql", "/v3/graphql"} {
				if elsewhere == tt.path {
					continue
				}
				if r := post(t, srv, "POST", elsewhere, "ghp_classic", body); r.status != 404 {
					t.Errorf("POST %s: %d, want 404", elsewhere, r.status)
				}
			}
		})
	}
}

func TestGraphQLDiscussions(t *testing.T) {
	t.Parallel()
	g, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "github_pat_disc", Login: "octocat", FineGrained: true,
			Repositories: []string{fgRepo, "acme/empty"},
			Grants:       map[string]map[string]string{fgRepo: {"discussions": "write"}, "acme/empty": {"contents": "read"}}})
		g.AddToken(Token{Value: "ghs_disc", Installation: true, Repositories: []string{fgRepo},
			Grants: map[string]map[string]string{fgRepo: {"issues": "write"}}})
		g.AddToken(Token{Value: "ghp_repo", Login: "octocat", Scopes: []string{"repo"}, Repositories: []string{fgRepo, "SSO-Org/private"}})
		g.AddToken(Token{Value: "ghp_public", Login: "octocat", Scopes: []string{"public_repo"}, Repositories: []string{fgRepo}})
	})
	granted := map[string]any{"repository": map[string]any{"discussions": map[string]any{"totalCount": float64(0)}}}
	tests := []struct {
		name, tok, repo string
		data            map[string]any // nil: not checked
		errType         string         // "" = no errors
		errPath         []string
		message         string
		saml            bool
	}{
		{"granted", "github_pat_disc", fgRepo, granted, "", nil, "", false},
		{"granted, case-insensitive", "github_pat_disc", "ACME/App", granted, "", nil, "", false},
		{"missing", "github_pat_disc", "acme/empty", map[string]any{"repository": nil}, // discussions is non-null: the repository goes too
			"FORBIDDEN", []string{"repository", "discussions"}, "Resource not accessible by personal access token", false},
		{"missing, installation", "ghs_disc", fgRepo, nil, "FORBIDDEN", []string{"repository", "discussions"}, "Resource not accessible by integration", false},
		{"public repository, no grant", "github_pat_disc", "acme/public", granted, "", nil, "", false},
		{"not selected", "github_pat_disc", "acme/hidden", map[string]any{"repository": nil},
			"NOT_FOUND", []string{"repository"}, "Could not resolve to a Repository with the name 'acme/hidden'.", false},
		{"no such repository", "github_pat_disc", "acme/ghost", nil, "NOT_FOUND", []string{"repository"}, "Could not resolve to a Repository with the name 'acme/ghost'.", false},
		{"classic with repo", "ghp_repo", fgRepo, granted, "", nil, "", false},
		{"classic with public_repo, private repository", "ghp_public", fgRepo, map[string]any{"repository": nil}, "NOT_FOUND", []string{"repository"},
			"Could not resolve to a Repository with the name 'acme/app'.", false},
		{"SAML SSO", "ghp_repo", "SSO-Org/private", map[string]any{"repository": nil}, "FORBIDDEN", []string{"repository"},
			"Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.", true},
		{"organization policy", "github_pat_disc", "nofine/repo", nil, "FORBIDDEN", []string{"repository"},
			"`nofine` forbids access via a personal access token with fine-grained permissions. Please use a GitHub App, OAuth App, or a personal access token (classic).", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			owner, name, _ := strings.Cut(tt.repo, "/")
			r := post(t, srv, "POST", "/api/graphql", tt.tok, gqlBody(t, probeQuery, map[string]any{"owner": owner, "name": name}))
			if r.status != 200 {
				t.Fatalf("status %d, want 200: GraphQL refuses in the body (%s)", r.status, r.raw)
			}
			got := r.gql(t)
			if tt.data != nil && !reflect.DeepEqual(got.Data, tt.data) {
				t.Errorf("data = %v, want %v", got.Data, tt.data)
			}
			if tt.errType == "" {
				if len(got.Errors) != 0 {
					t.Errorf("errors = %+v", got.Errors)
				}
				return
			}
			if len(got.Errors) != 1 {
				t.Fatalf("errors = %+v, want one", got.Errors)
			}
			e := got.Errors[0]
			if e.Type != tt.errType || !reflect.DeepEqual(e.Path, tt.errPath) || e.Message != tt.message || len(e.Locations) != 1 {
				t.Errorf("error = %+v, want %s at %v: %q", e, tt.errType, tt.errPath, tt.message)
			}
			if tt.errType == "FORBIDDEN" && e.Extensions["saml_failure"] != tt.saml {
				t.Errorf("saml_failure = %v, want %v", e.Extensions["saml_failure"], tt.saml)
			}
			if sso := r.header.Get("X-GitHub-SSO"); tt.saml != strings.HasPrefix(sso, "required; url=https://github.com/orgs/SSO-Org/sso?") {
				t.Errorf("X-GitHub-SSO = %q", sso)
			}
		})
	}
	t.Run("bad credentials", func(t *testing.T) {
		t.Parallel()
		body := gqlBody(t, probeQuery, map[string]any{"owner": "acme", "name": "app"})
		if r := post(t, srv, "POST", "/api/graphql", "ghp_unknown", body); r.status != 401 || r.json(t)["message"] != "Bad credentials" {
			t.Errorf("%d %s", r.status, r.raw)
		}
	})
	t.Cleanup(func() {
		if v := g.Violations(); len(v) != 0 {
			t.Errorf("violations: %q", v)
		}
	})
}

func TestGraphQLRequestShapes(t *testing.T) {
	t.Parallel()
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "ghp_repo", Login: "octocat", Scopes: []string{"repo"}, Repositories: []string{fgRepo}})
	})
	vars := map[string]any{"owner": "acme", "name": "app"}
	tests := []struct {
		name, method, body string
		status             int
		answered           bool // data.repository.discussions came back
	}{
		{"the probe", "POST", gqlBody(t, probeQuery, vars), 200, true},
		{"as internal/github sends it", "POST", gqlBody(t, discussionsQuery, vars), 200, true},
		{"spaced out", "POST", gqlBody(t, "\uFEFFquery ( $owner: String!,, $name: String! ) {\r\n  repository(owner: $owner, name: $name) {\n\tdiscussions(first: 1) { totalCount }\n  }\n}\n",
			vars), 200, true},
		{"named", "POST", gqlBody(t, "query Probe"+probeQuery[len("query"):], vars), 200, false},
		{"other variable names", "POST", gqlBody(t, `query($o:String!,$n:String!){repository(owner:$o,name:$n){discussions(first:1){totalCount}}}`,
			map[string]any{"o": "acme", "n": "app"}), 200, false},
		{"with a comment", "POST", gqlBody(t, "# the probe\n"+probeQuery, vars), 200, false},
		{"another field", "POST", gqlBody(t, strings.Replace(probeQuery, "totalCount", "totalCount id", 1), vars), 200, false},
		{"a name split in two", "POST", gqlBody(t, strings.Replace(probeQuery, "totalCount", "total Count", 1), vars), 200, false},
		{"one variable for both", "POST", gqlBody(t, `query($o:String!,$o:String!){repository(owner:$o,name:$o){discussions(first:1){totalCount}}}`,
			map[string]any{"o": "acme"}), 200, false},
		{"another query", "POST", gqlBody(t, `query{viewer{login}}`, nil), 200, false},
		{"literal arguments", "POST", gqlBody(t, `query{repository(owner:"acme",name:"app"){discussions(first:1){totalCount}}}`, nil), 200, false},
		{"a missing variable", "POST", gqlBody(t, probeQuery, map[string]any{"owner": "acme"}), 200, false},
		{"a variable of the wrong type", "POST", gqlBody(t, probeQuery, map[string]any{"owner": "acme", "name": 7}), 200, false},
		{"unreadable document", "POST", gqlBody(t, "query { ", nil), 200, false},
		{"no query", "POST", `{"variables":{}}`, 400, false},
		{"invalid JSON", "POST", `{"query":`, 400, false},
		{"GET", "GET", "", 404, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := post(t, srv, tt.method, "/api/graphql", "ghp_repo", tt.body)
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			if tt.status != 200 {
				return
			}
			got := r.gql(t)
			repo, _ := got.Data["repository"].(map[string]any)
			if answered := repo["discussions"] != nil; answered != tt.answered {
				t.Errorf("answered = %v, want %v (%s)", answered, tt.answered, r.raw)
			}
			if !tt.answered && (len(got.Errors) == 0 || got.Errors[0].Message == "") {
				t.Errorf("no error said why: %s", r.raw)
			}
		})
	}
}

func TestGraphQLViolations(t *testing.T) {
	t.Parallel()
	big := `{"query":"` + strings.Repeat(" ", maxBody) + `query{viewer{login}}"}`
	mutation := `mutation($id:ID!){deleteDiscussion(input:{id:$id}){clientMutationId}}`
	tests := []struct {
		name, method, tok, body string
		violation               string // a prefix ending in ": ", or "" for none
	}{
		{"the probe", "POST", "github_pat_all", gqlBody(t, probeQuery, map[string]any{"owner": "acme", "name": "app"}), ""},
		{"the probe, spaced out", "POST", "github_pat_all", gqlBody(t, discussionsQuery, map[string]any{"owner": "acme", "name": "app"}), ""},
		{"the probe, unknown token", "POST", "ghp_unknown", gqlBody(t, probeQuery, map[string]any{"owner": "acme", "name": "app"}), ""},
		{"no query: refused", "POST", "github_pat_all", `{"variables":{}}`, ""},
		{"invalid JSON: refused", "POST", "github_pat_all", `{"query":"mutation{`, ""},
		{"GET", "GET", "github_pat_all", "", ""},

		{"mutation", "POST", "github_pat_all", gqlBody(t, mutation, map[string]any{"id": "D_1"}), "POST /api/graphql: a GraphQL mutation"},
		{"named mutation", "POST", "github_pat_all", gqlBody(t, "mutation Drop"+mutation[len("mutation"):], nil), "POST /api/graphql: a GraphQL mutation"},
		{"mutation after the probe", "POST", "github_pat_all", gqlBody(t, probeQuery+" "+mutation, nil), "POST /api/graphql: a GraphQL mutation"},
		{"mutation after a comma", "POST", "github_pat_all", gqlBody(t, "query{viewer{login}},"+mutation, nil), "POST /api/graphql: a GraphQL mutation"},
		{"subscription", "POST", "github_pat_all", gqlBody(t, `subscription{x}`, nil), "POST /api/graphql: a GraphQL subscription"},
		{"mutation, unknown token", "POST", "ghp_unknown", gqlBody(t, mutation, nil), "POST /api/graphql: a GraphQL mutation"},
		{"another query", "POST", "github_pat_all", gqlBody(t, `query{viewer{login}}`, nil), "POST /api/graphql: a GraphQL document other than the discussions query"},
		{"shorthand query", "POST", "github_pat_all", gqlBody(t, `{viewer{login}}`, nil), "POST /api/graphql: a GraphQL document other than the discussions query"},
		{"a field named like a mutation", "POST", "github_pat_all", gqlBody(t, `query{viewer{mutations}}`, nil), "POST /api/graphql: a GraphQL document other than the discussions query"},
		{"unreadable document", "POST", "github_pat_all", gqlBody(t, "query { ", nil), "POST /api/graphql: a GraphQL document other than the discussions query"},
		{"a batch", "POST", "github_pat_all", `[{"query":"query{viewer{login}}"}]`, "POST /api/graphql: a batch"},
		{"too large", "POST", "github_pat_all", big, "POST /api/graphql: a body over"},
		{"PUT", "PUT", "github_pat_all", `{}`, "PUT /api/graphql: a write"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, srv := start(t, func(g *GitHub) {
				fgWorld(g)
				g.AddToken(Token{Value: "github_pat_all", Login: "octocat", FineGrained: true, Repositories: []string{fgRepo},
					Grants: everything("write", fgRepo)})
			})
			r := post(t, srv, tt.method, "/api/graphql", tt.tok, tt.body)
			if tt.violation == "" && r.status >= 500 {
				t.Errorf("status %d (%s)", r.status, r.raw)
			}
			got := g.Violations()
			switch {
			case tt.violation == "" && len(got) != 0:
				t.Errorf("violations = %q, want none", got)
			case tt.violation == "":
			case len(got) != 1 || !strings.HasPrefix(got[0], tt.violation):
				t.Errorf("violations = %q, want one starting %q", got, tt.violation)
			}
			if tt.violation != "" && r.status == 200 {
				if repo, _ := r.gql(t).Data["repository"].(map[string]any); repo != nil {
					t.Errorf("a violating request was answered with data: %s", r.raw)
				}
			}
		})
	}
}

func TestGraphQLBodyIsRecorded(t *testing.T) {
	t.Parallel()
	g, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "ghp_repo", Login: "octocat", Scopes: []string{"repo"}, Repositories: []string{fgRepo}})
	})
	body := gqlBody(t, probeQuery, map[string]any{"owner": "acme", "name": "app"})
	post(t, srv, "POST", "/api/graphql", "ghp_repo", body)
	get(t, srv, "/user", "ghp_repo")
	got := g.Requests()
	if len(got) != 2 || got[0].Path != "/api/graphql" || got[0].Body != body || got[1].Body != "" {
		t.Errorf("requests = %+v", got)
	}
}

func TestNormalizeGraphQL(t *testing.T) {
	t.Parallel()
	same := []string{
		probeQuery,
		discussionsQuery,
		"\uFEFF query(\n$owner:String!\r\n$name:String!){repository(owner:$owner name:$name){discussions(first:1){totalCount}}},\t",
	}
	for _, q := range same {
		if got := normalizeGraphQL(q); got != knownGraphQL {
			t.Errorf("normalizeGraphQL(%q) = %q, want %q", q, got, knownGraphQL)
		}
	}
	if want := "query($owner:String!$name:String!){repository(owner:$owner name:$name){discussions(first:1){totalCount}}}"; knownGraphQL != want {
		t.Errorf("knownGraphQL = %q, want %q", knownGraphQL, want)
	}
	for _, q := range []string{
		strings.Replace(probeQuery, "first:1", "first:1 0", 1),
		strings.Replace(probeQuery, "query", "query Q", 1),
		strings.Replace(probeQuery, "totalCount", "total,Count", 1),
		"mutation" + probeQuery[len("query"):],
	} {
		if normalizeGraphQL(q) == knownGraphQL {
			t.Errorf("%q taken for the probe", q)
		}
	}
}

func TestGraphQLLocations(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q, field  string
		line, col int
	}{
		{probeQuery, "repository", 1, 37},
		{discussionsQuery, "discussions", 1, 83},
		{"query\n{\r\n  repository\r{ discussions", "repository", 3, 3},
		{"query\n{\r\n  repository\r{ discussions", "discussions", 4, 3},
	}
	for _, tt := range tests {
		got := at(tt.q, tt.field)
		if len(got) != 1 || got[0] != (gqlLocation{tt.line, tt.col}) {
			t.Errorf("at(%q, %s) = %v, want %d:%d", tt.q, tt.field, got, tt.line, tt.col)
		}
	}
}

// GraphQL tells an exhausted rate limit in a 200 answer, as GitHub does;
// REST answers 403.
func TestGraphQLRateLimit(t *testing.T) {
	t.Parallel()
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "ghp_repo", Login: "octocat", Scopes: []string{"repo"}, Repositories: []string{fgRepo}})
		g.SetRateLimitExhausted(true)
	})
	r := post(t, srv, "POST", "/api/graphql", "ghp_repo", gqlBody(t, probeQuery, map[string]any{"owner": "acme", "name": "app"}))
	got := r.gql(t)
	if r.status != 200 || len(got.Errors) != 1 || got.Errors[0].Type != "RATE_LIMITED" || !strings.Contains(got.Errors[0].Message, "rate limit exceeded") {
		t.Fatalf("GraphQL: %d %s, want 200 with a RATE_LIMITED error", r.status, r.raw)
	}
	if r.header.Get("X-Ratelimit-Remaining") != "0" || r.header.Get("X-Ratelimit-Resource") != "graphql" || r.header.Get("X-Ratelimit-Reset") == "" {
		t.Errorf("headers = %v", r.header)
	}
	if rest := get(t, srv, "/user", "ghp_repo"); rest.status != 403 {
		t.Errorf("REST: %d, want 403", rest.status)
	}
}
