package check

import (
	"slices"
	"testing"
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
