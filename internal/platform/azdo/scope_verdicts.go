package azdo

import (
	"fmt"
	"net/http"

	"github.com/pat-check/pat-check/internal/check"
)

// ScopeVerdicts decides each required Azure DevOps scope from its probe:
// its own (a read, or a write aimed at an id that cannot exist) or the read
// probe of a scope it includes. connectionData has accepted the token by
// then, so a 401 on a scope-gated request proves the probed scope missing,
// and with it every scope that includes it, whatever the 401's body says (a
// TF400813 naming the user is how a scope refusal reads). Only an answer
// that refuses the token itself (a sign-in page, a 203, the anonymous user,
// "has expired") says something else. A 200 of a read proves its scope; a
// 404 of a write aimed at an id that cannot exist proves the write scope
// (the scope is checked before the id is looked up); anything else settles
// nothing, with the reason.
func ScopeVerdicts(f check.Facts) []check.ScopeVerdict {
	out := make([]check.ScopeVerdict, len(f.ScopeProbes))
	for i, p := range f.ScopeProbes {
		out[i] = scopeVerdict(p)
	}
	return out
}

func scopeVerdict(p check.ScopeFact) check.ScopeVerdict {
	v := check.ScopeVerdict{Scope: p.Scope, State: check.PermUnverified}
	_, _, known := Family(p.Scope)
	switch {
	case p.Scope == FullAccess:
		v.Reason = "full access cannot be proven by a request that changes nothing"
		return v
	case !known || p.NoProbe == "unknown":
		v.Reason = "pat-check does not know this scope"
		return v
	case p.NoProbe == "no-request":
		v.Reason = "no request is known that proves this scope, or a scope it includes, without changing anything"
		return v
	case p.NoProbe == "no-project":
		v.Reason = "its probe needs a project: set project"
		return v
	}
	a := p.Answer
	if a.Problem != nil {
		v.State, v.Problem = check.PermFailed, a.Problem
		return v
	}
	own := p.ProbedScope == "" || p.ProbedScope == p.Scope
	switch {
	case a.SignIn:
		v.Reason = "the probe got a sign-in page: the service refused the token itself"
	case a.TokenRefused:
		v.Reason = fmt.Sprintf("the service refused the token itself on the probe (401%s), although connectionData accepted it", spacedQuote(a.Message))
	case a.Status == http.StatusUnauthorized:
		v.State = check.PermMissing
	case own && !p.Write && a.Status == http.StatusOK:
		v.State = check.PermGranted
	case own && p.Write && a.Status == http.StatusNotFound:
		v.State = check.PermGranted
	case !own && (a.Status == http.StatusOK || p.Write && a.Status == http.StatusNotFound):
		v.Reason = fmt.Sprintf("%s is granted, but no request is known that proves %s without changing anything", p.ProbedScope, p.Scope)
	case a.Status == http.StatusForbidden:
		v.Reason = fmt.Sprintf("the user lacks a permission in this area (403%s), so the scope cannot be tested", spacedQuote(a.Message))
	case a.Status == http.StatusNotFound && p.Project != "":
		v.Reason = fmt.Sprintf("the project %q does not exist or the user cannot see it (404%s)", p.Project, spacedQuote(a.Message))
	case a.Status == http.StatusNotFound:
		v.Reason = fmt.Sprintf("the service does not have this area, or the user cannot see it (404%s)", spacedQuote(a.Message))
	default:
		v.Reason = fmt.Sprintf("the probe got an unexpected answer (%d%s)", a.Status, spacedQuote(a.Message))
	}
	return v
}

// spacedQuote is a message quoted after a space, or nothing.
func spacedQuote(m string) string {
	if m == "" {
		return ""
	}
	return fmt.Sprintf(" %q", m)
}
