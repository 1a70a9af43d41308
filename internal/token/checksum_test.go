package token

import (
	"encoding/base32"
	"hash/crc32"
	"math/big"
	"strings"
	"testing"
	"unicode"
)

func TestValidClassicChecksum(t *testing.T) {
	t.Parallel()
	classic := makeClassic(100)
	tests := []struct {
		name string
		tok  string
		want bool
	}{
		{"public vector", publicClassic, true},
		{"generated", classic, true},
		{"last character changed", replaceAt(publicClassic, 39, '5'), false},
		{"body character changed", replaceAt(publicClassic, 4, 'm'), false},
		{"case of a checksum letter changed", replaceAt(publicClassic, 37, 'v'), false},
		{"two body characters swapped", publicClassic[:4] + publicClassic[5:6] + publicClassic[4:5] + publicClassic[6:], false},
		{"truncated", publicClassic[:39], false},
		{"with trailing newline", publicClassic + "\n", false},
		{"other prefix, same body", "gho_" + publicClassic[4:], false},
		{"underscore in body", replaceAt(classic, 5, '_'), false},
		{"empty", "", false},
		{"prefix only", "ghp_", false},
		{"non-ASCII of the right byte length", "ghp_" + strings.Repeat("\u00e9", 18), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ValidClassicChecksum(tc.tok); got != tc.want {
				t.Errorf("ValidClassicChecksum = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestClassicChecksumAlphabet cross-checks the checksum with math/big, whose
// base 62 puts lower case before upper case: swapping the case of its digits
// must give GitHub's encoding. It documents why big.Int.Text(62) alone is wrong.
func TestClassicChecksumAlphabet(t *testing.T) {
	t.Parallel()
	swap := func(r rune) rune {
		if unicode.IsUpper(r) {
			return unicode.ToLower(r)
		}
		return unicode.ToUpper(r)
	}
	sawDifference := false
	for seed := range uint64(200) {
		body := randomFrom(newRand(1000+seed), alnum, 30)
		n := new(big.Int).SetUint64(uint64(crc32.ChecksumIEEE([]byte(body))))
		plain := n.Text(62)
		want := strings.Repeat("0", 6-len(plain)) + strings.Map(swap, plain)
		if got := classicChecksum(body); got != want {
			t.Fatalf("classicChecksum = %q, want %q", got, want)
		}
		sawDifference = sawDifference || strings.Map(swap, plain) != plain
	}
	if !sawDifference {
		t.Fatal("no checksum contained a letter; the alphabet order was not exercised")
	}
}

func TestValidAzureLegacyChecksum(t *testing.T) {
	t.Parallel()
	user := makeAzureLegacy(200, azureUserPATSeed)
	app := makeAzureLegacy(201, azureAppPATSeed)
	tests := []struct {
		name string
		tok  string
		want bool
	}{
		{"user PAT", user, true},
		{"app PAT", app, true},
		{"other seed", makeAzureLegacy(202, 0x12345678), false},
		{"random base32", randomFrom(newRand(203), base32Lower, 52), false},
		{"upper case", strings.ToUpper(user), false},
		{"truncated", user[:51], false},
		{"with trailing newline", user + "\n", false},
		{"empty", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := ValidAzureLegacyChecksum(tc.tok); got != tc.want {
				t.Errorf("ValidAzureLegacyChecksum = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestAzureLegacyEveryChangeIsCaught changes each character of generated
// PATs to every other base32 character. All changes must break the checksum,
// except in the last character's low 4 bits, which are padding beyond the
// 32 bytes and carry nothing (as in Azure DevOps' own decoder).
func TestAzureLegacyEveryChangeIsCaught(t *testing.T) {
	t.Parallel()
	for seed := range uint64(20) {
		tok := makeAzureLegacy(300+seed, []uint32{azureUserPATSeed, azureAppPATSeed}[seed%2])
		if !ValidAzureLegacyChecksum(tok) {
			t.Fatalf("seed %d: generated PAT does not verify", seed)
		}
		for i := 0; i < len(tok); i++ {
			for j := 0; j < len(base32Lower); j++ {
				c := base32Lower[j]
				if c == tok[i] {
					continue
				}
				changed := replaceAt(tok, i, c)
				paddingOnly := i == len(tok)-1 && base32Value(c)&0x10 == base32Value(tok[i])&0x10
				if got := ValidAzureLegacyChecksum(changed); got != paddingOnly {
					t.Errorf("seed %d: changing character %d gives valid=%v, want %v", seed, i+1, got, paddingOnly)
				}
			}
		}
	}
}

// TestDecodeBase32Lower checks the decoder against encoding/base32 on every
// length of input, including lengths that end in spare bits.
func TestDecodeBase32Lower(t *testing.T) {
	t.Parallel()
	enc := base32.StdEncoding.WithPadding(base32.NoPadding)
	r := newRand(400)
	for n := range 40 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		s := strings.ToLower(enc.EncodeToString(b))
		if got := decodeBase32Lower(s); string(got) != string(b) {
			t.Fatalf("%d bytes: decode(encode(b)) = %x, want %x", n, got, b)
		}
	}
}
