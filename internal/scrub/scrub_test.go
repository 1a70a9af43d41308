package scrub

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestStringReplacesEveryFormLongestFirst(t *testing.T) {
	t.Parallel()
	s := New([]string{"secret-token", "secret-token-long", ""})
	if got := s.String("a secret-token-long b secret-token c"); got != "a *** b *** c" {
		t.Errorf("got %q", got)
	}
	var zero Scrubber
	if got := zero.String("secret-token"); got != "secret-token" {
		t.Errorf("the zero scrubber changed %q", got)
	}
}

func TestWriterScrubsFromSetOn(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var s Scrubber
	w := s.Writer(&buf)
	_, _ = w.Write([]byte("before secret-token\n"))
	s.Set([]string{"secret-token", "c2VjcmV0LXRva2Vu"})
	n, err := w.Write([]byte("after secret-token and c2VjcmV0LXRva2Vu\n"))
	if err != nil || n != len("after secret-token and c2VjcmV0LXRva2Vu\n") {
		t.Errorf("Write = %d, %v", n, err)
	}
	want := "before secret-token\nafter *** and ***\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("closed") }

func TestWriterReportsErrors(t *testing.T) {
	t.Parallel()
	if _, err := New([]string{"secret-token"}).Writer(failingWriter{}).Write([]byte("x")); err == nil {
		t.Error("the error was lost")
	}
}

// label is a named string type, as finding.Code is.
type label string

// inner and outer are a report as it might grow: text in every shape a
// field can take. Value knows none of these names.
type inner struct {
	Text   string
	Labels []label
}

type outer struct {
	Name      string
	Hidden    string `json:"-"`
	Optional  *string
	Scopes    []string
	URLs      [2]string
	Nested    inner
	Many      []inner
	Pointer   *inner
	ByName    map[string]string
	Any       any
	Count     int
	Flag      bool
	unchanged string
}

func TestValueScrubsFieldsItWasNeverTold(t *testing.T) {
	t.Parallel()
	opt := "opt SECRET-TOKEN"
	in := outer{
		Name: "SECRET-TOKEN", Hidden: "hidden SECRET-TOKEN", Optional: &opt, Scopes: []string{"repo", "SECRET-TOKEN"},
		URLs: [2]string{"https://x/?t=SECRET-TOKEN", "ok"}, Nested: inner{Text: "n SECRET-TOKEN", Labels: []label{"SECRET-TOKEN"}},
		Many: []inner{{Text: "m SECRET-TOKEN"}}, Pointer: &inner{Text: "p SECRET-TOKEN"},
		ByName: map[string]string{"k SECRET-TOKEN": "v SECRET-TOKEN"}, Any: inner{Text: "any SECRET-TOKEN"}, Count: 3, Flag: true,
		unchanged: "private",
	}
	got := Value(New([]string{"SECRET-TOKEN"}), in)
	const w = Withheld
	want := outer{
		Name: w, Hidden: w, Optional: ptr(w), Scopes: []string{"repo", w},
		URLs: [2]string{w, "ok"}, Nested: inner{Text: w, Labels: []label{w}},
		Many: []inner{{Text: w}}, Pointer: &inner{Text: w},
		ByName: map[string]string{w: w}, Any: inner{Text: w}, Count: 3, Flag: true,
		unchanged: "private",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func ptr(s string) *string { return &s }

func TestValueLeavesTheOriginalAlone(t *testing.T) {
	t.Parallel()
	opt := "opt SECRET-TOKEN"
	in := outer{Name: "SECRET-TOKEN", Optional: &opt, Scopes: []string{"SECRET-TOKEN"}, Many: []inner{{Labels: []label{"SECRET-TOKEN"}}},
		Pointer: &inner{Text: "SECRET-TOKEN"}, ByName: map[string]string{"k": "SECRET-TOKEN"}}
	before := Value(&Scrubber{}, in) // a deep copy that replaces nothing
	got := Value(New([]string{"SECRET-TOKEN"}), in)
	if !reflect.DeepEqual(in, before) {
		t.Fatalf("Value changed its argument:\n%+v", in)
	}
	// Writing through every reference of the copy must not reach the original.
	*got.Optional = "x"
	got.Scopes[0] = "x"
	got.Many[0].Labels[0] = "x"
	got.Pointer.Text = "x"
	got.ByName["k"] = "x"
	if !reflect.DeepEqual(in, before) {
		t.Errorf("the copy shares memory with the original:\n%+v", in)
	}
}

func TestValueKeepsNilAndSharing(t *testing.T) {
	t.Parallel()
	type node struct {
		Name string
		Next *node
		List []string
		Map  map[string]int
	}
	n := &node{Name: "SECRET-TOKEN"}
	n.Next = n // a cycle
	got := Value(New([]string{"SECRET-TOKEN"}), n)
	if got == n || got.Next != got || got.Name != Withheld {
		t.Errorf("cycle: got %p next %p name %q", got, got.Next, got.Name)
	}
	if got.List != nil || got.Map != nil {
		t.Error("a nil slice or map became empty: JSON would change")
	}
	empty := Value(New([]string{"SECRET-TOKEN"}), node{List: []string{}})
	if empty.List == nil {
		t.Error("an empty slice became nil: JSON would change")
	}
}

func TestValueOfAString(t *testing.T) {
	t.Parallel()
	if got := Value(New([]string{"SECRET-TOKEN"}), "a SECRET-TOKEN"); got != Withheld {
		t.Errorf("got %q", got)
	}
}

// tok is shaped like a classic token; pieces of it are what a server that
// echoes it, or text cut to length, would print.
const tok = "ghp_Q7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq11T4V4"

// holdsWindow is the property, checked independently of the scrubber: some
// MinWindow characters of tok in a row, in any letter case.
func holdsWindow(text string) bool {
	low, t := strings.ToLower(text), strings.ToLower(tok)
	for i := 0; i+MinWindow <= len(t); i++ {
		if strings.Contains(low, t[i:i+MinWindow]) {
			return true
		}
	}
	return false
}

func percentAll(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

func TestPiecesOfTheTokenAreReplacedInAnyForm(t *testing.T) {
	t.Parallel()
	s := New([]string{tok})
	piece := tok[7:27] // 20 characters, as text cut to length leaves them
	cases := map[string]string{
		"a piece":                 "login octo-" + piece + " cut",
		"the tail of a cut text":  "message: …" + tok[:13],
		"upper case":              "login " + strings.ToUpper(piece),
		"lower case":              "scope " + strings.ToLower(tok),
		"reversed":                "login " + reverse(piece),
		"hex":                     "id " + hex.EncodeToString([]byte(piece)),
		"hex, upper case":         "id " + strings.ToUpper(hex.EncodeToString([]byte(piece))),
		"reversed hex":            "id " + hex.EncodeToString([]byte(reverse(piece))),
		"percent-encoded":         "https://x/?q=" + percentAll(piece),
		"partly percent-encoded":  "https://x/?q=" + piece[:6] + percentAll(piece[6:12]) + piece[12:],
		"percent-encoded, lower":  "q=" + strings.ToLower(percentAll(piece)),
		"twelve characters exact": "x" + tok[20:32] + "y",
	}
	for name, text := range cases {
		got := s.String(text)
		if !s.Holds(text) {
			t.Errorf("%s: Holds(%q) is false", name, text)
		}
		if strings.Contains(got, strings.ToLower(piece)) || holdsWindow(got) || !strings.Contains(got, Redacted) {
			t.Errorf("%s: String(%q) = %q", name, text, got)
		}
		if w := s.Withhold(text); w != Withheld {
			t.Errorf("%s: Withhold(%q) = %q", name, text, w)
		}
	}
	// The word between the two parts is compared on the skeleton too (the
	// token's letters and digits, whatever separates them): it must not
	// continue either part ("and" would, this token having a D after U).
	for _, text := range []string{"octocat", tok[:MinWindow-1] + " or " + tok[MinWindow:2*MinWindow-1], "repo, workflow"} {
		if s.Holds(text) || s.String(text) != text || s.Withhold(text) != text {
			t.Errorf("%q holds no piece of %d characters, yet was changed", text, MinWindow)
		}
	}
}

// TestScrubbingNeverBreaksJSON: a value too short to be a token (true) is
// not looked for, and a piece never spans JSON's structure, even when the
// token's pieces look like it.
func TestScrubbingNeverBreaksJSON(t *testing.T) {
	t.Parallel()
	doc := `{"valid": true, "expirySource": null, "login": "x` + tok + `y", "n": "\"` + tok[:20] + `\\"}`
	for _, forms := range [][]string{
		{"true"}, {"valid"}, {tok},
		{`"valid": true, "expirySource": null`},
		{`expirySource": null, "login`},
		{tok[:20] + `\"}`},
	} {
		got := New(forms).String(doc)
		if !json.Valid([]byte(got)) {
			t.Errorf("forms %q broke the JSON: %s", forms, got)
		}
	}
	if got := New([]string{"true"}).String(doc); got != doc {
		t.Errorf("a four-character value was replaced: %s", got)
	}
}

// Disguised forms hold no 12 characters of the token in a row, yet any
// reader sees the token: split with '-' every 11 characters, spaced out, in
// fullwidth letters, or all three and in upper case. They are found on the
// skeleton (NFKC, case-folded, letters and digits), withheld whole, and
// replaced without breaking JSON around them.
func TestDisguisedFormsAreFoundOnTheSkeleton(t *testing.T) {
	t.Parallel()
	s := New([]string{tok})
	var dashed, spaced, wide strings.Builder
	for i, r := range tok {
		if i > 0 && i%11 == 0 {
			dashed.WriteByte('-')
		}
		dashed.WriteRune(r)
		spaced.WriteRune(r)
		spaced.WriteByte(' ')
		wide.WriteRune(r + 0xFF01 - '!')
	}
	for name, form := range map[string]string{
		"dashed": dashed.String(), "spaced": spaced.String(), "fullwidth": wide.String(),
		"fullwidth, upper, dashed": strings.ToUpper(strings.ReplaceAll(wide.String(), "ｊｘＵ", "ｊｘ-Ｕ")),
	} {
		text := `{"login": "octo ` + form + `", "n": 1}`
		if s.Withhold(text) != Withheld {
			t.Errorf("%s: not withheld", name)
		}
		got := s.String(text)
		if !json.Valid([]byte(got)) {
			t.Errorf("%s: the JSON broke: %q", name, got)
		}
		if strings.Contains(skeletonOf(got), skeletonOf(tok)[4:16]) {
			t.Errorf("%s: String left the token: %q", name, got)
		}
	}
	if s.Holds("ghp_ and the octocat's 12 words, ÄÖÜ ｇｈｐ") {
		t.Error("text without the token holds it")
	}
}
