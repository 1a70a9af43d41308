package needs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"

	"github.com/pat-check/pat-check/internal/check"
	azplatform "github.com/pat-check/pat-check/internal/platform/azdo"
	ghplatform "github.com/pat-check/pat-check/internal/platform/github"
)

// DefaultPaths are where needs looks when given no path.
var DefaultPaths = []string{".github/workflows", "azure-pipelines.yml", ".azure-pipelines"}

// maxFile bounds what is read of one file: workflows are small.
const maxFile = 4 << 20

// maxNodes bounds the YAML nodes of one file once its aliases are
// expanded: an alias bomb of a few kilobytes expands to billions.
const maxNodes = 200_000

// Load reads the workflows and pipelines at paths (files, or directories
// searched for *.yml and *.yaml) and analyses them. With no paths it reads
// DefaultPaths under dir, those that exist. A file that cannot be read or
// parsed is an entry of the analysis' Errors, and the others are still
// read; the error returned is for a path that does not exist (a usage
// error) or a stopped context. It is the package's only I/O.
func Load(ctx context.Context, dir string, paths []string) (Analysis, []string, error) {
	explicit := len(paths) > 0
	if !explicit {
		for _, p := range DefaultPaths {
			if _, err := os.Lstat(filepath.Join(dir, p)); err == nil {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			return Analysis{}, nil, &InputError{File: dir, Msg: "no .github/workflows, azure-pipelines.yml or .azure-pipelines here: give the files or directories to read"}
		}
	}
	var a Analysis
	var files []string
	for _, p := range paths {
		full := p
		if !filepath.IsAbs(p) {
			full = filepath.Join(dir, p)
		}
		st, err := os.Stat(full)
		if err != nil {
			if _, lerr := os.Lstat(full); lerr == nil {
				a.Errors = append(a.Errors, InputError{File: p, Msg: "a symbolic link to nothing readable: " + errText(err)})
				continue
			}
			return Analysis{}, nil, &InputError{File: p, Msg: "cannot be read: " + errText(err)}
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		// A directory given as a link (.github/workflows -> elsewhere) is
		// walked where it points: WalkDir does not follow a root link.
		root, err := filepath.EvalSymlinks(full)
		if err != nil {
			return Analysis{}, nil, &InputError{File: p, Msg: "cannot be read: " + errText(err)}
		}
		err = filepath.WalkDir(root, func(f string, d fs.DirEntry, err error) error {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			// Named as under the path given, wherever the link points.
			under, _ := filepath.Rel(root, f)
			f = filepath.Join(full, under)
			rel, _ := filepath.Rel(dir, f)
			if filepath.IsAbs(p) {
				rel = f
			}
			if err != nil {
				a.Errors = append(a.Errors, InputError{File: rel, Msg: "cannot be read: " + errText(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() || !(strings.HasSuffix(f, ".yml") || strings.HasSuffix(f, ".yaml")) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				target, err := filepath.EvalSymlinks(f)
				if err != nil {
					a.Errors = append(a.Errors, InputError{File: rel, Msg: "a symbolic link to nothing readable: " + errText(err)})
					return nil
				}
				if root != "" && !within(mustRel(root, target), ".") {
					a.Errors = append(a.Errors, InputError{File: rel, Msg: "a symbolic link that leaves the directory read: not read"})
					return nil
				}
			}
			files = append(files, rel)
			return nil
		})
		if err != nil {
			return a, files, err
		}
	}
	slices.Sort(files)
	files = slices.Compact(files)
	queue := slices.Clone(files)
	seen := map[string]bool{}
	for _, f := range files {
		seen[filepath.ToSlash(filepath.Clean(f))] = true
	}
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if err := ctx.Err(); err != nil {
			return a, files, err
		}
		full := f
		if !filepath.IsAbs(f) {
			full = filepath.Join(dir, f)
		}
		b, err := ReadFile(full)
		if err != nil {
			a.Errors = append(a.Errors, InputError{File: f, Msg: err.Error()})
			continue
		}
		fa, err := File(filepath.ToSlash(f), b)
		if err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				a.Errors = append(a.Errors, *ie)
			} else {
				a.Errors = append(a.Errors, InputError{File: f, Msg: err.Error()})
			}
			continue
		}
		a.merge(fa)
		// The local templates a pipeline names are read too, once each,
		// when they are inside dir.
		for _, t := range fa.templates {
			if filepath.IsAbs(f) || seen[t] || len(seen) >= maxTemplates || !within(t, ".") {
				continue
			}
			seen[t] = true
			if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(t))); err != nil {
				continue // a template of another repository's checkout, or a parameter
			}
			if !insideDir(dir, filepath.Join(dir, filepath.FromSlash(t))) {
				a.Errors = append(a.Errors, InputError{File: t, Msg: "a template that leads out of the directory read (a link): not read"})
				continue
			}
			files = append(files, filepath.FromSlash(t))
			queue = append(queue, filepath.FromSlash(t))
		}
	}
	return a, files, nil
}

// maxTemplates bounds the files one run reads through template: names.
const maxTemplates = 200

// insideDir reports whether path, its links resolved, is inside dir.
func insideDir(dir, path string) bool {
	d, err1 := filepath.EvalSymlinks(dir)
	p, err2 := filepath.EvalSymlinks(path)
	return err1 == nil && err2 == nil && within(mustRel(d, p), ".")
}

func mustRel(base, target string) string {
	r, err := filepath.Rel(base, target)
	if err != nil {
		return ".."
	}
	return r
}

// ReadFile reads a workflow or pipeline file, refusing what is no regular
// file (a FIFO, a device: opening one could block or never end) and what
// is larger than 4 MiB.
func ReadFile(path string) ([]byte, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %s", errText(err))
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): not read", kindOf(st.Mode()))
	}
	if st.Size() > maxFile {
		return nil, errors.New("larger than 4 MiB, which no workflow is: not read")
	}
	f, err := os.OpenFile(path, os.O_RDONLY|nonBlock, 0)
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %s", errText(err))
	}
	defer f.Close()
	if st2, err := f.Stat(); err != nil || !st2.Mode().IsRegular() {
		return nil, errors.New("not a regular file: not read")
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("cannot be read: %s", errText(err))
	}
	if len(b) > maxFile {
		return nil, errors.New("larger than 4 MiB, which no workflow is: not read")
	}
	return b, nil
}

func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeDevice != 0, m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m.IsDir():
		return "a directory"
	}
	return "a special file"
}

func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// File analyses one file's content: a GitHub Actions workflow when it is
// under .github/workflows or has on: and jobs:, else an Azure Pipelines
// pipeline. Every reference of the file ends up in the analysis (see
// References). A file over 4 MiB, nested too deep or whose aliases expand
// too far is an error, before any parser recurses into it.
func File(name string, src []byte) (Analysis, error) {
	root, err := bounded(name, src)
	if err != nil {
		return Analysis{}, err
	}
	var a Analysis
	platform := ghplatform.Platform
	workflow := isWorkflow(name, root)
	if workflow {
		a, err = Workflow(name, src)
		if err != nil {
			return a, err
		}
	} else {
		platform = azplatform.Platform
		a = pipelineNode(name, root)
	}
	account(name, references(root, workflow), platform, &a)
	samePlatform(&a)
	return a, nil
}

// samePlatform puts a token's unknown and unused steps on the platform its
// known steps use (a GitHub token in an Azure pipeline), when they all use
// one.
func samePlatform(a *Analysis) {
	of := map[string]check.Platform{}
	mixed := map[string]bool{}
	for _, u := range a.Uses {
		k := strings.ToLower(u.Token)
		if p, ok := of[k]; ok && p != u.Platform {
			mixed[k] = true
		}
		of[k] = u.Platform
	}
	fix := func(us []Unknown) {
		for i, u := range us {
			if p, ok := of[strings.ToLower(u.Token)]; ok && !mixed[strings.ToLower(u.Token)] {
				us[i].Platform = p
			}
		}
	}
	fix(a.Unknowns)
	fix(a.Unused)
}

// bounded refuses input that would make a parser recurse or expand
// without bound.
func bounded(name string, src []byte) (*yaml.Node, error) {
	if len(src) > maxFile {
		return nil, &InputError{File: name, Msg: "larger than 4 MiB, which no workflow is: not read"}
	}
	if d := yamlDepth(src); d > maxNesting {
		return nil, &InputError{File: name, Msg: fmt.Sprintf("brackets nested %d levels deep, more than the %d pat-check reads", d, maxNesting)}
	}
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil {
		return nil, &InputError{File: name, Line: yamlErrLine(err), Msg: "not valid YAML: " + err.Error()}
	}
	if n := expanded(&root, map[*yaml.Node]int{}, 0); n > maxNodes {
		return nil, &InputError{File: name, Msg: fmt.Sprintf("its aliases expand to more than %d nodes: not read", maxNodes)}
	}
	return &root, nil
}

// yamlDepth is the deepest nesting of brackets and parentheses in YAML
// text, flow collections and expressions alike (an over-approximation:
// brackets in strings count too): parsers recurse on each.
func yamlDepth(src []byte) int {
	d, m := 0, 0
	for _, c := range src {
		switch c {
		case '[', '{', '(':
			d++
			m = max(m, d)
		case ']', '}', ')':
			if d > 0 {
				d--
			}
		}
	}
	return m
}

// expanded counts the nodes of a YAML tree with every alias expanded,
// stopping once past the bound.
func expanded(n *yaml.Node, memo map[*yaml.Node]int, depth int) int {
	if n == nil {
		return 0
	}
	if v, ok := memo[n]; ok {
		return v
	}
	if depth > maxDepth {
		return maxNodes + 1
	}
	total := 1
	if n.Kind == yaml.AliasNode {
		total += expanded(n.Alias, memo, depth+1)
	}
	for _, c := range n.Content {
		total += expanded(c, memo, depth+1)
		if total > maxNodes {
			break
		}
	}
	memo[n] = total
	return total
}

// IsWorkflow tells a GitHub Actions workflow from an Azure pipeline.
func IsWorkflow(name string, src []byte) bool {
	if strings.Contains(filepath.ToSlash(name), ".github/workflows/") {
		return true
	}
	var root yaml.Node
	if yaml.Unmarshal(src, &root) != nil {
		return false
	}
	return isWorkflow(name, &root)
}

func isWorkflow(name string, root *yaml.Node) bool {
	if strings.Contains(filepath.ToSlash(name), ".github/workflows/") {
		return true
	}
	if root == nil || len(root.Content) == 0 {
		return false
	}
	return mapGet(root.Content[0], "jobs") != nil && (mapGet(root.Content[0], "on") != nil || mapGet(root.Content[0], "true") != nil) &&
		mapGet(root.Content[0], "stages") == nil
}
