package check

import (
	"slices"
	"strings"
)

// azureScopeChain lists each Azure DevOps scope family from the broadest
// scope to the narrowest: each includes the ones after it (docs
// "Authentication scopes"). The last is the read scope a probe can prove.
var azureScopeChain = map[string][]string{
	"code":            {"vso.code_full", "vso.code_manage", "vso.code_write", "vso.code"},
	"build":           {"vso.build_execute", "vso.build"},
	"work":            {"vso.work_full", "vso.work_write", "vso.work"},
	"packaging":       {"vso.packaging_manage", "vso.packaging_write", "vso.packaging"},
	"release":         {"vso.release_manage", "vso.release_execute", "vso.release"},
	"variablegroups":  {"vso.variablegroups_manage", "vso.variablegroups_write", "vso.variablegroups_read"},
	"serviceendpoint": {"vso.serviceendpoint_manage", "vso.serviceendpoint_query", "vso.serviceendpoint"},
	"agentpools":      {"vso.agentpools_manage", "vso.agentpools"},
	"securefiles":     {"vso.securefiles_manage", "vso.securefiles_write", "vso.securefiles_read"},
	"taskgroups":      {"vso.taskgroups_manage", "vso.taskgroups_write", "vso.taskgroups_read"},
	"project":         {"vso.project_manage", "vso.project_write", "vso.project"},
	"graph":           {"vso.graph_manage", "vso.graph"},
	"identity":        {"vso.identity_manage", "vso.identity"},
}

// AzureFullAccess is the scope a full-access PAT reports: it grants every scope.
const AzureFullAccess = "app_token"

// azureScopeLabels name scopes as the "New Token" page shows them.
var azureScopeLabels = map[string]string{
	"vso.code": "Code (Read)", "vso.code_write": "Code (Read & write)", "vso.code_manage": "Code (Read, write, & manage)", "vso.code_full": "Code (Full)",
	"vso.build": "Build (Read)", "vso.build_execute": "Build (Read & execute)",
	"vso.work": "Work Items (Read)", "vso.work_write": "Work Items (Read & write)", "vso.work_full": "Work Items (Read, write, & manage)",
	AzureFullAccess: "Full access",
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

// AzureScopeLabel names a scope as the token page shows it.
func AzureScopeLabel(s string) string {
	if l, ok := azureScopeLabels[s]; ok {
		return l
	}
	return s
}

// KnownAzureScopes returns every Azure DevOps scope pat-check knows, sorted.
func KnownAzureScopes() []string {
	var out []string
	for _, chain := range azureScopeChain {
		out = append(out, chain...)
	}
	out = append(out, AzureFullAccess)
	slices.Sort(out)
	return out
}

// AzureFamily returns a scope's family and whether it is the family's read
// scope (the one a read probe can prove).
func AzureFamily(scope string) (family string, read bool, ok bool) {
	for f, chain := range azureScopeChain {
		if i := slices.Index(chain, scope); i >= 0 {
			return f, i == len(chain)-1, true
		}
	}
	return "", false, false
}

// AzureFamilyScopes lists a family's scopes, broadest first; nil for an
// unknown family.
func AzureFamilyScopes(family string) []string { return slices.Clone(azureScopeChain[family]) }

// AzureReadScope is the read scope of a family.
func AzureReadScope(family string) string {
	chain := azureScopeChain[family]
	if len(chain) == 0 {
		return ""
	}
	return chain[len(chain)-1]
}

// ExpandAzureScopes returns the granted scopes with all they include.
func ExpandAzureScopes(granted []string) []string {
	set := map[string]bool{}
	for _, g := range granted {
		g = strings.TrimSpace(g)
		if g == AzureFullAccess {
			for _, s := range KnownAzureScopes() {
				set[s] = true
			}
			continue
		}
		set[g] = true
		if f, _, ok := AzureFamily(g); ok {
			chain := azureScopeChain[f]
			for _, s := range chain[slices.Index(chain, g):] {
				set[s] = true
			}
		}
	}
	return sortedKeys(set)
}

// MissingAzureScopes returns the required scopes the granted ones do not include.
func MissingAzureScopes(granted, required []string) []string {
	return notIn(ExpandAzureScopes(granted), required)
}

// ParseAzureScopes reads a scope list as Azure DevOps writes it: separated
// by spaces or commas.
func ParseAzureScopes(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == ',' }) {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
