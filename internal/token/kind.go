package token

import "strings"

// Kind is a token kind. Its string values are the contract's token kinds, so
// a Kind can be written to the token-type output and compared with the
// token-types option without translation.
type Kind string

// The token kinds. Refresh is not in the contract's list of kinds a user may
// allow: a refresh token is never accepted by the API, so allowing it would
// make no sense; it is recognised only to say so precisely.
const (
	Unknown         Kind = "unknown"
	Classic         Kind = "classic"                 // ghp_..., and legacy 40-hex tokens with no prefix
	FineGrained     Kind = "fine-grained"            // github_pat_...
	OAuth           Kind = "oauth"                   // gho_...
	AppUser         Kind = "github-app-user"         // ghu_...
	AppInstallation Kind = "github-app-installation" // ghs_... (incl. the Actions GITHUB_TOKEN)
	Refresh         Kind = "github-refresh"          // ghr_... (never valid against the API)
	AzureDevOps     Kind = "azure-devops"            // 52-char legacy base32 PAT, or 84-char PAT
)

// prefixes maps GitHub's kind prefixes to kinds. github_pat_ comes first only
// for clarity: no two prefixes share a beginning.
var prefixes = []struct {
	prefix string
	kind   Kind
}{
	{"github_pat_", FineGrained},
	{"ghp_", Classic},
	{"gho_", OAuth},
	{"ghu_", AppUser},
	{"ghs_", AppInstallation},
	{"ghr_", Refresh},
}

// Prefix is the public prefix GitHub puts in front of tokens of this kind. It
// is the only part of a token that may be shown, because it identifies the
// kind and nothing else. Legacy classic tokens and Azure DevOps PATs have no
// prefix, so their Prefix is "".
func (k Kind) Prefix() string {
	for _, p := range prefixes {
		if p.kind == k {
			return p.prefix
		}
	}
	return ""
}

// KnownKinds lists the kinds a user may name in the token-types option, in
// the contract's order. It returns a new slice each time so that no caller
// can change the list for the others.
func KnownKinds() []Kind {
	return []Kind{Classic, FineGrained, OAuth, AppUser, AppInstallation, AzureDevOps}
}

// ParseKind reads one entry of the token-types option. It accepts exactly the
// contract's spellings of [KnownKinds], ignoring case and surrounding spaces,
// because users type these by hand in YAML; anything else (including
// "unknown" and "github-refresh", which no one can sensibly require) is
// rejected so that a typo fails loudly instead of allowing nothing.
func ParseKind(s string) (Kind, bool) {
	s = strings.TrimSpace(s)
	for _, k := range KnownKinds() {
		if strings.EqualFold(s, string(k)) {
			return k, true
		}
	}
	return Unknown, false
}

// KindOf tells the kind from the token's shape alone: its prefix, or for
// tokens without one, the length, alphabet and fixed markers of the legacy
// GitHub and Azure DevOps formats. It does not judge whether the token is
// well formed ([Inspect] does), so a truncated "ghp_" token is still Classic:
// the kind it claims is what the user needs to hear about. Surrounding
// whitespace is ignored, as [Inspect] ignores it.
func KindOf(tok string) Kind {
	tok = trim(tok)
	for _, p := range prefixes {
		if strings.HasPrefix(tok, p.prefix) {
			return p.kind
		}
	}
	switch {
	case isLegacyHex(tok):
		return Classic
	case isAzureLegacyShape(tok):
		return AzureDevOps
	case claimsAzureCurrent(tok):
		return AzureDevOps
	}
	return Unknown
}

// prefixOf returns the kind prefix tok actually starts with, or "". Unlike
// KindOf(tok).Prefix() it is "" for a legacy 40-hex classic token, which has
// no prefix to show.
func prefixOf(tok string) string {
	for _, p := range prefixes {
		if strings.HasPrefix(tok, p.prefix) {
			return p.prefix
		}
	}
	return ""
}

// trim removes the whitespace a copy, a paste or a secret file adds around a
// value. Only these four characters: anything more exotic (a non-breaking
// space, a byte-order mark) is reported instead of silently dropped, because
// the same value may be used unchanged by other steps of the job.
func trim(s string) string { return strings.Trim(s, " \t\r\n") }

// isLegacyHex reports the pre-2021 GitHub token format: 40 lower-case hex
// characters, no prefix, no checksum.
func isLegacyHex(tok string) bool {
	if len(tok) != legacyHexLen {
		return false
	}
	for i := 0; i < len(tok); i++ {
		c := tok[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// isAzureLegacyShape reports the legacy Azure DevOps PAT shape: 52 characters
// of the lower-case RFC 4648 base32 alphabet, which is 32 bytes.
func isAzureLegacyShape(tok string) bool {
	if len(tok) != azureLegacyLen {
		return false
	}
	for i := 0; i < len(tok); i++ {
		if !isBase32Lower(tok[i]) {
			return false
		}
	}
	return true
}

// claimsAzureCurrent reports a value that carries the Azure DevOps provider
// marker of the current (2024) PAT format at its place. The universal
// signature at 52 alone is not enough: it is shared by every Microsoft
// "common annotated" key, most of which are not Azure DevOps PATs. The length
// window lets a PAT that lost or gained a few characters at its end still be
// recognised, so that the user hears "truncated" rather than nothing.
func claimsAzureCurrent(tok string) bool {
	n := len(tok)
	if n < azureMarkerAt+len(azureMarker) || n > azureCurrentLen+azureClaimSlack {
		return false
	}
	return tok[azureMarkerAt:azureMarkerAt+len(azureMarker)] == azureMarker
}
