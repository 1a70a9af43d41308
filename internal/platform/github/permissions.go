package github

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/platformdata"
)

// permissionTargets lists the fine-grained permissions by their API name:
// every permission of GitHub's own data (platformdata, from github/docs),
// with what it applies to, and the ones that data does not list because
// fine-grained personal access tokens cannot hold them: GITHUB_TOKEN and
// GitHub App permissions (githubTokenOnly).
var permissionTargets = func() map[string]check.PermissionTarget {
	out := map[string]check.PermissionTarget{}
	for _, e := range platformdata.GitHubEndpoints() {
		if t := pathTarget(e.Permission, e.Path); targetRank(t) > targetRank(out[e.Permission]) || out[e.Permission] == "" {
			out[e.Permission] = t
		}
	}
	for n, t := range githubTokenOnly {
		out[n] = t
	}
	return out
}()

// pathTarget is what one endpoint of a permission says the permission
// applies to: a repository path makes it a repository permission (the
// highest rank); an organization path, or a name
// GitHub files under organization permissions, an organization one; the
// rest belong to the account.
func pathTarget(name, path string) check.PermissionTarget {
	switch {
	case strings.HasPrefix(path, "/repos/{owner}/{repo}"), repositoryByPage[name]:
		return check.TargetRepository
	case strings.HasPrefix(name, "organization_"), strings.HasPrefix(name, "org_"), name == "members",
		strings.HasPrefix(path, "/orgs/"), strings.HasPrefix(path, "/organizations/"):
		if accountByPage[name] {
			return check.TargetAccount
		}
		return check.TargetOrganization
	}
	return check.TargetAccount
}

// repositoryByPage and accountByPage are permissions whose endpoints in the
// data do not show where the token page files them: codespaces lifecycle
// admin is a repository permission whose endpoints sit under /orgs and
// /user; organization events are read under /users/{username}/events/orgs/{org}
// but are an organization permission by name.
var (
	repositoryByPage = map[string]bool{"codespaces_lifecycle_admin": true}
	accountByPage    = map[string]bool{}
)

// githubTokenOnly are permissions of GITHUB_TOKEN (the workflow's
// permissions block) and GitHub Apps that GitHub's fine-grained personal
// access token data does not list. They are accepted in permissions; where
// no probe proves them, the probe table says why.
var githubTokenOnly = map[string]check.PermissionTarget{
	"checks": check.TargetRepository, "discussions": check.TargetRepository, "merge_queues": check.TargetRepository,
	"packages": check.TargetRepository, "id_token": check.TargetRepository, "models": check.TargetRepository,
	"repository_projects": check.TargetRepository,
}

// targetRank ranks targets so that a permission with endpoints on several
// takes the most specific one a job names (a repository).
func targetRank(t check.PermissionTarget) int {
	switch t {
	case check.TargetRepository:
		return 2
	case check.TargetOrganization:
		return 1
	}
	return 0
}

// permissionAliases maps other spellings to the API name: the workflow
// permissions block and the token page use a few different words, and
// earlier releases of pat-check used names GitHub's data does not
// (ssh_signing_keys, git_ssh_keys).
var permissionAliases = map[string]string{
	"variables":                 "actions_variables",
	"webhooks":                  "repository_hooks",
	"hooks":                     "repository_hooks",
	"workflow":                  "workflows",
	"pull_request":              "pull_requests",
	"security-events":           "security_events",
	"repository-hooks":          "repository_hooks",
	"actions-variables":         "actions_variables",
	"ssh_signing_keys":          "git_signing_ssh_public_keys",
	"git_ssh_keys":              "keys",
	"organization_custom_roles": "organization_custom_org_roles",
}

// KnownPermissions returns the API names of all fine-grained permissions, sorted.
func KnownPermissions() []string {
	out := make([]string, 0, len(permissionTargets))
	for n := range permissionTargets {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// TargetOf says what a permission applies to; ok is false for unknown names.
func TargetOf(name string) (check.PermissionTarget, bool) {
	t, ok := permissionTargets[name]
	return t, ok
}

// NormalizePermissionName turns the workflow spelling (pull-requests) or an
// alias into the API name (pull_requests); ok is false when the name is not a
// known permission.
func NormalizePermissionName(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if a, ok := permissionAliases[s]; ok {
		s = a
	}
	s = strings.ReplaceAll(s, "-", "_")
	if a, ok := permissionAliases[s]; ok {
		s = a
	}
	_, ok := permissionTargets[s]
	return s, ok
}

// ParsePermission reads name:level or name=level, in API or workflow spelling.
func ParsePermission(s string) (check.Permission, error) {
	name, level, ok := strings.Cut(s, ":")
	if !ok {
		name, level, ok = strings.Cut(s, "=")
	}
	if !ok {
		return check.Permission{}, fmt.Errorf("%s is not name:level (for example contents:write)", finding.Quote(s))
	}
	n, known := NormalizePermissionName(name)
	if !known {
		return check.Permission{}, fmt.Errorf("%s is not a fine-grained permission%s", finding.Quote(strings.TrimSpace(name)), finding.Suggest(n, KnownPermissions()))
	}
	l, ok := check.ParseLevel(level)
	if !ok {
		return check.Permission{}, fmt.Errorf("%s has level %s: use read, write or admin", finding.Quote(s), finding.Quote(strings.TrimSpace(level)))
	}
	return check.Permission{Name: n, Level: l}, nil
}
