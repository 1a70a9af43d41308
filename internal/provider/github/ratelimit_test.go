package github

import (
	"net/http"
	"testing"
)

// A rate-limit answer is told from a permission 403 by its headers: GitHub
// answers an exhausted primary limit with 403 and X-RateLimit-Remaining: 0,
// whatever the message says (docs "Rate limits for the REST API",
// "Exceeding the rate limit").
func TestRateLimitedByItsHeaders(t *testing.T) {
	t.Parallel()
	header := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	for _, tt := range []struct {
		name string
		a    answer
		want bool
	}{
		{"403 with no requests left", answer{status: 403, header: header("X-RateLimit-Remaining", "0"), message: "Forbidden"}, true},
		{"403 with requests left", answer{status: 403, header: header("X-RateLimit-Remaining", "4999"), message: "Resource not accessible by personal access token"}, false},
		{"403 with Retry-After (a secondary limit)", answer{status: 403, header: header("Retry-After", "60"), message: "Forbidden"}, true},
		{"403 that says so", answer{status: 403, header: header(), message: "API rate limit exceeded for user ID 1."}, true},
		{"429", answer{status: 429, header: header()}, true},
		{"401 with no requests left is not a rate limit", answer{status: 401, header: header("X-RateLimit-Remaining", "0")}, false},
		{"a 403 refusal", answer{status: 403, header: header(), message: "Must have admin rights to Repository."}, false},
	} {
		if got := tt.a.rateLimited(); got != tt.want {
			t.Errorf("%s: rateLimited() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
