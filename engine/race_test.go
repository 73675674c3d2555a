//go:build race

package engine

// raceEnabled is set when the tests (and so the test worker) run under the
// race detector, which reports the data races cells make on purpose.
const raceEnabled = true
