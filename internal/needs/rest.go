package needs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
	"github.com/pat-check/pat-check/internal/platformdata"
)

// classicScope is the classic scope that grants a fine-grained permission
// at a level, by GitHub's scope list
// (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/scopes-for-oauth-apps):
// repository permissions come with repo, the others with their own scope.
func classicScope(name string, level check.Level) string {
	write := level >= check.LevelWrite
	pick := func(read, w string) string {
		if write {
			return w
		}
		return read
	}
	switch name {
	case "workflows":
		return "workflow"
	case "security_events":
		return "security_events"
	case "repository_hooks":
		return pick("read:repo_hook", "write:repo_hook")
	case "members", "organization_administration", "organization_secrets", "organization_self_hosted_runners",
		"organization_actions_variables", "organization_custom_roles", "organization_plan", "organization_events":
		return pick("read:org", "admin:org")
	case "organization_projects":
		return pick("read:project", "project")
	case "organization_hooks":
		return "admin:org_hook"
	case "gists":
		return "gist"
	case "emails":
		return "user:email"
	case "followers":
		return "user:follow"
	case "profile":
		return "user"
	case "keys":
		return pick("read:public_key", "write:public_key")
	case "gpg_keys":
		return pick("read:gpg_key", "write:gpg_key")
	case "git_signing_ssh_public_keys":
		return pick("read:ssh_signing_key", "write:ssh_signing_key")
	case "codespaces", "codespaces_lifecycle_admin", "codespaces_metadata", "codespaces_secrets", "codespaces_user_secrets":
		return "codespace"
	case "notifications":
		return "notifications"
	case "packages":
		return pick("read:packages", "write:packages")
	case "starring", "watching", "plan", "interaction_limits", "block_another_user":
		return "user"
	}
	return "repo"
}

// restNeed resolves a GitHub REST request (method, path after the API
// base) to the permissions GitHub's data says gate it, and the classic
// scopes that grant them; a row of the table for the same request gives
// its classic scopes and note instead (repo:status for statuses). ok is
// false when neither the data nor the table covers the request.
func restNeed(method, p string, touchesWorkflows bool) (Row, Need, bool) {
	p = "/" + strings.Trim(p, "/")
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p = p[:i]
	}
	hand, handOK := matchREST(method, p, ghplatform.Platform)
	gating := platformdata.Gating(method, p)
	if len(gating) == 0 {
		if handOK {
			n := rowNeed(hand, touchesWorkflows)
			if r := repoOf(strings.TrimPrefix(p, "/")); r != "" {
				n.Repositories = append(n.Repositories, r)
			}
			return hand, n, true
		}
		return Row{}, Need{}, false
	}
	var n Need
	gating = eitherOf(gating, p)
	for _, e := range gating {
		l, _ := check.ParseLevel(e.Access)
		perm := check.Permission{Name: e.Permission, Level: l}
		if i := slices.IndexFunc(n.Permissions, func(q check.Permission) bool { return q.Name == perm.Name }); i >= 0 {
			n.Permissions[i].Level = max(n.Permissions[i].Level, perm.Level)
		} else {
			n.Permissions = append(n.Permissions, perm)
		}
		if s := classicScope(e.Permission, l); !slices.Contains(n.Scopes, s) {
			n.Scopes = append(n.Scopes, s)
		}
	}
	// Metadata comes with every other repository permission.
	if len(n.Permissions) > 1 {
		n.Permissions = slices.DeleteFunc(n.Permissions, func(q check.Permission) bool { return q.Name == "metadata" })
	}
	row := Row{Rule: fmt.Sprintf("%s %s", method, gating[0].Path), Source: "https://docs.github.com/en/rest/authentication/permissions-required-for-fine-grained-personal-access-tokens"}
	if gating[0].Additional {
		row.Note = "GitHub's data says this endpoint needs other permissions too"
	}
	if handOK {
		n.Scopes = slices.Clone(hand.Scopes)
		row.Note = strings.TrimSpace(row.Note + " " + hand.Note)
		row.Source = hand.Source
		if hand.Workflows && touchesWorkflows {
			n.Scopes = append(n.Scopes, "workflow")
			n.Permissions = append(n.Permissions, check.Permission{Name: "workflows", Level: check.LevelWrite})
		}
	}
	if r := repoOf(strings.TrimPrefix(p, "/")); r != "" {
		n.Repositories = append(n.Repositories, r)
	}
	return row, n, true
}

// eitherOf narrows the rows gating an endpoint: GitHub's data lists an
// endpoint shared by issues and pull requests (labels, comments) under
// both permissions, the one for the object at hand being enough (an
// issue's labels: issues), while other rows marked additional need the
// others too. The one the path names is kept, else
// the first.
func eitherOf(rows []platformdata.Endpoint, p string) []platformdata.Endpoint {
	if len(rows) < 2 {
		return rows
	}
	shared := !slices.ContainsFunc(rows, func(e platformdata.Endpoint) bool { return e.Permission != "issues" && e.Permission != "pull_requests" })
	if !shared && slices.ContainsFunc(rows, func(e platformdata.Endpoint) bool { return e.Additional }) {
		return rows
	}
	for _, e := range rows {
		seg := "/" + strings.ReplaceAll(e.Permission, "_requests", "s") + "/"
		if strings.Contains(p+"/", seg) {
			return []platformdata.Endpoint{e}
		}
	}
	return rows[:1]
}

// octokitRoute is the (method, path) of an Octokit method name
// (pulls.create), from Octokit's own endpoint list.
func octokitRoute(method string) (verb, p string, ok bool) {
	m, ok := platformdata.OctokitMethod(method)
	return m.Verb, m.Path, ok
}

// requestRoute reads an Octokit route: "POST /repos/{owner}/{repo}/dispatches".
func requestRoute(route string) (verb, p string, ok bool) {
	f := strings.Fields(route)
	switch {
	case len(f) == 2:
		return strings.ToUpper(f[0]), f[1], true
	case len(f) == 1 && strings.HasPrefix(f[0], "/"):
		return "GET", f[0], true
	}
	return "", "", false
}

// templatePath fills a route's {owner}/{repo} with the workflow's own
// stand-ins, so that data rows match and no other repository is named.
func templatePath(p string) string {
	r := strings.NewReplacer("{owner}", "OWNER", "{repo}", "REPO", "{org}", "ORG")
	p = r.Replace(p)
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			segs[i] = "X"
		}
	}
	return strings.Join(segs, "/")
}

// scriptCalls finds the REST calls of an actions/github-script script:
// github.rest.NS.METHOD( (and the older github.NS.METHOD(), and
// github.request('VERB /path'). graphql says a GraphQL call was seen;
// other says a use of the client that is neither.
func scriptCalls(js string) (calls [][2]string, unresolved []string, graphql bool) {
	for _, prefix := range []string{"github.", "octokit."} {
		off := 0
		for {
			i := strings.Index(js[off:], prefix)
			if i < 0 {
				break
			}
			start := off + i + len(prefix)
			off = start
			if start-len(prefix) > 0 {
				if c := js[start-len(prefix)-1]; c == '_' || c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
					continue // context.github.x, mygithub.x
				}
			}
			end := start
			for end < len(js) && (js[end] == '.' || js[end] == '_' || js[end] >= 'a' && js[end] <= 'z' || js[end] >= 'A' && js[end] <= 'Z' || js[end] >= '0' && js[end] <= '9') {
				end++
			}
			name := strings.TrimPrefix(js[start:end], "rest.")
			switch {
			case name == "graphql" || strings.HasPrefix(name, "graphql."):
				graphql = true
			case name == "request":
				q := strings.TrimLeft(js[end:], "( \t\n")
				if len(q) > 0 && (q[0] == '\'' || q[0] == '"' || q[0] == '`') {
					if j := strings.IndexByte(q[1:], q[0]); j >= 0 {
						if v, p, ok := requestRoute(q[1 : 1+j]); ok {
							calls = append(calls, [2]string{v, p})
							continue
						}
					}
				}
				unresolved = append(unresolved, "github.request with a computed route")
			case name == "paginate" || strings.HasPrefix(name, "paginate."):
				// github.paginate(github.rest.x.y, …): the method follows.
			case strings.Count(name, ".") == 1:
				if v, p, ok := octokitRoute(name); ok {
					calls = append(calls, [2]string{v, p})
				} else {
					unresolved = append(unresolved, "github.rest."+name)
				}
			}
			off = end
		}
	}
	return calls, unresolved, graphql
}

// resolveScript records what an actions/github-script step's calls need.
func resolveScript(st *jobState, s *stepIn, tok string, line int) {
	js := s.inputs["script"].text
	calls, unresolved, graphql := scriptCalls(js)
	if len(calls) == 0 && len(unresolved) == 0 && !graphql {
		if !strings.Contains(js, "github") && !strings.Contains(js, "require(") && !strings.Contains(js, "exec") {
			return // a script that does not call the API
		}
		st.unknown(s, tok, ghplatform.Platform, line, "actions/github-script: no call of the script is one pat-check can read")
		return
	}
	for _, c := range calls {
		row, n, ok := restNeed(c[0], templatePath(c[1]), st.j.touchesWorkflows)
		if !ok {
			st.unknown(s, tok, ghplatform.Platform, line, fmt.Sprintf("actions/github-script calls %s %s, which GitHub's permission data does not cover", c[0], c[1]))
			continue
		}
		row.Rule = "actions/github-script: " + row.Rule
		st.useNeed(s, tok, ghplatform.Platform, line, row, n)
	}
	for _, u := range unresolved {
		st.unknown(s, tok, ghplatform.Platform, line, fmt.Sprintf("actions/github-script calls %s, which Octokit's method list does not name", u))
	}
	if graphql {
		st.unknown(s, tok, ghplatform.Platform, line, "actions/github-script makes a GraphQL call: its needs depend on the fields it asks for")
	}
}

// resolveRoute records what an octokit/request-action step's route needs.
func resolveRoute(st *jobState, s *stepIn, tok string, line int) {
	route := s.inputs["route"]
	v, p, ok := requestRoute(route.text)
	if !ok || route.exprs {
		st.unknown(s, tok, ghplatform.Platform, line, fmt.Sprintf("octokit/request-action with the route %q, which pat-check cannot read", clip(route.text)))
		return
	}
	fill := func(k, ph string) {
		if w, ok := s.inputs[k]; ok && !w.exprs && strings.TrimSpace(w.text) != "" {
			p = strings.ReplaceAll(p, ph, strings.TrimSpace(w.text))
		}
	}
	fill("owner", "{owner}")
	fill("repo", "{repo}")
	if w, ok := s.inputs["repository"]; ok && !w.exprs && repoShape.MatchString(strings.TrimSpace(w.text)) {
		o, n, _ := strings.Cut(strings.TrimSpace(w.text), "/")
		p = strings.ReplaceAll(strings.ReplaceAll(p, "{owner}", o), "{repo}", n)
	}
	row, n, ok := restNeed(v, templatePath(p), st.j.touchesWorkflows)
	if !ok {
		st.unknown(s, tok, ghplatform.Platform, line, fmt.Sprintf("octokit/request-action: %s %s is not in GitHub's permission data", v, p))
		return
	}
	row.Rule = "octokit/request-action: " + row.Rule
	st.useNeed(s, tok, ghplatform.Platform, line, row, n)
}
