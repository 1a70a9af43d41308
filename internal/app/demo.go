package app

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/token"
)

// demoScenario is one run of the demo: a token the simulated API knows and
// the flags a user would pass.
type demoScenario struct {
	title string
	token string
	flags []string
}

// Demo runs the built-in scenarios against the simulated GitHub API, on a
// loopback listener inside this process: no network, no real token. Each
// scenario goes through the same pipeline as a real check.
func Demo(ctx context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio) int {
	if len(args) > 0 {
		fmt.Fprintf(stdio.Err, "pat-check demo takes no arguments (got %q)\n", args[0])
		return report.ExitConfig
	}
	now := time.Now().UTC()
	sim, scenarios := demoWorld(now)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	ado, adoScenario := demoAzureDevOps(now)
	adoSrv := httptest.NewServer(ado)
	defer adoSrv.Close()
	adoScenario.flags = append(adoScenario.flags, "--organization", adoSrv.URL+"/contoso")
	scenarios = append(scenarios, adoScenario)

	fmt.Fprintf(stdio.Out, "pat-check %s demo: %d scenarios against a simulated GitHub API at %s (no network, no real token)\n", Version(), len(scenarios), srv.URL)
	for i, s := range scenarios {
		shown := strings.ReplaceAll(strings.Join(s.flags, " "), adoSrv.URL+"/contoso", "contoso")
		fmt.Fprintf(stdio.Out, "\n=== %d. %s ===\n$ PAT_CHECK_TOKEN=%s pat-check %s\n\n", i+1, s.title, token.Redact(s.token), shown)
		demoEnv := func(name string) string {
			switch name {
			case "PAT_CHECK_TOKEN":
				return s.token
			case "GITHUB_SERVER_URL":
				// Links point where a user would fix the token.
				return "https://github.com"
			case "NO_COLOR", "TERM":
				return env(name)
			}
			return ""
		}
		flags := append([]string{}, s.flags...)
		if s.token != adoScenario.token {
			flags = append(flags, "--api-url", srv.URL)
		}
		code := Main(ctx, flags, demoEnv, stdio, World{Now: func() time.Time { return time.Now().UTC() }})
		fmt.Fprintf(stdio.Out, "\n(exit code %d)\n", code)
	}
	return 0
}

// demoWorld builds the simulated GitHub and the scenarios that use it.
func demoWorld(now time.Time) (*simulate.GitHub, []demoScenario) {
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
	return sim, []demoScenario{
		{"a healthy classic token", healthy, need},
		{"a token without the workflow scope", missing, need},
		{"a token that expires in 5 days", expiring, need},
		{"a revoked token", revoked, need},
		{"a token not authorized for the organization's SAML SSO", unauthorized, append(need, "--organization", "octo-org")},
		{"a fine-grained token that may write pull requests on one repository but not the other", fine,
			[]string{"--permissions", "contents:read,pull-requests:write", "--repositories", "octo-org/deploy,octo-org/site", "--token-name", "release-bot"}},
	}
}

// demoAzureDevOps is an organization "contoso" whose user has two tokens;
// the scenario checks one that lacks a scope, its expiry read from the
// user's token list.
func demoAzureDevOps(now time.Time) (*simulate.AzureDevOps, demoScenario) {
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
	return ado, demoScenario{
		title: "an Azure DevOps token that can read code but not push, expiring in 9 days",
		token: tok,
		flags: []string{"--provider", "azure-devops", "--project", "Web", "--scopes", "vso.code_write,vso.build_execute", "--token-name", "release-pipeline"},
	}
}
