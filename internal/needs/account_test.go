package needs

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v4"
)

// The files the accounting is checked on: the test data and the corpus of
// real workflows and pipelines.
func accountFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir("testdata", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) && !strings.Contains(p, "broken") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

var (
	wfSecret    = regexp.MustCompile(`(?i)\bsecrets\s*\.\s*([A-Za-z_][A-Za-z0-9_-]*)|\bsecrets\s*\[\s*'([^']+)'\s*\]|\bgithub\s*\.\s*(token)\b`)
	wfExpr      = regexp.MustCompile(`\$\{\{(?s:.*?)\}\}`)
	azMacro     = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_.\-]*)\)`)
	azVariables = regexp.MustCompile(`variables(?:\.([A-Za-z_][A-Za-z0-9_.\-]*)|\[\s*'([^']+)'\s*\])`)
)

// referencesIn scans every scalar of a YAML file (keys too) with regular
// expressions: the names of the secrets or variables it references. It
// is the test's own reading, independent of the engine's.
func referencesIn(t *testing.T, name string, src []byte) map[string]bool {
	t.Helper()
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	workflow := IsWorkflow(name, src)
	out := map[string]bool{}
	var walk func(n *yaml.Node, key string)
	walk = func(n *yaml.Node, key string) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i], "")
				walk(n.Content[i+1], n.Content[i].Value)
			}
			return
		}
		for _, c := range n.Content {
			walk(c, key)
		}
		if n.Kind != yaml.ScalarNode {
			return
		}
		if workflow {
			for _, e := range wfExpr.FindAllString(n.Value, -1) {
				for _, m := range wfSecret.FindAllStringSubmatch(e, -1) {
					switch {
					case m[1] != "":
						out[strings.ToUpper(m[1])] = true
					case m[2] != "":
						out[strings.ToUpper(m[2])] = true
					default:
						out[GitHubToken] = true
					}
				}
			}
			return
		}
		for _, m := range azMacro.FindAllStringSubmatch(n.Value, -1) {
			if azureToken(m[1]) {
				out[strings.ToLower(m[1])] = true // $(mktemp) too: listed as the shell's
			}
		}
		for _, m := range azVariables.FindAllStringSubmatch(n.Value, -1) {
			v := m[1] + m[2]
			if azureToken(v) {
				out[strings.ToLower(v)] = true
			}
		}
	}
	walk(&root, "")
	return out
}

// Every reference to a secret or pipeline variable in each file ends up in
// exactly one place of the analysis: a token (its steps, unknowns or
// unused), or not_tokens. None is dropped, none is in both, and nothing is
// reported that the file does not reference (but the job's own token,
// which steps use without naming it).
func TestEveryReferenceAccountedFor(t *testing.T) {
	t.Parallel()
	files := accountFiles(t)
	if len(files) < 8 {
		t.Fatalf("only %d files", len(files))
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimPrefix(filepath.ToSlash(f), "testdata/")
			a, err := File(name, src)
			if err != nil {
				t.Fatal(err)
			}
			workflow := IsWorkflow(name, src)
			norm := func(s string) string {
				if workflow {
					return strings.ToUpper(s)
				}
				return strings.ToLower(s)
			}
			want := referencesIn(t, name, src)
			tokens := map[string]bool{}
			for _, u := range a.Uses {
				tokens[norm(u.Token)] = true
			}
			for _, u := range a.Unknowns {
				tokens[norm(u.Token)] = true
			}
			for _, u := range a.Unused {
				tokens[norm(u.Token)] = true
			}
			nots := map[string]int{}
			for _, n := range a.NotTokens {
				nots[norm(n.Secret)]++
			}
			for ref := range want {
				if !tokens[ref] && nots[ref] == 0 {
					t.Errorf("%s is referenced but reported nowhere", ref)
				}
			}
			for n, c := range nots {
				if tokens[n] {
					t.Errorf("%s is both a token and not a token", n)
				}
				if c > 1 {
					t.Errorf("%s is in not_tokens %d times", n, c)
				}
				if !want[n] {
					t.Errorf("%s is in not_tokens but not referenced", n)
				}
			}
			implicit := []string{norm(GitHubToken), norm(AzureAccessToken)}
			for n := range tokens {
				if !want[n] && !strings.HasPrefix(n, norm("steps.")) && !slices.Contains(implicit, n) {
					t.Errorf("%s is reported as a token but not referenced", n)
				}
			}
		})
	}
}
