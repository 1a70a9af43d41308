package needs

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	"github.com/pat-check/pat-check/internal/token"
)

// macro is an Azure Pipelines macro, $(Name): the agent replaces it before
// the step runs. A name has no spaces, which tells it from $(command).
var macro = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)`)

// azureKnown are predefined variables: not secrets, but some give an API
// URL's shape.
var azureKnown = map[string]string{
	"system.collectionuri": "https://dev.azure.com/ORG/", "system.teamfoundationcollectionuri": "https://dev.azure.com/ORG/",
	"system.teamproject": "PROJECT", "build.repository.name": "REPO", "build.repository.uri": "https://dev.azure.com/ORG/PROJECT/_git/REPO",
}

// azureToken says whether a macro names a token: System.AccessToken, or a
// variable that is no predefined one.
func azureToken(name string) bool {
	l := strings.ToLower(name)
	if l == strings.ToLower(AzureAccessToken) {
		return true
	}
	for _, p := range []string{"system.", "build.", "agent.", "pipeline.", "release.", "environment.", "resources.", "strategy.", "checks."} {
		if strings.HasPrefix(l, p) {
			return false
		}
	}
	return true
}

// azureVal reads a pipeline value and the tokens its macros name.
func azureVal(n *yaml.Node) val {
	v := val{text: n.Value, line: n.Line}
	for _, m := range macro.FindAllStringSubmatch(n.Value, -1) {
		v.exprs = true
		if azureToken(m[1]) {
			v.tokens = append(v.tokens, canonicalVar(m[1]))
		}
	}
	return v
}

// canonicalVar spells System.AccessToken one way; other names as written.
func canonicalVar(name string) string {
	if strings.EqualFold(name, AzureAccessToken) {
		return AzureAccessToken
	}
	return name
}

// Pipeline reads one Azure Pipelines YAML file.
// The local templates it names are in the analysis' templates, for Load
// to read.
func Pipeline(file string, src []byte) (Analysis, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return Analysis{}, &InputError{File: file, Line: yamlErrLine(err), Msg: "not valid YAML: " + err.Error()}
	}
	return pipelineNode(file, &root), nil
}

// pipelineNode reads a parsed pipeline.
func pipelineNode(file string, root *yaml.Node) Analysis {
	var a Analysis
	literal := map[string]int{}
	collectVariables(root, literal, 0)
	var jobs int
	var visit func(n *yaml.Node, jobID string)
	visit = func(n *yaml.Node, jobID string) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				visit(c, jobID)
			}
		case yaml.MappingNode:
			id := jobID
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k := n.Content[i].Value; k == "job" || k == "deployment" {
					id = n.Content[i+1].Value
				}
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				if k.Value == "steps" && v.Kind == yaml.SequenceNode {
					jobs++
					if id == "" {
						id = fmt.Sprintf("#%d", jobs)
					}
					a.merge(azureJob(file, id, v))
					continue
				}
				visit(v, id)
			}
		}
	}
	visit(root, "")
	a.templates = templates(root, file, 0)
	// A variable the file sets to a plain value is no secret, wherever it goes.
	if len(literal) > 0 {
		// moved says whether tok is such a variable, and lists it with the
		// references that are no tokens when it is.
		moved := func(tok string, line int) bool {
			l, ok := literal[strings.ToLower(tok)]
			if ok {
				a.NotTokens = append(a.NotTokens, NotToken{Secret: tok, File: file, Line: line, Why: fmt.Sprintf("set in the file to a plain value (line %d), so no secret", l)})
			}
			return ok
		}
		a.Uses = keepUnless(a.Uses, func(u Use) bool { return moved(u.Token, u.Line) })
		a.Unknowns = keepUnless(a.Unknowns, func(u Unknown) bool { return moved(u.Token, u.Line) })
		a.Unused = keepUnless(a.Unused, func(u Unknown) bool { return moved(u.Token, u.Line) })
		a.literals = literal
	}
	return a
}

// collectVariables finds the variables a pipeline sets to plain values:
// variables: {NAME: value} and variables: [{name: NAME, value: value}].
// A value with a macro or expression is not plain.
func collectVariables(n *yaml.Node, out map[string]int, depth int) {
	if n == nil || depth > maxDepth {
		return
	}
	plain := func(v *yaml.Node) bool {
		return v != nil && v.Kind == yaml.ScalarNode && !strings.Contains(v.Value, "$(") && !strings.Contains(v.Value, "${{") && !strings.Contains(v.Value, "$[")
	}
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Value == "variables" {
				switch v.Kind {
				case yaml.MappingNode:
					for j := 0; j+1 < len(v.Content); j += 2 {
						if plain(v.Content[j+1]) {
							out[strings.ToLower(v.Content[j].Value)] = v.Content[j].Line
						}
					}
				case yaml.SequenceNode:
					for _, e := range v.Content {
						if name := mapGet(e, "name"); name != nil && plain(mapGet(e, "value")) {
							out[strings.ToLower(name.Value)] = name.Line
						}
					}
				}
			}
		}
	}
	for _, c := range n.Content {
		collectVariables(c, out, depth+1)
	}
}

// templates lists the local template files a pipeline names (template:
// path, not path@repository), relative to the pipeline's directory.
func templates(n *yaml.Node, file string, depth int) []string {
	var out []string
	if n == nil || depth > maxDepth {
		return nil
	}
	if n.Kind == yaml.MappingNode {
		if t := mapGet(n, "template"); t != nil && t.Kind == yaml.ScalarNode {
			v := strings.TrimSpace(t.Value)
			if v != "" && !strings.Contains(v, "@") && !strings.Contains(v, "$") {
				p := v
				if !strings.HasPrefix(v, "/") {
					p = path.Join(path.Dir(file), v)
				} else {
					p = strings.TrimPrefix(v, "/")
				}
				out = append(out, path.Clean(p))
			}
		}
	}
	for _, c := range n.Content {
		out = append(out, templates(c, file, depth+1)...)
	}
	return out
}

func yamlErrLine(err error) int {
	var line int
	if _, e := fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: "), "line %d:", &line); e == nil {
		return line
	}
	return 0
}

func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// flatSteps lists the steps of a steps: sequence with those under
// template expressions (${{ if … }}, ${{ else }}, ${{ each … }}) in
// place, each with the condition it sits under: needs are the union of
// every branch.
func flatSteps(seq *yaml.Node, cond string, depth int) []condStep {
	var out []condStep
	if seq == nil || depth > maxDepth {
		return nil
	}
	items := seq.Content
	if seq.Kind == yaml.MappingNode {
		items = []*yaml.Node{seq}
	}
	for _, s := range items {
		if s.Kind == yaml.MappingNode && len(s.Content) >= 2 && strings.HasPrefix(strings.TrimSpace(s.Content[0].Value), "${{") {
			for i := 0; i+1 < len(s.Content); i += 2 {
				c := strings.TrimSpace(s.Content[i].Value)
				c = strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(c, "${{"), "}}"))
				if cond != "" {
					c = cond + "; " + c
				}
				out = append(out, flatSteps(s.Content[i+1], c, depth+1)...)
			}
			continue
		}
		out = append(out, condStep{node: s, cond: cond})
	}
	return out
}

type condStep struct {
	node *yaml.Node
	cond string
}

func azureJob(file, id string, steps *yaml.Node) Analysis {
	j := jobIn{file: file, id: id, platform: azplatform.Platform}
	var self []SelfStep
	for i, cs := range flatSteps(steps, "", 0) {
		s := cs.node
		if s.Kind != yaml.MappingNode {
			continue
		}
		in := stepIn{line: s.Line, env: map[string]val{}, inputs: map[string]val{}}
		if env := mapGet(s, "env"); env != nil && env.Kind == yaml.MappingNode {
			for k := 0; k+1 < len(env.Content); k += 2 {
				v := azureVal(env.Content[k+1])
				v.stepOwn = true
				in.env[env.Content[k].Value] = v
			}
		}
		if n := mapGet(s, "name"); n != nil {
			in.id = n.Value
		}
		in.name = fmt.Sprintf("step %d", i+1)
		if n := mapGet(s, "displayName"); n != nil && n.Value != "" {
			in.name = token.RedactIn(n.Value)
		} else if in.id != "" {
			in.name = token.RedactIn(in.id)
		}
		for _, kind := range []string{"script", "bash", "pwsh", "powershell"} {
			n := mapGet(s, kind)
			if n == nil {
				continue
			}
			sc := azureScript(n)
			sc.shell = map[string]string{"script": "bash", "bash": "bash", "pwsh": "pwsh", "powershell": "powershell"}[kind]
			in.script = sc
			if in.name == fmt.Sprintf("step %d", i+1) {
				first, _, _ := strings.Cut(strings.TrimSpace(n.Value), "\n")
				in.name = kind + ": " + clip(first)
			}
			if strings.Contains(n.Value, ".github/workflows") {
				j.touchesWorkflows = true
			}
			if pushes(n.Value) {
				j.pushesImages = true
			}
			if wd := mapGet(s, "workingDirectory"); wd != nil {
				in.dir = wd.Value
			}
		}
		if n := mapGet(s, "checkout"); n != nil {
			in.action = "checkout"
			if n.Value != "none" {
				if p := mapGet(s, "persistCredentials"); p != nil {
					in.inputs["persistcredentials"] = azureVal(p)
				}
			}
			if in.name == fmt.Sprintf("step %d", i+1) {
				in.name = "checkout: " + n.Value
			}
		}
		if n := mapGet(s, "task"); n != nil {
			in.action = "task:" + n.Value
			if in.name == fmt.Sprintf("step %d", i+1) {
				in.name = "task: " + n.Value
			}
			if ins := mapGet(s, "inputs"); ins != nil && ins.Kind == yaml.MappingNode {
				addInputs(in.inputs, ins, 0)
			}
			name, _, _ := strings.Cut(n.Value, "@")
			if sc := taskScript(name, in.inputs); sc != nil {
				in.action, in.script = "", sc
				if strings.Contains(sc.text, ".github/workflows") {
					j.touchesWorkflows = true
				}
			}
			if strings.EqualFold(name, "PatCheck") {
				in.self = true
				st := SelfStep{File: file, Job: id, ID: in.id, Name: in.name, Line: s.Line}
				if t := mapGet(mapGet(s, "inputs"), "token"); t != nil {
					v := azureVal(t)
					st.TokenText, st.Line = strings.TrimSpace(t.Value), t.Line
					if len(v.tokens) == 1 && macro.FindString(st.TokenText) == st.TokenText {
						st.Token = v.tokens[0]
					}
				}
				self = append(self, st)
			}
		}
		if in.script == nil && in.action == "" {
			continue // a template reference or something else
		}
		if cs.cond != "" {
			in.name += " [under ${{ " + cs.cond + " }}]"
		}
		j.steps = append(j.steps, in)
	}
	a := analyzeJob(j)
	a.Self = append(a.Self, self...)
	return a
}

// addInputs reads a task's inputs, those under template expressions
// (${{ if … }}: {arguments: …}) too.
func addInputs(out map[string]val, ins *yaml.Node, depth int) {
	if depth > maxDepth {
		return
	}
	for k := 0; k+1 < len(ins.Content); k += 2 {
		key, v := ins.Content[k], ins.Content[k+1]
		if strings.HasPrefix(strings.TrimSpace(key.Value), "${{") && v.Kind == yaml.MappingNode {
			addInputs(out, v, depth+1)
			continue
		}
		out[strings.ToLower(key.Value)] = azureVal(v)
	}
}

// taskScript is the inline script of a scripting task (Bash, CmdLine,
// PowerShell, AzureCLI), read like a script step.
func taskScript(task string, inputs map[string]val) *script {
	var src val
	shell := "bash"
	switch strings.ToLower(task) {
	case "bash", "cmdline", "shellscript":
		src = inputs["script"]
	case "powershell", "azurepowershell":
		src, shell = inputs["script"], "pwsh"
		if src.text == "" {
			src = inputs["inline"]
		}
	case "azurecli":
		src = inputs["inlinescript"]
		if t := strings.ToLower(inputs["scripttype"].text); t == "ps" || t == "pscore" {
			shell = "pwsh"
		} else if t == "batch" {
			shell = "cmd"
		}
	default:
		return nil
	}
	if src.text == "" {
		return nil
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: src.text, Line: src.line}
	sc := azureScript(n)
	sc.line = src.line + 1
	sc.shell = shell
	return sc
}

// azureScript replaces a script's macros with placeholders; the lines of a
// block scalar start after the key's line.
func azureScript(n *yaml.Node) *script {
	sc := &script{line: n.Line}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		sc.line++
	}
	// Template and runtime expressions (${{ parameters.x }}, $[ … ]) are
	// filled in before the step runs: stand-ins, no tokens.
	text := templateExpr.ReplaceAllStringFunc(n.Value, func(m string) string {
		return placeholderFor(sc, "") + strings.Repeat("\n", strings.Count(m, "\n"))
	})
	sc.text = macro.ReplaceAllStringFunc(text, func(m string) string {
		name := macro.FindStringSubmatch(m)[1]
		if k, ok := azureKnown[strings.ToLower(name)]; ok {
			return k
		}
		if !azureToken(name) {
			return placeholderFor(sc, "")
		}
		if shellCommands[name] {
			return m // the shell's own $(mktemp): no variable of that name
		}
		return placeholderFor(sc, canonicalVar(name))
	})
	return sc
}

var templateExpr = regexp.MustCompile(`\$\{\{(?s:.*?)\}\}|\$\[(?s:.*?)\]`)

func placeholderFor(sc *script, tok string) string {
	sc.tokens = append(sc.tokens, tok)
	return placeholder(len(sc.tokens) - 1)
}

// keepUnless is in without the elements drop reports, in order; nil when
// none is kept.
func keepUnless[T any](in []T, drop func(T) bool) []T {
	var out []T
	for _, v := range in {
		if !drop(v) {
			out = append(out, v)
		}
	}
	return out
}
