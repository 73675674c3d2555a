package compiled

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// posRE matches a position the //line directives produce: "cell 3:5:7: ".
// The go command may put the package's folder before it.
var posRE = regexp.MustCompile(`(?:\S*/)?cell (\d+):(\d+)(?::\d+)?: `)

// undefinedRE matches the compiler's message for an unknown name.
var undefinedRE = regexp.MustCompile(`undefined: (\w+)$`)

// buildMessage words the toolchain's output as the interpreter words its
// errors: "cell 3, line 5: ...", without the package header lines, with
// "lanes" for the runtime's path, and with a note on each use of an
// interpreted variable.
func buildMessage(out string, vars []string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if strings.HasPrefix(l, "# ") {
			continue
		}
		l = strings.ReplaceAll(l, runtimePath, "lanes")
		l = strings.ReplaceAll(l, sinkName+".Show(", "")
		if m := undefinedRE.FindStringSubmatch(l); m != nil && slices.Contains(vars, m[1]) {
			l += fmt.Sprintf(" (%s is a variable of the interpreted session: compiled cells do not carry its value over; declare it in this cell)", m[1])
		}
		if strings.Contains(l, "module lookup disabled by GOPROXY=off") {
			l += " (compiled cells build offline, from the module cache: `go mod download` the module once)"
		}
		lines = append(lines, posRE.ReplaceAllString(l, "cell $1, line $2: "))
	}
	return strings.Join(lines, "\n")
}

// noValueAt reports whether the build failed because the final expression,
// on the given line of the cell, has no value to show.
func noValueAt(out string, cell, line int) bool {
	at := "cell " + strconv.Itoa(cell) + ":" + strconv.Itoa(line) + ":"
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, at) && strings.Contains(l, "(no value) used as value") {
			return true
		}
	}
	return false
}
