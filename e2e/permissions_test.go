package e2e

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestActionsPermissionsSatisfied(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "/api/v3")
	r := runActions(t, w, tokFGPerms, map[string]string{"permissions": "contents:read, pull-requests:write", "repositories": "octo/private"}, nil)
	if r.code != 0 || r.outputs["result"] != "pass" || r.outputs["missing"] != "" || r.outputs["token-type"] != "fine-grained" {
		t.Fatalf("exit %d outputs %v\n%s", r.code, r.outputs, r.summary)
	}
	for _, want := range []string{"| Permission | octo/private |", "| contents:read | ✅ granted |", "| pull_requests:write | ✅ granted |"} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.summary)
		}
	}
}

func TestActionsPermissionsMissingWriteVersusReadOnTwoRepositories(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runActions(t, w, tokFGPerms, map[string]string{"permissions": "pull-requests:write", "repositories": "octo/private octo/lib", "token-name": "release bot"}, nil)
	if r.code != 1 || r.outputs["missing"] != "pull_requests:write@octo/lib" {
		t.Fatalf("exit %d outputs %v", r.code, r.outputs)
	}
	msg := r.annotations("error")["permission-missing"]
	for _, want := range []string{"lacks pull_requests:write on octo/lib", "pull_requests:write", "Edit", "settings/personal-access-tokens/new?name=release+bot", "target_name=octo", "pull_requests=write"} {
		if !strings.Contains(msg, want) {
			t.Errorf("annotation lacks %q:\n%s", want, msg)
		}
	}
	if !strings.Contains(r.summary, "| pull_requests:write | ✅ granted | ❌ missing |") {
		t.Errorf("summary table:\n%s", r.summary)
	}
}

func TestActionsPermissionUnverifiedAndUnreachable(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runActions(t, w, tokFGPerms, map[string]string{"permissions": "contents:write", "repositories": "octo/private"}, nil)
	if r.code != 0 || r.outputs["result"] != "warn" {
		t.Errorf("unverified: exit %d outputs %v", r.code, r.outputs)
	}
	if msg := r.annotations("warning")["permission-unverified"]; !strings.Contains(msg, "contents:write") || !strings.Contains(msg, "without writing") {
		t.Errorf("unverified annotation: %q", msg)
	}
	r = runActions(t, w, tokFGPerms, map[string]string{"permissions": "contents:read", "repositories": "octo/secret"}, nil)
	msg := r.annotations("error")["repository-inaccessible"]
	if r.code != 1 || !strings.Contains(msg, "not selected under the token's repository access") {
		t.Errorf("unreachable: exit %d annotation %q", r.code, msg)
	}
	if !strings.Contains(r.summary, "⛔ unreachable") {
		t.Errorf("summary:\n%s", r.summary)
	}
}

func TestActionsJobTokenPermissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	// The workflow's own repository is the default target.
	r := runActions(t, w, tokJobToken, map[string]string{"permissions": "contents:read"}, nil)
	if r.code != 0 || r.outputs["token-type"] != "github-app-installation" {
		t.Errorf("granted: exit %d outputs %v", r.code, r.outputs)
	}
	r = runActions(t, w, tokJobToken, map[string]string{"permissions": "pull-requests:write"}, nil)
	msg := r.annotations("error")["permission-missing"]
	if r.code != 1 || !strings.Contains(msg, "permissions:\n     pull-requests: write") || strings.Contains(msg, "personal-access-tokens/new") {
		t.Errorf("missing: exit %d annotation:\n%s", r.code, msg)
	}
}

func TestAzurePermissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runAzure(t, w, tokFGPerms, map[string]string{"permissions": "issues:write,contents:write", "repositories": "octo/private,octo/lib"})
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
	r := run(t, map[string]string{"PAT_CHECK_TOKEN": tokFGPerms}, "", "--format", "json", "--api-url", w.api,
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
