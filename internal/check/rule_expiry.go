package check

import (
	"fmt"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// expiryNoise is how close to now an expiry header may be before it is taken
// for the "current time" some fine-grained tokens are reported to return.
const expiryNoise = time.Minute

func (o *Outcome) evalExpiry(req Requirements, f Facts, now time.Time) {
	if f.Kind == token.AppInstallation {
		o.add(finding.Check{Name: "Expiry", State: finding.Pass, Detail: "short-lived: an installation token lasts one hour, GITHUB_TOKEN until the job ends"})
		return
	}
	e := f.Expiry
	switch {
	case e.Known && e.Never:
		o.ExpirySource = "api"
		o.noExpiry(req)
	case e.Known && absDuration(e.At.Sub(now)) > expiryNoise:
		o.ExpirySource = "api"
		if e.Source != "" {
			o.ExpirySource = e.Source
		}
		o.expiresAt(req, e.At, now)
	case req.DeclaredExpiry != nil:
		o.ExpirySource = "declared"
		o.expiresAt(req, *req.DeclaredExpiry, now)
	default:
		o.unknownExpiry(req, f.Kind, e.Note)
	}
}

// evalDeclaredOnly reports the declared expiry when the API was not asked,
// so that the outputs still carry what is known.
func (o *Outcome) evalDeclaredOnly(req Requirements, now time.Time) {
	if req.DeclaredExpiry == nil {
		return
	}
	at := req.DeclaredExpiry.UTC()
	o.ExpirySource = "declared"
	o.ExpiresAt = &at
	d := daysLeft(at, now)
	o.DaysLeft = &d
}

func absDuration(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// daysLeft is the number of whole days until at, and once past, minus the
// number of whole days since: whole days of 24 hours, each way rounded
// toward zero, so that a token that expired two and a half days ago has
// -2 days left and "expired 2 days ago". Every count of days (days-left,
// the messages, the summary) is this one; durations need no time zone, and
// dates are shown in UTC.
func daysLeft(at, now time.Time) int {
	// Go's integer division truncates toward zero: the same rounding down
	// of whole days before at and after it.
	return int(at.Sub(now) / (24 * time.Hour))
}

// ago says how long ago a day count (≤ 0) was: "less than a day ago",
// "1 day ago", "2 days ago".
func ago(days int) string {
	if days >= 0 {
		return "less than a day ago"
	}
	return Plural(-days, "day") + " ago"
}

func (o *Outcome) expiresAt(req Requirements, at, now time.Time) {
	at = at.UTC()
	d := daysLeft(at, now)
	o.ExpiresAt = &at
	o.DaysLeft = &d
	when := at.Format("2006-01-02 15:04 UTC")
	src := ""
	switch o.ExpirySource {
	case "declared":
		src = " (declared with expires-on)"
	case "token-list":
		src = " (from the user's token list)"
	}
	switch {
	case !at.After(now):
		msg := fmt.Sprintf("the token expired on %s%s, %s", when, src, ago(d))
		o.find(finding.Finding{Code: finding.TokenExpired, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Expiry", State: finding.Fail, Detail: fmt.Sprintf("expired %s, %s", when, ago(d))})
	case d < req.MinDaysLeft:
		msg := fmt.Sprintf("the token expires on %s%s, in %s: fewer than min-days-left (%d)", when, src, Plural(d, "day"), req.MinDaysLeft)
		o.find(finding.Finding{Code: finding.TokenExpiring, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Expiry", State: finding.Fail, Detail: fmt.Sprintf("%s, %s left", when, Plural(d, "day"))})
	case d < req.WarnDaysLeft:
		msg := fmt.Sprintf("the token expires on %s%s, in %s: fewer than warn-days-left (%d)", when, src, Plural(d, "day"), req.WarnDaysLeft)
		o.find(finding.Finding{Code: finding.TokenExpiryWarning, Severity: finding.Warning, Message: msg})
		o.add(finding.Check{Name: "Expiry", State: finding.Warn, Detail: fmt.Sprintf("%s, %s left", when, Plural(d, "day"))})
	default:
		o.add(finding.Check{Name: "Expiry", State: finding.Pass, Detail: fmt.Sprintf("%s%s, %s left", when, src, Plural(d, "day"))})
	}
}

func (o *Outcome) noExpiry(req Requirements) {
	sev, state := finding.Warning, finding.Warn
	msg := "the token never expires: a leaked copy stays usable until someone revokes it"
	if req.RequireExpiration {
		sev, state = finding.Error, finding.Fail
		msg += ", and require-expiration is set"
	}
	o.find(finding.Finding{Code: finding.TokenNoExpiration, Severity: sev, Message: msg})
	o.add(finding.Check{Name: "Expiry", State: state, Detail: "never expires"})
}

func (o *Outcome) unknownExpiry(req Requirements, k token.Kind, note string) {
	sev, state := finding.Notice, finding.Unknown
	msg := fmt.Sprintf("the expiry of this %s cannot be learned from the API", DescribeKind(k))
	if note != "" {
		msg += ": " + note
	}
	if req.RequireExpiration {
		sev, state = finding.Warning, finding.Warn
	}
	o.find(finding.Finding{Code: finding.TokenExpiryUnknown, Severity: sev, Message: msg})
	o.add(finding.Check{Name: "Expiry", State: state, Detail: "unknown"})
}
