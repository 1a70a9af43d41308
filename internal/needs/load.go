package needs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	yaml "go.yaml.in/yaml/v4"
)

// DefaultPaths are where needs looks when given no path.
var DefaultPaths = []string{".github/workflows", "azure-pipelines.yml", ".azure-pipelines"}

// maxFile bounds what is read of one file: workflows are small.
const maxFile = 4 << 20

// Load reads the workflows and pipelines at paths (files, or directories
// searched for *.yml and *.yaml) and analyses them. With no paths it reads
// DefaultPaths under dir, those that exist. It is the package's only I/O.
func Load(dir string, paths []string) (Analysis, []string, error) {
	explicit := len(paths) > 0
	if !explicit {
		for _, p := range DefaultPaths {
			if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
				paths = append(paths, p)
			}
		}
		if len(paths) == 0 {
			return Analysis{}, nil, &InputError{File: dir, Msg: "no .github/workflows, azure-pipelines.yml or .azure-pipelines here: give the files or directories to read"}
		}
	}
	var files []string
	for _, p := range paths {
		full := p
		if !filepath.IsAbs(p) {
			full = filepath.Join(dir, p)
		}
		st, err := os.Stat(full)
		if err != nil {
			return Analysis{}, nil, &InputError{File: p, Msg: "cannot be read: " + errText(err)}
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(full, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(f, ".yml") || strings.HasSuffix(f, ".yaml")) {
				rel, _ := filepath.Rel(dir, f)
				if filepath.IsAbs(p) {
					rel = f
				}
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return Analysis{}, nil, &InputError{File: p, Msg: "cannot be read: " + errText(err)}
		}
	}
	slices.Sort(files)
	files = slices.Compact(files)
	var a Analysis
	for _, f := range files {
		full := f
		if !filepath.IsAbs(f) {
			full = filepath.Join(dir, f)
		}
		b, err := readFile(full)
		if err != nil {
			return Analysis{}, nil, &InputError{File: f, Msg: "cannot be read: " + errText(err)}
		}
		fa, err := File(filepath.ToSlash(f), b)
		if err != nil {
			return Analysis{}, nil, err
		}
		a.merge(fa)
	}
	return a, files, nil
}

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxFile {
		return nil, errors.New("larger than 4 MiB, which no workflow is")
	}
	return b, nil
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
// pipeline.
func File(name string, src []byte) (Analysis, error) {
	if IsWorkflow(name, src) {
		return Workflow(name, src)
	}
	return Pipeline(name, src)
}

// IsWorkflow tells a GitHub Actions workflow from an Azure pipeline.
func IsWorkflow(name string, src []byte) bool {
	if strings.Contains(filepath.ToSlash(name), ".github/workflows/") {
		return true
	}
	var root yaml.Node
	if yaml.Unmarshal(src, &root) != nil || len(root.Content) == 0 {
		return false
	}
	return mapGet(root.Content[0], "jobs") != nil && (mapGet(root.Content[0], "on") != nil || mapGet(root.Content[0], "true") != nil) &&
		mapGet(root.Content[0], "stages") == nil
}
