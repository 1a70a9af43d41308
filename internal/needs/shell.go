package needs

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/syntax"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
	"github.com/pat-check/pat-check/internal/token"
)

// placeholder stands for expression i of a script while the shell parser
// reads it: a plain word, so that it stays inside the word it was in.
func placeholder(i int) string { return "__PC" + strconv.Itoa(i) + "__" }

// inert are commands that cannot use a token they are not handed in their
// arguments: shell builtins and file tools. A token in their arguments is
// printed or compared, not sent anywhere.
var inert = map[string]bool{
	"echo": true, "printf": true, "cd": true, "pushd": true, "popd": true, "ls": true, "mkdir": true, "cp": true,
	"mv": true, "rm": true, "rmdir": true, "cat": true, "test": true, "[": true, "[[": true, "true": true, "false": true,
	"exit": true, "return": true, "set": true, "unset": true, "shift": true, "read": true, "grep": true,
	"egrep": true, "sed": true, "awk": true, "tr": true, "cut": true, "sort": true, "uniq": true, "head": true,
	"tail": true, "wc": true, "tee": true, "date": true, "sleep": true, "chmod": true, "chown": true,
	"touch": true, "ln": true, "jq": true, "yq": true, "sha256sum": true, "sha1sum": true, "md5sum": true,
	"basename": true, "dirname": true, "pwd": true, "source": true, ".": true, "wait": true, "trap": true,
	"printenv": true, "find": true, "tar": true, "zip": true, "unzip": true, "gzip": true, "diff": true,
	"cmp": true, "realpath": true, "readlink": true, "mktemp": true, "seq": true, "expr": true, "let": true,
	"shopt": true, "umask": true, "export": true, "local": true, "declare": true, "readonly": true, "xxd": true,
}

// psInert are PowerShell cmdlets that print, test or shape values
// (cmdlet names are case-insensitive).
var psInert = map[string]bool{
	"write-host": true, "write-output": true, "write-verbose": true, "write-warning": true, "write-error": true,
	"write-information": true, "write-debug": true, "join-path": true, "test-path": true, "get-childitem": true,
	"get-content": true, "get-date": true, "select-object": true, "where-object": true, "foreach-object": true,
	"convertto-json": true, "convertfrom-json": true, "out-string": true, "out-null": true, "new-item": true,
	"remove-item": true, "copy-item": true, "move-item": true, "get-item": true, "split-path": true, "resolve-path": true,
	"start-sleep": true, "throw": true, "exit": true, "if": true, "foreach": true, "return": true,
}

// localGit are git subcommands that do not reach a remote.
var localGit = map[string]bool{
	"add": true, "commit": true, "tag": true, "checkout": true, "switch": true, "log": true,
	"status": true, "diff": true, "rev-parse": true, "branch": true, "reset": true, "merge": true, "rebase": true,
	"cherry-pick": true, "stash": true, "show": true, "describe": true, "init": true, "rm": true, "mv": true,
	"restore": true, "clean": true, "worktree": true, "update-index": true, "ls-files": true, "apply": true, "am": true,
}

// signing are programs that take keys, certificates and their passwords:
// a value handed to them is no GitHub or Azure DevOps token.
var signing = map[string]string{
	"gpg": "GPG", "gpg2": "GPG", "gpg-preset-passphrase": "GPG", "security": "the macOS keychain", "codesign": "code signing",
	"openssl": "OpenSSL", "keytool": "a Java keystore", "jarsigner": "jar signing", "apksigner": "Android signing",
	"signtool": "Windows code signing", "cosign": "cosign (signing)", "xcrun": "Apple notarization", "notarytool": "Apple notarization",
	"ssh": "SSH", "scp": "SSH", "rsync": "SSH", "sshpass": "SSH", "ssh-add": "SSH", "ssh-keyscan": "SSH", "base64": "a file (decoded)",
	"minisign": "minisign (signing)", "rpmsign": "RPM signing", "debsign": "Debian signing", "azuresigntool": "Azure code signing",
}

// services are command-line tools of other services: a value they are
// handed is theirs.
var services = map[string]string{
	"aws": "AWS", "gcloud": "Google Cloud", "gsutil": "Google Cloud", "kubectl": "Kubernetes", "helm": "Helm", "terraform": "Terraform",
	"vercel": "Vercel", "netlify": "Netlify", "heroku": "Heroku", "firebase": "Firebase", "wrangler": "Cloudflare", "flyctl": "Fly.io",
	"twine": "PyPI", "cargo": "crates.io", "gem": "RubyGems", "codecov": "Codecov", "sonar-scanner": "SonarQube", "snyk": "Snyk",
	"sentry-cli": "Sentry", "pip": "a Python package index", "poetry": "a Python package index", "uv": "a Python package index",
	"mvn": "Maven", "gradle": "Gradle", "./gradlew": "Gradle", "gradlew": "Gradle", "fastlane": "fastlane", "expo": "Expo", "eas": "Expo",
	"doctl": "DigitalOcean", "cachix": "Cachix", "anaconda": "Anaconda", "pulumi": "Pulumi", "ossutil": "Alibaba Cloud",
	"mc": "an S3 store", "rclone": "a storage service", "hub": "", "vault": "HashiCorp Vault", "op": "1Password",
}

// knownTool are the commands pat-check has rules for.
var knownTool = map[string]bool{"gh": true, "git": true, "curl": true, "wget": true, "az": true, "docker": true, "npm": true,
	"yarn": true, "pnpm": true, "dotnet": true, "nuget": true, "goreleaser": true, "vsce": true, "tfx": true}

// word is a shell word as far as it can be known before the script runs.
type word struct {
	text    string   // literal text; known variables filled in, others left as $NAME
	tokens  []string // tokens the word carries
	dynamic bool     // the word has parts only known when the script runs
	marks   []mark   // where in text each token sits
}

// mark is a token's place in a word's text: the placeholder or $NAME that
// stands for it.
type mark struct {
	at     string
	tokens []string
}

// shellRun analyses one script: its commands, in order, with the variables
// that hold tokens.
type shellRun struct {
	st   *jobState
	s    *stepIn
	sc   *script
	vars map[string]val  // shell variables and environment that hold tokens
	lits map[string]word // variables with a literal value (repo="o/r")
	// varied are variables set to different values: their value is not known.
	varied map[string]bool
	// psTables are PowerShell hashtables by name, for splatting.
	psTables map[string]map[string]string
	funcs    map[string]bool
	// read are variables of the environment a known command read.
	read map[string]bool
	// placed are tokens this script sent somewhere known.
	placed map[string]bool
	others []string // commands that might read the environment, not known
	cwd    string
	stdin  map[*syntax.CallExpr][]string
	redirs map[*syntax.CallExpr][]*syntax.Redirect
	depth  int
}

// knownVars are variables the runner or agent sets, with a stand-in value
// good enough to recognise an API URL.
var knownVars = map[string]string{
	"GITHUB_API_URL": "https://api.github.com", "GITHUB_SERVER_URL": "https://github.com",
	"GITHUB_REPOSITORY": "OWNER/REPO", "GITHUB_REPOSITORY_OWNER": "OWNER",
	"SYSTEM_COLLECTIONURI": "https://dev.azure.com/ORG/", "SYSTEM_TEAMPROJECT": "PROJECT",
	"BUILD_REPOSITORY_NAME": "REPO", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI": "https://dev.azure.com/ORG/",
	"GITHUB_ENV": "$GITHUB_ENV", "GITHUB_OUTPUT": "$GITHUB_OUTPUT", "GITHUB_PATH": "$GITHUB_PATH", "HOME": "~",
	"GITHUB_WORKSPACE": ".", "BUILD_SOURCESDIRECTORY": ".",
}

func (st *jobState) runStep(s *stepIn) {
	sc := s.script
	r := &shellRun{st: st, s: s, sc: sc, vars: map[string]val{}, lits: map[string]word{}, varied: map[string]bool{}, funcs: map[string]bool{},
		read: map[string]bool{}, placed: map[string]bool{}, cwd: s.dir,
		stdin: map[*syntax.CallExpr][]string{}, redirs: map[*syntax.CallExpr][]*syntax.Redirect{}}
	for k, v := range s.env {
		if len(v.tokens) > 0 {
			r.vars[k] = v
		} else if !v.exprs {
			r.lits[k] = word{text: v.text}
		}
	}
	hasTokens := len(r.vars) > 0 || slices.ContainsFunc(sc.tokens, func(t string) bool { return t != "" })
	if !hasTokens && !st.hasCreds() {
		return
	}
	switch sc.shell {
	case "bash", "sh":
	case "pwsh", "powershell":
		r.powershell()
		r.finish()
		return
	default:
		for _, tok := range r.allTokens() {
			st.unknown(s, tok, st.platformOf(tok), sc.line, fmt.Sprintf("a %s script: pat-check reads only POSIX shell, bash and PowerShell scripts", sc.shell))
		}
		// What a checkout persisted is there for any git the script runs.
		for _, c := range st.creds {
			st.unknown(s, c.token, c.platform, sc.line, fmt.Sprintf("a %s script after a checkout that persisted the token: pat-check reads only POSIX shell, bash and PowerShell scripts", sc.shell))
		}
		return
	}
	if d := nestingDepth(sc.text); d > maxNesting {
		for _, tok := range r.allTokens() {
			st.unknown(s, tok, st.platformOf(tok), sc.line, fmt.Sprintf("the script nests %d levels deep, more than the %d pat-check reads", d, maxNesting))
		}
		return
	}
	f, err := syntax.NewParser(syntax.Variant(syntax.LangBash)).Parse(strings.NewReader(sc.text), "")
	if err != nil {
		for _, tok := range r.allTokens() {
			st.unknown(s, tok, st.platformOf(tok), sc.line, "the script is not valid shell: "+err.Error())
		}
		return
	}
	r.walk(f, 0)
	r.finish()
}

func (st *jobState) hasCreds() bool { return len(st.creds) > 0 }

// finish places the tokens of the step's environment that no known
// command read: handed to commands that might read them, their needs are
// unknown; handed to none at all, they are unused. Tokens written into the
// script that went nowhere are printed only.
func (r *shellRun) finish() {
	st, s := r.st, r.s
	for _, k := range sortedKeys(s.env) {
		v := s.env[k]
		if len(v.tokens) == 0 || r.read[k] {
			continue
		}
		for _, tok := range v.tokens {
			if r.placed[tok] {
				continue
			}
			if d, ok := knownEnv[k]; ok && d.other != "" {
				st.notToken(tok, v.line, fmt.Sprintf("in %s, read by %s", k, d.other))
				continue
			}
			if len(r.others) > 0 {
				if !v.stepOwn {
					// The job's or workflow's environment: said once per job.
					said := tok + "\x00" + k
					if st.envSaid[said] {
						continue
					}
					st.envSaid[said] = true
				}
				if d, ok := knownEnv[k]; ok {
					st.unknown(s, tok, d.platform, v.line, fmt.Sprintf("the token is in %s for %s, which pat-check has no rule for", k, strings.Join(r.others, ", ")))
					continue
				}
				st.unknownOrNot(s, tok, k, v.line, fmt.Sprintf("in %s for %s, which pat-check has no rule for", k, strings.Join(r.others, ", ")))
				continue
			}
			if !v.stepOwn {
				continue
			}
			u := Unknown{Token: tok, Platform: st.platformOf(tok), File: st.j.file, Job: st.j.id, Line: v.line, Step: s.name,
				Why: fmt.Sprintf("the token is in %s, and no command of the script uses it", k)}
			if d, ok := knownEnv[k]; ok {
				u.Platform = d.platform
			}
			if !slices.Contains(st.a.Unused, u) {
				st.a.Unused = append(st.a.Unused, u)
			}
		}
	}
}

// nestingDepth is the deepest nesting of brackets, braces and parentheses
// in a script: parsers recurse on each, so it is bounded before parsing.
func nestingDepth(s string) int {
	d, m := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(', '{', '[':
			d++
			m = max(m, d)
		case ')', '}', ']':
			if d > 0 {
				d--
			}
		}
	}
	return m
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

func (r *shellRun) line(n syntax.Node, lineBase int) int {
	return r.sc.line + lineBase + int(n.Pos().Line()) - 1
}

// walk visits the commands of a parsed script in order. lineBase shifts
// the lines of a script parsed from inside another (bash -c '…').
func (r *shellRun) walk(n syntax.Node, lineBase int) {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > 4 {
		return
	}
	syntax.Walk(n, func(n syntax.Node) bool {
		switch n := n.(type) {
		case *syntax.FuncDecl:
			if n.Name != nil {
				r.funcs[n.Name.Value] = true
			}
		case *syntax.Stmt:
			if c, ok := n.Cmd.(*syntax.CallExpr); ok && len(n.Redirs) > 0 {
				r.redirs[c] = n.Redirs
			}
		case *syntax.BinaryCmd:
			if n.Op == syntax.Pipe || n.Op == syntax.PipeAll {
				if left, ok := n.X.Cmd.(*syntax.CallExpr); ok {
					if right := firstCall(n.Y); right != nil {
						r.stdin[right] = append(r.stdin[right], r.output(left, n.X.Redirs)...)
					}
				}
			}
		case *syntax.DeclClause:
			for _, a := range n.Args {
				r.assign(a, r.line(n, lineBase))
			}
		case *syntax.CallExpr:
			line := r.line(n, lineBase)
			if len(n.Args) == 0 {
				for _, a := range n.Assigns {
					r.assign(a, line)
				}
				return true
			}
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
			r.command(n, words, inline, line, lineBase)
		}
		return true
	})
}

// firstCall is the command a pipe's right side starts with.
func firstCall(s *syntax.Stmt) *syntax.CallExpr {
	switch c := s.Cmd.(type) {
	case *syntax.CallExpr:
		return c
	case *syntax.BinaryCmd:
		return firstCall(c.X)
	}
	return nil
}

// output is what a command writes to standard output that carries
// tokens: echo's and printf's arguments, cat's here-document.
func (r *shellRun) output(c *syntax.CallExpr, redirs []*syntax.Redirect) []string {
	if len(c.Args) == 0 {
		return nil
	}
	var out []string
	switch path.Base(r.word(c.Args[0]).text) {
	case "echo", "printf", "cat":
		for _, a := range c.Args[1:] {
			out = append(out, r.word(a).tokens...)
		}
		for _, rd := range redirs {
			if rd.Hdoc != nil {
				out = append(out, r.word(rd.Hdoc).tokens...)
			}
			if rd.Op == syntax.WordHdoc && rd.Word != nil {
				out = append(out, r.word(rd.Word).tokens...)
			}
		}
	}
	return out
}

func (r *shellRun) assign(a *syntax.Assign, line int) {
	if a.Name == nil {
		return
	}
	if a.Value == nil {
		delete(r.vars, a.Name.Value)
		return
	}
	w := r.word(a.Value)
	prev, had := r.lits[a.Name.Value]
	delete(r.lits, a.Name.Value)
	delete(r.vars, a.Name.Value)
	switch {
	case len(w.tokens) > 0:
		r.vars[a.Name.Value] = val{text: w.text, tokens: w.tokens, line: line, marks: w.marks}
	case !w.dynamic && !r.varied[a.Name.Value]:
		if had && prev.text != w.text {
			// Set to two values (one under a condition): not known.
			r.varied[a.Name.Value] = true
			return
		}
		r.lits[a.Name.Value] = w
	}
}

// word reads a shell word: literal parts as they are, expressions'
// placeholders as the tokens they stand for, variables by what they hold,
// command substitutions by the tokens their commands print.
func (r *shellRun) word(w *syntax.Word) word {
	var out word
	if w == nil {
		return out
	}
	var parts func(ps []syntax.WordPart)
	lit := func(s string) {
		for i, tok := range r.sc.tokens {
			ph := placeholder(i)
			if tok != "" && strings.Contains(s, ph) {
				out.tokens = append(out.tokens, tok)
				out.marks = append(out.marks, mark{at: ph, tokens: []string{tok}})
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
				plain := p.Exp == nil && p.Repl == nil && p.Slice == nil && !p.Length && !p.Excl
				if v, ok := r.vars[name]; ok {
					out.tokens = append(out.tokens, v.tokens...)
					if v.text != "" && len(v.marks) > 0 && plain {
						out.text += v.text
						out.marks = append(out.marks, v.marks...)
					} else {
						out.text += "$" + name
						out.marks = append(out.marks, mark{at: "$" + name, tokens: v.tokens})
					}
				} else if l, ok := r.lits[name]; ok && plain {
					out.text += l.text
				} else if k, ok := knownVars[name]; ok && plain {
					out.text += k
				} else {
					out.text += "$" + name
					out.dynamic = true
				}
			case *syntax.CmdSubst:
				// $(echo "$T" | base64), $(cat <<EOF …): what it prints.
				for _, s := range p.Stmts {
					syntax.Walk(s, func(n syntax.Node) bool {
						if c, ok := n.(*syntax.CallExpr); ok {
							for _, a := range c.Args {
								if aw := r.word(a); len(aw.tokens) > 0 {
									out.tokens = append(out.tokens, aw.tokens...)
								}
							}
						}
						return true
					})
				}
				out.text += "$(…)"
				out.dynamic = true
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

func (r *shellRun) readEnv(inline map[string]val, names ...string) (val, bool) {
	for _, n := range names {
		if v, ok := r.env(inline, n); ok {
			r.read[n] = true
			return v, true
		}
	}
	return val{}, false
}

func (r *shellRun) place(tokens []string) {
	for _, t := range tokens {
		r.placed[t] = true
	}
}

func argTokens(args []word) []string {
	var out []string
	for _, a := range args {
		out = append(out, a.tokens...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func (r *shellRun) command(c *syntax.CallExpr, words []word, inline map[string]val, line, lineBase int) {
	stdin := r.stdin[c]
	// Wrappers run the command that follows them.
	for len(words) > 0 {
		// $guard gh release create …: a variable that is a command prefix
		// (echo for a dry run, or nothing) before a command pat-check knows.
		if words[0].text == "" || words[0].dynamic && len(words) > 1 && knownTool[path.Base(words[1].text)] {
			words = words[1:]
			continue
		}
		switch path.Base(words[0].text) {
		case "sudo", "time", "nohup", "command", "exec", "xargs", "npx", "timeout", "retry":
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
	switch strings.ToLower(name) {
	case "invoke-restmethod", "invoke-webrequest", "irm", "iwr":
		name, args = "curl", psRequest(r.psSplat(args))
	case "curl.exe", "git.exe", "gh.exe", "az.cmd", "docker.exe", "npm.cmd", "nuget.exe", "dotnet.exe":
		name = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(strings.ToLower(name), ".exe"), ".cmd"), ".bat")
	case "set-location", "push-location":
		name = "cd"
	}
	if name == "cd" && len(args) == 1 && !args[0].dynamic {
		r.cwd = path.Join(r.cwd, args[0].text)
		return
	}
	if r.writes(c, name, args, line) {
		return
	}
	switch {
	case (name == "bash" || name == "sh") && len(args) >= 2 && args[0].text == "-c" && !args[1].dynamic:
		if nestingDepth(args[1].text) <= maxNesting {
			if f, err := syntax.NewParser().Parse(strings.NewReader(args[1].text), ""); err == nil {
				r.walk(f, line-r.sc.line)
			}
		}
		return
	case name == "gh":
		r.gh(args, inline, line, stdin)
		return
	case name == "git":
		r.git(args, inline, line)
		return
	case name == "curl" || name == "wget" || name == "http" || name == "https":
		r.curl(name, args, inline, line)
		return
	case name == "az":
		r.az(args, inline, line, stdin)
		return
	case name == "docker" || name == "podman" || name == "buildah" || name == "skopeo" || name == "helm" && len(args) > 1 && args[0].text == "registry":
		if r.docker(name, args, line, stdin) {
			return
		}
	case name == "npm" || name == "yarn" || name == "pnpm":
		r.npm(name, args, inline, line)
		return
	case name == "dotnet" || name == "nuget":
		if r.nuget(name, args, line) {
			return
		}
	case name == "vsce" || name == "tfx":
		if r.marketplace(name, args, inline, line) {
			return
		}
	case name == "goreleaser":
		if v, ok := r.readEnv(inline, "GITHUB_TOKEN"); ok {
			r.rowFor(append([]string{"goreleaser"}, positional(args, nil)...), ghplatform.Platform, v.tokens, line, nil)
		}
		return
	}
	if what, ok := signing[name]; ok {
		for _, tok := range append(argTokens(args), stdin...) {
			r.placed[tok] = true
			r.st.notToken(tok, line, fmt.Sprintf("handed to %s (%s)", name, what))
		}
		return
	}
	if what, ok := services[name]; ok && what != "" {
		for _, tok := range append(argTokens(args), stdin...) {
			r.placed[tok] = true
			r.st.notToken(tok, line, fmt.Sprintf("handed to %s (%s)", name, what))
		}
		if len(argTokens(args)) == 0 && !slices.Contains(r.others, name) {
			r.others = append(r.others, name)
		}
		return
	}
	if inert[name] || psInert[strings.ToLower(name)] {
		// echo "$TOKEN" prints it (masked); it asks nothing of it.
		return
	}
	for i, a := range args {
		// The flag a value is given to names what it is (--azdev-pat X).
		dest := ""
		if f, _, ok := strings.Cut(a.text, "="); ok && strings.HasPrefix(f, "-") {
			dest = f
		} else if i > 0 && strings.HasPrefix(args[i-1].text, "-") {
			dest = args[i-1].text
		}
		for _, tok := range a.tokens {
			r.placed[tok] = true
			r.st.unknownOrNot(r.s, tok, strings.TrimLeft(dest, "-"), line, fmt.Sprintf("passed to %s, which pat-check has no rule for", clip(words[0].text)))
		}
	}
	for _, tok := range stdin {
		r.placed[tok] = true
		r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("piped into %s, which pat-check has no rule for", clip(words[0].text)))
	}
	if !r.funcs[name] && !slices.Contains(r.others, name) {
		r.others = append(r.others, clip(words[0].text))
	}
}

// psRequest turns Invoke-RestMethod's parameters into curl's: -Uri is the
// URL, -Method the method, -Headers, -Credential and -Token carry the
// token, -Body is data.
func psRequest(args []word) []word {
	var out []word
	for i := 0; i < len(args); i++ {
		a := strings.ToLower(args[i].text)
		if !strings.HasPrefix(a, "-") || i+1 >= len(args) {
			if !strings.HasPrefix(a, "-") {
				out = append(out, args[i]) // the URL given by position
			}
			continue
		}
		v := args[i+1]
		i++
		switch a {
		case "-uri", "-url":
			out = append(out, v)
		case "-method":
			out = append(out, word{text: "-X"}, word{text: strings.ToUpper(v.text)})
		case "-headers", "-credential", "-token", "-authentication":
			out = append(out, word{text: "-H"}, v)
		case "-body", "-infile":
			out = append(out, word{text: "-d"}, v)
		default:
			// -ContentType, -OutFile, …: values that carry no token.
		}
	}
	return out
}

// writes handles a command whose output, carrying tokens, goes to a file:
// $GITHUB_ENV sets the variables of the later steps, .netrc and .npmrc
// hold credentials for a host, key and certificate files are signing
// material; any other file is unknown.
func (r *shellRun) writes(c *syntax.CallExpr, name string, args []word, line int) bool {
	var target string
	for _, rd := range r.redirs[c] {
		if rd.Op == syntax.RdrOut || rd.Op == syntax.AppOut || rd.Op == syntax.RdrClob || rd.Op == syntax.RdrAll || rd.Op == syntax.AppAll {
			if rd.N != nil && rd.N.Value == "2" {
				continue
			}
			target = r.word(rd.Word).text
		}
	}
	if name == "tee" && len(args) > 0 {
		target = args[len(args)-1].text
	}
	if target == "" || target == "/dev/null" || target == "/dev/stderr" || target == "/dev/stdout" {
		return false
	}
	var toks []string
	var text string
	switch name {
	case "echo", "printf", "cat", "tee":
		toks = r.output(c, r.redirs[c])
		if name == "tee" {
			toks = r.stdin[c]
		}
		for _, a := range args {
			text += a.text + " "
		}
		for _, rd := range r.redirs[c] {
			if rd.Hdoc != nil {
				text += r.word(rd.Hdoc).text
			}
		}
	case "base64", "openssl", "gpg":
		toks = append(argTokens(args), r.stdin[c]...)
	default:
		return false
	}
	if len(toks) == 0 {
		return false
	}
	r.place(toks)
	base := path.Base(target)
	switch {
	case target == "$GITHUB_ENV":
		for _, l := range strings.Split(text, "\n") {
			k, _, ok := strings.Cut(strings.TrimSpace(l), "=")
			k = strings.Trim(k, `"' `)
			if ok && k != "" && !strings.ContainsAny(k, " $") {
				r.st.env[k] = val{text: "$" + k, tokens: toks, line: line, stepOwn: true}
			}
		}
		return true
	case target == "$GITHUB_OUTPUT":
		for _, tok := range toks {
			r.st.unknownOrNot(r.s, tok, "", line, "written to the step's outputs ($GITHUB_OUTPUT): pat-check does not follow step outputs")
		}
		return true
	case base == ".netrc" || base == "_netrc" || base == ".git-credentials":
		p, known := ghplatform.Platform, false
		for _, f := range strings.Fields(text) {
			if u, err := url.Parse(f); err == nil && u.Host != "" {
				f = u.Hostname()
			}
			if q, ok := hostPlatform(f); ok {
				p, known = q, true
			}
		}
		if known {
			for _, tok := range toks {
				r.st.setCred(cred{platform: p, token: tok, global: true})
			}
			return true
		}
	case base == ".npmrc":
		r.npmrc(text, toks, line)
		return true
	}
	if what := keyFile(base); what != "" {
		for _, tok := range toks {
			r.st.notToken(tok, line, fmt.Sprintf("written to %s, %s", clip(target), what))
		}
		return true
	}
	for _, tok := range toks {
		r.st.unknownOrNot(r.s, tok, "", line, fmt.Sprintf("written to the file %s, which pat-check does not follow", clip(target)))
	}
	return true
}

// keyFile says what a file of that name holds when it is key material.
func keyFile(base string) string {
	ext := strings.ToLower(path.Ext(base))
	switch ext {
	case ".p12", ".pfx", ".jks", ".keystore", ".cer", ".crt", ".pem", ".key", ".gpg", ".asc", ".mobileprovision", ".provisionprofile", ".snk", ".p8":
		return "a key or certificate file"
	}
	if strings.HasPrefix(base, "id_") || strings.Contains(base, "ssh") {
		return "an SSH key file"
	}
	return ""
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

// flagValue is the value of a flag (--repo X, --repo=X, -R X).
func flagValue(args []word, names ...string) (word, bool) {
	for i, a := range args {
		for _, n := range names {
			if a.text == n && i+1 < len(args) {
				return args[i+1], true
			}
			if v, ok := strings.CutPrefix(a.text, n+"="); ok && strings.HasPrefix(n, "--") {
				w := a
				w.text = v
				return w, true
			}
		}
	}
	return word{}, false
}

// rowFor records the use of a command row, or why it is unknown.
func (r *shellRun) rowFor(words []string, p check.Platform, tokens []string, line int, repos []string) {
	r.place(tokens)
	row, ok := matchCommand(words, p)
	for _, tok := range tokens {
		if !ok {
			r.st.unknown(r.s, tok, p, line, fmt.Sprintf("%s: pat-check has no rule for this command", strings.Join(words[:min(len(words), 4)], " ")))
			continue
		}
		n := rowNeed(row, r.st.j.touchesWorkflows)
		n.Repositories = append(n.Repositories, repos...)
		r.st.useNeed(r.s, tok, p, line, row, n)
	}
}

// clip cuts a step's text for a message, at a character's boundary, with
// the stand-ins of expressions shown as such.
// clip shortens a snippet of a file for a message: expressions shown as
// ${{…}}, and anything token-shaped hidden (a value written into the file by
// mistake is another secret, which no mask covers).
func clip(s string) string {
	return finding.Clip(token.RedactIn(placeholders.ReplaceAllString(s, "${{…}}")), 80)
}

var placeholders = regexp.MustCompile(`__PC[0-9]+__`)

// hostPlatform says whose host a URL names.
func hostPlatform(host string) (check.Platform, bool) {
	h := strings.ToLower(host)
	switch {
	case h == "github.com" || h == "api.github.com" || h == "uploads.github.com" || strings.HasSuffix(h, ".ghe.com") || strings.HasSuffix(h, ".github.com") ||
		h == "ghcr.io" || h == "npm.pkg.github.com" || h == "nuget.pkg.github.com" || h == "maven.pkg.github.com" || h == "rubygems.pkg.github.com":
		return ghplatform.Platform, true
	case h == "dev.azure.com" || strings.HasSuffix(h, ".dev.azure.com") || strings.HasSuffix(h, ".visualstudio.com"):
		return azplatform.Platform, true
	}
	return ghplatform.Platform, false
}

// credTokens splits the tokens of a URL word by where they sit: in the
// password (or a lone user part: https://TOKEN@host), or in the user name
// beside a password.
func credTokens(w word) (cred, user []string) {
	rest := w.text
	if _, after, ok := strings.Cut(rest, "://"); ok {
		rest = after
	}
	host := rest
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	at := strings.LastIndex(host, "@")
	if at < 0 {
		return nil, nil
	}
	info := host[:at]
	u, p, hasPass := strings.Cut(info, ":")
	for _, m := range w.marks {
		switch {
		case hasPass && strings.Contains(p, m.at):
			cred = append(cred, m.tokens...)
		case strings.Contains(u, m.at):
			if hasPass {
				user = append(user, m.tokens...)
			} else {
				cred = append(cred, m.tokens...)
			}
		}
	}
	return cred, user
}

// repoOf is the owner/name a GitHub URL or API path names, "" when none
// or the workflow's own (OWNER/REPO).
func repoOf(p string) string {
	segs := strings.Split(strings.Trim(p, "/"), "/")
	if len(segs) >= 3 && segs[0] == "repos" {
		segs = segs[1:]
	}
	if len(segs) < 2 {
		return ""
	}
	r := segs[0] + "/" + strings.TrimSuffix(segs[1], ".git")
	if r == "OWNER/REPO" || !repoShape.MatchString(r) || strings.ContainsAny(r, "$") {
		return ""
	}
	return r
}
