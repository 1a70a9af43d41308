package github

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// EvalKindAdvice is "use fine-grained permissions where possible": for a
// classic token whose required scopes all have fine-grained counterparts
// (scope_info.go), it lists them; where one has none, it says that a
// classic token is still needed, and why.
func (Issuer) EvalKindAdvice(o *check.Outcome, req check.Requirements, f check.Facts) {
	if !req.KindAdvice || f.Kind != token.Classic || len(req.Scopes) == 0 {
		return
	}
	equivalent, none := FineGrainedFor(req.Scopes)
	names := make([]string, len(equivalent))
	for i, p := range equivalent {
		names[i] = p.String()
	}
	about := finding.About{Scopes: MinimalScopes(req.Scopes), Equivalents: names, NoEquivalent: none}
	var msg, detail string
	if len(none) > 0 {
		msg = fmt.Sprintf("a classic token is still needed: %s", strings.Join(none, "; "))
		detail = "classic still needed"
	} else {
		msg = fmt.Sprintf("a fine-grained token would do for this job: the scopes %s correspond to the fine-grained permissions %s, "+
			"limited to the repositories it selects and with an expiry it must have", strings.Join(about.Scopes, ", "), strings.Join(names, ", "))
		detail = "fine-grained would do: " + strings.Join(names, ", ")
	}
	o.Find(finding.Finding{Code: finding.TokenKindAdvice, Severity: finding.Notice, Message: msg, About: about})
	o.Add(finding.Check{Name: "Token kind", State: finding.Pass, Detail: detail})
}
