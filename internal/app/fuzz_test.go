package app

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"log"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/config"
	"github.com/pat-check/pat-check/internal/simulate"
)

// fuzzTokens are the tokens FuzzPipeline checks, one of each shape, with
// the options that make the run ask the most of the server.
var fuzzTokens = []struct {
	tok  string
	opts func(api string) map[string]string
}{
	{simulate.ClassicToken("fuzz"), func(api string) map[string]string {
		return map[string]string{"api-url": api, "scopes": "repo,workflow", "repositories": "octo/app", "organization": "octo-org"}
	}},
	{simulate.FineGrainedToken("fuzz"), func(api string) map[string]string {
		return map[string]string{"api-url": api, "permissions": "contents:write,discussions:read,repository_hooks:write", "repositories": "octo/app"}
	}},
	{simulate.InstallationToken("fuzz"), func(api string) map[string]string {
		return map[string]string{"api-url": api, "permissions": "contents:read", "repositories": "octo/app"}
	}},
	{simulate.CurrentAzurePAT("fuzz"), func(api string) map[string]string {
		return map[string]string{"provider": "azure-devops", "organization": api + "/contoso", "project": "Web", "scopes": "vso.code,vso.build_execute", "token-name": "fuzz"}
	}},
}

// expand replaces the markers in text from the fuzzer with the token and
// its pieces and encodings, so that the corpus can make the server send
// them back without knowing the token: {T} the token, {P} a piece of 20,
// {U} and {L} it in upper and lower case, {R} reversed, {H} hex of a
// piece, {%} a piece percent-encoded, {B} base64 of ":token".
func expand(text, tok string) string {
	if !strings.Contains(text, "{") {
		return text
	}
	rev := []byte(tok)
	slices.Reverse(rev)
	var pct strings.Builder
	for _, c := range []byte(tok[3:23]) {
		fmt.Fprintf(&pct, "%%%02X", c)
	}
	return strings.NewReplacer(
		"{T}", tok, "{P}", tok[5:25], "{U}", strings.ToUpper(tok), "{L}", strings.ToLower(tok), "{R}", string(rev),
		"{H}", hex.EncodeToString([]byte(tok[2:22])), "{%}", pct.String(), "{B}", base64.StdEncoding.EncodeToString([]byte(":"+tok)),
	).Replace(text)
}

// fuzzAnswer is what the fuzzed server answers to every request.
type fuzzAnswer struct {
	status  int
	headers [][2]string
	body    string
}

// Commands pat-check writes itself, at the start of a line. An annotation's
// title is words whose ':' ',' and line breaks the runner's escaping turns
// into %3A %2C %0A, so it holds no raw ':' that could end it early.
var (
	ownWorkflowCommand = regexp.MustCompile(`^::(add-mask|error|warning|notice)( title=[^:\r\n]*)?::`)
	ownLoggingCommand  = regexp.MustCompile(`^##vso\[(task\.setsecret|task\.issue type=(error|warning)(;code=[a-z-]+)?|task\.setvariable variable=[A-Za-z]+;isOutput=true|task\.uploadsummary|task\.complete result=(Succeeded|SucceededWithIssues|Failed))\]`)
)

// commandsNotOurs returns what in a stream a runner or an agent would act
// on that pat-check did not write as a command of its own.
func commandsNotOurs(text string, actions, azure bool) []string {
	var found []string
	for _, nl := range strings.Split(text, "\n") {
		for i, seg := range strings.Split(nl, "\r") {
			t := strings.TrimLeft(seg, " \t\u00a0\u2000\u2001\u2002\u2003\u2009\u3000\v\f\u0085\u2028\u2029\u202f\u205f\u1680")
			if strings.HasPrefix(t, "::") && !(actions && i == 0 && t == seg && ownWorkflowCommand.MatchString(seg)) {
				found = append(found, seg)
			}
			if strings.Contains(seg, "##[") {
				found = append(found, seg)
			}
			low := strings.ToLower(seg)
			if n := strings.Count(low, "##vso["); n > 0 && !(azure && i == 0 && n == 1 && ownLoggingCommand.MatchString(seg)) {
				found = append(found, seg)
			}
		}
	}
	return found
}

// assertOutputs checks that the outputs are exactly the contract's, each
// once, each a single line: nothing from the server formed another.
func assertOutputs(t *testing.T, fe string, ch channels) {
	t.Helper()
	var got []string
	switch fe {
	case "actions":
		lines := strings.Split(strings.TrimSuffix(ch["GITHUB_OUTPUT"], "\n"), "\n")
		for i := 0; i < len(lines); {
			name, delim, ok := strings.Cut(lines[i], "<<")
			if !ok || i+2 >= len(lines) || lines[i+2] != delim {
				t.Fatalf("GITHUB_OUTPUT is not one-line heredocs at line %d:\n%s", i, ch["GITHUB_OUTPUT"])
			}
			got = append(got, name)
			i += 3
		}
		var want []string
		for _, o := range config.Outputs {
			want = append(want, o.Name)
		}
		if !slices.Equal(got, want) {
			t.Errorf("outputs %v, want %v", got, want)
		}
	case "azure":
		for _, line := range strings.Split(ch["stdout"], "\n") {
			if rest, ok := strings.CutPrefix(line, "##vso[task.setvariable variable="); ok {
				name, _, _ := strings.Cut(rest, ";")
				got = append(got, name)
			}
		}
		var want []string
		for _, o := range config.Outputs {
			want = append(want, o.Task)
		}
		if !slices.Equal(got, want) {
			t.Errorf("output variables %v, want %v", got, want)
		}
	}
}

// trailing answers with status, headers and body, then sends after on the
// same connection: bytes no request asked for (after a body, or after a 204
// or 304, which have none).
func trailing(w http.ResponseWriter, a fuzzAnswer, body, after string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", a.status, http.StatusText(a.status))
	for _, h := range a.headers {
		if !strings.EqualFold(h[0], "Content-Length") && !strings.ContainsAny(h[0]+h[1], "\r\n") {
			fmt.Fprintf(buf, "%s: %s\r\n", h[0], h[1])
		}
	}
	if a.status == http.StatusNoContent || a.status == http.StatusNotModified {
		body = ""
	} else {
		fmt.Fprintf(buf, "Content-Length: %d\r\n", len(body))
	}
	fmt.Fprintf(buf, "\r\n%s%s", body, after)
	_ = buf.Flush()
	// Held open a moment, so that the bytes arrive on an idle connection.
	_ = conn.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
	_, _ = buf.ReadByte()
}

// FuzzPipeline runs the whole pipeline, in every front-end, against a
// server whose status, headers and body come from the fuzzer (with markers
// for the token's pieces and encodings, see expand), and with a token-name
// from the fuzzer. Whatever it answers: no panic; an exit code of the
// contract; no piece of the token in any channel, in any case, forwards or
// reversed, or hex-encoded; no workflow or logging command and no output
// that pat-check did not write; and the run ends within its timeout plus
// a small constant.
func FuzzPipeline(f *testing.F) {
	for _, seed := range []struct {
		status        int
		headers, body string
		tokenName     string
		which         uint8
	}{
		{200, "X-OAuth-Scopes: repo, {L}\nGitHub-Authentication-Token-Expiration: 2030-01-01 00:00:00 UTC", `{"login": "octo-{P}", "id": 1}`, "", 0},
		{200, "X-OAuth-Scopes: repo", `{"login": "{U}", "id": 1, "message": "{R}"}`, "", 0},
		{403, "X-Accepted-GitHub-Permissions: contents=read, {P}=write\nX-GitHub-SSO: required; url=https://github.com/orgs/{P}/sso", `{"message": "Resource not accessible {H} {%} {B}"}`, "", 1},
		{200, "", `{"data": {"repository": null}, "errors": [{"type": "FORBIDDEN", "message": "forbids access via a fine-grained personal access tokens if the token's lifetime is greater than 1 days. https://evil.example/\u001b[31m ::error::x ##vso[task.complete result=Succeeded]"}]}`, "a\r::error::x", 1},
		{200, "", `{"total_count": 1, "repositories": [{"full_name": "octo/{T}"}]}`, "", 2},
		{200, "Content-Type: application/json\nx-vss-token-scopes: vso.code {T}", `{"authenticatedUser": {"id": "0d5e1f2a-3b4c-4d5e-8f60-718293a4b5c6", "providerDisplayName": "{P}\n##vso[task.setvariable variable=result]pass"}, "message": "{T}"}`, "n\n::x::y", 3},
		{401, "", `{"message": "Bad credentials {T}", "typeKey": "{P}"}`, "", 3},
		{503, "Retry-After: 100000", `{"message": "down ##[error]x"}`, "", 0},
		{302, "Location: https://evil.example/{T}", ``, "", 0},
		{200, "X-OAuth-Scopes: " + strings.Repeat("s, ", 3000), `{"login": "a\u2028::error::x"}`, "", 0},
		{200, "", `null`, "", 0},
		{500, "", strings.Repeat("{T}", 2000), "", 1},
		{200, "X-OAuth-Scopes: repo", `{"login": "octocat", "id": 1}{+}##vso[task.setvariable variable=PWNED]yes {T} {B}`, "", 0},
		{204, "", `{+}::error::x ##[error]{U}`, "", 2},
	} {
		f.Add(seed.status, seed.headers, seed.body, seed.tokenName, seed.which)
	}

	var mu sync.Mutex
	var answer fuzzAnswer
	api, _ := hostileAPI(f, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		a := answer
		mu.Unlock()
		if body, after, ok := strings.Cut(a.body, "{+}"); ok {
			trailing(w, a, body, after)
			return
		}
		for _, h := range a.headers {
			w.Header().Add(h[0], h[1])
		}
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	})
	// Main points the standard logger at its own scrubbed standard error,
	// as the binary does; anything logged before it has, or around it,
	// would reach the process's real standard error, which this tripwire
	// stands for.
	noSleep := World{Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }, StandardLogger: true}
	var trip lockedBuffer
	log.SetOutput(&trip)
	f.Cleanup(func() { log.SetOutput(os.Stderr) })

	f.Fuzz(func(t *testing.T, status int, headers, body, tokenName string, which uint8) {
		tk := fuzzTokens[int(which)%len(fuzzTokens)]
		if status < 200 || status > 599 {
			status = 200
		}
		a := fuzzAnswer{status: status, body: expand(body, tk.tok)}
		for _, line := range strings.Split(expand(headers, tk.tok), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && k != "" {
				a.headers = append(a.headers, [2]string{strings.TrimSpace(k), strings.TrimSpace(v)})
			}
		}
		mu.Lock()
		answer = a
		mu.Unlock()

		opts := tk.opts(api)
		opts["timeout"] = "1"
		if tokenName != "" {
			opts["token-name"] = expand(tokenName, tk.tok)
		}
		for _, fe := range frontEnds {
			start := time.Now()
			code, ch := runIn(t, context.Background(), fe, tk.tok, opts, noSleep)
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("%s: the run took %s with a timeout of 1 s", fe, took)
			}
			if code < 0 || code > 3 {
				t.Errorf("%s: exit code %d", fe, code)
			}
			assertNoPiece(t, tk.tok, ch)
			if s := trip.String(); s != "" {
				t.Fatalf("%s: the standard logger wrote to the process's standard error (%d bytes)", fe, len(s))
			}
			hexTok := hex.EncodeToString([]byte(tk.tok))
			for name, text := range ch {
				low := strings.ToLower(text)
				for i := 0; i+24 <= len(hexTok); i += 2 {
					if strings.Contains(low, hexTok[i:i+24]) {
						t.Errorf("%s %s holds a hex-encoded piece of the token", fe, name)
						break
					}
				}
			}
			for _, name := range []string{"stdout", "stderr"} {
				if c := commandsNotOurs(ch[name], fe == "actions" && name == "stdout", fe == "azure" && name == "stdout"); len(c) > 0 {
					t.Errorf("%s %s: commands pat-check did not write: %q", fe, name, c)
				}
			}
			if code != 2 {
				assertOutputs(t, fe, ch)
			}
		}
	})
}
