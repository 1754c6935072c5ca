#!/usr/bin/env python3
"""Writes data/ai4hi/codings.csv: a reference coding of the bundled open answers (Q35) by two coders.

The answers and the coding are ours (see data/ai4hi/PROVENANCE.md). Coder "coder_a" is the reference; "coder_b"
coded independently and disagrees on a few answers, so agreement statistics have something to measure. Spans are
given by a quoted phrase and written as Unicode-scalar offsets [start, end) (Python string indices are scalars).

    python3 scripts/make_ai4hi_codings.py
"""
import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# answer prefix -> (coder_a codes, coder_b codes); a code may carry a phrase: "code=phrase" codes that span.
CODING = {
    "The clinical usefulness": (["utility.usefulness=clinical usefulness of the tool", "capability.clinical_evaluation"],
                                ["utility.usefulness=clinical usefulness of the tool"]),
    "Validation should include a prospective": (["capability.clinical_evaluation=prospective clinical evaluation"],
                                                ["capability.clinical_evaluation=prospective clinical evaluation", "utility.contextual_relevance"]),
    "Safety first": (["utility.safety"], ["utility.safety"]),
    "Integration with the PACS": (["adoption.interoperability=PACS and the hospital information system", "adoption.usability=separate login"],
                                  ["adoption.interoperability=PACS and the hospital information system", "adoption.integration"]),
    "I want to understand why": (["trustworthiness.explainability"], ["trustworthiness.explainability"]),
    "Cost-effectiveness and time saved": (["adoption.cost_effectiveness"], ["adoption.cost_effectiveness"]),
    "Performance over time": (["capability.performance_over_time=Performance over time", "capability.concept_drift"],
                              ["capability.performance_over_time=Performance over time"]),
    "Ethical aspects": (["utility.ethics"], ["utility.ethics"]),
    "Usability for the clinician": (["adoption.usability"], ["adoption.usability"]),
    "Relevance for the clinical question": (["utility.contextual_relevance"], ["utility.contextual_relevance"]),
    "Traceability of data": (["trustworthiness.traceability=Traceability of data, procedures and model versions"],
                             ["trustworthiness.traceability=Traceability of data, procedures and model versions"]),
    "Concept drift and data drift": (["capability.concept_drift", "capability.performance_over_time=after deployment"],
                                     ["capability.concept_drift"]),
    "Explainability methods should": (["trustworthiness.explainability"], ["trustworthiness.explainability", "utility.safety"]),
    "Interoperability with legacy": (["adoption.interoperability"], ["adoption.interoperability"]),
    "Internal validation is not enough": (["capability.internal_validation=Internal validation is not enough", "capability.clinical_evaluation=clinical evaluation with end users"],
                                          ["capability.internal_validation=Internal validation is not enough", "capability.clinical_evaluation=clinical evaluation with end users"]),
    "Provenance of the training data": (["trustworthiness.traceability"], ["trustworthiness.traceability"]),
    "Ease of integration": (["adoption.integration=Ease of integration", "adoption.cost_effectiveness=computational cost"],
                            ["adoption.integration=Ease of integration"]),
    "Contextual relevance": (["utility.contextual_relevance"], ["utility.contextual_relevance"]),
    "Uncertainty estimates": (["trustworthiness.uncertainty"], ["trustworthiness.explainability"]),
    "Regulatory requirements": (["adoption.regulation", "capability.performance_over_time=post-market surveillance"],
                                ["adoption.regulation"]),
}

rows = list(csv.DictReader(open(ROOT / "data/ai4hi/responses.csv", encoding="utf-8")))
out = []
for row in rows:
    text = row["Q35"]
    if not text:
        continue
    key = next((k for k in CODING if text.startswith(k)), None)
    if key is None:
        raise SystemExit(f"no coding for answer of {row['respondent']}: {text[:40]}")
    for coder, codes in zip(("coder_a", "coder_b"), CODING[key]):
        for item in codes:
            code, _, phrase = item.partition("=")
            start = end = ""
            if phrase:
                i = text.find(phrase)
                if i < 0:
                    raise SystemExit(f"phrase not in answer: {phrase}")
                start, end = i, i + len(phrase)
            out.append([row["respondent"], "Q35", code, coder, start, end])
with open(ROOT / "data/ai4hi/codings.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["respondent", "question", "code", "coder", "start", "end"])
    w.writerows(out)
print(f"wrote {len(out)} codings")
