package e2e

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
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

	gh := newWorld(t, "")
	ado := newADOWorld(t)
	for _, host := range []string{"LOCALHOST", "LocalHost", "localhost"} {
		t.Run("github "+host, func(t *testing.T) {
			env := map[string]string{"PAT_CHECK_TOKEN": tokHealthy}
			for k, v := range proxyEnv {
				env[k] = v
			}
			api := strings.Replace(gh.api, "127.0.0.1", host, 1)
			r := run(t, env, "", "--api-url", api, "--scopes", "repo")
			if r.code != 0 {
				t.Errorf("exit %d\n%s%s", r.code, r.shown(), r.stderr)
			}
		})
		t.Run("azure devops server "+host, func(t *testing.T) {
			env := map[string]string{"PAT_CHECK_TOKEN": adoValid}
			for k, v := range proxyEnv {
				env[k] = v
			}
			org := strings.Replace(ado.org, "127.0.0.1", host, 1)
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
