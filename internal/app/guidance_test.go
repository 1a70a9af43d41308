package app

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// githubSim is the shared simulated world on the real clock (mainOut runs
// Main on it), with the given tokens added, and returns its GitHub API URL.
func githubSim(t *testing.T, tokens ...simulate.Token) string {
	t.Helper()
	w := fixture.New(t, fixture.Options{Now: time.Now()})
	for _, tok := range tokens {
		w.GitHub.AddToken(tok)
	}
	return w.API
}

// fixOf is the "How to fix" block that follows the line of code in the
// command line's text.
func fixOf(out, code string) string {
	i := strings.Index(out, " "+code+": ")
	if i < 0 {
		return ""
	}
	rest := out[i:]
	if j := strings.Index(rest[1:], "\n\n"); j >= 0 {
		rest = rest[:j+1]
	}
	return rest
}

// In a pull request from a fork the token is empty: the condition offered
// keeps the job running on every other event, and the step says where it
// goes as the code block does.
func TestForkPullRequestConditionKeepsOtherEvents(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	event := filepath.Join(dir, "event.json")
	body := `{"pull_request":{"head":{"repo":{"full_name":"fork/app","fork":true}},"base":{"repo":{"full_name":"octo/app"}}}}`
	if err := os.WriteFile(event, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"GITHUB_ACTIONS": "true", "INPUT_SCOPES": "repo", "GITHUB_EVENT_NAME": "pull_request",
		"GITHUB_EVENT_PATH": event, "GITHUB_REPOSITORY": "octo/app", "GITHUB_OUTPUT": filepath.Join(dir, "out")}
	code, out, _ := mainOut(t, env)
	want := "if: github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository"
	if code != 1 || !strings.Contains(out, want) {
		t.Fatalf("exit %d, the condition is not %q:\n%s", code, want, out)
	}
	if !strings.Contains(out, "Skip the job for pull requests from forks") || strings.Contains(out, "Skip the steps") {
		t.Errorf("the step speaks of steps while the condition goes on the job:\n%s", out)
	}
}

// An Actions expression given on the command line was copied from a
// workflow: the fix says so and how to pass the token, not how a shell
// expands variables.
func TestActionsExpressionOnTheCommandLine(t *testing.T) {
	t.Parallel()
	code, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": "${{ secrets.DEPLOY_PAT }}"}, "--scopes", "repo")
	fix := fixOf(out, "token-unexpanded")
	if code != 1 || !strings.Contains(fix, "copied from a workflow") || !strings.Contains(fix, "Pass the token itself") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	for _, shell := range []string{"export the variable", "The shell"} {
		if strings.Contains(fix, shell) {
			t.Errorf("shell advice %q for a workflow's expression:\n%s", shell, fix)
		}
	}
}

// A refresh token's fix is its own: exchange it for a user access token,
// never a list of allowed kinds.
func TestRefreshTokenFixExchangesIt(t *testing.T) {
	t.Parallel()
	tok := "ghr_" + strings.Repeat("a1B2c3D4e5", 7) + "abcdef"
	code, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--scopes", "repo")
	fix := fixOf(out, "token-type-disallowed")
	if code != 1 || !strings.Contains(fix, "POST https://github.com/login/oauth/access_token") || !strings.Contains(fix, "grant_type=refresh_token") ||
		!strings.Contains(fix, "Refreshing user access tokens") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	if strings.Contains(fix, "token kinds") || strings.Contains(fix, "(--token-types): .") {
		t.Errorf("the fix lists allowed kinds:\n%s", fix)
	}
}

// A token that never expires, under the recommended policy: one fact (an
// expiration is set by Regenerate token, the value changes) and one fix.
func TestNeverExpiringTokenHasOneFix(t *testing.T) {
	t.Parallel()
	tok := fixture.Forever
	url := githubSim(t)
	_, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--scopes", "repo", "--policy", "recommended", "--api-url", url)
	never, lifetime := fixOf(out, "token-no-expiration"), fixOf(out, "token-lifetime-too-long")
	if never == "" || lifetime == "" {
		t.Fatalf("both findings are expected:\n%s", out)
	}
	if !strings.Contains(never, "Regenerate token") || !strings.Contains(never, "at most 90 days away") {
		t.Errorf("no-expiration fix:\n%s", never)
	}
	if strings.Count(out, "Regenerate token") != 2 || strings.Contains(lifetime, "Copy the new value") {
		t.Errorf("the policy's finding repeats the steps instead of pointing at them:\n%s", out)
	}
	for _, wrong := range []string{"cannot be given one afterwards", "Generate new token"} {
		if strings.Contains(out, wrong) {
			t.Errorf("contradicting advice %q:\n%s", wrong, out)
		}
	}
}

// The fix of an expiring token renews it; least privilege is the advice's
// own finding, not a step of this one.
func TestExpiringTokenFixLeavesLeastPrivilegeOut(t *testing.T) {
	t.Parallel()
	tok := simulate.ClassicToken("soon")
	url := githubSim(t, simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"repo", "delete_repo"},
		Expiration: time.Now().UTC().Add(3 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})
	_, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--scopes", "repo", "--api-url", url, "--format", "json")
	var r struct {
		Findings []struct{ Code, Fix string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	seen := false
	for _, f := range r.Findings {
		if f.Code == "token-expiring" || f.Code == "token-expiry-warning" {
			seen = true
			if strings.Contains(f.Fix, "Least privilege") || strings.Contains(f.Fix, "scopes=repo&") {
				t.Errorf("the expiring token's fix repeats the least-privilege link:\n%s", f.Fix)
			}
		}
	}
	if !seen {
		t.Errorf("no finding of the expiry:\n%s", out)
	}
}

// A token found in several places is one finding that lists every
// file:line, with the fix once.
func TestScanWithSeveralMatchesIsOneFinding(t *testing.T) {
	t.Parallel()
	api, tok := leakyAPI(t)
	dir := t.TempDir()
	for name, body := range map[string]string{"a.yml": "token: " + tok + "\n", "b.sh": "x\nexport T=" + tok + "\n", "c.env": "\n\nT=" + tok + "\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", api, "--scan", dir)
	if code != 1 || strings.Count(out, "error token-committed: ") != 1 || strings.Count(out, "Revoke the token now") != 1 {
		t.Fatalf("exit %d, not one finding with one fix:\n%s", code, out)
	}
	for _, place := range []string{"a.yml:1", "b.sh:2", "c.env:3"} {
		if !strings.Contains(fixOf(out, "token-committed"), place) {
			t.Errorf("%s is not named:\n%s", place, out)
		}
	}
}

// On the command line with no repository given, a new token is named after
// the workflow that uses it, not after its scopes.
func TestNewTokenNamedAfterTheWorkflow(t *testing.T) {
	t.Parallel()
	tok := simulate.ClassicToken("named")
	url := githubSim(t, simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"read:org"}})
	dir := t.TempDir()
	wf := filepath.Join(dir, "bump.yml")
	body := "name: Bump\non: [push]\njobs:\n  bump:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          token: ${{ secrets.BOT_PAT }}\n" +
		"      - run: git push origin HEAD:bump\n        env:\n          GH_TOKEN: ${{ secrets.BOT_PAT }}\n"
	if err := os.WriteFile(wf, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", url, "--infer", "--workflow", wf, "--secret", "BOT_PAT")
	fix := fixOf(out, "scope-missing")
	if code != 1 || !strings.Contains(fix, "description=bump.yml") {
		t.Errorf("exit %d, the new token is not named after the workflow:\n%s", code, out)
	}
	if strings.Contains(fix, "description=repo") {
		t.Errorf("the new token is named after its scope:\n%s", fix)
	}
}

// The permission-excess fix names as unprobed only what the probe table
// cannot probe: contents and administration at write are probed.
func TestPermissionExcessNamesOnlyTheUnprobed(t *testing.T) {
	t.Parallel()
	tok := simulate.FineGrainedToken("excess")
	url := githubSim(t, simulate.Token{Value: tok, Login: "octocat", FineGrained: true, Repositories: []string{"octo/app"},
		Expiration: time.Now().UTC().Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC"),
		Grants:     map[string]map[string]string{"octo/app": {"contents": "read", "issues": "write"}}})
	_, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", url, "--permissions", "contents:read",
		"--repositories", "octo/app", "--excess", "warning")
	fix := fixOf(out, "permission-excess")
	if !strings.Contains(fix, "the token's page lists every permission it holds") {
		t.Fatalf("no permission-excess fix:\n%s", out)
	}
	_, unprobed, ok := strings.Cut(fix, "no safe request can probe")
	unprobed, _, _ = strings.Cut(unprobed, "\n")
	for _, probed := range []string{"contents", "administration"} {
		if !ok || strings.Contains(unprobed, probed) {
			t.Errorf("%s is probed, yet called unprobed:\n%s", probed, fix)
		}
	}
}

// Network configurations, codespace secrets and Copilot have fine-grained
// counterparts in GitHub's permission data: the advice offers them.
func TestKindAdviceKnowsTheNewerPermissions(t *testing.T) {
	t.Parallel()
	scopes := []string{"codespace:secrets", "admin:network_configurations", "copilot"}
	tok := simulate.ClassicToken("newer")
	url := githubSim(t, simulate.Token{Value: tok, Login: "octocat", Scopes: scopes,
		Expiration: time.Now().UTC().Add(30 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})
	_, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", url, "--scopes", strings.Join(scopes, ","), "--policy", "recommended")
	advice := fixOf(out, "token-kind-advice")
	for _, want := range []string{"a fine-grained token would do", "codespaces_user_secrets:write", "organization_network_configurations:write", "organization_copilot_seat_management:write"} {
		if !strings.Contains(advice, want) {
			t.Errorf("the advice lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(advice, "still needed") {
		t.Errorf("a classic token is called necessary:\n%s", advice)
	}
}

// Every message, not only the fixes, names options as the front-end spells
// them: warnDaysLeft in a pipeline, --warn-days-left and --repositories on
// the command line.
func TestMessagesNameOptionsAsTheFrontEndSpellsThem(t *testing.T) {
	t.Parallel()
	w := fixture.New(t, fixture.Options{Now: time.Now()})
	w.Azure.SetTokenList(true)
	pat := simulate.CurrentAzurePAT("spelled")
	w.Azure.AddPAT(simulate.AzurePAT{Value: pat, DisplayName: "spelled", UserID: "0d5e1f2a-3b4c-4d5e-8f60-718293a4b5c6",
		Email: "dana@contoso.com", DisplayUser: "Dana Dev", Scopes: []string{"vso.code"}, ValidTo: time.Now().UTC().Add(5 * 24 * time.Hour)})
	_, out, _ := mainOut(t, map[string]string{"TF_BUILD": "True", "INPUT_TOKEN": pat, "INPUT_PROVIDER": "azure-devops",
		"INPUT_ORGANIZATION": w.Org, "INPUT_TOKENNAME": "spelled"})
	if !strings.Contains(out, "fewer than warnDaysLeft (14)") || strings.Contains(out, "warn-days-left") {
		t.Errorf("Azure Pipelines:\n%s", out)
	}

	tok := simulate.ClassicToken("spelled")
	url := githubSim(t, simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"repo"},
		Expiration: time.Now().UTC().Add(5 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})
	_, out, _ = mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", url, "--scopes", "repo")
	if !strings.Contains(out, "fewer than --warn-days-left (14)") {
		t.Errorf("command line:\n%s", out)
	}
	_, out, _ = mainOut(t, map[string]string{"PAT_CHECK_TOKEN": simulate.FineGrainedToken("spelled")}, "--api-url", url, "--permissions", "contents:read")
	if !strings.Contains(out, "in --repositories (owner/name)") {
		t.Errorf("command line, a permission without repositories:\n%s", out)
	}
}

// A scope granted only through an inclusion GitHub's docs do not state
// passes, with a notice that names the inclusion and how to make sure.
func TestAssumedScopePassesWithANotice(t *testing.T) {
	t.Parallel()
	tok := simulate.ClassicToken("assumed")
	url := githubSim(t, simulate.Token{Value: tok, Login: "octocat", Scopes: []string{"write:packages"},
		Expiration: time.Now().UTC().Add(60 * 24 * time.Hour).Format("2006-01-02 15:04:05 UTC")})
	code, out, _ := mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", url, "--scopes", "read:packages")
	if code != 0 || !strings.HasPrefix(out, "PASS") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	if !strings.Contains(out, "notice scope-assumed: ") || !strings.Contains(out, "write:packages includes read:packages") {
		t.Errorf("the assumption passes in silence:\n%s", out)
	}
	code, out, _ = mainOut(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", url, "--scopes", "write:packages", "--format", "json")
	if code != 0 || strings.Contains(out, "scope-assumed") {
		t.Errorf("a scope granted itself is called assumed: exit %d\n%s", code, out)
	}
}
