package simulate

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The probes of internal/provider/github/probes.go, written out: importing that
// package here would risk an import cycle with its own tests.
const (
	probeID     = "pat-check-probe-3f9c1e7a0b6d4d2c"
	probeNumber = "4294967289"
	zeroSHA     = "0000000000000000000000000000000000000000"
	repoPath    = "/repos/{owner}/{repo}"
)

type probeCase struct {
	perm string
	area area
	// read is the read probe's path; readOK its status on fgRepo for a
	// token that may read; shape the 200 body: "[]", "{}" (an object) or
	// the key of a wrapped listing.
	read   string
	readOK int
	shape  string
	// public: anyone may read it on a public repository.
	public bool
	// The write probe, if any, and its status for a token that may write.
	method, write string
	writeOK       int
}

var probeTable = []probeCase{
	{perm: "metadata", area: areaRepo, read: repoPath, readOK: 200, shape: "{}", public: true},
	{perm: "contents", area: areaRepo, read: repoPath + "/commits?per_page=1", readOK: 200, shape: "[]", public: true,
		method: "POST", write: repoPath + "/git/blobs", writeOK: 422},
	{perm: "pull_requests", area: areaRepo, read: repoPath + "/pulls?per_page=1", readOK: 200, shape: "[]", public: true,
		method: "POST", write: repoPath + "/pulls", writeOK: 422},
	{perm: "issues", area: areaRepo, read: repoPath + "/issues?per_page=1", readOK: 200, shape: "[]", public: true,
		method: "POST", write: repoPath + "/issues", writeOK: 422},
	{perm: "actions", area: areaRepo, read: repoPath + "/actions/artifacts?per_page=1", readOK: 200, shape: "artifacts", public: true,
		method: "POST", write: repoPath + "/actions/workflows/" + probeID + ".yml/dispatches", writeOK: 404},
	{perm: "administration", area: areaRepo, read: repoPath + "/actions/permissions", readOK: 200, shape: "{}",
		method: "PATCH", write: repoPath + "/invitations/" + probeNumber, writeOK: 404},
	{perm: "secrets", area: areaRepo, read: repoPath + "/actions/secrets?per_page=1", readOK: 200, shape: "secrets",
		method: "DELETE", write: repoPath + "/actions/secrets/" + probeID, writeOK: 404},
	{perm: "dependabot_secrets", area: areaRepo, read: repoPath + "/dependabot/secrets?per_page=1", readOK: 200, shape: "secrets",
		method: "DELETE", write: repoPath + "/dependabot/secrets/" + probeID, writeOK: 404},
	{perm: "actions_variables", area: areaRepo, read: repoPath + "/actions/variables?per_page=1", readOK: 200, shape: "variables",
		method: "PATCH", write: repoPath + "/actions/variables/" + probeID, writeOK: 404},
	{perm: "repository_hooks", area: areaRepo, read: repoPath + "/hooks?per_page=1", readOK: 200, shape: "[]",
		method: "PATCH", write: repoPath + "/hooks/" + probeNumber, writeOK: 404},
	{perm: "statuses", area: areaRepo, read: repoPath + "/commits/" + zeroSHA + "/statuses?per_page=1", readOK: 404, public: true,
		method: "POST", write: repoPath + "/statuses/" + zeroSHA, writeOK: 422},
	{perm: "deployments", area: areaRepo, read: repoPath + "/deployments?per_page=1", readOK: 200, shape: "[]", public: true,
		method: "POST", write: repoPath + "/deployments", writeOK: 422},
	{perm: "pages", area: areaRepo, read: repoPath + "/pages", readOK: 200, shape: "{}", public: true,
		method: "POST", write: repoPath + "/pages/deployments/" + probeID + "/cancel", writeOK: 404},
	{perm: "environments", area: areaRepo, read: repoPath + "/environments/" + probeID + "/variables?per_page=1", readOK: 404,
		method: "POST", write: repoPath + "/environments/" + probeID + "/variables", writeOK: 404},
	{perm: "checks", area: areaRepo, read: repoPath + "/commits/" + zeroSHA + "/check-runs?per_page=1", readOK: 404, public: true,
		method: "POST", write: repoPath + "/check-runs", writeOK: 422},

	{perm: "members", area: areaOrg, read: "/orgs/{org}/teams?per_page=1", readOK: 200, shape: "[]",
		method: "PATCH", write: "/orgs/{org}/teams/" + probeID, writeOK: 404},
	{perm: "organization_administration", area: areaOrg, read: "/orgs/{org}/actions/permissions", readOK: 200, shape: "{}",
		method: "PATCH", write: "/orgs/{org}/actions/hosted-runners/" + probeNumber, writeOK: 404},
	{perm: "organization_secrets", area: areaOrg, read: "/orgs/{org}/actions/secrets?per_page=1", readOK: 200, shape: "secrets",
		method: "DELETE", write: "/orgs/{org}/actions/secrets/" + probeID, writeOK: 404},
	{perm: "organization_self_hosted_runners", area: areaOrg, read: "/orgs/{org}/actions/runners?per_page=1", readOK: 200, shape: "runners",
		method: "PATCH", write: "/orgs/{org}/actions/runner-groups/" + probeNumber, writeOK: 404},
	{perm: "organization_hooks", area: areaOrg, read: "/orgs/{org}/hooks?per_page=1", readOK: 200, shape: "[]",
		method: "PATCH", write: "/orgs/{org}/hooks/" + probeNumber, writeOK: 404},
	{perm: "organization_actions_variables", area: areaOrg, read: "/orgs/{org}/actions/variables?per_page=1", readOK: 200, shape: "variables",
		method: "PATCH", write: "/orgs/{org}/actions/variables/" + probeID, writeOK: 404},

	{perm: "emails", area: areaUser, read: "/user/emails?per_page=1", readOK: 200, shape: "[]",
		method: "POST", write: "/user/emails", writeOK: 422},
	{perm: "keys", area: areaUser, read: "/user/keys?per_page=1", readOK: 200, shape: "[]",
		method: "DELETE", write: "/user/keys/0", writeOK: 404},
	{perm: "gpg_keys", area: areaUser, read: "/user/gpg_keys?per_page=1", readOK: 200, shape: "[]",
		method: "DELETE", write: "/user/gpg_keys/0", writeOK: 404},
	{perm: "followers", area: areaUser, read: "/user/followers?per_page=1", readOK: 200, shape: "[]"},
	{perm: "starring", area: areaUser, read: "/user/starred?per_page=1", readOK: 200, shape: "[]"},
	{perm: "watching", area: areaUser, read: "/user/subscriptions?per_page=1", readOK: 200, shape: "[]"},
	{perm: "git_signing_ssh_public_keys", area: areaUser, read: "/user/ssh_signing_keys?per_page=1", readOK: 200, shape: "[]",
		method: "DELETE", write: "/user/ssh_signing_keys/0", writeOK: 404},
}

// Every probe body leaves out what the endpoint requires.
const probeBody = `{}`

// The fine-grained world: fgRepo is private, reachable, with a Pages site.
const (
	fgRepo = "acme/app"
	fgOrg  = "acme"
)

func expand(path, repo, org string) string {
	owner, name, _ := strings.Cut(repo, "/")
	return strings.NewReplacer("{owner}", owner, "{repo}", name, "{org}", org).Replace(path)
}

// grantKey is the Grants key of a probe's target.
func grantKey(a area, repo, org string) string {
	switch a {
	case areaRepo:
		return repo
	case areaOrg:
		return org
	}
	return ""
}

// acceptedFor is the X-Accepted-GitHub-Permissions a probe expects.
func acceptedFor(perm, lv string) string {
	return perm + "=" + lv
}

func fgWorld(g *GitHub) {
	g.SetBasePath(base)
	g.SetNow(func() time.Time { return clock })
	g.AddOrg(Org{Login: "acme"})
	g.AddOrg(Org{Login: "SSO-Org", SSO: true})
	g.AddOrg(Org{Login: "nofine", ForbidFineGrained: true})
	g.AddRepoWith(Repo{FullName: fgRepo, Private: true, Pages: true})
	g.AddRepoWith(Repo{FullName: "acme/empty", Private: true, Empty: true})
	g.AddRepo("acme/public", false)
	g.AddRepo("acme/hidden", true)
	g.AddRepo("SSO-Org/private", true)
	g.AddRepo("SSO-Org/public", false)
	g.AddRepo("nofine/repo", false)
}

// everything grants every permission of the probe table at lv.
func everything(lv string, repos ...string) map[string]map[string]string {
	grants := map[string]map[string]string{}
	for _, p := range probeTable {
		keys := []string{grantKey(p.area, "", fgOrg)}
		if p.area == areaRepo {
			keys = repos
		}
		for _, k := range keys {
			if grants[k] == nil {
				grants[k] = map[string]string{}
			}
			grants[k][p.perm] = lv
		}
	}
	return grants
}

// send makes one request with a JSON body ("" = none) and a token ("" = none).
func send(t *testing.T, srv *httptest.Server, method, path, tok, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return roundTrip(t, req)
}

// checkShape checks a 200 body against a probe's expected shape.
func checkShape(t *testing.T, r reply, shape string) {
	t.Helper()
	switch shape {
	case "[]":
		if string(r.raw) != "[]" {
			t.Errorf("body = %s, want []", r.raw)
		}
	case "{}":
		if len(r.json(t)) == 0 {
			t.Errorf("body = %s, want an object", r.raw)
		}
	default:
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r.raw, &m); err != nil || string(m["total_count"]) != "0" || string(m[shape]) != "[]" {
			t.Errorf("body = %s, want {\"total_count\":0,%q:[]}", r.raw, shape)
		}
	}
}

// checkDenied checks GitHub's 403 for a missing permission.
func checkDenied(t *testing.T, r reply, who, accepted string) {
	t.Helper()
	if r.status != 403 {
		t.Fatalf("status = %d, want 403 (%s)", r.status, r.raw)
	}
	body := r.json(t)
	if body["message"] != "Resource not accessible by "+who || body["status"] != "403" ||
		!strings.HasPrefix(fmt.Sprint(body["documentation_url"]), "https://docs.github.com/") {
		t.Errorf("body = %s", r.raw)
	}
	if got := r.header.Get("X-Accepted-GitHub-Permissions"); got != accepted {
		t.Errorf("X-Accepted-GitHub-Permissions = %q, want %q", got, accepted)
	}
}

// TestPermissionProbes sends every probe with a fine-grained token holding
// the probed permission at each level.
func TestPermissionProbes(t *testing.T) {
	t.Parallel()
	levelsHeld := []string{"none", "read", "write", "admin"}
	tokenFor := func(perm, lv string) string { return "github_pat_" + perm + "_" + lv }
	g, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		for _, p := range probeTable {
			for _, lv := range levelsHeld {
				tok := Token{Value: tokenFor(p.perm, lv), Login: "octocat", FineGrained: true, Repositories: []string{fgRepo}}
				if lv != "none" {
					tok.Grants = map[string]map[string]string{grantKey(p.area, fgRepo, fgOrg): {p.perm: lv}}
				}
				g.AddToken(tok)
			}
		}
	})
	t.Run("probes", func(t *testing.T) {
		for _, p := range probeTable {
			for i, lv := range levelsHeld {
				t.Run(p.perm+"/"+lv, func(t *testing.T) {
					t.Parallel()
					tok := tokenFor(p.perm, lv)
					canRead, canWrite := i >= 1 || p.perm == "metadata", i >= 2

					r := send(t, srv, "GET", expand(p.read, fgRepo, fgOrg), tok, "")
					switch {
					case canRead:
						if r.status != p.readOK {
							t.Fatalf("read: status = %d, want %d (%s)", r.status, p.readOK, r.raw)
						}
						if r.status == 200 {
							checkShape(t, r, p.shape)
						}
						if got, want := r.header.Get("X-Accepted-GitHub-Permissions"), acceptedFor(p.perm, "read"); p.perm != "metadata" && got != want {
							t.Errorf("read: X-Accepted-GitHub-Permissions = %q, want %q", got, want)
						}
					default:
						checkDenied(t, r, "personal access token", acceptedFor(p.perm, "read"))
					}

					if p.write == "" {
						return
					}
					r = send(t, srv, p.method, expand(p.write, fgRepo, fgOrg), tok, probeBody)
					if !canWrite {
						checkDenied(t, r, "personal access token", acceptedFor(p.perm, "write"))
						return
					}
					if r.status != p.writeOK {
						t.Fatalf("write: status = %d, want %d (%s)", r.status, p.writeOK, r.raw)
					}
					if got, want := r.header.Get("X-Accepted-GitHub-Permissions"), acceptedFor(p.perm, "write"); got != want {
						t.Errorf("write: X-Accepted-GitHub-Permissions = %q, want %q", got, want)
					}
					if body := r.json(t); body["message"] == "" || body["status"] != fmt.Sprint(p.writeOK) {
						t.Errorf("write: body = %s", r.raw)
					}
				})
			}
		}
	})
	if v := g.Violations(); len(v) != 0 {
		t.Errorf("the probes committed violations: %q", v)
	}
}

// TestAllProbesWithoutViolation sends every probe with tokens that may do
// everything: whatever the model, no probe is a violation.
func TestAllProbesWithoutViolation(t *testing.T) {
	t.Parallel()
	tokens := []Token{
		{Value: "github_pat_all", Login: "octocat", FineGrained: true, Repositories: []string{fgRepo},
			Grants: everything("admin", fgRepo)},
		{Value: "ghs_all", Installation: true, Repositories: []string{fgRepo}, Grants: everything("write", fgRepo)},
		{Value: "ghp_all", Login: "octocat", Scopes: []string{"repo", "admin:org", "user"}, Repositories: []string{fgRepo}},
	}
	for _, tok := range tokens {
		t.Run(tok.Value, func(t *testing.T) {
			t.Parallel()
			g, srv := start(t, func(g *GitHub) { fgWorld(g); g.AddToken(tok) })
			for _, p := range probeTable {
				if tok.Installation && p.area == areaUser {
					continue // no account behind an installation
				}
				if r := send(t, srv, "GET", expand(p.read, fgRepo, fgOrg), tok.Value, ""); r.status != p.readOK {
					t.Errorf("%s read: status = %d, want %d (%s)", p.perm, r.status, p.readOK, r.raw)
				}
				if p.write == "" {
					continue
				}
				if r := send(t, srv, p.method, expand(p.write, fgRepo, fgOrg), tok.Value, probeBody); r.status != p.writeOK {
					t.Errorf("%s write: status = %d, want %d (%s)", p.perm, r.status, p.writeOK, r.raw)
				}
			}
			if v := g.Violations(); len(v) != 0 {
				t.Errorf("violations: %q", v)
			}
		})
	}
}

func TestPublicRepositoryReads(t *testing.T) {
	t.Parallel()
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "github_pat_nothing", Login: "octocat", FineGrained: true})
		g.AddToken(Token{Value: "ghp_noscopes", Login: "octocat", Scopes: []string{}})
	})
	for _, tok := range []string{"github_pat_nothing", "ghp_noscopes"} {
		for _, p := range probeTable {
			if p.area != areaRepo {
				continue
			}
			t.Run(tok+"/"+p.perm, func(t *testing.T) {
				t.Parallel()
				r := send(t, srv, "GET", expand(p.read, "acme/public", fgOrg), tok, "")
				want := p.readOK
				if p.perm == "pages" {
					want = 404 // no Pages site, still readable
				}
				if !p.public {
					checkDenied(t, r, "personal access token", acceptedFor(p.perm, "read"))
				} else if r.status != want {
					t.Errorf("read: status = %d, want %d (%s)", r.status, want, r.raw)
				}
				if p.write != "" {
					r = send(t, srv, p.method, expand(p.write, "acme/public", fgOrg), tok, probeBody)
					checkDenied(t, r, "personal access token", acceptedFor(p.perm, "write"))
				}
			})
		}
	}
}

// TestUnreachable: a target the token cannot reach answers before any
// permission, whatever the grant.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "github_pat_all", Login: "octocat", FineGrained: true,
			Grants: everything("admin", "acme/hidden", "nobody/nothing", "sso-org/private", "nofine/repo")})
		g.AddToken(Token{Value: "ghp_repo", Login: "octocat", Scopes: []string{"repo", "admin:org"}})
		g.AddToken(Token{Value: "ghs_all", Installation: true, Grants: everything("write", "nofine/repo", "acme/hidden")})
	})
	tests := []struct {
		name, tok, repo, org string
		status               int
		message              string
		sso                  bool
	}{
		{"private repo not selected", "github_pat_all", "acme/hidden", "", 404, "Not Found", false},
		{"private repo, classic", "ghp_repo", "acme/hidden", "", 404, "Not Found", false},
		{"private repo, installation", "ghs_all", "acme/hidden", "", 404, "Not Found", false},
		{"no such repo", "github_pat_all", "nobody/nothing", "", 404, "Not Found", false},
		{"no such org", "github_pat_all", "", "nobody", 404, "Not Found", false},
		{"a user is not an org", "github_pat_all", "", "octocat", 404, "Not Found", false},
		{"SSO repo", "ghp_repo", "SSO-Org/private", "", 403, ssoMessage, true},
		{"SSO org", "ghp_repo", "", "sso-org", 403, ssoMessage, true},
		{"fine-grained forbidden on a repo", "github_pat_all", "nofine/repo", "", 403, fineMsg, false},
		{"fine-grained forbidden on an org", "github_pat_all", "", "nofine", 403, fineMsg, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			for _, p := range probeTable {
				if (p.area == areaRepo) != (tt.repo != "") || p.area == areaUser || p.perm == "metadata" {
					continue
				}
				reqs := [][2]string{{"GET", p.read}}
				if p.write != "" {
					reqs = append(reqs, [2]string{p.method, p.write})
				}
				for _, rq := range reqs {
					r := send(t, srv, rq[0], expand(rq[1], tt.repo, tt.org), tt.tok, probeBody)
					if r.status != tt.status || !strings.HasPrefix(fmt.Sprint(r.json(t)["message"]), tt.message) {
						t.Errorf("%s %s: %d %s, want %d %q", rq[0], rq[1], r.status, r.raw, tt.status, tt.message)
					}
					if h := r.header.Get("X-Accepted-GitHub-Permissions"); h != "" {
						t.Errorf("%s %s: X-Accepted-GitHub-Permissions = %q before the target is reached", rq[0], rq[1], h)
					}
					if tt.sso != (r.header.Get("X-GitHub-SSO") != "") {
						t.Errorf("%s %s: X-GitHub-SSO = %q", rq[0], rq[1], r.header.Get("X-GitHub-SSO"))
					}
				}
			}
		})
	}
	t.Run("installation spared by policies", func(t *testing.T) {
		t.Parallel()
		if r := send(t, srv, "GET", "/repos/nofine/repo/actions/secrets", "ghs_all", ""); r.status != 200 {
			t.Errorf("status = %d (%s)", r.status, r.raw)
		}
	})
}

func TestInstallationWording(t *testing.T) {
	t.Parallel()
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "ghs_contents", Installation: true, Repositories: []string{fgRepo},
			Grants: map[string]map[string]string{fgRepo: {"contents": "read", "checks": "write"}}})
	})
	tests := []struct {
		method, path string
		status       int
		accepted     string
	}{
		{"GET", "/repos/acme/app/commits?per_page=1", 200, "contents=read"},
		{"GET", "/repos/acme/app/pulls?per_page=1", 403, "pull_requests=read"},
		{"POST", "/repos/acme/app/pulls", 403, "pull_requests=write"},
		{"POST", "/repos/acme/app/check-runs", 422, "checks=write"},
		{"GET", "/orgs/acme/teams", 403, "members=read"},
		{"GET", "/user/emails", 403, "emails=read"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			t.Parallel()
			r := send(t, srv, tt.method, tt.path, "ghs_contents", probeBody)
			if tt.status == 403 {
				checkDenied(t, r, "integration", tt.accepted)
				return
			}
			if r.status != tt.status || r.header.Get("X-Accepted-GitHub-Permissions") != tt.accepted {
				t.Errorf("%d %q %s", r.status, r.header.Get("X-Accepted-GitHub-Permissions"), r.raw)
			}
		})
	}
}

func TestClassicScopes(t *testing.T) {
	t.Parallel()
	const none = "<absent>"
	tests := []struct {
		name         string
		scopes       []string
		method, path string
		status       int
		accepted     string // X-Accepted-GitHub-Permissions
		oauth        string // X-Accepted-OAuth-Scopes
	}{
		{"repo reads a private repo", []string{"repo"}, "GET", "/repos/acme/app/commits", 200, none, "repo"},
		{"repo reads secrets", []string{"repo"}, "GET", "/repos/acme/app/actions/secrets", 200, none, "repo"},
		{"repo writes", []string{"repo"}, "POST", "/repos/acme/app/pulls", 422, none, "repo"},
		{"repo is not org", []string{"repo"}, "GET", "/orgs/acme/teams", 403, "members=read", "admin:org, read:org, write:org"},
		{"no repo: private commits", []string{"workflow"}, "GET", "/repos/acme/app/commits", 403, "contents=read", "repo"},
		{"no repo: private write", []string{}, "POST", "/repos/acme/app/pulls", 403, "pull_requests=write", "repo"},
		{"no repo: public commits", []string{}, "GET", "/repos/acme/public/commits", 200, none, "repo"},
		{"no repo: public secrets", []string{}, "GET", "/repos/acme/public/actions/secrets", 403, "secrets=read", "repo"},
		{"public_repo on a public repo", []string{"public_repo"}, "POST", "/repos/acme/public/deployments", 422, none, "repo"},
		{"public_repo on a private repo", []string{"public_repo"}, "POST", "/repos/acme/app/deployments", 403, "deployments=write", "repo"},
		{"repo:status", []string{"repo:status"}, "POST", "/repos/acme/app/statuses/" + zeroSHA, 422, none, "repo"},
		{"read:repo_hook reads", []string{"read:repo_hook"}, "GET", "/repos/acme/app/hooks", 200, none, "repo"},
		{"read:repo_hook does not write", []string{"read:repo_hook"}, "PATCH", "/repos/acme/app/hooks/1", 403, "repository_hooks=write", "repo"},
		{"admin:org writes", []string{"admin:org"}, "PATCH", "/orgs/acme/teams/" + probeID, 404, none, "admin:org, read:org, write:org"},
		{"read:org reads", []string{"read:org"}, "GET", "/orgs/acme/actions/runners", 200, none, "admin:org, read:org, write:org"},
		{"read:org does not write", []string{"read:org"}, "PATCH", "/orgs/acme/hooks/1", 403, "organization_hooks=write", "admin:org, read:org, write:org"},
		{"write:org writes members", []string{"write:org"}, "PATCH", "/orgs/acme/teams/" + probeID, 404, none, "admin:org, read:org, write:org"},
		{"admin:org_hook", []string{"admin:org_hook"}, "PATCH", "/orgs/acme/hooks/1", 404, none, "admin:org, read:org, write:org"},
		{"user reads emails", []string{"user"}, "GET", "/user/emails", 200, none, "user"},
		{"read:user reads keys", []string{"read:user"}, "GET", "/user/keys", 200, none, "user"},
		{"user:email reads emails", []string{"user:email"}, "GET", "/user/emails", 200, none, "user"},
		{"user:email is not keys", []string{"user:email"}, "GET", "/user/keys", 403, "keys=read", "user"},
		{"read:gpg_key", []string{"read:gpg_key"}, "GET", "/user/gpg_keys", 200, none, "user"},
		{"no scopes", []string{}, "GET", "/user/followers", 403, "followers=read", "user"},
		{"scopes any case", []string{" REPO "}, "GET", "/repos/acme/app/hooks", 200, none, "repo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := start(t, func(g *GitHub) {
				fgWorld(g)
				g.AddToken(Token{Value: "ghp_x", Login: "octocat", Scopes: tt.scopes, Repositories: []string{fgRepo}})
			})
			r := send(t, srv, tt.method, tt.path, "ghp_x", probeBody)
			if tt.status == 403 {
				checkDenied(t, r, "personal access token", tt.accepted)
			} else if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			if tt.accepted == none && len(r.header.Values("X-Accepted-GitHub-Permissions")) > 0 {
				t.Errorf("X-Accepted-GitHub-Permissions = %q on a classic token's %d", r.header.Get("X-Accepted-GitHub-Permissions"), r.status)
			}
			if got := r.header.Get("X-Accepted-OAuth-Scopes"); got != tt.oauth {
				t.Errorf("X-Accepted-OAuth-Scopes = %q, want %q", got, tt.oauth)
			}
		})
	}
}

func TestViolations(t *testing.T) {
	t.Parallel()
	big := `{"name":"` + strings.Repeat("x", maxBody) + `"}`
	const harmless = ""
	tests := []struct {
		name, method, path, tok, body string
		setup                         func(*GitHub)
		status                        int
		violation                     string // the whole entry, or a prefix ending in ": "; "" = none
	}{
		{"PUT contents", "PUT", "/repos/acme/app/contents/README.md", "github_pat_all", `{"message":"m","content":"eA=="}`, nil,
			404, "PUT " + base + "/repos/acme/app/contents/README.md: a write the simulator cannot prove harmless"},
		{"PUT contents, empty body", "PUT", "/repos/acme/app/contents/README.md", "github_pat_all", "", nil,
			404, "PUT " + base + "/repos/acme/app/contents/README.md: a write the simulator cannot prove harmless"},
		{"PUT a secret", "PUT", "/repos/acme/app/actions/secrets/" + probeID, "github_pat_all", `{}`, nil,
			404, "PUT " + base + "/repos/acme/app/actions/secrets/" + probeID + ": a write the simulator cannot prove harmless"},
		{"DELETE a repo", "DELETE", "/repos/acme/app", "github_pat_all", "", nil, 404, "DELETE " + base + "/repos/acme/app: "},
		{"POST /user", "POST", "/user", "github_pat_all", "", nil, 404, "POST " + base + "/user: "},
		{"unknown route, invalid JSON", "POST", "/repos/acme/app/forks", "github_pat_all", `{`, nil, 400, "POST " + base + "/repos/acme/app/forks: "},
		{"unknown route, too large", "PUT", "/repos/acme/app/contents/x", "github_pat_all", big, nil, 413, "PUT " + base + "/repos/acme/app/contents/x: "},

		{"pull request with head and base", "POST", "/repos/acme/app/pulls", "github_pat_all", `{"head":"feature","base":"main"}`, nil,
			201, "POST " + base + "/repos/acme/app/pulls: the body sets head and base, so it would open a pull request"},
		{"pull request without base", "POST", "/repos/acme/app/pulls", "github_pat_all", `{"head":"feature"}`, nil, 422, harmless},
		{"pull request with a null base", "POST", "/repos/acme/app/pulls", "github_pat_all", `{"head":"feature","base":null}`, nil, 422, harmless},
		{"pull request, no body", "POST", "/repos/acme/app/pulls", "github_pat_all", "", nil, 422, harmless},
		{"pull request, invalid JSON", "POST", "/repos/acme/app/pulls", "github_pat_all", `{"head":`, nil, 400, harmless},
		{"pull request, an array", "POST", "/repos/acme/app/pulls", "github_pat_all", `[{"head":"a","base":"b"}]`, nil, 422, harmless},
		{"label edit with a body", "PATCH", "/repos/acme/app/labels/bug", "github_pat_all", `{"color":"ff0000"}`, nil,
			404, "PATCH " + base + "/repos/acme/app/labels/bug: the body sets color, which would edit the label wherever it exists"},
		{"label edit, null body", "PATCH", "/repos/acme/app/labels/bug", "github_pat_all", `null`, nil, 404, harmless},
		{"label edit, too large", "PATCH", "/repos/acme/app/labels/bug", "github_pat_all", big, nil, 413, "PATCH " + base + "/repos/acme/app/labels/bug: "},
		{"dispatch with a ref", "POST", "/repos/acme/app/actions/workflows/ci.yml/dispatches", "github_pat_all", `{"ref":"main"}`, nil,
			404, "POST " + base + "/repos/acme/app/actions/workflows/ci.yml/dispatches: "},
		{"dispatch without a ref", "POST", "/repos/acme/app/actions/workflows/ci.yml/dispatches", "github_pat_all", `{"inputs":{}}`, nil, 404, harmless},
		{"variable edit with a body", "PATCH", "/repos/acme/app/actions/variables/X", "github_pat_all", `{"value":"1"}`, nil, 404, "PATCH " + base + "/repos/acme/app/actions/variables/X: "},
		{"hook edit with a body", "PATCH", "/repos/acme/app/hooks/1", "github_pat_all", `{"active":false}`, nil, 404, "PATCH " + base + "/repos/acme/app/hooks/1: "},
		{"status with a state", "POST", "/repos/acme/app/statuses/abc123", "github_pat_all", `{"state":"success"}`, nil, 422, "POST " + base + "/repos/acme/app/statuses/abc123: "},
		{"status without a state", "POST", "/repos/acme/app/statuses/abc123", "github_pat_all", `{"context":"ci"}`, nil, 422, harmless},
		{"deployment with a ref", "POST", "/repos/acme/app/deployments", "github_pat_all", `{"ref":"main"}`, nil, 201, "POST " + base + "/repos/acme/app/deployments: "},
		{"check run with name and head_sha", "POST", "/repos/acme/app/check-runs", "github_pat_all", `{"name":"ci","head_sha":"abc"}`, nil, 201, "POST " + base + "/repos/acme/app/check-runs: "},
		{"check run without head_sha", "POST", "/repos/acme/app/check-runs", "github_pat_all", `{"name":"ci"}`, nil, 422, harmless},
		{"cancel a numbered Pages deployment", "POST", "/repos/acme/app/pages/deployments/123/cancel", "github_pat_all", "", nil, 404, "POST " + base + "/repos/acme/app/pages/deployments/123/cancel: "},
		{"cancel a Pages deployment by SHA", "POST", "/repos/acme/app/pages/deployments/" + zeroSHA + "/cancel", "github_pat_all", "", nil, 404, "POST " + base + "/repos/acme/app/pages/deployments/"},
		{"team edit with a body", "PATCH", "/orgs/acme/teams/core", "github_pat_all", `{"name":"x"}`, nil, 404, "PATCH " + base + "/orgs/acme/teams/core: "},
		{"org hook edit with a body", "PATCH", "/orgs/acme/hooks/1", "github_pat_all", `{"active":true}`, nil, 404, "PATCH " + base + "/orgs/acme/hooks/1: "},
		{"org variable edit with a body", "PATCH", "/orgs/acme/actions/variables/X", "github_pat_all", `{"value":"1"}`, nil, 404, "PATCH " + base + "/orgs/acme/actions/variables/X: "},

		// The request alone decides: no refusal hides a violation.
		{"without the permission", "POST", "/repos/acme/app/pulls", "github_pat_none", `{"head":"a","base":"b"}`, nil, 403, "POST " + base + "/repos/acme/app/pulls: "},
		{"unreachable repo", "POST", "/repos/acme/hidden/pulls", "github_pat_all", `{"head":"a","base":"b"}`, nil, 404, "POST " + base + "/repos/acme/hidden/pulls: "},
		{"unknown token", "PUT", "/repos/acme/app/contents/x", "ghp_unknown", `{}`, nil, 401, "PUT " + base + "/repos/acme/app/contents/x: "},
		{"server error", "PUT", "/repos/acme/app/contents/x", "github_pat_all", `{}`, func(g *GitHub) { g.FailNext(1, 502) }, 502, "PUT " + base + "/repos/acme/app/contents/x: "},

		// Safe methods and requests outside the API change nothing.
		{"HEAD", "HEAD", "/repos/acme/app", "github_pat_all", "", nil, 404, harmless},
		{"OPTIONS", "OPTIONS", "/repos/acme/app/pulls", "github_pat_all", "", nil, 404, harmless},
		{"GET with a body", "GET", "/repos/acme/app/pulls", "github_pat_all", `{"head":"a","base":"b"}`, nil, 200, harmless},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, srv := start(t, func(g *GitHub) {
				fgWorld(g)
				g.AddToken(Token{Value: "github_pat_all", Login: "octocat", FineGrained: true, Repositories: []string{fgRepo},
					Grants: everything("write", fgRepo, "acme/hidden")})
				g.AddToken(Token{Value: "github_pat_none", Login: "octocat", FineGrained: true, Repositories: []string{fgRepo}})
				if tt.setup != nil {
					tt.setup(g)
				}
			})
			r := send(t, srv, tt.method, tt.path, tt.tok, tt.body)
			if r.status != tt.status {
				t.Errorf("status = %d, want %d (%.200s)", r.status, tt.status, r.raw)
			}
			got := g.Violations()
			switch {
			case tt.violation == harmless && len(got) != 0:
				t.Errorf("violations = %q, want none", got)
			case tt.violation == harmless:
			case len(got) != 1:
				t.Errorf("violations = %q, want one", got)
			case strings.HasSuffix(tt.violation, ": ") || strings.HasSuffix(tt.violation, "/"):
				if !strings.HasPrefix(got[0], tt.violation) || len(got[0]) <= len(tt.violation) {
					t.Errorf("violation = %q, want prefix %q and a reason", got[0], tt.violation)
				}
			case got[0] != tt.violation:
				t.Errorf("violation = %q, want %q", got[0], tt.violation)
			}
		})
	}
}

func TestViolationsOutsideTheBasePath(t *testing.T) {
	t.Parallel()
	g, srv := start(t, fgWorld)
	req, _ := http.NewRequest("PUT", srv.URL+"/repos/acme/app/contents/x", strings.NewReader(`{}`))
	resp, err := ownClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || len(g.Violations()) != 0 {
		t.Errorf("status %d, violations %q", resp.StatusCode, g.Violations())
	}
}

func TestViolationsInOrderAndCopied(t *testing.T) {
	t.Parallel()
	g, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "ghp_repo", Login: "octocat", Scopes: []string{"repo"}, Repositories: []string{fgRepo}})
	})
	send(t, srv, "DELETE", "/repos/acme/app", "ghp_repo", "")
	send(t, srv, "POST", "/repos/acme/app/pulls", "ghp_repo", `{}`) // a probe: harmless
	send(t, srv, "PUT", "/repos/acme/app/topics", "ghp_repo", `{"names":[]}`)
	got := g.Violations()
	if len(got) != 2 || !strings.HasPrefix(got[0], "DELETE ") || !strings.HasPrefix(got[1], "PUT ") {
		t.Fatalf("violations = %q", got)
	}
	got[0] = "changed"
	if g.Violations()[0] == "changed" {
		t.Error("Violations does not return a copy")
	}
	if n := len(g.Requests()); n != 3 {
		t.Errorf("recorded %d requests, want 3", n)
	}
}

func TestRepoOptions(t *testing.T) {
	t.Parallel()
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddRepo("acme/empty", true) // AddRepo changes only the visibility
		g.AddRepoWith(Repo{FullName: "acme/site", Pages: true})
		g.AddRepoWith(Repo{FullName: "acme/site", Private: false}) // AddRepoWith replaces every option
		g.AddToken(Token{Value: "github_pat_contents", Login: "octocat", FineGrained: true,
			Repositories: []string{fgRepo, "acme/empty"},
			Grants: map[string]map[string]string{
				"acme/empty": {"contents": "read", "pages": "read"},
				fgRepo:       {"pages": "read"},
			}})
	})
	tests := []struct {
		path    string
		status  int
		message string
	}{
		{"/repos/acme/empty/commits?per_page=1", 409, "Git Repository is empty."},
		{"/repos/acme/empty/pages", 404, "Not Found"},
		{"/repos/acme/app/pages", 200, ""},
		{"/repos/acme/site/pages", 404, "Not Found"},
		{"/repos/acme/empty/commits/" + zeroSHA + "/statuses", 403, "Resource not accessible by personal access token"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			r := send(t, srv, "GET", tt.path, "github_pat_contents", "")
			if r.status != tt.status {
				t.Fatalf("status = %d, want %d (%s)", r.status, tt.status, r.raw)
			}
			if body := r.json(t); tt.message != "" && body["message"] != tt.message {
				t.Errorf("body = %s", r.raw)
			}
		})
	}
	t.Run("orgs list keeps the order", func(t *testing.T) {
		t.Parallel()
		r := get(t, srv, "/orgs/acme/repos", "github_pat_contents")
		var repos []struct {
			FullName string `json:"full_name"`
		}
		if err := json.Unmarshal(r.raw, &repos); err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, rp := range repos {
			names = append(names, rp.FullName)
		}
		if want := "[acme/app acme/empty acme/public acme/site]"; fmt.Sprint(names) != want {
			t.Errorf("repos = %v, want %s", names, want)
		}
	})
}

func TestNoCommitMessages(t *testing.T) {
	t.Parallel()
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "github_pat_all", Login: "octocat", FineGrained: true, Repositories: []string{fgRepo},
			Grants: everything("write", fgRepo)})
	})
	for _, rq := range [][3]string{
		{"GET", "/repos/acme/app/commits/abc/statuses", "404"},
		{"GET", "/repos/acme/app/commits/abc/check-runs", "404"},
		{"POST", "/repos/acme/app/statuses/abc", "422"},
	} {
		r := send(t, srv, rq[0], rq[1], "github_pat_all", "")
		if fmt.Sprint(r.status) != rq[2] || r.json(t)["message"] != "No commit found for SHA: abc" {
			t.Errorf("%s %s: %d %s", rq[0], rq[1], r.status, r.raw)
		}
	}
	r := send(t, srv, "POST", "/repos/acme/app/pulls", "github_pat_all", `{"head":"x"}`)
	var body struct {
		Message string `json:"message"`
		Errors  []struct {
			Resource, Code, Field string
		} `json:"errors"`
	}
	if err := json.Unmarshal(r.raw, &body); err != nil || body.Message != "Validation Failed" ||
		len(body.Errors) != 1 || body.Errors[0].Field != "base" || body.Errors[0].Code != "missing_field" {
		t.Errorf("422 body = %s", r.raw)
	}
}

func TestGrants(t *testing.T) {
	t.Parallel()
	grants := map[string]map[string]string{"ACME/App": {"Contents": "READ", "issues": "none"}, "": {"emails": "Write"}}
	_, srv := start(t, func(g *GitHub) {
		fgWorld(g)
		g.AddToken(Token{Value: "github_pat_mixed", Login: "octocat", FineGrained: true, Repositories: []string{"Acme/APP"}, Grants: grants})
	})
	grants["ACME/App"]["issues"] = "write" // the simulator kept a copy
	tests := []struct {
		path   string
		status int
	}{
		{"/repos/acme/app/commits", 200},
		{"/repos/ACME/app/commits", 200},
		{"/repos/acme/app/issues", 403},
		{"/user/emails", 200},
		{"/user/keys", 403},
		{"/repos/acme/app", 200}, // metadata is implied
	}
	for _, tt := range tests {
		if r := send(t, srv, "GET", tt.path, "github_pat_mixed", ""); r.status != tt.status {
			t.Errorf("%s: status = %d, want %d (%s)", tt.path, r.status, tt.status, r.raw)
		}
	}
}

func TestGrantsRejectBadLevels(t *testing.T) {
	t.Parallel()
	defer func() {
		if recover() == nil {
			t.Error("AddToken with level \"wirte\" did not panic")
		}
	}()
	NewGitHub().AddToken(Token{Value: "x", FineGrained: true, Grants: map[string]map[string]string{"a/b": {"contents": "wirte"}}})
}

func TestAddRepoWithRejectsBadNames(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"", "acme", "acme/", "a/b/c"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddRepoWith(%q) did not panic", name)
				}
			}()
			NewGitHub().AddRepoWith(Repo{FullName: name})
		}()
	}
}

func TestParseBody(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw   string
		state bodyState
	}{
		{"", bodyEmpty}, {" \n", bodyEmpty}, {"{}", bodyEmpty}, {"{}\n", bodyEmpty}, {"null", bodyEmpty},
		{`{"a":1}`, bodyObject}, {`[]`, bodyNotObject}, {`"s"`, bodyNotObject}, {`1`, bodyNotObject}, {`true`, bodyNotObject},
		{`{`, bodyInvalid}, {`{} {}`, bodyInvalid}, {`{"a":}`, bodyInvalid},
	}
	for _, tt := range tests {
		if got := parseBody([]byte(tt.raw)).state; got != tt.state {
			t.Errorf("parseBody(%q) = %d, want %d", tt.raw, got, tt.state)
		}
	}
}
