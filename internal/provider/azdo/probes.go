package azdo

// scopeProbe is a request gated by one scope: a read (200 needs both the
// scope and the user's permission), or a write aimed at an id that cannot
// exist (404 when the scope allows it: the scope is checked before the id
// is looked up). A token that lacks the scope gets 401.
type scopeProbe struct {
	// service is "", "vssps", "feeds" or "vsrm" (see platform/azdo's Org.ServiceURL).
	service string
	// path follows the service URL; {project} stands for the project.
	path string
	// project is true when the request needs a project.
	project bool
	// method is GET for reads; a write carries body, which changes nothing
	// even where the id existed, as mediaType.
	method, body, mediaType string
}

func (p scopeProbe) write() bool { return p.method != "" && p.method != "GET" }

// scopeProbes lists the probe of each scope that has one, by the scope that
// gates it. Reads are the documented list endpoints of their areas (the
// REST reference, learn.microsoft.com/rest/api/azure/devops). Writes aim at an id that cannot exist, with a body that
// changes nothing; each endpoint's scope is the one its REST reference
// (learn.microsoft.com/rest/api/azure/devops) lists under Security, and the
// scope file's description names the action (TestWriteProbesFollowScopeData).
var scopeProbes = map[string]scopeProbe{
	"vso.code":                {path: "_apis/git/repositories?api-version=7.1"},
	"vso.build":               {path: "{project}/_apis/build/builds?$top=1&api-version=7.1", project: true},
	"vso.work":                {path: "{project}/_apis/wit/workitemtypes?api-version=7.1", project: true},
	"vso.variablegroups_read": {path: "{project}/_apis/distributedtask/variablegroups?api-version=7.1", project: true},
	"vso.serviceendpoint":     {path: "{project}/_apis/serviceendpoint/endpoints?api-version=7.1", project: true},
	"vso.agentpools":          {path: "_apis/distributedtask/pools?api-version=7.1"},
	"vso.packaging":           {service: "feeds", path: "_apis/packaging/feeds?api-version=7.1"},
	"vso.release":             {service: "vsrm", path: "{project}/_apis/release/definitions?$top=1&api-version=7.1", project: true},
	"vso.graph":               {service: "vssps", path: "_apis/graph/users?api-version=7.1-preview.1"},

	// Git "Refs - Update Refs": no repository has the all-zero id, and an
	// empty list of ref updates moves no ref even where one did.
	"vso.code_write": {path: "_apis/git/repositories/" + noRepository + "/refs?api-version=7.1", method: "POST", body: "[]", mediaType: "application/json"},
	// Build "Builds - Update Build": build ids start at 1, and an empty
	// update changes no build even where one did.
	"vso.build_execute": {path: "{project}/_apis/build/builds/0?api-version=7.1", project: true, method: "PATCH", body: "{}", mediaType: "application/json"},
	// Work item tracking "Work Items - Update": work item ids start at 1,
	// and an empty JSON patch changes no work item even where one did.
	"vso.work_write": {path: "_apis/wit/workitems/0?api-version=7.1", method: "PATCH", body: "[]", mediaType: "application/json-patch+json"},
}

// noRepository is a repository id no repository has.
const noRepository = "00000000-0000-0000-0000-000000000000"

// probeFor returns the probe that proves most of a required scope: its own,
// else the probe of the broadest scope it includes (a 401 there proves the
// required scope missing too). ok is false when there is none.
func probeFor(scope string, included []string) (probed string, p scopeProbe, ok bool) {
	if p, ok := scopeProbes[scope]; ok {
		return scope, p, true
	}
	best := -1
	for _, s := range included {
		if q, has := scopeProbes[s]; has && len(includedOf(s)) > best {
			probed, p, ok, best = s, q, true, len(includedOf(s))
		}
	}
	return probed, p, ok
}

// tokenListPath is the user's token list on the vssps service: undocumented,
// used by community scripts with PAT Basic auth. Azure DevOps Server's scope
// definitions list it under vso.tokens (unconfirmed for the cloud), so a
// refusal only leaves the expiry unknown.
const tokenListPath = "_apis/Token/SessionTokens?displayFilterOption=1&api-version=5.0-preview.1"
