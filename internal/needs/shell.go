package needs

import (
	"fmt"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
)

// placeholder stands for expression i of a script while the shell parser
// reads it: a plain word, so that it stays inside the word it was in.
func placeholder(i int) string { return "__PC" + strconv.Itoa(i) + "__" }

// inert are commands that cannot use a token they are not handed in their
// arguments: shell builtins and file tools.
var inert = map[string]bool{
	"echo": true, "printf": true, "cd": true, "pushd": true, "popd": true, "ls": true, "mkdir": true, "cp": true,
	"mv": true, "rm": true, "rmdir": true, "cat": true, "test": true, "[": true, "true": true, "false": true,
	"exit": true, "return": true, "set": true, "unset": true, "shift": true, "read": true, "grep": true,
	"egrep": true, "sed": true, "awk": true, "tr": true, "cut": true, "sort": true, "uniq": true, "head": true,
	"tail": true, "wc": true, "tee": true, "date": true, "sleep": true, "chmod": true, "chown": true,
	"touch": true, "ln": true, "jq": true, "yq": true, "sha256sum": true, "sha1sum": true, "md5sum": true,
	"basename": true, "dirname": true, "pwd": true, "source": true, ".": true, "wait": true, "trap": true,
	"printenv": true, "find": true, "tar": true, "zip": true, "unzip": true, "gzip": true, "diff": true,
	"cmp": true, "realpath": true, "readlink": true, "mktemp": true, "seq": true, "expr": true, "let": true,
	"shopt": true, "umask": true,
}

// localGit are git subcommands that do not reach a remote.
var localGit = map[string]bool{
	"add": true, "commit": true, "tag": true, "config": true, "checkout": true, "switch": true, "log": true,
	"status": true, "diff": true, "rev-parse": true, "branch": true, "reset": true, "merge": true, "rebase": true,
	"cherry-pick": true, "stash": true, "show": true, "describe": true, "init": true, "rm": true, "mv": true,
	"restore": true, "clean": true, "worktree": true, "update-index": true, "ls-files": true, "apply": true, "am": true,
}

// word is a shell word as far as it can be known before the script runs.
type word struct {
	text    string   // literal text; variables the runner sets are filled in, others left as $NAME
	tokens  []string // tokens the word carries
	dynamic bool     // the word has parts only known when the script runs
}

// shellRun analyses one script: its commands, in order, with the variables
// that hold tokens.
type shellRun struct {
	st     *jobState
	s      *stepIn
	sc     *script
	vars   map[string]val // shell variables and environment that hold tokens
	funcs  map[string]bool
	used   bool     // some command used a token of the environment
	others []string // commands that might read the environment, not known
}

// knownVars are variables the runner or agent sets, with a stand-in value
// good enough to recognise an API URL.
var knownVars = map[string]string{
	"GITHUB_API_URL": "https://api.github.com", "GITHUB_SERVER_URL": "https://github.com",
	"GITHUB_REPOSITORY": "OWNER/REPO", "GITHUB_REPOSITORY_OWNER": "OWNER",
	"SYSTEM_COLLECTIONURI": "https://dev.azure.com/ORG/", "SYSTEM_TEAMPROJECT": "PROJECT",
	"BUILD_REPOSITORY_NAME": "REPO", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI": "https://dev.azure.com/ORG/",
}

func (st *jobState) runStep(s *stepIn) {
	sc := s.script
	r := &shellRun{st: st, s: s, sc: sc, vars: map[string]val{}, funcs: map[string]bool{}}
	for k, v := range s.env {
		if len(v.tokens) > 0 {
			r.vars[k] = v
		}
	}
	hasTokens := len(r.vars) > 0 || slices.ContainsFunc(sc.tokens, func(t string) bool { return t != "" })
	if sc.shell != "bash" && sc.shell != "sh" {
		if hasTokens {
			for _, tok := range r.allTokens() {
				st.unknown(s, tok, st.platformOf(tok), sc.line, fmt.Sprintf("a %s script: pat-check reads only POSIX shell and bash scripts", sc.shell))
			}
		}
		return
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(sc.text), "")
	if err != nil {
		if hasTokens || len(st.persisted) > 0 {
			for _, tok := range r.allTokens() {
				st.unknown(s, tok, st.platformOf(tok), sc.line, "the script is not valid shell: "+err.Error())
			}
		}
		return
	}
	r.walk(f, 0)
	// A token in the environment that no known command used, handed to
	// commands that might read it: their needs are unknown. Handed to none
	// at all, it is unused.
	if !r.used {
		for _, k := range sortedKeys(s.env) {
			v := s.env[k]
			if len(v.tokens) == 0 {
				continue
			}
			for _, tok := range v.tokens {
				u := Unknown{Token: tok, Platform: st.platformOf(tok), File: st.j.file, Job: st.j.id, Line: v.line, Step: s.name}
				if _, conv := conventional[k]; conv && len(r.others) > 0 {
					u.Platform = conventional[k]
					st.unknown(s, tok, u.Platform, v.line, fmt.Sprintf("the token is in %s for %s, which pat-check has no rule for", k, strings.Join(r.others, ", ")))
					continue
				}
				if _, conv := conventional[k]; conv || len(r.others) == 0 {
					u.Why = fmt.Sprintf("the token is in %s, and no command of the script uses it", k)
					if !slices.Contains(st.a.Unused, u) {
						st.a.Unused = append(st.a.Unused, u)
					}
				}
			}
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (r *shellRun) allTokens() []string {
	var out []string
	for _, v := range r.vars {
		out = append(out, v.tokens...)
	}
	for _, t := range r.sc.tokens {
		if t != "" {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// walk visits the commands of a parsed script in order. lineBase shifts
// the lines of a script parsed from inside another (bash -c '…').
func (r *shellRun) walk(n syntax.Node, lineBase int) {
	syntax.Walk(n, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n.Name != nil {
				r.funcs[n.Name.Value] = true
			}
		case *syntax.BinaryCmd:
			r.pipeLogin(n)
		case *syntax.DeclClause:
			for _, a := range n.Args {
				r.assign(a)
			}
		case *syntax.CallExpr:
			if len(n.Args) == 0 {
				for _, a := range n.Assigns {
					r.assign(a)
				}
				return true
			}
			line := r.sc.line + lineBase + int(n.Pos().Line()) - 1
			inline := map[string]val{}
			for _, a := range n.Assigns {
				if a.Value != nil {
					if w := r.word(a.Value); len(w.tokens) > 0 {
						inline[a.Name.Value] = val{text: w.text, line: line, tokens: w.tokens}
					}
				}
			}
			words := make([]word, len(n.Args))
			for i, a := range n.Args {
				words[i] = r.word(a)
			}
			r.command(words, inline, line)
		}
		return true
	})
}

// pipeLogin reads `echo "$TOKEN" | gh auth login --with-token` (and az
// devops login, which reads the token from standard input too): the
// commands after it use that token.
func (r *shellRun) pipeLogin(b *syntax.BinaryCmd) {
	if b.Op != syntax.Pipe && b.Op != syntax.PipeAll {
		return
	}
	left, ok1 := b.X.Cmd.(*syntax.CallExpr)
	right, ok2 := b.Y.Cmd.(*syntax.CallExpr)
	if !ok1 || !ok2 || len(left.Args) < 2 || len(right.Args) < 3 {
		return
	}
	var toks []string
	for _, a := range left.Args[1:] {
		toks = append(toks, r.word(a).tokens...)
	}
	if len(toks) == 0 {
		return
	}
	cmd := r.word(right.Args[0]).text + " " + r.word(right.Args[1]).text + " " + r.word(right.Args[2]).text
	switch cmd {
	case "gh auth login":
		r.vars["GH_TOKEN"] = val{tokens: toks, line: r.sc.line}
	case "az devops login":
		r.vars["AZURE_DEVOPS_EXT_PAT"] = val{tokens: toks, line: r.sc.line}
	}
}

func (r *shellRun) assign(a *syntax.Assign) {
	if a.Name == nil || a.Value == nil {
		return
	}
	w := r.word(a.Value)
	if len(w.tokens) > 0 {
		r.vars[a.Name.Value] = val{text: w.text, tokens: w.tokens, line: r.sc.line}
	} else {
		delete(r.vars, a.Name.Value)
	}
}

// word reads a shell word: literal parts as they are, expressions'
// placeholders as the tokens they stand for, variables by what they hold.
func (r *shellRun) word(w *syntax.Word) word {
	var out word
	var parts func(ps []syntax.WordPart)
	lit := func(s string) {
		for i, tok := range r.sc.tokens {
			ph := placeholder(i)
			if strings.Contains(s, ph) {
				if tok != "" {
					out.tokens = append(out.tokens, tok)
				}
			}
		}
		out.text += s
	}
	parts = func(ps []syntax.WordPart) {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				lit(p.Value)
			case *syntax.SglQuoted:
				lit(p.Value)
			case *syntax.DblQuoted:
				parts(p.Parts)
			case *syntax.ParamExp:
				name := ""
				if p.Param != nil {
					name = p.Param.Value
				}
				if v, ok := r.vars[name]; ok {
					out.tokens = append(out.tokens, v.tokens...)
					out.text += "$" + name
				} else if k, ok := knownVars[name]; ok && p.Exp == nil && p.Repl == nil && p.Slice == nil {
					out.text += k
				} else {
					out.text += "$" + name
					out.dynamic = true
				}
			default:
				out.text += "$(…)"
				out.dynamic = true
			}
		}
	}
	parts(w.Parts)
	return out
}

// env returns a variable as the command sees it: its inline assignment,
// else the script's or the step's.
func (r *shellRun) env(inline map[string]val, name string) (val, bool) {
	if v, ok := inline[name]; ok {
		return v, true
	}
	v, ok := r.vars[name]
	return v, ok
}

func (r *shellRun) command(words []word, inline map[string]val, line int) {
	// Wrappers run the command that follows them.
	for len(words) > 0 {
		switch path.Base(words[0].text) {
		case "sudo", "time", "nohup", "command", "exec", "xargs":
			words = words[1:]
			for len(words) > 0 && strings.HasPrefix(words[0].text, "-") {
				words = words[1:]
			}
			continue
		case "env":
			words = words[1:]
			for len(words) > 0 && (strings.HasPrefix(words[0].text, "-") || strings.Contains(words[0].text, "=")) {
				if k, _, ok := strings.Cut(words[0].text, "="); ok && len(words[0].tokens) > 0 {
					inline[k] = val{text: words[0].text, tokens: words[0].tokens, line: line}
				}
				words = words[1:]
			}
			continue
		}
		break
	}
	if len(words) == 0 {
		return
	}
	name := path.Base(words[0].text)
	args := words[1:]
	switch {
	case (name == "bash" || name == "sh") && len(args) >= 2 && args[0].text == "-c" && !args[1].dynamic:
		f, err := syntax.NewParser().Parse(strings.NewReader(args[1].text), "")
		if err == nil {
			r.walk(f, line-r.sc.line)
		}
		return
	case name == "gh":
		r.gh(args, inline, line)
		return
	case name == "git":
		r.git(args, inline, line)
		return
	case name == "curl" || name == "wget":
		r.curl(name, args, inline, line)
		return
	case name == "az":
		r.az(args, inline, line)
		return
	case name == "goreleaser":
		if v, ok := r.env(inline, "GITHUB_TOKEN"); ok {
			r.rowFor(append([]string{"goreleaser"}, positional(args, nil)...), check.GitHub, v.tokens, line, "goreleaser")
		}
		return
	}
	if inert[name] {
		return // echo "$TOKEN" prints it (masked); it asks nothing of it
	}
	carried := false
	for _, w := range args {
		for _, tok := range w.tokens {
			carried = true
			r.st.unknown(r.s, tok, r.st.platformOf(tok), line, fmt.Sprintf("the token is passed to %s, which pat-check has no rule for", name))
		}
	}
	if carried {
		r.used = true
		return
	}
	if !r.funcs[name] && !slices.Contains(r.others, name) {
		r.others = append(r.others, name)
	}
}

// positional returns the words that are not flags, skipping the values of
// the flags that take one.
func positional(args []word, valued map[string]bool) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i].text
		if strings.HasPrefix(a, "-") {
			if valued[a] && !strings.Contains(a, "=") {
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

// rowFor records the use of a command row, or why it is unknown.
func (r *shellRun) rowFor(words []string, p check.Platform, tokens []string, line int, what string) {
	r.used = true
	row, ok := matchCommand(words, p)
	for _, tok := range tokens {
		if !ok {
			r.st.unknown(r.s, tok, p, line, fmt.Sprintf("%s: pat-check has no rule for this command", strings.Join(words[:min(len(words), 4)], " ")))
			continue
		}
		r.st.use(r.s, tok, p, line, row)
	}
}

var ghValued = map[string]bool{"-R": true, "--repo": true, "-X": true, "--method": true, "-f": true, "-F": true,
	"--field": true, "--raw-field": true, "-H": true, "--header": true, "--input": true, "-q": true, "--jq": true,
	"-t": true, "--template": true, "--hostname": true, "-b": true, "--body": true, "--title": true, "-B": true,
	"--base": true, "--head": true, "--notes": true, "-n": true, "--label": true, "-l": true, "--ref": true, "-r": true}

func (r *shellRun) gh(args []word, inline map[string]val, line int) {
	v, ok := r.env(inline, "GH_TOKEN")
	if !ok {
		v, ok = r.env(inline, "GITHUB_TOKEN")
	}
	if !ok {
		return // gh without a token of the workflow's: nothing to attribute
	}
	words := append([]string{"gh"}, positional(args, ghValued)...)
	var repo string
	for i, a := range args {
		if (a.text == "-R" || a.text == "--repo") && i+1 < len(args) && !args[i+1].dynamic {
			repo = args[i+1].text
		}
	}
	if len(words) >= 2 && words[1] == "api" && (len(words) < 3 || words[2] != "graphql") {
		r.used = true
		r.ghAPI(args, words, v.tokens, line)
		return
	}
	r.used = true
	row, found := matchCommand(words, check.GitHub)
	for _, tok := range v.tokens {
		if !found {
			r.st.unknown(r.s, tok, check.GitHub, line, fmt.Sprintf("%s: pat-check has no rule for this gh command", strings.Join(words[:min(len(words), 3)], " ")))
			continue
		}
		n := rowNeed(row, r.st.j.touchesWorkflows)
		if repoShape.MatchString(repo) && repo != "OWNER/REPO" {
			n.Repositories = append(n.Repositories, repo)
		}
		r.st.useNeed(r.s, tok, check.GitHub, line, row, n)
	}
}

func (r *shellRun) ghAPI(args []word, words []string, tokens []string, line int) {
	method := ""
	endpoint := ""
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
		case a == "-f" || a == "-F" || a == "--field" || a == "--raw-field" || a == "--input":
			hasFields = true
			i++
		case strings.HasPrefix(a, "-"):
			if ghValued[a] {
				i++
			}
		case a == "api" && ep == nil && endpoint == "":
		default:
			if ep == nil {
				ep = &args[i]
				endpoint = a
			}
		}
	}
	if method == "" {
		method = "GET"
		if hasFields {
			method = "POST"
		}
	}
	p := strings.TrimPrefix(endpoint, "/")
	p = strings.ReplaceAll(strings.ReplaceAll(p, "{owner}", "OWNER"), "{repo}", "REPO")
	if i := strings.IndexAny(p, "?"); i >= 0 {
		p = p[:i]
	}
	for _, tok := range tokens {
		switch {
		case ep == nil || strings.HasPrefix(p, "$") || strings.HasPrefix(p, "$(…)"):
			r.st.unknown(r.s, tok, check.GitHub, line, "gh api to a computed endpoint")
		default:
			row, ok := matchREST(method, p, check.GitHub)
			if !ok {
				r.st.unknown(r.s, tok, check.GitHub, line, fmt.Sprintf("gh api %s %s: pat-check has no rule for this endpoint", method, "/"+p))
				continue
			}
			r.st.use(r.s, tok, check.GitHub, line, row)
		}
	}
}

// hostPlatform says whose host a URL names.
func hostPlatform(host string) (check.Platform, bool) {
	h := strings.ToLower(host)
	switch {
	case h == "github.com" || h == "api.github.com" || strings.HasSuffix(h, ".ghe.com") || strings.HasSuffix(h, ".github.com"):
		return check.GitHub, true
	case h == "dev.azure.com" || strings.HasSuffix(h, ".dev.azure.com") || strings.HasSuffix(h, ".visualstudio.com"):
		return check.AzureDevOps, true
	}
	return 0, false
}

func (r *shellRun) git(args []word, inline map[string]val, line int) {
	var header []string // tokens in -c http.extraheader=…
	i := 0
	for i < len(args) && strings.HasPrefix(args[i].text, "-") {
		if (args[i].text == "-c" || args[i].text == "-C") && i+1 < len(args) {
			if args[i].text == "-c" && strings.Contains(strings.ToLower(args[i+1].text), "extraheader") {
				header = append(header, args[i+1].tokens...)
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
		if u, err := url.Parse(rest[2].text); err == nil && len(rest[2].tokens) > 0 {
			if p, ok := hostPlatform(u.Hostname()); ok {
				r.st.remotes[rest[1].text] = remote{token: rest[2].tokens[0], platform: p}
			}
		}
		return
	case sub == "config":
		// git config http.https://github.com/.extraheader "AUTHORIZATION: basic …"
		for j, a := range rest {
			if strings.Contains(strings.ToLower(a.text), "extraheader") && j+1 < len(rest) && len(rest[j+1].tokens) > 0 {
				p := check.GitHub
				if strings.Contains(a.text, "dev.azure.com") || strings.Contains(a.text, "visualstudio.com") {
					p = check.AzureDevOps
				}
				r.st.persisted[p] = rest[j+1].tokens[0]
			}
		}
		return
	case localGit[sub]:
		return
	}
	words := []string{"git", sub}
	if _, ok := matchCommand(words, check.GitHub); !ok {
		return // not a command that reaches a remote
	}
	// The remote: a URL argument, a remote set with a token, or the
	// checkout's persisted credentials.
	var tokens []string
	platform := r.st.j.platform
	for _, a := range rest {
		if strings.HasPrefix(a.text, "-") {
			continue
		}
		if u, err := url.Parse(a.text); err == nil && u.Host != "" {
			p, ok := hostPlatform(u.Hostname())
			if !ok {
				return // another host: not a token of this platform's
			}
			platform, tokens = p, a.tokens
		} else if rm, ok := r.st.remotes[a.text]; ok {
			platform, tokens = rm.platform, []string{rm.token}
		}
		break
	}
	if len(tokens) == 0 {
		tokens = header
	}
	if len(tokens) == 0 {
		if tok := r.st.persisted[platform]; tok != "" {
			tokens = []string{tok}
		}
	}
	if len(tokens) == 0 {
		return
	}
	r.rowFor(words, platform, tokens, line, "git")
}

var curlValued = map[string]bool{"-X": true, "--request": true, "-H": true, "--header": true, "-d": true, "--data": true,
	"--data-raw": true, "--data-binary": true, "--json": true, "-F": true, "--form": true, "-o": true, "--output": true,
	"-u": true, "--user": true, "-w": true, "--write-out": true, "--retry": true, "-A": true, "--user-agent": true,
	"--method": true, "--body-data": true, "--post-data": true, "-T": true, "--upload-file": true}

func (r *shellRun) curl(name string, args []word, inline map[string]val, line int) {
	method := ""
	var tokens []string
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
		case curlValued[a.text]:
			if i+1 < len(args) {
				v := args[i+1]
				if a.text == "-H" || a.text == "--header" || a.text == "-u" || a.text == "--user" {
					tokens = append(tokens, v.tokens...)
				}
				if strings.HasPrefix(a.text, "-d") || strings.HasPrefix(a.text, "--data") || a.text == "--json" || a.text == "-F" || a.text == "--form" ||
					a.text == "--post-data" || a.text == "--body-data" {
					data = true
				}
				if a.text == "-T" || a.text == "--upload-file" {
					method = "PUT"
				}
				i++
			}
		case strings.HasPrefix(a.text, "--header="):
			tokens = append(tokens, a.tokens...)
		case strings.HasPrefix(a.text, "-"):
		default:
			if target == nil {
				target = &args[i]
				tokens = append(tokens, a.tokens...)
			}
		}
	}
	if len(tokens) == 0 {
		return // no token of the workflow's in this request
	}
	r.used = true
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
			r.st.unknown(r.s, tok, r.st.platformOf(tok), line, name+" with the token to no URL pat-check can read")
		}
		return
	}
	u, err := url.Parse(target.text)
	p, known := check.Platform(0), false
	if err == nil {
		p, known = hostPlatform(u.Hostname())
	}
	if !known {
		for _, tok := range tokens {
			why := fmt.Sprintf("%s with the token to %s, a host pat-check does not recognise", name, clip(target.text))
			if target.dynamic && (err != nil || u.Host == "" || strings.Contains(u.Host, "$")) {
				why = fmt.Sprintf("%s with the token to a computed URL (%s)", name, clip(target.text))
			}
			r.st.unknown(r.s, tok, r.st.platformOf(tok), line, why)
		}
		return
	}
	ep := u.Path
	if p == check.GitHub {
		ep = strings.TrimPrefix(ep, "/api/v3")
		if !strings.HasPrefix(strings.ToLower(u.Hostname()), "api.") && !strings.Contains(u.Path, "/api/v3") {
			// github.com itself: a download, not the API
			for _, tok := range tokens {
				r.st.unknown(r.s, tok, p, line, fmt.Sprintf("%s with the token to %s, not an API path", name, clip(target.text)))
			}
			return
		}
	} else if i := strings.Index(ep, "_apis/"); i >= 0 {
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

// clip cuts a step's text for a message, at a character's boundary.
func clip(s string) string { return finding.Clip(s, 80) }

var azValued = map[string]bool{"--org": true, "--organization": true, "-p": true, "--project": true, "--repository": true,
	"-r": true, "--title": true, "--description": true, "-d": true, "--source-branch": true, "-s": true, "--target-branch": true,
	"-t": true, "--name": true, "--id": true, "--branch": true, "--type": true, "--feed": true, "--version": true,
	"--path": true, "--query": true, "-o": true, "--output": true, "--variables": true, "--fields": true, "-f": true}

func (r *shellRun) az(args []word, inline map[string]val, line int) {
	v, ok := r.env(inline, "AZURE_DEVOPS_EXT_PAT")
	if !ok {
		return // az with its own login: not a token of the pipeline's
	}
	r.rowFor(append([]string{"az"}, positional(args, azValued)...), check.AzureDevOps, v.tokens, line, "az")
}
