package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pat-check/pat-check/internal/simulate"
)

// disguises are forms of the token that no runner's mask matches and in
// which no 12 characters of the token stand in a row: split with '-' every
// 11 characters, spaced out, in fullwidth letters.
func disguises(tok string) map[string]string {
	var dashed, spaced, wide strings.Builder
	for i, r := range tok {
		if i > 0 && i%11 == 0 {
			dashed.WriteByte('-')
		}
		dashed.WriteRune(r)
		if i > 0 {
			spaced.WriteByte(' ')
		}
		spaced.WriteRune(r)
		if r > ' ' && r < 0x7f {
			r += 0xFF01 - '!' // the fullwidth form of an ASCII character
		}
		wide.WriteRune(r)
	}
	return map[string]string{"dashed": dashed.String(), "spaced": spaced.String(), "fullwidth": wide.String()}
}

// skeletonOf is the token's letters and digits, lower-cased: what a reader
// would make of a disguise.
func skeletonOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 0xFF01 && r <= 0xFF5E {
			r -= 0xFF01 - '!'
		}
		if r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// A server that sends the token back disguised gets it withheld: compared
// on the skeleton (NFKC, case-folded, letters and digits only), before
// anything reads it, in every front-end and every channel.
func TestDisguisedFormsOfTheTokenFromTheServerNeverShow(t *testing.T) {
	t.Parallel()
	tok := simulate.ClassicToken("disguised")
	for name, form := range disguises(tok) {
		api, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", "application/json")
			if r.URL.Path != "/user" {
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprintf(w, `{"message": "Not Found %s"}`, form)
				return
			}
			h.Set("X-OAuth-Scopes", "repo")
			h.Set("GitHub-Authentication-Token-Expiration", time.Now().Add(60*24*time.Hour).UTC().Format("2006-01-02 15:04:05 UTC"))
			fmt.Fprintf(w, `{"login": "octo %s", "id": 1}`, form)
		})
		for _, fe := range frontEnds {
			t.Run(name+" "+fe, func(t *testing.T) {
				t.Parallel()
				_, ch := runIn(t, context.Background(), fe, tok, map[string]string{"api-url": api, "scopes": "repo", "repositories": "octo/app"}, World{})
				sk := skeletonOf(tok)
				for channel, text := range ch {
					got := skeletonOf(text)
					for i := 0; i+12 <= len(sk); i++ {
						if strings.Contains(got, sk[i:i+12]) {
							t.Errorf("%s holds 12 of the token's letters and digits in a row (disguised %s)", channel, name)
							break
						}
					}
				}
			})
		}
	}
}
