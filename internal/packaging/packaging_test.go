package packaging

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/frontend"
	prov "github.com/pat-check/pat-check/internal/provider"
	"github.com/pat-check/pat-check/internal/provider/azdo"
	"github.com/pat-check/pat-check/internal/provider/github"
	"github.com/pat-check/pat-check/internal/token"
)

// The committed action.yml and task.json are the renderings of the option
// table; refresh them with UPDATE_GOLDEN=1.
func TestPackagingsAreCurrent(t *testing.T) {
	for path, want := range map[string][]byte{
		"../../action.yml":                ActionYAML(),
		"../../task/PatCheckV1/task.json": TaskJSON(),
	} {
		if os.Getenv("UPDATE_GOLDEN") == "1" {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%s: %v (run UPDATE_GOLDEN=1 go test ./internal/packaging/)", path, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s drifted from the option table: run UPDATE_GOLDEN=1 go test ./internal/packaging/", path)
		}
	}
}

// Every default a packaging shows is the one the binary applies.
func TestShownDefaultsAreTheBinarys(t *testing.T) {
	t.Parallel()
	var task struct {
		Inputs []struct{ Name, DefaultValue string }
	}
	if err := json.Unmarshal(TaskJSON(), &task); err != nil {
		t.Fatal(err)
	}
	shown := map[string]string{}
	for _, in := range task.Inputs {
		shown[in.Name] = in.DefaultValue
	}
	raw := map[string]string{}
	for _, o := range config.Options {
		if d := shown[o.Task]; d != "" {
			raw[o.Name] = d
		}
		if got := actionDefault(o); got != shown[o.Task] {
			t.Errorf("%s: action default %q, task default %q", o.Name, got, shown[o.Task])
		}
	}
	explicit, problems := config.Parse(raw, config.Env{LocalDir: true}, ghplatform.ParsePermission)
	if len(problems) > 0 {
		t.Fatalf("shown defaults do not parse: %v", problems)
	}
	implicit, _ := config.Parse(nil, config.Env{LocalDir: true}, ghplatform.ParsePermission)
	if explicit.Requirements.MinDaysLeft != implicit.Requirements.MinDaysLeft || explicit.Requirements.WarnDaysLeft != implicit.Requirements.WarnDaysLeft ||
		explicit.Timeout != implicit.Timeout || explicit.Provider != implicit.Provider ||
		explicit.Requirements.RequireExpiration != implicit.Requirements.RequireExpiration ||
		explicit.Requirements.WarnOnAPIError != implicit.Requirements.WarnOnAPIError || len(explicit.Requirements.TokenTypes) != len(implicit.Requirements.TokenTypes) {
		t.Errorf("a shown default differs from the binary's:\nshown   %+v\nbinary  %+v", explicit, implicit)
	}
}

func TestActionPassesEveryInputThroughEnv(t *testing.T) {
	t.Parallel()
	y := string(ActionYAML())
	for _, o := range config.Options {
		if o.NoAction {
			if strings.Contains(y, "  "+o.Name+":\n") {
				t.Errorf("%s is no Action input, yet action.yml has it", o.Name)
			}
			continue
		}
		if !strings.Contains(y, "        "+ActionInputEnv(o.Name)+": ${{ inputs."+o.Name+" }}\n") {
			t.Errorf("input %s is not passed through env", o.Name)
		}
	}
	run := y[strings.Index(y, "      run:"):]
	if strings.Contains(run, "${{") {
		t.Errorf("an expression is interpolated into the script: %s", run)
	}
	for _, o := range config.Outputs {
		if !strings.Contains(y, "value: ${{ steps.check.outputs."+o.Name+" }}") {
			t.Errorf("output %s is not mapped", o.Name)
		}
	}
}

func TestTaskJSONShape(t *testing.T) {
	t.Parallel()
	var task map[string]any
	if err := json.Unmarshal(TaskJSON(), &task); err != nil {
		t.Fatal(err)
	}
	if task["name"] != "PatCheck" || task["id"] != TaskID || len(task["friendlyName"].(string)) > 40 {
		t.Errorf("identity: %v %v %v", task["name"], task["id"], task["friendlyName"])
	}
	exec := task["execution"].(map[string]any)
	if _, ok := exec["Node24"]; !ok {
		t.Error("no Node24 handler")
	}
	if _, ok := exec["Node20_1"]; !ok {
		t.Error("no Node20_1 handler")
	}
	if n := len(task["outputVariables"].([]any)); n != len(config.Outputs) {
		t.Errorf("%d output variables", n)
	}
}

// readmeTable returns the rows of the README's Markdown table whose header
// row starts with header, each row split into trimmed cells.
func readmeTable(t *testing.T, header string) [][]string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	in := false
	for line := range strings.SplitSeq(string(data), "\n") {
		switch {
		case strings.HasPrefix(line, header):
			in = true
		case in && strings.HasPrefix(line, "|---"):
		case in && strings.HasPrefix(line, "|"):
			cells := strings.Split(strings.Trim(line, "|"), "|")
			for i := range cells {
				cells[i] = strings.TrimSpace(cells[i])
			}
			rows = append(rows, cells)
		case in:
			if len(rows) == 0 {
				t.Fatalf("README: the table under %q is empty", header)
			}
			return rows
		}
	}
	if !in {
		t.Fatalf("README: no table with the header %q", header)
	}
	return rows
}

// The README's options table is written by hand: each row must name an
// option of the table the binary uses, in all its spellings, with the
// binary's default, and no option may be missing from it.
func TestREADMEOptionsTableMatchesTheBinary(t *testing.T) {
	t.Parallel()
	rows := readmeTable(t, "| meaning | Action input | Azure input | flag | default |")
	seen := map[string]bool{}
	for _, row := range rows {
		if len(row) != 5 {
			t.Errorf("README options row has %d cells: %q", len(row), row)
			continue
		}
		action, azure, flag, def := row[1], row[2], row[3], row[4]
		name := strings.Trim(action, "`")
		o, ok := config.Lookup(name)
		if action == "—" {
			// An option the Action does not take, known by its flag, or a
			// command-line-only flag such as --format.
			ok = false
			for _, c := range config.Options {
				if c.NoAction && c.Flag != "" && strings.HasPrefix(flag, "`--"+c.Flag+"`") {
					o, name, ok = c, c.Name, true
				}
			}
			if !ok {
				continue
			}
			if o.Task == "" && azure != "—" {
				t.Errorf("README: %s is no Azure input, yet the README shows %s", name, azure)
			}
			if o.Task == "" {
				azure = "`" + o.Task + "`"
			}
		}
		if !ok {
			t.Errorf("README documents an input %s that the binary does not know", action)
			continue
		}
		seen[name] = true
		if azure != "`"+o.Task+"`" {
			t.Errorf("README: %s's Azure input is %s, the binary's is %q", name, azure, o.Task)
		}
		switch {
		case o.Flag != "" && !strings.HasPrefix(flag, "`--"+o.Flag+"`"):
			t.Errorf("README: %s's flag is %s, the binary's is --%s", name, flag, o.Flag)
		case o.Flag == "" && strings.Contains(flag, "`--"+name+"`"):
			t.Errorf("README: %s has no flag, yet the README shows %s", name, flag)
		}
		switch {
		case o.RequiredUnless != "":
			if def != "required unless `"+o.RequiredUnless+"`" {
				t.Errorf("README: %s is required unless %s is given, the README's default says %q", name, o.RequiredUnless, def)
			}
		case o.Required:
			if def != "required" {
				t.Errorf("README: %s is required, the README's default says %q", name, def)
			}
		case o.Default == "":
			if !o.FromEnv && def != "none" {
				t.Errorf("README: %s has no default, the README says %q", name, def)
			}
		case o.FromEnv:
			if !strings.Contains(def, "`"+o.Default+"`") {
				t.Errorf("README: %s falls back to %q, the README says %q", name, o.Default, def)
			}
		default:
			if def != "`"+o.Default+"`" {
				t.Errorf("README: %s defaults to %q, the README says %q", name, o.Default, def)
			}
		}
	}
	for _, o := range config.Options {
		if !seen[o.Name] {
			t.Errorf("README's options table lacks %s", o.Name)
		}
	}
}

// The same for the outputs table.
func TestREADMEOutputsTableMatchesTheBinary(t *testing.T) {
	t.Parallel()
	rows := readmeTable(t, "| meaning | Action output | Azure output variable |")
	documented := map[string]string{}
	for _, row := range rows {
		if len(row) != 3 {
			t.Errorf("README outputs row has %d cells: %q", len(row), row)
			continue
		}
		documented[strings.Trim(row[1], "`")] = strings.Trim(row[2], "`")
	}
	for _, o := range config.Outputs {
		task, ok := documented[o.Name]
		switch {
		case !ok:
			t.Errorf("README's outputs table lacks %s", o.Name)
		case task != o.Task:
			t.Errorf("README: output %s is %q under Azure Pipelines, the binary sets %q", o.Name, task, o.Task)
		}
		delete(documented, o.Name)
	}
	for name := range documented {
		t.Errorf("README documents an output %s that the binary does not set", name)
	}
}

// The Marketplace for GitHub Actions takes a description of at most 125
// characters.
func TestActionDescriptionFitsTheMarketplace(t *testing.T) {
	t.Parallel()
	if n := len([]rune(ActionDescription)); n > 125 {
		t.Errorf("the action's description has %d characters, over 125", n)
	}
	if !strings.Contains(string(ActionYAML()), "\ndescription: "+yamlString(ActionDescription)+"\n") {
		t.Error("action.yml does not carry ActionDescription")
	}
}

// The token's help speaks of the front-end it is shown in: no flags or
// command-line variables in action.yml or task.json.
func TestTokenHelpSpeaksOfItsFrontEnd(t *testing.T) {
	t.Parallel()
	var task struct {
		Inputs []struct{ Name, HelpMarkDown string }
	}
	if err := json.Unmarshal(TaskJSON(), &task); err != nil {
		t.Fatal(err)
	}
	o, _ := config.Lookup("token")
	for _, c := range []struct{ where, text, want string }{
		{"action.yml", actionDescription(o), "secrets."},
		{"task.json", task.Inputs[0].HelpMarkDown, "$(MY_PAT)"},
	} {
		for _, cli := range []string{"--token-stdin", "PAT_CHECK_TOKEN", "command line", "flag"} {
			if strings.Contains(c.text, cli) {
				t.Errorf("%s: the token's help speaks of the command line (%q): %s", c.where, cli, c.text)
			}
		}
		if !strings.Contains(c.text, c.want) {
			t.Errorf("%s: the token's help does not say where the token comes from (%q): %s", c.where, c.want, c.text)
		}
	}
	if task.Inputs[0].Name != "token" {
		t.Errorf("the task's first input is %s", task.Inputs[0].Name)
	}
}

// visibleRules hide one provider's inputs while the other is chosen, and
// name the provider input and one of its choices; the inputs hidden under
// azure-devops are refused or ignored for an Azure DevOps token.
func TestVisibleRules(t *testing.T) {
	t.Parallel()
	var task struct {
		Inputs []struct{ Name, VisibleRule string }
	}
	if err := json.Unmarshal(TaskJSON(), &task); err != nil {
		t.Fatal(err)
	}
	provider, _ := config.Lookup("provider")
	rules := map[string]string{}
	for _, in := range task.Inputs {
		if in.VisibleRule != "" {
			rules[in.Name] = in.VisibleRule
		}
	}
	for name, rule := range visibleWhen {
		o, ok := config.Lookup(name)
		if !ok {
			t.Errorf("visibleWhen names %s, which is not an option", name)
			continue
		}
		if rules[o.Task] != rule {
			t.Errorf("task.json: %s's visibleRule is %q, want %q", o.Task, rules[o.Task], rule)
		}
		if on, ok := strings.CutSuffix(rule, " = true"); ok {
			if b, found := lookupTask(on); !found || b.Kind != "bool" {
				t.Errorf("%s: the rule %q does not name a boolean input", name, rule)
			}
			continue
		}
		value, ok := strings.CutPrefix(rule, "provider != ")
		if !ok || !slices.Contains(provider.Choices, value) || value == "auto" {
			t.Errorf("%s: the rule %q does not name a provider", name, rule)
		}
	}
	if len(rules) != len(visibleWhen) {
		t.Errorf("task.json has %d visibleRules, visibleWhen %d", len(rules), len(visibleWhen))
	}
	for _, want := range []string{"permissions", "repositories", "api-url", "project"} {
		if _, ok := visibleWhen[want]; !ok {
			t.Errorf("%s is not hidden for the other provider", want)
		}
	}
	// The GitHub-only lists are refused for an Azure DevOps token.
	for name, value := range map[string]string{"permissions": "contents:read", "repositories": "octo/app"} {
		raw := map[string]string{"provider": "azure-devops", "organization": "contoso", name: value}
		providers := []prov.Provider{github.Provider{}, azdo.Provider{}}
		cfg, problems := config.Parse(raw, config.Env{LocalDir: true}, ghplatform.ParsePermission)
		_, ps := prov.Setup(providers, cfg, config.Env{LocalDir: true}, frontend.CommandLine, token.AzureDevOps)
		problems = append(problems, ps...)
		if !strings.Contains(fmt.Sprint(problems), name) {
			t.Errorf("%s is accepted for an Azure DevOps token (%v): hiding it would hide a working input", name, problems)
		}
	}
}

// One task folder per supported major version (V1 stays when V2 comes),
// each with the task's id, its own major, and its place in the extension:
// its files and a contribution (V1's id, pat-check-task, never changes).
func TestEveryTaskFolderIsPackaged(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob("../../task/PatCheckV*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no task folders: %v", err)
	}
	raw, err := os.ReadFile("../../task/vss-extension.json")
	if err != nil {
		t.Fatal(err)
	}
	var ext struct {
		Files []struct {
			Path string `json:"path"`
		} `json:"files"`
		Contributions []struct {
			ID         string            `json:"id"`
			Type       string            `json:"type"`
			Properties map[string]string `json:"properties"`
		} `json:"contributions"`
	}
	if err := json.Unmarshal(raw, &ext); err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, f := range ext.Files {
		files[f.Path] = true
	}
	contributed := map[string]string{}
	for _, c := range ext.Contributions {
		if c.Type == "ms.vss-distributed-task.task" {
			contributed[c.Properties["name"]] = c.ID
		}
	}
	if id := contributed["PatCheckV1"]; id != "pat-check-task" {
		t.Errorf("PatCheckV1's contribution id is %q: it must stay pat-check-task", id)
	}
	for _, dir := range dirs {
		folder := filepath.Base(dir)
		major, err := strconv.Atoi(strings.TrimPrefix(folder, "PatCheckV"))
		if err != nil {
			t.Errorf("%s: not PatCheckV<major>", folder)
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "task.json"))
		if err != nil {
			t.Error(err)
			continue
		}
		var task struct {
			ID, Name string
			Version  struct{ Major int }
		}
		if err := json.Unmarshal(b, &task); err != nil {
			t.Errorf("%s/task.json: %v", folder, err)
			continue
		}
		if task.ID != TaskID || task.Name != "PatCheck" || task.Version.Major != major {
			t.Errorf("%s/task.json: id %s, name %s, major %d; want %s, PatCheck, %d", folder, task.ID, task.Name, task.Version.Major, TaskID, major)
		}
		if !files[folder] {
			t.Errorf("vss-extension.json does not ship %s", folder)
		}
		if _, ok := contributed[folder]; !ok {
			t.Errorf("vss-extension.json has no task contribution for %s", folder)
		}
		delete(files, folder)
		delete(contributed, folder)
	}
	for f := range files {
		if strings.HasPrefix(f, "PatCheckV") {
			t.Errorf("vss-extension.json ships %s, which does not exist", f)
		}
	}
	for name := range contributed {
		t.Errorf("vss-extension.json contributes %s, which does not exist", name)
	}
}

// lookupTask finds an option by its task input name.
func lookupTask(name string) (config.Option, bool) {
	for _, o := range config.Options {
		if o.Task == name {
			return o, true
		}
	}
	return config.Option{}, false
}

// The classic editor's schema wants booleans where task.json says
// resizable; the pipeline file is labelled as one and shown only with infer.
func TestTaskInputsMatchTheSchemaAndTheirUse(t *testing.T) {
	t.Parallel()
	var task struct {
		Inputs []struct {
			Name, Label, VisibleRule string
			Properties               map[string]any
		}
	}
	if err := json.Unmarshal(TaskJSON(), &task); err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, in := range task.Inputs {
		if r, ok := in.Properties["resizable"]; ok {
			if _, isBool := r.(bool); !isBool {
				t.Errorf("%s: resizable is %T %v, want a boolean", in.Name, r, r)
			}
		}
		if in.Name == "pipelineFile" {
			seen = true
			if in.Label != "Pipeline file" || in.VisibleRule != "infer = true" {
				t.Errorf("pipelineFile: label %q, visibleRule %q; want \"Pipeline file\", \"infer = true\"", in.Label, in.VisibleRule)
			}
		}
	}
	if !seen {
		t.Error("task.json has no pipelineFile input")
	}
}

// The runner evaluates ${{ }} in action.yml and refuses it in an input's
// description ("expressions are not allowed here"): no description may
// hold one.
func TestActionDescriptionsHoldNoExpressions(t *testing.T) {
	t.Parallel()
	for _, line := range strings.Split(string(ActionYAML()), "\n") {
		if strings.Contains(line, "description:") && strings.Contains(line, "${{") {
			t.Errorf("a description holds an expression: %s", line)
		}
	}
}
