package github

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/platformdata"
)

// escapeListItem percent-encodes a scope for the scopes= list while keeping
// the characters GitHub's own links show plainly (read:org, repo_deployment).
func escapeListItem(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == ':', c == '_', c == '.', c == '-':
			b.WriteByte(c)
		default:
			// Two hex digits always (RFC 3986, section 2.1): a byte below
			// 0x10 written as one digit would join the next character.
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// ClassicTokenLink is the pre-filled creation page of a classic token with
// the given scopes ticked.
func ClassicTokenLink(server string, scopes []string, description string) string {
	items := make([]string, len(scopes))
	for i, s := range scopes {
		items[i] = escapeListItem(s)
	}
	link := server + "/settings/tokens/new?scopes=" + strings.Join(items, ",")
	if description != "" {
		link += "&description=" + url.QueryEscape(description)
	}
	return link
}

// FineGrainedTokenLink is the pre-filled creation page of a fine-grained
// token (docs "Pre-filling fine-grained personal access token details using
// URL parameters"): name ≤ 40, description ≤ 1024, expires_in 1–366,
// <permission>=read|write|admin. Repositories cannot be pre-selected.
func FineGrainedTokenLink(server, name, description, owner string, expiresInDays int, perms []check.Permission) string {
	q := []string{}
	add := func(k, v string) {
		if v != "" {
			q = append(q, k+"="+url.QueryEscape(v))
		}
	}
	add("name", finding.Cut(name, 40))
	add("description", finding.Cut(description, 1024))
	add("target_name", owner)
	if expiresInDays > 0 {
		add("expires_in", strconv.Itoa(min(expiresInDays, 366)))
	}
	for _, p := range perms {
		if prefill[p.Name] {
			add(p.Name, offeredLevel(p))
		}
	}
	return server + "/settings/personal-access-tokens/new?" + strings.Join(q, "&")
}

// prefill are the permissions GitHub's creation page accepts as parameters
// (docs "Pre-filling fine-grained personal access token details using URL
// parameters", github/docs content/authentication/keeping-your-account-and-data-secure/
// managing-your-personal-access-tokens.md, plus those the page was seen to
// accept: organization hooks, organization variables, user blocking, custom
// roles, events, followers, profile, starring and watching). Others,
// such as checks, exist only for GitHub Apps and GITHUB_TOKEN.
var prefill = map[string]bool{
	"actions": true, "administration": true, "attestations": true, "security_events": true, "codespaces": true,
	"statuses": true, "contents": true, "vulnerability_alerts": true, "dependabot_secrets": true, "deployments": true,
	"discussions": true, "environments": true, "issues": true, "merge_queues": true, "metadata": true, "pages": true,
	"pull_requests": true, "repository_advisories": true, "secret_scanning_alerts": true, "secrets": true,
	"actions_variables": true, "repository_hooks": true, "workflows": true,
	"members": true, "organization_administration": true, "organization_secrets": true,
	"organization_self_hosted_runners": true, "organization_projects": true,
	"organization_hooks": true, "organization_actions_variables": true, "organization_user_blocking": true,
	"organization_custom_org_roles": true, "organization_events": true,
	"emails": true, "gists": true, "keys": true, "gpg_keys": true,
	"followers": true, "profile": true, "starring": true, "watching": true,
}

// offeredLevel is the level to pre-fill: the one asked, moved into the range
// GitHub offers for the permission (its data lists write-only permissions,
// such as workflows and gists, only at write, and metadata only at read).
func offeredLevel(p check.Permission) string {
	offered := platformdata.Levels(p.Name)
	if len(offered) == 0 {
		return p.Level.String()
	}
	want := p.Level.String()
	if slices.Contains(offered, want) {
		return want
	}
	lowest, highest := offered[0], offered[len(offered)-1]
	if p.Level < mustLevel(lowest) {
		return lowest
	}
	return highest
}

func mustLevel(s string) check.Level {
	l, _ := check.ParseLevel(s)
	return l
}
