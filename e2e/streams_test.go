package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/pat-check/pat-check/internal/simulate"
)

// A server that sends bytes after a response (extra bytes after a body, or
// a 204 with a body) makes net/http report them through Go's standard
// logger, quoting them: the Authorization header the server echoes, a
// forged logging command. Every byte of both streams of the real binary is
// read: the token in no form and no piece, no command pat-check did not
// write, no control character but the line break.
func TestBytesAfterAnAnswerReachNoStreamRaw(t *testing.T) {
	t.Parallel()
	tok := simulate.ClassicToken("trailing")
	for _, mode := range []string{"extra bytes after the body", "204 with a body"} {
		api := trailingServer(t, mode)
		for _, fe := range []string{"actions", "azure", "cli"} {
			t.Run(mode+" "+fe, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				var env map[string]string
				var args []string
				switch fe {
				case "actions":
					env = map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": filepath.Join(dir, "out"), "INPUT_TOKEN": tok,
						"INPUT_API-URL": api, "INPUT_SCOPES": "repo", "INPUT_TIMEOUT": "5"}
				case "azure":
					env = map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": dir, "INPUT_TOKEN": tok, "INPUT_PROVIDER": "github",
						"INPUT_APIURL": api, "INPUT_SCOPES": "repo", "INPUT_TIMEOUT": "5"}
				case "cli":
					env = map[string]string{"PAT_CHECK_TOKEN": tok}
					args = []string{"--api-url", api, "--scopes", "repo", "--timeout", "5"}
				}
				r := run(t, env, "", args...)
				for _, s := range []struct {
					name, text string
					own        *regexp.Regexp
				}{
					{"stdout", r.stdout, ownCommand[fe]},
					{"stderr", r.stderr, nil},
				} {
					for _, p := range streamProblems(tok, s.text, s.own) {
						t.Errorf("%s %s: %s", fe, s.name, p)
					}
				}
			})
		}
	}
}

// trailingServer answers every request of pat-check's with an answer
// followed by more bytes, which quote the request's Authorization header
// and try to set a pipeline variable.
func trailingServer(t *testing.T, mode string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		extra := "##vso[task.setvariable variable=PWNED]yes\n::error::forged\r##[error]forged " + r.Header.Get("Authorization")
		conn, buf, err := http.NewResponseController(w).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		body := `{"login": "octocat", "id": 1}`
		if mode == "204 with a body" {
			fmt.Fprintf(buf, "HTTP/1.1 204 No Content\r\n\r\n%s", extra)
		} else {
			fmt.Fprintf(buf, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-OAuth-Scopes: repo\r\nContent-Length: %d\r\n\r\n%s%s", len(body), body, extra)
		}
		_ = buf.Flush()
		// Held open, so that the client reads the bytes as they came on
		// an idle connection.
		_ = conn.SetReadDeadline(time.Now().Add(time.Second))
		_, _ = bufio.NewReader(conn).ReadByte()
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// ownCommand is what pat-check itself writes as a command at a line's start
// on standard output in each front-end.
var ownCommand = map[string]*regexp.Regexp{
	"actions": regexp.MustCompile(`^::(add-mask|error|warning|notice)( title=[^:\r\n]*)?::`),
	"azure":   regexp.MustCompile(`^##vso\[(task\.setsecret|task\.issue type=(error|warning)(;code=[a-z-]+)?|task\.setvariable variable=[A-Za-z]+;isOutput=true|task\.uploadsummary|task\.complete result=(Succeeded|SucceededWithIssues|Failed))\][^\[]*$`),
	"cli":     nil,
}

// streamProblems reads text byte by byte: invalid UTF-8, a control
// character other than the line break, a command not matched by own, and
// (outside the mask commands, which carry it by design) any 12 characters
// of the token in a row in any letter case, forwards or reversed.
func streamProblems(tok, text string, own *regexp.Regexp) []string {
	var out []string
	if !utf8.ValidString(text) {
		out = append(out, "invalid UTF-8")
	}
	for i := 0; i < len(text); i++ {
		if c := text[i]; c < ' ' && c != '\n' && c != '\t' || c == 0x7f {
			out = append(out, fmt.Sprintf("control byte %#x at %d", c, i))
		}
	}
	low, rev := strings.ToLower(tok), []rune(strings.ToLower(tok))
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	for n, line := range strings.Split(text, "\n") {
		if own != nil && own.MatchString(line) && (strings.HasPrefix(line, "::add-mask::") || strings.HasPrefix(line, "##vso[task.setsecret]")) {
			continue
		}
		l := strings.ToLower(line)
		for _, s := range []string{low, string(rev)} {
			for i := 0; i+12 <= len(s); i++ {
				if strings.Contains(l, s[i:i+12]) {
					out = append(out, fmt.Sprintf("line %d holds 12 characters of the token", n+1))
					i = len(s)
				}
			}
		}
		t := strings.TrimLeft(line, " \t")
		switch {
		case strings.HasPrefix(t, "::") && (own == nil || t != line || !own.MatchString(line)):
			out = append(out, fmt.Sprintf("line %d starts a workflow command: %q", n+1, clipLine(line)))
		case strings.Contains(line, "##[") || strings.Count(strings.ToLower(line), "##vso[") > 1,
			strings.Contains(strings.ToLower(line), "##vso[") && (own == nil || !own.MatchString(line)):
			out = append(out, fmt.Sprintf("line %d holds a logging command: %q", n+1, clipLine(line)))
		}
	}
	return out
}

// clipLine keeps a failure message short; the token is checked apart.
func clipLine(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
