package simulate

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// The simulated GraphQL API answers one query, the discussions probe of
// internal/provider/github, at the path GitHub serves GraphQL beside the REST API
// (see graphQLPath). Like GitHub's, it answers 200 whatever the outcome and
// puts refusals in "errors": NOT_FOUND for a repository the token cannot
// see, FORBIDDEN for a missing permission or an organization's refusal.
//
// It does not parse GraphQL: it recognises the one document pat-check sends.
// Its judge holds every other document sent there a violation (a mutation,
// or one it does not read), whatever the token and whatever the answer.

// docsGraphQL is the documentation link of GraphQL error bodies.
const docsGraphQL = "https://docs.github.com/graphql"

// graphQLPath is where the simulated GraphQL API answers: /api/graphql
// beside a REST API mounted at …/api/v3, as GitHub Enterprise Server serves
// it; otherwise graphql under the base path (/graphql at the root, as on
// api.github.com and GHE.com). g.mu is held.
func (g *GitHub) graphQLPath() string {
	if prefix, ok := strings.CutSuffix(g.basePath, "/api/v3"); ok {
		return prefix + "/api/graphql"
	}
	return g.basePath + "/graphql"
}

// discussionsRoute is the permission the discussions query needs, in the
// form holds reads. It is not in routes: no REST path leads to it.
var discussionsRoute = route{area: areaRepo, perms: []string{"discussions"}, doc: docsGraphQL}

// discussionsQuery is the one document the simulated GraphQL API answers:
// the discussions probe exactly as internal/github sends it. A document is
// recognised when it equals this one but for white space and commas (see
// normalizeGraphQL); the owner and name come from the request's variables
// $owner and $name.
const discussionsQuery = "query($owner: String!, $name: String!) " +
	"{ repository(owner: $owner, name: $name) { discussions(first: 1) { totalCount } } }"

// knownGraphQL is discussionsQuery, normalised.
var knownGraphQL = normalizeGraphQL(discussionsQuery)

// normalizeGraphQL drops what GraphQL ignores between tokens (white space,
// line ends, commas, a byte order mark), keeping one space where two names
// or numbers would otherwise run together. Two documents without strings or
// comments that normalise alike are the same tokens.
func normalizeGraphQL(doc string) string {
	var b strings.Builder
	var last rune
	gap := false
	for _, r := range doc {
		switch r {
		case ' ', '\t', '\n', '\r', ',', '\uFEFF':
			gap = true
			continue
		}
		if gap && nameRune(last) && nameRune(r) {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

func nameRune(r rune) bool {
	return r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
}

// graphQLQuery reads the query of a GraphQL request body; ok is false when
// the body is not a request GitHub would execute (no JSON object, or no
// string query).
func graphQLQuery(b reqBody) (q string, ok bool) {
	q, isString := b.fields["query"].(string)
	if b.state != bodyObject || !isString {
		return "", false
	}
	return q, true
}

// operationWord finds the keyword of an operation that could change
// something (mutation, subscription) anywhere in a document, as a word. It
// does not parse: the word inside a string or a comment counts too, which
// errs on the side of a violation.
var operationWord = regexp.MustCompile(`(^|[^_0-9A-Za-z])(mutation|subscription)([^_0-9A-Za-z]|$)`)

// judgeGraphQL returns the violation a request to the GraphQL endpoint
// commits, or "": any document but discussionsQuery (named a mutation or a
// subscription when it holds the word), a batch of requests, a body too
// large to read, or a method other than POST that could change something.
// Like judge, it depends on the request alone.
func judgeGraphQL(method, full string, b reqBody) string {
	if safeMethod(method) {
		return ""
	}
	if method != http.MethodPost {
		return method + " " + full + ": a write the simulator cannot prove harmless"
	}
	switch b.state {
	case bodyTooLarge:
		return fmt.Sprintf("%s %s: a body over %d bytes, which the simulator cannot read nor prove harmless", method, full, maxBody)
	case bodyNotObject:
		if b.kind == "an array" {
			return method + " " + full + ": a batch of GraphQL requests, which the simulator does not read nor prove harmless"
		}
		return ""
	}
	q, ok := graphQLQuery(b)
	switch {
	case !ok:
		return "" // GitHub refuses the request before running anything
	case normalizeGraphQL(q) == knownGraphQL:
		return ""
	}
	if m := operationWord.FindStringSubmatch(q); m != nil {
		return method + " " + full + ": a GraphQL " + m[2] + ", which could change whatever its token may change"
	}
	return method + " " + full + ": a GraphQL document other than the discussions query, which the simulator does not read nor prove harmless"
}

// gqlError is one entry of a GraphQL answer's "errors", in GitHub's shape.
type gqlError struct {
	Type       string         `json:"type,omitempty"`
	Path       []string       `json:"path,omitempty"`
	Extensions map[string]any `json:"extensions,omitempty"`
	Locations  []gqlLocation  `json:"locations,omitempty"`
	Message    string         `json:"message"`
}

type gqlLocation struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// at is the location of the first occurrence of field in the document q,
// counted as GraphQL counts: lines from 1, after LF, CR LF or a lone CR, and
// columns from 1, in bytes.
func at(q, field string) []gqlLocation {
	i := strings.Index(q, field)
	if i < 0 {
		return nil
	}
	line, lineStart := 1, 0
	for j := 0; j < i; j++ {
		if q[j] == '\n' || q[j] == '\r' && (j+1 >= len(q) || q[j+1] != '\n') {
			line, lineStart = line+1, j+1
		}
	}
	return []gqlLocation{{line, i - lineStart + 1}}
}

// gqlAnswer is a GraphQL answer: always 200, with data and errors.
func gqlAnswer(h http.Header, data any, errs ...gqlError) answer {
	body := map[string]any{}
	if data != nil {
		body["data"] = data
	}
	if len(errs) > 0 {
		body["errors"] = errs
	}
	return answer{status: http.StatusOK, header: h, body: body}
}

// graphQL answers a request to the GraphQL endpoint, after authentication:
// the request, then the repository (existence, organization policies, SSO,
// reachability), then the discussions permission. A refusal is a 200 with
// "errors", as on GitHub.
func (g *GitHub) graphQL(h http.Header, t Token, method string, b reqBody, now time.Time) answer {
	h.Set("X-Ratelimit-Resource", "graphql")
	if t.Scopes != nil {
		h.Set("X-Accepted-OAuth-Scopes", "repo")
	}
	if method != http.MethodPost {
		return errorAnswer(h, http.StatusNotFound, "Not Found", docsGraphQL)
	}
	switch b.state {
	case bodyTooLarge:
		return errorAnswer(h, http.StatusRequestEntityTooLarge, "Payload too large", docsGraphQL)
	case bodyInvalid:
		return errorAnswer(h, http.StatusBadRequest, "Problems parsing JSON", docsGraphQL)
	}
	q, ok := graphQLQuery(b)
	switch {
	case !ok:
		return errorAnswer(h, http.StatusBadRequest, "A query attribute must be specified and must be a string.", docsGraphQL)
	case normalizeGraphQL(q) != knownGraphQL:
		return gqlAnswer(h, nil, gqlError{Message: "The simulated GraphQL API answers only the discussions query of pat-check's probe."})
	}
	vars, _ := b.fields["variables"].(map[string]any)
	owner, ownerOK := vars["owner"].(string)
	name, nameOK := vars["name"].(string)
	switch {
	case !ownerOK:
		return gqlAnswer(h, nil, gqlError{Message: "Variable $owner of type String! was provided invalid value"})
	case !nameOK:
		return gqlAnswer(h, nil, gqlError{Message: "Variable $name of type String! was provided invalid value"})
	}
	repoAt, discAt := at(q, "repository"), at(q, "discussions")

	noRepo := map[string]any{"repository": nil}
	rp, refused := g.reachRepo(h, t, owner, name, now, docsGraphQL)
	if refused != nil {
		msg := ""
		if eb, isErr := refused.body.(errorBody); isErr {
			msg = eb.Message
		}
		switch {
		case refused.status == http.StatusNotFound:
			return gqlAnswer(h, noRepo, gqlError{Type: "NOT_FOUND", Path: []string{"repository"}, Locations: repoAt,
				Message: fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name)})
		case h.Get("X-GitHub-SSO") != "":
			return gqlAnswer(h, noRepo, gqlError{Type: "FORBIDDEN", Path: []string{"repository"}, Locations: repoAt,
				Extensions: map[string]any{"saml_failure": true}, Message: msg})
		}
		return gqlAnswer(h, noRepo, gqlError{Type: "FORBIDDEN", Path: []string{"repository"}, Locations: repoAt,
			Extensions: map[string]any{"saml_failure": false}, Message: msg})
	}
	// The discussions of a public repository are readable by anyone.
	if rp.private && holds(t, &discussionsRoute, strings.ToLower(rp.fullName()), rp) < levelRead {
		if !grantsModel(t) {
			// A classic token without repo does not see the private
			// repository at all.
			return gqlAnswer(h, noRepo, gqlError{Type: "NOT_FOUND", Path: []string{"repository"}, Locations: repoAt,
				Message: fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name)})
		}
		who := "personal access token"
		if t.Installation {
			who = "integration"
		}
		// discussions is non-null in the schema: its null takes the
		// repository with it.
		return gqlAnswer(h, noRepo,
			gqlError{Type: "FORBIDDEN", Path: []string{"repository", "discussions"}, Locations: discAt,
				Extensions: map[string]any{"saml_failure": false}, Message: "Resource not accessible by " + who})
	}
	return gqlAnswer(h, map[string]any{"repository": map[string]any{"discussions": map[string]any{"totalCount": 0}}})
}
