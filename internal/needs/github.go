package needs

import (
	"fmt"
	"slices"
	"strings"

	"github.com/rhysd/actionlint"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
	"github.com/pat-check/pat-check/internal/token"
)

// InputError is a file pat-check cannot read: a path, a line when known,
// and what is wrong.
type InputError struct {
	File string
	Line int
	Msg  string
}

func (e *InputError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// IsSelf reports whether uses: names pat-check itself: OWNER/pat-check at
// any ref, or the repository's own action (./) in pat-check's repository.
func IsSelf(uses string) bool {
	u := strings.ToLower(uses)
	u, _, _ = strings.Cut(u, "@")
	if u == "./" || u == "." {
		return true
	}
	parts := strings.Split(u, "/")
	return len(parts) == 2 && parts[1] == "pat-check"
}

// Workflow reads one GitHub Actions workflow.
func Workflow(file string, src []byte) (Analysis, error) {
	w, errs := actionlint.Parse(src)
	if w == nil {
		e := &InputError{File: file, Msg: "not a readable workflow"}
		if len(errs) > 0 {
			e.Line, e.Msg = errs[0].Line, errs[0].Message
		}
		return Analysis{}, e
	}
	lines := strings.Split(string(src), "\n")
	var a Analysis
	ids := make([]string, 0, len(w.Jobs))
	for id := range w.Jobs {
		ids = append(ids, id)
	}
	// Jobs in the order they are written.
	slices.SortFunc(ids, func(x, y string) int { return w.Jobs[x].Pos.Line - w.Jobs[y].Pos.Line })
	for _, id := range ids {
		job := w.Jobs[id]
		if job.ID != nil && job.ID.Value != "" {
			id = job.ID.Value // as written: the map's keys are lower-cased
		}
		j := jobIn{file: file, id: id, platform: ghplatform.Platform}
		if job.WorkflowCall != nil {
			a.merge(reusableCall(file, id, job))
			continue
		}
		env := map[string]val{}
		addEnv(env, w.Env)
		addEnv(env, job.Env)
		for i, s := range job.Steps {
			in := stepIn{line: s.Pos.Line, env: cloneEnv(env)}
			addEnv(in.env, s.Env)
			if s.Env != nil {
				for _, v := range s.Env.Vars {
					if v.Name != nil {
						e := in.env[v.Name.Value]
						e.stepOwn = true
						in.env[v.Name.Value] = e
					}
				}
			}
			if s.ID != nil {
				in.id = s.ID.Value
			}
			switch e := s.Exec.(type) {
			case *actionlint.ExecAction:
				in.action = actionName(e.Uses.Value)
				_, in.ref, _ = strings.Cut(strings.TrimSpace(e.Uses.Value), "@")
				if v := pinnedVersion(in.ref, e.Uses.Pos.Line, lines); v != "" {
					in.ref = v
				}
				in.inputs = map[string]val{}
				for k, v := range e.Inputs {
					if v.Value != nil {
						in.inputs[k] = exprVal(v.Value)
						if strings.Contains(v.Value.Value, ".github/workflows") {
							j.touchesWorkflows = true
						}
						if k == "push" && strings.TrimSpace(v.Value.Value) != "false" {
							j.pushesImages = true
						}
					}
				}
				if IsSelf(e.Uses.Value) {
					in.self = true
					self := SelfStep{File: file, Job: id, ID: in.id, Line: s.Pos.Line, Name: stepName(s, i)}
					if t, ok := e.Inputs["token"]; ok && t.Value != nil {
						v := exprVal(t.Value)
						self.TokenText = strings.TrimSpace(t.Value.Value)
						if len(v.tokens) == 1 && singleExpr(self.TokenText) {
							self.Token = v.tokens[0]
						}
						self.Line = t.Value.Pos.Line
					}
					a.Self = append(a.Self, self)
				}
			case *actionlint.ExecRun:
				if e.Run == nil {
					continue
				}
				sc := scriptOf(e.Run, lines)
				sc.shell = "bash"
				if e.Shell != nil {
					sc.shell = shellName(e.Shell.Value)
				} else if job.Defaults != nil && job.Defaults.Run != nil && job.Defaults.Run.Shell != nil {
					sc.shell = shellName(job.Defaults.Run.Shell.Value)
				} else if w.Defaults != nil && w.Defaults.Run != nil && w.Defaults.Run.Shell != nil {
					sc.shell = shellName(w.Defaults.Run.Shell.Value)
				}
				in.script = sc
				if e.WorkingDirectory != nil {
					in.dir = e.WorkingDirectory.Value
				} else if job.Defaults != nil && job.Defaults.Run != nil && job.Defaults.Run.WorkingDirectory != nil {
					in.dir = job.Defaults.Run.WorkingDirectory.Value
				}
				if strings.Contains(e.Run.Value, ".github/workflows") || mergesBranches(e.Run.Value) {
					j.touchesWorkflows = true
				}
				if pushes(e.Run.Value) {
					j.pushesImages = true
				}
			}
			in.name = stepName(s, i)
			j.steps = append(j.steps, in)
		}
		a.merge(analyzeJob(j))
	}
	return a, nil
}

// reusableCall reports secrets passed to a reusable workflow: what the
// called workflow does with them is in another file.
func reusableCall(file, id string, job *actionlint.Job) Analysis {
	var a Analysis
	c := job.WorkflowCall
	for _, k := range sortedKeys(c.Secrets) {
		s := c.Secrets[k]
		if s.Value == nil {
			continue
		}
		v := exprVal(s.Value)
		for _, tok := range v.tokens {
			a.Unknowns = append(a.Unknowns, Unknown{Token: tok, Platform: ghplatform.Platform, File: file, Job: id, Line: v.line,
				Step: "uses: " + c.Uses.Value, Why: fmt.Sprintf("passed as %s to the reusable workflow %s: run pat-check needs on that file", k, c.Uses.Value)})
		}
	}
	return a
}

// pinnedVersion reads the version a commit pin names in its comment
// (uses: o/a@<sha> # v1.4.3), "" when the ref is no SHA or says none.
func pinnedVersion(ref string, line int, lines []string) string {
	if len(ref) != 40 || line < 1 || line > len(lines) {
		return ""
	}
	_, c, ok := strings.Cut(lines[line-1], "#")
	if !ok {
		return ""
	}
	for _, f := range strings.Fields(c) {
		if _, ok := parseVersion(f, 999); ok && (strings.HasPrefix(f, "v") || strings.Contains(f, ".")) {
			return f
		}
	}
	return ""
}

// mergesBranches reports whether a script merges another branch: a push
// after it may carry that branch's workflow files.
func mergesBranches(s string) bool {
	return strings.Contains(s, "git merge ") || strings.Contains(s, "git pull ")
}

// pushes reports whether a script pushes an image or publishes a package,
// so that a registry login in its job is for writing.
func pushes(s string) bool {
	return strings.Contains(s, "docker push") || strings.Contains(s, "--push") || strings.Contains(s, "publish") ||
		strings.Contains(s, "podman push") || strings.Contains(s, "docker buildx imagetools") || strings.Contains(s, "goreleaser")
}

func shellName(s string) string {
	f := strings.Fields(strings.ToLower(s))
	if len(f) == 0 {
		return "bash"
	}
	return strings.TrimSuffix(f[0], ".exe")
}

func actionName(uses string) string {
	u, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(uses)), "@")
	return u
}

func stepName(s *actionlint.Step, i int) string {
	switch {
	case s.Name != nil && s.Name.Value != "":
		return token.RedactIn(s.Name.Value)
	case s.ID != nil && s.ID.Value != "":
		return token.RedactIn(s.ID.Value)
	}
	switch e := s.Exec.(type) {
	case *actionlint.ExecAction:
		// A ref pinned to a commit says nothing to a reader: the action's name does.
		if name, ref, ok := strings.Cut(e.Uses.Value, "@"); ok && len(ref) == 40 {
			return name
		}
		return e.Uses.Value
	case *actionlint.ExecRun:
		if e.Run != nil {
			first, _, _ := strings.Cut(strings.TrimSpace(e.Run.Value), "\n")
			return "run: " + clip(first)
		}
	}
	return fmt.Sprintf("step %d", i+1)
}

func singleExpr(s string) bool {
	return strings.HasPrefix(s, "${{") && strings.HasSuffix(s, "}}") && strings.Count(s, "${{") == 1
}

func addEnv(env map[string]val, e *actionlint.Env) {
	if e == nil {
		return
	}
	for _, v := range e.Vars {
		if v.Name != nil && v.Value != nil {
			env[v.Name.Value] = exprVal(v.Value)
		}
	}
}

func cloneEnv(m map[string]val) map[string]val {
	out := make(map[string]val, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// exprVal reads a value and the tokens its ${{ }} expressions name.
func exprVal(s *actionlint.String) val {
	v := val{text: s.Value}
	if s.Pos != nil {
		v.line = s.Pos.Line
	}
	forEachExpr(s.Value, func(_, _ int, toks []string, _ string) {
		v.exprs = true
		v.tokens = append(v.tokens, toks...)
	})
	return v
}

// forEachExpr parses each ${{ }} expression of s with actionlint's
// expression parser, and calls f with its start and end offsets, the
// tokens it names, and a literal stand-in when the value is one the
// runner knows the shape of (github.api_url).
func forEachExpr(s string, f func(start, end int, tokens []string, literal string)) {
	off := 0
	for {
		i := strings.Index(s[off:], "${{")
		if i < 0 {
			return
		}
		start := off + i
		body := s[start+3:]
		l := actionlint.NewExprLexer(body)
		node, err := actionlint.NewExprParser().Parse(l)
		if err != nil {
			// An unparsable expression: skip to its end, naming nothing.
			j := strings.Index(body, "}}")
			if j < 0 {
				return
			}
			f(start, start+3+j+2, nil, "")
			off = start + 3 + j + 2
			continue
		}
		end := start + 3 + l.Offset()
		toks, lit := exprTokens(node)
		f(start, end, toks, lit)
		off = end
	}
}

// exprTokens names the tokens an expression can evaluate to: secrets.X,
// secrets['X'], github.token, steps.ID.outputs.token, also inside
// format() or toJSON(). An expression that only tests a secret
// (secrets.X != ”) names none.
func exprTokens(n actionlint.ExprNode) ([]string, string) {
	if d, ok := n.(*actionlint.ObjectDerefNode); ok {
		if path := derefPath(d); len(path) == 2 && path[0] == "github" {
			if lit := map[string]string{"api_url": "https://api.github.com", "server_url": "https://github.com", "repository": "OWNER/REPO", "repository_owner": "OWNER"}[path[1]]; lit != "" {
				return nil, lit
			}
		}
	}
	valued := map[actionlint.ExprNode]bool{}
	markValued(n, valued)
	var out []string
	actionlint.VisitExprNode(n, func(x, _ actionlint.ExprNode, entering bool) {
		if !entering || !valued[x] {
			return
		}
		if name := secretName(x); name != "" {
			out = append(out, name)
			return
		}
		if d, ok := x.(*actionlint.ObjectDerefNode); ok {
			if path := derefPath(d); len(path) == 4 && path[0] == "steps" && path[2] == "outputs" && path[3] == "token" {
				out = append(out, "steps."+path[1]+".outputs.token")
			}
		}
	})
	return out, ""
}

func derefPath(n actionlint.ExprNode) []string {
	switch n := n.(type) {
	case *actionlint.VariableNode:
		return []string{strings.ToLower(n.Name)}
	case *actionlint.ObjectDerefNode:
		p := derefPath(n.Receiver)
		if p == nil {
			return nil
		}
		return append(p, strings.ToLower(n.Property))
	}
	return nil
}

// scriptOf turns a run: value into a script: expressions replaced by
// placeholders, and the line its text starts on (the line after run: for
// a block scalar).
func scriptOf(run *actionlint.String, lines []string) *script {
	sc := &script{line: run.Pos.Line}
	if l := run.Pos.Line - 1; l >= 0 && l < len(lines) {
		t := strings.TrimSpace(lines[l])
		if strings.HasSuffix(t, "|") || strings.HasSuffix(t, ">") || strings.HasSuffix(t, "|-") || strings.HasSuffix(t, ">-") ||
			strings.HasSuffix(t, "|+") || strings.HasSuffix(t, ">+") {
			sc.line++
		}
	}
	var b strings.Builder
	last := 0
	forEachExpr(run.Value, func(start, end int, toks []string, lit string) {
		b.WriteString(run.Value[last:start])
		switch {
		case lit != "":
			b.WriteString(lit)
		case len(toks) > 0:
			b.WriteString(placeholder(len(sc.tokens)))
			sc.tokens = append(sc.tokens, toks[0])
		default:
			b.WriteString(placeholder(len(sc.tokens)))
			sc.tokens = append(sc.tokens, "")
		}
		// Keep the lines where they were.
		b.WriteString(strings.Repeat("\n", strings.Count(run.Value[start:end], "\n")))
		last = end
	})
	b.WriteString(run.Value[last:])
	sc.text = b.String()
	return sc
}
