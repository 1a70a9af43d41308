// Package guide writes the fix for each finding: numbered steps for the
// platform and the token's kind, naming exactly what to tick, and a
// pre-filled creation link where the platform has one. It is pure: it
// knows the findings and the context, never the token.
package guide

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/token"
)

// Platforms where the token lives; they differ in where the secret is stored.
const (
	PlatformActions = "actions"
	PlatformAzure   = "azure"
	PlatformCLI     = "cli"
)

// Context is what the guidance is written for.
type Context struct {
	// Rules are the provider's own fixes, asked first; nil where the
	// default (GitHub's) guidance serves.
	Rules    Rules
	Platform string
	// ServerURL is GitHub's web URL (https://github.com, https://ghes.example.com).
	ServerURL string
	Kind      token.Kind
	Login     string
	// Repository is the workflow's repository (owner/name), where the secret
	// most likely lives.
	Repository string
	TokenName  string
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
	// Option spells an option's canonical name as the front-end's users
	// write it (the front-end's OptionName); nil keeps the canonical name.
	Option func(canonical string) string
	// ExtraPermissions are fine-grained permissions the token was found to
	// hold beyond the required ones (permission-excess): a replacement
	// keeps them, since other jobs may rely on them; the least-privilege
	// link leaves them out.
	ExtraPermissions []check.Permission
}

// Rules are a provider's own guidance, where it differs from GitHub's.
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
func (c Context) Opt(canonical string) string {
	if c.Option == nil {
		return canonical
	}
	return c.Option(canonical)
}

// Setting is an option set to a value, as written on this front-end:
// "on-api-error: warn", "onApiError: warn", "--on-api-error warn".
func (c Context) Setting(canonical, value string) string {
	name := c.Opt(canonical)
	if strings.HasPrefix(name, "--") {
		return name + " " + value
	}
	return name + ": " + value
}

// OptionsHelp says where every option is listed, for this front-end.
func (c Context) OptionsHelp() string {
	if c.Platform == PlatformCLI {
		return "pat-check --help lists every flag with its accepted values and default"
	}
	return "the README lists every input with its accepted values and default"
}

func (c Context) server() string {
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
	return clipRunes(OrDefault(c.TokenName, c.Purpose()), maxTokenName)
}

// Purpose says what the token is for, so that a new token is named after
// its use, not after the tool that checked it: under Actions the
// repository and the workflow, under Azure Pipelines the project and the
// pipeline, on the command line the repository or organization given.
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
	switch c.Platform {
	case PlatformActions:
		p = join(c.Repository, c.Pipeline)
	case PlatformAzure:
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
	var needs []string
	needs = append(needs, c.Required.Scopes...)
	for _, perm := range c.Required.Permissions {
		needs = append(needs, perm.String())
	}
	if len(needs) > 0 {
		return strings.Join(needs, " ")
	}
	return "CI token"
}

// owner is the resource owner for a fine-grained token: the organization
// the job needs, else the owner of the repositories, else the account.
func (c Context) owner() string {
	if len(c.Required.Organizations) > 0 {
		return c.Required.Organizations[0]
	}
	for _, r := range append(slices.Clone(c.Required.Repositories), c.Repository) {
		if o, _, ok := strings.Cut(r, "/"); ok {
			return o
		}
	}
	return c.Login
}

func (c Context) fineGrained() bool { return c.Kind == token.FineGrained }

func (c Context) installation() bool { return c.Kind == token.AppInstallation }

// wantsFineGrained: the replacement should be a fine-grained token, because
// the token is one, or because the job states permissions and no scopes.
func (c Context) wantsFineGrained() bool {
	return c.fineGrained() || (len(c.Required.Permissions) > 0 && len(c.Required.Scopes) == 0 && c.Kind != token.Classic)
}

// newScopes is the scope set of a replacement classic token: what it has
// plus what the job requires, without implied duplicates.
func (c Context) newScopes() []string {
	return check.MinimalScopes(append(slices.Clone(c.GrantedScopes), c.Required.Scopes...))
}

// createLink is the pre-filled creation page for a replacement of the
// token's kind.
func (c Context) createLink() string {
	if c.wantsFineGrained() {
		return FineGrainedTokenLink(c.server(), c.Description(), "For "+c.Purpose(), c.owner(), 90, c.keptPermissions())
	}
	return ClassicTokenLink(c.server(), c.newScopes(), c.Description())
}

// createSteps are the steps in GitHub's settings to make a replacement.
func (c Context) createSteps(link string) []string {
	if c.wantsFineGrained() {
		perms := "the permissions the job needs"
		if len(c.Required.Permissions) > 0 {
			names := make([]string, len(c.Required.Permissions))
			for i, p := range c.Required.Permissions {
				names[i] = fmt.Sprintf("%s: %s", permissionLabel(p.Name), levelLabel(p.Level))
			}
			perms = strings.Join(names, ", ")
		}
		repos := c.repositoryList()
		return []string{
			"Open " + link + " (pre-filled), or go to Settings → Developer settings → Personal access tokens → Fine-grained tokens → Generate new token.",
			fmt.Sprintf("Token name: %s. Resource owner: %s (an organization may have to approve the token before it works).", c.Description(), OrDefault(c.owner(), "the account or organization that owns the repositories")),
			"Expiration: pick a date (90 days or what your organization's policy allows); pat-check warns before it comes.",
			"Repository access: Only select repositories → " + repos + ".",
			"Permissions: " + perms + ".",
			"Generate token, then copy the value (GitHub shows it only once).",
		}
	}
	scopes := "no scope"
	if s := c.newScopes(); len(s) > 0 {
		scopes = strings.Join(s, ", ")
	}
	return []string{
		"Open " + link + " (pre-filled), or go to Settings → Developer settings → Personal access tokens → Tokens (classic) → Generate new token (classic).",
		"Note: " + c.Description() + ".",
		"Expiration: pick a date (for example 90 days) rather than No expiration; pat-check warns before it comes.",
		"Select scopes: tick " + scopes + ".",
		"Generate token, then copy the value (GitHub shows it only once).",
		c.ssoStep(),
	}
}

func (c Context) ssoStep() string {
	if len(c.Required.Organizations) == 0 {
		return ""
	}
	return fmt.Sprintf("If %s uses SAML single sign-on: on the token's row choose Configure SSO → Authorize next to it.", strings.Join(c.Required.Organizations, ", "))
}

// StoreStep says where the value goes on this platform.
func (c Context) StoreStep() string {
	switch c.Platform {
	case PlatformActions:
		where := "the repository's Settings → Secrets and variables → Actions"
		if c.Repository != "" {
			where = fmt.Sprintf("%s/%s/settings/secrets/actions", c.server(), c.Repository)
		}
		return fmt.Sprintf("Store it: open %s, edit the secret this workflow passes as the token input (or the organization or environment secret, if it comes from there), paste the new value and choose Update secret.", where)
	case PlatformAzure:
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

// replace is the whole "make a new token and store it" fix.
func (c Context) replace(intro ...string) (string, string) {
	link := c.createLink()
	lines := append(intro, c.createSteps(link)...)
	lines = append(lines, c.StoreStep(), "Run the job again.", c.leastPrivilegeStep())
	return Steps(lines...), link
}

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
	case finding.TokenMalformed:
		return c.fixMalformed()
	case finding.TokenTypeDisallowed:
		return c.fixKind(f.About.TokenKinds)
	case finding.TokenInvalid:
		return c.fixInvalid()
	case finding.TokenExpired, finding.TokenExpiring, finding.TokenExpiryWarning:
		return c.fixRenew()
	case finding.TokenNoExpiration:
		return c.replace("Replace the token with one that expires (a token without expiry cannot be given one afterwards):")
	case finding.TokenExpiryUnknown:
		return Steps("If you know when the token expires, give it as " + c.Setting("expires-on", "YYYY-MM-DD") + " so that pat-check can warn before that day."), ""
	case finding.ScopeMissing:
		return c.fixScopes(f.About.Scopes)
	case finding.ScopeUnverified:
		return c.fixScopeUnverified()
	case finding.PermissionMissing:
		return c.fixPermissions(f)
	case finding.PermissionUnverified:
		return c.fixUnverified(f.About.Target)
	case finding.RepositoryInaccessible:
		return c.fixRepository(f.About.Repository)
	case finding.OrganizationInaccessible:
		return Steps(
			fmt.Sprintf("Check the organization's login: %s/%s must exist.", c.server(), f.About.Organization),
			"If it exists, make sure the account behind the token is a member, or that the token's resource owner is that organization (fine-grained tokens).",
		), ""
	case finding.SSOAuthorizationRequired:
		return c.fixSSO(f)
	case finding.OrganizationPolicy:
		return c.fixPolicy(f)
	case finding.ScopeExcess:
		return c.fixScopeExcess(f)
	case finding.PermissionExcess:
		return c.fixPermissionExcess(f)
	case finding.TokenLifetimeTooLong:
		return c.fixLifetime(f)
	case finding.TokenKindAdvice:
		return c.fixKindAdvice(f)
	case finding.TokenCommitted:
		return c.fixCommitted(f)
	case finding.RateLimited:
		return Steps(
			"Wait until the rate limit resets (the time is in the message), then run the job again.",
			"If other jobs share this token, spread them out or give each its own token; GITHUB_TOKEN has a separate limit per repository.",
			"To let jobs go on while GitHub is unreachable or rate-limited, set "+c.Setting("on-api-error", "warn")+".",
		), ""
	case finding.Cancelled:
		return Steps(
			"The run was stopped (the job was cancelled, or timed out at the runner or agent) before the checks finished: nothing is known about the token.",
			"Run the job again; if the runner stops it every time, give the step more time or lower pat-check's timeout option.",
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
	case finding.APIError:
		return Steps(
			"Check that "+c.Opt("api-url")+" is right ("+apiHint(c.server())+").",
			"Check GitHub's status (https://www.githubstatus.com for github.com, your administrators for GitHub Enterprise Server) and run the job again.",
			"To let jobs go on while GitHub is unreachable, set "+c.Setting("on-api-error", "warn")+".",
		), ""
	}
	return "", ""
}

func apiHint(server string) string {
	if server == "https://github.com" {
		return "https://api.github.com for github.com"
	}
	return "https://HOST/api/v3 for GitHub Enterprise Server, https://api.SUBDOMAIN.ghe.com for GHE.com"
}

func (c Context) fixMissing() string {
	switch c.Platform {
	case PlatformActions:
		switch {
		case c.ForkPullRequest:
			return Steps(
				"This run is for a pull request from a fork: GitHub does not pass secrets to such runs, so the token input is empty even though the secret exists.",
				Code("Skip the steps that need the token for forks: add to the job", "if: github.event.pull_request.head.repo.full_name == github.repository"),
				"Or run them after review from a workflow that has access to secrets (workflow_run, or pull_request_target without checking out the fork's code).",
			)
		case strings.HasPrefix(c.Actor, "dependabot"):
			return Steps(
				"This run was started by Dependabot: it reads Dependabot secrets, not Actions secrets.",
				fmt.Sprintf("Add the same secret under Settings → Secrets and variables → Dependabot%s.", repoSuffix(c.server(), c.Repository, "/settings/secrets/dependabot")),
			)
		}
		return Steps(
			"The token input is empty: the secret it names is not set, misspelled, or not available to this repository or environment.",
			fmt.Sprintf("Check the name in the workflow (with: token: ${{ secrets.NAME }}) against the secrets at%s.", repoSuffix(c.server(), c.Repository, "/settings/secrets/actions")),
			"An organization secret must list this repository under its repository access; an environment secret needs environment: NAME on the job.",
		)
	case PlatformAzure:
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

func repoSuffix(server, repo, path string) string {
	if repo == "" {
		return ""
	}
	return " (" + server + "/" + repo + path + ")"
}

func (c Context) fixUnexpanded(ref string) string {
	if ref != "" {
		if name, ok := macroName(ref); ok && c.Platform == PlatformAzure {
			return Steps(
				fmt.Sprintf("%s was never set as a variable: Azure Pipelines leaves $(NAME) as it is when no variable NAME exists. Define %s in the pipeline's Variables (tick Keep this value secret), or link the variable group that holds it.", ref, name),
				"Check the spelling; in YAML templates use ${{ variables.NAME }} only for variables known at compile time.",
			)
		}
	}
	switch c.Platform {
	case PlatformActions:
		return Steps(
			"The value reached pat-check as text, not as the secret: write the input as token: ${{ secrets.NAME }} under with:, and make sure the secret exists.",
			"Expressions are not expanded inside a file or a quoted shell string; pass the secret through with: or env:.",
		)
	case PlatformAzure:
		return Steps(
			"Azure Pipelines leaves $(NAME) as it is when no variable NAME exists: define the variable (mark it secret) or link the variable group that holds it.",
			"Check the spelling; in YAML templates use ${{ variables.NAME }} only for variables known at compile time.",
		)
	}
	return Steps("The shell did not expand the reference: export the variable first, or quote it as \"$NAME\" where it is set.")
}

// fixKind replaces a token of a kind the job refuses with one of a kind it
// allows: the link and the steps are the allowed kind's.
func (c Context) fixKind(allowed []string) (string, string) {
	intro := fmt.Sprintf("The job allows only these token kinds (%s): %s.", c.Opt("token-types"), strings.Join(allowed, ", "))
	ctx := c
	switch {
	case slices.Contains(allowed, string(token.FineGrained)):
		ctx.Kind = token.FineGrained
		return ctx.replace(intro + " Create a fine-grained token instead:")
	case slices.Contains(allowed, string(token.Classic)):
		ctx.Kind = token.Classic
		return ctx.replace(intro + " Create a personal access token (classic) instead:")
	}
	return Steps(
		intro,
		"A GitHub App's installation token is made in the job itself (actions/create-github-app-token); an OAuth or GitHub App user token comes from signing in to that app again.",
		"Then "+LowerFirst(c.StoreStep()),
	), ""
}

// macroName is NAME of an Azure Pipelines macro $(NAME).
func macroName(ref string) (string, bool) {
	if !strings.HasPrefix(ref, "$(") || !strings.HasSuffix(ref, ")") {
		return "", false
	}
	return ref[2 : len(ref)-1], true
}

func (c Context) fixMalformed() (string, string) {
	intro := "The value was damaged on its way into the secret (cut short, wrapped, or mistyped). Copy it again in one piece, without spaces or line breaks, or create a new token if you no longer have it."
	return c.replace(intro)
}

func (c Context) fixInvalid() (string, string) {
	if c.Kind == token.OAuth {
		return Steps(
			"GitHub no longer accepts this OAuth token: the app's authorization was revoked, or the token was replaced by a newer one.",
			Code("For another app, sign in to it again (its authorizations are at "+c.server()+"/settings/applications); for the GitHub CLI run:", "gh auth login -h "+c.host()),
			"Then store the new token: "+LowerFirst(c.StoreStep()),
		), ""
	}
	if c.installation() {
		return Steps(
			"Installation tokens expire after one hour, and GITHUB_TOKEN when its job ends: create the token in the same job, right before it is used (for a GitHub App, with actions/create-github-app-token).",
			"Never store an installation token as a secret: store the App's ID and private key instead.",
		), ""
	}
	list := c.server() + "/settings/tokens"
	if c.fineGrained() {
		list = c.server() + "/settings/personal-access-tokens"
	}
	return c.replace(
		"Open "+list+" while signed in as the token's owner: if the token is listed, choose it → Regenerate token (its settings are kept) and skip to the step Store it.",
		"GitHub revokes tokens that were pushed to a public repository and tokens unused for a year; if it is not listed, create a new one:",
	)
}

func (c Context) fixRenew() (string, string) {
	list := c.server() + "/settings/tokens"
	if c.fineGrained() {
		list = c.server() + "/settings/personal-access-tokens"
	}
	if c.installation() {
		return Steps("Installation tokens are short-lived by design: create the token in the same job, right before it is used."), ""
	}
	link := c.createLink()
	return Steps(
		"Open "+list+" and choose the token → Regenerate token; pick a new expiration date and confirm (name, scopes and permissions are kept).",
		"Copy the new value (GitHub shows it only once); the old value stops working at once.",
		c.StoreStep(),
		"Or create a fresh token with the same settings: "+link,
		c.leastPrivilegeStep(),
	), link
}

func (c Context) fixScopes(missing []string) (string, string) {
	if c.installation() {
		return c.fixWorkflowPermissions()
	}
	if c.Kind == token.OAuth {
		return Steps(
			Code("An OAuth token's scopes are those its app asked for. For the GitHub CLI run:", "gh auth refresh -h "+c.host()+" -s "+strings.Join(missing, ",")),
			"For another app, sign in to it again so that it asks for "+strings.Join(missing, ", ")+"; its authorization is listed at "+c.server()+"/settings/applications.",
			"Then store the new token: "+LowerFirst(c.StoreStep()),
		), ""
	}
	link := c.createLink()
	return Steps(
		fmt.Sprintf("Open %s/settings/tokens while signed in as %s and choose this token (its note names it).", c.server(), OrDefault(c.Login, "the token's owner")),
		"Tick "+strings.Join(missing, ", ")+" and choose Update token: the value stays the same, so no secret needs changing.",
		c.ssoStep(),
		"Or create a replacement with every scope the job needs ("+strings.Join(c.newScopes(), ", ")+"): "+link+", then "+LowerFirst(c.StoreStep()),
		c.leastPrivilegeStep(),
	), link
}

// LowerFirst starts a sentence in lower case, to continue another.
func LowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (c Context) fixScopeUnverified() (string, string) {
	return Steps(
		"Scopes exist only for classic and OAuth tokens. For this token, list what the job needs as permissions (for example "+c.Setting("permissions", "contents:write")+") and drop "+c.Opt("scopes")+".",
		"Or, if the job really needs a classic token, create one with those scopes and store it in place of this one.",
	), ""
}

func (c Context) fixPermissions(f finding.Finding) (string, string) {
	if c.installation() {
		return c.fixWorkflowPermissions()
	}
	link := c.createLink()
	// Named as the token page pairs a permission with its level
	// (contents: write), the same words as a workflow's permissions block.
	named := make([]string, len(f.About.Permissions))
	for i, p := range f.About.Permissions {
		named[i] = strings.Replace(p, ":", ": ", 1)
	}
	missing := strings.Join(named, ", ")
	if c.fineGrained() {
		return Steps(
			fmt.Sprintf("Open %s/settings/personal-access-tokens, choose the token → Edit.", c.server()),
			fmt.Sprintf("A fine-grained token has one set of permissions for every repository it selects: under Permissions set %s (the job needs, in all: %s), and under Repository access → Only select repositories make sure %s %s selected. Then Update: the value stays the same (an organization may have to approve the change).",
				OrDefault(grantLabels(f.About.Permissions), missing), c.permissionList(), c.repositoryList(), isAre(len(c.Required.Repositories))),
			fmt.Sprintf("If the token already grants that, what it may do on %s is also limited by the account's own access there: ask for a role that allows it (write access for a write permission), or check that the organization approved the token.", OrDefault(f.About.Target, "the repository")),
			c.ownersNote(),
			"Or create a replacement with every permission the job needs: "+link+", then "+LowerFirst(c.StoreStep()),
			c.leastPrivilegeStep(),
		), link
	}
	return c.replace("Fine-grained permissions belong to fine-grained tokens; create one with " + c.permissionList() + ":")
}

// fixUnverified tells how to confirm by hand what the probes could not
// prove (the finding's message says why: no safe request exists, or GitHub's
// answer settled nothing).
func (c Context) fixUnverified(target string) (string, string) {
	switch {
	case c.installation():
		return Steps(append([]string{"pat-check could not prove the grant (the message says why) and never writes to find out; confirm it yourself:"}, c.workflowPermissionSteps()...)...), ""
	case c.fineGrained():
		return Steps(
			fmt.Sprintf("Open %s/settings/personal-access-tokens and choose the token: its page lists each permission and level, and the repositories it reaches.", c.server()),
			"Confirm that "+c.permissionList()+" and that "+target+" is among the selected repositories; if not, choose Edit, set them, and Update (the value stays the same).",
			"Where no safe request can prove a permission the warning stays, and the job's own first use of it will tell; where GitHub's answer settled nothing, a later run may.",
		), ""
	}
	return Steps(
		"For a classic token, access follows from its scopes (repo for private repositories) and the account's role on "+target+": confirm the account may do there what the job needs.",
		"Or use a fine-grained token whose page lists its permissions: "+c.createLink(),
	), c.createLink()
}

// ownersNote warns that a fine-grained token has one resource owner.
func (c Context) ownersNote() string {
	var owners []string
	for _, r := range c.Required.Repositories {
		if o := check.OwnerOf(r); !slices.Contains(owners, o) {
			owners = append(owners, o)
		}
	}
	if len(owners) < 2 {
		return ""
	}
	return "The repositories belong to " + strings.Join(owners, ", ") + ": a fine-grained token has a single resource owner, so the job needs one token per owner."
}

// repositoryList names the repositories the job needs.
func (c Context) repositoryList() string {
	switch {
	case len(c.Required.Repositories) > 0:
		return strings.Join(c.Required.Repositories, ", ")
	case c.Repository != "":
		return c.Repository
	}
	return "the repositories the job uses"
}

// isAre agrees a verb with a count of repositories; none given means the
// workflow's own repository.
func isAre(n int) string {
	if n > 1 {
		return "are"
	}
	return "is"
}

func (c Context) permissionList() string {
	if len(c.Required.Permissions) == 0 {
		return "the permissions the job needs"
	}
	names := make([]string, len(c.Required.Permissions))
	for i, p := range c.Required.Permissions {
		names[i] = fmt.Sprintf("%s to %s", permissionLabel(p.Name), levelLabel(p.Level))
	}
	return strings.Join(names, ", ")
}

// workflowKeys are the keys a workflow's permissions block accepts, by the
// API name of the permission they grant GITHUB_TOKEN.
var workflowKeys = map[string]string{
	"actions": "actions", "attestations": "attestations", "checks": "checks", "contents": "contents",
	"deployments": "deployments", "discussions": "discussions", "issues": "issues", "pages": "pages",
	"pull_requests": "pull-requests", "security_events": "security-events", "statuses": "statuses",
}

// fixWorkflowPermissions is the fix for an installation token: the grant is
// in the workflow's permissions block or the App's settings, not in a PAT.
// Only keys the block accepts are written: an unknown key makes GitHub
// reject the workflow.
func (c Context) fixWorkflowPermissions() (string, string) {
	return Steps(c.workflowPermissionSteps()...), ""
}

func (c Context) workflowPermissionSteps() []string {
	var keys, other []string
	for _, p := range c.Required.Permissions {
		if k, ok := workflowKeys[p.Name]; ok {
			keys = append(keys, fmt.Sprintf("  %s: %s", k, min(p.Level, check.LevelWrite)))
		} else if p.Name != "metadata" {
			other = append(other, p.String())
		}
	}
	if len(c.Required.Permissions) == 0 {
		keys = []string{"  contents: write"}
	}
	first := ""
	if len(keys) > 0 {
		first = Code("For GITHUB_TOKEN, grant it in the workflow (at the top or on the job):", append([]string{"permissions:"}, keys...)...)
	}
	cannot := ""
	if len(other) > 0 {
		cannot = "GITHUB_TOKEN cannot be given " + strings.Join(other, ", ") + ": use a GitHub App's installation token (actions/create-github-app-token) or a fine-grained personal access token for those."
	}
	return []string{
		first,
		cannot,
		"GITHUB_TOKEN's grants cover only the workflow's own repository; for other repositories use a GitHub App installed on them.",
		"If the repository or organization restricts the default, check Settings → Actions → General → Workflow permissions.",
		"For a GitHub App's token, add the permission in the App's settings (Permissions & events), then approve the change on each installation.",
	}
}

func (c Context) fixRepository(repo string) (string, string) {
	switch {
	case c.installation():
		return Steps(
			"GITHUB_TOKEN reaches only the workflow's own repository (and public ones): for "+repo+", use a GitHub App installed on it, or a fine-grained token that selects it.",
			"For a GitHub App's token, install the App on "+repo+" (or on all repositories of its owner), and create the token for that installation.",
		), ""
	case c.fineGrained():
		return Steps(
			fmt.Sprintf("Check the name: %s/%s.", c.server(), repo),
			fmt.Sprintf("Open %s/settings/personal-access-tokens, choose the token → Edit → Repository access → Only select repositories, add %s, then Update.", c.server(), repo),
			"The token's resource owner must be the repository's owner ("+check.OwnerOf(repo)+"): a token owned by another account cannot be moved; create a new one with the right owner.",
			"If the owner is an organization that approves tokens, ask an owner to approve it under the organization's Settings → Personal access tokens → Pending requests.",
		), ""
	}
	account := OrDefault(c.Login, "behind the token")
	if slices.Contains(c.GrantedScopes, "repo") {
		// The scope is there: what else makes a repository unreachable for
		// a classic token is the account's access, SSO and the owner's policy.
		return Steps(
			fmt.Sprintf("Check the name: %s/%s.", c.server(), repo),
			"The token has the repo scope, so the scope is not what stops it. A classic token reaches what its account reaches: make sure the account "+account+" can open the repository in the browser (a collaborator, or a member of a team with access); if not, ask an admin of "+check.OwnerOf(repo)+" to add it.",
			fmt.Sprintf("If %s is an organization that enforces SAML single sign-on: open %s/settings/tokens, choose Configure SSO next to the token, and Authorize next to %s.", check.OwnerOf(repo), c.server(), check.OwnerOf(repo)),
			fmt.Sprintf("If %s's policy refuses classic tokens (organization Settings → Personal access tokens), use a fine-grained token owned by %s instead.", check.OwnerOf(repo), check.OwnerOf(repo)),
		), ""
	}
	return Steps(
		fmt.Sprintf("Check the name: %s/%s.", c.server(), repo),
		fmt.Sprintf("Make sure the account %s can open it in the browser (it must be a collaborator or a member of a team with access).", account),
		"For a private repository the classic token needs the repo scope: tick it on the token's page and choose Update token.",
		c.ssoStep(),
	), ""
}

// host is the server's host name, as gh expects it after -h.
func (c Context) host() string {
	h := strings.TrimPrefix(strings.TrimPrefix(c.server(), "https://"), "http://")
	return strings.SplitN(h, "/", 2)[0]
}

// ssoLink is GitHub's authorization URL when it is on the server's own
// host; otherwise the organization's SSO page, which leads to the same place
// without trusting a link from the network.
func (c Context) ssoLink(f finding.Finding) string {
	if given := c.networkLink(f.About.AuthorizationURL); given != "" {
		return given
	}
	return c.server() + "/orgs/" + f.About.Organization + "/sso"
}

// networkLink returns a link that came from the network when it may be
// offered: no longer than a browser takes, made of printable ASCII only (no
// control character, escape sequence, space or quote), without
// credentials, and on the server's own scheme and host. Otherwise "".
func (c Context) networkLink(link string) string {
	if link == "" || len(link) > 2048 {
		return ""
	}
	for i := 0; i < len(link); i++ {
		if b := link[i]; b <= ' ' || b >= 0x7f || strings.IndexByte("\"<>\\`", b) >= 0 {
			return ""
		}
	}
	u, err := url.Parse(link)
	srv, serr := url.Parse(c.server())
	if err != nil || serr != nil || u.User != nil || u.Scheme != srv.Scheme || !strings.EqualFold(u.Host, srv.Host) {
		return ""
	}
	return link
}

func (c Context) fixSSO(f finding.Finding) (string, string) {
	if c.fineGrained() {
		return Steps(
			fmt.Sprintf("Fine-grained tokens are authorized for SAML single sign-on when they are created: start a SAML session at %s/orgs/%s/sso, then create the token with %s as its resource owner.", c.server(), f.About.Organization, f.About.Organization),
		), c.ssoLink(f)
	}
	link := c.ssoLink(f)
	valid := ""
	if link == f.About.AuthorizationURL {
		valid = " (the link is valid for one hour)"
	}
	first := fmt.Sprintf("Open %s while signed in as %s%s, sign in with your identity provider, and authorize the token.", link, OrDefault(c.Login, "the token's owner"), valid)
	return Steps(
		first,
		fmt.Sprintf("Or open %s/settings/tokens, choose Configure SSO next to the token, and Authorize next to %s.", c.server(), f.About.Organization),
		"The token's value does not change: no secret needs updating. Run the job again.",
	), link
}

func (c Context) fixPolicy(f finding.Finding) (string, string) {
	org := f.About.Organization
	switch f.About.Policy {
	case finding.PolicyLifetime:
		link := c.networkLink(f.About.PolicyURL) // only a settings page on the server itself
		return Steps(
			fmt.Sprintf("The organization %s limits the lifetime of fine-grained tokens. Open %s and set an expiration within the limit the message gives, then save.", org, OrDefault(link, c.server()+"/settings/personal-access-tokens")),
			"If the expiration cannot be shortened, regenerate the token with a shorter expiration and store the new value: "+LowerFirst(c.StoreStep()),
		), link
	case finding.PolicyNoClassic:
		ctx := c
		ctx.Kind = token.FineGrained
		if len(ctx.Required.Organizations) == 0 {
			ctx.Required.Organizations = []string{org}
		}
		return ctx.replace(fmt.Sprintf("The organization %s does not accept classic tokens. Create a fine-grained token owned by %s instead:", org, org))
	case finding.PolicyNoFineGrained:
		ctx := c
		ctx.Kind = token.Classic
		return ctx.replace(fmt.Sprintf("The organization %s does not accept fine-grained tokens. Use a GitHub App, or create a classic token:", org))
	}
	return Steps(fmt.Sprintf("Ask an owner of %s which tokens its policy accepts (organization Settings → Personal access tokens), and create one that fits.", org)), c.networkLink(f.About.PolicyURL)
}

// permissionLabel names a permission as GitHub's token page shows it.
func permissionLabel(name string) string {
	if l, ok := permissionLabels[name]; ok {
		return l
	}
	words := strings.Split(name, "_")
	for i, w := range words {
		if i == 0 && w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

var permissionLabels = map[string]string{
	"actions_variables": "Variables", "repository_hooks": "Webhooks", "pull_requests": "Pull requests",
	"security_events": "Code scanning alerts", "vulnerability_alerts": "Dependabot alerts",
	"dependabot_secrets": "Dependabot secrets", "secret_scanning_alerts": "Secret scanning alerts",
	"repository_advisories": "Repository security advisories", "merge_queues": "Merge queues",
	"organization_administration": "Administration (organization)", "organization_secrets": "Secrets (organization)",
	"organization_self_hosted_runners": "Self-hosted runners", "organization_projects": "Projects",
	"members": "Members", "workflows": "Workflows", "contents": "Contents", "metadata": "Metadata",
}

// grantLabels names permissions given as name:level as GitHub's token
// page shows them: "Pull requests: Read and write".
func grantLabels(ps []string) string {
	var out []string
	for _, p := range ps {
		name, level, ok := strings.Cut(p, ":")
		if !ok {
			out = append(out, p)
			continue
		}
		l := levelLabel(check.LevelRead)
		switch level {
		case "write":
			l = levelLabel(check.LevelWrite)
		case "admin":
			l = levelLabel(check.LevelAdmin)
		}
		// The page's words, then the API's as a workflow writes them.
		out = append(out, permissionLabel(name)+" to "+l+" ("+name+": "+level+")")
	}
	return strings.Join(out, ", ")
}

func levelLabel(l check.Level) string {
	switch l {
	case check.LevelRead:
		return "Read-only"
	case check.LevelWrite:
		return "Read and write"
	case check.LevelAdmin:
		return "Admin"
	}
	return "No access"
}
