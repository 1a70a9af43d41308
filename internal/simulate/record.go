package simulate

import "strings"

// A simulator records every request for the tests that read them. A
// long-running one (pat-check demo --serve) must not grow with what
// strangers send it: SetRecordLimit keeps the last n requests and
// violations, and at most recordedBody bytes of each body.

// recordedBody is the most of a body a limited record keeps.
const recordedBody = 4 << 10

// record is the bound on what a simulator keeps; zero keeps everything.
type record struct{ limit int }

// keep returns log with r appended, within the limit.
func (rec record) keep(log []Request, r Request) []Request {
	if rec.limit <= 0 {
		return append(log, r)
	}
	if len(r.Body) > recordedBody {
		r.Body = strings.Clone(r.Body[:recordedBody]) // not a window on the whole body

	}
	log = append(log, r)
	if len(log) >= 2*rec.limit {
		// Copied, so that the dropped requests (and their bodies) can be
		// collected; amortised over limit appends.
		log = append([]Request(nil), log[len(log)-rec.limit:]...)
	}
	return log
}

// keepViolation returns log with v appended, within the limit.
func (rec record) keepViolation(log []string, v string) []string {
	log = append(log, v)
	if rec.limit > 0 && len(log) >= 2*rec.limit {
		log = append([]string(nil), log[len(log)-rec.limit:]...)
	}
	return log
}

// SetRecordLimit makes the simulator keep only about the last n requests
// and violations (between n and 2n), with their bodies cut to 4 KiB.
func (g *GitHub) SetRecordLimit(n int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.record = record{limit: n}
}

// SetRecordLimit makes the simulator keep only about the last n requests
// and violations (between n and 2n).
func (a *AzureDevOps) SetRecordLimit(n int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.record = record{limit: n}
}
