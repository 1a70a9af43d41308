package app

import (
	"bytes"
	"strings"
	"testing"

	"github.com/pat-check/pat-check/internal/finding"
	"github.com/pat-check/pat-check/internal/report"
)

func TestScrubberReplacesEveryForm(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	s := &scrubber{w: &buf}
	_, _ = s.Write([]byte("before secret-token\n"))
	s.set([]string{"secret-token", "c2VjcmV0"})
	_, _ = s.Write([]byte("after secret-token and c2VjcmV0\n"))
	want := "before secret-token\nafter *** and ***\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}

func TestScrubReport(t *testing.T) {
	t.Parallel()
	r := report.Report{Login: "x-TOKEN", Findings: []finding.Finding{{Message: "m TOKEN", Fix: "f TOKEN", URL: "u?TOKEN"}},
		Checks: []finding.Check{{Name: "TOKEN", Detail: "TOKEN"}}, Scopes: []string{"TOKEN"}}
	got := scrubReport(r, []string{"TOKEN"})
	if strings.Contains(string(got.JSON()), "TOKEN") || strings.Contains(got.Markdown(), "TOKEN") {
		t.Errorf("the token survived scrubbing:\n%s", got.JSON())
	}
	if r.Findings[0].Message != "m TOKEN" {
		t.Error("scrubReport changed its argument")
	}
}
