package simulate

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Documentation links GitHub puts in error bodies.
const (
	docsRoot      = "https://docs.github.com/rest"
	docsUser      = "https://docs.github.com/rest/users/users#get-the-authenticated-user"
	docsRepo      = "https://docs.github.com/rest/repos/repos#get-a-repository"
	docsOrgRepos  = "https://docs.github.com/rest/repos/repos#list-organization-repositories"
	docsOrg       = "https://docs.github.com/rest/orgs/orgs#get-an-organization"
	docsInstRepos = "https://docs.github.com/rest/apps/installations#list-repositories-accessible-to-the-app-installation"
	docsRateLimit = "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"
	docsSSO       = "https://docs.github.com/articles/authenticating-to-a-github-organization-with-saml-single-sign-on/"

	// lifetimeSettingsURL is the page the lifetime policy message points to.
	lifetimeSettingsURL = "https://github.com/settings/personal-access-tokens/12885303"

	rateLimit = 5000
)

// expirationLayouts are the two forms of GitHub-Authentication-Token-Expiration
// seen in the wild (google/go-github#2649).
var expirationLayouts = []string{"2006-01-02 15:04:05 MST", "2006-01-02 15:04:05 -0700"}

// errorBody is GitHub's JSON error shape.
type errorBody struct {
	Message          string `json:"message"`
	DocumentationURL string `json:"documentation_url"`
	Status           string `json:"status"`
}

type ownerJSON struct {
	Login string `json:"login"`
	ID    int64  `json:"id"`
	Type  string `json:"type"`
}

type permissionsJSON struct {
	Admin bool `json:"admin"`
	Push  bool `json:"push"`
	Pull  bool `json:"pull"`
}

type repoJSON struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	FullName    string          `json:"full_name"`
	Private     bool            `json:"private"`
	Owner       ownerJSON       `json:"owner"`
	Permissions permissionsJSON `json:"permissions"`
}

type rateJSON struct {
	Limit     int    `json:"limit"`
	Remaining int    `json:"remaining"`
	Reset     int64  `json:"reset"`
	Used      int    `json:"used"`
	Resource  string `json:"resource"`
}

// answer is a response decided under the lock and written outside it.
type answer struct {
	status int
	header http.Header
	body   any
}

// ServeHTTP answers one request: it records it (and the violation it
// commits, if any), waits the configured latency, then answers in GitHub's
// order: base path (or the GraphQL path beside it), faults and rate
// limits, authentication, then the endpoint.
func (g *GitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var b reqBody
	if !safeMethod(r.Method) {
		b = readBody(r)
	}
	g.mu.Lock()
	g.seq++
	seq := g.seq
	g.requests = g.record.keep(g.requests, Request{
		Method:        r.Method,
		Path:          r.URL.Path,
		RawQuery:      r.URL.RawQuery,
		Authorization: r.Header.Get("Authorization"),
		Body:          b.raw,
		Time:          time.Now(),
	})
	v := ""
	if path, ok := g.strip(r.URL.Path); r.URL.Path == g.graphQLPath() {
		v = judgeGraphQL(r.Method, r.URL.Path, b)
	} else if ok {
		v = judge(r.Method, path, r.URL.Path, b)
	}
	if v != "" {
		g.violations = g.record.keepViolation(g.violations, v)
	}
	latency := g.latency
	g.mu.Unlock()

	if !waitLatency(r.Context(), latency) {
		return
	}

	g.mu.Lock()
	a := g.decide(r, seq, b)
	g.mu.Unlock()

	body, err := json.Marshal(a.body)
	if err != nil {
		a.status = http.StatusInternalServerError
		body = []byte(`{"message":"Server Error"}`)
	}
	h := w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("X-GitHub-Request-Id", requestID(seq))
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(a.status)
	w.Write(body)
}

// requestID imitates the shape of GitHub's request ids.
func requestID(seq uint64) string {
	return fmt.Sprintf("51AB:%04X:%06X:%06X:%08X", seq%0xffff, seq*7919%0xffffff, seq*104729%0xffffff, seq)
}

// decide chooses the response; g.mu is held. b is the body of a non-GET
// request.
func (g *GitHub) decide(r *http.Request, seq uint64, b reqBody) answer {
	h := http.Header{}
	path, ok := g.strip(r.URL.Path)
	gql := r.URL.Path == g.graphQLPath()
	if !ok && !gql {
		return errorAnswer(h, http.StatusNotFound, "Not Found", docsRoot)
	}
	now := g.now()

	secret, hasCreds := credential(r.Header.Get("Authorization"))
	tok, known := g.tokens[secret]
	valid := hasCreds && known && secret != "" && !tok.Revoked
	tokenHeaders := func(remaining int) {
		if !valid {
			return
		}
		rateHeaders(h, remaining, now)
		if tok.Scopes != nil {
			h.Set("X-OAuth-Scopes", strings.Join(tok.Scopes, ", "))
		}
		if tok.Expiration != "" {
			h.Set("GitHub-Authentication-Token-Expiration", tok.Expiration)
		}
	}
	remaining := rateLimit - 1
	if g.exhausted {
		remaining = 0
	}

	// Faults and rate limits come before the credentials are looked at.
	if g.failN > 0 {
		g.failN--
		return errorAnswer(h, g.failStatus, http.StatusText(g.failStatus), docsRoot)
	}
	if g.rateN > 0 {
		g.rateN--
		tokenHeaders(remaining)
		secs := int64(math.Ceil(g.rateRetry.Seconds()))
		h.Set("Retry-After", strconv.FormatInt(max(secs, 0), 10))
		return errorAnswer(h, http.StatusTooManyRequests, secondaryMessage(seq), docsRateLimit)
	}
	if g.secondary {
		tokenHeaders(remaining)
		h.Set("Retry-After", "60")
		return errorAnswer(h, http.StatusForbidden, secondaryMessage(seq), docsRateLimit)
	}
	if g.exhausted && hasCreds && path != "/rate_limit" {
		tokenHeaders(0)
		rateHeaders(h, 0, now) // also for credentials the simulator does not know
		msg := "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID " + requestID(seq) + "."
		if gql && valid {
			// GraphQL tells its own exhausted limit in a 200 answer.
			h.Set("X-Ratelimit-Resource", "graphql")
			return gqlAnswer(h, nil, gqlError{Type: "RATE_LIMITED", Message: msg})
		}
		return errorAnswer(h, http.StatusForbidden, msg, docsRateLimit)
	}

	if !valid {
		return errorAnswer(h, http.StatusUnauthorized, "Bad credentials", docsRoot)
	}
	account := strings.ToLower(tok.Login)
	if tok.Installation {
		account = secret
	}
	if n, counted := g.accountLimits[account]; counted && path != "/rate_limit" {
		if n <= 0 {
			tokenHeaders(0)
			return errorAnswer(h, http.StatusForbidden, "API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID "+requestID(seq)+".", docsRateLimit)
		}
		g.accountLimits[account] = n - 1
		remaining = n - 1
	}
	tokenHeaders(remaining)
	if gql {
		return g.graphQL(h, tok, r.Method, b, now)
	}
	seg := splitPath(path)
	if !safeMethod(r.Method) {
		if rt, target, wild := match(r.Method, seg); rt != nil {
			return g.permitted(h, tok, rt, target, wild, b, now)
		}
		return unrouted(h, b)
	}
	if r.Method != http.MethodGet {
		return errorAnswer(h, http.StatusNotFound, "Not Found", docsRoot)
	}
	accepts := func(scopes string) {
		if tok.Scopes != nil {
			h.Set("X-Accepted-OAuth-Scopes", scopes)
		}
	}

	switch {
	case path == "/user":
		accepts("")
		return g.user(h, tok)
	case path == "/rate_limit":
		accepts("")
		return rateLimitAnswer(h, remaining, now)
	case path == "/installation/repositories":
		accepts("")
		return g.installationRepos(h, tok, r)
	case len(seg) == 3 && seg[0] == "repos":
		accepts("repo")
		return g.repo(h, tok, seg[1], seg[2], now)
	case len(seg) == 2 && seg[0] == "orgs":
		accepts("")
		return g.org(h, seg[1])
	case len(seg) == 3 && seg[0] == "orgs" && seg[2] == "repos":
		accepts("")
		return g.orgRepos(h, tok, seg[1], r, now)
	}
	if rt, target, wild := match(r.Method, seg); rt != nil {
		return g.permitted(h, tok, rt, target, wild, b, now)
	}
	return errorAnswer(h, http.StatusNotFound, "Not Found", docsRoot)
}

// strip removes the base path; ok is false outside it.
func (g *GitHub) strip(p string) (string, bool) {
	if g.basePath == "" {
		return p, true
	}
	if p == g.basePath {
		return "/", true
	}
	if rest, ok := strings.CutPrefix(p, g.basePath); ok && strings.HasPrefix(rest, "/") {
		return rest, true
	}
	return "", false
}

// credential extracts the token from "Bearer T" or "token T"; the scheme is
// case-insensitive, as HTTP auth schemes are.
func credential(header string) (string, bool) {
	scheme, value, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok {
		return "", header != ""
	}
	if !strings.EqualFold(scheme, "Bearer") && !strings.EqualFold(scheme, "token") {
		return "", true
	}
	return strings.TrimSpace(value), true
}

func rateHeaders(h http.Header, remaining int, now time.Time) {
	h.Set("X-Ratelimit-Limit", strconv.Itoa(rateLimit))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(now.Add(time.Hour).Unix(), 10))
	h.Set("X-Ratelimit-Used", strconv.Itoa(rateLimit-remaining))
	h.Set("X-Ratelimit-Resource", "core")
}

func secondaryMessage(seq uint64) string {
	return "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. " +
		"If you reach out to GitHub Support for help, please include the request ID " + requestID(seq) + "."
}

func errorAnswer(h http.Header, status int, message, doc string) answer {
	return answer{status: status, header: h, body: errorBody{
		Message:          message,
		DocumentationURL: doc,
		Status:           strconv.Itoa(status),
	}}
}

func (g *GitHub) user(h http.Header, t Token) answer {
	if t.Installation {
		return errorAnswer(h, http.StatusForbidden, "Resource not accessible by integration", docsUser)
	}
	if g.redirect != "" {
		h.Set("Location", g.redirect)
		return answer{status: http.StatusFound, header: h, body: map[string]string{
			"message":           "Found",
			"url":               g.redirect,
			"documentation_url": docsUser,
		}}
	}
	return answer{status: http.StatusOK, header: h, body: struct {
		Login string `json:"login"`
		ID    int64  `json:"id"`
		Type  string `json:"type"`
		Name  string `json:"name"`
	}{t.Login, numericID(t.Login), "User", t.Login}}
}

func rateLimitAnswer(h http.Header, remaining int, now time.Time) answer {
	core := rateJSON{
		Limit:     rateLimit,
		Remaining: remaining,
		Reset:     now.Add(time.Hour).Unix(),
		Used:      rateLimit - remaining,
		Resource:  "core",
	}
	return answer{status: http.StatusOK, header: h, body: struct {
		Resources map[string]rateJSON `json:"resources"`
		Rate      rateJSON            `json:"rate"`
	}{map[string]rateJSON{"core": core}, core}}
}

func (g *GitHub) installationRepos(h http.Header, t Token, r *http.Request) answer {
	if !t.Installation {
		return errorAnswer(h, http.StatusForbidden,
			"You must authenticate with an installation access token in order to list repositories for an installation.",
			docsInstRepos)
	}
	var all []repoJSON
	for _, name := range t.Repositories {
		if rp, ok := g.repos[strings.ToLower(name)]; ok {
			all = append(all, g.repoJSON(rp))
		}
	}
	return answer{status: http.StatusOK, header: h, body: struct {
		TotalCount   int        `json:"total_count"`
		Repositories []repoJSON `json:"repositories"`
	}{len(all), page(all, r)}}
}

func (g *GitHub) repo(h http.Header, t Token, owner, name string, now time.Time) answer {
	rp, refused := g.reachRepo(h, t, owner, name, now, docsRepo)
	if refused != nil {
		return *refused
	}
	return answer{status: http.StatusOK, header: h, body: g.repoJSON(rp)}
}

// reachRepo finds a repository the token can reach, or the answer that
// refuses it: 404 when it does not exist or is private and not granted, 403
// for its organization's token policies and SAML SSO. doc goes in the error.
func (g *GitHub) reachRepo(h http.Header, t Token, owner, name string, now time.Time, doc string) (*repo, *answer) {
	refuse := func(a answer) (*repo, *answer) { return nil, &a }
	rp, ok := g.repos[strings.ToLower(owner+"/"+name)]
	if !ok {
		return refuse(errorAnswer(h, http.StatusNotFound, "Not Found", doc))
	}
	if o, isOrg := g.orgs[strings.ToLower(rp.owner)]; isOrg {
		if msg, forbidden := policy(o, t, now); forbidden {
			return refuse(errorAnswer(h, http.StatusForbidden, msg, doc))
		}
		if rp.private && needsSSO(o, t) {
			return refuse(ssoAnswer(h, o, t))
		}
	}
	if !canSee(t, rp) {
		return refuse(errorAnswer(h, http.StatusNotFound, "Not Found", doc))
	}
	return rp, nil
}

// reachOrg finds an organization, or the answer that refuses it: 404 when
// it does not exist, 403 for its token policies and SAML SSO.
func (g *GitHub) reachOrg(h http.Header, t Token, login string, now time.Time, doc string) (Org, *answer) {
	refuse := func(a answer) (Org, *answer) { return Org{}, &a }
	o, ok := g.orgs[strings.ToLower(login)]
	if !ok {
		return refuse(errorAnswer(h, http.StatusNotFound, "Not Found", doc))
	}
	if msg, forbidden := policy(o, t, now); forbidden {
		return refuse(errorAnswer(h, http.StatusForbidden, msg, doc))
	}
	if needsSSO(o, t) {
		return refuse(ssoAnswer(h, o, t))
	}
	return o, nil
}

func (g *GitHub) org(h http.Header, login string) answer {
	o, ok := g.orgs[strings.ToLower(login)]
	if !ok {
		return errorAnswer(h, http.StatusNotFound, "Not Found", docsOrg)
	}
	return answer{status: http.StatusOK, header: h, body: ownerJSON{o.Login, numericID(o.Login), "Organization"}}
}

func (g *GitHub) orgRepos(h http.Header, t Token, login string, r *http.Request, now time.Time) answer {
	o, refused := g.reachOrg(h, t, login, now, docsOrgRepos)
	if refused != nil {
		return *refused
	}
	all := []repoJSON{} // an empty list is [], not null
	for _, key := range g.repoOrder {
		rp := g.repos[key]
		if strings.EqualFold(rp.owner, o.Login) && canSee(t, rp) {
			all = append(all, g.repoJSON(rp))
		}
	}
	return answer{status: http.StatusOK, header: h, body: page(all, r)}
}

// policy applies the organization's token policies, in the order ForbidClassic,
// ForbidFineGrained, MaxLifetimeDays. Installation tokens are not personal
// access tokens and are never refused.
func policy(o Org, t Token, now time.Time) (string, bool) {
	switch {
	case t.Installation:
		return "", false
	case !t.FineGrained && o.ForbidClassic:
		return fmt.Sprintf("`%s` forbids access via a personal access token (classic). "+
			"Please use a GitHub App, OAuth App, or a personal access token with fine-grained permissions.", o.Login), true
	case t.FineGrained && o.ForbidFineGrained:
		return fmt.Sprintf("`%s` forbids access via a personal access token with fine-grained permissions. "+
			"Please use a GitHub App, OAuth App, or a personal access token (classic).", o.Login), true
	case t.FineGrained && o.MaxLifetimeDays > 0 && tooLong(t.Expiration, o.MaxLifetimeDays, now):
		return fmt.Sprintf("The '%s' organization forbids access via a fine-grained personal access tokens "+
			"if the token's lifetime is greater than %d days. "+
			"Please adjust your token's lifetime at the following URL: %s", o.Login, o.MaxLifetimeDays, lifetimeSettingsURL), true
	}
	return "", false
}

// tooLong reports whether a token expiring at expiration outlives days from
// now. A token without an expiry, or with one the simulator cannot read, has
// an unbounded lifetime.
func tooLong(expiration string, days int, now time.Time) bool {
	for _, layout := range expirationLayouts {
		if exp, err := time.Parse(layout, expiration); err == nil {
			return exp.Sub(now) > time.Duration(days)*24*time.Hour
		}
	}
	return true
}

func needsSSO(o Org, t Token) bool {
	return o.SSO && !t.Installation && !containsFold(t.SSOAuthorized, o.Login)
}

// ssoAnswer refuses t for o's SAML SSO. The authorization request's id has
// GitHub's shape and follows from the organization and the token alone, not
// from the order requests arrive in (the checks send theirs concurrently):
// the same world prints the same link on every run.
func ssoAnswer(h http.Header, o Org, t Token) answer {
	id := fnv.New64a()
	io.WriteString(id, strings.ToLower(o.Login)+"\x00"+t.Value)
	h.Set("X-GitHub-SSO", fmt.Sprintf("required; url=https://github.com/orgs/%s/sso?authorization_request=A5VDNOVNJRJUVT5P%012X", o.Login, id.Sum64()&0xffffffffffff))
	return errorAnswer(h, http.StatusForbidden,
		"Resource protected by organization SAML enforcement. You must grant your personal token access to this organization.",
		docsSSO)
}

func canSee(t Token, rp *repo) bool {
	return !rp.private || containsFold(t.Repositories, rp.fullName())
}

func (g *GitHub) repoJSON(rp *repo) repoJSON {
	ownerType := "User"
	if _, ok := g.orgs[strings.ToLower(rp.owner)]; ok {
		ownerType = "Organization"
	}
	return repoJSON{
		ID:          numericID(rp.fullName()),
		Name:        rp.name,
		FullName:    rp.fullName(),
		Private:     rp.private,
		Owner:       ownerJSON{rp.owner, numericID(rp.owner), ownerType},
		Permissions: permissionsJSON{Admin: false, Push: true, Pull: true},
	}
}

// page cuts one page out of a listing by per_page (default 30, at most 100)
// and page (default 1), as GitHub paginates. The result is never nil.
func page(all []repoJSON, r *http.Request) []repoJSON {
	q := r.URL.Query()
	perPage, err := strconv.Atoi(q.Get("per_page"))
	if err != nil || perPage < 1 {
		perPage = 30
	}
	perPage = min(perPage, 100)
	n, err := strconv.Atoi(q.Get("page"))
	if err != nil || n < 1 {
		n = 1
	}
	n = min(n, 1<<20) // keeps (n-1)*perPage from overflowing
	start := min((n-1)*perPage, len(all))
	end := min(start+perPage, len(all))
	return append([]repoJSON{}, all[start:end]...)
}

// waitLatency holds an answer back for the simulated latency; false when
// the client gave up meanwhile, and nothing should be written.
func waitLatency(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-timer.C:
		return true
	}
}
