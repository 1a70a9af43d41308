package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// Fine-grained and GITHUB_TOKEN permissions in every front-end, against the
// shared world's probes.

// permissionScenario runs in all three front-ends.
type permissionScenario struct {
	name, tok, perms, repos string
	code                    int
	missing                 string
	finding                 string // a finding code that must be reported ("" for none)
}

var permissionScenarios = []permissionScenario{
	{"satisfied", fixture.Fine, "contents:read,pull-requests:write", "octo/private", 0, "", ""},
	{"missing", fixture.Fine, "issues:write", "octo/lib", 1, "issues:write@octo/lib", "permission-missing"},
	{"write versus read on two repositories", fixture.Fine, "pull-requests:write", "octo/private,octo/lib", 1, "pull_requests:write@octo/lib", "permission-missing"},
	{"installation token with the permission", fixture.Job, "contents:read", "octo/private", 0, "", ""},
	{"installation token without it", fixture.Job, "pull-requests:write", "octo/private", 1, "pull_requests:write@octo/private", "permission-missing"},
	{"unreachable repository", fixture.Fine, "contents:read", "octo/secret", 1, "", "repository-inaccessible"},
	{"unverifiable permission: only a push proves workflows", fixture.Fine, "workflows:write", "octo/private", 0, "", "permission-unverified"},
	// contents write, proven by a blob without content (422 when allowed, 403 when not).
	{"contents write asked of a token that only reads", fixture.Fine, "contents:write", "octo/private", 1, "contents:write@octo/private", "permission-missing"},
	{"contents write asked of GITHUB_TOKEN that only reads", fixture.Job, "contents:write", "octo/private", 1, "contents:write@octo/private", "permission-missing"},
	{"contents write held", fixture.FineWriter, "contents:write", "octo/private", 0, "", ""},
	{"contents write held by GITHUB_TOKEN", fixture.JobWriter, "contents:write", "octo/private", 0, "", ""},
	{"the other safe write probes, held", fixture.FineWriter, "environments:write,secrets:write,administration:write,dependabot_secrets:write", "octo/private", 0, "", ""},
	{"the other safe write probes, not held", fixture.Fine, "environments:write,secrets:write,administration:write", "octo/private", 1,
		"environments:write@octo/private,secrets:write@octo/private,administration:write@octo/private", "permission-missing"},
	{"discussions through GraphQL, granted", fixture.Fine, "discussions:read", "octo/private", 0, "", ""},
	{"discussions through GraphQL, granted on one repository only", fixture.Fine, "discussions:read", "octo/private,octo/lib", 1,
		"discussions:read@octo/lib", "permission-missing"},
	{"discussions write: no mutation is sent", fixture.Fine, "discussions:write", "octo/private", 0, "", "permission-unverified"},
	{"webhooks write: the 404 of a missing hook, confirmed by the read", fixture.Fine, "repository_hooks:write", "octo/private", 0, "", ""},
	{"webhooks write hidden from the account's role: both probes 404", fixture.Fine, "repository_hooks:write", "octo/lib", 0, "", "permission-unverified"},
}

// permissionOutcome is what a permission scenario compares in each
// front-end.
type permissionOutcome struct {
	Code    int
	Missing string
	Finding bool // the scenario's finding was reported
}

func TestPermissionsInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	for _, sc := range permissionScenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			w := newMainWorld(t)
			want := permissionOutcome{Code: sc.code, Missing: sc.missing, Finding: true}
			for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: sc.tok, opts: map[string]string{"permissions": sc.perms, "repositories": sc.repos}}) {
				codes := r.findingCodes()
				got := permissionOutcome{Code: r.code, Missing: r.missing(t, fe), Finding: sc.finding == "" || slices.Contains(codes, sc.finding)}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s (-want +got), finding %q among %q:\n%s", fe, sc.finding, codes, diff)
				}
				// A scenario without a finding is proven: no permission warning either.
				if sc.finding == "" && slices.ContainsFunc(codes, func(code string) bool { return strings.HasPrefix(code, "permission-") }) {
					t.Errorf("%s: codes %q, want every permission proven", fe, codes)
				}
				if fe != "cli" && !strings.Contains(r.summary, "| Permission |") {
					t.Errorf("%s: no permission table in the summary:\n%s", fe, r.summary)
				}
			}
		})
	}
}

// contents:write, the commonest need of a CI job, fails early when the token
// can only read, in every front-end, with the fix naming contents: write;
// held, it is granted. No request could have changed anything (the
// simulator's violations fail the world's cleanup).
func TestContentsWriteInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	in := map[string]string{"permissions": "contents:write", "repositories": "octo/private"}
	for _, tok := range []string{fixture.Fine, fixture.Job} {
		for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: tok, opts: in}) {
			want := permissionOutcome{Code: 1, Missing: "contents:write@octo/private", Finding: true}
			got := permissionOutcome{Code: r.code, Missing: r.missing(t, fe), Finding: r.has("permission-missing")}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s, reading token (-want +got), findings %q:\n%s", fe, r.findingCodes(), diff)
			}
			if fe == "actions" && !strings.Contains(r.messages["error/permission-missing"], "contents: write") {
				t.Errorf("actions: the annotation (its fix) does not name contents: write:\n%s", r.messages["error/permission-missing"])
			}
		}
	}
	for _, tok := range []string{fixture.FineWriter, fixture.JobWriter} {
		for fe, r := range runEveryFrontEnd(t, w, everyRun{tok: tok, opts: in}) {
			type outcome struct {
				Code        int
				Result      string
				Missing     []string
				Permissions []string
			}
			want := outcome{Result: "pass", Permissions: []string{"contents:write@octo/private granted"}}
			got := outcome{Code: r.code, Result: r.report.Result, Missing: r.report.Missing}
			for _, p := range r.report.Permissions {
				got.Permissions = append(got.Permissions, p.Permission+"@"+p.Target+" "+p.State)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s, granted (-want +got):\n%s", fe, diff)
			}
			if fe != "cli" && !strings.Contains(r.summary, "| contents:write | ✅ granted |") {
				t.Errorf("%s, granted: the summary's table:\n%s", fe, r.summary)
			}
		}
	}
	var blobs int
	for _, q := range w.GitHub.Requests() {
		if q.Method == "POST" && strings.HasSuffix(q.Path, "/git/blobs") {
			blobs++
		}
	}
	if blobs == 0 {
		t.Error("no blob probe was sent")
	}
}

// actionsOutcome is a run's exit code and the one Action output a test
// compares.
type actionsOutcome struct {
	Code   int
	Output string
}

func TestActionsPermissionsMissingWriteVersusReadOnTwoRepositories(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Fine,
		inputs: map[string]string{"permissions": "pull-requests:write", "repositories": "octo/private octo/lib", "token-name": "release bot"}})
	if diff := cmp.Diff(actionsOutcome{Code: 1, Output: "pull_requests:write@octo/lib"}, actionsOutcome{r.code, r.outputs["missing"]}); diff != "" {
		t.Fatalf("exit and missing output (-want +got):\n%s", diff)
	}
	msg := r.messages["error/permission-missing"]
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
	w := newMainWorld(t)
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Fine, inputs: map[string]string{"permissions": "workflows:write", "repositories": "octo/private"}})
	if diff := cmp.Diff(actionsOutcome{Code: 0, Output: "warn"}, actionsOutcome{r.code, r.outputs["result"]}); diff != "" {
		t.Errorf("unverified: exit and result output (-want +got):\n%s", diff)
	}
	if msg := r.messages["warning/permission-unverified"]; !strings.Contains(msg, "workflows:write") || !strings.Contains(msg, "the job may still fail at the step that writes") {
		t.Errorf("unverified annotation: %q", msg)
	}
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Fine, inputs: map[string]string{"permissions": "contents:read", "repositories": "octo/secret"}})
	msg := r.messages["error/repository-inaccessible"]
	if r.code != 1 || !strings.Contains(msg, "not selected under the token's repository access") {
		t.Errorf("unreachable: exit %d annotation %q", r.code, msg)
	}
	if !strings.Contains(r.summary, "⛔ unreachable") {
		t.Errorf("summary:\n%s", r.summary)
	}
}

func TestActionsJobTokenPermissions(t *testing.T) {
	t.Parallel()
	w := newMainWorld(t)
	// The workflow's own repository is the default target.
	r := runMain(t, w, mainCase{fe: "actions", token: fixture.Job, inputs: map[string]string{"permissions": "contents:read"}})
	if diff := cmp.Diff(actionsOutcome{Code: 0, Output: "github-app-installation"}, actionsOutcome{r.code, r.outputs["token-type"]}); diff != "" {
		t.Errorf("granted: exit and token-type output (-want +got):\n%s", diff)
	}
	r = runMain(t, w, mainCase{fe: "actions", token: fixture.Job, inputs: map[string]string{"permissions": "pull-requests:write"}})
	msg := r.messages["error/permission-missing"]
	if r.code != 1 || !strings.Contains(msg, "permissions:\n       pull-requests: write") || strings.Contains(msg, "personal-access-tokens/new") {
		t.Errorf("missing: exit %d annotation:\n%s", r.code, msg)
	}
}
