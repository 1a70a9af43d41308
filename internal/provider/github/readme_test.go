package github

import (
	"os"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
)

// The README's probe table is written by hand: each row must say what the
// probe table does for that permission: the write's method, the † of a
// write read by its 404, "unverified" where no safe request exists.
func TestREADMEProbeTableMatchesTheProbes(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	in := false
	for line := range strings.SplitSeq(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, "| permission | read probe | write probe |"):
			in = true
			continue
		case !in || strings.HasPrefix(line, "|---"):
			continue
		case !strings.HasPrefix(line, "|"):
			in = false
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 3 {
			t.Errorf("README probe row has %d cells: %q", len(cells), line)
			continue
		}
		name := strings.Trim(strings.TrimSpace(cells[0]), "`")
		if strings.ContainsAny(name, "`, ") || name == "metadata" {
			continue // a row for several account permissions, or metadata (the repository request)
		}
		rows++
		read, write := strings.TrimSpace(cells[1]), strings.TrimSpace(cells[2])
		if r := RuleFor(name, check.LevelRead); r.Probe == nil {
			if !strings.Contains(read, "unverified") && !strings.HasPrefix(read, "—") {
				t.Errorf("README: %s:read has no probe, the README says %q", name, read)
			}
		} else if want := r.Probe.Method; r.Probe.GraphQL != "" && !strings.Contains(read, "GraphQL") || r.Probe.GraphQL == "" && !strings.Contains(read, want+" ") {
			t.Errorf("README: %s:read is a %s probe, the README says %q", name, want, read)
		}
		w := RuleFor(name, check.LevelWrite)
		switch {
		case w.Probe == nil:
			if !strings.Contains(write, "unverified") && !strings.HasPrefix(write, "—") {
				t.Errorf("README: %s:write has no probe, the README says %q", name, write)
			}
		case !strings.Contains(write, "`"+w.Probe.Method+" "):
			t.Errorf("README: %s:write is a %s probe, the README says %q", name, w.Probe.Method, write)
		case !strings.Contains(write, "Harmless: "):
			t.Errorf("README: %s:write has a probe, and no sentence saying why it cannot change anything (%q)", name, write)
		case w.Probe.ByMissingID() != strings.Contains(write, "†"):
			t.Errorf("README: %s:write succeeds by a 404: %v, yet the README's † says %v (%q)", name, w.Probe.ByMissingID(), !w.Probe.ByMissingID(), write)
		}
	}
	if rows < 15 {
		t.Errorf("read %d rows of the README's probe table, want every repository and organization permission", rows)
	}
}
