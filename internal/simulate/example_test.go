package simulate_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

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
