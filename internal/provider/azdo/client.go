// Package azdo gathers facts about an Azure DevOps personal access token
// from the organization's own hosts, with the official Go client: whether
// connectionData accepts it, the user, the granted scopes (a header, the
// user's token list, or read probes) and the expiry (the token list). It
// decides nothing: the check package does.
package azdo

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"

	"github.com/microsoft/azure-devops-go-api/azuredevops/v7"
	"github.com/microsoft/azure-devops-go-api/azuredevops/v7/location"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

// connectionDataPath is connectionData on the organization's URL.
const connectionDataPath = "_apis/connectionData?connectOptions=0&api-version=7.1-preview.1"

// Client asks one Azure DevOps organization about one token.
type Client struct {
	org    azplatform.Org
	client *azuredevops.Client
	now    func() time.Time
	names  finding.Namer
}

// New returns a client whose requests go only to the organization's hosts,
// with the PAT as Basic credentials and fed-auth redirects suppressed.
func New(org azplatform.Org, pat, version string, o transport.Options) *Client {
	o = o.WithDefaults()
	auth := "Basic " + base64.StdEncoding.EncodeToString([]byte(":"+pat))
	hc := transport.NewClient(org.Sites(), auth, o)
	// The connection carries no credential of its own: the transport adds
	// it, and only for the organization's hosts.
	conn := azuredevops.NewAnonymousConnection(org.BaseURL)
	conn.UserAgent = "pat-check/" + version
	return &Client{org: org, client: azuredevops.NewClientWithOptions(conn, conn.BaseUrl, azuredevops.WithHTTPClient(hc)), now: o.Now, names: o.Names}
}

// Query is what the run needs to know beyond the requirements.
type Query struct {
	Scopes    []string
	Project   string
	TokenName string
}

// Facts asks connectionData first, alone, as GitHub's check asks GET /user
// first: every other request depends on the token being accepted, and a
// rejected token is then sent once rather than in a burst. Once it is
// accepted, the token list and the read probes go out at once: two round
// trips in all.
func (c *Client) Facts(ctx context.Context, q Query) check.Facts {
	f := check.Facts{Kind: token.AzureDevOps, Platform: azplatform.Platform, Checked: true}
	scopes := c.connectionData(ctx, &f)
	if !f.Accepted {
		return f
	}
	var (
		wg     sync.WaitGroup
		list   tokenList
		probes []check.ScopeFact
	)
	wg.Add(2)
	go func() { defer wg.Done(); list = c.tokenList(ctx) }()
	go func() { defer wg.Done(); probes = c.scopeProbes(ctx, q) }()
	wg.Wait()
	if scopes != nil {
		f.ScopesKnown, f.Scopes = true, scopes
	}
	c.useTokenList(&f, list, q.TokenName)
	if !f.ScopesKnown {
		f.ScopeProbes = probes
	}
	return f
}

// answer is a response reduced to what decisions need.
type answer struct {
	status  int
	header  http.Header
	body    []byte
	message string
	typeKey string
	err     error
}

func toAnswer(resp *http.Response, err error) answer {
	a := answer{header: http.Header{}}
	if resp != nil {
		a.status, a.header = resp.StatusCode, resp.Header
		if resp.Body != nil {
			a.body, _ = io.ReadAll(io.LimitReader(resp.Body, transport.MaxBody))
			resp.Body.Close()
		}
	}
	var we azuredevops.WrappedError
	var wp *azuredevops.WrappedError
	switch {
	case errors.As(err, &wp):
		we = *wp
	case errors.As(err, &we):
	default:
		if err != nil && a.status == 0 {
			a.err = err
		}
		return a
	}
	if we.StatusCode != nil {
		a.status = *we.StatusCode
	}
	if we.Message != nil {
		a.message = transport.CleanText(*we.Message, 300)
	}
	if we.TypeKey != nil {
		a.typeKey = *we.TypeKey
	}
	return a
}

// signIn reports a fed-auth sign-in page: a 203, or HTML where JSON belongs.
// The Go client takes a 203 for success; it is a refusal.
func (a answer) signIn() bool {
	return a.status == http.StatusNonAuthoritativeInfo || strings.Contains(strings.ToLower(a.header.Get("Content-Type")), "text/html")
}

func (c *Client) problem(what string, a answer) *check.APIProblem {
	switch {
	case a.err != nil:
		return &check.APIProblem{What: what, Message: transport.Describe(a.err, c.names)}
	case a.status == http.StatusTooManyRequests:
		p := &check.APIProblem{What: what, RateLimited: true, Message: a.message}
		if d, ok := transport.RetryAfter(a.header, c.now()); ok {
			p.ResetAt = c.now().Add(d)
		}
		return p
	case a.status >= 500:
		msg := fmt.Sprintf("the API answered %d %s", a.status, http.StatusText(a.status))
		if a.message != "" {
			msg += fmt.Sprintf(" (%q)", a.message)
		}
		return &check.APIProblem{What: what, Message: msg}
	}
	return nil
}

// connectionData asks who the token is, on the organization's URL: its
// path is fixed, so the Go client's resource-location discovery (an extra
// round trip) is not needed, and the answer's headers stay readable. It
// returns the scopes when the service tells them (x-vss-token-scopes).
func (c *Client) connectionData(ctx context.Context, f *check.Facts) []string {
	a := c.get(ctx, "", connectionDataPath)
	if p := c.problem("GET _apis/connectionData", a); p != nil {
		f.Problems = append(f.Problems, *p)
		return nil
	}
	switch {
	case a.status == http.StatusUnauthorized && a.expired():
		f.Expired, f.InvalidMessage = true, a.message
		return nil
	case a.status == http.StatusUnauthorized, a.signIn():
		f.Invalid, f.InvalidMessage = true, a.message
		if a.signIn() {
			f.InvalidMessage = "the service answered with a sign-in page instead of data"
		}
		return nil
	case a.status < 200 || a.status >= 300:
		msg := fmt.Sprintf("the API answered %d", a.status)
		if a.message != "" {
			msg += fmt.Sprintf(" (%q)", a.message)
		}
		f.Problems = append(f.Problems, check.APIProblem{What: "GET _apis/connectionData", Message: msg})
		return nil
	}
	var cd location.ConnectionData
	if json.Unmarshal(a.body, &cd) != nil || cd.AuthenticatedUser == nil {
		f.Problems = append(f.Problems, check.APIProblem{What: "GET _apis/connectionData", Message: "the answer is not Azure DevOps' connection data (is " + c.names.Opt("organization") + " right?)"})
		return nil
	}
	if u := cd.AuthenticatedUser; u.Id != nil && strings.HasPrefix(u.Id.String(), "aaaaaaaa-") {
		// The anonymous identity: the credentials were not taken.
		f.Invalid, f.InvalidMessage = true, "the service treated the request as anonymous"
		return nil
	}
	f.Accepted = true
	f.Login = login(cd, a.header.Get("X-VSS-UserData"))
	if v, ok := a.header[http.CanonicalHeaderKey("x-vss-token-scopes")]; ok {
		return scopeList(strings.Join(v, " "))
	}
	return nil
}

// expired reads the "has expired" answer from the message or from
// X-TFS-ServiceError (URL-encoded); a type key alone is not enough, as a
// revoked token gets the same one.
func (a answer) expired() bool {
	text := a.message
	if v := a.header.Get("X-TFS-ServiceError"); v != "" {
		if d, err := url.QueryUnescape(v); err == nil {
			v = d
		}
		text += " " + v
	}
	return strings.Contains(strings.ToLower(text), "has expired")
}

// plainRefusal is the bare 401 a scope-gated endpoint answers when the
// token lacks the scope: no body, no type key.
func (a answer) plainRefusal() bool {
	return a.status == http.StatusUnauthorized && a.typeKey == "" &&
		(a.message == "" || strings.HasPrefix(a.message, "Request returned status"))
}

// tokenRefused is a 401 that refuses the token itself rather than a scope:
// TF400813 naming the anonymous user (” or the aaaaaaaa-… id), or the "has
// expired" answer. A TF400813 naming the user's own id is how a missing
// scope reads, once connectionData has accepted the token.
func (a answer) tokenRefused() bool {
	if a.status != http.StatusUnauthorized {
		return false
	}
	m := strings.ToLower(a.message)
	return a.expired() || strings.Contains(m, "tf400813") && (strings.Contains(m, "user ''") || strings.Contains(m, "aaaaaaaa-"))
}

// login is the user's display name, else the e-mail of X-VSS-UserData
// ("{userId}:{email}").
func login(cd location.ConnectionData, userData string) string {
	if u := cd.AuthenticatedUser; u != nil && u.ProviderDisplayName != nil && *u.ProviderDisplayName != "" {
		return transport.CleanText(*u.ProviderDisplayName, 100)
	}
	if _, email, ok := strings.Cut(userData, ":"); ok {
		return transport.CleanText(email, 100)
	}
	return ""
}

// scopeList keeps only scope-shaped entries of a scope list from the network.
func scopeList(v string) []string {
	out := []string{}
	for _, s := range azplatform.ParseScopes(v) {
		if isScopeName(s) {
			out = append(out, s)
		}
	}
	return out
}

func isScopeName(s string) bool {
	if len(s) == 0 || len(s) > 60 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return false
		}
	}
	return true
}

// get sends a GET to one of the organization's services through the
// official client (its headers: fed-auth suppressed, user agent).
func (c *Client) get(ctx context.Context, service, path string) answer {
	u := strings.TrimSuffix(c.org.ServiceURL(service), "/") + "/" + path
	req, err := c.client.CreateRequestMessage(ctx, http.MethodGet, u, "", nil, "", "application/json", nil)
	if err != nil {
		return answer{err: err, header: http.Header{}}
	}
	return toAnswer(c.client.SendRequest(req))
}

// send sends a write probe: a request aimed at an id that cannot exist,
// with a body that changes nothing (see scopeProbes).
func (c *Client) send(ctx context.Context, method, service, path, body, mediaType string) answer {
	u := strings.TrimSuffix(c.org.ServiceURL(service), "/") + "/" + path
	req, err := c.client.CreateRequestMessage(ctx, method, u, "", strings.NewReader(body), mediaType, "application/json", nil)
	if err != nil {
		return answer{err: err, header: http.Header{}}
	}
	return toAnswer(c.client.SendRequest(req))
}

// tokenEntry is one token of the user's token list.
type tokenEntry struct {
	DisplayName string `json:"displayName"`
	ValidTo     string `json:"validTo"`
	Scope       string `json:"scope"`
	IsValid     bool   `json:"isValid"`
}

// tokenList is the user's tokens, or nil when the list could not be read.
type tokenList []tokenEntry

func (c *Client) tokenList(ctx context.Context) tokenList {
	a := c.get(ctx, "vssps", tokenListPath)
	if a.err != nil || a.status != http.StatusOK || a.signIn() {
		return nil
	}
	var wrapped struct {
		Value []tokenEntry `json:"value"`
	}
	if json.Unmarshal(a.body, &wrapped) == nil && wrapped.Value != nil {
		return wrapped.Value
	}
	var bare []tokenEntry
	if json.Unmarshal(a.body, &bare) == nil {
		return bare
	}
	return nil
}

// nameOrExpiry names the two options that settle the expiry when the token
// list cannot.
func (c *Client) nameOrExpiry() string {
	return c.names.Opt("token-name") + " (the token's name) or " + c.names.Opt("expires-on")
}

// useTokenList finds this token in the user's list: by token-name, else by a
// unique match of the told scopes. Anything else (the only valid token in
// the list included) is ambiguous and leaves the expiry unknown: never
// another token's expiry.
func (c *Client) useTokenList(f *check.Facts, list tokenList, name string) {
	if list == nil {
		// Azure DevOps Server's scope map puts the list under vso.tokens,
		// which also creates and revokes tokens: not a scope to add for this.
		f.Expiry.Note = "the user's token list could not be read (it needs the Tokens scope, vso.tokens, which also manages the user's tokens: " +
			"rather than grant it, give the expiry date as " + c.names.Opt("expires-on") + ")"
		return
	}
	var valid []tokenEntry
	for _, e := range list {
		if e.IsValid {
			valid = append(valid, e)
		}
	}
	// The token itself may be missing from the list (a token for all
	// organizations is listed elsewhere): being the only valid token proves
	// nothing, so only a name or the told scopes identify it.
	var matches []tokenEntry
	how := ""
	switch {
	case name != "":
		how = fmt.Sprintf("named %q", name)
		for _, e := range valid {
			if strings.EqualFold(strings.TrimSpace(e.DisplayName), name) {
				matches = append(matches, e)
			}
		}
		if len(matches) == 1 && f.ScopesKnown && !slices.Equal(sorted(scopeList(matches[0].Scope)), sorted(f.Scopes)) {
			f.Expiry.Note = fmt.Sprintf("the token named %q in the user's token list has other scopes than this token, so it is another token; check %s", name, c.names.Opt("token-name"))
			return
		}
	case f.ScopesKnown:
		how = "with these scopes"
		want := sorted(f.Scopes)
		for _, e := range valid {
			if slices.Equal(sorted(scopeList(e.Scope)), want) {
				matches = append(matches, e)
			}
		}
	default:
		f.Expiry.Note = fmt.Sprintf("the user's token list has %s and nothing tells which is this one; give %s", countTokens(len(valid), "valid token"), c.nameOrExpiry())
		return
	}
	if len(matches) != 1 {
		f.Expiry.Note = fmt.Sprintf("the user's token list has %s %s, so it cannot tell which is this one; give %s", countTokens(len(matches), "token"), how, c.nameOrExpiry())
		return
	}
	e := matches[0]
	at, err := time.Parse(time.RFC3339Nano, e.ValidTo)
	if err != nil {
		f.Expiry.Note = "the token list gives an expiry pat-check cannot read"
	} else {
		f.Expiry = check.Expiry{Known: true, At: at.UTC(), Source: "token-list"}
	}
	if !f.ScopesKnown {
		f.ScopesKnown, f.Scopes = true, scopeList(e.Scope)
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

// includedOf is every scope a scope includes (the docs' inclusion chains).
func includedOf(scope string) []string { return azplatform.Included(scope) }

// scopeProbes proves what it can of the required scopes, one request per
// probed scope, all at once: a scope's own probe, else the probe of a scope
// it includes.
func (c *Client) scopeProbes(ctx context.Context, q Query) []check.ScopeFact {
	answers := map[string]answer{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, s := range q.Scopes {
		probed, p, ok := probeFor(s, includedOf(s))
		if !ok || (p.project && q.Project == "") {
			continue
		}
		mu.Lock()
		_, started := answers[probed]
		answers[probed] = answer{}
		mu.Unlock()
		if started {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := strings.ReplaceAll(p.path, "{project}", url.PathEscape(q.Project))
			var a answer
			if p.write() {
				a = c.send(ctx, p.method, p.service, path, p.body, p.mediaType)
			} else {
				a = c.get(ctx, p.service, path)
			}
			mu.Lock()
			answers[probed] = a
			mu.Unlock()
		}()
	}
	wg.Wait()
	var out []check.ScopeFact
	for _, s := range q.Scopes {
		out = append(out, c.readScope(s, q.Project, answers))
	}
	return out
}

// readScope records what the probe answered for one scope.
func (c *Client) readScope(scope, project string, answers map[string]answer) check.ScopeFact {
	sf := check.ScopeFact{Scope: scope}
	_, _, known := azplatform.Family(scope)
	probed, p, has := probeFor(scope, includedOf(scope))
	switch {
	case scope == azplatform.FullAccess:
		return sf
	case !known:
		sf.NoProbe = "unknown"
		return sf
	case !has:
		sf.NoProbe = "no-request"
		return sf
	case p.project && project == "":
		sf.NoProbe = "no-project"
		return sf
	}
	a := answers[probed]
	sf.Probed, sf.ProbedScope, sf.Write = true, probed, p.write()
	if p.project {
		sf.Project = project
	}
	method := p.method
	if method == "" {
		method = http.MethodGet
	}
	what := method + " " + strings.SplitN(p.path, "?", 2)[0]
	sf.Answer = check.AzureAnswer{Status: a.status, Problem: c.problem(what, a), SignIn: a.signIn(), PlainRefusal: a.plainRefusal(),
		TokenRefused: a.tokenRefused(), Message: a.message}
	return sf
}

// countTokens is "1 valid token", "2 valid tokens".
func countTokens(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
