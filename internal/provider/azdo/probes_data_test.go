package azdo

import (
	"strings"
	"testing"

	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"

	"github.com/pat-check/pat-check/internal/platformdata"
)

// Every probe's scope is in the docs' scope table; a write probe's scope is
// a write scope there (it includes its area's read scope), and the docs'
// description of it names the kind of change the endpoint makes.
func TestWriteProbesFollowScopeData(t *testing.T) {
	t.Parallel()
	desc := map[string]string{}
	for _, s := range platformdata.AzureScopes() {
		desc[s.Scope] = strings.ToLower(s.Description)
	}
	verbs := map[string]string{"vso.code_write": "update", "vso.build_execute": "update build", "vso.work_write": "update work items"}
	for scope, p := range scopeProbes {
		d, ok := desc[scope]
		if !ok {
			t.Errorf("%s is not in the docs' scope table", scope)
			continue
		}
		_, read, _ := azplatform.Family(scope)
		if p.write() == read {
			t.Errorf("%s: write probe %v, but the docs make it a read scope: %v", scope, p.write(), read)
		}
		if p.write() && !strings.Contains(d, verbs[scope]) {
			t.Errorf("%s: the docs' description %q does not name %q", scope, d, verbs[scope])
		}
	}
	for _, want := range []string{"vso.code_write", "vso.build_execute", "vso.work_write"} {
		if !scopeProbes[want].write() {
			t.Errorf("%s has no write probe", want)
		}
	}
}
