package needs

import (
	"strings"
	"testing"
)

// A file that could not be read is never counted as a file without tokens.
func TestNothingFoundCountsOnlyTheFilesRead(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		files  []string
		errors []string
		want   string
	}{
		{[]string{"a.yml"}, []string{"a.yml"}, "No file could be read: see why below.\n"},
		{[]string{"a.yml", "b.yml"}, []string{"a.yml"}, "No step of the 1 file read uses a token pat-check recognises.\n"},
		{[]string{"a.yml", "b.yml"}, nil, "No step of the 2 files read uses a token pat-check recognises.\n"},
		{nil, nil, "No step of the 0 files read uses a token pat-check recognises.\n"},
	} {
		rep := Report{Files: tt.files}
		for _, f := range tt.errors {
			rep.Errors = append(rep.Errors, InputError{File: f, Msg: "not valid YAML"})
		}
		if got := rep.Text(); !strings.HasPrefix(got, tt.want) {
			t.Errorf("files %v, errors %v: text starts %q, want %q", tt.files, tt.errors, got, tt.want)
		}
	}
}
