"""Runs every code cell of a notebook in jupyter console's own shell (the
ZMQTerminalInteractiveShell that "jupyter console" drives) against the Lanes
kernel, and prints what the console showed.

Usage: python3 console_lesson.py NOTEBOOK.ipynb
"""
import contextlib
import io
import sys

import nbformat
from jupyter_client.manager import start_new_kernel
from jupyter_console.ptshell import ZMQTerminalInteractiveShell


def main(path):
    nb = nbformat.read(path, as_version=4)
    km, kc = start_new_kernel(kernel_name="lanes")
    try:
        shell = ZMQTerminalInteractiveShell(manager=km, client=kc, simple_prompt=True)
        shown = io.StringIO()
        with contextlib.redirect_stdout(shown):
            for cell in nb.cells:
                if cell.cell_type == "code" and cell.source.strip():
                    shell.run_cell(cell.source)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    sys.stdout.write(shown.getvalue())


if __name__ == "__main__":
    main(sys.argv[1])
