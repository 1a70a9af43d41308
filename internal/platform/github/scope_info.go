package github

import (
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
)

// ScopeInfo is what pat-check knows of one classic/OAuth scope: what it
// allows, in plain words, and the fine-grained permissions that cover the
// same ground.
//
// Sources. Allows paraphrases GitHub's docs "Scopes for OAuth apps"
// (docs.github.com/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps),
// the page that also gives the hierarchy in scopes.go. FineGrained is
// always indirect: GitHub publishes no table from scopes to fine-grained
// permissions, so each row is derived by matching what the scope's
// description names with the permission that gates those endpoints in
// GitHub's fine-grained permission data (github/docs
// fine-grained-pat-permissions.json, ../shared/data/github-fine-grained-permissions.tsv).
// Evidence names, for every permission of the row, one endpoint of that
// data at that level ("permission level VERB path"); a test holds each to
// the data. Note says where the row leans on a further source or on
// judgement. NoEquivalent, when set, says why the scope has no
// fine-grained counterpart pat-check can vouch for.
type ScopeInfo struct {
	Allows       string
	FineGrained  []check.Permission
	Evidence     []string
	Note         string
	NoEquivalent string
}

func perms(s ...string) []check.Permission {
	out := make([]check.Permission, len(s))
	for i, p := range s {
		name, level, _ := strings.Cut(p, ":")
		l, _ := check.ParseLevel(level)
		out[i] = check.Permission{Name: name, Level: l}
	}
	return out
}

// The reasons a scope has no fine-grained counterpart.
const (
	noPackages   = "GitHub Packages accepts only classic tokens: there is no fine-grained packages permission (docs \"Working with the npm registry\": \"GitHub Packages only supports authentication using a personal access token (classic)\")"
	noEnterprise = "enterprise-level access: a fine-grained token's resource owner is a user or an organization, never an enterprise"
	noMapping    = "pat-check knows no fine-grained permission that covers it"
)

// scopeInfo is the table, by scope.
var scopeInfo = map[string]ScopeInfo{
	"repo": {
		Allows: "full control of every repository the account can reach, private ones included: code, issues, pull requests, commit statuses, deployments, webhooks, Actions and code scanning alerts",
		FineGrained: perms("metadata:read", "contents:write", "issues:write", "pull_requests:write", "statuses:write",
			"deployments:write", "actions:write", "repository_hooks:write", "security_events:write"),
		Evidence: []string{"metadata read GET /repos/{owner}/{repo}", "contents write PUT /repos/{owner}/{repo}/contents/{path}",
			"issues write POST /repos/{owner}/{repo}/issues", "pull_requests write POST /repos/{owner}/{repo}/pulls",
			"statuses write POST /repos/{owner}/{repo}/statuses/{sha}", "deployments write POST /repos/{owner}/{repo}/deployments",
			"actions write DELETE /repos/{owner}/{repo}/actions/artifacts/{artifact_id}", "repository_hooks write DELETE /repos/{owner}/{repo}/hooks/{hook_id}",
			"security_events write PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}"},
		Note: "actions: the REST docs of the Actions endpoints say classic tokens need repo for them; collaborators and invitations, which repo also covers, " +
			"need administration:write, left out because it also deletes the repository: add it only if the job manages collaborators",
	},
	"repo:status": {
		Allows:      "read and write commit statuses in every repository the account can reach",
		FineGrained: perms("statuses:write"), Evidence: []string{"statuses write POST /repos/{owner}/{repo}/statuses/{sha}"},
	},
	"repo_deployment": {
		Allows:      "read and write deployments and deployment statuses",
		FineGrained: perms("deployments:write"), Evidence: []string{"deployments write POST /repos/{owner}/{repo}/deployments"},
	},
	"public_repo": {
		Allows:      "write to public repositories: code, issues, pull requests, commit statuses and deployments, and star repositories",
		FineGrained: perms("metadata:read", "contents:write", "issues:write", "pull_requests:write", "statuses:write", "deployments:write"),
		Evidence: []string{"metadata read GET /repos/{owner}/{repo}", "contents write PUT /repos/{owner}/{repo}/contents/{path}",
			"issues write POST /repos/{owner}/{repo}/issues", "pull_requests write POST /repos/{owner}/{repo}/pulls",
			"statuses write POST /repos/{owner}/{repo}/statuses/{sha}", "deployments write POST /repos/{owner}/{repo}/deployments"},
		Note: "a fine-grained token writes only to the repositories it selects, public or not",
	},
	"repo:invite": {
		Allows:      "accept and decline invitations to collaborate on repositories",
		FineGrained: perms("administration:write"), Evidence: []string{"administration write DELETE /user/repository_invitations/{invitation_id}"},
	},
	"security_events": {
		Allows:      "read and write code scanning alerts",
		FineGrained: perms("security_events:write"), Evidence: []string{"security_events write PATCH /repos/{owner}/{repo}/code-scanning/alerts/{alert_number}"},
	},
	"workflow": {
		Allows:      "add and change GitHub Actions workflow files",
		FineGrained: perms("workflows:write"), Evidence: []string{"workflows write PUT /repos/{owner}/{repo}/contents/{path}"},
	},
	"admin:repo_hook": {
		Allows:      "create, change and delete repository webhooks",
		FineGrained: perms("repository_hooks:write"), Evidence: []string{"repository_hooks write DELETE /repos/{owner}/{repo}/hooks/{hook_id}"},
	},
	"write:repo_hook": {
		Allows:      "create and change repository webhooks",
		FineGrained: perms("repository_hooks:write"), Evidence: []string{"repository_hooks write POST /repos/{owner}/{repo}/hooks"},
	},
	"read:repo_hook": {
		Allows:      "read repository webhooks",
		FineGrained: perms("repository_hooks:read"), Evidence: []string{"repository_hooks read GET /repos/{owner}/{repo}/hooks"},
	},
	"admin:org": {
		Allows:      "fully manage the organization: its settings, teams, memberships and projects",
		FineGrained: perms("organization_administration:write", "members:write", "organization_projects:write"),
		Evidence: []string{"organization_administration write PATCH /orgs/{org}", "members write PUT /orgs/{org}/memberships/{username}",
			"organization_projects write POST /orgs/{org}/projectsV2/{project_number}/items"},
	},
	"write:org": {
		Allows:      "change organization and team memberships and organization projects",
		FineGrained: perms("members:write", "organization_projects:write"),
		Evidence:    []string{"members write PUT /orgs/{org}/memberships/{username}", "organization_projects write POST /orgs/{org}/projectsV2/{project_number}/items"},
	},
	"read:org": {
		Allows:      "read organization and team memberships and organization projects",
		FineGrained: perms("members:read", "organization_projects:read"),
		Evidence:    []string{"members read GET /orgs/{org}/members", "organization_projects read GET /orgs/{org}/projectsV2"},
	},
	"manage_runners:org": {
		Allows:      "manage the organization's self-hosted runners",
		FineGrained: perms("organization_self_hosted_runners:write"), Evidence: []string{"organization_self_hosted_runners write POST /orgs/{org}/actions/runner-groups"},
	},
	"admin:org_hook": {
		Allows:      "create, change and delete organization webhooks",
		FineGrained: perms("organization_hooks:write"), Evidence: []string{"organization_hooks write DELETE /orgs/{org}/hooks/{hook_id}"},
	},
	"gist": {
		Allows:      "create and change gists",
		FineGrained: perms("gists:write"), Evidence: []string{"gists write POST /gists"},
	},
	"notifications": {
		Allows:       "read and manage the account's notifications",
		NoEquivalent: "no fine-grained permission gates the notifications API (GitHub's fine-grained permission data has no /notifications endpoint)",
	},
	"user": {
		Allows:      "change the account's profile, and read its e-mail addresses and follow or unfollow users",
		FineGrained: perms("profile:write", "emails:read", "followers:write"),
		Evidence:    []string{"profile write PATCH /user", "emails read GET /user/emails", "followers write PUT /user/following/{username}"},
	},
	"read:user": {Allows: "read the account's profile", NoEquivalent: noMapping},
	"user:email": {
		Allows:      "read the account's e-mail addresses",
		FineGrained: perms("emails:read"), Evidence: []string{"emails read GET /user/emails"},
	},
	"user:follow": {
		Allows:      "follow and unfollow users",
		FineGrained: perms("followers:write"), Evidence: []string{"followers write PUT /user/following/{username}"},
	},
	"admin:public_key": {
		Allows:      "add and delete the account's SSH keys",
		FineGrained: perms("keys:write"), Evidence: []string{"keys write POST /user/keys"},
	},
	"write:public_key": {
		Allows:      "add the account's SSH keys",
		FineGrained: perms("keys:write"), Evidence: []string{"keys write POST /user/keys"},
	},
	"read:public_key": {
		Allows:      "read the account's SSH keys",
		FineGrained: perms("keys:read"), Evidence: []string{"keys read GET /user/keys"},
	},
	"admin:gpg_key": {
		Allows:      "add and delete the account's GPG keys",
		FineGrained: perms("gpg_keys:write"), Evidence: []string{"gpg_keys write POST /user/gpg_keys"},
	},
	"write:gpg_key": {
		Allows:      "add the account's GPG keys",
		FineGrained: perms("gpg_keys:write"), Evidence: []string{"gpg_keys write POST /user/gpg_keys"},
	},
	"read:gpg_key": {
		Allows:      "read the account's GPG keys",
		FineGrained: perms("gpg_keys:read"), Evidence: []string{"gpg_keys read GET /user/gpg_keys"},
	},
	"admin:ssh_signing_key": {
		Allows:      "add and delete the account's SSH signing keys",
		FineGrained: perms("git_signing_ssh_public_keys:write"), Evidence: []string{"git_signing_ssh_public_keys write POST /user/ssh_signing_keys"},
	},
	"write:ssh_signing_key": {
		Allows:      "add the account's SSH signing keys",
		FineGrained: perms("git_signing_ssh_public_keys:write"), Evidence: []string{"git_signing_ssh_public_keys write POST /user/ssh_signing_keys"},
	},
	"read:ssh_signing_key": {
		Allows:      "read the account's SSH signing keys",
		FineGrained: perms("git_signing_ssh_public_keys:read"), Evidence: []string{"git_signing_ssh_public_keys read GET /user/ssh_signing_keys"},
	},
	"delete_repo": {
		Allows:      "delete any repository the account administers",
		FineGrained: perms("administration:write"), Evidence: []string{"administration write DELETE /repos/{owner}/{repo}"},
	},
	"write:packages":  {Allows: "publish packages to GitHub Packages", NoEquivalent: noPackages},
	"read:packages":   {Allows: "download packages from GitHub Packages", NoEquivalent: noPackages},
	"delete:packages": {Allows: "delete packages from GitHub Packages", NoEquivalent: noPackages},
	"codespace": {
		Allows:      "create and manage the account's codespaces",
		FineGrained: perms("codespaces:write"), Evidence: []string{"codespaces write POST /user/codespaces"},
	},
	"codespace:secrets":            {Allows: "manage the account's codespace secrets", NoEquivalent: noMapping},
	"project":                      {Allows: "read and write projects", NoEquivalent: noMapping},
	"read:project":                 {Allows: "read projects", NoEquivalent: noMapping},
	"admin:enterprise":             {Allows: "fully manage the enterprise", NoEquivalent: noEnterprise},
	"manage_runners:enterprise":    {Allows: "manage the enterprise's self-hosted runners", NoEquivalent: noEnterprise},
	"manage_billing:enterprise":    {Allows: "read and manage the enterprise's billing", NoEquivalent: noEnterprise},
	"read:enterprise":              {Allows: "read the enterprise's data", NoEquivalent: noEnterprise},
	"scim:enterprise":              {Allows: "provision and manage the enterprise's users and groups through SCIM", NoEquivalent: noEnterprise},
	"admin:network_configurations": {Allows: "create, change and delete the hosted compute network configurations of the organization or enterprise", NoEquivalent: noMapping},
	"read:network_configurations":  {Allows: "read the hosted compute network configurations of the organization or enterprise", NoEquivalent: noMapping},
	"write:discussion":             {Allows: "read and write team discussions", NoEquivalent: noMapping},
	"read:discussion":              {Allows: "read team discussions", NoEquivalent: noMapping},
	"read:audit_log":               {Allows: "read the audit log", NoEquivalent: noMapping},
	"audit_log":                    {Allows: "read and stream the audit log", NoEquivalent: noMapping},
	"site_admin":                   {Allows: "administer a GitHub Enterprise Server instance", NoEquivalent: noEnterprise},
	"copilot":                      {Allows: "manage GitHub Copilot settings", NoEquivalent: noMapping},
	"manage_billing:copilot":       {Allows: "manage GitHub Copilot billing", NoEquivalent: noMapping},
}

// ScopeAllows says in plain words what a scope allows ("delete_repo:
// delete any repository the account administers"); the scope alone when
// pat-check has no words for it.
func ScopeAllows(scope string) string {
	if i, ok := scopeInfo[scope]; ok && i.Allows != "" {
		return scope + ": " + i.Allows
	}
	return scope
}

// FineGrainedFor returns the fine-grained permissions the scopes
// correspond to, merged to the highest level per permission, and the
// scopes that have no counterpart, each as "scope: why". Implied scopes
// are not expanded: a parent's row already covers its children.
func FineGrainedFor(scopes []string) (equivalent []check.Permission, none []string) {
	for _, s := range MinimalScopes(scopes) {
		i, ok := scopeInfo[s]
		if !ok || len(i.FineGrained) == 0 {
			why := noMapping
			if ok && i.NoEquivalent != "" {
				why = i.NoEquivalent
			}
			none = append(none, s+": "+why)
			continue
		}
		for _, p := range i.FineGrained {
			if j := slices.IndexFunc(equivalent, func(q check.Permission) bool { return q.Name == p.Name }); j >= 0 {
				equivalent[j].Level = max(equivalent[j].Level, p.Level)
				continue
			}
			equivalent = append(equivalent, p)
		}
	}
	return equivalent, none
}
