// Package provider is the seam between the pipeline and the platforms that
// issue tokens. Each platform (GitHub in provider/github, Azure DevOps in
// provider/azdo) implements Provider: which tokens it issues, what its own
// options mean, how to ask its API, and its own guidance. The pipeline
// (package app) picks one per run and knows no platform by name.
package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

// Provider is one platform that issues tokens.
type Provider interface {
	// ID is the platform, whose value is the provider option's value that
	// names it (defined by the platform's package under internal/platform).
	ID() check.Platform
	// Issues reports whether the platform issues tokens of kind k.
	Issues(k token.Kind) bool
	// UnrecognisedKind is what a well-formed token of unrecognised format
	// is taken for when this provider was chosen: Unknown, or the
	// platform's kind where it has had more formats than pat-check knows.
	UnrecognisedKind() token.Kind
	// DefaultOn reports whether provider auto picks the platform when the
	// token's format says nothing and the job runs on the given front-end.
	DefaultOn(on frontend.Kind) bool
	// Configure checks what the platform's own options mean in cfg (its
	// scopes, its organizations or organization URL, what permissions
	// need) and returns the run set up for them. It may complete cfg's
	// requirements (a list of organizations parsed from the option).
	Configure(cfg *config.Config, env config.Env) (Run, []config.Problem)
	// TokenVariables are the environment variables the command line reads
	// the platform's token from after PAT_CHECK_TOKEN, in order: those of
	// the platform's own tools.
	TokenVariables() []string
	// Issuer is the platform's knowledge the rules ask (its package under
	// internal/platform): its catalogue, its verdicts, its words.
	Issuer() check.Issuer
	// Inferred says how what the steps need becomes requirements for a
	// token of kind k (pat-check --infer, and each token of tokens): as
	// scopes or as fine-grained permissions, and whether the repositories
	// the steps name are checked too when scopes are.
	Inferred(k token.Kind) Basis
}

// Basis is how inferred needs become a token's requirements.
type Basis struct {
	// Scopes: the token is checked for scopes; else for permissions.
	Scopes bool
	// Repositories: with scopes, the token must also reach the
	// repositories the steps name (GitHub: an organization's SAML SSO and
	// policies stand between a classic token and its repositories).
	Repositories bool
}

// Run is a provider set up for one run's options.
type Run interface {
	// Gather asks the platform's API about the token, within ctx, and
	// reports what it answered: facts, never verdicts.
	Gather(ctx context.Context, tok string, kind token.Kind, req check.Requirements, o transport.Options) check.Facts
	// Guide is the platform's guidance (its platform package's Rules), set
	// up for the run's options.
	Guide() guide.Rules
}

// Resolve settles the provider option: a provider named by its ID, or for
// auto the provider that issues the token's kind, else the one that is the
// default on the front-end, else the first. A provider named explicitly
// must not be given another platform's token: sending it there would hand
// it to a company that never issued it.
func Resolve(all []Provider, option string, kind token.Kind, on frontend.Kind, names finding.Namer) (Provider, []config.Problem) {
	byKind := slices.IndexFunc(all, func(p Provider) bool { return p.Issues(kind) })
	if option != "" && option != "auto" {
		i := slices.IndexFunc(all, func(p Provider) bool { return string(p.ID()) == option })
		if i < 0 {
			return all[0], []config.Problem{{Option: "provider", Message: fmt.Sprintf("%s names no provider", finding.Quote(option))}}
		}
		if byKind >= 0 && byKind != i {
			kp := string(all[byKind].ID())
			return all[i], []config.Problem{{Option: "provider", Message: fmt.Sprintf(
				"the token is shaped like a %s token, but %s is %s: set %s (or auto), or check that the right secret is passed", kp, names.Opt("provider"), option, names.Setting("provider", kp))}}
		}
		return all[i], nil
	}
	if byKind >= 0 {
		return all[byKind], nil
	}
	if i := slices.IndexFunc(all, func(p Provider) bool { return p.DefaultOn(on) }); i >= 0 {
		return all[i], nil
	}
	return all[0], nil
}

// Setting is one run's configuration: the options parsed, the provider
// they resolve to, and the provider set up for them.
type Setting struct {
	Config   config.Config
	Provider Provider
	Run      Run
}

// Setup resolves the provider of the parsed options cfg for a token of the
// given kind on the front-end on, and lets the provider check its own
// options. The problems are the provider option's, then the provider's own
// options', in that order.
func Setup(all []Provider, cfg config.Config, env config.Env, on frontend.Kind, kind token.Kind) (Setting, []config.Problem) {
	var s Setting
	prov, problems := Resolve(all, cfg.Provider, kind, on, cfg.Requirements.Names)
	run, ps := prov.Configure(&cfg, env)
	s.Config, s.Provider, s.Run = cfg, prov, run
	return s, append(problems, ps...)
}
