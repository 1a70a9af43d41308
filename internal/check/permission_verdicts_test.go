package check

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/token"
)

// The verdicts the probes' answers lead to, as a table: one row per rule of
// permission_verdicts.go.
func TestPermissionVerdicts(t *testing.T) {
	t.Parallel()
	hooks := Permission{Name: "repository_hooks", Level: LevelWrite}
	answered := func(status int, expect ProbeExpect) *ProbeResult {
		return &ProbeResult{Request: "GET /repos/o/r/hooks", Expect: expect, Answer: ProbeAnswer{Status: status}}
	}
	byID := ProbeExpect{Granted: []int{404, 422}, ByMissingID: true}
	read := ProbeExpect{Granted: []int{200}}
	tests := []struct {
		name   string
		kind   token.Kind
		fact   PermissionFact
		state  PermissionState
		reason string
	}{
		{"own probe granted", token.FineGrained, PermissionFact{Probe: answered(200, read)}, PermGranted, ""},
		{"own probe 403", token.FineGrained, PermissionFact{Probe: answered(403, read)}, PermMissing, ""},
		{"own probe 404", token.FineGrained, PermissionFact{Probe: answered(404, read)}, PermMissing, ""},
		{"unsure status", token.FineGrained, PermissionFact{Probe: answered(409, ProbeExpect{Granted: []int{200}, Unsure: []int{409}, UnsureReason: "empty repository"})}, PermUnverified, "empty repository"},
		{"unexpected status", token.FineGrained, PermissionFact{Probe: answered(418, read)}, PermUnverified, "unexpected answer (418)"},
		{"no probe at all", token.FineGrained, PermissionFact{NoProbe: "no safe request"}, PermUnverified, "no safe request"},
		{"write without probe, read granted", token.FineGrained, PermissionFact{NoProbe: "no safe request", Read: answered(200, read)}, PermUnverified, "no safe request (read is granted)"},
		{"write without probe, read refused", token.FineGrained, PermissionFact{NoProbe: "no safe request", Read: answered(403, read)}, PermMissing, ""},
		{"by missing id, classic token", token.Classic, PermissionFact{Probe: &ProbeResult{Expect: byID}}, PermUnverified, "classic or OAuth"},
		{"by missing id, read confirms", token.FineGrained, PermissionFact{Probe: answered(404, byID), Read: answered(200, read)}, PermGranted, ""},
		{"by missing id, read refused", token.FineGrained, PermissionFact{Probe: answered(404, byID), Read: answered(403, read)}, PermMissing, ""},
		{"by missing id, read hidden too", token.FineGrained, PermissionFact{Probe: answered(404, byID), Read: answered(404, read)}, PermUnverified, "404 to the read probe"},
		{"by missing id, no read probe", token.FineGrained, PermissionFact{Probe: answered(404, byID)}, PermUnverified, "no read probe can confirm"},
		{"by missing id, write refused", token.FineGrained, PermissionFact{Probe: answered(403, byID), Read: answered(200, read)}, PermMissing, ""},
		{"sso", token.FineGrained, PermissionFact{Probe: &ProbeResult{Expect: read, Answer: ProbeAnswer{Status: 403, SSORequired: true, SSOURL: "https://github.com/orgs/o/sso"}}}, PermUnreachable, ""},
		{"policy", token.FineGrained, PermissionFact{Probe: &ProbeResult{Expect: read, Answer: ProbeAnswer{Status: 403, Policy: true, Message: "forbids access via"}}}, PermUnreachable, ""},
		{"problem", token.FineGrained, PermissionFact{Probe: &ProbeResult{Expect: read, Answer: ProbeAnswer{Problem: &APIProblem{What: "GET x", Message: "502"}}}}, PermFailed, ""},
		{"401 on a probe", token.FineGrained, PermissionFact{Probe: answered(401, read)}, PermFailed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fact.Permission, tt.fact.Target = hooks, "o/r"
			got := PermissionVerdicts(Facts{Kind: tt.kind, Permissions: []PermissionFact{tt.fact}})
			if len(got) != 1 || got[0].State != tt.state || !strings.Contains(got[0].Reason, tt.reason) {
				t.Errorf("verdict = %+v, want state %v with a reason containing %q", got, tt.state, tt.reason)
			}
		})
	}
}

// A target that cannot be reached settles its cells; a public repository
// turns a public read into "proves nothing".
func TestPermissionVerdictsSettleOnTargets(t *testing.T) {
	t.Parallel()
	p := Permission{Name: "issues", Level: LevelRead}
	probe := &ProbeResult{Expect: ProbeExpect{Granted: []int{200}, PublicRead: true}, Answer: ProbeAnswer{Status: 200}}
	f := Facts{Kind: token.FineGrained,
		Repositories: []Resource{{Name: "o/public", Access: AccessOK}, {Name: "o/gone", Access: AccessNotFound}, {Name: "o/private", Access: AccessOK, Private: true}},
		Permissions:  []PermissionFact{{Permission: p, Target: "o/public", Probe: probe}, {Permission: p, Target: "o/gone", Probe: probe}, {Permission: p, Target: "o/private", Probe: probe}},
	}
	got := PermissionVerdicts(f)
	want := []PermissionState{PermPublic, PermUnreachable, PermGranted}
	for i, v := range got {
		if v.State != want[i] {
			t.Errorf("%s: %v, want %v", v.Target, v.State, want[i])
		}
	}
}

func TestAzureScopeVerdicts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fact   ScopeFact
		state  PermissionState
		reason string
	}{
		{ScopeFact{Scope: AzureFullAccess}, PermUnverified, "full access"},
		{ScopeFact{Scope: "vso.nothing_such"}, PermUnverified, "does not know"},
		{ScopeFact{Scope: "vso.build", NoProbe: "no-project"}, PermUnverified, "set project"},
		{ScopeFact{Scope: "vso.code", Probed: true, Answer: AzureAnswer{Status: 200}}, PermGranted, ""},
		{ScopeFact{Scope: "vso.code_manage", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: AzureAnswer{Status: 404}}, PermUnverified, "no request is known that proves vso.code_manage"},
		{ScopeFact{Scope: "vso.code_write", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: AzureAnswer{Status: 404}}, PermGranted, ""},
		{ScopeFact{Scope: "vso.code_write", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: AzureAnswer{Status: 401, PlainRefusal: true}}, PermMissing, ""},
		{ScopeFact{Scope: "vso.code_write", Probed: true, ProbedScope: "vso.code_write", Write: true, Answer: AzureAnswer{Status: 200}}, PermUnverified, "unexpected answer"},
		{ScopeFact{Scope: "vso.code", Probed: true, Answer: AzureAnswer{Status: 401, PlainRefusal: true}}, PermMissing, ""},
		// After connectionData accepted the token, a 401 is a missing scope
		// whatever its body: a TF400813 naming the user is a scope refusal.
		{ScopeFact{Scope: "vso.build", Probed: true, Project: "Web", Answer: AzureAnswer{Status: 401,
			Message: "TF400813: The user 'b5c0e3a2-1111-4c1e-9d57-6d2f1f0e7a10' is not authorized to access this resource."}}, PermMissing, ""},
		{ScopeFact{Scope: "vso.build_execute", Probed: true, ProbedScope: "vso.build", Answer: AzureAnswer{Status: 401}}, PermMissing, ""},
		// The token itself refused: the anonymous user, or expired.
		{ScopeFact{Scope: "vso.code", Probed: true, Answer: AzureAnswer{Status: 401, TokenRefused: true,
			Message: "TF400813: The user '' is not authorized to access this resource."}}, PermUnverified, "refused the token itself"},
		{ScopeFact{Scope: "vso.code", Probed: true, Answer: AzureAnswer{Status: 203, SignIn: true}}, PermUnverified, "sign-in page"},
		{ScopeFact{Scope: "vso.build", Probed: true, Project: "Web", Answer: AzureAnswer{Status: 404}}, PermUnverified, `project "Web" does not exist`},
		{ScopeFact{Scope: "vso.code", Probed: true, Answer: AzureAnswer{Problem: &APIProblem{Message: "503"}}}, PermFailed, ""},
	}
	for _, tt := range tests {
		got := AzureScopeVerdicts(Facts{ScopeProbes: []ScopeFact{tt.fact}})[0]
		if got.State != tt.state || !strings.Contains(got.Reason, tt.reason) {
			t.Errorf("%+v: verdict %+v, want %v with %q", tt.fact, got, tt.state, tt.reason)
		}
	}
}
