package needs

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// val is a value from the file, with the tokens it references.
type val struct {
	text   string
	line   int
	tokens []string
	// exprs is true when the value holds an expression or macro, so that
	// its text is not what the step will see.
	exprs bool
	// stepOwn: set in the step's own env:, not the job's or workflow's.
	stepOwn bool
	// marks are where in text each token sits (a shell variable's value).
	marks []mark
}

// script is a run: or script: step's text, its expressions replaced by
// placeholders (placeholder i stands for tokens[i], "" when the
// expression is not a token), and the file line of its first line.
type script struct {
	text   string
	line   int
	tokens []string
	shell  string // "bash", or what the step names (pwsh, python, …)
}

// stepIn is one step as the workflow and pipeline parsers hand it over.
type stepIn struct {
	name, id string
	line     int
	// action is the lower-cased owner/name[/path] of uses: (GitHub),
	// "checkout" for an Azure checkout step, "task:Name@N" for an Azure task.
	action string
	// ref is what follows @ in uses: (v4, v2.4.1, a SHA).
	ref string
	// dir is the step's working-directory, relative to the workspace.
	dir    string
	inputs map[string]val
	// env is the step's effective environment: workflow, job and step.
	env    map[string]val
	script *script
	self   bool
}

// jobIn is one job: its steps in order.
type jobIn struct {
	file, id string
	platform check.Platform
	steps    []stepIn
	// touchesWorkflows: some step's text mentions .github/workflows, so a
	// push may carry workflow files.
	touchesWorkflows bool
	// pushesImages: some step pushes an image or package, so a registry
	// login is for writing.
	pushesImages bool
}

// jobState is what earlier steps of a job left for later ones.
type jobState struct {
	j *jobIn
	a Analysis
	// creds are the credentials checkouts and git config left in git's
	// configuration, latest last; remotes maps remote names set with a
	// token in their URL.
	creds   []cred
	remotes map[string]remote
	// producers are the ids of steps whose output "token" is a token.
	producers map[string]bool
	// npmRegistry is the registry-url actions/setup-node wrote to .npmrc
	// (read by npm with NODE_AUTH_TOKEN).
	npmRegistry string
	// env are variables earlier steps wrote to $GITHUB_ENV.
	env map[string]val
	// envSaid are the tokens of the job's environment already reported
	// as handed to commands without a rule.
	envSaid map[string]bool
}

// cred is a token left in git's configuration: by a checkout into path
// (of repo), or globally (path "").
type cred struct {
	platform check.Platform
	token    string
	repo     string
	path     string
	global   bool
}

type remote struct {
	token    string
	platform check.Platform
	repo     string
}

func analyzeJob(j jobIn) Analysis {
	st := &jobState{j: &j, remotes: map[string]remote{}, producers: map[string]bool{}, env: map[string]val{}, envSaid: map[string]bool{}}
	for i := range j.steps {
		s := &j.steps[i]
		for k, v := range st.env {
			if _, set := s.env[k]; !set {
				s.env[k] = v
			}
		}
		switch {
		case s.self:
		case s.script != nil:
			st.runStep(s)
		case s.action != "":
			st.actionStep(s)
		}
		if j.platform == ghplatform.Platform {
			if why := oidc(s); why != "" {
				w := []string{"id-token:write"}
				if strings.HasPrefix(s.action, "actions/attest") {
					// actions/attest's README: id-token and attestations, write.
					w = append(w, "attestations:write")
				}
				st.a.Uses = append(st.a.Uses, Use{Token: GitHubToken, Platform: ghplatform.Platform, File: j.file, Job: j.id, Line: s.line, Step: s.name,
					Rule: "OIDC: " + why, Need: Need{Workflow: w}, Note: "the job's OIDC token: id-token: write", Source: oidcDocs})
			}
		}
	}
	return st.a
}

const oidcDocs = "https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#adding-permissions-settings"

// oidc says how a step signs in with the job's OIDC token (which needs
// id-token: write), "" when it does not: a cloud login by federation
// rather than by a secret, keyless signing, npm provenance, trusted
// publishing to PyPI.
func oidc(s *stepIn) string {
	in := func(k string) bool { v, ok := s.inputs[k]; return ok && strings.TrimSpace(v.text) != "" }
	switch s.action {
	case "aws-actions/configure-aws-credentials":
		if in("role-to-assume") && !in("aws-secret-access-key") {
			return "aws-actions/configure-aws-credentials with role-to-assume"
		}
	case "azure/login":
		if in("client-id") && !in("creds") && !in("client-secret") {
			return "azure/login with client-id (federated credential)"
		}
	case "google-github-actions/auth":
		if in("workload_identity_provider") {
			return "google-github-actions/auth with a workload identity provider"
		}
	case "pypa/gh-action-pypi-publish":
		if !in("password") {
			return "pypa/gh-action-pypi-publish (trusted publishing)"
		}
	case "actions/attest", "actions/attest-sbom", "rust-lang/crates-io-auth-action":
		return s.action
	}
	if strings.EqualFold(strings.TrimSpace(s.env["NPM_CONFIG_PROVENANCE"].text), "true") {
		return "npm provenance (NPM_CONFIG_PROVENANCE)"
	}
	if s.script != nil {
		t := s.script.text
		switch {
		case strings.Contains(t, "publish") && strings.Contains(t, "--provenance"):
			return "npm publish --provenance"
		case (strings.Contains(t, "cosign sign") || strings.Contains(t, "cosign attest")) && !strings.Contains(t, "--key"):
			return "cosign keyless signing"
		}
	}
	return ""
}

// credFor is the credential git uses in dir (relative to the workspace)
// for a platform: the global one set last, else the checkout whose path
// holds dir (the longest), else none.
func (st *jobState) credFor(p check.Platform, dir string) (cred, bool) {
	var best cred
	found := false
	for _, c := range st.creds {
		if c.platform != p {
			continue
		}
		if c.global {
			best, found = c, true
			continue
		}
		if within(dir, c.path) && (!found || !best.global && len(c.path) >= len(best.path)) {
			best, found = c, true
		}
	}
	return best, found
}

// within reports whether dir is path or under it (both relative, "" or
// "." the workspace).
func within(dir, path string) bool {
	d := strings.Trim(strings.TrimPrefix(dir, "./"), "/")
	p := strings.Trim(strings.TrimPrefix(path, "./"), "/")
	if p == "" || p == "." {
		return !strings.HasPrefix(d, "/") && !strings.HasPrefix(d, "..")
	}
	return d == p || strings.HasPrefix(d, p+"/")
}

func (st *jobState) setCred(c cred) {
	st.creds = slices.DeleteFunc(st.creds, func(o cred) bool {
		return o.platform == c.platform && o.global == c.global && o.path == c.path
	})
	if c.token != "" {
		st.creds = append(st.creds, c)
	}
}

func (st *jobState) use(s *stepIn, tok string, p check.Platform, line int, r Row) {
	st.useNeed(s, tok, p, line, r, rowNeed(r, st.j.touchesWorkflows))
}

func (st *jobState) useNeed(s *stepIn, tok string, p check.Platform, line int, r Row, n Need) {
	if r.Unknown != "" {
		st.unknown(s, tok, p, line, r.Unknown)
		return
	}
	if IsAppToken(tok) {
		n.Scopes = nil
	}
	st.a.Uses = append(st.a.Uses, Use{Token: tok, Platform: p, File: st.j.file, Job: st.j.id, Line: line, Step: s.name, Rule: r.Rule, Need: n, Note: r.Note})
}

func (st *jobState) unknown(s *stepIn, tok string, p check.Platform, line int, why string) {
	u := Unknown{Token: tok, Platform: p, File: st.j.file, Job: st.j.id, Line: line, Step: s.name, Why: why}
	if !slices.Contains(st.a.Unknowns, u) {
		st.a.Unknowns = append(st.a.Unknowns, u)
	}
}

// notToken records a reference whose value goes somewhere no token of
// GitHub's or Azure DevOps' does.
func (st *jobState) notToken(tok string, line int, why string) {
	if strings.HasPrefix(tok, "steps.") {
		return
	}
	st.a.NotTokens = append(st.a.NotTokens, NotToken{Secret: tok, File: st.j.file, Line: line, Why: why})
}

// unknownOrNot records a reference handed to something pat-check has no
// rule for: a value whose name (or the name it is handed as) says it is
// for another service is no token; any other is an unknown with why.
func (st *jobState) unknownOrNot(s *stepIn, tok, dest string, line int, why string) {
	if !IsAppToken(tok) && tok != AzureAccessToken {
		if what := byName(tok, dest); what != "" {
			st.notToken(tok, line, fmt.Sprintf("%s (by its name); %s", what, why))
			return
		}
	}
	st.unknown(s, tok, st.platformOf(tok), line, why)
}

// actionRow finds the table's row for an action: its owner/name, or a
// longer path (github/codeql-action/upload-sarif), for the version ref
// names when the row says which.
func actionRow(action, ref string, p check.Platform) (Row, bool) {
	for _, r := range Table {
		if r.Action != "" && r.platform() == p && (action == r.Action || strings.HasPrefix(action, r.Action+"/")) {
			if !versionIn(ref, r.Versions) {
				continue
			}
			return r, true
		}
	}
	return Row{}, false
}

// versionIn reports whether a uses: ref is among the versions a row
// names. A floating major (v2) stands for its newest release, a ref that
// is no version (a branch, a SHA) for the newest of all.
func versionIn(ref, spec string) bool {
	spec = strings.TrimSpace(spec)
	if spec == "" || spec == "all" {
		return true
	}
	v := refVersion(ref)
	switch {
	case strings.HasPrefix(spec, "<="):
		return compareVersions(v, specVersion(spec[2:], 999)) <= 0
	case strings.HasPrefix(spec, "<"):
		return compareVersions(v, specVersion(spec[1:], 0)) < 0
	case strings.HasSuffix(spec, "+"):
		return compareVersions(v, specVersion(strings.TrimSuffix(spec, "+"), 0)) >= 0
	case strings.Contains(spec, "-"):
		lo, hi, _ := strings.Cut(spec, "-")
		return compareVersions(v, specVersion(lo, 0)) >= 0 && compareVersions(v, specVersion(hi, 999)) <= 0
	}
	// One major or minor: v6, v1.
	lo, hi := specVersion(spec, 0), specVersion(spec, 999)
	return compareVersions(v, lo) >= 0 && compareVersions(v, hi) <= 0
}

// refVersion reads v2, v2.4, v2.4.1 (missing parts are the newest); a ref
// that is no version is newer than any.
func refVersion(ref string) [3]int {
	if v, ok := parseVersion(ref, 999); ok {
		return v
	}
	return [3]int{1 << 30, 0, 0}
}

func specVersion(s string, fill int) [3]int {
	v, _ := parseVersion(strings.ReplaceAll(s, ".x", ""), fill)
	return v
}

func parseVersion(s string, fill int) ([3]int, bool) {
	out := [3]int{fill, fill, fill}
	s = strings.TrimPrefix(strings.TrimSpace(s), "v")
	parts := strings.Split(s, ".")
	if len(parts) == 0 || len(parts) > 3 {
		return out, false
	}
	for i, p := range parts {
		if p == "" || len(p) > 6 {
			return out, false
		}
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return out, false
			}
			n = n*10 + int(c-'0')
		}
		out[i] = n
	}
	return out, true
}

func compareVersions(a, b [3]int) int {
	for i := range 3 {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func (st *jobState) actionStep(s *stepIn) {
	p := st.j.platform
	r, known := actionRow(s.action, s.ref, p)
	if s.action == "actions/setup-node" {
		if v, ok := s.inputs["registry-url"]; ok && !v.exprs {
			st.npmRegistry = strings.TrimSpace(v.text)
		}
	}
	if !known {
		st.unknownAction(s)
		return
	}
	if r.NotToken != "" {
		for _, k := range sortedKeys(s.inputs) {
			for _, tok := range s.inputs[k].tokens {
				st.notToken(tok, s.inputs[k].line, fmt.Sprintf("input %s of %s: %s", k, r.Rule, r.NotToken))
			}
		}
		st.envOfAction(s, r)
		return
	}
	if r.Produces {
		if s.id != "" {
			st.producers[s.id] = true
		}
		st.otherInputs(s, r, nil)
		return
	}
	if r.Registry != "" {
		reg := strings.ToLower(s.inputs["registry"].text)
		if !strings.Contains(reg, r.Registry) {
			where := "Docker Hub"
			if reg != "" {
				where = clip(reg)
			}
			st.otherInputs(s, r, func(k string) string { return fmt.Sprintf("input %s of %s, for the registry %s", k, s.action, where) })
			return
		}
	}
	for _, k := range r.NotInputs {
		name, isEnv := strings.CutPrefix(k, "env:")
		v, ok := s.inputs[name]
		if isEnv {
			v, ok = s.env[name]
		}
		if ok {
			for _, tok := range v.tokens {
				st.notToken(tok, v.line, fmt.Sprintf("%s of %s: a key, not a token", k, r.Rule))
			}
		}
	}
	if r.AzureToken {
		p = azplatform.Platform
	}
	tok, line, given, tokInput := "", s.line, false, ""
	for _, in := range r.Inputs {
		v, ok := s.inputs[in]
		if name, isEnv := strings.CutPrefix(in, "env:"); isEnv {
			v, ok = s.env[name]
		}
		if ok && len(v.tokens) > 0 {
			tok, line, given, tokInput = v.tokens[0], v.line, true, in
			break
		}
		if ok && v.text != "" {
			given = true // a literal or an expression that is no token
		}
	}
	implicit := false
	if tok == "" && !given && r.DefaultToken && p == ghplatform.Platform {
		tok, implicit = GitHubToken, true
	}
	st.otherInputs(s, r, nil, append([]string{tokInput}, r.NotInputs...)...)
	if r.Persists {
		persist := true
		if v, ok := s.inputs["persist-credentials"]; ok && strings.EqualFold(strings.TrimSpace(v.text), "false") {
			persist = false
		}
		if ssh, ok := s.inputs["ssh-key"]; ok && ssh.text != "" {
			persist, tok = false, ""
		}
		path := "."
		if v, ok := s.inputs["path"]; ok && !v.exprs && strings.TrimSpace(v.text) != "" {
			path = strings.TrimSpace(v.text)
		}
		repo := ""
		if v, ok := s.inputs["repository"]; ok && !v.exprs && repoShape.MatchString(strings.TrimSpace(v.text)) {
			repo = strings.TrimSpace(v.text)
		}
		if p == azplatform.Platform {
			persist = strings.EqualFold(strings.TrimSpace(s.inputs["persistcredentials"].text), "true")
			tok = ""
			if persist {
				tok = AzureAccessToken
			}
		}
		c := cred{platform: p, path: path, repo: repo}
		if persist {
			c.token = tok
		}
		st.setCred(c)
	}
	if r.PushesCheckout {
		if tok != "" && !implicit {
			// The input's token makes API requests only; the push uses the
			// checkout's credentials.
			st.a.Uses = append(st.a.Uses, Use{Token: tok, Platform: p, File: st.j.file, Job: st.j.id, Line: line, Step: s.name,
				Rule: r.Rule + " (" + tokInput + ")", Note: "the push uses the credentials the checkout persisted, not this input"})
		}
		tok, line = "", s.line
		if c, ok := st.credFor(p, "."); ok {
			tok = c.token
		}
	}
	if tok == "" {
		return
	}
	n := rowNeed(r, st.j.touchesWorkflows || mentionsWorkflows(s.inputs))
	if implicit && r.Unknown == "" && r.Resolve == "" && len(n.Scopes) == 0 && len(n.Permissions) == 0 && n.Workflow == nil {
		return // the default token, for something that needs nothing of it
	}
	n.Repositories = append(n.Repositories, repoInputs(s, r.RepoInput)...)
	if r.RepoDefault != "" && !slices.Contains(n.Repositories, r.RepoDefault) {
		n.Repositories = append(n.Repositories, r.RepoDefault)
	}
	if r.PushesCheckout {
		if c, ok := st.credFor(p, "."); ok && c.repo != "" {
			n.Repositories = append(n.Repositories, c.repo)
		}
	}
	if pushesWithURL[r.Action] && p == ghplatform.Platform {
		if c, ok := st.credFor(p, "."); ok && c.token != tok {
			r.Note = strings.TrimSpace(r.Note + " " + shadowed(c.token))
		}
	}
	switch r.Resolve {
	case "script":
		resolveScript(st, s, tok, line)
		return
	case "route":
		resolveRoute(st, s, tok, line)
		return
	}
	st.useNeed(s, tok, p, line, r, n)
}

// otherInputs places the secrets a known action is given in inputs that
// carry no token (a user name, another registry's password): where says
// where each goes; skip are the token inputs.
func (st *jobState) otherInputs(s *stepIn, r Row, where func(k string) string, skip ...string) {
	for _, k := range sortedKeys(s.inputs) {
		if slices.Contains(skip, k) || (where == nil && slices.Contains(r.Inputs, k)) {
			continue
		}
		for _, tok := range s.inputs[k].tokens {
			why := fmt.Sprintf("input %s of %s, which takes no token (%s)", k, r.Rule, r.Source)
			if where != nil {
				why = where(k)
			}
			st.notToken(tok, s.inputs[k].line, why)
		}
	}
	st.envOfAction(s, r, skip...)
}

// envOfAction places the secrets in a known action's environment that it
// does not read as its token.
func (st *jobState) envOfAction(s *stepIn, r Row, skip ...string) {
	for _, k := range sortedKeys(s.env) {
		if slices.Contains(skip, "env:"+k) || slices.Contains(r.Inputs, "env:"+k) {
			continue
		}
		v := s.env[k]
		if !v.stepOwn {
			continue // the job's or workflow's environment: placed where it is read
		}
		for _, tok := range v.tokens {
			if d, ok := knownEnv[k]; ok && d.other != "" {
				st.notToken(tok, v.line, fmt.Sprintf("in %s, read by %s", k, d.other))
				continue
			}
			st.unknownOrNot(s, tok, k, v.line, fmt.Sprintf("in %s of %s, which does not document reading it", k, r.Rule))
		}
	}
}

// pushesWithURL are actions that push with their token in the remote's
// URL: git sends a checkout's persisted header first, so the push is the
// checkout token's (their READMEs: set persist-credentials: false).
var pushesWithURL = map[string]bool{"ad-m/github-push-action": true, "actions-js/push": true, "gr2m/create-or-update-pull-request-action": true}

// shadowed is the note for a push whose token a checkout's persisted
// credentials take the place of.
func shadowed(persisted string) string {
	return fmt.Sprintf("a checkout persisted %s, which git sends instead: the push is that token's unless the checkout sets persist-credentials: false", persisted)
}

// repoInputs reads the repositories a step's inputs name: owner/name in
// one input, an owner and a name in two (owner,repo), or a URL.
func repoInputs(s *stepIn, names string) []string {
	if names == "" {
		return nil
	}
	lit := func(k string) string {
		if v, ok := s.inputs[k]; ok && !v.exprs {
			return strings.TrimSpace(v.text)
		}
		return ""
	}
	ks := strings.Split(names, ",")
	if len(ks) == 2 && ks[0] == "owner" && (ks[1] == "repo" || ks[1] == "repository") {
		o, n := lit(ks[0]), lit(ks[1])
		if o != "" && n != "" && repoShape.MatchString(o+"/"+n) {
			return []string{o + "/" + n}
		}
		return nil
	}
	var out []string
	for _, k := range ks {
		v := lit(k)
		if u, err := url.Parse(v); err == nil && u.Host != "" {
			v = repoOf(u.Path)
		}
		if repoShape.MatchString(v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

var repoShape = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$`)

func mentionsWorkflows(in map[string]val) bool {
	for _, v := range in {
		if strings.Contains(v.text, ".github/workflows") {
			return true
		}
	}
	return false
}

// unknownAction places the secrets given to an action (or task) pat-check
// has no row for: each is unknown, or no token when its name or the
// input's says another service.
func (st *jobState) unknownAction(s *stepIn) {
	what := "the action " + s.action
	if t, ok := strings.CutPrefix(s.action, "task:"); ok {
		what = "the task " + t
	}
	for _, k := range sortedKeys(s.inputs) {
		v := s.inputs[k]
		for _, tok := range v.tokens {
			st.unknownOrNot(s, tok, k, v.line, fmt.Sprintf("%s (input %s) is not in pat-check's table", what, k))
		}
	}
	for _, k := range sortedKeys(s.env) {
		v := s.env[k]
		if !v.stepOwn {
			continue
		}
		for _, tok := range v.tokens {
			if d, ok := knownEnv[k]; ok {
				if d.other != "" {
					st.notToken(tok, v.line, fmt.Sprintf("in %s, read by %s", k, d.other))
					continue
				}
				st.unknown(s, tok, d.platform, v.line, fmt.Sprintf("%s reads %s and is not in pat-check's table", what, k))
				continue
			}
			st.unknownOrNot(s, tok, k, v.line, fmt.Sprintf("%s reads %s and is not in pat-check's table", what, k))
		}
	}
}

// platformOf guesses the platform of a token named outside any rule.
func (st *jobState) platformOf(tok string) check.Platform {
	if tok == GitHubToken {
		return ghplatform.Platform
	}
	if tok == AzureAccessToken {
		return azplatform.Platform
	}
	return st.j.platform
}

// matchCommand finds the row for a command's leading words.
func matchCommand(words []string, p check.Platform) (Row, bool) {
	for _, r := range Table {
		if len(r.Command) == 0 || r.platform() != p || len(words) < len(r.Command) {
			continue
		}
		ok := true
		for i, alt := range r.Command {
			if !slices.Contains(strings.Split(alt, "|"), words[i]) {
				ok = false
				break
			}
		}
		if ok {
			return r, true
		}
	}
	return Row{}, false
}

// matchREST finds the row for a request: method and path (GitHub: after
// the API base; Azure DevOps: from _apis on).
func matchREST(method, path string, p check.Platform) (Row, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, r := range Table {
		if r.Path == "" || r.platform() != p || !slices.Contains(strings.Split(r.Method, "|"), method) {
			continue
		}
		if pathMatch(strings.Split(r.Path, "/"), segs) {
			return r, true
		}
	}
	return Row{}, false
}

func pathMatch(pat, segs []string) bool {
	for i, p := range pat {
		if p == "**" {
			return true
		}
		if i >= len(segs) || (p != "*" && !strings.EqualFold(p, segs[i])) {
			return false
		}
	}
	// "a/**" also matches "a" itself.
	return len(segs) == len(pat) || (len(segs) == len(pat)-1 && pat[len(pat)-1] == "**")
}
