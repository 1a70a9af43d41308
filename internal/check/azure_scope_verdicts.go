package check

import (
	"fmt"
	"net/http"
)

// AzureScopeVerdicts decides each required Azure DevOps scope from the read
// probe of its area: a 200 proves the read scope (and so nothing of a
// write scope), the bare 401 of a scope-gated endpoint proves the area's
// scopes missing (no read scope means no scope of the area at all), and
// anything else settles nothing, with the reason.
func AzureScopeVerdicts(f Facts) []ScopeVerdict {
	out := make([]ScopeVerdict, len(f.ScopeProbes))
	for i, p := range f.ScopeProbes {
		out[i] = azureScopeVerdict(p)
	}
	return out
}

func azureScopeVerdict(p ScopeFact) ScopeVerdict {
	v := ScopeVerdict{Scope: p.Scope, State: PermUnverified}
	fam, isRead, known := AzureFamily(p.Scope)
	switch {
	case p.Scope == AzureFullAccess:
		v.Reason = "full access cannot be proven by reading"
		return v
	case !known || p.NoProbe == "unknown":
		v.Reason = "pat-check does not know this scope"
		return v
	case p.NoProbe == "no-request":
		v.Reason = "no read request is known for this scope's area"
		return v
	case p.NoProbe == "no-project":
		v.Reason = "its read probe needs a project: set project"
		return v
	}
	a := p.Answer
	if a.Problem != nil {
		v.State, v.Problem = PermFailed, a.Problem
		return v
	}
	switch {
	case a.SignIn:
		v.Reason = "the probe got a sign-in page"
	case a.Status == http.StatusOK && isRead:
		v.State = PermGranted
	case a.Status == http.StatusOK:
		v.Reason = fmt.Sprintf("%s is granted, but a write scope cannot be proven by reading", AzureReadScope(fam))
	case a.PlainRefusal:
		v.State = PermMissing
	case a.Status == http.StatusUnauthorized:
		v.Reason = fmt.Sprintf("the probe was refused (401%s), not in the way a missing scope is", spacedQuote(a.Message))
	case a.Status == http.StatusForbidden:
		v.Reason = fmt.Sprintf("the user lacks a permission in this area (403%s), so the scope cannot be tested", spacedQuote(a.Message))
	case a.Status == http.StatusNotFound && p.Project != "":
		v.Reason = fmt.Sprintf("the project %q does not exist or the user cannot see it (404%s)", p.Project, spacedQuote(a.Message))
	case a.Status == http.StatusNotFound:
		v.Reason = fmt.Sprintf("the service does not have this area, or the user cannot see it (404%s)", spacedQuote(a.Message))
	default:
		v.Reason = fmt.Sprintf("the probe got an unexpected answer (%d)", a.Status)
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
