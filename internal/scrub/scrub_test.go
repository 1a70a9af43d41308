package scrub

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestStringReplacesEveryFormLongestFirst(t *testing.T) {
	t.Parallel()
	s := New([]string{"tok", "tok-long", ""})
	if got := s.String("a tok-long b tok c"); got != "a *** b *** c" {
		t.Errorf("got %q", got)
	}
	var zero Scrubber
	if got := zero.String("tok"); got != "tok" {
		t.Errorf("the zero scrubber changed %q", got)
	}
}

func TestWriterScrubsFromSetOn(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	var s Scrubber
	w := s.Writer(&buf)
	_, _ = w.Write([]byte("before secret-token\n"))
	s.Set([]string{"secret-token", "c2VjcmV0"})
	n, err := w.Write([]byte("after secret-token and c2VjcmV0\n"))
	if err != nil || n != len("after secret-token and c2VjcmV0\n") {
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
	if _, err := New([]string{"x"}).Writer(failingWriter{}).Write([]byte("x")); err == nil {
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
	opt := "opt TOKEN"
	in := outer{
		Name: "TOKEN", Hidden: "hidden TOKEN", Optional: &opt, Scopes: []string{"repo", "TOKEN"},
		URLs: [2]string{"https://x/?t=TOKEN", "ok"}, Nested: inner{Text: "n TOKEN", Labels: []label{"TOKEN"}},
		Many: []inner{{Text: "m TOKEN"}}, Pointer: &inner{Text: "p TOKEN"},
		ByName: map[string]string{"k TOKEN": "v TOKEN"}, Any: inner{Text: "any TOKEN"}, Count: 3, Flag: true,
		unchanged: "private",
	}
	got := Value(New([]string{"TOKEN"}), in)
	want := outer{
		Name: "***", Hidden: "hidden ***", Optional: ptr("opt ***"), Scopes: []string{"repo", "***"},
		URLs: [2]string{"https://x/?t=***", "ok"}, Nested: inner{Text: "n ***", Labels: []label{"***"}},
		Many: []inner{{Text: "m ***"}}, Pointer: &inner{Text: "p ***"},
		ByName: map[string]string{"k ***": "v ***"}, Any: inner{Text: "any ***"}, Count: 3, Flag: true,
		unchanged: "private",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func ptr(s string) *string { return &s }

func TestValueLeavesTheOriginalAlone(t *testing.T) {
	t.Parallel()
	opt := "opt TOKEN"
	in := outer{Name: "TOKEN", Optional: &opt, Scopes: []string{"TOKEN"}, Many: []inner{{Labels: []label{"TOKEN"}}},
		Pointer: &inner{Text: "TOKEN"}, ByName: map[string]string{"k": "TOKEN"}}
	before := Value(&Scrubber{}, in) // a deep copy that replaces nothing
	got := Value(New([]string{"TOKEN"}), in)
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
	n := &node{Name: "TOKEN"}
	n.Next = n // a cycle
	got := Value(New([]string{"TOKEN"}), n)
	if got == n || got.Next != got || got.Name != "***" {
		t.Errorf("cycle: got %p next %p name %q", got, got.Next, got.Name)
	}
	if got.List != nil || got.Map != nil {
		t.Error("a nil slice or map became empty: JSON would change")
	}
	empty := Value(New([]string{"TOKEN"}), node{List: []string{}})
	if empty.List == nil {
		t.Error("an empty slice became nil: JSON would change")
	}
}

func TestValueOfAString(t *testing.T) {
	t.Parallel()
	if got := Value(New([]string{"TOKEN"}), "a TOKEN"); !strings.HasSuffix(got, "***") {
		t.Errorf("got %q", got)
	}
}
