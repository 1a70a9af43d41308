package workspace

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pat-check/pat-check/internal/check"
	"github.com/pat-check/pat-check/internal/token"
)

// A syntactically valid classic token that no server knows.
const tok = "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"

func write(t testing.TB, dir, rel, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestScanFindsTheTokenAndItsEncodedFormsByFileAndLine(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	basic := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + tok))
	write(t, dir, "deploy/config.yml", "name: deploy\nenv:\n  GH_TOKEN: "+tok+"\n")
	write(t, dir, "scripts/auth.sh", "#!/bin/sh\n\n\ncurl -H 'Authorization: Basic "+basic+"'\n")
	write(t, dir, "README.md", "nothing to see: ghp_ and "+tok[:20]+"\n") // a prefix is not the token
	write(t, dir, ".git/config", tok+"\n")                                // skipped
	write(t, dir, "bin/tool", "\x00\x01"+tok)                             // binary, skipped
	if err := os.Symlink(filepath.Join(dir, "deploy/config.yml"), filepath.Join(dir, "link.yml")); err != nil {
		t.Fatal(err)
	}
	got := Scan(context.Background(), dir, token.MaskForms(tok), DefaultBudget)
	want := []check.WorkspaceMatch{{File: "deploy/config.yml", Line: 3}, {File: "scripts/auth.sh", Line: 4, Encoded: true}}
	if fmt.Sprint(got.Matches) != fmt.Sprint(want) {
		t.Errorf("matches %v, want %v", got.Matches, want)
	}
	if got.Files != 3 || got.Skipped != 1 || got.Exceeded != "" || got.Error != "" {
		t.Errorf("files %d skipped %d exceeded %q error %q", got.Files, got.Skipped, got.Exceeded, got.Error)
	}
}

// A form that straddles two chunks is found, on the right line.
func TestScanFindsAFormAcrossChunks(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pad := strings.Repeat("x", chunk-10) + "\n" + strings.Repeat("y\n", 3)
	write(t, dir, "big.txt", pad+"token="+tok+"\n")
	got := Scan(context.Background(), dir, token.MaskForms(tok), DefaultBudget)
	if len(got.Matches) != 1 || got.Matches[0].Line != 5 {
		t.Errorf("matches %v, want big.txt line 5", got.Matches)
	}
}

func TestScanReportsTheByteBudget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for i := range 5 {
		write(t, dir, "f"+strconv.Itoa(i)+".txt", strings.Repeat("a", 1000))
	}
	got := Scan(context.Background(), dir, token.MaskForms(tok), Budget{Bytes: 2500})
	if got.Exceeded != "bytes" || got.Bytes != 2500 || got.BudgetBytes != 2500 {
		t.Errorf("exceeded %q bytes %d budget %d", got.Exceeded, got.Bytes, got.BudgetBytes)
	}
}

func TestScanReportsTheTimeBudget(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "a.txt", "a")
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the time is up before the first file
	got := Scan(ctx, dir, token.MaskForms(tok), Budget{Time: time.Hour})
	if got.Exceeded != "time" || got.Files != 0 {
		t.Errorf("exceeded %q files %d", got.Exceeded, got.Files)
	}
}

func TestCheckDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "f", "x")
	if err := CheckDir(dir); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{filepath.Join(dir, "f"), filepath.Join(dir, "missing")} {
		if err := CheckDir(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// tree writes a generated source tree of about size bytes: text files of
// 4–64 KiB in nested directories, with one token near the end.
func tree(b *testing.B, size int64) string {
	b.Helper()
	dir := b.TempDir()
	r := rand.New(rand.NewPCG(1, 2))
	words := []string{"func", "return", "if", "err", "nil", "package", "import", "for", "range", "token", "value", "config", "name: x", "{", "}", "ghp_", "base64"}
	var total int64
	for i := 0; total < size; i++ {
		var sb strings.Builder
		n := 4096 + r.IntN(60*1024)
		for sb.Len() < n {
			sb.WriteString(words[r.IntN(len(words))])
			if r.IntN(8) == 0 {
				sb.WriteByte('\n')
			} else {
				sb.WriteByte(' ')
			}
		}
		write(b, dir, fmt.Sprintf("d%02d/s%02d/f%05d.txt", i%50, i%7, i), sb.String())
		total += int64(sb.Len())
	}
	write(b, dir, "zz/leak.yml", "token: "+tok+"\n")
	return dir
}

// BenchmarkScan measures the search in MB/s on a generated tree: 20 MB by
// default, so that the CI's single pass stays cheap; PAT_CHECK_BENCH_MB=200
// for the 200 MB tree the README quotes.
func BenchmarkScan(b *testing.B) {
	mb := int64(20)
	if v, err := strconv.Atoi(os.Getenv("PAT_CHECK_BENCH_MB")); err == nil && v > 0 {
		mb = int64(v)
	}
	dir := tree(b, mb*1e6)
	forms := token.MaskForms(tok)
	b.ResetTimer()
	var got check.WorkspaceScan
	for b.Loop() {
		got = Scan(context.Background(), dir, forms, Budget{})
	}
	b.SetBytes(got.Bytes)
	if len(got.Matches) != 1 {
		b.Fatalf("matches %v", got.Matches)
	}
}
