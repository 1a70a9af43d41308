package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	gh "github.com/google/go-github/v62/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/token"
)

// call is one request shared by every probe that needs it: identical
// probes are never sent twice.
type call struct {
	once sync.Once
	a    answer
	body json.RawMessage
}

// send performs a REST request once per method, path and body, and returns
// the shared answer to every caller.
func (c *Client) send(ctx context.Context, method, path, body string) (answer, json.RawMessage) {
	return c.sendWith(ctx, c.gh, method, path, body)
}

// sendWith is send through a given client: the REST one, or the GraphQL
// one for the GraphQL endpoint.
func (c *Client) sendWith(ctx context.Context, api *gh.Client, method, path, body string) (answer, json.RawMessage) {
	key := method + " " + path + " " + body
	c.mu.Lock()
	if c.calls == nil {
		c.calls = map[string]*call{}
	}
	cl := c.calls[key]
	if cl == nil {
		cl = &call{}
		c.calls[key] = cl
	}
	c.mu.Unlock()
	cl.once.Do(func() {
		var payload any
		if body != "" {
			payload = json.RawMessage(body)
		}
		req, err := api.NewRequest(method, path, payload)
		if err != nil {
			cl.a = answer{err: err, header: http.Header{}}
			return
		}
		var raw json.RawMessage
		resp, err := api.Do(ctx, req, &raw)
		cl.a, cl.body = toAnswer(resp, err), raw
	})
	return cl.a, cl.body
}

// permissionJob is one permission on one target, with the rule that checks it.
type permissionJob struct {
	perm   check.Permission
	target string
	kind   check.PermissionTarget
}

// permissionJobs lists every required permission on each of its targets:
// repository permissions on every repository, organization permissions on
// every organization, account permissions once.
func permissionJobs(req check.Requirements) []permissionJob {
	var jobs []permissionJob
	for _, p := range req.Permissions {
		kind, _ := check.TargetOf(p.Name)
		switch kind {
		case check.TargetRepository:
			for _, r := range req.Repositories {
				jobs = append(jobs, permissionJob{p, r, kind})
			}
		case check.TargetOrganization:
			for _, o := range req.Organizations {
				jobs = append(jobs, permissionJob{p, o, kind})
			}
		default:
			jobs = append(jobs, permissionJob{p, "", kind})
		}
	}
	return jobs
}

// probeOutcome is a permission fact before the target's own reachability
// and visibility are known.
type probeOutcome struct {
	fact        check.PermissionFact
	publicRead  bool
	publicWrite bool
	// status is the probe's HTTP status (0 when none came).
	status int
}

// permission checks one permission on one target: its own probe when a
// safe one exists; otherwise, for a level above read, the read probe, which
// can still prove the permission missing (no write without read).
func (c *Client) permission(ctx context.Context, j permissionJob) probeOutcome {
	out := probeOutcome{fact: check.PermissionFact{Permission: j.perm, Target: j.target}}
	rule := RuleFor(j.perm.Name, j.perm.Level)
	if rule.Probe != nil && rule.Probe.ByMissingID() && !routeLevelPermissions(c.kind) {
		rule = unverifiable("for a classic or OAuth token GitHub answers 404 both for an id that does not exist and for what the account's role may not see, so this probe proves nothing")
	}
	if rule.Probe != nil && rule.Probe.ByMissingID() {
		return c.byMissingID(ctx, *rule.Probe, j)
	}
	if rule.Probe != nil {
		c.runProbe(ctx, *rule.Probe, j, &out)
		return out
	}
	read := RuleFor(j.perm.Name, check.LevelRead)
	if j.perm.Level > check.LevelRead && read.Probe != nil {
		c.runProbe(ctx, *read.Probe, j, &out)
		switch out.fact.State {
		case check.PermMissing, check.PermFailed, check.PermUnreachable:
			return out // no write without read, or nothing to conclude
		}
		out.fact.State = check.PermUnverified
		out.fact.Reason = rule.Reason
		if !out.publicRead {
			out.fact.Reason += " (read is granted)"
		}
		out.publicRead = false
		return out
	}
	out.fact.State = check.PermUnverified
	out.fact.Reason = rule.Reason
	return out
}

// byMissingID runs a write probe whose success is a 404 for an id that
// cannot exist, together with the read probe of the same permission: GitHub
// also answers 404 where it hides a route from the account's role, so the
// 404 counts only when the read succeeds. A read refused with 403 proves the
// permission missing; a read that 404s too, or that settles nothing, leaves
// it unverified. Both requests go out at once: no round trip is added.
func (c *Client) byMissingID(ctx context.Context, p Probe, j permissionJob) probeOutcome {
	write := probeOutcome{fact: check.PermissionFact{Permission: j.perm, Target: j.target}}
	read := write
	rr := RuleFor(j.perm.Name, check.LevelRead)
	var wg sync.WaitGroup
	if rr.Probe != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.runProbe(ctx, *rr.Probe, j, &read)
		}()
	}
	c.runProbe(ctx, p, j, &write)
	wg.Wait()
	if write.fact.State != check.PermGranted {
		return write
	}
	unverified := func(reason string) probeOutcome {
		write.fact.State, write.fact.Reason = check.PermUnverified, reason
		return write
	}
	if rr.Probe == nil {
		return unverified(fmt.Sprintf("the write probe answered %d for an id that cannot exist, and no read probe can confirm that GitHub does not hide the route", write.status))
	}
	readWhat := rr.Probe.request(j.target)
	switch {
	case read.fact.State == check.PermGranted:
		return write
	case read.fact.State == check.PermMissing && read.status == http.StatusForbidden:
		return read // no write without read
	case read.fact.State == check.PermMissing && read.status == http.StatusNotFound:
		return unverified(fmt.Sprintf("GitHub answered 404 to the read probe (%s) as well as to the write probe: it hides these from the account, "+
			"whose role on %s may not allow them (webhooks, for one, need admin), so the 404 proves nothing", readWhat, j.target))
	case read.fact.State == check.PermFailed || read.fact.State == check.PermUnreachable:
		return read
	case read.fact.Reason != "":
		return unverified("the read probe (" + readWhat + ") could not confirm the write probe's 404: " + read.fact.Reason)
	}
	return unverified("the read probe (" + readWhat + ") could not confirm the write probe's 404")
}

func (c *Client) runProbe(ctx context.Context, p Probe, j permissionJob, out *probeOutcome) {
	gql := p.GraphQL != ""
	path, what := p.Expand(j.target), p.request(j.target)
	api := c.gh
	if gql {
		path, api = c.graphQL.String(), c.graphQLClient
		what = p.Method + " " + c.graphQL.Path + " (" + strings.Join(p.Field, ".") + " of " + j.target + ")"
	}
	a, body := c.sendWith(ctx, api, p.Method, path, p.Payload(j.target))
	out.status = a.status
	f := &out.fact
	if prob := c.problem(what, a); prob != nil {
		f.State, f.Problem = check.PermFailed, prob
		return
	}
	switch {
	case gql && a.status == http.StatusOK:
		if c.readGraphQL(what, p.Field, a, body, f) {
			out.publicRead = p.PublicRead
		}
	case !gql && slices.Contains(p.Allowed, a.status):
		f.State = check.PermGranted
		out.publicRead = p.PublicRead
		out.publicWrite = p.PublicWrite
	case !gql && slices.Contains(p.Unsure, a.status):
		f.State, f.Reason = check.PermUnverified, p.UnsureReason
	case a.status == http.StatusForbidden:
		if sso := ParseSSO(a.header.Get("X-GitHub-SSO")); sso.Required {
			f.State, f.SSOURL = check.PermUnreachable, sso.URL
			return
		}
		if policy, u := PolicyRefusal(a.message); policy {
			f.State, f.Policy, f.PolicyURL = check.PermUnreachable, a.message, u
			return
		}
		if gql {
			// GraphQL reports a missing permission inside a 200 answer; a
			// 403 of the whole endpoint says something else.
			f.State, f.Reason = check.PermUnverified, "the GraphQL API refused the query as a whole: "+a.describe()
			return
		}
		f.State, f.Message = check.PermMissing, a.message
		if v := a.header.Get("X-Accepted-GitHub-Permissions"); v != "" {
			f.Accepted = FormatAcceptedPermissions(ParseAcceptedPermissions(v))
		}
	case gql && a.status == http.StatusNotFound:
		f.State, f.Reason = check.PermUnverified, "no GraphQL API answered at "+c.graphQL.Path+" (404)"
	case !gql && a.status == http.StatusNotFound:
		// On a reachable target GitHub hides what the token may not see
		// behind a 404; an unreachable target is settled afterwards.
		f.State, f.Message = check.PermMissing, a.message
	case a.status == http.StatusUnauthorized:
		if gql && strings.Contains(strings.ToLower(a.message), "graphql") {
			// The token was accepted by the REST API: this server's
			// GraphQL API does not take this kind of token (older GitHub
			// Enterprise Server versions refuse fine-grained tokens there).
			f.State, f.Reason = check.PermUnverified, "the GraphQL API does not accept this token: "+a.describe()
			return
		}
		f.State = check.PermFailed
		f.Problem = &check.APIProblem{What: what, Message: "the API rejected the credentials for this request"}
	default:
		f.State = check.PermUnverified
		f.Reason = fmt.Sprintf("the probe got an unexpected answer (%d)", a.status)
	}
}

// settle completes permission facts with what is known of their targets:
// an unreachable target makes its cells unreachable, and a public
// repository turns a successful public read into "proves nothing".
func settle(outs []probeOutcome, repos, orgs []check.Resource) []check.PermissionFact {
	find := func(list []check.Resource, name string) (check.Resource, bool) {
		for _, r := range list {
			if strings.EqualFold(r.Name, name) {
				return r, true
			}
		}
		return check.Resource{}, false
	}
	facts := make([]check.PermissionFact, len(outs))
	for i, o := range outs {
		f := o.fact
		var res check.Resource
		var ok bool
		switch kind, _ := check.TargetOf(f.Permission.Name); kind {
		case check.TargetRepository:
			res, ok = find(repos, f.Target)
		case check.TargetOrganization:
			res, ok = find(orgs, f.Target)
		}
		if ok && res.Access != check.AccessOK && f.State != check.PermFailed {
			f.State, f.Reason = check.PermUnreachable, ""
		}
		public := ok && res.Access == check.AccessOK && !res.Private && f.State == check.PermGranted
		switch {
		case public && o.publicRead:
			f.State = check.PermPublic
		case public && o.publicWrite:
			f.State = check.PermUnverified
			f.Reason = "on a public repository GitHub lets any account open issues and pull requests, so the probe's answer proves nothing"
		}
		facts[i] = f
	}
	return facts
}

// routeLevelPermissions: fine-grained and installation tokens carry
// permissions that GitHub checks per route, before any lookup.
func routeLevelPermissions(k token.Kind) bool {
	return k == token.FineGrained || k == token.AppInstallation
}
