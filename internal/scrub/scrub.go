// Package scrub is the last line of defence against printing a token: it
// replaces pieces of the token with *** in text, in whatever passes through
// a writer, and withholds every string reachable from a value that holds a
// piece. Nothing should ever need it; it exists so that a mistake elsewhere,
// or a server that sends the token back, cannot print the token.
//
// A piece is any MinWindow characters in a row of the token or of one of
// its forms (the base64 forms CI masks), in any letter case, reversed,
// hex-encoded, or percent-encoded in whole or in part. Pieces are matched,
// not whole forms, so that text cut to length, or a value that quotes part
// of the token, is caught too.
//
// One type does the matching, Scrubber; String, Writer, Withhold and Value
// only route text to it. Value walks a value by reflection, so a field
// added to a report is scrubbed without anyone listing it here.
package scrub

import (
	"encoding/hex"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// Redacted replaces a piece of the token wherever it would appear in text.
const Redacted = "***"

// Withheld replaces a whole string that holds a piece of the token: what
// surrounded the piece may be more of it, in a form no one thought of.
const Withheld = "[withheld: it held part of the token]"

// MinWindow is the length of the shortest piece of the token looked for. A
// real token is at least 40 characters long (token.MinLength); twelve of
// them are far too many to occur anywhere by chance, and a value shorter
// than that is refused offline and never searched for, so that ordinary
// words ("true") are never taken for it.
const MinWindow = 12

// Scrubber finds and replaces the pieces of one token. The zero value
// replaces nothing until Set; it is safe for concurrent use.
type Scrubber struct {
	mu sync.RWMutex
	m  *matcher
}

// New returns a scrubber of forms.
func New(forms []string) *Scrubber {
	s := &Scrubber{}
	s.Set(forms)
	return s
}

// Set makes the scrubber look for the pieces of forms from now on. Forms
// shorter than MinWindow are ignored.
func (s *Scrubber) Set(forms []string) {
	m := newMatcher(forms)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m = m
}

func (s *Scrubber) matcher() *matcher {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.m
}

// String returns text with every piece of the token replaced by Redacted.
// A replaced piece never spans a quotation mark, a backslash, whitespace
// or JSON punctuation, so scrubbing JSON leaves valid JSON.
func (s *Scrubber) String(text string) string {
	m := s.matcher()
	if m == nil {
		return text
	}
	spans := m.spans(text)
	if len(spans) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(text[last:sp[0]])
		b.WriteString(Redacted)
		last = sp[1]
	}
	b.WriteString(text[last:])
	return b.String()
}

// Holds reports whether text holds a piece of the token.
func (s *Scrubber) Holds(text string) bool {
	m := s.matcher()
	return m != nil && m.holds(text)
}

// Withhold returns text, or Withheld in its place when it holds a piece of
// the token. Text from the network passes through it before anyone reads
// it, so that no string the server sent with the token in it is ever cut,
// quoted or printed.
func (s *Scrubber) Withhold(text string) string {
	if s.Holds(text) {
		return Withheld
	}
	return text
}

// Writer returns a writer that passes what is written to w through String.
// A piece is replaced when it lies within one Write.
func (s *Scrubber) Writer(w io.Writer) io.Writer { return &writer{s: s, w: w} }

type writer struct {
	s *Scrubber
	w io.Writer
}

func (w *writer) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, w.s.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// matcher holds the pieces to look for, lower-cased: windows of MinWindow
// bytes of each form and of each form reversed, and windows of 2·MinWindow
// hex digits of the same.
type matcher struct {
	windows    map[string]struct{}
	hexWindows map[string]struct{}
	// skeletons are the windows of MinWindow bytes of the forms'
	// skeletons (see skeleton), forwards and reversed.
	skeletons map[string]struct{}
}

func newMatcher(forms []string) *matcher {
	m := &matcher{windows: map[string]struct{}{}, hexWindows: map[string]struct{}{}, skeletons: map[string]struct{}{}}
	for _, f := range forms {
		if len(f) < MinWindow {
			continue
		}
		for _, v := range []string{f, reverse(f)} {
			addWindows(m.windows, lower(v), MinWindow)
			addWindows(m.hexWindows, hex.EncodeToString([]byte(v)), 2*MinWindow)
			if tokenLike(v) {
				addWindows(m.skeletons, skeletonOf(v), MinWindow)
			}
		}
	}
	if len(m.windows) == 0 {
		return nil
	}
	return m
}

// addWindows adds every window of n bytes of v made only of safe bytes.
func addWindows(set map[string]struct{}, v string, n int) {
	run := 0 // safe bytes in a row ending at i
	for i := 0; i < len(v); i++ {
		if !safe(v[i]) {
			run = 0
			continue
		}
		run++
		if run >= n {
			set[v[i+1-n:i+1]] = struct{}{}
		}
	}
}

// safe bytes may be part of a replaced piece: printable ASCII other than
// the quotation mark, the backslash and JSON's punctuation. A piece made of
// them lies inside a JSON string or a literal, never across its structure.
func safe(c byte) bool {
	return c > ' ' && c < 0x7f && !strings.ContainsRune("\"\\{}[],:", rune(c))
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func reverse(s string) string {
	b := []byte(s)
	slices.Reverse(b)
	return string(b)
}

// holds is spans(text) != nil, stopping at the first piece.
func (m *matcher) holds(text string) bool {
	low := lower(text)
	for i := 0; i+MinWindow <= len(low); i++ {
		if _, ok := m.windows[low[i:i+MinWindow]]; ok {
			return true
		}
		if i+2*MinWindow <= len(low) {
			if _, ok := m.hexWindows[low[i:i+2*MinWindow]]; ok {
				return true
			}
		}
	}
	if sk, _, _ := skeleton(text); m.skeletonAt(sk) >= 0 {
		return true
	}
	return strings.IndexByte(text, '%') >= 0 && len(m.spans(text)) > 0
}

// skeletonAt returns where in the skeleton sk a window of the forms'
// skeletons starts; -1 when nowhere.
func (m *matcher) skeletonAt(sk []byte) int {
	for i := 0; i+MinWindow <= len(sk); i++ {
		if _, ok := m.skeletons[string(sk[i:i+MinWindow])]; ok {
			return i
		}
	}
	return -1
}

// spans returns the byte ranges of text that hold pieces, sorted and
// merged.
func (m *matcher) spans(text string) [][2]int {
	var spans [][2]int
	low := lower(text)
	for i := 0; i+MinWindow <= len(low); i++ {
		if _, ok := m.windows[low[i:i+MinWindow]]; ok {
			spans = append(spans, [2]int{i, i + MinWindow})
		}
	}
	for i := 0; i+2*MinWindow <= len(low); i++ {
		if _, ok := m.hexWindows[low[i:i+2*MinWindow]]; ok {
			spans = append(spans, [2]int{i, i + 2*MinWindow})
		}
	}
	if strings.IndexByte(text, '%') >= 0 {
		// Percent-decoded, in whole or in part: each decoded byte keeps
		// the range of text it came from.
		dec, from, to := percentDecode(low)
		for i := 0; i+MinWindow <= len(dec); i++ {
			if _, ok := m.windows[string(dec[i:i+MinWindow])]; ok {
				spans = append(spans, [2]int{from[i], to[i+MinWindow-1]})
			}
		}
	}
	// On the skeleton: the piece's letters and digits are replaced, each
	// run of them apart, so that a replacement never spans JSON's
	// punctuation, quotes or whitespace between them.
	sk, from, to := skeleton(text)
	for i := 0; i+MinWindow <= len(sk); i++ {
		if _, ok := m.skeletons[string(sk[i:i+MinWindow])]; ok {
			spans = append(spans, safeRuns(text, from[i], to[i+MinWindow-1])...)
		}
	}
	return merge(spans)
}

// tokenLike reports whether a form is made of safe bytes only, as every
// token and its encodings are: only such forms are compared on their
// skeleton, whose replacements must never reach JSON's own words.
func tokenLike(v string) bool {
	for i := 0; i < len(v); i++ {
		if !safe(v[i]) {
			return false
		}
	}
	return true
}

// safeRuns splits text[start:end] into its runs of bytes that may be
// replaced: any but ASCII bytes that are not safe.
func safeRuns(text string, start, end int) [][2]int {
	var runs [][2]int
	for i := start; i < end; {
		for i < end && text[i] < utf8.RuneSelf && !safe(text[i]) {
			i++
		}
		j := i
		for j < end && (text[j] >= utf8.RuneSelf || safe(text[j])) {
			j++
		}
		if j > i {
			runs = append(runs, [2]int{i, j})
		}
		i = j
	}
	return runs
}

// percentDecode decodes every %XX of s (lower-casing what it decodes), and
// says for each decoded byte where in s it starts and ends.
func percentDecode(s string) (dec []byte, from, to []int) {
	for i := 0; i < len(s); {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			c := unhex(s[i+1])<<4 | unhex(s[i+2])
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dec, from, to = append(dec, c), append(from, i), append(to, i+3)
			i += 3
			continue
		}
		dec, from, to = append(dec, s[i]), append(from, i), append(to, i+1)
		i++
	}
	return dec, from, to
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

func merge(spans [][2]int) [][2]int {
	if len(spans) < 2 {
		return spans
	}
	slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
	out := spans[:1]
	for _, sp := range spans[1:] {
		if last := &out[len(out)-1]; sp[0] <= last[1] {
			last[1] = max(last[1], sp[1])
			continue
		}
		out = append(out, sp)
	}
	return out
}

// Value returns a deep copy of v in which every string reachable through
// exported struct fields, slices, arrays, maps (keys and values), pointers
// and interfaces that holds a piece of the token is Withheld, whatever its
// json tag. The copy shares no memory with v, so v is left as it was.
// Unexported fields, and functions and channels, are copied as they are:
// they hold no text of their own here (time.Time's location, a mutex); a
// test of the report type keeps it so.
func Value[T any](s *Scrubber, v T) T {
	in := reflect.ValueOf(&v).Elem()
	out := reflect.New(in.Type()).Elem()
	w := walker{s: s, seen: map[pointer]reflect.Value{}}
	w.copy(out, in)
	return out.Interface().(T)
}

type walker struct {
	s *Scrubber
	// seen maps a pointer already copied to its copy, so that shared and
	// cyclic pointers stay shared and cyclic, and the walk ends.
	seen map[pointer]reflect.Value
}

// pointer tells pointers apart by type too: a struct and its first field
// share an address.
type pointer struct {
	t reflect.Type
	p uintptr
}

// copy sets dst, a settable value of src's type, to a scrubbed copy of src.
func (w *walker) copy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.String:
		dst.SetString(w.s.Withhold(src.String()))
	case reflect.Struct:
		dst.Set(src) // unexported fields, as they are
		for i := range src.NumField() {
			if src.Type().Field(i).IsExported() {
				w.copy(dst.Field(i), src.Field(i))
			}
		}
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		key := pointer{src.Type(), src.Pointer()}
		if c, ok := w.seen[key]; ok {
			dst.Set(c)
			return
		}
		c := reflect.New(src.Type().Elem())
		w.seen[key] = c
		w.copy(c.Elem(), src.Elem())
		dst.Set(c)
	case reflect.Slice:
		if src.IsNil() {
			return
		}
		c := reflect.MakeSlice(src.Type(), src.Len(), src.Len())
		for i := range src.Len() {
			w.copy(c.Index(i), src.Index(i))
		}
		dst.Set(c)
	case reflect.Array:
		for i := range src.Len() {
			w.copy(dst.Index(i), src.Index(i))
		}
	case reflect.Map:
		if src.IsNil() {
			return
		}
		c := reflect.MakeMapWithSize(src.Type(), src.Len())
		for it := src.MapRange(); it.Next(); {
			k := reflect.New(src.Type().Key()).Elem()
			w.copy(k, it.Key())
			e := reflect.New(src.Type().Elem()).Elem()
			w.copy(e, it.Value())
			c.SetMapIndex(k, e)
		}
		dst.Set(c)
	case reflect.Interface:
		if src.IsNil() {
			return
		}
		e := reflect.New(src.Elem().Type()).Elem()
		w.copy(e, src.Elem())
		dst.Set(e)
	default:
		dst.Set(src)
	}
}
