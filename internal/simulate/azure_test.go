package simulate

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/microsoft/azure-devops-go-api/azuredevops/v7"
	"github.com/microsoft/azure-devops-go-api/azuredevops/v7/build"
	"github.com/microsoft/azure-devops-go-api/azuredevops/v7/git"
	"github.com/microsoft/azure-devops-go-api/azuredevops/v7/location"

	"github.com/pat-check/pat-check/internal/token"
)

var azClock = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)

const (
	azUser  = "6f1c2f0e-3b7a-4c51-9d2e-8a4b5c6d7e8f"
	azOther = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
)

// azWorld is the setup most Azure DevOps tests share. Every PAT but
// pat-other belongs to azUser.
func azWorld(a *AzureDevOps) {
	a.SetNow(func() time.Time { return azClock })
	a.AddProject("Web App")
	a.AddProject("infra")
	valid := azClock.AddDate(0, 6, 0)
	for _, p := range []AzurePAT{
		{Value: "pat-full", DisplayName: "ci full", Scopes: []string{"app_token"}, ValidTo: valid},
		{Value: "pat-code", DisplayName: "ci code", Scopes: []string{"vso.code_write", "vso.build"}, ValidTo: valid},
		{Value: "pat-expired", DisplayName: "old", Scopes: []string{"vso.code"}, ValidTo: azClock.Add(-time.Second)},
		{Value: "pat-revoked", DisplayName: "gone", Scopes: []string{"vso.code"}, ValidTo: valid, Revoked: true},
		{Value: "pat-denied", DisplayName: "no rights", Scopes: []string{"app_token"}, ValidTo: valid,
			DeniedAreas: []string{"code", "GRAPH"}},
		{Value: "pat-edge", DisplayName: "expires now", Scopes: []string{"vso.code"}, ValidTo: azClock},
	} {
		p.UserID, p.Email, p.DisplayUser = strings.ToUpper(azUser), "ada@example.com", "Ada Lovelace"
		a.AddPAT(p)
	}
	a.AddPAT(AzurePAT{Value: "pat-other", DisplayName: "someone else", UserID: azOther, Email: "bob@example.com",
		DisplayUser: "Bob", Scopes: []string{"vso.code"}, ValidTo: valid})
}

func azStart(t *testing.T, setup func(*AzureDevOps)) (*AzureDevOps, *httptest.Server) {
	t.Helper()
	a := NewAzureDevOps("Contoso")
	if setup != nil {
		setup(a)
	}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return a, srv
}

// basic is the Authorization header of a PAT, as NewPatConnection sends it.
func basic(pat string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(":"+pat))
}

// azDo sends one request with the given headers.
func azDo(t *testing.T, method, url string, header map[string]string) reply {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return roundTrip(t, req)
}

// azGet sends a GET as an API client does: the PAT ("" = no credentials)
// and X-TFS-FedAuthRedirect: Suppress.
func azGet(t *testing.T, srv *httptest.Server, path, pat string) reply {
	t.Helper()
	h := map[string]string{"X-TFS-FedAuthRedirect": "Suppress"}
	if pat != "" {
		h["Authorization"] = basic(pat)
	}
	return azDo(t, http.MethodGet, srv.URL+path, h)
}

func TestAzureDiscovery(t *testing.T) {
	t.Parallel()
	_, srv := azStart(t, azWorld)
	tests := []struct {
		name, path, auth string
		want             int
	}{
		{"anonymous", "/contoso/_apis", "", 200},
		{"trailing slash", "/contoso/_apis/", "", 200},
		{"organization case", "/CONTOSO/_APIS", "", 200},
		{"bad credentials are not looked at", "/contoso/_apis", basic("nope"), 200},
		{"other path", "/contoso/_apis/git", "", 404},
		{"other organization", "/fabrikam/_apis", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := azDo(t, http.MethodOptions, srv.URL+tt.path, map[string]string{"Authorization": tt.auth})
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.raw)
			}
			if tt.want != 200 {
				return
			}
			var got struct {
				Count int                      `json:"count"`
				Value []map[string]interface{} `json:"value"`
			}
			if err := json.Unmarshal(r.raw, &got); err != nil {
				t.Fatal(err)
			}
			if got.Count != len(got.Value) {
				t.Errorf("count %d, %d values", got.Count, len(got.Value))
			}
			want := map[string]map[string]any{
				"00d9565f-ed9c-4a06-9a50-00e7896ccab4": {"area": "Location", "resourceName": "ConnectionData",
					"routeTemplate": "_apis/{resource}", "minVersion": "1.0", "maxVersion": "7.1",
					"releasedVersion": "0.0", "resourceVersion": 1.0},
				"e81700f7-3be2-46de-8624-2eb35882fcaa": {"area": "Location", "resourceName": "ResourceAreas",
					"routeTemplate": "_apis/{resource}/{areaId}"},
			}
			for _, loc := range got.Value {
				for k, v := range want[loc["id"].(string)] {
					if loc[k] != v {
						t.Errorf("location %s: %s = %v, want %v", loc["id"], k, loc[k], v)
					}
				}
				delete(want, loc["id"].(string))
			}
			if len(want) > 0 {
				t.Errorf("missing locations %v", want)
			}
		})
	}
}

func TestAzureConnectionData(t *testing.T) {
	t.Parallel()
	_, srv := azStart(t, azWorld)
	const path = "/contoso/_apis/connectionData"
	tests := []struct {
		name, path string
		header     map[string]string
		want       int
		typeKey    string // of a 401
	}{
		{"valid", path, map[string]string{"Authorization": basic("pat-full")}, 200, ""},
		{"user name is ignored", path, map[string]string{"Authorization": "Basic " +
			base64.StdEncoding.EncodeToString([]byte("anyone:pat-code"))}, 200, ""},
		{"path and organization case", "/CONTOSO/_apis/ConnectionData", map[string]string{"Authorization": basic("pat-full")}, 200, ""},
		{"expires this instant", path, map[string]string{"Authorization": basic("pat-edge")}, 200, ""},
		{"expired", path, map[string]string{"Authorization": basic("pat-expired"), "X-TFS-FedAuthRedirect": "Suppress"}, 401, "AccessCheckException"},
		{"expired without suppress", path, map[string]string{"Authorization": basic("pat-expired")}, 401, "AccessCheckException"},
		{"unknown", path, map[string]string{"Authorization": basic("pat-nope"), "X-TFS-FedAuthRedirect": "Suppress"}, 401, "UnauthorizedRequestException"},
		{"revoked", path, map[string]string{"Authorization": basic("pat-revoked"), "X-TFS-FedAuthRedirect": "Suppress"}, 401, "UnauthorizedRequestException"},
		{"no credentials", path, map[string]string{"X-TFS-FedAuthRedirect": "suppress"}, 401, "UnauthorizedRequestException"},
		{"bearer is not basic", path, map[string]string{"Authorization": "Bearer pat-full", "X-TFS-FedAuthRedirect": "Suppress"}, 401, "UnauthorizedRequestException"},
		{"bad base64", path, map[string]string{"Authorization": "Basic !!!", "X-TFS-FedAuthRedirect": "Suppress"}, 401, "UnauthorizedRequestException"},
		{"unknown without suppress", path, map[string]string{"Authorization": basic("pat-nope")}, 203, ""},
		{"revoked without suppress", path, map[string]string{"Authorization": basic("pat-revoked")}, 203, ""},
		{"no credentials without suppress", path, nil, 203, ""},
		{"other organization", "/fabrikam/_apis/connectionData", map[string]string{"Authorization": basic("pat-full")}, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := azDo(t, http.MethodGet, srv.URL+tt.path, tt.header)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.raw)
			}
			if r.header.Get("X-VSS-E2EID") == "" || r.header.Get("ActivityId") == "" {
				t.Errorf("no X-VSS-E2EID or ActivityId: %v", r.header)
			}
			switch r.status {
			case 200:
				checkConnectionData(t, r)
			case 401:
				if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
				body := r.json(t)
				if body["typeKey"] != tt.typeKey || body["$id"] != "1" || body["eventId"] != 3000.0 {
					t.Errorf("body %s", r.raw)
				}
				if _, ok := body["innerException"]; !ok {
					t.Errorf("no innerException: %s", r.raw)
				}
				want := map[string]string{
					"AccessCheckException":         "Access Denied: The Personal Access Token used has expired.",
					"UnauthorizedRequestException": "TF400813: The user '' is not authorized to access this resource.",
				}[tt.typeKey]
				if body["message"] != want {
					t.Errorf("message %q, want %q", body["message"], want)
				}
				if tt.typeKey == "AccessCheckException" {
					const header = "Access%20Denied%3A%20The%20Personal%20Access%20Token%20used%20has%20expired."
					if got := r.header.Get("X-TFS-ServiceError"); got != header {
						t.Errorf("X-TFS-ServiceError %q, want %q", got, header)
					}
				}
				if r.header.Get("X-VSS-UserData") != "" {
					t.Errorf("X-VSS-UserData on a 401")
				}
			case 203:
				if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
					t.Errorf("Content-Type %q", ct)
				}
				if !strings.HasPrefix(string(r.raw), "<!DOCTYPE html>") || !strings.Contains(string(r.raw), "Sign In") {
					t.Errorf("body %s", r.raw)
				}
			}
			if strings.Contains(string(r.raw), "pat-") || strings.Contains(fmt.Sprint(r.header), "pat-") {
				t.Errorf("the answer shows a token")
			}
		})
	}
}

func checkConnectionData(t *testing.T, r reply) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if got := r.header.Get("X-VSS-UserData"); got != azUser+":ada@example.com" {
		t.Errorf("X-VSS-UserData %q", got)
	}
	var cd struct {
		AuthenticatedUser struct {
			ID                  string `json:"id"`
			Descriptor          string `json:"descriptor"`
			ProviderDisplayName string `json:"providerDisplayName"`
			IsActive            bool   `json:"isActive"`
			Properties          struct {
				Account struct {
					Type  string `json:"$type"`
					Value string `json:"$value"`
				} `json:"Account"`
			} `json:"properties"`
		} `json:"authenticatedUser"`
		AuthorizedUser      struct{ ID string } `json:"authorizedUser"`
		InstanceID          string              `json:"instanceId"`
		DeploymentID        string              `json:"deploymentId"`
		DeploymentType      string              `json:"deploymentType"`
		LocationServiceData map[string]any      `json:"locationServiceData"`
	}
	if err := json.Unmarshal(r.raw, &cd); err != nil {
		t.Fatal(err)
	}
	u := cd.AuthenticatedUser
	if u.ID != azUser || cd.AuthorizedUser.ID != azUser || u.ProviderDisplayName != "Ada Lovelace" || !u.IsActive ||
		u.Properties.Account.Type != "System.String" || u.Properties.Account.Value != "ada@example.com" || u.Descriptor == "" {
		t.Errorf("user %+v", cd)
	}
	if cd.InstanceID == "" || cd.DeploymentID == "" || cd.DeploymentType != "hosted" || cd.LocationServiceData == nil {
		t.Errorf("connection data %s", r.raw)
	}
}

func TestAzureScopesHeader(t *testing.T) {
	t.Parallel()
	for _, on := range []bool{false, true} {
		t.Run(fmt.Sprint(on), func(t *testing.T) {
			t.Parallel()
			_, srv := azStart(t, func(a *AzureDevOps) { azWorld(a); a.SetScopesHeader(on) })
			want := map[bool]map[string]string{
				false: {"pat-code": "", "pat-full": ""},
				true:  {"pat-code": "vso.code_write vso.build", "pat-full": "app_token"},
			}[on]
			for pat, scopes := range want {
				r := azGet(t, srv, "/contoso/_apis/connectionData", pat)
				if got, present := r.header.Get("X-VSS-Token-Scopes"), len(r.header.Values("x-vss-token-scopes")) > 0; got != scopes || present != on {
					t.Errorf("%s: x-vss-token-scopes %q (present %v), want %q", pat, got, present, scopes)
				}
			}
			// Only connectionData carries it.
			if r := azGet(t, srv, "/contoso/_apis/git/repositories", "pat-code"); r.header.Get("X-VSS-Token-Scopes") != "" {
				t.Errorf("scopes header on a probe")
			}
		})
	}
}

// azProbePaths are the read endpoint of each scope family, at the level
// pat-check calls it.
var azProbePaths = []struct{ family, scope, path string }{
	{"code", "vso.code", "/contoso/_apis/git/repositories"},
	{"code", "vso.code", "/contoso/infra/_apis/git/repositories"},
	{"build", "vso.build", "/contoso/infra/_apis/build/builds?$top=1"},
	{"work", "vso.work", "/contoso/infra/_apis/wit/workitemtypes"},
	{"variablegroups", "vso.variablegroups_read", "/contoso/infra/_apis/distributedtask/variablegroups"},
	{"serviceendpoint", "vso.serviceendpoint", "/contoso/infra/_apis/serviceendpoint/endpoints"},
	{"agentpools", "vso.agentpools", "/contoso/_apis/distributedtask/pools"},
	{"packaging", "vso.packaging", "/contoso/_apis/packaging/feeds"},
	{"release", "vso.release", "/contoso/infra/_apis/release/definitions?$top=1"},
	{"graph", "vso.graph", "/contoso/_apis/graph/users"},
}

func TestAzureProbes(t *testing.T) {
	t.Parallel()
	for _, p := range azProbePaths {
		t.Run(p.path, func(t *testing.T) {
			t.Parallel()
			_, srv := azStart(t, func(a *AzureDevOps) {
				azWorld(a)
				for _, q := range []struct {
					value          string
					scopes, denied []string
				}{
					{"probe-exact", []string{p.scope}, nil},
					{"probe-other-family", []string{"vso.profile"}, nil},
					{"probe-no-scopes", []string{}, nil},
					{"probe-denied", []string{p.scope}, []string{strings.ToUpper(p.family)}},
					{"probe-other-denied", []string{p.scope}, []string{"nothing"}},
				} {
					a.AddPAT(AzurePAT{Value: q.value, UserID: azUser, Email: "ada@example.com", DisplayUser: "Ada Lovelace",
						Scopes: q.scopes, DeniedAreas: q.denied, ValidTo: azClock.AddDate(0, 1, 0)})
				}
			})
			type probeCase struct {
				name, pat, path string
				want            int
			}
			tests := []probeCase{
				{"exact scope", "probe-exact", p.path, 200},
				{"full access", "pat-full", p.path, 200},
				{"scope of another family", "probe-other-family", p.path, 401},
				{"no scopes", "probe-no-scopes", p.path, 401},
				{"denied area", "probe-denied", p.path, 403},
				{"other area denied", "probe-other-denied", p.path, 200},
				{"expired", "pat-expired", p.path, 401},
				{"unknown", "pat-nope", p.path, 401},
			}
			if strings.Contains(p.path, "/infra/") {
				missing := strings.Replace(p.path, "/infra/", "/Missing/", 1)
				tests = append(tests,
					probeCase{"unknown project", "probe-exact", missing, 404},
					probeCase{"scope before project", "probe-other-family", missing, 401},
					probeCase{"project case and spaces", "probe-exact", strings.Replace(p.path, "/infra/", "/web%20APP/", 1), 200},
				)
			}
			for _, tt := range tests {
				r := azGet(t, srv, tt.path, tt.pat)
				if r.status != tt.want {
					t.Errorf("%s: status %d, want %d: %s", tt.name, r.status, tt.want, r.raw)
					continue
				}
				checkProbeAnswer(t, tt.name, r, strings.HasPrefix(tt.pat, "probe-"))
			}
		})
	}
}

// checkProbeAnswer checks the body and headers of a probe answer; valid
// tells a missing scope (a plain 401) from a refused credential.
func checkProbeAnswer(t *testing.T, name string, r reply, valid bool) {
	t.Helper()
	switch r.status {
	case 200:
		if string(r.raw) != `{"count":0,"value":[]}` {
			t.Errorf("%s: body %s", name, r.raw)
		}
		if r.header.Get("X-VSS-UserData") == "" {
			t.Errorf("%s: no X-VSS-UserData", name)
		}
	case 401:
		if !valid {
			return // the credential answers, as for connectionData
		}
		if len(r.raw) != 0 || r.header.Get("Content-Type") != "" {
			t.Errorf("%s: a missing scope should answer a plain 401, got %q (%s)", name, r.header.Get("Content-Type"), r.raw)
		}
		if len(r.header.Values("WWW-Authenticate")) == 0 {
			t.Errorf("%s: no WWW-Authenticate", name)
		}
	case 403:
		body := r.json(t)
		msg, _ := body["message"].(string)
		if !strings.HasPrefix(msg, "TF401027: You need the ") || body["typeKey"] != "UnauthorizedRequestException" {
			t.Errorf("%s: body %s", name, r.raw)
		}
	case 404:
		body := r.json(t)
		want := "VS800075: The project with id 'vstfs:///Classification/TeamProject/Missing' does not exist, or you do not have permission to access it."
		if body["message"] != want || body["typeKey"] != "ProjectDoesNotExistWithNameException" {
			t.Errorf("%s: body %s", name, r.raw)
		}
	}
}

func TestAzureProbeWording(t *testing.T) {
	t.Parallel()
	_, srv := azStart(t, azWorld)
	r := azGet(t, srv, "/contoso/_apis/git/repositories", "pat-denied")
	want := "TF401027: You need the Git 'GenericRead' permission to perform this action. Details: identity 'Ada Lovelace', scope 'repository'."
	if r.status != 403 || r.json(t)["message"] != want {
		t.Errorf("got %d %s, want message %q", r.status, r.raw, want)
	}
	if got := r.header.Get("X-TFS-ServiceError"); !strings.HasPrefix(got, "TF401027%3A%20You%20need") {
		t.Errorf("X-TFS-ServiceError %q", got)
	}
	// A probe of a family that is not denied still answers.
	if r := azGet(t, srv, "/contoso/infra/_apis/build/builds", "pat-denied"); r.status != 200 {
		t.Errorf("build: %d %s", r.status, r.raw)
	}
}

func TestAzureScopeClosure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		held []string
		need string
		want bool
	}{
		{[]string{"vso.code_full"}, "vso.code", true},
		{[]string{"vso.code_manage"}, "vso.code", true},
		{[]string{"VSO.Code_Write"}, "vso.code", true},
		{[]string{"vso.code"}, "vso.code_write", false},
		{[]string{"vso.code_status"}, "vso.code", false},
		{[]string{"vso.build_execute"}, "vso.build", true},
		{[]string{"vso.work_full"}, "vso.work", true},
		{[]string{"vso.work_write"}, "vso.work_full", false},
		{[]string{"vso.packaging_manage"}, "vso.packaging", true},
		{[]string{"vso.packaging_write"}, "vso.packaging", true},
		{[]string{"vso.release_manage"}, "vso.release", true},
		{[]string{"vso.release_execute"}, "vso.release", true},
		{[]string{"vso.variablegroups_manage"}, "vso.variablegroups_read", true},
		{[]string{"vso.variablegroups_write"}, "vso.variablegroups_read", true},
		{[]string{"vso.serviceendpoint_manage"}, "vso.serviceendpoint", true},
		{[]string{"vso.serviceendpoint_query"}, "vso.serviceendpoint", true},
		{[]string{"vso.agentpools_manage"}, "vso.agentpools", true},
		{[]string{"vso.graph_manage"}, "vso.graph", true},
		{[]string{"vso.identity"}, "vso.graph", false},
		{[]string{"vso.build", "vso.code"}, "vso.code", true},
		{[]string{"app_token"}, "vso.graph", true},
		{nil, "vso.code", false},
	}
	for _, tt := range tests {
		if got := azureScopeGrants(tt.held, tt.need); got != tt.want {
			t.Errorf("%v grants %s = %v, want %v", tt.held, tt.need, got, tt.want)
		}
	}
}

func TestAzureTokenList(t *testing.T) {
	t.Parallel()
	const path = "/contoso/_apis/Token/SessionTokens?displayFilterOption=1&api-version=5.0-preview.1"
	tests := []struct {
		name, path, pat string
		on              bool
		want            int
		names           []string
	}{
		{"off", path, "pat-full", false, 401, nil},
		{"on", path, "pat-code", true, 200, []string{"ci full", "ci code", "old", "gone", "no rights", "expires now"}},
		{"path case", "/contoso/_apis/token/sessiontokens?displayFilterOption=1&api-version=5.0-preview.1", "pat-full", true, 200,
			[]string{"ci full", "ci code", "old", "gone", "no rights", "expires now"}},
		{"other user", path, "pat-other", true, 200, []string{"someone else"}},
		{"expired caller", path, "pat-expired", true, 401, nil},
		{"unknown caller", path, "pat-nope", true, 401, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, srv := azStart(t, func(a *AzureDevOps) { azWorld(a); a.SetTokenList(tt.on) })
			r := azGet(t, srv, tt.path, tt.pat)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.raw)
			}
			if strings.Contains(string(r.raw), "pat-") {
				t.Errorf("the list shows a token: %s", r.raw)
			}
			if r.status != 200 {
				if msg, _ := r.json(t)["message"].(string); msg == "" {
					t.Errorf("no message: %s", r.raw)
				}
				return
			}
			var list struct {
				Count int              `json:"count"`
				Value []map[string]any `json:"value"`
			}
			if err := json.Unmarshal(r.raw, &list); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, v := range list.Value {
				names = append(names, v["displayName"].(string))
				for _, k := range []string{"token", "alternateToken", "publicData", "source", "claims"} {
					if got, ok := v[k]; !ok || got != nil {
						t.Errorf("%s: %s = %v, want null", v["displayName"], k, got)
					}
				}
				if v["clientId"] != "00000000-0000-0000-0000-000000000000" || v["isPublic"] != false ||
					v["authorizationId"] == "" || v["accessId"] == "" || v["hostAuthorizationId"] == "" {
					t.Errorf("entry %v", v)
				}
			}
			if list.Count != len(list.Value) || !slices.Equal(names, tt.names) {
				t.Errorf("count %d, names %q, want %q", list.Count, names, tt.names)
			}
			if tt.name != "on" {
				return
			}
			byName := map[string]map[string]any{}
			for _, v := range list.Value {
				byName[v["displayName"].(string)] = v
			}
			wantValid := map[string]bool{"ci full": true, "ci code": true, "old": false, "gone": false, "no rights": true, "expires now": true}
			for n, want := range wantValid {
				if byName[n]["isValid"] != want {
					t.Errorf("%s: isValid %v, want %v", n, byName[n]["isValid"], want)
				}
			}
			code := byName["ci code"]
			if code["scope"] != "vso.code_write vso.build" || byName["ci full"]["scope"] != "app_token" ||
				code["userId"] != azUser || code["validTo"] != "2026-12-01T12:00:00Z" {
				t.Errorf("ci code: %v", code)
			}
			if _, err := time.Parse(time.RFC3339Nano, code["validFrom"].(string)); err != nil {
				t.Errorf("validFrom: %v", err)
			}
			if byName["old"]["validTo"] != "2026-06-01T11:59:59Z" {
				t.Errorf("old: validTo %v", byName["old"]["validTo"])
			}
		})
	}
}

func TestAzureTokenListFractions(t *testing.T) {
	t.Parallel()
	_, srv := azStart(t, func(a *AzureDevOps) {
		a.SetTokenList(true)
		a.AddPAT(AzurePAT{Value: "pat-frac", UserID: azUser, ValidTo: time.Date(2027, 1, 31, 23, 59, 59, 970000000, time.UTC)})
	})
	r := azGet(t, srv, "/contoso/_apis/Token/SessionTokens", "pat-frac")
	if !strings.Contains(string(r.raw), `"validTo":"2027-01-31T23:59:59.97Z"`) {
		t.Errorf("body %s", r.raw)
	}
}

func TestAzureFaults(t *testing.T) {
	t.Parallel()
	a, srv := azStart(t, azWorld)
	a.FailNext(2, http.StatusServiceUnavailable)
	if r := azDo(t, http.MethodOptions, srv.URL+"/contoso/_apis", nil); r.status != 503 || r.json(t)["message"] != "Service Unavailable" {
		t.Errorf("first: %d %s", r.status, r.raw)
	}
	if r := azGet(t, srv, "/contoso/_apis/connectionData", "pat-full"); r.status != 503 {
		t.Errorf("second: %d %s", r.status, r.raw)
	}
	if r := azGet(t, srv, "/contoso/_apis/connectionData", "pat-full"); r.status != 200 {
		t.Errorf("third: %d %s", r.status, r.raw)
	}
	a.FailNext(1, 500)
	a.FailNext(0, 500) // clears
	if r := azGet(t, srv, "/contoso/_apis/connectionData", "pat-full"); r.status != 200 {
		t.Errorf("after clearing: %d %s", r.status, r.raw)
	}
	if got := len(a.Requests()); got != 4 {
		t.Errorf("%d requests recorded, want 4", got)
	}
}

func TestAzureFailNextRejectsNonErrors(t *testing.T) {
	t.Parallel()
	for _, status := range []int{0, 200, 302, 600} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("FailNext(1, %d) did not panic", status)
				}
			}()
			NewAzureDevOps("o").FailNext(1, status)
		}()
	}
}

func TestAzureSetupRejects(t *testing.T) {
	t.Parallel()
	valid := azClock.AddDate(0, 1, 0)
	tests := map[string]func(){
		"empty organization": func() { NewAzureDevOps("") },
		"organization path":  func() { NewAzureDevOps("a/b") },
		"empty project":      func() { NewAzureDevOps("o").AddProject("") },
		"empty value":        func() { NewAzureDevOps("o").AddPAT(AzurePAT{UserID: azUser, ValidTo: valid}) },
		"user id not a GUID": func() { NewAzureDevOps("o").AddPAT(AzurePAT{Value: "v", UserID: "ada", ValidTo: valid}) },
		"no user id":         func() { NewAzureDevOps("o").AddPAT(AzurePAT{Value: "v", ValidTo: valid}) },
		"zero expiry":        func() { NewAzureDevOps("o").AddPAT(AzurePAT{Value: "v", UserID: azUser}) },
	}
	for name, f := range tests {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			f()
		}()
	}
}

func TestAzureSetupIsCopied(t *testing.T) {
	t.Parallel()
	scopes := []string{"vso.code"}
	denied := []string{"nothing"}
	a, srv := azStart(t, func(a *AzureDevOps) {
		a.SetNow(func() time.Time { return azClock })
		a.SetTokenList(true)
		a.AddPAT(AzurePAT{Value: "v", UserID: azUser, Scopes: scopes, DeniedAreas: denied, ValidTo: azClock.Add(time.Hour)})
		a.AddPAT(AzurePAT{Value: "w", UserID: azUser, Scopes: scopes, ValidTo: azClock.Add(time.Hour)})
	})
	scopes[0], denied[0] = "vso.graph", "code"
	if r := azGet(t, srv, "/contoso/_apis/git/repositories", "v"); r.status != 200 {
		t.Errorf("status %d: the simulator shares the caller's slices", r.status)
	}
	// Replacing a PAT changes it in place: still two entries, v first.
	a.AddPAT(AzurePAT{Value: "v", DisplayName: "again", UserID: azUser, Scopes: []string{"vso.graph"}, ValidTo: azClock.Add(time.Hour)})
	if r := azGet(t, srv, "/contoso/_apis/git/repositories", "v"); r.status != 401 {
		t.Errorf("after replacing: status %d", r.status)
	}
	var list struct {
		Value []struct{ DisplayName, Scope string }
	}
	if err := json.Unmarshal(azGet(t, srv, "/contoso/_apis/Token/SessionTokens", "w").raw, &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Value) != 2 || list.Value[0].DisplayName != "again" || list.Value[0].Scope != "vso.graph" {
		t.Errorf("token list %+v", list.Value)
	}
}

func TestAzureViolations(t *testing.T) {
	t.Parallel()
	a, srv := azStart(t, azWorld)
	for _, m := range []string{http.MethodGet, http.MethodOptions} {
		azDo(t, m, srv.URL+"/contoso/_apis", map[string]string{"Authorization": basic("pat-full")})
	}
	if v := a.Violations(); len(v) != 0 {
		t.Fatalf("reads counted as violations: %q", v)
	}
	methods := []string{http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodHead}
	for _, m := range methods {
		r := azDo(t, m, srv.URL+"/contoso/_apis/git/repositories", map[string]string{"Authorization": basic("pat-full")})
		if r.status != http.StatusMethodNotAllowed || r.header.Get("Allow") != "GET, OPTIONS" {
			t.Errorf("%s: %d, Allow %q", m, r.status, r.header.Get("Allow"))
		}
	}
	// Even outside the organization, with bad credentials or a fault.
	a.FailNext(1, 500)
	azDo(t, http.MethodDelete, srv.URL+"/elsewhere", map[string]string{"Authorization": basic("nope")})
	v := a.Violations()
	if len(v) != len(methods)+1 {
		t.Fatalf("violations %q", v)
	}
	for i, m := range methods {
		if want := m + " /contoso/_apis/git/repositories: "; !strings.HasPrefix(v[i], want) {
			t.Errorf("violation %d = %q, want prefix %q", i, v[i], want)
		}
	}
	if !strings.HasPrefix(v[len(methods)], "DELETE /elsewhere: ") {
		t.Errorf("last violation %q", v[len(methods)])
	}
	v[0] = "changed"
	if a.Violations()[0] == "changed" {
		t.Errorf("Violations returns the simulator's own slice")
	}
}

func TestAzureRecording(t *testing.T) {
	t.Parallel()
	a, srv := azStart(t, azWorld)
	before := time.Now()
	azGet(t, srv, "/contoso/infra/_apis/build/builds?$top=1", "pat-code")
	azDo(t, http.MethodOptions, srv.URL+"/contoso/_apis", nil)
	azGet(t, srv, "/nowhere", "")
	got := a.Requests()
	want := []Request{
		{Method: "GET", Path: "/contoso/infra/_apis/build/builds", RawQuery: "$top=1", Authorization: basic("pat-code")},
		{Method: "OPTIONS", Path: "/contoso/_apis"},
		{Method: "GET", Path: "/nowhere"},
	}
	if len(got) != len(want) {
		t.Fatalf("requests %+v", got)
	}
	for i := range want {
		if got[i].Time.Before(before) {
			t.Errorf("request %d: time %v", i, got[i].Time)
		}
		got[i].Time = time.Time{}
		if got[i] != want[i] {
			t.Errorf("request %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func TestAzureNotFound(t *testing.T) {
	t.Parallel()
	_, srv := azStart(t, azWorld)
	tests := []struct {
		name, path, pat string
		want            int
	}{
		{"unknown endpoint", "/contoso/_apis/nothing", "pat-full", 404},
		{"below a probe", "/contoso/_apis/git/repositories/123", "pat-full", 404},
		{"work items at the organization", "/contoso/_apis/wit/workitemtypes", "pat-full", 404},
		{"pools in a project", "/contoso/infra/_apis/distributedtask/pools", "pat-full", 404},
		{"organization root", "/contoso", "pat-full", 404},
		{"credentials first", "/contoso/_apis/nothing", "pat-nope", 401},
		{"outside the organization", "/other/_apis/connectionData", "pat-nope", 404},
		{"root", "/", "", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := azGet(t, srv, tt.path, tt.pat)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.raw)
			}
			if msg, _ := r.json(t)["message"].(string); msg == "" {
				t.Errorf("no message: %s", r.raw)
			}
		})
	}
}

func TestAzureLatency(t *testing.T) {
	t.Parallel()
	a, srv := azStart(t, azWorld)
	a.SetLatency(50 * time.Millisecond)
	start := time.Now()
	if r := azGet(t, srv, "/contoso/_apis/connectionData", "pat-full"); r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if d := time.Since(start); d < 50*time.Millisecond {
		t.Errorf("answered after %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/contoso/_apis/connectionData", nil)
	if resp, err := ownClient.Do(req); err == nil {
		resp.Body.Close()
		t.Errorf("no timeout")
	}
}

func TestAzureClockAndConcurrency(t *testing.T) {
	t.Parallel()
	a, srv := azStart(t, azWorld)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			azGet(t, srv, "/contoso/_apis/connectionData", "pat-code")
		}()
		go func() {
			defer wg.Done()
			a.AddProject(fmt.Sprintf("p%d", i))
			a.SetScopesHeader(i%2 == 0)
			a.SetNow(func() time.Time { return azClock })
		}()
	}
	wg.Wait()
	if got := len(a.Requests()); got != 20 {
		t.Errorf("%d requests", got)
	}
	a.SetNow(func() time.Time { return azClock.AddDate(1, 0, 0) })
	if r := azGet(t, srv, "/contoso/_apis/connectionData", "pat-code"); r.status != 401 {
		t.Errorf("a year later: %d", r.status)
	}
	a.SetNow(nil) // time.Now: the PATs of azWorld expire in 2026
	if r := azGet(t, srv, "/contoso/_apis/connectionData", "pat-code"); time.Now().Before(azClock.AddDate(0, 6, 0)) != (r.status == 200) {
		t.Errorf("real clock: %d", r.status)
	}
}

func ptr[T any](v T) *T { return &v }

// wrappedError finds the official client's error, which is a WrappedError
// value for a JSON body and a *WrappedError for an empty one.
func wrappedError(err error) (azuredevops.WrappedError, bool) {
	var v azuredevops.WrappedError
	if errors.As(err, &v) {
		return v, true
	}
	var p *azuredevops.WrappedError
	if errors.As(err, &p) && p != nil {
		return *p, true
	}
	return v, false
}

// TestAzureOfficialClient uses azure-devops-go-api exactly as pat-check
// does, under a base path that is not the server's root.
func TestAzureOfficialClient(t *testing.T) {
	t.Parallel()
	legacy, current := LegacyAzurePAT("official"), CurrentAzurePAT("official")
	a := NewAzureDevOps("Contoso")
	func(a *AzureDevOps) {
		azWorld(a)
		a.AddPAT(AzurePAT{Value: legacy, UserID: azUser, Email: "ada@example.com", DisplayUser: "Ada Lovelace",
			Scopes: []string{"vso.code"}, ValidTo: azClock.AddDate(0, 1, 0)})
		a.AddPAT(AzurePAT{Value: current, UserID: azUser, Email: "ada@example.com", DisplayUser: "Ada Lovelace",
			Scopes: []string{"vso.build"}, ValidTo: azClock.Add(-time.Hour)})
	}(a)
	// The client sends the api-version in Accept, not in the query.
	var mu sync.Mutex
	accept := map[string]string{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		accept[r.Method+" "+r.URL.Path] = r.Header.Get("Accept")
		mu.Unlock()
		a.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ctx := context.Background()
	connect := func(pat string) (*azuredevops.Connection, *azuredevops.Client) {
		conn := azuredevops.NewPatConnection(srv.URL+"/contoso", pat)
		return conn, azuredevops.NewClientWithOptions(conn, conn.BaseUrl, azuredevops.WithHTTPClient(srv.Client()))
	}

	t.Run("connection data", func(t *testing.T) {
		for _, pat := range []string{legacy, "pat-full"} {
			_, client := connect(pat)
			loc := location.ClientImpl{Client: *client}
			cd, err := loc.GetConnectionData(ctx, location.GetConnectionDataArgs{})
			if err != nil {
				t.Fatal(err)
			}
			u := cd.AuthenticatedUser
			if u == nil || u.Id == nil || u.Id.String() != azUser || *u.ProviderDisplayName != "Ada Lovelace" {
				t.Fatalf("user %+v", u)
			}
			props, _ := u.Properties.(map[string]any)
			account, _ := props["Account"].(map[string]any)
			if account["$value"] != "ada@example.com" || *cd.DeploymentType != "hosted" || cd.InstanceId == nil {
				t.Errorf("connection data %+v, properties %v", cd, u.Properties)
			}
		}
	})

	t.Run("refusals", func(t *testing.T) {
		tests := []struct {
			pat     string
			status  int
			typeKey string
		}{
			{current, 401, "AccessCheckException"},
			{"pat-expired", 401, "AccessCheckException"},
			{"pat-revoked", 401, "UnauthorizedRequestException"},
			{LegacyAzurePAT("unknown"), 401, "UnauthorizedRequestException"},
		}
		for _, tt := range tests {
			_, client := connect(tt.pat)
			loc := location.ClientImpl{Client: *client}
			_, err := loc.GetConnectionData(ctx, location.GetConnectionDataArgs{})
			var we azuredevops.WrappedError
			if !errors.As(err, &we) {
				t.Fatalf("error %T %v, want a WrappedError value", err, err)
			}
			if *we.StatusCode != tt.status || we.TypeKey == nil || *we.TypeKey != tt.typeKey {
				t.Errorf("status %d, type key %v, want %d %s", *we.StatusCode, we.TypeKey, tt.status, tt.typeKey)
			}
		}
	})

	t.Run("typed probes", func(t *testing.T) {
		tests := []struct {
			pat, project string
			status       int // 0 = success
			message      string
		}{
			{legacy, "", 0, ""},
			{legacy, "Web App", 0, ""},
			{"pat-full", "infra", 0, ""},
			{"pat-full", "missing", 404, "VS800075: "},
			{"pat-denied", "infra", 403, "TF401027: "},
			{"pat-other", "infra", 0, ""},
			{"pat-code", "", 0, ""},
		}
		for _, tt := range tests {
			conn, _ := connect(tt.pat)
			// git.NewClient asks ResourceAreas where the git area lives.
			gc, err := git.NewClient(ctx, conn)
			if err != nil {
				t.Fatal(err)
			}
			args := git.GetRepositoriesArgs{}
			if tt.project != "" {
				args.Project = &tt.project
			}
			repos, err := gc.GetRepositories(ctx, args)
			if tt.status == 0 {
				if err != nil || repos == nil || len(*repos) != 0 {
					t.Errorf("%s: repos %v, error %v", tt.project, repos, err)
				}
				continue
			}
			we, ok := wrappedError(err)
			if !ok || *we.StatusCode != tt.status || !strings.HasPrefix(*we.Message, tt.message) {
				t.Errorf("%s: error %T %v, want %d %s…", tt.project, err, err, tt.status, tt.message)
			}
		}
	})

	t.Run("missing scope", func(t *testing.T) {
		// Builds need vso.build, which pat-other lacks: the empty 401 comes
		// back as a *WrappedError, unlike the JSON errors, which are values.
		_, client := connect("pat-other")
		bc := build.ClientImpl{Client: *client}
		_, err := bc.GetBuilds(ctx, build.GetBuildsArgs{Project: ptr("infra"), Top: ptr(1)})
		var p *azuredevops.WrappedError
		if !errors.As(err, &p) || *p.StatusCode != 401 || p.TypeKey != nil {
			t.Errorf("error %T %v, want *WrappedError 401 without a type key", err, err)
		}
		if _, isValue := err.(azuredevops.WrappedError); isValue {
			t.Errorf("a value")
		}
	})

	if v := a.Violations(); len(v) != 0 {
		t.Errorf("violations %q", v)
	}
	paths := map[string]bool{}
	for _, r := range a.Requests() {
		paths[r.Method+" "+r.Path] = true
		if r.Method == "GET" && r.RawQuery != "" && r.Path == "/contoso/_apis/ConnectionData" {
			t.Errorf("connectionData query %q", r.RawQuery)
		}
	}
	for req, want := range map[string]string{
		"OPTIONS /contoso/_apis":                "application/json",
		"GET /contoso/_apis/ConnectionData":     "application/json;api-version=7.1-preview.1",
		"GET /contoso/_apis/ResourceAreas":      "application/json;api-version=5.1-preview.1",
		"GET /contoso/_apis/git/repositories":   "application/json;api-version=7.1-preview.1",
		"GET /contoso/infra/_apis/build/builds": "application/json;api-version=7.1-preview.7",
	} {
		if accept[req] != want {
			t.Errorf("%s: Accept %q, want %q", req, accept[req], want)
		}
	}
	for _, want := range []string{
		"OPTIONS /contoso/_apis",
		"GET /contoso/_apis/ConnectionData",
		"GET /contoso/_apis/ResourceAreas",
		"GET /contoso/_apis/git/repositories",
		"GET /contoso/Web App/_apis/git/repositories", // Request.Path is decoded
		"GET /contoso/infra/_apis/build/builds",
	} {
		if !paths[want] {
			t.Errorf("no request %q; got %v", want, paths)
		}
	}
}

func TestGeneratedAzurePATs(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, seed := range []string{"", "a", "b", "demo", "official", "ünïcode"} {
		legacy, current := LegacyAzurePAT(seed), CurrentAzurePAT(seed)
		if legacy != LegacyAzurePAT(seed) || current != CurrentAzurePAT(seed) {
			t.Errorf("%q: not deterministic", seed)
		}
		if seen[legacy] || seen[current] {
			t.Errorf("%q: repeats another seed's PAT", seed)
		}
		seen[legacy], seen[current] = true, true

		if len(legacy) != 52 || strings.Trim(legacy, "abcdefghijklmnopqrstuvwxyz234567") != "" {
			t.Errorf("legacy %q: not 52 base32 characters", legacy)
		}
		if !token.ValidAzureLegacyChecksum(legacy) {
			t.Errorf("legacy %q: checksum does not verify", legacy)
		}
		if len(current) != 84 || current[52:58] != "JQQJ99" || current[76:80] != "AZDO" ||
			current[58] < 'A' || current[58] > 'C' || current[59] < 'A' || current[59] > 'L' {
			t.Errorf("current %q: wrong structure", current)
		}
		for _, pat := range []string{legacy, current} {
			in := token.Inspect(pat)
			if in.Kind != token.AzureDevOps || len(in.Problems) != 0 {
				t.Errorf("%q: kind %s, problems %v", pat, in.Kind, in.Problems)
			}
		}
		// One changed character breaks the legacy checksum.
		flipped := []byte(legacy)
		flipped[10] = map[bool]byte{true: 'b', false: 'a'}[flipped[10] == 'a']
		if token.ValidAzureLegacyChecksum(string(flipped)) {
			t.Errorf("legacy %q: a changed character still verifies", legacy)
		}
	}
}

// A simulated Azure DevOps organization with one project and one PAT, asked
// who the token belongs to and whether it can read code.
func ExampleAzureDevOps() {
	ado := NewAzureDevOps("contoso")
	ado.SetNow(func() time.Time { return time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC) })
	ado.AddProject("web")
	pat := LegacyAzurePAT("example")
	ado.AddPAT(AzurePAT{
		Value:       pat,
		DisplayName: "ci",
		UserID:      "6f1c2f0e-3b7a-4c51-9d2e-8a4b5c6d7e8f",
		Email:       "ada@example.com",
		DisplayUser: "Ada Lovelace",
		Scopes:      []string{"vso.build"},
		ValidTo:     time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
	})
	srv := httptest.NewServer(ado)
	defer srv.Close()

	for _, path := range []string{"/contoso/_apis/connectionData", "/contoso/web/_apis/git/repositories"} {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.SetBasicAuth("", pat)
		req.Header.Set("X-TFS-FedAuthRedirect", "Suppress")
		resp, err := ownClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		resp.Body.Close()
		fmt.Printf("%s %d %q\n", path, resp.StatusCode, resp.Header.Get("X-VSS-UserData"))
	}
	fmt.Println(len(ado.Violations()), "violations")
	// Output:
	// /contoso/_apis/connectionData 200 "6f1c2f0e-3b7a-4c51-9d2e-8a4b5c6d7e8f:ada@example.com"
	// /contoso/web/_apis/git/repositories 401 ""
	// 0 violations
}

func TestAzureGUIDs(t *testing.T) {
	t.Parallel()
	if azureNamespace.String() != "5f0c3a52-8e59-4d35-9b1e-7a4f1c2d6e80" {
		t.Errorf("namespace = %s", azureNamespace)
	}
	// Name-based ids stay what they were: version 5 UUIDs of the namespace.
	for _, tt := range []struct{ kind, name, want string }{
		{"instance", "fabrikam", "28c3b4fe-4186-543e-87e8-98415ccd3ce8"},
		{"project", "Web", "ec733446-579c-50ef-b59d-5a23ce48cadf"},
		{"", "", "acee529b-b53a-500e-8fb3-7f5d6bc7d0af"},
	} {
		if got := azureGUID(tt.kind, tt.name); got != tt.want {
			t.Errorf("azureGUID(%q, %q) = %s, want %s", tt.kind, tt.name, got, tt.want)
		}
	}
	const canonical = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
	for _, in := range []string{canonical, strings.ToUpper(canonical), "{" + canonical + "}", "urn:uuid:" + canonical,
		"URN:UUID:" + canonical, strings.ReplaceAll(canonical, "-", "")} {
		if g, err := parseGUID(in); err != nil || g.String() != canonical {
			t.Errorf("parseGUID(%q) = %s, %v", in, g, err)
		}
	}
	for _, in := range []string{"", "ada", canonical[:35], canonical + "0", strings.ReplaceAll(canonical, "-", "_"),
		"{" + canonical + ")", "urn:uid:x" + canonical, strings.Replace(canonical, "0", "g", 1)} {
		if _, err := parseGUID(in); err == nil {
			t.Errorf("parseGUID(%q) accepted", in)
		}
	}
}
