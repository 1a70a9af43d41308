//go:build race

package needs

// raceDetector: the race detector slows the code tenfold, so timings are
// not held to their goals.
const raceDetector = true
