#!/usr/bin/env python3
"""Writes the bundled, clearly synthetic validation records in data/validation/ (trustgap.validation-record/1) and
their per-case prediction files. Modelled on the AI4HI projects' tasks; no real patient is behind any number.

- cspca-bpmri-v2: classification (clinically significant prostate cancer on bpMRI), internal + external test sets.
  Its reported external sensitivity (0.91, CI 0.86-0.95) is NOT supported by its own predictions, on purpose.
- prostate-seg-t2w-v1: segmentation (prostate gland on T2w), Dice/HD95 per case, subject-level uncertainty and QC.
- gland-volume-reg-v1: regression (prostate gland volume in mL) with 90% prediction intervals.
- pirads-triage-ext-v1: classification as records arrive from elsewhere: a predictions file without a test_set column
  (it is the external site's, matched by n), a subgroup whose column is named differently ("column") and one with no
  column at all, an overconfident model (poor calibration in most bins, negative predictions included), a reported
  AUC its own predictions contradict, and a failed input check on a case with attributions.
- psa-density-reg-v1: regression with 80% case intervals and no per-case data, so every figure is "as reported".

    python3 scripts/make_validation_records.py
"""
import csv, json, math
from pathlib import Path
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data/validation"
rng = np.random.default_rng(20251123)

def write_csv(name, header, rows):
    with open(OUT / name, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)

def r3(x):
    return float(round(float(x), 3))

# ------------------------------------------------------------------ classification
rows = []
for test_set, n, shift, prevalence in [("internal", 320, 0.0, 0.35), ("external", 220, 0.55, 0.30)]:
    for i in range(n):
        y = int(rng.random() < prevalence)
        age = int(rng.normal(67, 7))
        scanner = rng.choice(["siemens", "philips", "ge"]) if test_set == "internal" else "philips"
        score = rng.normal(1.25 - shift * 0.6 if y else -0.9 + shift * 0.2, 1.0 + shift * 0.3)
        # The model outputs the internal population's true posterior for its score (well calibrated there); the
        # external population is shifted, so the same mapping is miscalibrated there, as in practice.
        logit = math.log(0.35 / 0.65) + 2.15 * (score - 0.175)
        p_cal = min(0.999, max(0.001, 1 / (1 + math.exp(-logit))))
        # Conformal-style sets: every label whose probability is at least 0.1.
        conf_set = ";".join(lbl for lbl, q in (("csPCa", p_cal), ("no csPCa", 1 - p_cal)) if q >= 0.1)
        rows.append([f"{'I' if test_set == 'internal' else 'E'}-{i + 1:04d}", test_set, y, f"{p_cal:.4f}",
                     ">=70" if age >= 70 else "<70", scanner, conf_set])
write_csv("cspca-bpmri-v2.predictions.csv", ["case_id", "test_set", "y_true", "p", "age_group", "scanner", "conformal_set"], rows)

def full_case(cid, p, ref, *, input_ok=True, ood=9.1, flags=(), region="left peripheral zone, mid-gland", pirads_like=True):
    label = "csPCa" if p >= 0.5 else "no csPCa"
    sd = r3(0.03 + 0.25 * p * (1 - p))
    return {
        "id": cid,
        "prediction": {"label": label, "probability": r3(p)},
        "uncertainty": {"predictive_sd": sd, "epistemic": r3(sd * 0.6), "aleatoric": r3(-(p * math.log(p) + (1 - p) * math.log(1 - p))),
                        "interval": [r3(max(0, p - 2 * sd)), r3(min(1, p + 2 * sd))],
                        "conformal_set": ["csPCa"] if p >= 0.82 else (["no csPCa"] if p <= 0.12 else ["csPCa", "no csPCa"]),
                        "percentile": int(round(100 * p))},
        "qc": {"input_ok": input_ok, "ood_score": ood, "ood_threshold": 18.0, "flags": list(flags)},
        "attributions": [
            # SHAP values: positive pushes towards csPCa, negative away, so each value's sign agrees with its direction.
            {"feature": "adc_mean", "label": "low ADC in the lesion" if p >= 0.5 else "ADC within the normal range",
             "value": r3(0.3 * (p - 0.3)) if p >= 0.5 else r3(-0.3 * abs(p - 0.3)), "direction": "towards" if p >= 0.5 else "against"},
            {"feature": "dwi_high_b", "label": "bright signal on high-b DWI", "value": r3(0.25 * p), "direction": "towards"},
            {"feature": "psa_density", "label": "PSA density", "value": r3(0.1 * (p - 0.4)), "direction": "towards" if p >= 0.4 else "against"},
        ],
        "saliency": {"method": "grad_cam", "region": region, "area_fraction": r3(0.03 + 0.06 * p)},
        "counterfactual": {"feature": "adc_mean", "from": int(1200 - 500 * p), "to": 1150 if p >= 0.5 else 700, "outcome": "no csPCa" if p >= 0.5 else "csPCa"},
        "similar_cases": [{"id": f"T-{1200 + k}", "label": label if k < 2 else ("no csPCa" if label == "csPCa" else "csPCa"), "similarity": r3(0.92 - 0.05 * k)} for k in range(3)],
        "reference": ref,
    }

cases = []
for k, p in enumerate([0.93, 0.82, 0.71, 0.64, 0.55, 0.46, 0.31, 0.18, 0.09, 0.04]):
    cases.append(full_case(f"P-{17 + k * 7:03d}", p, "csPCa" if p >= 0.5 or k == 6 else "no csPCa",
                           region=["left peripheral zone, mid-gland", "right peripheral zone, apex", "anterior transition zone", "left peripheral zone, base"][k % 4]))
# P-045 was scanned at the external centre: its texts give the external test set's figures first.
cases[4]["test_set"] = "external"
cases.append(full_case("P-101", 0.77, "no csPCa", input_ok=False, ood=14.2, flags=["motion artefact on DWI", "missing high-b series"]))
cases.append(full_case("P-102", 0.58, "csPCa", ood=26.4, flags=["scanner not seen in training (1.5 T)"]))

classification = {
    "schema": "trustgap.validation-record/1",
    "id": "cspca-bpmri-v2",
    "synthetic": True,
    "model": {"name": "csPCa detector (synthetic example)", "version": "2.0.1", "task": "classification", "modality": "bpMRI",
              "target": "clinically significant prostate cancer (ISUP >= 2)",
              "intended_use": "Second reader for biparametric prostate MRI in men referred with suspected prostate cancer; flags patients likely to have csPCa before biopsy planning.",
              "intended_users": ["radiologist", "urologist"], "out_of_scope": ["men under active surveillance follow-up", "post-treatment MRI", "1.5 T scanners"],
              "provider": "AI4HI example consortium (synthetic)", "contact": "validation@example.org", "risk_class": "MDR class IIa (example)",
              "positive_label": "csPCa"},
    "data": {"training": {"name": "multi-centre bpMRI cohort (synthetic)", "sites": 4, "n": 1820, "period": "2015-2021",
                          "sha256": "3f1c0e6f0f5b0c2d9a7c1e4b8d2a6f0e9c3b7a1d5e8f2c4b6a9d0e1f3c5b7a9d",
                          "demographics": {"age": {"median": 66, "iqr": [60, 71]}, "sex": {"male": 1820}}},
             "test_sets": [{"id": "internal", "kind": "internal", "site": "centres A-D (held out)", "n": 320,
                            "sha256": "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"},
                           {"id": "external", "kind": "external", "site": "centre E (Philips 3 T)", "n": 220,
                            "sha256": "0f9e8d7c6b5a49382716f5e4d3c2b1a00f9e8d7c6b5a49382716f5e4d3c2b1a0"}]},
    "practice": {"Q7": "balance_performance", "Q9": "only_with_ground_truth", "Q13": "always", "Q14": "when_time_permits",
                 "Q15": "if_time_allows", "Q16": "never", "Q17": "not_used", "Q18": "kfold_cv", "Q19": "yes",
                 "Q22": "always", "Q23": "only_real", "Q24": "average_metric_ci", "Q28": "sometimes", "Q30": "no",
                 "Q31": "yes", "Q32": "when_possible", "Q36": "when_possible"},
    "performance": [
        {"metric": "auc", "value": 0.88, "ci": [0.84, 0.92], "ci_level": 0.95, "test_set": "internal", "subgroup": None},
        {"metric": "sensitivity", "value": 0.82, "ci": [0.74, 0.88], "ci_level": 0.95, "test_set": "internal", "subgroup": None, "threshold": 0.5},
        {"metric": "specificity", "value": 0.86, "ci": [0.81, 0.90], "ci_level": 0.95, "test_set": "internal", "subgroup": None, "threshold": 0.5},
        {"metric": "auc", "value": 0.80, "ci": [0.74, 0.86], "ci_level": 0.95, "test_set": "external", "subgroup": None},
        {"metric": "sensitivity", "value": 0.91, "ci": [0.86, 0.95], "ci_level": 0.95, "test_set": "external", "subgroup": None, "threshold": 0.5},
        {"metric": "auc", "value": 0.87, "ci": [0.81, 0.92], "ci_level": 0.95, "test_set": "internal", "subgroup": {"attribute": "age_group", "value": ">=70"}},
        {"metric": "auc", "value": 0.88, "ci": [0.84, 0.93], "ci_level": 0.95, "test_set": "internal", "subgroup": {"attribute": "age_group", "value": "<70"}},
        {"metric": "brier", "value": 0.12, "ci": None, "test_set": "internal", "subgroup": None},
    ],
    "comparator": {"name": "clinical nomogram (PSA density + PI-RADS)", "metric": "auc", "value": 0.78, "ci": [0.73, 0.83], "test_set": "internal"},
    "calibration": {"test_set": "internal", "binning": "equal_width", "bins": 10, "ece": 0.04},
    "uncertainty": {"method": "deep_ensemble", "members": 5, "level": "subject",
                    "conformal": {"alpha": 0.1, "empirical_coverage": 0.9, "mean_set_size": 1.3, "test_set": "internal"}},
    "explainability": {"methods": ["shap", "grad_cam"],
                       "global_importance": [{"feature": "adc_mean", "label": "mean ADC in lesion", "importance": 0.31},
                                             {"feature": "dwi_high_b", "label": "high-b DWI signal", "importance": 0.24},
                                             {"feature": "psa_density", "label": "PSA density", "importance": 0.12},
                                             {"feature": "lesion_volume", "label": "lesion volume", "importance": 0.09}],
                       "evaluated": "deletion curve AUC 0.31 on 50 internal cases"},
    "cases": cases,
    "predictions_csv": "cspca-bpmri-v2.predictions.csv",
    "provenance": {"code_commit": "9c1e2f4", "created": "2025-03-01", "pipeline": "nnU-Net preprocessing + ResNet-18 ensemble (synthetic example)"},
    "limitations": ["Trained on 3 T scanners only.", "Transition-zone lesions under-represented (18% of training cases)."],
    "human_oversight": "A radiologist reads every study; the AI output is shown after the first read and never replaces it.",
    "monitoring": "Quarterly review of sensitivity and calibration per site; alert when OOD rate exceeds 5%.",
    "privacy": "Images are processed on hospital servers; no data leave the hospital.",
    "x_site_notes": "kept as an unknown key on purpose",
    # What a patient reads instead of the record's codes.
    "plain_language": {"condition": "a prostate cancer that needs treatment", "people": "men",
                       "labels": {"csPCa": "a prostate cancer that needs treatment", "no csPCa": "no prostate cancer that needs treatment"},
                       "checks": {"motion artefact on DWI": "the patient moved during one part of the scan",
                                  "missing high-b series": "one set of pictures is missing",
                                  "scanner not seen in training (1.5 T)": "the scan was made on a kind of machine the program did not learn from"}},
}

# ------------------------------------------------------------------ segmentation
seg_rows = []
for test_set, n, drop in [("internal", 180, 0.0), ("external", 120, 0.05)]:
    for i in range(n):
        dice = float(np.clip(rng.beta(18, 2.4) - drop, 0.2, 0.99))
        hd95 = float(np.clip(rng.gamma(3.0, 1.3) + (1 - dice) * 20, 0.8, 40))
        seg_rows.append([f"{'SI' if test_set == 'internal' else 'SE'}-{i + 1:04d}", test_set, f"{dice:.4f}", f"{hd95:.2f}",
                         f"{float(np.clip(dice + rng.normal(0, 0.03), 0, 1)):.4f}", "large (>=50 mL)" if rng.random() < 0.45 else "small (<50 mL)"])
write_csv("prostate-seg-t2w-v1.predictions.csv", ["case_id", "test_set", "dice", "hd95", "dice_estimate", "gland_size"], seg_rows)
seg_cases = []
for k, (d, ok, ood) in enumerate([(0.93, True, 6.0), (0.91, True, 7.2), (0.90, True, 5.5), (0.88, True, 8.1), (0.87, True, 9.0),
                                  (0.85, True, 7.7), (0.83, True, 10.2), (0.79, True, 12.5), (0.74, True, 13.9), (0.68, True, 16.1),
                                  (0.41, False, 31.0)]):
    seg_cases.append({"id": f"S-{k + 1:03d}", "prediction": {"dice_estimate": d, "volume_ml": r3(38 + 4 * k)},
                      "uncertainty": {"predictive_sd": r3(0.02 + (1 - d) * 0.1), "level": "subject", "interval": [r3(d - 0.05), r3(min(1, d + 0.04))]},
                      "qc": {"input_ok": ok, "ood_score": ood, "ood_threshold": 20.0, "flags": [] if ok else ["field-of-view cuts the apex", "severe susceptibility artefact"]},
                      "saliency": {"method": "entropy_map", "region": "apex and base" if d < 0.85 else "gland boundary at the base", "area_fraction": r3(0.02 + (1 - d) * 0.2)},
                      "reference": "manual contour by radiologist"})
segmentation = {
    "schema": "trustgap.validation-record/1", "id": "prostate-seg-t2w-v1", "synthetic": True,
    "model": {"name": "prostate gland segmentation (synthetic example)", "version": "1.3.0", "task": "segmentation", "modality": "T2w MRI",
              "target": "whole prostate gland", "intended_use": "Automatic gland contour for volume and PSA-density calculation.",
              "intended_users": ["radiologist", "radiographer"], "out_of_scope": ["post-prostatectomy bed"]},
    "data": {"training": {"name": "T2w cohort (synthetic)", "sites": 3, "n": 960, "period": "2016-2022"},
             "test_sets": [{"id": "internal", "kind": "internal", "n": 180}, {"id": "external", "kind": "external", "site": "centre F", "n": 120}]},
    "practice": {"Q13": "always", "Q14": "always_corrective", "Q16": "when_time_allows", "Q22": "when_possible", "Q25": "dice_overlap;distance_metrics"},
    "performance": [
        {"metric": "dice", "value": 0.88, "ci": [0.87, 0.89], "ci_level": 0.95, "test_set": "internal", "subgroup": None},
        {"metric": "hd95", "value": 6.2, "ci": [5.6, 6.8], "ci_level": 0.95, "test_set": "internal", "subgroup": None},
        {"metric": "dice", "value": 0.83, "ci": [0.81, 0.85], "ci_level": 0.95, "test_set": "external", "subgroup": None},
    ],
    "uncertainty": {"method": "mc_dropout", "members": 20, "level": "subject"},
    "explainability": {"methods": ["entropy_map"], "evaluated": None},
    "cases": seg_cases,
    "predictions_csv": "prostate-seg-t2w-v1.predictions.csv",
    "provenance": {"code_commit": "4be77a0", "created": "2025-02-11"},
    "limitations": ["Apex contours are least reliable."],
    "human_oversight": "Contours are reviewed and corrected by the reporting radiologist.",
}

# ------------------------------------------------------------------ regression
reg_rows = []
for test_set, n, bias in [("internal", 200, 0.0), ("external", 140, 2.5)]:
    for i in range(n):
        y = float(np.clip(rng.lognormal(3.7, 0.35), 15, 180))
        pred = y + bias + rng.normal(0, 4.0 + 0.05 * y)
        half = 1.645 * (4.0 + 0.05 * pred)
        reg_rows.append([f"{'VI' if test_set == 'internal' else 'VE'}-{i + 1:04d}", test_set, f"{y:.2f}", f"{pred:.2f}", f"{pred - half:.2f}", f"{pred + half:.2f}",
                         "1.5 T" if rng.random() < 0.3 else "3 T"])
write_csv("gland-volume-reg-v1.predictions.csv", ["case_id", "test_set", "y_true", "y_pred", "lower", "upper", "field_strength"], reg_rows)
reg_cases = [{"id": f"V-{k + 1:03d}", "prediction": {"value": v, "unit": "mL"},
              "uncertainty": {"interval": [r3(v - 8 - 0.08 * v), r3(v + 8 + 0.08 * v)], "predictive_sd": r3(4 + 0.05 * v)},
              "qc": {"input_ok": k != 10, "ood_score": 5.0 + k, "ood_threshold": 16.0, "flags": [] if k != 10 else ["hip prosthesis artefact"]},
              "attributions": [{"feature": "gland_length_ap", "label": "antero-posterior gland length", "value": r3(0.02 * v), "direction": "towards"}],
              "reference": r3(v + (-1) ** k * 3.1)} for k, v in enumerate([24.5, 31.0, 38.2, 42.7, 47.9, 55.3, 61.8, 70.4, 83.6, 97.2, 64.0])]
regression = {
    "schema": "trustgap.validation-record/1", "id": "gland-volume-reg-v1", "synthetic": True,
    "model": {"name": "prostate gland volume regressor (synthetic example)", "version": "0.9.2", "task": "regression", "modality": "T2w MRI",
              "target": "prostate gland volume (mL)", "intended_use": "Volume estimate for PSA density when no contour is available.",
              "intended_users": ["urologist", "radiologist"], "out_of_scope": ["glands above 200 mL"]},
    "data": {"training": {"name": "volume cohort (synthetic)", "sites": 2, "n": 640},
             "test_sets": [{"id": "internal", "kind": "internal", "n": 200}, {"id": "external", "kind": "external", "n": 140}]},
    "practice": {"Q26": "mse;mae", "Q27": "average_error_ci", "Q22": "when_possible", "Q14": "always"},
    "performance": [
        {"metric": "mae", "value": 5.1, "ci": [4.6, 5.7], "ci_level": 0.95, "test_set": "internal", "subgroup": None},
        {"metric": "mse", "value": 44.0, "ci": None, "test_set": "internal", "subgroup": None},
        {"metric": "interval_coverage", "value": 0.9, "ci": None, "test_set": "internal", "subgroup": None},
        {"metric": "mae", "value": 6.4, "ci": [5.6, 7.3], "ci_level": 0.95, "test_set": "external", "subgroup": None},
    ],
    "uncertainty": {"method": "quantile_regression", "level": "subject"},
    "cases": reg_cases,
    "predictions_csv": "gland-volume-reg-v1.predictions.csv",
    "provenance": {"created": "2025-01-20"},
}

# ------------------------------------------------------------------ reported figures
# Honest figures are what the predictions give, rounded as a paper would print them, with simple CIs (Hanley &
# McNeil for AUC, Wilson for proportions, mean +- 1.96 SE otherwise). One figure is planted wrong: the external
# sensitivity of cspca-bpmri-v2.
def z(): return 1.959963984540054

def wilson(k, n):
    p, zz = k / n, z() ** 2
    c = (p + zz / (2 * n)) / (1 + zz / n)
    h = z() * math.sqrt(p * (1 - p) / n + zz / (4 * n * n)) / (1 + zz / n)
    return [round(c - h, 2), round(c + h, 2)]

def auc_ci(y, p):
    pos, neg = p[y == 1], p[y == 0]
    a = float(((pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()) / (len(pos) * len(neg)))
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    se = math.sqrt((a * (1 - a) + (len(pos) - 1) * (q1 - a * a) + (len(neg) - 1) * (q2 - a * a)) / (len(pos) * len(neg)))
    return round(a, 2), [round(a - z() * se, 2), round(min(1, a + z() * se), 2)]

def mean_ci(v, digits=2):
    m, se = float(np.mean(v)), float(np.std(v, ddof=1) / math.sqrt(len(v)))
    return round(m, digits), [round(m - z() * se, digits), round(m + z() * se, digits)]

def column(rows, key, cast=float):
    return np.array([cast(r[key]) for r in rows])

cls = list(csv.DictReader(open(OUT / "cspca-bpmri-v2.predictions.csv", encoding="utf-8")))
perf = []
for ts in ("internal", "external"):
    r = [x for x in cls if x["test_set"] == ts]
    y, p = column(r, "y_true", int), column(r, "p")
    a, ci = auc_ci(y, p)
    perf.append({"metric": "auc", "value": a, "ci": ci, "ci_level": 0.95, "ci_method": "Hanley-McNeil", "test_set": ts, "subgroup": None})
    tp, fn = int(((p >= 0.5) & (y == 1)).sum()), int(((p < 0.5) & (y == 1)).sum())
    tn, fp = int(((p < 0.5) & (y == 0)).sum()), int(((p >= 0.5) & (y == 0)).sum())
    perf.append({"metric": "sensitivity", "value": round(tp / (tp + fn), 2), "ci": wilson(tp, tp + fn), "ci_level": 0.95, "ci_method": "Wilson", "test_set": ts, "subgroup": None, "threshold": 0.5})
    perf.append({"metric": "specificity", "value": round(tn / (tn + fp), 2), "ci": wilson(tn, tn + fp), "ci_level": 0.95, "ci_method": "Wilson", "test_set": ts, "subgroup": None, "threshold": 0.5})
    if ts == "internal":
        perf.append({"metric": "brier", "value": round(float(np.mean((p - y) ** 2)), 3), "ci": None, "test_set": ts, "subgroup": None})
        for g in (">=70", "<70"):
            rg = [x for x in r if x["age_group"] == g]
            a, ci = auc_ci(column(rg, "y_true", int), column(rg, "p"))
            perf.append({"metric": "auc", "value": a, "ci": ci, "ci_level": 0.95, "ci_method": "Hanley-McNeil", "test_set": ts, "subgroup": {"attribute": "age_group", "value": g}})
        # ECE, equal-width 10 bins on p, left-closed, last bin closed.
        bins = np.minimum((p * 10).astype(int), 9)
        ece = sum(abs(p[bins == b].mean() - y[bins == b].mean()) * (bins == b).sum() for b in range(10) if (bins == b).any()) / len(p)
        classification["calibration"]["ece"] = round(float(ece), 3)
        covered = np.mean([("csPCa" if yy else "no csPCa") in s.split(";") for yy, s in zip(y, [x["conformal_set"] for x in r])])
        classification["uncertainty"]["conformal"]["empirical_coverage"] = round(float(covered), 3)
        classification["uncertainty"]["conformal"]["mean_set_size"] = round(float(np.mean([len(x["conformal_set"].split(";")) for x in r])), 2)
for entry in perf:  # the planted error: a sensitivity the external predictions do not support
    if entry["metric"] == "sensitivity" and entry["test_set"] == "external":
        entry["value"], entry["ci"] = 0.91, [0.86, 0.95]
classification["performance"] = perf

seg = list(csv.DictReader(open(OUT / "prostate-seg-t2w-v1.predictions.csv", encoding="utf-8")))
segmentation["performance"] = []
for ts in ("internal", "external"):
    r = [x for x in seg if x["test_set"] == ts]
    for metric, digits in (("dice", 3), ("hd95", 2)):
        v, ci = mean_ci(column(r, metric), digits)
        segmentation["performance"].append({"metric": metric, "value": v, "ci": ci, "ci_level": 0.95, "ci_method": "mean +- 1.96 SE", "test_set": ts, "subgroup": None})
    if ts == "internal":
        for g in ("small (<50 mL)", "large (>=50 mL)"):
            v, ci = mean_ci(column([x for x in r if x["gland_size"] == g], "dice"), 3)
            segmentation["performance"].append({"metric": "dice", "value": v, "ci": ci, "ci_level": 0.95, "ci_method": "mean +- 1.96 SE", "test_set": ts,
                                                "subgroup": {"attribute": "gland_size", "value": g}})

reg = list(csv.DictReader(open(OUT / "gland-volume-reg-v1.predictions.csv", encoding="utf-8")))
regression["performance"] = []
for ts in ("internal", "external"):
    r = [x for x in reg if x["test_set"] == ts]
    y, yp, lo, hi = column(r, "y_true"), column(r, "y_pred"), column(r, "lower"), column(r, "upper")
    v, ci = mean_ci(np.abs(y - yp), 2)
    regression["performance"].append({"metric": "mae", "value": v, "ci": ci, "ci_level": 0.95, "ci_method": "mean +- 1.96 SE", "test_set": ts, "subgroup": None})
    regression["performance"].append({"metric": "mse", "value": round(float(np.mean((y - yp) ** 2)), 1), "ci": None, "test_set": ts, "subgroup": None})
    regression["performance"].append({"metric": "interval_coverage", "value": round(float(np.mean((y >= lo) & (y <= hi))), 3), "ci": None, "nominal": 0.9, "test_set": ts, "subgroup": None})
    if ts == "internal":
        for g in ("1.5 T", "3 T"):
            rg = [x for x in r if x["field_strength"] == g]
            v, ci = mean_ci(np.abs(column(rg, "y_true") - column(rg, "y_pred")), 2)
            regression["performance"].append({"metric": "mae", "value": v, "ci": ci, "ci_level": 0.95, "ci_method": "mean +- 1.96 SE", "test_set": ts,
                                              "subgroup": {"attribute": "field_strength", "value": g}})

# ------------------------------------------------------------------ a record from elsewhere (triage, external site)
# Its own generator, so the records above stay as they were.
rng2 = np.random.default_rng(20261129)
tri_rows = []
for i in range(260):
    y = int(rng2.random() < 0.32)
    score = rng2.normal(0.9 if y else -0.7, 1.1)
    # Overconfident: the logit of the calibrated posterior, doubled.
    true_logit = math.log(0.32 / 0.68) + 1.3 * (score - 0.1)
    p = min(0.995, max(0.005, 1 / (1 + math.exp(-2.2 * true_logit))))
    tri_rows.append([f"D-{i + 1:04d}", y, f"{p:.4f}", "70+" if rng2.random() < 0.35 else "under 70"])
write_csv("pirads-triage-ext-v1.predictions.csv", ["case_id", "y_true", "p", "age_band"], tri_rows)
ty, tp_ = np.array([r[1] for r in tri_rows]), np.array([float(r[2]) for r in tri_rows])
tri_bins = np.minimum((tp_ * 10).astype(int), 9)
tri_ece = sum(abs(tp_[tri_bins == b].mean() - ty[tri_bins == b].mean()) * (tri_bins == b).sum() for b in range(10) if (tri_bins == b).any()) / len(tp_)
tpos, tfn = int(((tp_ >= 0.5) & (ty == 1)).sum()), int(((tp_ < 0.5) & (ty == 1)).sum())
old70 = np.array([r[3] == "70+" for r in tri_rows])
a70, ci70 = auc_ci(ty[old70], tp_[old70])

def triage_case(cid, p, *, input_ok=True, flags=()):
    label = "csPCa likely" if p >= 0.5 else "csPCa unlikely"
    towards = p >= 0.5
    return {
        "id": cid, "prediction": {"label": label, "probability": r3(p)},
        "uncertainty": {"predictive_sd": r3(0.02 + 0.2 * p * (1 - p)), "interval": [r3(max(0, p - 0.1)), r3(min(1, p + 0.1))]},
        "qc": {"input_ok": input_ok, "ood_score": 7.5, "ood_threshold": 15.0, "flags": list(flags)},
        "attributions": [
            {"feature": "lesion_adc", "label": "restricted diffusion in the lesion" if towards else "diffusion close to normal",
             "value": r3(0.4 * (p - 0.5)), "direction": "towards" if towards else "against"},
            {"feature": "psad", "label": "PSA density", "value": r3(0.15 * (p - 0.3)), "direction": "towards" if p >= 0.3 else "against"},
        ],
        "saliency": {"method": "grad_cam", "region": "the PI-RADS 3 lesion", "area_fraction": 0.05},
    }

triage = {
    "schema": "trustgap.validation-record/1", "id": "pirads-triage-ext-v1", "synthetic": True,
    "model": {"name": "PI-RADS 3 biopsy triage (synthetic example)", "version": "1.0.0", "task": "classification", "modality": "bpMRI",
              "target": "clinically significant prostate cancer in a PI-RADS 3 lesion", "positive_label": "csPCa likely",
              "intended_use": "Helps decide whether a PI-RADS 3 lesion needs a biopsy.", "intended_users": ["urologist", "radiologist"],
              "out_of_scope": ["PI-RADS 4 and 5 lesions"], "provider": "AI4HI example consortium (synthetic)", "contact": "triage@example.org"},
    "data": {"training": {"name": "PI-RADS 3 cohort (synthetic)", "sites": 3, "n": 1100, "sha256": "9d" * 32},
             "test_sets": [{"id": "dev", "kind": "internal", "site": "development centres", "n": 300},
                           {"id": "site-d", "kind": "external", "site": "centre D", "n": 260}]},
    "performance": [
        {"metric": "auc", "value": 0.91, "ci": [0.88, 0.94], "ci_level": 0.95, "ci_method": "DeLong", "test_set": "dev", "subgroup": None},
        # Reported as if the model transferred; its own predictions say otherwise.
        {"metric": "auc", "value": 0.93, "ci": [0.90, 0.96], "ci_level": 0.95, "ci_method": "DeLong", "test_set": "site-d", "subgroup": None},
        {"metric": "sensitivity", "value": round(tpos / (tpos + tfn), 2), "ci": wilson(tpos, tpos + tfn), "ci_level": 0.95, "ci_method": "Wilson",
         "test_set": "site-d", "subgroup": None, "threshold": 0.5},
        {"metric": "auc", "value": a70, "ci": ci70, "ci_level": 0.95, "test_set": "site-d", "subgroup": {"attribute": "age", "value": "70+", "column": "age_band"}},
        {"metric": "auc", "value": 0.9, "ci": [0.84, 0.95], "ci_level": 0.95, "test_set": "site-d", "subgroup": {"attribute": "prostate_volume", "value": "over 50 mL"}},
    ],
    "calibration": {"test_set": "site-d", "binning": "equal_width", "bins": 10, "ece": round(float(tri_ece), 3)},
    "uncertainty": {"method": "mc_dropout", "members": 30, "level": "lesion"},
    "explainability": {"methods": ["shap", "grad_cam"], "evaluated": None},
    "cases": [triage_case(f"T-{k + 1:02d}", p) for k, p in enumerate([0.94, 0.81, 0.66, 0.52, 0.41, 0.27, 0.16, 0.07, 0.03])]
             + [triage_case("T-90", 0.71, input_ok=False, flags=["rectal gas artefact"])],
    "predictions_csv": "pirads-triage-ext-v1.predictions.csv",
    "provenance": {"code_commit": "a41c09e", "created": "2026-06-02"},
    "limitations": ["Calibrated on the development centres only."],
    "human_oversight": "The urologist decides on biopsy; the AI output is advice.",
    "monitoring": "Yearly audit of biopsy outcomes.",
    "privacy": "Images stay in the hospital.",
    "changes": "No changes after release; a new version is validated again.",
    "logging": "Every output is logged with the model version and input hash.",
    "plain_language": {"condition": "a prostate cancer that needs treatment", "people": "men",
                       "checks": {"rectal gas artefact": "air in the bowel blurred part of the pictures"}},
}

# ------------------------------------------------------------------ a regression record without per-case data
psad_cases = [{"id": f"D-{k + 1:03d}", "prediction": {"value": v, "unit": "ng/mL/cc"},
               "uncertainty": {"interval": [r3(v * 0.8), r3(v * 1.2)], "predictive_sd": r3(v * 0.12)},
               "qc": {"input_ok": k != 7, "ood_score": 4.0 + k, "ood_threshold": 14.0, "flags": [] if k != 7 else ["gland contour incomplete at the apex"]},
               "attributions": [{"feature": "gland_volume", "label": "a small gland volume" if v > 0.15 else "a large gland volume",
                                 "value": r3(v - 0.15), "direction": "towards" if v > 0.15 else "against"}]}
              for k, v in enumerate([0.08, 0.11, 0.13, 0.15, 0.19, 0.24, 0.31, 0.22, 0.09, 0.17])]
psad = {
    "schema": "trustgap.validation-record/1", "id": "psa-density-reg-v1", "synthetic": True,
    "model": {"name": "PSA density estimator (synthetic example)", "version": "0.3.0", "task": "regression", "modality": "T2w MRI",
              "target": "PSA density (ng/mL/cc)", "intended_use": "PSA density from serum PSA and an MRI gland volume.", "intended_users": ["urologist"],
              "out_of_scope": ["men on 5-alpha-reductase inhibitors"]},
    "data": {"training": {"name": "PSA density cohort (synthetic)", "sites": 1, "n": 410},
             "test_sets": [{"id": "internal", "kind": "internal", "n": 120}]},
    "performance": [{"metric": "mae", "value": 0.021, "ci": [0.017, 0.025], "ci_level": 0.95, "test_set": "internal", "subgroup": None},
                    {"metric": "interval_coverage", "value": 0.78, "ci": None, "test_set": "internal", "subgroup": None},
                    {"metric": "mae", "value": 0.018, "ci": [0.013, 0.023], "ci_level": 0.95, "test_set": "internal", "subgroup": {"attribute": "age_group", "value": "<70"}},
                    {"metric": "mae", "value": 0.026, "ci": [0.019, 0.033], "ci_level": 0.95, "test_set": "internal", "subgroup": {"attribute": "age_group", "value": ">=70"}}],
    "uncertainty": {"method": "quantile_regression", "level": "subject", "interval_level": 0.8},
    "cases": psad_cases,
    "provenance": {"created": "2026-05-10"},
}

# What a patient reads for each input check instead of the record's technical wording.
segmentation["plain_language"] = {"checks": {"field-of-view cuts the apex": "part of the prostate was outside the pictures",
                                             "severe susceptibility artefact": "something in the body disturbed the pictures"}}
regression["plain_language"] = {"checks": {"hip prosthesis artefact": "a hip implant disturbed the pictures"}}
psad["plain_language"] = {"checks": {"gland contour incomplete at the apex": "the outline of the prostate was not complete"}}

for rec in (classification, segmentation, regression, triage, psad):
    (OUT / f"{rec['id']}.json").write_text(json.dumps(rec, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
print("wrote", ", ".join(r["id"] for r in (classification, segmentation, regression, triage, psad)))
