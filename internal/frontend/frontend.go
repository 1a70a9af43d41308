// Package frontend speaks each platform's language: GitHub Actions workflow
// commands and files, Azure Pipelines logging commands, and a terminal. Each
// front-end reads options and the token the way its platform provides them,
// masks first, and writes the report the way its platform shows it. Kind
// names a front-end for the guidance that differs between them; what the
// rest needs of the environment (config.Env, Job) each front-end fills in,
// in its own words, so that nothing else switches on the kind to pick them.
package frontend

import (
	"io"
	"os"
	"strings"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/report"
)

// Getenv reads one environment variable; injected so that nothing else
// reads the process environment.
type Getenv func(string) string

// Stdio are the standard streams, whether stdout is a terminal, and the
// filter of the files a front-end writes.
type Stdio struct {
	In       io.Reader
	Out, Err io.Writer
	// Terminal is true when Out is a terminal (colour is allowed).
	Terminal bool
	// Scrub, when set, rewrites what a front-end writes to the files the
	// platform reads (GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, the Azure
	// summary), as Out and Err rewrite what passes through them.
	Scrub func(string) string
}

// openFile opens a file for the platform to read; each Write to it passes
// through Scrub. Every file a front-end writes is opened here.
func (s Stdio) openFile(path string, flag int, perm os.FileMode) (io.WriteCloser, error) {
	f, err := os.OpenFile(path, flag, perm)
	if err != nil {
		return nil, err
	}
	if s.Scrub == nil {
		return f, nil
	}
	return scrubbedFile{f: f, scrub: s.Scrub}, nil
}

// scrubbedFile has no method but Write and Close, so that nothing (such as
// io.Copy's ReadFrom) can reach the file around Scrub.
type scrubbedFile struct {
	f     *os.File
	scrub func(string) string
}

func (w scrubbedFile) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.f, w.scrub(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (w scrubbedFile) Close() error { return w.f.Close() }

// Frontend is one platform.
type Frontend interface {
	// Kind says which front-end this is.
	Kind() Kind
	// Token returns the raw token (possibly empty, never trimmed away).
	Token() (string, error)
	// Mask registers the token and its derived forms with the platform. It
	// must be called before anything else is written.
	Mask(forms []string)
	// Options returns the raw option values, keyed by canonical name.
	Options() (map[string]string, error)
	// Env returns the platform's defaults for options.
	Env() config.Env
	// Job describes the CI job the run is in, for infer.
	Job() Job
	// OptionName spells a canonical option name as this platform's users write it.
	OptionName(canonical string) string
	// Emit writes the report: annotations or issues, outputs, summary, text.
	Emit(r report.Report, redacted string) error
	// Event describes what started the run, for guidance about empty tokens.
	Event() Event
	// Input says how this front-end's users give one token or several.
	Input() Input
}

// Input is how a front-end's users give the tokens.
type Input struct {
	// Several is the option that names several tokens: tokens (NAME=value
	// lines of an input, under Actions and Azure Pipelines) or
	// tokens-from-env (names of environment variables, on the command line).
	Several string
	// One is how the one token is given, as users write it: the token
	// input, or --token-stdin.
	One string
	// OneInInputs is true when a token given as well is in the run's
	// inputs (an Actions or task input), where it must be masked even
	// though it is not checked; on the command line it waits on standard
	// input, which is not read.
	OneInInputs bool
}

// Event is what started a CI run.
type Event struct {
	Name            string
	ForkPullRequest bool
	Actor           string
	// Pipeline is the workflow's or the pipeline's name (GITHUB_WORKFLOW,
	// BUILD_DEFINITIONNAME): a replacement token is named after it.
	Pipeline string
}

// Detect chooses the front-end from the environment as the contract says:
// GITHUB_ACTIONS=true, else TF_BUILD=True, else the command line, which
// reads the token from tokenVars.
func Detect(args []string, env Getenv, stdio Stdio, tokenVars []TokenVariables) Frontend {
	switch {
	case env("GITHUB_ACTIONS") == "true":
		return newActions(env, stdio)
	case strings.EqualFold(env("TF_BUILD"), "true"):
		return newAzure(env, stdio)
	}
	return newCLI(args, env, stdio, tokenVars)
}

// safeWriter swallows write errors: a closed stdout must not crash the
// run (go-githubactions panics on a failed write), and the exit code still
// tells the verdict.
type safeWriter struct{ w io.Writer }

func (s safeWriter) Write(p []byte) (int, error) {
	_, _ = s.w.Write(p)
	return len(p), nil
}

// collectInputs reads every option but the token through a platform's
// input function, keeping the ones given, by canonical name.
func collectInputs(input func(config.Option) string) map[string]string {
	raw := map[string]string{}
	for _, o := range config.Options {
		if o.Name == "token" {
			continue
		}
		if v := input(o); v != "" {
			raw[o.Name] = v
		}
	}
	return raw
}

// TokenGiven reports whether the one token was given explicitly: the
// token input under Actions and Azure Pipelines, --token-stdin on the
// command line (where a token variable such as GH_TOKEN is often set for
// other tools, and is simply not read when tokens are named).
func TokenGiven(fe Frontend) bool {
	switch f := fe.(type) {
	case *actions:
		return strings.TrimSpace(f.env("INPUT_TOKEN")) != ""
	case *azure:
		return strings.TrimSpace(f.env("INPUT_TOKEN")) != ""
	case *cli:
		return f.tokenStdin
	}
	return false
}
