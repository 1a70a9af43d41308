package report

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
)

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
		return "the options are invalid: " + finding.Summary(ps[0], r.DaysLeft) + more(len(ps)-1)
	}
	if !all {
		return finding.Summary(ps[0], r.DaysLeft) + more(len(ps)-1)
	}
	if len(ps) == 1 {
		return finding.Summary(ps[0], r.DaysLeft)
	}
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = finding.Summary(p, r.DaysLeft)
	}
	return fmt.Sprintf("%d problems: %s", len(ps), strings.Join(parts, "; "))
}

func more(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (and %s)", finding.Counted(n, "more problem"))
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
