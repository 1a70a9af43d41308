package app

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/simulate"
)

// benchLatency is the simulated API's delay per request: a round trip.
const benchLatency = 20 * time.Millisecond

// BenchmarkTimeToVerdict measures the wall time from start to verdict of a
// whole command-line run against the simulated API with benchLatency per
// request, and reports it in round trips (rtt/op) and requests (req/op).
// A check of the token alone is one round trip; with repositories,
// organizations or permissions, two (the token first, then everything else
// at once), within 2·K·R + 2 requests for K permissions on R repositories.
func BenchmarkTimeToVerdict(b *testing.B) {
	now := time.Now().UTC()
	sim := simulate.NewGitHub()
	sim.SetLatency(benchLatency)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	tok := simulate.ClassicToken("bench")
	var repos []string
	for i := range 5 {
		name := fmt.Sprintf("octo/repo%d", i)
		sim.AddRepo(name, true)
		repos = append(repos, name)
	}
	sim.AddOrg(simulate.Org{Login: "octo"})
	sim.AddOrg(simulate.Org{Login: "octo-two"})
	sim.AddToken(simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"repo", "workflow"}, Repositories: repos,
		Expiration: now.Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})

	fine := simulate.FineGrainedToken("bench")
	grants := map[string]map[string]string{}
	for _, r := range repos[:3] {
		grants[r] = map[string]string{"contents": "read", "pull_requests": "write", "issues": "write", "repository_hooks": "write"}
	}
	sim.AddToken(simulate.Token{Value: fine, Login: "octocat", FineGrained: true, Repositories: repos, Grants: grants,
		Expiration: now.Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})

	// K=8 permissions on R=4 repositories: 32 probes, plus the read probes
	// that confirm repository_hooks' 404, plus the 4 repository requests,
	// all in the second round trip.
	eight := []string{"contents:write", "pull-requests:write", "issues:write", "actions:read", "statuses:write",
		"deployments:read", "actions_variables:read", "repository_hooks:write"}
	wide := simulate.FineGrainedToken("bench-wide")
	wideGrants := map[string]map[string]string{}
	for _, r := range repos[:4] {
		wideGrants[r] = map[string]string{"contents": "write", "pull_requests": "write", "issues": "write", "actions": "read",
			"statuses": "write", "deployments": "read", "actions_variables": "read", "repository_hooks": "write"}
	}
	sim.AddToken(simulate.Token{Value: wide, Login: "octocat", FineGrained: true, Repositories: repos, Grants: wideGrants,
		Expiration: now.Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})

	cases := []struct {
		name  string
		token string
		args  []string
		want  int // exit code
	}{
		{"classic-scopes", tok, []string{"--scopes", "repo,workflow"}, 0},
		{"classic-scopes-5repos-2orgs", tok, []string{"--scopes", "repo", "--repositories", strings.Join(repos, ","), "--organization", "octo,octo-two"}, 0},
		{"fine-grained-4perms-3repos", fine, []string{"--permissions", "contents:read,pull-requests:write,issues:write,repository_hooks:write",
			"--repositories", strings.Join(repos[:3], ",")}, 0},
		{"fine-grained-8perms-4repos", wide, []string{"--permissions", strings.Join(eight, ","),
			"--repositories", strings.Join(repos[:4], ",")}, 0},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			env := func(k string) string {
				if k == "PAT_CHECK_TOKEN" {
					return c.token
				}
				return ""
			}
			args := append(append([]string{}, c.args...), "--api-url", srv.URL)
			sim.ResetRequests()
			b.ResetTimer()
			for b.Loop() {
				code := Main(context.Background(), args, env, frontend.Stdio{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, World{})
				if code != c.want {
					b.Fatalf("exit %d, want %d", code, c.want)
				}
			}
			b.StopTimer()
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(perOp)/float64(benchLatency), "rtt/op")
			b.ReportMetric(float64(len(sim.Requests()))/float64(b.N), "req/op")
		})
	}
}

// BenchmarkAzureDevOpsTimeToVerdict: validity, scopes (by read probes) and
// expiry (by the token list) of an Azure DevOps token, against a fresh
// simulated organization each time, as a real run meets it.
func BenchmarkAzureDevOpsTimeToVerdict(b *testing.B) {
	now := time.Now().UTC()
	tok := simulate.CurrentAzurePAT("bench")
	env := func(k string) string {
		if k == "PAT_CHECK_TOKEN" {
			return tok
		}
		return ""
	}
	var requests int
	for b.Loop() {
		b.StopTimer()
		ado := simulate.NewAzureDevOps("contoso")
		ado.SetLatency(benchLatency)
		ado.AddProject("Web")
		ado.SetTokenList(true)
		ado.AddPAT(simulate.AzurePAT{Value: tok, DisplayName: "bench", UserID: "0d5e1f2a-3b4c-4d5e-8f60-718293a4b5c6",
			Scopes: []string{"vso.code", "vso.build", "vso.packaging"}, ValidTo: now.Add(60 * 24 * time.Hour)})
		srv := httptest.NewServer(ado)
		args := []string{"--organization", srv.URL + "/contoso", "--project", "Web", "--scopes", "vso.code,vso.build,vso.packaging", "--token-name", "bench"}
		b.StartTimer()
		code := Main(context.Background(), args, env, frontend.Stdio{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, World{})
		b.StopTimer()
		if code != 0 {
			b.Fatalf("exit %d", code)
		}
		requests += len(ado.Requests())
		srv.Close()
		b.StartTimer()
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp)/float64(benchLatency), "rtt/op")
	b.ReportMetric(float64(requests)/float64(b.N), "req/op")
}

// BenchmarkAzureDevOpsRejectedToken: a token the organization rejects is
// sent once (connectionData), not with the token list and every probe at
// once.
func BenchmarkAzureDevOpsRejectedToken(b *testing.B) {
	tok := simulate.CurrentAzurePAT("rejected")
	env := func(k string) string {
		if k == "PAT_CHECK_TOKEN" {
			return tok
		}
		return ""
	}
	ado := simulate.NewAzureDevOps("contoso")
	ado.SetLatency(benchLatency)
	ado.AddProject("Web")
	ado.SetTokenList(true)
	srv := httptest.NewServer(ado)
	defer srv.Close()
	args := []string{"--organization", srv.URL + "/contoso", "--project", "Web", "--scopes", "vso.code,vso.build,vso.packaging"}
	for b.Loop() {
		if code := Main(context.Background(), args, env, frontend.Stdio{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, World{}); code != 1 {
			b.Fatalf("exit %d", code)
		}
	}
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp)/float64(benchLatency), "rtt/op")
	b.ReportMetric(float64(len(ado.Requests()))/float64(b.N), "req/op")
}
