package check

// The permission vocabulary every rule speaks: a permission is a name and a
// level, applying to a target. Which names exist, what they apply to and how
// they are spelled is the issuing platform's catalogue (platform/github).

import "strings"

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
