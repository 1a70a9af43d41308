package packaging

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
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
	explicit, problems := config.Parse(raw, config.Env{Platform: "cli"}, token.Classic)
	if len(problems) > 0 {
		t.Fatalf("shown defaults do not parse: %v", problems)
	}
	implicit, _ := config.Parse(nil, config.Env{Platform: "cli"}, token.Classic)
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
