package needs

import (
	"github.com/pat-check/pat-check/internal/check"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// Row is one piece of knowledge: how a step that uses a token is
// recognised, and what it needs of the token, with the documented source
// of that knowledge. Exactly one matcher is set: Action, Command or Path.
type Row struct {
	// Rule names the row in the output ("actions/checkout", "gh pr create").
	Rule string
	// Platform is the platform whose token the step uses; GitHub when
	// empty (see platform), which most rows are.
	Platform check.Platform

	// Action is an action's owner/name (lower case, without @ref).
	Action string
	// Inputs are the inputs that carry the token; "env:NAME" is a token
	// the action reads from its step's environment.
	Inputs []string
	// DefaultToken: the token input defaults to the workflow's GITHUB_TOKEN.
	DefaultToken bool
	// Registry, for login actions: the row applies only when the registry
	// input names this host.
	Registry string
	// RepoInput is the input that names another repository (owner/name),
	// which becomes a target of the permissions.
	RepoInput string
	// Persists: the action leaves the token in the checkout's git
	// configuration, where later git commands of the job find it.
	Persists bool
	// PushesCheckout: the action pushes with the credentials an earlier
	// checkout persisted, not with a token of its own.
	PushesCheckout bool
	// Produces: the action's output "token" is a token; later steps using
	// steps.ID.outputs.token are counted as uses of it.
	Produces bool

	// Versions are the action's versions the row applies to: "<v7",
	// "<=v2.5.2", "v2.5.3+", "v1.7.0-v1.x", "v6" (that major); empty for
	// all. A ref that is no version (a branch, a SHA) is the newest.
	Versions string
	// RepoDefault is the repository the action writes to when RepoInput
	// names none.
	RepoDefault string
	// NotInputs are inputs that carry a credential that is no token (a
	// deploy key, an app's private key).
	NotInputs []string
	// AzureToken: the action takes an Azure DevOps token (Scopes are
	// Azure DevOps scopes), though it runs in a GitHub workflow.
	AzureToken bool
	// NotToken: the action takes no GitHub or Azure DevOps token; every
	// secret it is given goes where this says.
	NotToken string
	// Resolve names how the step's own inputs say what it does with the
	// token: "script" (actions/github-script's calls), "route"
	// (octokit/request-action's request).
	Resolve string
	// Workflow are the GITHUB_TOKEN permissions in the workflow's form
	// when they are not Permissions (packages, id-token, attestations).
	Workflow []string

	// Command is a command line's leading words: gh pr create, git push.
	Command []string

	// Method and Path match a REST request (curl, gh api): Path is the part
	// after the API's base (GitHub) or from "_apis" on (Azure DevOps), with
	// "*" for one segment and a final "**" for any rest.
	Method string
	Path   string

	// Scopes are classic scopes (GitHub) or Azure DevOps scopes.
	Scopes []string
	// Permissions are fine-grained permissions as name:level.
	Permissions []string
	// Workflows: a step that may push workflow files also needs the
	// workflow scope and workflows:write when the job touches
	// .github/workflows.
	Workflows bool
	// Unknown says why the needs cannot be known from the file.
	Unknown string
	// Note is a caveat shown with the row's needs.
	Note string

	// Source is where the knowledge comes from: the action's README or
	// action.yml, GitHub's or Microsoft's documentation.
	Source string
}

// platform is the platform whose token the row's step uses: the rows leave
// Platform empty for GitHub.
func (r Row) platform() check.Platform {
	if r.Platform == "" {
		return ghplatform.Platform
	}
	return r.Platform
}

const (
	restRepos   = "https://docs.github.com/en/rest/repos/repos"
	restPulls   = "https://docs.github.com/en/rest/pulls/pulls#create-a-pull-request"
	restMerge   = "https://docs.github.com/en/rest/pulls/pulls#merge-a-pull-request"
	restIssues  = "https://docs.github.com/en/rest/issues/issues#create-an-issue"
	restCommnt  = "https://docs.github.com/en/rest/issues/comments#create-an-issue-comment"
	restRels    = "https://docs.github.com/en/rest/releases/releases#create-a-release"
	restAssets  = "https://docs.github.com/en/rest/releases/assets"
	restDisp    = "https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event"
	restRuns    = "https://docs.github.com/en/rest/actions/workflow-runs"
	restSecret  = "https://docs.github.com/en/rest/actions/secrets#create-or-update-a-repository-secret"
	restVars    = "https://docs.github.com/en/rest/actions/variables#create-a-repository-variable"
	restLabels  = "https://docs.github.com/en/rest/issues/labels#create-a-label"
	restConts   = "https://docs.github.com/en/rest/repos/contents"
	restRefs    = "https://docs.github.com/en/rest/git/refs"
	restStatus  = "https://docs.github.com/en/rest/commits/statuses#create-a-commit-status"
	restDeploy  = "https://docs.github.com/en/rest/deployments/deployments#create-a-deployment"
	restRDisp   = "https://docs.github.com/en/rest/repos/repos#create-a-repository-dispatch-event"
	restSarif   = "https://docs.github.com/en/rest/code-scanning/code-scanning#upload-an-analysis-as-sarif-data"
	restMember  = "https://docs.github.com/en/rest/orgs/members#list-organization-members"
	restGitPAT  = "https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/managing-your-personal-access-tokens#using-a-personal-access-token-on-the-command-line"
	ghManual    = "https://cli.github.com/manual/"
	msCLIAuth   = "https://learn.microsoft.com/en-us/azure/devops/cli/log-in-via-pat"
	msGitPAT    = "https://learn.microsoft.com/en-us/azure/devops/organizations/accounts/use-personal-access-tokens-to-authenticate"
	msPRCreate  = "https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-requests/create"
	msRepos     = "https://learn.microsoft.com/en-us/rest/api/azure/devops/git/repositories/list"
	msBuildQ    = "https://learn.microsoft.com/en-us/rest/api/azure/devops/build/builds/queue"
	msBuildL    = "https://learn.microsoft.com/en-us/rest/api/azure/devops/build/builds/list"
	msRunPipe   = "https://learn.microsoft.com/en-us/rest/api/azure/devops/pipelines/runs/run-pipeline"
	msWIGet     = "https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/get-work-item"
	msWIUpdate  = "https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/update"
	msWICreate  = "https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/work-items/create"
	msRelease   = "https://learn.microsoft.com/en-us/rest/api/azure/devops/release/releases/create"
	msUPack     = "https://learn.microsoft.com/en-us/azure/devops/artifacts/quickstarts/universal-packages"
	msVarGroup  = "https://learn.microsoft.com/en-us/rest/api/azure/devops/distributedtask/variablegroups/add"
	msCheckout  = "https://learn.microsoft.com/en-us/azure/devops/pipelines/scripts/git-commands#allow-scripts-to-access-the-system-token"
	msNpmFeed   = "https://learn.microsoft.com/en-us/azure/devops/artifacts/npm/npmrc"
	msNuGetFeed = "https://learn.microsoft.com/en-us/azure/devops/artifacts/nuget/publish"
	msVSCE      = "https://code.visualstudio.com/api/working-with-extensions/publishing-extension#get-a-personal-access-token"
	msThreads   = "https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-request-threads/create"
	msPRStatus  = "https://learn.microsoft.com/en-us/rest/api/azure/devops/git/pull-request-statuses/create"
	ghPackages  = "https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-container-registry#authenticating-with-a-personal-access-token-classic"
	ghNpmPkgs   = "https://docs.github.com/en/packages/working-with-a-github-packages-registry/working-with-the-npm-registry#authenticating-with-a-personal-access-token"
	ghAuthMin   = "https://github.com/cli/cli/blob/trunk/pkg/cmd/auth/shared/login_flow.go"
	wfPerms     = "https://docs.github.com/en/actions/writing-workflows/workflow-syntax-for-github-actions#permissions"
)

// packagesRead is pulling from GitHub Packages: read:packages, and for
// GITHUB_TOKEN packages: read. Fine-grained tokens cannot reach GitHub
// Packages.
var packagesRead = Row{Rule: "GitHub Packages (read)", Scopes: []string{"read:packages"}, Workflow: []string{"packages:read"},
	Note: "GitHub Packages takes a classic token or GITHUB_TOKEN, not a fine-grained token", Source: ghPackages}

// ghMoreRows add to ghRows what the REST documentation says of flags
// that send more to the same endpoint.
var ghMoreRows = []ghRow{
	// discussion_category_name: "the specified category must exist", and
	// creating the discussion needs discussions: write.
	{Command: []string{"gh", "release", "create"}, Flag: "--discussion-category", Permissions: []string{"contents:write", "discussions:write"}, Scopes: []string{"repo"},
		Source: "https://docs.github.com/en/rest/releases/releases#create-a-release"},
	// gh attestation verify lists a subject's attestations:
	// GET /repos/{owner}/{repo}/attestations/{subject_digest}, attestations: read.
	{Command: []string{"gh", "attestation", "verify"}, Permissions: []string{"attestations:read"},
		Source: "https://docs.github.com/en/rest/repos/attestations#list-attestations"},
}

// Table is pat-check's knowledge of what steps need of the tokens they
// use: the rows below, then actionRows. Every row names its source;
// TestEveryRowHasASource checks it.
var Table = append(handRows, actionRows...)

var handRows = []Row{
	// Actions, by their README or action.yml.
	{Rule: "actions/checkout", Action: "actions/checkout", Inputs: []string{"token"}, DefaultToken: true, RepoInput: "repository", Persists: true,
		NotInputs: []string{"ssh-key"}, Scopes: []string{"repo"}, Permissions: []string{"contents:read"}, Note: "public repositories need no scope",
		Source: "https://github.com/actions/checkout/blob/f548e57e544e1ff5a4c46bf1e1b8685f8e4a348a/README.md"},
	{Rule: "docker/login-action (ghcr.io)", Action: "docker/login-action", Inputs: []string{"password"}, Registry: "ghcr.io",
		Scopes: []string{"write:packages"}, Workflow: []string{"packages:write"}, Note: "GitHub Packages takes a classic token or GITHUB_TOKEN (packages: write), not a fine-grained token",
		Source: ghPackages},
	{Rule: "actions/github-script", Action: "actions/github-script", Inputs: []string{"github-token"}, DefaultToken: true, Resolve: "script",
		Note:   "the needs of the github.rest calls the script makes, by Octokit's method list and GitHub's permission data",
		Source: "https://github.com/actions/github-script#using-a-separate-github-token"},
	{Rule: "octokit/request-action", Action: "octokit/request-action", Inputs: []string{"env:GITHUB_TOKEN", "github_token", "token"}, Resolve: "route",
		Source: "https://github.com/octokit/request-action/blob/45eef13998ff762839b0a0de9bbcf41970fd056d/README.md"},
	{Rule: "actions/download-artifact", Action: "actions/download-artifact", Inputs: []string{"github-token"}, RepoInput: "repository",
		Scopes: []string{"repo"}, Permissions: []string{"actions:read"},
		Source: "https://github.com/actions/download-artifact#download-artifacts-from-other-workflow-runs-or-repositories"},
	{Rule: "actions/setup-node", Action: "actions/setup-node", Inputs: []string{"token"}, DefaultToken: true,
		Source: "https://github.com/actions/setup-node/blob/main/action.yml"},
	{Rule: "actions/setup-go", Action: "actions/setup-go", Inputs: []string{"token"}, DefaultToken: true,
		Source: "https://github.com/actions/setup-go/blob/main/action.yml"},
	{Rule: "actions/setup-python", Action: "actions/setup-python", Inputs: []string{"token"}, DefaultToken: true,
		Source: "https://github.com/actions/setup-python/blob/main/action.yml"},
	{Rule: "github/codeql-action/upload-sarif", Action: "github/codeql-action/upload-sarif", Inputs: []string{"token"}, DefaultToken: true,
		Scopes: []string{"security_events"}, Permissions: []string{"security_events:write"},
		Source: restSarif},
	{Rule: "peter-evans/slash-command-dispatch", Action: "peter-evans/slash-command-dispatch", Inputs: []string{"token"}, RepoInput: "repository",
		Scopes: []string{"repo"}, Permissions: []string{"contents:write", "pull_requests:read"},
		Note:   "creates repository or workflow dispatch events (GITHUB_TOKEN does not work here) and reads the pull request",
		Source: "https://github.com/peter-evans/slash-command-dispatch/blob/02782580e549454adf8e23a8133edf5ae26eae10/README.md"},
	{Rule: "peter-evans/create-issue-from-file", Action: "peter-evans/create-issue-from-file", Inputs: []string{"token"}, DefaultToken: true,
		Scopes: []string{"repo"}, Permissions: []string{"issues:write"},
		Source: "https://github.com/peter-evans/create-issue-from-file/blob/0577b14cd1f0554a468646c2abd10b74537a5982/README.md"},
	{Rule: "JamesIves/github-sponsors-readme-action", Action: "jamesives/github-sponsors-readme-action", Inputs: []string{"token"},
		Scopes: []string{"read:user"}, Note: "reads the account's sponsors (read:user; read:org too with organization: true)",
		Source: "https://github.com/JamesIves/github-sponsors-readme-action/blob/00602149e304ae330f98868be44911fe0720b287/README.md"},
	{Rule: "go-task/setup-task", Action: "go-task/setup-task", Inputs: []string{"repo-token"}, DefaultToken: true,
		Note:   "API requests to download Task's public releases: no scope",
		Source: "https://github.com/go-task/setup-task/blob/035a5f11fa6bbb298cc436d4173402c6ebfbc411/README.md"},
	{Rule: "azure/login", Action: "azure/login", NotToken: "Azure sign-in: a service principal's credentials or identifiers, not a GitHub or Azure DevOps token",
		Source: "https://github.com/Azure/login/blob/06f20c5285a4c50ee1ba40179b86bcbdd73a7d3a/action.yml"},
	{Rule: "appleboy/telegram-action", Action: "appleboy/telegram-action", NotToken: "Telegram Message Notify: a Telegram bot's token and chat",
		Source: "https://github.com/appleboy/telegram-action/blob/0e92df9a00d30d474060da3ac4c5c26e4a148181/action.yml"},
	{Rule: "mikepenz/action-junit-report", Action: "mikepenz/action-junit-report", Inputs: []string{"token"}, DefaultToken: true,
		Permissions: []string{"checks:write"},
		Source:      "https://github.com/mikepenz/action-junit-report#pr-run-permissions"},

	// gh subcommands are ghRows, from cli/cli's source; these rows, by the
	// REST endpoint each calls, cover the subcommands ghRows does not.
	{Rule: "gh pr create", Command: []string{"gh", "pr", "create"}, Scopes: []string{"repo"}, Permissions: []string{"pull_requests:write"}, Source: restPulls},
	{Rule: "gh pr merge", Command: []string{"gh", "pr", "merge"}, Scopes: []string{"repo"}, Permissions: []string{"contents:write", "pull_requests:write"}, Source: restMerge},
	{Rule: "gh pr comment", Command: []string{"gh", "pr", "comment"}, Scopes: []string{"repo"}, Permissions: []string{"pull_requests:write"}, Source: restCommnt},
	{Rule: "gh pr edit/review/close/ready", Command: []string{"gh", "pr", "edit|review|close|ready|reopen"}, Scopes: []string{"repo"}, Permissions: []string{"pull_requests:write"}, Source: "https://docs.github.com/en/rest/pulls/pulls#update-a-pull-request"},
	{Rule: "gh pr list/view/diff/checks", Command: []string{"gh", "pr", "list|view|diff|checks|status|checkout"}, Scopes: []string{"repo"}, Permissions: []string{"pull_requests:read"}, Source: "https://docs.github.com/en/rest/pulls/pulls#list-pull-requests"},
	{Rule: "gh issue create/comment/edit/close", Command: []string{"gh", "issue", "create|comment|edit|close|reopen|lock|unlock"}, Scopes: []string{"repo"}, Permissions: []string{"issues:write"}, Source: restIssues},
	{Rule: "gh issue list/view", Command: []string{"gh", "issue", "list|view|status"}, Scopes: []string{"repo"}, Permissions: []string{"issues:read"}, Source: "https://docs.github.com/en/rest/issues/issues#list-repository-issues"},
	{Rule: "gh release create/upload/edit/delete", Command: []string{"gh", "release", "create|upload|edit|delete|delete-asset"}, Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Source: restRels},
	{Rule: "gh release download/list/view", Command: []string{"gh", "release", "download|list|view"}, Scopes: []string{"repo"}, Permissions: []string{"contents:read"}, Source: restAssets},
	{Rule: "gh workflow run/enable/disable", Command: []string{"gh", "workflow", "run|enable|disable"}, Scopes: []string{"repo"}, Permissions: []string{"actions:write"}, Source: restDisp},
	{Rule: "gh workflow list/view", Command: []string{"gh", "workflow", "list|view"}, Scopes: []string{"repo"}, Permissions: []string{"actions:read"}, Source: "https://docs.github.com/en/rest/actions/workflows#list-repository-workflows"},
	{Rule: "gh run rerun/cancel/delete", Command: []string{"gh", "run", "rerun|cancel|delete"}, Scopes: []string{"repo"}, Permissions: []string{"actions:write"}, Source: restRuns},
	{Rule: "gh run list/view/watch/download", Command: []string{"gh", "run", "list|view|watch|download"}, Scopes: []string{"repo"}, Permissions: []string{"actions:read"}, Source: restRuns},
	{Rule: "gh secret set/delete", Command: []string{"gh", "secret", "set|delete"}, Scopes: []string{"repo"}, Permissions: []string{"secrets:write"}, Source: restSecret},
	{Rule: "gh variable set/delete", Command: []string{"gh", "variable", "set|delete"}, Scopes: []string{"repo"}, Permissions: []string{"actions_variables:write"}, Source: restVars},
	{Rule: "gh label create/edit/delete", Command: []string{"gh", "label", "create|edit|delete|clone"}, Scopes: []string{"repo"}, Permissions: []string{"issues:write"}, Source: restLabels},
	{Rule: "gh repo clone/view", Command: []string{"gh", "repo", "clone|view"}, Scopes: []string{"repo"}, Permissions: []string{"contents:read"}, Source: ghManual + "gh_repo_clone"},
	{Rule: "gh auth status", Command: []string{"gh", "auth", "status|token"}, Source: ghManual + "gh_auth_status"},
	{Rule: "docker login ghcr.io", Command: []string{"docker", "login", "ghcr.io"}, Scopes: []string{"write:packages"}, Workflow: []string{"packages:write"},
		Note: "GitHub Packages takes a classic token or GITHUB_TOKEN (packages: write), not a fine-grained token", Source: ghPackages},
	{Rule: "npm publish (GitHub Packages)", Command: []string{"npm", "publish"}, Scopes: []string{"write:packages"}, Workflow: []string{"packages:write"},
		Note: "GitHub Packages takes a classic token or GITHUB_TOKEN (packages: write), not a fine-grained token", Source: ghNpmPkgs},
	{Rule: "gh extension/alias", Command: []string{"gh", "extension|ext|alias"}, Unknown: "gh extensions and aliases run code pat-check cannot see", Source: ghManual + "gh_extension"},
	{Rule: "gh api graphql", Command: []string{"gh", "api", "graphql"}, Unknown: "a GraphQL query's needs depend on the fields it asks for", Source: "https://docs.github.com/en/graphql/guides/forming-calls-with-graphql#authenticating-with-a-personal-access-token"},

	// git in run: steps, by the remote's host.
	{Rule: "git push", Command: []string{"git", "push"}, Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Workflows: true, Source: restGitPAT},
	{Rule: "git clone/fetch/pull", Command: []string{"git", "clone|fetch|pull|ls-remote|submodule"}, Scopes: []string{"repo"}, Permissions: []string{"contents:read"}, Source: restGitPAT},
	{Rule: "goreleaser release", Command: []string{"goreleaser", "release"}, Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Source: "https://goreleaser.com/scm/github/#api-token"},

	// GitHub REST requests (curl, gh api), by path.
	{Rule: "POST /repos/O/R/dispatches", Method: "POST", Path: "repos/*/*/dispatches", Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Source: restRDisp},
	{Rule: "POST workflow dispatch", Method: "POST", Path: "repos/*/*/actions/workflows/*/dispatches", Scopes: []string{"repo"}, Permissions: []string{"actions:write"}, Source: restDisp},
	{Rule: "POST /repos/O/R/issues/N/comments", Method: "POST", Path: "repos/*/*/issues/*/comments", Scopes: []string{"repo"}, Permissions: []string{"issues:write"}, Source: restCommnt},
	{Rule: "POST /repos/O/R/issues", Method: "POST", Path: "repos/*/*/issues", Scopes: []string{"repo"}, Permissions: []string{"issues:write"}, Source: restIssues},
	{Rule: "POST /repos/O/R/pulls", Method: "POST", Path: "repos/*/*/pulls", Scopes: []string{"repo"}, Permissions: []string{"pull_requests:write"}, Source: restPulls},
	{Rule: "GET /repos/O/R/pulls", Method: "GET", Path: "repos/*/*/pulls/**", Scopes: []string{"repo"}, Permissions: []string{"pull_requests:read"}, Source: "https://docs.github.com/en/rest/pulls/pulls#list-pull-requests"},
	{Rule: "POST /repos/O/R/releases/ID/assets", Method: "POST", Path: "repos/*/*/releases/*/assets", Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Source: restAssets + "#upload-a-release-asset"},
	{Rule: "POST /repos/O/R/releases", Method: "POST", Path: "repos/*/*/releases", Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Source: restRels},
	{Rule: "GET /repos/O/R/releases", Method: "GET", Path: "repos/*/*/releases/**", Scopes: []string{"repo"}, Permissions: []string{"contents:read"}, Source: "https://docs.github.com/en/rest/releases/releases#list-releases"},
	{Rule: "PUT /repos/O/R/contents/PATH", Method: "PUT|DELETE", Path: "repos/*/*/contents/**", Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Workflows: true, Source: restConts},
	{Rule: "GET /repos/O/R/contents/PATH", Method: "GET", Path: "repos/*/*/contents/**", Scopes: []string{"repo"}, Permissions: []string{"contents:read"}, Source: restConts},
	{Rule: "git refs", Method: "POST|PATCH|DELETE", Path: "repos/*/*/git/refs/**", Scopes: []string{"repo"}, Permissions: []string{"contents:write"}, Source: restRefs},
	{Rule: "POST /repos/O/R/statuses/SHA", Method: "POST", Path: "repos/*/*/statuses/*", Scopes: []string{"repo:status"}, Permissions: []string{"statuses:write"}, Source: restStatus},
	{Rule: "POST /repos/O/R/deployments", Method: "POST", Path: "repos/*/*/deployments", Scopes: []string{"repo_deployment"}, Permissions: []string{"deployments:write"}, Source: restDeploy},
	{Rule: "PUT /repos/O/R/actions/secrets/NAME", Method: "PUT", Path: "repos/*/*/actions/secrets/*", Scopes: []string{"repo"}, Permissions: []string{"secrets:write"}, Source: restSecret},
	{Rule: "POST /repos/O/R/labels", Method: "POST", Path: "repos/*/*/labels", Scopes: []string{"repo"}, Permissions: []string{"issues:write"}, Source: restLabels},
	{Rule: "POST /repos/O/R/code-scanning/sarifs", Method: "POST", Path: "repos/*/*/code-scanning/sarifs", Scopes: []string{"security_events"}, Permissions: []string{"security_events:write"}, Source: restSarif},
	{Rule: "GET /orgs/ORG/members", Method: "GET", Path: "orgs/*/members/**", Scopes: []string{"read:org"}, Permissions: []string{"members:read"}, Source: restMember},
	{Rule: "GET /repos/O/R", Method: "GET", Path: "repos/*/*", Scopes: []string{"repo"}, Permissions: []string{"metadata:read"}, Source: restRepos + "#get-a-repository"},
	{Rule: "GET /user", Method: "GET", Path: "user", Source: "https://docs.github.com/en/rest/users/users#get-the-authenticated-user"},
	{Rule: "POST /graphql", Method: "POST", Path: "graphql", Unknown: "a GraphQL query's needs depend on the fields it asks for", Source: "https://docs.github.com/en/graphql/guides/forming-calls-with-graphql#authenticating-with-a-personal-access-token"},

	// Azure DevOps: az devops CLI (token in AZURE_DEVOPS_EXT_PAT), git and REST.
	{Rule: "az repos pr create/update", Platform: azplatform.Platform, Command: []string{"az", "repos", "pr", "create|update|set-vote|reviewer|work-item"}, Scopes: []string{"vso.code_write"}, Source: msPRCreate},
	{Rule: "az repos list/show/pr list", Platform: azplatform.Platform, Command: []string{"az", "repos", "list|show|pr"}, Scopes: []string{"vso.code"}, Source: msRepos},
	{Rule: "az repos ref create/delete", Platform: azplatform.Platform, Command: []string{"az", "repos", "ref", "create|delete|lock|unlock"}, Scopes: []string{"vso.code_write"}, Source: "https://learn.microsoft.com/en-us/rest/api/azure/devops/git/refs/update-refs"},
	{Rule: "az pipelines build list/show", Platform: azplatform.Platform, Command: []string{"az", "pipelines", "build", "list|show"}, Scopes: []string{"vso.build"}, Source: msBuildL},
	{Rule: "az pipelines run/build queue", Platform: azplatform.Platform, Command: []string{"az", "pipelines", "run|build"}, Scopes: []string{"vso.build_execute"}, Source: msRunPipe},
	{Rule: "az pipelines list/show/runs", Platform: azplatform.Platform, Command: []string{"az", "pipelines", "list|show|runs"}, Scopes: []string{"vso.build"}, Source: msBuildL},
	{Rule: "az pipelines variable-group create", Platform: azplatform.Platform, Command: []string{"az", "pipelines", "variable-group", "create|update|delete|variable"}, Scopes: []string{"vso.variablegroups_manage"}, Source: msVarGroup},
	{Rule: "az boards work-item create/update", Platform: azplatform.Platform, Command: []string{"az", "boards", "work-item", "create|update|delete|relation"}, Scopes: []string{"vso.work_write"}, Source: msWICreate},
	{Rule: "az boards work-item show", Platform: azplatform.Platform, Command: []string{"az", "boards", "work-item", "show"}, Scopes: []string{"vso.work"}, Source: msWIGet},
	{Rule: "az boards query", Platform: azplatform.Platform, Command: []string{"az", "boards", "query"}, Scopes: []string{"vso.work"}, Source: "https://learn.microsoft.com/en-us/rest/api/azure/devops/wit/wiql/query-by-wiql"},
	{Rule: "az artifacts universal publish", Platform: azplatform.Platform, Command: []string{"az", "artifacts", "universal", "publish"}, Scopes: []string{"vso.packaging_write"}, Source: msUPack},
	{Rule: "az artifacts universal download", Platform: azplatform.Platform, Command: []string{"az", "artifacts", "universal", "download"}, Scopes: []string{"vso.packaging"}, Source: msUPack},
	{Rule: "az devops login", Platform: azplatform.Platform, Command: []string{"az", "devops", "login|configure"}, Source: msCLIAuth},
	{Rule: "git push (Azure Repos)", Platform: azplatform.Platform, Command: []string{"git", "push"}, Scopes: []string{"vso.code_write"}, Source: msGitPAT},
	{Rule: "git clone/fetch/pull (Azure Repos)", Platform: azplatform.Platform, Command: []string{"git", "clone|fetch|pull|ls-remote|submodule"}, Scopes: []string{"vso.code"}, Source: msGitPAT},
	{Rule: "checkout: self (persistCredentials)", Platform: azplatform.Platform, Action: "checkout", Persists: true, Scopes: []string{"vso.code"}, Source: msCheckout},
	{Rule: "POST _apis/git/.../pullrequests/N/threads", Platform: azplatform.Platform, Method: "POST|PATCH", Path: "_apis/git/repositories/*/pullrequests/*/threads/**", Scopes: []string{"vso.threads_full"}, Source: msThreads},
	{Rule: "POST _apis/git/.../pullrequests/N/statuses", Platform: azplatform.Platform, Method: "POST|PATCH", Path: "_apis/git/repositories/*/pullrequests/*/statuses/**", Scopes: []string{"vso.code_status"}, Source: msPRStatus},
	{Rule: "POST _apis/git/.../pullrequests", Platform: azplatform.Platform, Method: "POST|PATCH", Path: "_apis/git/repositories/*/pullrequests/**", Scopes: []string{"vso.code_write"}, Source: msPRCreate},
	{Rule: "GET _apis/git/repositories", Platform: azplatform.Platform, Method: "GET", Path: "_apis/git/**", Scopes: []string{"vso.code"}, Source: msRepos},
	{Rule: "POST _apis/build/builds", Platform: azplatform.Platform, Method: "POST", Path: "_apis/build/builds", Scopes: []string{"vso.build_execute"}, Source: msBuildQ},
	{Rule: "GET _apis/build", Platform: azplatform.Platform, Method: "GET", Path: "_apis/build/**", Scopes: []string{"vso.build"}, Source: msBuildL},
	{Rule: "POST _apis/pipelines/ID/runs", Platform: azplatform.Platform, Method: "POST", Path: "_apis/pipelines/*/runs", Scopes: []string{"vso.build_execute"}, Source: msRunPipe},
	{Rule: "GET _apis/wit/workitems", Platform: azplatform.Platform, Method: "GET", Path: "_apis/wit/**", Scopes: []string{"vso.work"}, Source: msWIGet},
	{Rule: "PATCH/POST _apis/wit/workitems", Platform: azplatform.Platform, Method: "PATCH|POST", Path: "_apis/wit/workitems/**", Scopes: []string{"vso.work_write"}, Source: msWIUpdate},
	{Rule: "POST _apis/release/releases", Platform: azplatform.Platform, Method: "POST", Path: "_apis/release/releases", Scopes: []string{"vso.release_execute"}, Source: msRelease},
}
