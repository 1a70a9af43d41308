package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/platformdata"
)

// Level is a fine-grained permission level. Levels are ordered: a higher
// level grants the lower ones.
type Level int

// The fine-grained levels, in order.
const (
	LevelNone Level = iota
	LevelRead
	LevelWrite
	LevelAdmin
)

func (l Level) String() string {
	switch l {
	case LevelRead:
		return "read"
	case LevelWrite:
		return "write"
	case LevelAdmin:
		return "admin"
	}
	return "none"
}

// ParseLevel reads read, write or admin.
func ParseLevel(s string) (Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "read":
		return LevelRead, true
	case "write":
		return LevelWrite, true
	case "admin":
		return LevelAdmin, true
	}
	return LevelNone, false
}

// Permission is one required fine-grained permission, by its API name
// (pull_requests, not pull-requests).
type Permission struct {
	Name  string
	Level Level
}

func (p Permission) String() string { return p.Name + ":" + p.Level.String() }

// PermissionTarget says what a fine-grained permission applies to.
type PermissionTarget string

// The targets a fine-grained permission can apply to.
const (
	TargetRepository   PermissionTarget = "repository"
	TargetOrganization PermissionTarget = "organization"
	TargetAccount      PermissionTarget = "account"
)

// permissionTargets lists the fine-grained permissions by their API name:
// every permission of GitHub's own data (platformdata, from github/docs),
// with what it applies to, and the ones that data does not list because
// fine-grained personal access tokens cannot hold them: GITHUB_TOKEN and
// GitHub App permissions (githubTokenOnly).
var permissionTargets = func() map[string]PermissionTarget {
	out := map[string]PermissionTarget{}
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
func pathTarget(name, path string) PermissionTarget {
	switch {
	case strings.HasPrefix(path, "/repos/{owner}/{repo}"), repositoryByPage[name]:
		return TargetRepository
	case strings.HasPrefix(name, "organization_"), strings.HasPrefix(name, "org_"), name == "members",
		strings.HasPrefix(path, "/orgs/"), strings.HasPrefix(path, "/organizations/"):
		if accountByPage[name] {
			return TargetAccount
		}
		return TargetOrganization
	}
	return TargetAccount
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
var githubTokenOnly = map[string]PermissionTarget{
	"checks": TargetRepository, "discussions": TargetRepository, "merge_queues": TargetRepository,
	"packages": TargetRepository, "id_token": TargetRepository, "models": TargetRepository,
	"repository_projects": TargetRepository,
}

// targetRank ranks targets so that a permission with endpoints on several
// takes the most specific one a job names (a repository).
func targetRank(t PermissionTarget) int {
	switch t {
	case TargetRepository:
		return 2
	case TargetOrganization:
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
func TargetOf(name string) (PermissionTarget, bool) {
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
func ParsePermission(s string) (Permission, error) {
	name, level, ok := strings.Cut(s, ":")
	if !ok {
		name, level, ok = strings.Cut(s, "=")
	}
	if !ok {
		return Permission{}, fmt.Errorf("%s is not name:level (for example contents:write)", finding.Quote(s))
	}
	n, known := NormalizePermissionName(name)
	if !known {
		return Permission{}, fmt.Errorf("%s is not a fine-grained permission%s", finding.Quote(strings.TrimSpace(name)), Suggest(n, KnownPermissions()))
	}
	l, ok := ParseLevel(level)
	if !ok {
		return Permission{}, fmt.Errorf("%s has level %s: use read, write or admin", finding.Quote(s), finding.Quote(strings.TrimSpace(level)))
	}
	return Permission{Name: n, Level: l}, nil
}

// Suggest returns "; did you mean X?" when a known word is within two edits
// of s, and "" otherwise.
func Suggest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if len(s) > len(k)+bestD || len(k) > len(s)+bestD {
			continue // the lengths alone put them too far apart
		}
		if d := editDistance(s, k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
