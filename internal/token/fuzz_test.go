package token

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pat-check/pat-check/internal/finding"
)

// FuzzInspect checks the promises every caller relies on, for any input:
// no panic; the kind agrees with KindOf; messages are single lines that never
// contain the token; the forms to mask are usable by both runners; and a
// clean ghp_ token always has a valid checksum.
func FuzzInspect(f *testing.F) {
	for _, tc := range inspectCases() {
		f.Add(tc.raw)
	}
	f.Add("ghp_" + strings.Repeat("A", 36))
	f.Add("%PAT%%")
	f.Add("$")
	f.Add("${{")
	f.Add("\xff\xfe")

	allowed := map[finding.Code]bool{
		finding.TokenMissing:    true,
		finding.TokenUnexpanded: true,
		finding.TokenMalformed:  true,
		// A well-formed refresh token, which is never sent.
		finding.TokenTypeDisallowed: true,
	}
	f.Fuzz(func(t *testing.T, raw string) {
		in := Inspect(raw)
		tok := in.Token
		if tok != trim(raw) {
			t.Fatal("Token is not the trimmed input")
		}
		if in.Kind != KindOf(raw) {
			t.Fatalf("Kind %q differs from KindOf %q", in.Kind, KindOf(raw))
		}
		if (tok == "") != (len(in.Problems) == 1 && in.Problems[0].Code == finding.TokenMissing) {
			t.Fatal("token-missing must be reported exactly for an empty token")
		}
		prefix := prefixOf(tok)
		rest := tok[len(prefix):]
		for _, p := range in.Problems {
			if !allowed[p.Code] || p.Code == finding.TokenTypeDisallowed && in.Kind != Refresh {
				t.Fatalf("unexpected code %q", p.Code)
			}
			if p.Message == "" || strings.ContainsAny(p.Message, "\r\n") {
				t.Fatalf("a %s message is empty or spans lines", p.Code)
			}
			if p.Code == finding.TokenUnexpanded {
				// The message may quote the reference (a name), but never a
				// piece that looks generated.
				if w := generatedWindow(tok, p.Message); w >= 0 {
					t.Fatalf("a %s message contains a generated-looking piece of the token at %d", p.Code, w+1)
				}
				continue
			}
			// Fixed message text is made of lower-case words, so a "token"
			// that is itself such a word could match by chance: only check
			// pieces that look like token material.
			if len(tok) > 12 && len(rest) >= windowLen && !isPlainWords(rest) && strings.Contains(p.Message, rest) {
				t.Fatalf("a %s message contains the token beyond its prefix", p.Code)
			}
		}

		if tok != "" {
			if got, want := Redact(raw), prefix+redacted; got != want {
				t.Fatalf("Redact = %q, want %q", got, want)
			}
		}
		forms := MaskForms(raw)
		for i, m := range forms {
			if m == "" || strings.ContainsAny(m, "\r\n") {
				t.Fatalf("mask form %d is empty or spans lines", i)
			}
		}
		if tok != "" && len(forms) == 0 {
			t.Fatal("a non-empty token has nothing to mask")
		}
		if tok != "" && !strings.ContainsAny(tok, "\r\n") && forms[0] != tok {
			t.Fatal("the first mask form is not the token")
		}

		if len(in.Problems) == 0 && strings.HasPrefix(tok, "ghp_") && !ValidClassicChecksum(tok) {
			t.Fatal("a ghp_ token passed Inspect with an invalid checksum")
		}
		if len(in.Problems) == 0 && in.Kind == AzureDevOps && len(tok) == azureLegacyLen && !ValidAzureLegacyChecksum(tok) {
			t.Fatal("a legacy Azure DevOps PAT passed Inspect with an invalid checksum")
		}
		// The one exception: the "==" that ends the long form of an Azure
		// DevOps key.
		clean := tok
		if in.Kind == AzureDevOps && len(tok) == azureLongFormLen {
			clean = strings.TrimSuffix(tok, "==")
		}
		if len(in.Problems) == 0 && strings.ContainsFunc(clean, func(r rune) bool { return r >= utf8.RuneSelf || !isTokenChar(byte(r)) }) {
			t.Fatal("a token with a character outside [A-Za-z0-9_.-] passed Inspect")
		}
	})
}

// FuzzClassicChecksum checks the checksum from both sides: whatever it
// accepts, Inspect accepts as a classic token; and any 30-character body,
// given its computed checksum, is accepted, while any change to that
// checksum is refused.
func FuzzClassicChecksum(f *testing.F) {
	f.Add(publicClassic)
	f.Add(replaceAt(publicClassic, 39, '5'))
	f.Add(makeClassic(700))
	f.Add("ghp_")
	f.Add("")
	f.Add(strings.Repeat("z", 40))
	f.Fuzz(func(t *testing.T, s string) {
		if ValidClassicChecksum(s) {
			in := Inspect(s)
			if in.Kind != Classic || len(in.Problems) != 0 {
				t.Fatalf("a token with a valid checksum fails Inspect: kind %q, %d problems", in.Kind, len(in.Problems))
			}
		}

		// Build a body from the input's letters and digits, padded to 30.
		var b strings.Builder
		for i := 0; i < len(s) && b.Len() < 30; i++ {
			if isAlnum(s[i]) {
				b.WriteByte(s[i])
			}
		}
		body := b.String() + strings.Repeat("0", 30-b.Len())
		sum := classicChecksum(body)
		tok := "ghp_" + body + sum
		if !ValidClassicChecksum(tok) {
			t.Fatal("a token built with its computed checksum is refused")
		}
		if len(Inspect(tok).Problems) != 0 {
			t.Fatal("a token built with its computed checksum fails Inspect")
		}
		for i := 0; i < classicChecksumLen; i++ {
			at := len(tok) - classicChecksumLen + i
			if ValidClassicChecksum(replaceAt(tok, at, otherChar(alnum, tok[at]))) {
				t.Fatalf("changing checksum character %d is not detected", i+1)
			}
		}
	})
}

// generatedWindow returns the start of the first 16-character run of letters
// and digits of tok, mixing both, that msg contains, or -1. Such runs are
// token material; variable names are not.
func generatedWindow(tok, msg string) int {
	const n = 16
	for i := 0; i+n <= len(tok); i++ {
		w := tok[i : i+n]
		if looksGenerated(w) && isAlnumString(w) && strings.Contains(msg, w) {
			return i
		}
	}
	return -1
}

func isAlnumString(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isAlnum(s[i]) {
			return false
		}
	}
	return true
}

// isPlainWords reports text made only of lower-case letters, spaces and
// simple punctuation, the stuff messages are written in.
func isPlainWords(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || c == ' ' || c == '(' || c == ')' || c == ',' || c == ':' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
