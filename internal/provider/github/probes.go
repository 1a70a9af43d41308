package github

import (
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
)

// No endpoint tells what a fine-grained or installation token may do, so
// each permission is probed: a GET for read (or, for what only GraphQL
// serves, a GraphQL query); for write, a request that cannot succeed even
// when allowed (a body missing a required field → 422, or an id that cannot
// exist → 404), against 403 when denied. The rule is absolute: no probe may
// create, change or delete anything, even for a token that holds the
// permission; no GraphQL mutation is ever sent. Where no such request is
// known the permission is reported unverified, with the reason.

// probeID is a name no real resource has: random enough never to collide,
// and invalid where GitHub validates names, so that a request aimed at it
// can only fail.
const probeID = "pat-check-probe-3f9c1e7a0b6d4d2c"

// probeNumber is an id that no hook, alert or other numbered resource has.
const probeNumber = "4294967289"

// noKey is a key id that no key has: GitHub numbers keys from 1. A DELETE
// aimed at it deletes nothing, whoever sends it.
const noKey = "0"

// zeroSHA is a commit that cannot exist.
const zeroSHA = "0000000000000000000000000000000000000000"

// Probe is one request and how to read its answer.
type Probe struct {
	Method string
	// Path is relative to the API base, with {owner}, {repo} and {org}
	// standing for the target.
	Path string
	// Body is sent as JSON for non-GET probes. It always leaves out a field
	// the endpoint requires, or is empty for a resource that cannot exist.
	Body string
	// Allowed are the statuses that mean the permission is granted.
	Allowed []int
	// Unsure are statuses that settle nothing (an empty repository, no
	// Pages site): the permission is then unverified, with UnsureReason.
	Unsure       []int
	UnsureReason string
	// PublicRead marks reads that anyone may make on a public repository,
	// where a success proves nothing about the token's grant.
	PublicRead bool
	// PublicWrite marks writes that GitHub accepts from any account on a
	// public repository (opening issues and pull requests), where a success
	// proves nothing either.
	PublicWrite bool
	// GraphQL, when set, is a query (never a mutation) POSTed to the
	// server's GraphQL endpoint with the target's owner and name as the
	// variables $owner and $name. Path, Body, Allowed and Unsure are then
	// unused: GraphQL answers 200 whether it grants or refuses, and the
	// verdict is in the body.
	GraphQL string
	// Field is where the data of a granted GraphQL probe shows the grant,
	// e.g. repository, discussions.
	Field []string
}

// ByMissingID reports whether the probe's success is a 404 for an id that
// cannot exist (or a 422 for the body GitHub validates before it looks the
// id up). That reading assumes GitHub checks the route's permission (and
// answers 403) before it looks the resource up, as it does for fine-grained
// and installation tokens, whose permissions are declared per route. Yet
// GitHub also hides behind a 404 what the account's role may not use
// (webhooks need admin): the read probe of the same permission, sent with
// it, must succeed for the 404 to count (see platform/github's PermissionVerdicts); a
// read aimed at a name that cannot exist (readByMissingID) is its own
// confirmation. A classic
// token's access follows the account's role alone, and for those tokens
// such a probe proves nothing and is not sent.
func (p Probe) ByMissingID() bool {
	return p.GraphQL == "" && slices.Contains(p.Allowed, 404)
}

// ProbeRule says how one permission at one level is checked.
type ProbeRule struct {
	// Probe is nil when no safe request is known; Reason says why.
	Probe  *Probe
	Reason string
}

// probeKey is a permission and level.
type probeKey struct {
	name  string
	level check.Level
}

func get(path string, public bool, allowed ...int) ProbeRule {
	if len(allowed) == 0 {
		allowed = []int{200}
	}
	return ProbeRule{Probe: &Probe{Method: "GET", Path: path, Allowed: allowed, PublicRead: public}}
}

func write(method, path, body string, allowed ...int) ProbeRule {
	return ProbeRule{Probe: &Probe{Method: method, Path: path, Body: body, Allowed: allowed}}
}

// publicWrite is a write that anyone may make on a public repository.
func publicWrite(method, path, body string, allowed ...int) ProbeRule {
	r := write(method, path, body, allowed...)
	r.Probe.PublicWrite = true
	return r
}

// graphQL is a read through a GraphQL query on a repository: granted when
// the answer's data holds field. What it reads of a public repository,
// anyone may read.
func graphQL(query string, field ...string) ProbeRule {
	return ProbeRule{Probe: &Probe{Method: "POST", GraphQL: query, Field: field, PublicRead: true}}
}

// readByMissingID is a read aimed at a name that cannot exist: GitHub checks
// the route's permission first (403 when denied), then answers 404 for the
// name. The endpoint needs no role beyond access to the repository, which
// the repository's own request proves, so the 404 confirms itself.
func readByMissingID(path string) ProbeRule {
	return ProbeRule{Probe: &Probe{Method: "GET", Path: path, Allowed: []int{200, 404}}}
}

// unsure marks statuses of a probe that settle nothing.
func unsure(r ProbeRule, reason string, statuses ...int) ProbeRule {
	r.Probe.Unsure, r.Probe.UnsureReason = statuses, reason
	return r
}

func unverifiable(reason string) ProbeRule { return ProbeRule{Reason: reason} }

const repo = "repos/{owner}/{repo}"

// Probes is the table: permission and level → request and reading. Levels
// not listed have no safe probe. Read probes of a public repository's public
// data are marked PublicRead.
//
// Every REST probe is held to GitHub's own data (platformdata, from
// github/docs' fine-grained-pat-permissions.json) by TestProbesFollowGitHubData:
// its endpoint must be gated by exactly this permission at this level. The
// probes the data does not list say why they are still right.
var Probes = map[probeKey]ProbeRule{
	{"metadata", check.LevelRead}: get(repo, true),

	{"contents", check.LevelRead}: get(repo+"/commits?per_page=1", true, 200, 409), // 409: empty repository, but the read was allowed
	// Creating a blob is gated by contents write alone. A body without
	// content is refused (422) before anything is stored, and even a valid
	// body would only store an object no commit, tree or ref points to.
	{"contents", check.LevelWrite}: unsure(write("POST", repo+"/git/blobs", `{}`, 422),
		"the repository is empty, and GitHub's Git database API refuses every request to an empty repository (409) before it reads the body", 409),

	{"pull_requests", check.LevelRead}:  get(repo+"/pulls?per_page=1", true),
	{"pull_requests", check.LevelWrite}: publicWrite("POST", repo+"/pulls", `{}`, 422), // no head or base: nothing can be opened

	{"issues", check.LevelRead}:  get(repo+"/issues?per_page=1", true),
	{"issues", check.LevelWrite}: publicWrite("POST", repo+"/issues", `{}`, 422), // no title: no issue can be opened (labels would also accept pull_requests)

	{"actions", check.LevelRead}:  get(repo+"/actions/artifacts?per_page=1", true),
	{"actions", check.LevelWrite}: write("POST", repo+"/actions/workflows/"+probeID+".yml/dispatches", `{}`, 404, 422), // no such workflow, and no ref

	{"administration", check.LevelRead}: get(repo+"/actions/permissions", false),
	// An invitation id that no invitation has, and an empty edit.
	{"administration", check.LevelWrite}: write("PATCH", repo+"/invitations/"+probeNumber, `{}`, 404, 422),

	{"secrets", check.LevelRead}: get(repo+"/actions/secrets?per_page=1", false),
	// A secret name GitHub's naming rules forbid (a hyphen): no secret has
	// it, so there is nothing to delete.
	{"secrets", check.LevelWrite}: write("DELETE", repo+"/actions/secrets/"+probeID, "", 404, 422),

	{"dependabot_secrets", check.LevelRead}:  get(repo+"/dependabot/secrets?per_page=1", false),
	{"dependabot_secrets", check.LevelWrite}: write("DELETE", repo+"/dependabot/secrets/"+probeID, "", 404, 422),

	{"actions_variables", check.LevelRead}:  get(repo+"/actions/variables?per_page=1", false),
	{"actions_variables", check.LevelWrite}: write("POST", repo+"/actions/variables", `{}`, 422), // no name or value

	{"repository_hooks", check.LevelRead}:  get(repo+"/hooks?per_page=1", false),
	{"repository_hooks", check.LevelWrite}: write("PATCH", repo+"/hooks/"+probeNumber, `{}`, 404, 422), // no such hook, and an empty edit

	{"statuses", check.LevelRead}: unsure(get(repo+"/commits/HEAD/statuses?per_page=1", true),
		"the repository has no commit to read statuses of", 404, 409, 422),
	{"statuses", check.LevelWrite}: write("POST", repo+"/statuses/"+zeroSHA, `{}`, 422), // no state, and no such commit

	{"deployments", check.LevelRead}:  get(repo+"/deployments?per_page=1", true),
	{"deployments", check.LevelWrite}: write("POST", repo+"/deployments", `{}`, 422), // no ref: nothing can be deployed

	{"pages", check.LevelRead}:  unsure(get(repo+"/pages", true), "the repository has no Pages site, and a 404 cannot tell that from a refusal", 404),
	{"pages", check.LevelWrite}: write("POST", repo+"/pages/deployments/"+probeID+"/cancel", `{}`, 404, 422),

	// environments covers an environment's secrets and variables (listing
	// the environments themselves is actions read). No environment has the
	// probe's name, so the read answers 404 when allowed, 403 when not; the
	// write is a variable without name or value, under that environment.
	{"environments", check.LevelRead}:  readByMissingID(repo + "/environments/" + probeID + "/variables?per_page=1"),
	{"environments", check.LevelWrite}: write("POST", repo+"/environments/"+probeID+"/variables", `{}`, 404, 422),

	// checks is a GitHub App and GITHUB_TOKEN permission: fine-grained
	// personal access tokens cannot hold it, so GitHub's fine-grained data
	// does not list it. The check-runs endpoints are the Checks API's own.
	{"checks", check.LevelRead}: unsure(get(repo+"/commits/HEAD/check-runs?per_page=1", true),
		"the repository has no commit to read check runs of", 404, 409, 422),
	{"checks", check.LevelWrite}: write("POST", repo+"/check-runs", `{}`, 422), // no name or head_sha

	{"workflows", check.LevelWrite}: unverifiable("the workflows permission is write-only and is used only by pushes that change workflow files; " +
		"no request can prove it without pushing"),
	// Discussions are served only by the GraphQL API, which GitHub's REST
	// data does not cover. first:1 asks for the least the connection gives;
	// totalCount is all that is read.
	{"discussions", check.LevelRead}: graphQL("query($owner: String!, $name: String!) "+
		"{ repository(owner: $owner, name: $name) { discussions(first: 1) { totalCount } } }", "repository", "discussions"),
	{"discussions", check.LevelWrite}: unverifiable("discussions are written only through GraphQL mutations, and pat-check sends none: " +
		"no mutation is known that fails safely"),

	{"members", check.LevelRead}:  get("orgs/{org}/teams?per_page=1", false),
	{"members", check.LevelWrite}: write("POST", "orgs/{org}/teams", `{}`, 422), // no name: no team can be created

	{"organization_administration", check.LevelRead}:       get("orgs/{org}/actions/permissions", false),
	{"organization_administration", check.LevelWrite}:      write("PATCH", "orgs/{org}/actions/hosted-runners/"+probeNumber, `{}`, 404, 422),
	{"organization_secrets", check.LevelRead}:              get("orgs/{org}/actions/secrets?per_page=1", false),
	{"organization_secrets", check.LevelWrite}:             write("DELETE", "orgs/{org}/actions/secrets/"+probeID, "", 404, 422),
	{"organization_self_hosted_runners", check.LevelRead}:  get("orgs/{org}/actions/runners?per_page=1", false),
	{"organization_self_hosted_runners", check.LevelWrite}: write("PATCH", "orgs/{org}/actions/runner-groups/"+probeNumber, `{}`, 404, 422),
	{"organization_hooks", check.LevelRead}:                get("orgs/{org}/hooks?per_page=1", false),
	{"organization_hooks", check.LevelWrite}:               write("PATCH", "orgs/{org}/hooks/"+probeNumber, `{}`, 404, 422),
	{"organization_actions_variables", check.LevelRead}:    get("orgs/{org}/actions/variables?per_page=1", false),
	{"organization_actions_variables", check.LevelWrite}:   write("PATCH", "orgs/{org}/actions/variables/"+probeID, `{}`, 404, 422),

	{"emails", check.LevelRead}:                       get("user/emails?per_page=1", false),
	{"emails", check.LevelWrite}:                      write("POST", "user/emails", `{}`, 422), // no emails: nothing can be added
	{"keys", check.LevelRead}:                         get("user/keys?per_page=1", false),
	{"keys", check.LevelWrite}:                        write("DELETE", "user/keys/"+noKey, "", 404),
	{"gpg_keys", check.LevelRead}:                     get("user/gpg_keys?per_page=1", false),
	{"gpg_keys", check.LevelWrite}:                    write("DELETE", "user/gpg_keys/"+noKey, "", 404),
	{"git_signing_ssh_public_keys", check.LevelRead}:  get("user/ssh_signing_keys?per_page=1", false),
	{"git_signing_ssh_public_keys", check.LevelWrite}: write("DELETE", "user/ssh_signing_keys/"+noKey, "", 404),
	{"followers", check.LevelRead}:                    get("user/followers?per_page=1", false),
	{"starring", check.LevelRead}:                     get("user/starred?per_page=1", false),
	{"watching", check.LevelRead}:                     get("user/subscriptions?per_page=1", false),

	// GITHUB_TOKEN's own permissions that no REST request proves.
	{"packages", check.LevelRead}: unverifiable("GitHub Packages takes GITHUB_TOKEN and classic tokens only, through the package registries " +
		"rather than the REST API's permission checks; no request is known that proves packages without using a registry"),
	{"packages", check.LevelWrite}: unverifiable("publishing to GitHub Packages is the only proof of packages write; no request is known that fails safely"),
	{"id_token", check.LevelWrite}: unverifiable("id-token lets a workflow ask the runner for an OpenID Connect token; " +
		"it is not a REST API permission, and no request by the token can show it"),
	{"models", check.LevelRead}: unverifiable("models is GitHub Models' inference permission, served outside the REST API; " +
		"no request is known that proves it without running a model"),
	{"repository_projects", check.LevelRead}: unverifiable("repository-projects covers classic projects, which GitHub has retired; " +
		"no request is known that proves it"),
	{"repository_projects", check.LevelWrite}: unverifiable("repository-projects covers classic projects, which GitHub has retired; " +
		"no request is known that proves it"),
	{"merge_queues", check.LevelWrite}: unverifiable("merge queues are written only through GraphQL mutations, and pat-check sends none"),
}

// RuleFor returns how a permission at a level is checked. A level with no
// probe of its own falls back to "unverified" with a reason.
func RuleFor(name string, level check.Level) ProbeRule {
	if r, ok := Probes[probeKey{name, level}]; ok {
		return r
	}
	if level == check.LevelAdmin {
		return unverifiable("no request is known that proves the admin level without using it")
	}
	return unverifiable("no probe is known for " + name + ":" + level.String())
}

// request names a REST probe's request for a target, for messages: the
// method and the path without its query.
func (p Probe) request(target string) string {
	return p.Method + " /" + strings.SplitN(p.Expand(target), "?", 2)[0]
}

// Expand fills a probe's path for a target: owner/repo for repository
// permissions, the organization for organization permissions. A GraphQL
// probe has no path: its target travels in its Payload.
func (p Probe) Expand(target string) string {
	owner, name, _ := strings.Cut(target, "/")
	return strings.NewReplacer("{owner}", owner, "{repo}", name, "{org}", target).Replace(p.Path)
}
