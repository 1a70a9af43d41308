// Package workspace searches a checked-out tree for a token's value and
// its encoded forms: exact matches only, so that a match is never a guess.
// It skips .git directories, symbolic links below the root, special files
// (never opened) and binary files, and stops at a byte and a time budget;
// the result counts what it could not read or passed over, and names the
// budget that ran out. It returns where the
// token is (file and line), never the token.
package workspace

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"

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
// others its encoded forms. dir may be a symbolic link to a directory;
// links below it are not followed. Every file is read once, in large
// chunks, by as many workers as there are processors, and each chunk is
// searched for all the forms in one pass. What was not searched is
// counted: entries that could not be read, special files (never opened),
// and the budget that ran out.
func Scan(ctx context.Context, dir string, forms []string, b Budget) check.WorkspaceScan {
	out := check.WorkspaceScan{Dir: dir, BudgetBytes: b.Bytes, BudgetTime: b.Time}
	var pats [][]byte
	var encoded []bool
	for i, f := range forms {
		if len(f) >= minForm {
			pats, encoded = append(pats, []byte(f)), append(encoded, i > 0 && f != forms[0])
		}
	}
	m := newMatcher(pats, encoded)
	if m == nil {
		return out
	}
	if b.Time > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, b.Time)
		defer cancel()
	}
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		out.Error = fmt.Sprintf("%v", errors.Unwrap(err))
		return out
	}
	s := &search{ctx: ctx, m: m, budget: b.Bytes, out: &out}
	jobs := make(chan job, 256)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, chunk+m.longest)
			for j := range jobs {
				s.file(j, buf)
			}
		}()
	}
	seq := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if s.stopped() {
			return fs.SkipAll
		}
		rel, rerr := filepath.Rel(root, path)
		if rerr != nil {
			rel = path
		}
		rel = filepath.ToSlash(rel)
		if err != nil {
			if path == root && d == nil {
				return err
			}
			s.unreadable()
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch t := d.Type(); {
		case d.IsDir():
			if d.Name() == ".git" {
				return fs.SkipDir
			}
			return nil
		case t&fs.ModeSymlink != 0:
			return nil // not followed: its target is in the tree, or not the checkout's
		case !t.IsRegular():
			s.special() // a device, a FIFO, a socket: never opened
			return nil
		}
		seq++
		select {
		case jobs <- job{path: path, rel: rel, seq: seq}:
		case <-ctx.Done():
		}
		return nil
	})
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil && out.Exceeded == "" {
		out.Exceeded = "time"
	}
	if err != nil {
		out.Error = err.Error()
	}
	slices.SortFunc(s.found, func(a, b found) int { return cmp.Or(a.seq-b.seq, a.m.Line-b.m.Line) })
	for _, f := range s.found {
		out.Matches = append(out.Matches, f.m)
	}
	return out
}

// shownName is a file's path as messages, tables and summaries show it:
// as it is when every character is printable, else quoted with Go's
// escapes, so that a line break in a name cannot split a line of text
// (or start a command on the next).
func shownName(rel string) string {
	if strings.IndexFunc(rel, func(r rune) bool { return !unicode.IsPrint(r) }) < 0 && utf8.ValidString(rel) {
		return rel
	}
	return strconv.Quote(rel)
}

type job struct {
	path, rel string
	seq       int // the file's place in the walk, which orders the matches
}

type found struct {
	seq int
	m   check.WorkspaceMatch
}

// search is the state the walk and the workers share.
type search struct {
	ctx    context.Context
	m      *matcher
	budget int64
	read   atomic.Int64 // bytes reserved and read, against budget
	stop   atomic.Bool

	mu    sync.Mutex
	out   *check.WorkspaceScan
	found []found
}

func (s *search) stopped() bool {
	if s.ctx.Err() != nil {
		s.exceed("time")
	}
	return s.stop.Load()
}

func (s *search) exceed(what string) {
	s.mu.Lock()
	if s.out.Exceeded == "" {
		s.out.Exceeded = what
	}
	s.mu.Unlock()
	s.stop.Store(true)
}

func (s *search) unreadable() {
	s.mu.Lock()
	s.out.Unreadable++
	s.mu.Unlock()
}

func (s *search) special() {
	s.mu.Lock()
	s.out.Special++
	s.mu.Unlock()
}

// reserve takes up to want bytes of the budget; 0 when it has run out.
func (s *search) reserve(want int) int {
	if s.budget <= 0 {
		return want
	}
	for {
		used := s.read.Load()
		n := min(int64(want), s.budget-used)
		if n <= 0 {
			return 0
		}
		if s.read.CompareAndSwap(used, used+n) {
			return int(n)
		}
	}
}

// file searches one file with buf, which holds a chunk and the longest
// form's length more.
func (s *search) file(j job, buf []byte) {
	if s.stopped() {
		return
	}
	f, special, err := openRegular(j.path)
	switch {
	case special:
		s.special()
		return
	case err != nil:
		s.unreadable()
		return
	}
	defer f.Close()
	size := int64(-1)
	if st, err := f.Stat(); err == nil {
		size = st.Size()
	}
	var matches []check.WorkspaceMatch
	seen := map[int]bool{}
	kept, lines, bytesRead := 0, 0, int64(0)
	overlap := s.m.longest - 1
	for first := true; ; first = false {
		if s.stopped() {
			break
		}
		want := len(buf) - kept
		if size >= 0 {
			// Only what the file holds is taken from the budget, so that
			// the workers share it as the files need it.
			want = int(min(int64(want), max(1, size-bytesRead)))
		}
		room := s.reserve(want)
		if room == 0 {
			s.exceed("bytes")
			break
		}
		n, err := io.ReadFull(f, buf[kept:kept+room])
		if n < room && s.budget > 0 {
			s.read.Add(int64(n - room)) // give back what was not read
		}
		if first && bytes.IndexByte(buf[:min(n, sniff)], 0) >= 0 {
			if s.budget > 0 {
				s.read.Add(-int64(n)) // a binary file is not searched, nor counted
			}
			s.mu.Lock()
			s.out.Skipped++
			s.mu.Unlock()
			return
		}
		if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			s.unreadable()
			return
		}
		bytesRead += int64(n)
		data := buf[:kept+n]
		s.m.find(data, func(at, pat int) {
			line := lines + bytes.Count(data[:at], []byte{'\n'}) + 1
			if !seen[line] {
				seen[line] = true
				matches = append(matches, check.WorkspaceMatch{File: shownName(j.rel), Line: line, Encoded: s.m.encoded[pat]})
			}
		})
		if err != nil || (size >= 0 && bytesRead >= size) { // the file is done
			break
		}
		// Carry the tail over, so that a form split between two chunks is
		// found; a match found twice is on the same line, which counts once.
		keep := min(overlap, len(data))
		lines += bytes.Count(data[:len(data)-keep], []byte{'\n'})
		copy(buf, data[len(data)-keep:])
		kept = keep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.out.Files++
	s.out.Bytes += bytesRead
	for _, m := range matches {
		s.found = append(s.found, found{seq: j.seq, m: m})
	}
}
