package frontend

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/report"
)

type azure struct {
	env   Getenv
	out   io.Writer
	stdio Stdio
}

func newAzure(env Getenv, stdio Stdio) *azure {
	return &azure{env: env, out: safeWriter{stdio.Out}, stdio: stdio}
}

func (z *azure) Kind() Kind { return AzurePipelines }

func (z *azure) Input() Input {
	return Input{Several: "tokens", One: z.OptionName("token"), OneInInputs: true}
}

// input reads INPUT_<NAME> as the agent forms it: upper-case, with '.' and
// ' ' turned into '_'.
func (z *azure) input(task string) string {
	n := strings.NewReplacer(".", "_", " ", "_").Replace(strings.ToUpper(task))
	return strings.TrimSpace(z.env("INPUT_" + n))
}

func (z *azure) Token() (string, error) { return z.env("INPUT_TOKEN"), nil }

// AzureEscapeData escapes a logging command's message the way the agent
// unescapes it.
func AzureEscapeData(s string) string {
	return strings.NewReplacer("%", "%AZP25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// AzureEscapeProperty escapes a logging command's property value.
func AzureEscapeProperty(s string) string {
	return strings.NewReplacer("%", "%AZP25", ";", "%3B", "\r", "%0D", "\n", "%0A", "]", "%5D").Replace(s)
}

// command writes one logging command; data in the message is neutralized
// and escaped, so a finding's text cannot start a second command.
func (z *azure) command(area string, props map[string]string, order []string, msg string) {
	var p []string
	for _, k := range order {
		if v, ok := props[k]; ok {
			p = append(p, k+"="+AzureEscapeProperty(neutralize(v)))
		}
	}
	line := "##vso[" + area
	if len(p) > 0 {
		line += " " + strings.Join(p, ";")
	}
	line += "]" + AzureEscapeData(neutralizeAnywhere(msg)) + "\n"
	_, _ = io.WriteString(z.out, line)
}

func (z *azure) Mask(forms []string) {
	for _, f := range forms {
		// The value itself must reach the agent as is, escaped only.
		_, _ = io.WriteString(z.out, "##vso[task.setsecret]"+AzureEscapeData(f)+"\n")
	}
}

func (z *azure) Options() (map[string]string, error) {
	return collectInputs(func(o config.Option) string {
		if o.Task == "" {
			return ""
		}
		return z.input(o.Task)
	}), nil
}

func (z *azure) Env() config.Env {
	env := config.Env{
		GitHubAPIURL:  z.env("GITHUB_API_URL"),
		CollectionURI: z.env("SYSTEM_COLLECTIONURI"),
		TeamProject:   z.env("SYSTEM_TEAMPROJECT"),
		NoWorkspace:   "BUILD_SOURCESDIRECTORY is not set (nor, for a classic release job, SYSTEM_DEFAULTWORKINGDIRECTORY), so there is no checkout to search: run the task in a job that checks out the repository",
	}
	env.Workspace, _ = z.workspace()
	return env
}

// workspace is the checked-out sources, BUILD_SOURCESDIRECTORY. A classic
// release job sets none: its working directory,
// SYSTEM_DEFAULTWORKINGDIRECTORY, holds the artifacts it downloaded
// (learn.microsoft.com/azure/devops/pipelines/release/variables), and
// release is true.
func (z *azure) workspace() (dir string, release bool) {
	if dir := z.env("BUILD_SOURCESDIRECTORY"); dir != "" {
		return dir, false
	}
	if dir := z.env("SYSTEM_DEFAULTWORKINGDIRECTORY"); dir != "" {
		return dir, true
	}
	return "", false
}

// Job: the pipeline file is the one pipelineFile names, in the checkout.
func (z *azure) Job() Job {
	dir, release := z.workspace()
	j := Job{
		CI: true, Option: "workflow", Dir: dir,
		NoDir:       "BUILD_SOURCESDIRECTORY is not set, so the pipeline's YAML cannot be read: give scopes or permissions",
		DirVariable: "BUILD_SOURCESDIRECTORY", FileNoun: "pipeline file",
		CheckOut: "check out the repository first (checkout: self), name the file in pipelineFile, or give scopes",
	}
	if release {
		// Not an error: the job runs, checked for what was given.
		j.Nothing = "infer has nothing to read in a classic release job: it has no pipeline YAML (its working directory holds the release's artifacts), so no scope is required; give scopes to check them"
	}
	return j
}

func (z *azure) OptionName(canonical string) string {
	if o, ok := config.Lookup(canonical); ok {
		return o.Task
	}
	return canonical
}

func (z *azure) Event() Event {
	return Event{Name: z.env("BUILD_REASON"), Pipeline: z.env("BUILD_DEFINITIONNAME")}
}

func (z *azure) Emit(r report.Report, redacted string) error {
	// Errors and warnings are issues, each with its fix, which the agent
	// shows in the log: the text does not repeat them. Notices have no
	// issue type, so they stay in the text.
	annotated := func(s finding.Severity) bool { return s == finding.Error || s == finding.Warning }
	writeLines(z.out, r.Text(report.TextStyle{Annotated: annotated}, redacted))
	for _, f := range r.Findings {
		msg := report.Annotation(f)
		switch f.Severity {
		case finding.Error:
			z.command("task.issue", map[string]string{"type": "error", "code": string(f.Code)}, []string{"type", "code"}, msg)
		case finding.Warning:
			z.command("task.issue", map[string]string{"type": "warning", "code": string(f.Code)}, []string{"type", "code"}, msg)
		}
	}
	values := r.OutputValues()
	for _, o := range config.Outputs {
		z.command("task.setvariable", map[string]string{"variable": o.Task, "isOutput": "true"}, []string{"variable", "isOutput"}, values[o.Name])
	}
	if path, err := z.writeSummary(r.Markdown()); err == nil {
		z.command("task.uploadsummary", nil, nil, path)
	} else {
		z.command("task.issue", map[string]string{"type": "warning"}, []string{"type"}, "the summary could not be written: "+err.Error())
	}
	result := map[report.Result]string{
		report.Pass: "Succeeded", report.Warn: "SucceededWithIssues",
		report.Fail: "Failed", report.Error: "Failed",
	}[r.Result]
	z.command("task.complete", map[string]string{"result": result}, []string{"result"}, r.Headline())
	return nil
}

// writeSummary writes the Markdown summary under AGENT_TEMPDIRECTORY, where
// the agent can upload it and cleans it up.
func (z *azure) writeSummary(md string) (string, error) {
	dir := z.env("AGENT_TEMPDIRECTORY")
	if dir == "" {
		dir = os.TempDir()
	}
	path := filepath.Join(dir, fmt.Sprintf("pat-check-summary-%s.md", randomHex()[:12]))
	if err := z.createFile(path, md); err != nil {
		return "", fmt.Errorf("writing under AGENT_TEMPDIRECTORY: %v", err)
	}
	return path, nil
}

// createFile is os.WriteFile through Stdio.Scrub.
func (z *azure) createFile(path, content string) error {
	f, err := z.stdio.openFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, content)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
