package finding

import (
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// Clip never cuts inside a character, marks the cut, and leaves short text
// alone.
func TestClip(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 100)
	got := Clip(long, 80)
	if !utf8.ValidString(got) || got != strings.Repeat("é", 80)+"…" {
		t.Errorf("Clip(100 × é, 80) = %q", got)
	}
	if got := Clip("short", 80); got != "short" {
		t.Errorf("Clip(short) = %q", got)
	}
}

// Quote echoes at most MaxQuoted characters and says how long the value was.
func TestQuote(t *testing.T) {
	t.Parallel()
	if got := Quote("repo"); got != `"repo"` {
		t.Errorf("Quote(repo) = %s", got)
	}
	got := Quote(strings.Repeat("ß", 1000))
	if !utf8.ValidString(got) || !strings.HasSuffix(got, "… (1000 characters)") || strings.Count(got, "ß") != MaxQuoted {
		t.Errorf("Quote(1000 × ß) = %s", got)
	}
}

// Every Code constant of the package has its row in the registry, once:
// a code added without one would have no title, summary or weight.
func TestRegistryHoldsEveryCode(t *testing.T) {
	t.Parallel()
	file, err := parser.ParseFile(gotoken.NewFileSet(), "finding.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	ast.Inspect(file, func(n ast.Node) bool {
		if vs, ok := n.(*ast.ValueSpec); ok {
			if id, ok := vs.Type.(*ast.Ident); ok && id.Name == "Code" {
				for _, v := range vs.Values {
					lit := v.(*ast.BasicLit)
					s, _ := strconv.Unquote(lit.Value)
					consts = append(consts, s)
				}
			}
		}
		return true
	})
	if len(consts) < 30 {
		t.Fatalf("found only %d codes in finding.go", len(consts))
	}
	seen := map[Code]int{}
	for _, s := range Specs() {
		seen[s.Code]++
		if s.Title == nil {
			t.Errorf("%s has no title", s.Code)
		}
	}
	for _, c := range consts {
		if seen[Code(c)] != 1 {
			t.Errorf("%s is in the registry %d times, want once", c, seen[Code(c)])
		}
	}
	if len(Specs()) != len(consts) {
		t.Errorf("the registry has %d rows for %d codes", len(Specs()), len(consts))
	}
}

// The registry's weights, as the report reads them.
func TestInconclusiveAndAdvice(t *testing.T) {
	t.Parallel()
	var inconclusive, advice []Code
	for _, s := range Specs() {
		if s.Code.Inconclusive() {
			inconclusive = append(inconclusive, s.Code)
		}
		if s.Code.Advice() {
			advice = append(advice, s.Code)
		}
	}
	if diff := cmp.Diff([]Code{RateLimited, APIError, Cancelled, ReportUnwritten}, inconclusive); diff != "" {
		t.Errorf("inconclusive codes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Code{ScopeExcess, PermissionExcess, TokenLifetimeTooLong, TokenKindAdvice, TokenCommitted, TokenUnused}, advice); diff != "" {
		t.Errorf("advice codes (-want +got):\n%s", diff)
	}
	if Code("no-such-code").Inconclusive() || Title(Finding{Code: "no-such-code"}, nil) != "no-such-code" {
		t.Error("an unknown code is not taken for a known one")
	}
}
