package app

import (
	"context"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"io"
	"io/fs"
	"maps"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/frontend"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
	"github.com/pat-check/pat-check/internal/provider"
	"github.com/pat-check/pat-check/internal/token"
)

// The command line reads the token from the variables each provider names,
// in the providers' order, which provider auto follows: GH_TOKEN and
// GITHUB_TOKEN before AZURE_DEVOPS_EXT_PAT (PAT_CHECK_TOKEN, pat-check's
// own, comes first; frontend's test holds that).
func TestTokenVariablesFromProviders(t *testing.T) {
	t.Parallel()
	want := []frontend.TokenVariables{
		{Provider: "github", Names: []string{"GH_TOKEN", "GITHUB_TOKEN"}},
		{Provider: "azure-devops", Names: []string{"AZURE_DEVOPS_EXT_PAT"}},
	}
	if diff := cmp.Diff(want, tokenVariables(Providers())); diff != "" {
		t.Errorf("token variables (-want +got):\n%s", diff)
	}
}

// How inferred needs become requirements is each provider's answer, not a
// switch on platforms in app: scopes (and the repositories they must
// reach) for GitHub's classic and OAuth tokens, permissions for its other
// kinds, scopes alone for Azure DevOps whatever the token.
func TestInferredBasisFromTheProviders(t *testing.T) {
	t.Parallel()
	type row struct {
		platform check.Platform
		kind     token.Kind
		want     provider.Basis
	}
	for _, r := range []row{
		{ghplatform.Platform, token.Classic, provider.Basis{Scopes: true, Repositories: true}},
		{ghplatform.Platform, token.OAuth, provider.Basis{Scopes: true, Repositories: true}},
		{ghplatform.Platform, token.FineGrained, provider.Basis{}},
		{ghplatform.Platform, token.AppInstallation, provider.Basis{}},
		{ghplatform.Platform, token.Unknown, provider.Basis{}},
		{azplatform.Platform, token.AzureDevOps, provider.Basis{Scopes: true}},
		{azplatform.Platform, token.Unknown, provider.Basis{Scopes: true}},
		{azplatform.Platform, token.Classic, provider.Basis{Scopes: true}},
	} {
		if got := providerFor(r.platform).Inferred(r.kind); got != r.want {
			t.Errorf("%s, %s: %+v, want %+v", r.platform, r.kind, got, r.want)
		}
	}
}

// --help is written by hand: it must still name every variable a provider
// reads the token from, so that a provider's new variable is documented.
func TestHelpNamesEveryTokenVariable(t *testing.T) {
	t.Parallel()
	help := frontend.Help()
	_, env, _ := strings.Cut(help, "Environment:")
	for _, v := range tokenVariables(Providers()) {
		for _, name := range v.Names {
			if !strings.Contains(env, name) {
				t.Errorf("the Environment paragraph of --help does not name %s (provider %s)", name, v.Provider)
			}
		}
	}
}

// Each front-end's words reach infer's and scan-workspace's messages as
// they were when infer and config spelled them per front-end themselves.
func TestFrontendWordsInInferAndScan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	ref := "octo/app/.github/workflows/ci.yml@refs/heads/main"
	actions := map[string]string{"GITHUB_ACTIONS": "true"}
	azure := map[string]string{"TF_BUILD": "True"}
	with := func(base map[string]string, kv ...string) map[string]string {
		m := maps.Clone(base)
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name   string
		env    map[string]string
		opts   map[string]string
		option string
		want   string
	}{
		{"actions, no ref", actions, nil, "infer", "GITHUB_WORKFLOW_REF is not set, so the running workflow's file is unknown: give scopes or permissions"},
		{"actions, ref outside workflows", with(actions, "GITHUB_WORKFLOW_REF", "octo/app/ci.yml@refs/heads/main"), nil, "infer",
			`GITHUB_WORKFLOW_REF "octo/app/ci.yml@refs/heads/main" names no file under .github/workflows: give scopes or permissions`},
		{"actions, no workspace", with(actions, "GITHUB_WORKFLOW_REF", ref), nil, "infer", "GITHUB_WORKSPACE is not set, so the workflow file cannot be read: give scopes or permissions"},
		{"actions, not checked out", with(actions, "GITHUB_WORKFLOW_REF", ref, "GITHUB_WORKSPACE", dir), nil, "infer",
			"the workflow file .github/workflows/ci.yml is not in GITHUB_WORKSPACE (" + dir + "): the repository is not checked out. Check it out first (actions/checkout in a step before this one), or give scopes or permissions"},
		{"actions, outside", with(actions, "GITHUB_WORKFLOW_REF", "octo/app/.github/workflows/../../../x.yml@main", "GITHUB_WORKSPACE", dir), nil, "infer",
			"the file .github/workflows/../../../x.yml is outside GITHUB_WORKSPACE (" + dir + "): name a file of the checkout, or give scopes or permissions"},
		{"azure, no sources", azure, nil, "workflow", "BUILD_SOURCESDIRECTORY is not set, so the pipeline's YAML cannot be read: give scopes or permissions"},
		{"azure, not checked out", with(azure, "BUILD_SOURCESDIRECTORY", dir), nil, "workflow",
			"the pipeline file azure-pipelines.yml is not in BUILD_SOURCESDIRECTORY (" + dir + "): check out the repository first (checkout: self), name the file in pipelineFile, or give scopes"},
		{"azure, outside", with(azure, "BUILD_SOURCESDIRECTORY", dir), map[string]string{"workflow": "../x.yml"}, "workflow",
			"the file ../x.yml is outside BUILD_SOURCESDIRECTORY (" + dir + "): name a file of the checkout, or give scopes or permissions"},
		{"command line, no file", nil, nil, "infer", "needs --workflow FILE (the workflow or pipeline to read) and, when the file uses several tokens, --secret NAME"},
	}
	for _, tt := range tests {
		fe := frontend.Detect(nil, func(k string) string { return tt.env[k] }, frontend.Stdio{Out: io.Discard, Err: io.Discard}, nil)
		opts := map[string]string{"infer": "true"}
		maps.Copy(opts, tt.opts)
		cfg, problems := config.Parse(opts, fe.Env(), ghplatform.ParsePermission)
		if len(problems) > 0 {
			t.Fatalf("%s: %v", tt.name, problems)
		}
		inf, problems := infer(context.Background(), cfg, func(string) bool { return false }, fe.Env(), fe.Job(), token.Classic)
		want := []config.Problem{{Option: tt.option, Message: tt.want}}
		if diff := cmp.Diff(want, problems); diff != "" || inf != nil {
			t.Errorf("%s: inference %v, problems (-want +got):\n%s", tt.name, inf, diff)
		}
	}

	// A classic release job has nothing to read, which is no error.
	fe := frontend.Detect(nil, func(k string) string {
		return with(azure, "SYSTEM_DEFAULTWORKINGDIRECTORY", dir)[k]
	}, frontend.Stdio{Out: io.Discard, Err: io.Discard}, nil)
	cfg, _ := config.Parse(map[string]string{"infer": "true"}, fe.Env(), ghplatform.ParsePermission)
	inf, problems := infer(context.Background(), cfg, func(string) bool { return false }, fe.Env(), fe.Job(), token.AzureDevOps)
	if want := "infer has nothing to read in a classic release job: it has no pipeline YAML (its working directory holds the release's artifacts), so no scope is required; give scopes to check them"; inf == nil || inf.none != want || len(problems) > 0 {
		t.Errorf("release job: inference %+v, problems %v", inf, problems)
	}

	// scan-workspace with no checkout, in each front-end's words.
	scan := []struct {
		env  map[string]string
		dir  string
		want string
	}{
		{actions, "", "GITHUB_WORKSPACE is not set, so there is no checkout to search: run the step after actions/checkout"},
		{azure, "", "BUILD_SOURCESDIRECTORY is not set (nor, for a classic release job, SYSTEM_DEFAULTWORKINGDIRECTORY), so there is no checkout to search: run the task in a job that checks out the repository"},
		{with(azure, "SYSTEM_DEFAULTWORKINGDIRECTORY", dir), dir, ""},
		{nil, ".", ""},
	}
	for _, tt := range scan {
		fe := frontend.Detect(nil, func(k string) string { return tt.env[k] }, frontend.Stdio{Out: io.Discard, Err: io.Discard}, nil)
		cfg, problems := config.Parse(map[string]string{"scan-workspace": "true"}, fe.Env(), ghplatform.ParsePermission)
		var got string
		for _, p := range problems {
			got += p.Message
		}
		if cfg.ScanDir != tt.dir || got != tt.want {
			t.Errorf("%s: scan %q, problem %q; want %q, %q", fe.Kind(), cfg.ScanDir, got, tt.dir, tt.want)
		}
	}
}

// The front-end kind is frontend's: outside it no code compares a value
// with the kinds' spellings ("actions", "azure", "cli"), which would bypass
// the type; and the neutral core (check, config) knows neither the
// front-ends nor the platforms, which hand in what it needs.
func TestFrontendKindStaysInFrontend(t *testing.T) {
	t.Parallel()
	const module = "github.com/pat-check/pat-check/internal/"
	kinds := map[string]bool{`"actions"`: true, `"azure"`: true, `"cli"`: true}
	banned := map[string][]string{
		"check":  {"frontend", "platform/", "provider"},
		"config": {"frontend", "platform/", "provider"},
	}
	var files []string
	for _, root := range []string{"..", filepath.Join("..", "..", "cmd")} {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || path == filepath.Join("..", "frontend")) {
				return filepath.SkipDir
			}
			if !d.IsDir() && strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if len(files) < 50 {
		t.Fatalf("found %d files: the walk missed the tree", len(files))
	}
	fset := gotoken.NewFileSet()
	for _, f := range files {
		parsed, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel("..", filepath.Dir(f))
		for _, imp := range parsed.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, b := range banned[filepath.ToSlash(rel)] {
				if strings.HasPrefix(path, module+b) {
					t.Errorf("%s imports %s: %s must not depend on %s", f, path, rel, b)
				}
			}
		}
		isKind := func(e ast.Expr) bool {
			lit, ok := e.(*ast.BasicLit)
			return ok && lit.Kind == gotoken.STRING && kinds[lit.Value]
		}
		ast.Inspect(parsed, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if (n.Op == gotoken.EQL || n.Op == gotoken.NEQ) && (isKind(n.X) || isKind(n.Y)) {
					t.Errorf("%s: compares with a front-end kind's spelling; use frontend.Kind", fset.Position(n.Pos()))
				}
			case *ast.CaseClause:
				for _, e := range n.List {
					if isKind(e) {
						t.Errorf("%s: a case on a front-end kind's spelling; use frontend.Kind", fset.Position(e.Pos()))
					}
				}
			}
			return true
		})
	}
}
