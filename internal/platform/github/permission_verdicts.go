package github

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// This file decides each probed permission from the probes' answers: the
// rule of the probe table (which statuses prove a grant), the rule that a
// 404 for an id that cannot exist counts only when the read probe of the
// same permission succeeds, the rule that there is no write without read,
// and what a target that cannot be reached or a public repository does to
// the outcome. provider/github only sends the probes and reads the
// answers.

// ProvesByMissingID reports whether a write probe that succeeds by a 404
// for an id that cannot exist can prove anything for this kind of token.
// Fine-grained and installation tokens carry permissions that GitHub
// checks per route, before any lookup; a classic or OAuth token's access
// follows the account's role, and GitHub answers 404 both for an id that
// does not exist and for what the role may not see. provider/github asks
// this before it sends such a probe, so that a useless request is not sent.
func ProvesByMissingID(k token.Kind) bool {
	return k == token.FineGrained || k == token.AppInstallation
}

// PermissionVerdicts decides every permission fact, in order, with what is
// known of the targets.
func PermissionVerdicts(f check.Facts) []check.PermissionVerdict {
	out := make([]check.PermissionVerdict, len(f.Permissions))
	for i, p := range f.Permissions {
		out[i] = settle(decidePermission(f.Kind, p), f.Repositories, f.Organizations)
	}
	return out
}

// probeVerdict is a permission verdict before the target's own
// reachability and visibility are known.
type probeVerdict struct {
	v           check.PermissionVerdict
	publicRead  bool
	publicWrite bool
	// status is the probe's HTTP status (0 when none came).
	status int
}

// decidePermission reads one permission's probes: its own probe when it has
// one; otherwise, for a level above read, the read probe, which can still
// prove the permission missing (no write without read).
func decidePermission(kind token.Kind, p check.PermissionFact) probeVerdict {
	base := check.PermissionVerdict{Permission: p.Permission, Target: p.Target}
	switch {
	case p.Probe != nil && p.Probe.Expect.ByMissingID && !ProvesByMissingID(kind):
		base.State = check.PermUnverified
		base.Reason = "for a classic or OAuth token GitHub answers 404 both for an id that does not exist and for what the account's role may not see, so this probe proves nothing"
		return probeVerdict{v: base}
	case p.Probe != nil && p.Probe.Expect.ByMissingID:
		return byMissingID(base, *p.Probe, p.Read)
	case p.Probe != nil:
		return readProbe(base, *p.Probe)
	case p.Read != nil:
		out := readProbe(base, *p.Read)
		switch out.v.State {
		case check.PermMissing, check.PermFailed, check.PermUnreachable:
			return out // no write without read, or nothing to conclude
		}
		out.v.State = check.PermUnverified
		out.v.Reason = p.NoProbe
		if !out.publicRead {
			out.v.Reason += " (read is granted)"
		}
		out.publicRead = false
		return out
	}
	base.State, base.Reason = check.PermUnverified, p.NoProbe
	return probeVerdict{v: base}
}

// byMissingID reads a write probe whose success is a 404 for an id that
// cannot exist, together with the read probe of the same permission: GitHub
// also answers 404 where it hides a route from the account's role, so the
// 404 counts only when the read succeeds. A read refused with 403 proves the
// permission missing; a read that 404s too, or that settles nothing, leaves
// it unverified.
func byMissingID(base check.PermissionVerdict, probe check.ProbeResult, readProbeResult *check.ProbeResult) probeVerdict {
	write := readProbe(base, probe)
	if write.v.State != check.PermGranted {
		return write
	}
	unverified := func(reason string) probeVerdict {
		write.v.State, write.v.Reason = check.PermUnverified, reason
		return write
	}
	if readProbeResult == nil && probe.Expect.SelfConfirmed {
		return write
	}
	if readProbeResult == nil {
		return unverified(fmt.Sprintf("the write probe answered %d for an id that cannot exist, and no read probe can confirm that GitHub does not hide the route", write.status))
	}
	read := readProbe(base, *readProbeResult)
	readWhat := readProbeResult.Request
	switch {
	case read.v.State == check.PermGranted:
		return write
	case read.v.State == check.PermMissing && read.status == http.StatusForbidden:
		return read // no write without read
	case read.v.State == check.PermMissing && read.status == http.StatusNotFound:
		return unverified(fmt.Sprintf("GitHub answered 404 to the read probe (%s) as well as to the write probe: it hides these from the account, "+
			"whose role on %s may not allow them (webhooks, for one, need admin), so the 404 proves nothing", readWhat, base.Target))
	case read.v.State == check.PermFailed || read.v.State == check.PermUnreachable:
		return read
	case read.v.Reason != "":
		return unverified("the read probe (" + readWhat + ") could not confirm the write probe's 404: " + read.v.Reason)
	}
	return unverified("the read probe (" + readWhat + ") could not confirm the write probe's 404")
}

// readProbe reads one probe's answer.
func readProbe(base check.PermissionVerdict, p check.ProbeResult) probeVerdict {
	out := probeVerdict{v: base, status: p.Answer.Status}
	a, e, v := p.Answer, p.Expect, &out.v
	if a.Problem != nil {
		v.State, v.Problem = check.PermFailed, a.Problem
		return out
	}
	gql := e.GraphQL
	switch {
	case gql && a.Status == http.StatusOK:
		if readGraphQL(p, v) {
			out.publicRead = e.PublicRead
		}
	case !gql && slices.Contains(e.Granted, a.Status):
		v.State = check.PermGranted
		out.publicRead = e.PublicRead
		out.publicWrite = e.PublicWrite
	case !gql && slices.Contains(e.Unsure, a.Status):
		v.State, v.Reason = check.PermUnverified, e.UnsureReason
	case a.Status == http.StatusForbidden:
		switch {
		case a.SSORequired:
			v.State, v.SSOURL = check.PermUnreachable, a.SSOURL
		case a.Policy:
			v.State, v.Policy, v.PolicyURL, v.PolicyKind = check.PermUnreachable, a.Message, a.PolicyURL, a.PolicyKind
		case gql:
			// GraphQL reports a missing permission inside a 200 answer; a
			// 403 of the whole endpoint says something else.
			v.State, v.Reason = check.PermUnverified, "the GraphQL API refused the query as a whole: "+describeAnswer(a)
		default:
			v.State, v.Message, v.Accepted = check.PermMissing, a.Message, a.Accepted
		}
	case gql && a.Status == http.StatusNotFound:
		v.State, v.Reason = check.PermUnverified, "no GraphQL API answered at "+p.Endpoint+" (404)"
	case !gql && a.Status == http.StatusNotFound:
		// On a reachable target GitHub hides what the token may not see
		// behind a 404; an unreachable target is settled afterwards.
		v.State, v.Message = check.PermMissing, a.Message
	case a.Status == http.StatusUnauthorized:
		if gql && strings.Contains(strings.ToLower(a.Message), "graphql") {
			// The token was accepted by the REST API: this server's
			// GraphQL API does not take this kind of token (older GitHub
			// Enterprise Server versions refuse fine-grained tokens there).
			v.State, v.Reason = check.PermUnverified, "the GraphQL API does not accept this token: "+describeAnswer(a)
			break
		}
		v.State = check.PermFailed
		v.Problem = &check.APIProblem{What: p.Request, Message: "the API rejected the credentials for this request"}
	default:
		v.State = check.PermUnverified
		v.Reason = fmt.Sprintf("the probe got an unexpected answer (%d)", a.Status)
	}
	return out
}

// describeAnswer says what the API answered, quoting its message.
func describeAnswer(a check.ProbeAnswer) string {
	msg := fmt.Sprintf("the API answered %d %s", a.Status, http.StatusText(a.Status))
	if a.Message != "" {
		msg += fmt.Sprintf(" (%q)", a.Message)
	}
	return msg
}

// readGraphQL reads the 200 answer of a GraphQL probe: granted when the
// data holds the field (an object), missing for a FORBIDDEN "Resource not
// accessible by …" at the field. An organization's refusal (SAML SSO, a
// token policy) and the rate limit are told apart as for REST answers; a
// repository GraphQL cannot find is left for the repository's own request
// to explain. Anything else leaves the permission unverified, with the
// reason: never a guess. It reports whether the permission was granted.
func readGraphQL(p check.ProbeResult, v *check.PermissionVerdict) bool {
	g, field := p.Answer.GraphQL, p.Expect.Field
	unverified := func(reason string, args ...any) bool {
		v.State, v.Reason = check.PermUnverified, fmt.Sprintf(reason, args...)
		return false
	}
	if g == nil || !g.Valid {
		return unverified("the GraphQL API's answer is not GitHub's GraphQL JSON")
	}
	if len(g.Errors) == 0 {
		switch {
		case g.FieldObject:
			v.State = check.PermGranted
			return true
		case g.NullAt == 0:
			return unverified("GraphQL found no repository %s, although it reported no error", v.Target)
		}
		return unverified("the GraphQL answer has no %s and no error", strings.Join(field, "."))
	}
	if g.RateLimit != nil {
		v.State, v.Problem = check.PermFailed, g.RateLimit
		return false
	}
	// SAML SSO answers 200 too, with the authorization URL in X-GitHub-SSO
	// as on REST.
	if p.Answer.SSORequired && p.Answer.SSOURL != "" {
		v.State, v.SSOURL = check.PermUnreachable, p.Answer.SSOURL
		return false
	}
	for _, e := range g.Errors {
		if e.SAMLFailure {
			return unverified("the organization's SAML single sign-on refused the query (%q), and GitHub gave no URL to authorize the token", finding.Clip(e.Message, 200))
		}
	}
	for _, e := range g.Errors {
		if e.Policy && e.Type == "FORBIDDEN" {
			v.State, v.Policy, v.PolicyURL, v.PolicyKind = check.PermUnreachable, e.Message, e.PolicyURL, e.PolicyKind
			return false
		}
	}
	for _, e := range g.Errors {
		if e.Type == "NOT_FOUND" && e.AtRoot {
			// The repository's own request says why it cannot be reached;
			// if it was reached, the two APIs disagree and nothing is proven.
			return unverified("GraphQL cannot find the repository %s that the REST API reached (%q)", v.Target, finding.Clip(e.Message, 200))
		}
	}
	for _, e := range g.Errors {
		if e.Type == "FORBIDDEN" && e.AtField && strings.Contains(strings.ToLower(e.Message), "not accessible by") {
			v.State, v.Message = check.PermMissing, e.Message
			return false
		}
	}
	for _, e := range g.Errors {
		if e.Type == "FORBIDDEN" {
			return unverified("GraphQL refused the query, but not at %s, so the refusal proves nothing of this permission (%q)",
				strings.Join(field, "."), finding.Clip(e.Message, 200))
		}
	}
	e := g.Errors[0]
	return unverified("the GraphQL API answered an error pat-check does not recognise (%s: %q)", finding.Clip(e.Type, 40), finding.Clip(e.Message, 200))
}

// settle completes a permission verdict with what is known of its target:
// an unreachable target makes its cells unreachable, and a public
// repository turns a successful public read into "proves nothing".
func settle(o probeVerdict, repos, orgs []check.Resource) check.PermissionVerdict {
	find := func(list []check.Resource, name string) (check.Resource, bool) {
		for _, r := range list {
			if strings.EqualFold(r.Name, name) {
				return r, true
			}
		}
		return check.Resource{}, false
	}
	v := o.v
	var res check.Resource
	var ok bool
	switch kind, _ := TargetOf(v.Permission.Name); kind {
	case check.TargetRepository:
		res, ok = find(repos, v.Target)
	case check.TargetOrganization:
		res, ok = find(orgs, v.Target)
	}
	if ok && res.Access != check.AccessOK && v.State != check.PermFailed {
		v.State, v.Reason = check.PermUnreachable, ""
	}
	public := ok && res.Access == check.AccessOK && !res.Private && v.State == check.PermGranted
	switch {
	case public && o.publicRead:
		v.State = check.PermPublic
	case public && o.publicWrite:
		v.State = check.PermUnverified
		v.Reason = "on a public repository GitHub lets any account open issues and pull requests, so the probe's answer proves nothing"
	}
	return v
}
