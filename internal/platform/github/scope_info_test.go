package github

import (
	"slices"
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

// Every inclusion taken on the token page's word is one of the hierarchy's.
func TestAssumedChildrenAreInTheHierarchy(t *testing.T) {
	t.Parallel()
	for parent, children := range assumedChildren {
		for _, c := range children {
			if !slices.Contains(scopeChildren[parent], c) {
				t.Errorf("%s ⊃ %s is assumed but not in the hierarchy", parent, c)
			}
		}
	}
}

// A requirement met only through an assumed inclusion is named, with the
// inclusion; one granted itself or through stated inclusions is not.
func TestAssumedScopes(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		granted, required []string
		want              []Assumption
	}{
		{[]string{"write:packages"}, []string{"read:packages"}, []Assumption{{"read:packages", "write:packages", "read:packages"}}},
		{[]string{"write:packages", "read:packages"}, []string{"read:packages"}, nil},
		{[]string{"repo"}, []string{"public_repo", "repo:status"}, nil},
		{[]string{"repo"}, []string{"write:repo_hook"}, []Assumption{{"write:repo_hook", "repo", "admin:repo_hook"}}},
		{[]string{"admin:ssh_signing_key"}, []string{"read:ssh_signing_key"}, []Assumption{{"read:ssh_signing_key", "admin:ssh_signing_key", "write:ssh_signing_key"}}},
		{[]string{"gist"}, []string{"read:packages"}, nil},
	} {
		if got := AssumedScopes(tt.granted, tt.required); !slices.Equal(got, tt.want) {
			t.Errorf("AssumedScopes(%v, %v) = %v, want %v", tt.granted, tt.required, got, tt.want)
		}
	}
}

// The fine-grained counterparts of classic scopes: implied scopes left to
// their parent, a permission two scopes share named once, and a scope with
// none named with its own reason, or pat-check's when it has none.
func TestFineGrainedFor(t *testing.T) {
	t.Parallel()
	eq, none := FineGrainedFor([]string{"public_repo", "repo:status", "read:org"})
	var got []string
	for _, p := range eq {
		got = append(got, p.String())
	}
	want := []string{"metadata:read", "contents:write", "issues:write", "pull_requests:write", "statuses:write", "deployments:write", "members:read", "organization_projects:read"}
	if !slices.Equal(got, want) || none != nil {
		t.Errorf("got %q, none %q; want %q", got, none, want)
	}
	if eq, _ := FineGrainedFor([]string{"repo", "public_repo"}); len(eq) != len(scopeInfo["repo"].FineGrained) {
		t.Errorf("an implied scope adds to its parent's row: %v", eq)
	}
	// Two scopes sharing the first permission named: still once.
	if eq, _ := FineGrainedFor([]string{"delete_repo", "repo:invite"}); !slices.Equal(eq, []check.Permission{{Name: "administration", Level: check.LevelWrite}}) {
		t.Errorf("a permission two scopes share, first named: %v", eq)
	}
	_, none = FineGrainedFor([]string{"write:packages", "nothing:such"})
	if len(none) != 2 || !strings.HasPrefix(none[0], "write:packages: GitHub Packages accepts only classic tokens") || none[1] != "nothing:such: "+noMapping {
		t.Errorf("none %q", none)
	}
}
