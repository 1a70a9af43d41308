package needs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// workflowPermissions are the keys of a workflow's permissions: block, the
// only permissions GITHUB_TOKEN can hold
// (https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions).
var workflowPermissions = []string{"actions", "attestations", "checks", "contents", "deployments", "discussions",
	"id-token", "issues", "models", "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses"}

// workflowName spells a fine-grained permission as the permissions: block
// does (pull_requests -> pull-requests); ok is false for a permission
// GITHUB_TOKEN cannot hold (secrets, workflows, administration).
func workflowName(name string) (string, bool) {
	n := strings.ReplaceAll(name, "_", "-")
	return n, slices.Contains(workflowPermissions, n)
}

// workflowNeeds are what a use needs of a GITHUB_TOKEN, in the workflow's
// form, and what of it GITHUB_TOKEN cannot hold.
func workflowNeeds(n Need) (perms, cannot []string) {
	if n.Workflow != nil {
		return n.Workflow, nil
	}
	for _, p := range n.Permissions {
		if w, ok := workflowName(p.Name); ok {
			perms = append(perms, w+":"+p.Level.String())
		} else {
			cannot = append(cannot, p.String())
		}
	}
	return perms, cannot
}

// JobTokens returns, for each job whose steps use its own GITHUB_TOKEN, the
// least permissions: block those steps need: the highest level of each
// permission, sorted by name.
func (a Analysis) JobTokens() []JobToken {
	var out []JobToken
	idx := map[string]int{}
	for _, u := range a.Uses {
		if u.Token != GitHubToken || u.Platform != ghplatform.Platform {
			continue
		}
		k := u.File + "\x00" + u.Job
		i, ok := idx[k]
		if !ok {
			i = len(out)
			idx[k] = i
			out = append(out, JobToken{File: u.File, Job: u.Job})
		}
		jt := &out[i]
		perms, cannot := workflowNeeds(u.Need)
		for _, p := range perms {
			jt.Permissions = raise(jt.Permissions, p)
		}
		for _, c := range cannot {
			note := fmt.Sprintf("%s (line %d, %s) needs %s, which GITHUB_TOKEN cannot have: use a personal access token or an app token there", u.Step, u.Line, u.Rule, c)
			if !slices.Contains(jt.Notes, note) {
				jt.Notes = append(jt.Notes, note)
			}
		}
	}
	for i := range out {
		slices.Sort(out[i].Permissions)
	}
	return out
}

// raise adds name:level to a list, keeping the highest level per name.
func raise(list []string, p string) []string {
	name, level, _ := strings.Cut(p, ":")
	for i, q := range list {
		qn, ql, _ := strings.Cut(q, ":")
		if qn != name {
			continue
		}
		a, _ := check.ParseLevel(level)
		b, _ := check.ParseLevel(ql)
		if a > b {
			list[i] = p
		}
		return list
	}
	return append(list, p)
}
