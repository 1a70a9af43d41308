package needs

import (
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
		file     string
		tokens   map[string]wantToken
		steps    []wantStep
		unknowns []wantUnknown
		unused   []string
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
				"GITHUB_TOKEN":   {scopes: []string{"repo"}, perms: []string{"contents:read"}},
			},
			steps: []wantStep{
				{"GITHUB_TOKEN", "- uses: actions/checkout@v4", "actions/checkout"},
				{"PINS_BOT_TOKEN", "token: ${{ secrets.PINS_BOT_TOKEN }}", "peter-evans/create-pull-request"},
				{"PINS_BOT_TOKEN", "2nd token: ${{ secrets.PINS_BOT_TOKEN }}", "peter-evans/create-or-update-comment"},
			},
		},
		{
			file: "release.yml",
			tokens: map[string]wantToken{
				"RELEASE_TOKEN": {scopes: []string{"repo"}, perms: []string{"contents:write"}},
				"PACKAGES_PAT":  {scopes: []string{"write:packages"}},
				"GITHUB_TOKEN":  {scopes: []string{"repo"}, perms: []string{"contents:read"}},
			},
			steps: []wantStep{
				{"GITHUB_TOKEN", "- uses: actions/checkout@v4", "actions/checkout"},
				{"RELEASE_TOKEN", "token: ${{ secrets.RELEASE_TOKEN }}", "softprops/action-gh-release"},
				{"RELEASE_TOKEN", "gh release edit", "gh release create/upload/edit/delete"},
				{"RELEASE_TOKEN", "gh release view", "gh release download/list/view"},
				{"PACKAGES_PAT", "password: ${{ secrets.PACKAGES_PAT }}", "docker/login-action (ghcr.io)"},
			},
			unknowns: []wantUnknown{{"RELEASE_TOKEN", "github-token: ${{ secrets.RELEASE_TOKEN }}", "arbitrary JavaScript"}},
		},
		{
			file: "commit-actions.yml",
			tokens: map[string]wantToken{
				"FORMAT_PAT":   {scopes: []string{"repo"}, perms: []string{"contents:write"}},
				"STAMP_PAT":    {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"example-org/website"}},
				"GITHUB_TOKEN": {scopes: []string{"repo"}, perms: []string{"contents:read"}},
			},
			steps: []wantStep{
				{"FORMAT_PAT", "token: ${{ secrets.FORMAT_PAT }}", "actions/checkout"},
				{"FORMAT_PAT", "stefanzweifel/git-auto-commit-action@v5", "stefanzweifel/git-auto-commit-action"},
				{"GITHUB_TOKEN", "2nd - uses: actions/checkout@v4", "actions/checkout"},
				{"STAMP_PAT", "github_token: ${{ secrets.STAMP_PAT }}", "EndBug/add-and-commit"},
				{"STAMP_PAT", "2nd github_token: ${{ secrets.STAMP_PAT }}", "ad-m/github-push-action"},
			},
		},
		{
			file: "dispatch.yml",
			tokens: map[string]wantToken{
				"DOCS_DISPATCH_PAT":       {scopes: []string{"repo"}, perms: []string{"contents:write"}, repos: []string{"example-org/docs-site"}},
				"steps.app.outputs.token": {scopes: []string{"repo"}, perms: []string{"issues:write"}, repos: []string{"example-org/docs-site"}},
			},
			steps: []wantStep{
				{"DOCS_DISPATCH_PAT", "token: ${{ secrets.DOCS_DISPATCH_PAT }}", "peter-evans/repository-dispatch"},
				{"steps.app.outputs.token", "gh issue create", "gh issue create/comment/edit/close"},
			},
		},
		{
			file: "gh-and-curl.yml",
			tokens: map[string]wantToken{
				"TRIAGE_TOKEN": {scopes: []string{"repo"}, perms: []string{"actions:write", "contents:write", "issues:write"}},
			},
			steps: []wantStep{
				{"TRIAGE_TOKEN", "gh issue comment", "gh issue create/comment/edit/close"},
				{"TRIAGE_TOKEN", "gh workflow run", "gh workflow run/enable/disable"},
				{"TRIAGE_TOKEN", "gh api repos/{owner}/{repo}/dispatches", "POST /repos/O/R/dispatches"},
				{"TRIAGE_TOKEN", "curl -fsSL -X POST", "POST /repos/O/R/issues/N/comments"},
			},
			unknowns: []wantUnknown{
				{"TRIAGE_TOKEN", `gh api "$ENDPOINT"`, "computed endpoint"},
				{"TRIAGE_TOKEN", "gh api graphql", "GraphQL"},
				{"TRIAGE_TOKEN", "metrics.example.com", "host pat-check does not recognise"},
			},
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
			file: "azure-pipelines.yml",
			tokens: map[string]wantToken{
				"ADO_PAT":            {scopes: []string{"vso.build_execute", "vso.code_write"}},
				"System.AccessToken": {scopes: []string{"vso.code_write"}},
				"GH_MIRROR_PAT":      {scopes: []string{"repo"}, perms: []string{"contents:write"}},
			},
			steps: []wantStep{
				{"System.AccessToken", "- checkout: self", "checkout: self (persistCredentials)"},
				{"ADO_PAT", "az repos pr create", "az repos pr create/update"},
				{"ADO_PAT", "az pipelines run", "az pipelines run/build queue"},
				{"System.AccessToken", "git push origin --tags", "git push (Azure Repos)"},
				{"ADO_PAT", `curl -sS -u ":$(ADO_PAT)"`, "POST _apis/build/builds"},
				{"GH_MIRROR_PAT", "git push \"https://bot:", "git push"},
			},
			unknowns: []wantUnknown{
				{"ADO_PAT", "$env:AZURE_DEVOPS_EXT_PAT", "pwsh script"},
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
		{"gh auth login", "echo \"${{ secrets.T }}\" | gh auth login --with-token\ngh pr merge 12 --squash", 1, "gh pr merge"},
		{"inline env", "GH_TOKEN=${{ secrets.T }} gh pr create --fill", 1, "gh pr create"},
		{"export", "export GH_TOKEN=\"${{ secrets.T }}\"\nif true; then gh secret set X --body y; fi", 1, "gh secret set/delete"},
		{"other host", `git push "https://x:${{ secrets.T }}@gitlab.example.com/o/r.git"`, 0, ""},
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
	if _, _, err := Load("testdata", []string{"missing.yml"}); err == nil || !strings.Contains(err.Error(), "missing.yml") {
		t.Errorf("a missing file: %v", err)
	}
}

// The project's own release workflow: its GITHUB_TOKEN reads the build's
// artifact, downloads the release and attests; the publish step hands it
// to a script (scripts/publish-release.sh), which is an unknown.
func TestOwnReleaseWorkflow(t *testing.T) {
	t.Parallel()
	a, _, err := Load("../..", []string{".github/workflows/release.yml"})
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
	for _, r := range []string{"gh release download/list/view", "actions/download-artifact", "actions/attest-build-provenance"} {
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
		var got []string
		for _, r := range in.Requirements() {
			if !slices.Contains(got, r.Requirement) {
				got = append(got, r.Requirement)
			}
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
	s, p, _ := Combine(check.GitHub, uses)
	if !slices.Equal(s, []string{"admin:org", "repo"}) || len(p) != 1 || p[0].String() != "contents:write" {
		t.Errorf("scopes %v permissions %v", s, p)
	}
	s, _, _ = Combine(check.AzureDevOps, []Use{{Need: Need{Scopes: []string{"vso.code", "vso.code_write", "vso.build"}}}})
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
		if rules[r.Rule+r.Platform.String()] {
			t.Errorf("%s: two rows by this name", r.Rule)
		}
		rules[r.Rule+r.Platform.String()] = true
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
		for _, p := range r.Permissions {
			if r.Platform != check.GitHub {
				t.Errorf("%s: fine-grained permissions on an Azure DevOps row", r.Rule)
			}
			if _, err := ghplatform.ParsePermission(p); err != nil {
				t.Errorf("%s: %v", r.Rule, err)
			}
		}
		for _, s := range r.Scopes {
			known := ghplatform.IsKnownScope(s)
			if r.Platform == check.AzureDevOps {
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
