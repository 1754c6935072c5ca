#!/usr/bin/env python3
"""Writes the exports the tests need that ../shared/data/exports/ does not hold, as the tools' documentation
describes them, and prints what pandas and SciPy read from them and from the shared monitoring exports (the truth the
tests compare trustgap with; trustgap's reader is never used here):
- kobo.csv: KoboToolbox "XML values and headers" CSV: ";" delimiter, start/end/today/deviceid, group prefix
  "group_profile/", a select_multiple "findings" as space-joined names plus one 0/1 column per option
  ("findings/ich" …), a select_one agreement scale in XML names (strongly_disagree … strongly_agree), and the
  _id, _uuid, _submission_time, _validation_status, _notes, _status, _submitted_by, __version__, _tags, _index columns;
- odk.csv: ODK Central CSV: SubmissionDate, group prefix joined by "-", select_multiple space-joined only,
  meta-instanceID, KEY, SubmitterID, SubmitterName, AttachmentsPresent, AttachmentsExpected, Status, ReviewState,
  DeviceID, Edits, FormVersion;
- commas.csv: a plain CSV whose tick list is joined by ", " with an answer that holds a comma ("Reader study (e.g.,
  radiologists vs AI)"), a country radio question with "Korea, Republic of", ratings 1-5 without labels;
- duplicates.csv: a plain CSV where respondent P003 submitted twice (lines 4 and 7);
- surveymonkey.csv: SurveyMonkey's "All individual responses" CSV (two header rows, a select-all spread over one
  column per option with "Other (please specify)", a matrix, Respondent ID … Custom Data 1, two partial responses).

    python3 scripts/make_form_exports.py OUT_DIR [SHARED_EXPORTS_DIR]
"""
import csv, io, json, os, random, re, sys

import pandas as pd
from scipy import stats

random.seed(26)
out = sys.argv[1]
shared = sys.argv[2] if len(sys.argv) > 2 else None
truth = {}

findings = ["ich", "pe", "fracture", "nodule"]
agree = ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"]
roles = ["radiologist", "engineer", "physicist"]
N = 60
people = []
for i in range(N):
    role = roles[i % 3]
    # Agreement leans with the role, so the rank test has something to find.
    a = min(4, max(0, int(random.gauss({"radiologist": 1.2, "engineer": 2.8, "physicist": 2.0}[role], 1.0) + 0.5)))
    people.append(dict(role=role, years=random.randint(1, 30), findings=random.sample(findings, random.randint(1, 3)), agree=agree[a],
                       comment=random.choice(["", "", "needs local validation", "too slow"])))

# KoboToolbox.
header = ["start", "end", "today", "deviceid", "group_profile/role", "group_profile/years", "findings"] + [f"findings/{f}" for f in findings] + [
    "agree_ai", "comments", "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"]
with open(os.path.join(out, "kobo.csv"), "w", newline="") as f:
    w = csv.writer(f, delimiter=";")
    w.writerow(header)
    for i, p in enumerate(people):
        ticked = [x for x in findings if x in p["findings"]]
        w.writerow([f"2024-06-{1 + i % 28:02d}T10:{i % 60:02d}:00.000+02:00", f"2024-06-{1 + i % 28:02d}T10:{(i + 5) % 60:02d}:00.000+02:00",
                    f"2024-06-{1 + i % 28:02d}", f"enketo.org:{1000 + i}", p["role"], p["years"], " ".join(ticked)] + [1 if x in ticked else 0 for x in findings] + [
                    p["agree"], p["comment"], 5000 + i, f"uuid-{i:04d}", f"2024-06-{1 + i % 28:02d}T08:{i % 60:02d}:00", "", "[]", "submitted_via_web", "", "vX1", "[]", i + 1])
# ODK Central.
header = ["SubmissionDate", "start", "end", "profile-role", "profile-years", "findings", "agree_ai", "meta-instanceID", "KEY", "SubmitterID",
          "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]
with open(os.path.join(out, "odk.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(header)
    for i, p in enumerate(people):
        ticked = [x for x in findings if x in p["findings"]]
        w.writerow([f"2024-06-{1 + i % 28:02d}T08:{i % 60:02d}:00.000Z", f"2024-06-{1 + i % 28:02d}T07:{i % 60:02d}:00.000Z", f"2024-06-{1 + i % 28:02d}T07:{(i + 9) % 60:02d}:00.000Z",
                    p["role"], p["years"], " ".join(ticked), p["agree"], f"uuid:{i:08d}", f"uuid:{i:08d}", 7, "collector", 0, 0, "", "received" if i % 5 else "approved",
                    f"collect:{i}", 0, "2024060101"])
# A plain CSV with ", "-joined ticks and answers that hold a comma.
methods = ["External test set", "Reader study (e.g., radiologists vs AI)", "Prospective study", "Cross-validation"]
countries = ["Greece", "Spain", "Korea, Republic of", "Italy"]
rows = []
for i in range(N):
    ticked = random.sample(methods, random.randint(1, 3))
    rows.append([f"P{i + 1:03d}", ["A", "B"][i % 2], random.choice(countries), ", ".join(m for m in methods if m in ticked), random.randint(1, 5)])
with open(os.path.join(out, "commas.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["respondent_id", "arm", "country", "methods", "rating"])
    w.writerows(rows)
with open(os.path.join(out, "duplicates.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["respondent_id", "grp", "Q1"])
    for k, (rid, g, q) in enumerate([("P001", "a", "x"), ("P002", "b", "y"), ("P003", "a", "x"), ("P004", "b", "y"), ("P005", "a", "y"), ("P003", "a", "x")]):
        w.writerow([rid, g, q])

# SurveyMonkey "All individual responses": two header rows; a select-all over one column per option (the label when
# ticked) with "Other (please specify)"; a matrix with a column per row; two partial responses (last question blank).
sm_opts = ["Haemorrhage", "Pulmonary embolism", "Fracture, any site"]
with open(os.path.join(out, "surveymonkey.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name", "Last Name", "Custom Data 1",
                "What is your role?", "Which findings does the AI report? (select all that apply)", "", "", "",
                "How far do you agree with each statement?", "", "Anything else?"])
    w.writerow(["", "", "", "", "", "", "", "", "", "Response"] + sm_opts + ["Other (please specify)", "AI helps me", "AI is safe", "Open-Ended Response"])
    for i, p in enumerate(people):
        ticked = [o for k, o in enumerate(sm_opts) if (i + k) % 3 != 0]
        other = "Appendicitis" if i % 11 == 0 else ""
        partial = i in (7, 30)
        w.writerow([11400000000 + i, 431000000, f"06/{1 + i % 28:02d}/2024 10:00:00 AM", f"06/{1 + i % 28:02d}/2024 10:05:00 AM", "", "", "", "", "",
                    p["role"].capitalize()] + [o if o in ticked else "" for o in sm_opts] + [other,
                    ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"][agree.index(p["agree"])],
                    "" if partial else "Agree", "" if partial else "no"])

# What pandas and SciPy read from them.
kobo = pd.read_csv(os.path.join(out, "kobo.csv"), sep=";")
truth["kobo"] = {"n": len(kobo), "findings": {x: int(kobo[f"findings/{x}"].sum()) for x in findings},
                 "agree": {a: int((kobo["agree_ai"] == a).sum()) for a in agree}}
scores = kobo["agree_ai"].map({a: k + 1 for k, a in enumerate(agree)})
kw = stats.kruskal(*[scores[kobo["group_profile/role"] == r] for r in roles])
truth["kobo"]["kruskal_by_role"] = {"h": kw.statistic, "p": kw.pvalue}
odk = pd.read_csv(os.path.join(out, "odk.csv"))
truth["odk"] = {"n": len(odk), "findings": {x: int(odk["findings"].fillna("").str.split().apply(lambda t: x in t).sum()) for x in findings}}
commas = pd.read_csv(os.path.join(out, "commas.csv"))
truth["commas"] = {"n": len(commas), "methods": {m: int(commas["methods"].str.contains(re.escape(m)).sum()) for m in methods},
                   "countries": {c: int((commas["country"] == c).sum()) for c in countries}}
table = pd.crosstab(commas["arm"], commas["country"])
chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
truth["commas"]["country_by_arm"] = {"statistic": chi2, "df": int(dof), "p": p}
sm = pd.read_csv(os.path.join(out, "surveymonkey.csv"), header=[0, 1], keep_default_na=False)
sm_cols = [c for c in sm.columns if c[1] in sm_opts]
truth["surveymonkey"] = {"n": len(sm), "findings": {c[1]: int((sm[c] != "").sum()) for c in sm_cols},
                         "other": int((sm[[c for c in sm.columns if c[1] == "Other (please specify)"][0]] != "").sum()),
                         "partial": int((sm[sm.columns[-1]] == "").sum())}
dup = pd.read_csv(os.path.join(out, "duplicates.csv"))
repeated = dup[dup.duplicated("respondent_id", keep=False)]
# Lines in the file: the header is line 1.
truth["duplicates"] = {"id": repeated["respondent_id"].iloc[0], "lines": [int(i) + 2 for i in repeated.index]}

if shared:
    m = os.path.join(shared, "monitoring")
    wide = pd.read_csv(os.path.join(m, "wide.csv"))
    opts = sorted({o for c in wide["methods"].dropna() for o in c.split(";")})
    truth["wide"] = {"n": len(wide), "methods": {o: int(wide["methods"].fillna("").str.split(";").apply(lambda t: o in t).sum()) for o in opts}}
    gf = pd.read_csv(os.path.join(m, "google_forms.csv"))
    col = [c for c in gf.columns if c.startswith("Which validation methods")][0]
    truth["google_forms"] = {"n": len(gf), "methods": {o: int(gf[col].fillna("").str.contains(re.escape(o)).sum()) for o in opts},
                             "countries": {k: int(v) for k, v in gf["In which country do you work?"].value_counts().items()}}
    ls = pd.read_csv(os.path.join(m, "limesurvey.csv"), keep_default_na=False)
    truth["limesurvey"] = {"n": len(ls), "incomplete": int((ls["submitdate"] == "").sum()),
                           "methods": {c: int((ls[c] == "Yes").sum()) for c in ls.columns if c.startswith("methods[")}}
    order = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
    a = ls["agree[SQ001]"]
    s = a.map({o: k + 1 for k, o in enumerate(order)})
    kw = stats.kruskal(*[s[(ls["background"] == b) & s.notna()] for b in ["Clinical", "Technical", "Both equally"]])
    truth["limesurvey"]["agree_sq001_by_background"] = {"h": kw.statistic, "p": kw.pvalue}
    rc = pd.read_csv(os.path.join(m, "redcap_labels.csv"))
    truth["redcap_labels"] = {"n": len(rc), "incomplete": int((rc["Complete?"] != "Complete").sum()),
                              "methods": {re.search(r"\(choice=(.*)\)$", c).group(1): int((rc[c] == "Checked").sum()) for c in rc.columns if c.startswith("Which validation methods")}}
print(json.dumps(truth, indent=1, sort_keys=True))
