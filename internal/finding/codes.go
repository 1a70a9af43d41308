package finding

import (
	"fmt"
	"strings"
)

// Spec is one finding code's row in the registry: how a finding of the code
// reads in a title and in a verdict, and how it weighs.
type Spec struct {
	Code Code
	// Title is the finding as a short human title, for an annotation
	// ("Missing scope: workflow"); daysLeft is the report's days left,
	// nil when unknown.
	Title func(f Finding, daysLeft *int) string
	// Summary is the finding as the clause of a verdict a person would
	// write ("the token lacks the workflow scope"); "" leaves the message
	// to say it. Nil is always "".
	Summary func(f Finding, daysLeft *int) string
	// Inconclusive: the code means "the API could not tell", not a verdict
	// about the token.
	Inconclusive bool
	// Advice: one of the best practices (least privilege, short lifetimes,
	// fine-grained where possible, never committed), listed under advice.
	Advice bool
	// MustFix: an error or a warning of this code always carries a fix.
	MustFix bool
}

// is a Title or Summary that says the same whatever the finding.
func is(s string) func(Finding, *int) string { return func(Finding, *int) string { return s } }

// registry has one row per code, in the contract's order. Every code is in
// it (TestRegistryHoldsEveryCode).
var registry = []Spec{
	{Code: ConfigInvalid, MustFix: true, Title: func(f Finding, _ *int) string {
		if name, _, ok := strings.Cut(f.Message, ":"); ok && !strings.ContainsAny(name, " \n") {
			return "Invalid option: " + name
		}
		return "Invalid option"
	}},
	{Code: TokenMissing, MustFix: true, Title: is("No token"), Summary: is("no token was given")},
	{Code: TokenUnexpanded, MustFix: true, Title: is("Token is an unexpanded reference"), Summary: is("the token is an unexpanded variable reference")},
	{Code: TokenMalformed, MustFix: true, Title: is("Malformed token"), Summary: is("the token is malformed")},
	{Code: TokenTypeDisallowed, MustFix: true, Title: func(f Finding, _ *int) string {
		if f.About.RefreshToken {
			return "Refresh token, not an access token"
		}
		return "Token kind not allowed"
	}, Summary: func(f Finding, _ *int) string {
		if f.About.RefreshToken {
			return "a refresh token cannot call the API"
		}
		return "this kind of token is not allowed"
	}},
	{Code: TokenInvalid, MustFix: true, Title: is("Token rejected"), Summary: is("the token was rejected")},
	{Code: TokenExpired, MustFix: true, Title: is("Token expired"), Summary: func(_ Finding, days *int) string {
		if days != nil {
			return "the token " + ExpiredAgo(-*days)
		}
		return "the token has expired"
	}},
	{Code: TokenExpiring, MustFix: true, Title: expiringTitle, Summary: expiringSummary},
	{Code: TokenExpiryWarning, MustFix: true, Title: expiringTitle, Summary: expiringSummary},
	{Code: TokenNoExpiration, MustFix: true, Title: is("Token never expires"), Summary: is("the token never expires")},
	{Code: TokenExpiryUnknown, MustFix: true, Title: is("Expiry unknown"), Summary: is("the token's expiry is unknown")},
	{Code: ScopeMissing, MustFix: true, Title: func(f Finding, _ *int) string { return countedLabel("Missing scope", f.About.Scopes, "") },
		Summary: func(f Finding, _ *int) string {
			if len(f.About.Scopes) == 0 {
				return ""
			}
			return "the token lacks the " + andList(f.About.Scopes) + " " + PluralWord(len(f.About.Scopes), "scope")
		}},
	{Code: PermissionMissing, MustFix: true, Title: func(f Finding, _ *int) string {
		return countedLabel("Missing permission", f.About.Permissions, f.About.Target)
	}, Summary: func(f Finding, _ *int) string {
		if len(f.About.Permissions) == 0 {
			return ""
		}
		return "the token lacks " + andList(f.About.Permissions) + on(f.About.Target)
	}},
	{Code: PermissionUnverified, MustFix: true, Title: func(f Finding, _ *int) string {
		return countedLabel("Unverified permission", f.About.Permissions, f.About.Target)
	}, Summary: func(f Finding, _ *int) string {
		if len(f.About.Permissions) == 0 {
			return ""
		}
		return andList(f.About.Permissions) + on(f.About.Target) + " cannot be verified"
	}},
	{Code: ScopeUnverified, MustFix: true, Title: func(f Finding, _ *int) string { return countedLabel("Unverified scope", f.About.Scopes, "") },
		Summary: func(f Finding, _ *int) string {
			if len(f.About.Scopes) == 0 {
				return "the scopes cannot be verified"
			}
			return "the " + andList(f.About.Scopes) + " " + PluralWord(len(f.About.Scopes), "scope") + " cannot be verified"
		}},
	{Code: RepositoryInaccessible, MustFix: true, Title: func(f Finding, _ *int) string { return labelled("Repository unreachable", f.About.Repository) },
		Summary: func(f Finding, _ *int) string {
			return unless(f.About.Repository, "the token cannot reach "+f.About.Repository)
		}},
	{Code: SSOAuthorizationRequired, MustFix: true, Title: func(f Finding, _ *int) string {
		return labelled("SAML SSO authorization required", f.About.Organization)
	}, Summary: func(f Finding, _ *int) string {
		return unless(f.About.Organization, "the token is not authorized for "+f.About.Organization+"'s SAML single sign-on")
	}},
	{Code: OrganizationPolicy, MustFix: true, Title: func(f Finding, _ *int) string { return labelled("Organization policy", f.About.Organization) },
		Summary: func(f Finding, _ *int) string {
			return unless(f.About.Organization, f.About.Organization+"'s policy refuses the token")
		}},
	{Code: RateLimited, MustFix: true, Inconclusive: true, Title: is("Rate limit exhausted"), Summary: is("the API's rate limit is exhausted")},
	{Code: APIError, MustFix: true, Inconclusive: true, Title: is("API unreachable"), Summary: is("the API could not be reached")},
	{Code: OrganizationInaccessible, MustFix: true, Title: func(f Finding, _ *int) string { return labelled("Organization not visible", f.About.Organization) },
		Summary: func(f Finding, _ *int) string {
			return unless(f.About.Organization, "the organization "+f.About.Organization+" is not visible to the token")
		}},
	{Code: ScopeExcess, MustFix: true, Advice: true, Title: func(f Finding, _ *int) string { return countedLabel("Excess scope", f.About.Excess, "") },
		Summary: func(f Finding, _ *int) string {
			if len(f.About.Excess) == 0 {
				return ""
			}
			return "the token has the " + andList(f.About.Excess) + " " + PluralWord(len(f.About.Excess), "scope") + " the job does not need"
		}},
	{Code: PermissionExcess, MustFix: true, Advice: true, Title: func(f Finding, _ *int) string {
		return countedLabel("Excess permission", f.About.Excess, f.About.Target)
	}, Summary: func(f Finding, _ *int) string {
		if len(f.About.Excess) == 0 {
			return ""
		}
		return "the token holds " + andList(f.About.Excess) + on(f.About.Target) + ", which the job does not need"
	}},
	{Code: TokenLifetimeTooLong, MustFix: true, Advice: true, Title: is("Token lives longer than the rotation policy allows"),
		Summary: is("the token lives longer than the rotation policy allows")},
	{Code: TokenKindAdvice, MustFix: true, Advice: true, Title: is("A fine-grained token would do")},
	{Code: TokenCommitted, MustFix: true, Advice: true, Title: func(f Finding, _ *int) string {
		if len(f.About.Places) > 0 {
			return "Token committed: " + places(f.About.Places)
		}
		return "Token committed"
	}, Summary: func(f Finding, _ *int) string {
		if len(f.About.Places) > 0 {
			return "the token's value is committed in " + places(f.About.Places)
		}
		return "the token's value is committed to the repository"
	}},
	{Code: WorkspaceIncomplete, MustFix: true, Title: is("Workspace not wholly searched"),
		Summary: is("part of the workspace was not searched for the token")},
	// The inference's notices carry their own detail in the message.
	{Code: RequirementsInferred, Title: is("Requirements inferred from the workflow")},
	{Code: RequirementUnknown, Title: is("Steps whose needs are unknown")},
	{Code: ScopeAssumed, Title: func(f Finding, _ *int) string { return countedLabel("Scope granted by assumption", f.About.Scopes, "") }},
	{Code: Cancelled, MustFix: true, Inconclusive: true, Title: is("Cancelled"), Summary: is("the run was cancelled before the checks finished")},
	{Code: ReportUnwritten, MustFix: true, Inconclusive: true, Title: is("Report not written"), Summary: is("the report could not be written")},
	// A notice of a run over several tokens; its message names the token.
	{Code: TokenUnused, Advice: true, Title: is("No workflow uses the token"), Summary: is("no workflow uses the token")},
}

// Specs lists every finding code's row, in the contract's order.
func Specs() []Spec { return append([]Spec(nil), registry...) }

// Lookup is the code's row; ok is false for a code not in the registry.
func Lookup(c Code) (Spec, bool) {
	for _, s := range registry {
		if s.Code == c {
			return s, true
		}
	}
	return Spec{Code: c}, false
}

// Advice reports whether the code is one of the best practices: the report
// lists them under advice.
func (c Code) Advice() bool {
	s, _ := Lookup(c)
	return s.Advice
}

// Inconclusive reports whether the code means "the API could not tell", as
// opposed to a verdict about the token.
func (c Code) Inconclusive() bool {
	s, _ := Lookup(c)
	return s.Inconclusive
}

// Title is the finding's short human title (Spec.Title); the code itself
// for a code without one.
func Title(f Finding, daysLeft *int) string {
	if s, _ := Lookup(f.Code); s.Title != nil {
		return s.Title(f, daysLeft)
	}
	return string(f.Code)
}

// Summary is the finding as the clause of a verdict (Spec.Summary), or its
// message where the code has none or the data is missing.
func Summary(f Finding, daysLeft *int) string {
	if s, _ := Lookup(f.Code); s.Summary != nil {
		if sum := s.Summary(f, daysLeft); sum != "" {
			return sum
		}
	}
	return f.Message
}

func expiringTitle(_ Finding, days *int) string {
	if days != nil {
		return "Token " + ExpiresIn(*days)
	}
	return "Token expires soon"
}

func expiringSummary(_ Finding, days *int) string {
	if days != nil {
		return "the token " + ExpiresIn(*days)
	}
	return "the token expires soon"
}

// unless is s, or "" when what it names is empty.
func unless(what, s string) string {
	if what == "" {
		return ""
	}
	return s
}

// Counted is "1 check", "2 checks".
func Counted(n int, word string) string {
	return fmt.Sprintf("%d %s", n, PluralWord(n, word))
}

// PluralWord is word for n of it: "option", "options".
func PluralWord(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// ExpiresIn is "expires today", "expires in 1 day", "expires in 5 days".
func ExpiresIn(days int) string {
	if days <= 0 {
		return "expires today"
	}
	return "expires in " + Counted(days, "day")
}

// ExpiredAgo is "expired less than a day ago", "expired 2 days ago".
func ExpiredAgo(days int) string {
	if days <= 0 {
		return "expired less than a day ago"
	}
	return "expired " + Counted(days, "day") + " ago"
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
	return PluralWord(len(xs), label) + ": " + strings.Join(xs, ", ") + on(target)
}

// places names where a committed token was found, the first three and a
// count of the others.
func places(ps []Place) string {
	const shown = 3
	named := make([]string, 0, shown+1)
	for i, p := range ps {
		if i == shown {
			named = append(named, fmt.Sprintf("and %d more", len(ps)-shown))
			break
		}
		named = append(named, p.String())
	}
	return strings.Join(named, ", ")
}
