package azdo

import (
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/guide"
	"github.com/pat-check/pat-check/internal/token"
)

func TestAzureDevOpsFixes(t *testing.T) {
	t.Parallel()
	org, _ := ParseOrganization("contoso")
	c := guide.Context{Rules: Guide{Org: org, Project: "Web"}, Frontend: frontend.AzurePipelines, Kind: token.AzureDevOps,
		Required: check.Requirements{Scopes: []string{"vso.code_write", "vso.build_execute"}}, TokenName: "deploy"}
	f := apply(finding.Finding{Code: finding.ScopeMissing, Severity: finding.Error, About: finding.About{Scopes: []string{"vso.build_execute"}}}, c)
	if f.URL != "https://dev.azure.com/contoso/_usersSettings/tokens" || !strings.Contains(f.Fix, "Build (Read & execute) (vso.build_execute)") || !strings.Contains(f.Fix, `named "deploy"`) {
		t.Errorf("scope fix: %s\n%s", f.URL, f.Fix)
	}
	f = apply(finding.Finding{Code: finding.TokenInvalid, Severity: finding.Error}, c)
	for _, want := range []string{"+ New Token", "Code (Read & write)", "https://dev.azure.com/contoso/Web/_library?itemType=VariableGroups", "Keep this value secret"} {
		if !strings.Contains(f.Fix, want) {
			t.Errorf("invalid fix lacks %q:\n%s", want, f.Fix)
		}
	}
	for _, code := range []finding.Code{finding.TokenExpired, finding.TokenExpiryUnknown, finding.ScopeUnverified, finding.TokenMissing, finding.APIError} {
		if f := apply(finding.Finding{Code: code, Severity: finding.Error, About: finding.About{Scopes: []string{"vso.code_write"}}}, c); !strings.HasPrefix(f.Fix, "1. ") {
			t.Errorf("%s: fix %q", code, f.Fix)
		}
	}
	// An organization that cannot be reached gets Azure's advice, not GitHub's.
	f = apply(finding.Finding{Code: finding.APIError, Severity: finding.Error}, c)
	for _, want := range []string{"https://dev.azure.com/contoso", "https://status.dev.azure.com", "organization"} {
		if !strings.Contains(f.Fix, want) {
			t.Errorf("api-error fix lacks %q:\n%s", want, f.Fix)
		}
	}
	for _, bad := range []string{"api-url", "githubstatus"} {
		if strings.Contains(f.Fix, bad) {
			t.Errorf("api-error fix gives GitHub's advice (%q):\n%s", bad, f.Fix)
		}
	}
	srv, _ := ParseOrganization("https://tfs.example.com/tfs/DefaultCollection")
	c.Rules = Guide{Org: srv, Project: "Web"}
	if f := apply(finding.Finding{Code: finding.APIError, Severity: finding.Error}, c); !strings.Contains(f.Fix, "administrators") || !strings.Contains(f.Fix, "https://tfs.example.com/tfs/DefaultCollection") {
		t.Errorf("server api-error fix:\n%s", f.Fix)
	}
	if f := apply(finding.Finding{Code: finding.TokenExpired, Severity: finding.Error}, c); f.URL != "https://tfs.example.com/tfs/DefaultCollection/_usersSettings/tokens" {
		t.Errorf("server link %s", f.URL)
	}
}

// The command line's fix for a missing token names Azure DevOps' variable.
func TestAzureDevOpsMissingTokenOnTheCommandLine(t *testing.T) {
	t.Parallel()
	org, _ := ParseOrganization("contoso")
	c := guide.Context{Rules: Guide{Org: org}, Frontend: frontend.CommandLine, Kind: token.Unknown}
	f := apply(finding.Finding{Code: finding.TokenMissing, Severity: finding.Error}, c)
	if !strings.Contains(f.Fix, "AZURE_DEVOPS_EXT_PAT") || !strings.Contains(f.Fix, "https://dev.azure.com/contoso/_usersSettings/tokens") {
		t.Errorf("fix:\n%s", f.Fix)
	}
	c.Frontend = frontend.Actions
	if f := apply(finding.Finding{Code: finding.TokenMissing, Severity: finding.Error}, c); strings.Contains(f.Fix, "AZURE_DEVOPS_EXT_PAT") {
		t.Errorf("under Actions the fix speaks of the workflow's secret:\n%s", f.Fix)
	}
}

func apply(f finding.Finding, c guide.Context) finding.Finding {
	return guide.Apply([]finding.Finding{f}, c)[0]
}

// An expired token cannot be edited back to life: the fix regenerates it,
// and names options as the command line does.
func TestExpiredAzureTokenIsRegenerated(t *testing.T) {
	t.Parallel()
	org, _ := ParseOrganization("contoso")
	c := guide.Context{Rules: Guide{Org: org}, Frontend: frontend.CommandLine, Kind: token.AzureDevOps,
		Option: func(n string) string { return "--" + n }}
	f := apply(finding.Finding{Code: finding.TokenExpired, Severity: finding.Error}, c)
	if strings.Contains(f.Fix, "Before it expires") || !strings.Contains(f.Fix, "It has expired") || !strings.Contains(f.Fix, "Regenerate") || !strings.Contains(f.Fix, "(--warn-days-left)") {
		t.Errorf("expired fix:\n%s", f.Fix)
	}
	f = apply(finding.Finding{Code: finding.TokenExpiryWarning, Severity: finding.Warning}, c)
	if !strings.Contains(f.Fix, "Choose Edit, set a later Expiration") {
		t.Errorf("expiring fix:\n%s", f.Fix)
	}
	f = apply(finding.Finding{Code: finding.TokenExpiryUnknown, Severity: finding.Notice}, c)
	if !strings.Contains(f.Fix, "--token-name") || !strings.Contains(f.Fix, "--expires-on YYYY-MM-DD") {
		t.Errorf("unknown-expiry fix:\n%s", f.Fix)
	}
}

func TestScopeExcessFixUnticksAndLeavesFullAccess(t *testing.T) {
	t.Parallel()
	g := Guide{Org: Org{Name: "contoso", BaseURL: "https://dev.azure.com/contoso", Kind: "services"}}
	f := finding.Finding{Code: finding.ScopeExcess, About: finding.About{Excess: []string{"app_token", "vso.build_execute"}, Needed: []string{"vso.code"}}}
	fix, link, ok := g.Fix(f, guide.Context{Frontend: frontend.AzurePipelines})
	if !ok || link != "https://dev.azure.com/contoso/_usersSettings/tokens" ||
		!strings.Contains(fix, "choose Custom defined and tick only Code (Read) (vso.code)") ||
		!strings.Contains(fix, "Untick Build (Read & execute) (vso.build_execute)") || strings.Contains(fix, "Untick Full access") {
		t.Errorf("%v %s\n%s", ok, link, fix)
	}
}

// The lifetime, committed and throttled fixes: each names the
// organization's tokens page or the option that lets the job go on.
func TestLifetimeCommittedAndThrottledFixes(t *testing.T) {
	t.Parallel()
	org, _ := ParseOrganization("contoso")
	c := guide.Context{Rules: Guide{Org: org, Project: "Web"}, Frontend: frontend.AzurePipelines, Kind: token.AzureDevOps, TokenName: "deploy"}
	page := "https://dev.azure.com/contoso/_usersSettings/tokens"
	for _, tt := range []struct {
		f    finding.Finding
		link string
		want []string
	}{
		{finding.Finding{Code: finding.TokenLifetimeTooLong, Severity: finding.Warning, About: finding.About{MaxDays: 90}}, page, []string{
			"1. Open " + page + ` and choose the token named "deploy" → Edit.`,
			"2. Set Expiration to a custom date at most 90 days away and Save",
			"pat-check warns earlier (warn-days-left).",
		}},
		{finding.Finding{Code: finding.TokenCommitted, Severity: finding.Error, About: finding.About{Places: []finding.Place{{File: "azure-pipelines.yml", Line: 7}}}}, page, []string{
			"1. Revoke the token now: open " + page + `, choose the token named "deploy" → Revoke.`,
			"2. Create a new token: " + page + " → + New Token, with only the scopes the job needs",
			"Read it in the pipeline from there, never from a file.",
			"Remove the value from azure-pipelines.yml:7 and from the history",
		}},
		{finding.Finding{Code: finding.RateLimited, Severity: finding.Error}, "", []string{
			"1. Azure DevOps is throttling this user's requests: wait for the time in the message (Retry-After)",
			"2. Set on-api-error: warn to let the job go on",
		}},
	} {
		got := apply(tt.f, c)
		if got.URL != tt.link {
			t.Errorf("%s: link %q, want %q", tt.f.Code, got.URL, tt.link)
		}
		for _, w := range tt.want {
			if !strings.Contains(got.Fix, w) {
				t.Errorf("%s: fix lacks %q:\n%s", tt.f.Code, w, got.Fix)
			}
		}
		// An Azure DevOps token in an Azure pipeline: nothing of GitHub's.
		if strings.Contains(got.Fix, "GitHub") {
			t.Errorf("%s: an Azure DevOps fix in Azure Pipelines names GitHub:\n%s", tt.f.Code, got.Fix)
		}
	}
}
