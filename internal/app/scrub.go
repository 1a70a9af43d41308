package app

import (
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/report"
)

// redacted replaces the token and its forms wherever they would appear.
const redacted = "***"

// newReplacer replaces every form, longest first so that a form containing
// another is replaced whole.
func newReplacer(forms []string) *strings.Replacer {
	sorted := slices.Clone(forms)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	var pairs []string
	for _, f := range sorted {
		if f != "" {
			pairs = append(pairs, f, redacted)
		}
	}
	return strings.NewReplacer(pairs...)
}

// scrubber is the last line of defence: a writer that replaces the token's
// forms with *** in whatever passes through it. Nothing should ever need
// it; it exists so that a mistake elsewhere cannot print the token.
type scrubber struct {
	mu sync.Mutex
	w  io.Writer
	r  *strings.Replacer
}

func (s *scrubber) set(forms []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.r = newReplacer(forms)
}

func (s *scrubber) Write(p []byte) (int, error) {
	s.mu.Lock()
	r := s.r
	s.mu.Unlock()
	if r == nil {
		return s.w.Write(p)
	}
	if _, err := io.WriteString(s.w, r.Replace(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

// scrubReport replaces the token's forms in every text of the report.
func scrubReport(r report.Report, forms []string) report.Report {
	rep := newReplacer(forms)
	s := rep.Replace
	r.Login = s(r.Login)
	r.Scopes = scrubAll(r.Scopes, s)
	r.Missing = scrubAll(r.Missing, s)
	fs := make([]finding.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Message, f.Fix, f.URL = s(f.Message), s(f.Fix), s(f.URL)
		fs[i] = f
	}
	r.Findings = fs
	cs := make([]finding.Check, len(r.Checks))
	for i, c := range r.Checks {
		c.Name, c.Detail = s(c.Name), s(c.Detail)
		cs[i] = c
	}
	r.Checks = cs
	ps := make([]finding.PermissionCell, len(r.Permissions))
	for i, p := range r.Permissions {
		p.Target, p.Detail = s(p.Target), s(p.Detail)
		ps[i] = p
	}
	if r.Permissions != nil {
		r.Permissions = ps
	}
	return r
}

func scrubAll(in []string, s func(string) string) []string {
	if in == nil {
		return nil
	}
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = s(v)
	}
	return out
}
