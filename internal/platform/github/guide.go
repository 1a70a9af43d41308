package github

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

// Guide is GitHub's guidance (a guide.Rules): the token pages' steps and
// pre-filled links for each kind of token, the workflow's permissions block
// for GITHUB_TOKEN, SSO and organization policies, least privilege.
type Guide struct{}

// Fix writes GitHub's fix for f; ok is false for the findings whose fix
// depends only on the front-end (guide writes those).
func (Guide) Fix(f finding.Finding, c guide.Context) (fix, link string, ok bool) {
	fix, link = fixer{c}.fix(f)
	return fix, link, fix != ""
}

// fixer is the context the fixes are written for, with GitHub's helpers.
type fixer struct{ guide.Context }

func (c fixer) fix(f finding.Finding) (string, string) {
	switch f.Code {
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
		return guide.Steps("If you know when the token expires, give it as " + c.Setting("expires-on", "YYYY-MM-DD") + " so that pat-check can warn before that day."), ""
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
		return guide.Steps(
			fmt.Sprintf("Check the organization's login: %s/%s must exist.", c.Server(), f.About.Organization),
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
		return guide.Steps(
			"Wait until the rate limit resets (the time is in the message), then run the job again.",
			"If other jobs share this token, spread them out or give each its own token; GITHUB_TOKEN has a separate limit per repository.",
			"To let jobs go on while GitHub is unreachable or rate-limited, set "+c.Setting("on-api-error", "warn")+".",
		), ""
	case finding.APIError:
		return guide.Steps(
			"Check that "+c.Opt("api-url")+" is right ("+apiHint(c.Server())+").",
			"Check GitHub's status (https://www.githubstatus.com for github.com, your administrators for GitHub Enterprise Server) and run the job again.",
			"To let jobs go on while GitHub is unreachable, set "+c.Setting("on-api-error", "warn")+".",
		), ""
	}
	return "", ""
}

// owner is the resource owner for a fine-grained token: the organization
// the job needs, else the owner of the repositories, else the account.
func (c fixer) owner() string {
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

func (c fixer) fineGrained() bool { return c.Kind == token.FineGrained }

func (c fixer) installation() bool { return c.Kind == token.AppInstallation }

// wantsFineGrained: the replacement should be a fine-grained token, because
// the token is one, or because the job states permissions and no scopes.
func (c fixer) wantsFineGrained() bool {
	return c.fineGrained() || (len(c.Required.Permissions) > 0 && len(c.Required.Scopes) == 0 && c.Kind != token.Classic)
}

// newScopes is the scope set of a replacement classic token: what it has
// plus what the job requires, without implied duplicates.
func (c fixer) newScopes() []string {
	return MinimalScopes(append(slices.Clone(c.GrantedScopes), c.Required.Scopes...))
}

// createLink is the pre-filled creation page for a replacement of the
// token's kind.
func (c fixer) createLink() string {
	if c.wantsFineGrained() {
		return FineGrainedTokenLink(c.Server(), c.Description(), "For "+c.Purpose(), c.owner(), 90, c.keptPermissions())
	}
	return ClassicTokenLink(c.Server(), c.newScopes(), c.Description())
}

// createSteps are the steps in GitHub's settings to make a replacement.
func (c fixer) createSteps(link string) []string {
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
			fmt.Sprintf("Token name: %s. Resource owner: %s (an organization may have to approve the token before it works).", c.Description(), guide.OrDefault(c.owner(), "the account or organization that owns the repositories")),
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

func (c fixer) ssoStep() string {
	if len(c.Required.Organizations) == 0 {
		return ""
	}
	return fmt.Sprintf("If %s uses SAML single sign-on: on the token's row choose Configure SSO → Authorize next to it.", strings.Join(c.Required.Organizations, ", "))
}

// replace is the whole "make a new token and store it" fix.
func (c fixer) replace(intro ...string) (string, string) {
	link := c.createLink()
	lines := append(intro, c.createSteps(link)...)
	lines = append(lines, c.StoreStep(), "Run the job again.", c.leastPrivilegeStep())
	return guide.Steps(lines...), link
}

func apiHint(server string) string {
	if server == "https://github.com" {
		return "https://api.github.com for github.com"
	}
	return "https://HOST/api/v3 for GitHub Enterprise Server, https://api.SUBDOMAIN.ghe.com for GHE.com"
}

// fixKind replaces a token of a kind the job refuses with one of a kind it
// allows: the link and the steps are the allowed kind's.
func (c fixer) fixKind(allowed []string) (string, string) {
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
	return guide.Steps(
		intro,
		"A GitHub App's installation token is made in the job itself (actions/create-github-app-token); an OAuth or GitHub App user token comes from signing in to that app again.",
		"Then "+guide.LowerFirst(c.StoreStep()),
	), ""
}

func (c fixer) fixMalformed() (string, string) {
	intro := "The value was damaged on its way into the secret (cut short, wrapped, or mistyped). Copy it again in one piece, without spaces or line breaks, or create a new token if you no longer have it."
	return c.replace(intro)
}

func (c fixer) fixInvalid() (string, string) {
	if c.Kind == token.OAuth {
		return guide.Steps(
			"GitHub no longer accepts this OAuth token: the app's authorization was revoked, or the token was replaced by a newer one.",
			guide.Code("For another app, sign in to it again (its authorizations are at "+c.Server()+"/settings/applications); for the GitHub CLI run:", "gh auth login -h "+c.host()),
			"Then store the new token: "+guide.LowerFirst(c.StoreStep()),
		), ""
	}
	if c.installation() {
		return guide.Steps(
			"Installation tokens expire after one hour, and GITHUB_TOKEN when its job ends: create the token in the same job, right before it is used (for a GitHub App, with actions/create-github-app-token).",
			"Never store an installation token as a secret: store the App's ID and private key instead.",
		), ""
	}
	list := c.Server() + "/settings/tokens"
	if c.fineGrained() {
		list = c.Server() + "/settings/personal-access-tokens"
	}
	return c.replace(
		"Open "+list+" while signed in as the token's owner: if the token is listed, choose it → Regenerate token (its settings are kept) and skip to the step Store it.",
		"GitHub revokes tokens that were pushed to a public repository and tokens unused for a year; if it is not listed, create a new one:",
	)
}

func (c fixer) fixRenew() (string, string) {
	list := c.Server() + "/settings/tokens"
	if c.fineGrained() {
		list = c.Server() + "/settings/personal-access-tokens"
	}
	if c.installation() {
		return guide.Steps("Installation tokens are short-lived by design: create the token in the same job, right before it is used."), ""
	}
	link := c.createLink()
	return guide.Steps(
		"Open "+list+" and choose the token → Regenerate token; pick a new expiration date and confirm (name, scopes and permissions are kept).",
		"Copy the new value (GitHub shows it only once); the old value stops working at once.",
		c.StoreStep(),
		"Or create a fresh token with the same settings: "+link,
		c.leastPrivilegeStep(),
	), link
}

func (c fixer) fixScopes(missing []string) (string, string) {
	if c.installation() {
		return c.fixWorkflowPermissions()
	}
	if c.Kind == token.OAuth {
		return guide.Steps(
			guide.Code("An OAuth token's scopes are those its app asked for. For the GitHub CLI run:", "gh auth refresh -h "+c.host()+" -s "+strings.Join(missing, ",")),
			"For another app, sign in to it again so that it asks for "+strings.Join(missing, ", ")+"; its authorization is listed at "+c.Server()+"/settings/applications.",
			"Then store the new token: "+guide.LowerFirst(c.StoreStep()),
		), ""
	}
	link := c.createLink()
	return guide.Steps(
		fmt.Sprintf("Open %s/settings/tokens while signed in as %s and choose this token (its note names it).", c.Server(), guide.OrDefault(c.Login, "the token's owner")),
		"Tick "+strings.Join(missing, ", ")+" and choose Update token: the value stays the same, so no secret needs changing.",
		c.ssoStep(),
		"Or create a replacement with every scope the job needs ("+strings.Join(c.newScopes(), ", ")+"): "+link+", then "+guide.LowerFirst(c.StoreStep()),
		c.leastPrivilegeStep(),
	), link
}

func (c fixer) fixScopeUnverified() (string, string) {
	return guide.Steps(
		"Scopes exist only for classic and OAuth tokens. For this token, list what the job needs as permissions (for example "+c.Setting("permissions", "contents:write")+") and drop "+c.Opt("scopes")+".",
		"Or, if the job really needs a classic token, create one with those scopes and store it in place of this one.",
	), ""
}

func (c fixer) fixPermissions(f finding.Finding) (string, string) {
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
		return guide.Steps(
			fmt.Sprintf("Open %s/settings/personal-access-tokens, choose the token → Edit.", c.Server()),
			fmt.Sprintf("A fine-grained token has one set of permissions for every repository it selects: under Permissions set %s (the job needs, in all: %s), and under Repository access → Only select repositories make sure %s %s selected. Then Update: the value stays the same (an organization may have to approve the change).",
				guide.OrDefault(grantLabels(f.About.Permissions), missing), c.permissionList(), c.repositoryList(), isAre(len(c.Required.Repositories))),
			fmt.Sprintf("If the token already grants that, what it may do on %s is also limited by the account's own access there: ask for a role that allows it (write access for a write permission), or check that the organization approved the token.", guide.OrDefault(f.About.Target, "the repository")),
			c.ownersNote(),
			"Or create a replacement with every permission the job needs: "+link+", then "+guide.LowerFirst(c.StoreStep()),
			c.leastPrivilegeStep(),
		), link
	}
	return c.replace("Fine-grained permissions belong to fine-grained tokens; create one with " + c.permissionList() + ":")
}

// fixUnverified tells how to confirm by hand what the probes could not
// prove (the finding's message says why: no safe request exists, or GitHub's
// answer settled nothing).
func (c fixer) fixUnverified(target string) (string, string) {
	switch {
	case c.installation():
		return guide.Steps(append([]string{"pat-check could not prove the grant (the message says why) and never writes to find out; confirm it yourself:"}, c.workflowPermissionSteps()...)...), ""
	case c.fineGrained():
		return guide.Steps(
			fmt.Sprintf("Open %s/settings/personal-access-tokens and choose the token: its page lists each permission and level, and the repositories it reaches.", c.Server()),
			"Confirm that "+c.permissionList()+" and that "+target+" is among the selected repositories; if not, choose Edit, set them, and Update (the value stays the same).",
			"Where no safe request can prove a permission the warning stays, and the job's own first use of it will tell; where GitHub's answer settled nothing, a later run may.",
		), ""
	}
	return guide.Steps(
		"For a classic token, access follows from its scopes (repo for private repositories) and the account's role on "+target+": confirm the account may do there what the job needs.",
		"Or use a fine-grained token whose page lists its permissions: "+c.createLink(),
	), c.createLink()
}

// ownersNote warns that a fine-grained token has one resource owner.
func (c fixer) ownersNote() string {
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
func (c fixer) repositoryList() string {
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

func (c fixer) permissionList() string {
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
func (c fixer) fixWorkflowPermissions() (string, string) {
	return guide.Steps(c.workflowPermissionSteps()...), ""
}

func (c fixer) workflowPermissionSteps() []string {
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
		first = guide.Code("For GITHUB_TOKEN, grant it in the workflow (at the top or on the job):", append([]string{"permissions:"}, keys...)...)
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

func (c fixer) fixRepository(repo string) (string, string) {
	switch {
	case c.installation():
		return guide.Steps(
			"GITHUB_TOKEN reaches only the workflow's own repository (and public ones): for "+repo+", use a GitHub App installed on it, or a fine-grained token that selects it.",
			"For a GitHub App's token, install the App on "+repo+" (or on all repositories of its owner), and create the token for that installation.",
		), ""
	case c.fineGrained():
		return guide.Steps(
			fmt.Sprintf("Check the name: %s/%s.", c.Server(), repo),
			fmt.Sprintf("Open %s/settings/personal-access-tokens, choose the token → Edit → Repository access → Only select repositories, add %s, then Update.", c.Server(), repo),
			"The token's resource owner must be the repository's owner ("+check.OwnerOf(repo)+"): a token owned by another account cannot be moved; create a new one with the right owner.",
			"If the owner is an organization that approves tokens, ask an owner to approve it under the organization's Settings → Personal access tokens → Pending requests.",
		), ""
	}
	account := guide.OrDefault(c.Login, "behind the token")
	if slices.Contains(c.GrantedScopes, "repo") {
		// The scope is there: what else makes a repository unreachable for
		// a classic token is the account's access, SSO and the owner's policy.
		return guide.Steps(
			fmt.Sprintf("Check the name: %s/%s.", c.Server(), repo),
			"The token has the repo scope, so the scope is not what stops it. A classic token reaches what its account reaches: make sure the account "+account+" can open the repository in the browser (a collaborator, or a member of a team with access); if not, ask an admin of "+check.OwnerOf(repo)+" to add it.",
			fmt.Sprintf("If %s is an organization that enforces SAML single sign-on: open %s/settings/tokens, choose Configure SSO next to the token, and Authorize next to %s.", check.OwnerOf(repo), c.Server(), check.OwnerOf(repo)),
			fmt.Sprintf("If %s's policy refuses classic tokens (organization Settings → Personal access tokens), use a fine-grained token owned by %s instead.", check.OwnerOf(repo), check.OwnerOf(repo)),
		), ""
	}
	return guide.Steps(
		fmt.Sprintf("Check the name: %s/%s.", c.Server(), repo),
		fmt.Sprintf("Make sure the account %s can open it in the browser (it must be a collaborator or a member of a team with access).", account),
		"For a private repository the classic token needs the repo scope: tick it on the token's page and choose Update token.",
		c.ssoStep(),
	), ""
}

// host is the server's host name, as gh expects it after -h.
func (c fixer) host() string {
	h := strings.TrimPrefix(strings.TrimPrefix(c.Server(), "https://"), "http://")
	return strings.SplitN(h, "/", 2)[0]
}

// ssoLink is GitHub's authorization URL when it is on the server's own
// host; otherwise the organization's SSO page, which leads to the same place
// without trusting a link from the network.
func (c fixer) ssoLink(f finding.Finding) string {
	if given := c.networkLink(f.About.AuthorizationURL); given != "" {
		return given
	}
	return c.Server() + "/orgs/" + f.About.Organization + "/sso"
}

// networkLink returns a link that came from the network when it may be
// offered: no longer than a browser takes, made of printable ASCII only (no
// control character, escape sequence, space or quote), without
// credentials, and on the server's own scheme and host. Otherwise "".
func (c fixer) networkLink(link string) string {
	if link == "" || len(link) > 2048 {
		return ""
	}
	for i := 0; i < len(link); i++ {
		if b := link[i]; b <= ' ' || b >= 0x7f || strings.IndexByte("\"<>\\`", b) >= 0 {
			return ""
		}
	}
	u, err := url.Parse(link)
	srv, serr := url.Parse(c.Server())
	if err != nil || serr != nil || u.User != nil || u.Scheme != srv.Scheme || !strings.EqualFold(u.Host, srv.Host) {
		return ""
	}
	return link
}

func (c fixer) fixSSO(f finding.Finding) (string, string) {
	if c.fineGrained() {
		return guide.Steps(
			fmt.Sprintf("Fine-grained tokens are authorized for SAML single sign-on when they are created: start a SAML session at %s/orgs/%s/sso, then create the token with %s as its resource owner.", c.Server(), f.About.Organization, f.About.Organization),
		), c.ssoLink(f)
	}
	link := c.ssoLink(f)
	valid := ""
	if link == f.About.AuthorizationURL {
		valid = " (the link is valid for one hour)"
	}
	first := fmt.Sprintf("Open %s while signed in as %s%s, sign in with your identity provider, and authorize the token.", link, guide.OrDefault(c.Login, "the token's owner"), valid)
	return guide.Steps(
		first,
		fmt.Sprintf("Or open %s/settings/tokens, choose Configure SSO next to the token, and Authorize next to %s.", c.Server(), f.About.Organization),
		"The token's value does not change: no secret needs updating. Run the job again.",
	), link
}

func (c fixer) fixPolicy(f finding.Finding) (string, string) {
	org := f.About.Organization
	switch f.About.Policy {
	case finding.PolicyLifetime:
		link := c.networkLink(f.About.PolicyURL) // only a settings page on the server itself
		return guide.Steps(
			fmt.Sprintf("The organization %s limits the lifetime of fine-grained tokens. Open %s and set an expiration within the limit the message gives, then save.", org, guide.OrDefault(link, c.Server()+"/settings/personal-access-tokens")),
			"If the expiration cannot be shortened, regenerate the token with a shorter expiration and store the new value: "+guide.LowerFirst(c.StoreStep()),
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
	return guide.Steps(fmt.Sprintf("Ask an owner of %s which tokens its policy accepts (organization Settings → Personal access tokens), and create one that fits.", org)), c.networkLink(f.About.PolicyURL)
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
