// Package config is the one source of truth for pat-check's options and
// outputs: their names in each front-end, their documented defaults and
// descriptions, and the parsing and validation of their values.
//
// It is pure: the front-ends read raw values from wherever their platform
// keeps them (INPUT_* variables, flags) and hand them over as a map keyed by
// the option's canonical name; the environment defaults (GITHUB_API_URL, …)
// come in as data too.
package config

// Option describes one option in all its spellings.
type Option struct {
	// Name is the canonical name: the Action input and the key of raw values.
	Name string
	// Task is the Azure Pipelines task input name.
	Task string
	// Flag is the command-line flag without dashes; empty when the option has
	// no flag (the token is never a flag value).
	Flag string
	// Default is the documented default, as text; empty means none.
	Default string
	// Description is one sentence for the documentation, the Action and the task.
	Description string
	// Kind is the value's shape: "string", "list", "int", "bool", "date",
	// or "lines" (one entry a line, not split at commas: tokens).
	Kind string
	// Choices are the accepted values of an option that takes one of a few.
	Choices []string
	// FromEnv is true when the binary falls back to the environment
	// (GITHUB_API_URL, GITHUB_REPOSITORY, SYSTEM_*) before Default: a
	// packaging must then leave the input empty rather than fill in Default.
	FromEnv bool
	// Required marks the token.
	Required bool
	// RequiredUnless names the option that replaces this one: the token
	// is required unless tokens is given. The packagings then leave the
	// input optional, and the binary says which of the two is missing.
	RequiredUnless string
	// Advanced options are grouped apart in the Azure task's form.
	Advanced bool
	// FlagArg, for a bool option, makes its flag take a value of this
	// shape instead (scan-workspace is --scan DIR on the command line).
	FlagArg string
	// NoAction marks an option the GitHub Action does not take (its
	// canonical name is then no Action input); an option with no Task
	// name is not an Azure task input either.
	NoAction bool
	// Usage is what the command line's --help says of the flag, when
	// Description speaks of the CI front-ends rather than the flag.
	Usage string
	// FlagNoDefault: Default belongs to the CI front-ends; on the command
	// line the flag has none (--workflow must be given with --infer).
	FlagNoDefault bool
	// Path marks an option whose value is a file or directory path: a
	// mistyped flag followed by owner/name is never pointed at it.
	Path bool
}

// Options lists every option of the contract, in documentation order.
var Options = []Option{
	{Name: "token", Task: "token", RequiredUnless: "tokens", Description: "The token to check. On the command line it comes from PAT_CHECK_TOKEN, GH_TOKEN or GITHUB_TOKEN, or from standard input with --token-stdin; never from a flag.", Kind: "string"},
	{Name: "provider", Task: "provider", Flag: "provider", Default: "auto", Choices: []string{"auto", "github", "azure-devops"}, Description: "Which platform issued the token: auto, github or azure-devops. auto recognises the token's format, else uses the platform the job runs on.", Kind: "string"},
	{Name: "scopes", Task: "scopes", Flag: "scopes", Description: "Scopes the token must have (classic and OAuth GitHub tokens), separated by commas, spaces or newlines, e.g. repo, workflow. Implied scopes count as granted.", Kind: "list"},
	{Name: "permissions", Task: "permissions", Flag: "permissions", Description: "Fine-grained permissions the token must have, as name:level (read, write or admin), e.g. contents:write, pull-requests:read.", Kind: "list"},
	{Name: "repositories", Task: "repositories", Flag: "repositories", Description: "Repositories (owner/name) the token must reach. Under GitHub Actions defaults to the workflow's repository when permissions are required.", Kind: "list", FromEnv: true, Usage: "Repositories (owner/name) the token must reach."},
	{Name: "organization", Task: "organization", Flag: "organization", Description: "GitHub organizations whose SAML SSO and token policies the token must satisfy (Azure DevOps: the organization name or URL; under Azure Pipelines, the collection of the run).", Kind: "list", FromEnv: true, Usage: "GitHub organizations whose SAML SSO and token policies the token must satisfy; for an Azure DevOps token, the organization's name or URL (https://dev.azure.com/ORG)."},
	{Name: "project", Task: "project", Flag: "project", Description: "Azure DevOps project for project-level scope probes (under Azure Pipelines, the project of the run).", Kind: "string", FromEnv: true, Usage: "Azure DevOps project for the project-level scope probes."},
	{Name: "min-days-left", Task: "minDaysLeft", Flag: "min-days-left", Default: "1", Description: "Fail when fewer than this many whole days remain before the token expires.", Kind: "int"},
	{Name: "warn-days-left", Task: "warnDaysLeft", Flag: "warn-days-left", Default: "14", Description: "Warn when fewer than this many whole days remain before the token expires.", Kind: "int"},
	{Name: "require-expiration", Task: "requireExpiration", Flag: "require-expiration", Default: "false", Description: "Fail when the token never expires.", Kind: "bool"},
	{Name: "expires-on", Task: "expiresOn", Flag: "expires-on", Description: "The token's expiry date (YYYY-MM-DD), used when the API cannot tell it.", Kind: "date"},
	{Name: "token-name", Task: "tokenName", Flag: "token-name", Description: "The token's display name: names the replacement token in creation links.", Kind: "string"},
	{Name: "excess", Task: "excess", Flag: "excess", Default: "notice", Choices: []string{"ignore", "notice", "warning", "error"}, Description: "How to report access beyond what the job requires (scopes, or for fine-grained and installation tokens permissions, which are probed only at warning or error): ignore, notice, warning or error.", Kind: "string", Usage: "How to report access beyond what the job requires: ignore, notice, warning (or warn) or error. Fine-grained and installation tokens' permissions are probed only at warning or error."},
	{Name: "max-days-left", Task: "maxDaysLeft", Flag: "max-days-left", Default: "0", Description: "Rotation policy: a token valid for more than this many days, or forever, goes against it (token-lifetime-too-long); 0 turns it off.", Kind: "int"},
	{Name: "lifetime-policy", Task: "lifetimePolicy", Flag: "lifetime-policy", Default: "warn", Choices: []string{"warn", "enforce"}, Description: "warn (a warning) or enforce (an error) when the token lives longer than max-days-left allows.", Kind: "string", Usage: "warn (a warning) or enforce (an error) when the token lives longer than --max-days-left allows."},
	{Name: "scan-workspace", Task: "scanWorkspace", Flag: "scan", FlagArg: "DIR", Default: "false", Description: "Search the checked-out workspace (GITHUB_WORKSPACE, BUILD_SOURCESDIRECTORY; on the command line --scan DIR) for the token's value and its encoded forms, skipping .git and binary files.", Kind: "bool", Usage: "Search DIR (. for the current directory) for the token's value and its encoded forms, skipping .git and binary files.", Path: true},
	{Name: "policy", Task: "policy", Flag: "policy", Default: "none", Choices: []string{"none", "recommended"}, Description: "A preset: recommended turns on require-expiration, max-days-left 90, excess warning and the advice on fine-grained tokens; none leaves every option as set.", Kind: "string", Usage: "A preset: recommended turns on --require-expiration, --max-days-left 90, --excess warning and the advice on fine-grained tokens; none leaves every flag as set."},
	{Name: "token-types", Task: "tokenTypes", Flag: "token-types", Default: "any", Advanced: true, Description: "Allowed token kinds: classic, fine-grained, oauth, github-app-user, github-app-installation, azure-devops.", Kind: "list"},
	{Name: "api-url", Task: "apiUrl", Flag: "api-url", Default: "https://api.github.com", Description: "GitHub API base URL (GHES: https://HOST/api/v3; GHE.com: https://api.SUBDOMAIN.ghe.com). Defaults to GITHUB_API_URL when set.", Kind: "string", FromEnv: true, Advanced: true, Usage: "GitHub API base URL (GHES: https://HOST/api/v3; GHE.com: https://api.SUBDOMAIN.ghe.com); GITHUB_API_URL when set."},
	{Name: "timeout", Task: "timeout", Flag: "timeout", Default: "30", Description: "Overall time limit in seconds.", Kind: "int", Advanced: true},
	{Name: "on-api-error", Task: "onApiError", Flag: "on-api-error", Default: "fail", Choices: []string{"fail", "warn"}, Advanced: true, Description: "When the API cannot be reached, is rate-limited or answers 5xx: fail (exit 3) or warn (exit 0 with a warning).", Kind: "string"},
	{Name: "report-path", Task: "reportPath", Flag: "report", Description: "Write the JSON report to this path.", Kind: "string", Advanced: true, Usage: "Also write the JSON report to FILE.", Path: true},
	{Name: "infer", Task: "infer", Flag: "infer", Default: "false", Description: "When no scopes or permissions are given, take them from the other steps of this job that use the same secret, as the workflow or pipeline file shows them (on the command line: with --workflow FILE and --secret NAME).", Kind: "bool", Usage: "When neither --scopes nor --permissions is given, take the requirements from the steps of the file --workflow names that use the secret --secret names."},
	{Name: "workflow", Task: "pipelineFile", Flag: "workflow", Default: "azure-pipelines.yml", NoAction: true, Advanced: true, Description: "The pipeline YAML that infer reads, relative to the sources directory (the agent does not name it); on the command line, the workflow or pipeline file.", Kind: "string", Usage: "The workflow or pipeline file --infer reads (required with --infer).", FlagNoDefault: true, Path: true},
	{Name: "tokens", Task: "tokens", Description: "Several tokens to check at once, by name: NAME=VALUE lines, or the JSON object toJSON(secrets) gives (Azure: NAME=$(VAR) lines). Each value shaped like a GitHub or Azure DevOps token is masked, then checked with what the workflows or pipelines need of its name; any other value is named as not a token, never printed or sent. Not with token.", Kind: "lines"},
	{Name: "tokens-from-env", Flag: "tokens-from-env", FlagArg: "NAME[,NAME...]", NoAction: true, Description: "Check the tokens in these environment variables at once, each with what the workflows or pipelines here need of its name.", Kind: "list", Usage: "Check the tokens in these environment variables at once, each with what the workflows and pipelines under the current directory need of its name (not with --token-stdin)."},
	{Name: "secret", Flag: "secret", NoAction: true, Description: "With --infer on the command line: the secret or pipeline variable whose uses give the requirements (default: the only token the file uses).", Kind: "string", Usage: "With --infer: the secret or pipeline variable that holds the token, whose uses give the requirements (default: the only one the file uses)."},
}

// Lookup returns the option with the given canonical name.
func Lookup(name string) (Option, bool) {
	for _, o := range Options {
		if o.Name == name {
			return o, true
		}
	}
	return Option{}, false
}

// Output describes one output in both CI spellings.
type Output struct {
	Name        string // GitHub Actions output name
	Task        string // Azure Pipelines output variable
	Description string
}

// Outputs lists every output of the contract.
var Outputs = []Output{
	{Name: "result", Task: "result", Description: "pass, warn, fail or error."},
	{Name: "valid", Task: "valid", Description: "true when the API accepted the token."},
	{Name: "token-type", Task: "tokenType", Description: "The token kind (classic, fine-grained, oauth, github-app-user, github-app-installation, azure-devops or unknown)."},
	{Name: "login", Task: "login", Description: "The account the token acts as."},
	{Name: "expires-at", Task: "expiresAt", Description: "Expiry in RFC 3339 UTC; empty when none or unknown."},
	{Name: "days-left", Task: "daysLeft", Description: "Whole days left before expiry; empty when none or unknown."},
	{Name: "scopes", Task: "scopes", Description: "Granted scopes, comma-separated, when known."},
	{Name: "missing", Task: "missing", Description: "Missing scopes and permissions, comma-separated."},
	{Name: "failing", Task: "failing", Description: "With tokens: the names of the tokens that fail, comma-separated."},
	{Name: "expiring", Task: "expiring", Description: "With tokens: the names of the tokens that expire within warn-days-left, comma-separated."},
}
