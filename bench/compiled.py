"""Compiled against interpreted cells through a real jupyter_client (numbers only).

Usage (from the repository root, with the kernelspec installed):
    go build -o /tmp/lanes ./cmd/lanes && /tmp/lanes kernel install --prefix /tmp/lanes-bench
    JUPYTER_PATH=/tmp/lanes-bench/share/jupyter /usr/bin/python3 bench/compiled.py [--runs N]

The same cell, fib in two goroutines against fib twice in a row, runs
interpreted and under %%compile in one kernel, the two kinds alternating.
Reports the median speedup T1/T2 of each kind and the median time of one
fib, and the round trip of a repeated identical compiled cell (its build
comes from the cache).
"""
import argparse
import re
import statistics
import time

import jupyter_client

SETUP = (
    'import ("fmt"; "runtime"; "sync"; "time")\n'
    'func fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\n')

CELL = (
    'start := time.Now()\nfib({n})\nfib({n})\nseq := time.Since(start)\n'
    'start = time.Now()\nvar wg sync.WaitGroup\n'
    'for range 2 {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); fib({n}) }()\n}\n'
    'wg.Wait()\npar := time.Since(start)\n'
    'fmt.Printf("%d %d %d\\n", seq, par, runtime.GOMAXPROCS(0))')


def run(kc, code, timeout=600):
    msg_id = kc.execute(code)
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream" and m["content"]["name"] == "stdout":
            out.append(m["content"]["text"])
        elif m["msg_type"] == "error":
            raise RuntimeError("%s: %s" % (m["content"]["ename"], m["content"]["evalue"]))
        elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return "".join(out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--interpreted-n", type=int, default=27)
    ap.add_argument("--compiled-n", type=int, default=36)
    args = ap.parse_args()
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name="lanes")
    try:
        run(kc, SETUP)
        kinds = {
            "interpreted": CELL.replace("{n}", str(args.interpreted_n)),
            "compiled": "%%compile\n" + CELL.replace("{n}", str(args.compiled_n)),
        }
        run(kc, kinds["compiled"])  # the first compiled cell builds package main once
        got = {k: [] for k in kinds}
        procs = 0
        for _ in range(args.runs):
            for kind, code in kinds.items():
                seq, par, procs = map(int, re.fullmatch(r"(\d+) (\d+) (\d+)\n", run(kc, code)).groups())
                got[kind].append((seq, par))
        trips = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run(kc, '%%compile\nfmt.Println("hello")')
            trips.append(time.perf_counter() - t0)
        print("GOMAXPROCS %d, %d runs of each kind, alternating" % (procs, args.runs))
        for kind, n in (("interpreted", args.interpreted_n), ("compiled", args.compiled_n)):
            sp = [s / p for s, p in got[kind]]
            one = statistics.median(s / 2 for s, _ in got[kind]) / 1e6
            print("%-11s fib(%d): one fib %.1f ms, speedup T1/T2 median %.2f (min %.2f, max %.2f)"
                  % (kind, n, one, statistics.median(sp), min(sp), max(sp)))
        print("repeated identical compiled cell: median %.1f ms" % (1e3 * statistics.median(trips)))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    main()
