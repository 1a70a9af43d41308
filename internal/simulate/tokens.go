package simulate

import (
	"crypto/sha256"
	"strings"

	"github.com/pat-check/pat-check/internal/token"
)

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomish derives n letters and digits from seed: the same seed gives the
// same text, so scenarios and tests are repeatable.
func randomish(seed string, n int) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		sum := sha256.Sum256([]byte(seed + "/" + string(rune('a'+i%26)) + strings.Repeat("+", i/26)))
		for _, c := range sum {
			if b.Len() == n {
				break
			}
			b.WriteByte(alnum[int(c)%len(alnum)])
		}
	}
	return b.String()
}

// ClassicToken makes a well-formed classic token (ghp_, valid checksum)
// from seed. It is not a real token: only the simulator knows it.
func ClassicToken(seed string) string { return token.NewClassic(randomish("classic:"+seed, 30)) }

// FineGrainedToken makes a well-formed fine-grained token from seed.
func FineGrainedToken(seed string) string {
	return "github_pat_" + randomish("fg1:"+seed, 22) + "_" + randomish("fg2:"+seed, 59)
}

// InstallationToken makes a well-formed installation token (ghs_) from seed.
func InstallationToken(seed string) string { return "ghs_" + randomish("ghs:"+seed, 36) }
