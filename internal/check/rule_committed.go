package check

import (
	"fmt"
	"strings"

	"github.com/pat-check/pat-check/internal/finding"
)

// maxCommittedPlaces bounds the places one finding names: past it, the
// message and the table row give the count.
const maxCommittedPlaces = 20

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
	if len(w.Matches) > 0 {
		// One finding for every place: one token, one revocation, one fix.
		var places []finding.Place
		var named []string
		for i, m := range w.Matches {
			if i == maxCommittedPlaces {
				named = append(named, fmt.Sprintf("and %d more", len(w.Matches)-maxCommittedPlaces))
				break
			}
			places = append(places, finding.Place{File: m.File, Line: m.Line, Encoded: m.Encoded})
			n := places[i].String()
			if m.Encoded {
				n += " (encoded: base64 or URL-escaped)"
			}
			named = append(named, n)
		}
		msg := fmt.Sprintf("the token is in the workspace, in %s: %s; anyone who can read the repository, a fork or a clone can use it",
			Plural(len(w.Matches), "place"), strings.Join(named, ", "))
		o.find(finding.Finding{Code: finding.TokenCommitted, Severity: finding.Error, Message: msg, About: finding.About{Places: places}})
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
