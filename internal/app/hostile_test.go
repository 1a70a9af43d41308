package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/scrub"
	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// The tests in this file drive the pipeline with servers written to
// misbehave and with hostile option values, in every front-end. Each keeps
// a promise of SECURITY.md.

// hostileAPI serves handle and counts the requests it gets.
func hostileAPI(t testing.TB, handle http.HandlerFunc) (string, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		handle(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// frontEnds are the ways a run is started, as runEach starts them.
var frontEnds = []string{"actions", "azure", "cli", "cli-json"}

// runIn runs Main in front-end fe with the token and options (canonical
// names; "report-path" is added when absent; "env:NAME" sets a variable) and returns what every channel
// received: stdout (without the commands that register the token's forms),
// stderr, the report file, and GITHUB_OUTPUT and GITHUB_STEP_SUMMARY or the
// uploaded Azure summary.
func runIn(t testing.TB, ctx context.Context, fe, tok string, opts map[string]string, w World) (int, channels) {
	t.Helper()
	dir := t.TempDir()
	opts = copyOf(opts)
	if _, ok := opts["report-path"]; !ok {
		opts["report-path"] = filepath.Join(dir, "report.json")
	}
	extra := map[string]string{} // "env:NAME" options are variables of the environment
	for k, v := range opts {
		if name, ok := strings.CutPrefix(k, "env:"); ok {
			extra[name] = v
			delete(opts, k)
		}
	}
	env := map[string]string{}
	var args []string
	files := map[string]string{"report-path": opts["report-path"]}
	switch fe {
	case "actions":
		files["GITHUB_OUTPUT"], files["GITHUB_STEP_SUMMARY"] = filepath.Join(dir, "output"), filepath.Join(dir, "summary")
		env = map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": tok, "GITHUB_OUTPUT": files["GITHUB_OUTPUT"], "GITHUB_STEP_SUMMARY": files["GITHUB_STEP_SUMMARY"]}
		for k, v := range opts {
			env["INPUT_"+strings.ToUpper(k)] = v
		}
	case "azure":
		env = map[string]string{"TF_BUILD": "True", "INPUT_TOKEN": tok, "AGENT_TEMPDIRECTORY": dir}
		for k, v := range opts {
			o, _ := config.Lookup(k)
			env["INPUT_"+strings.ToUpper(o.Task)] = v
		}
	case "cli", "cli-json":
		env = map[string]string{"PAT_CHECK_TOKEN": tok}
		for k, v := range opts {
			o, _ := config.Lookup(k)
			args = append(args, "--"+o.Flag+"="+v)
		}
		if fe == "cli-json" {
			args = append(args, "--format", "json")
		}
	default:
		t.Fatalf("no front-end %s", fe)
	}
	for k, v := range extra {
		env[k] = v
	}
	// Locked: with w.StandardLogger a connection's reader may still log
	// to stderr after Main has returned.
	var out, errb lockedBuffer
	code := Main(ctx, args, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, w)
	var kept []string
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if !strings.HasPrefix(line, "::add-mask::") && !strings.HasPrefix(line, "##vso[task.setsecret]") {
			kept = append(kept, line)
		}
	}
	ch := channels{"stdout": strings.Join(kept, ""), "stderr": errb.String()}
	if fe == "azure" {
		if _, rest, ok := strings.Cut(ch["stdout"], "##vso[task.uploadsummary]"); ok {
			files["summary"], _, _ = strings.Cut(rest, "\n")
		}
	}
	for name, path := range files {
		if b, err := os.ReadFile(path); err == nil {
			ch[name] = string(b)
		}
	}
	return code, ch
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func copyOf(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

// pieceIn returns where text holds some scrub.MinWindow characters of tok
// in a row, in any letter case, forwards or reversed; -1 when nowhere. It
// is the promise, checked independently of the scrubber.
func pieceIn(tok, text string) int {
	low := strings.ToLower(text)
	b := []byte(strings.ToLower(tok))
	rev := slices.Clone(b)
	slices.Reverse(rev)
	for _, t := range []string{string(b), string(rev)} {
		for i := 0; i+scrub.MinWindow <= len(t); i++ {
			if at := strings.Index(low, t[i:i+scrub.MinWindow]); at >= 0 {
				return at
			}
		}
	}
	return -1
}

// assertNoPiece fails when a channel holds a piece of tok; it names the
// channel and the offset, never the piece.
func assertNoPiece(t testing.TB, tok string, ch channels) {
	t.Helper()
	for name, text := range ch {
		if at := pieceIn(tok, text); at >= 0 {
			t.Errorf("%s holds %d characters of the token at byte %d", name, scrub.MinWindow, at)
		}
	}
}

// reportOf decodes the report file (or the JSON on stdout).
func reportOf(t testing.TB, ch channels) (r struct {
	Result   string `json:"result"`
	Valid    bool   `json:"valid"`
	Login    string `json:"login"`
	Findings []struct {
		Code     string `json:"code"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
		Fix      string `json:"fix"`
		URL      string `json:"url"`
	} `json:"findings"`
}) {
	t.Helper()
	text, ok := ch["report-path"]
	if !ok {
		text = ch["stdout"]
	}
	if err := json.Unmarshal([]byte(text), &r); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, text)
	}
	return r
}

func (ch channels) all() string {
	var b strings.Builder
	for _, v := range ch {
		b.WriteString(v)
		b.WriteString("\n")
	}
	return b.String()
}

func codesOf(t testing.TB, ch channels) []string {
	var codes []string
	for _, f := range reportOf(t, ch).Findings {
		codes = append(codes, f.Code)
	}
	return codes
}

// Case 2: a server that sends pieces of the token back, in a login, an
// error message cut to length, a scopes header (lower-cased), an
// accepted-permissions header and an SSO organization, gets none of them
// printed, in any channel of any front-end.
func TestPiecesOfTheTokenFromTheServerNeverShow(t *testing.T) {
	t.Parallel()
	tok := simulate.ClassicToken("echoed")
	api, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/user":
			h.Set("X-OAuth-Scopes", "repo, "+strings.ToLower(tok))
			h.Set("GitHub-Authentication-Token-Expiration", time.Now().Add(60*24*time.Hour).UTC().Format("2006-01-02 15:04:05 UTC"))
			fmt.Fprintf(w, `{"login": "octo-%s", "id": 1}`, tok[4:30])
		case strings.HasPrefix(r.URL.Path, "/repos/"):
			h.Set("X-Accepted-GitHub-Permissions", "contents=read, "+tok[:30]+"=write")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"message": "Resource not accessible by %s%s"}`, strings.Repeat("x", 270), tok)
		case strings.HasPrefix(r.URL.Path, "/orgs/"):
			h.Set("X-GitHub-SSO", "required; url=https://github.com/orgs/"+tok[2:34]+"/sso?authorization_request=1")
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprint(w, `{"message": "Resource protected by organization SAML enforcement."}`)
		default:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message": "Not Found"}`)
		}
	})
	for _, fe := range frontEnds {
		t.Run(fe, func(t *testing.T) {
			t.Parallel()
			code, ch := runIn(t, context.Background(), fe, tok, map[string]string{
				"api-url": api, "scopes": "repo,workflow", "repositories": "octo/app", "organization": "octo-org",
			}, World{})
			if code != 1 {
				t.Errorf("exit %d, want 1 (missing scope, unreachable repository, SSO)", code)
			}
			assertNoPiece(t, tok, ch)
			if !strings.Contains(ch.all(), scrub.Withheld) {
				t.Errorf("no channel says that something was withheld:\n%s", ch.all())
			}
		})
	}
}

// Case 3: a value too short to be a token is malformed offline, before
// anything is sent, and the JSON report stays JSON (a token of "true" once
// made "valid": ***).
func TestAShortTokenIsMalformedOfflineAndTheReportStaysJSON(t *testing.T) {
	t.Parallel()
	api, requests := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"message": "Bad credentials"}`)
	})
	for _, tok := range []string{"true", "false", "null", "valid", "pass", "error", "token-malformed"} {
		for _, fe := range frontEnds {
			code, ch := runIn(t, context.Background(), fe, tok, map[string]string{"api-url": api, "provider": "github"}, World{})
			if code != 1 || !slices.Contains(codesOf(t, ch), "token-malformed") {
				t.Errorf("%s, token %q: exit %d, findings %v; want 1 and token-malformed", fe, tok, code, codesOf(t, ch))
			}
			if fe == "cli-json" && !json.Valid([]byte(ch["stdout"])) {
				t.Errorf("token %q: stdout is not JSON:\n%s", tok, ch["stdout"])
			}
		}
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests were sent with a value too short to be a token", n)
	}
}

// Case 13: a port out of range is an invalid option, in every front-end,
// for the GitHub API URL and an Azure DevOps organization URL alike.
func TestAPortOutOfRangeIsAnInvalidOption(t *testing.T) {
	t.Parallel()
	for _, fe := range frontEnds {
		for _, opts := range []map[string]string{
			{"api-url": "http://127.0.0.1:99999"},
			{"provider": "azure-devops", "organization": "http://127.0.0.1:99999/contoso"},
		} {
			tok := simulate.ClassicToken("port")
			if opts["provider"] != "" {
				tok = simulate.CurrentAzurePAT("port")
			}
			code, ch := runIn(t, context.Background(), fe, tok, opts, World{})
			if code != 2 || !slices.Contains(codesOf(t, ch), "config-invalid") {
				t.Errorf("%s %v: exit %d, findings %v; want 2 and config-invalid", fe, opts, code, codesOf(t, ch))
			}
		}
	}
}

// Case 4: a server that sends tens of thousands of scopes cannot keep the
// run past its deadline (the minimal scope set for links was once
// quadratic: 10,000 scopes took 30 s).
func TestThousandsOfScopesStayWithinTheDeadline(t *testing.T) {
	t.Parallel()
	var scopes strings.Builder
	scopes.WriteString("repo")
	for i := range 10000 {
		fmt.Fprintf(&scopes, ", s%d", i)
	}
	api, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-OAuth-Scopes", scopes.String())
		fmt.Fprint(w, `{"login": "octocat", "id": 1}`)
	})
	const timeout = 2 * time.Second
	done := make(chan int, 1)
	start := time.Now()
	go func() {
		code, _ := runIn(t, context.Background(), "cli", simulate.ClassicToken("many"), map[string]string{
			"api-url": api, "scopes": "repo,workflow", "timeout": "2"}, World{})
		done <- code
	}()
	select {
	case code := <-done:
		if code != 1 {
			t.Errorf("exit %d, want 1 (workflow is missing)", code)
		}
	case <-time.After(timeout + 5*time.Second):
		t.Fatalf("still running %s after a timeout of %s", time.Since(start).Round(time.Second), timeout)
	}
}

// Case 5: a classic or OAuth token's answer without X-OAuth-Scopes (a
// proxy stripped it), or a body that is not a user, is inconclusive
// (api-error, exit 3), never a pass.
func TestAnAnswerThatIsNotGitHubsIsInconclusive(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, tok, body string
		scopes          bool
	}{
		{"empty object, no scopes header", simulate.ClassicToken("fail-open"), `{}`, false},
		{"null, no scopes header", simulate.ClassicToken("fail-open"), `null`, false},
		{"null with scopes", simulate.ClassicToken("fail-open"), `null`, true},
		{"empty object with scopes", simulate.ClassicToken("fail-open"), `{}`, true},
		{"a user without scopes header", simulate.ClassicToken("fail-open"), `{"login": "octocat", "id": 1}`, false},
		{"an OAuth token without scopes header", "gho_" + strings.Repeat("a1B2", 9), `{"login": "octocat", "id": 1}`, false},
		{"a fine-grained token, empty object", simulate.FineGrainedToken("fail-open"), `{}`, false},
		{"a fine-grained token, an array", simulate.FineGrainedToken("fail-open"), `[{"login": "octocat"}]`, false},
	}
	for _, c := range cases {
		api, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
			if c.scopes {
				w.Header().Set("X-OAuth-Scopes", "repo, workflow")
			}
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, c.body)
		})
		for _, fe := range frontEnds {
			code, ch := runIn(t, context.Background(), fe, c.tok, map[string]string{"api-url": api, "scopes": "repo"}, World{})
			if code != 3 || !slices.Contains(codesOf(t, ch), "api-error") || reportOf(t, ch).Result != "error" {
				t.Errorf("%s, %s: exit %d, result %q, findings %v; want 3, error and api-error", c.name, fe, code, reportOf(t, ch).Result, codesOf(t, ch))
			}
		}
	}
}

// Case 6: a policy URL the server names is offered only on the server's
// own host, cleaned; an organization refusal that names another host gets
// no link from it.
func TestAPolicyLinkFromTheServerStaysOnItsHost(t *testing.T) {
	t.Parallel()
	const evil = "https://evil.example/settings/personal-access-tokens"
	api, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/user":
			w.Header().Set("X-OAuth-Scopes", "repo")
			fmt.Fprint(w, `{"login": "octocat", "id": 1}`)
		default:
			w.WriteHeader(http.StatusForbidden)
			fmt.Fprintf(w, `{"message": "`+"`octo-org`"+` forbids access via a personal access token. See %s/1\u001b[31m for details."}`, evil)
		}
	})
	for _, fe := range frontEnds {
		code, ch := runIn(t, context.Background(), fe, simulate.ClassicToken("policy"), map[string]string{"api-url": api, "organization": "octo-org"}, World{})
		if code != 1 || !slices.Contains(codesOf(t, ch), "organization-policy") {
			t.Errorf("%s: exit %d, findings %v", fe, code, codesOf(t, ch))
		}
		for _, f := range reportOf(t, ch).Findings {
			if strings.Contains(f.URL, "evil.example") || strings.Contains(f.Fix, "evil.example") || strings.ContainsAny(f.URL, "\x1b") {
				t.Errorf("%s: %s offers %q\n%s", fe, f.Code, f.URL, f.Fix)
			}
		}
	}
}

// forged is text that would be a command to a runner or an agent: every
// header (the part a runner acts on) names FORGED, so that a command pat-
// check writes itself, which may quote it as data, is told apart.
const forged = "a\r::FORGED::x\n::error title=FORGED::x\r  ::set-env name=FORGED::x\u00a0##[FORGED]x ##vso[task.FORGED]x ##VSO[task.setvariable variable=FORGED]x"

// forgedCommands returns the commands in text that a GitHub runner or an
// Azure agent would act on and that pat-check did not write: a line (a
// runner breaks lines at \n and at \r) whose header starts "::" and names
// FORGED, "##[" anywhere, or "##vso[" (any case) anywhere but at the start
// of a line where pat-check writes its own logging commands (Azure stdout).
func forgedCommands(text string, azureStdout bool) []string {
	var found []string
	for _, nl := range strings.Split(text, "\n") {
		for i, seg := range strings.Split(nl, "\r") {
			trimmed := strings.TrimLeftFunc(seg, func(r rune) bool { return r == ' ' || r == '\t' || r == '\u00a0' || r == '\u2003' })
			if rest, ok := strings.CutPrefix(trimmed, "::"); ok {
				header, _, _ := strings.Cut(rest, "::")
				if strings.Contains(header, "FORGED") {
					found = append(found, "workflow command "+trimmed)
				}
			}
			if strings.Contains(seg, "##[") {
				found = append(found, "legacy command in "+seg)
			}
			low := strings.ToLower(seg)
			for at := strings.Index(low, "##vso["); at >= 0; {
				if !(azureStdout && i == 0 && at == 0 && !strings.Contains(strings.SplitN(seg, "]", 2)[0], "FORGED")) {
					found = append(found, "logging command in "+seg)
				}
				next := strings.Index(low[at+1:], "##vso[")
				if next < 0 {
					break
				}
				at += 1 + next
			}
		}
	}
	return found
}

func assertNoForgedCommand(t testing.TB, fe string, ch channels) {
	t.Helper()
	for _, name := range []string{"stdout", "stderr"} {
		for _, c := range forgedCommands(ch[name], fe == "azure" && name == "stdout") {
			t.Errorf("%s %s forms a command: %q", fe, name, c)
		}
	}
}

// Cases 7 and 8: no option value and no text from the network forms a
// GitHub workflow command or an Azure logging command, in any front-end
// (a container step has neither GITHUB_ACTIONS nor TF_BUILD, yet its log
// is parsed) and on either stream: a bare \r starts a line for a runner.
func TestNoCommandFromAnOptionOrTheServer(t *testing.T) {
	t.Parallel()
	api, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.URL.Path == "/user":
			w.Header().Set("X-OAuth-Scopes", "repo")
			login, _ := json.Marshal("octo" + forged)
			fmt.Fprintf(w, `{"login": %s, "id": 1}`, login)
		default:
			w.WriteHeader(http.StatusForbidden)
			msg, _ := json.Marshal("Resource not accessible" + forged)
			fmt.Fprintf(w, `{"message": %s}`, msg)
		}
	})
	name := "n\r::FORGED::x ##vso[task.FORGED]"
	// A report path in a missing directory is quoted on stderr; one with a
	// line break in it is an invalid option, quoted in the finding.
	missing := filepath.Join(t.TempDir(), "missing", "::error title=FORGED::x ##vso[task.FORGED]x ##[FORGED]")
	broken := "r\r::error title=FORGED::x\n##vso[task.FORGED]x"
	for _, fe := range frontEnds {
		for _, report := range []string{missing, broken} {
			_, ch := runIn(t, context.Background(), fe, simulate.ClassicToken("forge"), map[string]string{
				"api-url": api, "scopes": "repo,workflow", "repositories": "octo/app", "token-name": name, "report-path": report,
			}, World{})
			assertNoForgedCommand(t, fe, ch)
			if !strings.Contains(ch["stdout"]+ch["stderr"], "FORGED") {
				t.Errorf("%s: the hostile text was not quoted at all, so the test proves nothing:\n%v", fe, ch)
			}
		}
	}
}

// Case 9: what is echoed from an option is cut, saying how long it was.
func TestLongOptionValuesAreCutWhenEchoed(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("s", 120000)
	var many strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&many, "bad-scope-%d,", i)
	}
	for _, opts := range []map[string]string{
		{"scopes": long},
		{"scopes": many.String()},
		{"permissions": long + ":write"},
		{"repositories": long},
		{"min-days-left": long},
		{"token-types": long},
		{"api-url": "https://" + long},
		{"provider": "azure-devops", "scopes": long},
		{"provider": "azure-devops", "organization": long},
	} {
		for _, fe := range frontEnds {
			tok := simulate.ClassicToken("long")
			if opts["provider"] != "" {
				tok = simulate.CurrentAzurePAT("long")
			}
			code, ch := runIn(t, context.Background(), fe, tok, opts, World{})
			if code != 2 {
				t.Errorf("%s, %.40s: exit %d, want 2", fe, opts, code)
			}
			total := 0
			for _, v := range ch {
				total += len(v)
			}
			if total > 40000 {
				t.Errorf("%s, %.40s: %d bytes written for one invalid option", fe, opts, total)
			}
			if len(opts["scopes"]) == len(long) && !strings.Contains(ch["stdout"]+ch["stderr"], "120000 characters") {
				t.Errorf("%s: the message does not say how long the value was:\n%.2000s", fe, ch["stdout"])
			}
		}
	}
}

// healthyAPI is the shared simulated world on the real clock, its GitHub
// answering after latency, and its healthy classic token.
func healthyAPI(t testing.TB, latency time.Duration) (api, tok string) {
	t.Helper()
	w := fixture.New(t, fixture.Options{Now: time.Now()})
	w.GitHub.SetLatency(latency)
	return w.API, fixture.Healthy
}

// Case 10: the report replaces whatever is at its path (a planted symlink
// is replaced, never followed), through a temporary file in the same
// directory, and leaves nothing else behind.
func TestTheReportIsWrittenAtomicallyNeverThroughALink(t *testing.T) {
	t.Parallel()
	api, tok := healthyAPI(t, 0)
	for _, fe := range frontEnds {
		dir := t.TempDir()
		victim := filepath.Join(t.TempDir(), "victim")
		if err := os.WriteFile(victim, []byte("keep"), 0o600); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "report.json")
		if err := os.Symlink(victim, path); err != nil {
			t.Skipf("no symlinks here: %v", err)
		}
		code, ch := runIn(t, context.Background(), fe, tok, map[string]string{"api-url": api, "report-path": path}, World{})
		if code != 0 {
			t.Errorf("%s: exit %d\n%s", fe, code, ch["stderr"])
		}
		if b, _ := os.ReadFile(victim); string(b) != "keep" {
			t.Errorf("%s: the report was written through the link into its target", fe)
		}
		st, err := os.Lstat(path)
		if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o600 {
			t.Errorf("%s: the report path is not a private regular file: %v %v", fe, st.Mode(), err)
		}
		if r := reportOf(t, ch); r.Result != "pass" {
			t.Errorf("%s: report result %q", fe, r.Result)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("%s: left behind %v", fe, entries)
		}
	}
}

// Case 10: a report that cannot be written is an error (exit 3, result
// error, finding report-unwritten), whatever on-api-error says: the job
// asked for the file. A path with a line break in it is an invalid option.
func TestAnUnwritableReportIsAnError(t *testing.T) {
	t.Parallel()
	api, tok := healthyAPI(t, 0)
	for _, fe := range frontEnds {
		for _, warn := range []string{"fail", "warn"} {
			path := filepath.Join(t.TempDir(), "missing", "report.json")
			code, ch := runIn(t, context.Background(), fe, tok, map[string]string{"api-url": api, "report-path": path, "on-api-error": warn}, World{})
			if code != 3 {
				t.Errorf("%s, on-api-error %s: exit %d, want 3", fe, warn, code)
			}
			if _, err := os.Stat(path); err == nil {
				t.Fatalf("%s: the report exists", fe)
			}
			switch fe {
			case "cli-json":
				if r := reportOf(t, ch); r.Result != "error" || !slices.Contains(codesOf(t, ch), "report-unwritten") {
					t.Errorf("%s: result %q findings %v", fe, r.Result, codesOf(t, ch))
				}
			case "actions":
				if !strings.Contains(ch["GITHUB_OUTPUT"], "result<<") || !strings.Contains(ch["GITHUB_OUTPUT"], "\nerror\n") || !strings.Contains(ch["stdout"], "::report-unwritten: ") {
					t.Errorf("%s: outputs %s\nstdout %s", fe, ch["GITHUB_OUTPUT"], ch["stdout"])
				}
			case "azure":
				if !strings.Contains(ch["stdout"], "##vso[task.setvariable variable=result;isOutput=true]error") || !strings.Contains(ch["stdout"], "code=report-unwritten") {
					t.Errorf("%s: stdout %s", fe, ch["stdout"])
				}
			}
		}
		path := filepath.Join(t.TempDir(), "report\n.json")
		if code, _ := runIn(t, context.Background(), fe, tok, map[string]string{"api-url": api, "report-path": path}, World{}); code != 2 {
			t.Errorf("%s: a report path with a line break: exit %d, want 2", fe, code)
		}
	}
}

// Case 11: a cancelled run (SIGTERM or SIGINT cancel Main's context) stops
// its requests and still writes outputs and the report, with result error
// and the finding cancelled, exit 3 whatever on-api-error says.
func TestACancelledRunSaysSo(t *testing.T) {
	t.Parallel()
	api, tok := healthyAPI(t, 3*time.Second)
	for _, fe := range frontEnds {
		for _, warn := range []string{"fail", "warn"} {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(100*time.Millisecond, cancel)
			start := time.Now()
			code, ch := runIn(t, ctx, fe, tok, map[string]string{"api-url": api, "scopes": "repo", "on-api-error": warn}, World{})
			cancel()
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("%s: the run went on for %s after it was cancelled", fe, took)
			}
			r := reportOf(t, ch)
			if code != 3 || r.Result != "error" || !slices.Equal(codesOf(t, ch), []string{"cancelled"}) {
				t.Errorf("%s, on-api-error %s: exit %d, result %q, findings %v; want 3, error, [cancelled]", fe, warn, code, r.Result, codesOf(t, ch))
			}
		}
	}
}
