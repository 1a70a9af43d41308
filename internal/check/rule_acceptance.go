package check

import (
	"fmt"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

func (o *Outcome) inconclusive(req Requirements, p APIProblem) {
	sev := finding.Error
	if req.WarnOnAPIError {
		sev = finding.Warning
	}
	if p.RateLimited {
		msg := "the API rate limit is exhausted, so the token could not be checked"
		if !p.ResetAt.IsZero() {
			msg += fmt.Sprintf(" (it resets at %s)", p.ResetAt.UTC().Format(time.RFC3339))
		}
		o.find(finding.Finding{Code: finding.RateLimited, Severity: sev, Message: msg})
		return
	}
	msg := fmt.Sprintf("%s failed: %s", p.What, p.Message)
	o.find(finding.Finding{Code: finding.APIError, Severity: sev, Message: msg})
}

// evalAcceptance is whether the API accepted the token, and every answer
// from which nothing could be concluded.
func (o *Outcome) evalAcceptance(iss Issuer, req Requirements, f Facts) {
	switch {
	case f.Expired:
		msg, detail := iss.Rejected(f)
		o.find(finding.Finding{Code: finding.TokenExpired, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Fail, Detail: detail})
	case f.Invalid:
		msg, detail := iss.Rejected(f)
		o.find(finding.Finding{Code: finding.TokenInvalid, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Fail, Detail: detail})
	case f.Accepted:
		detail := "accepted"
		if f.Login != "" {
			detail = "acts as " + f.Login
		} else if f.Kind == token.AppInstallation {
			detail = fmt.Sprintf("installation token; reaches %s", Plural(f.InstallationRepositoryCount, "repository"))
		}
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Pass, Detail: detail})
	default:
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Unknown, Detail: "the API could not be asked"})
	}
	for _, p := range f.Problems {
		o.inconclusive(req, p)
	}
}
