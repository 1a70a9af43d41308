package app

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// The tests that compare the three front-ends run Main in-process once per
// front-end with the same options, against the shared simulated world. What
// each platform reads of a run (the Actions annotations and outputs, the
// Azure Pipelines logging commands) is checked against the report by
// runMain; these tests read the report, the outputs and the messages.

// everyRun is one check to run in every front-end.
type everyRun struct {
	tok string
	// opts are the options by the Action's input names; each front-end
	// gets them its own way (inputs, task inputs, flags). {api} and {org}
	// are expanded.
	opts map[string]string
	// ws is a checkout to scan for the token ("" for none), given the way
	// each platform gives it.
	ws string
	// ado marks an Azure DevOps token: no GitHub API address is added, and
	// the command line reads it from AZURE_DEVOPS_EXT_PAT.
	ado bool
	// outsideAzure are options Azure Pipelines does not take as inputs
	// here, since the agent's variables give them (the organization);
	// the other front-ends get them as opts.
	outsideAzure map[string]string
}

// everyFrontEnd are the front-ends runEveryFrontEnd runs, in order.
var everyFrontEnd = []string{"actions", "azure", "cli"}

// runEveryFrontEnd runs e through the three front-ends and returns each
// run by front-end. On the command line the run is in text mode (the
// summary is its stdout) and the report is read from --report's file.
// runMain checks that no form of the token appears in
// any output.
func runEveryFrontEnd(t *testing.T, w *fixture.World, e everyRun) map[string]mainRun {
	t.Helper()
	out := map[string]mainRun{}
	for _, fe := range everyFrontEnd {
		c := mainCase{fe: fe, token: e.tok, ado: e.ado, inputs: map[string]string{}, env: map[string]string{}}
		opts := map[string]string{}
		for k, v := range e.opts {
			opts[k] = v
		}
		if fe != "azure" {
			for k, v := range e.outsideAzure {
				opts[k] = v
			}
		}
		for k, v := range opts {
			if v == "" {
				continue
			}
			o, ok := config.Lookup(k)
			if !ok {
				t.Fatalf("no option %q", k)
			}
			switch fe {
			case "actions":
				c.inputs[k] = v
			case "azure":
				c.inputs[o.Task] = v
			default:
				c.args = append(c.args, "--"+o.Flag+"="+v)
			}
		}
		if e.ws != "" {
			switch fe {
			case "actions":
				c.inputs["scan-workspace"], c.env["GITHUB_WORKSPACE"] = "true", e.ws
			case "azure":
				c.inputs["scanWorkspace"], c.env["BUILD_SOURCESDIRECTORY"] = "true", e.ws
			default:
				c.args = append(c.args, "--scan", e.ws)
			}
		}
		if fe == "cli" {
			// As a person runs it: the text renderer on stdout, the
			// report in a file.
			c.text = true
			c.args = append(c.args, "--report", "{dir}/report.json")
			if e.ado {
				c.tokenVar = "AZURE_DEVOPS_EXT_PAT"
			}
		}
		out[fe] = runMain(t, w, c)
	}
	return out
}

// missing is what a front-end says is missing: the missing output in a CI
// platform, which must agree with the report, or the report's list on the
// command line.
func (r mainRun) missing(t *testing.T, fe string) string {
	t.Helper()
	fromReport := strings.Join(r.report.Missing, ",")
	if fe != "cli" && r.outputs["missing"] != fromReport {
		t.Errorf("%s: the missing output %q, the report %q", fe, r.outputs["missing"], fromReport)
	}
	return fromReport
}

// has reports whether the run reported a finding of code.
func (r mainRun) has(code string) bool {
	_, ok := r.report.find(code)
	return ok
}

// findingCodes are the codes of the run's findings, in the report's order.
func (r mainRun) findingCodes() []string {
	out := []string{}
	for _, f := range r.report.Findings {
		out = append(out, f.Code)
	}
	return out
}
