package azdo

import (
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/platformdata"
)

func TestAzureScopes(t *testing.T) {
	t.Parallel()
	if got := MissingScopes([]string{"vso.code_full"}, []string{"vso.code", "vso.code_write", "vso.build"}); !slices.Equal(got, []string{"vso.build"}) {
		t.Errorf("closure: %q", got)
	}
	if got := MissingScopes([]string{"app_token"}, []string{"vso.release_manage", "vso.graph"}); got != nil {
		t.Errorf("full access: %q", got)
	}
	if got := MissingScopes([]string{"vso.code"}, []string{"vso.code_write"}); !slices.Equal(got, []string{"vso.code_write"}) {
		t.Errorf("read does not imply write: %q", got)
	}
	if f, read, ok := Family("vso.variablegroups_read"); f != "variablegroups" || !read || !ok {
		t.Errorf("family: %s %v %v", f, read, ok)
	}
	if ScopeLabel("vso.code_write") != "Code (Read & write)" {
		t.Error("label")
	}
	if got := ParseScopes("vso.code vso.build,vso.code"); !slices.Equal(got, []string{"vso.code", "vso.build"}) {
		t.Errorf("parse: %q", got)
	}
}

// A family's scopes come broadest first (the one that includes the most),
// as the New Token page lists them; an unknown family has none.
func TestFamilyScopes(t *testing.T) {
	t.Parallel()
	if got, want := FamilyScopes("code"), []string{"vso.code_full", "vso.code_manage", "vso.code_write", "vso.code", "vso.code_status"}; !slices.Equal(got, want) {
		t.Errorf("code: %q, want %q", got, want)
	}
	if got := FamilyScopes("nothing_such"); got != nil {
		t.Errorf("an unknown family: %q", got)
	}
}

// The scope catalogue and its inclusions come from the docs' table
// (platformdata): every scope there is known, and the chains follow it.
func TestAzureCatalogueFromData(t *testing.T) {
	t.Parallel()
	for _, s := range platformdata.AzureScopes() {
		if !slices.Contains(KnownScopes(), s.Scope) {
			t.Errorf("%s is not known", s.Scope)
		}
	}
	for granted, want := range map[string]string{
		"vso.environment_manage":  "vso.agentpools_manage",
		"vso.machinegroup_manage": "vso.agentpools",
		"vso.code_full":           "vso.code",
		"vso.build":               "vso.hooks_write",
	} {
		if !slices.Contains(ExpandScopes([]string{granted}), want) {
			t.Errorf("%s does not include %s", granted, want)
		}
	}
	if slices.Contains(ExpandScopes([]string{"vso.code"}), "vso.code_write") {
		t.Error("vso.code includes vso.code_write")
	}
}

func TestScopeVerdicts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fact   check.ScopeFact
		state  check.PermissionState
		reason string
	}{
		{check.ScopeFact{Scope: FullAccess}, check.PermUnverified, "full access"},
		{check.ScopeFact{Scope: "vso.nothing_such"}, check.PermUnverified, "does not know"},
		{check.ScopeFact{Scope: "vso.build", NoProbe: "no-project"}, check.PermUnverified, "needs a project"},
		{check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 200}}, check.PermGranted, ""},
		{check.ScopeFact{Scope: "vso.code_manage", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: check.AzureAnswer{Status: 404}}, check.PermUnverified, "no request is known that proves vso.code_manage"},
		{check.ScopeFact{Scope: "vso.code_write", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: check.AzureAnswer{Status: 404}}, check.PermGranted, ""},
		{check.ScopeFact{Scope: "vso.code_write", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: check.AzureAnswer{Status: 401, PlainRefusal: true}}, check.PermMissing, ""},
		{check.ScopeFact{Scope: "vso.code_write", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: check.AzureAnswer{Status: 200}}, check.PermUnverified, "unexpected answer"},
		{check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 401, PlainRefusal: true}}, check.PermMissing, ""},
		// After connectionData accepted the token, a 401 is a missing scope
		// whatever its body: a TF400813 naming the user is a scope refusal.
		{check.ScopeFact{Scope: "vso.build", Probed: true, Project: "Web", Answer: check.AzureAnswer{Status: 401,
			Message: "TF400813: The user 'b5c0e3a2-1111-4c1e-9d57-6d2f1f0e7a10' is not authorized to access this resource."}}, check.PermMissing, ""},
		{check.ScopeFact{Scope: "vso.build_execute", Probed: true, ProbedScope: "vso.build", Answer: check.AzureAnswer{Status: 401}}, check.PermMissing, ""},
		// The token itself refused: the anonymous user, or expired.
		{check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 401, TokenRefused: true,
			Message: "TF400813: The user '' is not authorized to access this resource."}}, check.PermUnverified, "refused the token itself"},
		{check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 203, SignIn: true}}, check.PermUnverified, "sign-in page"},
		{check.ScopeFact{Scope: "vso.build", Probed: true, Project: "Web", Answer: check.AzureAnswer{Status: 404}}, check.PermUnverified, `project "Web" does not exist`},
		{check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Problem: &check.APIProblem{Message: "503"}}}, check.PermFailed, ""},
		// A read probe's 404 outside any project: the area is not there, or
		// not for this user; a 403: the user, not the token, lacks it.
		{check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 404, Message: "not found"}}, check.PermUnverified,
			`the service does not have this area, or the user cannot see it (404 "not found")`},
		{check.ScopeFact{Scope: "vso.code", Probed: true, Answer: check.AzureAnswer{Status: 403}}, check.PermUnverified, "the user lacks a permission in this area (403)"},
		{check.ScopeFact{Scope: "vso.code", NoProbe: "no-request"}, check.PermUnverified, "no request is known that proves this scope"},
		{check.ScopeFact{Scope: "vso.code", NoProbe: "unknown"}, check.PermUnverified, "pat-check does not know this scope"},
		{check.ScopeFact{Scope: "vso.build_execute", Probed: true, ProbedScope: "vso.build", Answer: check.AzureAnswer{Status: 200}}, check.PermUnverified,
			"vso.build is granted, but no request is known that proves vso.build_execute without changing anything"},
	}
	for _, tt := range tests {
		got := ScopeVerdicts(check.Facts{ScopeProbes: []check.ScopeFact{tt.fact}})[0]
		if got.State != tt.state || !strings.Contains(got.Reason, tt.reason) {
			t.Errorf("%+v: verdict %+v, want %v with %q", tt.fact, got, tt.state, tt.reason)
		}
	}
}
