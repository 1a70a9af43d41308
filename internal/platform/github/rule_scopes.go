package github

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
)

// EvalScopes checks a GitHub token's scopes: classic and OAuth tokens are
// told theirs in X-OAuth-Scopes; other kinds have none.
func (Issuer) EvalScopes(o *check.Outcome, req check.Requirements, f check.Facts) {
	if !f.ScopesKnown {
		if len(req.Scopes) > 0 {
			msg := fmt.Sprintf("a %s has no scopes (GitHub sends no X-OAuth-Scopes header for it), so the required scopes %s cannot be checked: state what the job needs as permissions instead",
				check.DescribeKind(f.Kind), strings.Join(req.Scopes, ", "))
			o.Find(finding.Finding{Code: finding.ScopeUnverified, Severity: finding.Warning, Message: msg, About: finding.About{Scopes: req.Scopes}})
			o.Add(finding.Check{Name: "Scopes", State: finding.Warn, Detail: "this kind of token has no scopes"})
		}
		return
	}
	missing := MissingScopes(f.Scopes, req.Scopes)
	granted := "none"
	if len(f.Scopes) > 0 {
		granted = strings.Join(f.Scopes, ", ")
	}
	if len(missing) == 0 {
		if len(req.Scopes) > 0 {
			o.Add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + granted})
		} else {
			o.Add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + granted + " (none required)"})
		}
		return
	}
	noun := "scope"
	if len(missing) > 1 {
		noun = "scopes"
	}
	msg := fmt.Sprintf("the token lacks the %s %s (granted: %s)", noun, strings.Join(missing, ", "), granted)
	o.Find(finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, Message: msg, About: finding.About{Scopes: missing}})
	o.Add(finding.Check{Name: "Scopes", State: finding.Fail, Detail: "missing: " + strings.Join(missing, ", ")})
	o.Missing = append(o.Missing, missing...)
}
