package github

import (
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
)

// scopeChildren is GitHub's classic/OAuth scope hierarchy: a parent grants
// each of its children. The X-OAuth-Scopes header lists parents only, so a
// required child must be looked up here. Sources, entry by entry:
//   - [R] the hierarchy of GitHub's docs "Scopes for OAuth apps" (github/docs,
//     content/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps.md).
//   - [T] the token creation page (https://github.com/settings/tokens/new),
//     where the child is a box nested under the parent; the docs' table is
//     silent on these, so they rest on the page as it was seen, not on a
//     published source.
var scopeChildren = map[string][]string{
	// [R] repo ⊃ repo:status, repo_deployment, public_repo, repo:invite,
	// security_events. The repository-hook scopes: the docs describe repo as
	// full access to repositories including their webhooks; the
	// token page keeps admin:repo_hook as a box of its own. [T]
	"repo":            {"repo:status", "repo_deployment", "public_repo", "repo:invite", "security_events", "admin:repo_hook"},
	"admin:repo_hook": {"write:repo_hook"}, // [R]
	"write:repo_hook": {"read:repo_hook"},  // [R]
	// [R] admin:org ⊃ write:org ⊃ read:org; manage_runners:org [T].
	"admin:org":        {"write:org", "manage_runners:org"},
	"write:org":        {"read:org"},
	"admin:public_key": {"write:public_key"}, // [R]
	"write:public_key": {"read:public_key"},  // [R]
	"admin:gpg_key":    {"write:gpg_key"},    // [R]
	"write:gpg_key":    {"read:gpg_key"},     // [R]
	// [T] SSH signing keys follow the public-key pattern on the token page.
	"admin:ssh_signing_key": {"write:ssh_signing_key"},
	"write:ssh_signing_key": {"read:ssh_signing_key"},
	"user":                  {"read:user", "user:email", "user:follow"}, // [R]
	"project":               {"read:project"},                           // [R]
	// [R] manage_runners, manage_billing, read:enterprise; scim:enterprise [T].
	"admin:enterprise": {"manage_runners:enterprise", "manage_billing:enterprise", "read:enterprise", "scim:enterprise"},
	"codespace":        {"codespace:secrets"}, // [T]
	"write:discussion": {"read:discussion"},   // [T]
	// [T] the docs' table does NOT list read:packages under write:packages;
	// the token page ticks it with write:packages, and
	// publishing a package needs to read the registry.
	"write:packages": {"read:packages"},
	"audit_log":      {"read:audit_log"},         // [T]
	"copilot":        {"manage_billing:copilot"}, // [T]
	// [T] hosted compute network configurations, organization level.
	"admin:network_configurations": {"read:network_configurations"},
}

// assumedChildren are the implications of scopeChildren marked [T]: GitHub's
// docs do not state them, so a requirement met only through one of them
// passes with a notice that names it (scope-assumed). A test holds this
// list to scopeChildren.
var assumedChildren = map[string][]string{
	"repo":                         {"admin:repo_hook"},
	"admin:org":                    {"manage_runners:org"},
	"admin:ssh_signing_key":        {"write:ssh_signing_key"},
	"write:ssh_signing_key":        {"read:ssh_signing_key"},
	"admin:enterprise":             {"scim:enterprise"},
	"codespace":                    {"codespace:secrets"},
	"write:discussion":             {"read:discussion"},
	"write:packages":               {"read:packages"},
	"audit_log":                    {"read:audit_log"},
	"copilot":                      {"manage_billing:copilot"},
	"admin:network_configurations": {"read:network_configurations"},
}

// Assumption is a required scope granted only through an implication the
// docs do not state: Parent includes Child on the token page, and Child
// is (or includes) Scope.
type Assumption struct {
	Scope, Parent, Child string
}

// AssumedScopes lists the required scopes that granted covers only through
// an implication of assumedChildren, each with the first such implication
// (in sorted order) that leads to it. A required scope granted itself, or
// through stated implications, is not listed.
func AssumedScopes(granted, required []string) []Assumption {
	full := ExpandScopes(granted)
	stated := expand(granted, func(parent, child string) bool { return !slices.Contains(assumedChildren[parent], child) })
	var parents []string
	for p := range assumedChildren {
		parents = append(parents, p)
	}
	slices.Sort(parents)
	var out []Assumption
	for _, r := range required {
		if !slices.Contains(full, r) || slices.Contains(stated, r) || slices.ContainsFunc(out, func(a Assumption) bool { return a.Scope == r }) {
			continue
		}
		for _, p := range parents {
			if !slices.Contains(full, p) {
				continue
			}
			if i := slices.IndexFunc(assumedChildren[p], func(c string) bool { return slices.Contains(ExpandScopes([]string{c}), r) }); i >= 0 {
				out = append(out, Assumption{Scope: r, Parent: p, Child: assumedChildren[p][i]})
				break
			}
		}
	}
	return out
}

// standaloneScopes are scopes with no children and no parent ([R]).
var standaloneScopes = []string{
	"admin:org_hook", "gist", "notifications", "delete_repo",
	"delete:packages", "workflow", "site_admin",
}

// KnownScopes returns every GitHub scope pat-check knows, sorted.
func KnownScopes() []string {
	set := map[string]bool{}
	for p, cs := range scopeChildren {
		set[p] = true
		for _, c := range cs {
			set[c] = true
		}
	}
	for _, s := range standaloneScopes {
		set[s] = true
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// IsKnownScope reports whether s is a GitHub scope pat-check knows.
func IsKnownScope(s string) bool { return slices.Contains(KnownScopes(), s) }

// ExpandScopes returns the granted scopes together with every scope they
// imply, sorted and without duplicates.
func ExpandScopes(granted []string) []string {
	return expand(granted, func(string, string) bool { return true })
}

// expand is ExpandScopes through the implications follow accepts.
func expand(granted []string, follow func(parent, child string) bool) []string {
	set := map[string]bool{}
	var add func(string)
	add = func(s string) {
		if set[s] {
			return
		}
		set[s] = true
		for _, c := range scopeChildren[s] {
			if follow(s, c) {
				add(c)
			}
		}
	}
	for _, g := range granted {
		add(strings.TrimSpace(g))
	}
	return sortedKeys(set)
}

// sortedKeys lists a set's members, sorted, without the empty string.
func sortedKeys(set map[string]bool) []string {
	delete(set, "")
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// MissingScopes returns the required scopes that granted does not cover,
// implication included, in the order they were required.
func MissingScopes(granted, required []string) []string {
	return check.Unmet(ExpandScopes(granted), required)
}

// MinimalScopes reduces a scope set to the ones worth ticking in GitHub's
// form: a scope implied by another in the set is dropped. The order of first
// appearance is kept. It takes time linear in the number of scopes (the
// hierarchy is a few levels deep), whatever a server sends.
func MinimalScopes(scopes []string) []string {
	present := make(map[string]bool, len(scopes))
	for _, s := range scopes {
		present[s] = true
	}
	// implied holds every scope below another present scope.
	implied := map[string]bool{}
	var below func(string)
	below = func(s string) {
		for _, c := range scopeChildren[s] {
			if !implied[c] {
				implied[c] = true
				below(c)
			}
		}
	}
	for s := range present {
		below(s)
	}
	var out []string
	seen := make(map[string]bool, len(scopes))
	for _, s := range scopes {
		if seen[s] || implied[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	return out
}
