#!/usr/bin/env python3
"""Fisher's exact-test budget: its calibration and a randomized scan of what it holds.

  calibrate  runs tables exactly with an unlimited budget and prints each one's steps (the work the budget counts),
             elapsed seconds and steps per second; the median over tables that take 0.5-30 s is what
             `ExactBudget.stepsPerSecond` is set from (the reference machine: 2 cores, otherwise idle).
  scan       seeded random r x c tables up to 8 x 8 with N up to 5,000, each run as a whole process with
             `chisq table ... --exact --exact-budget 2s,512MB` (the automatic budget) and, for a subset, a 64 MB
             budget: the peak resident memory (getrusage of the child), the elapsed time, and whether p is exact or
             Monte Carlo. Fails (exit 1) when a peak passes its budget plus the process's own memory at start.

Usage: benchmarks/fisher_budget.py calibrate|scan [--bin .build/release/trustgap] [--count N] [--seed S]"""
import argparse, json, random, resource, statistics, subprocess, sys, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
from fisher_scan import tables as r_scan_tables  # noqa: E402  the 52 tables compared with R

# Tables named in the issues and BENCHMARKS.md.
NAMED = [
    [[30, 108, 123, 94, 30], [12, 25, 38, 33, 11], [4, 9, 18, 12, 4], [12, 35, 50, 32, 19], [7, 16, 29, 18, 7]],
    [[7, 7, 11, 4, 6], [11, 15, 14, 13, 19], [9, 5, 9, 6, 10], [7, 12, 14, 8, 13]],
    [[300, 200, 100], [100, 220, 300], [50, 60, 70]],
    [[12, 8, 1], [10, 9, 2], [15, 6, 3], [11, 12, 4], [9, 14, 1], [20, 17, 4]],
]


def random_table(rng, max_side=8, max_n=5000):
    r, c = rng.randint(2, max_side), rng.randint(2, max_side)
    n = int(round(10 ** rng.uniform(1.3, 3.7)))
    n = min(n, max_n)
    pr = [rng.random() ** 2 + 0.05 for _ in range(r)]
    pc = [rng.random() ** 2 + 0.05 for _ in range(c)]
    cells = [[0] * c for _ in range(r)]
    for _ in range(n):
        i = rng.choices(range(r), pr)[0]
        j = rng.choices(range(c), pc)[0]
        cells[i][j] += 1
    cells = [row for row in cells if sum(row) > 0]
    keep = [j for j in range(len(cells[0])) if sum(row[j] for row in cells) > 0] if cells else []
    cells = [[row[j] for j in keep] for row in cells]
    return cells if len(cells) >= 2 and len(cells[0]) >= 2 else None


def text(t):
    return ";".join(",".join(str(v) for v in row) for row in t)


def run(binary, table, budget, timeout=600):
    """(result JSON of the chisq command, elapsed s, peak RSS in MB) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    p = subprocess.run([binary, "--format", "json", "-e", f'chisq table "{text(table)}" --exact --exact-budget {budget}'],
                       capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - start
    # ru_maxrss of RUSAGE_CHILDREN is the largest of any child so far: each measurement runs in a fresh helper.
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if p.returncode != 0:
        raise SystemExit(f"status {p.returncode} for {text(table)}: {p.stderr}")
    return json.loads(p.stdout)[0]["result"], elapsed, max(peak, before) / 1024


def measured(binary, table, budget):
    """Runs `run` in a child Python so that each table's peak RSS is its own."""
    code = ("import sys, json; sys.path.insert(0, %r); import fisher_budget as f; r, e, m = f.run(%r, %r, %r); "
            "print(json.dumps([r, e, m]))") % (str(ROOT / "benchmarks"), binary, table, budget)
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(p.stderr)
    return json.loads(p.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["calibrate", "scan"])
    ap.add_argument("--bin", default=str(ROOT / ".build/release/trustgap"))
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--seed", type=int, default=31)
    a = ap.parse_args()
    _, start_elapsed, base_mb = measured(a.bin, [[3, 9], [8, 1]], "1s,1GB")
    print(f"start-up: {start_elapsed:.3f} s, {base_mb:.0f} MB peak for a 2 x 2 table")
    if a.mode == "calibrate":
        rates = []
        for t in NAMED + r_scan_tables():
            r, e, m = measured(a.bin, t, "100000s,16GB")
            steps, exact = r["fisher_steps"], r["fisher_method"] == "exact"
            work = e - start_elapsed
            rate = steps / work if work > 0 else float("nan")
            if exact and 0.5 <= work <= 30:
                rates.append(rate)
            print(f"{len(t)}x{len(t[0])} N={sum(map(sum, t)):5d}  {'exact' if exact else 'MC   '}  steps {steps:>13,}  "
                  f"{work:7.2f} s  {rate / 1e6:7.1f} M steps/s  {m:6.0f} MB", flush=True)
        print(f"median over {len(rates)} tables of 0.5-30 s: {statistics.median(rates) / 1e6:.1f} M steps/s "
              f"(quartiles {statistics.quantiles(rates)[0] / 1e6:.1f}-{statistics.quantiles(rates)[2] / 1e6:.1f})")
        return
    rng = random.Random(a.seed)
    drawn = NAMED[:1] + [t for t in (random_table(rng) for _ in range(a.count * 2)) if t][:a.count]
    over = 0
    for k, t in enumerate(drawn):
        for budget, mb in [("2s,512MB", 512)] + ([("60s,64MB", 64)] if k % 4 == 0 else []):
            r, e, m = measured(a.bin, t, budget)
            limit = mb + base_mb
            flag = "" if m <= limit else "  OVER"
            over += m > limit
            method = "exact" if r["fisher_method"] == "exact" else "MC"
            print(f"{len(t)}x{len(t[0])} N={sum(map(sum, t)):5d}  {budget:9s} {method:5s} p={r['fisher_p']:.4g}  "
                  f"{e:6.2f} s  peak {m:5.0f} MB (limit {limit:.0f}){flag}", flush=True)
    print(f"{len(drawn)} tables, {over} over their memory budget")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
