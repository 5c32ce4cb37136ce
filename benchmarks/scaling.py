#!/usr/bin/env python3
"""W4 scaling table from JMH's JSON (one file per thread count, made by benchmarks/device/scaling.sh).

Standard library only. Usage:

    python3 benchmarks/scaling.py w4-t1.json w4-t2.json w4-t4.json w4-t8.json w4-t16.json

W4 reports AverageTime per thread, so the throughput of N threads relative to one is N x (ns at 1) / (ns at N).
The issue's goal: magazine >= 12x at 16 threads.
"""

import json
import sys

PREFIX = "dev.ringzero.bench.goals.W4."
GOAL_THREADS, GOAL_SPEEDUP = 16, 12.0


def load(paths):
    """{benchmark: {threads: ns per op per thread}}"""
    table = {}
    for path in paths:
        with open(path) as f:
            for b in json.load(f):
                if b["benchmark"].startswith(PREFIX):
                    name = b["benchmark"][len(PREFIX):]
                    table.setdefault(name, {})[b["threads"]] = b["primaryMetric"]["score"]
    return table


def main(paths):
    table = load(paths)
    threads = sorted({t for row in table.values() for t in row})
    print("Each cell: ns per operation per thread (throughput relative to one thread).")
    print()
    print("| benchmark | " + " | ".join("%d thread%s" % (t, "" if t == 1 else "s") for t in threads) + " |")
    print("|---|" + "---:|" * len(threads))
    verdicts = []
    for name in sorted(table):
        row = table[name]
        one = row.get(1)
        cells = []
        for t in threads:
            ns = row.get(t)
            if ns is None:
                cells.append("-")
            elif one:
                cells.append("%.2f (%.1fx)" % (ns, t * one / ns))
            else:
                cells.append("%.2f" % ns)
        print("| %s | %s |" % (name, " | ".join(cells)))
        if name.startswith("magazine") and one and GOAL_THREADS in row:
            speedup = GOAL_THREADS * one / row[GOAL_THREADS]
            verdicts.append("%s: %.1fx at %d threads (goal >= %.0fx): %s" % (
                name, speedup, GOAL_THREADS, GOAL_SPEEDUP, "met" if speedup >= GOAL_SPEEDUP else "missed"))
    print()
    for v in verdicts:
        print("* " + v)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
