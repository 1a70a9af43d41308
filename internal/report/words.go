package report

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
)

// Title is a finding as a short human title, for an annotation's title
// ("Missing scope: workflow"); the code goes with the message.
func Title(f finding.Finding, r Report) string {
	if f.Token != "" {
		return f.Token + ": " + title(f, r.of(f))
	}
	return title(f, r)
}

func title(f finding.Finding, r Report) string {
	a := f.About
	switch f.Code {
	case finding.ConfigInvalid:
		if name, _, ok := strings.Cut(f.Message, ":"); ok && !strings.ContainsAny(name, " \n") {
			return "Invalid option: " + name
		}
		return "Invalid option"
	case finding.TokenMissing:
		return "No token"
	case finding.TokenUnexpanded:
		return "Token is an unexpanded reference"
	case finding.TokenMalformed:
		return "Malformed token"
	case finding.TokenTypeDisallowed:
		return "Token kind not allowed"
	case finding.TokenInvalid:
		return "Token rejected"
	case finding.TokenExpired:
		return "Token expired"
	case finding.TokenExpiring, finding.TokenExpiryWarning:
		if r.DaysLeft != nil {
			return "Token " + expiresIn(*r.DaysLeft)
		}
		return "Token expires soon"
	case finding.TokenNoExpiration:
		return "Token never expires"
	case finding.TokenExpiryUnknown:
		return "Expiry unknown"
	case finding.ScopeMissing:
		return countedLabel("Missing scope", a.Scopes, "")
	case finding.ScopeUnverified:
		return countedLabel("Unverified scope", a.Scopes, "")
	case finding.PermissionMissing:
		return countedLabel("Missing permission", a.Permissions, a.Target)
	case finding.PermissionUnverified:
		return countedLabel("Unverified permission", a.Permissions, a.Target)
	case finding.RepositoryInaccessible:
		return labelled("Repository unreachable", a.Repository)
	case finding.OrganizationInaccessible:
		return labelled("Organization not visible", a.Organization)
	case finding.SSOAuthorizationRequired:
		return labelled("SAML SSO authorization required", a.Organization)
	case finding.OrganizationPolicy:
		return labelled("Organization policy", a.Organization)
	case finding.RateLimited:
		return "Rate limit exhausted"
	case finding.APIError:
		return "API unreachable"
	case finding.ScopeExcess:
		return countedLabel("Excess scope", a.Excess, "")
	case finding.PermissionExcess:
		return countedLabel("Excess permission", a.Excess, a.Target)
	case finding.TokenLifetimeTooLong:
		return "Token lives longer than the rotation policy allows"
	case finding.TokenKindAdvice:
		return "A fine-grained token would do"
	case finding.TokenCommitted:
		if a.File != "" {
			return fmt.Sprintf("Token committed: %s, line %d", a.File, a.Line)
		}
		return "Token committed"
	case finding.TokenUnused:
		return "No workflow uses the token"
	case finding.Cancelled:
		return "Cancelled"
	case finding.ReportUnwritten:
		return "Report not written"
	case finding.RequirementsInferred:
		return "Requirements inferred from the workflow"
	case finding.RequirementUnknown:
		return "Steps whose needs are unknown"
	}
	return string(f.Code)
}

// Summary is a finding as the clause of a verdict a person would write:
// "the token lacks the workflow scope". The message keeps the detail.
func Summary(f finding.Finding, r Report) string {
	a := f.About
	switch f.Code {
	case finding.TokenMissing:
		return "no token was given"
	case finding.TokenUnexpanded:
		return "the token is an unexpanded variable reference"
	case finding.TokenMalformed:
		return "the token is malformed"
	case finding.TokenTypeDisallowed:
		return "this kind of token is not allowed"
	case finding.TokenInvalid:
		return "the token was rejected"
	case finding.TokenExpired:
		if r.DaysLeft != nil {
			return "the token " + expiredAgo(-*r.DaysLeft)
		}
		return "the token has expired"
	case finding.TokenExpiring, finding.TokenExpiryWarning:
		if r.DaysLeft != nil {
			return "the token " + expiresIn(*r.DaysLeft)
		}
		return "the token expires soon"
	case finding.TokenNoExpiration:
		return "the token never expires"
	case finding.TokenExpiryUnknown:
		return "the token's expiry is unknown"
	case finding.ScopeMissing:
		if len(a.Scopes) > 0 {
			return "the token lacks the " + andList(a.Scopes) + " " + pluralWord(len(a.Scopes), "scope")
		}
	case finding.ScopeUnverified:
		if len(a.Scopes) > 0 {
			return "the " + andList(a.Scopes) + " " + pluralWord(len(a.Scopes), "scope") + " cannot be verified"
		}
		return "the scopes cannot be verified"
	case finding.PermissionMissing:
		if len(a.Permissions) > 0 {
			return "the token lacks " + andList(a.Permissions) + on(a.Target)
		}
	case finding.PermissionUnverified:
		if len(a.Permissions) > 0 {
			return andList(a.Permissions) + on(a.Target) + " cannot be verified"
		}
	case finding.RepositoryInaccessible:
		if a.Repository != "" {
			return "the token cannot reach " + a.Repository
		}
	case finding.OrganizationInaccessible:
		if a.Organization != "" {
			return "the organization " + a.Organization + " is not visible to the token"
		}
	case finding.SSOAuthorizationRequired:
		if a.Organization != "" {
			return "the token is not authorized for " + a.Organization + "'s SAML single sign-on"
		}
	case finding.OrganizationPolicy:
		if a.Organization != "" {
			return a.Organization + "'s policy refuses the token"
		}
	case finding.RateLimited:
		return "the API's rate limit is exhausted"
	case finding.APIError:
		return "the API could not be reached"
	case finding.ScopeExcess:
		if len(a.Excess) > 0 {
			return "the token has the " + andList(a.Excess) + " " + pluralWord(len(a.Excess), "scope") + " the job does not need"
		}
	case finding.PermissionExcess:
		if len(a.Excess) > 0 {
			return "the token holds " + andList(a.Excess) + on(a.Target) + ", which the job does not need"
		}
	case finding.TokenLifetimeTooLong:
		return "the token lives longer than the rotation policy allows"
	case finding.Cancelled:
		return "the run was cancelled before the checks finished"
	case finding.ReportUnwritten:
		return "the report could not be written"
	case finding.TokenCommitted:
		if a.File != "" {
			return fmt.Sprintf("the token's value is committed in %s, line %d", a.File, a.Line)
		}
		return "the token's value is committed to the repository"
	case finding.TokenUnused:
		return "no workflow uses the token"
	}
	return f.Message
}

// Problems are the findings that need the user: errors and warnings.
func (r Report) Problems() []finding.Finding {
	var ps []finding.Finding
	for _, f := range r.Findings {
		if f.Severity == finding.Error {
			ps = append(ps, f)
		}
	}
	for _, f := range r.Findings {
		if f.Severity == finding.Warning {
			ps = append(ps, f)
		}
	}
	return ps
}

// Headline is the verdict line: "FAIL: the token lacks the workflow
// scope", the worst problem first and a count of the others.
func (r Report) Headline() string {
	return strings.ToUpper(string(r.Result)) + ": " + r.verdict(false)
}

// verdict is the headline without its result; all names every problem.
func (r Report) verdict(all bool) string {
	if r.Tokens != nil {
		return r.severalVerdict(all)
	}
	ps := r.Problems()
	if len(ps) == 0 {
		if r.ConfigInvalid {
			return "the options are invalid"
		}
		return "the token passed every check"
	}
	if r.ConfigInvalid && !all {
		return "the options are invalid: " + Summary(ps[0], r) + more(len(ps)-1)
	}
	if !all {
		return Summary(ps[0], r) + more(len(ps)-1)
	}
	if len(ps) == 1 {
		return Summary(ps[0], r)
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = Summary(p, r)
	}
	return fmt.Sprintf("%d problems: %s", len(ps), strings.Join(parts, "; "))
}

func more(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (and %s)", counted(n, "more problem"))
}

// counted is "1 check", "2 checks".
func counted(n int, word string) string {
	return fmt.Sprintf("%d %s", n, pluralWord(n, word))
}

func pluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// expiresIn is "expires today", "expires in 1 day", "expires in 5 days".
func expiresIn(days int) string {
	if days <= 0 {
		return "expires today"
	}
	return "expires in " + counted(days, "day")
}

// expiredAgo is "expired less than a day ago", "expired 2 days ago".
func expiredAgo(days int) string {
	if days <= 0 {
		return "expired less than a day ago"
	}
	return "expired " + counted(days, "day") + " ago"
}

func andList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func on(target string) string {
	if target == "" {
		return ""
	}
	return " on " + target
}

func labelled(label, what string) string {
	if what == "" {
		return label
	}
	return label + ": " + what
}

func countedLabel(label string, xs []string, target string) string {
	if len(xs) == 0 {
		return label
	}
	return pluralWord(len(xs), label) + ": " + strings.Join(xs, ", ") + on(target)
}

// LinkLabel names the page a finding's link opens, for a Markdown link.
func LinkLabel(u string) string {
	path := u
	if i := strings.Index(path, "://"); i >= 0 {
		path = path[i+3:]
	}
	path, _, _ = strings.Cut(path, "?")
	switch {
	case strings.HasSuffix(path, "/settings/tokens/new"):
		return "Create a token with these scopes"
	case strings.HasSuffix(path, "/settings/personal-access-tokens/new"):
		return "Create a fine-grained token with these permissions"
	case strings.Contains(path, "/sso"):
		return "Authorize the token for SAML single sign-on"
	case strings.HasSuffix(path, "/_usersSettings/tokens"):
		return "Open your personal access tokens"
	case strings.Contains(path, "/settings/personal-access-tokens") || strings.HasSuffix(path, "/settings/tokens"):
		return "Open your personal access tokens"
	case strings.Contains(path, "/settings"):
		return "Open the settings page"
	}
	return "Open " + path
}
