package github

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/platformdata"
)

// Every row of the scope table cites, for each fine-grained permission it
// names, an endpoint that GitHub's fine-grained permission data lists under
// that permission at that level; every known scope has a row.
func TestScopeTableHoldsToGitHubsData(t *testing.T) {
	t.Parallel()
	rows := map[string]bool{}
	paths := map[string]bool{}
	for _, e := range platformdata.GitHubEndpoints() {
		rows[e.Permission+" "+e.Access+" "+e.Method+" "+e.Path] = true
		paths[e.Path] = true
	}
	for _, s := range KnownScopes() {
		info, ok := scopeInfo[s]
		if !ok || info.Allows == "" {
			t.Errorf("%s: no plain words", s)
			continue
		}
		if (len(info.FineGrained) == 0) == (info.NoEquivalent == "") {
			t.Errorf("%s: needs either fine-grained permissions or the reason it has none", s)
		}
		for _, p := range info.FineGrained {
			if _, ok := TargetOf(p.Name); !ok || p.Level == check.LevelNone {
				t.Errorf("%s: %s is not a permission pat-check knows", s, p)
			}
			found := false
			for _, e := range info.Evidence {
				name, rest, _ := strings.Cut(e, " ")
				if name != p.Name || !strings.HasPrefix(rest, p.Level.String()+" ") {
					continue
				}
				found = true
				if !rows[e] {
					t.Errorf("%s: the evidence %q is not in GitHub's data", s, e)
				}
			}
			if !found {
				t.Errorf("%s: no evidence for %s", s, p)
			}
		}
	}
	// The notifications row's reason is the data itself.
	for p := range paths {
		if strings.HasPrefix(p, "/notifications") {
			t.Errorf("GitHub's data lpNow gates %s: revisit the notifications row", p)
		}
	}
}
