package token

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"strings"
)

// redacted stands for the secret part of a token wherever it is shown.
const redacted = "****"

// Redact is how a token may be shown on the command line: its public kind
// prefix followed by "****" ("ghp_****", "github_pat_****"), which tells the
// user which token was used without revealing any of it; "****" when it has
// no known prefix; "" for an empty (or all-whitespace) value, so that "no
// token" is not mistaken for a hidden one.
func Redact(tok string) string {
	tok = trim(tok)
	if tok == "" {
		return ""
	}
	return prefixOf(tok) + redacted
}

// minMaskedLine is the shortest line of a multi-line value that is masked on
// its own: masking a one- to three-character string would blank out that
// string everywhere in the log and make it unreadable, for little gain.
const minMaskedLine = 4

var lineBreak = regexp.MustCompile(`\r\n|\r|\n`)

// MaskForms returns the values a CI log must mask for this token, the token
// first, de-duplicated, never an empty string and never a value containing a
// line break. Runners mask only the exact strings they are given, and tools
// print tokens in encoded forms, so each form earns its place:
//
//   - the token itself (trimmed, as [Inspect] uses it);
//   - base64 of ":TOKEN": HTTP Basic auth with an empty user, how Azure
//     DevOps clients send a PAT (the Azure agent masks URI- and JSON-escaped
//     forms itself, but not base64);
//   - base64 of "x-access-token:TOKEN": the Basic auth header actions/checkout
//     writes into git's extraheader, which git traces print;
//   - base64 of "TOKEN": scripts that encode the token alone (Kubernetes
//     secrets, "echo $TOKEN | base64");
//   - base64 of "TOKEN:x-oauth-basic": GitHub's Basic auth form with the
//     token as user name;
//   - base64 of "pat:TOKEN": the Basic auth form some Azure DevOps scripts and
//     samples use;
//   - each of those base64 forms without its "=" padding, when it has any:
//     base64url/JWT-style encoders and some loggers drop the padding, and a
//     masker matching the padded string would then miss it;
//   - the URL query-escaped token, when it differs: how it appears in a URL
//     or a form body (only a malformed value changes, but it is still a
//     secret);
//   - when the value spans several lines, each line of at least four
//     characters (and its trimmed form): runners mask multi-line secrets line
//     by line, Azure's setsecret refuses them outright, and the pieces are
//     what a tool would print.
//
// An empty (or all-whitespace) value has nothing to mask and gives nil.
func MaskForms(tok string) []string {
	tok = trim(tok)
	if tok == "" {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s == "" || seen[s] || strings.ContainsAny(s, "\r\n") {
			return
		}
		seen[s] = true
		out = append(out, s)
	}

	add(tok) // dropped by add when multi-line; its lines follow instead
	if strings.ContainsAny(tok, "\r\n") {
		for _, line := range lineBreak.Split(tok, -1) {
			if len(line) >= minMaskedLine {
				add(line)
			}
			if t := strings.TrimSpace(line); len(t) >= minMaskedLine {
				add(t)
			}
		}
	}

	encoded := []string{
		":" + tok,
		"x-access-token:" + tok,
		tok,
		tok + ":x-oauth-basic",
		"pat:" + tok,
	}
	for _, s := range encoded {
		add(base64.StdEncoding.EncodeToString([]byte(s)))
	}
	for _, s := range encoded {
		add(base64.RawStdEncoding.EncodeToString([]byte(s)))
	}
	add(url.QueryEscape(tok))
	return out
}

// tokenShaped finds text that looks like a token: a known prefix and what
// follows it, or a long run of letters and digits (legacy and Azure DevOps
// tokens have no prefix).
var tokenShaped = regexp.MustCompile(`(github_pat_|gh[pousr]_)[A-Za-z0-9_.\-]+|[A-Za-z0-9]{40,}`)

// RedactIn hides anything token-shaped in a message built from user input
// (a mistyped flag, an option value), where the token may have been put by
// mistake: it is not the token pat-check knows, so masking cannot catch it.
func RedactIn(text string) string {
	return tokenShaped.ReplaceAllStringFunc(text, func(m string) string {
		for _, p := range []string{"github_pat_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_"} {
			if strings.HasPrefix(m, p) {
				return p + "****"
			}
		}
		return "****"
	})
}
