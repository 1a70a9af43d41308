// Package packaging renders the two packagings of the one binary from the
// option and output tables of the config package: the GitHub Action's
// action.yml and the Azure Pipelines task's task.json. The committed files
// are these renderings; a test fails when they drift.
package packaging

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/config"
)

// TaskID is the Azure Pipelines task's GUID: stable forever, since the
// agent and existing pipelines know the task by it.
const TaskID = "3f5399dc-0087-4d56-be67-0597f4807820"

// TaskVersion is the task's version; Major is the @1 of "PatCheck@1".
var TaskVersion = struct{ Major, Minor, Patch int }{1, 0, 0}

// ActionDescription is the action's description: the Marketplace for
// GitHub Actions takes at most 125 characters.
const ActionDescription = "Check a GitHub or Azure DevOps token before the job uses it: valid, scoped, not about to expire, or the fix."

// frontEndHelp replaces an option's description (written for the command
// line) in one front-end, where that text would mislead.
var frontEndHelp = map[string]struct{ action, task string }{
	"token": {
		action: "The token to check, from a secret (secrets.NAME) or another masked value: the runner prints a composite step's env before pat-check can mask anything.",
		task:   "The token to check, from a secret variable: $(MY_PAT). In YAML a secret variable must be mapped here explicitly. pat-check masks it before it prints anything.",
	},
	"tokens": {
		action: "Several tokens to check at once, by name: the JSON object of toJSON(secrets), or NAME=VALUE lines (the value from secrets.NAME). Each value shaped like a GitHub or Azure DevOps token is masked, then checked with what the workflows of the checkout need of its name; any other value is named as not a token, never printed or sent. GITHUB_TOKEN is checked only when a line names it. Not with token.",
		task:   "Several tokens to check at once, one NAME=$(NAME) line each (secret variables, from the pipeline or a variable group, must be mapped here explicitly). Each value shaped like a GitHub or Azure DevOps token is masked, then checked with what the pipelines of the checkout need of its name; any other value is named as not a token, never printed or sent. Not with token.",
	},
}

// visibleWhen hides, in the classic editor, the inputs that belong to one
// provider's tokens while the other provider is chosen (the options the
// binary refuses, or ignores, for the other provider), and those that matter
// only when a boolean option is on.
var visibleWhen = map[string]string{
	"permissions":  "provider != azure-devops",
	"repositories": "provider != azure-devops",
	"api-url":      "provider != azure-devops",
	"project":      "provider != github",
	// The pipeline file is read only to infer the requirements.
	"workflow": "infer = true",
}

// ActionInputEnv is the environment variable the composite step passes an
// input in: the runner gives composite actions no INPUT_* variables, and
// the binary reads INPUT_<NAME> with hyphens or underscores.
func ActionInputEnv(name string) string {
	return "INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// yamlString quotes a value for YAML with single quotes.
func yamlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ActionYAML renders action.yml.
func ActionYAML() []byte {
	var b strings.Builder
	b.WriteString(`# Generated from internal/config by internal/packaging: edit those, then run
#   UPDATE_GOLDEN=1 go test ./internal/packaging/
name: 'pat-check'
description: ` + yamlString(ActionDescription) + `
author: 'pat-check'
branding:
  icon: 'lock'
  color: 'blue'
inputs:
`)
	for _, o := range config.Options {
		if o.NoAction {
			continue
		}
		fmt.Fprintf(&b, "  %s:\n    description: %s\n", o.Name, yamlString(actionDescription(o)))
		if o.Required {
			b.WriteString("    required: true\n")
			continue
		}
		b.WriteString("    required: false\n")
		fmt.Fprintf(&b, "    default: %s\n", yamlString(actionDefault(o)))
	}
	b.WriteString("outputs:\n")
	for _, o := range config.Outputs {
		fmt.Fprintf(&b, "  %s:\n    description: %s\n    value: ${{ steps.check.outputs.%s }}\n", o.Name, yamlString(o.Description), o.Name)
	}
	b.WriteString(`runs:
  using: 'composite'
  steps:
    - id: check
      shell: bash
      # Inputs reach the script only through env: never interpolated into it.
      env:
`)
	for _, o := range config.Options {
		if o.NoAction {
			continue
		}
		fmt.Fprintf(&b, "        %s: ${{ inputs.%s }}\n", ActionInputEnv(o.Name), o.Name)
	}
	b.WriteString(`      run: bash "$GITHUB_ACTION_PATH/scripts/action-run.sh"
`)
	return []byte(b.String())
}

// actionDefault is the default an input shows: the binary's own default,
// except where the binary first looks at the environment, which a filled-in
// default would hide.
func actionDefault(o config.Option) string {
	if o.FromEnv {
		return ""
	}
	return o.Default
}

func actionDescription(o config.Option) string {
	d := o.Description
	if h, ok := frontEndHelp[o.Name]; ok {
		d = h.action
	}
	if o.FromEnv && o.Default != "" {
		d += " Default: " + o.Default + "."
	}
	return d
}

// taskInput is one input of task.json.
type taskInput struct {
	Name         string            `json:"name"`
	Type         string            `json:"type"`
	Label        string            `json:"label"`
	DefaultValue string            `json:"defaultValue"`
	Required     bool              `json:"required"`
	HelpMarkDown string            `json:"helpMarkDown"`
	GroupName    string            `json:"groupName,omitempty"`
	VisibleRule  string            `json:"visibleRule,omitempty"`
	Options      map[string]string `json:"options,omitempty"`
	Properties   map[string]any    `json:"properties,omitempty"`
}

type execution struct {
	Target           string `json:"target"`
	ArgumentFormat   string `json:"argumentFormat"`
	WorkingDirectory string `json:"workingDirectory,omitempty"`
}

type taskJSON struct {
	Schema              string               `json:"$schema"`
	ID                  string               `json:"id"`
	Name                string               `json:"name"`
	FriendlyName        string               `json:"friendlyName"`
	Description         string               `json:"description"`
	HelpMarkDown        string               `json:"helpMarkDown"`
	Category            string               `json:"category"`
	Visibility          []string             `json:"visibility"`
	RunsOn              []string             `json:"runsOn"`
	Author              string               `json:"author"`
	Version             map[string]int       `json:"version"`
	MinimumAgentVersion string               `json:"minimumAgentVersion"`
	InstanceNameFormat  string               `json:"instanceNameFormat"`
	Groups              []map[string]any     `json:"groups"`
	Inputs              []taskInput          `json:"inputs"`
	OutputVariables     []map[string]string  `json:"outputVariables"`
	Execution           map[string]execution `json:"execution"`
}

// taskLabel is the label shown in the classic editor.
func taskLabel(o config.Option) string {
	words := strings.Split(o.Name, "-")
	words[0] = strings.ToUpper(words[0][:1]) + words[0][1:]
	l := strings.Join(words, " ")
	if o.Task == "pipelineFile" {
		// The option is "workflow" for GitHub; the task reads a pipeline.
		return "Pipeline file"
	}
	return strings.NewReplacer("Api url", "GitHub API URL", "On api error", "When the API cannot be reached", "Report path", "JSON report path").Replace(l)
}

// TaskJSON renders task/PatCheckV1/task.json.
func TaskJSON() []byte {
	t := taskJSON{
		Schema:       "https://raw.githubusercontent.com/Microsoft/azure-pipelines-task-lib/master/tasks.schema.json",
		ID:           TaskID,
		Name:         "PatCheck",
		FriendlyName: "Check a personal access token",
		Description:  "Check a GitHub or Azure DevOps personal access token before the pipeline uses it: masked, valid, scoped, not about to expire, with the fix when it is not.",
		HelpMarkDown: "[How to use pat-check](https://github.com/pat-check/pat-check#azure-pipelines)",
		Category:     "Utility",
		Visibility:   []string{"Build", "Release"},
		RunsOn:       []string{"Agent", "DeploymentGroup"},
		Author:       "pat-check",
		Version:      map[string]int{"Major": TaskVersion.Major, "Minor": TaskVersion.Minor, "Patch": TaskVersion.Patch},
		// Node20_1 needs agent 3.232.1; agents that know Node24 prefer it.
		MinimumAgentVersion: "3.232.1",
		InstanceNameFormat:  "Check the personal access token",
		Groups:              []map[string]any{{"name": "advanced", "displayName": "Advanced", "isExpanded": false}},
		Execution: map[string]execution{
			"Node24":   {Target: "index.js"},
			"Node20_1": {Target: "index.js"},
		},
	}
	for _, o := range config.Options {
		if o.Task == "" {
			continue
		}
		in := taskInput{Name: o.Task, Type: "string", Label: taskLabel(o), Required: o.Required, HelpMarkDown: o.Description, VisibleRule: visibleWhen[o.Name]}
		if h, ok := frontEndHelp[o.Name]; ok {
			in.HelpMarkDown = h.task
		}
		if !o.FromEnv {
			in.DefaultValue = o.Default
		}
		switch {
		case len(o.Choices) > 0:
			in.Type = "pickList"
			in.Options = map[string]string{}
			for _, c := range o.Choices {
				in.Options[c] = c
			}
		case o.Kind == "bool":
			in.Type = "boolean"
		case o.Kind == "list":
			in.Type = "multiLine"
			// resizable is a boolean in the schema task.json names.
			in.Properties = map[string]any{"resizable": true, "rows": "2"}
		case o.Kind == "lines":
			in.Type = "multiLine"
			in.Properties = map[string]any{"resizable": true, "rows": "6"}
		}
		if o.Advanced {
			in.GroupName = "advanced"
		}
		t.Inputs = append(t.Inputs, in)
	}
	for _, o := range config.Outputs {
		t.OutputVariables = append(t.OutputVariables, map[string]string{"name": o.Task, "description": o.Description})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(t) // plain data: cannot fail
	return buf.Bytes()
}
