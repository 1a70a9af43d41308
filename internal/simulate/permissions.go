package simulate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/platformdata"
)

// maxBody is the most of a request body the simulator reads. A longer body
// is refused, and counted as a violation on a write route: what the
// simulator cannot read, it cannot prove harmless.
const maxBody = 1 << 20

// level is a fine-grained permission level; a higher level grants the lower
// ones.
type level int

const (
	levelNone level = iota
	levelRead
	levelWrite
	levelAdmin
)

func (l level) String() string {
	switch l {
	case levelRead:
		return "read"
	case levelWrite:
		return "write"
	case levelAdmin:
		return "admin"
	}
	return "none"
}

// levels are the values Token.Grants accepts, lower-cased.
var levels = map[string]level{"": levelNone, "none": levelNone, "read": levelRead, "write": levelWrite, "admin": levelAdmin}

// area is what a permission applies to, and where its target sits in the path.
type area int

const (
	areaRepo area = iota // repos/{owner}/{repo}/…, Grants key "owner/repo"
	areaOrg              // orgs/{org}/…, Grants key the organization login
	areaUser             // user/…, Grants key ""
)

// acceptedScopes is X-Accepted-OAuth-Scopes of each area's endpoints.
var acceptedScopes = map[area]string{
	areaRepo: "repo",
	areaOrg:  "admin:org, read:org, write:org",
	areaUser: "user",
}

// bodyState classifies a request body.
type bodyState int

const (
	bodyEmpty     bodyState = iota // none, blank, null or {}
	bodyObject                     // a JSON object with at least one member
	bodyNotObject                  // JSON, but not an object
	bodyInvalid                    // not JSON, or unreadable
	bodyTooLarge                   // longer than maxBody
)

// reqBody is a request body, read and parsed once.
type reqBody struct {
	state  bodyState
	fields map[string]any // bodyObject only
	kind   string         // JSON type of a bodyNotObject, for the message
	raw    string         // as received; empty for a bodyTooLarge
}

// readBody reads at most maxBody bytes of r's body and classifies them.
func readBody(r *http.Request) reqBody {
	if r.Body == nil {
		return reqBody{}
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	switch {
	case err != nil:
		return reqBody{state: bodyInvalid}
	case len(raw) > maxBody:
		return reqBody{state: bodyTooLarge}
	}
	b := parseBody(raw)
	b.raw = string(raw)
	return b
}

func parseBody(raw []byte) reqBody {
	if len(bytes.TrimSpace(raw)) == 0 {
		return reqBody{}
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return reqBody{state: bodyInvalid}
	}
	switch v := v.(type) {
	case nil:
		return reqBody{}
	case map[string]any:
		if len(v) == 0 {
			return reqBody{}
		}
		return reqBody{state: bodyObject, fields: v}
	case []any:
		return reqBody{state: bodyNotObject, kind: "an array"}
	case string:
		return reqBody{state: bodyNotObject, kind: "a string"}
	case bool:
		return reqBody{state: bodyNotObject, kind: "a boolean"}
	}
	return reqBody{state: bodyNotObject, kind: "a number"}
}

// has reports whether the body sets field to something other than null.
func (b reqBody) has(field string) bool {
	v, ok := b.fields[field]
	return ok && v != nil
}

// missing lists the fields the body does not set.
func (b reqBody) missing(fields ...string) []string {
	var out []string
	for _, f := range fields {
		if !b.has(f) {
			out = append(out, f)
		}
	}
	return out
}

// names lists the body's members, sorted, for violation messages.
func (b reqBody) names() string {
	keys := make([]string, 0, len(b.fields))
	for k := range b.fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return strings.Join(keys, ", ")
}

// outcome is how a write route answers a token that holds its permission.
type outcome struct {
	status   int
	message  string   // error statuses
	resource string   // with missing: a 422 Validation Failed
	missing  []string // fields whose absence makes the request fail
	body     any      // 2xx
	violate  string   // what the request could change on a real GitHub; "" = nothing
}

// route is one endpoint guarded by a fine-grained permission.
type route struct {
	area   area
	method string
	// path are the segments after the target; "*" matches any one
	// non-empty segment (a name, an id, a SHA).
	path []string
	// perms are the permissions any one of which opens the route, and need
	// the level it takes. Both come from GitHub's own data (platformdata,
	// see routeFromData) for every route the data lists; a route it does not
	// list sets them here and says why in notInData.
	perms     []string
	need      level
	notInData string
	// gitDB marks the Git database API, which answers 409 for an empty
	// repository before it reads the body.
	gitDB bool
	// public marks public data of public repositories, readable by any
	// valid token whatever its grant.
	public bool
	doc    string
	// role is the least role on the repository an account needs for the
	// route ("" = any); a personal token of an account below it gets 404.
	role string
	// read answers an allowed GET; wild holds the "*" segments.
	read func(h http.Header, rp *repo, wild []string, doc string) answer
	// write decides a non-GET request as GitHub would for a token holding
	// the permission. It must not depend on the simulator's state: the
	// violation it reports is a property of the request alone.
	write func(b reqBody, wild []string) outcome
}

func (rt *route) isWrite() bool { return rt.method != http.MethodGet }

// Documentation links of the permission routes.
const (
	docsCommits           = "https://docs.github.com/rest/commits/commits#list-commits"
	docsPulls             = "https://docs.github.com/rest/pulls/pulls"
	docsIssues            = "https://docs.github.com/rest/issues/issues#list-repository-issues"
	docsLabels            = "https://docs.github.com/rest/issues/labels#update-a-label"
	docsArtifacts         = "https://docs.github.com/rest/actions/artifacts#list-artifacts-for-a-repository"
	docsDispatch          = "https://docs.github.com/rest/actions/workflows#create-a-workflow-dispatch-event"
	docsActionsPerms      = "https://docs.github.com/rest/actions/permissions"
	docsSecrets           = "https://docs.github.com/rest/actions/secrets"
	docsVariables         = "https://docs.github.com/rest/actions/variables"
	docsHooks             = "https://docs.github.com/rest/repos/webhooks"
	docsOrgHooks          = "https://docs.github.com/rest/orgs/webhooks"
	docsStatuses          = "https://docs.github.com/rest/commits/statuses"
	docsDeployments       = "https://docs.github.com/rest/deployments/deployments"
	docsPages             = "https://docs.github.com/rest/pages/pages"
	docsEnvironments      = "https://docs.github.com/rest/deployments/environments#list-environments"
	docsChecks            = "https://docs.github.com/rest/checks/runs"
	docsTeams             = "https://docs.github.com/rest/teams/teams"
	docsRunners           = "https://docs.github.com/rest/actions/self-hosted-runners#list-self-hosted-runners-for-an-organization"
	docsEmails            = "https://docs.github.com/rest/users/emails#list-email-addresses-for-the-authenticated-user"
	docsKeys              = "https://docs.github.com/rest/users/keys#list-public-ssh-keys-for-the-authenticated-user"
	docsGPGKeys           = "https://docs.github.com/rest/users/gpg-keys#list-gpg-keys-for-the-authenticated-user"
	docsFollowers         = "https://docs.github.com/rest/users/followers#list-followers-of-the-authenticated-user"
	docsStarring          = "https://docs.github.com/rest/activity/starring#list-repositories-starred-by-the-authenticated-user"
	docsWatching          = "https://docs.github.com/rest/activity/watching#list-repositories-watched-by-the-authenticated-user"
	docsSigningKeys       = "https://docs.github.com/rest/users/ssh-signing-keys#list-ssh-signing-keys-for-the-authenticated-user"
	docsBlobs             = "https://docs.github.com/rest/git/blobs#create-a-blob"
	docsEnvVariables      = "https://docs.github.com/rest/actions/variables#create-an-environment-variable"
	docsInvitations       = "https://docs.github.com/rest/collaborators/invitations#update-a-repository-invitation"
	docsHostedRunners     = "https://docs.github.com/rest/actions/hosted-runners#update-a-github-hosted-runner-for-an-organization"
	docsRunnerGroups      = "https://docs.github.com/rest/actions/self-hosted-runner-groups#update-a-self-hosted-runner-group-for-an-organization"
	docsDependabotSecrets = "https://docs.github.com/rest/dependabot/secrets"
)

// Answers of the read routes.

func emptyList(h http.Header, _ *repo, _ []string, _ string) answer {
	return answer{status: http.StatusOK, header: h, body: []any{}}
}

// wrapped answers a listing GitHub wraps in an object with a total count.
func wrapped(key string) func(http.Header, *repo, []string, string) answer {
	return func(h http.Header, _ *repo, _ []string, _ string) answer {
		return answer{status: http.StatusOK, header: h, body: map[string]any{"total_count": 0, key: []any{}}}
	}
}

func object(v any) func(http.Header, *repo, []string, string) answer {
	return func(h http.Header, _ *repo, _ []string, _ string) answer {
		return answer{status: http.StatusOK, header: h, body: v}
	}
}

func commitsAnswer(h http.Header, rp *repo, _ []string, doc string) answer {
	if rp.empty {
		return errorAnswer(h, http.StatusConflict, "Git Repository is empty.", doc)
	}
	return answer{status: http.StatusOK, header: h, body: []any{}}
}

// noCommit answers a read about a commit: the simulator has none.
// noCommit answers a read about one commit: the simulator has no commits,
// but a non-empty repository resolves HEAD (to an empty list of results).
func noCommit(h http.Header, rp *repo, wild []string, doc string) answer {
	if strings.EqualFold(wild[0], "HEAD") && !rp.empty {
		return answer{status: http.StatusOK, header: h, body: map[string]any{"total_count": 0, "statuses": []any{}, "check_runs": []any{}}}
	}
	if rp.empty {
		return errorAnswer(h, http.StatusConflict, "Git Repository is empty.", doc)
	}
	return errorAnswer(h, http.StatusNotFound, "No commit found for SHA: "+wild[0], doc)
}

func pagesAnswer(h http.Header, rp *repo, _ []string, doc string) answer {
	if !rp.pages {
		return errorAnswer(h, http.StatusNotFound, "Not Found", doc)
	}
	return answer{status: http.StatusOK, header: h, body: map[string]any{
		"url":        "https://api.github.com/repos/" + rp.fullName() + "/pages",
		"status":     "built",
		"cname":      nil,
		"custom_404": false,
		"html_url":   "https://" + strings.ToLower(rp.owner) + ".github.io/" + rp.name + "/",
		"build_type": "workflow",
		"public":     !rp.private,
	}}
}

// Decisions of the write routes.

// notFound answers a write aimed at a resource the simulator does not have;
// a body with members could have changed it on a real GitHub, where it
// might exist.
func notFound(what string) func(reqBody, []string) outcome {
	return func(b reqBody, _ []string) outcome {
		o := outcome{status: http.StatusNotFound, message: "Not Found"}
		if b.state == bodyObject {
			o.violate = fmt.Sprintf("the body sets %s, which would edit %s wherever it exists", b.names(), what)
		}
		return o
	}
}

// created answers a request that GitHub validates for required fields and
// otherwise carries out.
func created(resource, what string, body any, required ...string) func(reqBody, []string) outcome {
	return func(b reqBody, _ []string) outcome {
		if m := b.missing(required...); len(m) > 0 {
			return outcome{status: http.StatusUnprocessableEntity, message: "Validation Failed", resource: resource, missing: m}
		}
		return outcome{status: http.StatusCreated, body: body,
			violate: fmt.Sprintf("the body sets %s, so it would %s", strings.Join(required, " and "), what)}
	}
}

func dispatch(b reqBody, _ []string) outcome {
	o := outcome{status: http.StatusNotFound, message: "Not Found"}
	if b.has("ref") {
		o.violate = "the body sets ref, so it would start the workflow wherever it exists"
	}
	return o
}

func createStatus(b reqBody, wild []string) outcome {
	o := outcome{status: http.StatusUnprocessableEntity, message: "No commit found for SHA: " + wild[0]}
	if b.has("state") {
		o.violate = "the body sets state, so it would set a commit status wherever the commit exists"
	}
	return o
}

// cancelPages cancels a Pages deployment, named by its numeric id or its
// commit SHA: an id of that shape may exist on a real GitHub.
func cancelPages(_ reqBody, wild []string) outcome {
	o := outcome{status: http.StatusNotFound, message: "Not Found"}
	if couldNameDeployment(wild[0]) {
		o.violate = fmt.Sprintf("%q could name a real Pages deployment, which this would cancel", wild[0])
	}
	return o
}

// noEnvironment answers a read under an environment: the simulator has none.
func noEnvironment(h http.Header, _ *repo, _ []string, doc string) answer {
	return errorAnswer(h, http.StatusNotFound, "Not Found", doc)
}

// envVariable creates a variable under an environment; the simulator has no
// environment, but one of that name may exist on a real GitHub, where a body
// with a name and a value would create the variable.
func envVariable(b reqBody, _ []string) outcome {
	o := outcome{status: http.StatusNotFound, message: "Not Found"}
	if len(b.missing("name", "value")) == 0 {
		o.violate = "the body sets name and value, so it would create a variable wherever the environment exists"
	}
	return o
}

// deleteNothing answers a DELETE of a resource the simulator does not have;
// a name or id that could exist on a real GitHub could delete something.
func deleteNothing(what string, couldExist func(string) bool) func(reqBody, []string) outcome {
	return func(_ reqBody, wild []string) outcome {
		o := outcome{status: http.StatusNotFound, message: "Not Found"}
		if couldExist(wild[0]) {
			o.violate = fmt.Sprintf("%q could name a real %s, which this would delete", wild[0], strings.TrimPrefix(what, "the "))
		}
		return o
	}
}

// couldNameSecret reports whether GitHub's naming rules allow a secret
// named s: letters, digits and underscores, not starting with a digit.
func couldNameSecret(s string) bool {
	if s == "" || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	return strings.Trim(strings.ToLower(s), "abcdefghijklmnopqrstuvwxyz0123456789_") == ""
}

// couldNameKey reports whether s could be a key's id: a positive number.
func couldNameKey(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == "" && strings.Trim(s, "0") != ""
}

func couldNameDeployment(id string) bool {
	return id != "" && strings.Trim(strings.ToLower(id), "0123456789abcdef") == ""
}

// appOnlyChecks says why the checks routes are not in GitHub's data.
const appOnlyChecks = "checks is a GitHub App and GITHUB_TOKEN permission: fine-grained personal access tokens cannot hold it, and GitHub's data covers only those"

// routes are the endpoints of the fine-grained permissions, as the probes
// of internal/provider/github use them (reads, and writes designed to fail).
var routes = []route{
	{area: areaRepo, method: "GET", path: []string{"commits"}, public: true, doc: docsCommits, read: commitsAnswer},
	{area: areaRepo, method: "GET", path: []string{"pulls"}, public: true, doc: docsPulls, read: emptyList},
	{area: areaRepo, method: "GET", path: []string{"issues"}, public: true, doc: docsIssues, read: emptyList},
	{area: areaRepo, method: "GET", path: []string{"actions", "artifacts"}, public: true, doc: docsArtifacts, read: wrapped("artifacts")},
	{area: areaRepo, method: "GET", path: []string{"actions", "permissions"}, doc: docsActionsPerms,
		read: object(map[string]any{"enabled": true, "allowed_actions": "all"})},
	{area: areaRepo, method: "GET", path: []string{"actions", "secrets"}, doc: docsSecrets, read: wrapped("secrets")},
	{area: areaRepo, method: "GET", path: []string{"actions", "variables"}, doc: docsVariables, read: wrapped("variables")},
	{area: areaRepo, method: "GET", path: []string{"hooks"}, role: "admin", doc: docsHooks, read: emptyList},
	{area: areaRepo, method: "GET", path: []string{"commits", "*", "statuses"}, public: true, doc: docsStatuses, read: noCommit},
	{area: areaRepo, method: "GET", path: []string{"deployments"}, public: true, doc: docsDeployments, read: emptyList},
	{area: areaRepo, method: "GET", path: []string{"pages"}, public: true, doc: docsPages, read: pagesAnswer},
	{area: areaRepo, method: "GET", path: []string{"environments"}, public: true, doc: docsEnvironments, read: wrapped("environments")},
	{area: areaRepo, method: "GET", path: []string{"environments", "*", "variables"}, doc: docsEnvVariables, read: noEnvironment},
	{area: areaRepo, method: "GET", path: []string{"dependabot", "secrets"}, doc: docsDependabotSecrets, read: wrapped("secrets")},
	{area: areaRepo, method: "GET", path: []string{"commits", "*", "check-runs"}, perms: []string{"checks"}, need: levelRead, notInData: appOnlyChecks, public: true, doc: docsChecks, read: noCommit},

	{area: areaRepo, method: "POST", path: []string{"pulls"}, doc: docsPulls,
		write: created("PullRequest", "open a pull request", map[string]any{"number": 1, "state": "open"}, "head", "base")},
	{area: areaRepo, method: "PATCH", path: []string{"labels", "*"}, doc: docsLabels, write: notFound("the label")},
	{area: areaRepo, method: "POST", path: []string{"issues"}, doc: docsIssues,
		write: created("Issue", "open an issue", map[string]any{"number": 1}, "title")},
	{area: areaRepo, method: "POST", path: []string{"labels"}, doc: docsLabels,
		write: created("Label", "create a label", map[string]any{"id": 1}, "name")},
	{area: areaRepo, method: "POST", path: []string{"actions", "variables"}, doc: docsVariables,
		write: created("Variable", "create a variable", map[string]any{}, "name", "value")},
	{area: areaRepo, method: "POST", path: []string{"actions", "workflows", "*", "dispatches"}, doc: docsDispatch, write: dispatch},
	{area: areaRepo, method: "PATCH", path: []string{"actions", "variables", "*"}, doc: docsVariables, write: notFound("the variable")},
	{area: areaRepo, method: "PATCH", path: []string{"hooks", "*"}, role: "admin", doc: docsHooks, write: notFound("the webhook")},
	{area: areaRepo, method: "POST", path: []string{"statuses", "*"}, doc: docsStatuses, write: createStatus},
	{area: areaRepo, method: "POST", path: []string{"deployments"}, doc: docsDeployments,
		write: created("Deployment", "create a deployment", map[string]any{"id": 1}, "ref")},
	{area: areaRepo, method: "POST", path: []string{"pages", "deployments", "*", "cancel"}, doc: docsPages, write: cancelPages},
	{area: areaRepo, method: "POST", path: []string{"git", "blobs"}, gitDB: true, doc: docsBlobs,
		write: created("Blob", "store a blob", map[string]any{"sha": "95d09f2b10159347eece71399a7e2e907ea3df4f"}, "content")},
	{area: areaRepo, method: "POST", path: []string{"environments", "*", "variables"}, doc: docsEnvVariables, write: envVariable},
	{area: areaRepo, method: "DELETE", path: []string{"actions", "secrets", "*"}, doc: docsSecrets, write: deleteNothing("the secret", couldNameSecret)},
	{area: areaRepo, method: "DELETE", path: []string{"dependabot", "secrets", "*"}, doc: docsDependabotSecrets, write: deleteNothing("the secret", couldNameSecret)},
	{area: areaRepo, method: "PATCH", path: []string{"invitations", "*"}, role: "admin", doc: docsInvitations, write: notFound("the invitation")},
	{area: areaRepo, method: "POST", path: []string{"check-runs"}, perms: []string{"checks"}, need: levelWrite, notInData: appOnlyChecks, doc: docsChecks,
		write: created("CheckRun", "create a check run", map[string]any{"id": 1, "status": "queued"}, "name", "head_sha")},

	{area: areaOrg, method: "GET", path: []string{"teams"}, doc: docsTeams, read: emptyList},
	{area: areaOrg, method: "GET", path: []string{"actions", "permissions"}, doc: docsActionsPerms,
		read: object(map[string]any{"enabled_repositories": "all", "allowed_actions": "all"})},
	{area: areaOrg, method: "GET", path: []string{"actions", "secrets"}, doc: docsSecrets, read: wrapped("secrets")},
	{area: areaOrg, method: "GET", path: []string{"actions", "runners"}, doc: docsRunners, read: wrapped("runners")},
	{area: areaOrg, method: "GET", path: []string{"hooks"}, doc: docsOrgHooks, read: emptyList},
	{area: areaOrg, method: "GET", path: []string{"actions", "variables"}, doc: docsVariables, read: wrapped("variables")},

	{area: areaOrg, method: "PATCH", path: []string{"teams", "*"}, doc: docsTeams, write: notFound("the team")},
	{area: areaOrg, method: "POST", path: []string{"teams"}, doc: docsTeams,
		write: created("Team", "create a team", map[string]any{"id": 1}, "name")},
	{area: areaOrg, method: "POST", path: []string{"actions", "variables"}, doc: docsVariables,
		write: created("Variable", "create a variable", map[string]any{}, "name", "value", "visibility")},
	{area: areaOrg, method: "DELETE", path: []string{"actions", "secrets", "*"}, doc: docsSecrets, write: deleteNothing("the secret", couldNameSecret)},
	{area: areaOrg, method: "PATCH", path: []string{"actions", "hosted-runners", "*"}, doc: docsHostedRunners, write: notFound("the hosted runner")},
	{area: areaOrg, method: "PATCH", path: []string{"actions", "runner-groups", "*"}, doc: docsRunnerGroups, write: notFound("the runner group")},
	{area: areaOrg, method: "PATCH", path: []string{"hooks", "*"}, doc: docsOrgHooks, write: notFound("the webhook")},
	{area: areaOrg, method: "PATCH", path: []string{"actions", "variables", "*"}, doc: docsVariables, write: notFound("the variable")},

	{area: areaUser, method: "GET", path: []string{"emails"}, doc: docsEmails, read: emptyList},
	{area: areaUser, method: "GET", path: []string{"keys"}, doc: docsKeys, read: emptyList},
	{area: areaUser, method: "GET", path: []string{"gpg_keys"}, doc: docsGPGKeys, read: emptyList},
	{area: areaUser, method: "GET", path: []string{"followers"}, doc: docsFollowers, read: emptyList},
	{area: areaUser, method: "GET", path: []string{"starred"}, doc: docsStarring, read: emptyList},
	{area: areaUser, method: "GET", path: []string{"subscriptions"}, doc: docsWatching, read: emptyList},
	{area: areaUser, method: "GET", path: []string{"ssh_signing_keys"}, doc: docsSigningKeys, read: emptyList},
	{area: areaUser, method: "POST", path: []string{"emails"}, doc: docsEmails,
		write: created("Email", "add an e-mail address", []any{}, "emails")},
	{area: areaUser, method: "DELETE", path: []string{"keys", "*"}, doc: docsKeys, write: deleteNothing("the key", couldNameKey)},
	{area: areaUser, method: "DELETE", path: []string{"gpg_keys", "*"}, doc: docsGPGKeys, write: deleteNothing("the key", couldNameKey)},
	{area: areaUser, method: "DELETE", path: []string{"ssh_signing_keys", "*"}, doc: docsSigningKeys, write: deleteNothing("the key", couldNameKey)},
}

func init() {
	for i := range routes {
		routeFromData(&routes[i])
	}
}

// routeFromData sets a route's permissions and level from GitHub's own data
// (platformdata): the permissions that gate its endpoint there, at the level
// the data gives. A route the data does not list must say why (notInData)
// and set both itself. A route that disagrees with the data cannot be built.
func routeFromData(rt *route) {
	prefix := map[area]string{areaRepo: "/repos/octo/app/", areaOrg: "/orgs/octo/", areaUser: "/user/"}[rt.area]
	seg := make([]string, len(rt.path))
	for i, p := range rt.path {
		seg[i] = p
		if p == "*" {
			seg[i] = "x"
		}
	}
	rows := platformdata.Gating(rt.method, prefix+strings.Join(seg, "/"))
	switch {
	case len(rows) == 0 && rt.notInData == "":
		panic(fmt.Sprintf("simulate: %s %v is not in GitHub's permission data and does not say why", rt.method, rt.path))
	case len(rows) == 0:
		return
	case rt.notInData != "":
		panic(fmt.Sprintf("simulate: %s %v is in GitHub's permission data; drop notInData", rt.method, rt.path))
	}
	rt.perms, rt.need = nil, levelNone
	for _, e := range rows {
		if !slices.Contains(rt.perms, e.Permission) {
			rt.perms = append(rt.perms, e.Permission)
		}
		rt.need = max(rt.need, levels[e.Access])
	}
}

// match finds the route of a method and path (split on "/", base path
// removed). target is owner and repo, the org, or nothing; wild holds the
// segments that matched "*".
func match(method string, seg []string) (rt *route, target, wild []string) {
	var a area
	var rest []string
	switch {
	case len(seg) >= 4 && seg[0] == "repos" && seg[1] != "" && seg[2] != "":
		a, target, rest = areaRepo, seg[1:3], seg[3:]
	case len(seg) >= 3 && seg[0] == "orgs" && seg[1] != "":
		a, target, rest = areaOrg, seg[1:2], seg[2:]
	case len(seg) >= 2 && seg[0] == "user":
		a, rest = areaUser, seg[1:]
	default:
		return nil, nil, nil
	}
	for i := range routes {
		r := &routes[i]
		if r.area != a || r.method != method || len(r.path) != len(rest) {
			continue
		}
		if w, ok := matchPath(r.path, rest); ok {
			return r, target, w
		}
	}
	return nil, nil, nil
}

// matchPath matches segments against a pattern where "*" stands for any
// one non-empty segment, and returns those segments.
func matchPath(pattern, seg []string) ([]string, bool) {
	var wild []string
	for i, p := range pattern {
		switch {
		case p == "*" && seg[i] != "":
			wild = append(wild, seg[i])
		case p != seg[i]:
			return nil, false
		}
	}
	return wild, true
}

// safeMethod reports whether HTTP defines method as safe: such a request
// cannot change anything.
func safeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// judge returns the violation a request commits, or "": a non-GET request
// that could change something on a real GitHub for a token holding every
// permission. It depends only on the method, path and body, never on the
// token, the setup or the faults, so that no failure elsewhere hides one.
// path is without the base path; full is the path as received.
func judge(method, path, full string, b reqBody) string {
	if safeMethod(method) {
		return ""
	}
	rt, _, wild := match(method, splitPath(path))
	if rt == nil {
		return method + " " + full + ": a write the simulator cannot prove harmless"
	}
	switch b.state {
	case bodyTooLarge:
		return fmt.Sprintf("%s %s: a body over %d bytes, which the simulator cannot read nor prove harmless", method, full, maxBody)
	case bodyInvalid, bodyNotObject:
		return "" // GitHub refuses the body before acting on it
	}
	if v := rt.write(b, wild).violate; v != "" {
		return method + " " + full + ": " + v
	}
	return ""
}

func splitPath(path string) []string { return strings.Split(strings.TrimPrefix(path, "/"), "/") }

// grantsModel reports whether a token holds fine-grained permissions
// (Grants) rather than OAuth scopes: fine-grained and installation tokens,
// and any token without a scope list.
func grantsModel(t Token) bool { return t.FineGrained || t.Installation || t.Scopes == nil }

// holds is the level a token holds for a route on its target: the best of
// the route's permissions. rp is the repository for areaRepo; key is the
// Grants key (lower-cased).
func holds(t Token, rt *route, key string, rp *repo) level {
	best := levelNone
	for _, p := range rt.perms {
		if grantsModel(t) {
			best = max(best, levels[t.Grants[key][p]])
			if rt.area == areaRepo && p == "metadata" {
				best = max(best, levelRead)
			}
			continue
		}
		for _, s := range t.Scopes {
			best = max(best, scopeGrants(strings.ToLower(strings.TrimSpace(s)), rt.area, p, rp))
		}
	}
	return best
}

// scopeGrants is the level an OAuth scope gives a permission, following the
// scope hierarchy (repo ⊃ repo:status, repo_deployment, public_repo; admin:org
// ⊃ write:org ⊃ read:org; user ⊃ read:user, user:email, user:follow; …).
func scopeGrants(scope string, a area, perm string, rp *repo) level {
	switch a {
	case areaRepo:
		switch {
		case scope == "repo", scope == "public_repo" && !rp.private:
			return levelWrite
		case scope == "repo:status" && perm == "statuses",
			scope == "repo_deployment" && perm == "deployments",
			scope == "workflow" && perm == "workflows",
			(scope == "admin:repo_hook" || scope == "write:repo_hook") && perm == "repository_hooks":
			return levelWrite
		case scope == "read:repo_hook" && perm == "repository_hooks":
			return levelRead
		}
	case areaOrg:
		switch {
		case scope == "admin:org",
			scope == "write:org" && perm == "members",
			scope == "admin:org_hook" && perm == "organization_hooks":
			return levelWrite
		case scope == "write:org", scope == "read:org":
			return levelRead
		}
	case areaUser:
		keys := perm == "keys"
		switch {
		case scope == "user",
			scope == "user:follow" && perm == "followers",
			(scope == "admin:public_key" || scope == "write:public_key") && keys,
			(scope == "admin:gpg_key" || scope == "write:gpg_key") && perm == "gpg_keys":
			return levelWrite
		case scope == "read:user",
			scope == "user:email" && perm == "emails",
			scope == "read:public_key" && keys,
			scope == "read:gpg_key" && perm == "gpg_keys":
			return levelRead
		}
	}
	return levelNone
}

// acceptedPermissions is X-Accepted-GitHub-Permissions for a route at a
// level: one set per alternative permission.
func acceptedPermissions(rt *route, l level) string {
	sets := make([]string, len(rt.perms))
	for i, p := range rt.perms {
		sets[i] = p + "=" + l.String()
	}
	return strings.Join(sets, "; ")
}

// notAccessible is the 403 of a token that lacks the permission.
func notAccessible(h http.Header, t Token, rt *route, need level) answer {
	h.Set("X-Accepted-GitHub-Permissions", acceptedPermissions(rt, need))
	who := "personal access token"
	if t.Installation {
		who = "integration"
	}
	return errorAnswer(h, http.StatusForbidden, "Resource not accessible by "+who, rt.doc)
}

// roleRanks orders the roles an account can have on a repository.
var roleRanks = map[string]int{"read": 1, "triage": 2, "write": 3, "maintain": 4, "admin": 5}

// hasRole reports whether the token's account has at least role on the
// repository ("" needs none; an unlisted repository is the account's own).
func hasRole(t Token, fullName, role string) bool {
	if role == "" {
		return true
	}
	for name, r := range t.Roles {
		if strings.EqualFold(name, fullName) {
			return roleRanks[strings.ToLower(r)] >= roleRanks[role]
		}
	}
	return true
}

// permitted answers a request to a permission route, after authentication:
// the target first (existence, organization policies, SSO, reachability),
// then the permission, then the request itself.
func (g *GitHub) permitted(h http.Header, t Token, rt *route, target, wild []string, b reqBody, now time.Time) answer {
	if t.Scopes != nil {
		h.Set("X-Accepted-OAuth-Scopes", acceptedScopes[rt.area])
	}
	var rp *repo
	key := ""
	switch rt.area {
	case areaRepo:
		var refused *answer
		if rp, refused = g.reachRepo(h, t, target[0], target[1], now, rt.doc); refused != nil {
			return *refused
		}
		// A public repository of an SSO organization stays readable, but
		// writing to it needs the token's SSO authorization.
		if o, isOrg := g.orgs[strings.ToLower(rp.owner)]; isOrg && rt.isWrite() && needsSSO(o, t) {
			return ssoAnswer(h, o, t)
		}
		key = strings.ToLower(rp.fullName())
		if !t.Installation && !hasRole(t, rp.fullName(), rt.role) {
			return errorAnswer(h, http.StatusNotFound, "Not Found", rt.doc)
		}
	case areaOrg:
		o, refused := g.reachOrg(h, t, target[0], now, rt.doc)
		if refused != nil {
			return *refused
		}
		key = strings.ToLower(o.Login)
	}

	need := rt.need
	if grantsModel(t) {
		// Sent to fine-grained permission actors on every answer.
		h.Set("X-Accepted-GitHub-Permissions", acceptedPermissions(rt, need))
	}
	held := holds(t, rt, key, rp)
	if !rt.isWrite() {
		if held < need && !(rt.public && rp != nil && !rp.private) {
			return notAccessible(h, t, rt, need)
		}
		return rt.read(h, rp, wild, rt.doc)
	}
	if held < need {
		return notAccessible(h, t, rt, need)
	}
	if rt.gitDB && rp != nil && rp.empty {
		return errorAnswer(h, http.StatusConflict, "Git Repository is empty.", rt.doc)
	}
	switch b.state {
	case bodyTooLarge:
		return errorAnswer(h, http.StatusRequestEntityTooLarge, "Payload too large", rt.doc)
	case bodyInvalid:
		return errorAnswer(h, http.StatusBadRequest, "Problems parsing JSON", rt.doc)
	case bodyNotObject:
		return errorAnswer(h, http.StatusUnprocessableEntity,
			fmt.Sprintf("Invalid request.\n\nThe body is %s, not an object.", b.kind), rt.doc)
	}
	o := rt.write(b, wild)
	switch {
	case o.status < 300:
		return answer{status: o.status, header: h, body: o.body}
	case len(o.missing) > 0:
		return validationFailed(h, o.resource, o.missing, rt.doc)
	}
	return errorAnswer(h, o.status, o.message, rt.doc)
}

// unrouted answers a non-GET request no route knows: 404, or 400 and 413
// for a body GitHub could not read.
func unrouted(h http.Header, b reqBody) answer {
	switch b.state {
	case bodyInvalid:
		return errorAnswer(h, http.StatusBadRequest, "Problems parsing JSON", docsRoot)
	case bodyTooLarge:
		return errorAnswer(h, http.StatusRequestEntityTooLarge, "Payload too large", docsRoot)
	}
	return errorAnswer(h, http.StatusNotFound, "Not Found", docsRoot)
}

type fieldError struct {
	Resource string `json:"resource"`
	Code     string `json:"code"`
	Field    string `json:"field"`
}

func validationFailed(h http.Header, resource string, missing []string, doc string) answer {
	errs := make([]fieldError, len(missing))
	for i, f := range missing {
		errs[i] = fieldError{Resource: resource, Code: "missing_field", Field: f}
	}
	return answer{status: http.StatusUnprocessableEntity, header: h, body: struct {
		Message          string       `json:"message"`
		Errors           []fieldError `json:"errors"`
		DocumentationURL string       `json:"documentation_url"`
		Status           string       `json:"status"`
	}{"Validation Failed", errs, doc, "422"}}
}

// cloneGrants copies grants with lower-cased targets, permissions and
// levels. It panics on a level other than read, write, admin or none.
func cloneGrants(grants map[string]map[string]string) map[string]map[string]string {
	if grants == nil {
		return nil
	}
	out := make(map[string]map[string]string, len(grants))
	for target, perms := range grants {
		target = strings.ToLower(strings.TrimSpace(target))
		if out[target] == nil {
			out[target] = map[string]string{}
		}
		for name, lv := range perms {
			lv = strings.ToLower(strings.TrimSpace(lv))
			if _, ok := levels[lv]; !ok {
				panic(fmt.Sprintf("simulate: AddToken: grant %s on %q has level %q, not read, write or admin", name, target, lv))
			}
			name = strings.ToLower(strings.TrimSpace(name))
			if levels[lv] > levels[out[target][name]] {
				out[target][name] = lv
			}
		}
	}
	return out
}
