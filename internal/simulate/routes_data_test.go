package simulate

import (
	"strings"
	"testing"
)

// The simulator routes by GitHub's own data: each route's permissions and
// level are the data's, so it cannot agree with a probe the data
// contradicts (the environments listing is actions read, not environments).
func TestRoutesFollowGitHubData(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method string
		seg    string
		perms  string
		need   level
	}{
		{"GET", "repos/o/r/environments", "actions", levelRead},
		{"GET", "repos/o/r/environments/x/variables", "environments", levelRead},
		{"POST", "repos/o/r/git/blobs", "contents", levelWrite},
		{"POST", "repos/o/r/labels", "issues,pull_requests", levelWrite},
		{"GET", "user/ssh_signing_keys", "git_signing_ssh_public_keys", levelRead},
		{"POST", "repos/o/r/check-runs", "checks", levelWrite}, // not in the data: GitHub App only
	} {
		rt, _, _ := match(c.method, splitPath(c.seg))
		if rt == nil {
			if c.seg == "repos/o/r/environments" {
				continue // not a probe of pat-check any more
			}
			t.Errorf("%s %s: no route", c.method, c.seg)
			continue
		}
		if got := strings.Join(rt.perms, ","); got != c.perms || rt.need != c.need {
			t.Errorf("%s %s: perms %s at %s, want %s at %s", c.method, c.seg, got, rt.need, c.perms, c.need)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("a route the data does not list, without a reason, was accepted")
		}
	}()
	routeFromData(&route{area: areaRepo, method: "GET", path: []string{"no", "such"}})
}

// The new write probes are harmless as pat-check sends them, and the
// simulator says so for the requests that would not be.
func TestWriteRouteViolations(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		method, path, body string
		violates           bool
	}{
		{"POST", "/repos/o/r/git/blobs", `{}`, false},
		{"POST", "/repos/o/r/git/blobs", `{"content":"x"}`, true},
		{"POST", "/repos/o/r/environments/" + probeID + "/variables", `{}`, false},
		{"POST", "/repos/o/r/environments/prod/variables", `{"name":"A","value":"b"}`, true},
		{"DELETE", "/repos/o/r/actions/secrets/" + probeID, ``, false},
		{"DELETE", "/repos/o/r/actions/secrets/DEPLOY_KEY", ``, true},
		{"DELETE", "/orgs/o/actions/secrets/" + probeID, ``, false},
		{"DELETE", "/user/keys/0", ``, false},
		{"DELETE", "/user/keys/12345", ``, true},
		{"PATCH", "/repos/o/r/invitations/" + probeNumber, `{}`, false},
		{"PATCH", "/repos/o/r/invitations/" + probeNumber, `{"permissions":"admin"}`, true},
		{"PATCH", "/orgs/o/actions/runner-groups/" + probeNumber, `{"name":"x"}`, true},
		{"POST", "/user/emails", `{}`, false},
		{"POST", "/user/emails", `{"emails":["a@b"]}`, true},
	} {
		got := judge(c.method, c.path, c.path, parseBody([]byte(c.body)))
		if (got != "") != c.violates {
			t.Errorf("%s %s %s: violation %q, want one: %v", c.method, c.path, c.body, got, c.violates)
		}
	}
}
