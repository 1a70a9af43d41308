package packaging

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
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
	explicit, problems := config.Parse(raw, config.Env{Platform: "cli"})
	if len(problems) > 0 {
		t.Fatalf("shown defaults do not parse: %v", problems)
	}
	implicit, _ := config.Parse(nil, config.Env{Platform: "cli"})
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
