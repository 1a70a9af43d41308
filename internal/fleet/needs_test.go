package fleet

import (
	"slices"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/needs"
)

const twoJobs = `name: release
on: push
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          repository: octo/lib
          token: ${{ secrets.RELEASE_PAT }}
      - run: git push origin HEAD
        env:
          GH_TOKEN: ${{ secrets.release_pat }}
  docs:
    runs-on: ubuntu-latest
    steps:
      - run: gh issue create --title t --body b
        env:
          GH_TOKEN: ${{ secrets.RELEASE_PAT }}
`

func TestNeedOf(t *testing.T) {
	t.Parallel()
	a, err := needs.Workflow(".github/workflows/release.yml", []byte(twoJobs))
	if err != nil {
		t.Fatal(err)
	}
	n := NeedOf(a.Tokens(), "Release_PAT", "octo/app")
	if !n.Used || n.Platform != check.GitHub {
		t.Fatalf("not used: %+v", n)
	}
	if want := []string{".github/workflows/release.yml#publish", ".github/workflows/release.yml#docs"}; !slices.Equal(n.UsedBy, want) {
		t.Errorf("used by %v, want %v", n.UsedBy, want)
	}
	if len(n.Scopes) == 0 || len(n.Permissions) == 0 {
		t.Errorf("no requirements: %+v", n)
	}
	if !slices.Contains(n.Repositories, "octo/lib") {
		t.Errorf("repositories %v lack octo/lib", n.Repositories)
	}
	if u := NeedOf(a.Tokens(), "DEPLOY_PAT", "octo/app"); u.Used || len(u.UsedBy) > 0 {
		t.Errorf("DEPLOY_PAT is used by nothing: %+v", u)
	}
}

func TestEstimate(t *testing.T) {
	t.Parallel()
	if got := Estimate(4, 2, 0); got != 19 {
		t.Errorf("4 permissions on 2 repositories: %d requests, want 19", got)
	}
	if got := Estimate(0, 0, 0); got != 1 {
		t.Errorf("the token alone: %d, want 1", got)
	}
}
