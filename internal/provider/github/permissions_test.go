package github

import (
	"context"
	"strings"
	"testing"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/token"
)

func perm(s string) check.Permission {
	p, err := ghplatform.ParsePermission(s)
	if err != nil {
		panic(err)
	}
	return p
}

// permWorld adds fine-grained and installation tokens with grants.
func permWorld(t *testing.T) *world {
	w := newWorld(t)
	w.sim.AddRepo("octo/lib", true)
	w.sim.AddToken(simulate.Token{Value: "fg", Login: "octocat", FineGrained: true, Expiration: "2027-12-31 00:00:00 UTC",
		Repositories: []string{"octo/private", "octo/lib"},
		Grants: map[string]map[string]string{
			"octo/private": {"contents": "read", "pull_requests": "write", "repository_hooks": "write", "actions": "write", "discussions": "read"},
			"octo/lib":     {"contents": "write", "pull_requests": "read"},
			"octo":         {"members": "read"},
		}})
	// The same grants for an account that can only write to octo/private:
	// GitHub hides its webhooks, which need admin, behind 404s.
	w.sim.AddToken(simulate.Token{Value: "fg-writer", Login: "hubot", FineGrained: true, Expiration: "2027-12-31 00:00:00 UTC",
		Repositories: []string{"octo/private"}, Roles: map[string]string{"octo/private": "write"},
		Grants: map[string]map[string]string{"octo/private": {"repository_hooks": "write", "actions": "write"}}})
	w.sim.AddToken(simulate.Token{Value: "ghs-ro", Installation: true, Repositories: []string{"octo/private"},
		Grants: map[string]map[string]string{"octo/private": {"contents": "read", "issues": "read"}}})
	return w
}

func states(f check.Facts) map[string]string {
	names := map[check.PermissionState]string{check.PermGranted: "granted", check.PermPublic: "public", check.PermMissing: "missing",
		check.PermUnverified: "unverified", check.PermUnreachable: "unreachable", check.PermFailed: "failed"}
	out := map[string]string{}
	for _, p := range ghplatform.PermissionVerdicts(f) {
		out[p.Permission.String()+"@"+p.Target] = names[p.State]
	}
	return out
}

func TestPermissionProbes(t *testing.T) {
	t.Parallel()
	w := permWorld(t)
	req := check.Requirements{
		Repositories:  []string{"octo/private", "octo/lib", "octo/public", "octo/secret"},
		Organizations: []string{"octo"},
		Permissions: []check.Permission{perm("contents:write"), perm("pull_requests:write"), perm("repository_hooks:write"),
			perm("actions:write"), perm("pull-requests:read"), perm("members:write"), perm("secrets:write"), perm("discussions:read")},
	}
	f := w.client(t, "fg").Facts(context.Background(), token.FineGrained, req)
	got := states(f)
	want := map[string]string{
		"contents:write@octo/private":         "missing", // POST git/blobs {} → 403: read only
		"contents:write@octo/lib":             "granted", // 422: no content, nothing stored
		"contents:write@octo/public":          "missing", // anyone may read it, not write to it
		"contents:write@octo/secret":          "unreachable",
		"pull_requests:write@octo/private":    "granted", // POST /pulls {} → 422
		"pull_requests:write@octo/lib":        "missing", // 403
		"pull_requests:write@octo/public":     "missing",
		"repository_hooks:write@octo/private": "granted", // 404, confirmed by a private read
		"repository_hooks:write@octo/lib":     "missing",
		"actions:write@octo/private":          "granted",
		"actions:write@octo/lib":              "missing",
		"pull_requests:read@octo/private":     "granted",
		"pull_requests:read@octo/public":      "public",
		"members:write@octo":                  "missing",
		"secrets:write@octo/private":          "missing", // no read, so no write
		"discussions:read@octo/private":       "granted", // GraphQL data
		"discussions:read@octo/lib":           "missing", // GraphQL FORBIDDEN
		"discussions:read@octo/public":        "public",
		"discussions:read@octo/secret":        "unreachable",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, p := range ghplatform.PermissionVerdicts(f) {
		if p.State == check.PermMissing && p.Permission.Name == "pull_requests" && p.Target == "octo/lib" && !strings.Contains(p.Accepted, "pull_requests:write") {
			t.Errorf("missing without the accepted permissions quoted: %+v", p)
		}
		if p.State == check.PermUnverified && p.Reason == "" {
			t.Errorf("unverified without a reason: %+v", p)
		}
	}
	if v := w.sim.Violations(); len(v) > 0 {
		t.Errorf("probes that could have changed something: %q", v)
	}
	// The budget: at most 2·K·R + 2 requests for K·R permission cells, none
	// sent twice; in fact one per cell, plus /user and one per target, plus
	// the read probe sent with each write probe that succeeds by a 404
	// (repository_hooks, actions and secrets on the four repositories).
	cells := len(f.Permissions)
	reqs := w.sim.Requests()
	if want := 1 + len(req.Repositories) + len(req.Organizations) + cells + 3*len(req.Repositories); len(reqs) > want || len(reqs) > 2*cells+2 {
		t.Errorf("%d requests for %d permission cells, want at most %d (budget %d)", len(reqs), cells, want, 2*cells+2)
	}
	seen := map[string]bool{}
	for _, q := range reqs {
		key := q.Method + " " + q.Path + "?" + q.RawQuery + " " + q.Body
		if seen[key] {
			t.Errorf("sent twice: %s", key)
		}
		seen[key] = true
	}
}

func TestInstallationTokenPermissions(t *testing.T) {
	t.Parallel()
	w := permWorld(t)
	req := check.Requirements{Repositories: []string{"octo/private"}, Permissions: []check.Permission{perm("contents:read"), perm("issues:write")}}
	f := w.client(t, "ghs-ro").Facts(context.Background(), token.AppInstallation, req)
	got := states(f)
	if got["contents:read@octo/private"] != "granted" || got["issues:write@octo/private"] != "missing" {
		t.Errorf("states = %v", got)
	}
	for _, p := range ghplatform.PermissionVerdicts(f) {
		if p.State == check.PermMissing && !strings.Contains(p.Message, "integration") {
			t.Errorf("installation refusal message = %q", p.Message)
		}
	}
}

// Every probe of the table, sent by a token holding every permission, must
// leave nothing changed: the simulator judges each request.
func TestNoProbeCanChangeAnything(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.AddRepoWith(simulate.Repo{FullName: "octo/all", Private: true, Pages: true})
	grants := map[string]string{}
	orgGrants := map[string]string{}
	acct := map[string]string{}
	var perms []check.Permission
	for key := range Probes {
		kind, _ := ghplatform.TargetOf(key.name)
		switch kind {
		case check.TargetRepository:
			grants[key.name] = "admin"
		case check.TargetOrganization:
			orgGrants[key.name] = "admin"
		default:
			acct[key.name] = "admin"
		}
		perms = append(perms, check.Permission{Name: key.name, Level: key.level})
	}
	w.sim.AddToken(simulate.Token{Value: "all", Login: "octocat", FineGrained: true, Repositories: []string{"octo/all"},
		Grants: map[string]map[string]string{"octo/all": grants, "octo": orgGrants, "": acct}})
	req := check.Requirements{Repositories: []string{"octo/all"}, Organizations: []string{"octo"}, Permissions: perms}
	f := w.client(t, "all").Facts(context.Background(), token.FineGrained, req)
	if v := w.sim.Violations(); len(v) > 0 {
		t.Errorf("violations: %q", v)
	}
	for _, p := range ghplatform.PermissionVerdicts(f) {
		rule := RuleFor(p.Permission.Name, p.Permission.Level)
		if rule.Probe != nil && p.State != check.PermGranted {
			t.Errorf("%s: %v (%s), want granted for a token holding everything", p.Permission, p.State, p.Reason)
		}
	}
	nonGet := 0
	for _, q := range w.sim.Requests() {
		if q.Method != "GET" {
			nonGet++
		}
	}
	if nonGet == 0 {
		t.Error("no write probe was sent: the test proves nothing")
	}
}

// A public repository of an SSO organization answers its reads, while a
// write probe meets the SAML refusal: that must not pass silently.
func TestSSORefusalOnAProbeIsKept(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.sim.AddRepo("sso-org/open", false)
	w.sim.AddToken(simulate.Token{Value: "fg-sso", Login: "octocat", FineGrained: true, Repositories: []string{"sso-org/open"},
		Grants: map[string]map[string]string{"sso-org/open": {"pull_requests": "write"}}})
	req := check.Requirements{Repositories: []string{"sso-org/open"}, Permissions: []check.Permission{perm("pull_requests:write")}}
	f := w.client(t, "fg-sso").Facts(context.Background(), token.FineGrained, req)
	if len(f.Permissions) != 1 {
		t.Fatalf("facts = %+v", f)
	}
	p := ghplatform.PermissionVerdicts(f)[0]
	if f.Repositories[0].Access == check.AccessOK && (p.State != check.PermUnreachable || p.SSOURL == "") {
		t.Errorf("permission = %+v, want unreachable with the SSO URL", p)
	}
}

// A write probe that succeeds by a 404 counts only when the read probe of
// the same permission succeeds: GitHub also answers 404 where the account's
// role may not go (webhooks need admin).
func TestWriteByMissingIDNeedsTheRead(t *testing.T) {
	t.Parallel()
	w := permWorld(t)
	req := check.Requirements{Repositories: []string{"octo/private"},
		Permissions: []check.Permission{perm("repository_hooks:write"), perm("actions:write")}}
	f := w.client(t, "fg-writer").Facts(context.Background(), token.FineGrained, req)
	got := states(f)
	if got["repository_hooks:write@octo/private"] != "unverified" || got["actions:write@octo/private"] != "granted" {
		t.Fatalf("states = %v, want hooks unverified (hidden from a writer) and actions granted", got)
	}
	for _, p := range ghplatform.PermissionVerdicts(f) {
		if p.Permission.Name == "repository_hooks" && (!strings.Contains(p.Reason, "404") || !strings.Contains(p.Reason, "GET /repos/octo/private/hooks")) {
			t.Errorf("the reason does not say both probes answered 404: %q", p.Reason)
		}
	}
	// The two probes of each write went out, once each.
	var hooks, artifacts int
	for _, q := range w.sim.Requests() {
		switch {
		case strings.HasSuffix(q.Path, "/octo/private/hooks") && q.Method == "GET", strings.HasSuffix(q.Path, "/hooks/4294967289") && q.Method == "PATCH":
			hooks++
		case strings.HasSuffix(q.Path, "/actions/artifacts") && q.Method == "GET", strings.HasSuffix(q.Path, "/dispatches") && q.Method == "POST":
			artifacts++
		}
	}
	if hooks != 2 || artifacts != 2 {
		t.Errorf("sent %d hooks and %d actions requests, want the read and the write of each", hooks, artifacts)
	}
	if v := w.sim.Violations(); len(v) > 0 {
		t.Errorf("probes that could have changed something: %q", v)
	}
}

// verdictOf is the check package's verdict on one permission fact.
func verdictOf(kind token.Kind, p check.PermissionFact) check.PermissionVerdict {
	return ghplatform.PermissionVerdicts(check.Facts{Kind: kind, Permissions: []check.PermissionFact{p}})[0]
}

// Permissions that were not required are probed only when asked (excess
// warning or error), only for the kinds whose permissions can only be
// probed, on one repository, and only where the table has a probe.
func TestExcessJobs(t *testing.T) {
	t.Parallel()
	req := check.Requirements{Permissions: []check.Permission{{Name: "contents", Level: check.LevelRead}}, Repositories: []string{"o/a", "o/b"}, Excess: finding.Warning}
	jobs := excessJobs(token.FineGrained, req)
	if len(jobs) == 0 {
		t.Fatal("no excess probes at warning")
	}
	for _, j := range jobs {
		if j.target != "o/a" || RuleFor(j.perm.Name, j.perm.Level).Probe == nil || (j.perm.Name == "contents" && j.perm.Level == check.LevelRead) {
			t.Errorf("job %v on %s", j.perm, j.target)
		}
	}
	for _, tt := range []struct {
		kind token.Kind
		sev  finding.Severity
	}{{token.FineGrained, finding.Notice}, {token.FineGrained, ""}, {token.Classic, finding.Error}, {token.AppInstallation, finding.Notice}} {
		req.Excess = tt.sev
		if jobs := excessJobs(tt.kind, req); len(jobs) != 0 {
			t.Errorf("%s at %q: %d probes", tt.kind, tt.sev, len(jobs))
		}
	}
}
