"""Kernel benchmark through a real jupyter_client (not a test: numbers only).

Usage (from the repository root, with the kernelspec installed):
    go build -o /tmp/lanes ./cmd/lanes && /tmp/lanes kernel install --prefix /tmp/lanes-bench
    JUPYTER_PATH=/tmp/lanes-bench/share/jupyter /usr/bin/python3 bench/kernel.py [--runs N]

Reports medians (and p95 where it matters) of: cold start to
kernel_info_reply, kernel_info round trip (the harness's floor: no engine
involved), trivial execute round trip, 10,000 printed lines to idle,
idle memory of kernel plus worker (RSS and PSS), interrupt latency (cooperative `for {}` and a
cell stuck in a mutex, which needs a worker restart).
"""
import argparse
import os
import statistics
import time

import jupyter_client


def memory_kib(pid):
    """RSS and PSS of pid and its children, from /proc. The kernel and its
    worker run the same binary, whose mapped pages RSS counts once per
    process; PSS shares them out, so the PSS sum is what the pair costs."""
    rss = pss = 0
    pids = [pid]
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            pids += [int(p) for p in f.read().split()]
    except OSError:
        pass
    for p in pids:
        with open("/proc/%d/smaps_rollup" % p) as f:
            for line in f:
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
    return rss, pss


def drain_to_idle(kc, msg_id, timeout=60):
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if (m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "status"
                and m["content"]["execution_state"] == "idle"):
            return


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100.0 * (len(xs) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--executes", type=int, default=200)
    args = ap.parse_args()

    cold = []
    for _ in range(args.runs):
        km = jupyter_client.KernelManager(kernel_name="lanes")
        t0 = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.kernel_info(reply=True, timeout=30)
        cold.append(time.perf_counter() - t0)
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    km = jupyter_client.KernelManager(kernel_name="lanes")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=30)
    try:
        run_warm(km, kc, args, cold)
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def run_warm(km, kc, args, cold):
    kc.execute_interactive('import "fmt"', timeout=30)

    # The floor of this harness: a request the kernel answers without the
    # engine (jupyter_client, ZeroMQ and the kernel's own wire work).
    floor = []
    for _ in range(args.executes):
        t0 = time.perf_counter()
        kc.kernel_info()
        kc.get_shell_msg(timeout=30)
        floor.append(time.perf_counter() - t0)
    while True:
        try:
            kc.get_iopub_msg(timeout=0.2)
        except Exception:
            break

    trivial = []
    for _ in range(args.executes):
        t0 = time.perf_counter()
        msg_id = kc.execute("1")
        kc.get_shell_msg(timeout=30)
        trivial.append(time.perf_counter() - t0)
        drain_to_idle(kc, msg_id)

    lines = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        msg_id = kc.execute('for i := 0; i < 10000; i++ { fmt.Println("line", i) }')
        drain_to_idle(kc, msg_id)
        lines.append(time.perf_counter() - t0)
        kc.get_shell_msg(timeout=30)

    time.sleep(1)
    rss, pss = memory_kib(km.provisioner.process.pid)

    def interrupt_latency(code):
        out = []
        for i in range(max(3, args.runs // 2)):
            kc.execute(code % i)
            time.sleep(0.3)
            t0 = time.perf_counter()
            km.interrupt_kernel()
            reply = kc.get_shell_msg(timeout=30)["content"]
            out.append(time.perf_counter() - t0)
            assert reply.get("ename") == "Interrupted", reply
        return out

    coop = interrupt_latency("// %d\nfor {}")
    # A sleeping goroutine keeps this from being a deadlock, which the
    # worker would diagnose by itself: the lock must be interrupted.
    stuck = interrupt_latency('import ("sync"; "time")\n// %d\ngo time.Sleep(time.Hour)\n'
                              'func() { var mu sync.Mutex; mu.Lock(); mu.Lock() }()')

    ms = lambda x: "%.2f ms" % (x * 1000)
    print("cold start to kernel_info_reply: median %s (n=%d)" % (ms(statistics.median(cold)), len(cold)))
    print("kernel_info round trip (floor):  median %s, p95 %s (n=%d)" % (
        ms(statistics.median(floor)), ms(pct(floor, 95)), len(floor)))
    print("trivial execute round trip:      median %s, p95 %s (n=%d)" % (
        ms(statistics.median(trivial)), ms(pct(trivial, 95)), len(trivial)))
    print("10,000 printed lines to idle:    median %s (n=%d)" % (ms(statistics.median(lines)), len(lines)))
    print("idle memory, kernel + worker:    RSS %.1f MiB, PSS %.1f MiB" % (rss / 1024.0, pss / 1024.0))
    print("interrupt, cooperative (for {}): median %s" % ms(statistics.median(coop)))
    print("interrupt, stuck (mutex):        median %s (worker restart)" % ms(statistics.median(stuck)))


if __name__ == "__main__":
    main()
