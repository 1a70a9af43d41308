package app

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// errOutside is a workflow path that leaves the checkout.
var errOutside = errors.New("outside the workspace")

// readWorkflow reads the file infer takes the requirements from. Under
// GitHub Actions and Azure Pipelines it is a file of the checkout: the path
// (GITHUB_WORKFLOW_REF's, which the event can shape, or pipelineFile) is
// opened within dir through os.Root, so neither "..", an absolute path nor
// a symbolic link reaches a file outside it. On the command line the path
// is the user's own.
func readWorkflow(platform, dir, rel string) ([]byte, error) {
	if platform != "actions" && platform != "azure" {
		full := rel
		if !filepath.IsAbs(rel) {
			full = filepath.Join(dir, rel)
		}
		return os.ReadFile(full)
	}
	if filepath.IsAbs(rel) {
		r, err := filepath.Rel(dir, rel)
		if err != nil {
			return nil, errOutside
		}
		rel = r
	}
	if !filepath.IsLocal(rel) {
		return nil, errOutside
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	f, err := root.Open(rel)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) && pe.Err.Error() == "path escapes from parent" {
			return nil, errOutside
		}
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// workspaceVariable names the variable that holds the checkout.
func workspaceVariable(platform string) string {
	if platform == "azure" {
		return "BUILD_SOURCESDIRECTORY"
	}
	return "GITHUB_WORKSPACE"
}
