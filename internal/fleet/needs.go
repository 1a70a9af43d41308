package fleet

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/needs"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// Need is what the workflows or pipelines of a repository need of one
// name, across all of them.
type Need struct {
	// Used is true when some step uses the name.
	Used     bool
	Platform check.Platform
	// Scopes are the classic (or Azure DevOps) scopes, minimal.
	Scopes []string
	// Permissions are the fine-grained permissions, each at the highest
	// level a step needs.
	Permissions []check.Permission
	// Repositories are the repositories the steps reach with it: those a
	// step names, and the workflow's own (own) for a step that names none
	// but needs a permission. Empty when every step works on the own one.
	Repositories []string
	// Targets split Repositories by what is needed on each: the
	// permissions a fine-grained token needs on one repository are not
	// needed on another that only other steps reach.
	Targets []Target
	// UsedBy are the jobs that use it, as file#job (file alone for a
	// pipeline's steps outside jobs).
	UsedBy []string
	// Unknown are the steps whose needs cannot be known from the file.
	Unknown []string
}

// NeedOf gathers what tokens (needs' grouping of an analysis) say of name:
// secret and variable names compare without regard to case, as GitHub and
// Azure Pipelines compare them.
func NeedOf(tokens []needs.Token, name, own string) Need {
	var n Need
	var uses []needs.Use
	for _, t := range tokens {
		if !strings.EqualFold(t.Name, name) {
			continue
		}
		if !n.Used {
			n.Used, n.Platform = true, t.Platform
		}
		if t.Platform != n.Platform {
			continue // the same name on the other platform: another secret
		}
		uses = append(uses, t.Uses...)
		for _, u := range t.Uses {
			n.UsedBy = addJob(n.UsedBy, u.File, u.Job)
		}
		for _, u := range t.Unknowns {
			n.UsedBy = addJob(n.UsedBy, u.File, u.Job)
			n.Unknown = append(n.Unknown, fmt.Sprintf("%q at %s:%d: %s", u.Step, u.File, u.Line, u.Why))
		}
		for _, u := range t.Unused {
			n.UsedBy = addJob(n.UsedBy, u.File, u.Job)
		}
	}
	if !n.Used {
		return n
	}
	n.Scopes, n.Permissions, _ = needs.Combine(n.Platform, uses)
	n.Repositories = targets(uses, own)
	n.Targets = split(uses, n.Repositories, own)
	return n
}

// Target is a set of repositories and the permissions needed on each of
// them.
type Target struct {
	Repositories []string
	Permissions  []check.Permission
}

// split groups repos by the permissions the uses need on each (a use that
// names no repository works on own), at the highest level needed.
// Repositories that need the same permissions share a target; none when
// repos is empty.
func split(uses []needs.Use, repos []string, own string) []Target {
	var out []Target
	for _, r := range repos {
		var on []needs.Use
		for _, u := range uses {
			if slices.Contains(u.Need.Repositories, r) || len(u.Need.Repositories) == 0 && r == own {
				on = append(on, u)
			}
		}
		_, perms, _ := needs.Combine(ghplatform.Platform, on)
		i := slices.IndexFunc(out, func(t Target) bool { return slices.Equal(t.Permissions, perms) })
		if i < 0 {
			out = append(out, Target{Permissions: perms})
			i = len(out) - 1
		}
		out[i].Repositories = append(out[i].Repositories, r)
	}
	return out
}

func addJob(list []string, file, job string) []string {
	j := file
	if job != "" && !strings.HasPrefix(job, "#") { // "#1": a pipeline's steps outside any named job
		j += "#" + job
	}
	if slices.Contains(list, j) {
		return list
	}
	return append(list, j)
}

// targets are the repositories the steps reach: those they name, and own
// for the steps that name none but need a permission. Nil when no step
// names another repository (the workflow's own is the default).
func targets(uses []needs.Use, own string) []string {
	var out []string
	other := false
	for _, u := range uses {
		if len(u.Need.Repositories) == 0 {
			if len(u.Need.Permissions) > 0 && own != "" && !slices.Contains(out, own) {
				out = append(out, own)
			}
			continue
		}
		for _, r := range u.Need.Repositories {
			if !slices.Contains(out, r) {
				out = append(out, r)
				other = true
			}
		}
	}
	if !other {
		return nil
	}
	return out
}

// Estimate is how many requests a check with these requirements sends at
// most: the token's own, one per repository and organization, and for
// each permission on each repository a read and a write probe.
func Estimate(permissions, repositories, organizations int) int {
	return 1 + repositories + organizations + 2*permissions*max(repositories, 1)
}
