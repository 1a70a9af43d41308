package github

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

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
//
// Probes go through go-github's NewRequest and Do rather than its typed
// services on purpose: the probe table is data (a method, a path and a
// body per permission), and a write probe must send a body that leaves out
// a field the endpoint requires, which a typed service's request struct
// would not let it do. The identity, repository and organization requests,
// which are ordinary reads, use the typed services (Users.Get,
// Apps.ListRepos, Repositories.ListByOrg).
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
		kind, _ := ghplatform.TargetOf(p.Name)
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

// excessJobs lists the probes of the repository permissions the job does
// not require, on one repository, for the kinds whose permissions can only
// be probed: only when the excess option asks for it (warning or error),
// since it costs a request or two per permission. They are the same
// read-only probes as for required permissions.
func excessJobs(kind token.Kind, req check.Requirements) []permissionJob {
	target := req.ExcessRepository()
	if !req.ProbeExcess() || target == "" || (kind != token.FineGrained && kind != token.AppInstallation) {
		return nil
	}
	hasProbe := func(name string, level check.Level) bool { return RuleFor(name, level).Probe != nil }
	var jobs []permissionJob
	for _, p := range ghplatform.ExcessProbes(req, hasProbe) {
		jobs = append(jobs, permissionJob{p, target, check.TargetRepository})
	}
	return jobs
}

// permission sends what can prove one permission on one target and records
// the answers: its own probe when the table has one (with the read probe of
// the same permission when the probe succeeds by a 404, which the read must
// confirm); otherwise, for a level above read, the read probe, which can
// still prove the permission missing. The check package decides.
func (c *Client) permission(ctx context.Context, j permissionJob) check.PermissionFact {
	f := check.PermissionFact{Permission: j.perm, Target: j.target}
	rule := RuleFor(j.perm.Name, j.perm.Level)
	read := RuleFor(j.perm.Name, check.LevelRead)
	switch {
	case rule.Probe != nil && rule.Probe.ByMissingID():
		f.Probe = c.record(*rule.Probe, j.target)
		if !ghplatform.ProvesByMissingID(c.kind) {
			return f // its answer could prove nothing: not sent
		}
		var wg sync.WaitGroup
		if read.Probe != nil && j.perm.Level > check.LevelRead {
			f.Read = c.record(*read.Probe, j.target)
			wg.Add(1)
			go func() {
				defer wg.Done()
				c.runProbe(ctx, *read.Probe, j.target, f.Read)
			}()
		}
		c.runProbe(ctx, *rule.Probe, j.target, f.Probe)
		wg.Wait()
	case rule.Probe != nil:
		f.Probe = c.record(*rule.Probe, j.target)
		c.runProbe(ctx, *rule.Probe, j.target, f.Probe)
	case j.perm.Level > check.LevelRead && read.Probe != nil:
		f.NoProbe = rule.Reason
		f.Read = c.record(*read.Probe, j.target)
		c.runProbe(ctx, *read.Probe, j.target, f.Read)
	default:
		f.NoProbe = rule.Reason
	}
	return f
}

// record describes a probe for a target, before it is sent.
func (c *Client) record(p Probe, target string) *check.ProbeResult {
	r := &check.ProbeResult{Request: p.request(target), Endpoint: "/" + p.Expand(target), Expect: check.ProbeExpect{
		Granted: p.Allowed, Unsure: p.Unsure, UnsureReason: p.UnsureReason,
		PublicRead: p.PublicRead, PublicWrite: p.PublicWrite, ByMissingID: p.ByMissingID(), SelfConfirmed: p.ByMissingID() && p.Method == http.MethodGet,
		GraphQL: p.GraphQL != "", Field: p.Field,
	}}
	if p.GraphQL != "" {
		r.Endpoint = c.graphQL.Path
		r.Request = p.Method + " " + c.graphQL.Path + " (" + strings.Join(p.Field, ".") + " of " + target + ")"
	}
	return r
}

// runProbe sends one probe and records what the API answered.
func (c *Client) runProbe(ctx context.Context, p Probe, target string, r *check.ProbeResult) {
	path, api := p.Expand(target), c.gh
	if p.GraphQL != "" {
		path, api = c.graphQL.String(), c.graphQLClient
	}
	a, body := c.sendWith(ctx, api, p.Method, path, p.Payload(target))
	r.Answer = c.observe(r.Request, p, a, body)
}

// observe reads an answer to a probe into what the check package needs:
// the status, GitHub's message, and what its headers and body say (SAML
// SSO, an organization's token policy, the accepted permissions, the
// GraphQL data and errors).
func (c *Client) observe(what string, p Probe, a answer, body []byte) check.ProbeAnswer {
	out := check.ProbeAnswer{Status: a.status}
	if prob := c.problem(what, a); prob != nil {
		out.Problem = prob
		return out
	}
	out.Message = a.message
	if sso := ParseSSO(a.header.Get("X-GitHub-SSO")); sso.Required {
		out.SSORequired, out.SSOURL = true, sso.URL
	}
	switch {
	case p.GraphQL != "" && a.status == http.StatusOK:
		out.GraphQL = c.readGraphQL(what, p.Field, a, body)
	case a.status == http.StatusForbidden:
		if ref, ok := ParsePolicyRefusal(a.message); ok {
			out.Policy, out.PolicyKind, out.PolicyURL = true, ref.Policy, ref.URL
		}
		if v := a.header.Get("X-Accepted-GitHub-Permissions"); v != "" {
			out.Accepted = FormatAcceptedPermissions(ParseAcceptedPermissions(v))
		}
	}
	return out
}
