"""Compiled cells (%%compile, issue 14) through a real jupyter_client.

A compiled cell uses the session's declarations, runs its goroutines on
the real cores, shows lanes timelines inline, reports build errors and
races in the cell, can be interrupted, and leaves the session running.
"""
import queue
import time
import unittest

from kernelcase import KernelCase

# The first compiled cell of a kernel builds package lanes (from the
# toolchain's build cache when it is warm); a -race build compiles the
# standard library with the race detector once.
TIMEOUT = 300


class Compiled(KernelCase):
    TIMEOUT = TIMEOUT
    SETUP = (
        'import ("fmt"; "sync"; "time")\n'
        'func fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\n'
        'kept := 5')

    def assert_alive(self):
        reply, msgs = self.run_cell("fmt.Println(fib(kept))")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(self.text(msgs), "5\n")

    def test_goroutines_on_the_cores(self):
        reply, msgs = self.run_cell(
            '%%compile\n'
            'import "runtime"\n'
            'start := time.Now()\nfib(30)\nfib(30)\nseq := time.Since(start)\n'
            'start = time.Now()\nvar wg sync.WaitGroup\n'
            'for range 2 {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); fib(30) }()\n}\n'
            'wg.Wait()\npar := time.Since(start)\n'
            'fmt.Printf("speedup %.2f on %d cores\\n", float64(seq)/float64(par), runtime.GOMAXPROCS(0))')
        self.assertEqual(reply["status"], "ok", reply)
        out = self.text(msgs)
        self.assertRegex(out, r"^speedup \d+\.\d\d on \d+ cores\n$")
        self.assert_alive()

    def test_timeline_displayed(self):
        reply, msgs = self.run_cell(
            '%%compile\nimport "lanes"\n'
            'fmt.Println("before")\n'
            'lanes.Pool(2).Simulate(lanes.Identical(4, lanes.Compute(10*lanes.Unit)), lanes.Machine{Cores: 2})')
        self.assertEqual(reply["status"], "ok", reply)
        kinds = [m["msg_type"] for m in msgs if m["msg_type"] in ("stream", "display_data")]
        self.assertEqual(kinds, ["stream", "display_data"], msgs)
        data = [m for m in msgs if m["msg_type"] == "display_data"][0]["content"]["data"]
        for mime in ("application/vnd.vegalite.v5+json", "image/svg+xml", "image/png", "text/plain"):
            self.assertIn(mime, data)

    def test_race_reported_kernel_lives(self):
        reply, msgs = self.run_cell(
            '%%compile -race\nn := 0\ndone := make(chan bool)\n'
            'go func() { n++; done <- true }()\nn++\n<-done\nfmt.Println(n)')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "DataRace")
        report = self.text(msgs, "stderr")
        self.assertIn("WARNING: DATA RACE", report)
        self.assertRegex(report, r"cell \d+:4 ")
        self.assertEqual(self.text(msgs), "2\n")
        self.assert_alive()

    def test_build_error_cell_relative(self):
        reply, _ = self.run_cell('%%compile\n\nfmt.Println(undefinedName)')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "CompileError")
        self.assertRegex(reply["evalue"], r"cell \d+, line 3: undefined: undefinedName")
        reply, _ = self.run_cell('%%compile\nfmt.Println(kept)')
        self.assertIn("kept is a variable of the interpreted session", reply["evalue"])
        self.assert_alive()

    def test_interrupt(self):
        self.kc.execute('%%compile\nfmt.Println("ready")\ntime.Sleep(time.Hour)')
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                m = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if m["msg_type"] == "stream" and "ready" in m["content"]["text"]:
                break
        self.km.interrupt_kernel()
        reply = self.kc.get_shell_msg(timeout=TIMEOUT)["content"]
        self.assertEqual(reply["ename"], "Interrupted", reply)
        self.assert_alive()


if __name__ == "__main__":
    unittest.main()
