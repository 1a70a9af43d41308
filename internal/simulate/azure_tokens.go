package simulate

import (
	"crypto/sha256"
	"encoding/base32"
	"hash/crc32"
	"strings"
)

// azureLegacyUserSeed is XORed into the CRC-32 of a legacy PAT created by a
// user (microsoft/security-utilities, its AdoLegacyPat identifiable secret).
const azureLegacyUserSeed = 0xE0B9692D

// LegacyAzurePAT makes a well-formed 52-character legacy Azure DevOps PAT
// (lower-case base32, [a-z2-7]) with a valid user-PAT checksum, from seed:
// the same seed gives the same PAT. It is not a real token: only the
// simulator knows it.
func LegacyAzurePAT(seed string) string {
	b := sha256.Sum256([]byte("ado-legacy:" + seed)) // 32 bytes, as a legacy PAT decodes to
	// The checksum covers every byte but 2, 7, 8 and 22, where it is stored:
	// little-endian b[22], b[8], b[7], b[2].
	var data []byte
	for i, c := range b {
		if i != 2 && i != 7 && i != 8 && i != 22 {
			data = append(data, c)
		}
	}
	sum := crc32.ChecksumIEEE(data) ^ azureLegacyUserSeed
	b[22], b[8], b[7], b[2] = byte(sum), byte(sum>>8), byte(sum>>16), byte(sum>>24)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

// CurrentAzurePAT makes a well-formed 84-character Azure DevOps PAT of the
// current (2024) format from seed: 52 letters and digits, the signature
// JQQJ99 at 52, the creation year and month letters at 58 and 59 ('A' is
// 2024 and January; the date is derived from the seed, between 2024 and
// 2026), 16 more letters and digits, AZDO at 76, and 4 letters and digits
// where Azure DevOps puts a checksum whose algorithm is not public. The same
// seed gives the same PAT; only the simulator knows it.
func CurrentAzurePAT(seed string) string {
	d := sha256.Sum256([]byte("ado-date:" + seed))
	year := byte('A' + d[0]%3)
	month := byte('A' + d[1]%12)
	return randomish("ado1:"+seed, 52) + "JQQJ99" + string([]byte{year, month}) +
		randomish("ado2:"+seed, 16) + "AZDO" + randomish("ado3:"+seed, 4)
}
