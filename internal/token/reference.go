package token

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pat-check/pat-check/internal/finding"
)

// referencePattern finds a variable reference that a runner, an agent or a
// shell was meant to replace and did not. Real tokens contain only
// [A-Za-z0-9_.-], so none of these can occur in one by chance. The
// alternatives are tried left to right at the leftmost match, so the longer
// syntaxes ("${{", "$env:") come before the shorter ones they begin with.
var referencePattern = regexp.MustCompile(`(?s)` +
	`\$\{\{.*?\}\}` + // GitHub Actions expression: ${{ secrets.X }}
	`|\$\[.*?\]` + // Azure Pipelines runtime expression: $[ variables.X ]
	`|\$\([^()\r\n]+\)` + // Azure Pipelines macro $(NAME), or a shell $(command)
	`|\$\{[^{}\r\n]+\}` + // shell ${NAME}, ${NAME:-default}; Jenkins ${env.X}
	`|(?i:\$env:)[A-Za-z_][A-Za-z0-9_]*` + // PowerShell $env:NAME
	`|\$[A-Za-z_][A-Za-z0-9_]*` + // shell $NAME
	`|%[A-Za-z_][A-Za-z0-9_.()-]*%` + // Windows %NAME%, %ProgramFiles(x86)%
	`|\{\{.*?\}\}`) // a template that was never rendered: {{ secrets.X }}

// maxQuotedReference bounds what is quoted back: variable names are short,
// and a long "reference" is more likely a value than a name.
const maxQuotedReference = 80

// unexpanded reports the first unsubstituted reference in tok, if any.
func unexpanded(tok string) (Problem, bool) {
	loc := referencePattern.FindStringIndex(tok)
	if loc == nil {
		return Problem{}, false
	}
	ref := tok[loc[0]:loc[1]]
	whole := loc[0] == 0 && loc[1] == len(tok)
	syntax := referenceSyntax(ref)
	const why = "the variable it names was not set or not substituted"

	var msg string
	switch {
	case whole && quotable(ref):
		msg = fmt.Sprintf("the token is the unexpanded reference %q (%s): %s", ref, syntax, why)
	case whole:
		msg = fmt.Sprintf("the token is an unexpanded reference (%s): %s", syntax, why)
	case quotable(ref):
		msg = fmt.Sprintf("the token contains the unexpanded reference %q (%s) at character %d: %s",
			ref, syntax, utf8.RuneCountInString(tok[:loc[0]])+1, why)
	default:
		msg = fmt.Sprintf("the token contains an unexpanded reference (%s) at character %d: %s",
			syntax, utf8.RuneCountInString(tok[:loc[0]])+1, why)
	}
	p := Problem{Code: finding.TokenUnexpanded, Message: msg}
	if whole && quotable(ref) {
		p.Reference = ref
	}
	return p, true
}

// referenceSyntax names the syntax of a reference, which tells the user which
// tool failed to substitute it.
func referenceSyntax(ref string) string {
	switch {
	case strings.HasPrefix(ref, "${{"):
		return "a GitHub Actions expression"
	case strings.HasPrefix(ref, "$["):
		return "an Azure Pipelines runtime expression"
	case strings.HasPrefix(ref, "$("):
		return "an Azure Pipelines macro"
	case len(ref) >= 5 && strings.EqualFold(ref[:5], "$env:"):
		return "a PowerShell variable"
	case strings.HasPrefix(ref, "$"):
		return "a shell variable"
	case strings.HasPrefix(ref, "%"):
		return "a Windows variable"
	}
	return "a template expression"
}

// quotable reports whether a reference may be quoted in a message. Quoting
// helps (it names the variable to fix) and is safe for a name, but the
// regular expressions accept any content inside "${{ }}", "${ }" and "{{ }}",
// so a default value or a pasted token could sit there: anything long, or
// containing a word that looks random, is described instead of quoted.
func quotable(ref string) bool {
	if len(ref) > maxQuotedReference || !utf8.ValidString(ref) {
		return false
	}
	return !hasSecretLikeWord(ref)
}

// hasSecretLikeWord reports a run of letters and digits that looks generated
// rather than chosen: 32 or more characters; 16 or more mixing letters and
// digits (every supported token body); or 8 or more mixing upper case, lower
// case and digits (a password someone put where the token should be, whose
// "$word" would otherwise be quoted). Variable names such as GH_PAT or
// secrets.AZURE_DEVOPS_TOKEN split into short words and stay quotable.
func hasSecretLikeWord(s string) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isAlnum(s[i]) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && looksGenerated(s[start:i]) {
			return true
		}
		start = -1
	}
	return false
}

func looksGenerated(word string) bool {
	hasDigit := strings.ContainsAny(word, "0123456789")
	hasUpper := strings.ContainsAny(word, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	hasLower := strings.ContainsAny(word, "abcdefghijklmnopqrstuvwxyz")
	switch {
	case len(word) >= 32:
		return true
	case len(word) >= 16:
		return hasDigit && (hasUpper || hasLower)
	case len(word) >= 8:
		return hasDigit && hasUpper && hasLower
	}
	return false
}

// IsReference reports whether the whole value (surrounding whitespace
// aside) is one unexpanded reference that may be quoted, such as $(GH_PAT):
// the name of a variable, not a secret. Masking it would print the very
// name the user needs as "***".
func IsReference(tok string) bool {
	tok = trim(tok)
	loc := referencePattern.FindStringIndex(tok)
	return loc != nil && loc[0] == 0 && loc[1] == len(tok) && quotable(tok)
}
