package e2e

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

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

func TestActionsPermissionsMissingWriteVersusReadOnTwoRepositories(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runActions(t, w, fixture.Fine, map[string]string{"permissions": "pull-requests:write", "repositories": "octo/private octo/lib", "token-name": "release bot"}, nil)
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
	r := runActions(t, w, fixture.Fine, map[string]string{"permissions": "workflows:write", "repositories": "octo/private"}, nil)
	if r.code != 0 || r.outputs["result"] != "warn" {
		t.Errorf("unverified: exit %d outputs %v", r.code, r.outputs)
	}
	if msg := r.annotations("warning")["permission-unverified"]; !strings.Contains(msg, "workflows:write") || !strings.Contains(msg, "the job may still fail at the step that writes") {
		t.Errorf("unverified annotation: %q", msg)
	}
	r = runActions(t, w, fixture.Fine, map[string]string{"permissions": "contents:read", "repositories": "octo/secret"}, nil)
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
	r := runActions(t, w, fixture.Job, map[string]string{"permissions": "contents:read"}, nil)
	if r.code != 0 || r.outputs["token-type"] != "github-app-installation" {
		t.Errorf("granted: exit %d outputs %v", r.code, r.outputs)
	}
	r = runActions(t, w, fixture.Job, map[string]string{"permissions": "pull-requests:write"}, nil)
	msg := r.annotations("error")["permission-missing"]
	if r.code != 1 || !strings.Contains(msg, "permissions:\n       pull-requests: write") || strings.Contains(msg, "personal-access-tokens/new") {
		t.Errorf("missing: exit %d annotation:\n%s", r.code, msg)
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

func TestPermissionsInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	for _, sc := range permissionScenarios {
		// GitHub Actions
		a := runActions(t, w, sc.tok, map[string]string{"permissions": sc.perms, "repositories": sc.repos}, nil)
		found := false
		for _, c := range a.cmds {
			found = found || strings.HasPrefix(c.msg, sc.finding+": ")
		}
		if a.code != sc.code || a.outputs["missing"] != sc.missing || (sc.finding != "" && !found) {
			t.Errorf("actions, %s: exit %d missing %q, finding %s found=%v", sc.name, a.code, a.outputs["missing"], sc.finding, found)
		}
		// Azure Pipelines
		z := runAzure(t, w, sc.tok, map[string]string{"permissions": sc.perms, "repositories": sc.repos})
		if z.code != sc.code || z.variables["missing"] != sc.missing || (sc.finding != "" && !slices.Contains(z.codes, sc.finding)) {
			t.Errorf("azure, %s: exit %d missing %q codes %v", sc.name, z.code, z.variables["missing"], z.codes)
		}
		if !strings.Contains(z.summary, "| Permission |") {
			t.Errorf("azure, %s: no permission table in the summary", sc.name)
		}
		// Command line
		c := run(t, map[string]string{"PAT_CHECK_TOKEN": sc.tok}, "", "--format", "json", "--api-url", w.API, "--permissions", sc.perms, "--repositories", sc.repos)
		var rep struct {
			Missing  []string
			Findings []struct{ Code string }
		}
		_ = json.Unmarshal([]byte(c.stdout), &rep)
		codes := []string{}
		for _, f := range rep.Findings {
			codes = append(codes, f.Code)
		}
		if c.code != sc.code || strings.Join(rep.Missing, ",") != sc.missing || (sc.finding != "" && !slices.Contains(codes, sc.finding)) {
			t.Errorf("cli, %s: exit %d missing %v codes %v", sc.name, c.code, rep.Missing, codes)
		}
		// A scenario without a finding is proven: no permission warning either.
		if sc.finding == "" && slices.ContainsFunc(codes, func(code string) bool { return strings.HasPrefix(code, "permission-") }) {
			t.Errorf("cli, %s: codes %v, want every permission proven", sc.name, codes)
		}
		assertNoLeak(t, sc.tok, "cli output", c.all())
	}
}

// contents:write, the commonest need of a CI job, fails early when the token
// can only read, in every front-end, with the fix naming contents: write;
// held, it is granted. No request could have changed anything (the
// simulator's violations fail the world's cleanup).
func TestContentsWriteInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	for _, tok := range []string{fixture.Fine, fixture.Job} {
		in := map[string]string{"permissions": "contents:write", "repositories": "octo/private"}
		a := runActions(t, w, tok, in, nil)
		msg := a.annotations("error")["permission-missing"]
		if a.code != 1 || a.outputs["missing"] != "contents:write@octo/private" || !strings.Contains(msg, "contents: write") {
			t.Errorf("actions: exit %d outputs %v annotation (the fix must name contents: write):\n%s", a.code, a.outputs, msg)
		}
		z := runAzure(t, w, tok, in)
		if z.code != 1 || z.variables["missing"] != "contents:write@octo/private" || !slices.Contains(z.codes, "permission-missing") {
			t.Errorf("azure: exit %d variables %v codes %v", z.code, z.variables, z.codes)
		}
		c := run(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "", "--api-url", w.API, "--permissions", "contents:write", "--repositories", "octo/private")
		if c.code != 1 || !strings.Contains(c.stdout, "contents:write") {
			t.Errorf("cli: exit %d\n%s", c.code, c.stdout)
		}
	}
	for _, tok := range []string{fixture.FineWriter, fixture.JobWriter} {
		a := runActions(t, w, tok, map[string]string{"permissions": "contents:write", "repositories": "octo/private"}, nil)
		if a.code != 0 || a.outputs["result"] != "pass" || !strings.Contains(a.summary, "| contents:write | ✅ granted |") {
			t.Errorf("granted: exit %d outputs %v\n%s", a.code, a.outputs, a.summary)
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
