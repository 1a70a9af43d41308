package fleet

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate"
)

// FuzzParse: whatever the tokens input holds, Parse does not panic, keeps
// at most maxEntries, gives only valid names, and no problem quotes a
// value it read.
func FuzzParse(f *testing.F) {
	f.Add("RELEASE_PAT=" + simulate.ClassicToken("fuzz") + "\nPASSWORD=hunter2\n")
	f.Add(`{"A": "` + simulate.FineGrainedToken("fuzz") + `", "github_token": "x"}` + "\nGITHUB_TOKEN\nB=$(B)\n")
	f.Add("{\"A\": 1, \"B\": [\"x\"]}\n# comment\n=value\nNAME\n")
	f.Add("{\"A\": \"unterminated")
	f.Fuzz(func(t *testing.T, in string) {
		es, ps := Parse(in)
		if len(es) > maxEntries {
			t.Fatalf("%d entries", len(es))
		}
		for _, e := range es {
			if !ValidName(e.Name) {
				t.Fatalf("invalid name %q kept", e.Name)
			}
		}
		for _, p := range ps {
			for _, e := range es {
				if len(e.Value) >= 8 && strings.Contains(p.Message, e.Value) {
					t.Fatalf("a problem quotes a value: %q", p.Message)
				}
			}
		}
		items := Classify(es, func(string) bool { return true })
		for _, it := range items {
			if it.Class != Check && it.Value != "" {
				t.Fatalf("%s: a %s item keeps its value", it.Name, it.Class)
			}
		}
	})
}
