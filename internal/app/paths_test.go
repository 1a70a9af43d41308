package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate"
)

// A workflow that needs repo to push, under .github/workflows.
const outsideWorkflow = "on: push\njobs:\n  bump:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: octo/pat-check@v1\n        with:\n          token: ${{ secrets.PAT }}\n          infer: true\n      - run: git push\n        env:\n          GH_TOKEN: ${{ secrets.PAT }}\n"

// infer reads only files of the checkout: GITHUB_WORKFLOW_REF with "..",
// pipelineFile with ".." or an absolute path, or a link that leads out of
// the workspace, reads nothing outside it.
func TestInferReadsNothingOutsideTheWorkspace(t *testing.T) {
	t.Parallel()
	api, tok := healthyAPI(t, 0)
	base := t.TempDir()
	ws := filepath.Join(base, "ws")
	wf := filepath.Join(ws, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(base, "outside.yml")
	if err := os.WriteFile(outside, []byte(outsideWorkflow), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(wf, "link.yml")); err != nil {
		t.Fatal(err)
	}
	actions := func(ref string) map[string]string {
		return map[string]string{"GITHUB_ACTIONS": "true", "INPUT_TOKEN": tok, "INPUT_API-URL": api, "INPUT_INFER": "true",
			"GITHUB_WORKFLOW_REF": ref, "GITHUB_WORKSPACE": ws, "GITHUB_JOB": "bump", "GITHUB_ACTION": "__octo_pat-check"}
	}
	azure := func(file string) map[string]string {
		return map[string]string{"TF_BUILD": "True", "INPUT_TOKEN": tok, "INPUT_PROVIDER": "github", "INPUT_APIURL": api,
			"INPUT_INFER": "true", "INPUT_PIPELINEFILE": file, "BUILD_SOURCESDIRECTORY": ws, "AGENT_TEMPDIRECTORY": base}
	}
	for name, env := range map[string]map[string]string{
		"GITHUB_WORKFLOW_REF with ..": actions("octo/app/.github/workflows/../../../outside.yml@refs/heads/main"),
		"a link out of the workspace": actions("octo/app/.github/workflows/link.yml@refs/heads/main"),
		"pipelineFile with ..":        azure("../outside.yml"),
		"pipelineFile absolute":       azure(outside),
	} {
		code, ch := run(t, env)
		all := ch["stdout"] + ch["stderr"]
		if code != 2 || !strings.Contains(all, "is outside") {
			t.Errorf("%s: exit %d, want 2 and the file said to be outside\n%s", name, code, all)
		}
	}
}

// A file name with a line break is shown quoted, on one line, in the
// summary and the command-line text; the report keeps it as JSON escapes.
func TestAFileNameWithALineBreakStaysOnOneLine(t *testing.T) {
	t.Parallel()
	api, tok := healthyAPI(t, 0)
	ws := t.TempDir()
	name := "a\n::error::forged\n| x |.yml"
	if err := os.WriteFile(filepath.Join(ws, name), []byte("token: "+tok+"\n"), 0o644); err != nil {
		t.Skip(err) // a file system that refuses the name
	}
	for _, fe := range frontEnds {
		scan := "true"
		if strings.HasPrefix(fe, "cli") {
			scan = ws
		}
		code, ch := runIn(t, context.Background(), fe, tok, map[string]string{"api-url": api, "scan-workspace": scan,
			"env:GITHUB_WORKSPACE": ws, "env:BUILD_SOURCESDIRECTORY": ws}, World{})
		if code != 1 {
			t.Errorf("%s: exit %d, want 1 (committed)", fe, code)
		}
		for channel, text := range ch {
			if strings.Contains(text, "\n::error::forged") || strings.Contains(text, "forged\n|") {
				t.Errorf("%s %s: the name split a line:\n%s", fe, channel, text)
			}
		}
		if !strings.Contains(ch.all(), `a\n::error::forged\n| x |.yml`) && !strings.Contains(ch.all(), `a\\n::error::forged\\n| x |.yml`) {
			t.Errorf("%s: the name is not shown quoted:\n%s", fe, ch.all())
		}
	}
}

// The outputs under Actions are neutralised as log lines are (the Azure
// variables always were): a later step's echo "$LOGIN" runs nothing.
func TestOutputsAreNeutralisedInBothFrontEnds(t *testing.T) {
	t.Parallel()
	tok := simulate.ClassicToken("evil-login")
	api, _ := hostileAPI(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-OAuth-Scopes", "repo")
		fmt.Fprint(w, `{"login": "octo ##[error]forged ##vso[task.prependpath]/evil", "id": 1}`)
	})
	for _, fe := range []string{"actions", "azure"} {
		_, ch := runIn(t, context.Background(), fe, tok, map[string]string{"api-url": api}, World{})
		text := ch["GITHUB_OUTPUT"]
		if fe == "azure" {
			text = ch["stdout"]
		}
		if !strings.Contains(text, "octo # #[error]forged ## vso[task.prependpath]/evil") {
			t.Errorf("%s: the login output is not neutralised:\n%s", fe, text)
		}
	}
}

// A report path that is a directory is said to be one.
func TestAReportPathThatIsADirectorySaysSo(t *testing.T) {
	t.Parallel()
	api, tok := healthyAPI(t, 0)
	dir := t.TempDir()
	code, ch := runIn(t, context.Background(), "cli-json", tok, map[string]string{"api-url": api, "report-path": dir}, World{})
	var r struct {
		Findings []struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(ch["stdout"]), &r); err != nil {
		t.Fatal(err)
	}
	if code != 3 || len(r.Findings) == 0 || !strings.Contains(r.Findings[len(r.Findings)-1].Message, "it is a directory") || strings.Contains(ch["stderr"], "file exists") {
		t.Errorf("exit %d\n%s%s", code, ch["stdout"], ch["stderr"])
	}
}
