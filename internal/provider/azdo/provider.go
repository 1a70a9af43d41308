package azdo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/provider"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

// Provider is Azure DevOps as a provider.Provider.
type Provider struct {
	// Version is pat-check's, sent in the User-Agent.
	Version string
}

// ID names Azure DevOps in the provider option.
func (Provider) ID() check.Platform { return azplatform.Platform }

// TokenVariables are the Azure DevOps CLI extension's:
// https://learn.microsoft.com/en-us/azure/devops/cli/log-in-via-pat
func (Provider) TokenVariables() []string { return []string{"AZURE_DEVOPS_EXT_PAT"} }

// Inferred: Azure DevOps tokens carry scopes, and the provider reaches no
// repository by name.
func (Provider) Inferred(token.Kind) provider.Basis { return provider.Basis{Scopes: true} }

// Issues reports whether Azure DevOps issues tokens of kind k.
func (Provider) Issues(k token.Kind) bool { return k == token.AzureDevOps }

// UnrecognisedKind: Azure DevOps has had more PAT formats than pat-check
// recognises; once the provider is chosen, a well-formed token is taken for
// an Azure DevOps token.
func (Provider) UnrecognisedKind() token.Kind { return token.AzureDevOps }

// DefaultOn: under Azure Pipelines a token whose format says nothing is
// taken for an Azure DevOps token.
func (Provider) DefaultOn(on frontend.Kind) bool { return on == frontend.AzurePipelines }

// Configure checks Azure DevOps scopes, reads the organization (falling back
// on the pipeline's own collection), and refuses GitHub-only options.
func (p Provider) Configure(cfg *config.Config, env config.Env) (provider.Run, []config.Problem) {
	var problems []config.Problem
	fail := func(opt, msg string) { problems = append(problems, config.Problem{Option: opt, Message: msg}) }
	r := &cfg.Requirements
	var scopes []string
	for _, s := range r.Scopes {
		fam, _, _ := strings.Cut(strings.TrimPrefix(s, "vso."), "_")
		known := azplatform.FamilyScopes(fam)
		switch {
		case slices.Contains(azplatform.KnownScopes(), s):
			scopes = append(scopes, s)
		case len(known) > 0:
			fail("scopes", fmt.Sprintf("%s is not an Azure DevOps scope: the %s scopes are %s", finding.Quote(s), fam, strings.Join(known, ", ")))
		case strings.HasPrefix(s, "vso.") && finding.Suggest(s, azplatform.KnownScopes()) == "":
			// A scope of an area pat-check does not know: kept, unverified.
			scopes = append(scopes, s)
		default:
			fail("scopes", fmt.Sprintf("%s is not an Azure DevOps scope%s (scopes look like vso.code_write)", finding.Quote(s), finding.Suggest(s, azplatform.KnownScopes())))
		}
	}
	r.Scopes = scopes
	if cfg.Organization == "" {
		cfg.Organization = env.CollectionURI
	}
	var org azplatform.Org
	if cfg.Organization == "" {
		fail("organization", "an Azure DevOps token needs its organization: a name (contoso) or URL (https://dev.azure.com/contoso, or a server collection URL)")
	} else if o, err := azplatform.ParseOrganization(cfg.Organization); err != nil {
		fail("organization", err.Error())
	} else {
		org = o
	}
	if len(r.Permissions) > 0 {
		fail("permissions", "fine-grained permissions belong to GitHub tokens; for an Azure DevOps token list "+r.Names.Opt("scopes")+" (vso.code_write, …)")
	}
	if len(r.Repositories) > 0 {
		fail("repositories", "repositories are checked for GitHub tokens only; for an Azure DevOps token give "+r.Names.Opt("scopes")+" and "+r.Names.Opt("project"))
	}
	return run{org: org, project: cfg.Project, tokenName: cfg.TokenName, version: p.Version}, problems
}

// run is Azure DevOps set up for one run.
type run struct {
	org                azplatform.Org
	project, tokenName string
	version            string
}

// Gather asks the organization's hosts.
func (r run) Gather(ctx context.Context, tok string, kind token.Kind, req check.Requirements, o transport.Options) check.Facts {
	f := New(r.org, tok, r.version, o).Facts(ctx, Query{Scopes: req.Scopes, Project: r.project, TokenName: r.tokenName})
	f.Kind = kind
	return f
}

// Guide is Azure DevOps' own guidance.
func (r run) Guide() guide.Rules { return azplatform.Guide{Org: r.org, Project: r.project} }

// Issuer is the platform's knowledge the rules ask.
func (Provider) Issuer() check.Issuer { return azplatform.Issuer{} }
