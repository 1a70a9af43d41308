package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// One run per front-end through the binary; the matrix of tokens and
// permissions in every front-end runs in-process
// (internal/app/permissions_test.go).

func TestActionsPermissionsSatisfied(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "/api/v3")
	r := runActions(t, w, fixture.Fine, map[string]string{"permissions": "contents:read, pull-requests:write", "repositories": "octo/private"}, nil)
	if r.code != 0 || r.outputs["result"] != "pass" || r.outputs["missing"] != "" || r.outputs["token-type"] != "fine-grained" {
		t.Fatalf("exit %d outputs %v\n%s", r.code, r.outputs, r.summary)
	}
	for _, want := range []string{"| Permission | octo/private |", "| contents:read | ✅ granted |", "| pull_requests:write | ✅ granted |"} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.summary)
		}
	}
}

// Discussions are probed through GraphQL, which GitHub Enterprise Server
// serves at /api/graphql beside the REST API at /api/v3.
func TestActionsDiscussionsThroughGraphQLOnGHES(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "/api/v3")
	r := runActions(t, w, fixture.Fine, map[string]string{"permissions": "discussions:read", "repositories": "octo/private octo/lib"}, nil)
	if r.code != 1 || r.outputs["missing"] != "discussions:read@octo/lib" {
		t.Fatalf("exit %d outputs %v\n%s", r.code, r.outputs, r.summary)
	}
	if !strings.Contains(r.summary, "| discussions:read | ✅ granted | ❌ missing |") {
		t.Errorf("summary table:\n%s", r.summary)
	}
	if msg := r.annotations("error")["permission-missing"]; !strings.Contains(msg, "lacks discussions:read on octo/lib") || !strings.Contains(msg, "discussions=read") {
		t.Errorf("annotation:\n%s", msg)
	}
	var queries []string
	for _, q := range w.GitHub.Requests() {
		if q.Path == "/api/graphql" {
			queries = append(queries, q.Method)
			if q.Authorization != "Bearer "+fixture.Fine {
				t.Error("a GraphQL query without the token")
			}
		}
	}
	if !slices.Equal(queries, []string{"POST", "POST"}) {
		t.Errorf("GraphQL requests: %q, want one POST per repository", queries)
	}
}

func TestAzurePermissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runAzure(t, w, fixture.Fine, map[string]string{"permissions": "issues:write,workflows:write", "repositories": "octo/private,octo/lib"})
	if r.code != 1 || r.complete != "Failed" || r.variables["missing"] != "issues:write@octo/lib" {
		t.Errorf("exit %d complete %q variables %v", r.code, r.complete, r.variables)
	}
	if len(r.issues["error"]) != 1 || len(r.issues["warning"]) != 2 {
		t.Errorf("issues = %v", r.issues)
	}
}

func TestCLIPermissionsJSON(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := run(t, map[string]string{"PAT_CHECK_TOKEN": fixture.Fine}, "", "--format", "json", "--api-url", w.API,
		"--permissions", "pull-requests:write", "--repositories", "octo/private,octo/lib")
	var rep struct {
		Result      string
		Missing     []string
		Permissions []struct{ Permission, Target, State string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if r.code != 1 || rep.Result != "fail" || len(rep.Missing) != 1 || len(rep.Permissions) != 2 || rep.Permissions[1].State != "missing" {
		t.Errorf("exit %d report %+v", r.code, rep)
	}
}
