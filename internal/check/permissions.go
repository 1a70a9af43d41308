package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
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

// permissionTargets lists the fine-grained permissions by their API name, as
// GitHub's token creation page and its pre-fill parameters name them.
var permissionTargets = map[string]PermissionTarget{
	"actions": TargetRepository, "administration": TargetRepository, "attestations": TargetRepository,
	"checks": TargetRepository, "codespaces": TargetRepository, "contents": TargetRepository,
	"dependabot_secrets": TargetRepository, "deployments": TargetRepository, "discussions": TargetRepository,
	"environments": TargetRepository, "issues": TargetRepository, "merge_queues": TargetRepository,
	"metadata": TargetRepository, "pages": TargetRepository, "pull_requests": TargetRepository,
	"repository_advisories": TargetRepository, "repository_hooks": TargetRepository,
	"secret_scanning_alerts": TargetRepository, "secrets": TargetRepository, "security_events": TargetRepository,
	"statuses": TargetRepository, "actions_variables": TargetRepository, "vulnerability_alerts": TargetRepository,
	"workflows": TargetRepository,

	"members": TargetOrganization, "organization_administration": TargetOrganization,
	"organization_secrets": TargetOrganization, "organization_self_hosted_runners": TargetOrganization,
	"organization_projects": TargetOrganization, "organization_hooks": TargetOrganization,
	"organization_user_blocking": TargetOrganization, "organization_custom_roles": TargetOrganization,
	"organization_actions_variables": TargetOrganization, "organization_events": TargetOrganization,

	"emails": TargetAccount, "gists": TargetAccount, "keys": TargetAccount, "gpg_keys": TargetAccount,
	"followers": TargetAccount, "profile": TargetAccount, "starring": TargetAccount,
	"watching": TargetAccount, "git_ssh_keys": TargetAccount, "ssh_signing_keys": TargetAccount,
}

// permissionAliases maps other common spellings to the API name: the
// workflow permissions block and the token page use a few different words.
var permissionAliases = map[string]string{
	"variables":         "actions_variables",
	"webhooks":          "repository_hooks",
	"hooks":             "repository_hooks",
	"workflow":          "workflows",
	"pull_request":      "pull_requests",
	"security-events":   "security_events",
	"repository-hooks":  "repository_hooks",
	"actions-variables": "actions_variables",
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
