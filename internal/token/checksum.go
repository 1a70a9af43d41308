package token

import (
	"hash/crc32"
	"strings"
)

// Lengths and markers of the formats, named once so that the shape tests, the
// checksum code and the messages cannot disagree.
const (
	classicLen         = 40 // "ghp_" + 30 random + 6 checksum
	classicChecksumLen = 6
	legacyHexLen       = 40

	azureLegacyLen   = 52 // base32 of 32 bytes
	azureCurrentLen  = 84
	azureLongFormLen = 88 // the "long form" of a common annotated key: 84 + 2 + "=="
	azureSignatureAt = 52 // 0-based
	azureMarkerAt    = 76 // 0-based
	azureMarker      = "AZDO"
	azureClaimSlack  = 16 // how far beyond 84 a value may run and still be read as a damaged PAT
)

// azureSignatures are the signatures of the current Azure DevOps PAT format at
// 0-based position 52: the universal "JQQJ9" followed by a version character.
var azureSignatures = []string{"JQQJ99", "JQQJ9D", "JQQJ9H"}

// base62Alphabet is GitHub's: digits, then upper case, then lower case.
// math/big's Text(62) orders the letters the other way round and gives wrong
// checksums, which is why the encoding is written out here.
const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// The two seeds Azure DevOps XORs into the legacy PAT checksum: one for PATs
// a user creates, one for those an application obtains on a user's behalf.
// From microsoft/security-utilities (AdoPat, SEC101/102).
const (
	azureUserPATSeed = 0xE0B9692D
	azureAppPATSeed  = 0x1019F92E
)

// classicChecksum is the 6-character checksum GitHub appends to the 30
// random characters of a classic token: CRC-32/IEEE of those characters,
// in base62, left-padded with '0'. 62^6 exceeds 2^32, so six always suffice.
func classicChecksum(body string) string {
	n := crc32.ChecksumIEEE([]byte(body))
	var out [classicChecksumLen]byte
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = base62Alphabet[n%62]
		n /= 62
	}
	return string(out[:])
}

// ValidClassicChecksum reports whether tok is a complete ghp_ token whose
// checksum matches its body. A mismatch means a character was changed or
// mistyped: GitHub would reject the token, so there is no point in sending
// it. Anything that is not exactly a 40-character ghp_ token of letters and
// digits is false; tok is not trimmed.
func ValidClassicChecksum(tok string) bool {
	if len(tok) != classicLen || !strings.HasPrefix(tok, "ghp_") {
		return false
	}
	for i := len("ghp_"); i < len(tok); i++ {
		if !isAlnum(tok[i]) {
			return false
		}
	}
	body := tok[len("ghp_") : classicLen-classicChecksumLen]
	return classicChecksum(body) == tok[classicLen-classicChecksumLen:]
}

// ValidAzureLegacyChecksum reports whether tok is a 52-character legacy Azure
// DevOps PAT whose embedded checksum matches, for either a user or an
// application PAT. This is the check microsoft/security-utilities uses to
// tell real Azure DevOps PATs from other base32 strings. tok is not trimmed.
func ValidAzureLegacyChecksum(tok string) bool {
	if !isAzureLegacyShape(tok) {
		return false
	}
	b := decodeBase32Lower(tok)
	crc := crc32.ChecksumIEEE(azureLegacyData(b))
	embedded := uint32(b[22]) | uint32(b[8])<<8 | uint32(b[7])<<16 | uint32(b[2])<<24
	return crc^azureUserPATSeed == embedded || crc^azureAppPATSeed == embedded
}

// azureLegacyData gathers the 28 bytes of a decoded legacy PAT that are not
// its checksum; the checksum's 4 bytes sit scattered at 2, 7, 8 and 22.
func azureLegacyData(b []byte) []byte {
	data := make([]byte, 0, 28)
	data = append(data, b[0:2]...)
	data = append(data, b[3:7]...)
	data = append(data, b[9:22]...)
	data = append(data, b[23:32]...)
	return data
}

// decodeBase32Lower decodes lower-case RFC 4648 base32 without padding,
// dropping the bits of an incomplete last byte as Azure DevOps' own decoder
// does (52 characters carry 260 bits: 32 bytes and 4 spare bits).
// encoding/base32 is not used because it wants upper case and, in strict
// use, zero spare bits, which real PATs are not promised to have.
// The caller has checked the alphabet.
func decodeBase32Lower(s string) []byte {
	out := make([]byte, 0, len(s)*5/8)
	var acc uint32
	bits := 0
	for i := 0; i < len(s); i++ {
		acc = acc<<5 | uint32(base32Value(s[i]))
		bits += 5
		if bits >= 8 {
			bits -= 8
			out = append(out, byte(acc>>bits))
			acc &= 1<<bits - 1
		}
	}
	return out
}

func base32Value(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - 'a'
	}
	return c - '2' + 26
}

func isBase32Lower(c byte) bool { return 'a' <= c && c <= 'z' || '2' <= c && c <= '7' }

func isAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// isWordChar is GitHub's 2021 token alphabet, [A-Za-z0-9_].
func isWordChar(c byte) bool { return isAlnum(c) || c == '_' }

// isTokenChar is every character any supported token may contain: GitHub's
// alphabet plus the '.' and '-' of the JWT-form ghs_ token. Anything else in
// a value means it is not (only) a token.
func isTokenChar(c byte) bool { return isWordChar(c) || c == '.' || c == '-' }

// NewClassic returns the classic token with the given 30-character body and
// its checksum. Simulators and tests need tokens that pass the offline check
// without being anyone's real token; body must be 30 letters and digits.
func NewClassic(body string) string {
	return "ghp_" + body + classicChecksum(body)
}
