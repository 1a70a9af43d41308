package github

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
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

// readGraphQL reads the 200 answer of a GraphQL probe into f: granted when
// the data holds field (an object), missing for a FORBIDDEN "Resource not
// accessible by …" at field. An organization's refusal (SAML SSO, a
// token policy) and the rate limit are told apart as for REST answers; a
// repository GraphQL cannot find is left for the repository's own request
// to explain. Anything else leaves the permission unverified, with the
// reason: never a guess. It reports whether the permission was granted.
func (c *Client) readGraphQL(what string, field []string, a answer, body []byte, f *check.PermissionFact) bool {
	unverified := func(reason string, args ...any) bool {
		f.State, f.Reason = check.PermUnverified, fmt.Sprintf(reason, args...)
		return false
	}
	var r struct {
		Data   json.RawMessage `json:"data"`
		Errors []graphQLError  `json:"errors"`
	}
	if err := json.Unmarshal(body, &r); err != nil || (len(r.Data) == 0 && len(r.Errors) == 0) {
		return unverified("the GraphQL API's answer is not GitHub's GraphQL JSON")
	}
	if len(r.Errors) == 0 {
		if !bytes.HasPrefix(bytes.TrimSpace(r.Data), []byte("{")) {
			return unverified("the GraphQL API's answer is not GitHub's GraphQL JSON")
		}
		value, nullAt := dig(r.Data, field)
		switch {
		case nullAt < 0 && bytes.HasPrefix(value, []byte("{")):
			f.State = check.PermGranted
			return true
		case nullAt == 0:
			return unverified("GraphQL found no repository %s, although it reported no error", f.Target)
		}
		return unverified("the GraphQL answer has no %s and no error", strings.Join(field, "."))
	}

	for _, e := range r.Errors {
		if e.Type == "RATE_LIMITED" || e.Type == "RATE_LIMIT" || strings.Contains(strings.ToLower(e.Message), "rate limit") {
			f.State, f.Problem = check.PermFailed, c.rateLimitProblem(what, clean(e.Message, 300), a.header)
			return false
		}
	}
	// SAML SSO answers 200 too, with the authorization URL in X-GitHub-SSO
	// as on REST.
	if sso := ParseSSO(a.header.Get("X-GitHub-SSO")); sso.Required && sso.URL != "" {
		f.State, f.SSOURL = check.PermUnreachable, sso.URL
		return false
	}
	for _, e := range r.Errors {
		if e.Extensions.SAMLFailure {
			return unverified("the organization's SAML single sign-on refused the query (%q), and GitHub gave no URL to authorize the token", clean(e.Message, 200))
		}
	}
	for _, e := range r.Errors {
		if policy, u := PolicyRefusal(e.Message); policy && e.Type == "FORBIDDEN" {
			f.State, f.Policy, f.PolicyURL = check.PermUnreachable, clean(e.Message, 300), u
			return false
		}
	}
	for _, e := range r.Errors {
		if e.Type == "NOT_FOUND" && len(e.Path) == 1 && e.Path[0] == field[0] {
			// The repository's own request says why it cannot be reached;
			// if it was reached, the two APIs disagree and nothing is proven.
			return unverified("GraphQL cannot find the repository %s that the REST API reached (%q)", f.Target, clean(e.Message, 200))
		}
	}
	for _, e := range r.Errors {
		if e.Type == "FORBIDDEN" && e.atField(field) && strings.Contains(strings.ToLower(e.Message), "not accessible by") {
			f.State, f.Message = check.PermMissing, clean(e.Message, 300)
			return false
		}
	}
	for _, e := range r.Errors {
		if e.Type == "FORBIDDEN" {
			return unverified("GraphQL refused the query, but not at %s, so the refusal proves nothing of this permission (%q)",
				strings.Join(field, "."), clean(e.Message, 200))
		}
	}
	e := r.Errors[0]
	return unverified("the GraphQL API answered an error pat-check does not recognise (%s: %q)", clean(e.Type, 40), clean(e.Message, 200))
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
