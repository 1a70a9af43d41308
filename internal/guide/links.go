package guide

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
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
			b.WriteString("%" + strings.ToUpper(strconv.FormatUint(uint64(c), 16)))
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
	add("name", clipRunes(name, 40))
	add("description", clipRunes(description, 1024))
	add("target_name", owner)
	if expiresInDays > 0 {
		add("expires_in", strconv.Itoa(min(expiresInDays, 366)))
	}
	for _, p := range perms {
		add(p.Name, p.Level.String())
	}
	return server + "/settings/personal-access-tokens/new?" + strings.Join(q, "&")
}

func clipRunes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n])
	}
	return s
}
