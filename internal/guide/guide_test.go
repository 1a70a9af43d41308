package guide

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
)

func apply(t *testing.T, f finding.Finding, c Context) finding.Finding {
	t.Helper()
	out := Apply([]finding.Finding{f}, c)
	if len(out) != 1 {
		t.Fatalf("Apply returned %d findings", len(out))
	}
	return out[0]
}

func TestTokenMissingTellsForkFromUnsetSecret(t *testing.T) {
	t.Parallel()
	fork := apply(t, finding.Finding{Code: finding.TokenMissing}, Context{Frontend: frontend.Actions, ForkPullRequest: true, EventName: "pull_request"})
	if !strings.Contains(fork.Fix, "pull request from a fork") {
		t.Errorf("fork fix: %s", fork.Fix)
	}
	unset := apply(t, finding.Finding{Code: finding.TokenMissing}, Context{Frontend: frontend.Actions, EventName: "push", Repository: "o/r", ServerURL: "https://github.com"})
	if strings.Contains(unset.Fix, "fork") || !strings.Contains(unset.Fix, "https://github.com/o/r/settings/secrets/actions") {
		t.Errorf("unset fix: %s", unset.Fix)
	}
	// Without the repository (GITHUB_REPOSITORY unset) the step still says
	// where the secrets are, not "against the secrets at.".
	norepo := apply(t, finding.Finding{Code: finding.TokenMissing}, Context{Frontend: frontend.Actions, EventName: "push"})
	if !strings.Contains(norepo.Fix, "against the secrets under Settings → Secrets and variables → Actions.") {
		t.Errorf("fix without the repository: %s", norepo.Fix)
	}
	dependabot := apply(t, finding.Finding{Code: finding.TokenMissing}, Context{Frontend: frontend.Actions, Actor: "dependabot[bot]"})
	if !strings.Contains(dependabot.Fix, "Dependabot secrets") {
		t.Errorf("dependabot fix: %s", dependabot.Fix)
	}
}

// A finding whose fix depends on the issuing platform gets none from guide:
// no platform's words stand in for another's.
func TestNoPlatformsWordsWithoutItsRules(t *testing.T) {
	t.Parallel()
	for _, code := range []finding.Code{finding.APIError, finding.RateLimited, finding.TokenInvalid, finding.ScopeMissing, finding.TokenExpired} {
		got := apply(t, finding.Finding{Code: code, Severity: finding.Error, Message: "m"}, Context{Frontend: frontend.AzurePipelines})
		if got.Fix != "" || got.URL != "" {
			t.Errorf("%s: guide wrote a platform's fix without its rules: %q %q", code, got.Fix, got.URL)
		}
	}
}

type rules struct{}

func (rules) Fix(f finding.Finding, _ Context) (string, string, bool) {
	if f.Code == finding.TokenMissing {
		return "the platform's own", "https://example.test", true
	}
	return "", "", false
}

// The platform's rules come first; the front-end's fixes fill in the rest.
func TestRulesFirstThenTheFrontEnd(t *testing.T) {
	t.Parallel()
	c := Context{Frontend: frontend.CommandLine, Rules: rules{}, Option: func(s string) string { return "--" + s }}
	if got := apply(t, finding.Finding{Code: finding.TokenMissing}, c); got.Fix != "the platform's own" || got.URL != "https://example.test" {
		t.Errorf("rules not asked first: %+v", got)
	}
	got := apply(t, finding.Finding{Code: finding.ReportUnwritten}, c)
	if !strings.Contains(got.Fix, "--report-path") || len(got.Steps) != 2 {
		t.Errorf("front-end fix: %+v", got)
	}
	if got := apply(t, finding.Finding{Code: finding.Cancelled}, c); !strings.Contains(got.Fix, "Run the job again") {
		t.Errorf("cancelled fix: %q", got.Fix)
	}
}
