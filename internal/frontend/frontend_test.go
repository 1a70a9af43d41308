package frontend

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/report"
)

func envOf(m map[string]string) Getenv { return func(k string) string { return m[k] } }

// platformTokens are the providers' token variables as the pipeline hands
// them in (app's test holds that it does).
var platformTokens = []TokenVariables{
	{Provider: "github", Names: []string{"GH_TOKEN", "GITHUB_TOKEN"}},
	{Provider: "azure-devops", Names: []string{"AZURE_DEVOPS_EXT_PAT"}},
}

// The command line reads PAT_CHECK_TOKEN first, then the platform's own
// variables: the named provider's, or every provider's in turn for auto
// and for a value that names no provider.
func TestCLITokenNames(t *testing.T) {
	t.Parallel()
	all := []string{"PAT_CHECK_TOKEN", "GH_TOKEN", "GITHUB_TOKEN", "AZURE_DEVOPS_EXT_PAT"}
	tests := map[string][]string{
		"auto":         all,
		"":             all,
		"gitlab":       all,
		"github":       {"PAT_CHECK_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"},
		"azure-devops": {"PAT_CHECK_TOKEN", "AZURE_DEVOPS_EXT_PAT"},
	}
	for provider, want := range tests {
		c := &cli{provider: provider, tokenVars: platformTokens}
		if got := c.tokenNames(); !slices.Equal(got, want) {
			t.Errorf("provider %q reads %q, want %q", provider, got, want)
		}
	}
	c := newCLI([]string{"--provider", "azure-devops"}, envOf(map[string]string{"GH_TOKEN": "g", "AZURE_DEVOPS_EXT_PAT": "z"}), Stdio{}, platformTokens)
	if tok, _ := c.Token(); tok != "z" {
		t.Errorf("--provider azure-devops read %q, want AZURE_DEVOPS_EXT_PAT's", tok)
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := []struct {
		env  map[string]string
		want Kind
	}{
		{map[string]string{"GITHUB_ACTIONS": "true", "TF_BUILD": "True"}, Actions},
		{map[string]string{"TF_BUILD": "True"}, AzurePipelines},
		{map[string]string{"TF_BUILD": "true"}, AzurePipelines},
		{map[string]string{"GITHUB_ACTIONS": "false"}, CommandLine},
		{nil, CommandLine},
	}
	for _, tt := range tests {
		if got := Detect(nil, envOf(tt.env), Stdio{Out: &bytes.Buffer{}}, platformTokens).Kind(); got != tt.want {
			t.Errorf("Detect(%v) = %s, want %s", tt.env, got, tt.want)
		}
	}
}

// Each front-end says how its users give one token or several: the
// messages about giving both quote these words.
func TestInputOfEachFrontEnd(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		env  map[string]string
		want Input
	}{
		{map[string]string{"GITHUB_ACTIONS": "true"}, Input{Several: "tokens", One: "token", OneInInputs: true}},
		{map[string]string{"TF_BUILD": "True"}, Input{Several: "tokens", One: "token", OneInInputs: true}},
		{nil, Input{Several: "tokens-from-env", One: "--token-stdin"}},
	} {
		if got := Detect(nil, envOf(tt.env), Stdio{Out: &bytes.Buffer{}}, platformTokens).Input(); got != tt.want {
			t.Errorf("%v: %+v, want %+v", tt.env, got, tt.want)
		}
	}
}

func TestAzureEscaping(t *testing.T) {
	t.Parallel()
	if got := AzureEscapeData("50%\r\nnext"); got != "50%AZP25%0D%0Anext" {
		t.Errorf("data: %q", got)
	}
	if got := AzureEscapeProperty("a;b]c%"); got != "a%3Bb%5Dc%AZP25" {
		t.Errorf("property: %q", got)
	}
}

// neutralize keeps both runners' rules on one line of text: a workflow
// command at the start (after any whitespace, or after a bare \r, which a
// runner takes for a line break), "##[" and "##vso[" in any case anywhere.
func TestNeutralize(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"::set-output name=x::y", "   ::error::x", "\u00a0\u2003::error::x", "##[warning]x", "Bad credentials ##[stop-commands]zz",
		"x ##vso[task.complete result=Succeeded]", "x ##VSO[task.complete]", "x ##VsO[task.complete]", "##[error]x",
		"name\r::error::x", "a\r  ::warning::b", "\r##vso[task.setvariable variable=x]y",
	} {
		got := neutralize(in)
		tr := strings.TrimLeftFunc(got, unicode.IsSpace)
		if strings.HasPrefix(tr, "::") || strings.Contains(got, "##[") || strings.Contains(strings.ToLower(got), "##vso[") || strings.Contains(got, "\r") {
			t.Errorf("neutralize(%q) = %q", in, got)
		}
	}
	if got := neutralize("a :: b ## c"); got != "a :: b ## c" {
		t.Errorf("ordinary text changed: %q", got)
	}
	var b bytes.Buffer
	w := Neutral(&b)
	_, _ = io.WriteString(w, "pat-check: could not write the report to /tmp/x\r::error::y\n::warning::z ")
	_, _ = io.WriteString(w, "::mid-line is not a line start\n")
	if got, want := b.String(), "pat-check: could not write the report to /tmp/x ::error::y\n: :warning::z ::mid-line is not a line start\n"; got != want {
		t.Errorf("Neutral wrote %q, want %q", got, want)
	}
}

func TestAzureInputNames(t *testing.T) {
	t.Parallel()
	z := newAzure(envOf(map[string]string{"INPUT_MINDAYSLEFT": " 5 ", "INPUT_REPORTPATH": "r.json", "INPUT_APIURL": "https://x"}), Stdio{Out: &bytes.Buffer{}})
	raw, _ := z.Options()
	if raw["min-days-left"] != "5" || raw["report-path"] != "r.json" || raw["api-url"] != "https://x" {
		t.Errorf("raw = %v", raw)
	}
	if z.OptionName("min-days-left") != "minDaysLeft" {
		t.Errorf("option name = %s", z.OptionName("min-days-left"))
	}
}

func sampleReport() report.Report {
	r := report.Report{TokenType: "classic", Login: "octocat",
		Findings: []finding.Finding{{Code: finding.ScopeMissing, Severity: finding.Error, Message: "m ##vso[task.complete result=Succeeded]", Fix: "1. fix"}}}
	r.Decide()
	return r
}

func TestActionsToleratesMissingFiles(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	a := newActions(envOf(map[string]string{"GITHUB_ACTIONS": "true"}), Stdio{Out: &out})
	if err := a.Emit(sampleReport(), "ghp_****"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "::error title=Missing scope::scope-missing: m") {
		t.Errorf("stdout:\n%s", out.String())
	}
}

func TestActionsOutputsUseAFreshDelimiter(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "out")
	a := newActions(envOf(map[string]string{"GITHUB_OUTPUT": path}), Stdio{Out: &bytes.Buffer{}})
	if err := a.writeOutputs(map[string]string{"result": "fail"}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	lines := strings.Split(string(b), "\n")
	name, delim, _ := strings.Cut(lines[0], "<<")
	if name != "result" || !strings.HasPrefix(delim, "ghadelimiter_") || len(delim) < 40 || lines[1] != "fail" || lines[2] != delim {
		t.Errorf("output file:\n%s", b)
	}
	_, delim2, _ := strings.Cut(lines[3], "<<")
	if delim2 == delim {
		t.Error("the same delimiter twice: it must be unpredictable")
	}
	if err := a.writeOutputs(map[string]string{"login": "a\nb"}); err == nil {
		t.Error("a multi-line value was written")
	}
}

func TestAzureEmit(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	z := newAzure(envOf(map[string]string{"AGENT_TEMPDIRECTORY": t.TempDir()}), Stdio{Out: &out})
	_ = z.Emit(sampleReport(), "ghp_****")
	s := out.String()
	if strings.Count(s, "##vso[task.complete") != 1 || !strings.Contains(s, "##vso[task.complete result=Failed]") {
		t.Errorf("task.complete:\n%s", s)
	}
	if !strings.Contains(s, "##vso[task.issue type=error;code=scope-missing]") || !strings.Contains(s, "##vso[task.uploadsummary]") {
		t.Errorf("issues or summary missing:\n%s", s)
	}
}

func TestCLITokenSources(t *testing.T) {
	t.Parallel()
	c := newCLI([]string{"--provider", "github"}, envOf(map[string]string{"GITHUB_TOKEN": "b", "AZURE_DEVOPS_EXT_PAT": "z"}), Stdio{}, platformTokens)
	if tok, _ := c.Token(); tok != "b" {
		t.Errorf("token = %q", tok)
	}
	c = newCLI([]string{"--token-stdin"}, envOf(map[string]string{"PAT_CHECK_TOKEN": "env"}), Stdio{In: strings.NewReader("from-stdin\n")}, platformTokens)
	if tok, _ := c.Token(); tok != "from-stdin\n" {
		t.Errorf("stdin token = %q", tok)
	}
	c = newCLI([]string{"--token-stdin"}, envOf(nil), Stdio{In: strings.NewReader(strings.Repeat("x", maxStdinToken+1))}, platformTokens)
	if _, err := c.Token(); err == nil {
		t.Error("an oversized stdin was accepted")
	}
	c = newCLI([]string{"--require-expiration", "--min-days-left=3"}, envOf(nil), Stdio{}, platformTokens)
	raw, err := c.Options()
	if err != nil || raw["require-expiration"] != "true" || raw["min-days-left"] != "3" || len(raw) != 2 {
		t.Errorf("raw = %v, %v", raw, err)
	}
}

// TestFilesPassThroughScrub writes a report whose texts hold a secret and
// reads each file a front-end writes: each went through Stdio.Scrub.
func TestFilesPassThroughScrub(t *testing.T) {
	t.Parallel()
	const secret = "SECRET-VALUE"
	r := sampleReport()
	r.Login = "octo-" + secret
	r.Findings[0].About.PolicyURL = "https://github.com/" + secret
	scrub := strings.NewReplacer(secret, "***").Replace
	check := func(channel, content string) {
		t.Helper()
		if strings.Contains(content, secret) || !strings.Contains(content, "octo-***") {
			t.Errorf("%s was not scrubbed:\n%s", channel, content)
		}
	}

	dir := t.TempDir()
	output, summary := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	a := newActions(envOf(map[string]string{"GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": summary}), Stdio{Out: &bytes.Buffer{}, Scrub: scrub})
	if err := a.Emit(r, "ghp_****"); err != nil {
		t.Fatal(err)
	}
	for channel, path := range map[string]string{"GITHUB_OUTPUT": output, "GITHUB_STEP_SUMMARY": summary} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		check(channel, string(b))
	}

	var out bytes.Buffer
	z := newAzure(envOf(map[string]string{"AGENT_TEMPDIRECTORY": t.TempDir()}), Stdio{Out: &out, Scrub: scrub})
	_ = z.Emit(r, "ghp_****")
	_, rest, ok := strings.Cut(out.String(), "##vso[task.uploadsummary]")
	if !ok {
		t.Fatalf("no summary was uploaded:\n%s", out.String())
	}
	path, _, _ := strings.Cut(rest, "\n")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	check("the Azure summary", string(b))
}

func TestCLIBoolFlag(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args    []string
		want    string // raw["require-expiration"]; "-" for absent
		wantErr bool
	}{
		{[]string{"--require-expiration"}, "true", false},
		{[]string{"-require-expiration"}, "true", false},
		{[]string{"--require-expiration=true"}, "true", false},
		{[]string{"--require-expiration=false"}, "false", false},
		// Kept as typed: the option table rejects it with its own message.
		{[]string{"--require-expiration=maybe"}, "maybe", false},
		{[]string{"--min-days-left=3"}, "-", false},
		// A bool flag takes no separate value: "false" is a stray argument.
		{[]string{"--require-expiration", "false"}, "", true},
	}
	for _, tt := range tests {
		raw, err := newCLI(tt.args, envOf(nil), Stdio{}, platformTokens).Options()
		if (err != nil) != tt.wantErr {
			t.Errorf("%v: err = %v", tt.args, err)
			continue
		}
		if err != nil {
			continue
		}
		got, ok := raw["require-expiration"]
		if !ok {
			got = "-"
		}
		if got != tt.want {
			t.Errorf("%v: require-expiration = %q, want %q", tt.args, got, tt.want)
		}
	}
}
