package needs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// inTime fails the test when f takes longer than d: a hang is a failure,
// not a test that never ends.
func inTime(t *testing.T, d time.Duration, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(d):
		t.Fatalf("still running after %v", d)
	}
}

// aliasBomb is YAML whose aliases expand each level tenfold: levels deep,
// 10^levels nodes once expanded, a few kilobytes written.
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("on: push\nx0: &x0 [a, a, a, a, a, a, a, a, a, a]\n")
	for i := 1; i <= levels; i++ {
		fmt.Fprintf(&b, "x%d: &x%d [*x%d, *x%d, *x%d, *x%d, *x%d, *x%d, *x%d, *x%d, *x%d, *x%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	b.WriteString("jobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ secrets.T }}\n        env: {X: *x" + fmt.Sprint(levels) + "}\n")
	return b.String()
}

// Hostile files are errors of their own, quickly, without a crash: a
// run: of 200,000 nested parentheses (a recursive parser overflows Go's
// stack, which cannot be recovered), the same inside an expression,
// aliases that expand to billions of nodes, a file over 4 MiB.
func TestHostileFilesAreBounded(t *testing.T) {
	deep := strings.Repeat("(", 200_000) + strings.Repeat(")", 200_000)
	substs := strings.Repeat("$(", 200_000) + "true" + strings.Repeat(")", 200_000)
	cases := map[string]string{
		// Before the bound: fatal error: stack overflow in the shell parser.
		"command substitutions in run": "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo " + substs + " ${{ secrets.T }}\n",
		"parentheses in an expression": "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ " + deep + " }}\n",
		"flow nesting":                 "on: push\njobs: " + strings.Repeat("[", 200_000) + strings.Repeat("]", 200_000) + "\n",
		"aliases":                      aliasBomb(9),
		"pipeline aliases":             strings.Replace(strings.Replace(aliasBomb(9), "on: push\n", "trigger: none\n", 1), "jobs:\n  j:\n    runs-on: ubuntu-latest\n", "", 1),
		"over 4 MiB":                   "on: push\n# " + strings.Repeat("x", 5<<20) + "\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			var err error
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			inTime(t, 5*time.Second, func() {
				for _, f := range []string{".github/workflows/x.yml", "azure-pipelines.yml"} {
					if _, err = File(f, []byte(src)); err == nil {
						break
					}
				}
			})
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("read without an error")
			}
			if grown := after.TotalAlloc - before.TotalAlloc; grown > 256<<20 {
				t.Errorf("allocated %d MiB", grown>>20)
			}
		})
	}
}

// Special files are errors listed with the others, never opened: a FIFO
// (opening one waits for a writer), a link to /dev/zero (an endless
// file), a link that leaves the directory; the regular files beside them
// are still read.
func TestSpecialFilesAreListedNotRead(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("FIFOs and /dev/zero are Unix's")
	}
	dir := t.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(wf, "fifo.yml"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/dev/zero", filepath.Join(wf, "zero.yml")); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "outside.yml")
	if err := os.WriteFile(outside, []byte("on: push\njobs: {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(wf, "outside.yml")); err != nil {
		t.Fatal(err)
	}
	good := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh pr create --fill\n        env: {GH_TOKEN: \"${{ secrets.BOT_PAT }}\"}\n"
	if err := os.WriteFile(filepath.Join(wf, "good.yml"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	var a Analysis
	var err error
	inTime(t, 5*time.Second, func() { a, _, err = Load(context.Background(), dir, nil) })
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, e := range a.Errors {
		got[filepath.Base(e.File)] = e.Msg
	}
	for f, want := range map[string]string{"fifo.yml": "named pipe", "zero.yml": "leaves", "outside.yml": "leaves"} {
		if !strings.Contains(got[f], want) {
			t.Errorf("%s: error %q, want %q (errors %+v)", f, got[f], want, a.Errors)
		}
	}
	if len(a.Uses) != 1 || a.Uses[0].Token != "BOT_PAT" {
		t.Errorf("the good file was not read: %+v", a.Uses)
	}
}

// A cancelled context stops Load between files.
func TestLoadStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Load(ctx, ".", []string{"testdata"}); err == nil {
		t.Error("a cancelled Load read on")
	}
}

// A pipeline's steps under every branch of a template expression are read
// (the condition noted in the step's name), its local templates are
// followed, and a variable the file sets to a plain value is no token
// wherever it goes.
func TestPipelineBranchesAndTemplates(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, ".azure-pipelines", "templates"), 0o755); err != nil {
		t.Fatal(err)
	}
	main := "trigger: none\nvariables:\n  releaseBranch: release/1.0\nsteps:\n" +
		"  - ${{ if eq(parameters.publish, true) }}:\n" +
		"    - script: git push \"https://bot:$(GH_PUSH_PAT)@github.com/octo/mirror.git\" HEAD:$(releaseBranch)\n" +
		"  - ${{ else }}:\n" +
		"    - script: az pipelines run --name nightly\n      env:\n        AZURE_DEVOPS_EXT_PAT: $(ADO_PAT)\n" +
		"  - template: .azure-pipelines/templates/publish.yml\n"
	tmpl := "steps:\n  - script: az artifacts universal publish --feed f --name n --version 1.0.0 --path .\n    env:\n      AZURE_DEVOPS_EXT_PAT: $(FEED_PAT)\n"
	for f, src := range map[string]string{"azure-pipelines.yml": main, ".azure-pipelines/templates/publish.yml": tmpl} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	a, _, err := Load(context.Background(), dir, []string{"azure-pipelines.yml"})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, u := range a.Uses {
		got[u.Token] = u.Rule + " @ " + u.Step
	}
	for tok, want := range map[string]string{"GH_PUSH_PAT": "git push @ script: git push", "ADO_PAT": "az pipelines run/build queue @ script: az pipelines run",
		"FEED_PAT": "az artifacts universal publish"} {
		if !strings.HasPrefix(got[tok], want) {
			t.Errorf("%s: %q, want %q…", tok, got[tok], want)
		}
	}
	if !strings.Contains(got["GH_PUSH_PAT"], "[under ${{ if eq(parameters.publish, true) }}]") || !strings.Contains(got["ADO_PAT"], "[under ${{ else }}]") {
		t.Errorf("conditions not noted: %v", got)
	}
	if len(a.NotTokens) != 1 || a.NotTokens[0].Secret != "releaseBranch" {
		t.Errorf("not tokens %+v, want releaseBranch", a.NotTokens)
	}
}

// A script in a shell pat-check does not read, after a checkout that
// persisted a token, leaves that token unknown rather than silent.
func TestOtherShellAfterPersistedCheckout(t *testing.T) {
	wf := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n" +
		"      - uses: actions/checkout@v4\n        with:\n          token: ${{ secrets.BOT_PAT }}\n" +
		"      - shell: python\n        run: |\n          import subprocess\n          subprocess.run(['git', 'push'])\n"
	a, err := File(".github/workflows/x.yml", []byte(wf))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(a.Unknowns, func(u Unknown) bool { return u.Token == "BOT_PAT" && strings.Contains(u.Why, "python") }) {
		t.Errorf("unknowns %+v: want BOT_PAT in the python step", a.Unknowns)
	}
}

// .github/workflows as a link to a directory is read where it points.
func TestWorkflowsDirectoryAsALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(real, 0o755); err != nil {
		t.Fatal(err)
	}
	good := "on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n      - run: gh pr create --fill\n        env: {GH_TOKEN: \"${{ secrets.BOT_PAT }}\"}\n"
	if err := os.WriteFile(filepath.Join(real, "w.yml"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, ".github"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(dir, ".github", "workflows")); err != nil {
		t.Fatal(err)
	}
	a, files, err := Load(context.Background(), dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || files[0] != filepath.Join(".github", "workflows", "w.yml") || len(a.Uses) != 1 {
		t.Errorf("files %v, uses %+v", files, a.Uses)
	}
}
