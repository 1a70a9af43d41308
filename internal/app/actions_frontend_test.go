package app

import (
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// Checks of one token under GitHub Actions, in-process: the annotations and
// outputs a workflow reads (runMain holds them to the report). The runs of
// the binary that only a process shows stay in e2e/actions_test.go.

func TestActionsExpiringSoonWarns(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Expiring})
	if r.code != 0 || r.outputs["result"] != "warn" || r.outputs["days-left"] != "5" {
		t.Fatalf("exit %d outputs %v", r.code, r.outputs)
	}
	if _, ok := r.messages["warning/token-expiry-warning"]; !ok {
		t.Errorf("no token-expiry-warning annotation:\n%s", r.visible)
	}
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Expiring, inputs: map[string]string{"min-days-left": "7"}})
	if r.code != 1 {
		t.Errorf("min-days-left 7 with 5 days left: exit %d, want 1", r.code)
	}
	if _, ok := r.messages["error/token-expiring"]; !ok {
		t.Errorf("no token-expiring annotation:\n%s", r.visible)
	}
}

func TestActionsRevokedToken(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Revoked})
	if r.code != 1 || r.outputs["valid"] != "false" || r.outputs["result"] != "fail" {
		t.Fatalf("exit %d outputs %v", r.code, r.outputs)
	}
	if msg := r.messages["error/token-invalid"]; !strings.Contains(msg, "Regenerate token") {
		t.Errorf("token-invalid annotation: %q", msg)
	}
	if n := len(w.GitHub.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: bad credentials are never retried", n)
	}
}

func TestActionsSSOAndPolicy(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.NoSSO, inputs: map[string]string{"organization": "octo-org"}})
	msg, ok := r.messages["error/sso-authorization-required"]
	if r.code != 1 || !ok || !strings.Contains(msg, "/orgs/octo-org/sso?authorization_request=") {
		t.Errorf("exit %d, annotation %q", r.code, msg)
	}
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Healthy, inputs: map[string]string{"organization": "strict-org"}})
	msg, ok = r.messages["error/organization-policy"]
	if r.code != 1 || !ok || !strings.Contains(msg, "forbids access via a personal access token (classic)") || !strings.Contains(msg, "target_name=strict-org") {
		t.Errorf("exit %d, annotation %q", r.code, msg)
	}
}

func TestActionsAPIDown(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	w.GitHub.FailNext(100, 503)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Healthy})
	if r.code != 3 || r.outputs["result"] != "error" {
		t.Errorf("exit %d result %q, want 3 error", r.code, r.outputs["result"])
	}
	if _, ok := r.messages["error/api-error"]; !ok {
		t.Errorf("no api-error annotation:\n%s", r.visible)
	}
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Healthy, inputs: map[string]string{"on-api-error": "warn"}})
	if r.code != 0 || r.outputs["result"] != "warn" {
		t.Errorf("on-api-error warn: exit %d result %q", r.code, r.outputs["result"])
	}
	if _, ok := r.messages["warning/api-error"]; !ok {
		t.Errorf("no api-error warning:\n%s", r.visible)
	}
}

func TestActionsTimeout(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	w.GitHub.SetLatency(10 * time.Second)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Healthy, inputs: map[string]string{"timeout": "1"}})
	if r.code != 3 {
		t.Errorf("exit %d, want 3", r.code)
	}
	if msg := r.messages["error/api-error"]; !strings.Contains(msg, "time") {
		t.Errorf("api-error annotation %q does not say it timed out", msg)
	}
}

func TestActionsInstallationToken(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Install, inputs: map[string]string{"repositories": "octo/private"}})
	if r.code != 0 || r.outputs["token-type"] != "github-app-installation" || r.outputs["valid"] != "true" {
		t.Errorf("exit %d outputs %v\n%s", r.code, r.outputs, r.visible)
	}
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Install, inputs: map[string]string{"repositories": "octo-org/app"}})
	if msg := r.messages["error/repository-inaccessible"]; r.code != 1 || !strings.Contains(msg, "not installed") {
		t.Errorf("exit %d annotation %q", r.code, msg)
	}
}

func TestActionsTokenTypes(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Healthy, inputs: map[string]string{"token-types": "fine-grained"}})
	if r.code != 1 {
		t.Errorf("exit %d, want 1", r.code)
	}
	if _, ok := r.messages["error/token-type-disallowed"]; !ok {
		t.Errorf("no token-type-disallowed:\n%s", r.visible)
	}
	if len(w.GitHub.Requests()) != 0 {
		t.Error("a disallowed token was sent to the API")
	}
}

func TestActionsNoExpiration(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Forever})
	if r.code != 0 || r.outputs["result"] != "warn" || r.outputs["expires-at"] != "" || r.outputs["days-left"] != "" {
		t.Errorf("exit %d outputs %v", r.code, r.outputs)
	}
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Forever, inputs: map[string]string{"require-expiration": "true"}})
	if _, ok := r.messages["error/token-no-expiration"]; r.code != 1 || !ok {
		t.Errorf("require-expiration: exit %d cmds %+v", r.code, r.visible)
	}
}
