package github

import (
	"github.com/pat-check/pat-check/internal/check"
)

// Issuer is GitHub's knowledge as the rules ask it (a check.Issuer): its
// scope hierarchy, its permission probes' verdicts and its words.
type Issuer struct{}

var _ check.Issuer = Issuer{}

// Rejected is GitHub's 401 Bad credentials.
func (Issuer) Rejected(f check.Facts) (message, detail string) {
	if f.Expired {
		// GitHub answers an expired token as any other refused one (401 Bad
		// credentials); this is for a provider that learnt more.
		return "GitHub says the token has expired" + check.QuoteAnswer(f.InvalidMessage), "401: the token has expired"
	}
	return "GitHub rejected the token" + check.QuoteAnswer(f.InvalidMessage) + ": it was revoked, has expired, was regenerated, or was copied incompletely or from another server",
		"401 Bad credentials"
}

// PermissionVerdicts decides the permission probes (permission_verdicts.go).
func (Issuer) PermissionVerdicts(f check.Facts) []check.PermissionVerdict {
	return PermissionVerdicts(f)
}
