package app

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/simulate"
)

// severalLatency is the simulated API's delay per request in
// BenchmarkSeveralTokens: a slow round trip, as from a runner far from the
// API.
const severalLatency = 150 * time.Millisecond

// BenchmarkSeveralTokens is a token-health run under GitHub Actions: 20
// fine-grained tokens, each used by a job whose steps need 4 permissions
// on 2 repositories, checked at once through the shared budget (64
// requests in flight), at severalLatency per request. It reports the wall
// time in round trips (rtt/op) and the requests sent (req/op), beside the
// same run with one token.
//
//	go test -run '^$' -bench BenchmarkSeveralTokens -benchtime 3x ./internal/app/
func BenchmarkSeveralTokens(b *testing.B) {
	for _, n := range []int{1, 20} {
		b.Run(fmt.Sprintf("tokens=%d", n), func(b *testing.B) { benchmarkSeveral(b, n) })
	}
}

func benchmarkSeveral(b *testing.B, tokens int) {
	now := time.Now().UTC()
	sim := simulate.NewGitHub()
	sim.SetLatency(severalLatency)
	srv := httptest.NewServer(sim)
	defer srv.Close()
	repos := []string{"octo/app", "octo/lib"}
	for _, r := range repos {
		sim.AddRepo(r, true)
	}
	grants := map[string]map[string]string{}
	for _, r := range repos {
		grants[r] = map[string]string{"contents": "write", "issues": "write", "pull_requests": "write", "actions": "write"}
	}
	dir := b.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		b.Fatal(err)
	}
	var yml, lines strings.Builder
	yml.WriteString("name: bots\non: push\njobs:\n")
	for i := range tokens {
		tok := simulate.FineGrainedToken(fmt.Sprintf("bench-%d", i))
		sim.AddToken(simulate.Token{Value: tok, Login: "octocat", FineGrained: true, Repositories: repos, Grants: grants,
			Expiration: now.Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})
		fmt.Fprintf(&lines, "BOT%d_PAT=%s\n", i, tok)
		fmt.Fprintf(&yml, "  job%d:\n    runs-on: ubuntu-latest\n    steps:\n      - env:\n          GH_TOKEN: ${{ secrets.BOT%d_PAT }}\n        run: |\n", i, i)
		for _, r := range repos {
			fmt.Fprintf(&yml, "          gh issue create --repo %s --title t --body b\n", r)
			fmt.Fprintf(&yml, "          gh pr create --repo %s --title t --body b\n", r)
			fmt.Fprintf(&yml, "          gh workflow run ci.yml --repo %s\n", r)
			fmt.Fprintf(&yml, "          gh release create v1 --repo %s\n", r)
		}
	}
	if err := os.WriteFile(filepath.Join(wf, "bots.yml"), []byte(yml.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	env := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": dir, "GITHUB_REPOSITORY": "octo/app",
		"INPUT_TOKENS": lines.String(), "INPUT_API-URL": srv.URL}
	getenv := func(k string) string { return env[k] }
	sim.ResetRequests()
	b.ResetTimer()
	for b.Loop() {
		code := Main(context.Background(), nil, getenv, frontend.Stdio{In: strings.NewReader(""), Out: io.Discard, Err: io.Discard}, World{})
		if code != 0 {
			b.Fatalf("exit %d, want 0", code)
		}
	}
	b.StopTimer()
	perOp := b.Elapsed() / time.Duration(b.N)
	b.ReportMetric(float64(perOp)/float64(severalLatency), "rtt/op")
	b.ReportMetric(float64(len(sim.Requests()))/float64(b.N), "req/op")
}
