// Package workspace searches a checked-out tree for a token's value and
// its encoded forms: exact matches only, so that a match is never a guess.
// It skips .git directories, symbolic links and binary files, and stops at
// a byte and a time budget, which the result reports. It returns where the
// token is (file and line), never the token.
package workspace

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/pat-check/pat-check/internal/check"
)

// Budget bounds a search.
type Budget struct {
	Bytes int64
	Time  time.Duration
}

// DefaultBudget is enough for a large checkout (a monorepo's sources) and
// short beside a CI job; a tree larger than that is searched up to the
// budget, and the result says so.
var DefaultBudget = Budget{Bytes: 512e6, Time: 20 * time.Second}

// minForm is the shortest form searched for: shorter strings could match
// by chance, and no token is that short.
const minForm = 8

// chunk is how much of a file is read at a time.
const chunk = 1 << 20

// sniff is how much of a file's start is looked at for a NUL byte, the
// sign of a binary file (as git's own heuristic).
const sniff = 8000

// CheckDir reports whether dir can be searched.
func CheckDir(dir string) error {
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		return fmt.Errorf("%q cannot be searched: %v", dir, errors.Unwrap(err))
	case !st.IsDir():
		return fmt.Errorf("%q is not a directory", dir)
	}
	return nil
}

// Scan searches dir for any of forms; forms[0] is the token itself, the
// others its encoded forms.
func Scan(ctx context.Context, dir string, forms []string, b Budget) check.WorkspaceScan {
	out := check.WorkspaceScan{Dir: dir, BudgetBytes: b.Bytes, BudgetTime: b.Time}
	var pats [][]byte
	longest := 0
	for _, f := range forms {
		if len(f) >= minForm {
			pats = append(pats, []byte(f))
			longest = max(longest, len(f))
		}
	}
	if len(pats) == 0 {
		return out
	}
	if b.Time > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.Time)
		defer cancel()
	}
	s := &scanner{out: &out, pats: pats, token: []byte(forms[0]), overlap: longest - 1, budget: b.Bytes, buf: make([]byte, chunk+longest)}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable entry is passed over
		}
		if ctx.Err() != nil {
			out.Exceeded = "time"
			return fs.SkipAll
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil // symbolic links, devices, sockets
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			rel = path
		}
		if !s.file(path, filepath.ToSlash(rel)) {
			out.Exceeded = "bytes"
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		out.Error = err.Error()
	}
	return out
}

type scanner struct {
	out     *check.WorkspaceScan
	pats    [][]byte
	token   []byte
	overlap int
	budget  int64
	buf     []byte
}

// file searches one file; false when the byte budget ran out.
func (s *scanner) file(path, rel string) bool {
	f, err := os.Open(path)
	if err != nil {
		return true
	}
	defer f.Close()
	seen := map[int]bool{}
	from := len(s.out.Matches)
	defer func() {
		slices.SortFunc(s.out.Matches[from:], func(a, b check.WorkspaceMatch) int { return a.Line - b.Line })
	}()
	kept := 0     // bytes carried over from the previous chunk
	lines := 0    // line breaks before buf[0]
	first := true // the first chunk decides whether the file is binary
	for {
		room := len(s.buf) - kept
		if s.budget > 0 {
			left := s.budget - s.out.Bytes
			if left <= 0 {
				return false
			}
			room = int(min(int64(room), left))
		}
		n, err := io.ReadFull(f, s.buf[kept:kept+room])
		if first {
			first = false
			if bytes.IndexByte(s.buf[:min(n, sniff)], 0) >= 0 {
				s.out.Skipped++
				return true
			}
			s.out.Files++
		}
		s.out.Bytes += int64(n)
		data := s.buf[:kept+n]
		s.search(data, lines, rel, seen)
		if err != nil { // io.EOF or io.ErrUnexpectedEOF: the file is done
			return true
		}
		// Carry the tail over, so that a form split between two chunks is
		// found; a match found twice is on the same line, which counts once.
		keep := min(s.overlap, len(data))
		lines += bytes.Count(data[:len(data)-keep], []byte{'\n'})
		copy(s.buf, data[len(data)-keep:])
		kept = keep
	}
}

func (s *scanner) search(data []byte, lines int, rel string, seen map[int]bool) {
	for _, p := range s.pats {
		for off := 0; ; {
			i := bytes.Index(data[off:], p)
			if i < 0 {
				break
			}
			at := off + i
			line := lines + bytes.Count(data[:at], []byte{'\n'}) + 1
			if !seen[line] {
				seen[line] = true
				s.out.Matches = append(s.out.Matches, check.WorkspaceMatch{File: rel, Line: line, Encoded: !bytes.Equal(p, s.token)})
			}
			off = at + 1
		}
	}
}
