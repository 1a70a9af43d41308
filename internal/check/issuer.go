package check

import (
	"github.com/pat-check/pat-check/internal/finding"
)

// Issuer is what the neutral rules ask of the platform that issued the
// token: how its scopes are granted and proven, how its refusal reads, what
// its permission probes prove. Each platform package (platform/github,
// platform/azdo) implements it; the pipeline hands the provider's one to
// Evaluate. check itself knows no platform's catalogue.
type Issuer interface {
	// Rejected is the finding's message and the table row's detail for an
	// API that refused the token (Facts.Invalid) or said that it has
	// expired (Facts.Expired).
	Rejected(f Facts) (message, detail string)
	// EvalScopes is the scopes rule: it adds the row and the findings for
	// the required scopes against what the API told or the probes proved.
	EvalScopes(o *Outcome, req Requirements, f Facts)
	// EvalScopeExcess adds the least-privilege finding for scopes granted
	// beyond the required ones, when the scopes are known.
	EvalScopeExcess(o *Outcome, req Requirements, f Facts)
	// EvalKindAdvice adds the advice on a better kind of token for the job,
	// where the platform has one.
	EvalKindAdvice(o *Outcome, req Requirements, f Facts)
	// PermissionVerdicts decides each permission probe: granted, missing,
	// unverified (with why), unreachable or failed.
	PermissionVerdicts(f Facts) []PermissionVerdict
	// NotFoundCauses lists why the API answered 404 for a repository, most
	// likely first for this token.
	NotFoundCauses(f Facts) string
}

// Find records a finding once: the same code about the same thing with the
// same message is one finding, however many probes led to it.
func (o *Outcome) Find(f finding.Finding) { o.find(f) }

// Add appends a row to the table of checks.
func (o *Outcome) Add(c finding.Check) { o.add(c) }

// Inconclusive records an answer from which nothing could be concluded: an
// error, or a warning under on-api-error: warn.
func (o *Outcome) Inconclusive(req Requirements, p APIProblem) { o.inconclusive(req, p) }
