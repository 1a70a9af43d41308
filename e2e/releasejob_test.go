package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// A classic release job has no sources: the agent sets no
// BUILD_SOURCESDIRECTORY, and SYSTEM_DEFAULTWORKINGDIRECTORY holds the
// artifacts the job downloaded. scanWorkspace searches there; infer has
// no pipeline YAML to read and says so in one notice, without failing.
func TestClassicReleaseJob(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	artifacts := t.TempDir()
	release := func(inputs map[string]string) azureRun {
		t.Helper()
		env := map[string]string{"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": t.TempDir(), "INPUT_TOKEN": fixture.Healthy, "INPUT_APIURL": w.API,
			"SYSTEM_COLLECTIONURI": "https://dev.azure.com/contoso/", "SYSTEM_TEAMPROJECT": "web",
			"SYSTEM_DEFAULTWORKINGDIRECTORY": artifacts, "RELEASE_RELEASEID": "7"}
		for k, v := range inputs {
			env["INPUT_"+strings.ToUpper(k)] = v
		}
		return parseAzureRun(t, run(t, env, ""), fixture.Healthy)
	}
	const none = "infer has nothing to read in a classic release job"

	r := release(map[string]string{"infer": "true"})
	if r.code != 0 || strings.Count(r.stdout, none) != 1 || strings.Count(r.stdout, "requirement-unknown") != 1 {
		t.Errorf("infer: exit %d, want 0 and one notice %q\n%s", r.code, none, r.shown())
	}

	r = release(map[string]string{"scanWorkspace": "true"})
	if r.code != 0 {
		t.Errorf("scan of clean artifacts: exit %d\n%s", r.code, r.shown())
	}
	if err := os.MkdirAll(filepath.Join(artifacts, "_web", "drop"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(artifacts, "_web", "drop", "settings.json"), []byte(`{"token": "`+fixture.Healthy+`"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	r = release(map[string]string{"scanWorkspace": "true"})
	if r.code != 1 || !strings.Contains(strings.Join(r.codes, ","), "token-committed") {
		t.Errorf("scan of artifacts holding the token: exit %d codes %v\n%s", r.code, r.codes, r.shown())
	}
}
