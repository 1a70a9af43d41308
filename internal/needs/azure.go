package needs

import (
	"fmt"
	"regexp"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/pat-check/pat-check/internal/check"
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
func Pipeline(file string, src []byte) (Analysis, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return Analysis{}, &InputError{File: file, Line: yamlErrLine(err), Msg: "not valid YAML: " + err.Error()}
	}
	var a Analysis
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
	visit(&root, "")
	return a, nil
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

func azureJob(file, id string, steps *yaml.Node) Analysis {
	j := jobIn{file: file, id: id, platform: check.AzureDevOps}
	var self []SelfStep
	for i, s := range steps.Content {
		if s.Kind != yaml.MappingNode {
			continue
		}
		in := stepIn{line: s.Line, env: map[string]val{}, inputs: map[string]val{}}
		if env := mapGet(s, "env"); env != nil && env.Kind == yaml.MappingNode {
			for k := 0; k+1 < len(env.Content); k += 2 {
				in.env[env.Content[k].Value] = azureVal(env.Content[k+1])
			}
		}
		if n := mapGet(s, "name"); n != nil {
			in.id = n.Value
		}
		in.name = fmt.Sprintf("step %d", i+1)
		if n := mapGet(s, "displayName"); n != nil && n.Value != "" {
			in.name = n.Value
		} else if in.id != "" {
			in.name = in.id
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
				for k := 0; k+1 < len(ins.Content); k += 2 {
					in.inputs[strings.ToLower(ins.Content[k].Value)] = azureVal(ins.Content[k+1])
				}
			}
			name, _, _ := strings.Cut(n.Value, "@")
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
		j.steps = append(j.steps, in)
	}
	a := analyzeJob(j)
	a.Self = append(a.Self, self...)
	return a
}

// azureScript replaces a script's macros with placeholders; the lines of a
// block scalar start after the key's line.
func azureScript(n *yaml.Node) *script {
	sc := &script{line: n.Line}
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		sc.line++
	}
	sc.text = macro.ReplaceAllStringFunc(n.Value, func(m string) string {
		name := macro.FindStringSubmatch(m)[1]
		if k, ok := azureKnown[strings.ToLower(name)]; ok {
			return k
		}
		if !azureToken(name) {
			return placeholderFor(sc, "")
		}
		return placeholderFor(sc, canonicalVar(name))
	})
	return sc
}

func placeholderFor(sc *script, tok string) string {
	sc.tokens = append(sc.tokens, tok)
	return placeholder(len(sc.tokens) - 1)
}
