#!/usr/bin/env python3
"""Writes survey exports as the tools document them, for the import tests (run at test time into a temporary folder):
- qualtrics.csv: a "choice text" export, three header rows (ids; question texts with " - Selected Choice" and
  " - Other - Text"; {"ImportId": ...}), metadata columns (StartDate ... UserLanguage, Q_RecaptchaScore), a multiple
  choice question as one column of choices joined by ",", a matrix as Q3_1, Q3_2, an "other" text column Q1_4_TEXT,
  Status "Survey Preview" for previews and Finished True/False;
- limesurvey.csv: a "question codes" export: id, submitdate (empty: incomplete), lastpage, startlanguage, seed; a list
  with "other" (role = -oth-, role[other]); a multiple choice tools[SQ001..3] with Y and tools[other]; an array
  agree[SQ001..2] with LimeSurvey 4 codes AO01..AO05;
- redcap.csv: a raw export (record_id, redcap_survey_identifier, survey_timestamp, radio codes, checkbox tools___1..3
  as 0/1, survey_complete 0/2) and redcap_dictionary.csv, its data dictionary;
- google.csv: Timestamp, Email Address, question texts as headers, checkboxes joined by ", " with an "Other:" text.
Prints what every reader must find (respondents, ticks per tool, typed others, unfinished, previews) as JSON.

    python3 scripts/make_tool_exports.py OUT_DIR
"""
import csv, json, random, sys
random.seed(5)
out = sys.argv[1]
roles = ["Radiologist", "Data scientist", "Physicist", "Other"]
tools = ["PACS", "RIS", "Python"]
agree = ["Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree"]
N = 40
people = []
for i in range(N):
    people.append(dict(role=random.choice(roles), tools=random.sample(tools, random.randint(1, 3)), other=(["3D Slicer", "ITK-SNAP", "OsiriX", "Horos", "MITK", "ImageJ"][i // 7] if i % 7 == 0 else ""),
                       trust=random.randint(0, 4), sat=random.randint(1, 5), finished=(i % 10 != 3), preview=(i == 5)))
# Qualtrics, choice text: three header rows.
meta = ["StartDate", "EndDate", "Status", "IPAddress", "Progress", "Duration (in seconds)", "Finished", "RecordedDate", "ResponseId",
        "DistributionChannel", "UserLanguage", "Q_RecaptchaScore"]
cols = meta + ["Q1", "Q1_4_TEXT", "Q2", "Q3_1", "Q3_2", "Q4"]
texts = ["Start Date", "End Date", "Response Type", "IP Address", "Progress", "Duration (in seconds)", "Finished", "Recorded Date", "Response ID",
         "Distribution Channel", "User Language", "Q_RecaptchaScore", "What is your role? - Selected Choice", "What is your role? - Other - Text",
         "Which tools do you use? - Selected Choice", "Trust - I trust validated AI", "Trust - I trust explained AI", "How satisfied are you?"]
imports = [json.dumps({"ImportId": c}) for c in ["startDate", "endDate", "status", "ipAddress", "progress", "duration", "finished", "recordedDate",
           "_recordId", "distributionChannel", "userLanguage", "QID_RecaptchaScore", "QID1", "QID1_4_TEXT", "QID2", "QID3_1", "QID3_2", "QID4"]]
with open(f"{out}/qualtrics.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerows([cols, texts, imports])
    for i, p in enumerate(people):
        w.writerow(["2025-03-01 10:00:00", "2025-03-01 10:09:00", "Survey Preview" if p["preview"] else "IP Address", f"10.0.0.{i}",
                    100 if p["finished"] else 40, 540, "True" if p["finished"] else "False", "2025-03-01 10:09:01", f"R_{i:04d}abcdEFGH",
                    "anonymous", "EN", "0.9", p["role"], p["other"] if p["role"] == "Other" else "", ",".join(p["tools"]),
                    agree[p["trust"]], agree[(p["trust"] + 1) % 5], p["sat"]])
# LimeSurvey, question codes.
with open(f"{out}/limesurvey.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "submitdate", "lastpage", "startlanguage", "seed", "role", "role[other]", "tools[SQ001]", "tools[SQ002]", "tools[SQ003]",
                "tools[other]", "agree[SQ001]", "agree[SQ002]", "sat"])
    for i, p in enumerate(people):
        code = {"Radiologist": "AO01", "Data scientist": "AO02", "Physicist": "AO03", "Other": "-oth-"}[p["role"]]
        w.writerow([i + 1, "" if not p["finished"] else "2025-03-01 10:09:00", 2, "en", 1000 + i, code, p["other"] if code == "-oth-" else "",
                    *["Y" if t in p["tools"] else "" for t in tools], p["other"], f"AO{p['trust'] + 1:02d}", f"AO{(p['trust'] + 1) % 5 + 1:02d}", p["sat"]])
# REDCap, raw.
with open(f"{out}/redcap.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["record_id", "redcap_survey_identifier", "survey_timestamp", "role", "tools___1", "tools___2", "tools___3", "sat", "survey_complete"])
    for i, p in enumerate(people):
        w.writerow([i + 1, "", "2025-03-01 10:09:00", roles.index(p["role"]) + 1, *[1 if t in p["tools"] else 0 for t in tools], p["sat"],
                    2 if p["finished"] else 0])
# Google Forms.
with open(f"{out}/google.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Timestamp", "Email Address", "What is your role?", "Which tools do you use?", "How satisfied are you?"])
    for i, p in enumerate(people):
        w.writerow([f"2025/03/01 10:{i:02d}:00 AM GMT+1", f"p{i}@example.org", p["role"], ", ".join(p["tools"] + ([p["other"]] if p["other"] else [])), p["sat"]])
with open(f"{out}/redcap_dictionary.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["Variable / Field Name", "Form Name", "Section Header", "Field Type", "Field Label", "Choices, Calculations, OR Slider Labels",
                "Field Note", "Text Validation Type OR Show Slider Number", "Text Validation Min", "Text Validation Max", "Identifier?",
                "Branching Logic (Show field only if...)", "Required Field?", "Custom Alignment", "Question Number (surveys only)",
                "Matrix Group Name", "Matrix Ranking?", "Field Annotation"])
    w.writerow(["record_id", "survey", "", "text", "Record ID"] + [""] * 13)
    w.writerow(["role", "survey", "", "radio", "What is your role?", "1, Radiologist | 2, Data scientist | 3, Physicist | 4, Other"] + [""] * 12)
    w.writerow(["tools", "survey", "", "checkbox", "Which tools do you use?", "1, PACS | 2, RIS | 3, Python"] + [""] * 12)
    w.writerow(["sat", "survey", "", "radio", "How satisfied are you?", "1, Very dissatisfied | 2, Dissatisfied | 3, Neutral | 4, Satisfied | 5, Very satisfied"] + [""] * 12)
# What every reader must find: respondents and ticks per tool.
print(json.dumps({"n": N, "ticks": {t: sum(t in p["tools"] for p in people) for t in tools}, "other": sum(bool(p["other"]) for p in people),
                  "unfinished": sum(not p["finished"] for p in people), "previews": sum(p["preview"] for p in people)}))
