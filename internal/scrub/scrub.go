// Package scrub is the last line of defence against printing a token: it
// replaces the token's forms with *** in text, in whatever passes through a
// writer, and in every string reachable from a value. Nothing should ever
// need it; it exists so that a mistake elsewhere cannot print the token.
//
// One function does the replacing, (*Scrubber).String; Writer and Value
// only route text to it. Value walks a value by reflection, so a field
// added to a report is scrubbed without anyone listing it here.
package scrub

import (
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// Redacted replaces the token and its forms wherever they would appear.
const Redacted = "***"

// Scrubber replaces the forms of one token. The zero value replaces
// nothing until Set; it is safe for concurrent use.
type Scrubber struct {
	mu sync.RWMutex
	r  *strings.Replacer
}

// New returns a scrubber of forms.
func New(forms []string) *Scrubber {
	s := &Scrubber{}
	s.Set(forms)
	return s
}

// Set makes the scrubber replace forms from now on, longest first so that
// a form containing another is replaced whole.
func (s *Scrubber) Set(forms []string) {
	sorted := slices.Clone(forms)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	var pairs []string
	for _, f := range sorted {
		if f != "" {
			pairs = append(pairs, f, Redacted)
		}
	}
	r := strings.NewReplacer(pairs...)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r = r
}

// String returns text with every form replaced by Redacted. Every other
// way out of this package goes through it.
func (s *Scrubber) String(text string) string {
	s.mu.RLock()
	r := s.r
	s.mu.RUnlock()
	if r == nil {
		return text
	}
	return r.Replace(text)
}

// Writer returns a writer that passes what is written to w through String.
// A form is replaced when it lies within one Write.
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

// Value returns a deep copy of v in which every string reachable through
// exported struct fields, slices, arrays, maps (keys and values), pointers
// and interfaces has passed through String, whatever its json tag. The copy
// shares no memory with v, so v is left as it was. Unexported fields, and
// functions and channels, are copied as they are: they hold no text of
// their own here (time.Time's location, a mutex); a test of the report
// type keeps it so.
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
		dst.SetString(w.s.String(src.String()))
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
