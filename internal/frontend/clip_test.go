package frontend

import (
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

// A mistyped argument is quoted cut at a character, never inside one.
func TestMistypedArgumentIsCutAtACharacter(t *testing.T) {
	t.Parallel()
	arg := strings.Repeat("é", 30) // 60 bytes: a byte cut at 40 would land inside a character
	c := newCLI([]string{"--format", arg}, envOf(nil), Stdio{Out: io.Discard, Err: io.Discard}, platformTokens)
	_, err := c.Options()
	var ue *UsageError
	if !errors.As(err, &ue) {
		t.Fatalf("--format %s: %v, want a usage error", arg, err)
	}
	if !utf8.ValidString(ue.Msg) || !strings.Contains(ue.Msg, strings.Repeat("é", 30)) {
		t.Errorf("the message cuts the argument inside a character or too short: %q", ue.Msg)
	}
}
