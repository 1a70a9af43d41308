package app

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
	"github.com/pat-check/pat-check/internal/token"
)

// The tests in this file drive Main, the whole pipeline, in-process against
// the simulated APIs, and assert only what a user or a CI platform observes:
// the exit code, the JSON report, the Actions outputs and annotations, the
// Azure Pipelines logging commands. They do not look inside the pipeline.

// mainNow is the clock of every run and of the simulated world: expiry
// decisions do not depend on the day the tests run.
var mainNow = fixture.Instant

// mainExpiry is GitHub's expiration header value for days (and one hour)
// after mainNow, so that exactly days whole days are left.
func mainExpiry(days int) string {
	return mainNow.Add(time.Duration(days)*24*time.Hour + time.Hour).Format("2006-01-02 15:04:05 UTC")
}

// newMainWorld is the shared simulated world (package fixture) at mainNow.
func newMainWorld(t *testing.T) *fixture.World {
	t.Helper()
	return fixture.New(t, fixture.Options{})
}

// expandIn replaces {api} and {org} with the world's addresses.
func expandIn(w *fixture.World, s string) string {
	return strings.NewReplacer("{api}", w.API, "{org}", w.Org).Replace(s)
}

// mainReport is the JSON report as a job reads it.
type mainReport struct {
	Provider     string
	TokenType    string
	Result       string
	Valid        bool
	Login        string
	ExpiresAt    *string
	DaysLeft     *int
	ExpirySource *string
	Scopes       []string
	Missing      []string
	Excess       []string
	Advice       []string
	Findings     []struct{ Code, Severity, Message, Fix, URL string }
	Checks       []struct{ Name, State, Detail string }
	Permissions  []struct{ Permission, Target, State, Detail string }
}

// find is the first finding of code.
func (r mainReport) find(code string) (f struct{ Code, Severity, Message, Fix, URL string }, ok bool) {
	for _, f := range r.Findings {
		if f.Code == code {
			return f, true
		}
	}
	return f, false
}

// codes lists the findings as "code:severity", sorted.
func (r mainReport) codes() []string {
	out := []string{}
	for _, f := range r.Findings {
		out = append(out, f.Code+":"+f.Severity)
	}
	slices.Sort(out)
	return out
}

// mainCase is one run of Main and what must be observed.
type mainCase struct {
	name string
	// fe is the front-end: "cli" (the default), "actions" or "azure".
	fe    string
	token string
	// tokenVar is the variable that carries the token on the command line:
	// PAT_CHECK_TOKEN by default, "-" for none.
	tokenVar string
	stdin    string
	// args are the command line; on the command line --format json and
	// --api-url {api} are added unless text or ado is set or the run is a
	// subcommand. {api}, {org} and {dir} (the run's temporary directory)
	// are expanded, in want too.
	args []string
	// inputs are the Actions inputs (action names) or the task inputs
	// (task names); report-path and the API address are added. {api} and
	// {org} are expanded.
	inputs map[string]string
	env    map[string]string
	// text keeps the command line's text output (no --format json).
	text bool
	// ado marks an Azure DevOps run: no GitHub API address is added.
	ado bool
	// noReport: the run ends before a report exists (a usage error, a
	// subcommand).
	noReport bool
	setup    func(*fixture.World)

	code     int
	result   string   // pass, warn, fail, error ("" when noReport)
	findings []string // the exact set of "code:severity"
	outputs  map[string]string
	want     []string // in the visible output (stdout, stderr, summary, report)
	// offline: not one request may reach either API.
	offline bool
}

func TestMainDecisions(t *testing.T) {
	t.Parallel()
	for _, c := range mainCases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			w := newMainWorld(t)
			if c.setup != nil {
				c.setup(w)
			}
			got := runMain(t, w, c)
			if got.code != c.code {
				t.Errorf("exit code %d, want %d\n%s", got.code, c.code, got.visible)
			}
			if !c.noReport {
				if got.report.Result != c.result {
					t.Errorf("result %q, want %q", got.report.Result, c.result)
				}
				want := append([]string{}, c.findings...)
				slices.Sort(want)
				if want == nil {
					want = []string{}
				}
				if codes := got.report.codes(); !slices.Equal(codes, want) {
					t.Errorf("findings %q, want %q\n%s", codes, want, got.visible)
				}
			}
			for k, v := range c.outputs {
				if got.outputs[k] != v {
					t.Errorf("output %s = %q, want %q (all: %q)", k, got.outputs[k], v, got.outputs)
				}
			}
			for _, s := range c.want {
				if !strings.Contains(got.visible, strings.ReplaceAll(expandIn(w, s), "{dir}", got.dir)) {
					t.Errorf("the output does not say %q:\n%s", s, got.visible)
				}
			}
			if c.offline {
				if n := len(w.GitHub.Requests()) + len(w.Azure.Requests()); n != 0 {
					t.Errorf("%d requests sent, want none", n)
				}
			}
		})
	}
}

// mainRun is what one run of Main left behind.
type mainRun struct {
	code    int
	report  mainReport
	outputs map[string]string // by Action output name
	// visible is everything a person can read: stdout without the mask
	// commands, stderr, the summary and the report file.
	visible string
	// leakable is every byte the run wrote, the mask commands left out.
	leakable map[string]string
	// dir is the run's temporary directory ({dir} in a case).
	dir string
	// summary is the step summary (Actions) or the uploaded summary
	// (Azure Pipelines); stdout on the command line.
	summary string
	// messages are the annotations (Actions) or issues (Azure Pipelines)
	// as the platform shows them: by "kind/code" (error/scope-missing),
	// the message after the code, unescaped.
	messages map[string]string
}

func runMain(t *testing.T, w *fixture.World, c mainCase) mainRun {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{}
	var args []string
	reportFile := filepath.Join(dir, "report.json")
	fe := c.fe
	if fe == "" {
		fe = "cli"
	}
	switch fe {
	case "cli":
		args = make([]string, 0, len(c.args)+4)
		for _, a := range c.args {
			args = append(args, strings.ReplaceAll(expandIn(w, a), "{dir}", dir))
		}
		sub := len(args) > 0 && (args[0] == "version" || args[0] == "--help")
		if !c.text && !sub {
			args = append(args, "--format", "json")
		}
		if !c.ado && !sub && !slices.Contains(args, "--api-url") {
			args = append(args, "--api-url", w.API)
		}
		switch c.tokenVar {
		case "":
			env["PAT_CHECK_TOKEN"] = c.token
		case "-":
		default:
			env[c.tokenVar] = c.token
		}
	case "actions":
		for _, f := range []string{"output", "summary"} {
			if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		env = map[string]string{
			"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": filepath.Join(dir, "output"), "GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
			"GITHUB_REPOSITORY": "octo/private", "GITHUB_EVENT_NAME": "push", "GITHUB_SERVER_URL": "https://github.com",
			"INPUT_TOKEN": c.token, "INPUT_REPORT-PATH": reportFile,
		}
		if !c.ado {
			env["INPUT_API-URL"] = w.API
		}
		for k, v := range c.inputs {
			env["INPUT_"+strings.ToUpper(k)] = expandIn(w, v)
		}
	case "azure":
		env = map[string]string{
			"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": dir, "INPUT_TOKEN": c.token, "INPUT_REPORTPATH": reportFile,
			"SYSTEM_COLLECTIONURI": w.Org + "/", "SYSTEM_TEAMPROJECT": "Web",
		}
		if !c.ado {
			env["INPUT_APIURL"] = w.API
		}
		for k, v := range c.inputs {
			env["INPUT_"+strings.ToUpper(k)] = expandIn(w, v)
		}
	default:
		t.Fatalf("unknown front-end %q", fe)
	}
	for k, v := range c.env {
		env[k] = expandIn(w, v)
	}

	var stdout, stderr strings.Builder
	stdio := frontend.Stdio{In: strings.NewReader(c.stdin), Out: &stdout, Err: &stderr}
	world := World{
		Now:   func() time.Time { return mainNow },
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() },
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	code := Main(ctx, args, func(k string) string { return env[k] }, stdio, world)

	r := mainRun{code: code, outputs: map[string]string{}, leakable: map[string]string{"stderr": stderr.String()}, dir: dir,
		messages: map[string]string{}}
	out := stdout.String()
	r.leakable["stdout"] = mainCheckCommands(t, fe, c.token, out)
	// Every front-end neutralizes its standard error: no runner reads a
	// command there.
	mainCheckCommands(t, "stderr", "", stderr.String())
	visible := []string{r.leakable["stdout"], stderr.String()}

	reportText := ""
	switch {
	case fe == "cli" && !c.text:
		reportText = out
	default:
		if b, err := os.ReadFile(reportFile); err == nil {
			reportText = string(b)
		}
	}
	if fe == "cli" {
		if p := slices.Index(args, "--report"); p >= 0 && p+1 < len(args) {
			// A report that could not be written leaves no file; the
			// rows that need it look for its text.
			b, _ := os.ReadFile(args[p+1])
			r.leakable["report file"] = string(b)
			visible = append(visible, string(b))
			if c.text {
				reportText = string(b)
			}
		}
	}
	if !c.noReport {
		if err := json.Unmarshal([]byte(reportText), &r.report); err != nil {
			t.Fatalf("the report is not JSON (exit %d): %v\nstdout:\n%s\nstderr:\n%s", code, err, r.leakable["stdout"], stderr.String())
		}
	}
	r.leakable["report"] = reportText
	if fe != "cli" {
		visible = append(visible, reportText)
	}

	switch fe {
	case "actions":
		b, _ := os.ReadFile(env["GITHUB_OUTPUT"])
		r.leakable["GITHUB_OUTPUT"] = string(b)
		r.outputs = mainOutputFile(t, string(b))
		b, _ = os.ReadFile(env["GITHUB_STEP_SUMMARY"])
		r.leakable["GITHUB_STEP_SUMMARY"] = string(b)
		r.summary = string(b)
		visible = append(visible, string(b))
		mainActionsMessages(out, r.messages)
		if !c.noReport && code != 2 {
			mainCheckActions(t, out, r)
		}
	case "azure":
		summary := mainCheckAzure(t, out, &r, c.noReport || code == 2)
		r.leakable["summary"] = summary
		r.summary = summary
		visible = append(visible, summary)
	default:
		r.summary = r.leakable["stdout"]
	}
	r.visible = strings.Join(visible, "\n")
	mainNoLeak(t, c.token, r.leakable)
	return r
}

// mainCheckCommands reads out (a run's stdout, or "stderr") as the runners
// do and checks what every run must show: under Actions and Azure
// Pipelines the leading lines mask the token's forms (none for an empty
// token or an unexpanded reference), and after them only the commands
// pat-check writes appear; on the command line and on stderr, none at all.
// It returns out without the leading masks. Failure messages name a form
// by its number, never its value.
func mainCheckCommands(t *testing.T, fe, tok, out string) string {
	t.Helper()
	maskPrefix, unescape := "", strings.NewReplacer()
	switch fe {
	case "actions":
		maskPrefix, unescape = "::add-mask::", strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%")
	case "azure":
		maskPrefix, unescape = "##vso[task.setsecret]", strings.NewReplacer("%AZP25", "%", "%0D", "\r", "%0A", "\n")
	}
	ls := mainLines(out)
	var masked []string
	for maskPrefix != "" && len(masked) < len(ls) && strings.HasPrefix(ls[len(masked)], maskPrefix) {
		masked = append(masked, unescape.Replace(strings.TrimPrefix(ls[len(masked)], maskPrefix)))
	}
	trimmed := strings.TrimSpace(tok)
	switch {
	case maskPrefix == "":
	case trimmed == "" || token.IsReference(tok):
		if len(masked) != 0 {
			t.Errorf("%s: %d values masked for an empty token or an unexpanded reference (a name, not a secret)", fe, len(masked))
		}
	case len(trimmed) >= token.MinLength:
		forms := token.MaskForms(tok)
		if len(masked) < 3 || masked[0] != forms[0] {
			t.Errorf("%s: the first lines are not the masks of the token and at least two other forms (%d masks)", fe, len(masked))
			break
		}
		for i, f := range forms {
			if !slices.Contains(masked, f) {
				t.Errorf("%s: form #%d of the token is not masked before other output", fe, i)
			}
		}
	}
	// What pat-check writes after the masks (internal/frontend/actions.go,
	// azure.go); anything else was forged by a value it printed.
	allowed := map[string]map[string]bool{
		"actions": {"error": true, "warning": true, "notice": true},
		"azure":   {"task.issue": true, "task.setvariable": true, "task.uploadsummary": true, "task.complete": true},
	}[fe]
	rest := ls[len(masked):]
	for n, l := range rest {
		// The GitHub runner reads "::" at the start of a line, after
		// whitespace, and a bare \r starts a line.
		for _, piece := range strings.Split(l, "\r") {
			c, ok := strings.CutPrefix(strings.TrimLeftFunc(piece, unicode.IsSpace), "::")
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(c, "::")
			name, _, _ = strings.Cut(name, " ")
			switch {
			case fe != "actions":
				t.Errorf("%s, line %d: a workflow command %q", fe, len(masked)+n+1, name)
			case name == "add-mask":
				t.Errorf("%s, line %d: an add-mask after other output: masking must come first", fe, len(masked)+n+1)
			case !allowed[name]:
				t.Errorf("%s, line %d: unexpected workflow command %q (forged?)", fe, len(masked)+n+1, name)
			}
		}
		// The GitHub runner also reads "##[" anywhere in a line, the Azure
		// agent "##vso[" anywhere, in any letter case.
		if strings.Contains(l, "##[") {
			t.Errorf("%s, line %d: a \"##[\" command", fe, len(masked)+n+1)
		}
		low := strings.ToLower(l)
		if i := strings.Index(low, "##vso["); i >= 0 {
			name, _, _ := strings.Cut(low[i+len("##vso["):], "]")
			name, _, _ = strings.Cut(name, " ")
			switch {
			case fe != "azure":
				t.Errorf("%s, line %d: a logging command %q", fe, len(masked)+n+1, name)
			case i != 0 || strings.Count(low, "##vso[") != 1 || !strings.HasPrefix(l, "##vso["):
				t.Errorf("%s, line %d: a logging command %q not at the start of its line (forged?)", fe, len(masked)+n+1, name)
			case name == "task.setsecret":
				t.Errorf("%s, line %d: a task.setsecret after other output: masking must come first", fe, len(masked)+n+1)
			case !allowed[name]:
				t.Errorf("%s, line %d: unexpected logging command %q (forged?)", fe, len(masked)+n+1, name)
			}
		}
	}
	return strings.Join(rest, "\n")
}

func mainLines(s string) []string {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	return out
}

// mainOutputFile reads GITHUB_OUTPUT's heredocs as the runner does.
func mainOutputFile(t *testing.T, content string) map[string]string {
	t.Helper()
	out := map[string]string{}
	ls := mainLines(content)
	for i := 0; i < len(ls); i++ {
		name, delim, ok := strings.Cut(ls[i], "<<")
		if !ok {
			t.Errorf("GITHUB_OUTPUT line %q is not a heredoc", ls[i])
			continue
		}
		j := i + 1
		var val []string
		for ; j < len(ls) && ls[j] != delim; j++ {
			val = append(val, ls[j])
		}
		if j == len(ls) {
			t.Fatalf("GITHUB_OUTPUT: the heredoc of %s is not closed", name)
		}
		if _, dup := out[name]; dup {
			t.Errorf("GITHUB_OUTPUT: output %s set twice (forged?)", name)
		}
		out[name] = strings.Join(val, "\n")
		i = j
	}
	return out
}

// mainActionsMessages reads the annotations as the runner shows them into
// messages, by "kind/code".
func mainActionsMessages(stdout string, messages map[string]string) {
	for _, l := range mainLines(stdout) {
		for _, kind := range []string{"error", "warning", "notice"} {
			if rest, ok := strings.CutPrefix(l, "::"+kind+" "); ok {
				_, msg, _ := strings.Cut(rest, "::")
				code, text, _ := strings.Cut(msg, ": ")
				messages[kind+"/"+code] = strings.NewReplacer("%0D", "\r", "%0A", "\n", "%25", "%").Replace(text)
			}
		}
	}
}

// mainCheckActions: one annotation per finding, with a title in words, the
// finding's code at the start of its message and its severity as its
// command; every output set, the result output agreeing with the report.
func mainCheckActions(t *testing.T, stdout string, r mainRun) {
	t.Helper()
	var annotations []string
	for _, l := range mainLines(stdout) {
		for _, kind := range []string{"error", "warning", "notice"} {
			if rest, ok := strings.CutPrefix(l, "::"+kind+" "); ok {
				props, msg, _ := strings.Cut(rest, "::")
				if !strings.Contains(props, "title=") {
					t.Errorf("annotation without a title: %s", l)
				}
				code, _, _ := strings.Cut(msg, ":")
				annotations = append(annotations, code+":"+kind)
			}
		}
	}
	slices.Sort(annotations)
	if codes := r.report.codes(); !slices.Equal(annotations, codes) && !(len(annotations) == 0 && len(codes) == 0) {
		t.Errorf("annotations %q, findings %q", annotations, codes)
	}
	for _, name := range []string{"result", "valid", "token-type", "login", "expires-at", "days-left", "scopes", "missing"} {
		if _, ok := r.outputs[name]; !ok {
			t.Errorf("output %s not set", name)
		}
	}
	if r.outputs["result"] != r.report.Result {
		t.Errorf("output result %q, report %q", r.outputs["result"], r.report.Result)
	}
}

// mainCheckAzure reads the logging commands as the agent does: one issue
// per error or warning finding, the output variables (stored in r.outputs
// under the Action names), task.complete matching the result. It returns
// the uploaded summary.
func mainCheckAzure(t *testing.T, stdout string, r *mainRun, noReport bool) string {
	t.Helper()
	actionName := map[string]string{"result": "result", "valid": "valid", "tokenType": "token-type", "login": "login",
		"expiresAt": "expires-at", "daysLeft": "days-left", "scopes": "scopes", "missing": "missing", "failing": "failing", "expiring": "expiring"}
	var issues []string
	complete, summary := "", ""
	completes := 0
	for _, l := range mainLines(stdout) {
		i := strings.Index(l, "##vso[")
		if i < 0 {
			continue
		}
		head, msg, _ := strings.Cut(l[i+len("##vso["):], "]")
		name, propText, _ := strings.Cut(head, " ")
		props := map[string]string{}
		for _, kv := range strings.Split(propText, ";") {
			if k, v, ok := strings.Cut(kv, "="); ok {
				props[k] = v
			}
		}
		switch name {
		case "task.setsecret":
		case "task.issue":
			if props["code"] != "" {
				issues = append(issues, props["code"]+":"+props["type"])
				text, _ := strings.CutPrefix(msg, props["code"]+": ")
				r.messages[props["type"]+"/"+props["code"]] = strings.NewReplacer("%AZP25", "%", "%0D", "\r", "%0A", "\n").Replace(text)
			}
		case "task.setvariable":
			if props["isOutput"] != "true" {
				t.Errorf("variable %s is not an output", props["variable"])
			}
			if _, dup := r.outputs[actionName[props["variable"]]]; dup {
				t.Errorf("variable %s set twice (forged?)", props["variable"])
			}
			r.outputs[actionName[props["variable"]]] = strings.NewReplacer("%AZP25", "%", "%0D", "\r", "%0A", "\n").Replace(msg)
		case "task.uploadsummary":
			b, err := os.ReadFile(msg)
			if err != nil {
				t.Errorf("the uploaded summary: %v", err)
			}
			summary = string(b)
		case "task.complete":
			completes++
			complete = props["result"]
		default:
			t.Errorf("unexpected logging command %q", name)
		}
	}
	if completes != 1 {
		t.Errorf("task.complete %d times, want once", completes)
	}
	if noReport {
		return summary
	}
	var want []string
	for _, c := range r.report.codes() {
		if !strings.HasSuffix(c, ":notice") {
			want = append(want, c)
		}
	}
	slices.Sort(issues)
	if !slices.Equal(issues, want) {
		t.Errorf("issues %q, want the error and warning findings %q", issues, want)
	}
	if len(r.outputs) != len(actionName) {
		t.Errorf("%d output variables, want %d: %q", len(r.outputs), len(actionName), r.outputs)
	}
	wantComplete := map[string]string{"pass": "Succeeded", "warn": "SucceededWithIssues", "fail": "Failed", "error": "Failed"}[r.report.Result]
	if complete != wantComplete {
		t.Errorf("task.complete result=%q, want %q", complete, wantComplete)
	}
	if r.outputs["result"] != r.report.Result {
		t.Errorf("variable result %q, report %q", r.outputs["result"], r.report.Result)
	}
	return summary
}

// mainNoLeak fails when the token, or a form a log could show it in,
// appears in any output. It names the output and the form's number only.
func mainNoLeak(t *testing.T, tok string, outputs map[string]string) {
	t.Helper()
	tok = strings.TrimSpace(tok)
	if len(tok) < 8 || token.IsReference(tok) {
		// An unexpanded reference is a name, not a secret: it is shown.
		return
	}
	forms := []string{tok}
	for _, s := range []string{tok, ":" + tok, "x-access-token:" + tok, "pat:" + tok} {
		forms = append(forms, base64.StdEncoding.EncodeToString([]byte(s)))
	}
	// And every form pat-check registers with the platform's masking.
	for _, f := range token.MaskForms(tok) {
		if len(f) >= 6 {
			forms = append(forms, f)
		}
	}
	for where, text := range outputs {
		for i, f := range forms {
			if strings.Contains(text, f) {
				t.Errorf("%s contains the token (form #%d)", where, i)
			}
		}
	}
}

func mainCases() []mainCase {
	return []mainCase{
		// GitHub, classic tokens, on the command line.
		{name: "classic token with the scopes it needs", token: fixture.Healthy, args: []string{"--scopes", "repo,workflow"},
			code: 0, result: "pass", findings: []string{"scope-excess:notice"}, want: []string{`"login": "octocat"`, `"daysLeft": 60`}},
		{name: "implied scopes count as granted", token: fixture.Healthy, args: []string{"--scopes", "public_repo,repo:status,read:org"},
			code: 0, result: "pass", findings: []string{"scope-excess:notice"}},
		{name: "missing scope", token: fixture.NoWorkflow, args: []string{"--scopes", "repo,read:org,workflow"},
			code: 1, result: "fail", findings: []string{"scope-missing:error"}, want: []string{`"missing": [`, `"workflow"`}},
		{name: "revoked token", token: fixture.Revoked, args: []string{"--scopes", "repo"},
			code: 1, result: "fail", findings: []string{"token-invalid:error"}, want: []string{`"valid": false`}},
		{name: "token the API does not know", token: fixture.Unknown,
			code: 1, result: "fail", findings: []string{"token-invalid:error"}},
		{name: "token expiring within warn-days-left", token: fixture.Expiring, args: []string{"--scopes", "workflow"},
			code: 0, result: "warn", findings: []string{"scope-excess:notice", "token-expiry-warning:warning"}, want: []string{`"daysLeft": 5`}},
		{name: "token expiring within min-days-left", token: fixture.Expiring, args: []string{"--min-days-left", "7"},
			code: 1, result: "fail", findings: []string{"token-expiring:error"}},
		{name: "warn-days-left below the days left", token: fixture.Expiring, args: []string{"--warn-days-left", "3"},
			code: 0, result: "pass"},
		{name: "expired token", token: fixture.Expired,
			code: 1, result: "fail", findings: []string{"token-expired:error"}},
		{name: "token without expiry warns", token: fixture.Forever,
			code: 0, result: "warn", findings: []string{"token-no-expiration:warning"}, want: []string{`"expiresAt": null`}},
		{name: "token without expiry and require-expiration", token: fixture.Forever, args: []string{"--require-expiration"},
			code: 1, result: "fail", findings: []string{"token-no-expiration:error"}},
		{name: "SSO authorization required", token: fixture.NoSSO, args: []string{"--organization", "octo-org"},
			code: 1, result: "fail", findings: []string{"sso-authorization-required:error"}, want: []string{"{api}/orgs/octo-org/sso"}},
		{name: "actions: SSO authorization link from GitHub", fe: "actions", token: fixture.NoSSO, inputs: map[string]string{"organization": "octo-org"},
			code: 1, result: "fail", findings: []string{"sso-authorization-required:error"}, want: []string{"https://github.com/orgs/octo-org/sso?authorization_request="}},
		{name: "organization forbids classic tokens", token: fixture.Healthy, args: []string{"--organization", "strict-org"},
			code: 1, result: "fail", findings: []string{"organization-policy:error"}, want: []string{"forbids access via a personal access token (classic)"}},
		{name: "organization forbids fine-grained tokens", token: fixture.Fine, args: []string{"--organization", "classic-only"},
			code: 1, result: "fail", findings: []string{"organization-policy:error"}},
		{name: "organization limits the lifetime", token: fixture.FineLong, args: []string{"--organization", "short-lived"},
			code: 1, result: "fail", findings: []string{"organization-policy:error"}, want: []string{"lifetime"}},
		{name: "repository inaccessible", token: fixture.Healthy, args: []string{"--repositories", "octo/private,octo/secret"},
			code: 1, result: "fail", findings: []string{"repository-inaccessible:error"}, want: []string{"octo/secret"}},
		{name: "organization inaccessible", token: fixture.Healthy, args: []string{"--organization", "no-such-org"},
			code: 1, result: "fail", findings: []string{"organization-inaccessible:error"}, want: []string{"no-such-org"}},
		{name: "token types disallowed", token: fixture.Healthy, args: []string{"--token-types", "fine-grained"},
			code: 1, result: "fail", findings: []string{"token-type-disallowed:error"}, offline: true},
		{name: "malformed token (bad checksum)", token: fixture.Malformed,
			code: 1, result: "fail", findings: []string{"token-malformed:error"}, offline: true},
		{name: "no token", tokenVar: "-",
			code: 1, result: "fail", findings: []string{"token-missing:error"}, want: []string{"PAT_CHECK_TOKEN"}, offline: true},
		{name: "token from GH_TOKEN", token: fixture.Healthy, tokenVar: "GH_TOKEN",
			code: 0, result: "pass"},
		{name: "token from standard input", token: fixture.NoWorkflow, tokenVar: "-", stdin: fixture.NoWorkflow + "\n", args: []string{"--token-stdin", "--scopes", "workflow"},
			code: 1, result: "fail", findings: []string{"scope-excess:notice", "scope-missing:error"}},
		{name: "invalid option value", token: fixture.Healthy, args: []string{"--timeout", "never"},
			code: 2, result: "error", findings: []string{"config-invalid:error"}, want: []string{"--timeout"}, offline: true},
		{name: "plain http API", token: fixture.Healthy, args: []string{"--api-url", "http://example.com"},
			code: 2, result: "error", findings: []string{"config-invalid:error"}, want: []string{"plain http"}, offline: true},
		{name: "unknown flag", token: fixture.Healthy, args: []string{"--bogus"}, noReport: true,
			code: 2, want: []string{"bogus"}, offline: true},
		{name: "text output and a report file", token: fixture.NoWorkflow, text: true, args: []string{"--scopes", "workflow", "--report", "{dir}/cli-report.json"},
			code: 1, result: "fail", findings: []string{"scope-excess:notice", "scope-missing:error"}, want: []string{"scope-missing", `"result": "fail"`}},
		// The job asked for the file: a report that cannot be written is an
		// error, never a silent pass.
		{name: "a report that cannot be written is an error", token: fixture.Healthy, args: []string{"--report", "{dir}/no-such-dir/report.json"},
			code: 3, result: "error", findings: []string{"report-unwritten:error"}, want: []string{"could not write the report to {dir}/no-such-dir/report.json"}},
		{name: "standard input longer than any token", tokenVar: "-", stdin: strings.Repeat("x", 70<<10), args: []string{"--token-stdin"}, noReport: true,
			code: 2, want: []string{"longer than any token"}, offline: true},

		// Fine-grained permissions.
		{name: "fine-grained permissions granted", token: fixture.Fine, args: []string{"--permissions", "contents:read,pull-requests:write", "--repositories", "octo/private"},
			code: 0, result: "pass", want: []string{`"state": "granted"`}},
		{name: "fine-grained permission missing", token: fixture.Fine, args: []string{"--permissions", "pull-requests:write", "--repositories", "octo/private,octo/lib"},
			code: 1, result: "fail", findings: []string{"permission-missing:error"}, want: []string{`"pull_requests:write@octo/lib"`}},
		{name: "fine-grained token that reads where the job writes", token: fixture.Fine, args: []string{"--permissions", "contents:write", "--repositories", "octo/private"},
			code: 1, result: "fail", findings: []string{"permission-missing:error"}, want: []string{"set Contents to Read and write"}},
		{name: "fine-grained permission unverified", token: fixture.Fine, args: []string{"--permissions", "workflows:write", "--repositories", "octo/private"},
			code: 0, result: "warn", findings: []string{"permission-unverified:warning"}, want: []string{"the job may still fail"}},
		{name: "permission on an unreachable repository", token: fixture.Fine, args: []string{"--permissions", "contents:read", "--repositories", "octo-org/app"},
			code: 1, result: "fail", findings: []string{"repository-inaccessible:error"}},

		// API trouble.
		{name: "rate limited, on-api-error fail", token: fixture.Healthy, setup: func(w *fixture.World) { w.GitHub.RateLimitNext(100, time.Second) },
			code: 3, result: "error", findings: []string{"rate-limited:error"}},
		{name: "rate limited, on-api-error warn", token: fixture.Healthy, args: []string{"--on-api-error", "warn"}, setup: func(w *fixture.World) { w.GitHub.RateLimitNext(100, time.Second) },
			code: 0, result: "warn", findings: []string{"rate-limited:warning"}},
		{name: "primary rate limit exhausted", token: fixture.Healthy, setup: func(w *fixture.World) { w.GitHub.SetRateLimitExhausted(true) },
			code: 3, result: "error", findings: []string{"rate-limited:error"}},
		{name: "5xx, on-api-error fail", token: fixture.Healthy, setup: func(w *fixture.World) { w.GitHub.FailNext(100, 503) },
			code: 3, result: "error", findings: []string{"api-error:error"}},
		{name: "5xx, on-api-error warn", token: fixture.Healthy, args: []string{"--on-api-error", "warn"}, setup: func(w *fixture.World) { w.GitHub.FailNext(100, 502) },
			code: 0, result: "warn", findings: []string{"api-error:warning"}},
		{name: "one 5xx is retried", token: fixture.Healthy, args: []string{"--scopes", "repo"}, setup: func(w *fixture.World) { w.GitHub.FailNext(1, 503) },
			code: 0, result: "pass", findings: []string{"scope-excess:notice"}},
		{name: "API unreachable", token: fixture.Healthy, args: []string{"--api-url", "http://127.0.0.1:1"},
			code: 3, result: "error", findings: []string{"api-error:error"}},

		// Under GitHub Actions.
		{name: "actions: healthy token", fe: "actions", token: fixture.Healthy, inputs: map[string]string{"scopes": "repo, workflow"},
			code: 0, result: "pass", findings: []string{"scope-excess:notice"}, outputs: map[string]string{"result": "pass", "valid": "true", "token-type": "classic", "login": "octocat", "days-left": "60", "missing": ""}},
		{name: "actions: missing scope", fe: "actions", token: fixture.NoWorkflow, inputs: map[string]string{"scopes": "repo\nread:org\nworkflow"},
			code: 1, result: "fail", findings: []string{"scope-missing:error"}, outputs: map[string]string{"result": "fail", "missing": "workflow", "scopes": "repo,read:org"}},
		{name: "actions: GITHUB_TOKEN with the permission", fe: "actions", token: fixture.Job, inputs: map[string]string{"permissions": "contents:read"},
			code: 0, result: "pass", outputs: map[string]string{"token-type": "github-app-installation", "valid": "true"}},
		{name: "actions: GITHUB_TOKEN without the permission", fe: "actions", token: fixture.Job, inputs: map[string]string{"permissions": "pull-requests:write"},
			code: 1, result: "fail", findings: []string{"permission-missing:error"}, outputs: map[string]string{"missing": "pull_requests:write@octo/private"},
			want: []string{"pull-requests: write"}},
		{name: "actions: GITHUB_TOKEN outside its repository", fe: "actions", token: fixture.Job, inputs: map[string]string{"repositories": "octo/lib"},
			code: 1, result: "fail", findings: []string{"repository-inaccessible:error"}},
		{name: "actions: unexpanded secret", fe: "actions", token: "${{ secrets.GH_PAT }}",
			code: 1, result: "fail", findings: []string{"token-unexpanded:error"}, offline: true, want: []string{"${{ secrets.GH_PAT }}"}},
		{name: "actions: empty token", fe: "actions", token: "",
			code: 1, result: "fail", findings: []string{"token-missing:error"}, outputs: map[string]string{"result": "fail", "valid": "false"}, offline: true},
		{name: "actions: invalid input", fe: "actions", token: fixture.Healthy, inputs: map[string]string{"min-days-left": "soon", "on-api-error": "ignore"},
			code: 2, result: "error", findings: []string{"config-invalid:error", "config-invalid:error"}, want: []string{"min-days-left", "on-api-error"}, offline: true},
		{name: "actions: 5xx with on-api-error warn", fe: "actions", token: fixture.Healthy, inputs: map[string]string{"on-api-error": "warn"}, setup: func(w *fixture.World) { w.GitHub.FailNext(100, 503) },
			code: 0, result: "warn", findings: []string{"api-error:warning"}, outputs: map[string]string{"result": "warn"}},

		// Under Azure Pipelines, a GitHub token.
		{name: "azure: GitHub token passing", fe: "azure", token: fixture.Healthy, inputs: map[string]string{"scopes": "repo"},
			code: 0, result: "pass", findings: []string{"scope-excess:notice"}, outputs: map[string]string{"result": "pass", "token-type": "classic", "days-left": "60"}},
		{name: "azure: GitHub token expiring", fe: "azure", token: fixture.Expiring, inputs: map[string]string{"minDaysLeft": "10"},
			code: 1, result: "fail", findings: []string{"token-expiring:error"}, outputs: map[string]string{"result": "fail", "days-left": "5"}},
		{name: "azure: unexpanded variable", fe: "azure", token: "$(GITHUB_PAT)",
			code: 1, result: "fail", findings: []string{"token-unexpanded:error"}, offline: true, want: []string{"$(GITHUB_PAT) was never set"}},
		{name: "azure: empty token is not blamed on the options", fe: "azure", token: "", inputs: map[string]string{"scopes": "repo"},
			code: 1, result: "fail", findings: []string{"token-missing:error"}, offline: true},
		{name: "azure: empty token and an input invalid for any provider", fe: "azure", token: "", inputs: map[string]string{"scopes": "repo", "minDaysLeft": "x"},
			code: 2, result: "error", findings: []string{"config-invalid:error"}, want: []string{"minDaysLeft"}, offline: true},
		{name: "azure: invalid input names the task input", fe: "azure", token: fixture.Healthy, inputs: map[string]string{"warnDaysLeft": "-"},
			code: 2, result: "error", findings: []string{"config-invalid:error"}, want: []string{"warnDaysLeft"}, offline: true},

		// Azure DevOps.
		{name: "ado: valid, scopes told by the header", ado: true, token: fixture.AzureValid, args: []string{"--organization", "{org}", "--scopes", "vso.code"},
			code: 0, result: "pass", findings: []string{"scope-excess:notice", "token-expiry-unknown:notice"}, want: []string{`"tokenType": "azure-devops"`, `"vso.code_write"`},
			setup: func(w *fixture.World) { w.Azure.SetScopesHeader(true) }},
		{name: "ado: scope missing by probe", ado: true, token: fixture.AzureReader, args: []string{"--organization", "{org}", "--project", "Web", "--scopes", "vso.code,vso.build"},
			code: 1, result: "fail", findings: []string{"scope-missing:error", "token-expiry-unknown:notice"}, want: []string{`"vso.build"`}},
		{name: "ado: write scope missing, proven by a write probe", ado: true, token: fixture.AzureReader, args: []string{"--organization", "{org}", "--scopes", "vso.code_write"},
			code: 1, result: "fail", findings: []string{"scope-missing:error", "token-expiry-unknown:notice"}},
		// The provider says what a token of unrecognised format is: for
		// Azure DevOps, one of its own, checked and reported as such.
		{name: "ado: a token of unrecognised format is the provider's kind", ado: true, token: fixture.AzureOdd,
			args: []string{"--provider", "azure-devops", "--organization", "{org}", "--scopes", "vso.code"},
			code: 0, result: "pass", findings: []string{"token-expiry-unknown:notice"}, want: []string{`"tokenType": "azure-devops"`}},
		{name: "ado: invalid token", ado: true, token: fixture.AzureStranger, args: []string{"--organization", "{org}"},
			code: 1, result: "fail", findings: []string{"token-invalid:error"}},
		{name: "ado: expired token", ado: true, token: fixture.AzureExpired, args: []string{"--organization", "{org}"},
			code: 1, result: "fail", findings: []string{"token-expired:error"}},
		{name: "ado: expiry from the token list", ado: true, token: fixture.AzureNightly, args: []string{"--provider", "azure-devops", "--organization", "{org}", "--token-name", "nightly"},
			code: 0, result: "warn", findings: []string{"token-expiry-warning:warning"}, want: []string{`"expirySource": "token-list"`, `"daysLeft": 5`},
			setup: func(w *fixture.World) { w.Azure.SetTokenList(true) }},
		{name: "ado: unreachable organization", ado: true, token: fixture.AzureValid, args: []string{"--organization", "http://127.0.0.1:1/contoso"},
			code: 3, result: "error", findings: []string{"api-error:error"}},
		{name: "ado: unknown organization", ado: true, token: fixture.AzureValid, args: []string{"--organization", "{org}-nope"},
			code: 3, result: "error", findings: []string{"api-error:error"}, want: []string{"answered 404"}},
		{name: "ado: in Azure Pipelines, the run's organization and the token list", fe: "azure", ado: true, token: fixture.AzureValid,
			inputs: map[string]string{"scopes": "vso.code, vso.build", "tokenName": "release"}, setup: func(w *fixture.World) { w.Azure.SetTokenList(true) },
			code: 0, result: "pass", findings: []string{"scope-excess:notice"}, outputs: map[string]string{"result": "pass", "token-type": "azure-devops", "login": "Dana Dev", "days-left": "50"}},
		{name: "ado: in Azure Pipelines, expired", fe: "azure", ado: true, token: fixture.AzureExpired,
			code: 1, result: "fail", findings: []string{"token-expired:error"}, outputs: map[string]string{"result": "fail"}},

		// A login that tries to forge commands, outputs and variables:
		// runMain reads every run as the runners do.
		{name: "a hostile login forges nothing on the command line", token: fixture.Evil, text: true,
			code: 0, noReport: true},
		{name: "actions: a hostile login forges nothing", fe: "actions", token: fixture.Evil,
			code: 0, result: "pass", outputs: map[string]string{"result": "pass"}},
		{name: "azure: a hostile login forges nothing", fe: "azure", token: fixture.Evil,
			code: 0, result: "pass", outputs: map[string]string{"result": "pass"}},

		// Subcommands and help.
		{name: "version", args: []string{"version"}, noReport: true, code: 0, want: []string{"pat-check "}},
		{name: "help", args: []string{"--help"}, noReport: true, code: 0, want: []string{"Exit codes:"}},
		// demo is package demo's subcommand (cmd/pat-check dispatches it);
		// its tests are in internal/demo.
	}
}
