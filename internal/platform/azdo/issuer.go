package azdo

import (
	"github.com/pat-check/pat-check/internal/check"
)

// Issuer is Azure DevOps' knowledge as the rules ask it (a check.Issuer):
// its scope catalogue, the verdicts of its read probes and its words.
type Issuer struct{}

var _ check.Issuer = Issuer{}

// Rejected is Azure DevOps' 401 or sign-in page for the token itself.
func (Issuer) Rejected(f check.Facts) (message, detail string) {
	if f.Expired {
		return "Azure DevOps says the token has expired" + check.QuoteAnswer(f.InvalidMessage), "401: the token has expired"
	}
	return "Azure DevOps rejected the token" + check.QuoteAnswer(f.InvalidMessage) + ": it was revoked, was created for another organization, or was copied incompletely",
		"401 / sign-in page"
}

// EvalKindAdvice: Azure DevOps has one kind of personal access token.
func (Issuer) EvalKindAdvice(*check.Outcome, check.Requirements, check.Facts) {}

// PermissionVerdicts: Azure DevOps tokens carry scopes, not permissions.
func (Issuer) PermissionVerdicts(check.Facts) []check.PermissionVerdict { return nil }

// NotFoundCauses: the Azure DevOps provider reaches no repository by name,
// so a 404 for one has the neutral causes.
func (Issuer) NotFoundCauses(check.Facts) string {
	return "the name is wrong, or it is private and the token has no access to it"
}
