#!/usr/bin/env python3
"""The peer of `trustgap -e "load survey FILE" -e "chisq all"`: the same tabulation and tests in pandas + SciPy,
written as an analyst would (read_csv, crosstab, str.get_dummies, scipy.stats.chi2_contingency).

Reads the questionnaire for the question types, options, compared sections and the role rule, groups respondents
into TG / CG exactly as trustgap does (first matching non-optional rule on the role question), then for every
compared question:
  - single-answer / Likert: Pearson chi-square on group x answer (all-zero rows/columns dropped), Cramer's V,
    adjusted residuals for the driving answer;
  - multi-answer: the MMI test with Bonferroni (Bilder & Loughin 2004), a blank cell counted as ticking nothing: per option a group x (ticked, not ticked)
    table with 0.5 added to zero cells, p_j from chi2(r - 1), overall min(1, c * min p_j); the largest per-option V;
and Holm-adjusts the p-values. Prints one JSON object per question so the benchmark can check that both tools agree.

Usage: chisq_all_pandas.py SURVEY.csv QUESTIONNAIRE.yaml
"""
import json
import sys

import numpy as np
import pandas as pd
import yaml
from scipy import stats


def main(survey_path, questionnaire_path):
    with open(questionnaire_path, encoding="utf-8") as f:
        # Every scalar as text: answer codes such as `yes` and `no` are codes, not YAML 1.1 booleans.
        q = yaml.load(f, Loader=yaml.BaseLoader)
    compared = [x for s in q["sections"] if s.get("compare", "true") == "true" for x in s["questions"]
                if x["type"] in ("single", "multi", "likert")]
    rule = q["grouping"]

    df = pd.read_csv(survey_path, dtype=str, keep_default_na=False, encoding="utf-8")

    # Groups: the first non-optional rule whose every requirement has a ticked role and no excluded role is ticked.
    roles = df[rule["question"]].str.get_dummies(sep=";")
    group = pd.Series(pd.NA, index=df.index, dtype="object")
    levels = []
    for r in rule["rules"]:
        if r.get("optional", "false") == "true":
            continue
        ok = pd.Series(True, index=df.index)
        for any_of in r.get("requires", []):
            cols = [c for c in any_of if c in roles.columns]
            ok &= roles[cols].any(axis=1) if cols else False
        for c in r.get("excludes", []):
            if c in roles.columns:
                ok &= roles[c] == 0
        group = group.where(group.notna() | ~ok, r["group"])
        if r["group"] not in levels:
            levels.append(r["group"])
    grouped = group.notna()
    g = group[grouped]
    levels = [lv for lv in levels if (g == lv).any()]

    results = []
    for x in compared:
        col = df.loc[grouped, x["id"]].str.strip()
        if x["type"] == "multi":
            codes = [o["code"] for o in x["options"]]
            # A blank cell is a respondent who ticked nothing (MRCV's convention, trustgap's default): counted.
            answered = pd.Series(True, index=col.index)
            ticks = col[answered].str.get_dummies(sep=";").reindex(columns=codes, fill_value=0)
            ga = g[answered]
            sizes = ga.value_counts().reindex(levels, fill_value=0)
            active = [lv for lv in levels if sizes[lv] > 0]
            counts = ticks.groupby(ga).sum().reindex(active, fill_value=0)
            n = int(sizes[active].sum())
            totals = counts.sum(axis=0)
            kept = [c for c in codes if 0 < totals[c] < n]
            stat_sum, item_p, item_v = 0.0, [], []
            for c in kept:
                t = np.column_stack([counts[c].to_numpy(float), (sizes[active] - counts[c]).to_numpy(float)])
                t[t == 0] = 0.5
                x2 = stats.chi2_contingency(t, correction=False)[0]
                stat_sum += x2
                item_p.append(stats.chi2.sf(x2, len(active) - 1))
                item_v.append(np.sqrt(x2 / (n * (len(active) - 1))))
            p = min(1.0, len(kept) * min(item_p)) if kept else 1.0
            results.append({"question": x["id"], "test": "mmi-bonferroni", "statistic": stat_sum,
                            "df": len(kept) * (len(active) - 1), "p": p, "effect_size": max(item_v, default=0.0)})
        else:
            codes = [o["code"] for o in x["options"]] if x["type"] == "single" else \
                [str(v) for v in range(int(x["scale"]["min"]), int(x["scale"]["max"]) + 1)]
            answered = col != ""
            table = pd.crosstab(g[answered], col[answered]).reindex(index=levels, columns=codes, fill_value=0)
            table = table.loc[table.sum(axis=1) > 0, table.sum(axis=0) > 0]
            obs = table.to_numpy(float)
            x2, p, dof, expected = stats.chi2_contingency(obs, correction=False)
            n = obs.sum()
            v = np.sqrt(x2 / (n * (min(obs.shape) - 1)))
            rows, cols = obs.sum(axis=1, keepdims=True) / n, obs.sum(axis=0, keepdims=True) / n
            residuals = (obs - expected) / np.sqrt(expected * (1 - rows) * (1 - cols))
            i, j = np.unravel_index(np.argmax(residuals), residuals.shape)
            results.append({"question": x["id"], "test": "pearson", "statistic": float(x2), "df": int(dof), "p": float(p),
                            "effect_size": float(v), "driven_by": str(table.columns[j])})

    # Holm, as R's p.adjust.
    ps = np.array([r["p"] for r in results])
    order = np.argsort(ps, kind="stable")
    m = len(ps)
    adjusted = np.empty(m)
    running = 0.0
    for k, idx in enumerate(order):
        running = max(running, min(1.0, (m - k) * ps[idx]))
        adjusted[idx] = running
    for r, a in zip(results, adjusted):
        r["p_adjusted"] = float(a)
    json.dump({"respondents": int(len(df)), "groups": {lv: int((g == lv).sum()) for lv in levels}, "results": results},
              sys.stdout)
    print()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
