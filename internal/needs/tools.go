package needs

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

var ghValued = map[string]bool{"-R": true, "--repo": true, "-X": true, "--method": true, "-f": true, "-F": true,
	"--field": true, "--raw-field": true, "-H": true, "--header": true, "--input": true, "-q": true, "--jq": true,
	"-t": true, "--template": true, "--hostname": true, "-b": true, "--body": true, "--title": true, "-B": true,
	"--base": true, "--head": true, "--notes": true, "-n": true, "--label": true, "-l": true, "--ref": true, "-r": true,
	"-e": true, "--env": true, "--org": true, "-o": true, "--body-file": true, "--notes-file": true, "-a": true, "--assignee": true,
	"-m": true, "--milestone": true, "-p": true, "--project": true, "--reviewer": true, "--limit": true, "-L": true,
	"--json": true, "--state": true, "-s": true, "--search": true, "-S": true, "--workflow": true, "-w": true, "--branch": true,
	"-c": true, "--color": true, "-d": true, "--description": true, "--target": true, "--discussion-category": true, "--visibility": true}

func (r *shellRun) gh(args []word, inline map[string]val, line int, stdin []string) {
	words := append([]string{"gh"}, positional(args, ghValued)...)
	if len(words) >= 3 && words[1] == "auth" && words[2] == "login" {
		if len(stdin) > 0 {
			r.place(stdin)
			r.vars["GH_TOKEN"] = val{tokens: stdin, line: line}
			if row, n, ok := ghNeed(words, args, r.st.j.touchesWorkflows); ok {
				for _, tok := range stdin {
					r.st.useNeed(r.s, tok, ghplatform.Platform, line, row, n)
				}
			}
		}
		return
	}
	v, ok := r.readEnv(inline, "GH_TOKEN", "GITHUB_TOKEN", "GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")
	if !ok {
		return // gh without a token of the workflow's: nothing to attribute
	}
	r.place(v.tokens)
	var repos []string
	if w, ok := flagValue(args, "-R", "--repo"); ok && !w.dynamic {
		repos = append(repos, repoOf(w.text))
	} else if w, ok := r.env(inline, "GH_REPO"); ok && !w.exprs {
		repos = append(repos, repoOf(w.text))
	} else if l, ok := r.lits["GH_REPO"]; ok {
		repos = append(repos, repoOf(l.text))
	}
	repos = slices.DeleteFunc(repos, func(s string) bool { return s == "" })
	if len(words) >= 2 && words[1] == "api" && (len(words) < 3 || words[2] != "graphql") {
		r.ghAPI(args, v.tokens, line)
		return
	}
	// gh repo sync mirrors another repository's branches, workflow files
	// included; gh repo clone/sync/view name the repository they reach.
	mirror := len(words) >= 3 && words[1] == "repo" && words[2] == "sync"
	if len(words) >= 4 && words[1] == "repo" {
		if rp := repoOf(words[3]); rp != "" && len(repos) == 0 {
			repos = append(repos, rp)
		}
	}
	row, n, found := ghNeed(words, args, r.st.j.touchesWorkflows || mirror)
	if !found {
		row, found = matchCommand(words, ghplatform.Platform)
		n = rowNeed(row, r.st.j.touchesWorkflows)
	}
	n.Repositories = append(n.Repositories, repos...)
	for _, tok := range v.tokens {
		if !found {
			r.st.unknown(r.s, tok, ghplatform.Platform, line, fmt.Sprintf("%s: pat-check has no rule for this gh command", strings.Join(words[:min(len(words), 3)], " ")))
			continue
		}
		r.st.useNeed(r.s, tok, ghplatform.Platform, line, row, n)
	}
}

// ghRow is what one gh subcommand (or one of its flags) needs.
type ghRow struct {
	Command []string
	// Flag: the row applies when the command line has this flag (or one
	// of the alternatives a/b; every flag of "--org --repos").
	Flag        string
	Permissions []string
	Scopes      []string
	Workflows   bool
	Note        string
	Source      string
}

// targetFlags choose another target than the repository (an
// environment, the organization, the user, Dependabot): their row
// replaces the command's own instead of adding to it.
var targetFlags = []string{"--env", "--org", "--user", "--app"}

// ghNeed is what a gh command line needs, by ghRows: the command's row and
// those of its flags.
func ghNeed(words []string, args []word, touchesWorkflows bool) (Row, Need, bool) {
	has := func(f string) bool {
		short := map[string]string{"--env": "-e", "--org": "-o", "--user": "-u", "--app": "-a", "--delete-branch": "-d", "--repos": "-r", "--job": "-j"}[f]
		return slices.ContainsFunc(args, func(w word) bool {
			return w.text == f || strings.HasPrefix(w.text, f+"=") || short != "" && w.text == short
		})
	}
	var base *ghRow
	var flags []*ghRow
	replaced := false
	rows := append(slices.Clone(ghRows), ghMoreRows...)
	for i := range rows {
		g := &rows[i]
		if len(words) < len(g.Command) || !slices.Equal(words[:len(g.Command)], g.Command) {
			continue
		}
		if g.Flag == "" {
			base = g
			continue
		}
		for _, alt := range strings.Split(g.Flag, "/") {
			all := true
			for _, f := range strings.Fields(alt) {
				all = all && has(f)
			}
			if all {
				flags = append(flags, g)
				replaced = replaced || slices.Contains(targetFlags, strings.Fields(alt)[0])
				break
			}
		}
	}
	if base == nil && len(flags) > 0 {
		base, flags = flags[0], flags[1:] // a command known only with a flag (gh auth login --with-token)
		rule := strings.Join(base.Command, " ") + " " + base.Flag
		row, n, _ := needOf(append([]*ghRow{base}, flags...), base, touchesWorkflows)
		row.Rule = rule
		return row, n, true
	}
	if base == nil {
		return Row{}, Need{}, false
	}
	use := flags
	rule := strings.Join(base.Command, " ")
	if !replaced {
		use = append([]*ghRow{base}, flags...)
	}
	for _, f := range flags {
		rule += " " + f.Flag
	}
	row, n, ok := needOf(use, base, touchesWorkflows)
	row.Rule = rule
	return row, n, ok
}

// needOf merges the needs of gh rows.
func needOf(use []*ghRow, base *ghRow, touchesWorkflows bool) (Row, Need, bool) {
	row := Row{Source: base.Source, Note: base.Note}
	var n Need
	for _, g := range use {
		for _, s := range g.Scopes {
			if !slices.Contains(n.Scopes, s) {
				n.Scopes = append(n.Scopes, s)
			}
		}
		for _, p := range g.Permissions {
			q, err := ghplatform.ParsePermission(p)
			if err != nil {
				continue // TestGhRowsAreWellFormed keeps this from happening
			}
			if i := slices.IndexFunc(n.Permissions, func(h check.Permission) bool { return h.Name == q.Name }); i >= 0 {
				n.Permissions[i].Level = max(n.Permissions[i].Level, q.Level)
			} else {
				n.Permissions = append(n.Permissions, q)
			}
		}
		if g.Workflows && touchesWorkflows {
			n.Scopes = append(n.Scopes, "workflow")
			n.Permissions = append(n.Permissions, check.Permission{Name: "workflows", Level: check.LevelWrite})
		}
		if g.Source != base.Source && g.Flag != "" {
			row.Source += " ; " + g.Source
		}
	}
	return row, n, true
}

func (r *shellRun) ghAPI(args []word, tokens []string, line int) {
	method := ""
	var ep *word
	hasFields := false
	for i := 0; i < len(args); i++ {
		a := args[i].text
		switch {
		case a == "-X" || a == "--method":
			if i+1 < len(args) {
				method = strings.ToUpper(args[i+1].text)
				i++
			}
		case strings.HasPrefix(a, "--method="):
			method = strings.ToUpper(strings.TrimPrefix(a, "--method="))
		case strings.HasPrefix(a, "-X") && len(a) > 2:
			method = strings.ToUpper(a[2:])
		case a == "-f" || a == "-F" || a == "--field" || a == "--raw-field" || a == "--input":
			hasFields = true
			i++
		case strings.HasPrefix(a, "-"):
			if ghValued[a] {
				i++
			}
		case a == "api" && ep == nil:
		default:
			if ep == nil {
				ep = &args[i]
			}
		}
	}
	if method == "" {
		method = "GET"
		if hasFields {
			method = "POST"
		}
	}
	for _, tok := range tokens {
		if ep == nil || ep.dynamic {
			r.st.unknown(r.s, tok, ghplatform.Platform, line, "gh api to a computed endpoint")
			continue
		}
		p := strings.TrimPrefix(ep.text, "/")
		if u, err := url.Parse(p); err == nil && u.Host != "" {
			p = strings.TrimPrefix(u.Path, "/api/v3")
		}
		p = strings.ReplaceAll(strings.ReplaceAll(p, "{owner}", "OWNER"), "{repo}", "REPO")
		row, n, ok := restNeed(method, p, r.st.j.touchesWorkflows)
		if !ok {
			r.st.unknown(r.s, tok, ghplatform.Platform, line, fmt.Sprintf("gh api %s /%s: GitHub's permission data does not cover this endpoint", method, clip(strings.TrimPrefix(p, "/"))))
			continue
		}
		row.Rule = "gh api " + row.Rule
		r.st.useNeed(r.s, tok, ghplatform.Platform, line, row, n)
	}
}

func (r *shellRun) git(args []word, inline map[string]val, line int) {
	var header []string // tokens in -c http.extraheader=…
	dir := r.cwd
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].text, "-") {
		if (args[i].text == "-c" || args[i].text == "-C") && i+1 < len(args) {
			if args[i].text == "-c" && strings.Contains(strings.ToLower(args[i+1].text), "extraheader") {
				header = append(header, args[i+1].tokens...)
			}
			if args[i].text == "-C" && !args[i+1].dynamic {
				dir = joinDir(dir, args[i+1].text)
			}
			i++
		}
		i++
	}
	if i >= len(args) {
		return
	}
	sub := args[i].text
	rest := args[i+1:]
	switch {
	case sub == "remote" && len(rest) >= 3 && (rest[0].text == "add" || rest[0].text == "set-url"):
		w := rest[len(rest)-1]
		name := rest[1].text
		if rest[0].text == "set-url" && len(rest) >= 3 {
			name = rest[len(rest)-2].text
		}
		toks, user := credTokens(w)
		if len(w.tokens) == 0 {
			delete(r.st.remotes, name)
			return
		}
		r.place(w.tokens)
		u, err := url.Parse(w.text)
		p, known := ghplatform.Platform, false
		if err == nil {
			p, known = hostPlatform(u.Hostname())
		}
		for _, tok := range user {
			r.st.notToken(tok, line, "the user name in a git remote's URL")
		}
		if !known {
			for _, tok := range toks {
				r.notTokenOrUnknown(tok, w, line, "in the URL of a git remote on "+hostName(w.text))
			}
			return
		}
		if len(toks) > 0 {
			r.st.remotes[name] = remote{token: toks[0], platform: p, repo: repoOf(u.Path)}
		}
		return
	case sub == "config":
		r.gitConfig(rest, line)
		return
	case sub == "credential" || sub == "credential-store":
		return
	case localGit[sub]:
		return
	}
	words := []string{"git", sub}
	if _, ok := matchCommand(words, ghplatform.Platform); !ok {
		return // not a command that reaches a remote
	}
	// The remote: a URL argument, a remote set with a token, or the
	// checkout's persisted credentials.
	var tokens []string
	var repos []string
	fromURL := false
	platform := r.st.j.platform
	for _, a := range rest {
		if strings.HasPrefix(a.text, "-") {
			continue
		}
		if u, err := url.Parse(a.text); err == nil && u.Host != "" {
			p, ok := hostPlatform(u.Hostname())
			cr, user := credTokens(a)
			r.place(a.tokens)
			for _, tok := range user {
				r.st.notToken(tok, line, "the user name in a git URL")
			}
			if !ok {
				for _, tok := range cr {
					r.notTokenOrUnknown(tok, a, line, "in a git URL on "+hostName(a.text))
				}
				return
			}
			platform, tokens, fromURL = p, cr, len(cr) > 0
			if p == ghplatform.Platform {
				if rp := repoOf(u.Path); rp != "" {
					repos = append(repos, rp)
				}
			}
		} else if rm, ok := r.st.remotes[a.text]; ok {
			platform, tokens = rm.platform, []string{rm.token}
			if rm.repo != "" {
				repos = append(repos, rm.repo)
			}
		} else if len(a.tokens) > 0 {
			r.place(a.tokens)
			for _, tok := range a.tokens {
				r.st.unknown(r.s, tok, r.st.platformOf(tok), line, fmt.Sprintf("git %s with the token in a URL pat-check cannot read (%s)", sub, clip(a.text)))
			}
			return
		}
		break
	}
	if len(tokens) == 0 {
		tokens = header
		r.place(header)
	}
	if len(tokens) == 0 {
		if c, ok := r.st.credFor(platform, dir); ok {
			tokens = []string{c.token}
			if c.repo != "" {
				repos = append(repos, c.repo)
			}
		}
	}
	if len(tokens) == 0 {
		return
	}
	// A mirror carries the other repository's workflow files.
	mirror := sub == "push" && slices.ContainsFunc(rest, func(w word) bool { return w.text == "--mirror" || w.text == "--all" })
	r.place(tokens)
	row, ok := matchCommand(words, platform)
	if fromURL {
		if c, found := r.st.credFor(platform, dir); found && !c.global && !slices.Contains(tokens, c.token) {
			row.Note = strings.TrimSpace(row.Note + " " + shadowed(c.token))
		}
	}
	for _, tok := range tokens {
		if !ok {
			r.st.unknown(r.s, tok, platform, line, fmt.Sprintf("git %s: pat-check has no rule for this command", sub))
			continue
		}
		n := rowNeed(row, r.st.j.touchesWorkflows || mirror)
		n.Repositories = append(n.Repositories, repos...)
		r.st.useNeed(r.s, tok, platform, line, row, n)
	}
}

func joinDir(cwd, d string) string {
	if strings.HasPrefix(d, "/") || strings.HasPrefix(d, "~") {
		return d
	}
	if cwd == "" {
		return d
	}
	return cwd + "/" + d
}

func hostName(text string) string {
	if u, err := url.Parse(text); err == nil && u.Host != "" {
		return u.Hostname()
	}
	return clip(text)
}

// notTokenOrUnknown places a token sent to a host that is neither
// GitHub's nor Azure DevOps': no token of theirs, unless the host is
// computed, when where it goes is unknown.
func (r *shellRun) notTokenOrUnknown(tok string, target word, line int, where string) {
	h := hostName(target.text)
	if strings.Contains(h, "$") || h == "" || target.dynamic && !strings.Contains(target.text, "://") {
		r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("sent to a computed host (%s)", clip(target.text)))
		return
	}
	r.st.notToken(tok, line, fmt.Sprintf("%s, not a GitHub or Azure DevOps host", where))
}

// gitConfig reads git config: an extraheader or an insteadOf URL with a
// token makes later git commands on that host use it.
func (r *shellRun) gitConfig(rest []word, line int) {
	for j, a := range rest {
		key := strings.ToLower(a.text)
		if j+1 >= len(rest) {
			break
		}
		v := rest[j+1]
		switch {
		case strings.Contains(key, "extraheader") && len(v.tokens) > 0:
			p := ghplatform.Platform
			if strings.Contains(key, "dev.azure.com") || strings.Contains(key, "visualstudio.com") {
				p = azplatform.Platform
			} else if !strings.Contains(key, "github") && r.st.j.platform == azplatform.Platform && !strings.Contains(key, "http.https") {
				p = azplatform.Platform
			}
			r.place(v.tokens)
			r.st.setCred(cred{platform: p, token: v.tokens[0], global: true})
			return
		case strings.HasPrefix(key, "url.") && strings.HasSuffix(key, ".insteadof"):
			w := a
			w.text = strings.TrimSuffix(strings.TrimPrefix(a.text, "url."), ".insteadOf")
			w.text = strings.TrimSuffix(w.text, ".insteadof")
			toks, _ := credTokens(w)
			if len(toks) == 0 {
				return
			}
			r.place(a.tokens)
			if u, err := url.Parse(w.text); err == nil {
				if p, ok := hostPlatform(u.Hostname()); ok {
					r.st.setCred(cred{platform: p, token: toks[0], global: true})
					return
				}
			}
			for _, tok := range toks {
				r.notTokenOrUnknown(tok, w, line, "in a git insteadOf URL on "+hostName(w.text))
			}
			return
		}
	}
}

var curlValued = map[string]bool{"-X": true, "--request": true, "-H": true, "--header": true, "-d": true, "--data": true,
	"--data-raw": true, "--data-binary": true, "--data-urlencode": true, "--json": true, "-F": true, "--form": true, "-o": true, "--output": true,
	"-u": true, "--user": true, "-w": true, "--write-out": true, "--retry": true, "-A": true, "--user-agent": true,
	"--method": true, "--body-data": true, "--post-data": true, "-T": true, "--upload-file": true, "--max-time": true,
	"-m": true, "--connect-timeout": true, "--retry-delay": true, "-O": false, "--header=": true, "-e": true, "--referer": true,
	"--oauth2-bearer": true, "--http-password": true, "--password": true, "--http-user": true, "--cacert": true, "--retry-max-time": true}

func (r *shellRun) curl(name string, args []word, inline map[string]val, line int) {
	method := ""
	var tokens, dataTokens []string
	var target *word
	data := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a.text == "-X" || a.text == "--request" || a.text == "--method":
			if i+1 < len(args) {
				method = strings.ToUpper(args[i+1].text)
				i++
			}
		case strings.HasPrefix(a.text, "--header=") || strings.HasPrefix(a.text, "--method="):
			tokens = append(tokens, a.tokens...)
			if m, ok := strings.CutPrefix(a.text, "--method="); ok {
				method = strings.ToUpper(m)
			}
		case curlValued[a.text]:
			if i+1 < len(args) {
				v := args[i+1]
				switch a.text {
				case "-H", "--header", "-u", "--user", "--oauth2-bearer", "--http-password", "--password", "--http-user":
					tokens = append(tokens, v.tokens...)
				case "-d", "--data", "--data-raw", "--data-binary", "--data-urlencode", "--json", "-F", "--form", "--post-data", "--body-data":
					data = true
					dataTokens = append(dataTokens, v.tokens...)
				case "-T", "--upload-file":
					method = "PUT"
				}
				i++
			}
		case strings.HasPrefix(a.text, "-"):
		default:
			if target == nil {
				target = &args[i]
				tokens = append(tokens, a.tokens...)
			}
		}
	}
	r.place(dataTokens)
	for _, tok := range dataTokens {
		if !slices.Contains(tokens, tok) {
			r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("sent in the body of a %s request", name))
		}
	}
	if len(tokens) == 0 {
		return // no token of the workflow's in this request
	}
	r.place(tokens)
	if method == "" {
		method = "GET"
		if data {
			method = "POST"
		}
	}
	slices.Sort(tokens)
	tokens = slices.Compact(tokens)
	if target == nil {
		for _, tok := range tokens {
			r.st.unknownOrNot(r.s, tok, "", line, name+" with the token to no URL pat-check can read")
		}
		return
	}
	u, err := url.Parse(target.text)
	p, known := ghplatform.Platform, false
	if err == nil {
		p, known = hostPlatform(u.Hostname())
	}
	if !known {
		for _, tok := range tokens {
			if err == nil && u.Host != "" && !strings.Contains(u.Host, "$") && !target.dynamic || err == nil && u.Host != "" && !strings.Contains(u.Host, "$") {
				r.st.notToken(tok, line, fmt.Sprintf("sent by %s to %s, not a GitHub or Azure DevOps host", name, u.Hostname()))
				continue
			}
			if slices.Contains(target.tokens, tok) && len(target.tokens) == 1 && len(target.marks) == 1 && strings.TrimSpace(target.text) == target.marks[0].at {
				// The secret is the whole URL: a webhook.
				r.st.notToken(tok, line, fmt.Sprintf("the URL %s sends to (a webhook)", name))
				continue
			}
			r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("%s with the token to a computed URL (%s)", name, clip(target.text)))
		}
		return
	}
	ep := u.Path
	if p == ghplatform.Platform {
		host := strings.ToLower(u.Hostname())
		ep = strings.TrimPrefix(ep, "/api/v3")
		if host == "uploads.github.com" || strings.HasPrefix(ep, "/api/uploads") {
			ep = strings.TrimPrefix(ep, "/api/uploads")
		} else if !strings.HasPrefix(host, "api.") && !strings.Contains(u.Path, "/api/v3") {
			for _, tok := range tokens {
				r.st.unknown(r.s, tok, p, line, fmt.Sprintf("%s with the token to %s, not an API path", name, clip(target.text)))
			}
			return
		}
		row, n, ok := restNeed(method, ep, r.st.j.touchesWorkflows)
		for _, tok := range tokens {
			if !ok {
				r.st.unknown(r.s, tok, p, line, fmt.Sprintf("%s %s %s: GitHub's permission data does not cover this endpoint", name, method, clip(ep)))
				continue
			}
			r.st.useNeed(r.s, tok, p, line, row, n)
		}
		return
	}
	if i := strings.Index(ep, "_apis/"); i >= 0 {
		ep = ep[i:]
	}
	row, ok := matchREST(method, ep, p)
	for _, tok := range tokens {
		if !ok {
			r.st.unknown(r.s, tok, p, line, fmt.Sprintf("%s %s %s: pat-check has no rule for this endpoint", name, method, clip(ep)))
			continue
		}
		r.st.use(r.s, tok, p, line, row)
	}
}

var azValued = map[string]bool{"--org": true, "--organization": true, "-p": true, "--project": true, "--repository": true,
	"-r": true, "--title": true, "--description": true, "-d": true, "--source-branch": true, "-s": true, "--target-branch": true,
	"-t": true, "--name": true, "--id": true, "--branch": true, "--type": true, "--feed": true, "--version": true,
	"--path": true, "--query": true, "-o": true, "--output": true, "--variables": true, "--fields": true, "-f": true,
	"--group-id": true, "--value": true, "--pipeline-id": true, "--definition-id": true, "--definition-name": true}

func (r *shellRun) az(args []word, inline map[string]val, line int, stdin []string) {
	words := append([]string{"az"}, positional(args, azValued)...)
	if len(words) >= 3 && words[1] == "devops" && words[2] == "login" && len(stdin) > 0 {
		r.place(stdin)
		r.vars["AZURE_DEVOPS_EXT_PAT"] = val{tokens: stdin, line: line}
		return
	}
	if len(words) >= 2 && words[1] != "devops" && words[1] != "repos" && words[1] != "pipelines" && words[1] != "boards" && words[1] != "artifacts" {
		// az login, az keyvault, …: Azure, not Azure DevOps.
		for _, tok := range argTokens(args) {
			r.placed[tok] = true
			r.st.notToken(tok, line, fmt.Sprintf("handed to az %s (Azure, not Azure DevOps)", words[1]))
		}
		return
	}
	v, ok := r.readEnv(inline, "AZURE_DEVOPS_EXT_PAT")
	if !ok {
		if r.st.j.platform == azplatform.Platform {
			// In a pipeline, az devops may sign in with the job's token
			// (AzureCLI task); nothing of the pipeline's to attribute.
		}
		return
	}
	r.rowFor(words, azplatform.Platform, v.tokens, line, nil)
}

// docker reads docker login: ghcr.io takes a GitHub token; any other
// registry's password is no token of GitHub's or Azure DevOps'.
func (r *shellRun) docker(name string, args []word, line int, stdin []string) bool {
	if len(args) == 0 || args[0].text != "login" {
		if name == "helm" && len(args) > 1 && args[1].text == "login" {
			args = args[1:]
		} else {
			return false
		}
	}
	rest := args[1:]
	var pass, user []string
	registry := ""
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case (a.text == "-p" || a.text == "--password") && i+1 < len(rest):
			pass = append(pass, rest[i+1].tokens...)
			i++
		case strings.HasPrefix(a.text, "--password="):
			pass = append(pass, a.tokens...)
		case (a.text == "-u" || a.text == "--username") && i+1 < len(rest):
			user = append(user, rest[i+1].tokens...)
			i++
		case a.text == "--password-stdin":
			pass = append(pass, stdin...)
		case strings.HasPrefix(a.text, "-"):
		default:
			registry = strings.ToLower(a.text)
		}
	}
	r.place(pass)
	r.place(user)
	for _, tok := range user {
		r.st.notToken(tok, line, fmt.Sprintf("the user name of %s login", name))
	}
	host := registry
	if u, err := url.Parse("https://" + strings.TrimPrefix(strings.TrimPrefix(registry, "https://"), "http://")); err == nil {
		host = u.Hostname()
	}
	if host == "ghcr.io" || host == "docker.pkg.github.com" {
		row, _ := matchCommand([]string{"docker", "login", "ghcr.io"}, ghplatform.Platform)
		if !r.st.j.pushesImages {
			row = packagesRead
		}
		for _, tok := range pass {
			r.st.use(r.s, tok, ghplatform.Platform, line, row)
		}
		return true
	}
	where := "Docker Hub"
	if host != "" {
		where = host
	}
	if strings.Contains(where, "$") {
		for _, tok := range pass {
			r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("the password of %s login to a computed registry (%s)", name, clip(registry)))
		}
		return true
	}
	for _, tok := range pass {
		r.st.notToken(tok, line, fmt.Sprintf("the password of %s login to %s, not GitHub's registry", name, where))
	}
	return true
}

// npm reads npm publish and install: NODE_AUTH_TOKEN goes to the registry
// actions/setup-node wrote to .npmrc (registry-url), or the one given.
func (r *shellRun) npm(name string, args []word, inline map[string]val, line int) {
	sub := ""
	for _, a := range args {
		if !strings.HasPrefix(a.text, "-") {
			sub = a.text
			break
		}
	}
	if name == "yarn" && sub == "npm" && len(args) > 1 {
		sub = args[1].text
	}
	v, ok := r.readEnv(inline, "NODE_AUTH_TOKEN", "NPM_TOKEN", "NPM_AUTH_TOKEN", "YARN_NPM_AUTH_TOKEN")
	if !ok {
		if toks := argTokens(args); len(toks) > 0 {
			r.place(toks)
			for _, tok := range toks {
				r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("passed to %s %s", name, sub))
			}
		} else if sub == "run" || sub == "exec" || sub == "test" || sub == "start" || sub == "x" {
			r.others = append(r.others, name+" "+sub)
		}
		return
	}
	registry := r.st.npmRegistry
	if w, ok := flagValue(args, "--registry"); ok && !w.dynamic {
		registry = w.text
	}
	r.place(v.tokens)
	publish := sub == "publish" || sub == "release"
	if !publish && sub != "install" && sub != "ci" && sub != "i" && sub != "add" && sub != "" && sub != "view" {
		for _, tok := range v.tokens {
			r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("%s %s runs the package's own scripts with the token", name, sub))
		}
		return
	}
	host := ""
	if u, err := url.Parse(registry); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	switch {
	case host == "npm.pkg.github.com":
		row := packagesRead
		if publish {
			row, _ = matchCommand([]string{"npm", "publish"}, ghplatform.Platform)
		}
		for _, tok := range v.tokens {
			r.st.use(r.s, tok, ghplatform.Platform, line, row)
		}
	case strings.HasSuffix(host, "pkgs.dev.azure.com") || strings.HasSuffix(host, ".pkgs.visualstudio.com"):
		sc := "vso.packaging"
		if publish {
			sc = "vso.packaging_write"
		}
		for _, tok := range v.tokens {
			r.st.useNeed(r.s, tok, azplatform.Platform, line, Row{Rule: "npm " + sub + " (Azure Artifacts)", Source: msNpmFeed}, Need{Scopes: []string{sc}})
		}
	case registry == "" && r.st.j.platform == azplatform.Platform:
		for _, tok := range v.tokens {
			r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("%s %s to the registry in .npmrc, which the file does not show", name, sub))
		}
	default:
		where := host
		if where == "" {
			where = "registry.npmjs.org"
		}
		for _, tok := range v.tokens {
			r.st.notToken(tok, line, fmt.Sprintf("the token of %s %s for %s, not GitHub Packages", name, sub, where))
		}
	}
}

// npmrc reads an .npmrc line written with a token: //HOST/:_authToken=….
func (r *shellRun) npmrc(text string, toks []string, line int) {
	for _, f := range strings.Fields(text) {
		if !strings.HasPrefix(f, "//") {
			continue
		}
		host, _, _ := strings.Cut(strings.TrimPrefix(f, "//"), "/")
		host = strings.ToLower(host)
		switch {
		case host == "npm.pkg.github.com":
			r.st.npmRegistry = "https://npm.pkg.github.com"
			for _, tok := range toks {
				r.vars["NODE_AUTH_TOKEN"] = val{tokens: []string{tok}, line: line}
			}
			return
		case strings.HasSuffix(host, "pkgs.dev.azure.com"):
			r.st.npmRegistry = "https://" + host
			r.vars["NODE_AUTH_TOKEN"] = val{tokens: toks, line: line}
			return
		default:
			for _, tok := range toks {
				r.st.notToken(tok, line, fmt.Sprintf("written to .npmrc for %s, not GitHub Packages", host))
			}
			return
		}
	}
	for _, tok := range toks {
		r.st.unknownOrNot(r.s, tok, "", line, "written to .npmrc for a registry pat-check cannot read")
	}
}

// nuget reads dotnet nuget push and nuget push with an API key.
func (r *shellRun) nuget(name string, args []word, line int) bool {
	toks := argTokens(args)
	if len(toks) == 0 {
		return false
	}
	r.place(toks)
	src := ""
	if w, ok := flagValue(args, "-s", "--source", "-Source"); ok {
		src = w.text
	}
	host := ""
	if u, err := url.Parse(src); err == nil {
		host = strings.ToLower(u.Hostname())
	}
	push := slices.ContainsFunc(args, func(w word) bool { return w.text == "push" })
	switch {
	case host == "nuget.pkg.github.com":
		row := packagesRead
		if push {
			row, _ = matchCommand([]string{"docker", "login", "ghcr.io"}, ghplatform.Platform)
			row.Rule = name + " push (GitHub Packages)"
		}
		for _, tok := range toks {
			r.st.use(r.s, tok, ghplatform.Platform, line, row)
		}
	case strings.HasSuffix(host, "pkgs.dev.azure.com") || strings.HasSuffix(host, ".pkgs.visualstudio.com"):
		sc := "vso.packaging"
		if push {
			sc = "vso.packaging_write"
		}
		for _, tok := range toks {
			r.st.useNeed(r.s, tok, azplatform.Platform, line, Row{Rule: name + " (Azure Artifacts)", Source: msNuGetFeed}, Need{Scopes: []string{sc}})
		}
	case strings.Contains(src, "$") || src == "" && !push:
		for _, tok := range toks {
			r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("passed to %s for a feed pat-check cannot read", name))
		}
	default:
		where := host
		if where == "" {
			where = "nuget.org"
		}
		for _, tok := range toks {
			r.st.notToken(tok, line, fmt.Sprintf("the API key of %s for %s, not GitHub Packages or Azure Artifacts", name, where))
		}
	}
	return true
}

// marketplace reads vsce and tfx publishing: the Visual Studio
// Marketplace takes an Azure DevOps token with Marketplace (manage).
func (r *shellRun) marketplace(name string, args []word, inline map[string]val, line int) bool {
	toks := argTokens(args)
	if v, ok := r.readEnv(inline, "VSCE_PAT"); ok {
		toks = append(toks, v.tokens...)
	}
	if len(toks) == 0 {
		return false
	}
	r.place(toks)
	for _, tok := range toks {
		r.st.useNeed(r.s, tok, azplatform.Platform, line, Row{Rule: name + " publish (Visual Studio Marketplace)", Source: msVSCE},
			Need{Scopes: []string{"vso.gallery_manage"}})
	}
	return true
}
