package scrub

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A runner masks a secret only as it was registered, byte for byte; a
// server can send the token back in a form no mask matches and no window
// of MinWindow bytes in a row catches: split with a '-' every few
// characters, spaced out, or in fullwidth letters (ｇｈｐ＿…). So text is
// also compared on its skeleton: Unicode NFKC (fullwidth and other
// compatibility forms become the letters they stand for), case-folded
// (simple folding, within each letter's orbit of cases),
// letters and digits only. The token's skeleton is its letters and digits.

// skeleton returns the skeleton of text, and for each of its bytes the
// range of text it came from.
func skeleton(text string) (sk []byte, from, to []int) {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
				sk, from, to = append(sk, c), append(from, i), append(to, i+1)
			case 'A' <= c && c <= 'Z':
				sk, from, to = append(sk, c+'a'-'A'), append(from, i), append(to, i+1)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(text[i:])
		for _, r := range norm.NFKC.String(string(r)) {
			r = fold(r)
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				for range utf8.RuneLen(r) {
					from, to = append(from, i), append(to, i+n)
				}
				sk = utf8.AppendRune(sk, r)
			}
		}
		i += n
	}
	return sk, from, to
}

// fold is r case-folded (simple folding, as Unicode's CaseFolding.txt
// with status C and S): the lower-case rune of its orbit, or the smallest
// when the orbit has no lower case one (a Cherokee letter).
func fold(r rune) rune {
	best := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if unicode.IsLower(f) && !unicode.IsLower(best) || unicode.IsLower(f) == unicode.IsLower(best) && f < best {
			best = f
		}
	}
	return best
}

// skeletonOf is skeleton without the ranges, for the token's forms.
func skeletonOf(s string) string {
	sk, _, _ := skeleton(s)
	return string(sk)
}
