"""Go semantics and goroutine faults through a real jupyter_client (issue 4).

Each fault is reported in the cell as Go would word it, and the session
goes on: definitions stay, and the cell names the variables a worker
restart lost.
"""
import time
import unittest

from kernelcase import KernelCase

TIMEOUT = 30


class Semantics(KernelCase):
    TIMEOUT = TIMEOUT
    SETUP = (
        'import ("fmt"; "sync"; "time")\nfunc keep() int { return 7 }\nkept := 5')

    def traceback(self, reply):
        return "\n".join(reply.get("traceback", []))

    def assert_alive(self, worker_kept=True):
        reply, msgs = self.run_cell("fmt.Println(keep())")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(self.text(msgs), "7\n")
        if worker_kept:
            reply, msgs = self.run_cell("fmt.Println(kept)")
            self.assertEqual(reply["status"], "ok", "the worker was restarted: %s" % reply)

    def test_loop_variables_per_iteration(self):
        reply, msgs = self.run_cell(
            "var wg sync.WaitGroup\nout := make([]int, 4)\n"
            "for i := range 4 {\n\twg.Go(func() { out[i] = i * i })\n}\nwg.Wait()\nfmt.Println(out, min(3, len(out)))")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(self.text(msgs), "[0 1 4 9] 3\n")

    def test_whole_program(self):
        reply, msgs = self.run_cell(
            'package main\n\nimport "fmt"\n\nvar kept = "program"\n\nfunc main() {\n\tfmt.Println(kept)\n}')
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(self.text(msgs), "program\n")
        self.assert_alive()

    def test_goroutine_panic_keeps_the_worker(self):
        reply, _ = self.run_cell(
            'func explode() {\n\tpanic("boom")\n}\ndone := make(chan bool)\ngo func() {\n\texplode()\n}()\n<-done')
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "panic")
        self.assertIn("boom", reply["evalue"])
        tb = self.traceback(reply)
        self.assertIn("main.explode", tb)
        self.assertIn("line 2", tb)
        self.assertIn("created by a go statement", tb)
        self.assert_alive()

    def test_runtime_errors_in_go_wording(self):
        cases = [
            ("go func() { var s []int; fmt.Println(s[3]) }()\ntime.Sleep(time.Second)",
             "runtime error: index out of range"),
            ("go func() { var m map[string]int; m[\"a\"] = 1 }()\ntime.Sleep(time.Second)",
             "assignment to entry in nil map"),
            ("type node struct{ v int }\nvar np *node\ngo func() { fmt.Println(np.v) }()\ntime.Sleep(time.Second)",
             "runtime error: invalid memory address or nil pointer dereference"),
            ("z := 0\ngo func() { fmt.Println(1 / z) }()\ntime.Sleep(time.Second)",
             "runtime error: integer divide by zero"),
            ("c := make(chan int)\nclose(c)\ngo func() { close(c) }()\ntime.Sleep(time.Second)",
             "close of closed channel"),
            ("c2 := make(chan int)\nclose(c2)\ngo func() { c2 <- 1 }()\ntime.Sleep(time.Second)",
             "send on closed channel"),
        ]
        for code, want in cases:
            with self.subTest(want=want):
                reply, _ = self.run_cell(code)
                self.assertEqual(reply["status"], "error")
                self.assertEqual(reply["ename"], "panic")
                self.assertIn(want, reply["evalue"])
                self.assertNotIn("reflect", reply["evalue"])
                self.assert_alive()

    def test_panic_after_the_cell_ended(self):
        reply, _ = self.run_cell('go func() {\n\ttime.Sleep(200 * time.Millisecond)\n\tpanic("late")\n}()')
        self.assertEqual(reply["status"], "ok")
        time.sleep(0.6)
        reply, msgs = self.run_cell("fmt.Println(keep())")
        self.assertEqual(reply["status"], "ok")
        err = self.text(msgs, "stderr")
        self.assertIn("panicked after the cell ended", err)
        self.assertIn("panic: late", err)
        self.assertIn("line 3", err)
        self.assert_alive()

    def test_deadlock(self):
        t0 = time.time()
        reply, _ = self.run_cell("ch := make(chan int)\nch <- 1")
        self.assertLess(time.time() - t0, 5)
        self.assertEqual(reply["status"], "error")
        self.assertEqual(reply["ename"], "fatal error")
        self.assertEqual(reply["evalue"], "all goroutines are asleep - deadlock!")
        tb = self.traceback(reply)
        self.assertIn("fatal error: all goroutines are asleep - deadlock!", tb)
        self.assertIn("[chan send]", tb)
        self.assert_alive()

    def test_deadlock_in_a_wait_group_restarts_and_names_lost_variables(self):
        self.run_cell("lostHere := 1")
        reply, _ = self.run_cell(
            "var wg sync.WaitGroup\nwg.Add(2)\nblock := make(chan int)\n"
            "go func() {\n\tdefer wg.Done()\n\t<-block\n}()\nwg.Wait()")
        self.assertEqual(reply["ename"], "fatal error")
        tb = self.traceback(reply)
        self.assertIn("waiting for a WaitGroup", tb)
        self.assertIn("blocked on receive", tb)
        self.assertIn("lostHere", tb)
        self.run_cell("kept := 5")
        self.assert_alive()

    def test_no_false_deadlock_on_timers(self):
        for code in ["<-time.After(300 * time.Millisecond)",
                     "tk := time.NewTicker(100 * time.Millisecond)\n<-tk.C\n<-tk.C\ntk.Stop()",
                     "time.Sleep(300 * time.Millisecond)"]:
            with self.subTest(code=code):
                reply, _ = self.run_cell(code)
                self.assertEqual(reply["status"], "ok", reply)

    def test_outliving_goroutines_listed_labelled_and_stopped(self):
        reply, msgs = self.run_cell(
            "func listener(in chan string) {\n\tfor s := range in {\n\t\tfmt.Println(\"heard\", s)\n\t}\n}\n"
            "words := make(chan string)\ngo listener(words)")
        self.assertEqual(reply["status"], "ok")
        note = self.text(msgs, "stderr")
        self.assertIn("1 goroutine started in this cell is still running: listener (line 7) blocked on receive", note)
        reply, msgs = self.run_cell('words <- "hi"\ntime.Sleep(100 * time.Millisecond)')
        self.assertRegex(self.text(msgs), r"^\[cell \d+ listener\] heard hi\n$")
        reply, msgs = self.run_cell("%goroutines")
        self.assertIn("listener (cell", self.text(msgs))
        reply, msgs = self.run_cell("%goroutines stop")
        self.assertEqual(reply["status"], "ok")
        self.assertIn("Every goroutine was stopped", self.text(msgs))
        self.assertIn("words", self.text(msgs))
        reply, msgs = self.run_cell("%goroutines")
        self.assertIn("No goroutine", self.text(msgs))
        self.run_cell("kept := 5")
        self.assert_alive()

    def test_type_redefinition_refused(self):
        self.run_cell("type Point struct{ X int }")
        reply, _ = self.run_cell("type Point struct{ X, Y int }")
        self.assertEqual(reply["status"], "error")
        self.assertIn("defined differently", reply["evalue"])
        self.assertIn("%reset", reply["evalue"])


if __name__ == "__main__":
    unittest.main()
