package github

import (
	"testing"

	"github.com/pat-check/pat-check/internal/check"
)

// A permission whose endpoints in GitHub's data sit under a repository, an
// organization and the user applies to the repository, the most specific
// target a job names, whichever endpoint the data lists first; the others
// keep their one target. Equivalent mutant: permissions.go:21,
// `targetRank(t) > targetRank(out[…])` read as `>=`: two targets of the
// same rank are the same target, so the overwrite changes nothing.
func TestPermissionTargets(t *testing.T) {
	t.Parallel()
	for name, want := range map[string]check.PermissionTarget{
		"attestations":   check.TargetRepository,
		"codespaces":     check.TargetRepository,
		"administration": check.TargetRepository,
		"members":        check.TargetOrganization,
		"gists":          check.TargetAccount,
		"checks":         check.TargetRepository, // GITHUB_TOKEN and Apps only
	} {
		if got, ok := TargetOf(name); !ok || got != want {
			t.Errorf("%s: %q %v, want %q", name, got, ok, want)
		}
	}
	if _, ok := TargetOf("nothing_such"); ok {
		t.Error("an unknown permission has a target")
	}
}
