package github

import (
	"slices"
	"strings"
	"testing"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/platformdata"
)

// notInGitHubData are the probes GitHub's fine-grained permission data
// (platformdata) does not list, and why each is still right. The test fails
// when the data starts listing one, so that the data then decides.
var notInGitHubData = map[string]string{
	// checks is a GitHub App and GITHUB_TOKEN permission; fine-grained
	// personal access tokens cannot hold it, and the data covers only those.
	"checks": "GitHub App and GITHUB_TOKEN permission: the Checks API's own endpoints",
	// discussions are served by GraphQL only, which the REST data does not cover.
	"discussions": "GraphQL only",
}

// Every REST probe must be gated, per GitHub's own data, by exactly the
// permission and level the probe table claims: one permission, one level,
// no alternative. A wrong rule (environments listed with actions' endpoint,
// an old name such as ssh_signing_keys) fails here.
func TestProbesFollowGitHubData(t *testing.T) {
	t.Parallel()
	checked := 0
	for key, rule := range Probes {
		p := rule.Probe
		if p == nil {
			continue
		}
		if why, ok := notInGitHubData[key.name]; ok {
			if slices.Contains(platformdata.Permissions(), key.name) {
				t.Errorf("%s is now in GitHub's data; drop its exception (%s) and let the data decide", key.name, why)
			}
			continue
		}
		if p.GraphQL != "" {
			t.Errorf("%s:%s is a GraphQL probe with no exception saying why it is right", key.name, key.level)
			continue
		}
		target := "octo/app"
		if strings.HasPrefix(p.Path, "orgs/") {
			target = "octo"
		}
		path := "/" + p.Expand(target)
		gating := platformdata.Gating(p.Method, path)
		var got []string
		for _, e := range gating {
			got = append(got, e.Permission+":"+e.Access)
		}
		want := key.name + ":" + key.level.String()
		if len(got) != 1 || got[0] != want {
			t.Errorf("%s:%s probes %s %s, which GitHub's data says is gated by %q, not exactly %s", key.name, key.level, p.Method, path, got, want)
		}
		checked++
	}
	if checked < 40 {
		t.Errorf("checked %d probes against the data; the table has more", checked)
	}
}

// Every permission of GitHub's data is one pat-check accepts, by GitHub's
// own name; the old spellings are aliases of the canonical names.
func TestEveryDataPermissionIsKnown(t *testing.T) {
	t.Parallel()
	for _, p := range platformdata.Permissions() {
		if n, ok := ghplatform.NormalizePermissionName(p); !ok || n != p {
			t.Errorf("GitHub's permission %s normalizes to %q (known %v)", p, n, ok)
		}
	}
	for alias, canonical := range map[string]string{"ssh_signing_keys": "git_signing_ssh_public_keys", "git_ssh_keys": "keys"} {
		if n, ok := ghplatform.NormalizePermissionName(alias); !ok || n != canonical {
			t.Errorf("%s normalizes to %q, want %s", alias, n, canonical)
		}
	}
	// GITHUB_TOKEN's own permissions, in the workflow spelling.
	for _, p := range []string{"packages", "id-token", "attestations", "models", "repository-projects", "security-events", "checks", "discussions"} {
		if _, ok := ghplatform.NormalizePermissionName(p); !ok {
			t.Errorf("%s is not accepted", p)
		}
	}
}

// A write probe goes out only where a request can prove the write without
// changing anything; contents write is one (git/blobs without content).
func TestWriteProbesWhereTheDataAllows(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"contents", "environments", "secrets", "administration", "dependabot_secrets",
		"organization_secrets", "organization_administration", "organization_self_hosted_runners", "keys", "gpg_keys",
		"git_signing_ssh_public_keys", "emails"} {
		if RuleFor(name, check.LevelWrite).Probe == nil {
			t.Errorf("%s:write has no probe", name)
		}
	}
	if RuleFor("workflows", check.LevelWrite).Probe != nil {
		t.Error("workflows:write has a probe: only a push can prove it")
	}
}
