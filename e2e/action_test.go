package e2e

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate/fixture"
)

// actionStep is the composite step of action.yml as the runner sees it.
type actionStep struct {
	env      map[string]string // env: values, with ${{ inputs.X }} expressions
	run      string
	defaults map[string]string // input defaults
	outputs  map[string]string // output name → step output it maps
}

var (
	reInputExpr  = regexp.MustCompile(`^\$\{\{ inputs\.([a-z-]+) \}\}$`)
	reOutputExpr = regexp.MustCompile(`^\$\{\{ steps\.check\.outputs\.([a-z-]+) \}\}$`)
)

// readAction reads the parts of action.yml a runner uses for this action:
// input defaults, the output mapping, and the step's env and run. The file
// is generated with a fixed layout, so a line reader suffices.
func readAction(t *testing.T, path string) actionStep {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	a := actionStep{env: map[string]string{}, defaults: map[string]string{}, outputs: map[string]string{}}
	section, item := "", ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		trimmed := strings.TrimSpace(line)
		indent := len(line) - len(strings.TrimLeft(line, " "))
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
		case indent == 0:
			section, _, _ = strings.Cut(trimmed, ":")
		case section == "inputs" && indent == 2:
			item = strings.TrimSuffix(trimmed, ":")
		case section == "inputs" && strings.HasPrefix(trimmed, "default:"):
			a.defaults[item] = unquoteYAML(strings.TrimSpace(strings.TrimPrefix(trimmed, "default:")))
		case section == "outputs" && indent == 2:
			item = strings.TrimSuffix(trimmed, ":")
		case section == "outputs" && strings.HasPrefix(trimmed, "value:"):
			m := reOutputExpr.FindStringSubmatch(strings.TrimSpace(strings.TrimPrefix(trimmed, "value:")))
			if m == nil {
				t.Fatalf("output %s has an unexpected value: %s", item, trimmed)
			}
			a.outputs[item] = m[1]
		case section == "runs" && indent == 8 && strings.Contains(trimmed, ": "):
			k, v, _ := strings.Cut(trimmed, ": ")
			a.env[k] = v
		case section == "runs" && strings.HasPrefix(trimmed, "run:"):
			a.run = strings.TrimSpace(strings.TrimPrefix(trimmed, "run:"))
		}
	}
	if a.run == "" || len(a.env) == 0 || len(a.outputs) == 0 {
		t.Fatalf("action.yml: no run step, env or outputs found")
	}
	return a
}

func unquoteYAML(s string) string {
	if len(s) >= 2 && s[0] == '\'' && s[len(s)-1] == '\'' {
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}

// actionRig is a copy of the action as a runner checks it out, and a
// "release" to download from.
type actionRig struct {
	path     string // GITHUB_ACTION_PATH
	download string // a mirror of the releases, served as file://: DIR/vX.Y.Z/ASSET
	asset    string
}

func runnerOSArch() (string, string) {
	osName := map[string]string{"linux": "Linux", "darwin": "macOS", "windows": "Windows"}[runtime.GOOS]
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	return osName, arch
}

// newActionRig copies action.yml and the script; with release true it adds
// release/version and release/checksums.txt for the test binary.
func newActionRig(t *testing.T, release bool) actionRig {
	t.Helper()
	r := actionRig{path: t.TempDir(), download: t.TempDir()}
	for _, f := range []string{"action.yml", "scripts/action-run.sh"} {
		b, err := os.ReadFile(filepath.Join("..", f))
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(r.path, f)
		_ = os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if !release {
		return r
	}
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	r.asset = "pat-check_" + runtime.GOOS + "_" + runtime.GOARCH + exe
	b, err := os.ReadFile(binary)
	if err != nil {
		t.Fatal(err)
	}
	_ = os.MkdirAll(filepath.Join(r.download, "v1.2.3"), 0o755)
	if err := os.WriteFile(filepath.Join(r.download, "v1.2.3", r.asset), b, 0o755); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	_ = os.MkdirAll(filepath.Join(r.path, "release"), 0o755)
	checksums := hex.EncodeToString(sum[:]) + "  " + r.asset + "\n" + strings.Repeat("0", 64) + "  pat-check_other_os\n"
	_ = os.WriteFile(filepath.Join(r.path, "release", "checksums.txt"), []byte(checksums), 0o644)
	_ = os.WriteFile(filepath.Join(r.path, "release", "version"), []byte("v1.2.3\n"), 0o644)
	return r
}

type actionResult struct {
	result
	outputs map[string]string // the action's outputs, through the outputs: mapping
}

// runAction runs the composite step under bash with the environment a
// runner gives it: the step's env: with the inputs substituted (defaults
// for the ones not given), GITHUB_ACTION_PATH, RUNNER_*, GITHUB_OUTPUT.
func runAction(t *testing.T, rig actionRig, inputs map[string]string, extra map[string]string) actionResult {
	t.Helper()
	step := readAction(t, filepath.Join(rig.path, "action.yml"))
	runnerTemp := t.TempDir()
	outFile := filepath.Join(runnerTemp, "output")
	_ = os.WriteFile(outFile, nil, 0o644)
	osName, arch := runnerOSArch()
	env := map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_ACTION_PATH": rig.path, "GITHUB_OUTPUT": outFile,
		"RUNNER_OS": osName, "RUNNER_ARCH": arch, "RUNNER_TEMP": runnerTemp, "RUNNER_TOOL_CACHE": filepath.Join(runnerTemp, "tool-cache"),
		"PAT_CHECK_DOWNLOAD_URL": "file://" + filepath.ToSlash(rig.download),
	}
	for k, v := range step.env {
		m := reInputExpr.FindStringSubmatch(v)
		if m == nil {
			t.Fatalf("env %s is not an input expression: %s", k, v)
		}
		value, ok := inputs[m[1]]
		if !ok {
			value = step.defaults[m[1]]
		}
		env[k] = value
	}
	for k, v := range extra {
		env[k] = v
	}
	cmd := exec.Command("bash", "-c", step.run)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "GOPATH=" + os.Getenv("GOPATH"),
		"GOCACHE=" + goEnv(t, "GOCACHE"), "GOMODCACHE=" + goEnv(t, "GOMODCACHE"), "GOFLAGS=" + os.Getenv("GOFLAGS"), "GOPROXY=" + os.Getenv("GOPROXY")}
	cmd.Env = append(cmd.Env, binaryEnv()...)
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	res := actionResult{result: result{stdout: out.String(), stderr: errb.String()}}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(outFile)
	stepOutputs := parseOutputFile(t, string(b))
	res.outputs = map[string]string{}
	for name, from := range step.outputs {
		res.outputs[name] = stepOutputs[from]
	}
	return res
}

func goEnv(t *testing.T, name string) string {
	out, err := exec.Command("go", "env", name).Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(string(out))
}

func TestActionFromARelease(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	rig := newActionRig(t, true)
	r := runAction(t, rig, map[string]string{"token": fixture.NoWorkflow, "scopes": "repo, workflow", "api-url": w.API, "min-days-left": "3"}, nil)
	if r.code != 1 || r.outputs["result"] != "fail" || r.outputs["missing"] != "workflow" || r.outputs["login"] != "octocat" || r.outputs["token-type"] != "classic" {
		t.Fatalf("exit %d outputs %v\n%s%s", r.code, r.outputs, r.shown(), r.stderr)
	}
	if !strings.HasPrefix(r.stdout, "::add-mask::") {
		t.Error("the first line is not the mask")
	}
	assertNoLeak(t, fixture.NoWorkflow, "stderr", r.stderr)
	// The second run finds the verified binary in the tool cache.
	r = runAction(t, rig, map[string]string{"token": fixture.Healthy, "api-url": w.API}, nil)
	if r.code != 0 || r.outputs["result"] != "pass" || r.outputs["valid"] != "true" {
		t.Errorf("healthy: exit %d outputs %v", r.code, r.outputs)
	}
}

func TestActionRefusesABinaryThatDoesNotMatch(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	rig := newActionRig(t, true)
	// Altered binary: one byte changed in the downloaded asset.
	asset := filepath.Join(rig.download, "v1.2.3", rig.asset)
	b, _ := os.ReadFile(asset)
	b[len(b)/2] ^= 0xff
	_ = os.WriteFile(asset, b, 0o755)
	r := runAction(t, rig, map[string]string{"token": fixture.Healthy, "api-url": w.API}, nil)
	if r.code == 0 || !strings.Contains(r.stdout, "::error title=pat-check::the downloaded") || !strings.Contains(r.stdout, "does not match the checksum") {
		t.Errorf("altered binary: exit %d\n%s", r.code, r.stdout)
	}
	if len(w.GitHub.Requests()) != 0 {
		t.Error("an unverified binary ran")
	}
	// Missing checksum entry.
	rig2 := newActionRig(t, true)
	_ = os.WriteFile(filepath.Join(rig2.path, "release", "checksums.txt"), []byte(strings.Repeat("0", 64)+"  pat-check_other_os\n"), 0o644)
	r = runAction(t, rig2, map[string]string{"token": fixture.Healthy, "api-url": w.API}, nil)
	if r.code == 0 || !strings.Contains(r.stdout, "has no checksum for") {
		t.Errorf("missing checksum: exit %d\n%s", r.code, r.stdout)
	}
}

func TestActionOnAnUnsupportedRunner(t *testing.T) {
	t.Parallel()
	rig := newActionRig(t, true)
	r := runAction(t, rig, map[string]string{"token": fixture.Healthy}, map[string]string{"RUNNER_ARCH": "ARM"})
	if r.code == 0 || !strings.Contains(r.stdout, "unsupported runner architecture 'ARM'") {
		t.Errorf("exit %d\n%s", r.code, r.stdout)
	}
}

// A ref without a release (a branch, uses: ./) builds from source.
func TestActionFromSource(t *testing.T) {
	t.Parallel()
	w := newWorld(t, "")
	// The action path is the repository itself, as with uses: ./ (it has
	// no release/ folder: that exists only in release commits).
	repo, _ := filepath.Abs("..")
	if _, err := os.Stat(filepath.Join(repo, "release")); err == nil {
		t.Skip("this checkout is a release commit")
	}
	rig := actionRig{path: repo}
	r := runAction(t, rig, map[string]string{"token": fixture.Healthy, "api-url": w.API, "scopes": "repo"}, nil)
	if r.code != 0 || r.outputs["result"] != "pass" || !strings.Contains(r.stdout, "building from source") {
		t.Errorf("exit %d outputs %v\n%s%s", r.code, r.outputs, r.shown(), r.stderr)
	}
	// Without Go on the PATH the step fails with a clear message.
	if runtime.GOOS == "windows" {
		return // a PATH of symlinked tools is a Unix device
	}
	noGo := t.TempDir()
	for _, tool := range []string{"bash", "cat", "tr", "awk", "cut", "mkdir", "dirname"} {
		if p, err := exec.LookPath(tool); err == nil {
			_ = os.Symlink(p, filepath.Join(noGo, tool))
		}
	}
	r = runAction(t, rig, map[string]string{"token": fixture.Healthy}, map[string]string{"PATH": noGo})
	if r.code == 0 || !strings.Contains(r.stdout, "has no Go") {
		t.Errorf("no Go: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
