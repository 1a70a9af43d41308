package frontend

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/sethvargo/go-githubactions"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/report"
)

// SummaryLimit is the most GitHub accepts in a step summary (1 MiB).
const SummaryLimit = 1 << 20

type actions struct {
	env   Getenv
	out   io.Writer
	gha   *githubactions.Action
	stdio Stdio
}

func newActions(env Getenv, stdio Stdio) *actions {
	out := safeWriter{stdio.Out}
	return &actions{
		env:   env,
		out:   out,
		stdio: stdio,
		gha:   githubactions.New(githubactions.WithGetenv(githubactions.GetenvFunc(env)), githubactions.WithWriter(out)),
	}
}

func (a *actions) Kind() Kind { return Actions }

func (a *actions) Input() Input {
	return Input{Several: "tokens", One: a.OptionName("token"), OneInInputs: true}
}

// input reads INPUT_<NAME> as the runner forms it (upper-case, hyphens kept),
// and the same name with underscores, which some wrappers produce.
func (a *actions) input(name string) string {
	if v := a.gha.GetInput(name); v != "" {
		return v
	}
	return strings.TrimSpace(a.env("INPUT_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))))
}

func (a *actions) Token() (string, error) {
	v := a.env("INPUT_TOKEN")
	return v, nil
}

func (a *actions) Mask(forms []string) {
	for _, f := range forms {
		a.gha.AddMask(f)
	}
}

func (a *actions) Options() (map[string]string, error) {
	return collectInputs(func(o config.Option) string {
		if o.NoAction {
			return ""
		}
		return a.input(o.Name)
	}), nil
}

func (a *actions) Env() config.Env {
	return config.Env{
		GitHubAPIURL:    a.env("GITHUB_API_URL"),
		GitHubServerURL: a.env("GITHUB_SERVER_URL"),
		Repository:      a.env("GITHUB_REPOSITORY"),
		Workspace:       a.env("GITHUB_WORKSPACE"),
		NoWorkspace:     "GITHUB_WORKSPACE is not set, so there is no checkout to search: run the step after actions/checkout",
		// Permissions are the workflow's own repository's unless
		// repositories says otherwise.
		RepositoryDefault: true,
	}
}

// Job reads the running workflow's file from GITHUB_WORKFLOW_REF
// (owner/repo/.github/workflows/FILE@ref) and the step from GITHUB_JOB and
// GITHUB_ACTION.
func (a *actions) Job() Job {
	j := Job{
		CI: true, Option: "infer", Dir: a.env("GITHUB_WORKSPACE"), Name: a.env("GITHUB_JOB"), Step: a.env("GITHUB_ACTION"),
		NoDir:       "GITHUB_WORKSPACE is not set, so the workflow file cannot be read: give scopes or permissions",
		DirVariable: "GITHUB_WORKSPACE", FileNoun: "workflow file",
		CheckOut: "the repository is not checked out. Check it out first (actions/checkout in a step before this one), or give scopes or permissions",
	}
	ref := a.env("GITHUB_WORKFLOW_REF")
	if ref == "" {
		j.NoFile = "GITHUB_WORKFLOW_REF is not set, so the running workflow's file is unknown: give scopes or permissions"
		return j
	}
	r, _, _ := strings.Cut(ref, "@")
	parts := strings.SplitN(r, "/", 3)
	if len(parts) < 3 || !strings.HasPrefix(parts[2], ".github/workflows/") {
		j.NoFile = fmt.Sprintf("GITHUB_WORKFLOW_REF %q names no file under .github/workflows: give scopes or permissions", ref)
		return j
	}
	j.File = parts[2]
	return j
}

func (a *actions) OptionName(canonical string) string { return canonical }

// Event reads the event name and, for pull requests, whether the head is a
// fork: GitHub withholds secrets from such runs, which empties the token.
func (a *actions) Event() Event {
	e := Event{Name: a.env("GITHUB_EVENT_NAME"), Actor: a.env("GITHUB_ACTOR"), Pipeline: a.env("GITHUB_WORKFLOW")}
	// Only these events withhold secrets from forks; pull_request_target
	// runs in the base repository and gets them.
	switch e.Name {
	case "pull_request", "pull_request_review", "pull_request_review_comment":
	default:
		return e
	}
	path := a.env("GITHUB_EVENT_PATH")
	if path == "" {
		return e
	}
	f, err := os.Open(path)
	if err != nil {
		return e
	}
	defer f.Close()
	var payload struct {
		PullRequest struct {
			Head struct {
				Repo struct {
					Fork     bool   `json:"fork"`
					FullName string `json:"full_name"`
				} `json:"repo"`
			} `json:"head"`
			Base struct {
				Repo struct {
					FullName string `json:"full_name"`
				} `json:"repo"`
			} `json:"base"`
		} `json:"pull_request"`
	}
	if json.NewDecoder(io.LimitReader(f, 25<<20)).Decode(&payload) != nil {
		return e
	}
	head, base := payload.PullRequest.Head.Repo, payload.PullRequest.Base.Repo
	e.ForkPullRequest = head.Fork || (head.FullName != "" && base.FullName != "" && !strings.EqualFold(head.FullName, base.FullName))
	return e
}

func (a *actions) Emit(r report.Report, redacted string) error {
	// The log gets the verdict and the table of checks; each finding, with
	// its fix, is printed once, as an annotation (the runner shows it in the
	// log and on the run's page), titled in words with the code inside.
	style := report.TextStyle{Annotated: func(finding.Severity) bool { return true }}
	writeLines(a.out, r.Text(style, redacted))
	for _, f := range r.Findings {
		msg := report.Annotation(f)
		if r.Aside(f) {
			// Advice on a passing run is one line; its steps are in the
			// summary.
			msg = string(f.Code) + ": " + f.Message
		}
		msg = neutralize(msg)
		ann := a.gha.WithFieldsMap(map[string]string{"title": neutralize(r.Title(f))})
		switch f.Severity {
		case finding.Error:
			ann.Errorf("%s", msg)
		case finding.Warning:
			ann.Warningf("%s", msg)
		default:
			ann.Noticef("%s", msg)
		}
	}
	var errs []string
	if err := a.writeOutputs(r.OutputValues()); err != nil {
		errs = append(errs, err.Error())
	}
	if err := a.writeSummary(r.Markdown()); err != nil {
		errs = append(errs, err.Error())
	}
	if len(errs) > 0 {
		a.gha.Warningf("%s", strings.Join(errs, "; "))
	}
	return nil
}

// writeOutputs appends to GITHUB_OUTPUT in the heredoc form with a random
// delimiter: nothing in a value can end it early and forge another output.
// go-githubactions uses one fixed delimiter, so its SetOutput is not used.
func (a *actions) writeOutputs(values map[string]string) error {
	path := a.env("GITHUB_OUTPUT")
	if path == "" {
		return nil // a local run or an old runner: outputs have nowhere to go
	}
	var b strings.Builder
	for _, o := range config.Outputs {
		// Neutralised as a log line is: a step that echoes the output
		// (echo "$LOGIN") must not run a command the server wrote.
		v := neutralize(values[o.Name])
		delim := "ghadelimiter_" + randomHex()
		if strings.Contains(v, delim) || strings.ContainsAny(v, "\r\n") {
			return fmt.Errorf("output %s was not written: its value is not a single line", o.Name)
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", o.Name, delim, v, delim)
	}
	return a.appendFile(path, b.String(), "GITHUB_OUTPUT")
}

func (a *actions) writeSummary(md string) error {
	path := a.env("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	if len(md) > SummaryLimit-1024 {
		md = md[:SummaryLimit-1024] + "\n\n…(cut to fit GitHub's 1 MiB summary limit)\n"
	}
	return a.appendFile(path, md, "GITHUB_STEP_SUMMARY")
}

func (a *actions) appendFile(path, content, what string) error {
	f, err := a.stdio.openFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("could not open %s: %v", what, err)
	}
	_, werr := io.WriteString(f, content)
	cerr := f.Close()
	if werr != nil || cerr != nil {
		return fmt.Errorf("could not write %s", what)
	}
	return nil
}

func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// writeLines writes text line by line, each neutralized: a \r inside a
// line, which a runner takes for a line break, cannot start a command.
func writeLines(w io.Writer, text string) {
	text = strings.TrimSuffix(text, "\n")
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		b.WriteString(neutralize(strings.TrimSuffix(line, "\r")))
		b.WriteString("\n")
	}
	_, _ = io.WriteString(w, b.String())
}
