package finding

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// Clip never cuts inside a character, marks the cut, and leaves short text
// alone.
func TestClip(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 100)
	got := Clip(long, 80)
	if !utf8.ValidString(got) || got != strings.Repeat("é", 80)+"…" {
		t.Errorf("Clip(100 × é, 80) = %q", got)
	}
	if got := Clip("short", 80); got != "short" {
		t.Errorf("Clip(short) = %q", got)
	}
}

// Quote echoes at most MaxQuoted characters and says how long the value was.
func TestQuote(t *testing.T) {
	t.Parallel()
	if got := Quote("repo"); got != `"repo"` {
		t.Errorf("Quote(repo) = %s", got)
	}
	got := Quote(strings.Repeat("ß", 1000))
	if !utf8.ValidString(got) || !strings.HasSuffix(got, "… (1000 characters)") || strings.Count(got, "ß") != MaxQuoted {
		t.Errorf("Quote(1000 × ß) = %s", got)
	}
}
