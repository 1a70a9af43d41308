package check

import (
	"slices"
	"testing"

	"github.com/pat-check/pat-check/internal/platformdata"
)

func TestAzureScopes(t *testing.T) {
	t.Parallel()
	if got := MissingAzureScopes([]string{"vso.code_full"}, []string{"vso.code", "vso.code_write", "vso.build"}); !slices.Equal(got, []string{"vso.build"}) {
		t.Errorf("closure: %q", got)
	}
	if got := MissingAzureScopes([]string{"app_token"}, []string{"vso.release_manage", "vso.graph"}); got != nil {
		t.Errorf("full access: %q", got)
	}
	if got := MissingAzureScopes([]string{"vso.code"}, []string{"vso.code_write"}); !slices.Equal(got, []string{"vso.code_write"}) {
		t.Errorf("read does not imply write: %q", got)
	}
	if f, read, ok := AzureFamily("vso.variablegroups_read"); f != "variablegroups" || !read || !ok {
		t.Errorf("family: %s %v %v", f, read, ok)
	}
	if AzureScopeLabel("vso.code_write") != "Code (Read & write)" {
		t.Error("label")
	}
	if got := ParseAzureScopes("vso.code vso.build,vso.code"); !slices.Equal(got, []string{"vso.code", "vso.build"}) {
		t.Errorf("parse: %q", got)
	}
}

// The scope catalogue and its inclusions come from the docs' table
// (platformdata): every scope there is known, and the chains follow it.
func TestAzureCatalogueFromData(t *testing.T) {
	t.Parallel()
	for _, s := range platformdata.AzureScopes() {
		if !slices.Contains(KnownAzureScopes(), s.Scope) {
			t.Errorf("%s is not known", s.Scope)
		}
	}
	for granted, want := range map[string]string{
		"vso.environment_manage":  "vso.agentpools_manage",
		"vso.machinegroup_manage": "vso.agentpools",
		"vso.code_full":           "vso.code",
		"vso.build":               "vso.hooks_write",
	} {
		if !slices.Contains(ExpandAzureScopes([]string{granted}), want) {
			t.Errorf("%s does not include %s", granted, want)
		}
	}
	if slices.Contains(ExpandAzureScopes([]string{"vso.code"}), "vso.code_write") {
		t.Error("vso.code includes vso.code_write")
	}
}
