package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --scan LINK, LINK a symbolic link to the checkout, searches the checkout:
// it used to search nothing and pass.
func TestAScanThroughALinkSearchesTheTree(t *testing.T) {
	t.Parallel()
	api, tok := leakyAPI(t)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "tree"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "tree", "ci.yml"), []byte("token: "+tok+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "tree"), link); err != nil {
		t.Skip(err)
	}
	code, ch := run(t, map[string]string{"PAT_CHECK_TOKEN": tok}, "--api-url", api, "--scan", link, "--format", "json")
	if code != 1 || !strings.Contains(ch["stdout"], `"token-committed"`) || !strings.Contains(ch["stdout"], "ci.yml") {
		t.Errorf("exit %d\n%s%s", code, ch["stdout"], ch["stderr"])
	}
}
