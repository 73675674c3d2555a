package grade

import (
	"fmt"
	"go/token"
	"go/types"
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
// named, none of the names in protected (packages the test cells use,
// such as "lanes") may be declared, and none of Go's predeclared names
// (append, len, true, nil, error, …) may be declared at the cell's top
// level, so that a student cannot replace what the tests call. It returns
// nil when the cell may run.
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
	for _, t := range topLevelNames(toks) {
		if predeclared[t.Lit] {
			errs = append(errs, &SourceError{Line: t.Line,
				Msg: fmt.Sprintf("%s is one of Go's predeclared names and may not be declared again when grading (the tests use the builtin %s)", t.Lit, t.Lit)})
		}
	}
	return errs
}

// predeclared are the names of Go's universe scope: types, constants,
// nil and the builtin functions. A cell that declares one at its top
// level changes what every later cell, the tests included, means by it
// (func append(...) that returns what a test wants).
var predeclared = func() map[string]bool {
	m := map[string]bool{}
	for _, n := range types.Universe.Names() {
		m[n] = true
	}
	return m
}()

// topLevelNames returns the identifiers a cell declares at its top level
// (outside every brace): func NAME, var, const and type specs (grouped
// or not), and the left side of := . Parameters, methods and the
// declarations inside function bodies and blocks are local and not
// returned.
func topLevelNames(toks []source.Token) []source.Token {
	var out []source.Token
	brace, paren := 0, 0
	stmtStart := 0 // index of the first token of the current top-level statement
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.Tok {
		case token.LBRACE:
			brace++
		case token.RBRACE:
			brace--
		case token.LPAREN, token.LBRACK:
			paren++
		case token.RPAREN, token.RBRACK:
			paren--
		}
		if brace != 0 {
			continue
		}
		if t.Tok == token.SEMICOLON && paren == 0 {
			stmtStart = i + 1
			continue
		}
		switch t.Tok {
		case token.FUNC:
			if paren == 0 && i+1 < len(toks) && toks[i+1].Tok == token.IDENT {
				out = append(out, toks[i+1])
			}
		case token.VAR, token.CONST, token.TYPE:
			if paren != 0 {
				continue
			}
			j := i + 1
			if j < len(toks) && toks[j].Tok == token.LPAREN {
				// A group: the names that start each spec.
				depth, specStart := 0, true
				for j++; j < len(toks); j++ {
					u := toks[j]
					switch {
					case u.Tok == token.LPAREN || u.Tok == token.LBRACE || u.Tok == token.LBRACK:
						depth++
					case u.Tok == token.RPAREN && depth == 0:
						j = len(toks)
						continue
					case u.Tok == token.RPAREN || u.Tok == token.RBRACE || u.Tok == token.RBRACK:
						depth--
					case u.Tok == token.SEMICOLON && depth == 0:
						specStart = true
						continue
					}
					if specStart && depth == 0 {
						out = append(out, leadingNames(toks[j:])...)
						specStart = false
					}
				}
				continue
			}
			out = append(out, leadingNames(toks[j:])...)
		case token.DEFINE:
			if paren == 0 {
				out = append(out, leadingNames(toks[stmtStart:i])...)
			}
		}
	}
	return out
}

// leadingNames returns the identifiers of a list "a, b, c" at the start
// of toks.
func leadingNames(toks []source.Token) []source.Token {
	var out []source.Token
	for k := 0; k < len(toks) && toks[k].Tok == token.IDENT; k += 2 {
		out = append(out, toks[k])
		if k+1 >= len(toks) || toks[k+1].Tok != token.COMMA {
			break
		}
	}
	return out
}

// deniedNames are the package names of the standard library packages
// that grading does not allow, which a cell might use without importing
// (os.ReadFile): the interpreter does not always say "undefined: os" for
// them (a multiple-value := of an unknown package's function fails inside
// it with a nil pointer), so the grader does.
var deniedNames = []string{
	"os", "exec", "signal", "user", "syscall", "ioutil", "filepath", "fs", "net", "http", "url", "rpc", "smtp",
	"unsafe", "reflect", "plugin", "debug", "pprof", "trace", "metrics", "testing", "log", "slog", "flag",
	"sql", "template", "tls", "x509", "build", "zip", "tar", "gzip", "expvar", "mime",
}

// Undefined returns the denied package names (os, net, …) that the
// cells use as qualifiers (os.ReadFile) although no cell imports them and
// no cell declares them as a name of its own: each is undefined, and a
// cell that uses one is refused with "undefined: NAME". A name that
// appears anywhere in the cells other than before a "." (a variable
// named log, a parameter named url) is not taken.
func Undefined(cells []string) map[string]bool {
	qualified, plain, imported := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, code := range cells {
		toks := scan(source.BlankMagics(code))
		for i := 0; i < len(toks); i++ {
			t := toks[i]
			switch {
			case t.Tok == token.IMPORT:
				end := i + 1
				if end < len(toks) && toks[end].Tok == token.LPAREN {
					for end < len(toks) && toks[end].Tok != token.RPAREN {
						end++
					}
				} else {
					for end < len(toks) && toks[end].Tok != token.SEMICOLON {
						end++
					}
				}
				for k := i + 1; k < end && k < len(toks); k++ {
					if toks[k].Tok != token.STRING {
						continue
					}
					if path, err := strconv.Unquote(toks[k].Lit); err == nil {
						imported[path[strings.LastIndexByte(path, '/')+1:]] = true
					}
					if toks[k-1].Tok == token.IDENT {
						imported[toks[k-1].Lit] = true // a named import
					}
				}
				i = end
			case t.Tok != token.IDENT:
			case i > 0 && toks[i-1].Tok == token.PERIOD:
			case i+1 < len(toks) && toks[i+1].Tok == token.PERIOD:
				qualified[t.Lit] = true
			default:
				plain[t.Lit] = true
			}
		}
	}
	out := map[string]bool{}
	for _, n := range deniedNames {
		if qualified[n] && !plain[n] && !imported[n] {
			out[n] = true
		}
	}
	return out
}

// checkUndefined refuses the qualifiers of src that are undefined
// package names (see Undefined).
func checkUndefined(src string, undefined map[string]bool) []*SourceError {
	if len(undefined) == 0 {
		return nil
	}
	toks := scan(source.BlankMagics(src))
	var errs []*SourceError
	seen := map[string]bool{}
	for i, t := range toks {
		if t.Tok != token.IDENT || !undefined[t.Lit] || seen[t.Lit] || i+1 >= len(toks) || toks[i+1].Tok != token.PERIOD || (i > 0 && toks[i-1].Tok == token.PERIOD) {
			continue
		}
		seen[t.Lit] = true
		errs = append(errs, &SourceError{Line: t.Line,
			Msg: fmt.Sprintf("undefined: %s (no cell imports %s, and it cannot be imported when grading)", t.Lit, t.Lit)})
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
