package report_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/report"
	"github.com/pat-check/pat-check/internal/token"
)

// gfm renders Markdown as GitHub does (CommonMark with the GFM
// extensions: tables, autolinks, strikethrough, task lists).
func gfm(t *testing.T, md string) string {
	t.Helper()
	var b bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert([]byte(md), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// twoProblems is a GITHUB_TOKEN without pull-requests: write whose
// repository list also has an unreachable repository, with the guidance
// the pipeline would write.
func twoProblems() report.Report {
	c := guide.Context{Rules: ghplatform.Guide{}, Frontend: frontend.Actions, Kind: token.AppInstallation, ServerURL: "https://github.com", Repository: "octo/app",
		Required: check.Requirements{Permissions: []check.Permission{{Name: "pull_requests", Level: check.LevelWrite}}}}
	fs := guide.Apply([]finding.Finding{
		{Code: finding.PermissionMissing, Severity: finding.Error, Message: "the token lacks pull_requests:write on octo/app",
			About: finding.About{Permissions: []string{"pull_requests:write"}, Target: "octo/app"}},
		{Code: finding.RepositoryInaccessible, Severity: finding.Error, Message: "octo/lib answered 404", About: finding.About{Repository: "octo/lib"}},
	}, c)
	r := report.Report{TokenType: "github-app-installation", Findings: fs}
	r.Decide()
	return r
}

// The permissions block stays a code block once GitHub renders
// the summary, so that it can be copied; and the heading counts the
// problems and names each.
func TestSummaryRendersYAMLAsCodeAndCountsProblems(t *testing.T) {
	t.Parallel()
	md := twoProblems().Markdown()
	html := gfm(t, md)
	if !strings.Contains(html, "<pre><code>permissions:\n  pull-requests: write\n</code></pre>") {
		t.Errorf("the permissions block is not a code block once rendered:\n%s\n---\n%s", md, html)
	}
	if !strings.Contains(html, "<p>For GITHUB_TOKEN, grant it in the workflow") {
		t.Errorf("the steps are not a list once rendered:\n%s", html)
	}
	want := "<h3>❌ pat-check FAIL: 2 problems: the token lacks pull_requests:write on octo/app; the token cannot reach octo/lib</h3>"
	if !strings.Contains(html, want) {
		t.Errorf("heading:\n%s\nwant %s", html, want)
	}
}

// The same fix in the Azure summary, and commands, are fenced too.
func TestSummaryFencesCommands(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: ghplatform.Guide{}, Frontend: frontend.CommandLine, Kind: token.OAuth, ServerURL: "https://github.com"}
	fs := guide.Apply([]finding.Finding{{Code: finding.ScopeMissing, Severity: finding.Error, Message: "m", About: finding.About{Scopes: []string{"workflow"}}}}, c)
	r := report.Report{Findings: fs}
	r.Decide()
	html := gfm(t, r.Markdown())
	if !strings.Contains(html, "<pre><code>gh auth refresh -h github.com -s workflow\n</code></pre>") {
		t.Errorf("the command is not a code block:\n%s", html)
	}
}

// The link is named after its page and shown once.
func TestSummaryLinkNamesThePageOnce(t *testing.T) {
	t.Parallel()
	c := guide.Context{Rules: ghplatform.Guide{}, Frontend: frontend.Actions, Kind: token.Classic, ServerURL: "https://github.com", Repository: "octo/app",
		GrantedScopes: []string{"repo"}, Required: check.Requirements{Scopes: []string{"repo", "workflow"}}}
	fs := guide.Apply([]finding.Finding{{Code: finding.ScopeMissing, Severity: finding.Error, Message: "m", About: finding.About{Scopes: []string{"workflow"}}}}, c)
	r := report.Report{Findings: fs}
	r.Decide()
	html := gfm(t, r.Markdown())
	if n := strings.Count(html, "/settings/tokens/new?"); n != 1 {
		t.Errorf("the creation link appears %d times:\n%s", n, html)
	}
	if !strings.Contains(html, `">Create a token with these scopes</a>`) || strings.Contains(html, "Open the page") {
		t.Errorf("the link is not named after its page:\n%s", html)
	}
	text := r.Text(report.TextStyle{}, "")
	if strings.Count(text, "/settings/tokens/new?") != 1 || strings.Contains(text, "Link:") {
		t.Errorf("the text prints the link more than once:\n%s", text)
	}
}

// The verdict line is a sentence; the detail stays below.
func TestVerdictLineIsASentence(t *testing.T) {
	t.Parallel()
	r := report.Report{Findings: []finding.Finding{
		{Code: finding.ScopeMissing, Severity: finding.Error, Message: "the token lacks the scope workflow (granted: repo)", About: finding.About{Scopes: []string{"workflow"}}},
		{Code: finding.TokenExpiryWarning, Severity: finding.Warning, Message: "expires"},
	}}
	days := 5
	r.DaysLeft = &days
	r.Decide()
	if got, want := r.Headline(), "FAIL: the token lacks the workflow scope (and 1 more problem)"; got != want {
		t.Errorf("Headline = %q, want %q", got, want)
	}
	text := r.Text(report.TextStyle{}, "ghp_****")
	if !strings.HasPrefix(text, "FAIL: the token lacks the workflow scope (and 1 more problem)\n") ||
		!strings.Contains(text, "error scope-missing: the token lacks the scope workflow (granted: repo)") {
		t.Errorf("text:\n%s", text)
	}
	if got := finding.Title(r.Findings[0], r.DaysLeft); got != "Missing scope: workflow" {
		t.Errorf("Title = %q", got)
	}
	if got := finding.Title(r.Findings[1], r.DaysLeft); got != "Token expires in 5 days" {
		t.Errorf("Title = %q", got)
	}
	pass := report.Report{Checks: []finding.Check{{Name: "Format", State: finding.Pass}}}
	pass.Decide()
	if pass.Headline() != "PASS: the token passed every check" {
		t.Errorf("pass headline %q", pass.Headline())
	}
}

// An expired token says how long ago, never "-2 days left".
func TestExpiredTokenSaysHowLongAgo(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)
	days := -2
	r := report.Report{ExpiresAt: &at, DaysLeft: &days, Findings: []finding.Finding{{Code: finding.TokenExpired, Severity: finding.Error, Message: "m"}}}
	r.Decide()
	text := r.Text(report.TextStyle{}, "")
	if !strings.HasPrefix(text, "FAIL: the token expired 2 days ago\n") || !strings.Contains(text, "expired: 2026-11-28 (2 days ago)") || strings.Contains(text, "-2 day") {
		t.Errorf("text:\n%s", text)
	}
	one := 1
	r = report.Report{ExpiresAt: &at, DaysLeft: &one}
	if text := r.Text(report.TextStyle{}, ""); !strings.Contains(text, "(1 day left)") {
		t.Errorf("one day: %s", text)
	}
}

// --quiet keeps the verdict and one line per finding.
func TestQuietText(t *testing.T) {
	t.Parallel()
	r := twoProblems()
	got := r.Text(report.TextStyle{Quiet: true}, "ghs_****")
	want := "FAIL: the token lacks pull_requests:write on octo/app (and 1 more problem)\n" +
		"error permission-missing: the token lacks pull_requests:write on octo/app\n" +
		"error repository-inaccessible: octo/lib answered 404\n"
	if got != want {
		t.Errorf("quiet:\n%s\nwant:\n%s", got, want)
	}
}

// Findings shown as annotations are not repeated in the text.
func TestAnnotatedFindingsAreNotRepeated(t *testing.T) {
	t.Parallel()
	r := twoProblems()
	text := r.Text(report.TextStyle{Annotated: func(finding.Severity) bool { return true }}, "")
	if strings.Contains(text, "How to fix") || strings.Contains(text, "permission-missing") {
		t.Errorf("the text repeats the annotations:\n%s", text)
	}
	ann := report.Annotation(r.Findings[0])
	if !strings.HasPrefix(ann, "permission-missing: the token lacks") || !strings.Contains(ann, "How to fix:\n1. ") {
		t.Errorf("annotation:\n%s", ann)
	}
}

// URLs as they are, the version, and the fix's steps.
func TestJSONKeepsURLsAndCarriesVersionAndSteps(t *testing.T) {
	t.Parallel()
	r := twoProblems()
	r.Version = "v1.2.3"
	r.Findings[0].URL = "https://github.com/settings/tokens/new?scopes=repo&description=a"
	raw := string(r.JSON())
	if strings.Contains(raw, `\u0026`) || !strings.Contains(raw, "scopes=repo&description=a") {
		t.Errorf("the URL is escaped:\n%s", raw)
	}
	var got struct {
		Version  string `json:"version"`
		Findings []struct {
			Fix   string   `json:"fix"`
			Steps []string `json:"steps"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	if got.Version != "v1.2.3" {
		t.Errorf("version = %q", got.Version)
	}
	steps := got.Findings[0].Steps
	if len(steps) < 2 || steps[0] != "For GITHUB_TOKEN, grant it in the workflow (at the top or on the job):\npermissions:\n  pull-requests: write" {
		t.Errorf("steps = %q", steps)
	}
	if !strings.HasPrefix(got.Findings[0].Fix, "1. For GITHUB_TOKEN") {
		t.Errorf("fix = %q", got.Findings[0].Fix)
	}
}

// A link named after its page does not repeat the step's verb: "Open
// [your personal access tokens](…)".
func TestSummaryLinkDoesNotRepeatTheVerb(t *testing.T) {
	t.Parallel()
	u := "https://dev.azure.com/contoso/_usersSettings/tokens"
	r := report.Report{TokenType: "azure-devops", Findings: []finding.Finding{{Code: finding.TokenExpired, Severity: finding.Error,
		Message: "the token expired", Fix: "1. Open " + u + " while signed in as dana@contoso.com.\n2. Choose the token → Regenerate.", URL: u}}}
	r.Decide()
	md := r.Markdown()
	if !strings.Contains(md, "1. Open [your personal access tokens]("+u+") while signed in") {
		t.Errorf("the step's link:\n%s", md)
	}
	if html := gfm(t, md); strings.Contains(html, "Open <a") && strings.Contains(html, ">Open your") {
		t.Errorf("the verb is repeated:\n%s", html)
	}
	// A label whose verb the step does not say keeps it.
	r.Findings[0].Fix = "1. The tokens are listed at " + u + "."
	if md := r.Markdown(); !strings.Contains(md, "listed at [Open your personal access tokens]("+u+").") {
		t.Errorf("the label lost its verb:\n%s", md)
	}
	// A longer address that begins with the link's stays whole: only the
	// link itself becomes a named link.
	r.Findings[0].Fix = "1. Open " + u + ", choose the token → Delete.\n2. Create a new token: " + u + "/new?scopes=repo&description=ci"
	md = r.Markdown()
	if !strings.Contains(md, "1. Open [your personal access tokens]("+u+"), choose") || strings.Contains(md, "]("+u+")/new") {
		t.Errorf("a longer address was cut at the link:\n%s", md)
	}
}
