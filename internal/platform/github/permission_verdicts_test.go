package github

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
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
		{"by missing id, read unsure", token.FineGrained, check.PermissionFact{Probe: answered(404, byID),
			Read: answered(409, check.ProbeExpect{Granted: []int{200}, Unsure: []int{409}, UnsureReason: "the repository is empty"})},
			check.PermUnverified, "the read probe (GET /repos/o/r/hooks) could not confirm the write probe's 404: the repository is empty"},
		{"by missing id, read failed", token.FineGrained, check.PermissionFact{Probe: answered(404, byID),
			Read: &check.ProbeResult{Expect: read, Answer: check.ProbeAnswer{Problem: &check.APIProblem{What: "GET x", Message: "502"}}}}, check.PermFailed, ""},
		{"by missing id, read unreachable", token.FineGrained, check.PermissionFact{Probe: answered(404, byID),
			Read: &check.ProbeResult{Expect: read, Answer: check.ProbeAnswer{Status: 403, SSORequired: true, SSOURL: "https://github.com/orgs/o/sso"}}}, check.PermUnreachable, ""},
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

// A GraphQL probe answers 200 whether it grants or refuses: the verdict is
// read from the data and the errors, one row per rule of readGraphQL, and
// from the status where the endpoint itself refused.
func TestGraphQLVerdicts(t *testing.T) {
	t.Parallel()
	expect := check.ProbeExpect{GraphQL: true, Field: []string{"repository", "discussions"}}
	answered := func(status int, message string, g *check.GraphQLAnswer) check.ProbeAnswer {
		return check.ProbeAnswer{Status: status, Message: message, GraphQL: g}
	}
	errs := func(es ...check.GraphQLError) *check.GraphQLAnswer {
		return &check.GraphQLAnswer{Valid: true, NullAt: 1, Errors: es}
	}
	limit := &check.APIProblem{What: "POST /graphql", Message: "rate limit exhausted", RateLimited: true}
	tests := []struct {
		name   string
		answer check.ProbeAnswer
		want   check.PermissionVerdict
	}{
		{"the field is an object", answered(200, "", &check.GraphQLAnswer{Valid: true, FieldObject: true}), check.PermissionVerdict{State: check.PermGranted}},
		{"not GraphQL", answered(200, "", &check.GraphQLAnswer{}), check.PermissionVerdict{State: check.PermUnverified,
			Reason: "the GraphQL API's answer is not GitHub's GraphQL JSON"}},
		{"no body", answered(200, "", nil), check.PermissionVerdict{State: check.PermUnverified, Reason: "the GraphQL API's answer is not GitHub's GraphQL JSON"}},
		{"no repository, no error", answered(200, "", &check.GraphQLAnswer{Valid: true}), check.PermissionVerdict{State: check.PermUnverified,
			Reason: "GraphQL found no repository o/r, although it reported no error"}},
		{"no field, no error", answered(200, "", &check.GraphQLAnswer{Valid: true, NullAt: 1}), check.PermissionVerdict{State: check.PermUnverified,
			Reason: "the GraphQL answer has no repository.discussions and no error"}},
		{"rate limited", answered(200, "", &check.GraphQLAnswer{Valid: true, Errors: []check.GraphQLError{{Type: "RATE_LIMITED"}}, RateLimit: limit}),
			check.PermissionVerdict{State: check.PermFailed, Problem: limit}},
		{"SAML SSO with a URL", check.ProbeAnswer{Status: 200, SSORequired: true, SSOURL: "https://github.com/orgs/o/sso?x=1", GraphQL: errs(check.GraphQLError{Type: "FORBIDDEN", SAMLFailure: true})},
			check.PermissionVerdict{State: check.PermUnreachable, SSOURL: "https://github.com/orgs/o/sso?x=1"}},
		{"SAML SSO without a URL", answered(200, "", errs(check.GraphQLError{Type: "FORBIDDEN", Message: "Resource protected by organization SAML enforcement.", SAMLFailure: true})),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `the organization's SAML single sign-on refused the query ("Resource protected by organization SAML enforcement."), and GitHub gave no URL to authorize the token`}},
		{"a token policy", answered(200, "", errs(check.GraphQLError{Type: "FORBIDDEN", Message: "forbids access via a fine-grained personal access token", Policy: true, PolicyKind: finding.PolicyNoFineGrained, PolicyURL: "https://github.com/settings/x"})),
			check.PermissionVerdict{State: check.PermUnreachable, Policy: "forbids access via a fine-grained personal access token", PolicyKind: finding.PolicyNoFineGrained, PolicyURL: "https://github.com/settings/x"}},
		{"a policy that is not FORBIDDEN", answered(200, "", errs(check.GraphQLError{Type: "NOT_FOUND", Message: "gone", Policy: true})),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `the GraphQL API answered an error pat-check does not recognise (NOT_FOUND: "gone")`}},
		{"no repository", answered(200, "", errs(check.GraphQLError{Type: "NOT_FOUND", Message: "Could not resolve to a Repository", AtRoot: true})),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `GraphQL cannot find the repository o/r that the REST API reached ("Could not resolve to a Repository")`}},
		{"refused at the field", answered(200, "", errs(check.GraphQLError{Type: "FORBIDDEN", Message: "Resource not accessible by personal access token", AtField: true})),
			check.PermissionVerdict{State: check.PermMissing, Message: "Resource not accessible by personal access token"}},
		{"refused elsewhere", answered(200, "", errs(check.GraphQLError{Type: "FORBIDDEN", Message: "Resource not accessible by personal access token"})),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `GraphQL refused the query, but not at repository.discussions, so the refusal proves nothing of this permission ("Resource not accessible by personal access token")`}},
		{"refused at the field in other words", answered(200, "", errs(check.GraphQLError{Type: "FORBIDDEN", Message: "no", AtField: true})),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `GraphQL refused the query, but not at repository.discussions, so the refusal proves nothing of this permission ("no")`}},
		{"an unknown error", answered(200, "", errs(check.GraphQLError{Type: "INTERNAL", Message: "boom"})),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `the GraphQL API answered an error pat-check does not recognise (INTERNAL: "boom")`}},
		{"403 of the endpoint", answered(403, "Forbidden here", nil),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `the GraphQL API refused the query as a whole: the API answered 403 Forbidden ("Forbidden here")`}},
		{"403 of the endpoint, no message", answered(403, "", nil),
			check.PermissionVerdict{State: check.PermUnverified, Reason: "the GraphQL API refused the query as a whole: the API answered 403 Forbidden"}},
		{"404 of the endpoint", answered(404, "", nil), check.PermissionVerdict{State: check.PermUnverified, Reason: "no GraphQL API answered at /api/graphql (404)"}},
		{"401 for GraphQL only", answered(401, "Personal access tokens are not supported for GraphQL", nil),
			check.PermissionVerdict{State: check.PermUnverified, Reason: `the GraphQL API does not accept this token: the API answered 401 Unauthorized ("Personal access tokens are not supported for GraphQL")`}},
		{"401", answered(401, "Bad credentials", nil), check.PermissionVerdict{State: check.PermFailed,
			Problem: &check.APIProblem{What: "POST /api/graphql", Message: "the API rejected the credentials for this request"}}},
		{"an unexpected status", answered(500, "", nil), check.PermissionVerdict{State: check.PermUnverified, Reason: "the probe got an unexpected answer (500)"}},
	}
	p := check.Permission{Name: "discussions", Level: check.LevelRead}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			probe := &check.ProbeResult{Request: "POST /api/graphql", Endpoint: "/api/graphql", Expect: expect, Answer: tt.answer}
			f := check.Facts{Kind: token.FineGrained, Repositories: []check.Resource{{Name: "o/r", Access: check.AccessOK, Private: true}},
				Permissions: []check.PermissionFact{{Permission: p, Target: "o/r", Probe: probe}}}
			want := tt.want
			want.Permission, want.Target = p, "o/r"
			if diff := cmp.Diff([]check.PermissionVerdict{want}, PermissionVerdicts(f)); diff != "" {
				t.Errorf("verdict (-want +got):\n%s", diff)
			}
		})
	}
}
