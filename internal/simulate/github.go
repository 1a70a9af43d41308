// Package simulate holds simulated forge APIs for the demo command and the
// tests, so that nothing in the project needs the real network.
//
// GitHub is a small, stateless imitation of the GitHub REST API: it answers
// the handful of endpoints pat-check calls, with the headers, status codes and
// error bodies GitHub is documented (or observed) to send, and it can be told
// to misbehave (server errors, rate limits, redirects, latency). It never
// changes its own state in response to a request: it records the request and
// answers it, so a test can rely on the setup it wrote.
//
// Beside the REST API it serves the one GraphQL query pat-check sends, the
// discussions probe, at the path GitHub gives its GraphQL API (/graphql, or
// /api/graphql beside a REST API at /api/v3), answering 200 with GraphQL's
// "errors" for refusals as GitHub does.
//
// It also imitates fine-grained permissions, for the requests that probe
// them: the reads of each permission (commits for contents, pulls for
// pull_requests, orgs/{org}/teams for members, user/emails for emails, …) and
// the writes designed to fail (a pull request without head or base, an empty
// edit of a label that does not exist, …). Fine-grained and installation
// tokens hold exactly their Token.Grants; classic and OAuth tokens get
// permissions from their scopes; public data of public repositories is
// readable by every valid token. A token that lacks a permission gets 403
// with X-Accepted-GitHub-Permissions, as on GitHub.
//
// Every non-GET request that could have changed something on a real GitHub,
// for a token holding the permission, is recorded as a violation (see
// Violations): a write whose failure the simulator cannot prove, or a GraphQL
// document other than the discussions probe (a mutation among them),
// whatever the token, the setup or the faults. Tests of a client
// assert that there is none.
package simulate

import (
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"time"
)

// GitHub is a simulated GitHub REST API. Safe for concurrent use: the setup
// methods may be called while requests are being served.
//
// The zero value is not usable; call NewGitHub.
type GitHub struct {
	mu sync.Mutex

	basePath string
	latency  time.Duration
	now      func() time.Time

	tokens    map[string]Token // by exact value
	orgs      map[string]Org   // by lower-cased login
	repos     map[string]*repo // by lower-cased "owner/name"
	repoOrder []string         // keys of repos, in creation order

	failN      int
	failStatus int
	rateN      int
	rateRetry  time.Duration
	exhausted  bool
	secondary  bool
	// accountLimits are the core rate limits counted per account (see
	// SetAccountRateLimit), by lower-cased login.
	accountLimits map[string]int
	redirect      string

	requests   []Request
	violations []string
	record     record // the bound on requests and violations kept
	seq        uint64 // numbers requests, for request and SSO ids
}

// Token is one credential the simulator knows. Logins, organizations and
// repository names are matched case-insensitively, as on GitHub.
type Token struct {
	// Value is the secret sent in the Authorization header.
	Value string
	// Login is the account the token belongs to; "" for installation tokens.
	Login string
	// Scopes is sent as X-OAuth-Scopes, joined with ", ". nil leaves the
	// header out (fine-grained and App tokens); an empty non-nil slice sends
	// it empty (a classic token without scopes).
	Scopes []string
	// Expiration is the raw GitHub-Authentication-Token-Expiration value,
	// e.g. "2027-01-31 23:00:00 UTC"; "" leaves the header out (no expiry).
	Expiration string
	// Revoked makes every request with this token answer 401 Bad credentials.
	Revoked bool
	// Installation marks a GitHub App installation token (ghs_): GET /user
	// answers 403 and GET /installation/repositories lists Repositories.
	// Organization policies and SAML SSO do not apply to it.
	Installation bool
	// FineGrained marks a fine-grained personal access token, which the
	// organization policies treat differently from classic and OAuth tokens.
	FineGrained bool
	// Repositories are the "owner/name" private repositories the token can
	// reach. Every valid token can reach public repositories.
	Repositories []string
	// SSOAuthorized are the organization logins this token is authorized for
	// under SAML single sign-on.
	SSOAuthorized []string
	// Grants are the fine-grained permissions of a FineGrained or
	// Installation token (or of any token whose Scopes is nil), per target:
	// key "owner/repo" for repository permissions, an organization login for
	// organization permissions, "" for account permissions; value: the
	// permission's API name (contents, pull_requests, members, emails, …) →
	// "read", "write" or "admin". A level grants the lower ones; metadata:read
	// is implied on every repository the token can reach. Targets,
	// permissions and levels are matched case-insensitively. Tokens with
	// Scopes get their permissions from the scopes instead: on a reachable
	// repository "repo" gives every repository permission at write; on an
	// organization "admin:org" gives every organization permission at write
	// and "read:org" at read; on the account "user" gives every account
	// permission at write and "read:user" at read.
	Grants map[string]map[string]string
	// Roles are the account's roles on repositories ("owner/name" → read,
	// triage, write, maintain or admin); a repository not listed is the
	// account's own (admin). A route that needs a higher role (webhooks
	// need admin) answers a personal token 404, whatever its permissions,
	// as GitHub hides what the role may not use. Installation tokens have no
	// role.
	Roles map[string]string
}

// Repo is a repository and the state its probes depend on.
type Repo struct {
	// FullName is "owner/name"; the owner may be an Org or a user.
	FullName string
	// Private hides the repository from tokens that do not list it in
	// Token.Repositories.
	Private bool
	// Empty makes the commits listing answer 409 "Git Repository is empty.".
	Empty bool
	// Pages gives the repository a GitHub Pages site: GET pages answers 200
	// instead of 404.
	Pages bool
}

// Org is an organization and the token policies it enforces.
type Org struct {
	// Login is the organization's name, e.g. "acme".
	Login string
	// SSO enforces SAML single sign-on: a token not authorized for the org
	// gets 403 with X-GitHub-SSO on org resources and on its private repos.
	SSO bool
	// ForbidClassic refuses personal access tokens (classic) and OAuth
	// tokens: everything that is neither FineGrained nor Installation.
	ForbidClassic bool
	// ForbidFineGrained refuses fine-grained personal access tokens.
	ForbidFineGrained bool
	// MaxLifetimeDays, when > 0, refuses fine-grained tokens that expire
	// more than that many days after the simulator's clock, or never.
	MaxLifetimeDays int
}

// Request is one request as the simulator received it.
type Request struct {
	// Method is the HTTP method, e.g. "GET".
	Method string
	// Path is the full request path, base path included, so that tests can
	// see where a client really sent the request.
	Path string
	// RawQuery is the query string without the "?".
	RawQuery string
	// Authorization is the raw header, secret included: recorded so that a
	// test can check which requests carried which credential.
	Authorization string
	// Body is the body of a request whose method is not safe (POST, PATCH,
	// …) as received, or "" when there was none or it was longer than the
	// simulator reads (1 MiB). Two GraphQL queries differ only here.
	Body string
	// Time is the wall-clock arrival time (not the simulated clock), so that
	// tests can measure a client's waits between retries.
	Time time.Time
}

type repo struct {
	owner, name string
	private     bool
	empty       bool
	pages       bool
}

func (r *repo) fullName() string { return r.owner + "/" + r.name }

// NewGitHub returns an empty simulator mounted at the root path, with no
// tokens, organizations or repositories, using time.Now as its clock.
func NewGitHub() *GitHub {
	return &GitHub{
		now:    time.Now,
		tokens: map[string]Token{},
		orgs:   map[string]Org{},
		repos:  map[string]*repo{},
	}
}

// SetBasePath mounts the API under a prefix, e.g. "/api/v3" as on GitHub
// Enterprise Server. Requests outside it get 404 and never reach the faults
// or the authentication check, except those to the GraphQL API, which GitHub
// serves beside the REST API: at /api/graphql for a base path ending in
// /api/v3, else at graphql under the base path. "" or "/" mounts the API at
// the root (and GraphQL at /graphql); leading and trailing slashes are
// optional.
func (g *GitHub) SetBasePath(p string) {
	p = strings.Trim(p, "/")
	if p != "" {
		p = "/" + p
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.basePath = p
}

// SetLatency delays every response by d, for benchmarks and timeout tests. A
// request whose context ends while it waits gets no answer.
func (g *GitHub) SetLatency(d time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.latency = d
}

// SetNow sets the simulator's clock, used by the MaxLifetimeDays policy and
// the x-ratelimit-reset header. nil restores time.Now.
func (g *GitHub) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.now = now
}

// AddToken makes a token known, replacing any token with the same Value. The
// slices, Grants and Roles are copied, so the caller may reuse them. It
// panics when a grant's level is not "read", "write", "admin" or "none", or
// a role not read, triage, write, maintain or admin.
func (g *GitHub) AddToken(t Token) {
	t.Grants = cloneGrants(t.Grants)
	t.Scopes = cloneStrings(t.Scopes)
	t.Repositories = cloneStrings(t.Repositories)
	t.SSOAuthorized = cloneStrings(t.SSOAuthorized)
	roles := make(map[string]string, len(t.Roles))
	for repo, r := range t.Roles {
		if roleRanks[strings.ToLower(r)] == 0 {
			panic(fmt.Sprintf("simulate: AddToken: role %q on %q is not read, triage, write, maintain or admin", r, repo))
		}
		roles[repo] = r
	}
	t.Roles = roles
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tokens[t.Value] = t
}

// AddOrg makes an organization known, replacing any with the same login.
func (g *GitHub) AddOrg(o Org) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.orgs[strings.ToLower(o.Login)] = o
}

// AddRepo creates the repository fullName ("owner/name"). The owner may be an
// Org or a user. Adding an existing repository changes only its visibility.
// It panics when fullName is not of the form "owner/name".
func (g *GitHub) AddRepo(fullName string, private bool) {
	owner, name := splitFullName("AddRepo", fullName)
	g.mu.Lock()
	defer g.mu.Unlock()
	if r, ok := g.repos[strings.ToLower(fullName)]; ok {
		r.private = private
		return
	}
	g.addRepo(&repo{owner: owner, name: name, private: private})
}

// AddRepoWith creates the repository r.FullName with r's options, or
// replaces every option of an existing one. It panics when r.FullName is not
// of the form "owner/name".
func (g *GitHub) AddRepoWith(r Repo) {
	owner, name := splitFullName("AddRepoWith", r.FullName)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.addRepo(&repo{owner: owner, name: name, private: r.Private, empty: r.Empty, pages: r.Pages})
}

// addRepo stores rp, keeping an existing repository's place; g.mu is held.
func (g *GitHub) addRepo(rp *repo) {
	key := strings.ToLower(rp.fullName())
	if _, ok := g.repos[key]; !ok {
		g.repoOrder = append(g.repoOrder, key)
	}
	g.repos[key] = rp
}

func splitFullName(caller, fullName string) (owner, name string) {
	owner, name, ok := strings.Cut(fullName, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		panic(fmt.Sprintf("simulate: %s: %q is not owner/name", caller, fullName))
	}
	return owner, name
}

// FailNext makes the next n requests to the API, whatever their path or
// credentials, answer status (e.g. 502 or 503) with a JSON message, as a
// failing proxy or backend would. It replaces any earlier FailNext; n <= 0
// clears it. It panics unless status is in 400..599.
func (g *GitHub) FailNext(n int, status int) {
	if status < 400 || status > 599 {
		panic(fmt.Sprintf("simulate: FailNext: status %d is not an error status", status))
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.failN, g.failStatus = max(n, 0), status
}

// RateLimitNext makes the next n requests to the API answer 429 with a
// Retry-After of retryAfter in whole seconds, rounded up: GitHub's secondary
// rate limit. FailNext, when pending, answers first. It replaces any earlier
// RateLimitNext; n <= 0 clears it.
func (g *GitHub) RateLimitNext(n int, retryAfter time.Duration) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rateN, g.rateRetry = max(n, 0), retryAfter
}

// SetRateLimitExhausted exhausts the primary rate limit: every request that
// carries credentials answers 403 with x-ratelimit-remaining: 0 and an
// x-ratelimit-reset one hour ahead, whether or not the token is valid.
// GET /rate_limit still answers (it does not count against the limit, as on
// GitHub) and reports 0 remaining.
func (g *GitHub) SetRateLimitExhausted(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.exhausted = on
}

// SetAccountRateLimit counts the core rate limit of one account (the
// login its tokens act as, or an installation token's own value): its
// answers carry x-ratelimit-remaining starting at remaining and going down
// by one per request any of its tokens sends, as on GitHub, where every
// token of an account shares the account's hourly limit; at 0 its requests
// answer 403 "API rate limit exceeded". This is the one state the
// simulator changes in response to requests, and only for the accounts
// named here; remaining < 0 stops counting.
func (g *GitHub) SetAccountRateLimit(login string, remaining int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.accountLimits == nil {
		g.accountLimits = map[string]int{}
	}
	if remaining < 0 {
		delete(g.accountLimits, strings.ToLower(login))
		return
	}
	g.accountLimits[strings.ToLower(login)] = remaining
}

// SetSecondaryRateLimit makes every request answer 403 with retry-after: 60
// and GitHub's secondary rate limit message.
func (g *GitHub) SetSecondaryRateLimit(on bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.secondary = on
}

// RedirectUserTo makes GET /user, for a valid token, answer 302 with
// Location: url, so that tests can check that a client does not carry the
// token to another host. "" turns it off.
func (g *GitHub) RedirectUserTo(url string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.redirect = url
}

// Requests returns a copy of the requests received so far, in arrival order,
// including those outside the base path.
func (g *GitHub) Requests() []Request {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Request(nil), g.requests...)
}

// Violations lists, in arrival order, every request that could have changed
// something on a real GitHub for a token holding the permission it needs:
// every non-GET request under the base path except the probes the simulator
// can prove must fail (a pull request without head or base, an empty edit of
// a label, …), and every request to the GraphQL path that carries a
// document other than the discussions probe (a mutation, or any document the
// simulator does not recognise). It judges the method, path and
// body alone, so a request is listed even when its token was refused, lacked
// the permission or met a fault. Each entry reads "METHOD PATH: why". A
// client's tests should require it to be empty.
func (g *GitHub) Violations() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]string(nil), g.violations...)
}

// ResetRequests forgets the recorded requests.
func (g *GitHub) ResetRequests() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests = nil
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// numericID gives every login or repository a stable, positive id that does
// not depend on the order of setup calls.
func numericID(s string) int64 {
	h := fnv.New32a()
	h.Write([]byte(strings.ToLower(s)))
	return int64(h.Sum32()&0x7fffffff) + 1
}
