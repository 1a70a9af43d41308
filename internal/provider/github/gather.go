// Package github gathers facts about a token from the GitHub REST API
// (github.com, GitHub Enterprise Server and GHE.com): whether it is accepted,
// the account, its scopes and expiry, whether it reaches the listed
// repositories and organizations, and its fine-grained permissions (one of
// them through a GraphQL query). It decides nothing: the check package does.
package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v62/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

// Concurrency bounds the requests in flight at once. GitHub allows up to
// 100 concurrent requests (docs "Rate limits for the REST API", secondary
// rate limits); 64 keeps well below it and still sends the 32 probes of 8
// permissions on 4 repositories and the 4 repository requests in one round
// trip after the token's own (the read probes that confirm a 404 follow
// their probe, and take the slots the first answers free).
const Concurrency = 64

// limited lets at most cap(slots) requests through at once. It is the one
// bound on the requests: it sits on the client every request goes
// through, so it counts what GitHub counts, the read probe a permission
// check sends beside its own probe included, and a request keeps its slot
// through its retries, until its answer's headers arrive (the body, at most
// a few KiB here, is read after). The checks themselves start at once (Facts); those
// beyond the bound wait here for a slot.
type limited struct {
	next  http.RoundTripper
	slots chan struct{}
}

func (l limited) RoundTrip(req *http.Request) (*http.Response, error) {
	select {
	case l.slots <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	defer func() { <-l.slots }()
	return l.next.RoundTrip(req)
}

// Client asks one GitHub API about one token.
type Client struct {
	gh *gh.Client
	// graphQL is the server's GraphQL endpoint, on the REST API's host, and
	// graphQLClient the client that asks it: go-github keeps its rate-limit
	// state per client and files /api/graphql (GitHub Enterprise Server)
	// under the REST limit, so GraphQL's exhausted limit must not stop the
	// REST requests. Both share one credentialed transport.
	graphQL       *url.URL
	graphQLClient *gh.Client
	now           func() time.Time
	kind          token.Kind
	names         finding.Namer

	mu    sync.Mutex
	calls map[string]*call
}

// New returns a client for the API at apiURL (with a trailing slash) that
// sends tok to that host only.
func New(apiURL, tok, version string, o transport.Options) (*Client, error) {
	u, err := url.Parse(apiURL)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", o.Names.Opt("api-url"), err)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	o = o.WithDefaults()
	hc := transport.NewClient([]*url.URL{u}, "Bearer "+tok, o)
	hc.Transport = limited{next: hc.Transport, slots: make(chan struct{}, Concurrency)}
	newClient := func() *gh.Client {
		c := gh.NewClient(hc)
		c.BaseURL = u
		c.UserAgent = "pat-check/" + version
		return c
	}
	return &Client{gh: newClient(), graphQL: graphQLURL(u), graphQLClient: newClient(), now: o.Now, names: o.Names}, nil
}

// Facts gathers what the API says about the token: first the token itself,
// then, once it is accepted, every repository, organization and permission
// probe at once.
func (c *Client) Facts(ctx context.Context, kind token.Kind, req check.Requirements) check.Facts {
	f := check.Facts{Kind: kind, Checked: true}
	c.kind = kind
	f.Repositories = make([]check.Resource, len(req.Repositories))
	f.Organizations = make([]check.Resource, len(req.Organizations))

	// The token is asked about first, alone: every other request depends on
	// it being accepted, and a burst of requests with bad credentials makes
	// GitHub refuse even good ones for a while. A check of the token alone
	// (scopes, expiry) stays one round trip; anything more takes two.
	c.identity(ctx, &f)
	if !f.Accepted {
		return f
	}
	// Every request records its own failure in the facts. The checks all
	// start at once; the client's transport (limited) bounds the requests
	// in flight.
	var wg sync.WaitGroup
	for i, r := range req.Repositories {
		wg.Go(func() { f.Repositories[i] = c.repository(ctx, r) })
	}
	for i, o := range req.Organizations {
		wg.Go(func() { f.Organizations[i] = c.organization(ctx, o) })
	}
	jobs := permissionJobs(req)
	f.Permissions = make([]check.PermissionFact, len(jobs))
	for i, j := range jobs {
		wg.Go(func() { f.Permissions[i] = c.permission(ctx, j) })
	}
	extra, unprobed := excessJobs(kind, req)
	f.ExcessUnprobed = unprobed
	f.ExcessPermissions = make([]check.PermissionFact, len(extra))
	for i, j := range extra {
		wg.Go(func() { f.ExcessPermissions[i] = c.permission(ctx, j) })
	}
	wg.Wait()
	return f
}

// answer is one API response reduced to what decisions need.
type answer struct {
	status  int
	header  http.Header
	message string
	err     error
}

// toAnswer reads go-github's typed errors (ErrorResponse, RateLimitError,
// AbuseRateLimitError) back into a status, headers and GitHub's message:
// the verdicts read the X-GitHub-SSO, X-Accepted-GitHub-Permissions and
// rate-limit headers of any refusal, which the typed errors keep only in
// their Response, and a rate-limit 403 must be told from a permission 403
// by those headers, not by the error's type alone.
func toAnswer(resp *gh.Response, err error) answer {
	a := answer{err: err}
	if resp != nil && resp.Response != nil {
		a.status = resp.StatusCode
		a.header = resp.Header
	}
	var er *gh.ErrorResponse
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	switch {
	case errors.As(err, &er):
		a.message = er.Message
		a.err = nil
	case errors.As(err, &rl):
		a.message = rl.Message
		a.err = nil
	case errors.As(err, &ab):
		a.message = ab.Message
		a.err = nil
	}
	if a.header == nil {
		a.header = http.Header{}
	}
	a.message = transport.CleanText(a.message, 300)
	if a.err != nil && !errors.Is(err, transport.ErrOffHost) && a.status >= 300 {
		// An error body that does not decode still leaves a status worth
		// reading. A success that does not decode stays an error: a 200
		// sign-in page from a proxy must never pass for GitHub's answer.
		a.err = nil
	}
	return a
}

// rateLimited tells a rate-limit answer from a permission 403 by its headers.
func (a answer) rateLimited() bool {
	if a.status != http.StatusForbidden && a.status != http.StatusTooManyRequests {
		return false
	}
	if a.status == http.StatusTooManyRequests || a.header.Get("X-RateLimit-Remaining") == "0" || a.header.Get("Retry-After") != "" {
		return true
	}
	return strings.Contains(strings.ToLower(a.message), "rate limit")
}

// problem turns a failed request into an inconclusive fact, or nil when the
// answer was a real verdict.
func (c *Client) problem(what string, a answer) *check.APIProblem {
	switch {
	case a.err != nil && a.status >= 200 && a.status < 300:
		return &check.APIProblem{What: what, Message: fmt.Sprintf("the API answered %d with a body that is not GitHub's JSON (is %s right?)", a.status, c.names.Opt("api-url"))}
	case a.err != nil:
		return &check.APIProblem{What: what, Message: transport.Describe(a.err, c.names)}
	case a.rateLimited():
		return c.rateLimitProblem(what, a.message, a.header)
	case a.status >= 500 || a.status == 0:
		return &check.APIProblem{What: what, Message: a.describe()}
	}
	return nil
}

// rateLimitProblem is an exhausted rate limit, with when it resets as the
// headers tell it.
func (c *Client) rateLimitProblem(what, message string, h http.Header) *check.APIProblem {
	p := &check.APIProblem{What: what, RateLimited: true, Message: message}
	if n, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil && n > 0 {
		p.ResetAt = time.Unix(n, 0).UTC()
	} else if d, ok := transport.RetryAfter(h, c.now()); ok {
		p.ResetAt = c.now().Add(d).UTC()
	}
	return p
}

// describe says what the API answered, quoting its message.
func (a answer) describe() string {
	msg := fmt.Sprintf("the API answered %d %s", a.status, http.StatusText(a.status))
	if a.message != "" {
		msg += fmt.Sprintf(" (%q)", a.message)
	}
	return msg
}

// identity asks who the token is: GET /user for personal and OAuth tokens,
// GET /installation/repositories for installation tokens (which get 403 on
// /user). One request: the same answer carries the scopes and the expiry.
func (c *Client) identity(ctx context.Context, f *check.Facts) {
	if f.Kind == token.AppInstallation {
		c.installation(ctx, f)
		return
	}
	user, resp, err := c.gh.Users.Get(ctx, "")
	a, open := c.identityAnswer(f, "GET /user", resp, err)
	if !open {
		return
	}
	switch {
	case a.status == http.StatusForbidden && strings.Contains(strings.ToLower(a.message), "integration"):
		// An installation token whose format did not say so.
		c.installation(ctx, f)
	case a.status >= 200 && a.status < 300 && user.GetLogin() == "":
		// 200 {} or 200 null: whatever answered, it was not GitHub telling
		// who the token is, and an unknown answer is never a pass.
		f.Problems = append(f.Problems, check.APIProblem{What: "GET /user", Message: fmt.Sprintf(
			"the API answered %d without an account: that is not GitHub's answer (is %s right, or is a proxy in the way?)", a.status, c.names.Opt("api-url"))})
	case a.status >= 200 && a.status < 300 && scopesAlwaysSent(f.Kind) && a.header.Values("X-OAuth-Scopes") == nil:
		// GitHub sends X-OAuth-Scopes to every classic and OAuth token
		// (empty when it has none): without it the scopes are unknown, not
		// absent, and a required scope must not turn into a warning.
		f.Problems = append(f.Problems, check.APIProblem{What: "GET /user", Message: fmt.Sprintf(
			"the API answered %d without X-OAuth-Scopes, which GitHub sends for every %s token: a proxy may have removed it, or %s is not GitHub", a.status, f.Kind, c.names.Opt("api-url"))})
	case a.status >= 200 && a.status < 300:
		f.Accepted = true
		f.Login = transport.CleanText(user.GetLogin(), 100)
		c.readTokenHeaders(a.header, f)
	default:
		f.Problems = append(f.Problems, check.APIProblem{What: "GET /user", Message: a.describe()})
	}
}

// scopesAlwaysSent: the kinds of token whose every answer carries
// X-OAuth-Scopes (docs "Scopes for OAuth apps": the header lists a classic
// or OAuth token's scopes; fine-grained and App tokens have no scope model,
// so its absence for them says nothing).
func scopesAlwaysSent(k token.Kind) bool { return k == token.Classic || k == token.OAuth }

// identityAnswer reads the answer to a request that asks who the token is.
// What settles it is recorded in f, and open is false: a problem (network,
// rate limit, 5xx) or a 401 (the token is invalid). Otherwise the caller
// reads the answer.
func (c *Client) identityAnswer(f *check.Facts, what string, resp *gh.Response, err error) (a answer, open bool) {
	a = toAnswer(resp, err)
	if p := c.problem(what, a); p != nil {
		f.Problems = append(f.Problems, *p)
		return a, false
	}
	if a.status == http.StatusUnauthorized {
		f.Invalid, f.InvalidMessage = true, a.message
		return a, false
	}
	return a, true
}

func (c *Client) readTokenHeaders(h http.Header, f *check.Facts) {
	if v, ok := h[http.CanonicalHeaderKey("X-OAuth-Scopes")]; ok {
		f.ScopesKnown = true
		f.Scopes = ParseScopes(strings.Join(v, ","))
	}
	if v := h.Get("GitHub-Authentication-Token-Expiration"); v != "" {
		if t, err := ParseExpiration(v); err == nil {
			f.Expiry = check.Expiry{Known: true, At: t}
		}
		// An unreadable value leaves the expiry unknown: never a guess.
		return
	}
	if f.Kind == token.Classic || f.Kind == token.FineGrained {
		// GitHub sends the header for every personal token that expires.
		f.Expiry = check.Expiry{Known: true, Never: true}
	}
}

func (c *Client) installation(ctx context.Context, f *check.Facts) {
	list, resp, err := c.gh.Apps.ListRepos(ctx, &gh.ListOptions{PerPage: 100})
	a, open := c.identityAnswer(f, "GET /installation/repositories", resp, err)
	if !open {
		return
	}
	switch {
	case a.status >= 200 && a.status < 300 && list == nil:
		// A 204, or a body that is not a list: not GitHub's answer.
		f.Problems = append(f.Problems, check.APIProblem{What: "GET /installation/repositories", Message: fmt.Sprintf("HTTP %d without a list of repositories", a.status)})
	case a.status >= 200 && a.status < 300:
		f.Accepted = true
		if list == nil {
			// A 2xx without a body (204) lists nothing: go-github leaves
			// the list nil.
			list = &gh.ListRepositories{}
		}
		for _, r := range list.Repositories {
			f.InstallationRepositories = append(f.InstallationRepositories, transport.CleanText(r.GetFullName(), 200))
		}
		f.InstallationRepositoryCount = max(list.GetTotalCount(), len(f.InstallationRepositories))
		c.readTokenHeaders(a.header, f)
	default:
		f.Problems = append(f.Problems, check.APIProblem{What: "GET /installation/repositories", Message: a.describe()})
	}
}

// refusal reads a 403/404 about a resource into the Resource.
func (c *Client) refusal(r *check.Resource, a answer) {
	switch a.status {
	case http.StatusNotFound:
		r.Access = check.AccessNotFound
	case http.StatusForbidden:
		if sso := ParseSSO(a.header.Get("X-GitHub-SSO")); sso.Required {
			r.Access = check.AccessSSO
			r.SSOURL = sso.URL
			r.Org = orgFromSSOURL(sso.URL)
			return
		}
		if ref, ok := ParsePolicyRefusal(a.message); ok {
			r.Access = check.AccessPolicy
			r.Message = a.message
			r.PolicyURL, r.PolicyKind = ref.URL, ref.Policy
			return
		}
		r.Access = check.AccessForbidden
		r.Message = a.message
		if v := a.header.Get("X-Accepted-GitHub-Permissions"); v != "" {
			r.AcceptedPermissions = FormatAcceptedPermissions(ParseAcceptedPermissions(v))
		}
	case http.StatusUnauthorized:
		r.Access = check.AccessFailed
		r.Problem = &check.APIProblem{What: "GET " + r.Name, Message: "the API rejected the credentials for this request"}
	default:
		r.Access = check.AccessFailed
		r.Problem = &check.APIProblem{What: "GET " + r.Name, Message: a.describe()}
	}
}

// orgFromSSOURL reads ORG from https://HOST/orgs/ORG/sso?….
func orgFromSSOURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(p.Path, "/"), "/")
	if len(parts) >= 2 && parts[0] == "orgs" {
		return transport.CleanText(parts[1], 40)
	}
	return ""
}

// repository asks GET /repos/{owner}/{name}, through the shared calls so
// that the metadata probe, which is the same request, is not sent again.
func (c *Client) repository(ctx context.Context, full string) check.Resource {
	r := check.Resource{Name: full}
	owner, _, _ := strings.Cut(full, "/")
	a, body := c.send(ctx, "GET", "repos/"+full, "")
	if p := c.problem("GET /repos/"+full, a); p != nil {
		r.Access, r.Problem = check.AccessFailed, p
		return r
	}
	if a.status >= 200 && a.status < 300 {
		var repo struct {
			Private bool `json:"private"`
		}
		if json.Unmarshal(body, &repo) != nil {
			r.Access, r.Problem = check.AccessFailed, &check.APIProblem{What: "GET /repos/" + full, Message: "the answer is not GitHub's JSON"}
			return r
		}
		r.Access = check.AccessOK
		r.Private = repo.Private
		return r
	}
	c.refusal(&r, a)
	if r.Org == "" && (r.Access == check.AccessSSO || r.Access == check.AccessPolicy) {
		r.Org = owner
	}
	return r
}

// organization checks one organization through a listing of its
// repositories: a single-organization resource, so SAML SSO and token
// policies answer there, while it needs no scope of its own.
func (c *Client) organization(ctx context.Context, org string) check.Resource {
	r := check.Resource{Name: org, Org: org}
	_, resp, err := c.gh.Repositories.ListByOrg(ctx, org, &gh.RepositoryListByOrgOptions{ListOptions: gh.ListOptions{PerPage: 1}})
	a := toAnswer(resp, err)
	if p := c.problem("GET /orgs/"+org+"/repos", a); p != nil {
		r.Access, r.Problem = check.AccessFailed, p
		return r
	}
	if a.status >= 200 && a.status < 300 {
		r.Access = check.AccessOK
		return r
	}
	c.refusal(&r, a)
	if r.Org == "" {
		r.Org = org
	}
	return r
}
