package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// The tests in this file run the real binary against hostile settings and
// servers: each keeps a promise of SECURITY.md.

// Case 1: a loopback API is reached directly, however its host is spelled:
// with HTTP_PROXY set, http://LOCALHOST:PORT must not send the token
// through the proxy in clear text. Go's proxy rules bypass only the
// lower-case spelling.
func TestLoopbackIsNeverSentThroughAProxy(t *testing.T) {
	t.Parallel()
	var proxied atomic.Int64
	var sawAuth atomic.Bool
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		proxied.Add(1)
		if r.Header.Get("Authorization") != "" {
			sawAuth.Store(true)
		}
		w.WriteHeader(http.StatusBadGateway)
	}))
	t.Cleanup(proxy.Close)
	proxyEnv := map[string]string{"HTTP_PROXY": proxy.URL, "http_proxy": proxy.URL, "HTTPS_PROXY": proxy.URL, "https_proxy": proxy.URL}

	w := newWorld(t, "")
	for _, host := range []string{"LOCALHOST", "LocalHost", "localhost"} {
		t.Run("github "+host, func(t *testing.T) {
			env := map[string]string{"PAT_CHECK_TOKEN": fixture.Healthy}
			for k, v := range proxyEnv {
				env[k] = v
			}
			api := strings.Replace(w.API, "127.0.0.1", host, 1)
			r := run(t, env, "", "--api-url", api, "--scopes", "repo")
			if r.code != 0 {
				t.Errorf("exit %d\n%s%s", r.code, r.shown(), r.stderr)
			}
		})
		t.Run("azure devops server "+host, func(t *testing.T) {
			env := map[string]string{"PAT_CHECK_TOKEN": fixture.AzureValid}
			for k, v := range proxyEnv {
				env[k] = v
			}
			org := strings.Replace(w.Org, "127.0.0.1", host, 1)
			r := run(t, env, "", "--organization", org)
			if r.code != 0 {
				t.Errorf("exit %d\n%s%s", r.code, r.shown(), r.stderr)
			}
		})
	}
	if n := proxied.Load(); n > 0 {
		t.Errorf("%d requests went through the proxy (with the token: %v)", n, sawAuth.Load())
	}
}

// Case 11: SIGTERM (what a runner or an agent sends on cancel) and SIGINT
// stop the requests; the binary still writes its outputs and report, with
// result error and the finding cancelled, and exits 3 whatever
// on-api-error says.
func TestASignalCancelsTheRunAndSaysSo(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("signals are sent differently on Windows")
	}
	t.Parallel()
	tok := fixture.Healthy
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		for _, fe := range []string{"actions", "azure", "cli"} {
			t.Run(fe+" "+sig.String(), func(t *testing.T) {
				t.Parallel()
				w := newWorld(t, "")
				w.GitHub.SetLatency(20 * time.Second)
				dir := t.TempDir()
				report, outputs := filepath.Join(dir, "report.json"), filepath.Join(dir, "output")
				env := map[string]string{}
				var args []string
				switch fe {
				case "actions":
					env = map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": outputs, "INPUT_TOKEN": tok, "INPUT_API-URL": w.API,
						"INPUT_REPORT-PATH": report, "INPUT_ON-API-ERROR": "warn", "INPUT_SCOPES": "repo"}
				case "azure":
					env = map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": dir, "INPUT_TOKEN": tok, "INPUT_PROVIDER": "github",
						"INPUT_APIURL": w.API, "INPUT_REPORTPATH": report, "INPUT_ONAPIERROR": "warn", "INPUT_SCOPES": "repo"}
				case "cli":
					env = map[string]string{"PAT_CHECK_TOKEN": tok}
					args = []string{"--api-url", w.API, "--report", report, "--on-api-error", "warn", "--scopes", "repo"}
				}
				cmd := exec.Command(binary, args...)
				cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}
				for k, v := range env {
					cmd.Env = append(cmd.Env, k+"="+v)
				}
				var out, errb bytes.Buffer
				cmd.Stdout, cmd.Stderr = &out, &errb
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				// Signal once the request is on its way (the simulator holds it).
				deadline := time.Now().Add(10 * time.Second)
				for len(w.GitHub.Requests()) == 0 && time.Now().Before(deadline) {
					time.Sleep(20 * time.Millisecond)
				}
				time.Sleep(100 * time.Millisecond)
				start := time.Now()
				if err := cmd.Process.Signal(sig); err != nil {
					t.Fatal(err)
				}
				err := cmd.Wait()
				var ee *exec.ExitError
				if !errors.As(err, &ee) || ee.ExitCode() != 3 {
					t.Fatalf("exit %v, want 3\nstdout:\n%s\nstderr:\n%s", err, out.String(), errb.String())
				}
				if took := time.Since(start); took > 5*time.Second {
					t.Errorf("the run took %s to stop", took)
				}
				var r struct {
					Result   string `json:"result"`
					Findings []struct {
						Code string `json:"code"`
					} `json:"findings"`
				}
				b, rerr := os.ReadFile(report)
				if rerr != nil || json.Unmarshal(b, &r) != nil || r.Result != "error" || len(r.Findings) != 1 || r.Findings[0].Code != "cancelled" {
					t.Errorf("report (%v):\n%s", rerr, b)
				}
				switch fe {
				case "actions":
					o, _ := os.ReadFile(outputs)
					if !strings.Contains(string(o), "\nerror\n") || !strings.Contains(out.String(), "::error title=Cancelled::cancelled: ") {
						t.Errorf("outputs:\n%s\nstdout:\n%s", o, out.String())
					}
				case "azure":
					if !strings.Contains(out.String(), "##vso[task.setvariable variable=result;isOutput=true]error") || !strings.Contains(out.String(), "##vso[task.complete result=Failed]") {
						t.Errorf("stdout:\n%s", out.String())
					}
				}
			})
		}
	}
}
