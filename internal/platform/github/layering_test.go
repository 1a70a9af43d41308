package github

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The platform packages sit above the neutral core and below the providers:
// check, guide and the packages under them never name a platform package or
// a provider, and a platform package never does I/O through a provider. A
// new platform therefore adds files beside these, and changes none of the
// core's.
func TestPlatformPackagesSitBetweenCoreAndProviders(t *testing.T) {
	t.Parallel()
	const module = "github.com/pat-check/pat-check/internal/"
	rules := map[string][]string{
		"check":           {"platform/", "provider"},
		"guide":           {"platform/", "provider"},
		"finding":         {"platform/", "provider", "check"},
		"config":          {"platform/", "provider"},
		"report":          {"platform/", "provider"},
		"token":           {"platform/", "provider"},
		"platform/github": {"provider", "platform/azdo", "transport"},
		"platform/azdo":   {"provider", "platform/github", "transport"},
	}
	for dir, banned := range rules {
		files, err := filepath.Glob(filepath.Join("..", "..", dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no Go files (%v)", dir, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range parsed.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				for _, b := range banned {
					if strings.HasPrefix(path, module+b) {
						t.Errorf("%s imports %s: %s must not depend on %s", f, path, dir, b)
					}
				}
			}
		}
	}
}
