#!/usr/bin/env python3
"""The peer of `load survey FILE --group group` + `chisq all` on a generic CSV without a questionnaire: pandas reads
the file, and every column except the id and the group is tested against the group with SciPy (Pearson chi-square
on the crosstab for text columns, one per option for ;-separated tick lists, Welch's t-test for numbers).

    python3 chisq_generic_pandas.py FILE.csv
"""
import json, sys
import numpy as np
import pandas as pd
from scipy.stats import chi2_contingency, ttest_ind

df = pd.read_csv(sys.argv[1])
results = []
for col in df.columns:
    if col in ("id", "group"):
        continue
    s = df[col]
    if pd.api.types.is_numeric_dtype(s):
        a, b = (s[df["group"] == g].dropna() for g in ("tech", "clin"))
        results.append({"question": col, "p": float(ttest_ind(a, b, equal_var=False).pvalue)})
    elif s.astype(str).str.contains(";").any():
        ticks = s.str.get_dummies(sep=";")
        ps = [chi2_contingency(pd.crosstab(df["group"], ticks[o]), correction=False)[1] for o in ticks.columns]
        results.append({"question": col, "p": float(min(1.0, min(ps) * len(ps)))})
    else:
        results.append({"question": col, "p": float(chi2_contingency(pd.crosstab(df["group"], s), correction=False)[1])})
print(json.dumps({"results": results}))
