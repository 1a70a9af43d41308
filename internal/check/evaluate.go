package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// Outcome is the verdict material: findings without fixes (the guide adds
// them), the rows of the table of checks, and the derived values the outputs
// and the report carry.
type Outcome struct {
	Findings     []finding.Finding
	Checks       []finding.Check
	ExpiresAt    *time.Time
	DaysLeft     *int
	ExpirySource string // "api", "declared" or ""
	// Missing lists missing scopes and permissions as the missing output
	// shows them: scope, or permission:level@target.
	Missing []string
	// Permissions are the cells of the permission × target table.
	Permissions []finding.PermissionCell
}

// Blocked reports whether the token must not be sent to any API: it failed
// an offline check, or its kind is not allowed.
func Blocked(req Requirements, insp token.Inspection) bool {
	return len(insp.Problems) > 0 || !kindAllowed(req.TokenTypes, insp.Kind)
}

func kindAllowed(allowed []token.Kind, k token.Kind) bool {
	return len(allowed) == 0 || slices.Contains(allowed, k)
}

// Evaluate decides. It never looks at the token itself, only at what was
// learned about it, so nothing here can leak it.
func Evaluate(req Requirements, insp token.Inspection, facts Facts, now time.Time) Outcome {
	var o Outcome
	o.evalOffline(req, insp)
	if !facts.Checked {
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Skipped, Detail: "not asked: the token failed an offline check"})
		o.evalDeclaredOnly(req, insp.Kind, now)
		return o
	}
	o.evalAPI(req, facts)
	if !facts.Accepted {
		return o
	}
	o.evalScopes(req, facts)
	o.evalExpiry(req, facts, now)
	o.evalResources(req, facts)
	o.evalPermissions(req, facts)
	return o
}

func (o *Outcome) add(c finding.Check) { o.Checks = append(o.Checks, c) }

func (o *Outcome) find(f finding.Finding) {
	for _, have := range o.Findings {
		if have.Code == f.Code && have.Subject == f.Subject && have.Message == f.Message {
			return
		}
	}
	o.Findings = append(o.Findings, f)
}

func (o *Outcome) evalOffline(req Requirements, insp token.Inspection) {
	if len(insp.Problems) > 0 {
		msgs := make([]string, 0, len(insp.Problems))
		for _, p := range insp.Problems {
			o.find(finding.Finding{Code: p.Code, Severity: finding.Error, Message: p.Message})
			msgs = append(msgs, p.Message)
		}
		o.add(finding.Check{Name: "Format", State: finding.Fail, Detail: strings.Join(msgs, "; ")})
	} else {
		o.add(finding.Check{Name: "Format", State: finding.Pass, Detail: DescribeKind(insp.Kind)})
	}
	if len(req.TokenTypes) == 0 {
		return
	}
	if kindAllowed(req.TokenTypes, insp.Kind) {
		o.add(finding.Check{Name: "Token kind allowed", State: finding.Pass, Detail: string(insp.Kind)})
		return
	}
	allowed := make([]string, len(req.TokenTypes))
	for i, k := range req.TokenTypes {
		allowed[i] = string(k)
	}
	msg := fmt.Sprintf("the token is a %s token, and token-types allows only %s", DescribeKind(insp.Kind), strings.Join(allowed, ", "))
	if insp.Kind == token.Unknown {
		msg = fmt.Sprintf("the token's kind cannot be recognised from its format, and token-types allows only %s", strings.Join(allowed, ", "))
	}
	o.find(finding.Finding{Code: finding.TokenTypeDisallowed, Severity: finding.Error, Message: msg, Subject: strings.Join(allowed, ",")})
	o.add(finding.Check{Name: "Token kind allowed", State: finding.Fail, Detail: msg})
}

// quoteAnswer is the API's own words, quoted in parentheses after a
// verdict, or nothing when it gave none.
func quoteAnswer(message string) string {
	if message == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", message)
}

// DescribeKind names a kind for people.
func DescribeKind(k token.Kind) string {
	switch k {
	case token.Classic:
		return "personal access token (classic)"
	case token.FineGrained:
		return "fine-grained personal access token"
	case token.OAuth:
		return "OAuth app token"
	case token.AppUser:
		return "GitHub App user token"
	case token.AppInstallation:
		return "GitHub App installation token (GITHUB_TOKEN or an App's token)"
	case token.Refresh:
		return "GitHub App refresh token"
	case token.AzureDevOps:
		return "Azure DevOps personal access token"
	}
	return "token of unrecognised format"
}

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

func (o *Outcome) evalAPI(req Requirements, f Facts) {
	switch {
	case f.Expired:
		msg := "Azure DevOps says the token has expired" + quoteAnswer(f.InvalidMessage)
		o.find(finding.Finding{Code: finding.TokenExpired, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Fail, Detail: "401: the token has expired"})
	case f.Invalid && f.Provider == "azure-devops":
		msg := "Azure DevOps rejected the token" + quoteAnswer(f.InvalidMessage) + ": it was revoked, was created for another organization, or was copied incompletely"
		o.find(finding.Finding{Code: finding.TokenInvalid, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Fail, Detail: "401 / sign-in page"})
	case f.Invalid:
		msg := "GitHub rejected the token" + quoteAnswer(f.InvalidMessage) + ": it was revoked, has expired, was regenerated, or was copied incompletely or from another server"
		o.find(finding.Finding{Code: finding.TokenInvalid, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Fail, Detail: "401 Bad credentials"})
	case f.Accepted:
		detail := "accepted"
		if f.Login != "" {
			detail = "acts as " + f.Login
		} else if f.Kind == token.AppInstallation {
			detail = fmt.Sprintf("installation token; reaches %s", plural(f.InstallationRepositoryCount, "repository"))
		}
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Pass, Detail: detail})
	default:
		o.add(finding.Check{Name: "Accepted by the API", State: finding.Unknown, Detail: "the API could not be asked"})
	}
	for _, p := range f.Problems {
		o.inconclusive(req, p)
	}
}

func (o *Outcome) evalScopes(req Requirements, f Facts) {
	if f.Provider == "azure-devops" {
		o.evalAzureScopes(req, f)
		return
	}
	if !f.ScopesKnown {
		if len(req.Scopes) > 0 {
			msg := fmt.Sprintf("a %s has no scopes (GitHub sends no X-OAuth-Scopes header for it), so the required scopes %s cannot be checked: state what the job needs as permissions instead",
				DescribeKind(f.Kind), strings.Join(req.Scopes, ", "))
			o.find(finding.Finding{Code: finding.ScopeUnverified, Severity: finding.Warning, Message: msg, Subject: strings.Join(req.Scopes, ",")})
			o.add(finding.Check{Name: "Scopes", State: finding.Warn, Detail: "this kind of token has no scopes"})
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
			o.add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + granted})
		} else {
			o.add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + granted + " (none required)"})
		}
		return
	}
	noun := "scope"
	if len(missing) > 1 {
		noun = "scopes"
	}
	msg := fmt.Sprintf("the token lacks the %s %s (granted: %s)", noun, strings.Join(missing, ", "), granted)
	o.find(finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, Message: msg, Subject: strings.Join(missing, ",")})
	o.add(finding.Check{Name: "Scopes", State: finding.Fail, Detail: "missing: " + strings.Join(missing, ", ")})
	o.Missing = append(o.Missing, missing...)
}

// evalPermissions turns probe outcomes into findings, one per target and
// kind of outcome, and the cells of the permission table. It runs after the
// resources, whose findings already explain an unreachable target.
func (o *Outcome) evalPermissions(req Requirements, f Facts) {
	if len(req.Permissions) == 0 {
		return
	}
	type group struct {
		missing, unverified                         []string
		accepted, reasons                           []string
		unreachable, failed, refused, public, cells int
	}
	groups := map[string]*group{}
	var order []string
	for _, p := range f.Permissions {
		target := p.Target
		if target == "" {
			target = loginOr(f.Login)
		}
		cell := finding.PermissionCell{Permission: p.Permission.String(), Target: target}
		g := groups[target]
		if g == nil {
			g = &group{}
			groups[target] = g
			order = append(order, target)
		}
		switch p.State {
		case PermGranted:
			cell.State = "granted"
		case PermPublic:
			cell.State, cell.Detail = "public", "readable by anyone: proves nothing about the token's grant"
			g.public++
		case PermMissing:
			cell.State, cell.Detail = "missing", p.Accepted
			g.missing = append(g.missing, p.Permission.String())
			if p.Accepted != "" && !slices.Contains(g.accepted, p.Accepted) {
				g.accepted = append(g.accepted, p.Accepted)
			}
			o.Missing = append(o.Missing, p.Permission.String()+"@"+target)
		case PermUnverified:
			cell.State, cell.Detail = "unverified", p.Reason
			g.unverified = append(g.unverified, p.Permission.String())
			g.reasons = append(g.reasons, p.Permission.String()+": "+p.Reason)
		case PermUnreachable:
			cell.State = "unreachable"
			g.unreachable++
			// The organization refused this probe on a target that is
			// otherwise reachable (a public repository of an SSO
			// organization): no other finding explains it.
			org := OwnerOf(p.Target)
			if p.Target == "" || !strings.Contains(p.Target, "/") {
				org = p.Target
			}
			switch {
			case p.SSOURL != "":
				g.refused++
				cell.Detail = "SAML SSO authorization required"
				o.find(finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, Subject: org, Detail: p.SSOURL,
					Message: fmt.Sprintf("the organization %s enforces SAML single sign-on and the token is not authorized for it", org)})
			case p.Policy != "":
				g.refused++
				cell.Detail = "refused by organization policy"
				o.find(finding.Finding{Code: finding.OrganizationPolicy, Severity: finding.Error, Subject: org, Detail: p.PolicyURL,
					Message: fmt.Sprintf("the organization %s refuses this token: %q", org, p.Policy)})
			}
		case PermFailed:
			cell.State = "unknown"
			g.failed++
			if p.Problem != nil {
				o.inconclusive(req, *p.Problem)
			}
		default:
			cell.State = "unknown"
		}
		g.cells++
		o.Permissions = append(o.Permissions, cell)
	}
	for _, target := range order {
		g := groups[target]
		state, detail := finding.Pass, "granted"
		switch {
		case g.refused > 0:
			state, detail = finding.Fail, "refused by the organization (SAML SSO or token policy)"
		case g.unreachable > 0:
			state, detail = finding.Skipped, "not probed: the target cannot be reached"
		case g.failed > 0:
			state, detail = finding.Unknown, "the API could not tell"
		case g.public == g.cells:
			detail = "public repository: readable by anyone, so the grant is not proven"
		}
		if len(g.missing) > 0 {
			msg := fmt.Sprintf("the token lacks %s on %s", strings.Join(g.missing, ", "), target)
			if len(g.accepted) > 0 {
				msg += fmt.Sprintf(" (GitHub answered 403 and says the requests need %s)", strings.Join(g.accepted, "; "))
			}
			o.find(finding.Finding{Code: finding.PermissionMissing, Severity: finding.Error, Message: msg, Subject: target, Detail: strings.Join(g.missing, ",")})
			state, detail = finding.Fail, "missing: "+strings.Join(g.missing, ", ")
		}
		if len(g.unverified) > 0 {
			why := strings.Join(g.reasons, "; ")
			if len(g.reasons) == 1 {
				// One permission: the reason needs no label.
				why = strings.TrimPrefix(why, g.unverified[0]+": ")
			}
			msg := fmt.Sprintf("pat-check cannot verify %s on %s: %s", strings.Join(g.unverified, ", "), target, why)
			o.find(finding.Finding{Code: finding.PermissionUnverified, Severity: finding.Warning, Message: msg, Subject: target})
			if state == finding.Pass {
				state = finding.Warn
			}
			detail += "; unverified: " + strings.Join(g.unverified, ", ")
		}
		o.add(finding.Check{Name: "Permissions on " + target, State: state, Detail: strings.TrimPrefix(detail, "granted; ")})
	}
}

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
func (o *Outcome) evalDeclaredOnly(req Requirements, _ token.Kind, now time.Time) {
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

// daysLeft is the number of whole days until at; negative once past.
func daysLeft(at, now time.Time) int {
	d := at.Sub(now)
	if d < 0 {
		return -int((-d + 24*time.Hour - 1) / (24 * time.Hour))
	}
	return int(d / (24 * time.Hour))
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
		msg := fmt.Sprintf("the token expired on %s%s", when, src)
		o.find(finding.Finding{Code: finding.TokenExpired, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Expiry", State: finding.Fail, Detail: "expired " + when})
	case d < req.MinDaysLeft:
		msg := fmt.Sprintf("the token expires on %s%s, in %s: fewer than min-days-left (%d)", when, src, plural(d, "day"), req.MinDaysLeft)
		o.find(finding.Finding{Code: finding.TokenExpiring, Severity: finding.Error, Message: msg})
		o.add(finding.Check{Name: "Expiry", State: finding.Fail, Detail: fmt.Sprintf("%s, %s left", when, plural(d, "day"))})
	case d < req.WarnDaysLeft:
		msg := fmt.Sprintf("the token expires on %s%s, in %s: fewer than warn-days-left (%d)", when, src, plural(d, "day"), req.WarnDaysLeft)
		o.find(finding.Finding{Code: finding.TokenExpiryWarning, Severity: finding.Warning, Message: msg})
		o.add(finding.Check{Name: "Expiry", State: finding.Warn, Detail: fmt.Sprintf("%s, %s left", when, plural(d, "day"))})
	default:
		o.add(finding.Check{Name: "Expiry", State: finding.Pass, Detail: fmt.Sprintf("%s%s, %s left", when, src, plural(d, "day"))})
	}
}

func plural(n int, word string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
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

func (o *Outcome) evalResources(req Requirements, f Facts) {
	for _, r := range f.Repositories {
		o.resource(req, f, r, "Repository")
	}
	for _, r := range f.Organizations {
		o.resource(req, f, r, "Organization")
	}
}

func (o *Outcome) resource(req Requirements, f Facts, r Resource, what string) {
	name := what + " " + r.Name
	switch r.Access {
	case AccessOK:
		detail := "reachable"
		if what == "Repository" && r.Private {
			detail = "reachable (private)"
		}
		o.add(finding.Check{Name: name, State: finding.Pass, Detail: detail})
	case AccessSSO:
		org := r.Org
		if org == "" {
			org = OwnerOf(r.Name)
		}
		msg := fmt.Sprintf("the organization %s enforces SAML single sign-on and the token is not authorized for it", org)
		o.find(finding.Finding{Code: finding.SSOAuthorizationRequired, Severity: finding.Error, Message: msg, Subject: org, Detail: r.SSOURL})
		o.add(finding.Check{Name: name, State: finding.Fail, Detail: "SAML SSO authorization required"})
	case AccessPolicy:
		org := r.Org
		if org == "" {
			org = OwnerOf(r.Name)
		}
		msg := fmt.Sprintf("the organization %s refuses this token: %q", org, r.Message)
		o.find(finding.Finding{Code: finding.OrganizationPolicy, Severity: finding.Error, Message: msg, Subject: org, Detail: r.PolicyURL})
		o.add(finding.Check{Name: name, State: finding.Fail, Detail: "refused by organization policy"})
	case AccessNotFound, AccessForbidden:
		o.inaccessible(f, r, what, name)
	case AccessFailed:
		if r.Problem != nil {
			o.inconclusive(req, *r.Problem)
		}
		o.add(finding.Check{Name: name, State: finding.Unknown, Detail: "the API could not tell"})
	default:
		o.add(finding.Check{Name: name, State: finding.Skipped})
	}
}

// OwnerOf is the owner part of owner/name.
func OwnerOf(full string) string {
	owner, _, _ := strings.Cut(full, "/")
	return owner
}

func (o *Outcome) inaccessible(f Facts, r Resource, what, name string) {
	if what == "Organization" {
		msg := fmt.Sprintf("the organization %s does not exist or is not visible to the token", r.Name)
		if r.Access == AccessForbidden && r.Message != "" {
			msg = fmt.Sprintf("the organization %s refused the token: %q", r.Name, r.Message)
		}
		o.find(finding.Finding{Code: finding.OrganizationInaccessible, Severity: finding.Error, Message: msg, Subject: r.Name})
		o.add(finding.Check{Name: name, State: finding.Fail, Detail: "not reachable"})
		return
	}
	var msg string
	if r.Access == AccessForbidden {
		msg = fmt.Sprintf("the repository %s refused the token (403 %q)", r.Name, r.Message)
		if r.AcceptedPermissions != "" {
			msg += fmt.Sprintf("; GitHub says the request needs %s", r.AcceptedPermissions)
		}
	} else {
		msg = fmt.Sprintf("the repository %s cannot be reached with the token (404): %s", r.Name, notFoundCauses(f))
	}
	o.find(finding.Finding{Code: finding.RepositoryInaccessible, Severity: finding.Error, Message: msg, Subject: r.Name})
	o.add(finding.Check{Name: name, State: finding.Fail, Detail: "not reachable"})
}

// notFoundCauses lists why GitHub answers 404 for a repository, most likely
// first for this kind of token: GitHub hides private repositories the token
// cannot see behind a 404.
func notFoundCauses(f Facts) string {
	switch f.Kind {
	case token.FineGrained:
		return "the name is wrong, or the repository is not selected under the token's repository access, or the token's resource owner is not the repository's owner, or the organization has not yet approved the token"
	case token.AppInstallation:
		return "the name is wrong, or the App is not installed on it (GITHUB_TOKEN reaches only the workflow's own repository and public ones)"
	case token.Classic, token.OAuth:
		if f.ScopesKnown && !slices.Contains(ExpandScopes(f.Scopes), "repo") {
			return "the name is wrong, or it is private and the token lacks the repo scope, or the account " + loginOr(f.Login) + " has no access to it"
		}
		return "the name is wrong, or it is private and the account " + loginOr(f.Login) + " has no access to it"
	}
	return "the name is wrong, or it is private and the token has no access to it"
}

func loginOr(l string) string {
	if l == "" {
		return "behind the token"
	}
	return l
}

// evalAzureScopes checks Azure DevOps scopes: against the told scope list
// when there is one, else against what read probes proved. A write scope
// that only reading could test is unverified, never guessed.
func (o *Outcome) evalAzureScopes(req Requirements, f Facts) {
	if len(req.Scopes) == 0 {
		if f.ScopesKnown {
			o.add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + strings.Join(f.Scopes, ", ") + " (none required)"})
		}
		return
	}
	if f.ScopesKnown {
		missing := MissingAzureScopes(f.Scopes, req.Scopes)
		if len(missing) == 0 {
			o.add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "granted: " + strings.Join(f.Scopes, ", ")})
			return
		}
		o.azureScopesMissing(missing, "granted: "+strings.Join(f.Scopes, ", "))
		return
	}
	var missing, unverified []string
	var reasons []string
	for _, p := range f.ScopeProbes {
		switch p.State {
		case PermMissing:
			missing = append(missing, p.Scope)
		case PermUnverified:
			unverified = append(unverified, p.Scope)
			reasons = append(reasons, p.Scope+": "+p.Reason)
		case PermFailed:
			if p.Problem != nil {
				o.inconclusive(req, *p.Problem)
			}
		}
	}
	if len(missing) > 0 {
		o.azureScopesMissing(missing, "a read probe answered 401")
	}
	if len(unverified) > 0 {
		msg := fmt.Sprintf("the scopes %s cannot be verified: %s", strings.Join(unverified, ", "), strings.Join(reasons, "; "))
		o.find(finding.Finding{Code: finding.ScopeUnverified, Severity: finding.Warning, Message: msg, Subject: strings.Join(unverified, ",")})
	}
	switch {
	case len(missing) > 0:
	case len(unverified) > 0:
		o.add(finding.Check{Name: "Scopes", State: finding.Warn, Detail: "unverified: " + strings.Join(unverified, ", ")})
	default:
		o.add(finding.Check{Name: "Scopes", State: finding.Pass, Detail: "proved by read probes: " + strings.Join(req.Scopes, ", ")})
	}
}

func (o *Outcome) azureScopesMissing(missing []string, how string) {
	noun := "scope"
	if len(missing) > 1 {
		noun = "scopes"
	}
	labels := make([]string, len(missing))
	for i, m := range missing {
		labels[i] = fmt.Sprintf("%s (%s)", m, AzureScopeLabel(m))
	}
	msg := fmt.Sprintf("the token lacks the %s %s (%s)", noun, strings.Join(labels, ", "), how)
	o.find(finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, Message: msg, Subject: strings.Join(missing, ",")})
	o.add(finding.Check{Name: "Scopes", State: finding.Fail, Detail: "missing: " + strings.Join(missing, ", ")})
	o.Missing = append(o.Missing, missing...)
}
