// Package demo is `pat-check demo`: built-in scenarios run against the
// simulated GitHub and Azure DevOps APIs on loopback listeners inside the
// process, with no network and no real token. Each scenario goes through
// the same pipeline as a real check (app.Main); the pipeline knows nothing
// of the demo or the simulator.
package demo

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/pat-check/pat-check/internal/app"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/token"
)

// scenario is one run of the demo: a token the simulated API knows and
// the flags a user would pass.
type scenario struct {
	title string
	token string
	flags []string
}

// Run runs the built-in scenarios (args are what follows "demo" on the
// command line: none are accepted) and returns the exit code.
func Run(ctx context.Context, args []string, env frontend.Getenv, stdio frontend.Stdio) int {
	if len(args) > 0 {
		fmt.Fprintf(stdio.Err, "pat-check demo takes no arguments (got %q)\n", args[0])
		return report.ExitConfig
	}
	now := time.Now().UTC()
	sim, scenarios := gitHubWorld(now)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	ado, adoScenario := azureDevOpsWorld(now)
	adoSrv := httptest.NewServer(ado)
	defer adoSrv.Close()
	adoScenario.flags = append(adoScenario.flags, "--organization", adoSrv.URL+"/contoso")
	scenarios = append(scenarios, adoScenario)

	fmt.Fprintf(stdio.Out, "pat-check %s demo: %d scenarios against a simulated GitHub API at %s (no network, no real token)\n", app.Version(), len(scenarios), srv.URL)
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
		code := app.Main(ctx, flags, demoEnv, stdio, app.World{Now: func() time.Time { return time.Now().UTC() }})
		fmt.Fprintf(stdio.Out, "\n(exit code %d)\n", code)
	}
	return 0
}
