package token

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pat-check/pat-check/internal/finding"
)

// Problem is an offline finding about the token's form. Its Message says what
// is wrong by position, length and kind, never by content: it never contains
// the token or any part of it longer than the kind prefix, so it may go to
// any log, annotation or report. (An unexpanded reference is quoted: it is a
// variable name, not a secret.)
type Problem struct {
	Code    finding.Code
	Message string
	// Reference is the unexpanded reference the value is, such as
	// $(GH_PAT), when it may be quoted (token-unexpanded).
	Reference string
}

// Inspection is what can be learned about a token without any network.
type Inspection struct {
	// Token is the value actually to use: the input with leading and trailing
	// spaces, tabs, CRs and LFs removed. Secret stores and "echo" add a final
	// newline so often that refusing it would only get in the way.
	Token string
	// Kind is the kind the token claims by its shape, even when it is
	// malformed, so that the guidance can speak about the right token.
	Kind Kind
	// Problems is empty when the token looks fine offline. Any Problem means
	// no request may be sent: a malformed value would fail anyway, and
	// sending it could count towards GitHub's bad-credentials lockout.
	Problems []Problem
}

// Inspect checks a token's form. The rules go from the most to the least
// likely cause of a broken value in CI: empty (an unset secret, or a pull
// request from a fork), an unexpanded reference, whitespace from a paste,
// stray characters, then the length, alphabet and checksum of the kind the
// token claims. Values of no known format pass with Kind Unknown: the API
// will decide.
func Inspect(raw string) Inspection {
	tok := trim(raw)
	in := Inspection{Token: tok, Kind: KindOf(tok)}
	if tok == "" {
		in.Problems = []Problem{{Code: finding.TokenMissing, Message: "the token is empty"}}
		return in
	}
	if p, ok := unexpanded(tok); ok {
		in.Problems = []Problem{p}
		return in
	}
	if i := strings.IndexAny(tok, " \t\r\n"); i >= 0 {
		in.Problems = []Problem{whitespaceProblem(tok, i)}
		return in
	}
	in.Problems = checkForm(tok, in.Kind)
	return in
}

// whitespaceProblem explains whitespace inside the value. A value that starts
// with an authorization scheme gets its own hint: "Bearer ghp_..." is a
// common paste from curl examples.
func whitespaceProblem(tok string, i int) Problem {
	msg := fmt.Sprintf("the token contains whitespace inside it (at character %d): ", utf8.RuneCountInString(tok[:i])+1)
	if scheme := authScheme(tok[:i]); scheme != "" {
		msg += fmt.Sprintf("it starts with the authorization scheme %q; give the token alone, without the scheme", scheme)
	} else {
		msg += "it was probably pasted with a line break or copied in two parts"
	}
	return Problem{Code: finding.TokenMalformed, Message: msg}
}

// authScheme returns the canonical spelling of an HTTP authorization scheme
// if word is one. The canonical spelling, not the user's, is what a message
// may show: it is a constant, never a piece of the value.
func authScheme(word string) string {
	for _, s := range []string{"Bearer", "token", "Basic"} {
		if strings.EqualFold(word, s) {
			return s
		}
	}
	return ""
}

// form is what a kind's tokens look like.
type form struct {
	subject  string          // how messages name the token
	allowed  func(byte) bool // the alphabet after the prefix
	alphabet string          // the alphabet, as a sentence for people
	min      int             // minimum total length, 0 for none
	max      int             // maximum total length, 0 for none
}

// forms describes every kind that can be malformed. Legacy 40-hex classic
// tokens and legacy Azure DevOps PATs are recognised by their exact shape,
// so only their checksum (Azure) can be wrong; they are handled apart.
var forms = map[Kind]form{
	Classic: {"the classic token (ghp_)", isAlnum,
		"such tokens contain only letters and digits after their prefix", classicLen, classicLen},
	// No checksum is public for fine-grained tokens; 93 characters is what is
	// seen, and GitHub asks integrators to accept up to 255.
	FineGrained: {"the fine-grained token (github_pat_)", isWordChar,
		"such tokens contain only letters, digits and _", 82, 255},
	OAuth: {"the OAuth token (gho_)", isWordChar,
		"such tokens contain only letters, digits and _", 10, 255},
	AppUser: {"the GitHub App user token (ghu_)", isWordChar,
		"such tokens contain only letters, digits and _", 10, 255},
	// The 2026 form ghs_<appid>_<JWT> is about 520 characters and grows with
	// its claims: never cap it.
	AppInstallation: {"the GitHub App installation token (ghs_)", isTokenChar,
		"such tokens contain only letters, digits, _, . and -", 10, 0},
	Refresh: {"the GitHub refresh token (ghr_)", isWordChar,
		"such tokens contain only letters, digits and _", 10, 255},
	AzureDevOps: {"the Azure DevOps token", isAlnum,
		"Azure DevOps PATs of this format contain only letters and digits", azureCurrentLen, azureCurrentLen},
	Unknown: {"the token", isTokenChar,
		"tokens contain only letters, digits, _, . and -", 0, 0},
}

// MinLength is the length of the shortest token of any format pat-check
// knows (GitHub blog "Behind GitHub's new authentication token formats",
// 2021-04-05; microsoft/security-utilities for Azure DevOps): a classic token (ghp_ and 36 characters), a legacy
// 40-hex token, and the 2021 formats of gho_, ghu_, ghs_ and ghr_ tokens
// (prefix, 30 random characters and a 6-character checksum) all have 40;
// fine-grained and Azure DevOps tokens are longer. A shorter value is not a
// token, whatever its prefix: it is refused before anything is sent or
// printed, and is never mistaken for text that merely contains the same
// letters (a value of "true" must not turn every true in the report into
// asterisks).
const MinLength = 40

// checkForm applies the rules of the kind tok claims. The alphabet and the
// length are independent facts and are both reported; the checksum or
// signature is only checked when both are right, since it is meaningless
// otherwise.
func checkForm(tok string, k Kind) []Problem {
	switch {
	case k == Classic && isLegacyHex(tok):
		return nil // no checksum in the pre-2021 format
	case k == AzureDevOps && isAzureLegacyShape(tok):
		if ValidAzureLegacyChecksum(tok) {
			return nil
		}
		return []Problem{malformed("the Azure DevOps token (52-character format) has the right length and characters but its checksum does not match: a character was changed or mistyped")}
	}

	f := forms[k]
	f.min = max(f.min, MinLength)
	body := tok
	if k == AzureDevOps && len(tok) == azureLongFormLen && strings.HasSuffix(tok, "==") {
		// The base64-padded long form of a common annotated key: accepted
		// rather than failed, as no source says Azure DevOps never issues it.
		body = tok[:azureCurrentLen+2]
	}

	var problems []Problem
	if p, ok := charsetProblem(body, prefixOf(tok), f); ok {
		problems = append(problems, p)
	}
	n := utf8.RuneCountInString(tok)
	if k == AzureDevOps && body != tok {
		n = azureCurrentLen // the long form's length is right by construction
	}
	if p, ok := lengthProblem(n, f); ok {
		problems = append(problems, p)
	}
	if len(problems) > 0 {
		return problems
	}
	switch k {
	case Classic:
		if !ValidClassicChecksum(tok) {
			problems = append(problems, malformed(f.subject+" has the right length and characters but its checksum does not match: a character was changed or mistyped"))
		}
	case Refresh:
		problems = append(problems, refreshProblem)
	case AzureDevOps:
		if !hasAzureSignature(tok) {
			problems = append(problems, malformed(fmt.Sprintf(
				"%s carries the Azure DevOps marker at character %d but not the signature of an Azure DevOps PAT at characters %d to %d: characters were probably changed, lost or added",
				f.subject, azureMarkerAt+1, azureSignatureAt+1, azureSignatureAt+6)))
		}
	}
	return problems
}

func hasAzureSignature(tok string) bool {
	sig := tok[azureSignatureAt : azureSignatureAt+6]
	for _, s := range azureSignatures {
		if sig == s {
			return true
		}
	}
	return false
}

// refreshProblem refuses a well-formed refresh token before it is sent: the
// API never accepts one (it is not in the kinds token-types allows, any
// included). It is exchanged for a user access token, which is what a job
// uses ("Refreshing user access tokens", docs.github.com/en/apps/
// creating-github-apps/authenticating-with-a-github-app/refreshing-user-access-tokens).
var refreshProblem = Problem{Code: finding.TokenTypeDisallowed, Message: "the token is a GitHub App refresh token (ghr_), " +
	"which the API never accepts, so it was not sent: exchange it for a user access token (ghu_) at " +
	"/login/oauth/access_token (grant_type=refresh_token) and give that instead"}

func malformed(msg string) Problem { return Problem{Code: finding.TokenMalformed, Message: msg} }

// charsetProblem reports the first character after the prefix that the kind
// cannot contain, by position and by what kind of character it is.
func charsetProblem(tok, prefix string, f form) (Problem, bool) {
	pos := utf8.RuneCountInString(prefix)
	for i := len(prefix); i < len(tok); {
		r, size := utf8.DecodeRuneInString(tok[i:])
		pos++
		if size == 1 && r < utf8.RuneSelf && f.allowed(byte(r)) {
			i += size
			continue
		}
		invalid := r == utf8.RuneError && size == 1
		class, hint := describeChar(r, invalid, f)
		if (r == '"' || r == '\'' || r == '`') && (i == 0 || i+size == len(tok)) {
			hint = "the value was probably copied with the quotes around it"
		}
		return malformed(fmt.Sprintf("%s contains %s at character %d: %s", f.subject, class, pos, hint)), true
	}
	return Problem{}, false
}

// describeChar names the class of a character without showing it: showing
// the character would show a piece of the secret, and the class is what
// tells the user where it came from.
func describeChar(r rune, invalid bool, f form) (class, hint string) {
	const pasted = "it was probably pasted from a document or a chat that changed or added a character"
	switch {
	case invalid:
		return "a byte that is not valid UTF-8", "the value was probably read from a file in another encoding"
	case r < 0x20 || r == 0x7f:
		return "a control character", "the value was probably read from a file or a terminal with stray control characters"
	case r == '"' || r == '\'' || r == '`':
		return "a quotation mark", "tokens never contain quotes"
	case r < utf8.RuneSelf && isTokenChar(byte(r)):
		return "a character this kind of token does not use", f.alphabet
	case r < utf8.RuneSelf:
		return "a character that cannot be in a token", f.alphabet
	case unicode.IsSpace(r):
		return "a non-ASCII space (such as a non-breaking space)", pasted
	case strings.ContainsRune("‘’‚‛“”„‟«»‹›", r):
		return "a typographic quotation mark", pasted
	case strings.ContainsRune("‐‑‒–—―−", r):
		return "a typographic dash", pasted
	case unicode.Is(unicode.Cf, r):
		return "an invisible formatting character (such as a zero-width space or a byte-order mark)", pasted
	}
	return "a non-ASCII character", pasted
}

func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return fmt.Sprintf("%d characters", n)
}

// lengthProblem compares a length with the kind's bounds and says what the
// difference most likely means.
func lengthProblem(n int, f form) (Problem, bool) {
	switch {
	case n < MinLength && f.min == MinLength && f.max != MinLength:
		return malformed(fmt.Sprintf("%s has %s: no token of any format pat-check knows has fewer than %d, so it was probably truncated when copied, or is a placeholder rather than the token", f.subject, characters(n), MinLength)), true
	case f.min > 0 && n < f.min && f.min == f.max:
		return malformed(fmt.Sprintf("%s has %d characters where %d are expected: it was probably truncated when copied", f.subject, n, f.min)), true
	case f.min > 0 && n < f.min:
		return malformed(fmt.Sprintf("%s has %d characters where at least %d are expected: it was probably truncated when copied", f.subject, n, f.min)), true
	case f.max > 0 && n > f.max && f.min == f.max:
		return malformed(fmt.Sprintf("%s has %d characters where %d are expected: extra characters were probably copied with it", f.subject, n, f.max)), true
	case f.max > 0 && n > f.max:
		return malformed(fmt.Sprintf("%s has %d characters where at most %d are expected: extra text was probably copied with it, or two values were joined", f.subject, n, f.max)), true
	}
	return Problem{}, false
}
