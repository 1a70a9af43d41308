package token

import (
	"encoding/base32"
	"encoding/base64"
	"hash/crc32"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/finding"
)

// Test tokens are built at run time, never written out whole in the source:
// a literal with a valid checksum would trip push protection and secret
// scanners wherever this repository is pushed. The public classic vector is
// split for the same reason.
const (
	publicClassic       = "ghp_" + "M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq" + "11T4V4"
	publicClassicPrefix = "ghp_"
)

// newRand gives each generator call a fixed, distinct sequence, so tests are
// reproducible and independent of the order they run in.
func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

func randomFrom(r *rand.Rand, alphabet string, n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(alphabet[r.IntN(len(alphabet))])
	}
	return b.String()
}

const (
	alnum    = base62Alphabet
	hexLower = "0123456789abcdef"
)

// makeClassic builds a ghp_ token with a valid checksum.
func makeClassic(seed uint64) string {
	body := randomFrom(newRand(seed), alnum, 30)
	return "ghp_" + body + classicChecksum(body)
}

// makeFineGrained builds a fine-grained token of the observed 93-character
// shape: github_pat_ + 22 + _ + 59.
func makeFineGrained(seed uint64) string {
	r := newRand(seed)
	return "github_pat_" + randomFrom(r, alnum, 22) + "_" + randomFrom(r, alnum, 59)
}

// makePrefixed builds a 2021-format token of the given prefix and total length.
func makePrefixed(seed uint64, prefix string, n int) string {
	return prefix + randomFrom(newRand(seed), alnum, n-len(prefix))
}

// makeJWTInstallation builds a token in the 2026 ghs_<appid>_<JWT> form: a
// real-looking RS256 JWT whose three base64url parts are joined by dots.
func makeJWTInstallation(seed uint64) string {
	r := newRand(seed)
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"RS256","typ":"JWT"}`))
	payload := enc.EncodeToString([]byte(`{"iss":"github.com","sub":"installation/12345678","iat":1777000000,"exp":1777003600,"jti":"` +
		randomFrom(r, hexLower, 16) + `"}`))
	sig := make([]byte, 256)
	for i := range sig {
		sig[i] = byte(r.UintN(256))
	}
	return "ghs_1234567_" + header + "." + payload + "." + enc.EncodeToString(sig)
}

// makeAzureLegacy builds a 52-character legacy Azure DevOps PAT the way the
// checksum is defined: 28 random bytes, CRC-32 of them XOR the seed, the four
// checksum bytes placed at 22, 8, 7 and 2 (least significant first). It uses
// encoding/base32, not the package's decoder, so the two cross-check.
func makeAzureLegacy(seed uint64, checksumSeed uint32) string {
	r := newRand(seed)
	data := make([]byte, 28)
	for i := range data {
		data[i] = byte(r.UintN(256))
	}
	c := crc32.ChecksumIEEE(data) ^ checksumSeed
	b := make([]byte, 32)
	copy(b[0:2], data[0:2])
	copy(b[3:7], data[2:6])
	copy(b[9:22], data[6:19])
	copy(b[23:32], data[19:28])
	b[22], b[8], b[7], b[2] = byte(c), byte(c>>8), byte(c>>16), byte(c>>24)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// makeAzureCurrent builds an 84-character PAT of the 2024 format: 52 random
// base62 characters, a signature, a year letter and a month letter (A-L), 16
// random characters, AZDO, and 4 characters whose checksum is not public.
func makeAzureCurrent(seed uint64, signature string) string {
	r := newRand(seed)
	return randomFrom(r, alnum, 52) + signature +
		randomFrom(r, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1) + randomFrom(r, "ABCDEFGHIJKL", 1) +
		randomFrom(r, alnum, 16) + azureMarker + randomFrom(r, alnum, 4)
}

// replaceAt returns s with the byte at i replaced by c.
func replaceAt(s string, i int, c byte) string { return s[:i] + string(c) + s[i+1:] }

// otherChar returns a character of alphabet different from c.
func otherChar(alphabet string, c byte) byte {
	i := strings.IndexByte(alphabet, c)
	return alphabet[(i+1)%len(alphabet)]
}

// windowLen is the length of the substrings of a token that no message may
// contain: long enough not to match ordinary words by chance, short enough
// to catch any leak that matters.
const windowLen = 8

// assertNoLeak fails when a problem's message contains any windowLen-long
// substring of tok, except windows lying wholly inside the kind prefix
// (which messages name on purpose) or inside an unexpanded reference that the
// message quotes (a variable name, not a secret); a reference the message
// only describes gets no exemption. It never prints the token.
func assertNoLeak(t *testing.T, name, tok string, problems []Problem) {
	t.Helper()
	prefixEnd := len(prefixOf(tok))
	for _, p := range problems {
		refStart, refEnd := -1, -1
		if p.Code == finding.TokenUnexpanded {
			loc := referencePattern.FindStringIndex(tok)
			if loc != nil && strings.Contains(p.Message, strconv.Quote(tok[loc[0]:loc[1]])) {
				refStart, refEnd = loc[0], loc[1]
			}
		}
		for i := 0; i+windowLen <= len(tok); i++ {
			j := i + windowLen
			if j <= prefixEnd || (i >= refStart && j <= refEnd) {
				continue
			}
			if strings.Contains(p.Message, tok[i:j]) {
				t.Errorf("%s: a %s message contains characters %d-%d of the token", name, p.Code, i+1, j)
			}
		}
	}
}
