#!/usr/bin/env python3
"""Chart and goal table for the lookaside goals run, from JMH's JSON output (-rf json).

Standard library only. Usage:

    python3 benchmarks/chart.py RUN1.json [RUN2.json ...] --svg docs/lookaside-goals.svg [--markdown]

With several runs (the same benchmarks, run again), every score is the median over the runs, and every goal
ratio is the median of the per-run ratios: only ratios measured in the same run are compared.
"""

import argparse
import json
import math
import statistics
import sys
from xml.sax.saxutils import escape

PREFIX = "dev.ringzero.bench.goals."
OURS = {"magazineTap", "magazineCall", "magazineCallThreadLocal", "ntCall", "ourPool"}
WORKLOADS = [
    ("W1", "W1: one thread, hit path (take, write 8 B, give back)"),
    ("W4", "W4: two threads on one list/pool (per thread)"),
    ("W5", "W5: RegMon-like, 99 % hits (per op)"),
]

# (label, numerator, denominator, limit): numerator / denominator <= limit
GOALS = [
    ("tap W1 <= 0.5x Recycler pinned", "W1.magazineTap", "W1.recyclerPinned", 0.5),
    ("tap W1 <= 2x floor", "W1.magazineTap", "W1.floor", 2.0),
    ("NT-style call W1 <= 0.8x Recycler pinned", "W1.magazineCall", "W1.recyclerPinned", 0.8),
    ("NT-style call W1 <= 0.5x Stormpot thread-safe tap", "W1.magazineCall", "W1.stormpotThreadSafeTap", 0.5),
    ("magazine (tap) W1 <= 0.2x our pool", "W1.magazineTap", "W1.ourPool", 0.2),
    ("magazine (NT-style call) W1 <= 0.2x our pool", "W1.magazineCall", "W1.ourPool", 0.2),
    ("W4 tap per thread <= 1.2x its own W1", "W4.magazineTap", "W1.magazineTap", 1.2),
    ("W4 NT-style call per thread <= 1.2x its own W1", "W4.magazineCall", "W1.magazineCall", 1.2),
    ("W4 tap: two threads >= 1.8x one (per thread <= 1.11x its own W1)", "W4.magazineTap", "W1.magazineTap", 2 / 1.8),
    ("W4 NT-style call: two threads >= 1.8x one (per thread <= 1.11x)", "W4.magazineCall", "W1.magazineCall", 2 / 1.8),
    ("W4 tap <= 0.5x Stormpot thread-safe tap (W4)", "W4.magazineTap", "W4.stormpotThreadSafeTap", 0.5),
    ("W4 NT-style call <= 0.5x Stormpot thread-safe tap (W4)", "W4.magazineCall", "W4.stormpotThreadSafeTap", 0.5),
    ("W5 tap <= 0.5x Recycler default", "W5.magazineTap", "W5.recyclerDefault", 0.5),
    ("W5 NT-style call <= 0.5x Recycler default", "W5.magazineCall", "W5.recyclerDefault", 0.5),
]


def num(v):
    """JMH writes "NaN" (a string) for an error it could not compute."""
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def load(path):
    """{ 'W1.magazineTap': {'score':..., 'error':..., 'alloc': B/op or None, 'aux': {...}} }"""
    with open(path) as f:
        data = json.load(f)
    out = {}
    for b in data:
        name = b["benchmark"]
        if not name.startswith(PREFIX):
            continue
        key = name[len(PREFIX):]
        pm = b["primaryMetric"]
        sec = b.get("secondaryMetrics", {})
        alloc = num(sec.get("gc.alloc.rate.norm", {}).get("score"))
        aux = {k: num(v["score"]) for k, v in sec.items() if not k.startswith("gc.") and not k.startswith("·")}
        out[key] = {"score": num(pm["score"]), "error": num(pm.get("scoreError")), "unit": pm["scoreUnit"],
                    "alloc": alloc, "aux": aux}
    return out


def median(values):
    values = [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(values) if values else None


def merge(runs):
    keys = sorted(set().union(*[r.keys() for r in runs]))
    merged = {}
    for k in keys:
        present = [r[k] for r in runs if k in r]
        aux_keys = set().union(*[p["aux"].keys() for p in present])
        merged[k] = {
            "score": median([p["score"] for p in present]),
            "error": median([p["error"] for p in present]),
            "alloc": median([p["alloc"] for p in present]),  # None when -prof gc was not on
            "aux": {a: median([p["aux"].get(a) for p in present]) for a in aux_keys},
            "runs": len(present),
        }
    return merged


def hit_rate(entry):
    aux = entry.get("aux", {})
    allocates, misses = aux.get("allocates"), aux.get("allocateMisses")
    if not allocates:
        return None
    return 100.0 * (allocates - misses) / allocates


def goal_rows(runs):
    rows = []
    for label, num, den, limit in GOALS:
        ratios = [r[num]["score"] / r[den]["score"] for r in runs if num in r and den in r and r[den]["score"]]
        if not ratios:
            rows.append((label, None, limit, "not measured"))
            continue
        ratio = statistics.median(ratios)
        verdict = "met" if ratio <= limit else "missed by %.0f %%" % (100.0 * (ratio / limit - 1.0))
        rows.append((label, ratio, limit, verdict))
    return rows


def markdown(merged, runs):
    lines = ["| benchmark | ns/op | ± | B/op |", "|---|---:|---:|---:|"]
    for wl, _ in WORKLOADS:
        for k in sorted((k for k in merged if k.startswith(wl + ".")), key=lambda k: merged[k]["score"]):
            e = merged[k]
            alloc = "" if e["alloc"] is None else "%.1f" % e["alloc"]
            name = k + (" (ours)" if k.split(".", 1)[1] in OURS else "")
            hr = hit_rate(e)
            if hr is not None:
                name += ", hit rate %.2f %%" % hr
            err = "" if e["error"] is None or math.isnan(e["error"]) else "%.2f" % e["error"]
            lines.append("| %s | %.2f | %s | %s |" % (name, e["score"], err, alloc))
    lines.append("")
    lines.append("| goal | ratio (median of %d run%s) | limit | verdict |" % (len(runs), "" if len(runs) == 1 else "s"))
    lines.append("|---|---:|---:|---|")
    for label, ratio, limit, verdict in goal_rows(runs):
        lines.append("| %s | %s | %.2f | %s |" % (label, "–" if ratio is None else "%.2f" % ratio, limit, verdict))
    return "\n".join(lines)


def svg(merged, title):
    width, left, right, bar, gap, head = 980, 250, 110, 16, 5, 28
    panels = []
    for wl, caption in WORKLOADS:
        items = sorted(((k.split(".", 1)[1], merged[k]) for k in merged if k.startswith(wl + ".")),
                       key=lambda kv: kv[1]["score"])
        if items:
            panels.append((caption, items))
    scores = [e["score"] for _, items in panels for _, e in items if e["score"] and e["score"] > 0]
    if not scores:
        raise SystemExit("no goals benchmarks in the input")
    lo = 10 ** math.floor(math.log10(min(scores)))
    hi = 10 ** math.ceil(math.log10(max(scores)))
    span = width - left - right

    def x(v):
        return left + span * (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    height = 50 + sum(head + len(items) * (bar + gap) + 20 for _, items in panels) + 30
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="12">'
           % (width, height),
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="24" font-size="15" font-weight="bold">%s</text>' % (10, escape(title))]
    y = 44
    for caption, items in panels:
        out.append('<text x="10" y="%d" font-weight="bold">%s</text>' % (y + 16, escape(caption)))
        y += head
        top = y
        grid_at = len(out)  # the grid goes under the bars
        for name, e in items:
            ours = name in OURS
            colour = "#c0392b" if ours else "#7f8c8d"
            w = max(1.0, x(e["score"]) - left)
            out.append('<text x="%d" y="%d" text-anchor="end"%s>%s</text>'
                       % (left - 6, y + bar - 4, ' font-weight="bold"' if ours else "", escape(name)))
            out.append('<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>' % (left, y, w, bar, colour))
            out.append('<text x="%.1f" y="%d">%.2f ns</text>' % (left + w + 4, y + bar - 4, e["score"]))
            y += bar + gap
        decade = lo
        grid = []
        while decade <= hi:
            grid.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>' % (x(decade), top - 4, x(decade), y))
            grid.append('<text x="%.1f" y="%d" text-anchor="middle" fill="#888" font-size="10">%g</text>'
                        % (x(decade), y + 11, decade))
            decade *= 10
        out[grid_at:grid_at] = grid
        y += 20
    out.append('<text x="10" y="%d" fill="#555" font-size="11">ns per operation, log scale; red: Ringzero; '
               'grey: peers and baselines (same JMH run)</text>' % (height - 12))
    out.append("</svg>")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("runs", nargs="+", help="JMH JSON result files (-rf json), one per run")
    p.add_argument("--svg", help="write the chart here")
    p.add_argument("--title", default="Lookaside goals run: ns/op, lower is better")
    p.add_argument("--markdown", action="store_true", help="print the score and goal tables as Markdown")
    args = p.parse_args()
    runs = [load(path) for path in args.runs]
    merged = merge(runs)
    if args.svg:
        with open(args.svg, "w") as f:
            f.write(svg(merged, args.title))
    if args.markdown or not args.svg:
        print(markdown(merged, runs))


if __name__ == "__main__":
    sys.exit(main())
