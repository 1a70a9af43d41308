// Package app wires the pipeline: options → mask → inspect offline →
// gather facts → evaluate → add fixes → report. Main returns the exit code;
// nothing below it exits the process.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/provider"
	"github.com/pat-check/pat-check/internal/provider/azdo"
	"github.com/pat-check/pat-check/internal/provider/github"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/scrub"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
	"github.com/pat-check/pat-check/internal/workspace"
)

// World is what the program needs from outside: the clock and the network
// (tests and the demo, package demo, substitute both), and the demo itself.
type World struct {
	Now func() time.Time
	// Transport performs HTTP requests; http.DefaultTransport when nil.
	Transport http.RoundTripper
	// Sleep waits between retries; a real timer when nil.
	Sleep func(ctx context.Context, d time.Duration) error
	// StandardLogger makes Main point Go's standard logger, which net/http
	// writes to, at its scrubbed and neutralised standard error. The binary
	// sets it; tests that run Main side by side leave it unset.
	StandardLogger bool
	// Demo is the demo subcommand, which the binary hands in (package
	// demo's Run, or a release binary's word that it is left out); nil
	// leaves demo unrouted.
	Demo Command
}

// Main runs pat-check, or one of its subcommands (commands), and returns
// its exit code.
func Main(ctx context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio, w World) int {
	if w.Now == nil {
		w.Now = time.Now
	}
	if len(args) > 0 {
		if run, ok := commands(w)[args[0]]; ok {
			return run(ctx, args[1:], env, stdio)
		}
	}

	// Every byte written from here on goes through one scrubber, which
	// learns the token's forms right after the mask has been registered:
	// stdout and stderr through its writers, the files the front-end writes
	// through stdio.Scrub, the report as a scrubbed copy and its file as text.
	sc := &scrub.Scrubber{}
	// Standard error carries no command of pat-check's in any front-end:
	// every line of it is neutralized, so that neither runner acts on an
	// option value or a path it quotes.
	stdio.Out, stdio.Err, stdio.Scrub = sc.Writer(stdio.Out), frontend.Neutral(sc.Writer(stdio.Err)), sc.String
	errw := stdio.Err
	fe := frontend.Detect(args, env, stdio, tokenVariables(Providers()))
	// The options are read once, before the token: they say whether one
	// token is checked or several (tokens), and reading them writes
	// nothing but --help.
	opts, err := fe.Options()
	if errors.Is(err, frontend.ErrHelp) {
		return report.ExitPass
	}
	if err != nil {
		fmt.Fprintf(errw, "pat-check: %v\n", err)
		return report.ExitConfig
	}
	if several(opts) {
		entries, problems := severalInput(fe, opts, env, sc)
		w.logTo(errw)
		r, path := runSeveral(ctx, fe, opts, entries, problems, w)
		return deliver(fe, r, path, sc, errw, "")
	}

	raw, err := frontend.TokenWithin(ctx, fe)
	if err != nil {
		fmt.Fprintf(errw, "pat-check: %v\n", err)
		if errors.Is(err, frontend.ErrTokenCancelled) {
			return report.ExitInconclusive
		}
		return report.ExitConfig
	}
	insp := token.Inspect(raw)
	var forms []string
	if !token.IsReference(raw) {
		// An unexpanded reference such as $(GH_PAT) is a variable's name,
		// not a secret: masking it would hide the name the fix is about.
		forms = token.MaskForms(raw)
		if insp.Token != raw {
			forms = append(forms, token.MaskForms(insp.Token)...)
		}
	}
	fe.Mask(forms)
	if len(insp.Token) >= token.MinLength {
		// A shorter value is not a token: it is refused offline, never sent
		// and never quoted, and looking for it would turn the report's own
		// words (true, a finding code) into asterisks.
		sc.Set(forms)
	}
	w.logTo(errw)

	r, path := pipeline(ctx, fe, opts, insp, w)
	return deliver(fe, r, path, sc, errw, token.Redact(insp.Token))
}

// deliver writes the report: its file first (so that the outputs can say
// when it could not be written), then everything the front-end shows, all
// through the scrubber. It returns the exit code.
func deliver(fe frontend.Frontend, r report.Report, path string, sc *scrub.Scrubber, errw io.Writer, redacted string) int {
	var file func(report.Report) []finding.Finding
	if path != "" {
		// The job asked for the file, and must not pass without it.
		file = func(r report.Report) []finding.Finding {
			err := writeReport(path, []byte(sc.String(string(r.JSON()))))
			if err == nil {
				return nil
			}
			fmt.Fprintf(errw, "pat-check: could not write the report to %s: %v\n", path, err)
			return scrub.Value(sc, guide.Apply([]finding.Finding{{
				Code: finding.ReportUnwritten, Severity: finding.Error,
				Message: fmt.Sprintf("the report could not be written to %s: %s", finding.Quote(path), reportError(err)),
			}}, guide.Context{Frontend: fe.Kind(), Option: fe.OptionName}))
		}
	}
	r = settle(scrub.Value(sc, r), file)
	if err := fe.Emit(r, redacted); err != nil {
		fmt.Fprintf(errw, "pat-check: writing the report: %v\n", err)
	}
	return r.ExitCode()
}

// settle decides r's result from its findings: the one place a result is
// decided, for one token, for each token of several and for the run. When
// file is given it writes the decided report there; the findings it
// returns (the file could not be written) join the report, which is then
// settled again without a file. A written file thus holds the result the
// run emits.
func settle(r report.Report, file func(report.Report) []finding.Finding) report.Report {
	r.Decide()
	if file == nil {
		return r
	}
	if fs := file(r); len(fs) > 0 {
		r.Findings = append(r.Findings, fs...)
		return settle(r, nil)
	}
	return r
}

// writeReport writes data to path atomically: to a new temporary file in
// the same directory, then renamed over path. Whatever is at path (a
// symlink planted there, an older report) is replaced, never followed or
// written into, and a reader never sees half a report.
func writeReport(path string, data []byte) (err error) {
	if st, err := os.Lstat(path); err == nil && st.IsDir() {
		// Renaming a file over a directory fails with "file exists".
		return &os.PathError{Op: "write", Path: path, Err: errReportIsDir}
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".pat-check-report-*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// errReportIsDir says that report-path names a directory.
var errReportIsDir = errors.New("it is a directory: name a file in it")

// reportError says why a write failed without the paths the error repeats.
func reportError(err error) string {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err.Error()
	case errors.As(err, &le):
		return le.Err.Error()
	}
	return err.Error()
}

// Providers are the platforms pat-check checks tokens of, in the order
// provider auto tries them.
func Providers() []provider.Provider {
	return []provider.Provider{github.Provider{Version: Version()}, azdo.Provider{Version: Version()}}
}

// providerFor is the provider of platform p (the first when none is).
func providerFor(p check.Platform) provider.Provider {
	all := Providers()
	if i := slices.IndexFunc(all, func(q provider.Provider) bool { return q.ID() == p }); i >= 0 {
		return all[i]
	}
	return all[0]
}

// tokenVariables are the variables the command line reads each provider's
// token from, in the providers' order (which auto follows).
func tokenVariables(all []provider.Provider) []frontend.TokenVariables {
	out := make([]frontend.TokenVariables, 0, len(all))
	for _, p := range all {
		out = append(out, frontend.TokenVariables{Provider: string(p.ID()), Names: p.TokenVariables()})
	}
	return out
}

// pipeline is the run from options to report, for one token, with its
// findings; deliver decides its result (settle). It also returns
// report-path as config.Parse validated it (trimmed; refused when it looks
// like a token), which is set whatever else is wrong with the options, so
// that a config problem still leaves a report for the job.
func pipeline(ctx context.Context, fe frontend.Frontend, opts map[string]string, insp token.Inspection, w World) (report.Report, string) {
	env, job := fe.Env(), fe.Job()
	given := func(option string) bool { return strings.TrimSpace(opts[option]) != "" }
	cfg, problems := config.Parse(opts, env, ghplatform.ParsePermission)
	inferred, inferProblems := infer(ctx, cfg, given, env, job, insp.Kind)
	problems = append(problems, inferred.set(&cfg.Requirements)...)
	// Every message names options as this front-end spells them.
	cfg.Requirements.Names = fe.OptionName
	parsed, parseProblems := cfg, slices.Clone(problems)
	set, ps := provider.Setup(Providers(), cfg, env, fe.Kind(), insp.Kind)
	problems = append(problems, ps...)
	problems = append(problems, inferProblems...)
	cfg, prov, run := set.Config, set.Provider, set.Run
	if len(problems) > 0 && len(insp.Problems) > 0 && insp.Kind == token.Unknown {
		problems = providerNeutral(parsed, env, fe.Kind(), parseProblems, problems)
	}
	if insp.Kind == token.Unknown && len(insp.Problems) == 0 {
		// A platform may have had more token formats than pat-check
		// recognises (Azure DevOps has): the provider says what this one is.
		insp.Kind = prov.UnrecognisedKind()
	}
	r := report.Report{Version: Version(), TokenType: string(insp.Kind), Provider: string(prov.ID())}
	ev := fe.Event()
	guidance := guide.Context{
		Rules:           run.Guide(),
		Frontend:        fe.Kind(),
		ServerURL:       cfg.ServerURL,
		Kind:            insp.Kind,
		Repository:      cfg.Repository,
		TokenName:       cfg.TokenName,
		Secret:          cfg.Secret,
		Required:        cfg.Requirements,
		EventName:       ev.Name,
		ForkPullRequest: ev.ForkPullRequest,
		Actor:           ev.Actor,
		Pipeline:        ev.Pipeline,
		Project:         cfg.Project,
		Option:          fe.OptionName,
	}
	if inferred != nil {
		// What uses the token, to name a new one after when nothing else
		// says what it is for.
		file := guide.OrDefault(inferred.in.File, cfg.Workflow)
		if file != "" {
			guidance.Workflow = path.Base(filepath.ToSlash(file))
		}
		guidance.Job = guide.OrDefault(inferred.in.Job, job.Name)
	}
	if cfg.ScanDir != "" {
		if err := workspace.CheckDir(cfg.ScanDir); err != nil {
			problems = append(problems, config.Problem{Option: "scan-workspace", Message: err.Error()})
		}
	}
	if len(problems) > 0 {
		var fs []finding.Finding
		for _, p := range boundProblems(problems) {
			fs = append(fs, finding.Finding{
				Code: finding.ConfigInvalid, Severity: finding.Error,
				Message: fmt.Sprintf("%s: %s", fe.OptionName(p.Option), p.Message),
			})
		}
		r.Findings = guide.Apply(fs, guidance)
		return r, cfg.ReportPath
	}

	// The workspace is searched while the API answers: it needs only the
	// value, and a well-formed one (an empty or damaged value is not the
	// token anyone could have committed).
	var scan *check.WorkspaceScan
	scanned := make(chan struct{})
	if cfg.ScanDir != "" && len(insp.Problems) == 0 && insp.Token != "" {
		go func() {
			defer close(scanned)
			// Within the run's timeout, as the requests are.
			budget := workspace.Budget{Bytes: workspace.DefaultBudget.Bytes, Time: min(workspace.DefaultBudget.Time, cfg.Timeout)}
			s := workspace.Scan(ctx, cfg.ScanDir, token.MaskForms(insp.Token), budget)
			scan = &s
		}()
	} else {
		close(scanned)
	}
	facts := check.Facts{Kind: insp.Kind}
	if !check.Blocked(cfg.Requirements, insp) {
		gatherCtx, cancel := context.WithTimeout(ctx, cfg.Timeout)
		// Every string the server answers passes through the token's
		// scrubber before anything reads it: a server that sends the token
		// (or a piece of it) back gets a placeholder quoted, never the piece.
		topts := transport.Options{Base: w.Transport, Now: w.Now, Sleep: w.Sleep, PerRequest: min(10*time.Second, cfg.Timeout),
			Withhold: scrub.New(token.MaskForms(insp.Token)).Withhold, Names: fe.OptionName}
		facts = run.Gather(gatherCtx, insp.Token, insp.Kind, cfg.Requirements, topts)
		cancel()
	}
	<-scanned
	facts.Workspace = scan
	if ctx.Err() != nil {
		// Stopped by SIGTERM or SIGINT (Main's context), not by timeout (the
		// gathering's own): whatever the requests answered is not a verdict.
		r.Findings = guide.Apply([]finding.Finding{{Code: finding.Cancelled, Severity: finding.Error,
			Message: "the run was cancelled (SIGTERM or SIGINT) before the checks finished"}}, guidance)
		r.Checks = []finding.Check{{Name: "Checks", State: finding.Unknown, Detail: "cancelled"}}
		return r, cfg.ReportPath
	}
	o := check.Evaluate(prov.Issuer(), cfg.Requirements, insp, facts, w.Now())

	guidance.Login = facts.Login
	guidance.GrantedScopes = facts.Scopes
	guidance.ExtraPermissions = extraPermissions(o.Findings)
	r.Findings = guide.Apply(o.Findings, guidance)
	r.Checks = o.Checks
	r.Permissions = o.Permissions
	r.Valid = facts.Accepted
	r.Login = facts.Login
	r.Scopes = facts.Scopes
	r.Missing = o.Missing
	r.Excess = o.Excess
	r.ExpiresAt = o.ExpiresAt
	r.DaysLeft = o.DaysLeft
	if o.ExpirySource != "" {
		src := o.ExpirySource
		r.ExpirySource = &src
	}
	for _, s := range o.Inferred {
		r.Inferred = append(r.Inferred, report.Inferred{Requirement: s.Required.String(), File: s.File, Line: s.Line, Step: s.Step, Rule: s.Rule})
	}
	return r, cfg.ReportPath
}

// extraPermissions are the permissions found beyond the required ones,
// which a replacement token keeps.
func extraPermissions(fs []finding.Finding) []check.Permission {
	var out []check.Permission
	for _, f := range fs {
		if f.Code != finding.PermissionExcess {
			continue
		}
		for _, e := range f.About.Excess {
			if p, err := ghplatform.ParsePermission(e); err == nil {
				out = append(out, p)
			}
		}
	}
	return out
}

// maxProblemsPerOption bounds what one option's invalid values can print:
// a list of thousands of mistyped entries gets a few, and a count.
const maxProblemsPerOption = 5

// boundProblems keeps the first maxProblemsPerOption problems of each
// option and says how many more there were.
func boundProblems(problems []config.Problem) []config.Problem {
	count := map[string]int{}
	var out []config.Problem
	for _, p := range problems {
		count[p.Option]++
		if count[p.Option] <= maxProblemsPerOption {
			out = append(out, p)
		}
	}
	for i := range out {
		o := out[i].Option
		if n := count[o]; n > maxProblemsPerOption {
			out = slices.Insert(out, lastOf(out, o)+1, config.Problem{Option: o, Message: fmt.Sprintf("and %d more values like these", n-maxProblemsPerOption)})
			count[o] = 0
		}
	}
	return out
}

func lastOf(ps []config.Problem, option string) int {
	last := -1
	for i, p := range ps {
		if p.Option == option {
			last = i
		}
	}
	return last
}

// providerNeutral keeps the option problems that hold whichever platform
// issued the token. When the token is empty or unexpanded its format cannot
// tell the provider, and a guess (Azure DevOps under Azure Pipelines) must
// not blame the options for what is really a missing secret. cfg is the
// parsed options before any provider read them, and parsed their problems.
func providerNeutral(cfg config.Config, env config.Env, on frontend.Kind, parsed, problems []config.Problem) []config.Problem {
	var alt []config.Problem
	for i, p := range Providers() {
		c := cfg
		c.Provider = string(p.ID())
		c.Requirements = cloneRequirements(cfg.Requirements)
		_, ps := provider.Setup(Providers(), c, env, on, token.Unknown)
		if ps = append(slices.Clone(parsed), ps...); i == 0 || len(ps) < len(alt) {
			alt = ps
		}
	}
	var kept []config.Problem
	for _, p := range problems {
		for _, a := range alt {
			if a.Option == p.Option && a.Option != "provider" {
				kept = append(kept, p)
				break
			}
		}
	}
	return kept
}

// cloneRequirements copies the lists a provider may rewrite while it checks
// its own options, so that trying one provider leaves them for the next.
func cloneRequirements(r check.Requirements) check.Requirements {
	r.Scopes = slices.Clone(r.Scopes)
	r.Permissions = slices.Clone(r.Permissions)
	r.Repositories = slices.Clone(r.Repositories)
	r.Organizations = slices.Clone(r.Organizations)
	r.TokenTypes = slices.Clone(r.TokenTypes)
	return r
}
