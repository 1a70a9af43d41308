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
			msg := fmt.Sprintf("a %s has no scopes (GitHub sends no X-OAuth-Scopes header for it), so the required scopes %s cannot be checked: state what the job needs as %s instead",
				check.DescribeKind(f.Kind), strings.Join(req.Scopes, ", "), req.Names.Opt("permissions"))
			o.Find(finding.Finding{Code: finding.ScopeUnverified, Severity: finding.Warning, Message: msg, About: finding.About{Scopes: req.Scopes}})
			o.ScopesUnverified(req.Scopes)
			o.Add(finding.Check{Name: "Scopes", State: finding.Warn, Detail: "this kind of token has no scopes"})
		}
		return
	}
	missing := MissingScopes(f.Scopes, req.Scopes)
	assumed := ""
	if as := AssumedScopes(f.Scopes, req.Scopes); len(as) > 0 {
		about := finding.About{}
		var words []string
		for _, a := range as {
			about.Scopes = append(about.Scopes, a.Scope)
			implied := a.Parent + " includes " + a.Child
			about.Implied = append(about.Implied, implied)
			words = append(words, fmt.Sprintf("%s (granted because %s)", a.Scope, implied))
		}
		msg := fmt.Sprintf("%s counted as granted through an inclusion GitHub's token page shows but its docs (\"Scopes for OAuth apps\") do not state: %s",
			check.NounFor(len(as), "a required scope is", "required scopes are"), strings.Join(words, "; "))
		o.Find(finding.Finding{Code: finding.ScopeAssumed, Severity: finding.Notice, Message: msg, About: about})
		assumed = " (assumed: " + strings.Join(about.Scopes, ", ") + ")"
	}
	granted := "none"
	if len(f.Scopes) > 0 {
		granted = strings.Join(f.Scopes, ", ")
	}
	if len(missing) == 0 {
		if len(req.Scopes) > 0 {
			o.Add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + granted + assumed})
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
	o.ScopesMissing(missing)
}
