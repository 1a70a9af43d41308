package github

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

// This file is the guidance of the best practices: least privilege (excess
// scopes and permissions, the least-privilege link), short lifetimes,
// fine-grained tokens where they would do, and what to do about a token
// committed to the repository.

// keptPermissions are the permissions a replacement fine-grained token
// keeps: the required ones and those it was found to hold besides.
func (c fixer) keptPermissions() []check.Permission {
	out := slices.Clone(c.Required.Permissions)
	for _, p := range c.ExtraPermissions {
		if i := slices.IndexFunc(out, func(q check.Permission) bool { return q.Name == p.Name }); i >= 0 {
			out[i].Level = max(out[i].Level, p.Level)
			continue
		}
		out = append(out, p)
	}
	return out
}

// LeastPrivilegeLink is the pre-filled creation page of a token with only
// what the job needs; "" when the job's needs are not known or the
// replacement link already grants no more.
func (c fixer) LeastPrivilegeLink() string {
	if c.installation() {
		return ""
	}
	if c.wantsFineGrained() {
		if len(c.Required.Permissions) == 0 || len(c.ExtraPermissions) == 0 {
			return ""
		}
		return FineGrainedTokenLink(c.Server(), c.Description(), "Used by "+c.Description()+" (least privilege)", c.owner(), 90, c.Required.Permissions)
	}
	if c.Kind == token.OAuth || len(c.Required.Scopes) == 0 {
		return ""
	}
	least := MinimalScopes(c.Required.Scopes)
	if slices.Equal(least, c.newScopes()) {
		return ""
	}
	return ClassicTokenLink(c.Server(), least, c.Description())
}

// leastPrivilegeStep offers the least-privilege link beside a replacement
// that keeps what the token has today.
func (c fixer) leastPrivilegeStep() string {
	link := c.LeastPrivilegeLink()
	if link == "" {
		return ""
	}
	what := strings.Join(MinimalScopes(c.Required.Scopes), ", ")
	if c.wantsFineGrained() {
		what = c.permissionList()
	}
	return "Least privilege: the link above keeps what the token has today, in case other jobs rely on it; if none does, create it with only what this job needs (" + what + ") instead: " + link
}

func (c fixer) fixScopeExcess(f finding.Finding) (string, string) {
	drop := strings.Join(f.About.Excess, ", ")
	if c.Kind == token.OAuth {
		return guide.Steps(
			"An OAuth token's scopes are those its app asked for. For the GitHub CLI run: gh auth refresh -h "+c.host()+" --remove-scopes "+strings.Join(f.About.Excess, ","),
			"For another app, revoke its authorization at "+c.Server()+"/settings/applications and sign in again, granting only "+check.OrNone(f.About.Needed)+".",
		), ""
	}
	least := ClassicTokenLink(c.Server(), f.About.Needed, c.Description())
	retick := ""
	if len(f.About.Replace) > 0 {
		retick = "Unticking a scope unticks what it includes: tick " + strings.Join(f.About.Replace, ", ") + " again, on its own."
	}
	return guide.Steps(
		fmt.Sprintf("Open %s/settings/tokens while signed in as %s and choose this token (its note names it).", c.Server(), guide.OrDefault(c.Login, "the token's owner")),
		"Untick "+drop+".",
		retick,
		"Choose Update token: the value stays the same, so no secret needs changing.",
		"If another job uses this token and needs "+drop+", give that job a token of its own rather than keep them here.",
		"Or create a token with only what this job needs ("+check.OrNone(f.About.Needed)+"): "+least+", then "+guide.LowerFirst(c.StoreStep()),
	), least
}

func (c fixer) fixPermissionExcess(f finding.Finding) (string, string) {
	if c.installation() {
		return c.fixInstallationExcess(f)
	}
	labels := make([]string, 0, len(f.About.Excess))
	for _, e := range f.About.Excess {
		p, err := ParsePermission(e)
		if err != nil {
			continue
		}
		to := "No access"
		for _, r := range c.Required.Permissions {
			if r.Name == p.Name {
				to = levelLabel(r.Level)
			}
		}
		labels = append(labels, fmt.Sprintf("%s → %s", permissionLabel(p.Name), to))
	}
	least := FineGrainedTokenLink(c.Server(), c.Description(), "Used by "+c.Description()+" (least privilege)", c.owner(), 90, c.Required.Permissions)
	return guide.Steps(
		fmt.Sprintf("Open %s/settings/personal-access-tokens and choose the token → Edit.", c.Server()),
		"Under Permissions set "+strings.Join(labels, ", ")+"; keep "+c.permissionList()+".",
		"Choose Update: the value stays the same (an organization may have to approve the change).",
		c.probedStep(f),
		"Or create a token with only what this job needs: "+least+", then "+guide.LowerFirst(c.StoreStep()),
	), least
}

// probedStep says what the probes covered: the token's page lists the
// rest, which the probe table has no safe request for.
func (c fixer) probedStep(f finding.Finding) string {
	step := "pat-check found these with read-only requests on " + f.About.Target + "; the token's page lists every permission it holds"
	if len(f.About.Unprobed) > 0 {
		step += ", including those no safe request can probe: " + unprobedNames(f.About.Unprobed)
	}
	return step + "."
}

// unprobedNames names permissions given as name:level once each, a name
// unprobed at write only marked so: "actions, discussions (write)".
func unprobedNames(ps []string) string {
	levels := map[string][]string{}
	var order []string
	for _, p := range ps {
		name, level, _ := strings.Cut(p, ":")
		if _, ok := levels[name]; !ok {
			order = append(order, name)
		}
		levels[name] = append(levels[name], level)
	}
	named := make([]string, len(order))
	for i, n := range order {
		named[i] = n
		if l := levels[n]; len(l) == 1 && l[0] != "read" {
			named[i] += " (" + l[0] + ")"
		}
	}
	return strings.Join(named, ", ")
}

// PermissionsBlock is the smallest permissions block that gives
// GITHUB_TOKEN the required permissions, as YAML: the keys a workflow
// accepts, each at its level (write at most), in the order required;
// permissions: {} when the job needs none of them.
func PermissionsBlock(required []check.Permission) string {
	var b strings.Builder
	b.WriteString("permissions:")
	n := 0
	for _, p := range required {
		if k, ok := workflowKeys[p.Name]; ok {
			fmt.Fprintf(&b, "\n  %s: %s", k, min(p.Level, check.LevelWrite))
			n++
		}
	}
	if n == 0 {
		return "permissions: {}"
	}
	return b.String()
}

func (c fixer) fixInstallationExcess(f finding.Finding) (string, string) {
	block := strings.Split(PermissionsBlock(c.Required.Permissions), "\n")
	return guide.Steps(
		guide.Code("For GITHUB_TOKEN: give the job the smallest permissions block, on the job or at the top of the workflow; every permission it does not list is then none:", block...),
		"For a GitHub App's installation token: remove "+strings.Join(f.About.Excess, ", ")+" from the App's permissions (App settings → Permissions & events), or ask for less when the token is made (actions/create-github-app-token's permission-<name> inputs, e.g. permission-contents: read).",
	), ""
}

func (c fixer) fixLifetime(f finding.Finding) (string, string) {
	days := f.About.MaxDays
	policy := ""
	if f.About.PolicyMessage != "" {
		policy = fmt.Sprintf("The organization %s enforces a limit of its own (quoted in the message): pick a date within both.", f.About.Organization)
	}
	if c.installation() {
		return guide.Steps("Installation tokens are short-lived by design (an hour; GITHUB_TOKEN until its job ends): create one in the job that uses it."), ""
	}
	list := c.Server() + "/settings/tokens"
	if c.fineGrained() {
		list = c.Server() + "/settings/personal-access-tokens"
	}
	if f.About.DaysLeft == nil {
		// A token that never expires also has token-no-expiration, whose
		// fix (Regenerate token with a date within the policy) ends both.
		return guide.Steps(fmt.Sprintf("Give the token an expiration at most %d days away: the steps are those of token-no-expiration (Regenerate token), which end both findings.", days), policy), list
	}
	lines := c.regenerateSteps(fmt.Sprintf("pick a date at most %d days away (GitHub offers 7, 30, 60 and 90 days, or a custom date)", days))
	lines = slices.Insert(lines, 2, policy)
	lines = append(lines, "pat-check warns before the new date comes ("+c.Opt("warn-days-left")+"), so rotation is never a surprise.")
	return guide.Steps(lines...), list
}

func (c fixer) fixKindAdvice(f finding.Finding) (string, string) {
	if len(f.About.NoEquivalent) > 0 {
		return guide.Steps(
			"Keep a classic token for "+strings.Join(f.About.NoEquivalent, "; ")+".",
			"Give it only those scopes and a short expiration; if the job needs other scopes too, a fine-grained token can carry those separately.",
		), ""
	}
	var perms []check.Permission
	for _, e := range f.About.Equivalents {
		if p, err := ParsePermission(e); err == nil {
			perms = append(perms, p)
		}
	}
	ctx := c
	ctx.Kind = token.FineGrained
	ctx.Required.Permissions = perms
	link := FineGrainedTokenLink(c.Server(), c.Description(), "Used by "+c.Description()+" (replaces a classic token)", ctx.owner(), 90, perms)
	return guide.Steps(
		"Create a fine-grained token: "+link+" (pre-filled with "+ctx.permissionList()+").",
		"Narrow them to what the job uses: these cover all that "+strings.Join(f.About.Scopes, ", ")+" allowed; set to Read-only what the job only reads, and to No access what it never touches.",
		"Repository access: Only select repositories → "+c.repositoryList()+"; resource owner: "+guide.OrDefault(ctx.owner(), "the owner of those repositories")+".",
		"Generate token, copy the value, and "+guide.LowerFirst(c.StoreStep()),
		"Then state what the job needs as "+c.Opt("permissions")+" (for example "+c.Setting("permissions", "contents:write")+") instead of "+c.Opt("scopes")+", and delete the classic token at "+c.Server()+"/settings/tokens.",
	), link
}

func (c fixer) fixCommitted(f finding.Finding) (string, string) {
	list := c.Server() + "/settings/tokens"
	if c.fineGrained() {
		list = c.Server() + "/settings/personal-access-tokens"
	}
	// GitHub keeps cached views and pull request refs that a force-push
	// leaves: https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/removing-sensitive-data-from-a-repository
	remove := guide.RemoveStep(f.About.Places) + " GitHub's \"Removing sensitive data from a repository\" says what a force-push leaves on GitHub."
	if c.installation() {
		// An installation token is minted from the App's private key, in
		// the job that uses it: https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/making-authenticated-api-requests-with-a-github-app-in-a-github-actions-workflow
		return guide.Steps(
			"Revoke it now: an installation token is revoked with DELETE /installation/token (it expires within an hour anyway).",
			"Make installation tokens in the job that needs one (actions/create-github-app-token, from the App's ID and private key kept as secrets), or use the job's GITHUB_TOKEN: one written to a file is stale within the hour.",
			remove,
		), "" // no token page makes one
	}
	return guide.Steps(
		"Revoke the token now: open "+list+", choose the token → Delete. Anyone who read the file may already have it.",
		"Create a new token: "+c.createLink(),
		c.StoreStep()+" Read it in the job from there, never from a file.",
		remove,
	), list
}
