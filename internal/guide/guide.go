// Package guide writes the fix for each finding: numbered steps for the
// platform and the token's kind, naming exactly what to tick, and a
// pre-filled creation link where the platform has one. It is pure: it
// knows the findings and the context, never the token.
package guide

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/token"
)

// Context is what the guidance is written for.
type Context struct {
	// Rules are the issuing platform's fixes (platform/github's Guide,
	// platform/azdo's), asked first; nil before a platform is known.
	Rules Rules
	// Frontend is where the token lives: the front-ends differ in where
	// the secret is stored.
	Frontend frontend.Kind
	// ServerURL is GitHub's web URL (https://github.com, https://ghes.example.com).
	ServerURL string
	Kind      token.Kind
	Login     string
	// Repository is the workflow's repository (owner/name), where the secret
	// most likely lives.
	Repository string
	TokenName  string
	// Secret is the secret or variable that holds the token, when the run
	// knows it (each token of tokens; --secret): the fix says to store
	// the new value there.
	Secret string
	// GrantedScopes are the token's scopes when known.
	GrantedScopes []string
	Required      check.Requirements
	// EventName and ForkPullRequest describe the GitHub Actions event, to
	// tell an unset secret from one withheld from a fork.
	EventName       string
	ForkPullRequest bool
	// Actor is GITHUB_ACTOR: Dependabot's runs read Dependabot secrets.
	Actor string
	// Pipeline is the workflow's (GITHUB_WORKFLOW) or the pipeline's
	// (BUILD_DEFINITIONNAME) name, and Project the Azure DevOps project of
	// the run: a new token is named after them.
	Pipeline string
	Project  string
	// Workflow and Job are the workflow or pipeline file that uses the
	// token and its job, when infer read them: a new token is named after
	// them when nothing else says what it is for.
	Workflow string
	Job      string
	// Option spells an option's canonical name as the front-end's users
	// write it (the front-end's OptionName); nil keeps the canonical name.
	Option finding.Namer
	// ExtraPermissions are fine-grained permissions the token was found to
	// hold beyond the required ones (permission-excess): a replacement
	// keeps them, since other jobs may rely on them; the least-privilege
	// link leaves them out.
	ExtraPermissions []check.Permission
}

// Rules are an issuing platform's guidance: every fix that depends on the
// platform. guide itself writes only the fixes that depend on the front-end.
type Rules interface {
	// Fix writes the fix and link for f; ok is false to leave f to the
	// default guidance.
	Fix(f finding.Finding, c Context) (fix, link string, ok bool)
}

// Apply returns the findings with Fix, Steps and URL filled in. Notices
// get a fix too when one helps; errors and warnings always do.
func Apply(fs []finding.Finding, c Context) []finding.Finding {
	out := make([]finding.Finding, len(fs))
	for i, f := range fs {
		f.Fix, f.URL = c.fix(f)
		f.Steps = nil
		if f.Fix != "" {
			f.Steps = finding.SplitSteps(f.Fix)
		}
		out[i] = f
	}
	return out
}

// Steps numbers the lines of a fix; empty lines are left out. A line may
// carry a block to copy (YAML, a command) after a line break: the block's
// lines are indented under the step, so that every rendering can tell
// them from prose (the summary fences them as code).
func Steps(lines ...string) string {
	var b strings.Builder
	n := 0
	for _, l := range lines {
		if l == "" {
			continue
		}
		n++
		first, block, _ := strings.Cut(l, "\n")
		fmt.Fprintf(&b, "%d. %s\n", n, first)
		if block != "" {
			for _, bl := range strings.Split(block, "\n") {
				fmt.Fprintf(&b, "     %s\n", bl)
			}
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Code is a step whose prose is followed by a block to copy.
func Code(prose string, lines ...string) string {
	return prose + "\n" + strings.Join(lines, "\n")
}

// Opt spells an option as the front-end's users write it: on-api-error in
// a workflow, onApiError in a pipeline, --on-api-error on the command line.
func (c Context) Opt(canonical string) string { return c.Option.Opt(canonical) }

// Setting is an option set to a value, as written on this front-end:
// "on-api-error: warn", "onApiError: warn", "--on-api-error warn".
func (c Context) Setting(canonical, value string) string { return c.Option.Setting(canonical, value) }

// OptionsHelp says where every option is listed, for this front-end.
func (c Context) OptionsHelp() string {
	if c.Frontend == frontend.CommandLine {
		return "pat-check --help lists every flag with its accepted values and default"
	}
	return "the README lists every input with its accepted values and default"
}

// Server is GitHub's web URL (ServerURL, https://github.com by default),
// without a trailing slash.
func (c Context) Server() string {
	if c.ServerURL == "" {
		return "https://github.com"
	}
	return strings.TrimSuffix(c.ServerURL, "/")
}

// maxTokenName is the longest name GitHub's and Azure DevOps' token pages
// take (the option token-name has the same limit).
const maxTokenName = 40

// Description names a new token after the option token-name, else after
// what it is for (Purpose), cut to 40 characters.
func (c Context) Description() string {
	return finding.Cut(OrDefault(c.TokenName, c.Purpose()), maxTokenName)
}

// Purpose says what the token is for, so that a new token is named after
// its use, not after the tool that checked it nor the scopes it has: under
// Actions the repository and the workflow, under Azure Pipelines the
// project and the pipeline, on the command line the repository or
// organization given, else the workflow (or pipeline) and job that use it.
func (c Context) Purpose() string {
	join := func(parts ...string) string {
		var kept []string
		for _, p := range parts {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(kept, p) {
				kept = append(kept, p)
			}
		}
		return strings.Join(kept, " ")
	}
	var p string
	switch c.Frontend {
	case frontend.Actions:
		p = join(c.Repository, c.Pipeline)
	case frontend.AzurePipelines:
		p = join(c.Project, c.Pipeline)
	}
	if p != "" {
		return p
	}
	switch {
	case len(c.Required.Repositories) > 0:
		p = c.Required.Repositories[0]
		if n := len(c.Required.Repositories) - 1; n > 0 {
			p += fmt.Sprintf(" and %d more", n)
		}
		return p
	case len(c.Required.Organizations) > 0:
		return c.Required.Organizations[0]
	case c.Repository != "":
		return c.Repository
	}
	job := ""
	if strings.TrimSpace(c.Job) != "" {
		job = "job " + c.Job
	}
	if p = join(c.Workflow, job, c.Pipeline); p != "" {
		return p
	}
	return "CI token"
}

// StoreStep says where the value goes on this platform: in the secret or
// variable Secret names, when the run knows it.
func (c Context) StoreStep() string {
	if c.Secret != "" {
		switch c.Frontend {
		case frontend.Actions:
			where := "the repository's Settings → Secrets and variables → Actions"
			if c.Repository != "" {
				where = fmt.Sprintf("%s/%s/settings/secrets/actions", c.Server(), c.Repository)
			}
			return fmt.Sprintf("Store it: open %s, edit the secret %s (or the organization or environment secret of that name, if it comes from there), paste the new value and choose Update secret.", where, c.Secret)
		case frontend.AzurePipelines:
			return fmt.Sprintf("Store it: in Azure Pipelines edit the variable %s (the pipeline's Variables, or Pipelines → Library → the variable group that holds it), paste the new value, tick Keep this value secret, and Save; if it comes from Azure Key Vault, add a new version of the secret there.", c.Secret)
		}
		return fmt.Sprintf("Store it where your scripts read it: export %s in your shell or your secret manager; never in a file under version control.", c.Secret)
	}
	switch c.Frontend {
	case frontend.Actions:
		where := "the repository's Settings → Secrets and variables → Actions"
		if c.Repository != "" {
			where = fmt.Sprintf("%s/%s/settings/secrets/actions", c.Server(), c.Repository)
		}
		return fmt.Sprintf("Store it: open %s, edit the secret this workflow passes as the token input (or the organization or environment secret, if it comes from there), paste the new value and choose Update secret.", where)
	case frontend.AzurePipelines:
		return "Store it: in Azure Pipelines edit the pipeline → Variables (or Pipelines → Library → the variable group that holds it), paste the new value, tick Keep this value secret, and Save; if it comes from Azure Key Vault, add a new version of the secret there."
	}
	return "Store it where your scripts read it: export PAT_CHECK_TOKEN (or GH_TOKEN) in your shell or your secret manager; never in a file under version control."
}

// OrDefault is s, or d when s is empty.
func OrDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// fix asks the issuing platform's rules first, then writes the fixes that
// depend only on the front-end. No other platform's words stand in: a
// finding neither knows has no fix.
func (c Context) fix(f finding.Finding) (string, string) {
	if c.Rules != nil {
		if fix, link, ok := c.Rules.Fix(f, c); ok {
			return fix, link
		}
	}
	switch f.Code {
	case finding.ConfigInvalid:
		return Steps("Correct the option as the message says; " + c.OptionsHelp() + "."), ""
	case finding.TokenMissing:
		return c.fixMissing(), ""
	case finding.TokenUnexpanded:
		return c.fixUnexpanded(f.About.Reference), ""
	case finding.Cancelled:
		return Steps(
			"The run was stopped (the job was cancelled, or timed out at the runner or agent) before the checks finished: nothing is known about the token.",
			"Run the job again; if the runner stops it every time, give the step more time or lower pat-check's "+c.Opt("timeout")+".",
		), ""
	case finding.WorkspaceIncomplete:
		return Steps(
			"Part of the workspace was not searched (the message says what): the token may be there.",
			"Let the job read every file of the checkout, or give the step more time ("+c.Opt("timeout")+"); search a smaller folder with "+c.Opt("scan-workspace")+" when the checkout is larger than the budget.",
		), ""
	case finding.ReportUnwritten:
		return Steps(
			"Make sure "+c.Opt("report-path")+" names a file in a directory that exists and that the job can write to (not a directory itself).",
			"Or leave out "+c.Opt("report-path")+" if the job does not need the JSON report.",
		), ""
	}
	return "", ""
}

func (c Context) fixMissing() string {
	switch c.Frontend {
	case frontend.Actions:
		switch {
		case c.ForkPullRequest:
			return Steps(
				"This run is for a pull request from a fork: GitHub does not pass secrets to such runs, so the token input is empty even though the secret exists.",
				// On push, schedule and other events the pull request's
				// fields are empty: a condition on them alone would stop
				// the job there too.
				Code("Skip the job for pull requests from forks, and only for them: add to the job (beside runs-on)", "if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository"),
				"Or run the job after review from a workflow that has access to secrets (workflow_run, or pull_request_target without checking out the fork's code).",
			)
		case strings.HasPrefix(c.Actor, "dependabot"):
			return Steps(
				"This run was started by Dependabot: it reads Dependabot secrets, not Actions secrets.",
				fmt.Sprintf("Add the same secret under Settings → Secrets and variables → Dependabot%s.", repoSuffix(c.Server(), c.Repository, "/settings/secrets/dependabot")),
			)
		}
		return Steps(
			"The token input is empty: the secret it names is not set, misspelled, or not available to this repository or environment.",
			fmt.Sprintf("Check the name in the workflow (with: token: ${{ secrets.NAME }}) against the secrets under Settings → Secrets and variables → Actions%s.", repoSuffix(c.Server(), c.Repository, "/settings/secrets/actions")),
			"An organization secret must list this repository under its repository access; an environment secret needs environment: NAME on the job.",
		)
	case frontend.AzurePipelines:
		return Steps(
			"The token input is empty: the variable it names is not set, or is secret and was not mapped.",
			"Secret variables are not passed to tasks automatically: set the input explicitly, e.g. token: $(MY_PAT), and check that the variable (or its variable group, linked under the pipeline's Variables) defines it.",
			"Builds of pull requests from forks do not get secrets unless the pipeline allows it (Triggers → Pull request validation → Make secrets available to builds of forks).",
		)
	}
	return Steps(
		"No token was found: set PAT_CHECK_TOKEN (or GH_TOKEN / GITHUB_TOKEN), or pipe it in with --token-stdin.",
		Code("For example, the GitHub CLI's token:", "gh auth token | pat-check --token-stdin --scopes repo"),
	)
}

// FixUnsetName is the fix for a name of tokens whose value is empty: the
// secret or variable is unset, or this run cannot see it. It names the
// name, where a lone token's fix (TokenMissing) names the front-end's own
// token option.
func (c Context) FixUnsetName(name string) string {
	switch c.Frontend {
	case frontend.Actions:
		return "1. Check that the secret " + name + " exists (repository, environment or organization secrets) and that this workflow can see it: pull requests from forks and Dependabot runs get no Actions secrets.\n2. Or remove " + name + " from tokens."
	case frontend.AzurePipelines:
		return "1. Check that the variable " + name + " is defined for this job (in the pipeline, or in a variable group it links) and mapped: NAME=$(" + name + ").\n2. Or remove the line from tokens."
	case frontend.CommandLine:
		return "1. export " + name + " (or remove it from --tokens-from-env)."
	}
	return ""
}

func repoSuffix(server, repo, path string) string {
	if repo == "" {
		return ""
	}
	return " (" + server + "/" + repo + path + ")"
}

func (c Context) fixUnexpanded(ref string) string {
	if ref != "" {
		if name, ok := macroName(ref); ok && c.Frontend == frontend.AzurePipelines {
			return Steps(
				fmt.Sprintf("%s was never set as a variable: Azure Pipelines leaves $(NAME) as it is when no variable NAME exists. Define %s in the pipeline's Variables (tick Keep this value secret), or link the variable group that holds it.", ref, name),
				"Check the spelling; in YAML templates use ${{ variables.NAME }} only for variables known at compile time.",
			)
		}
	}
	switch c.Frontend {
	case frontend.Actions:
		return Steps(
			"The value reached pat-check as text, not as the secret: write the input as token: ${{ secrets.NAME }} under with:, and make sure the secret exists.",
			"Expressions are not expanded inside a file or a quoted shell string; pass the secret through with: or env:.",
		)
	case frontend.AzurePipelines:
		return Steps(
			"Azure Pipelines leaves $(NAME) as it is when no variable NAME exists: define the variable (mark it secret) or link the variable group that holds it.",
			"Check the spelling; in YAML templates use ${{ variables.NAME }} only for variables known at compile time.",
		)
	}
	switch {
	case strings.HasPrefix(ref, "${{"):
		return Steps(
			ref+" is a GitHub Actions expression: the value was copied from a workflow, where the runner puts the secret in its place; on the command line nothing does.",
			passTokenStep(),
		)
	case strings.HasPrefix(ref, "$("):
		return Steps(
			ref+" is an Azure Pipelines macro: the value was copied from a pipeline, where the agent puts the variable in its place; on the command line nothing does.",
			passTokenStep(),
		)
	}
	return Steps("The shell did not expand the reference: export the variable first, or quote it as \"$NAME\" where it is set.")
}

// passTokenStep says how the command line takes the token's value itself.
func passTokenStep() string {
	return Code("Pass the token itself: set PAT_CHECK_TOKEN to its value, or pipe it in with --token-stdin, for example:", "gh auth token | pat-check --token-stdin")
}

// macroName is NAME of an Azure Pipelines macro $(NAME).
func macroName(ref string) (string, bool) {
	if !strings.HasPrefix(ref, "$(") || !strings.HasSuffix(ref, ")") {
		return "", false
	}
	return ref[2 : len(ref)-1], true
}

// LowerFirst starts a sentence in lower case, to continue another.
func LowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// RemoveStep says how to take a committed value out of the files and the
// history: a commit that removes it does not unpublish it.
func RemoveStep(places []finding.Place) string {
	named := make([]string, len(places))
	for i, p := range places {
		named[i] = p.String()
	}
	where := "the files"
	if len(named) > 0 {
		where = strings.Join(named, ", ")
	}
	return fmt.Sprintf("Remove the value from %s and from the history: a commit that deletes it leaves it in every earlier commit, fork and clone. "+
		"Rewrite the history (git filter-repo --replace-text, or the BFG) and force-push; the revoked value is then harmless wherever it survives.", where)
}
