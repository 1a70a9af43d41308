package e2e

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

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

func TestAzureDevOpsOnTheCommandLine(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	w.Azure.SetTokenList(true)
	report := func(tok string, args ...string) (int, map[string]any) {
		t.Helper()
		res := run(t, map[string]string{"AZURE_DEVOPS_EXT_PAT": tok}, "", append([]string{"--format", "json", "--provider", "azure-devops", "--organization", w.Org}, args...)...)
		var rep map[string]any
		if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
			t.Fatalf("not JSON (exit %d): %v", res.code, err)
		}
		assertNoLeak(t, tok, "output", res.all())
		return res.code, rep
	}
	// Without the scopes header: by name, and ambiguous without one.
	code, rep := report(fixture.AzureNightly, "--token-name", "nightly")
	if code != 0 || rep["result"] != "warn" || rep["expirySource"] != "token-list" || rep["daysLeft"] != 5.0 {
		t.Errorf("by name: exit %d report %v", code, rep)
	}
	code, rep = report(fixture.AzureNightly)
	if code != 0 || rep["expirySource"] != nil || rep["expiresAt"] != nil {
		t.Errorf("ambiguous: exit %d report %v", code, rep)
	}
	// A unique match of the told scopes picks the token; two tokens with
	// the same scopes leave the expiry unknown.
	w.Azure.SetScopesHeader(true)
	code, rep = report(fixture.AzureValid)
	if code != 0 || rep["expirySource"] != "token-list" || rep["daysLeft"] != 50.0 {
		t.Errorf("unique scopes: exit %d report %v", code, rep)
	}
	code, rep = report(fixture.AzureLegacy)
	if code != 0 || rep["expirySource"] != nil {
		t.Errorf("same scopes as another token: exit %d report %v", code, rep)
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

// adoScenario runs in all three front-ends against its own organization.
type adoScenario struct {
	name               string
	tok                string
	header, list       bool // the scopes header, the token list
	scopes, tokenName  string
	expiresOn          string
	code               int
	finding            string // a finding code that must be reported
	missing, expirySrc string
	offline            bool // no request may be sent
}

func adoScenarios() []adoScenario {
	declared := time.Now().UTC().Add(40 * 24 * time.Hour).Format("2006-01-02")
	bad := fixture.AzureLegacy[:10] + flipBase32(fixture.AzureLegacy[10:11]) + fixture.AzureLegacy[11:]
	return []adoScenario{
		{name: "valid, current format", tok: fixture.AzureValid, code: 0, finding: "token-expiry-unknown"},
		{name: "valid, legacy format", tok: fixture.AzureLegacy, scopes: "vso.code", code: 0},
		{name: "expired", tok: fixture.AzureExpired, code: 1, finding: "token-expired"},
		{name: "wrong", tok: fixture.AzureStranger, code: 1, finding: "token-invalid"},
		{name: "missing scope by probe", tok: fixture.AzureReader, scopes: "vso.code vso.build", code: 1, finding: "scope-missing", missing: "vso.build"},
		{name: "missing scope by header", tok: fixture.AzureValid, header: true, scopes: "vso.release", code: 1, finding: "scope-missing", missing: "vso.release"},
		// A token holding only vso.code: the write aimed at a repository that
		// cannot exist answers 401, which proves vso.code_write missing.
		{name: "missing write scope by a safe write probe", tok: fixture.AzureReader, scopes: "vso.code_write", code: 1, finding: "scope-missing", missing: "vso.code_write"},
		{name: "write scope granted by a safe write probe", tok: fixture.AzureValid, scopes: "vso.code_write vso.build_execute", code: 0},
		{name: "a broader scope than any probe proves", tok: fixture.AzureValid, scopes: "vso.code_manage", code: 0, finding: "scope-unverified"},
		{name: "missing write scope by the token list", tok: fixture.AzureReader, list: true, tokenName: "reader", scopes: "vso.code_write", code: 1, finding: "scope-missing", missing: "vso.code_write", expirySrc: "token-list"},
		{name: "expiry by name", tok: fixture.AzureNightly, list: true, tokenName: "nightly", code: 0, finding: "token-expiry-warning", expirySrc: "token-list"},
		{name: "expiry by unique scopes", tok: fixture.AzureValid, list: true, header: true, code: 0, expirySrc: "token-list"},
		{name: "expiry ambiguous", tok: fixture.AzureLegacy, list: true, header: true, code: 0, finding: "token-expiry-unknown"},
		{name: "declared expiry", tok: fixture.AzureValid, expiresOn: declared, code: 0, expirySrc: "declared"},
		{name: "bad legacy checksum", tok: bad, code: 1, finding: "token-malformed", offline: true},
	}
}

func TestAzureDevOpsInEveryFrontEnd(t *testing.T) {
	t.Parallel()
	for _, sc := range adoScenarios() {
		w := newWorld(t, "")
		w.Azure.SetScopesHeader(sc.header)
		w.Azure.SetTokenList(sc.list)
		inputs := map[string]string{"scopes": sc.scopes, "token-name": sc.tokenName, "expires-on": sc.expiresOn, "project": "Web"}
		type outcome struct {
			code            int
			codes           []string
			missing, expiry string
		}
		var got = map[string]outcome{}

		// GitHub Actions, with the report written to read expirySource.
		report := t.TempDir() + "/report.json"
		ai := map[string]string{"organization": w.Org, "report-path": report}
		for k, v := range inputs {
			if v != "" {
				ai[k] = v
			}
		}
		a := runActions(t, w, sc.tok, ai, nil)
		var codes []string
		for _, c := range a.cmds {
			if code, _, ok := strings.Cut(c.msg, ": "); ok && c.props["title"] != "" {
				codes = append(codes, code)
			}
		}
		got["actions"] = outcome{a.code, codes, a.outputs["missing"], expirySourceOf(t, a.report)}

		// Azure Pipelines: organization and project from the agent.
		env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": t.TempDir(), "INPUT_TOKEN": sc.tok,
			"SYSTEM_COLLECTIONURI": w.Org + "/", "SYSTEM_TEAMPROJECT": "Web", "INPUT_REPORTPATH": report}
		for k, v := range map[string]string{"SCOPES": sc.scopes, "TOKENNAME": sc.tokenName, "EXPIRESON": sc.expiresOn} {
			if v != "" {
				env["INPUT_"+k] = v
			}
		}
		res := run(t, env, "")
		res.report = readFile(report)
		z := parseAzureRun(t, res, sc.tok)
		got["azure"] = outcome{z.code, z.codes, z.variables["missing"], expirySourceOf(t, res.report)}

		// Command line.
		args := []string{"--format", "json", "--organization", w.Org, "--project", "Web"}
		for flag, v := range map[string]string{"--scopes": sc.scopes, "--token-name": sc.tokenName, "--expires-on": sc.expiresOn} {
			if v != "" {
				args = append(args, flag, v)
			}
		}
		c := run(t, map[string]string{"AZURE_DEVOPS_EXT_PAT": sc.tok}, "", args...)
		var rep struct {
			Missing  []string
			Findings []struct{ Code string }
		}
		_ = json.Unmarshal([]byte(c.stdout), &rep)
		codes = nil
		for _, f := range rep.Findings {
			codes = append(codes, f.Code)
		}
		assertNoLeak(t, sc.tok, "cli output", c.all())
		got["cli"] = outcome{c.code, codes, strings.Join(rep.Missing, ","), expirySourceOf(t, c.stdout)}

		for fe, o := range got {
			if fe == "azure" && sc.finding == "token-expiry-unknown" {
				// Azure Pipelines has no notice issues: the notice is in the log only.
				o.codes = append(o.codes, sc.finding)
			}
			if o.code != sc.code || o.missing != sc.missing || o.expiry != sc.expirySrc || (sc.finding != "" && !slices.Contains(o.codes, sc.finding)) {
				t.Errorf("%s, %s: exit %d codes %v missing %q expirySource %q; want exit %d, %s, missing %q, expirySource %q",
					fe, sc.name, o.code, o.codes, o.missing, o.expiry, sc.code, sc.finding, sc.missing, sc.expirySrc)
			}
		}
		if sc.offline && len(w.Azure.Requests()) != 0 {
			t.Errorf("%s: %d requests for a token that failed offline", sc.name, len(w.Azure.Requests()))
		}
	}
}

func expirySourceOf(t *testing.T, reportJSON string) string {
	t.Helper()
	var r struct{ ExpirySource *string }
	if json.Unmarshal([]byte(reportJSON), &r) != nil || r.ExpirySource == nil {
		return ""
	}
	return *r.ExpirySource
}

func readFile(p string) string {
	b, _ := os.ReadFile(p)
	return string(b)
}
