"""Writes the notebooks of run_test.go with Jupyter's nbformat.

Run with Debian's python3-nbformat: /usr/bin/python3 gen.py
"""
import nbformat
from nbformat import v4

KERNELSPEC = {"display_name": "Go (Lanes)", "language": "go", "name": "lanes"}


def notebook(name, cells):
    nb = v4.new_notebook()
    nb.metadata = {"kernelspec": KERNELSPEC, "custom": {"kept": [1.0, "<&>"]}}
    out = []
    for i, c in enumerate(cells):
        if isinstance(c, str):
            c = ("code", c, [])
        kind, src, tags = c
        cell = v4.new_code_cell(src) if kind == "code" else v4.new_markdown_cell(src)
        cell.id = "%s-%d" % (name, i + 1)
        if tags:
            cell.metadata["tags"] = tags
        out.append(cell)
    nb.cells = out
    with open(name + ".ipynb", "w", encoding="utf-8") as f:
        nbformat.write(nb, f, version=nbformat.NO_CONVERT)


notebook("outputs", [
    ("markdown", "# Outputs\n\nEvery kind of output a cell makes.", []),
    'import (\n\t"fmt"\n\t"os"\n)\n\nfmt.Println("one")\nfmt.Println("two")\nfmt.Print("three")',
    'fmt.Fprintln(os.Stderr, "to stderr")',
    "6 * 7",
    'import "lanes"\nlanes.Display(lanes.HTML("<b>rich</b> & <i>raw</i>"))\n"the value"',
    'id := lanes.NewDisplay(lanes.Markdown("step 1"))\nfmt.Println("working")\nlanes.UpdateDisplay(id, lanes.Markdown("step 2 of 2"))',
    'fmt.Println("soon gone")\nlanes.ClearOutput()\nfmt.Println("after clear")',
    "",
    'w := lanes.Identical(4, lanes.Compute(10*lanes.Unit))\nlanes.Pool(2).Simulate(w, lanes.Machine{Cores: 2}).Table()',
    ("code", 'panic("on purpose")', ["raises-exception"]),
    ("code", 'panic("skipped")', ["skip-execution"]),
    'fmt.Println("unicode é 😀 \\t tab")\nfmt.Println(len(os.Args) >= 0)',
])

notebook("fail", [
    'import "fmt"\nfmt.Println("first")',
    'var m map[string]int\nm["x"] = 1',
    'fmt.Println("never")',
])

notebook("slow", [
    'import "time"\ntime.Sleep(time.Hour)',
    'import "sync"\nvar mu sync.Mutex\nmu.Lock()\nmu.Lock()',
    'fmt := "still here"\nfmt',
])

notebook("input", [
    'import "fmt"\nvar name string\nn, err := fmt.Scanln(&name)\nfmt.Println(n, err)',
])
