package grade

import (
	"fmt"
	"go/token"
	"sort"
	"strconv"
	"strings"

	"github.com/lanes-dev/lanes/grade/sandbox"
	"github.com/lanes-dev/lanes/internal/source"
)

// Forbidden names the members of allowed packages that a graded cell may
// not mention, with the reason: methods cannot be taken out of the
// worker's symbol tables, so they are refused before the cell runs.
var Forbidden = map[string]string{
	"SaveChromeTrace": "it writes a file; use WriteChromeTrace with a bytes.Buffer",
}

// SourceError is a cell that a static check refuses to run.
type SourceError struct {
	// Line is the 1-based line in the cell.
	Line int
	// Msg says what is refused and why.
	Msg string
	// Detail is more, for the cell's traceback (the allowed packages).
	Detail string
}

func (e *SourceError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

// CheckSource checks a cell before it runs in grading mode: every import
// must be allow-listed (sandbox.Allowed), no Forbidden member may be
// named, and none of the names in protected (packages the test cells use,
// such as "lanes") may be declared, so that a student cannot replace what
// the tests call. It returns nil when the cell may run.
//
// A cell mixes imports, declarations and statements in any order, so it is
// not a Go file that go/parser accepts; the check works on go/scanner's
// tokens, which a cell always has. Magic lines (%time, …) at the top are
// skipped.
func CheckSource(src string, protected map[string]bool) []*SourceError {
	src = source.BlankMagics(src)
	toks := scan(src)
	var errs []*SourceError
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch {
		case t.Tok == token.IMPORT:
			j := i + 1
			if j < len(toks) && toks[j].Tok == token.LPAREN {
				for j++; j < len(toks) && toks[j].Tok != token.RPAREN; j++ {
					if toks[j].Tok == token.STRING {
						errs = append(errs, checkImport(toks[j])...)
					}
				}
			} else {
				for ; j < len(toks) && toks[j].Tok != token.STRING && toks[j].Tok != token.SEMICOLON; j++ {
				}
				if j < len(toks) && toks[j].Tok == token.STRING {
					errs = append(errs, checkImport(toks[j])...)
				}
			}
			i = j
		case t.Tok == token.IDENT && Forbidden[t.Lit] != "":
			errs = append(errs, &SourceError{Line: t.Line,
				Msg: fmt.Sprintf("%s is not available when grading: %s", t.Lit, Forbidden[t.Lit])})
		case t.Tok == token.IDENT && protected[t.Lit]:
			qualifier := i+1 < len(toks) && toks[i+1].Tok == token.PERIOD
			selected := i > 0 && toks[i-1].Tok == token.PERIOD
			if !qualifier && !selected {
				errs = append(errs, &SourceError{Line: t.Line,
					Msg: fmt.Sprintf("%s may only be used as the package %s when grading (the tests call it), not declared or assigned", t.Lit, t.Lit)})
			}
		}
	}
	return errs
}

func checkImport(t source.Token) []*SourceError {
	path, err := strconv.Unquote(t.Lit)
	if err != nil || sandbox.IsAllowed(path) {
		return nil
	}
	why := "only the allow-listed standard library and lanes can be imported when grading"
	switch {
	case path == "os" || strings.HasPrefix(path, "os/") || path == "syscall" || path == "io/ioutil" || path == "path/filepath":
		why = "files, processes and the environment are not available when grading"
	case path == "net" || strings.HasPrefix(path, "net/"):
		why = "the network is not available when grading"
	case path == "unsafe" || path == "reflect" || path == "plugin":
		why = "it reaches around Go's type system, which grading does not allow"
	case strings.HasPrefix(path, ".") || strings.Contains(strings.SplitN(path, "/", 2)[0], "."):
		why = "packages are not loaded from disk or the network when grading"
	}
	return []*SourceError{{Line: t.Line, Msg: fmt.Sprintf("import %q is not allowed: %s", path, why),
		Detail: "allowed: " + allowedList()}}
}

func allowedList() string {
	l := append([]string(nil), sandbox.Allowed...)
	sort.Strings(l)
	return strings.Join(l, ", ")
}

// scan returns the tokens of src (scanning goes on past errors).
func scan(src string) []source.Token { return source.Scan(src) }

// packagesUsed returns the allow-listed package names that src uses as
// qualifiers (the X of X.Y).
func packagesUsed(src string, into map[string]bool) {
	names := map[string]bool{}
	for _, p := range sandbox.Allowed {
		names[p[strings.LastIndexByte(p, '/')+1:]] = true
	}
	toks := scan(source.BlankMagics(src))
	for i, t := range toks {
		if t.Tok == token.IDENT && names[t.Lit] && i+1 < len(toks) && toks[i+1].Tok == token.PERIOD &&
			(i == 0 || toks[i-1].Tok != token.PERIOD) {
			into[t.Lit] = true
		}
	}
}
