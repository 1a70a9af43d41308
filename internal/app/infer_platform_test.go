package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// A GitHub token passed to steps that call Azure DevOps is the wrong secret,
// not a wrong option: the error says so and names no scopes option the user
// never gave (it said "--scopes: "vso.code" is an Azure DevOps scope").
func TestInferredNeedsOfAnotherPlatform(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	wf := filepath.Join(t.TempDir(), "ci.yml")
	src := "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - run: az repos list --organization https://dev.azure.com/contoso\n" +
		"        env:\n          AZURE_DEVOPS_EXT_PAT: ${{ secrets.MY_PAT }}\n"
	if err := os.WriteFile(wf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runMain(t, w, mainCase{token: fixture.Healthy, args: []string{"--infer", "--workflow", wf}})
	f, ok := r.report.find("config-invalid")
	if r.code != 2 || !ok {
		t.Fatalf("exit %d, config-invalid %v\n%s", r.code, ok, r.visible)
	}
	for _, want := range []string{"using MY_PAT need a token for Azure DevOps (az repos", "shaped like a GitHub token", "pass the secret those steps use"} {
		if !strings.Contains(f.Message, want) {
			t.Errorf("the message lacks %q: %s", want, f.Message)
		}
	}
	if strings.Contains(r.visible, "--scopes") {
		t.Errorf("blames --scopes, which was not given:\n%s", r.visible)
	}
	// The Azure DevOps PAT those steps use is checked for what they need.
	r = runMain(t, w, mainCase{token: fixture.AzureValid, args: []string{"--infer", "--workflow", wf, "--organization", w.Org}})
	if _, bad := r.report.find("config-invalid"); bad {
		t.Errorf("the Azure DevOps PAT: config-invalid\n%s", r.visible)
	}
}
