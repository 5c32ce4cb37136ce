#!/usr/bin/env python3
"""W6 tables from JMH's JSON output (-rf json, run with -prof gc): ns and bytes per pair, net of the empty task.

Standard library only. Usage:

    python3 benchmarks/w6.py RUN1.json [RUN2.json ...]

W6 scores are ms per invocation (every task run to its end); one invocation is tasks x 100 pairs. A benchmark's
net cost is its time minus the empty task's on the same kind of thread (emptyTask for virtual threads,
emptyTaskPlatform for the platform pool), in the same run. Every ratio is the median of the per-run ratios.
"""

import json
import statistics
import sys

PAIRS = 100
PREFIX = "dev.ringzero.bench.goals.W6."
PLATFORM = {"magazineTapPlatform", "magazineCallPlatform", "emptyTaskPlatform"}

# (label, numerator, denominator, limit)
GOALS = [
    ("magazine tap on VTs <= 2x its platform-thread figure", "magazineTap", "magazineTapPlatform", 2.0),
    ("magazine NT-style call on VTs <= 2x its platform-thread figure", "magazineCall", "magazineCallPlatform", 2.0),
    ("magazine tap <= 1.0x Stormpot thread-safe tap (VTs)", "magazineTap", "stormpotThreadSafeTap", 1.0),
    ("magazine NT-style call <= 1.0x Stormpot thread-safe tap (VTs)", "magazineCall", "stormpotThreadSafeTap", 1.0),
    ("magazine tap vs Stormpot virtual-thread-safe tap (no goal)", "magazineTap", "stormpotVirtualThreadSafeTap", None),
    ("magazine NT-style call vs Stormpot virtual-thread-safe tap (no goal)", "magazineCall",
     "stormpotVirtualThreadSafeTap", None),
    ("nt NT-style call vs magazine NT-style call (no goal)", "ntCall", "magazineCall", None),
]


def load(path):
    """{tasks: {benchmark: (ns per pair gross, B per pair)}} for one run."""
    runs = {}
    with open(path) as f:
        for r in json.load(f):
            name = r["benchmark"]
            if not name.startswith(PREFIX):
                continue
            tasks = int(r["params"]["tasks"])
            pairs = tasks * PAIRS
            ns = r["primaryMetric"]["score"] * 1e6 / pairs
            norm = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            b = norm["score"] / pairs if norm else float("nan")
            runs.setdefault(tasks, {})[name[len(PREFIX):]] = (ns, b)
    return runs


def net(run, bench):
    empty = "emptyTaskPlatform" if bench in PLATFORM else "emptyTask"
    return run[bench][0] - run[empty][0]


def main(paths):
    runs = [load(p) for p in paths]
    for tasks in sorted({t for r in runs for t in r}):
        per_run = [r[tasks] for r in runs if tasks in r]
        benches = sorted({b for r in per_run for b in r})
        print(f"\n### {tasks:,} tasks x {PAIRS} pairs ({len(per_run)} runs; medians)\n")
        print("| benchmark | ns per pair | net of the empty task | B per pair |")
        print("|---|---:|---:|---:|")
        for b in benches:
            gross = statistics.median(r[b][0] for r in per_run if b in r)
            netted = statistics.median(net(r, b) for r in per_run if b in r)
            bytes_ = statistics.median(r[b][1] for r in per_run if b in r)
            empty = b in ("emptyTask", "emptyTaskPlatform")
            print(f"| {b} | {gross:.1f} | {'' if empty else f'{netted:.1f}'} | {bytes_:.1f} |")
        print("\n| ratio (net of the empty task) | runs | median | limit | verdict |")
        print("|---|---|---:|---:|---|")
        for label, num, den, limit in GOALS:
            ratios = [net(r, num) / net(r, den) for r in per_run if num in r and den in r and net(r, den) > 0]
            if not ratios:
                continue
            med = statistics.median(ratios)
            verdict = "" if limit is None else ("met" if med <= limit else f"missed by {med / limit - 1:.0%}")
            runs_text = ", ".join(f"{x:.2f}" for x in ratios)
            print(f"| {label} | {runs_text} | **{med:.2f}** | {'' if limit is None else limit} | {verdict} |")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
