#!/usr/bin/env python3
"""Reference values for metric recomputation, from scikit-learn and SciPy (numpy where neither has the metric:
DeLong's variance, ECE/MCE, risk-coverage/AURC, conformal coverage), on the bundled prediction files and on random
data with ties.

    python3 scripts/make_metric_fixtures.py > Tests/ValidationTests/Fixtures/metric_reference.json
"""
import csv, json, sys
from pathlib import Path
import numpy as np
from scipy.stats import binomtest, norm
from sklearn.metrics import brier_score_loss, mean_absolute_error, mean_squared_error, roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
Z = float(norm.ppf(0.975))

def delong(y, p):
    pos, neg = p[y == 1], p[y == 0]
    psi = (pos[:, None] > neg[None, :]).astype(float) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi.mean(1), psi.mean(0)
    se = float(np.sqrt(v10.var(ddof=1) / len(pos) + v01.var(ddof=1) / len(neg)))
    a = float(psi.mean())
    return a, se, [max(0.0, a - Z * se), min(1.0, a + Z * se)]

def calibration(y, p, bins, binning):
    if binning == "equal_mass":
        groups = [g for g in np.array_split(np.argsort(p, kind="stable"), bins) if len(g)]
        bounds = [(float(p[g].min()), float(p[g].max())) for g in groups]
    else:
        idx = np.minimum((p * bins).astype(int), bins - 1)
        groups = [np.where(idx == b)[0] for b in range(bins) if (idx == b).any()]
        bounds = [(b / bins, (b + 1) / bins) for b in range(bins) if (idx == b).any()]
    table, ece, mce = [], 0.0, 0.0
    for (lo, hi), g in zip(bounds, groups):
        mp, ob = float(p[g].mean()), float(y[g].mean())
        table.append({"lower": lo, "upper": hi, "n": int(len(g)), "mean_confidence": mp, "observed": ob})
        ece += len(g) / len(y) * abs(ob - mp)
        mce = max(mce, abs(ob - mp))
    return {"table": table, "ece": ece, "mce": mce}

def aurc(y, p, t=0.5):
    conf = np.maximum(p, 1 - p)
    order = np.lexsort((np.arange(len(p)), -conf))  # confidence descending, file order for ties
    errors = ((p[order] >= t).astype(int) != y[order]).astype(float)
    risks = np.cumsum(errors) / np.arange(1, len(p) + 1)
    return float(risks.mean())

def wilson(k, n):
    ci = binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="wilson")
    return [float(ci.low), float(ci.high)]

def classification_case(name, y, p):
    a, se, ci = delong(y, p)
    tp, fn = int(((p >= 0.5) & (y == 1)).sum()), int(((p < 0.5) & (y == 1)).sum())
    tn, fp = int(((p < 0.5) & (y == 0)).sum()), int(((p >= 0.5) & (y == 0)).sum())
    return {"name": name, "y": y.tolist(), "p": p.tolist(), "auc": float(roc_auc_score(y, p)), "delong_auc": a, "delong_se": se, "delong_ci": ci,
            "sensitivity": tp / (tp + fn), "sensitivity_ci": wilson(tp, tp + fn), "specificity": tn / (tn + fp), "specificity_ci": wilson(tn, tn + fp),
            "brier": float(brier_score_loss(y, p)), "equal_width": calibration(y, p, 10, "equal_width"),
            "equal_mass": calibration(y, p, 10, "equal_mass"), "aurc": aurc(y, p)}

cases = []
rows = list(csv.DictReader(open(ROOT / "data/validation/cspca-bpmri-v2.predictions.csv", encoding="utf-8")))
for ts in ("internal", "external"):
    r = [x for x in rows if x["test_set"] == ts]
    cases.append(classification_case(f"cspca {ts}", np.array([int(x["y_true"]) for x in r]), np.array([float(x["p"]) for x in r])))
rng = np.random.default_rng(3)
y = (rng.random(150) < 0.4).astype(int)
p = np.round(np.clip(0.4 + 0.3 * (y - 0.4) + rng.normal(0, 0.2, 150), 0, 1), 1)  # rounded: many ties, values 0 and 1
cases.append(classification_case("random with ties", y, p))

continuous = []
seg = list(csv.DictReader(open(ROOT / "data/validation/prostate-seg-t2w-v1.predictions.csv", encoding="utf-8")))
for ts in ("internal", "external"):
    d = np.array([float(x["dice"]) for x in seg if x["test_set"] == ts])
    se = d.std(ddof=1) / np.sqrt(len(d))
    continuous.append({"name": f"dice {ts}", "values": d.tolist(), "mean": float(d.mean()), "sd": float(d.std(ddof=1)),
                       "ci": [float(d.mean() - Z * se), float(d.mean() + Z * se)], "median": float(np.percentile(d, 50)),
                       "q1": float(np.percentile(d, 25)), "q3": float(np.percentile(d, 75))})
reg = list(csv.DictReader(open(ROOT / "data/validation/gland-volume-reg-v1.predictions.csv", encoding="utf-8")))
regression = []
for ts in ("internal", "external"):
    r = [x for x in reg if x["test_set"] == ts]
    yt, yp = np.array([float(x["y_true"]) for x in r]), np.array([float(x["y_pred"]) for x in r])
    lo, hi = np.array([float(x["lower"]) for x in r]), np.array([float(x["upper"]) for x in r])
    regression.append({"name": ts, "mae": float(mean_absolute_error(yt, yp)), "mse": float(mean_squared_error(yt, yp)),
                       "coverage": float(((yt >= lo) & (yt <= hi)).mean())})
json.dump({"classification": cases, "continuous": continuous, "regression": regression}, sys.stdout)
print()
