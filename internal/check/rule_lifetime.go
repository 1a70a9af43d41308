package check

import (
	"fmt"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// evalLifetime is the rotation policy (max-days-left): a token valid for
// more days than the policy allows, or forever, goes against it. It runs
// after evalExpiry, whose expiry it reads, and counts days with the same
// daysLeft. When an organization told GitHub's own lifetime limit, its
// words are quoted.
func (o *Outcome) evalLifetime(iss Issuer, req Requirements, f Facts, now time.Time) {
	if req.MaxDaysLeft <= 0 || f.Kind == token.AppInstallation {
		return
	}
	sev, state := finding.Warning, finding.Warn
	if req.LifetimeEnforce {
		sev, state = finding.Error, finding.Fail
	}
	about := finding.About{MaxDays: req.MaxDaysLeft}
	var msg, detail string
	switch {
	case f.Expiry.Known && f.Expiry.Never:
		msg = fmt.Sprintf("the token never expires, and max-days-left allows at most %s", Plural(req.MaxDaysLeft, "day"))
		detail = "never expires; the policy allows " + Plural(req.MaxDaysLeft, "day")
	case o.ExpiresAt != nil && o.ExpiresAt.After(now):
		d := daysLeft(*o.ExpiresAt, now)
		if d <= req.MaxDaysLeft {
			o.add(finding.Check{Name: "Lifetime", State: finding.Pass, Detail: fmt.Sprintf("%s left, within max-days-left (%d)", Plural(d, "day"), req.MaxDaysLeft)})
			return
		}
		about.DaysLeft = &d
		msg = fmt.Sprintf("the token is valid for %s more (until %s), and max-days-left allows at most %s",
			Plural(d, "day"), o.ExpiresAt.UTC().Format("2006-01-02"), Plural(req.MaxDaysLeft, "day"))
		detail = fmt.Sprintf("%s left; the policy allows %d", Plural(d, "day"), req.MaxDaysLeft)
	default:
		return // expired, or unknown: the expiry rule says so
	}
	if org, words, ok := lifetimePolicy(iss, f); ok {
		about.Organization, about.PolicyMessage, about.Policy = org, words, finding.PolicyLifetime
		msg += fmt.Sprintf("; the organization %s enforces a limit of its own: %q", org, words)
	}
	msg += ": a leaked copy stays usable that long"
	o.find(finding.Finding{Code: finding.TokenLifetimeTooLong, Severity: sev, Message: msg, About: about})
	o.add(finding.Check{Name: "Lifetime", State: state, Detail: detail})
}

// lifetimePolicy finds the lifetime policy an organization reported in a
// refusal, with GitHub's words for it.
func lifetimePolicy(iss Issuer, f Facts) (org, words string, ok bool) {
	for _, list := range [][]Resource{f.Organizations, f.Repositories} {
		for _, r := range list {
			if r.Access == AccessPolicy && r.PolicyKind == finding.PolicyLifetime && r.Message != "" {
				org = r.Org
				if org == "" {
					org = OwnerOf(r.Name)
				}
				return org, r.Message, true
			}
		}
	}
	for _, v := range iss.PermissionVerdicts(f) {
		if v.PolicyKind == finding.PolicyLifetime && v.Policy != "" {
			return OwnerOf(v.Target), v.Policy, true
		}
	}
	return "", "", false
}
