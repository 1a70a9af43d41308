package needs

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/pat-check/pat-check/internal/check"
)

// val is a value from the file, with the tokens it references.
type val struct {
	text   string
	line   int
	tokens []string
	// exprs is true when the value holds an expression or macro, so that
	// its text is not what the step will see.
	exprs bool
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
}

// conventional token variables, read by programs without being named in
// their arguments: gh, git credential helpers, az devops, goreleaser.
var conventional = map[string]check.Platform{
	"GH_TOKEN": check.GitHub, "GITHUB_TOKEN": check.GitHub, "GH_ENTERPRISE_TOKEN": check.GitHub,
	"AZURE_DEVOPS_EXT_PAT": check.AzureDevOps,
}

var tokenish = regexp.MustCompile(`(?i)token|pat\b|_pat|^pat|password|secret`)

// jobState is what earlier steps of a job left for later ones.
type jobState struct {
	j *jobIn
	a Analysis
	// persisted are the tokens a checkout left in git's configuration, by
	// platform; remotes maps remote names set with a token in their URL.
	persisted map[check.Platform]string
	remotes   map[string]remote
	// producers are the ids of steps whose output "token" is a token.
	producers map[string]bool
}

type remote struct {
	token    string
	platform check.Platform
}

func analyzeJob(j jobIn) Analysis {
	st := &jobState{j: &j, persisted: map[check.Platform]string{}, remotes: map[string]remote{}, producers: map[string]bool{}}
	for i := range j.steps {
		s := &j.steps[i]
		switch {
		case s.self:
		case s.script != nil:
			st.runStep(s)
		case s.action != "":
			st.actionStep(s)
		}
	}
	return st.a
}

func (st *jobState) use(s *stepIn, tok string, p check.Platform, line int, r Row) {
	if r.Unknown != "" {
		st.unknown(s, tok, p, line, r.Unknown)
		return
	}
	st.a.Uses = append(st.a.Uses, Use{Token: tok, Platform: p, File: st.j.file, Job: st.j.id, Line: line, Step: s.name, Rule: r.Rule, Need: rowNeed(r, st.j.touchesWorkflows), Note: r.Note})
}

func (st *jobState) useNeed(s *stepIn, tok string, p check.Platform, line int, r Row, n Need) {
	if r.Unknown != "" {
		st.unknown(s, tok, p, line, r.Unknown)
		return
	}
	st.a.Uses = append(st.a.Uses, Use{Token: tok, Platform: p, File: st.j.file, Job: st.j.id, Line: line, Step: s.name, Rule: r.Rule, Need: n, Note: r.Note})
}

func (st *jobState) unknown(s *stepIn, tok string, p check.Platform, line int, why string) {
	u := Unknown{Token: tok, Platform: p, File: st.j.file, Job: st.j.id, Line: line, Step: s.name, Why: why}
	if !slices.Contains(st.a.Unknowns, u) {
		st.a.Unknowns = append(st.a.Unknowns, u)
	}
}

// actionRow finds the table's row for an action: its owner/name, or a
// longer path (github/codeql-action/upload-sarif).
func actionRow(action string, p check.Platform) (Row, bool) {
	for _, r := range Table {
		if r.Action != "" && r.Platform == p && (action == r.Action || strings.HasPrefix(action, r.Action+"/")) {
			return r, true
		}
	}
	return Row{}, false
}

func (st *jobState) actionStep(s *stepIn) {
	p := st.j.platform
	r, known := actionRow(s.action, p)
	if !known {
		st.unknownAction(s)
		return
	}
	if r.Produces {
		if s.id != "" {
			st.producers[s.id] = true
		}
		return
	}
	if r.Registry != "" {
		if reg := s.inputs["registry"]; !strings.Contains(strings.ToLower(reg.text), r.Registry) {
			return // another registry: not a GitHub token
		}
	}
	tok, line, given := "", s.line, false
	for _, in := range r.Inputs {
		v, ok := s.inputs[in]
		if name, isEnv := strings.CutPrefix(in, "env:"); isEnv {
			v, ok = s.env[name]
		}
		if ok && len(v.tokens) > 0 {
			tok, line, given = v.tokens[0], v.line, true
			break
		}
		if ok && v.text != "" {
			given = true // a literal or an expression that is no token
		}
	}
	implicit := false
	if tok == "" && !given && r.DefaultToken && p == check.GitHub {
		tok, implicit = GitHubToken, true
	}
	if r.Persists {
		persist := true
		if v, ok := s.inputs["persist-credentials"]; ok && strings.EqualFold(strings.TrimSpace(v.text), "false") {
			persist = false
		}
		if ssh, ok := s.inputs["ssh-key"]; ok && ssh.text != "" {
			persist, tok = false, ""
		}
		if p == check.AzureDevOps {
			persist = strings.EqualFold(strings.TrimSpace(s.inputs["persistcredentials"].text), "true")
			tok = ""
			if persist {
				tok = AzureAccessToken
			}
		}
		if persist && tok != "" {
			st.persisted[p] = tok
		} else {
			delete(st.persisted, p)
		}
	}
	if r.PushesCheckout && tok == "" {
		tok = st.persisted[p]
	}
	if tok == "" {
		return
	}
	n := rowNeed(r, st.j.touchesWorkflows || mentionsWorkflows(s.inputs))
	if implicit && r.Unknown == "" && len(n.Scopes) == 0 && len(n.Permissions) == 0 {
		return // the default token, for something that needs nothing of it
	}
	if r.RepoInput != "" {
		if v, ok := s.inputs[r.RepoInput]; ok && !v.exprs && repoShape.MatchString(strings.TrimSpace(v.text)) {
			n.Repositories = append(n.Repositories, strings.TrimSpace(v.text))
		}
	}
	st.useNeed(s, tok, p, line, r, n)
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

// unknownAction reports a step of an action (or task) pat-check has no row
// for, when it is handed a token: in an input named like one, or in a
// conventional variable of its environment.
func (st *jobState) unknownAction(s *stepIn) {
	what := "the action " + s.action
	if t, ok := strings.CutPrefix(s.action, "task:"); ok {
		what = "the task " + t
	}
	names := make([]string, 0, len(s.inputs))
	for k := range s.inputs {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		v := s.inputs[k]
		for _, tok := range v.tokens {
			if tokenish.MatchString(k) || tok == GitHubToken || tok == AzureAccessToken || tokenish.MatchString(tok) || st.producers[strings.TrimSuffix(strings.TrimPrefix(tok, "steps."), ".outputs.token")] {
				st.unknown(s, tok, st.platformOf(tok), v.line, fmt.Sprintf("%s (input %s) is not in pat-check's table", what, k))
			}
		}
	}
	envs := make([]string, 0, len(s.env))
	for k := range s.env {
		envs = append(envs, k)
	}
	slices.Sort(envs)
	for _, k := range envs {
		if p, ok := conventional[k]; ok {
			for _, tok := range s.env[k].tokens {
				st.unknown(s, tok, p, s.env[k].line, fmt.Sprintf("%s reads %s and is not in pat-check's table", what, k))
			}
		}
	}
}

// platformOf guesses the platform of a token named outside any rule.
func (st *jobState) platformOf(tok string) check.Platform {
	if tok == GitHubToken {
		return check.GitHub
	}
	if tok == AzureAccessToken {
		return check.AzureDevOps
	}
	return st.j.platform
}

// matchCommand finds the row for a command's leading words.
func matchCommand(words []string, p check.Platform) (Row, bool) {
	for _, r := range Table {
		if len(r.Command) == 0 || r.Platform != p || len(words) < len(r.Command) {
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
		if r.Path == "" || r.Platform != p || !slices.Contains(strings.Split(r.Method, "|"), method) {
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
