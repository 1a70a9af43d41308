package guide

import (
	"testing"

	"github.com/pat-check/pat-check/internal/frontend"
)

// A name of tokens with no value gets a fix in its front-end's words,
// naming the name.
func TestFixUnsetNameInEachFrontendsWords(t *testing.T) {
	t.Parallel()
	tests := map[frontend.Kind]string{
		frontend.Actions:        "1. Check that the secret RELEASE_PAT exists (repository, environment or organization secrets) and that this workflow can see it: pull requests from forks and Dependabot runs get no Actions secrets.\n2. Or remove RELEASE_PAT from tokens.",
		frontend.AzurePipelines: "1. Check that the variable RELEASE_PAT is defined for this job (in the pipeline, or in a variable group it links) and mapped: NAME=$(RELEASE_PAT).\n2. Or remove the line from tokens.",
		frontend.CommandLine:    "1. export RELEASE_PAT (or remove it from --tokens-from-env).",
		"":                      "",
	}
	for on, want := range tests {
		if got := (Context{Frontend: on}).FixUnsetName("RELEASE_PAT"); got != want {
			t.Errorf("%q: %q, want %q", on, got, want)
		}
	}
}
