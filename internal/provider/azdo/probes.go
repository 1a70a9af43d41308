package azdo

// scopeProbe is the read request that proves a scope family's read scope:
// a 200 needs both the scope and the user's permission, a plain 401 means
// the scope is missing.
type scopeProbe struct {
	// service is "", "vssps", "feeds" or "vsrm" (see Org.ServiceURL).
	service string
	// path follows the service URL; {project} stands for the project.
	path string
	// project is true when the request needs a project.
	project bool
}

// scopeProbes lists the read probe of each family that has one: the
// documented list endpoints of those areas (REFERENCE.md).
var scopeProbes = map[string]scopeProbe{
	"code":            {path: "_apis/git/repositories?api-version=7.1"},
	"build":           {path: "{project}/_apis/build/builds?$top=1&api-version=7.1", project: true},
	"work":            {path: "{project}/_apis/wit/workitemtypes?api-version=7.1", project: true},
	"variablegroups":  {path: "{project}/_apis/distributedtask/variablegroups?api-version=7.1", project: true},
	"serviceendpoint": {path: "{project}/_apis/serviceendpoint/endpoints?api-version=7.1", project: true},
	"agentpools":      {path: "_apis/distributedtask/pools?api-version=7.1"},
	"packaging":       {service: "feeds", path: "_apis/packaging/feeds?api-version=7.1"},
	"release":         {service: "vsrm", path: "{project}/_apis/release/definitions?$top=1&api-version=7.1", project: true},
	"graph":           {service: "vssps", path: "_apis/graph/users?api-version=7.1-preview.1"},
}

// tokenListPath is the user's token list on the vssps service: undocumented,
// used by community scripts with PAT Basic auth. Azure DevOps Server's scope
// definitions list it under vso.tokens (unconfirmed for the cloud), so a
// refusal only leaves the expiry unknown.
const tokenListPath = "_apis/Token/SessionTokens?displayFilterOption=1&api-version=5.0-preview.1"
