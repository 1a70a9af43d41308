package workspace

import (
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
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
// default, so that the CI's single pass stays cheap; PAT_CHECK_BENCH_MB=258
// for the tree the README quotes. Beside it, on the same tree, grep -rlF
// looks for the token alone (skipped where there is no grep).
func BenchmarkScan(b *testing.B) {
	mb := int64(20)
	if v, err := strconv.Atoi(os.Getenv("PAT_CHECK_BENCH_MB")); err == nil && v > 0 {
		mb = int64(v)
	}
	dir := tree(b, mb*1e6)
	forms := token.MaskForms(tok)
	b.Run("pat-check", func(b *testing.B) {
		var got check.WorkspaceScan
		for b.Loop() {
			got = Scan(context.Background(), dir, forms, Budget{})
		}
		b.SetBytes(got.Bytes)
		if len(got.Matches) != 1 {
			b.Fatalf("matches %v", got.Matches)
		}
	})
	b.Run("grep -rlF", func(b *testing.B) {
		grep, err := exec.LookPath("grep")
		if err != nil {
			b.Skip(err)
		}
		for b.Loop() {
			out, err := exec.Command(grep, "-rlF", tok, dir).Output()
			if err != nil || !strings.Contains(string(out), "leak.yml") {
				b.Fatalf("grep: %v %q", err, out)
			}
		}
		b.SetBytes(mb * 1e6)
	})
}

// The directory given may be a symbolic link to the checkout: it is
// searched, not passed over as a link.
func TestScanFollowsALinkedRoot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, dir, "tree/a.yml", "token: "+tok+"\n")
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "tree"), link); err != nil {
		t.Skip(err)
	}
	got := Scan(context.Background(), link, token.MaskForms(tok), DefaultBudget)
	if got.Files != 1 || len(got.Matches) != 1 || got.Matches[0].File != "a.yml" {
		t.Errorf("files %d matches %v error %q", got.Files, got.Matches, got.Error)
	}
}

// Entries that cannot be read are counted, never silently passed over.
// (Run as root, permissions do not stop the reading: the test skips.)
func TestScanCountsUnreadableEntries(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 || runtime.GOOS == "windows" {
		t.Skip("permissions do not stop root (or Windows) from reading")
	}
	dir := t.TempDir()
	write(t, dir, "ok.txt", "nothing\n")
	write(t, dir, "locked/a.txt", tok+"\n")
	write(t, dir, "secret.txt", tok+"\n")
	for _, p := range []string{"locked", "secret.txt"} {
		if err := os.Chmod(filepath.Join(dir, p), 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, p), 0o755) })
	}
	got := Scan(context.Background(), dir, token.MaskForms(tok), DefaultBudget)
	if got.Unreadable != 2 || got.Files != 1 {
		t.Errorf("unreadable %d files %d, want 2 and 1", got.Unreadable, got.Files)
	}
}

// A FIFO (or a device) is passed over without being opened: opening a FIFO
// with no writer would block the search for good.
func TestScanNeverOpensSpecialFiles(t *testing.T) {
	t.Parallel()
	if runtime.GOOS == "windows" {
		t.Skip("no FIFOs")
	}
	dir := t.TempDir()
	write(t, dir, "a.txt", tok+"\n")
	if err := mkfifo(filepath.Join(dir, "pipe")); err != nil {
		t.Skip(err)
	}
	done := make(chan check.WorkspaceScan)
	go func() { done <- Scan(context.Background(), dir, token.MaskForms(tok), DefaultBudget) }()
	select {
	case got := <-done:
		if got.Special != 1 || got.Files != 1 || len(got.Matches) != 1 {
			t.Errorf("special %d files %d matches %v", got.Special, got.Files, got.Matches)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the search is stuck on the FIFO")
	}
	// Opened by name (a FIFO put where a file was listed): never waited on.
	f, special, err := openRegular(filepath.Join(dir, "pipe"))
	if f != nil || !special || err != nil {
		t.Errorf("openRegular(FIFO) = %v, %v, %v", f, special, err)
	}
}

// Many files and forms, in parallel: every occurrence is found once, on
// its line, in the walk's order, whatever the workers' timing.
func TestScanFindsEveryFormInManyFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	forms := token.MaskForms(tok)
	var want []check.WorkspaceMatch
	for i := range 40 {
		rel := fmt.Sprintf("d%d/f%02d.txt", i%3, i)
		form := forms[i%len(forms)]
		write(t, dir, rel, strings.Repeat("filler line\n", i)+"x="+form+"\n")
		want = append(want, check.WorkspaceMatch{File: rel, Line: i + 1, Encoded: form != tok})
	}
	slices.SortFunc(want, func(a, b check.WorkspaceMatch) int { return strings.Compare(a.File, b.File) })
	got := Scan(context.Background(), dir, forms, DefaultBudget)
	if fmt.Sprint(got.Matches) != fmt.Sprint(want) {
		t.Errorf("matches\n%v\nwant\n%v", got.Matches, want)
	}
}
