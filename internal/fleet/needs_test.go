package fleet

import (
	"slices"
	"testing"

	"github.com/pat-check/pat-check/internal/needs"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
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
	if !n.Used || n.Platform != ghplatform.Platform {
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

const twoRepos = `name: sync
on: push
jobs:
  mirror:
    runs-on: ubuntu-latest
    steps:
      - run: |
          gh issue create --repo octo/lib --title t --body b
          gh release create v1 --repo octo/app
        env:
          GH_TOKEN: ${{ secrets.BOT_PAT }}
      - run: gh release create v2 --repo octo/app
        env:
          GH_TOKEN: ${{ secrets.BOT_PAT }}
`

func TestNeedOfSplitsByRepository(t *testing.T) {
	t.Parallel()
	a, err := needs.Workflow(".github/workflows/sync.yml", []byte(twoRepos))
	if err != nil {
		t.Fatal(err)
	}
	n := NeedOf(a.Tokens(), "BOT_PAT", "octo/app")
	if len(n.Targets) != 2 {
		t.Fatalf("targets %+v, want one per repository (they need different permissions)", n.Targets)
	}
	for _, tg := range n.Targets {
		var perms []string
		for _, p := range tg.Permissions {
			perms = append(perms, p.String())
		}
		switch {
		case slices.Equal(tg.Repositories, []string{"octo/lib"}):
			if !slices.Contains(perms, "issues:write") || slices.Contains(perms, "contents:write") {
				t.Errorf("octo/lib needs %v", perms)
			}
		case slices.Equal(tg.Repositories, []string{"octo/app"}):
			if !slices.Contains(perms, "contents:write") || slices.Contains(perms, "issues:write") {
				t.Errorf("octo/app needs %v", perms)
			}
		default:
			t.Errorf("target %v", tg.Repositories)
		}
	}
}
