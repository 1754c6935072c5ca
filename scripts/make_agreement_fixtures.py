#!/usr/bin/env python3
"""Reference values for inter-coder agreement, from scikit-learn (cohen_kappa_score) and the `krippendorff` package
(alpha, nominal), on the present/absent data that `agreement` builds: per answer and code, 1 if the coder gave the
code, 0 if they coded the answer with other codes, missing if they did not code the answer at all.

With one code per answer, also the nominal agreement over the codes themselves: Krippendorff's alpha (nominal),
Cohen's kappa (scikit-learn) and Fleiss' kappa (statsmodels, on answers every coder coded); and for every case
Krippendorff's alpha with the MASI distance between the coders' sets of codes (NLTK's AnnotationTask).

    pip install scikit-learn krippendorff statsmodels nltk
    python3 scripts/make_agreement_fixtures.py > Tests/ThematicTests/Fixtures/agreement_reference.json
"""
import csv, json, random, sys, warnings
from pathlib import Path
import numpy as np
import krippendorff
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa, aggregate_raters
from nltk.metrics.agreement import AnnotationTask
from nltk.metrics.distance import masi_distance

ROOT = Path(__file__).resolve().parent.parent
warnings.filterwarnings("ignore")

def values(codings, coder, unit, code):
    mine = {c["code"] for c in codings if c["coder"] == coder and (c["respondent"], c["question"]) == unit}
    if not mine:
        return None
    return 1 if code in mine else 0

def kappa(pairs):
    if not pairs:
        return None
    a, b = zip(*pairs)
    if len(set(a) | set(b)) < 2:
        return None
    k = cohen_kappa_score(a, b)
    return None if np.isnan(k) else float(k)

def alpha(rows):
    data = np.array([[np.nan if v is None else v for v in r] for r in rows], float).T  # coders x units
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except (ValueError, ZeroDivisionError):
        return None

def case(name, codings, units, codes, coders):
    all_rows, per = [], []
    for code in codes:
        rows = [[values(codings, c, u, code) for c in coders] for u in units]
        all_rows += rows
        pairs = [(r[0], r[1]) for r in rows if r[0] is not None and r[1] is not None]
        per.append({"code": code, "kappa": kappa(pairs) if len(coders) == 2 else None, "alpha": alpha(rows),
                    "agreement": (sum(a == b for a, b in pairs) / len(pairs)) if pairs else None})
    pairs = [(r[0], r[1]) for r in all_rows if r[0] is not None and r[1] is not None]
    given = [[frozenset(c["code"] for c in codings if c["coder"] == coder and (c["respondent"], c["question"]) == tuple(u)) or None for coder in coders]
             for u in units]
    # MASI alpha: NLTK's AnnotationTask over (coder, unit, set) triples of the answers a coder coded.
    triples = [(coder, f"{u[0]}|{u[1]}", g) for u, row in zip(units, given) for coder, g in zip(coders, row) if g is not None]
    try:
        masi = float(AnnotationTask(data=triples, distance=masi_distance).alpha())
    except ZeroDivisionError:
        masi = None
    nominal = None
    if all(g is None or len(g) == 1 for row in given for g in row):
        labels = sorted({next(iter(g)) for row in given for g in row if g})
        index = {l: k for k, l in enumerate(labels)}
        coded = [[None if g is None else index[next(iter(g))] for g in row] for row in given]
        complete = [r for r in coded if all(v is not None for v in r)]
        two = [(r[0], r[1]) for r in coded if r[0] is not None and r[1] is not None]
        fleiss = None
        if len(coders) >= 3 and complete:
            table, _ = aggregate_raters(np.array(complete))
            fleiss = float(fleiss_kappa(table, method="fleiss"))
        nominal = {"alpha": alpha(coded), "cohen": kappa(two) if len(coders) == 2 else None, "fleiss": fleiss, "complete": len(complete)}
    return {"name": name, "codings": codings, "units": [list(u) for u in units], "codes": codes, "coders": coders,
            "kappa": kappa(pairs) if len(coders) == 2 else None, "alpha": alpha(all_rows), "per_code": per, "masi_alpha": masi, "nominal": nominal}

cases = []
# The bundled reference coding.
rows = list(csv.DictReader(open(ROOT / "data/ai4hi/codings.csv", encoding="utf-8")))
codings = [{"respondent": r["respondent"], "question": r["question"], "code": r["code"], "coder": r["coder"]} for r in rows]
answers = [r["respondent"] for r in csv.DictReader(open(ROOT / "data/ai4hi/responses.csv", encoding="utf-8")) if r["Q35"]]
codes = sorted({c["code"] for c in codings})
cases.append(case("ai4hi Q35", codings, [(a, "Q35") for a in answers], codes, ["coder_a", "coder_b"]))

# Random codings: two coders, and three coders with answers some coder skipped.
rng = random.Random(7)
for name, coders, skip in [("random two coders", ["a", "b"], 0.0), ("random three coders, missing", ["a", "b", "c"], 0.2),
                           ("random two coders, missing", ["x", "y"], 0.15)]:
    units = [(f"P{i:02d}", "Q1") for i in range(30)]
    codes = ["k1", "k2", "k3", "k4"]
    cs = []
    for u in units:
        truth = {k for k in codes if rng.random() < 0.35} or {rng.choice(codes)}
        for coder in coders:
            if rng.random() < skip:
                continue
            mine = {k for k in codes if (k in truth) != (rng.random() < 0.15)} or {rng.choice(codes)}
            cs += [{"respondent": u[0], "question": u[1], "code": k, "coder": coder} for k in sorted(mine)]
    cases.append(case(name, cs, units, codes, coders))

# One code per answer (content analysis), with missing codings: two and three coders.
for name, coders, skip in [("one code per answer, two coders", ["a", "b"], 0.1), ("one code per answer, three coders", ["a", "b", "c"], 0.1),
                           ("one code per answer, four coders", ["a", "b", "c", "d"], 0.0)]:
    units = [(f"U{i:02d}", "Q2") for i in range(40)]
    codes = ["red", "green", "blue"]
    cs = []
    for u in units:
        truth = rng.choice(codes)
        for coder in coders:
            if rng.random() < skip:
                continue
            mine = truth if rng.random() < 0.7 else rng.choice(codes)
            cs.append({"respondent": u[0], "question": u[1], "code": mine, "coder": coder})
    cases.append(case(name, cs, units, codes, coders))

json.dump({"cases": cases}, sys.stdout, indent=1)
print()
