package platformdata

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
)

// The counts are those the files' own headers and the issue that brought
// them state: 1,011 GitHub rows over 73 permissions, 86 Azure DevOps scopes.
func TestFilesParseWhole(t *testing.T) {
	if n := len(GitHubEndpoints()); n != 1011 {
		t.Errorf("GitHub rows = %d, want 1011", n)
	}
	if n := len(Permissions()); n != 73 {
		t.Errorf("GitHub permissions = %d, want 73", n)
	}
	if n := len(AzureScopes()); n != 86 {
		t.Errorf("Azure DevOps scopes = %d, want 86", n)
	}
}

// The header lines are facts with a source and a license: they stay.
func TestHeadersKept(t *testing.T) {
	for name, text := range map[string]string{"github": GitHubFile(), "azure": AzureFile()} {
		for _, want := range []string{"# Source: ", "commit ", "# License: ", "CC-BY-4.0"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s file lost its header: no %q", name, want)
			}
		}
	}
}

func TestGating(t *testing.T) {
	for _, c := range []struct{ method, path, want string }{
		{"POST", "/repos/o/r/git/blobs", "contents=write"},
		{"GET", "/repos/o/r/environments", "actions=read"},
		{"GET", "/repos/o/r/environments/x/variables", "environments=read"},
		{"GET", "/repos/o/r/actions/secrets/public-key", "secrets=read"},
		{"PATCH", "/repos/o/r/hooks/1", "repository_hooks=write"},
		{"GET", "/repos/o/r/no/such/thing", ""},
	} {
		var got []string
		for _, e := range Gating(c.method, c.path) {
			got = append(got, e.Permission+"="+e.Access)
		}
		if strings.Join(got, ";") != c.want {
			t.Errorf("Gating(%s %s) = %q, want %q", c.method, c.path, got, c.want)
		}
	}
}

func TestLevels(t *testing.T) {
	for p, want := range map[string]string{
		"workflows": "write", "gists": "write", "profile": "write", "codespaces_secrets": "write",
		"metadata": "read", "contents": "read,write", "checks": "",
	} {
		if got := strings.Join(Levels(p), ","); got != want {
			t.Errorf("Levels(%s) = %q, want %q", p, got, want)
		}
	}
}

func TestAzureIncludes(t *testing.T) {
	for _, s := range AzureScopes() {
		if s.Scope == "vso.environment_manage" {
			if len(s.Includes) != 1 || s.Includes[0] != "vso.agentpools_manage" {
				t.Errorf("vso.environment_manage includes %q", s.Includes)
			}
			return
		}
	}
	t.Error("vso.environment_manage is not in the catalogue")
}

// The Octokit file parses whole (its header says 1,044 methods), keeps its
// header, and resolves a method the way Octokit sends it.
func TestOctokitMethods(t *testing.T) {
	if n := len(OctokitMethods()); n != 1044 {
		t.Errorf("Octokit methods = %d, want 1044", n)
	}
	if !strings.HasPrefix(OctokitFile(), "# Octokit's REST method names") {
		t.Error("the Octokit file lost its header")
	}
	m, ok := OctokitMethod("pulls.create")
	if !ok || m.Verb != "POST" || m.Path != "/repos/{owner}/{repo}/pulls" {
		t.Errorf("pulls.create = %+v, %v", m, ok)
	}
	if _, ok := OctokitMethod("pulls.nonesuch"); ok {
		t.Error("a method Octokit does not have resolved")
	}
}

// Each embedded .gz is the file beside it, byte for byte. With
// PAT_CHECK_WRITE_DATA=1 the test writes the .gz files from the copies
// (deterministically: no name, no time in the gzip header).
func TestCompressedCopies(t *testing.T) {
	for _, f := range []string{"github-fine-grained-permissions.tsv", "azure-devops-scopes.tsv", "octokit-rest-methods.tsv"} {
		want, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if os.Getenv("PAT_CHECK_WRITE_DATA") == "1" {
			var b bytes.Buffer
			w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			if _, err := w.Write(want); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f+".gz", b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		gz, err := os.ReadFile(f + ".gz")
		if err != nil {
			t.Fatal(err)
		}
		if got := gunzip(gz); got != string(want) {
			t.Errorf("%s.gz is not %s (run the test with PAT_CHECK_WRITE_DATA=1)", f, f)
		}
	}
	if GitHubFile() == "" || AzureFile() == "" || OctokitFile() == "" {
		t.Error("an embedded file is empty")
	}
}
