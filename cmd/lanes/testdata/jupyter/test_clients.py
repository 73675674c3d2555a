"""jupyter console and jupyter nbconvert --execute driving the Lanes kernel."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))


def jupyter(*args, **kw):
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=180, **kw)


class NbconvertExecute(unittest.TestCase):
    def test_execute_notebook(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "out.ipynb")
            r = jupyter("nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.kernel_name=lanes",
                        "--output", out, os.path.join(HERE, "cells.ipynb"))
            self.assertEqual(r.returncode, 0, r.stderr)
            nb = nbformat.read(out, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        self.assertEqual(code[0].outputs[0]["text"], "hello from Go\n")
        self.assertEqual(code[1].outputs[0]["output_type"], "execute_result")
        self.assertEqual(code[1].outputs[0]["data"]["text/plain"], "42")
        self.assertEqual(code[2].outputs[0]["output_type"], "display_data")
        self.assertIn("<b>rich</b>", code[2].outputs[0]["data"]["text/html"])
        self.assertEqual(code[3].outputs[0]["text"], "3\n")
        self.assertEqual([c.execution_count for c in code], [1, 2, 3, 4])


class Console(unittest.TestCase):
    def test_scripted_console_session(self):
        script = 'x := 20\nx * 2 + 2\nfunc hi() string { return "hi from a func" }\nhi()\n'
        r = jupyter("jupyter_console", "--kernel=lanes", "--simple-prompt", "--no-confirm-exit",
                    input=script + "exit\n")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("42", r.stdout)
        self.assertIn('"hi from a func"', r.stdout)
        self.assertIn("Lanes", r.stdout)  # the banner


if __name__ == "__main__":
    unittest.main()
