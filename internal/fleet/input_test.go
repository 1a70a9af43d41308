package fleet

import (
	"slices"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/simulate"
	"github.com/pat-check/pat-check/internal/token"
)

var (
	ghp      = simulate.ClassicToken("fleet-a")
	fine     = simulate.FineGrainedToken("fleet-b")
	password = "correct horse battery staple 42!"
	hex40    = strings.Repeat("0123456789", 4)[:40]
)

func names(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}

func TestParseLines(t *testing.T) {
	t.Parallel()
	es, ps := Parse("# tokens\nRELEASE_PAT=" + ghp + "\n\n  DOCS_PAT = " + fine + "  \r\nPASSWORD=" + password + "\nEMPTY=\n")
	if len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	if got, want := names(es), []string{"RELEASE_PAT", "DOCS_PAT", "PASSWORD", "EMPTY"}; !slices.Equal(got, want) {
		t.Fatalf("names %v, want %v", got, want)
	}
	if es[0].Value != ghp || es[1].Value != fine || es[2].Value != password || es[3].Value != "" {
		t.Error("values not read as given (surrounding whitespace aside)")
	}
	if es[1].Line != 4 || !es[1].Named {
		t.Errorf("DOCS_PAT: line %d named %v, want line 4, named", es[1].Line, es[1].Named)
	}
}

func TestParseJSONThenLines(t *testing.T) {
	t.Parallel()
	in := `{
  "github_token": "` + simulate.InstallationToken("job") + `",
  "RELEASE_PAT": "` + ghp + `",
  "SIGNING_KEY": "` + password + `"
}
GITHUB_TOKEN
EXTRA_PAT=` + fine + "\n"
	es, ps := Parse(in)
	if len(ps) > 0 {
		t.Fatalf("problems: %v", ps)
	}
	if got, want := names(es), []string{"RELEASE_PAT", "SIGNING_KEY", "github_token", "EXTRA_PAT"}; !slices.Equal(got, want) {
		t.Fatalf("names %v, want %v", got, want)
	}
	if !es[2].Named || es[2].Line != 6 || es[2].Value == "" {
		t.Errorf("the bare GITHUB_TOKEN line must name the JSON's github_token, keeping its value: %+v", es[2].Line)
	}
	if es[0].Named || es[1].Named {
		t.Error("the JSON object's entries are not named by the user")
	}
	if es[3].Line != 7 {
		t.Errorf("EXTRA_PAT on line %d, want 7", es[3].Line)
	}
}

func TestParseProblemsNeverQuoteValues(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ in, want string }{
		"not NAME=VALUE":  {ghp + "\n", "line 1 is not NAME=VALUE"},
		"no value":        {"A=1\nDEPLOY_PAT\n", "line 2 gives DEPLOY_PAT without a value"},
		"twice":           {"A=" + ghp + "\nA=" + fine, "A is given twice (line 1 and line 2)"},
		"bad JSON":        {"{\"A\": \"" + password + "\",\n \"B\": }", "the JSON object cannot be read (line 2, column"},
		"unknown bare":    {"{\"A\": \"" + password + "\"}\nB\n", "line 2 names B, which the JSON object does not hold"},
		"value is a name": {"=" + ghp, "line 1 is not NAME=VALUE"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, ps := Parse(c.in)
			var msgs []string
			for _, p := range ps {
				msgs = append(msgs, p.Message)
			}
			all := strings.Join(msgs, "\n")
			if !strings.Contains(all, c.want) {
				t.Errorf("problems %q, want one containing %q", all, c.want)
			}
			for _, secret := range []string{ghp, fine, password, ghp[4:16], "horse"} {
				if strings.Contains(all, secret) {
					t.Errorf("a problem quotes a value: %q", all)
				}
			}
		})
	}
}

func TestParseBoundsEntries(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range maxEntries + 5 {
		b.WriteString("N" + strings.Repeat("X", i%7) + string(rune('A'+i%26)) + strings.Repeat("_", i/26) + "=v\n")
	}
	es, ps := Parse(b.String())
	if len(es) > maxEntries || len(ps) != 1 || !strings.Contains(ps[0].Message, "more than") {
		t.Errorf("%d entries, problems %v: want at most %d and one problem", len(es), ps, maxEntries)
	}
}

func TestFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{"RELEASE_PAT": ghp, "DOCS_PAT": fine}
	es, ps := FromEnv("RELEASE_PAT, DOCS_PAT\nUNSET_PAT", func(k string) string { return env[k] })
	if len(ps) > 0 {
		t.Fatalf("problems %v", ps)
	}
	if got := names(es); !slices.Equal(got, []string{"RELEASE_PAT", "DOCS_PAT", "UNSET_PAT"}) {
		t.Fatalf("names %v", got)
	}
	if es[0].Value != ghp || es[2].Value != "" || !es[2].Named {
		t.Error("values not read from the environment")
	}
	_, ps = FromEnv(ghp+",A,A", func(string) string { return "" })
	all := ""
	for _, p := range ps {
		all += p.Message + "\n"
	}
	if !strings.Contains(all, "entry 1 is not the name") || !strings.Contains(all, "A is named twice") || strings.Contains(all, ghp[4:12]) {
		t.Errorf("problems %q", all)
	}
	if _, ps := FromEnv(" , ", nil); len(ps) != 1 {
		t.Errorf("an empty list must be a problem: %v", ps)
	}
}

func TestClassify(t *testing.T) {
	t.Parallel()
	azure := strings.Repeat("abcdefghijklmnopqrstuvwxyz234567", 2)[:52]
	entries := []Entry{
		{Name: "RELEASE_PAT", Value: ghp},
		{Name: "github_token", Value: simulate.InstallationToken("job")},
		{Name: "SIGNING_KEY", Value: password},
		{Name: "WEBHOOK_SECRET", Value: hex40},
		{Name: "OLD_PAT", Value: hex40},
		{Name: "NAMED_HEX", Value: hex40, Named: true},
		{Name: "AZ_KEY", Value: azure},
		{Name: "MISSING", Value: "", Named: true},
		{Name: "UNEXPANDED", Value: "$(DEPLOY_PAT)", Named: true},
		{Name: "BLANK", Value: ""},
		{Name: "GITHUB_TOKEN", Value: simulate.InstallationToken("job2"), Named: true},
	}
	items := Classify(entries, func(n string) bool { return n == "OLD_PAT" })
	want := map[string]Class{
		"RELEASE_PAT": Check, "github_token": Skipped, "SIGNING_KEY": NotToken, "WEBHOOK_SECRET": NotToken,
		"OLD_PAT": Check, "NAMED_HEX": NotToken, "AZ_KEY": NotToken, "MISSING": Check, "UNEXPANDED": Check,
		"BLANK": NotToken, "GITHUB_TOKEN": Check,
	}
	for _, it := range items {
		if it.Class != want[it.Name] {
			t.Errorf("%s: %s, want %s", it.Name, it.Class, want[it.Name])
		}
		if it.Class != Check && it.Value != "" {
			t.Errorf("%s: a %s item keeps its value", it.Name, it.Class)
		}
		if it.Class != Check && it.Why == "" {
			t.Errorf("%s: no reason given", it.Name)
		}
		if it.Name == "RELEASE_PAT" && (it.Value != ghp || it.Kind != token.Classic) {
			t.Errorf("RELEASE_PAT: kind %s", it.Kind)
		}
	}
	forms := MaskForms(entries)
	for _, v := range []string{ghp, hex40, azure} {
		if !slices.Contains(forms, v) {
			t.Errorf("token-shaped value not masked (%d chars)", len(v))
		}
	}
	if slices.Contains(forms, password) || slices.Contains(forms, "$(DEPLOY_PAT)") {
		t.Error("a value that is not a token is masked")
	}
	Drop(entries)
	for _, e := range entries {
		if e.Value != "" {
			t.Fatalf("%s kept its value", e.Name)
		}
	}
}
