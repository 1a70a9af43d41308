package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/frontend"
	"github.com/pat-check/pat-check/internal/simulate"
)

// mainOut runs Main on the command line with env and args, and returns the
// exit code, stdout and stderr.
func mainOut(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Main(context.Background(), args, func(k string) string { return env[k] },
		frontend.Stdio{In: strings.NewReader(""), Out: &out, Err: &errb}, World{})
	return code, out.String(), errb.String()
}

// An Azure DevOps token list gives expiries with fractions of a second:
// the JSON report says the same instant as the text, in whole seconds, and
// names the token list as the source.
func TestJSONExpiryInWholeSecondsFromTheTokenList(t *testing.T) {
	t.Parallel()
	sim := simulate.NewAzureDevOps("contoso")
	sim.SetTokenList(true)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	tok := simulate.CurrentAzurePAT("fractions")
	validTo := time.Now().UTC().Add(50 * 24 * time.Hour).Truncate(time.Second).Add(989019900 * time.Nanosecond)
	sim.AddPAT(simulate.AzurePAT{Value: tok, DisplayName: "release", UserID: "0d5e1f2a-3b4c-4d5e-8f60-718293a4b5c6",
		Email: "dana@contoso.com", DisplayUser: "Dana Dev", Scopes: []string{"vso.code"}, ValidTo: validTo})
	code, out, errs := mainOut(t, map[string]string{"AZURE_DEVOPS_EXT_PAT": tok},
		"--provider", "azure-devops", "--organization", srv.URL+"/contoso", "--token-name", "release", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errs)
	}
	var r struct {
		ExpiresAt    string `json:"expiresAt"`
		ExpirySource string `json:"expirySource"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	want := validTo.Truncate(time.Second).Format(time.RFC3339)
	if r.ExpiresAt != want || r.ExpirySource != "token-list" {
		t.Errorf("expiresAt %q from %q, want %q from token-list", r.ExpiresAt, r.ExpirySource, want)
	}
}
