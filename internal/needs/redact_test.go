package needs

import (
	"strings"
	"testing"
)

// A value written into a workflow or pipeline by mistake is another secret,
// which no mask covers: the step names and snippets needs quotes hide
// anything token-shaped, in text and JSON.
func TestStepNamesAndSnippetsHideTokenShapedText(t *testing.T) {
	t.Parallel()
	const leaked = "ghp_" + "0123456789abcdefghijABCDEFGHIJklmnopqr"
	const adoLeaked = "q7" + "x9Kp2x9Kp2x9Kp2x9Kp2x9Kp2x9Kp2x9Kp2x9Kp2x9Kp2x9Kp2"
	wf := "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - name: push with " + leaked + "\n        run: git push https://x:${{ secrets.A }}@github.com/o/r.git\n" +
		"      - run: 'curl -H \"Authorization: token " + leaked + "\" -H \"X: ${{ secrets.B }}\" https://api.github.com/repos/o/r/pulls'\n"
	pl := "steps:\n- script: az repos list --org https://dev.azure.com/c # " + adoLeaked + "\n  env:\n    AZURE_DEVOPS_EXT_PAT: $(C)\n" +
		"- bash: echo\n  displayName: deploy " + adoLeaked + "\n  env:\n    AZURE_DEVOPS_EXT_PAT: $(C)\n"
	for _, tt := range []struct{ file, src, secret string }{
		{".github/workflows/ci.yml", wf, leaked},
		{"azure-pipelines.yml", pl, adoLeaked},
	} {
		a, err := File(tt.file, []byte(tt.src))
		if err != nil {
			t.Fatalf("%s: %v", tt.file, err)
		}
		rep := NewReport(a, []string{tt.file})
		out := Text(a.Tokens(), []string{tt.file}) + string(JSON(a.Tokens())) + string(rep.JSON())
		if strings.Contains(out, tt.secret) {
			t.Errorf("%s: a token-shaped value of the file is quoted:\n%s", tt.file, out)
		}
		if !strings.Contains(out, "push with") && !strings.Contains(out, "deploy") && !strings.Contains(out, "az repos") {
			t.Errorf("%s: the steps are not named at all:\n%s", tt.file, out)
		}
	}
}
