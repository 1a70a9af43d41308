package app

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/needs"
	"github.com/pat-check/pat-check/internal/provider/azdo"
	"github.com/pat-check/pat-check/internal/provider/github"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/scrub"
)

// platformNames spell the platforms as the providers' IDs.
var platformNames = needs.Names{check.GitHub: github.ID, check.AzureDevOps: azdo.ID}

const needsUsage = `Usage: pat-check needs [--format text|json] [PATH ...]

Reads GitHub Actions workflows and Azure Pipelines YAML (default: .github/workflows,
azure-pipelines.yml and .azure-pipelines/ under the current directory) and prints, for
each secret or pipeline variable that carries a token, the steps that use it, what
each needs and by which rule, and the minimal scopes and permissions of the token.
Exit codes: 0 printed, 2 a file cannot be read (the message names it and the line).
`

// needsStdio passes what needs prints through the same filters as every
// other mode: a scrubber (which knows no token here, and stays in the path
// so that no mode writes around it) and the neutraliser, on both streams.
// The text is other people's YAML: a step named "##vso[task.setvariable …]"
// must not set a variable in the pipeline that audits it.
func needsStdio(stdio frontend.Stdio, w World) frontend.Stdio {
	sc := &scrub.Scrubber{}
	stdio.Out, stdio.Err, stdio.Scrub = frontend.Neutral(sc.Writer(stdio.Out)), frontend.Neutral(sc.Writer(stdio.Err)), sc.String
	if w.StandardLogger {
		useStandardLogger(stdio.Err)
	}
	return stdio
}

// needsMain is the needs subcommand. dir is where relative paths start.
func needsMain(args []string, dir string, stdio frontend.Stdio) int {
	fs := flag.NewFlagSet("pat-check needs", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "text or json")
	var paths []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				_, _ = io.WriteString(stdio.Out, needsUsage)
				return report.ExitPass
			}
			fmt.Fprintf(stdio.Err, "pat-check needs: %v (see pat-check needs --help)\n", err)
			return report.ExitConfig
		}
		if fs.NArg() == 0 {
			break
		}
		paths = append(paths, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stdio.Err, "pat-check needs: --format %q: use text or json\n", finding.Clip(*format, 40))
		return report.ExitConfig
	}
	a, files, err := needs.Load(dir, paths)
	if err != nil {
		fmt.Fprintf(stdio.Err, "pat-check needs: %v\n", err)
		return report.ExitConfig
	}
	tokens := a.Tokens()
	if *format == "json" {
		_, _ = stdio.Out.Write(needs.JSON(tokens, platformNames))
	} else {
		_, _ = io.WriteString(stdio.Out, needs.Text(tokens, platformNames, files))
	}
	return report.ExitPass
}
