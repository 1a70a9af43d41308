package workspace

import (
	"bytes"
	"encoding/binary"
)

// matcher finds every pattern in one pass over the text, in the manner of
// Wu and Manber's multi-pattern search ("A fast algorithm for multi-pattern
// searching", 1994): a window as long as the shortest pattern slides over
// the text, and the last block of the window says how far it can jump.
// Blocks that occur in no pattern let it jump by almost the whole window,
// so most of the text is never looked at byte by byte.
type matcher struct {
	pats    [][]byte
	encoded []bool // pats[i] is an encoded form, not the value itself
	short   int    // the shortest pattern's length: the window
	longest int
	shift   []int32   // by the hash of a block: how far the window may move
	cands   [][]int32 // by the hash of a window's last block: the patterns to compare
}

// blockLen is the length of a block; hashBits the size of the tables.
const (
	blockLen = 4
	hashBits = 16
)

func blockHash(b []byte) uint32 {
	return binary.LittleEndian.Uint32(b) * 2654435761 >> (32 - hashBits)
}

// newMatcher returns a matcher of pats (each at least blockLen long), or
// nil when there is none.
func newMatcher(pats [][]byte, encoded []bool) *matcher {
	if len(pats) == 0 {
		return nil
	}
	m := &matcher{pats: pats, encoded: encoded, short: len(pats[0])}
	for _, p := range pats {
		m.short, m.longest = min(m.short, len(p)), max(m.longest, len(p))
	}
	m.shift = make([]int32, 1<<hashBits)
	for i := range m.shift {
		m.shift[i] = int32(m.short - blockLen + 1)
	}
	m.cands = make([][]int32, 1<<hashBits)
	for pi, p := range pats {
		// Only the first m.short bytes of each pattern are in the window.
		for end := blockLen; end <= m.short; end++ {
			h := blockHash(p[end-blockLen : end])
			m.shift[h] = min(m.shift[h], int32(m.short-end))
		}
		h := blockHash(p[m.short-blockLen : m.short])
		m.cands[h] = append(m.cands[h], int32(pi))
	}
	return m
}

// find calls found with the offset and index of every pattern that lies
// wholly in data.
func (m *matcher) find(data []byte, found func(at, pat int)) {
	n := len(data)
	for end := m.short; end <= n; {
		h := blockHash(data[end-blockLen : end])
		if s := m.shift[h]; s > 0 {
			end += int(s)
			continue
		}
		start := end - m.short
		for _, pi := range m.cands[h] {
			p := m.pats[pi]
			if start+len(p) <= n && bytes.Equal(data[start:start+len(p)], p) {
				found(start, int(pi))
			}
		}
		end++
	}
}
