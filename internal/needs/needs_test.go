package needs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
)

// lineOf is the 1-based line of the first line of src holding text, or
// with "2nd " before text, the second.
func lineOf(t *testing.T, src []byte, text string) int {
	t.Helper()
	skip := 0
	if rest, ok := strings.CutPrefix(text, "2nd "); ok {
		text, skip = rest, 1
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, text) {
			if skip == 0 {
				return i + 1
			}
			skip--
		}
	}
	t.Fatalf("no line holds %q", text)
	return 0
}

type wantToken struct {
	scopes, perms, repos []string
}

type wantStep struct {
	token, at, rule string // at: text on the step's line
}

type wantUnknown struct {
	token, at, why string
}

// Every row family, with its expected needs, and the negatives: a secret
// used only by a step that reads, echo git push, a token passed but never
// used, another registry's password.
func TestWorkflowsAndPipelines(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file      string
		tokens    map[string]wantToken
		steps     []wantStep
		unknowns  []wantUnknown
		unused    []string
		notTokens []string
	}{
		{
			file:   "push.yml",
			tokens: map[string]wantToken{"BOT_PAT": {scopes: []string{"repo"}, perms: []string{"contents:write"}}},
			steps: []wantStep{
				{"BOT_PAT", "token: ${{ secrets.BOT_PAT }}", "actions/checkout"},
				{"BOT_PAT", "git push origin HEAD", "git push"}, // inside a function called inside an if
				{"BOT_PAT", "bash -c 'git push", "git push"},
			},
		},
		{
			file: "create-pr.yml",
			tokens: map[string]wantToken{
				// The job rewrites .github/workflows: the pull request carries workflow files.
				"PINS_BOT_TOKEN": {scopes: []string{"repo", "workflow"}, perms: []string{"contents:write", "issues:write", "pull_requests:write", "workflows:write"}},
				"GITHUB_TOKEN":   {perms: []string{"contents:read"}}, // never classic scopes
			},
			steps: []wantStep{
				{"GITHUB_TOKEN", "- uses: actions/checkout@v4", "actions/checkout"},
				{"PINS_BOT_TOKEN", "token: ${{ secrets.PINS_BOT_TOKEN }}", "peter-evans/create-pull-request v7+"},
				{"PINS_BOT_TOKEN", "2nd token: ${{ secrets.PINS_BOT_TOKEN }}", "peter-evans/create-or-update-comment"},
			},
		},
		{
			file: "release.yml",
			tokens: map[string]wantToken{
				"RELEASE_TOKEN": {scopes: []string{"repo"}, perms: []string{"contents:write", "issues:write"}},
				"PACKAGES_PAT":  {scopes: []string{"write:packages"}},
				"GITHUB_TOKEN":  {perms: []string{"contents:read"}},
			},
			steps: []wantStep{
				{"GITHUB_TOKEN", "- uses: actions/checkout@v4", "actions/checkout"},
				{"RELEASE_TOKEN", "token: ${{ secrets.RELEASE_TOKEN }}", "softprops/action-gh-release v2.5.3+"}, // @v2: the newest v2
				{"RELEASE_TOKEN", "gh release edit", "gh release create/upload/edit/delete"},
				{"RELEASE_TOKEN", "gh release view", "gh release view"},
				{"PACKAGES_PAT", "password: ${{ secrets.PACKAGES_PAT }}", "docker/login-action (ghcr.io)"},
				// github.rest.issues.addLabels, by Octokit's method list and GitHub's permission data.
				{"RELEASE_TOKEN", "github-token: ${{ secrets.RELEASE_TOKEN }}", "actions/github-script: POST /repos/{owner}/{repo}/issues/{issue_number}/labels"},
			},
			notTokens: []string{"DOCKERHUB_PASSWORD"},
		},
		{
			file: "commit-actions.yml",
			tokens: map[string]wantToken{
				"FORMAT_PAT": {scopes: []string{"repo"}, perms: []string{"contents:write"}},
				"STAMP_PAT":  {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"example-org/website"}},
				// EndBug/add-and-commit pushes with what the checkout persisted.
				"GITHUB_TOKEN": {perms: []string{"contents:write"}},
			},
			steps: []wantStep{
				{"FORMAT_PAT", "token: ${{ secrets.FORMAT_PAT }}", "actions/checkout"},
				{"FORMAT_PAT", "stefanzweifel/git-auto-commit-action@v5", "stefanzweifel/git-auto-commit-action"},
				{"GITHUB_TOKEN", "2nd - uses: actions/checkout@v4", "actions/checkout"},
				{"STAMP_PAT", "github_token: ${{ secrets.STAMP_PAT }}", "endbug/add-and-commit (github_token)"},
				{"GITHUB_TOKEN", "uses: EndBug/add-and-commit@v9", "endbug/add-and-commit"},
				{"STAMP_PAT", "2nd github_token: ${{ secrets.STAMP_PAT }}", "ad-m/github-push-action <v1.3.0"}, // @v0.8.0: github_token only
			},
		},
		{
			file: "dispatch.yml",
			tokens: map[string]wantToken{
				"DOCS_DISPATCH_PAT":       {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"example-org/docs-site"}},
				"steps.app.outputs.token": {perms: []string{"issues:write"}, repos: []string{"example-org/docs-site"}}, // an app token: no classic scopes
			},
			steps: []wantStep{
				{"DOCS_DISPATCH_PAT", "token: ${{ secrets.DOCS_DISPATCH_PAT }}", "peter-evans/repository-dispatch"},
				{"steps.app.outputs.token", "gh issue create", "gh issue create"},
			},
			notTokens: []string{"APP_PRIVATE_KEY"}, // the app's key, which makes the token
		},
		{
			file: "gh-and-curl.yml",
			tokens: map[string]wantToken{
				"TRIAGE_TOKEN": {scopes: []string{"repo"}, perms: []string{"actions:write", "contents:write", "issues:write"}},
			},
			steps: []wantStep{
				{"TRIAGE_TOKEN", "gh issue comment", "gh issue comment"},
				{"TRIAGE_TOKEN", "gh workflow run", "gh workflow run"},
				{"TRIAGE_TOKEN", "gh api repos/{owner}/{repo}/dispatches", "gh api POST /repos/{owner}/{repo}/dispatches"},
				// ENDPOINT is a literal assignment: its value is known.
				{"TRIAGE_TOKEN", `gh api "$ENDPOINT"`, "gh api GET /repos/{owner}/{repo}/labels"},
				{"TRIAGE_TOKEN", "curl -fsSL -X POST", "POST /repos/{owner}/{repo}/issues/{issue_number}/comments"},
			},
			unknowns: []wantUnknown{
				{"TRIAGE_TOKEN", "gh api graphql", "GraphQL"},
			},
			// The same secret sent to another host is no place for a GitHub
			// token's needs: it stays a token (its other steps), and that
			// request is not charged to it.
		},
		{
			file: "negatives.yml",
			tokens: map[string]wantToken{
				"CONFIG_READ_TOKEN": {scopes: []string{"repo"}, perms: []string{"contents:read"}, repos: []string{"example-org/shared-config"}},
				"UNUSED_PAT":        {},
				"ECHO_PAT":          {},
			},
			steps:  []wantStep{{"CONFIG_READ_TOKEN", "token: ${{ secrets.CONFIG_READ_TOKEN }}", "actions/checkout"}},
			unused: []string{"UNUSED_PAT", "ECHO_PAT"},
		},
		{
			// Where each value goes decides: the four tokens, and
			// values that are no tokens (another registry, a webhook, keys,
			// a user name beside the password, a flag only tested).
			file: "destinations.yml",
			tokens: map[string]wantToken{
				"CR_PAT":             {scopes: []string{"write:packages"}},
				"BOT_PAT":            {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"octo/other"}},
				"PUSH_PAT":           {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"octo/pushed"}},
				"API_PAT":            {scopes: []string{"repo"}, perms: []string{"issues:write"}, repos: []string{"octo-org/tracker"}},
				"ENV_FILE_PAT":       {scopes: []string{"repo"}, perms: []string{"pull_requests:write"}, repos: []string{"octo-org/elsewhere"}},
				"GITHUB_TOKEN":       {perms: []string{"pull_requests:write"}},
				"DISPATCH_PAT":       {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"octo-org/deploy"}},
				"HOMEBREW_PR_PAT":    {scopes: []string{"repo", "workflow"}, perms: []string{"contents:write", "pull_requests:write", "workflows:write"}, repos: []string{"Homebrew/homebrew-core"}},
				"SYNC_PAT":           {},
				"JOB_LEVEL_SECRET":   {},
				"WORKFLOW_LEVEL_PAT": {},
				"PUBLISH_PAT":        {},
				"REUSABLE_PAT":       {},
			},
			steps: []wantStep{
				{"CR_PAT", "docker login ghcr.io", "docker login ghcr.io"},
				{"HOMEBREW_PR_PAT", "COMMITTER_TOKEN", "mislav/bump-homebrew-formula-action"},
				{"BOT_PAT", "git push up HEAD:main", "git push"},
				{"PUSH_PAT", "octo/pushed.git", "git push"},
				{"API_PAT", "api.github.com/repos/$repo/issues", "POST /repos/{owner}/{repo}/issues"},
				{"ENV_FILE_PAT", "gh pr create --fill", "gh pr create"},
				{"GITHUB_TOKEN", "2nd - run: npm publish", "npm publish (GitHub Packages)"},
				{"GITHUB_TOKEN", "uses: actions/github-script@v7", "actions/github-script: POST /repos/{owner}/{repo}/pulls"},
				{"DISPATCH_PAT", "GITHUB_TOKEN: ${{ secrets.DISPATCH_PAT }}", "octokit/request-action: POST /repos/{owner}/{repo}/dispatches"},
			},
			unknowns: []wantUnknown{
				{"SYNC_PAT", "AUTH:", "./scripts/sync.sh"},
				{"JOB_LEVEL_SECRET", "NEVER_READ:", "./scripts/sync.sh"},
				{"WORKFLOW_LEVEL_PAT", "WORKFLOW_LEVEL:", "./scripts/sync.sh"},
				{"PUBLISH_PAT", "PUBLISH_TOKEN:", "python"},
				{"REUSABLE_PAT", "token: ${{ secrets.REUSABLE_PAT }}", "reusable workflow"},
			},
			notTokens: []string{"PUSH_USER", "DOCKERHUB_TOKEN", "CHAT_HOOK", "SIGNING_KEY", "CERT_P12", "SOMETHING", "NPMJS_TOKEN", "FEATURE_FLAG"},
		},
		{
			file: "azure-pipelines.yml",
			tokens: map[string]wantToken{
				"ADO_PAT":            {scopes: []string{"vso.build_execute", "vso.code_write", "vso.work_write"}},
				"System.AccessToken": {scopes: []string{"vso.code_write"}},
				"GH_MIRROR_PAT":      {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"example-org/mirror"}},
			},
			steps: []wantStep{
				{"System.AccessToken", "- checkout: self", "checkout: self (persistCredentials)"},
				{"ADO_PAT", "az repos pr create", "az repos pr create/update"},
				{"ADO_PAT", "az pipelines run", "az pipelines run/build queue"},
				{"System.AccessToken", "git push origin --tags", "git push (Azure Repos)"},
				{"ADO_PAT", `curl -sS -u ":$(ADO_PAT)"`, "POST _apis/build/builds"},
				{"GH_MIRROR_PAT", "git push \"https://bot:", "git push"},
				// The PowerShell step is read: $env:AZURE_DEVOPS_EXT_PAT, then az boards.
				{"ADO_PAT", "az boards work-item create", "az boards work-item create/update"},
			},
			unknowns: []wantUnknown{
				{"ADO_PAT", "apiToken: $(ADO_PAT)", "SomeVendorTask@2"},
			},
		},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			a, err := File(c.file, src)
			if err != nil {
				t.Fatal(err)
			}
			toks := a.Tokens()
			var names []string
			for _, tk := range toks {
				names = append(names, tk.Name)
				w, ok := c.tokens[tk.Name]
				if !ok {
					t.Errorf("unexpected token %s: %+v", tk.Name, tk)
					continue
				}
				var perms []string
				for _, p := range tk.Permissions {
					perms = append(perms, p.String())
				}
				if !slices.Equal(tk.Scopes, w.scopes) || !slices.Equal(perms, w.perms) || !slices.Equal(tk.Repositories, w.repos) {
					t.Errorf("%s: scopes %v permissions %v repositories %v; want %v %v %v", tk.Name, tk.Scopes, perms, tk.Repositories, w.scopes, w.perms, w.repos)
				}
			}
			for name := range c.tokens {
				if !slices.Contains(names, name) {
					t.Errorf("token %s not found (found %v)", name, names)
				}
			}
			got := map[string]bool{}
			for _, u := range a.Uses {
				got[fmt.Sprintf("%s %d %s", u.Token, u.Line, u.Rule)] = true
			}
			var want []string
			for _, s := range c.steps {
				k := fmt.Sprintf("%s %d %s", s.token, lineOf(t, src, s.at), s.rule)
				want = append(want, k)
				if !got[k] {
					t.Errorf("no use %q; uses: %v", k, got)
				}
			}
			if len(a.Uses) != len(want) {
				t.Errorf("%d uses, want %d: %v", len(a.Uses), len(want), got)
			}
			if len(a.Unknowns) != len(c.unknowns) {
				t.Errorf("%d unknowns, want %d: %+v", len(a.Unknowns), len(c.unknowns), a.Unknowns)
			}
			for _, w := range c.unknowns {
				line := lineOf(t, src, w.at)
				if !slices.ContainsFunc(a.Unknowns, func(u Unknown) bool {
					return u.Token == w.token && u.Line == line && strings.Contains(u.Why, w.why)
				}) {
					t.Errorf("no unknown %s at line %d (%q): %+v", w.token, line, w.why, a.Unknowns)
				}
			}
			var unused []string
			for _, u := range a.Unused {
				unused = append(unused, u.Token)
			}
			if !slices.Equal(unused, c.unused) {
				t.Errorf("unused %v, want %v", unused, c.unused)
			}
			var nots []string
			for _, n := range a.NotTokens {
				nots = append(nots, n.Secret)
			}
			if !slices.Equal(nots, c.notTokens) {
				t.Errorf("not tokens %v, want %v (%+v)", nots, c.notTokens, a.NotTokens)
			}
		})
	}
}

// A token in a git remote's URL, an extraheader, a remote set with the
// token, and text that only mentions git push.
func TestShellForms(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, run string
		uses      int
		rule      string
	}{
		{"url", `git push "https://x-access-token:${{ secrets.T }}@github.com/o/r.git" HEAD:main`, 1, "git push"},
		{"extraheader", `git -c http.extraheader="AUTHORIZATION: bearer ${{ secrets.T }}" push origin main`, 1, "git push"},
		{"remote set-url", "git remote set-url origin \"https://x:${{ secrets.T }}@github.com/o/r.git\"\ngit fetch origin\ngit push origin main", 2, ""},
		{"pipeline", `git push origin main 2>&1 | tee push.log`, 0, ""},                              // no token: nothing persisted
		{"echo", `echo "git push https://x:${{ secrets.T }}@github.com/o/r.git"`, 0, ""},             // text
		{"heredoc", "cat <<EOF\ngit push https://x:${{ secrets.T }}@github.com/o/r.git\nEOF", 0, ""}, // text
		// gh refuses a classic token without its minimum scopes: the login is a use too.
		{"gh auth login", "echo \"${{ secrets.T }}\" | gh auth login --with-token\ngh pr merge 12 --squash", 2, "gh auth login --with-token"},
		{"inline env", "GH_TOKEN=${{ secrets.T }} gh pr create --fill", 1, "gh pr create"},
		{"export", "export GH_TOKEN=\"${{ secrets.T }}\"\nif true; then gh secret set X --body y; fi", 1, "gh secret set"},
		{"other host", `git push "https://x:${{ secrets.T }}@gitlab.example.com/o/r.git"`, 0, ""},
		{"command substitution", "AUTH=$(echo -n \"x:${{ secrets.T }}\" | base64)\ngit -c http.extraheader=\"AUTHORIZATION: basic $AUTH\" push origin main", 1, "git push"},
		{"insteadOf", "git config --global url.\"https://x:${{ secrets.T }}@github.com/\".insteadOf \"https://github.com/\"\ngit clone https://github.com/o/r", 1, "git clone/fetch/pull"},
		{"GITHUB_ENV", "echo \"GH_TOKEN=${{ secrets.T }}\" >> $GITHUB_ENV\n", 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			wf := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n" + indent(c.run, "          ") + "\n"
			a, err := Workflow(".github/workflows/x.yml", []byte(wf))
			if err != nil {
				t.Fatal(err)
			}
			if len(a.Uses) != c.uses {
				t.Fatalf("%d uses, want %d: %+v (unknowns %+v)", len(a.Uses), c.uses, a.Uses, a.Unknowns)
			}
			if c.rule != "" && a.Uses[0].Rule != c.rule {
				t.Errorf("rule %q, want %q", a.Uses[0].Rule, c.rule)
			}
			for _, u := range a.Uses {
				if u.Token != "T" || u.Line < 7 {
					t.Errorf("use %+v: want token T on a line of the script", u)
				}
			}
		})
	}
}

func indent(s, by string) string {
	lines := strings.Split(s, "\n")
	for i := range lines {
		lines[i] = by + lines[i]
	}
	return strings.Join(lines, "\n")
}

// Unreadable input names the file and the line.
func TestUnreadableInput(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/broken.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{".github/workflows/broken.yml", "broken.yml"} {
		_, err = File(name, src)
		var ie *InputError
		if !errors.As(err, &ie) || ie.File != name || ie.Line == 0 || !strings.HasPrefix(err.Error(), name+":") {
			t.Errorf("%s: error %v, want an InputError naming the file and a line", name, err)
		}
	}
	if _, _, err := Load(context.Background(), "testdata", []string{"missing.yml"}); err == nil || !strings.Contains(err.Error(), "missing.yml") {
		t.Errorf("a missing file: %v", err)
	}
}

// The project's own release workflow: its GITHUB_TOKEN reads the build's
// artifact, downloads the release and attests; the publish step hands it
// to a script (scripts/publish-release.sh), which is an unknown.
func TestOwnReleaseWorkflow(t *testing.T) {
	t.Parallel()
	a, _, err := Load(context.Background(), "../..", []string{".github/workflows/release.yml"})
	if err != nil {
		t.Fatal(err)
	}
	toks := a.Tokens()
	if len(toks) != 1 || toks[0].Name != GitHubToken {
		t.Fatalf("tokens %+v", toks)
	}
	var perms []string
	for _, p := range toks[0].Permissions {
		perms = append(perms, p.String())
	}
	if want := []string{"actions:read", "attestations:write", "contents:read"}; !slices.Equal(perms, want) {
		t.Errorf("permissions %v, want %v", perms, want)
	}
	rules := map[string]bool{}
	for _, u := range toks[0].Uses {
		rules[u.Rule] = true
	}
	for _, r := range []string{"gh release download", "actions/download-artifact", "actions/attest-build-provenance"} {
		if !rules[r] {
			t.Errorf("no step by rule %s: %v", r, rules)
		}
	}
	if len(a.Unknowns) != 1 || a.Unknowns[0].Step != "Publish" {
		t.Errorf("unknowns %+v, want the Publish step's", a.Unknowns)
	}
}

func TestInferStep(t *testing.T) {
	t.Parallel()
	wf := `on: push
jobs:
  one:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          token: ${{ secrets.A }}
      - uses: example/pat-check@v1
        with:
          token: ${{ secrets.A }}
      - uses: example/pat-check@v1
        with:
          token: ${{ secrets.B }}
      - run: git push
      - env:
          GH_TOKEN: ${{ secrets.B }}
        run: gh pr create --fill
  two:
    runs-on: ubuntu-latest
    steps:
      - uses: example/pat-check@v1
        id: check
        with:
          token: ${{ secrets.A }}
      - env:
          GH_TOKEN: ${{ secrets.A }}
        run: gh issue list
`
	a, err := Workflow("w.yml", []byte(wf))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		job, action, token string
		reqs               []string
	}{
		{"one", "__example_pat-check", "A", []string{"repo", "contents:write"}},
		{"one", "__example_pat-check_2", "B", []string{"repo", "pull_requests:write"}},
		{"two", "check", "A", []string{"repo", "issues:read"}},
		{"two", "anything", "A", []string{"repo", "issues:read"}}, // the only one
	} {
		in, err := InferStep(a, c.job, c.action)
		if err != nil {
			t.Errorf("%s/%s: %v", c.job, c.action, err)
			continue
		}
		got := slices.Clone(in.Scopes)
		for _, p := range in.Permissions {
			got = append(got, p.String())
		}
		slices.Sort(got)
		slices.Sort(c.reqs)
		if in.Token != c.token || !slices.Equal(got, c.reqs) {
			t.Errorf("%s/%s: token %s requirements %v; want %s %v", c.job, c.action, in.Token, got, c.token, c.reqs)
		}
	}
	if _, err := InferStep(a, "one", "something-else"); err == nil {
		t.Error("two pat-check steps with different tokens and no match: want an error")
	}
	if _, err := InferStep(a, "three", ""); err == nil {
		t.Error("no pat-check step in the job: want an error")
	}
	if in, err := InferSecret(a, "secrets.b"); err != nil || in.Token != "B" {
		t.Errorf("InferSecret: %+v %v", in, err)
	}
}

// Scopes come out minimal: one implied by another is dropped; a
// permission needed at two levels is needed at the higher.
func TestCombineIsMinimal(t *testing.T) {
	t.Parallel()
	uses := []Use{
		{Need: Need{Scopes: []string{"repo:status"}, Permissions: []check.Permission{{Name: "contents", Level: check.LevelRead}}}},
		{Need: Need{Scopes: []string{"repo"}, Permissions: []check.Permission{{Name: "contents", Level: check.LevelWrite}}}},
		{Need: Need{Scopes: []string{"read:org", "admin:org"}}},
	}
	s, p, _ := Combine(ghplatform.Platform, uses)
	if !slices.Equal(s, []string{"admin:org", "repo"}) || len(p) != 1 || p[0].String() != "contents:write" {
		t.Errorf("scopes %v permissions %v", s, p)
	}
	s, _, _ = Combine(azplatform.Platform, []Use{{Need: Need{Scopes: []string{"vso.code", "vso.code_write", "vso.build"}}}})
	if !slices.Equal(s, []string{"vso.build", "vso.code_write"}) {
		t.Errorf("azure scopes %v", s)
	}
}

// Every row has a documented source, one matcher, and needs pat-check knows.
func TestEveryRowHasASource(t *testing.T) {
	t.Parallel()
	if len(Table) < 40 {
		t.Errorf("%d rows; the table covers at least 40", len(Table))
	}
	rules := map[string]bool{}
	for _, r := range Table {
		u, err := url.Parse(r.Source)
		if err != nil || u.Scheme != "https" || u.Host == "" {
			t.Errorf("%s: source %q is not an https URL", r.Rule, r.Source)
		}
		if rules[r.Rule+string(r.platform())] {
			t.Errorf("%s: two rows by this name", r.Rule)
		}
		rules[r.Rule+string(r.platform())] = true
	}
}

func TestTableIsWellFormed(t *testing.T) {
	t.Parallel()
	for _, r := range Table {
		matchers := 0
		for _, set := range []bool{r.Action != "", len(r.Command) > 0, r.Path != ""} {
			if set {
				matchers++
			}
		}
		if matchers != 1 {
			t.Errorf("%s: %d matchers, want one of Action, Command, Path", r.Rule, matchers)
		}
		if r.Path != "" && r.Method == "" {
			t.Errorf("%s: a path with no method", r.Rule)
		}
		if r.Action != "" && r.Action != strings.ToLower(r.Action) {
			t.Errorf("%s: action %q must be lower case (uses: is matched lower-cased)", r.Rule, r.Action)
		}
		for _, w := range r.Workflow {
			name, level, _ := strings.Cut(w, ":")
			if !slices.Contains(workflowPermissions, name) || (level != "read" && level != "write") {
				t.Errorf("%s: %q is no key: level of a workflow's permissions block", r.Rule, w)
			}
		}
		if r.Versions != "" && !versionIn("v1.2.3", r.Versions) && !versionIn("v1.9", r.Versions) && !versionIn("v99", r.Versions) && !versionIn("v0.1.0", r.Versions) && !versionIn("v6", r.Versions) {
			t.Errorf("%s: versions %q match nothing", r.Rule, r.Versions)
		}
		for _, p := range r.Permissions {
			if r.platform() != ghplatform.Platform {
				t.Errorf("%s: fine-grained permissions on an Azure DevOps row", r.Rule)
			}
			if _, err := ghplatform.ParsePermission(p); err != nil {
				t.Errorf("%s: %v", r.Rule, err)
			}
		}
		for _, s := range r.Scopes {
			known := ghplatform.IsKnownScope(s)
			if r.platform() == azplatform.Platform || r.AzureToken {
				known = slices.Contains(azplatform.KnownScopes(), s)
			}
			if !known {
				t.Errorf("%s: %q is not a scope pat-check knows", r.Rule, s)
			}
		}
		if r.Unknown != "" && (len(r.Scopes) > 0 || len(r.Permissions) > 0) {
			t.Errorf("%s: needs that are unknown cannot list needs", r.Rule)
		}
	}
}

// A ref picks the row for its version: floating majors are their newest
// release, a branch or a SHA the newest of all.
func TestVersionIn(t *testing.T) {
	t.Parallel()
	cases := []struct {
		ref, spec string
		want      bool
	}{
		{"v2.5.2", "<=v2.5.2", true}, {"v2.5.3", "<=v2.5.2", false}, {"v2", "<=v2.5.2", false}, {"v2", "v2.5.3+", true},
		{"v2.4", "<=v2.5.2", true}, {"main", "v2.5.3+", true}, {"main", "<=v2.5.2", false},
		{"0123456789abcdef0123456789abcdef01234567", "<v7", false}, {"v6", "<v7", true}, {"v7.0.1", "v7+", true},
		{"v1.7.0", "v1.7.0-v1.x", true}, {"v1.9", "v1.7.0-v1.x", true}, {"v1.6.9", "v1.7.0-v1.x", false}, {"v2", "v1.7.0-v1.x", false},
		{"v6", "v6", true}, {"v6.1.0", "v6", true}, {"v7", "v6", false}, {"v5", "<=v5", true}, {"v0.8.0", "<v1.3.0", true},
		{"anything", "", true}, {"anything", "all", true},
	}
	for _, c := range cases {
		if got := versionIn(c.ref, c.spec); got != c.want {
			t.Errorf("versionIn(%q, %q) = %v, want %v", c.ref, c.spec, got, c.want)
		}
	}
}

// Repositories named by URLs, API paths, GH_REPO and literal variables are
// the ones the need is on; a mirror push or a push after a merge carries
// workflow files.
func TestRepositoriesAndWorkflowFiles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, run       string
		repos, needs    []string
		rule            string
		noWorkflowScope bool
	}{
		{"clone URL", `git clone "https://x:${{ secrets.T }}@github.com/octo-org/private-lib.git"`, []string{"octo-org/private-lib"}, []string{"repo", "contents:read"}, "git clone/fetch/pull", true},
		{"curl path", `curl -X POST -H "Authorization: token ${{ secrets.T }}" https://api.github.com/repos/octo-org/other/dispatches`, []string{"octo-org/other"}, []string{"repo", "contents:write"}, "POST /repos/{owner}/{repo}/dispatches", true},
		{"gh api path", "export GH_TOKEN=${{ secrets.T }}\ngh api repos/octo-org/lib/releases", []string{"octo-org/lib"}, []string{"repo", "contents:read"}, "gh api GET /repos/{owner}/{repo}/releases", true},
		{"GH_REPO", "export GH_TOKEN=${{ secrets.T }} GH_REPO=octo-org/tracker\ngh issue create --title x --body y", []string{"octo-org/tracker"}, []string{"repo", "issues:write"}, "gh issue create", true},
		{"literal variable", "repo=\"o/r\"\ncurl -H \"Authorization: Bearer ${{ secrets.T }}\" \"https://api.github.com/repos/$repo/issues/1/comments\" -d '{}'", []string{"o/r"}, []string{"repo", "issues:write"}, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", true},
		{"mirror", `git push --mirror "https://x:${{ secrets.T }}@github.com/octo/mirror.git"`, []string{"octo/mirror"}, []string{"repo", "workflow", "contents:write", "workflows:write"}, "git push", false},
		{"az build list", "export AZURE_DEVOPS_EXT_PAT=${{ secrets.T }}\naz pipelines build list --top 1", nil, []string{"vso.build"}, "az pipelines build list/show", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			wf := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n" + indent(c.run, "          ") + "\n"
			a, err := Workflow(".github/workflows/x.yml", []byte(wf))
			if err != nil {
				t.Fatal(err)
			}
			var u *Use
			for i := range a.Uses {
				if a.Uses[i].Rule == c.rule {
					u = &a.Uses[i]
				}
			}
			if u == nil {
				t.Fatalf("no use by %q: %+v (unknowns %+v)", c.rule, a.Uses, a.Unknowns)
			}
			if !slices.Equal(u.Need.Repositories, c.repos) {
				t.Errorf("repositories %v, want %v", u.Need.Repositories, c.repos)
			}
			got := u.Need.Strings()
			slices.Sort(got)
			want := slices.Clone(c.needs)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("needs %v, want %v", got, want)
			}
		})
	}
}

// The JSON has the contract's shape: tokens with repositories, not_tokens,
// github_token blocks in the workflow's form, errors; the text prints the
// block as YAML to paste and each step's note.
func TestReportShapes(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/destinations.yml")
	if err != nil {
		t.Fatal(err)
	}
	a, err := File("destinations.yml", src)
	if err != nil {
		t.Fatal(err)
	}
	a.Errors = append(a.Errors, InputError{File: "broken.yml", Line: 3, Msg: "not valid YAML"})
	rep := NewReport(a, []string{"destinations.yml", "broken.yml"})
	var out struct {
		Tokens []struct {
			Secret       string   `json:"secret"`
			Repositories []string `json:"repositories"`
		} `json:"tokens"`
		NotTokens []struct {
			Secret, File, Why string
			Line              int
		} `json:"not_tokens"`
		GitHubToken []struct {
			File, Job   string
			Permissions map[string]string
		} `json:"github_token"`
		Errors []struct {
			File, Message string
			Line          int
		} `json:"errors"`
	}
	if err := json.Unmarshal(rep.JSON(), &out); err != nil {
		t.Fatal(err)
	}
	if len(out.Tokens) == 0 || out.Tokens[0].Repositories == nil {
		t.Errorf("tokens: %+v", out.Tokens)
	}
	if len(out.NotTokens) != 8 || out.NotTokens[0].Why == "" || out.NotTokens[0].Line == 0 {
		t.Errorf("not_tokens: %+v", out.NotTokens)
	}
	if len(out.GitHubToken) != 1 || out.GitHubToken[0].Job != "packages" || out.GitHubToken[0].Permissions["packages"] != "write" ||
		out.GitHubToken[0].Permissions["pull-requests"] != "write" {
		t.Errorf("github_token: %+v", out.GitHubToken)
	}
	if len(out.Errors) != 1 || out.Errors[0].File != "broken.yml" || out.Errors[0].Line != 3 {
		t.Errorf("errors: %+v", out.Errors)
	}
	text := rep.Text()
	for _, want := range []string{"      permissions:\n        packages: write\n        pull-requests: write\n", "not tokens:\n", "CHAT_HOOK (line ", "not read (line 3): not valid YAML",
		"GitHub Packages takes a classic token"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
}

// PowerShell is read for the commands and URLs the token goes to: a
// splatted Invoke-RestMethod to the API, a git push with the token in the
// URL; a statement it cannot read leaves the token unknown.
func TestPowerShellSteps(t *testing.T) {
	t.Parallel()
	pipeline := "steps:\n  - pwsh: |\n" + indent(`$params = @{
  Uri = "https://api.github.com/repos/octo/app/releases";
  Method = 'POST';
  Headers = @{
    Authorization = 'Basic ' + [Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes("x:$(GhPat)"));
  }
}
Invoke-RestMethod @params
git push https://$(PushPat)@github.com/octo/mirror.git HEAD
$x = [Some.Type]::Method("$(OddPat)") | ForEach-Object { $_ }`, "      ") + "\n"
	a, err := File("azure-pipelines.yml", []byte(pipeline))
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]string{}
	for _, u := range a.Uses {
		rules[u.Token] = u.Rule
	}
	if rules["GhPat"] != "POST /repos/{owner}/{repo}/releases" || rules["PushPat"] != "git push" {
		t.Errorf("uses %v", rules)
	}
	for _, u := range a.Uses {
		if u.Platform != ghplatform.Platform {
			t.Errorf("%s: platform %v, want GitHub (by where it goes)", u.Token, u.Platform)
		}
	}
	if !slices.ContainsFunc(a.Unknowns, func(u Unknown) bool { return u.Token == "OddPat" }) {
		t.Errorf("OddPat not unknown: %+v %+v", a.Unknowns, a.NotTokens)
	}
}

// A push with the token in its URL after a checkout that persisted another
// token says git sends the persisted one.
func TestPersistedCredentialsShadowAURL(t *testing.T) {
	t.Parallel()
	wf := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n" +
		"      - run: git push \"https://x:${{ secrets.T }}@github.com/o/r.git\" HEAD\n" +
		"      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n" +
		"      - run: git push \"https://x:${{ secrets.U }}@github.com/o/r.git\" HEAD\n"
	a, err := File(".github/workflows/x.yml", []byte(wf))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range a.Uses {
		shadow := strings.Contains(u.Note, "persisted GITHUB_TOKEN")
		if u.Token == "T" && !shadow || u.Token == "U" && shadow {
			t.Errorf("%s: note %q", u.Token, u.Note)
		}
	}
}

// Each checkout's persisted token serves git in its own path: a push in
// ./site (by -C, cd or working-directory) is the site token's, on the
// repository that checkout named.
func TestCheckoutsPerPath(t *testing.T) {
	t.Parallel()
	wf := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: actions/checkout@v4\n        with:\n          token: ${{ secrets.ROOT_PAT }}\n" +
		"      - uses: actions/checkout@v4\n        with:\n          repository: octo/site\n          path: site\n          token: ${{ secrets.SITE_PAT }}\n" +
		"      - run: git -C site push\n" +
		"      - run: cd site && git push\n" +
		"      - run: git push\n        working-directory: ./site/docs\n" +
		"      - run: git push\n"
	a, err := File(".github/workflows/x.yml", []byte(wf))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range a.Uses {
		if u.Rule == "git push" {
			got = append(got, u.Token+" "+strings.Join(u.Need.Repositories, ","))
		}
	}
	want := []string{"SITE_PAT octo/site", "SITE_PAT octo/site", "SITE_PAT octo/site", "ROOT_PAT "}
	if !slices.Equal(got, want) {
		t.Errorf("pushes %q, want %q", got, want)
	}
}
