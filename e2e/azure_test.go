package e2e

import (
	"os"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
	"github.com/pat-check/pat-check/internal/token"
)

// loggingCommand is a ##vso command as the agent reads it.
type loggingCommand struct {
	name  string // area.action
	props map[string]string
	msg   string
}

func unescapeAzureProperty(s string) string {
	return strings.NewReplacer("%AZP25", "%", "%3B", ";", "%0D", "\r", "%0A", "\n", "%5D", "]").Replace(s)
}

func unescapeAzureData(s string) string {
	return strings.NewReplacer("%AZP25", "%", "%0D", "\r", "%0A", "\n").Replace(s)
}

// parseLoggingCommands reads stdout as the agent does: "##vso[" anywhere in
// a line starts a command; the properties end at the first "]".
func parseLoggingCommands(stdout string) (cmds []loggingCommand, isCmd []bool) {
	for _, line := range lines(stdout) {
		i := strings.Index(line, "##vso[")
		if i < 0 {
			isCmd = append(isCmd, false)
			continue
		}
		rest := line[i+len("##vso["):]
		head, msg, ok := strings.Cut(rest, "]")
		if !ok {
			isCmd = append(isCmd, false)
			continue
		}
		name, propText, _ := strings.Cut(head, " ")
		props := map[string]string{}
		for _, kv := range strings.Split(propText, ";") {
			if k, v, ok := strings.Cut(strings.TrimSpace(kv), "="); ok {
				props[k] = unescapeAzureProperty(v)
			}
		}
		cmds = append(cmds, loggingCommand{name: strings.ToLower(name), props: props, msg: unescapeAzureData(msg)})
		isCmd = append(isCmd, true)
	}
	return cmds, isCmd
}

type azureRun struct {
	result
	cmds      []loggingCommand
	variables map[string]string
	issues    map[string][]string // type → messages
	codes     []string
	complete  string
}

func runAzure(t *testing.T, w *fixture.World, tok string, inputs map[string]string) azureRun {
	t.Helper()
	temp := t.TempDir()
	env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": temp, "INPUT_TOKEN": tok, "INPUT_APIURL": w.API,
		"SYSTEM_COLLECTIONURI": "https://dev.azure.com/contoso/", "SYSTEM_TEAMPROJECT": "web"}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	return parseAzureRun(t, run(t, env, ""), tok)
}

// parseAzureRun reads a run's output as the agent does and checks the
// invariants: secrets first, known commands only, no leak.
func parseAzureRun(t *testing.T, res result, tok string) azureRun {
	t.Helper()
	r := azureRun{result: res, variables: map[string]string{}, issues: map[string][]string{}}
	cmds, isCmd := parseLoggingCommands(r.stdout)
	r.cmds = cmds
	secrets := 0
	for i, c := range cmds {
		switch c.name {
		case "task.setsecret":
			if i != secrets || !isCmd[secrets] {
				t.Errorf("task.setsecret after other output: masking must come first")
			}
			secrets++
		case "task.setvariable":
			if c.props["isOutput"] != "true" {
				t.Errorf("variable %s is not an output variable", c.props["variable"])
			}
			if _, dup := r.variables[c.props["variable"]]; dup {
				t.Errorf("variable %s set twice (forged?)", c.props["variable"])
			}
			r.variables[c.props["variable"]] = c.msg
		case "task.issue", "task.logissue":
			r.issues[c.props["type"]] = append(r.issues[c.props["type"]], c.msg)
			r.codes = append(r.codes, c.props["code"])
		case "task.uploadsummary":
			b, err := os.ReadFile(c.msg)
			if err != nil {
				t.Errorf("uploaded summary %q cannot be read: %v", c.msg, err)
			}
			r.summary = string(b)
		case "task.complete":
			if r.complete != "" {
				t.Error("task.complete twice")
			}
			r.complete = c.props["result"]
		default:
			t.Errorf("unexpected logging command %q", c.name)
		}
	}
	if token.IsReference(tok) && secrets != 0 {
		t.Errorf("the unexpanded reference %q was masked: it is a name, not a secret", tok)
	}
	if strings.TrimSpace(tok) != "" && !token.IsReference(tok) {
		if secrets < 3 || cmds[0].msg != forms(tok)[0] {
			t.Errorf("the first lines are not task.setsecret of the token and its encodings (%d secrets)", secrets)
		}
	}
	after := strings.Join(lines(r.stdout)[secrets:], "\n")
	assertNoLeak(t, tok, "stdout after the secrets", after)
	assertNoLeak(t, tok, "stderr", r.stderr)
	assertNoLeak(t, tok, "summary", r.summary)
	if r.code != 2 && len(r.variables) != len(config.Outputs) {
		t.Errorf("%d output variables, want %d: %v", len(r.variables), len(config.Outputs), r.variables)
	}
	return r
}

func TestAzureHealthyToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "/api/v3")
	r := runAzure(t, w, fixture.Healthy, map[string]string{"scopes": "repo,workflow,read:org", "minDaysLeft": "3", "warnDaysLeft": "30"})
	if r.code != 0 || r.complete != "Succeeded" {
		t.Fatalf("exit %d complete %q\n%s", r.code, r.complete, r.shown())
	}
	want := map[string]string{"result": "pass", "valid": "true", "tokenType": "classic", "login": "octocat", "daysLeft": "60", "scopes": "repo,workflow,read:org", "missing": ""}
	for k, v := range want {
		if r.variables[k] != v {
			t.Errorf("variable %s = %q, want %q", k, r.variables[k], v)
		}
	}
	if !strings.Contains(r.summary, "| Scopes | ✅ pass |") {
		t.Errorf("summary:\n%s", r.summary)
	}
}

func TestAzureWarnsAndFails(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runAzure(t, w, fixture.Expiring, nil)
	if r.code != 0 || r.complete != "SucceededWithIssues" || len(r.issues["warning"]) != 1 || r.codes[0] != "token-expiry-warning" {
		t.Errorf("expiring: exit %d complete %q issues %v", r.code, r.complete, r.issues)
	}
	r = runAzure(t, w, fixture.NoWorkflow, map[string]string{"scopes": "workflow"})
	if r.code != 1 || r.complete != "Failed" || r.variables["missing"] != "workflow" || len(r.issues["error"]) != 1 {
		t.Fatalf("missing scope: exit %d complete %q issues %v", r.code, r.complete, r.issues)
	}
	if msg := r.issues["error"][0]; !strings.Contains(msg, "How to fix:\n1. ") || !strings.Contains(msg, "Keep this value secret") {
		t.Errorf("issue lacks an Azure-specific fix:\n%s", msg)
	}
}

func TestAzureUnexpandedMacro(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runAzure(t, w, "$(GH_PAT)", nil)
	if r.code != 1 || r.complete != "Failed" || len(r.codes) != 1 || r.codes[0] != "token-unexpanded" {
		t.Errorf("exit %d complete %q codes %v", r.code, r.complete, r.codes)
	}
	if len(w.GitHub.Requests()) != 0 {
		t.Error("an unexpanded macro was sent to the API")
	}
	// The reference is a name, not a secret: the user sees which variable
	// was never set, not "***".
	if msg := r.issues["error"]; len(msg) != 1 || !strings.Contains(msg[0], `"$(GH_PAT)"`) || !strings.Contains(msg[0], "$(GH_PAT) was never set as a variable") || strings.Contains(r.all(), `"***"`) {
		t.Errorf("the issue does not show the reference:\n%s", r.shown())
	}
}

func TestAzureInvalidOptionNamesTheTaskInput(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runAzure(t, w, fixture.Healthy, map[string]string{"warnDaysLeft": "lots"})
	if r.code != 2 || r.complete != "Failed" || len(r.issues["error"]) != 1 || !strings.HasPrefix(r.issues["error"][0], "config-invalid: warnDaysLeft: ") {
		t.Errorf("exit %d complete %q issues %v", r.code, r.complete, r.issues)
	}
}

func TestAzureNetworkTextCannotForge(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runAzure(t, w, fixture.Evil, map[string]string{"scopes": "workflow"})
	if r.variables["result"] != "fail" || r.complete != "Failed" {
		t.Errorf("result %q complete %q: a login forged the verdict", r.variables["result"], r.complete)
	}
}

func TestAzureAPIDownWithWarn(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	w.GitHub.FailNext(100, 500)
	r := runAzure(t, w, fixture.Healthy, map[string]string{"onApiError": "warn"})
	if r.code != 0 || r.complete != "SucceededWithIssues" || r.codes[0] != "api-error" {
		t.Errorf("exit %d complete %q codes %v", r.code, r.complete, r.codes)
	}
}

// An unset secret under Azure Pipelines is a missing token, whatever the
// options say: the provider cannot be told from an empty value.
func TestAzureEmptyTokenIsNotBlamedOnTheOptions(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runAzure(t, w, "", map[string]string{"scopes": "repo"})
	if r.code != 1 || len(r.codes) != 1 || r.codes[0] != "token-missing" {
		t.Errorf("exit %d codes %v", r.code, r.codes)
	}
}
