package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/lanes-dev/lanes/display"
	"github.com/lanes-dev/lanes/engine"
	"github.com/lanes-dev/lanes/kernel"
)

const kernelHelp = `Usage: lanes kernel -f CONNECTION_FILE
       lanes kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME]
       lanes kernel uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]

`

func kernelCmd(args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "install" || args[0] == "uninstall") {
		return kernelSpecCmd(args[0], args[1:], stdout, stderr)
	}
	fs := newFlags("kernel", stderr, kernelHelp)
	connFile := fs.String("f", "", "Jupyter connection file")
	fs.StringVar(connFile, "connection-file", "", "Jupyter connection file (same as -f)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *connFile == "" && fs.NArg() == 1 {
		*connFile = fs.Arg(0)
	}
	if *connFile == "" || fs.NArg() > 1 {
		fs.Usage()
		return errUsage
	}
	conn, err := kernel.ReadConnectionFile(*connFile)
	if err != nil {
		return err
	}
	eng, err := engine.New(engine.Options{Log: stderr})
	if err != nil {
		return err
	}
	k, err := kernel.New(conn, &interpreter{eng: eng}, kernel.Options{
		Logger:       log.New(stderr, "lanes kernel: ", log.LstdFlags),
		HandleSIGINT: true,
		// Jupyter clients restart a kernel by starting a new process;
		// exiting at once spares them a 2.5 s wait before SIGTERM.
		ExitOnRestart: true,
	})
	if err != nil {
		eng.Close()
		return err
	}
	return k.Run(context.Background())
}

func kernelSpecCmd(op string, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("kernel "+op, stderr, kernelHelp)
	user := fs.Bool("user", false, "install for the current user (the default)")
	sysPrefix := fs.Bool("sys-prefix", false, "install into the Python environment of python3 on PATH")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter/kernels")
	name := fs.String("name", "lanes", "kernelspec name")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	chosen := 0
	for _, b := range []bool{*user, *sysPrefix, *prefix != ""} {
		if b {
			chosen++
		}
	}
	if chosen > 1 || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "lanes kernel: choose one of --user, --sys-prefix, --prefix DIR")
		return errUsage
	}
	var dir string
	var err error
	switch {
	case *sysPrefix:
		dir, err = kernel.SysPrefixKernelsDir("")
	case *prefix != "":
		dir = kernel.PrefixKernelsDir(*prefix)
	default:
		dir, err = kernel.UserKernelsDir()
	}
	if err != nil {
		return err
	}
	if op == "uninstall" {
		if err := kernel.UninstallKernelSpec(dir, *name); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Removed kernelspec %s from %s\n", *name, dir)
		return nil
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locating the lanes binary: %w", err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return fmt.Errorf("locating the lanes binary: %w", err)
	}
	spec := kernel.KernelSpec{
		Argv:          []string{exe, "kernel", "-f", "{connection_file}"},
		DisplayName:   "Go (Lanes)",
		Language:      "go",
		InterruptMode: "message",
		Metadata:      map[string]any{"debugger": false},
	}
	path, err := kernel.InstallKernelSpec(dir, *name, spec)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Installed kernelspec %s in %s\n", *name, path)
	return nil
}

// interpreter adapts the engine to the kernel's Interpreter interface.
type interpreter struct {
	eng *engine.Engine
}

func (i *interpreter) Info() kernel.LanguageInfo {
	return kernel.LanguageInfo{
		Name:                  "go",
		Version:               strings.TrimPrefix(runtime.Version(), "go"),
		MIMEType:              "text/x-go",
		FileExtension:         ".go",
		PygmentsLexer:         "go",
		CodeMirrorMode:        "go",
		Implementation:        "lanes",
		ImplementationVersion: version,
		Banner: "Lanes " + version + " — Go cells for seeing concurrency and parallelism\n" +
			"Go " + runtime.Version() + " interpreted by yaegi; %help lists the magics.",
		HelpLinks: []kernel.HelpLink{
			{Text: "Go language specification", URL: "https://go.dev/ref/spec"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "Effective Go", URL: "https://go.dev/doc/effective_go"},
		},
	}
}

func (i *interpreter) Execute(ctx context.Context, req kernel.ExecuteRequest, out kernel.Output) kernel.ExecuteResult {
	res := i.eng.Execute(ctx, engine.Cell{Code: req.Code, Number: req.ExecutionCount}, sink{out, req.AllowStdin})
	var r kernel.ExecuteResult
	if res.Err != nil {
		r.Error = &kernel.Error{Name: res.Err.Name, Value: res.Err.Message, Traceback: res.Traceback()}
	} else if res.Value != nil {
		r.Value = &kernel.Bundle{Data: res.Value.Data, Metadata: orEmpty(res.Value.Metadata)}
	}
	if len(req.UserExpressions) > 0 {
		r.UserExpressions = map[string]any{}
		for name, expr := range req.UserExpressions {
			er := i.eng.Execute(ctx, engine.Cell{Code: expr, Number: req.ExecutionCount}, discard{})
			switch {
			case er.Err != nil:
				r.UserExpressions[name] = map[string]any{"status": "error", "ename": er.Err.Name,
					"evalue": er.Err.Message, "traceback": er.Traceback()}
			case er.Value != nil:
				r.UserExpressions[name] = map[string]any{"status": "ok", "data": er.Value.Data,
					"metadata": orEmpty(er.Value.Metadata)}
			default:
				r.UserExpressions[name] = map[string]any{"status": "ok", "data": map[string]any{}, "metadata": map[string]any{}}
			}
		}
	}
	return r
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func (i *interpreter) Complete(code string, cursor int) kernel.Completion {
	matches, start, end := i.eng.Complete(code, cursor)
	if matches == nil {
		matches = []string{}
	}
	return kernel.Completion{Matches: matches, CursorStart: start, CursorEnd: end, Metadata: map[string]any{}}
}

func (i *interpreter) Inspect(code string, cursor, detail int) kernel.Inspection {
	text, found := i.eng.Inspect(code, cursor, detail)
	if !found {
		return kernel.Inspection{Data: map[string]any{}}
	}
	return kernel.Inspection{Found: true, Data: map[string]any{"text/plain": text}}
}

func (i *interpreter) IsComplete(code string) (string, string) { return i.eng.IsComplete(code) }
func (i *interpreter) Interrupt()                              { i.eng.Interrupt() }
func (i *interpreter) Restart() error                          { return i.eng.Restart() }
func (i *interpreter) Close() error                            { return i.eng.Close() }

// sink forwards a cell's output to the kernel.
type sink struct {
	out        kernel.Output
	allowStdin bool
}

func (s sink) Stream(name, text string) { s.out.Stream(name, text) }
func (s sink) Display(b display.Bundle, id string, update bool) {
	s.out.Display(kernel.Bundle{Data: b.Data, Metadata: orEmpty(b.Metadata)}, id, update)
}
func (s sink) ClearOutput(wait bool) { s.out.ClearOutput(wait) }
func (s sink) Input(prompt string, password bool) (string, error) {
	return s.out.Input(prompt, password)
}

// discard is a Sink for user expressions, whose output is not shown.
type discard struct{}

func (discard) Stream(string, string)                {}
func (discard) Display(display.Bundle, string, bool) {}
func (discard) ClearOutput(bool)                     {}
func (discard) Input(string, bool) (string, error)   { return "", io.EOF }
