#!/usr/bin/env python3
"""Fisher's exact test on 52 seeded random r × c tables (2 × 6 to 6 × 6, N = 40 … 260) against R's
fisher.test(workspace = 2e8), each table in its own Rscript with a 22 s limit (R's own time of the call), and
trustgap's `chisq table … --exact` as a whole process less start-up (best of two). Prints one line per table and a
summary: how many R solved, on how many trustgap is slower, and where the p values differ.

Usage: benchmarks/fisher_scan.py [--bin .build/release/trustgap]   (about 15 minutes)"""
import argparse, json, random, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def tables(seed=11, count=52):
    random.seed(seed)
    shapes = [(3, 3), (3, 4), (4, 3), (3, 5), (4, 4), (3, 6), (2, 6), (2, 8), (4, 5), (5, 5), (3, 7), (6, 6), (2, 10)]
    out = []
    for k in range(count):
        r, c = shapes[k % len(shapes)]
        n = random.choice([40, 60, 90, 120, 160, 200, 260])
        pr = [random.random() + 0.2 for _ in range(r)]
        pc = [random.random() + 0.2 for _ in range(c)]
        cells = [[0] * c for _ in range(r)]
        for _ in range(n):
            x, i = random.random() * sum(pr), 0
            while x > pr[i]:
                x -= pr[i]; i += 1
            y, j = random.random() * sum(pc), 0
            while y > pc[j]:
                y -= pc[j]; j += 1
            cells[i][j] += 1
        cells = [row for row in cells if sum(row) > 0]
        keep = [j for j in range(len(cells[0])) if sum(row[j] for row in cells) > 0]
        cells = [[row[j] for j in keep] for row in cells]
        if len(cells) >= 2 and len(cells[0]) >= 2:
            out.append(cells)
    return out


R_CODE = """
m <- matrix(c({flat}), nrow = {rows}, byrow = TRUE)
t <- system.time(p <- fisher.test(m, workspace = 2e8)$p.value)[["elapsed"]]
cat(sprintf("%.10g %.4f", p, t))
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=str(ROOT / ".build" / "release" / "trustgap"))
    args = ap.parse_args()
    start = min(timed([args.bin, "-e", "quit"])[0] for _ in range(5))
    solved = slower = differ = 0
    for k, t in enumerate(tables(), 1):
        flat = ",".join(str(x) for row in t for x in row)
        try:
            r = subprocess.run(["Rscript", "-e", R_CODE.format(flat=flat, rows=len(t))], capture_output=True, text=True, timeout=22)
            r_p, r_s = (float(x) for x in r.stdout.split()) if r.returncode == 0 else (None, None)
        except subprocess.TimeoutExpired:
            r_p = r_s = None
        literal = ";".join(",".join(map(str, row)) for row in t)
        runs = [timed([args.bin, "--format", "json", "-e", f'chisq table "{literal}" --exact']) for _ in range(2)]
        wall = min(w for w, _ in runs) - start
        doc = json.loads(runs[-1][1])[-1]["result"]
        shape, n = f"{len(t)}×{len(t[0])}", sum(map(sum, t))
        line = f"{k:2} {shape} N={n:3}  trustgap {wall:7.3f} s {doc['fisher_method']:11} p={doc['fisher_p']:.6g}"
        if r_p is None:
            print(line + "  | R: not within 22 s", flush=True)
            continue
        solved += 1
        late = wall > r_s
        off = doc["fisher_method"] != "exact" or abs(doc["fisher_p"] - r_p) > 1e-6 * max(r_p, 1e-300)
        slower += late
        differ += off
        print(line + f"  | R {r_s:7.3f} s p={r_p:.6g}" + ("  SLOWER" if late else "") + ("  NOT EXACT OR DIFFERENT" if off else ""), flush=True)
    print(f"R solved {solved} tables within 22 s; trustgap was slower on {slower} and not exact or different on {differ}")


def timed(cmd):
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    return time.perf_counter() - t, out


if __name__ == "__main__":
    main()
