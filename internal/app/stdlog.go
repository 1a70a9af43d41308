package app

import (
	"io"
	"log"
)

// useStandardLogger points Go's standard logger at w, the scrubbed and
// neutralised standard error. net/http writes to it on its own (an
// "Unsolicited response received on idle HTTP channel" quotes the bytes a
// server sent after a body, which can hold the Authorization header it
// received and a forged logging command); without this they would reach
// the process's standard error past both filters. It is never pointed back:
// a connection's reader can still log after Main returns.
func useStandardLogger(w io.Writer) {
	log.SetFlags(0)
	log.SetPrefix("pat-check: ")
	log.SetOutput(w)
}

// logTo points the standard logger at w when the world asks for it (the
// binary does), once w's scrubber knows the token's forms: no request has
// been sent before, and a connection of an earlier run in the same process
// (tests run Main many times) that logs late then finds a scrubber that
// knows the token, not an empty one.
func (w World) logTo(errw io.Writer) {
	if w.StandardLogger {
		useStandardLogger(errw)
	}
}
