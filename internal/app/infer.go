package app

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/needs"
	"github.com/pat-check/pat-check/internal/provider"
	"github.com/pat-check/pat-check/internal/token"
)

// inference is what infer found and what of it became requirements.
type inference struct {
	in needs.Inferred
	// scopes, or permissions and the repositories they are needed on, are
	// the requirements set.
	scopes       []string
	permissions  []check.Permission
	repositories []string
	// none, when set, is why nothing could be read: the one notice infer
	// leaves.
	none string
}

// infer reads the scopes or permissions (and the repositories other than
// the workflow's own) from the workflow or pipeline, when cfg.Infer is on
// and the options gave neither scopes nor permissions (given says which
// options were given, valid or not): an explicit list always wins. A token with
// scopes (classic, OAuth, Azure DevOps) gets scopes; any other GitHub token
// gets fine-grained permissions. In a CI job the front-end's job says where
// the file is and which step runs pat-check; on the command line the
// options name the file and the token. The inference is nil when nothing
// was read; set puts it into the requirements.
func infer(ctx context.Context, cfg config.Config, given func(option string) bool, env config.Env, job frontend.Job, kind token.Kind) (*inference, []config.Problem) {
	if !cfg.Infer || given("scopes") || given("permissions") {
		return nil, nil
	}
	fail := func(option, msg string) (*inference, []config.Problem) {
		return nil, []config.Problem{{Option: option, Message: msg}}
	}
	dir, rel, option := ".", cfg.Workflow, "workflow"
	if job.CI {
		option = job.Option
		switch {
		case job.Nothing != "":
			// Not an error: the job runs, checked for what was given.
			return &inference{none: job.Nothing}, nil
		case job.NoFile != "":
			return fail(option, job.NoFile)
		case job.File != "":
			rel = job.File
		}
		if dir = job.Dir; dir == "" {
			return fail(option, job.NoDir)
		}
		if err := insideCheckout(dir, rel); errors.Is(err, errOutside) {
			return fail(option, fmt.Sprintf("the file %s is outside %s (%s): name a file of the checkout, or give scopes or permissions", finding.Clip(rel, 40), job.DirVariable, dir))
		}
	} else if !cfg.WorkflowGiven {
		return fail("infer", "needs --workflow FILE (the workflow or pipeline to read) and, when the file uses several tokens, --secret NAME")
	}
	a, err := loadInferFile(ctx, cfg.Timeout, dir, rel)
	if err != nil {
		var missing *needs.InputError
		switch {
		case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return fail(option, fmt.Sprintf("reading %s was stopped (timeout or cancel) before it finished: give scopes or permissions", rel))
		case errors.As(err, &missing) && job.CI:
			return fail(option, fmt.Sprintf("the %s %s is not in %s (%s): %s", job.FileNoun, rel, job.DirVariable, dir, job.CheckOut))
		}
		return fail(option, err.Error())
	}
	var in needs.Inferred
	switch {
	case job.CI:
		in, err = needs.InferStep(a, job.Name, job.Step)
	case cfg.Secret != "":
		in, err = needs.InferSecret(a, cfg.Secret)
		option = "secret"
	case len(a.Self) > 0:
		in, err = needs.InferStep(a, "", "")
	default:
		toks := a.Tokens()
		var names []string
		for _, t := range toks {
			if !slices.Contains(names, t.Name) {
				names = append(names, t.Name)
			}
		}
		switch len(names) {
		case 0:
			err = fmt.Errorf("no step of %s uses a token pat-check recognises: give scopes or permissions", rel)
		case 1:
			in, err = needs.InferSecret(a, names[0])
		default:
			option = "secret"
			err = fmt.Errorf("%s uses several tokens (%s): name one with --secret", rel, strings.Join(names, ", "))
		}
	}
	if err != nil {
		return fail(option, err.Error())
	}
	if mismatch := tokenForAnotherPlatform(in, kind, rel); mismatch != "" {
		return fail(option, mismatch)
	}

	inf := &inference{in: in}
	basis := providerFor(in.Platform).Inferred(kind)
	switch {
	case basis.Scopes:
		for _, s := range in.Scopes {
			if s = strings.ToLower(s); !slices.Contains(inf.scopes, s) {
				inf.scopes = append(inf.scopes, s)
			}
		}
		// A classic token must reach the repositories the steps work on
		// too, through their organizations' SAML SSO and policies: the
		// scopes alone do not say it can.
		if basis.Repositories && !given("repositories") && len(inf.scopes) > 0 {
			inf.repositories = reached(in, env.Repository)
		}
	default:
		for _, p := range in.Permissions {
			if i := slices.IndexFunc(inf.permissions, func(q check.Permission) bool { return q.Name == p.Name }); i >= 0 {
				inf.permissions[i].Level = max(inf.permissions[i].Level, p.Level)
				continue
			}
			inf.permissions = append(inf.permissions, p)
		}
		if !given("repositories") && len(inf.permissions) > 0 {
			inf.repositories = targets(in, env.Repository)
			if len(inf.repositories) == 0 && env.RepositoryDefault && env.Repository != "" {
				// As for permissions given as an option: the workflow's own.
				inf.repositories = []string{env.Repository}
			}
		}
	}
	return inf, nil
}

// tokenForAnotherPlatform says why the inference cannot apply when the
// steps need a token of one platform and the token's format says another
// issued it (a GitHub token passed where the steps call az repos): the
// inferred scopes are not the user's to fix as an option. "" when the
// platforms agree, or the format names none.
func tokenForAnotherPlatform(in needs.Inferred, kind token.Kind, file string) string {
	all := Providers()
	i := slices.IndexFunc(all, func(p provider.Provider) bool { return p.Issues(kind) })
	if i < 0 || len(in.Uses) == 0 || all[i].ID() == in.Platform {
		return ""
	}
	var rules []string
	for _, u := range in.Uses {
		if !slices.Contains(rules, u.Rule) {
			rules = append(rules, u.Rule)
		}
	}
	return fmt.Sprintf("the steps of %s using %s need a token for %s (%s), but this one is shaped like a %s token: pass the secret those steps use, or give scopes or permissions",
		file, in.Token, needs.PlatformName(in.Platform), strings.Join(rules, ", "), needs.PlatformName(all[i].ID()))
}

// set puts the inferred requirements into r, with where they came from
// (for the rows and notices check adds); the problems are the inferred
// repositories that are not owner/name.
func (inf *inference) set(r *check.Requirements) []config.Problem {
	if inf == nil {
		return nil
	}
	r.Scopes = inf.scopes
	r.Permissions = inf.permissions
	r.Inferred = inf.described()
	if inf.repositories == nil {
		return nil
	}
	repos, problems := config.Repositories(inf.repositories)
	r.Repositories = repos
	return problems
}

// described is what infer read, for check: the requirements set, the
// steps that need them, and the steps whose needs are unknown.
func (inf *inference) described() *check.Inference {
	if inf.none != "" {
		return &check.Inference{None: inf.none}
	}
	in := inf.in
	d := &check.Inference{File: in.File, Job: in.Job, Token: in.Token}
	for _, s := range inf.scopes {
		d.Required = append(d.Required, check.Required{Scope: s})
	}
	for _, p := range inf.permissions {
		d.Required = append(d.Required, check.Required{Permission: p})
	}
	// The steps of the requirements kept (the minimal scopes or, for a
	// fine-grained token, the permissions at their highest level), in the
	// file's order. d.Required is the only filter: every requirement in it
	// came from in.Scopes or in.Permissions.
	step := func(q check.Required, u needs.Use) {
		if slices.Contains(d.Required, q) {
			d.Steps = append(d.Steps, check.InferredStep{Required: q, Step: u.Step, File: u.File, Line: u.Line, Rule: u.Rule})
		}
	}
	for _, u := range in.Uses {
		for _, s := range u.Need.Scopes {
			step(check.Required{Scope: s}, u)
		}
		for _, p := range u.Need.Permissions {
			step(check.Required{Permission: p}, u)
		}
	}
	for _, u := range in.Unknowns {
		d.Unknowns = append(d.Unknowns, check.UnknownStep{Step: u.Step, File: u.File, Line: u.Line, Why: u.Why})
	}
	return d
}

// loadInferFile reads the workflow or pipeline infer takes the
// requirements from (and the local templates a pipeline names), inside
// the run's time limit: a FIFO, a device or a file that takes too long to
// read ends in an error, never a hang. A file that cannot be parsed is an
// error too.
func loadInferFile(ctx context.Context, limit time.Duration, dir, rel string) (needs.Analysis, error) {
	if limit <= 0 {
		limit = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	type loaded struct {
		a   needs.Analysis
		err error
	}
	done := make(chan loaded, 1)
	go func() {
		a, _, err := needs.Load(ctx, dir, []string{rel})
		done <- loaded{a, err}
	}()
	select {
	case l := <-done:
		if l.err != nil {
			return needs.Analysis{}, l.err
		}
		for _, e := range l.a.Errors {
			if e.File == filepath.ToSlash(rel) || e.File == rel {
				return needs.Analysis{}, errors.New(e.Error()) // read, but not readable as YAML
			}
		}
		return l.a, nil
	case <-ctx.Done():
		return needs.Analysis{}, ctx.Err()
	}
}

// reached are the repositories the steps that need scopes work on: those
// they name, and the workflow's own for those that name none.
func reached(in needs.Inferred, own string) []string {
	var out []string
	for _, u := range in.Uses {
		if len(u.Need.Scopes) == 0 {
			continue
		}
		rs := u.Need.Repositories
		if len(rs) == 0 && own != "" {
			rs = []string{own}
		}
		for _, r := range rs {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// targets are the repositories the inferred permissions are needed on:
// those the steps name, and the workflow's own for the steps that name
// none. Empty when every step works on the workflow's own (the default).
func targets(in needs.Inferred, own string) []string {
	var out []string
	other := false
	for _, u := range in.Uses {
		if len(u.Need.Permissions) == 0 {
			continue
		}
		if len(u.Need.Repositories) == 0 {
			if own != "" && !slices.Contains(out, own) {
				out = append(out, own)
			}
			continue
		}
		for _, r := range u.Need.Repositories {
			if !slices.Contains(out, r) {
				out = append(out, r)
				other = true
			}
		}
	}
	if !other {
		return nil
	}
	return out
}
