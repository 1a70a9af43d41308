package check

import (
	"fmt"

	"github.com/pat-check/pat-check/internal/finding"
)

// maxCommittedFindings bounds the findings of one search: past it, the
// table row gives the count.
const maxCommittedFindings = 20

// evalCommitted is "never commit a token": where the search of the
// workspace found the token's value or an encoded form, by file and line,
// never the value.
func (o *Outcome) evalCommitted(f Facts) {
	w := f.Workspace
	if w == nil {
		return
	}
	if w.Error != "" {
		o.add(finding.Check{Name: "Workspace", State: finding.Unknown, Detail: "not searched: " + w.Error})
		return
	}
	for i, m := range w.Matches {
		if i == maxCommittedFindings {
			break
		}
		what := "the token's value"
		if m.Encoded {
			what = "an encoded form of the token (base64 or URL-escaped)"
		}
		msg := fmt.Sprintf("%s is in the file %s, line %d: anyone who can read the repository, a fork or a clone can use it", what, m.File, m.Line)
		o.find(finding.Finding{Code: finding.TokenCommitted, Severity: finding.Error, Message: msg, About: finding.About{File: m.File, Line: m.Line}})
	}
	searched := fmt.Sprintf("%s, %s", Plural(w.Files, "file"), megabytes(w.Bytes))
	if w.Skipped > 0 {
		searched += fmt.Sprintf(" (%s skipped as binary)", Plural(w.Skipped, "file"))
	}
	budget := ""
	switch w.Exceeded {
	case "bytes":
		budget = fmt.Sprintf("; stopped at the byte budget (%s): the rest was not searched", megabytes(w.BudgetBytes))
	case "time":
		budget = fmt.Sprintf("; stopped at the time budget (%s): the rest was not searched", w.BudgetTime)
	}
	if w.Unreadable > 0 {
		entries := "1 entry (file or folder) could not be read and was"
		if w.Unreadable > 1 {
			entries = fmt.Sprintf("%d entries (files or folders) could not be read and were", w.Unreadable)
		}
		budget = "; " + entries + " not searched" + budget
	}
	if w.Special > 0 {
		searched += fmt.Sprintf("; %s (device, FIFO, socket) passed over unopened", Plural(w.Special, "special file"))
	}
	if budget != "" {
		// A search that did not look everywhere cannot say the token is in
		// none: a warning, never a pass.
		o.find(finding.Finding{Code: finding.WorkspaceIncomplete, Severity: finding.Warning,
			Message: "the workspace was not wholly searched, so the token may be in what was not: searched " + searched + budget})
	}
	switch {
	case len(w.Matches) > 0:
		o.add(finding.Check{Name: "Workspace", State: finding.Fail, Detail: fmt.Sprintf("the token is in %s; searched %s%s", Plural(len(w.Matches), "place"), searched, budget)})
	case budget != "":
		o.add(finding.Check{Name: "Workspace", State: finding.Warn, Detail: "searched " + searched + budget})
	default:
		o.add(finding.Check{Name: "Workspace", State: finding.Pass, Detail: "searched " + searched + ": the token is in none"})
	}
}

// megabytes shows a byte count in MB, one decimal.
func megabytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
