package token

import (
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		tok  string
		want string
	}{
		{"classic", publicClassic, "ghp_****"},
		{"classic with whitespace", "  " + publicClassic + "\n", "ghp_****"},
		{"fine-grained", makeFineGrained(500), "github_pat_****"},
		{"oauth", "gho_abc", "gho_****"},
		{"app user", "ghu_abc", "ghu_****"},
		{"installation", makeJWTInstallation(501), "ghs_****"},
		{"refresh", "ghr_abc", "ghr_****"},
		{"legacy hex", randomFrom(newRand(502), hexLower, 40), "****"},
		{"azure", makeAzureCurrent(503, "JQQJ99"), "****"},
		{"unknown", "opaque", "****"},
		{"unexpanded", "$(GH_PAT)", "****"},
		{"empty", "", ""},
		{"whitespace only", " \n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := Redact(tc.tok); got != tc.want {
				t.Errorf("Redact = %q, want %q", got, tc.want)
			}
		})
	}
}

func b64(s string) string    { return base64.StdEncoding.EncodeToString([]byte(s)) }
func b64raw(s string) string { return base64.RawStdEncoding.EncodeToString([]byte(s)) }

func TestMaskForms(t *testing.T) {
	t.Parallel()
	classic := makeClassic(600)
	tests := []struct {
		name string
		raw  string
		// want must all be present; first is the expected first value.
		want    []string
		first   string
		notWant []string
	}{
		{
			name:  "classic",
			raw:   "\n" + classic + "\n",
			first: classic,
			want: []string{
				classic,
				b64(":" + classic), b64("x-access-token:" + classic), b64(classic),
				b64(classic + ":x-oauth-basic"), b64("pat:" + classic),
				b64raw(":" + classic), b64raw("x-access-token:" + classic),
			},
		},
		{
			name:  "unpadded forms only when they differ",
			raw:   "abcdefghi", // 9 bytes: base64 of the token alone has no padding
			first: "abcdefghi",
			want:  []string{b64("abcdefghi"), b64(":abcdefghi"), b64raw(":abcdefghi")},
		},
		{
			name:  "query-escaped when it differs",
			raw:   "ab+c/d",
			first: "ab+c/d",
			want:  []string{"ab%2Bc%2Fd"},
		},
		{
			name:    "multi-line",
			raw:     classic[:20] + "\r\n" + classic[20:] + "\nab\n  wxyz  ",
			first:   classic[:20],
			want:    []string{classic[:20], classic[20:], "  wxyz", "wxyz", b64(":" + classic[:20] + "\r\n" + classic[20:] + "\nab\n  wxyz")},
			notWant: []string{"ab"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := MaskForms(tc.raw)
			checkMaskForms(t, got)
			if len(got) == 0 || got[0] != tc.first {
				t.Errorf("the first value is not the token (or its first line)")
			}
			for i, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("expected form %d is missing", i)
				}
			}
			for i, w := range tc.notWant {
				if slices.Contains(got, w) {
					t.Errorf("unexpected form %d is present", i)
				}
			}
		})
	}
}

func TestMaskFormsEmpty(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{"", " ", "\r\n\t"} {
		if got := MaskForms(raw); got != nil {
			t.Errorf("MaskForms(%q) = %d values, want none", raw, len(got))
		}
	}
}

// checkMaskForms asserts what every caller relies on: no empty value (which
// would mask nothing, or everything), no line break (Azure's setsecret
// refuses it), no duplicate (each costs a logging command). It never prints
// the values.
func checkMaskForms(t *testing.T, forms []string) {
	t.Helper()
	seen := map[string]bool{}
	for i, f := range forms {
		switch {
		case f == "":
			t.Errorf("form %d is empty", i)
		case strings.ContainsAny(f, "\r\n"):
			t.Errorf("form %d contains a line break", i)
		case seen[f]:
			t.Errorf("form %d is a duplicate", i)
		}
		seen[f] = true
	}
}

func ExampleRedact() {
	fmt.Println(Redact("ghp_" + "M7H4jxUDDWHP4kZ6A4dxlQYsQIWJuq" + "11T4V4"))
	fmt.Println(Redact("github_pat_" + strings.Repeat("A", 82)))
	fmt.Println(Redact("an opaque value"))
	fmt.Printf("%q\n", Redact(""))
	// Output:
	// ghp_****
	// github_pat_****
	// ****
	// ""
}

func TestRedactIn(t *testing.T) {
	t.Parallel()
	classic := "ghp_" + strings.Repeat("a", 36)
	tests := map[string]string{
		`unexpected argument "` + classic + `"`:      `unexpected argument "ghp_****"`,
		"flag provided but not defined: -" + classic: "flag provided but not defined: -ghp_****",
		"github_pat_" + strings.Repeat("b", 82):      "github_pat_****",
		strings.Repeat("k", 52):                      "****",
		"--min-days-left: \"soon\" is not a number":  "--min-days-left: \"soon\" is not a number",
	}
	for in, want := range tests {
		if got := RedactIn(in); got != want {
			t.Errorf("RedactIn(%q) = %q, want %q", in, got, want)
		}
	}
}
