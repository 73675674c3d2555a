"""Writes the Jupyter-made fixtures of the notebook package's tests.

Run with Debian's python3-nbformat: /usr/bin/python3 gen_fixtures.py
"""
import nbformat
from nbformat import v4

def rich():
    nb = v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Go (Lanes)", "language": "go", "name": "lanes"},
        "language_info": {"name": "go", "version": "1.26", "file_extension": ".go"},
        "custom": {"ratio": 1.0, "big": 1e21, "tiny": 5e-324, "neg": -0.0, "list": [1, 2.5, None, True],
                   "html": "<b>&amp;</b>", "ctrl": "a\x01b\x7f", "seps": "x\u2028y\u2029z", "emoji": "😀 é"},
    }
    md = v4.new_markdown_cell("# Title ünïcode\n\nSome *prose* with a tab\there.\n", id="md-1")
    md.metadata = {"tags": ["intro"], "editable": False}
    code = v4.new_code_cell('import "fmt"\nfmt.Println("hi")\n', id="code-1", execution_count=3)
    code.outputs = [
        v4.new_output("stream", name="stdout", text="hi\nthere\r\nfriend"),
        v4.new_output("stream", name="stderr", text="warning\n"),
        v4.new_output("display_data", data={"text/plain": "<x>", "text/html": "<p>one</p>\n<p>two</p>",
                                            "image/png": "iVBORw0KGgo=\n", "image/svg+xml": "<svg>\n</svg>\n",
                                            "application/vnd.custom+json": {"a": [1, 2], "b": {"c": 1.5}}},
                      metadata={"image/png": {"width": 10}}),
        v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=3),
        v4.new_output("error", ename="panic", evalue="boom", traceback=["panic: boom", "\x1b[31mred\x1b[0m"]),
    ]
    empty = v4.new_code_cell("", id="code-2")
    raw = v4.new_raw_cell("raw text\n", id="raw-1")
    raw.metadata = {"format": "text/plain"}
    nb.cells = [md, code, empty, raw]
    nb.cells[0]["attachments"] = {"a.png": {"image/png": "iVBORw0KGgo="}}
    return nb

def minor4():
    nb = v4.new_notebook()
    nb.nbformat_minor = 4
    nb.metadata = {"kernelspec": {"display_name": "Go (Lanes)", "language": "go", "name": "lanes"}}
    c = v4.new_code_cell("1 + 1")
    del c["id"]
    m = v4.new_markdown_cell("no ids here")
    del m["id"]
    nb.cells = [m, c]
    return nb

for name, nb in [("rich.ipynb", rich()), ("minor4.ipynb", minor4())]:
    with open(name, "w", encoding="utf-8") as f:
        nbformat.write(nb, f, version=nbformat.NO_CONVERT)

# rich.ipynb with its outputs cleared, as Jupyter's "Clear All Outputs" does.
nb = rich()
for cell in nb.cells:
    if cell.cell_type == "code":
        cell.outputs = []
        cell.execution_count = None
with open("rich-cleared.ipynb", "w", encoding="utf-8") as f:
    nbformat.write(nb, f, version=nbformat.NO_CONVERT)

# What run_test.go's scripted cells produce, written by nbformat.
nb = v4.new_notebook()
cells = []
for i, src in enumerate(["print", "show", "value", "fail"]):
    cells.append(v4.new_code_cell(src, id="c%d" % (i + 1), execution_count=i + 1))
cells[0].outputs = [v4.new_output("stream", name="stdout", text="a\nb\n"),
                    v4.new_output("stream", name="stderr", text="warn\n"),
                    v4.new_output("stream", name="stdout", text="c")]
cells[1].outputs = [v4.new_output("display_data", data={"text/plain": "v1"}),
                    v4.new_output("stream", name="stdout", text="between\n"),
                    v4.new_output("display_data", data={"text/plain": "other"})]
cells[2].outputs = [v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=3)]
cells[3].outputs = [v4.new_output("stream", name="stdout", text="before\n"),
                    v4.new_output("error", ename="panic", evalue="boom", traceback=["panic: boom", "cell 1, line 1"])]
nb.cells = cells
with open("executed.ipynb", "w", encoding="utf-8") as f:
    nbformat.write(nb, f, version=nbformat.NO_CONVERT)
