package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/needs"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/scrub"
)

const needsUsage = `Usage: pat-check needs [--format text|json] [--timeout SECONDS] [PATH ...]

Reads GitHub Actions workflows and Azure Pipelines YAML (default: .github/workflows,
azure-pipelines.yml and .azure-pipelines/ under the current directory) and prints, for
each secret or pipeline variable that carries a token, the steps that use it, what
each needs and by which rule, and the minimal scopes and permissions of the token;
the references that carry no token and where they go; and each job's least
permissions block for its GITHUB_TOKEN.
Exit codes: 0 every file read, 1 some file could not be read or parsed (listed, the
others reported), 2 a usage error (a PATH that does not exist), 3 stopped (timeout,
SIGINT or SIGTERM).
`

// needsTimeout is how long needs may take unless --timeout says otherwise.
const needsTimeout = 30 * time.Second

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
func needsMain(ctx context.Context, args []string, dir string, stdio frontend.Stdio) int {
	fs := flag.NewFlagSet("pat-check needs", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	format := fs.String("format", "text", "text or json")
	timeout := fs.Float64("timeout", needsTimeout.Seconds(), "seconds")
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
	if *timeout <= 0 || *timeout > 86400 {
		fmt.Fprintf(stdio.Err, "pat-check needs: --timeout %v: give seconds between 0 and 86400\n", *timeout)
		return report.ExitConfig
	}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(*timeout*float64(time.Second)))
	defer cancel()
	// The reading runs beside the context: a file that takes too long
	// (or a signal) ends the run at once, whatever the reading is doing.
	type loaded struct {
		a     needs.Analysis
		files []string
		err   error
	}
	done := make(chan loaded, 1)
	go func() {
		a, files, err := needs.Load(ctx, dir, paths)
		done <- loaded{a, files, err}
	}()
	var l loaded
	select {
	case l = <-done:
	case <-ctx.Done():
		// Load stops between files: what it read so far is reported, if
		// it hands it over at once.
		select {
		case l = <-done:
		case <-time.After(200 * time.Millisecond):
			l.err = ctx.Err()
		}
	}
	stopped := ctx.Err() != nil && l.err != nil
	if l.err != nil && !stopped {
		fmt.Fprintf(stdio.Err, "pat-check needs: %v\n", l.err)
		return report.ExitConfig
	}
	rep := needs.NewReport(l.a, l.files)
	if *format == "json" {
		_, _ = stdio.Out.Write(rep.JSON())
	} else {
		_, _ = io.WriteString(stdio.Out, rep.Text())
	}
	for _, e := range rep.Errors {
		fmt.Fprintf(stdio.Err, "pat-check needs: %s not read: %s\n", e.File, e.Msg)
	}
	if stopped {
		why := "stopped by SIGINT or SIGTERM"
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			why = fmt.Sprintf("stopped after --timeout %v seconds", *timeout)
		}
		fmt.Fprintf(stdio.Err, "pat-check needs: %s before every file was read: the report covers the files read so far\n", why)
		return report.ExitInconclusive
	}
	if len(rep.Errors) > 0 {
		return report.ExitFail
	}
	return report.ExitPass
}
