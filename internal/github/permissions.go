package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/pat-check/pat-check/internal/check"
)

// call is one request shared by every probe that needs it: identical
// probes are never sent twice.
type call struct {
	once sync.Once
	a    answer
	body json.RawMessage
}

// send performs a request once per method, path and body, and returns the
// shared answer to every caller.
func (c *Client) send(ctx context.Context, method, path, body string) (answer, json.RawMessage) {
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
		req, err := c.gh.NewRequest(method, path, payload)
		if err != nil {
			cl.a = answer{err: err, header: http.Header{}}
			return
		}
		var raw json.RawMessage
		resp, err := c.gh.Do(ctx, req, &raw)
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
	fact       check.PermissionFact
	publicRead bool
	// readProofPublic: the write was confirmed by a public read, which on a
	// public repository proves nothing, so neither does the write's 404.
	readProofPublic bool
}

// permission checks one permission on one target: its own probe when a
// safe one exists; otherwise, for a level above read, the read probe, which
// can still prove the permission missing (no write without read).
func (c *Client) permission(ctx context.Context, j permissionJob) probeOutcome {
	out := probeOutcome{fact: check.PermissionFact{Permission: j.perm, Target: j.target}}
	rule := RuleFor(j.perm.Name, j.perm.Level)
	if rule.Probe != nil && rule.Probe.NeedsRead() {
		return c.confirmedWrite(ctx, *rule.Probe, j)
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
		out.publicRead = false
		out.fact.State = check.PermUnverified
		out.fact.Reason = fmt.Sprintf("%s (read is granted)", rule.Reason)
		return out
	}
	out.fact.State = check.PermUnverified
	out.fact.Reason = rule.Reason
	return out
}

// confirmedWrite runs an ambiguous write probe (404 = allowed) together with
// the read probe, concurrently: the write counts as granted only when the
// read proves the token sees that kind of resource.
func (c *Client) confirmedWrite(ctx context.Context, w Probe, j permissionJob) probeOutcome {
	read := RuleFor(j.perm.Name, check.LevelRead)
	if read.Probe == nil {
		return probeOutcome{fact: check.PermissionFact{Permission: j.perm, Target: j.target, State: check.PermUnverified,
			Reason: "a 404 to the write probe cannot be told from a hidden resource, and no read probe can confirm it"}}
	}
	var wo, ro probeOutcome
	wo.fact = check.PermissionFact{Permission: j.perm, Target: j.target}
	ro.fact = wo.fact
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		c.runProbe(ctx, *read.Probe, j, &ro)
	}()
	c.runProbe(ctx, w, j, &wo)
	wg.Wait()
	switch {
	case wo.fact.State == check.PermFailed, wo.fact.State == check.PermMissing:
		return wo // the API could not tell, or refused the write (404 counts as allowed here)
	case ro.fact.State == check.PermFailed, ro.fact.State == check.PermMissing:
		return ro // no write without read
	case wo.fact.State == check.PermGranted && ro.fact.State == check.PermGranted:
		wo.publicRead, wo.readProofPublic = false, ro.publicRead
		return wo
	}
	wo.fact.State = check.PermUnverified
	wo.fact.Reason = "the probes' answers do not settle it"
	return wo
}

func (c *Client) runProbe(ctx context.Context, p Probe, j permissionJob, out *probeOutcome) {
	path := p.Expand(j.target)
	a, _ := c.send(ctx, p.Method, path, p.Body)
	f := &out.fact
	if prob := c.problem(p.Method+" /"+strings.SplitN(path, "?", 2)[0], a); prob != nil {
		f.State, f.Problem = check.PermFailed, prob
		return
	}
	switch {
	case slices.Contains(p.Allowed, a.status):
		f.State = check.PermGranted
		out.publicRead = p.PublicRead
	case a.status == http.StatusForbidden:
		if ParseSSO(a.header.Get("X-GitHub-SSO")).Required {
			f.State = check.PermUnreachable
			return
		}
		if policy, _ := PolicyRefusal(a.message); policy {
			f.State = check.PermUnreachable
			return
		}
		f.State, f.Message = check.PermMissing, a.message
		if v := a.header.Get("X-Accepted-GitHub-Permissions"); v != "" {
			f.Accepted = FormatAcceptedPermissions(ParseAcceptedPermissions(v))
		}
	case a.status == http.StatusNotFound:
		// On a reachable target GitHub hides what the token may not see
		// behind a 404; an unreachable target is settled afterwards.
		f.State, f.Message = check.PermMissing, a.message
	case a.status == http.StatusUnauthorized:
		f.State = check.PermFailed
		f.Problem = &check.APIProblem{What: p.Method + " /" + path, Message: "the API rejected the credentials for this request"}
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
		if ok && res.Access == check.AccessOK && f.State == check.PermGranted && o.publicRead && !res.Private {
			f.State = check.PermPublic
		}
		if ok && res.Access == check.AccessOK && f.State == check.PermGranted && o.readProofPublic && !res.Private {
			f.State = check.PermUnverified
			f.Reason = "on a public repository the write probe's 404 cannot be told from a resource hidden from the token"
		}
		facts[i] = f
	}
	return facts
}
