package azdo

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
)

// EvalScopes checks Azure DevOps scopes: against the told scope list
// when there is one, else against what read probes proved. A write scope
// that only reading could test is unverified, never guessed.
func (Issuer) EvalScopes(o *check.Outcome, req check.Requirements, f check.Facts) {
	if len(req.Scopes) == 0 {
		if f.ScopesKnown {
			o.Add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + strings.Join(f.Scopes, ", ") + " (none required)"})
		}
		return
	}
	if f.ScopesKnown {
		missing := MissingScopes(f.Scopes, req.Scopes)
		if len(missing) == 0 {
			o.Add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + strings.Join(f.Scopes, ", ")})
			return
		}
		scopesMissing(o, missing, "granted: "+strings.Join(f.Scopes, ", "))
		return
	}
	var missing, unverified, failed []string
	var reasons []string
	for i, p := range ScopeVerdicts(f) {
		switch p.State {
		case check.PermMissing:
			missing = append(missing, p.Scope)
		case check.PermUnverified:
			unverified = append(unverified, p.Scope)
			if f.ScopeProbes[i].NoProbe == "no-project" {
				p.Reason += ": set " + req.Names.Opt("project")
			}
			reasons = append(reasons, p.Scope+": "+p.Reason)
		case check.PermFailed:
			failed = append(failed, p.Scope)
			if p.Problem != nil {
				o.Inconclusive(req, *p.Problem)
			}
		}
	}
	if len(missing) > 0 {
		scopesMissing(o, missing, "its probe answered 401 after connectionData accepted the token")
	}
	if len(unverified) > 0 {
		msg := fmt.Sprintf("the scopes %s cannot be verified: %s", strings.Join(unverified, ", "), strings.Join(reasons, "; "))
		o.Find(finding.Finding{Code: finding.ScopeUnverified, Severity: finding.Warning, Message: msg, About: finding.About{Scopes: unverified}})
		o.ScopesUnverified(unverified)
	}
	switch {
	case len(missing) > 0:
	case len(unverified) > 0:
		o.Add(finding.Check{Name: "Scopes", State: finding.Warn, Detail: "unverified: " + strings.Join(unverified, ", ")})
	case len(failed) > 0:
		// The API's problem is the finding (api-error); the row says which
		// scopes it left unknown, never that they were proved.
		o.Add(finding.Check{Name: "Scopes", State: finding.Unknown, Detail: "not proved, the probe failed: " + strings.Join(failed, ", ")})
	default:
		o.Add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "proved by read probes: " + strings.Join(req.Scopes, ", ")})
	}
}

func scopesMissing(o *check.Outcome, missing []string, how string) {
	noun := "scope"
	if len(missing) > 1 {
		noun = "scopes"
	}
	labels := make([]string, len(missing))
	for i, m := range missing {
		labels[i] = fmt.Sprintf("%s (%s)", m, ScopeLabel(m))
	}
	msg := fmt.Sprintf("the token lacks the %s %s (%s)", noun, strings.Join(labels, ", "), how)
	o.Find(finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, Message: msg, About: finding.About{Scopes: missing}})
	o.Add(finding.Check{Name: "Scopes", State: finding.Fail, Detail: "missing: " + strings.Join(missing, ", ")})
	o.ScopesMissing(missing)
}
