package needs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkNeeds200Files is pat-check needs over 200 workflow files: the
// test data's workflows, copied 25 times each.
func BenchmarkNeeds200Files(b *testing.B) {
	dir := b.TempDir()
	wf := filepath.Join(dir, ".github", "workflows")
	if err := os.MkdirAll(wf, 0o755); err != nil {
		b.Fatal(err)
	}
	srcs, err := filepath.Glob("testdata/*.yml")
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	for i := 0; n < 200; i++ {
		for _, s := range srcs {
			if n == 200 || strings.Contains(s, "broken") || strings.Contains(s, "azure") {
				continue
			}
			data, err := os.ReadFile(s)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(wf, fmt.Sprintf("%03d-%s", n, filepath.Base(s))), data, 0o644); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ResetTimer()
	for b.Loop() {
		a, files, err := Load(context.Background(), dir, nil)
		if err != nil || len(files) != 200 || len(a.Tokens()) == 0 {
			b.Fatalf("%d files, err %v", len(files), err)
		}
	}
}

// workflow300 is a workflow of about 300 lines: 12 jobs of 6 steps, one
// of them pat-check, with the token used by checkout, gh and git push.
func workflow300() []byte {
	var sb strings.Builder
	sb.WriteString("name: Big\non: [push]\njobs:\n")
	for j := range 12 {
		fmt.Fprintf(&sb, `  job%d:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          token: ${{ secrets.BOT_PAT }}
      - uses: octo/pat-check@v1
        with:
          token: ${{ secrets.BOT_PAT }}
          infer: true
      - name: Build
        run: |
          make build
          make test
      - name: Release notes
        env:
          GH_TOKEN: ${{ secrets.BOT_PAT }}
        run: |
          gh release view "$GITHUB_REF_NAME" --json body > notes.json
          gh pr list --state merged --limit 20
      - name: Push
        run: |
          if ! git diff --quiet; then
            git commit -am "Update"
            git push origin HEAD
          fi
`, j)
	}
	return []byte(sb.String())
}

// BenchmarkInfer300Lines is what infer adds to a check: parse a 300-line
// workflow and collect what the pat-check step's token needs.
func BenchmarkInfer300Lines(b *testing.B) {
	src := workflow300()
	if n := strings.Count(string(src), "\n"); n < 280 || n > 320 {
		b.Fatalf("%d lines", n)
	}
	for b.Loop() {
		a, err := Workflow(".github/workflows/big.yml", src)
		if err != nil {
			b.Fatal(err)
		}
		in, err := InferStep(a, "job7", "__octo_pat-check")
		if err != nil || len(in.Permissions) == 0 {
			b.Fatalf("%+v %v", in, err)
		}
	}
}
