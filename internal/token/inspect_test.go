package token

import (
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/finding"
)

type inspectCase struct {
	name string
	raw  string
	kind Kind
	// codes are the expected problem codes, in order; none means clean.
	codes []finding.Code
	// want are fragments the joined messages must contain.
	want []string
}

// inspectCases is the specification of Inspect, shared by the table test,
// the leak test and the fuzz seeds.
func inspectCases() []inspectCase {
	malformed := []finding.Code{finding.TokenMalformed}
	unexpandedCode := []finding.Code{finding.TokenUnexpanded}
	classic := makeClassic(1)
	fine := makeFineGrained(2)
	azLegacyUser := makeAzureLegacy(3, azureUserPATSeed)
	azLegacyApp := makeAzureLegacy(4, azureAppPATSeed)
	azCurrent := makeAzureCurrent(5, "JQQJ99")
	jwt := makeJWTInstallation(6)

	// A classic token with one body character changed: same shape, wrong sum.
	badSum := replaceAt(classic, 10, otherChar(alnum, classic[10]))
	// A legacy Azure PAT with its first character changed.
	badAzLegacy := replaceAt(azLegacyUser, 0, otherChar(base32Lower, azLegacyUser[0]))

	return []inspectCase{
		// Rule 1: empty.
		{name: "empty", raw: "", kind: Unknown, codes: []finding.Code{finding.TokenMissing}, want: []string{"the token is empty"}},
		{name: "only whitespace", raw: " \t\r\n ", kind: Unknown, codes: []finding.Code{finding.TokenMissing}},

		// Rule 2: unexpanded references, whole and embedded.
		{name: "azure macro", raw: "$(GH_PAT)", kind: Unknown, codes: unexpandedCode, want: []string{`"$(GH_PAT)"`, "Azure Pipelines macro", "not set or not substituted"}},
		{name: "azure macro with dots", raw: "$(System.AccessToken)", kind: Unknown, codes: unexpandedCode, want: []string{`"$(System.AccessToken)"`}},
		{name: "azure macro with dash", raw: "$(my-pat)", kind: Unknown, codes: unexpandedCode, want: []string{`"$(my-pat)"`}},
		{name: "github expression", raw: "${{ secrets.GH_PAT }}", kind: Unknown, codes: unexpandedCode, want: []string{`"${{ secrets.GH_PAT }}"`, "GitHub Actions expression"}},
		{name: "github expression without spaces", raw: "${{secrets.X}}", kind: Unknown, codes: unexpandedCode, want: []string{`"${{secrets.X}}"`}},
		{name: "github expression with operators", raw: "${{ secrets.A || secrets.B }}", kind: Unknown, codes: unexpandedCode, want: []string{`"${{ secrets.A || secrets.B }}"`}},
		{name: "shell braces", raw: "${GH_PAT}", kind: Unknown, codes: unexpandedCode, want: []string{`"${GH_PAT}"`, "shell variable"}},
		{name: "shell braces with default", raw: "${GH_PAT:-}", kind: Unknown, codes: unexpandedCode, want: []string{`"${GH_PAT:-}"`}},
		{name: "shell dollar", raw: "$GH_PAT", kind: Unknown, codes: unexpandedCode, want: []string{`"$GH_PAT"`, "shell variable"}},
		{name: "powershell env", raw: "$env:GH_PAT", kind: Unknown, codes: unexpandedCode, want: []string{`"$env:GH_PAT"`, "PowerShell variable"}},
		{name: "windows percent", raw: "%GH_PAT%", kind: Unknown, codes: unexpandedCode, want: []string{`"%GH_PAT%"`, "Windows variable"}},
		{name: "azure runtime expression", raw: "$[ variables.pat ]", kind: Unknown, codes: unexpandedCode, want: []string{`"$[ variables.pat ]"`, "runtime expression"}},
		{name: "unrendered template", raw: "{{ secrets.PAT }}", kind: Unknown, codes: unexpandedCode, want: []string{`"{{ secrets.PAT }}"`, "template expression"}},
		{name: "embedded github expression", raw: "Bearer ${{ secrets.X }}", kind: Unknown, codes: unexpandedCode, want: []string{`contains the unexpanded reference "${{ secrets.X }}"`, "at character 8"}},
		{name: "embedded azure macro", raw: "token $(PAT)", kind: Unknown, codes: unexpandedCode, want: []string{`"$(PAT)"`, "at character 7"}},
		{name: "embedded after prefix", raw: "ghp_$(REST)", kind: Classic, codes: unexpandedCode, want: []string{`"$(REST)"`, "at character 5"}},
		{name: "surrounded by whitespace", raw: "  $(GH_PAT)\n", kind: Unknown, codes: unexpandedCode, want: []string{`the token is the unexpanded reference "$(GH_PAT)"`}},
		// A default value that is itself a token is described, not quoted.
		{name: "reference holding a token", raw: "${GH_TOKEN:-" + classic + "}", kind: Unknown, codes: unexpandedCode, want: []string{"the token is an unexpanded reference (a shell variable)"}},
		{name: "password with a dollar", raw: "hunter2$ecretPassw0rd", kind: Unknown, codes: unexpandedCode, want: []string{"the token contains an unexpanded reference (a shell variable) at character 8"}},
		{name: "expression holding a token", raw: "${{ '" + classic + "' }}", kind: Unknown, codes: unexpandedCode, want: []string{"an unexpanded reference (a GitHub Actions expression)"}},

		// Rule 3: whitespace inside.
		{name: "line break inside", raw: classic[:20] + "\n" + classic[20:], kind: Classic, codes: malformed, want: []string{"whitespace inside it (at character 21)", "line break or copied in two parts"}},
		{name: "CRLF inside", raw: classic[:12] + "\r\n" + classic[12:], kind: Classic, codes: malformed, want: []string{"(at character 13)"}},
		{name: "space inside", raw: classic[:30] + " " + classic[30:], kind: Classic, codes: malformed, want: []string{"(at character 31)"}},
		{name: "tab inside", raw: fine[:50] + "\t" + fine[50:], kind: FineGrained, codes: malformed, want: []string{"(at character 51)"}},
		{name: "bearer scheme", raw: "Bearer " + classic, kind: Unknown, codes: malformed, want: []string{`authorization scheme "Bearer"`, "(at character 7)"}},
		{name: "token scheme", raw: "TOKEN " + classic, kind: Unknown, codes: malformed, want: []string{`authorization scheme "token"`}},
		{name: "two tokens", raw: classic + " " + makeClassic(9), kind: Classic, codes: malformed, want: []string{"(at character 41)"}},

		// Rule 4: characters no token has.
		{name: "quoted", raw: `"` + classic + `"`, kind: Unknown, codes: malformed, want: []string{"quotation mark at character 1", "quotes around it"}},
		{name: "single quote at end", raw: classic + "'", kind: Classic, codes: []finding.Code{finding.TokenMalformed, finding.TokenMalformed}, want: []string{"quotation mark at character 41", "41 characters where 40"}},
		{name: "non-breaking space", raw: classic[:25] + "\u00a0" + classic[25:], kind: Classic, codes: []finding.Code{finding.TokenMalformed, finding.TokenMalformed}, want: []string{"the classic token (ghp_) contains a non-ASCII space", "at character 26"}},
		{name: "zero-width space", raw: classic[:6] + "\u200b" + classic[6:], kind: Classic, codes: []finding.Code{finding.TokenMalformed, finding.TokenMalformed}, want: []string{"invisible formatting character", "at character 7"}},
		{name: "byte-order mark", raw: "\ufeff" + classic, kind: Unknown, codes: malformed, want: []string{"invisible formatting character", "at character 1"}},
		{name: "typographic quotes", raw: "\u201c" + classic + "\u201d", kind: Unknown, codes: malformed, want: []string{"typographic quotation mark at character 1"}},
		{name: "typographic dash", raw: fine[:40] + "\u2013" + fine[41:], kind: FineGrained, codes: malformed, want: []string{"typographic dash at character 41"}},
		{name: "accented letter", raw: "ghs_" + "caf\u00e9" + strings.Repeat("a", 36), kind: AppInstallation, codes: malformed, want: []string{"non-ASCII character at character 8"}},
		{name: "control character", raw: classic[:9] + "\x00" + classic[10:], kind: Classic, codes: malformed, want: []string{"control character at character 10"}},
		{name: "escape sequence", raw: "\x1b[0m" + classic, kind: Unknown, codes: malformed, want: []string{"control character at character 1"}},
		{name: "invalid UTF-8", raw: classic[:15] + "\xff" + classic[16:], kind: Classic, codes: malformed, want: []string{"not valid UTF-8 at character 16"}},
		{name: "plus in unknown", raw: "abc+def/ghi=", kind: Unknown, codes: []finding.Code{finding.TokenMalformed, finding.TokenMalformed}, want: []string{"the token contains a character that cannot be in a token at character 4", "letters, digits, _, . and -"}},
		{name: "lone dollar", raw: "abc$", kind: Unknown, codes: []finding.Code{finding.TokenMalformed, finding.TokenMalformed}, want: []string{"cannot be in a token at character 4"}},

		// Rule 5, classic.
		{name: "public classic vector", raw: publicClassic, kind: Classic},
		{name: "generated classic", raw: classic, kind: Classic},
		{name: "classic with surrounding whitespace", raw: "\n  " + classic + " \r\n", kind: Classic},
		{name: "classic truncated", raw: classic[:39], kind: Classic, codes: malformed, want: []string{"the classic token (ghp_) has 39 characters where 40 are expected", "truncated"}},
		{name: "classic prefix only", raw: "ghp_", kind: Classic, codes: malformed, want: []string{"has 4 characters where 40"}},
		{name: "classic too long", raw: classic + "x", kind: Classic, codes: malformed, want: []string{"has 41 characters where 40 are expected", "extra characters"}},
		{name: "classic with underscore", raw: replaceAt(classic, 9, '_'), kind: Classic, codes: malformed, want: []string{"character this kind of token does not use at character 10", "only letters and digits"}},
		{name: "classic with dot and short", raw: classic[:20] + "." + classic[21:39], kind: Classic, codes: []finding.Code{finding.TokenMalformed, finding.TokenMalformed}, want: []string{"at character 21", "39 characters"}},
		{name: "classic bad checksum", raw: badSum, kind: Classic, codes: malformed, want: []string{"checksum does not match", "changed or mistyped"}},
		{name: "classic checksum case changed", raw: strings.ToUpper(publicClassic[:4]) + publicClassic[4:], kind: Unknown},
		{name: "legacy 40 hex", raw: randomFrom(newRand(10), hexLower, 40), kind: Classic},
		{name: "legacy 40 hex upper case is unknown", raw: strings.ToUpper(randomFrom(newRand(11), hexLower, 40)), kind: Unknown},
		{name: "39 hex is unknown", raw: randomFrom(newRand(12), hexLower, 39), kind: Unknown, codes: malformed, want: []string{"39 characters: no token"}},
		{name: "41 hex is unknown", raw: randomFrom(newRand(12), hexLower, 41), kind: Unknown},

		// Rule 5, fine-grained.
		{name: "fine-grained 93", raw: fine, kind: FineGrained},
		{name: "fine-grained 82", raw: makePrefixed(13, "github_pat_", 82), kind: FineGrained},
		{name: "fine-grained 255", raw: makePrefixed(14, "github_pat_", 255), kind: FineGrained},
		{name: "fine-grained 81", raw: makePrefixed(15, "github_pat_", 81), kind: FineGrained, codes: malformed, want: []string{"the fine-grained token (github_pat_) has 81 characters where at least 82"}},
		{name: "fine-grained 256", raw: makePrefixed(16, "github_pat_", 256), kind: FineGrained, codes: malformed, want: []string{"256 characters where at most 255"}},
		{name: "fine-grained with dash", raw: replaceAt(fine, 60, '-'), kind: FineGrained, codes: malformed, want: []string{"at character 61", "letters, digits and _"}},

		// Rule 5, gho_, ghu_, ghr_.
		{name: "oauth", raw: makePrefixed(17, "gho_", 40), kind: OAuth},
		{name: "oauth 255", raw: makePrefixed(18, "gho_", 255), kind: OAuth},
		{name: "oauth 39", raw: makePrefixed(19, "gho_", 39), kind: OAuth, codes: malformed, want: []string{"the OAuth token (gho_) has 39 characters: no token of any format pat-check knows has fewer than 40"}},
		{name: "app user", raw: makePrefixed(20, "ghu_", 40), kind: AppUser},
		{name: "app user 256", raw: makePrefixed(21, "ghu_", 256), kind: AppUser, codes: malformed, want: []string{"the GitHub App user token (ghu_) has 256 characters where at most 255"}},
		{name: "app user with dot", raw: replaceAt(makePrefixed(22, "ghu_", 40), 20, '.'), kind: AppUser, codes: malformed, want: []string{"at character 21"}},
		// A refresh token is well formed but never sent: the API refuses it.
		{name: "refresh", raw: makePrefixed(23, "ghr_", 76), kind: Refresh, codes: []finding.Code{finding.TokenTypeDisallowed}, want: []string{"refresh token (ghr_)", "never accepts", "not sent", "user access token (ghu_)", "grant_type=refresh_token"}},
		{name: "refresh 255", raw: makePrefixed(24, "ghr_", 255), kind: Refresh, codes: []finding.Code{finding.TokenTypeDisallowed}},
		{name: "refresh with dash", raw: replaceAt(makePrefixed(25, "ghr_", 76), 30, '-'), kind: Refresh, codes: malformed, want: []string{"the GitHub refresh token (ghr_)"}},

		// Rule 5, ghs_: never capped, dots and dashes allowed.
		{name: "installation 40", raw: makePrefixed(26, "ghs_", 40), kind: AppInstallation},
		{name: "installation JWT form", raw: jwt, kind: AppInstallation},
		{name: "installation very long", raw: makePrefixed(27, "ghs_", 4000), kind: AppInstallation},
		{name: "installation with dash and dot", raw: "ghs_123_ab-cd.ef-gh.ij-kl.mn-op.qr-st.uv", kind: AppInstallation},
		{name: "installation 9", raw: "ghs_abcde", kind: AppInstallation, codes: malformed, want: []string{"the GitHub App installation token (ghs_) has 9 characters: no token of any format pat-check knows has fewer than 40"}},
		{name: "installation 39", raw: makePrefixed(28, "ghs_", 39), kind: AppInstallation, codes: malformed, want: []string{"has 39 characters: no token"}},
		{name: "installation JWT with padding", raw: jwt + "==", kind: AppInstallation, codes: malformed, want: []string{"cannot be in a token", "letters, digits, _, . and -"}},

		// Rule 5, Azure DevOps legacy.
		{name: "azure legacy user", raw: azLegacyUser, kind: AzureDevOps},
		{name: "azure legacy app", raw: azLegacyApp, kind: AzureDevOps},
		{name: "azure legacy corrupted", raw: badAzLegacy, kind: AzureDevOps, codes: malformed, want: []string{"52-character format", "checksum does not match"}},
		{name: "azure legacy upper case is unknown", raw: strings.ToUpper(azLegacyUser), kind: Unknown},
		{name: "azure legacy truncated is unknown", raw: azLegacyUser[:51], kind: Unknown},

		// Rule 5, Azure DevOps current.
		{name: "azure current 99", raw: azCurrent, kind: AzureDevOps},
		{name: "azure current 9D", raw: makeAzureCurrent(28, "JQQJ9D"), kind: AzureDevOps},
		{name: "azure current 9H", raw: makeAzureCurrent(29, "JQQJ9H"), kind: AzureDevOps},
		{name: "azure current long form", raw: azCurrent + "Ab==", kind: AzureDevOps},
		{name: "azure current wrong signature", raw: makeAzureCurrent(30, "JQQJ98"), kind: AzureDevOps, codes: malformed, want: []string{"marker at character 77", "signature of an Azure DevOps PAT at characters 53 to 58"}},
		{name: "azure current missing universal signature", raw: makeAzureCurrent(31, "ABCDEF"), kind: AzureDevOps, codes: malformed, want: []string{"signature"}},
		{name: "azure current truncated", raw: azCurrent[:83], kind: AzureDevOps, codes: malformed, want: []string{"the Azure DevOps token has 83 characters where 84 are expected", "truncated"}},
		{name: "azure current extra", raw: azCurrent + "xyz", kind: AzureDevOps, codes: malformed, want: []string{"87 characters where 84"}},
		{name: "azure current with underscore", raw: replaceAt(azCurrent, 10, '_'), kind: AzureDevOps, codes: malformed, want: []string{"at character 11", "only letters and digits"}},
		{name: "other common annotated key", raw: azCurrent[:76] + "AZSB" + azCurrent[80:], kind: Unknown},

		// Anything else: unknown, and the API decides.
		{name: "opaque", raw: "some-opaque.token_value.of-forty-characters", kind: Unknown},
		{name: "opaque and short", raw: "some-opaque.token_value", kind: Unknown, codes: malformed, want: []string{"the token has 23 characters: no token of any format pat-check knows has fewer than 40"}},
		{name: "entra JWT", raw: "eyJ0eXAiOiJKV1QifQ.eyJhdWQiOiI0OTliODRhYyJ9.c2lnbmF0dXJl-_x", kind: Unknown},
		{name: "single character", raw: "x", kind: Unknown, codes: malformed, want: []string{"the token has 1 character: no token"}},
		{name: "a common word", raw: "true", kind: Unknown, codes: malformed, want: []string{"the token has 4 characters", "placeholder"}},
	}
}

// base32Lower is the legacy Azure DevOps PAT alphabet.
const base32Lower = "abcdefghijklmnopqrstuvwxyz234567"

func TestInspect(t *testing.T) {
	t.Parallel()
	for _, tc := range inspectCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Inspect(tc.raw)
			if got.Token != trim(tc.raw) {
				t.Errorf("Token is not the trimmed input (len %d, want %d)", len(got.Token), len(trim(tc.raw)))
			}
			if got.Kind != tc.kind {
				t.Errorf("Kind = %q, want %q", got.Kind, tc.kind)
			}
			if k := KindOf(tc.raw); k != got.Kind {
				t.Errorf("KindOf = %q, Inspect().Kind = %q: they must agree", k, got.Kind)
			}
			var codes []finding.Code
			var msgs []string
			for _, p := range got.Problems {
				codes = append(codes, p.Code)
				msgs = append(msgs, p.Message)
			}
			if !slices.Equal(codes, tc.codes) {
				t.Errorf("codes = %v, want %v; messages: %q", codes, tc.codes, msgs)
			}
			joined := strings.Join(msgs, "\n")
			for _, w := range tc.want {
				if !strings.Contains(joined, w) {
					t.Errorf("messages %q do not contain %q", msgs, w)
				}
			}
		})
	}
}

// TestInspectNeverLeaks checks the promise that messages can go anywhere: no
// message contains the token or any 8-character piece of it.
func TestInspectNeverLeaks(t *testing.T) {
	t.Parallel()
	for _, tc := range inspectCases() {
		got := Inspect(tc.raw)
		assertNoLeak(t, tc.name, got.Token, got.Problems)
		for _, p := range got.Problems {
			if p.Message == "" || strings.ContainsAny(p.Message, "\r\n") {
				t.Errorf("%s: a message must be one non-empty line", tc.name)
			}
		}
	}
}

// TestInspectStopsAtFirstRule checks that an empty value, an unexpanded
// reference and whitespace each stop the inspection: further rules would only
// add noise about a value that is not the token at all.
func TestInspectStopsAtFirstRule(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		raw  string
		code finding.Code
	}{
		{"unexpanded beats whitespace and charset", "Bearer $(GH_PAT) \u00a0+", finding.TokenUnexpanded},
		{"whitespace beats charset and length", "ghp_a b\u00a0", finding.TokenMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := Inspect(tc.raw).Problems
			if len(got) != 1 || got[0].Code != tc.code {
				t.Fatalf("problems = %+v, want exactly one %s", got, tc.code)
			}
		})
	}
}

func TestHasSecretLikeWord(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		want bool
	}{
		{"secrets.GH_PAT", false},
		{"secrets.AZURE_DEVOPS_EXT_PAT", false},
		{"MyVeryLongVariableName", false}, // 22 letters, no digit
		{"ghp_" + "abcdefgh12345678", true},
		{strings.Repeat("A", 32), true},
		{makeAzureLegacy(40, azureUserPATSeed), true},
		{"ecretPassw0rd", true}, // mixed case and a digit: a password, not a name
		{"GH_PAT_2024", false},  // upper case and digits: a name
		{"System.AccessToken", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := hasSecretLikeWord(tc.s); got != tc.want {
			t.Errorf("hasSecretLikeWord(len %d) = %v, want %v", len(tc.s), got, tc.want)
		}
	}
}
