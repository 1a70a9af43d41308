package config_test

import (
	"slices"
	"strings"
	"testing"

	ghplatform "github.com/pat-check/pat-check/internal/platform/github"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/finding"
)

// The documented defaults in the option table are the ones Parse applies.
func TestDocumentedDefaultsAreApplied(t *testing.T) {
	t.Parallel()
	raw := map[string]string{}
	for _, o := range config.Options {
		if o.Default != "" {
			raw[o.Name] = o.Default
		}
	}
	explicit, problems := config.Parse(raw, config.Env{LocalDir: true}, ghplatform.ParsePermission)
	if len(problems) > 0 {
		t.Fatalf("documented defaults do not parse: %v", problems)
	}
	implicit, _ := config.Parse(nil, config.Env{LocalDir: true}, ghplatform.ParsePermission)
	if explicit.Requirements.MinDaysLeft != implicit.Requirements.MinDaysLeft ||
		explicit.Requirements.WarnDaysLeft != implicit.Requirements.WarnDaysLeft ||
		explicit.Timeout != implicit.Timeout || explicit.APIURL != implicit.APIURL ||
		explicit.Provider != implicit.Provider || explicit.Requirements.WarnOnAPIError != implicit.Requirements.WarnOnAPIError ||
		explicit.Requirements.Excess != implicit.Requirements.Excess || explicit.Requirements.MaxDaysLeft != implicit.Requirements.MaxDaysLeft ||
		explicit.Requirements.LifetimeEnforce != implicit.Requirements.LifetimeEnforce || explicit.ScanDir != implicit.ScanDir ||
		explicit.Requirements.KindAdvice != implicit.Requirements.KindAdvice || explicit.Requirements.RequireExpiration != implicit.Requirements.RequireExpiration {
		t.Errorf("documented defaults %+v differ from applied ones %+v", explicit, implicit)
	}
}

func TestRepositoriesDefaultUnderActions(t *testing.T) {
	t.Parallel()
	env := config.Env{RepositoryDefault: true, Repository: "octo/app"}
	c, problems := config.Parse(map[string]string{"permissions": "contents:read"}, env, ghplatform.ParsePermission)
	if len(problems) > 0 || !slices.Equal(c.Requirements.Repositories, []string{"octo/app"}) {
		t.Errorf("with permissions: repositories = %q, want the workflow's", c.Requirements.Repositories)
	}
	c, _ = config.Parse(nil, env, ghplatform.ParsePermission)
	if len(c.Requirements.Repositories) != 0 {
		t.Errorf("without permissions: repositories = %q, want none", c.Requirements.Repositories)
	}
	// Elsewhere a repository in the environment is no default.
	env.RepositoryDefault = false
	c, _ = config.Parse(map[string]string{"permissions": "contents:read"}, env, ghplatform.ParsePermission)
	if len(c.Requirements.Repositories) != 0 {
		t.Errorf("with permissions, no default: repositories = %q, want none", c.Requirements.Repositories)
	}
}

func TestServerURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ api, explicit, want string }{
		{"https://api.github.com/", "", "https://github.com"},
		{"https://ghes.example.com/api/v3/", "", "https://ghes.example.com"},
		{"https://api.octo.ghe.com/", "", "https://octo.ghe.com"},
		{"http://127.0.0.1:8080/", "", "http://127.0.0.1:8080"},
		{"https://api.github.com/", "https://github.com", "https://github.com"},
		{"https://api.github.com/", "https://evil.example.com", "https://github.com"},
		{"http://127.0.0.1:8080/", "https://github.com", "https://github.com"},
	}
	for _, tt := range tests {
		if got := config.ServerURL(tt.api, tt.explicit); got != tt.want {
			t.Errorf("ServerURL(%q, %q) = %q, want %q", tt.api, tt.explicit, got, tt.want)
		}
	}
}

func TestLoopbackOnlyForHTTP(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"http://localhost:1/", "http://127.0.0.1/", "http://127.5.6.7:9/api/v3", "http://[::1]:80/", "https://api.github.com"} {
		if _, err := config.CheckURL(ok); err != nil {
			t.Errorf("CheckURL(%q) = %v, want accepted", ok, err)
		}
	}
	for _, bad := range []string{"http://10.0.0.1/", "http://example.com/", "http://localhost.example.com/", "https://api.github.com/?x=1", "api.github.com"} {
		if _, err := config.CheckURL(bad); err == nil {
			t.Errorf("CheckURL(%q) accepted, want refused", bad)
		}
	}
}

func TestLongNamesAreNotTokens(t *testing.T) {
	t.Parallel()
	raw := map[string]string{"report-path": "/tmp/" + strings.Repeat("VeryLongDirectoryName", 4) + "/report.json", "project": "Web"}
	if _, problems := config.Parse(raw, config.Env{LocalDir: true}, ghplatform.ParsePermission); len(problems) > 0 {
		t.Errorf("problems: %v", problems)
	}
}

func TestSplitList(t *testing.T) {
	t.Parallel()
	got := config.SplitList(" a, b\nc\r\n\td ,a,, ")
	if !slices.Equal(got, []string{"a", "b", "c", "d"}) {
		t.Errorf("SplitList = %q", got)
	}
}

func TestLeastPrivilegeOptions(t *testing.T) {
	t.Parallel()
	c, problems := config.Parse(nil, config.Env{LocalDir: true}, ghplatform.ParsePermission)
	r := c.Requirements
	if len(problems) > 0 || r.Excess != finding.Notice || r.MaxDaysLeft != 0 || r.LifetimeEnforce || r.KindAdvice || r.RequireExpiration || c.ScanDir != "" {
		t.Errorf("defaults: %+v scan %q %v", r, c.ScanDir, problems)
	}
	c, _ = config.Parse(map[string]string{"excess": "ignore", "max-days-left": "30", "lifetime-policy": "enforce"}, config.Env{LocalDir: true}, ghplatform.ParsePermission)
	if r := c.Requirements; r.Excess != "" || r.MaxDaysLeft != 30 || !r.LifetimeEnforce {
		t.Errorf("set: %+v", r)
	}
	for _, bad := range []map[string]string{{"excess": "loud"}, {"max-days-left": "-1"}, {"lifetime-policy": "strict"}, {"policy": "strict"}} {
		if _, problems := config.Parse(bad, config.Env{LocalDir: true}, ghplatform.ParsePermission); len(problems) != 1 {
			t.Errorf("%v: problems %v", bad, problems)
		}
	}
}

// policy: recommended raises what is at its default and keeps what was set.
func TestRecommendedPolicy(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw    map[string]string
		excess finding.Severity
		days   int
	}{
		{map[string]string{"policy": "recommended"}, finding.Warning, 90},
		{map[string]string{"policy": "recommended", "excess": "notice", "require-expiration": "false"}, finding.Warning, 90}, // the Action's defaults
		{map[string]string{"policy": "recommended", "excess": "error", "max-days-left": "30"}, finding.Error, 30},
		{map[string]string{"policy": "recommended", "excess": "ignore"}, "", 90},
	}
	for _, tt := range tests {
		c, problems := config.Parse(tt.raw, config.Env{RepositoryDefault: true}, ghplatform.ParsePermission)
		r := c.Requirements
		if len(problems) > 0 || !r.RequireExpiration || !r.KindAdvice || r.Excess != tt.excess || r.MaxDaysLeft != tt.days || r.MinDaysLeft != 1 || r.WarnDaysLeft != 14 {
			t.Errorf("%v: %+v %v", tt.raw, r, problems)
		}
	}
}

func TestScanWorkspaceOnEachPlatform(t *testing.T) {
	t.Parallel()
	// A CI front-end names its checkout and its words for a missing one;
	// the command line searches the current directory or the one named.
	const noCheckout = "WORKSPACE_VARIABLE is not set: check out first"
	ci := config.Env{NoWorkspace: noCheckout}
	checkout := config.Env{Workspace: "/w", NoWorkspace: noCheckout}
	local := config.Env{LocalDir: true}
	tests := []struct {
		value, on string
		env       config.Env
		dir       string
		problem   string
	}{
		{"true", "ci", checkout, "/w", ""},
		{"true", "ci", ci, "", noCheckout},
		{"true", "unfilled", config.Env{}, "", "there is no checkout to search"},
		{"false", "ci", checkout, "", ""},
		{"/repo", "cli", local, "/repo", ""},
		{"true", "cli", local, ".", ""},
		{"/repo", "ci", checkout, "", `"/repo" is not true or false`},
	}
	for _, tt := range tests {
		c, problems := config.Parse(map[string]string{"scan-workspace": tt.value}, tt.env, ghplatform.ParsePermission)
		var got string
		for _, p := range problems {
			if p.Option != "scan-workspace" {
				t.Errorf("%q on %s: %v", tt.value, tt.on, p)
			}
			got += p.Message
		}
		if c.ScanDir != tt.dir || got != tt.problem {
			t.Errorf("%q on %s: dir %q problem %q, want %q %q", tt.value, tt.on, c.ScanDir, got, tt.dir, tt.problem)
		}
	}
}

// Case 13: a port out of range is an invalid option (exit 2), never an
// unreachable API.
func TestPortOutOfRangeIsInvalid(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"http://127.0.0.1:99999", "https://ghes.example.com:65536/api/v3", "http://localhost:0", "https://api.github.com:-1"} {
		if _, err := config.CheckURL(bad); err == nil || !strings.Contains(err.Error(), "port") {
			t.Errorf("CheckURL(%q) = %v, want a refusal naming the port", bad, err)
		}
		_, problems := config.Parse(map[string]string{"api-url": bad}, config.Env{}, ghplatform.ParsePermission)
		if len(problems) != 1 || problems[0].Option != "api-url" {
			t.Errorf("Parse(api-url %q): %v", bad, problems)
		}
	}
	for _, ok := range []string{"http://127.0.0.1:1", "https://ghes.example.com:65535/api/v3", "https://api.github.com:443"} {
		if _, err := config.CheckURL(ok); err != nil {
			t.Errorf("CheckURL(%q) = %v", ok, err)
		}
	}
}
