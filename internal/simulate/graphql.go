package simulate

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// The simulated GraphQL API answers one query, the discussions probe of
// internal/provider/github, at the path GitHub serves GraphQL beside the REST API
// (see graphQLPath). Like GitHub's, it answers 200 whatever the outcome and
// puts refusals in "errors": NOT_FOUND for a repository the token cannot
// see, FORBIDDEN for a missing permission or an organization's refusal.
//
// Its judge reads every document sent there: a mutation, or a document it
// cannot read, is a violation, whatever the token and whatever the answer.

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

// discussionsQuery is the query the simulated GraphQL API answers. A
// document matches it token for token, with any operation name and any
// variable names.
const discussionsQuery = `query($owner: String!, $name: String!) {
  repository(owner: $owner, name: $name) { discussions(first: 1) { totalCount } }
}`

// gqlToken is one lexical token of a GraphQL document.
type gqlToken struct {
	text string
	// kind is 'p' for a punctuator, 'n' for a name, 'v' for a number or a
	// string.
	kind      byte
	line, col int
}

// lexGraphQL splits a GraphQL document into tokens, dropping what the
// language ignores (white space, line ends, commas, comments, a byte order
// mark). It refuses what it cannot read.
func lexGraphQL(src string) ([]gqlToken, error) {
	var toks []gqlToken
	line, lineStart := 1, 0
	for i := 0; i < len(src); {
		c := src[i]
		col := i - lineStart + 1
		switch {
		case c == '\n':
			i++
			line, lineStart = line+1, i
		case c == '\r':
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
			line, lineStart = line+1, i
		case c == ' ' || c == '\t' || c == ',':
			i++
		case strings.HasPrefix(src[i:], "\uFEFF"):
			i += len("\uFEFF")
		case c == '#':
			for i < len(src) && src[i] != '\n' && src[i] != '\r' {
				i++
			}
		case strings.HasPrefix(src[i:], "..."):
			toks = append(toks, gqlToken{"...", 'p', line, col})
			i += 3
		case strings.IndexByte("!$&():=@[]{|}", c) >= 0:
			toks = append(toks, gqlToken{string(c), 'p', line, col})
			i++
		case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			j := i + 1
			for j < len(src) && (src[j] == '_' || src[j] >= '0' && src[j] <= '9' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= 'a' && src[j] <= 'z') {
				j++
			}
			toks = append(toks, gqlToken{src[i:j], 'n', line, col})
			i = j
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(src) && strings.IndexByte("0123456789.eE+-", src[j]) >= 0 {
				j++
			}
			toks = append(toks, gqlToken{src[i:j], 'v', line, col})
			i = j
		case strings.HasPrefix(src[i:], `"""`):
			end := strings.Index(strings.ReplaceAll(src[i+3:], `\"""`, "xxxx"), `"""`)
			if end < 0 {
				return nil, fmt.Errorf("line %d: unterminated block string", line)
			}
			j := i + 3 + end + 3
			toks = append(toks, gqlToken{src[i:j], 'v', line, col})
			for ; i < j; i++ {
				if src[i] == '\n' {
					line, lineStart = line+1, i+1
				}
			}
		case c == '"':
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\n' || src[j] == '\r' {
					return nil, fmt.Errorf("line %d: unterminated string", line)
				}
				if src[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(src) {
				return nil, fmt.Errorf("line %d: unterminated string", line)
			}
			toks = append(toks, gqlToken{src[i : j+1], 'v', line, col})
			i = j + 1
		default:
			return nil, fmt.Errorf("line %d, column %d: unexpected character %q", line, col, c)
		}
	}
	return toks, nil
}

// operations lists the operation type of each operation in a document:
// "query" (also for the shorthand "{ … }"), "mutation" or "subscription".
// Fragments are skipped; anything else is refused.
func operations(toks []gqlToken) ([]string, error) {
	var ops []string
	for i := 0; i < len(toks); {
		t := toks[i]
		switch {
		case t.text == "{":
			ops = append(ops, "query")
		case t.kind == 'n' && (t.text == "query" || t.text == "mutation" || t.text == "subscription"):
			ops = append(ops, t.text)
		case t.kind == 'n' && t.text == "fragment":
		default:
			return nil, fmt.Errorf("line %d: %q does not start an operation or a fragment", t.line, t.text)
		}
		// The selection set is the first "{" outside parentheses (variable
		// defaults and directive arguments may hold objects).
		parens := 0
		for ; i < len(toks) && (toks[i].text != "{" || parens > 0); i++ {
			switch toks[i].text {
			case "(":
				parens++
			case ")":
				parens--
			}
		}
		depth := 0
		for ; i < len(toks); i++ {
			switch toks[i].text {
			case "{":
				depth++
			case "}":
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if depth != 0 || i >= len(toks) {
			return nil, fmt.Errorf("line %d: a definition without a complete selection set", t.line)
		}
		i++
	}
	if len(ops) == 0 {
		return nil, fmt.Errorf("no operation")
	}
	return ops, nil
}

// graphQLDocument reads the query of a GraphQL request body; ok is false
// when the body is not a request GitHub would execute (no JSON object, or
// no string query), and err says why a query could not be read.
func graphQLDocument(b reqBody) (toks []gqlToken, ops []string, ok bool, err error) {
	q, isString := b.fields["query"].(string)
	if b.state != bodyObject || !isString {
		return nil, nil, false, nil
	}
	if toks, err = lexGraphQL(q); err == nil {
		ops, err = operations(toks)
	}
	return toks, ops, true, err
}

// judgeGraphQL returns the violation a request to the GraphQL endpoint
// commits, or "": a mutation (or a subscription), a document the simulator
// cannot read, a batch of requests, a body too large to read, or a method
// other than POST that could change something. Like judge, it depends on
// the request alone.
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
	_, ops, ok, err := graphQLDocument(b)
	switch {
	case !ok:
		return "" // GitHub refuses the request before running anything
	case err != nil:
		return method + " " + full + ": a GraphQL document the simulator cannot read nor prove harmless (" + err.Error() + ")"
	}
	for _, op := range ops {
		if op != "query" {
			return method + " " + full + ": a GraphQL " + op + ", which could change whatever its token may change"
		}
	}
	return ""
}

// matchDiscussions matches a document against discussionsQuery and returns
// the names it gives the owner and name variables, and the tokens of the
// repository and discussions fields (for error locations).
func matchDiscussions(doc []gqlToken) (owner, name string, repo, disc gqlToken, ok bool) {
	want, _ := lexGraphQL(discussionsQuery)
	if len(doc) > 1 && doc[0].text == "query" && doc[1].kind == 'n' {
		doc = append([]gqlToken{doc[0]}, doc[2:]...) // the operation's name
	}
	if len(doc) != len(want) {
		return "", "", gqlToken{}, gqlToken{}, false
	}
	bound := map[string]string{}
	for i, w := range want {
		d := doc[i]
		if d.kind != w.kind {
			return "", "", gqlToken{}, gqlToken{}, false
		}
		if i > 0 && want[i-1].text == "$" {
			if v, seen := bound[w.text]; seen && v != d.text {
				return "", "", gqlToken{}, gqlToken{}, false
			}
			bound[w.text] = d.text
			continue
		}
		if d.text != w.text {
			return "", "", gqlToken{}, gqlToken{}, false
		}
		switch w.text {
		case "repository":
			repo = d
		case "discussions":
			disc = d
		}
	}
	if bound["owner"] == bound["name"] {
		return "", "", gqlToken{}, gqlToken{}, false
	}
	return bound["owner"], bound["name"], repo, disc, true
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

func at(t gqlToken) []gqlLocation { return []gqlLocation{{t.line, t.col}} }

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
func (g *GitHub) graphQL(h http.Header, t Token, method string, b reqBody, now time.Time, seq uint64) answer {
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
	doc, _, ok, err := graphQLDocument(b)
	switch {
	case !ok:
		return errorAnswer(h, http.StatusBadRequest, "A query attribute must be specified and must be a string.", docsGraphQL)
	case err != nil:
		return gqlAnswer(h, nil, gqlError{Message: "Parse error: " + err.Error()})
	}
	ownerVar, nameVar, repoTok, discTok, ok := matchDiscussions(doc)
	if !ok {
		return gqlAnswer(h, nil, gqlError{Message: "The simulated GraphQL API answers only the discussions query of pat-check's probe."})
	}
	vars, _ := b.fields["variables"].(map[string]any)
	owner, ownerOK := vars[ownerVar].(string)
	name, nameOK := vars[nameVar].(string)
	switch {
	case !ownerOK:
		return gqlAnswer(h, nil, gqlError{Message: "Variable $" + ownerVar + " of type String! was provided invalid value"})
	case !nameOK:
		return gqlAnswer(h, nil, gqlError{Message: "Variable $" + nameVar + " of type String! was provided invalid value"})
	}

	noRepo := map[string]any{"repository": nil}
	rp, refused := g.reachRepo(h, t, owner, name, now, seq, docsGraphQL)
	if refused != nil {
		msg := ""
		if eb, isErr := refused.body.(errorBody); isErr {
			msg = eb.Message
		}
		switch {
		case refused.status == http.StatusNotFound:
			return gqlAnswer(h, noRepo, gqlError{Type: "NOT_FOUND", Path: []string{"repository"}, Locations: at(repoTok),
				Message: fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name)})
		case h.Get("X-GitHub-SSO") != "":
			return gqlAnswer(h, noRepo, gqlError{Type: "FORBIDDEN", Path: []string{"repository"}, Locations: at(repoTok),
				Extensions: map[string]any{"saml_failure": true}, Message: msg})
		}
		return gqlAnswer(h, noRepo, gqlError{Type: "FORBIDDEN", Path: []string{"repository"}, Locations: at(repoTok),
			Extensions: map[string]any{"saml_failure": false}, Message: msg})
	}
	// The discussions of a public repository are readable by anyone.
	if rp.private && holds(t, &discussionsRoute, strings.ToLower(rp.fullName()), rp) < levelRead {
		if !grantsModel(t) {
			// A classic token without repo does not see the private
			// repository at all.
			return gqlAnswer(h, noRepo, gqlError{Type: "NOT_FOUND", Path: []string{"repository"}, Locations: at(repoTok),
				Message: fmt.Sprintf("Could not resolve to a Repository with the name '%s/%s'.", owner, name)})
		}
		who := "personal access token"
		if t.Installation {
			who = "integration"
		}
		// discussions is non-null in the schema: its null takes the
		// repository with it.
		return gqlAnswer(h, noRepo,
			gqlError{Type: "FORBIDDEN", Path: []string{"repository", "discussions"}, Locations: at(discTok),
				Extensions: map[string]any{"saml_failure": false}, Message: "Resource not accessible by " + who})
	}
	return gqlAnswer(h, map[string]any{"repository": map[string]any{"discussions": map[string]any{"totalCount": 0}}})
}
