package app

import (
	"errors"
	"os"
	"path/filepath"
)

// errOutside is a workflow path that leaves the checkout.
var errOutside = errors.New("outside the workspace")

// insideCheckout checks that the file infer reads in a CI job is a file of
// the checkout (under GitHub Actions and Azure Pipelines; on the command
// line the path is the user's own): the path (GITHUB_WORKFLOW_REF's, which
// the event can shape, or pipelineFile) is resolved within dir through
// os.Root, so neither "..", an absolute path nor a symbolic link reaches a
// file outside it.
func insideCheckout(dir, rel string) error {
	if filepath.IsAbs(rel) {
		r, err := filepath.Rel(dir, rel)
		if err != nil {
			return errOutside
		}
		rel = r
	}
	if !filepath.IsLocal(rel) {
		return errOutside
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return err
	}
	defer root.Close()
	// Stat resolves the links inside the root and refuses those that
	// leave it; it opens nothing (a FIFO is refused when it is read).
	if _, err := root.Stat(rel); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) && pe.Err.Error() == "path escapes from parent" {
			return errOutside
		}
		return err
	}
	return nil
}
