package check

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/token"
)

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

// QuoteAnswer is the API's own words, quoted in parentheses after a
// verdict, or nothing when it gave none.
func QuoteAnswer(message string) string {
	if message == "" {
		return ""
	}
	return fmt.Sprintf(" (%q)", message)
}

// withArticle puts "a" or "an" before a noun phrase.
func withArticle(s string) string {
	if s != "" && strings.ContainsRune("aeiouAEIOU", rune(s[0])) {
		return "an " + s
	}
	return "a " + s
}

// Plural is "1 day", "2 days", "-1 day".
func Plural(n int, word string) string {
	if n == 1 || n == -1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// OwnerOf is the owner part of owner/name.
func OwnerOf(full string) string {
	owner, _, _ := strings.Cut(full, "/")
	return owner
}

// LoginOr is the account's login, or "behind the token" when it is unknown.
func LoginOr(l string) string {
	if l == "" {
		return "behind the token"
	}
	return l
}
