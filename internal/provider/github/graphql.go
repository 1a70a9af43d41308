package github

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/transport"
)

// Some permissions can be read only through the GraphQL API (discussions).
// A GraphQL probe is a query, never a mutation, POSTed to the server's
// GraphQL endpoint; the target's owner and name travel as variables, never
// inside the query text. GraphQL answers 200 whether it grants or refuses:
// the verdict is in the body, read by readGraphQL.

// graphQLURL is the GraphQL endpoint of the server whose REST API is at api
// (with a trailing slash): https://api.github.com/graphql for github.com,
// https://api.SUBDOMAIN.ghe.com/graphql for GHE.com, and
// https://HOST/api/graphql for GitHub Enterprise Server, whose REST API is at
// https://HOST/api/v3/. Scheme and host stay the REST API's, so the token
// goes to the one site it is already sent to.
func graphQLURL(api *url.URL) *url.URL {
	u := *api
	u.RawPath, u.RawQuery, u.Fragment = "", "", ""
	p := strings.TrimSuffix(u.Path, "/")
	if prefix, ok := strings.CutSuffix(p, "/api/v3"); ok {
		u.Path = prefix + "/api/graphql"
	} else {
		u.Path = p + "/graphql"
	}
	return &u
}

// Payload is the body a probe sends for a target: for a GraphQL probe the
// request with the query and the owner and name as the variables $owner and
// $name; otherwise Body.
func (p Probe) Payload(target string) string {
	if p.GraphQL == "" {
		return p.Body
	}
	owner, name, _ := strings.Cut(target, "/")
	// Strings always marshal: there is no error to handle.
	raw, _ := json.Marshal(struct {
		Query     string            `json:"query"`
		Variables map[string]string `json:"variables"`
	}{p.GraphQL, map[string]string{"owner": owner, "name": name}})
	return string(raw)
}

// graphQLError is one entry of a GraphQL answer's "errors".
type graphQLError struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	// Path holds field names and list indices.
	Path       []any `json:"path"`
	Extensions struct {
		SAMLFailure bool `json:"saml_failure"`
	} `json:"extensions"`
}

// atField reports whether an error's path reaches field: it names field or
// a field below it. An error on the way to it (the repository) or without a
// path is about something else or the whole query, and proves nothing of
// field's permission.
func (e graphQLError) atField(field []string) bool {
	if len(e.Path) < len(field) {
		return false
	}
	for i, name := range field {
		if s, ok := e.Path[i].(string); !ok || s != name {
			return false
		}
	}
	return true
}

// readGraphQL reads the 200 answer of a GraphQL probe against its field:
// whether the data holds an object there, and each error with what the
// check package needs to tell them apart (its type and message, whether its
// path reaches the field or stops at the repository, an SSO failure, an
// organization's token policy, an exhausted rate limit). It decides
// nothing.
func (c *Client) readGraphQL(what string, field []string, a answer, body []byte) *check.GraphQLAnswer {
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []graphQLError  `json:"errors"`
	}
	g := &check.GraphQLAnswer{NullAt: -1}
	if err := json.Unmarshal(body, &r); err != nil || (len(r.Data) == 0 && len(r.Errors) == 0) {
		return g
	}
	if len(r.Errors) == 0 && !bytes.HasPrefix(bytes.TrimSpace(r.Data), []byte("{")) {
		return g
	}
	g.Valid = true
	value, nullAt := dig(r.Data, field)
	g.FieldObject = nullAt < 0 && bytes.HasPrefix(value, []byte("{"))
	g.NullAt = nullAt
	for _, e := range r.Errors {
		ge := check.GraphQLError{
			Type: transport.CleanText(e.Type, 100), Message: transport.CleanText(e.Message, 300),
			AtField: e.atField(field), SAMLFailure: e.Extensions.SAMLFailure,
			AtRoot: len(e.Path) == 1 && e.Path[0] == field[0],
		}
		if ref, ok := ParsePolicyRefusal(e.Message); ok {
			ge.Policy, ge.PolicyKind, ge.PolicyURL = true, ref.Policy, ref.URL
		}
		if g.RateLimit == nil && (e.Type == "RATE_LIMITED" || e.Type == "RATE_LIMIT" || strings.Contains(strings.ToLower(e.Message), "rate limit")) {
			g.RateLimit = c.rateLimitProblem(what, transport.CleanText(e.Message, 300), a.header)
		}
		g.Errors = append(g.Errors, ge)
	}
	return g
}

// dig follows field through GraphQL data and returns the value at its end,
// with nullAt -1; or, when a step is null or absent, the index of that step.
func dig(data json.RawMessage, field []string) (value json.RawMessage, nullAt int) {
	value = data
	for i, name := range field {
		var obj map[string]json.RawMessage
		if json.Unmarshal(value, &obj) != nil {
			return nil, i
		}
		v, ok := obj[name]
		if !ok || string(v) == "null" {
			return nil, i
		}
		value = v
	}
	return bytes.TrimSpace(value), -1
}
