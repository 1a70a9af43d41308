package app

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/frontend"
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
