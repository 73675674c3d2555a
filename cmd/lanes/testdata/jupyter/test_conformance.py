"""Debian's jupyter_kernel_test suite against the installed Lanes kernelspec."""
import unittest

import jupyter_kernel_test


class LanesKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "lanes"
    language_name = "go"
    file_extension = ".go"

    code_hello_world = 'import "fmt"\nfmt.Println("hello, world")'
    code_stderr = 'import ("fmt"; "os")\nfmt.Fprintln(os.Stderr, "to stderr")'

    completion_samples = [
        {"text": 'import "strings"\nstrings.ToUpperSp', "matches": {"ToUpperSpecial"}},
        {"text": "counterForCompletion := 1\ncounterFor", "matches": {"counterForCompletion"}},
    ]

    complete_code_samples = ["x := 1", "func f() int { return 1 }", 'import "fmt"']
    incomplete_code_samples = ["func f() {", "for i := 0; i < 3; i++ {", "fmt.Println("]
    invalid_code_samples = ["}", "x := := 1"]

    code_generate_error = 'panic("deliberate")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"go" + "pher"', "result": '"gopher"'},
        {"code": "x := 20\nx + 1", "result": "21"},
    ]

    code_display_data = [
        {"code": 'import "lanes"\nlanes.Display(lanes.HTML("<b>hi</b>"))', "mime": "text/html"},
        {"code": 'import "lanes"\nlanes.Display(lanes.Markdown("*hi*"))', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "fmt.Println"

    code_clear_output = 'import "lanes"\nlanes.ClearOutput()'


if __name__ == "__main__":
    unittest.main()
