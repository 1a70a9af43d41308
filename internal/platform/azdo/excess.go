package azdo

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
)

// EvalScopeExcess is least privilege for Azure DevOps scopes: every granted
// scope the required ones do not include, and Full access always.
func (Issuer) EvalScopeExcess(o *check.Outcome, req check.Requirements, f check.Facts) {
	need := ExpandScopes(req.Scopes)
	var excess []string
	for _, g := range f.Scopes {
		if g == "" || slices.Contains(excess, g) {
			continue
		}
		// Full access is always more than specific scopes, even when the
		// expansion of the required ones would happen to list it.
		if g == FullAccess && !slices.Contains(req.Scopes, FullAccess) || !slices.Contains(need, g) {
			excess = append(excess, g)
		}
	}
	if len(excess) == 0 {
		return
	}
	labels := make([]string, len(excess))
	for i, e := range excess {
		labels[i] = fmt.Sprintf("%s (%s)", e, ScopeLabel(e))
		if e == FullAccess {
			labels[i] += ": every scope of every area, including ones added later"
		}
	}
	msg := fmt.Sprintf("the token has %s the job does not need (it needs %s): %s",
		check.NounFor(len(excess), "a scope", "scopes"), strings.Join(req.Scopes, ", "), strings.Join(labels, "; "))
	o.Find(finding.Finding{Code: finding.ScopeExcess, Severity: req.Excess, Message: msg,
		About: finding.About{Excess: excess, Needed: slices.Clone(req.Scopes)}})
	o.Add(finding.Check{Name: "Least privilege", State: check.ExcessState(req.Excess), Detail: "beyond what the job needs: " + strings.Join(excess, ", ")})
	o.Excess = append(o.Excess, excess...)
}
