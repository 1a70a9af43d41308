package needs

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzFile: any file content, read as a workflow or a pipeline, is
// analysed or refused with an InputError, never a panic.
func FuzzFile(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yml")
	corpus, _ := filepath.Glob("testdata/corpus/*/*.y*ml")
	files = append(files, corpus...)
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(true, b)
		f.Add(false, b)
	}
	f.Fuzz(func(t *testing.T, workflow bool, src []byte) {
		name := "azure-pipelines.yml"
		if workflow {
			name = ".github/workflows/x.yml"
		}
		a, err := File(name, src)
		if err != nil {
			if _, ok := err.(*InputError); !ok {
				t.Fatalf("error %T: %v", err, err)
			}
			return
		}
		rep := NewReport(a, []string{name})
		_ = rep.JSON()
		_ = rep.Text()
	})
}
