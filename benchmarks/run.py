#!/usr/bin/env python3
"""trustgap's benchmarks, each beside the tool an analyst would use instead, on the same input in the same run.

Every figure is a median of several runs of a whole process, timed from outside (wall clock) with its peak resident
memory from wait4(2). Where a peer starts slowly (R), the start-up of an empty run of that peer is measured too and
subtracted, so the comparison is of the work; the gross figures are printed beside the net ones. Both tools' answers
are compared, so a fast wrong answer cannot pass.

  scripts/bench.sh            build, then run everything and rewrite the figures in BENCHMARKS.md
  benchmarks/run.py --quick   small sizes and one run each (a smoke test; figures not written)
"""
import argparse
import csv
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".build" / "release" / "trustgap"
QUESTIONNAIRE = ROOT / "questionnaires" / "ai-validation.yaml"
PANDAS_PEER = ROOT / "benchmarks" / "peers" / "chisq_all_pandas.py"
GENERIC_PEER = ROOT / "benchmarks" / "peers" / "chisq_generic_pandas.py"


def run(cmd, cwd=ROOT, stdin=None):
    """Runs a command; returns (wall seconds, peak RSS in MB, stdout)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=stdin)
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    rss = peak_rss_mb(proc)
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(map(str, cmd))}\n{err.decode(errors='replace')}")
    return wall, rss, out.decode()


_rusage = {}


def peak_rss_mb(proc):
    return _rusage.get(proc.pid, 0.0)


class Popen(subprocess.Popen):
    """Popen that reaps with wait4(2) to keep each child's own peak memory."""

    def _try_wait(self, wait_flags):
        try:
            pid, status, usage = os.wait4(self.pid, wait_flags)
        except ChildProcessError:
            return (self.pid, 0)
        if pid == self.pid:
            _rusage[pid] = usage.ru_maxrss / 1024.0
        return (pid, status)


subprocess.Popen = Popen


def measure(cmd, runs, cwd=ROOT):
    walls, rss, out = [], [], ""
    for _ in range(runs):
        w, m, out = run(cmd, cwd=cwd)
        walls.append(w)
        rss.append(m)
    return statistics.median(walls), max(rss), out


def json_documents(text):
    """The results of a --format json run: one document, an array of {command, result} (older builds printed one
    document per command, read as well)."""
    try:
        whole = json.loads(text)
        if isinstance(whole, list) and all(isinstance(e, dict) and "command" in e for e in whole):
            return [e.get("result", e.get("error")) for e in whole]
    except json.JSONDecodeError:
        pass
    dec, docs, i = json.JSONDecoder(), [], 0
    while i < len(text):
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            break
        doc, i = dec.raw_decode(text, i)
        docs.append(doc)
    return docs


def rel(a, b):
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b), 1e-300)


def synth(n, folder):
    path = folder / f"survey-{n}.csv"
    if not path.exists():
        subprocess.run([BIN, "synth", "survey", "--respondents", str(n), "--seed", "1", "--out", path], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
    return path


def bench_chisq_all(sizes, runs, folder, rows):
    """load + chisq all on synthetic surveys, trustgap vs pandas + SciPy."""
    for n in sizes:
        path = synth(n, folder)
        size_mb = path.stat().st_size / 1e6
        tg_wall, tg_rss, tg_out = measure([BIN, "--format", "json", "-e", f"load survey {path}", "-e", "chisq all"], runs)
        pd_wall, pd_rss, pd_out = measure([sys.executable, PANDAS_PEER, path, QUESTIONNAIRE], runs)
        tg = json_documents(tg_out)[-1]["tests"]
        pd = json.loads(pd_out)["results"]
        assert [r["question"] for r in tg] == [r["question"] for r in pd], "the two tools tested different questions"
        worst = max(rel(a["p"], b["p"]) for a, b in zip(tg, pd) if a["p"] > 1e-300 and b["p"] > 1e-300)
        rows.append({"bench": f"load + chisq all, {n:,} respondents ({size_mb:.0f} MB)", "trustgap_s": tg_wall,
                     "peer": "pandas + SciPy", "peer_s": pd_wall, "speedup": pd_wall / tg_wall,
                     "trustgap_mb": tg_rss, "peer_mb": pd_rss, "memory_ratio": tg_rss / pd_rss,
                     "agreement": f"p to {worst:.0e}", "n": n})


def generic(n, folder):
    """A generic survey export without a questionnaire: id, group, 10 single-answer columns, 8 agreement scales in
    words, 6 numbers, 4 tick lists joined by ";" (the shape of an analyst's own CSV)."""
    import csv, random
    path = folder / f"generic-{n}.csv"
    if path.exists():
        return path
    rng = random.Random(3)
    agree = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
    opts = ["alpha", "beta", "gamma", "delta", "eps"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "group"] + [f"s{k}" for k in range(10)] + [f"l{k}" for k in range(8)] + [f"n{k}" for k in range(6)] + [f"m{k}" for k in range(4)])
        for i in range(n):
            w.writerow([i, rng.choice(("tech", "clin"))] + [rng.choice(opts) for _ in range(10)] + [rng.choice(agree) for _ in range(8)]
                       + [rng.randint(0, 60) for _ in range(6)] + [";".join(rng.sample(opts, rng.randint(1, 3))) for _ in range(4)])
    return path


def bench_generic(n, runs, folder, rows):
    """load + chisq all on a generic CSV: inferred (two streaming passes) against the same file read with the
    questionnaire inference wrote (one pass), and against pandas + SciPy."""
    path = generic(n, folder)
    size_mb = path.stat().st_size / 1e6
    yaml = folder / f"generic-{n}.yaml"
    run([BIN, "-e", f"questionnaire infer {path} --out {yaml}"])
    tg_wall, tg_rss, tg_out = measure([BIN, "--format", "json", "-e", f"load survey {path} --group group", "-e", "chisq all"], runs)
    q_wall, q_rss, _ = measure([BIN, "--format", "json", "-e", f"load survey {path} --questionnaire {yaml} --group group", "-e", "chisq all"], runs)
    pd_wall, pd_rss, pd_out = measure([sys.executable, GENERIC_PEER, path], runs)
    tested = {r["question"] for r in json_documents(tg_out)[-1]["tests"]}
    peer = {r["question"] for r in json.loads(pd_out)["results"]}
    assert tested == peer, f"the two tools tested different columns: {sorted(tested ^ peer)}"
    rows.append({"bench": f"load + chisq all, generic CSV without a questionnaire, {n:,} rows ({size_mb:.0f} MB)", "trustgap_s": tg_wall,
                 "peer": "pandas + SciPy", "peer_s": pd_wall, "speedup": pd_wall / tg_wall, "trustgap_mb": tg_rss, "peer_mb": pd_rss,
                 "memory_ratio": tg_rss / pd_rss,
                 "agreement": f"same {len(tested)} columns; {tg_wall / q_wall:.2f}× the time and {tg_rss / q_rss:.2f}× the memory of the same file with its questionnaire"})


def wide_file(columns, rows, folder):
    """A file as wide as an export of a long questionnaire can get: an id and `columns` rating columns (1-5),
    `rows` respondents."""
    import random
    path = folder / f"wide-{columns}x{rows}.csv"
    if path.exists():
        return path
    rng = random.Random(10)
    with open(path, "w") as f:
        f.write("id," + ",".join(f"c{k}" for k in range(columns)) + "\n")
        for r in range(rows):
            f.write(f"R{r}," + ",".join(str(rng.randint(1, 5)) for _ in range(columns)) + "\n")
    return path


def bench_wide(columns, runs, folder, rows):
    """load survey of a 100,000-column, 3-row CSV (issue 26: once 80 s, a quadratic lookup): it must stay linear,
    under 2 s; pandas' read_csv of the same file beside it."""
    path = wide_file(columns, 3, folder)
    size_mb = path.stat().st_size / 1e6
    tg_wall, tg_rss, tg_out = measure([BIN, "--format", "json", "-e", f"load survey {path}"], runs)
    pd_wall, pd_rss, _ = measure([sys.executable, "-c", f"import pandas as pd; print(pd.read_csv({str(path)!r}).shape)"], runs)
    loaded = json_documents(tg_out)[0]
    assert loaded["questions"] == columns, f"{loaded['questions']} questions for {columns} columns"
    rows.append({"bench": f"load survey, {columns:,} columns × 3 rows ({size_mb:.1f} MB), inferred", "trustgap_s": tg_wall,
                 "peer": "pandas read_csv", "peer_s": pd_wall, "speedup": pd_wall / tg_wall, "trustgap_mb": tg_rss, "peer_mb": pd_rss,
                 "memory_ratio": tg_rss / pd_rss, "agreement": f"{columns:,} columns read; target under 2 s"})


def rscript(code):
    return ["Rscript", "--vanilla", "-e", code]


def bench_monte_carlo(runs, replicates, rows):
    table = [[2, 4, 6, 8, 5], [9, 6, 4, 3, 2]]  # 2 x 5, N = 49
    flat = ",".join(str(x) for r in table for x in r)
    literal = ";".join(",".join(str(x) for x in r) for r in table)
    r_code = (f"m <- matrix(c({flat}), nrow = 2, byrow = TRUE); set.seed(1); "
              f"t <- system.time(p <- chisq.test(m, simulate.p.value = TRUE, B = {replicates})$p.value)[['elapsed']]; "
              "cat(sprintf('%.17g %.6f\\n', p, t))")
    r_wall, r_rss, r_out = measure(rscript(r_code), runs)
    r_empty, _, _ = measure(rscript("invisible(0)"), runs)
    r_inside = statistics.median(float(run(rscript(r_code))[2].split()[1]) for _ in range(runs))
    tg_wall, tg_rss, tg_out = measure([BIN, "--format", "json", "-e", f'chisq table "{literal}" --simulate {replicates} --seed 1'], runs)
    tg_empty, _, _ = measure([BIN, "-e", "quit"], runs)
    tg = json_documents(tg_out)[-1]
    p_r = float(r_out.split()[0])
    p_tg = tg["monte_carlo_p"]
    se = (p_r * (1 - p_r) / replicates) ** 0.5
    rows.append({"bench": f"Monte Carlo chi-square, B = {replicates:,}, 2×5, N = 49", "trustgap_s": tg_wall - tg_empty,
                 "peer": "R chisq.test(simulate.p.value = TRUE)", "peer_s": min(r_wall - r_empty, r_inside),
                 "speedup": min(r_wall - r_empty, r_inside) / (tg_wall - tg_empty), "trustgap_mb": tg_rss, "peer_mb": r_rss,
                 "memory_ratio": tg_rss / r_rss, "agreement": f"p {p_tg:.4f} vs {p_r:.4f} ({abs(p_tg - p_r) / se:.1f} SE)",
                 "gross": f"{tg_wall:.3f} s vs {r_wall:.3f} s"})


def fisher_tables(n):
    """Five 2 x 5 tables of total n, from no association to a strong one (deterministic)."""
    import math

    def spread(total, weights):
        # Largest remainders: whole counts with exactly this total, each at least 1.
        raw = [total * w / sum(weights) for w in weights]
        cells = [max(1, math.floor(x)) for x in raw]
        order = sorted(range(len(raw)), key=lambda j: raw[j] - math.floor(raw[j]), reverse=True)
        k = 0
        while sum(cells) < total:
            cells[order[k % len(order)]] += 1
            k += 1
        while sum(cells) > total:
            j = max(range(len(cells)), key=lambda j: cells[j])
            cells[j] -= 1
        return cells

    tables = []
    for k in range(5):
        tilt = 0.06 * k
        top = spread(n // 2, [math.exp(tilt * (j - 2)) * (1 + 0.1 * (j % 2)) for j in range(5)])
        bottom = spread(n - n // 2, [math.exp(-tilt * (j - 2)) * (1 + 0.1 * ((j + 1) % 2)) for j in range(5)])
        tables.append([top, bottom])
    return tables


def bench_fisher(sizes, runs, rows):
    for n in sizes:
        tables = fisher_tables(n)
        r_list = ", ".join("matrix(c(%s), nrow = 2, byrow = TRUE)" % ",".join(str(x) for r in t for x in r) for t in tables)
        r_code = (f"ts <- list({r_list}); "
                  "t <- system.time(ps <- sapply(ts, function(m) fisher.test(m, workspace = 2e6)$p.value))[['elapsed']]; "
                  "cat(sprintf('%.17g', ps), sprintf('%.6f', t), '\\n')")
        r_wall, r_rss, r_out = measure(rscript(r_code), runs)
        r_empty, _, _ = measure(rscript("invisible(0)"), runs)
        r_inside = statistics.median(float(run(rscript(r_code))[2].split()[-1]) for _ in range(runs))
        cmd = [BIN, "--format", "json"]
        for t in tables:
            cmd += ["-e", 'chisq table "%s" --exact' % ";".join(",".join(str(x) for x in r) for r in t)]
        tg_wall, tg_rss, tg_out = measure(cmd, runs)
        tg_empty, _, _ = measure([BIN, "-e", "quit"], runs)
        p_tg = [d["fisher_p"] for d in json_documents(tg_out)]
        p_r = [float(x) for x in r_out.split()[:-1]]
        worst = max(rel(a, b) for a, b in zip(p_tg, p_r))
        peer = min(r_wall - r_empty, r_inside)
        rows.append({"bench": f"Fisher exact, five 2×5 tables, N = {n}", "trustgap_s": tg_wall - tg_empty,
                     "peer": "R fisher.test", "peer_s": peer, "speedup": peer / (tg_wall - tg_empty),
                     "trustgap_mb": tg_rss, "peer_mb": r_rss, "memory_ratio": tg_rss / r_rss,
                     "agreement": f"p to {worst:.0e}", "gross": f"{tg_wall:.3f} s vs {r_wall:.3f} s"})


# r x c tables from the exact-test issue: what froze the REPL before budgets, and tables of a few hundred respondents.
RXC_TABLES = [
    ("3×3, N = 1,400, p ≈ 5e-45", [[300, 200, 100], [100, 220, 300], [50, 60, 70]]),
    ("3×3 exactly independent, N = 2,160", [[240] * 3] * 3),
    ("6×3, N = 182", [[12, 8, 5], [10, 9, 7], [15, 6, 3], [11, 12, 4], [9, 14, 6], [20, 17, 14]]),
    ("6×3, N = 158", [[12, 8, 1], [10, 9, 2], [15, 6, 3], [11, 12, 4], [9, 14, 1], [20, 17, 4]]),
    ("4×3, N = 202", [[20, 15, 10], [18, 22, 9], [12, 30, 14], [25, 11, 16]]),
    ("6×7 sparse, N = 57", [[2, 1, 3, 0, 1, 2, 1], [1, 2, 0, 3, 1, 1, 2], [0, 1, 2, 1, 3, 1, 1], [2, 2, 1, 1, 0, 2, 1],
                            [1, 0, 2, 2, 1, 1, 3], [3, 1, 1, 0, 2, 1, 1]]),
]


def bench_fisher_rxc(runs, rows):
    """Each table alone: R's fisher.test(workspace = 2e8) time inside R, and its own Monte Carlo p (B = 10^5) as a
    check on its exact one; trustgap --exact (budget 60 s, 2 GB) as a whole process less start-up."""
    tg_empty, _, _ = measure([BIN, "-e", "quit"], runs)
    for name, t in RXC_TABLES:
        flat = ",".join(str(x) for r in t for x in r)
        r_code = (f"m <- matrix(c({flat}), nrow = {len(t)}, byrow = TRUE); "
                  "t <- system.time(p <- fisher.test(m, workspace = 2e8)$p.value)[['elapsed']]; set.seed(1); "
                  "q <- fisher.test(m, simulate.p.value = TRUE, B = 1e5)$p.value; cat(sprintf('%.10g %.10g %.4f', p, q, t), '\\n')")
        r_p, r_mc, r_s = (float(x) for x in run(rscript(r_code))[2].split())
        literal = ";".join(",".join(str(x) for x in r) for r in t)
        tg_wall, tg_rss, tg_out = measure([BIN, "--format", "json", "-e", f'chisq table "{literal}" --exact'], runs)
        doc = json_documents(tg_out)[-1]
        how = "exact" if doc["fisher_method"] == "exact" else "Monte Carlo (over budget)"
        rows.append({"bench": f"Fisher r×c, {name}", "trustgap_s": tg_wall - tg_empty, "peer": "R fisher.test", "peer_s": r_s,
                     "speedup": r_s / max(tg_wall - tg_empty, 1e-3), "trustgap_mb": tg_rss,
                     "agreement": f"trustgap {how} p {doc['fisher_p']:.4g}; R {r_p:.4g} (R's Monte Carlo {r_mc:.4g})"})


def bench_latency(runs, rows):
    wall, rss, _ = measure([BIN, "-e", "quit"], runs)
    rows.append({"bench": "start-up to first result: trustgap -e quit", "trustgap_s": wall, "trustgap_mb": rss, "target": "≤ 0.020 s"})
    wall, rss, out = measure([BIN, "-e", "load survey data/ai4hi/responses.csv", "-e", "chisq all"], runs)
    rows.append({"bench": "load + chisq all, bundled survey (49 respondents)", "trustgap_s": wall, "trustgap_mb": rss, "target": "≤ 0.050 s"})


def bench_explanations(cases, runs, folder, rows):
    out_dir = folder / f"record-{cases}"
    subprocess.run([sys.executable, ROOT / "benchmarks" / "make_explain_record.py", str(cases), out_dir], check=True,
                   stdout=subprocess.DEVNULL)
    record = f"cspca-bench-{cases}"
    load = ["-e", f"load records {out_dir}"]
    # Loading alone and loading + explaining, run in turns so that a slow spell of the machine falls on both; the
    # figure is the median of the per-turn differences.
    walls, bases, rss, out = [], [], [], ""
    for _ in range(runs):
        w, m, out = run([BIN, *load, "-e", f"explain {record} --case all --for all --out {folder / 'explanations.txt'} --format text"])
        b, _, _ = run([BIN, *load])
        walls.append(w)
        bases.append(b)
        rss.append(m)
    work = statistics.median(w - b for w, b in zip(walls, bases))
    written = re.search(r"(\d+) explanations", out)
    rows.append({"bench": f"explanations, {cases:,} cases × 4 audiences (rendered and checked)", "trustgap_s": work,
                 "trustgap_mb": max(rss), "target": "≤ 2 s",
                 "gross": f"{statistics.median(walls):.2f} s with loading the record, {statistics.median(bases):.2f} s loading it alone"
                          f" (differences {min(w - b for w, b in zip(walls, bases)):.2f}–{max(w - b for w, b in zip(walls, bases)):.2f} s)",
                 "agreement": f"{written.group(1) if written else '?'} written"})


def bench_refi(n, runs, folder, rows):
    """REFI-QDA round trip: n respondents with two open answers each and one coding per answer, exported as a
    project and imported again into a fresh session (both whole processes, loading the survey subtracted)."""
    rng = random.Random(5)
    words = "the model was validated on external data but clinicians need to trust outputs and explanations".split()
    survey, codings, project = folder / f"refi-{n}.csv", folder / f"refi-{n}-codings.csv", folder / f"refi-{n}.qdpx"
    with open(survey, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "group", "why", "how"])
        for i in range(n):
            w.writerow([f"R{i:06d}", rng.choice(("tech", "clin"))] + [" ".join(rng.choice(words) for _ in range(40)) for _ in range(2)])
    with open(codings, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["respondent", "question", "code", "coder"])
        for i in range(n):
            for q in ("why", "how"):
                w.writerow([f"R{i:06d}", q, rng.choice(("trust", "safety", "data")), "ann"])
    load = ["-e", f"load survey {survey} --group group"]
    base, _, _ = measure([BIN, *load], runs)
    export, export_mb, _ = measure([BIN, *load, "-e", f"import codings {codings}", "-e", f"export project {project}"], runs)
    imported, import_mb, out = measure([BIN, *load, "-e", f"import project {project}"], runs)
    got = re.search(r"and ([\d,]+) codings", out)
    with zipfile.ZipFile(project) as z:
        qde_mb = z.getinfo("project.qde").file_size / 1e6
    rows.append({"bench": f"REFI-QDA import of {2 * n:,} coded answers (project.qde {qde_mb:.0f} MB)", "trustgap_s": imported - base,
                 "trustgap_mb": import_mb, "target": "linear; no false \"malformed\"",
                 "agreement": f"{got.group(1) if got else '?'} codings back; export with import codings {export - base:.2f} s, {export_mb:.0f} MB"})


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()
    r = subprocess.run(["R", "--version"], capture_output=True, text=True).stdout.splitlines()
    import pandas
    import scipy
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(mem), "os": platform.platform(),
            "swift": next((l for l in swift if "Swift version" in l), "?"), "r": r[0] if r else "?",
            "python": platform.python_version(), "pandas": pandas.__version__, "scipy": scipy.__version__}


def fmt_s(x):
    return "—" if x is None else (f"{x * 1000:.1f} ms" if x < 1 else f"{x:.2f} s")


def table(rows):
    lines = ["| benchmark | trustgap | peak MB | peer | peer time | peer MB | trustgap faster by | memory | answers |",
             "|---|---:|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        lines.append("| {bench} | {t} | {tm:.0f} | {peer} | {ps} | {pm} | {sp} | {mr} | {ag} |".format(
            bench=r["bench"], t=fmt_s(r["trustgap_s"]), tm=r.get("trustgap_mb", 0), peer=r.get("peer", r.get("target", "")),
            ps=fmt_s(r.get("peer_s")), pm=f"{r['peer_mb']:.0f}" if "peer_mb" in r else "—",
            sp=f"{r['speedup']:.1f}×" if "speedup" in r else "—",
            mr=f"{r['memory_ratio']:.2f}" if "memory_ratio" in r else "—", ag=r.get("agreement", "")))
    return "\n".join(lines)


def scaling(rows):
    pts = [(r["n"], r["trustgap_s"], r["trustgap_mb"]) for r in rows if "n" in r]
    if len(pts) < 2:
        return ""
    # Growth from one size to the next, per 100,000 respondents: constant when time and memory grow linearly
    # (the first size also carries the fixed start-up and the questionnaire).
    lines = ["| respondents | time | peak MB | added time per 10⁵ | added MB per 10⁵ |", "|---:|---:|---:|---:|---:|"]
    previous = None
    for n, t, m in pts:
        if previous:
            pn, pt, pm = previous
            lines.append(f"| {n:,} | {fmt_s(t)} | {m:.0f} | {(t - pt) / (n - pn) * 1e5:.3f} s | {(m - pm) / (n - pn) * 1e5:.1f} |")
        else:
            lines.append(f"| {n:,} | {fmt_s(t)} | {m:.0f} | — | — |")
        previous = (n, t, m)
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, one run each; BENCHMARKS.md is not touched")
    ap.add_argument("--write", action="store_true", help="rewrite the figures in BENCHMARKS.md")
    ap.add_argument("--data", default=str(ROOT / ".bench"), help="where generated inputs are kept (default .bench/)")
    args = ap.parse_args()
    if not BIN.exists():
        sys.exit(f"{BIN} is missing: run scripts/bench.sh (it builds the release binary first)")
    folder = Path(args.data)
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    if args.quick:
        bench_chisq_all([2000], 1, folder, rows)
        bench_monte_carlo(1, 10000, rows)
        bench_fisher([100], 1, rows)
        bench_fisher_rxc(1, rows)
        bench_latency(3, rows)
        bench_explanations(50, 1, folder, rows)
        bench_generic(2000, 1, folder, rows)
        bench_wide(10_000, 1, folder, rows)
        bench_refi(500, 1, folder, rows)
    else:
        bench_chisq_all([10_000, 100_000], 5, folder, rows)
        bench_chisq_all([1_000_000], 3, folder, rows)
        bench_monte_carlo(5, 1_000_000, rows)
        bench_fisher([100, 200, 300, 400, 500], 5, rows)
        bench_fisher_rxc(3, rows)
        bench_latency(30, rows)
        bench_explanations(10_000, 7, folder, rows)
        bench_generic(1_000_000, 3, folder, rows)
        bench_wide(100_000, 3, folder, rows)
        bench_refi(20_000, 3, folder, rows)
    report = table(rows)
    grow = scaling(rows)
    print(report)
    if grow:
        print()
        print(grow)
    for r in rows:
        if "gross" in r:
            print(f"  {r['bench']}: whole processes {r['gross']}")
    if args.write and not args.quick:
        m = machine()
        md = (ROOT / "BENCHMARKS.md").read_text(encoding="utf-8")
        figures = (f"<!-- figures: written by benchmarks/run.py --write -->\n"
                   f"Measured {datetime.date.today().isoformat()} on {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB, "
                   f"{m['os']}; {m['swift']}; {m['r']}; Python {m['python']}, pandas {m['pandas']}, SciPy {m['scipy']}.\n\n"
                   f"{report}\n\n{grow}\n\n" +
                   "\n".join(f"- {r['bench']}: whole processes {r['gross']}" for r in rows if "gross" in r) +
                   "\n<!-- end of figures -->")
        md = re.sub(r"<!-- figures:.*?<!-- end of figures -->", lambda _: figures, md, flags=re.S)
        (ROOT / "BENCHMARKS.md").write_text(md, encoding="utf-8")
        print("\nwrote BENCHMARKS.md")


if __name__ == "__main__":
    main()
