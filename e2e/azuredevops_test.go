package e2e

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// An Azure DevOps token through the binary once per front-end; the matrix
// of tokens, scopes and expiry sources in every front-end, and the expiry
// from the token list on the command line, run in-process
// (internal/app/azuredevops_test.go).

func TestAzureDevOpsInAzurePipelines(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	w.Azure.SetTokenList(true)
	run := func(tok string, inputs map[string]string) azureRun {
		t.Helper()
		// The collection URI and project come from the agent, as in a real pipeline.
		env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": t.TempDir(), "INPUT_TOKEN": tok,
			"SYSTEM_COLLECTIONURI": w.Org + "/", "SYSTEM_TEAMPROJECT": "Web"}
		for k, v := range inputs {
			env["INPUT_"+strings.ToUpper(k)] = v
		}
		return parseAzureRun(t, run(t, env, ""), tok)
	}
	r := run(fixture.AzureValid, map[string]string{"scopes": "vso.code, vso.build", "tokenName": "release"})
	if r.code != 0 || r.complete != "Succeeded" || r.variables["tokenType"] != "azure-devops" || r.variables["login"] != "Dana Dev" || r.variables["daysLeft"] != "50" {
		t.Errorf("valid: exit %d complete %q variables %v\n%s", r.code, r.complete, r.variables, r.shown())
	}
	r = run(fixture.AzureExpired, nil)
	if r.code != 1 || len(r.codes) != 1 || r.codes[0] != "token-expired" || !strings.Contains(r.issues["error"][0], "_usersSettings/tokens") {
		t.Errorf("expired: exit %d codes %v issues %v", r.code, r.codes, r.issues)
	}
	r = run(fixture.AzureStranger, nil)
	if r.code != 1 || r.codes[0] != "token-invalid" || r.variables["valid"] != "false" {
		t.Errorf("wrong: exit %d codes %v", r.code, r.codes)
	}
	r = run(fixture.AzureReader, map[string]string{"scopes": "vso.code_write", "tokenName": "reader"})
	if r.code != 1 || r.variables["missing"] != "vso.code_write" || !strings.Contains(r.issues["error"][0], "Code (Read & write)") {
		t.Errorf("missing by token list: exit %d variables %v issues %v", r.code, r.variables, r.issues)
	}
	if !strings.Contains(r.summary, "| Expiry | ✅ pass |") || !strings.Contains(r.summary, "from the user's token list") {
		t.Errorf("summary:\n%s", r.summary)
	}
}

func TestAzureDevOpsFromGitHubActions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	// Missing scope proved by a read probe (no header, no token list).
	r := runActions(t, w, fixture.AzureReader, map[string]string{"organization": w.Org, "project": "Web", "scopes": "vso.code, vso.build"}, nil)
	if r.code != 1 || r.outputs["missing"] != "vso.build" || r.outputs["token-type"] != "azure-devops" {
		t.Errorf("probe: exit %d outputs %v", r.code, r.outputs)
	}
	if _, ok := r.annotations("warning")["token-expiry-unknown"]; ok {
		t.Error("token-expiry-unknown is a notice without require-expiration")
	}
	if msg := r.annotations("notice")["token-expiry-unknown"]; !strings.Contains(msg, "token list could not be read") {
		t.Errorf("expiry notice: %q", msg)
	}
	// Missing scope by the header; a write scope read cannot prove.
	w.Azure.SetScopesHeader(true)
	r = runActions(t, w, fixture.AzureValid, map[string]string{"organization": w.Org, "scopes": "vso.code_write vso.release"}, nil)
	if r.code != 1 || r.outputs["missing"] != "vso.release" || r.outputs["scopes"] != "vso.code_write,vso.build_execute" {
		t.Errorf("header: exit %d outputs %v", r.code, r.outputs)
	}
	// Declared expiry when the API cannot tell.
	w.Azure.SetScopesHeader(false)
	r = runActions(t, w, fixture.AzureValid, map[string]string{"organization": w.Org, "expires-on": time.Now().UTC().Add(3 * 24 * time.Hour).Format("2006-01-02")}, nil)
	if r.code != 0 || r.outputs["result"] != "warn" || r.outputs["days-left"] != "3" {
		t.Errorf("declared: exit %d outputs %v", r.code, r.outputs)
	}
	if !strings.Contains(r.report+r.summary, "declared") {
		t.Errorf("summary does not say the expiry was declared:\n%s", r.summary)
	}
	// The organization is required outside Azure Pipelines.
	r = runActions(t, w, fixture.AzureValid, nil, nil)
	if r.code != 2 || !strings.Contains(r.annotations("error")["config-invalid"], "organization") {
		t.Errorf("no organization: exit %d", r.code)
	}
}

func TestAzureDevOpsFormatsAndOfflineChecksum(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	for _, tok := range []string{fixture.AzureValid, fixture.AzureLegacy} {
		res := run(t, map[string]string{"AZURE_DEVOPS_EXT_PAT": tok}, "", "--format", "json", "--organization", w.Org)
		var rep map[string]any
		_ = json.Unmarshal([]byte(res.stdout), &rep)
		if res.code != 0 || rep["provider"] != "azure-devops" || rep["tokenType"] != "azure-devops" || rep["valid"] != true {
			t.Errorf("auto-detected format: exit %d report %v", res.code, rep)
		}
	}
	before := len(w.Azure.Requests())
	bad := fixture.AzureLegacy[:10] + flipBase32(fixture.AzureLegacy[10:11]) + fixture.AzureLegacy[11:]
	res := run(t, map[string]string{"AZURE_DEVOPS_EXT_PAT": bad}, "", "--provider", "azure-devops", "--organization", w.Org)
	if res.code != 1 || !strings.Contains(res.stdout, "token-malformed") {
		t.Errorf("bad checksum: exit %d\n%s", res.code, res.stdout)
	}
	if len(w.Azure.Requests()) != before {
		t.Error("a token with a bad checksum was sent")
	}
}

func flipBase32(c string) string {
	if c == "a" {
		return "b"
	}
	return "a"
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}
