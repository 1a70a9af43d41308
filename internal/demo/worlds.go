package demo

import (
	"time"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	"github.com/pat-check/pat-check/internal/simulate"
)

// gitHubWorld builds the simulated GitHub and the scenarios that use it.
func gitHubWorld(now time.Time) (*simulate.GitHub, []scenario) {
	sim := simulate.NewGitHub()
	sim.SetNow(func() time.Time { return now })
	sim.AddOrg(simulate.Org{Login: "octo-org", SSO: true})
	sim.AddRepo("octo-org/deploy", true)

	expiry := func(days int) string {
		return now.Add(time.Duration(days)*24*time.Hour + time.Hour).Format("2006-01-02 15:04:05 UTC")
	}
	healthy := simulate.ClassicToken("demo-healthy")
	missing := simulate.ClassicToken("demo-missing-scope")
	expiring := simulate.ClassicToken("demo-expiring")
	revoked := simulate.ClassicToken("demo-revoked")
	unauthorized := simulate.ClassicToken("demo-sso")
	common := simulate.Token{Login: "octocat", Repositories: []string{"octo-org/deploy"}, SSOAuthorized: []string{"octo-org"}}

	t := common
	t.Value, t.Scopes, t.Expiration = healthy, []string{"repo", "workflow", "read:org"}, expiry(75)
	sim.AddToken(t)
	t = common
	t.Value, t.Scopes, t.Expiration = missing, []string{"repo"}, expiry(75)
	sim.AddToken(t)
	t = common
	t.Value, t.Scopes, t.Expiration = expiring, []string{"repo", "workflow"}, expiry(5)
	sim.AddToken(t)
	t = common
	t.Value, t.Revoked = revoked, true
	sim.AddToken(t)
	t = common
	t.Value, t.Scopes, t.Expiration, t.SSOAuthorized = unauthorized, []string{"repo", "workflow"}, expiry(75), nil
	sim.AddToken(t)

	sim.AddRepo("octo-org/site", true)
	fine := simulate.FineGrainedToken("demo-fine-grained")
	sim.AddToken(simulate.Token{Value: fine, Login: "octocat", FineGrained: true, Expiration: expiry(40),
		Repositories: []string{"octo-org/deploy", "octo-org/site"}, SSOAuthorized: []string{"octo-org"},
		Grants: map[string]map[string]string{
			"octo-org/deploy": {"contents": "read", "pull_requests": "write"},
			"octo-org/site":   {"contents": "read", "pull_requests": "read"},
		}})

	need := []string{"--scopes", "repo,workflow", "--repositories", "octo-org/deploy"}
	return sim, []scenario{
		{"a healthy classic token", healthy, need},
		{"a token without the workflow scope", missing, need},
		{"a token that expires in 5 days", expiring, need},
		{"a revoked token", revoked, need},
		{"a token not authorized for the organization's SAML SSO", unauthorized, append(need, "--organization", "octo-org")},
		{"a fine-grained token that may write pull requests on one repository but not the other", fine,
			[]string{"--permissions", "contents:read,pull-requests:write", "--repositories", "octo-org/deploy,octo-org/site", "--token-name", "release-bot"}},
	}
}

// azureDevOpsWorld is an organization "contoso" whose user has two tokens;
// the scenario checks one that lacks a scope, its expiry read from the
// user's token list.
func azureDevOpsWorld(now time.Time) (*simulate.AzureDevOps, scenario) {
	ado := simulate.NewAzureDevOps("contoso")
	ado.SetNow(func() time.Time { return now })
	ado.AddProject("Web")
	ado.SetTokenList(true)
	tok := simulate.CurrentAzurePAT("demo")
	user := "0d5e1f2a-3b4c-4d5e-8f60-718293a4b5c6"
	ado.AddPAT(simulate.AzurePAT{Value: tok, DisplayName: "release-pipeline", UserID: user, Email: "dana@contoso.com", DisplayUser: "Dana Dev",
		Scopes: []string{"vso.code", "vso.build_execute"}, ValidTo: now.Add(9*24*time.Hour + time.Hour)})
	ado.AddPAT(simulate.AzurePAT{Value: simulate.CurrentAzurePAT("demo-other"), DisplayName: "laptop", UserID: user,
		Scopes: []string{"app_token"}, ValidTo: now.Add(200 * 24 * time.Hour)})
	return ado, scenario{
		title: "an Azure DevOps token that can read code but not push, expiring in 9 days",
		token: tok,
		flags: []string{"--provider", string(azplatform.Platform), "--project", "Web", "--scopes", "vso.code_write,vso.build_execute", "--token-name", "release-pipeline"},
	}
}
