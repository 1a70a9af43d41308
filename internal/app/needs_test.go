package app

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/frontend"
)

// Workflow text is other people's: a step's name or an Azure displayName
// that spells a logging or workflow command comes out of `pat-check needs`
// neutralised, in text and in JSON, on stdout and on stderr.
func TestNeedsPrintsNoCommandFromTheWorkflows(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gh := "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - name: \"##vso[task.setvariable variable=PWNED]yes\"\n        run: gh pr list\n        env:\n          GH_TOKEN: ${{ secrets.MY_PAT }}\n" +
		"      - name: \"::error::forged ##[error]x\"\n        run: git push\n        env:\n          GH_TOKEN: ${{ secrets.MY_PAT }}\n"
	az := "steps:\n- script: git push\n  displayName: \"##vso[task.prependpath]/home/evil/bin\"\n  env:\n    GH_TOKEN: $(MY_PAT)\n"
	if err := os.WriteFile(filepath.Join(dir, "ci.yml"), []byte(gh), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "azure-pipelines.yml"), []byte(az), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		var out, errb lockedBuffer
		code := Main(context.Background(), []string{"needs", "--format", format, filepath.Join(dir, "ci.yml"), filepath.Join(dir, "azure-pipelines.yml")},
			func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &errb}, World{})
		if code != 0 {
			t.Fatalf("%s: exit %d\n%s", format, code, errb.String())
		}
		if !strings.Contains(out.String(), "PWNED") || !strings.Contains(out.String(), "prependpath") {
			t.Fatalf("%s: the steps are not in the output:\n%s", format, out.String())
		}
		for name, text := range map[string]string{"stdout": out.String(), "stderr": errb.String()} {
			if c := commandsNotOurs(text, false, false); len(c) > 0 {
				t.Errorf("%s %s: commands from the workflows: %q", format, name, c)
			}
		}
		if format == "json" && !json.Valid([]byte(out.String())) {
			t.Errorf("the JSON is not JSON:\n%s", out.String())
		}
	}
	// An error names the file; its name is neutralised too.
	bad := filepath.Join(dir, "##vso[task.setvariable variable=X]y.yml")
	if err := os.WriteFile(bad, []byte("on: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb lockedBuffer
	Main(context.Background(), []string{"needs", bad}, func(string) string { return "" }, frontend.Stdio{Out: &out, Err: &errb}, World{})
	if c := commandsNotOurs(out.String()+errb.String(), false, false); len(c) > 0 {
		t.Errorf("commands from a file name: %q", c)
	}
}
