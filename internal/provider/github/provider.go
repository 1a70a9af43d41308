package github

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/provider"
	"github.com/pat-check/pat-check/internal/token"
	"github.com/pat-check/pat-check/internal/transport"
)

// Provider is GitHub as a provider.Provider.
type Provider struct {
	// Version is pat-check's, sent in the User-Agent.
	Version string
}

// ID names GitHub in the provider option.
func (Provider) ID() check.Platform { return ghplatform.Platform }

// TokenVariables are the GitHub CLI's: https://cli.github.com/manual/gh_help_environment
func (Provider) TokenVariables() []string { return []string{"GH_TOKEN", "GITHUB_TOKEN"} }

// Issues reports whether GitHub issues tokens of kind k.
func (Provider) Issues(k token.Kind) bool {
	switch k {
	case token.Classic, token.FineGrained, token.OAuth, token.AppUser, token.AppInstallation, token.Refresh:
		return true
	}
	return false
}

// Inferred: classic and OAuth tokens carry scopes, and must reach the
// repositories the steps name; any other GitHub token (fine-grained, a
// GitHub App's) is checked for permissions, repository by repository.
func (Provider) Inferred(k token.Kind) provider.Basis {
	if k == token.Classic || k == token.OAuth {
		return provider.Basis{Scopes: true, Repositories: true}
	}
	return provider.Basis{}
}

// UnrecognisedKind: GitHub's tokens are told apart by their prefixes, so an
// unrecognised format stays unknown.
func (Provider) UnrecognisedKind() token.Kind { return token.Unknown }

// DefaultOn: GitHub is the default wherever the token's format says nothing
// and no other platform claims the front-end.
func (Provider) DefaultOn(frontend.Kind) bool { return false }

var orgName = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$`)

// Configure checks GitHub's scopes, reads organization as a list of
// organization logins, and insists that every required permission has a
// target to be checked on.
func (p Provider) Configure(cfg *config.Config, _ config.Env) (provider.Run, []config.Problem) {
	var problems []config.Problem
	fail := func(opt, msg string) { problems = append(problems, config.Problem{Option: opt, Message: msg}) }
	r := &cfg.Requirements
	var scopes []string
	for _, s := range r.Scopes {
		switch {
		case ghplatform.IsKnownScope(s):
			scopes = append(scopes, s)
		case strings.HasPrefix(s, "vso."):
			fail("scopes", fmt.Sprintf("%s is an Azure DevOps scope, but the token is checked as a GitHub token: set %s", finding.Quote(s), r.Names.Setting("provider", "azure-devops")))
		case !scopeName.MatchString(s):
			fail("scopes", fmt.Sprintf("%s is not a GitHub scope: scopes are at most 50 lower-case letters, digits, _ and : (repo, read:org)%s", finding.Quote(s), finding.Suggest(s, ghplatform.KnownScopes())))
		case finding.Suggest(s, ghplatform.KnownScopes()) != "":
			fail("scopes", fmt.Sprintf("%s is not a GitHub scope%s", finding.Quote(s), finding.Suggest(s, ghplatform.KnownScopes())))
		default:
			// An unknown scope far from every known one may be a scope
			// GitHub added later: keep it and let the API's answer decide.
			scopes = append(scopes, s)
		}
	}
	r.Scopes = scopes
	for _, o := range config.SplitList(cfg.Organization) {
		if !orgName.MatchString(o) {
			fail("organization", fmt.Sprintf("%s is not a GitHub organization login", finding.Quote(o)))
			continue
		}
		r.Organizations = append(r.Organizations, o)
	}
	for _, perm := range r.Permissions {
		switch t, _ := ghplatform.TargetOf(perm.Name); {
		case t == check.TargetRepository && len(r.Repositories) == 0:
			fail("permissions", fmt.Sprintf("%s is a repository permission: list the repositories to check it on in %s (owner/name)", perm, r.Names.Opt("repositories")))
		case t == check.TargetOrganization && len(r.Organizations) == 0:
			fail("permissions", fmt.Sprintf("%s is an organization permission: name the organization to check it on in %s", perm, r.Names.Opt("organization")))
		}
	}
	return run{apiURL: cfg.APIURL, version: p.Version}, problems
}

// run is GitHub set up for one run.
type run struct {
	apiURL  string
	version string
}

// Gather asks the GitHub API at api-url.
func (r run) Gather(ctx context.Context, tok string, kind token.Kind, req check.Requirements, o transport.Options) check.Facts {
	client, err := New(r.apiURL, tok, r.version, o)
	if err != nil {
		return check.Facts{Kind: kind, Platform: ghplatform.Platform, Checked: true, Problems: []check.APIProblem{{What: o.Names.Opt("api-url"), Message: err.Error()}}}
	}
	f := client.Facts(ctx, kind, req)
	f.Platform = ghplatform.Platform
	return f
}

// Guide is GitHub's own guidance.
func (run) Guide() guide.Rules { return ghplatform.Guide{} }

// Issuer is the platform's knowledge the rules ask.
func (Provider) Issuer() check.Issuer { return ghplatform.Issuer{} }
