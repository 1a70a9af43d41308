package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
	"github.com/pat-check/pat-check/internal/token"
)

// workflowCommand is a line the Actions runner acts on.
type workflowCommand struct {
	name  string
	props map[string]string
	msg   string
}

func unescapeActionsData(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(s)
}

func unescapeActionsProperty(s string) string {
	return strings.NewReplacer("%0D", "\r", "%0A", "\n", "%3A", ":", "%2C", ",", "%25", "%").Replace(s)
}

// parseWorkflowCommands reads stdout as the runner does: a line whose
// trimmed text starts with "::" is a command "::name k=v,k=v::message".
func parseWorkflowCommands(stdout string) (cmds []workflowCommand, order []bool) {
	for _, line := range lines(strings.ReplaceAll(stdout, "\r", "\n")) {
		t := strings.TrimLeft(line, " \t")
		if i := strings.Index(line, "##["); i >= 0 && !strings.HasPrefix(t, "::") {
			// The legacy form, which the runner accepts anywhere in a line.
			name, _, _ := strings.Cut(strings.TrimPrefix(line[i:], "##["), "]")
			cmds = append(cmds, workflowCommand{name: "legacy " + name})
			order = append(order, true)
			continue
		}
		if !strings.HasPrefix(t, "::") {
			order = append(order, false)
			continue
		}
		rest := t[2:]
		head, msg, ok := strings.Cut(rest, "::")
		if !ok {
			order = append(order, false)
			continue
		}
		name, propText, _ := strings.Cut(head, " ")
		props := map[string]string{}
		if propText != "" {
			for _, kv := range strings.Split(propText, ",") {
				k, v, _ := strings.Cut(kv, "=")
				props[k] = unescapeActionsProperty(v)
			}
		}
		cmds = append(cmds, workflowCommand{name: name, props: props, msg: unescapeActionsData(msg)})
		order = append(order, true)
	}
	return cmds, order
}

// parseOutputFile reads GITHUB_OUTPUT as the runner does: name=value lines
// and name<<DELIMITER heredocs.
func parseOutputFile(t *testing.T, content string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ls := lines(content)
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		if name, delim, ok := strings.Cut(l, "<<"); ok {
			var val []string
			j := i + 1
			for ; j < len(ls) && ls[j] != delim; j++ {
				val = append(val, ls[j])
			}
			if j == len(ls) {
				t.Fatalf("GITHUB_OUTPUT: heredoc for %s is not closed", name)
			}
			if _, dup := out[name]; dup {
				t.Errorf("GITHUB_OUTPUT sets %s twice", name)
			}
			out[name] = strings.Join(val, "\n")
			i = j
			continue
		}
		if name, val, ok := strings.Cut(l, "="); ok {
			out[name] = val
		}
	}
	return out
}

type actionsRun struct {
	result
	cmds    []workflowCommand
	outputs map[string]string
}

// annotations are the annotations of one kind by finding code: the
// message starts with the code ("scope-missing: …"), and the title is the
// finding in words ("Missing scope: workflow").
func (r actionsRun) annotations(kind string) map[string]string {
	m := map[string]string{}
	for _, c := range r.cmds {
		if c.name == kind {
			code, _, _ := strings.Cut(c.msg, ": ")
			m[code] = c.msg
		}
	}
	return m
}

// titles are the annotations' titles by finding code.
func (r actionsRun) titles() map[string]string {
	m := map[string]string{}
	for _, c := range r.cmds {
		if c.name == "error" || c.name == "warning" || c.name == "notice" {
			code, _, _ := strings.Cut(c.msg, ": ")
			m[code] = c.props["title"]
		}
	}
	return m
}

// runActions runs the binary as a step of a GitHub workflow would.
func runActions(t *testing.T, w *fixture.World, tok string, inputs map[string]string, extra map[string]string) actionsRun {
	t.Helper()
	dir := t.TempDir()
	outFile, summaryFile := filepath.Join(dir, "output"), filepath.Join(dir, "summary")
	for _, f := range []string{outFile, summaryFile} {
		if err := os.WriteFile(f, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": outFile, "GITHUB_STEP_SUMMARY": summaryFile,
		"GITHUB_REPOSITORY": "octo/private", "GITHUB_EVENT_NAME": "push", "GITHUB_SERVER_URL": "https://github.com",
		"INPUT_TOKEN": tok, "INPUT_API-URL": w.API,
	}
	for k, v := range inputs {
		env["INPUT_"+strings.ToUpper(k)] = v
	}
	for k, v := range extra {
		env[k] = v
	}
	r := run(t, env, "")
	b, _ := os.ReadFile(outFile)
	r.outputFile = string(b)
	b, _ = os.ReadFile(summaryFile)
	r.summary = string(b)
	if p := inputs["report-path"]; p != "" {
		b, _ = os.ReadFile(p)
		r.report = string(b)
	}
	cmds, order := parseWorkflowCommands(r.stdout)
	ar := actionsRun{result: r, cmds: cmds, outputs: parseOutputFile(t, r.outputFile)}
	checkActionsInvariants(t, ar, order, tok)
	return ar
}

// checkActionsInvariants: the mask comes first, only expected commands
// appear, the token appears nowhere after its mask, every output is set once.
func checkActionsInvariants(t *testing.T, r actionsRun, order []bool, tok string) {
	t.Helper()
	masks := 0
	for i, isCmd := range order {
		if !isCmd || r.cmds[masks].name != "add-mask" {
			break
		}
		_ = i
		masks++
	}
	if token.IsReference(tok) && masks != 0 {
		t.Errorf("the unexpanded reference %q was masked: it is a name, not a secret", tok)
	}
	if strings.TrimSpace(tok) != "" && !token.IsReference(tok) {
		if masks == 0 || r.cmds[0].msg != forms(tok)[0] {
			t.Errorf("the first line is not ::add-mask:: of the token")
		}
		if masks < 3 {
			t.Errorf("only %d forms masked before other output, want the token and at least two encodings", masks)
		}
	}
	allowed := map[string]bool{"add-mask": true, "error": true, "warning": true, "notice": true}
	for i, c := range r.cmds {
		if !allowed[c.name] {
			t.Errorf("unexpected workflow command %q (forged?)", c.name)
		}
		if c.name == "add-mask" && i >= masks {
			t.Errorf("an add-mask after other output: masking must come first")
		}
	}
	after := strings.Join(lines(r.stdout)[masks:], "\n")
	assertNoLeak(t, tok, "stdout after the masks", after)
	for name, text := range map[string]string{"stderr": r.stderr, "GITHUB_OUTPUT": r.outputFile, "summary": r.summary, "report": r.report} {
		assertNoLeak(t, tok, name, text)
	}
	if r.code != 2 {
		for _, name := range []string{"result", "valid", "token-type", "login", "expires-at", "days-left", "scopes", "missing"} {
			if _, ok := r.outputs[name]; !ok {
				t.Errorf("output %s not set", name)
			}
		}
	}
}

func TestActionsHealthyToken(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "/api/v3")
	report := filepath.Join(t.TempDir(), "report.json")
	r := runActions(t, w, fixture.Healthy, map[string]string{"scopes": "repo, workflow, read:org", "repositories": "octo/private", "report-path": report}, nil)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s", r.code, r.shown())
	}
	want := map[string]string{"result": "pass", "valid": "true", "token-type": "classic", "login": "octocat", "days-left": "60", "scopes": "repo,workflow,read:org", "missing": ""}
	for k, v := range want {
		if r.outputs[k] != v {
			t.Errorf("output %s = %q, want %q", k, r.outputs[k], v)
		}
	}
	if !strings.HasSuffix(r.outputs["expires-at"], "Z") {
		t.Errorf("expires-at = %q, want RFC 3339 UTC", r.outputs["expires-at"])
	}
	for _, want := range []string{"### ✅ pat-check", "| Scopes | ✅ pass |", "| Repository octo/private | ✅ pass | reachable (private) |"} {
		if !strings.Contains(r.summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, r.summary)
		}
	}
	if !strings.Contains(r.report, `"result": "pass"`) || !strings.Contains(r.report, `"expirySource": "api"`) {
		t.Errorf("report:\n%s", r.report)
	}
	if len(r.annotations("error")) > 0 || len(r.annotations("warning")) > 0 {
		t.Errorf("annotations on a healthy token: %+v", r.cmds)
	}
	if n := len(w.GitHub.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 (/user and the repository)", n)
	}
}

func TestActionsMissingScope(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runActions(t, w, fixture.NoWorkflow, map[string]string{"scopes": "repo workflow"}, nil)
	if r.code != 1 || r.outputs["result"] != "fail" || r.outputs["missing"] != "workflow" {
		t.Fatalf("exit %d outputs %v", r.code, r.outputs)
	}
	msg, ok := r.annotations("error")["scope-missing"]
	if !ok {
		t.Fatalf("no scope-missing annotation: %+v", r.cmds)
	}
	for _, want := range []string{"lacks the scope workflow", "How to fix:", "Tick workflow", "settings/tokens/new?scopes=repo,read:org,workflow", "/octo/private/settings/secrets/actions"} {
		if !strings.Contains(msg, want) {
			t.Errorf("annotation lacks %q:\n%s", want, msg)
		}
	}
	if !strings.Contains(r.summary, "#### How to fix") {
		t.Errorf("summary has no fixes:\n%s", r.summary)
	}
	// The annotation is titled in words; the log shows the verdict as a
	// sentence and the table, and prints the finding and its fix once.
	if title := r.titles()["scope-missing"]; title != "Missing scope: workflow" {
		t.Errorf("annotation title %q", title)
	}
	log := r.shown()
	if !strings.Contains(log, "FAIL: the token lacks the workflow scope\n") || !strings.Contains(log, "✗ Scopes") {
		t.Errorf("the log lacks the verdict or the table:\n%s", log)
	}
	if n := strings.Count(log, "Tick workflow"); n != 1 {
		t.Errorf("the fix appears %d times in the log:\n%s", n, log)
	}
	// The replacement keeps what the token has; the least-privilege link
	// (in this fix and in the scope-excess notice) grants only what the
	// job needs: each link is printed once per fix, never again as "Link:".
	if n := strings.Count(log, "settings/tokens/new?scopes=repo,read:org,workflow&"); n != 1 {
		t.Errorf("the replacement link appears %d times in the log:\n%s", n, log)
	}
	if strings.Contains(log, "Link: ") {
		t.Errorf("a link is printed again as Link:\n%s", log)
	}
	if !strings.Contains(r.summary, "### ❌ pat-check FAIL: the token lacks the workflow scope") || !strings.Contains(r.summary, "[Create a token with these scopes](") {
		t.Errorf("summary heading or link label:\n%s", r.summary)
	}
	if len(w.GitHub.Requests()) != 1 {
		t.Errorf("a classic check with scopes took %d requests, want 1", len(w.GitHub.Requests()))
	}
}

func TestActionsOfflineFailuresSendNothing(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	tests := []struct {
		name, tok, code, fix string
		extra                map[string]string
	}{
		{"bad checksum", fixture.Malformed, "token-malformed", "checksum", nil},
		{"line break inside", fixture.Healthy[:20] + "\n" + fixture.Healthy[20:], "token-malformed", "whitespace", nil},
		{"unexpanded", "${{ secrets.GH_PAT }}", "token-unexpanded", "secrets.NAME", nil},
		{"empty, secret unset", "", "token-missing", "not set", nil},
	}
	for _, tt := range tests {
		r := runActions(t, w, tt.tok, nil, tt.extra)
		if r.code != 1 {
			t.Errorf("%s: exit %d, want 1", tt.name, r.code)
		}
		msg, ok := r.annotations("error")[tt.code]
		if !ok || !strings.Contains(msg, tt.fix) {
			t.Errorf("%s: annotation %s = %q, want it to mention %q", tt.name, tt.code, msg, tt.fix)
		}
	}
	if n := len(w.GitHub.Requests()); n != 0 {
		t.Errorf("%d requests for tokens that failed offline, want none", n)
	}
}

func TestActionsEmptyTokenFromAFork(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	event := filepath.Join(t.TempDir(), "event.json")
	payload := `{"pull_request":{"head":{"repo":{"fork":true,"full_name":"someone/private"}},"base":{"repo":{"full_name":"octo/private"}}}}`
	if err := os.WriteFile(event, []byte(payload), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runActions(t, w, "", nil, map[string]string{"GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": event})
	if msg := r.annotations("error")["token-missing"]; !strings.Contains(msg, "pull request from a fork") {
		t.Errorf("token-missing annotation does not explain forks: %q", msg)
	}
}

func TestActionsInvalidOption(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runActions(t, w, fixture.Healthy, map[string]string{"min-days-left": "soon", "on-api-error": "ignore"}, nil)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2", r.code)
	}
	errs := 0
	for _, c := range r.cmds {
		if c.name == "error" && strings.HasPrefix(c.msg, "config-invalid: ") {
			errs++
			if !strings.Contains(c.msg, "min-days-left") && !strings.Contains(c.msg, "on-api-error") {
				t.Errorf("config-invalid does not name the option: %q", c.msg)
			}
		}
	}
	if errs != 2 {
		t.Errorf("%d config-invalid annotations, want one per bad option", errs)
	}
	if len(w.GitHub.Requests()) != 0 {
		t.Error("requests were sent despite invalid options")
	}
	// The runner's hyphen-to-underscore variant is read too.
	r2 := run(t, map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": fixture.Healthy, "INPUT_MIN_DAYS_LEFT": "x", "INPUT_API-URL": w.API}, "")
	if r2.code != 2 {
		t.Errorf("INPUT_MIN_DAYS_LEFT=x: exit %d, want 2", r2.code)
	}
}

func TestActionsNetworkTextCannotForge(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	r := runActions(t, w, fixture.Evil, map[string]string{"scopes": "workflow"}, nil)
	if r.code != 1 || r.outputs["result"] != "fail" || r.outputs["valid"] != "true" {
		t.Errorf("exit %d outputs %v", r.code, r.outputs)
	}
	if strings.Contains(r.outputs["login"], "\n") {
		t.Errorf("login output is multi-line: %q", r.outputs["login"])
	}
}
