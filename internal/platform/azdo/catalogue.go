package azdo

import (
	"maps"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/platformdata"
)

// azureCatalogue is every Azure DevOps scope with the scopes it includes
// directly, from the docs' scope table (platformdata, from
// MicrosoftDocs/azure-devops-docs, "Inherits From"): vso.code_write
// includes vso.code; vso.environment_manage includes vso.agentpools_manage.
var azureCatalogue = func() map[string][]string {
	out := map[string][]string{}
	for _, s := range platformdata.AzureScopes() {
		out[s.Scope] = s.Includes
	}
	return out
}()

// azureDocNames are the docs' display names, the labels' fallback.
var azureDocNames = func() map[string]string {
	out := map[string]string{}
	for _, s := range platformdata.AzureScopes() {
		out[s.Scope] = s.Name
	}
	return out
}()

// FullAccess is the scope a full-access PAT reports: it grants every scope.
const FullAccess = "app_token"

// azureScopeLabels name scopes as the "New Token" page shows them.
var azureScopeLabels = map[string]string{
	"vso.code": "Code (Read)", "vso.code_write": "Code (Read & write)", "vso.code_manage": "Code (Read, write, & manage)", "vso.code_full": "Code (Full)",
	"vso.build": "Build (Read)", "vso.build_execute": "Build (Read & execute)",
	"vso.work": "Work Items (Read)", "vso.work_write": "Work Items (Read & write)", "vso.work_full": "Work Items (Read, write, & manage)",
	FullAccess:      "Full access",
	"vso.packaging": "Packaging (Read)", "vso.packaging_write": "Packaging (Read & write)", "vso.packaging_manage": "Packaging (Read, write, & manage)",
	"vso.release": "Release (Read)", "vso.release_execute": "Release (Read, write, & execute)", "vso.release_manage": "Release (Read, write, execute, & manage)",
	"vso.variablegroups_read": "Variable Groups (Read)", "vso.variablegroups_write": "Variable Groups (Read & create)", "vso.variablegroups_manage": "Variable Groups (Read, create, & manage)",
	"vso.serviceendpoint": "Service Connections (Read)", "vso.serviceendpoint_query": "Service Connections (Read & query)", "vso.serviceendpoint_manage": "Service Connections (Read, query, & manage)",
	"vso.agentpools": "Agent Pools (Read)", "vso.agentpools_manage": "Agent Pools (Read & manage)",
	"vso.securefiles_read": "Secure Files (Read)", "vso.securefiles_write": "Secure Files (Read & create)", "vso.securefiles_manage": "Secure Files (Read, create, & manage)",
	"vso.taskgroups_read": "Task Groups (Read)", "vso.taskgroups_write": "Task Groups (Read & create)", "vso.taskgroups_manage": "Task Groups (Read, create, & manage)",
	"vso.project": "Project and Team (Read)", "vso.project_write": "Project and Team (Read & write)", "vso.project_manage": "Project and Team (Read, write, & manage)",
	"vso.graph": "Graph (Read)", "vso.graph_manage": "Graph (Read & manage)",
	"vso.identity": "Identity (Read)", "vso.identity_manage": "Identity (Read & manage)",
}

// ScopeLabel names a scope as the token page shows it, else as the
// docs name it.
func ScopeLabel(s string) string {
	if l, ok := azureScopeLabels[s]; ok {
		return l
	}
	if l, ok := azureDocNames[s]; ok {
		return l
	}
	return s
}

// KnownScopes returns every Azure DevOps scope pat-check knows, sorted.
func KnownScopes() []string {
	out := []string{FullAccess}
	for s := range azureCatalogue {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// Family returns a scope's family (vso.code_write: code) and whether
// it is the family's read scope: the one that includes no other scope of
// its family.
func Family(scope string) (family string, read bool, ok bool) {
	if _, ok := azureCatalogue[scope]; !ok {
		return "", false, false
	}
	family = familyOf(scope)
	for _, inc := range azureCatalogue[scope] {
		if familyOf(inc) == family {
			return family, false, true
		}
	}
	return family, true, true
}

func familyOf(scope string) string {
	f, _, _ := strings.Cut(strings.TrimPrefix(scope, "vso."), "_")
	return f
}

// FamilyScopes lists a family's scopes, broadest first; nil for an
// unknown family.
func FamilyScopes(family string) []string {
	var out []string
	for s := range azureCatalogue {
		if familyOf(s) == family {
			out = append(out, s)
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		if d := len(Included(b)) - len(Included(a)); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	return out
}

// Included returns every scope a scope includes, itself excluded,
// following the inclusions to the end.
func Included(scope string) []string {
	set := map[string]bool{}
	var walk func(string)
	walk = func(s string) {
		for _, inc := range azureCatalogue[s] {
			if !set[inc] {
				set[inc] = true
				walk(inc)
			}
		}
	}
	walk(scope)
	delete(set, scope)
	return sortedKeys(set)
}

// ExpandScopes returns the granted scopes with all they include.
func ExpandScopes(granted []string) []string {
	set := map[string]bool{}
	for _, g := range granted {
		g = strings.TrimSpace(g)
		if g == FullAccess {
			for _, s := range KnownScopes() {
				set[s] = true
			}
			continue
		}
		set[g] = true
		for _, s := range Included(g) {
			set[s] = true
		}
	}
	return sortedKeys(set)
}

// MissingScopes returns the required scopes the granted ones do not include.
func MissingScopes(granted, required []string) []string {
	return check.Unmet(ExpandScopes(granted), required)
}

// ParseScopes reads a scope list as Azure DevOps writes it: separated
// by spaces or commas.
func ParseScopes(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }) {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// sortedKeys lists a set's members, sorted, without the empty string.
func sortedKeys(set map[string]bool) []string {
	delete(set, "")
	return slices.Sorted(maps.Keys(set))
}
