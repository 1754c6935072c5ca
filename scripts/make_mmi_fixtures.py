#!/usr/bin/env python3
"""Reference values for the multiple-response (MMI) test, computed independently of the Swift code.

Per-item and naive statistics come from SciPy (`chi2_contingency(correction=False)`). The Rao-Scott second-order
adjustment is built the way Bilder & Loughin (2004) state it, from the answer *patterns*: tau_i, the within-group
proportions of the 2^c patterns, have multinomial covariance V_i = (diag(tau_i) - tau_i tau_i^T) / n_i; G maps
patterns to item indicators; H centres each group's item proportions at the pooled ones; D holds
pi_j (1 - pi_j) / n_i. The eigenvalues of D^-1 H G V G^T H^T are taken with numpy, and
X2_RS2 = q X2_S / sum(lambda^2), df = q^2 / sum(lambda^2), q = (r-1)c. (The Swift code uses item second moments and
a trace, without patterns or eigenvalues, so the two meet only if both are right.)

    python3 scripts/make_mmi_fixtures.py > Tests/StatisticsTests/Fixtures/mmi_reference.json
"""
import csv, itertools, json, sys
from pathlib import Path
import numpy as np
from scipy.stats import chi2, chi2_contingency

ROOT = Path(__file__).resolve().parent.parent

def mmi(groups, sel):
    groups, sel = np.asarray(groups), np.asarray(sel, dtype=int)
    levels = sorted(set(groups.tolist()))
    r, n = len(levels), len(groups)
    kept = [j for j in range(sel.shape[1]) if 0 < sel[:, j].sum() < n]
    c = len(kept)
    items, x2s = [], 0.0
    for j in kept:
        t = np.array([[sel[groups == g, j].sum(), (groups == g).sum() - sel[groups == g, j].sum()] for g in levels], float)
        t[t == 0] = 0.5
        x2 = chi2_contingency(t, correction=False)[0]
        p = chi2.sf(x2, r - 1)
        items.append({"index": j, "statistic": x2, "p": p, "p_bonferroni": min(1.0, c * p)})
        x2s += x2
    ticks = np.array([[sel[groups == g, j].sum() for j in range(sel.shape[1])] for g in levels], float)
    ticks = ticks[:, ticks.sum(0) > 0]
    naive = chi2_contingency(ticks, correction=False)
    # Rao-Scott second order from patterns.
    s = sel[:, kept]
    patterns = list(itertools.product([0, 1], repeat=c))
    index = {p: k for k, p in enumerate(patterns)}
    G0 = np.array(patterns, float).T                      # c x 2^c
    sizes = np.array([(groups == g).sum() for g in levels], float)
    pooled = s.mean(0)
    blocks = []
    for g in levels:
        counts = np.zeros(len(patterns))
        for row in s[groups == g]:
            counts[index[tuple(row)]] += 1
        tau = counts / counts.sum()
        blocks.append((np.diag(tau) - np.outer(tau, tau)) / counts.sum())
    V = np.zeros((r * len(patterns), r * len(patterns)))
    for i, b in enumerate(blocks):
        V[i * len(patterns):(i + 1) * len(patterns), i * len(patterns):(i + 1) * len(patterns)] = b
    G = np.kron(np.eye(r), G0)
    w = sizes / sizes.sum()
    H = np.kron(np.eye(r) - np.outer(np.ones(r), w), np.eye(c))
    D = np.diag(np.concatenate([pooled * (1 - pooled) / sizes[i] for i in range(r)]))
    lam = np.linalg.eigvals(np.linalg.inv(D) @ H @ G @ V @ G.T @ H.T).real
    q = (r - 1) * c
    ss = float((lam ** 2).sum())
    rs2 = {"statistic": q * x2s / ss, "df": q * q / ss, "p": chi2.sf(q * x2s / ss, q * q / ss)}
    return {"groups": groups.tolist(), "selections": sel.astype(bool).tolist(), "items": items,
            "statistic": x2s, "bonferroni_p": min(it["p_bonferroni"] for it in items), "rs2": rs2,
            "naive": {"statistic": naive[0], "df": int(naive[2]), "p": naive[1]}}

cases = []
rng = np.random.default_rng(20251123)
for r, c, n in [(2, 3, 40), (2, 4, 60), (3, 3, 90), (2, 5, 49), (3, 4, 120), (4, 2, 80)]:
    groups = rng.integers(0, r, n)
    base = rng.uniform(0.2, 0.7, c)
    shift = rng.normal(0, 0.15, (r, c))
    latent = rng.normal(size=n)  # correlated answers, as real respondents give
    sel = (rng.uniform(size=(n, c)) < np.clip(base + shift[groups] + 0.1 * latent[:, None], 0.02, 0.98))
    cases.append({"name": f"random r={r} c={c} n={n}", **mmi(groups, sel)})

# The bundled survey's multi-answer questions, TG (0) vs CG (1) by the questionnaire's role rule.
rows = list(csv.DictReader(open(ROOT / "data/ai4hi/responses.csv", encoding="utf-8")))
def group(roles):
    roles = set(roles.split(";"))
    if roles & {"model_training", "technical_validation", "data_curation"}:
        return 0
    return 1 if roles & {"clinical_expert", "clinical_validation"} else None
import yaml
q = yaml.safe_load(open(ROOT / "questionnaires/ai-validation.yaml", encoding="utf-8"))
options = {qq["id"]: [o["code"] for o in qq.get("options", [])] for s in q["sections"] for qq in s["questions"]}
for qid in ["Q10", "Q11", "Q20", "Q25", "Q26", "Q33", "Q34"]:
    g, sel = [], []
    for row in rows:
        if row[qid] == "" or group(row["Q6"]) is None:
            continue
        ticked = set(row[qid].split(";"))
        g.append(group(row["Q6"]))
        sel.append([code in ticked for code in options[qid]])
    cases.append({"name": f"ai4hi {qid}", "question": qid, **mmi(g, sel)})

json.dump({"scipy": __import__("scipy").__version__, "cases": cases}, sys.stdout, indent=1,
          default=lambda o: o.item() if hasattr(o, "item") else str(o))
print()
