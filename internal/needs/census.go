package needs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/rhysd/actionlint"
	yaml "go.yaml.in/yaml/v4"

	"github.com/pat-check/pat-check/internal/check"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// Ref is one reference to a secret or pipeline variable in a file: where
// it is, and under which key (jobs.build.steps[2].with.password).
type Ref struct {
	Name string
	Line int
	Key  string
	// Tested: the reference only appears inside a condition or a
	// comparison, so its value goes nowhere.
	Tested bool
	// Subst: $(mktemp) in a script, the shell's command substitution
	// unless a variable has that name.
	Subst bool
}

// References lists every reference to a secret (secrets.X, secrets['X'],
// github.token) in a workflow, or to a pipeline variable ($(X),
// ${{ variables.X }}, $[ variables.X ]) in a pipeline, other than the
// variables the agent predefines. Every one of them ends up in exactly one
// place of an analysis: a token's steps or unknowns, or NotTokens.
func References(name string, src []byte) []Ref {
	var root yaml.Node
	if yaml.Unmarshal(src, &root) != nil {
		return nil
	}
	return references(&root, isWorkflow(name, &root))
}

func references(root *yaml.Node, workflow bool) []Ref {
	var out []Ref
	var walk func(n *yaml.Node, key string, depth int)
	walk = func(n *yaml.Node, key string, depth int) {
		if n == nil || depth > maxDepth {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, key, depth+1)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, key+"["+strconv.Itoa(i)+"]", depth+1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				sub := k.Value
				if key != "" {
					sub = key + "." + k.Value
				}
				// A template expression as a key (${{ if … }}:) names
				// variables too.
				out = append(out, scalarRefs(k, sub, workflow, true)...)
				walk(n.Content[i+1], sub, depth+1)
			}
		case yaml.ScalarNode:
			out = append(out, scalarRefs(n, key, workflow, false)...)
		}
	}
	walk(root, "", 0)
	return out
}

func lastKey(key string) string {
	if i := strings.LastIndexAny(key, ".]"); i >= 0 {
		return key[i+1:]
	}
	return key
}

func scalarRefs(n *yaml.Node, key string, workflow, isKey bool) []Ref {
	var out []Ref
	cond := isKey || lastKey(key) == "if" || lastKey(key) == "condition"
	if workflow {
		forEachExprNode(n.Value, func(node actionlint.ExprNode, valued map[actionlint.ExprNode]bool) {
			actionlint.VisitExprNode(node, func(x, _ actionlint.ExprNode, entering bool) {
				if !entering {
					return
				}
				name := secretName(x)
				if name == "" {
					return
				}
				out = append(out, Ref{Name: name, Line: n.Line, Key: key, Tested: cond || !valued[x]})
			})
		})
		return out
	}
	// A pipeline: macros, and variables in template and runtime expressions.
	for _, m := range macro.FindAllStringSubmatch(n.Value, -1) {
		if azureToken(m[1]) {
			out = append(out, Ref{Name: canonicalVar(m[1]), Line: n.Line, Key: key, Tested: cond, Subst: shellSubst(n.Value, m[0], key)})
		}
	}
	for _, m := range exprVariable.FindAllStringSubmatch(n.Value, -1) {
		v := m[1]
		if v == "" {
			v = m[2]
		}
		if azureToken(v) {
			out = append(out, Ref{Name: canonicalVar(v), Line: n.Line, Key: key, Tested: true})
		}
	}
	return out
}

// exprVariable is variables.NAME or variables['NAME'] inside ${{ }} or $[ ].
var exprVariable = regexp.MustCompile(`variables(?:\.([A-Za-z_][A-Za-z0-9_.\-]*)|\[\s*'([^']+)'\s*\])`)

// shellCommands are commands a script runs as $(name): the agent leaves
// $(pwd) alone when no variable has that name, and the shell runs it.
var shellCommands = map[string]bool{"pwd": true, "date": true, "whoami": true, "hostname": true, "nproc": true, "uname": true,
	"id": true, "ls": true, "cat": true, "mktemp": true, "git": true, "basename": true, "dirname": true, "arch": true}

func shellSubst(text, m, key string) bool {
	name := strings.TrimSuffix(strings.TrimPrefix(m, "$("), ")")
	k := lastKey(key)
	return shellCommands[name] && (k == "script" || k == "bash" || k == "pwsh" || k == "powershell" || k == "inlineScript" || k == "inline")
}

// secretName is the secret an expression node reads: secrets.X,
// secrets['X'], github.token or secrets.GITHUB_TOKEN; "" for any other.
func secretName(x actionlint.ExprNode) string {
	switch x := x.(type) {
	case *actionlint.ObjectDerefNode:
		p := derefPath(x)
		switch {
		case len(p) == 2 && p[0] == "secrets":
			return strings.ToUpper(p[1])
		case len(p) == 2 && p[0] == "github" && p[1] == "token":
			return GitHubToken
		}
	case *actionlint.IndexAccessNode:
		if v, ok := x.Operand.(*actionlint.VariableNode); ok && strings.EqualFold(v.Name, "secrets") {
			if s, ok := x.Index.(*actionlint.StringNode); ok {
				return strings.ToUpper(s.Value)
			}
		}
	}
	return ""
}

// forEachExprNode parses each ${{ }} expression of s and calls f with its
// root and the nodes whose value the expression can evaluate to (a || b
// evaluates to a or b; a == b to a boolean).
func forEachExprNode(s string, f func(root actionlint.ExprNode, valued map[actionlint.ExprNode]bool)) {
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
			j := strings.Index(body, "}}")
			if j < 0 {
				return
			}
			off = start + 3 + j + 2
			continue
		}
		valued := map[actionlint.ExprNode]bool{}
		markValued(node, valued)
		f(node, valued)
		off = start + 3 + l.Offset()
	}
}

func markValued(n actionlint.ExprNode, valued map[actionlint.ExprNode]bool) {
	valued[n] = true
	switch n := n.(type) {
	case *actionlint.LogicalOpNode:
		if n.Kind == actionlint.LogicalOpNodeKindOr {
			markValued(n.Left, valued)
		}
		markValued(n.Right, valued)
	case *actionlint.FuncCallNode:
		// format('Bearer {0}', secrets.X) and toJSON(secrets.X) carry the value.
		if f := strings.ToLower(n.Callee); f == "format" || f == "tojson" || f == "join" {
			for _, a := range n.Args {
				markValued(a, valued)
			}
		}
	}
}

// account places every reference of a file that the analysis did not: a
// reference only tested in a condition carries no token, and any other is
// an unknown with the key it sits under, or a not-token when where it goes
// says so. A reference placed as a token is dropped from NotTokens, so
// that each ends up in exactly one place.
func account(file string, refs []Ref, platform check.Platform, a *Analysis) {
	tok := map[string]bool{}
	key := func(n string) string { return strings.ToLower(n) }
	for _, u := range a.Uses {
		if u.File == file {
			tok[key(u.Token)] = true
		}
	}
	for _, u := range a.Unknowns {
		if u.File == file {
			tok[key(u.Token)] = true
		}
	}
	for _, u := range a.Unused {
		if u.File == file {
			tok[key(u.Token)] = true
		}
	}
	not := map[string]bool{}
	var keep []NotToken
	for _, n := range a.NotTokens {
		if n.File != file {
			keep = append(keep, n)
			continue
		}
		if tok[key(n.Secret)] || not[key(n.Secret)] {
			continue
		}
		not[key(n.Secret)] = true
		keep = append(keep, n)
	}
	a.NotTokens = keep
	// The first reference of each name, and whether every one only tests it.
	type seen struct {
		ref    Ref
		tested bool
	}
	var order []string
	first := map[string]*seen{}
	for _, r := range refs {
		k := key(r.Name)
		s, ok := first[k]
		if !ok {
			s = &seen{ref: r, tested: true}
			first[k] = s
			order = append(order, k)
		}
		if !r.Tested {
			if s.tested {
				s.ref = r
			}
			s.tested = false
		}
	}
	for _, k := range order {
		if tok[k] || not[k] {
			continue
		}
		s := first[k]
		r := s.ref
		if s.tested {
			a.NotTokens = append(a.NotTokens, NotToken{Secret: r.Name, File: file, Line: r.Line,
				Why: fmt.Sprintf("only tested in a condition (%s): its value goes nowhere", r.Key)})
			continue
		}
		if l, ok := a.literals[strings.ToLower(r.Name)]; ok {
			a.NotTokens = append(a.NotTokens, NotToken{Secret: r.Name, File: file, Line: r.Line,
				Why: fmt.Sprintf("set in the file to a plain value (line %d), so no secret", l)})
			continue
		}
		if r.Subst {
			a.NotTokens = append(a.NotTokens, NotToken{Secret: r.Name, File: file, Line: r.Line,
				Why: fmt.Sprintf("$(%s) in a script is the shell's command substitution, not a pipeline variable", r.Name)})
			continue
		}
		if why := byName(r.Name, ""); why != "" {
			a.NotTokens = append(a.NotTokens, NotToken{Secret: r.Name, File: file, Line: r.Line, Why: why + ", under " + r.Key})
			continue
		}
		p := platform
		if r.Name == GitHubToken {
			p = ghplatform.Platform
		}
		a.Unknowns = append(a.Unknowns, Unknown{Token: r.Name, Platform: p, File: file, Line: r.Line, Step: r.Key,
			Why: fmt.Sprintf("referenced under %s, where pat-check cannot tell where the value goes", r.Key)})
	}
}
