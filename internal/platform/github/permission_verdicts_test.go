package github

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/token"
)

// The verdicts the probes' answers lead to, as a table: one row per rule of
// permission_verdicts.go.
func TestPermissionVerdicts(t *testing.T) {
	t.Parallel()
	hooks := check.Permission{Name: "repository_hooks", Level: check.LevelWrite}
	answered := func(status int, expect check.ProbeExpect) *check.ProbeResult {
		return &check.ProbeResult{Request: "GET /repos/o/r/hooks", Expect: expect, Answer: check.ProbeAnswer{Status: status}}
	}
	byID := check.ProbeExpect{Granted: []int{404, 422}, ByMissingID: true}
	read := check.ProbeExpect{Granted: []int{200}}
	tests := []struct {
		name   string
		kind   token.Kind
		fact   check.PermissionFact
		state  check.PermissionState
		reason string
	}{
		{"own probe granted", token.FineGrained, check.PermissionFact{Probe: answered(200, read)}, check.PermGranted, ""},
		{"own probe 403", token.FineGrained, check.PermissionFact{Probe: answered(403, read)}, check.PermMissing, ""},
		{"own probe 404", token.FineGrained, check.PermissionFact{Probe: answered(404, read)}, check.PermMissing, ""},
		{"unsure status", token.FineGrained, check.PermissionFact{Probe: answered(409, check.ProbeExpect{Granted: []int{200}, Unsure: []int{409}, UnsureReason: "empty repository"})}, check.PermUnverified, "empty repository"},
		{"unexpected status", token.FineGrained, check.PermissionFact{Probe: answered(418, read)}, check.PermUnverified, "unexpected answer (418)"},
		{"no probe at all", token.FineGrained, check.PermissionFact{NoProbe: "no safe request"}, check.PermUnverified, "no safe request"},
		{"write without probe, read granted", token.FineGrained, check.PermissionFact{NoProbe: "no safe request", Read: answered(200, read)}, check.PermUnverified, "no safe request (read is granted)"},
		{"write without probe, read refused", token.FineGrained, check.PermissionFact{NoProbe: "no safe request", Read: answered(403, read)}, check.PermMissing, ""},
		{"by missing id, classic token", token.Classic, check.PermissionFact{Probe: &check.ProbeResult{Expect: byID}}, check.PermUnverified, "classic or OAuth"},
		{"by missing id, read confirms", token.FineGrained, check.PermissionFact{Probe: answered(404, byID), Read: answered(200, read)}, check.PermGranted, ""},
		{"by missing id, read refused", token.FineGrained, check.PermissionFact{Probe: answered(404, byID), Read: answered(403, read)}, check.PermMissing, ""},
		{"by missing id, read hidden too", token.FineGrained, check.PermissionFact{Probe: answered(404, byID), Read: answered(404, read)}, check.PermUnverified, "404 to the read probe"},
		{"by missing id, no read probe", token.FineGrained, check.PermissionFact{Probe: answered(404, byID)}, check.PermUnverified, "no read probe can confirm"},
		{"by missing id, itself the read", token.FineGrained, check.PermissionFact{Probe: answered(404, check.ProbeExpect{Granted: []int{404}, ByMissingID: true, SelfConfirmed: true})}, check.PermGranted, ""},
		{"by missing id, write refused", token.FineGrained, check.PermissionFact{Probe: answered(403, byID), Read: answered(200, read)}, check.PermMissing, ""},
		{"sso", token.FineGrained, check.PermissionFact{Probe: &check.ProbeResult{Expect: read, Answer: check.ProbeAnswer{Status: 403, SSORequired: true, SSOURL: "https://github.com/orgs/o/sso"}}}, check.PermUnreachable, ""},
		{"policy", token.FineGrained, check.PermissionFact{Probe: &check.ProbeResult{Expect: read, Answer: check.ProbeAnswer{Status: 403, Policy: true, Message: "forbids access via"}}}, check.PermUnreachable, ""},
		{"problem", token.FineGrained, check.PermissionFact{Probe: &check.ProbeResult{Expect: read, Answer: check.ProbeAnswer{Problem: &check.APIProblem{What: "GET x", Message: "502"}}}}, check.PermFailed, ""},
		{"401 on a probe", token.FineGrained, check.PermissionFact{Probe: answered(401, read)}, check.PermFailed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.fact.Permission, tt.fact.Target = hooks, "o/r"
			got := PermissionVerdicts(check.Facts{Kind: tt.kind, Permissions: []check.PermissionFact{tt.fact}})
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
	p := check.Permission{Name: "issues", Level: check.LevelRead}
	probe := &check.ProbeResult{Expect: check.ProbeExpect{Granted: []int{200}, PublicRead: true}, Answer: check.ProbeAnswer{Status: 200}}
	f := check.Facts{Kind: token.FineGrained,
		Repositories: []check.Resource{{Name: "o/public", Access: check.AccessOK}, {Name: "o/gone", Access: check.AccessNotFound}, {Name: "o/private", Access: check.AccessOK, Private: true}},
		Permissions:  []check.PermissionFact{{Permission: p, Target: "o/public", Probe: probe}, {Permission: p, Target: "o/gone", Probe: probe}, {Permission: p, Target: "o/private", Probe: probe}},
	}
	got := PermissionVerdicts(f)
	want := []check.PermissionState{check.PermPublic, check.PermUnreachable, check.PermGranted}
	for i, v := range got {
		if v.State != want[i] {
			t.Errorf("%s: %v, want %v", v.Target, v.State, want[i])
		}
	}
}
