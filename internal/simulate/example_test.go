package simulate_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/pat-check/pat-check/internal/simulate"
)

// A simulated GitHub Enterprise Server with one classic token and one
// organization that enforces SAML single sign-on.
func ExampleGitHub() {
	gh := simulate.NewGitHub()
	gh.SetBasePath("/api/v3")
	gh.AddOrg(simulate.Org{Login: "acme", SSO: true})
	gh.AddRepo("acme/app", true)
	gh.AddToken(simulate.Token{
		Value:        "ghp_example",
		Login:        "octocat",
		Scopes:       []string{"repo", "workflow"},
		Expiration:   "2027-01-31 23:00:00 UTC",
		Repositories: []string{"acme/app"},
	})
	srv := httptest.NewServer(gh)
	defer srv.Close()

	for _, path := range []string{"/user", "/repos/acme/app"} {
		req, _ := http.NewRequest("GET", srv.URL+"/api/v3"+path, nil)
		req.Header.Set("Authorization", "Bearer ghp_example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(path, resp.StatusCode, resp.Header.Get("X-OAuth-Scopes"))
	}
	fmt.Println(len(gh.Requests()), "requests")
	// Output:
	// /user 200 repo, workflow
	// /repos/acme/app 403 repo, workflow
	// 2 requests
}

// A fine-grained token that may write pull requests: a probe that leaves out
// head and base fails and changes nothing; a request with both would open a
// pull request on a real GitHub, and is recorded as a violation.
func ExampleGitHub_Violations() {
	gh := simulate.NewGitHub()
	gh.AddRepo("acme/app", true)
	gh.AddToken(simulate.Token{
		Value:        "github_pat_example",
		Login:        "octocat",
		FineGrained:  true,
		Repositories: []string{"acme/app"},
		Grants:       map[string]map[string]string{"acme/app": {"pull_requests": "write"}},
	})
	srv := httptest.NewServer(gh)
	defer srv.Close()

	for _, body := range []string{`{}`, `{"head":"feature","base":"main"}`} {
		req, _ := http.NewRequest("POST", srv.URL+"/repos/acme/app/pulls", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer github_pat_example")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Println(body, resp.StatusCode, resp.Header.Get("X-Accepted-GitHub-Permissions"))
	}
	for _, v := range gh.Violations() {
		fmt.Println(v)
	}
	// Output:
	// {} 422 pull_requests=write
	// {"head":"feature","base":"main"} 201 pull_requests=write
	// POST /repos/acme/app/pulls: the body sets head and base, so it would open a pull request
}
