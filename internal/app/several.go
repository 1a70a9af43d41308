package app

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/fleet"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/needs"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/scrub"
	"github.com/pat-check/pat-check/internal/token"
)

// perToken are the options that say what one token needs: with tokens,
// each token's come from the workflows that use its name, so they are not
// given.
var perToken = []string{"scopes", "permissions", "repositories", "infer", "secret", "token-name", "expires-on"}

// several reports whether the options ask for several tokens at once.
func several(opts map[string]string) bool {
	return strings.TrimSpace(opts["tokens"]) != "" || strings.TrimSpace(opts["tokens-from-env"]) != ""
}

// severalInput reads the tokens the options name, masks every
// token-shaped value at once (before anything else is written, before any
// request), and teaches the scrubber all of them.
func severalInput(fe frontend.Frontend, opts map[string]string, getenv frontend.Getenv, sc *scrub.Scrubber) ([]fleet.Entry, []config.Problem) {
	in := fe.Input()
	option := in.Several
	var entries []fleet.Entry
	var ps []fleet.Problem
	if option == "tokens-from-env" {
		entries, ps = fleet.FromEnv(opts[option], getenv)
	} else {
		entries, ps = fleet.Parse(opts[option])
	}
	// The input's text holds every value: nothing keeps it past here (the
	// entries keep the values until Classify, Drop then forgets them).
	delete(opts, option)
	given := frontend.TokenGiven(fe)
	var forms []string
	if given && in.OneInInputs {
		// Given as well, by mistake: masked all the same.
		if raw, err := fe.Token(); err == nil && !token.IsReference(raw) {
			forms = token.MaskForms(raw)
		}
	}
	forms = append(forms, fleet.MaskForms(entries)...)
	fe.Mask(forms)
	sc.Set(forms)
	var problems []config.Problem
	for _, p := range ps {
		problems = append(problems, config.Problem{Option: option, Message: p.Message})
	}
	if given {
		problems = append(problems, config.Problem{Option: option, Message: fmt.Sprintf(
			"%s and %s are both given: %s checks one token, %s several by name; give one of them",
			in.One, fe.OptionName(option), in.One, fe.OptionName(option))})
	}
	for _, o := range perToken {
		// The packagings pass an input's default when it is not given
		// (the task's pipelineFile, the Action's infer): only a value
		// someone chose is a problem.
		v := strings.TrimSpace(opts[o])
		if opt, _ := config.Lookup(o); v == "" || strings.EqualFold(v, opt.Default) {
			continue
		}
		problems = append(problems, config.Problem{Option: o, Message: fmt.Sprintf(
			"not with %s: each token's requirements come from the workflows and pipelines that use its name", fe.OptionName(option))})
	}
	return entries, problems
}

// workflows reads what the repository's workflows and pipelines need of
// each name: under the checkout (GITHUB_WORKSPACE, BUILD_SOURCESDIRECTORY),
// or the current directory on the command line; needs' default places,
// and the pipeline file the workflow option names (pipelineFile, --workflow)
// when it is not the default.
func workflows(ctx context.Context, env config.Env, file string) ([]needs.Token, error) {
	dir := env.Workspace
	if dir == "" {
		if !env.LocalDir {
			return nil, fmt.Errorf("the checkout's directory is not set (GITHUB_WORKSPACE, BUILD_SOURCESDIRECTORY)")
		}
		dir = "."
	}
	var paths []string
	if opt, _ := config.Lookup("workflow"); file != "" && file != opt.Default {
		for _, p := range needs.DefaultPaths {
			if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
				paths = append(paths, p)
			}
		}
		paths = append(paths, file)
	}
	a, _, err := needs.Load(ctx, dir, paths)
	if err != nil {
		return nil, err
	}
	return a.Tokens(), nil
}

// tokenCheck is one token to check and what its check found.
type tokenCheck struct {
	item fleet.Item
	need fleet.Need
	// parts are the options of each check the token takes: one, or one
	// per set of repositories needing different permissions.
	parts []map[string]string
	meter *fleet.Meter
	r     report.Report
	// merge are the reports of the parts, until merged into r.
	merge []report.Report
}

// runSeveral checks every token the tokens input (or --tokens-from-env)
// names, each with what the workflows need of its name, all at once
// through one request budget, and assembles one report.
func runSeveral(ctx context.Context, fe frontend.Frontend, opts map[string]string, entries []fleet.Entry, problems []config.Problem, w World) (report.Report, string) {
	env := fe.Env()
	// The shared options are judged once, before any request: a bad
	// min-days-left is not a problem of each token.
	cfg, shared := config.Parse(requirementsOf(opts, fleet.Item{}, fleet.Need{})[0], env, ghplatform.ParsePermission)
	gctx := guide.Context{Frontend: fe.Kind(), Option: fe.OptionName}
	problems = append(problems, shared...)
	if len(problems) > 0 {
		fleet.Drop(entries)
		return configInvalid(fe, problems, gctx), cfg.ReportPath
	}

	var runFindings []finding.Finding
	tokens, err := workflows(ctx, env, strings.TrimSpace(opts["workflow"]))
	readWorkflows := err == nil
	if err != nil {
		runFindings = append(runFindings, finding.Finding{Code: finding.RequirementUnknown, Severity: finding.Notice, Message: fmt.Sprintf(
			"the workflows and pipelines could not be read (%s): each token is checked for validity and expiry only; check out the repository before this step", err)})
	}
	items := fleet.Classify(entries, func(name string) bool { return fleet.NeedOf(tokens, name, env.Repository).Used })
	fleet.Drop(entries)
	entries = nil

	budget := fleet.NewBudget(w.Transport)
	orgs := len(strings.FieldsFunc(opts["organization"], func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }))
	var checks []*tokenCheck
	var skipped []report.Skipped
	for _, it := range items {
		if it.Class != fleet.Check {
			skipped = append(skipped, report.Skipped{Name: it.Name, Why: it.Why})
			continue
		}
		c := &tokenCheck{item: it, need: fleet.NeedOf(tokens, it.Name, env.Repository), meter: budget.For()}
		c.parts = requirementsOf(opts, it, c.need)
		budget.Plan(fleet.Estimate(len(c.need.Permissions), len(c.need.Repositories), orgs) + len(c.parts) - 1)
		checks = append(checks, c)
	}

	var wg sync.WaitGroup
	for _, c := range checks {
		if strings.TrimSpace(c.item.Value) == "" {
			c.r = emptyValue(fe.Kind(), c.item.Name)
			continue
		}
		rs := make([]report.Report, len(c.parts))
		for i, o := range c.parts {
			wg.Go(func() {
				cw := w
				cw.Transport = c.meter
				rs[i], _ = pipeline(ctx, fe, o, token.Inspect(c.item.Value), cw)
			})
		}
		c.merge = rs
	}
	wg.Wait()
	for _, c := range checks {
		if c.merge != nil {
			c.r = merged(c.merge)
		}
	}

	// A token the options cannot check (an Azure DevOps token with no
	// organization) keeps its row, with its config-invalid finding: the
	// run exits 2, and the other tokens are reported all the same.
	var rows []report.TokenReport
	for _, c := range checks {
		c.item.Value = ""
		if !slices.ContainsFunc(c.r.Findings, func(f finding.Finding) bool { return f.Code == finding.ConfigInvalid }) {
			c.annotate(readWorkflows)
		}
		c.r = settle(c.r, nil) // each token's result, once
		rows = append(rows, report.NewTokenReport(c.item.Name, c.r, c.need.UsedBy))
	}
	if rows == nil {
		rows = []report.TokenReport{}
	}
	return report.Several(Version(), rows, skipped, runFindings), cfg.ReportPath
}

// emptyValue is the report of a name the input gives no value: the
// secret or variable is unset, or this run cannot see it. The fix names
// it, where a lone token's fix names the front-end's own token option.
func emptyValue(on frontend.Kind, name string) report.Report {
	fix := guide.Context{Frontend: on}.FixUnsetName(name)
	r := report.Report{Version: Version(), TokenType: string(token.Unknown), Findings: []finding.Finding{{
		Code: finding.TokenMissing, Severity: finding.Error, Message: name + " is empty: it is not set, or not visible to this run",
		Fix: fix, Steps: finding.SplitSteps(fix)}}}
	return r
}

// requirementsOf are the options of one token's check: the shared ones,
// and the requirements the workflows have of its name. A token with scopes
// (classic, OAuth, Azure DevOps) gets scopes, and the other repositories
// its steps reach; any other GitHub token gets fine-grained permissions on
// the repositories they are needed on.
func requirementsOf(shared map[string]string, it fleet.Item, n fleet.Need) []map[string]string {
	o := maps.Clone(shared)
	for _, k := range append([]string{"tokens", "tokens-from-env"}, perToken...) {
		delete(o, k)
	}
	// The fixes say to store the new value in this secret or variable.
	o["secret"] = it.Name
	if it.Kind != token.AzureDevOps && it.Kind != token.Unknown {
		// Names the replacement in GitHub's creation links. An Azure DevOps
		// token is looked up in its user's token list by its display name,
		// which the secret's name is not: there the scopes find it.
		o["token-name"] = it.Name
	}
	if !n.Used {
		return []map[string]string{o}
	}
	switch basis := providerFor(n.Platform).Inferred(it.Kind); {
	case basis.Scopes:
		o["scopes"] = strings.Join(n.Scopes, ",")
		if basis.Repositories {
			o["repositories"] = strings.Join(n.Repositories, ",")
		}
	case len(n.Targets) > 1:
		// Each permission only where a step needs it: a token limited to
		// what each repository's steps do must not fail for the others'.
		var parts []map[string]string
		for _, t := range n.Targets {
			p := maps.Clone(o)
			p["permissions"] = permissionList(t.Permissions)
			p["repositories"] = strings.Join(t.Repositories, ",")
			parts = append(parts, p)
		}
		return parts
	default:
		o["permissions"] = permissionList(n.Permissions)
		o["repositories"] = strings.Join(n.Repositories, ",")
	}
	return []map[string]string{o}
}

func permissionList(ps []check.Permission) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return strings.Join(out, ",")
}

// merged is one token's report from the checks of its parts (not yet
// decided): the token's own facts once, every part's findings, rows and
// missing access.
func merged(rs []report.Report) report.Report {
	r := rs[0]
	for _, o := range rs[1:] {
		for _, f := range o.Findings {
			if !slices.ContainsFunc(r.Findings, func(g finding.Finding) bool { return g.Code == f.Code && g.Message == f.Message }) {
				r.Findings = append(r.Findings, f)
			}
		}
		for _, c := range o.Checks {
			if !slices.Contains(r.Checks, c) {
				r.Checks = append(r.Checks, c)
			}
		}
		r.Permissions = append(r.Permissions, o.Permissions...)
		for _, m := range o.Missing {
			if !slices.Contains(r.Missing, m) {
				r.Missing = append(r.Missing, m)
			}
		}
		for _, e := range o.Excess {
			if !slices.Contains(r.Excess, e) {
				r.Excess = append(r.Excess, e)
			}
		}
	}
	return r
}

// annotate adds to a token's report what only a run over several tokens
// knows: that no workflow uses it, the steps whose needs are unknown, and
// that the rate-limit floor held back some of its requests.
func (c *tokenCheck) annotate(readWorkflows bool) {
	name := c.item.Name
	if held, remaining, still := c.meter.Held(); held > 0 {
		for i, f := range c.r.Findings {
			if f.Code == finding.RateLimited {
				c.r.Findings[i].Message = fmt.Sprintf(
					"%d of the requests that check %s were not sent: its account had %d requests left this hour, below the floor of %d × the %d the run still had to send, and the jobs that use the token need them; run the check again after the limit resets",
					held, name, remaining, fleet.FloorFactor, still)
			}
		}
	}
	switch {
	case readWorkflows && !c.need.Used && c.r.Valid && !strings.EqualFold(name, fleet.GitHubToken):
		c.r.Findings = append(c.r.Findings, finding.Finding{Code: finding.TokenUnused, Severity: finding.Notice, Message: fmt.Sprintf(
			"no workflow uses %s: revoke it if nothing else does (it was checked for validity and expiry only)", name)})
	case len(c.need.Unknown) > 0:
		c.r.Findings = append(c.r.Findings, finding.Finding{Code: finding.RequirementUnknown, Severity: finding.Notice, Message: fmt.Sprintf(
			"the needs of %d step(s) using %s cannot be known from the files, so they are not required: %s", len(c.need.Unknown), name, strings.Join(c.need.Unknown, "; "))})
	}
}

// configInvalid is the report of invalid options (exit 2 once decided).
func configInvalid(fe frontend.Frontend, problems []config.Problem, gctx guide.Context) report.Report {
	var fs []finding.Finding
	for _, p := range boundProblems(problems) {
		fs = append(fs, finding.Finding{Code: finding.ConfigInvalid, Severity: finding.Error,
			Message: fmt.Sprintf("%s: %s", fe.OptionName(p.Option), p.Message)})
	}
	return report.Report{Version: Version(), Findings: guide.Apply(fs, gctx)}
}
