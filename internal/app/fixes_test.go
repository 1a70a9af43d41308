package app

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

// notFromAzureDevOps are the codes only GitHub's facts lead to: its
// permission probes, repositories and organizations reached by name, SAML
// SSO and organization policies, the classic-token advice, and a token
// without expiry (an Azure DevOps token always has one). The Azure DevOps
// provider refuses the options that would ask for them.
var notFromAzureDevOps = map[finding.Code]bool{
	finding.PermissionMissing: true, finding.PermissionUnverified: true, finding.PermissionExcess: true,
	finding.RepositoryInaccessible: true, finding.OrganizationInaccessible: true,
	finding.SSOAuthorizationRequired: true, finding.OrganizationPolicy: true,
	finding.TokenKindAdvice: true, finding.TokenNoExpiration: true,
}

// Every error and warning of every code the registry says must carry a fix
// does, for every provider, front-end and kind of token the provider
// issues, written by that provider's guidance or the front-end's: never
// by another platform's.
func TestEveryErrorAndWarningHasAFix(t *testing.T) {
	t.Parallel()
	kinds := []token.Kind{token.Classic, token.FineGrained, token.AppInstallation, token.OAuth, token.AppUser, token.Unknown, token.AzureDevOps}
	for _, prov := range Providers() {
		cfg := config.Config{Organization: "contoso"}
		run, _ := prov.Configure(&cfg, config.Env{})
		for _, fe := range []frontend.Kind{frontend.Actions, frontend.AzurePipelines, frontend.CommandLine} {
			for _, kind := range kinds {
				if !prov.Issues(kind) && kind != prov.UnrecognisedKind() {
					continue
				}
				c := guide.Context{Rules: run.Guide(), Frontend: fe, Kind: kind, ServerURL: "https://github.com", Repository: "octo/app",
					Option: func(s string) string { return s }}
				for _, spec := range finding.Specs() {
					if !spec.MustFix || prov.ID() == "azure-devops" && notFromAzureDevOps[spec.Code] {
						continue
					}
					for _, sev := range []finding.Severity{finding.Error, finding.Warning} {
						f := guide.Apply([]finding.Finding{{Code: spec.Code, Severity: sev, Message: "m", About: finding.About{
							Repository: "octo/app", Target: "octo/app", Organization: "octo", Scopes: []string{"repo"}, Permissions: []string{"contents:write"},
							Excess: []string{"delete_repo"}, Needed: []string{"repo"}, Equivalents: []string{"contents:write"}, MaxDays: 90, Places: []finding.Place{{File: "a.yml", Line: 2}},
						}}}, c)[0]
						if !strings.HasPrefix(f.Fix, "1. ") || len(f.Steps) == 0 {
							t.Errorf("%s/%s/%s/%s %s: fix %q is not numbered steps", prov.ID(), fe, kind, spec.Code, sev, f.Fix)
						}
						if prov.ID() != "github" && fe != frontend.Actions && strings.Contains(f.Fix+f.URL, "github.com") {
							t.Errorf("%s/%s/%s/%s: another platform's pages: %q %q", prov.ID(), fe, kind, spec.Code, f.Fix, f.URL)
						}
					}
				}
			}
		}
	}
}
