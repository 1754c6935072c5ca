#!/usr/bin/env python3
"""A validation record with N cases for the explanation benchmark: the bundled csPCa record with its 12 fully
explained cases repeated (ids B-00001 ...) and their probabilities, uncertainties and attributions jittered with a
seeded generator, so every case is rendered from its own numbers. The predictions file is copied beside it.

Usage: make_explain_record.py N OUT_DIR [SEED]
"""
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(n, out_dir, seed=1):
    rng = random.Random(seed)
    source = ROOT / "data" / "validation" / "cspca-bpmri-v2.json"
    record = json.loads(source.read_text(encoding="utf-8"))
    templates = record["cases"]
    cases = []
    for k in range(n):
        case = json.loads(json.dumps(templates[k % len(templates)]))
        case["id"] = f"B-{k + 1:05d}"
        p = min(0.99, max(0.01, case["prediction"]["probability"] + rng.uniform(-0.04, 0.04)))
        case["prediction"]["probability"] = round(p, 2)
        u = case.get("uncertainty", {})
        if "predictive_sd" in u:
            u["predictive_sd"] = round(max(0.005, u["predictive_sd"] * rng.uniform(0.8, 1.2)), 3)
        if "interval" in u:
            sd = u.get("predictive_sd", 0.05)
            u["interval"] = [round(max(0.0, p - 1.96 * sd), 3), round(min(1.0, p + 1.96 * sd), 3)]
        if "percentile" in u:
            u["percentile"] = int(round(100 * p))
        for a in case.get("attributions", []):
            a["value"] = round(a["value"] * rng.uniform(0.8, 1.2), 3)
        cases.append(case)
    record["id"] = f"cspca-bench-{n}"
    record["cases"] = cases
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(source.with_name(record["predictions_csv"]), out / record["predictions_csv"])
    (out / f"{record['id']}.json").write_text(json.dumps(record), encoding="utf-8")
    print(out / f"{record['id']}.json")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)
