import Foundation
import Testing

/// The four survey tools' exports, written as their documentation describes (scripts/make_tool_exports.py), load
/// with no hand-written questionnaire and nothing misread: respondents, ticks per choice and typed "other" answers
/// as the script counts them, metadata kept as variables, previews, unfinished and incomplete responses counted.
@Test func toolExportsLoadWithoutAQuestionnaire() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-tools-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let made = try Binary.tool(["python3", "scripts/make_tool_exports.py", dir.path])
    #expect(made.status == 0, "\(made.output)")
    let expected = try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any] ?? [:]
    let n = expected["n"] as? Int, ticks = expected["ticks"] as? [String: Int] ?? [:]
    struct Case { let file: String; let extra: String; let multi: String; let codes: [String: String]; let note: String?; var role = "role" }
    let cases = [
        Case(file: "qualtrics.csv", extra: "", multi: "Q2", codes: ["PACS": "PACS", "RIS": "RIS", "Python": "Python"],
             note: "\(expected["previews"] ?? 0) preview response(s) (Status) and \(expected["unfinished"] ?? 0) unfinished (Finished) are included", role: "Q1"),
        Case(file: "limesurvey.csv", extra: "", multi: "tools", codes: ["PACS": "SQ001", "RIS": "SQ002", "Python": "SQ003"],
             note: "\(expected["unfinished"] ?? 0) incomplete response(s) (no submitdate) are included"),
        Case(file: "redcap.csv", extra: "", multi: "tools", codes: ["PACS": "1", "RIS": "2", "Python": "3"],
             note: "\(expected["unfinished"] ?? 0) response(s) with survey_complete other than Complete (2) are included"),
        Case(file: "redcap.csv", extra: " --dictionary \(dir.path)/redcap_dictionary.csv", multi: "tools", codes: ["PACS": "1", "RIS": "2", "Python": "3"], note: nil),
        Case(file: "google.csv", extra: "", multi: "Which tools do you use?", codes: ["PACS": "PACS", "RIS": "RIS", "Python": "Python"], note: nil,
             role: "What is your role?"),
    ]
    for c in cases {
        let r = try InProcess.run(["--format", "json", "-e", "load survey \(dir.path)/\(c.file)\(c.extra)", "-e", "questions",
                                "-e", "crosstab \"\(c.multi)\" by \"\(c.role)\""])
        #expect(r.status == 0, "\(c.file)\(c.extra): \(r.err)")
        let results = try jsonDocuments(r.out)
        guard results.count == 3 else { Issue.record("\(c.file): \(r.out.prefix(500))"); continue }
        #expect(results[0]["respondents"] as? Int == n, "\(c.file)")
        if let note = c.note { #expect((results[0]["notes"] as? [String])?.contains { $0.hasPrefix(note) } == true, "\(c.file): \(results[0]["notes"] ?? "")") }
        let questions = results[1]["array"] as? [[String: Any]] ?? []
        #expect(questions.first { $0["id"] as? String == c.multi }?["type"] as? String == "multi", "\(c.file)")
        // Metadata never becomes a question to compare.
        for q in questions where ["StartDate", "IPAddress", "submitdate", "survey_timestamp", "survey_complete", "Timestamp", "Email Address"].contains(q["id"] as? String ?? "") {
            #expect(q["section"] as? String == "metadata", "\(c.file): \(q["id"] ?? "")")
        }
        // Each tool ticked as often as the script ticked it.
        let columns = results[2]["columns"] as? [String] ?? []
        let table = results[2]["counts"] as? [[Int]] ?? []
        let counts = Dictionary(uniqueKeysWithValues: columns.enumerated().map { j, code in (code, table.reduce(0) { $0 + $1[j] }) })
        for (tool, code) in c.codes { #expect(counts[code] == ticks[tool], "\(c.file)\(c.extra): \(tool) \(counts)") }
    }
    // Google Forms' "Other:" text is the option other plus an open answer, as often as the script typed it.
    let g = try InProcess.run(["--format", "json", "-e", "load survey \(dir.path)/google.csv", "-e", "crosstab \"Which tools do you use?\" by \"What is your role?\"",
                            "-e", "questions"])
    #expect(g.status == 0, "\(g.err)")
    let gx = try jsonDocuments(g.out)
    let otherColumn = (gx[1]["columns"] as? [String])?.firstIndex(of: "other")
    #expect(otherColumn.map { j in (gx[1]["counts"] as? [[Int]] ?? []).reduce(0) { $0 + $1[j] } } == expected["other"] as? Int)
    let typed = (gx[2]["array"] as? [[String: Any]])?.first { $0["id"] as? String == "Which tools do you use? (other)" }
    #expect(typed?["type"] as? String == "open")
    // Qualtrics read as a plain table still drops its second and third header rows.
    let wide = try InProcess.run(["--format", "json", "-e", "load survey \(dir.path)/qualtrics.csv --format wide"])
    #expect(try jsonDocuments(wide.out).first?["respondents"] as? Int == n)
}

/// SPSS and Stata files written by pyreadstat (the ReadStat library from Python): variable labels become question
/// texts, value labels the codes in the values' order (an agreement scale as Likert), SPSS user-missing values are
/// missing; respondents and answers counted as pyreadstat reads the same file back.
@Test func spssAndStataFilesLoad() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-sav-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let made = try Binary.tool(["python3", "-c", """
        import sys, json, random, pandas as pd, pyreadstat
        random.seed(4)
        n = 60
        df = pd.DataFrame({"respondent": [f"R{i:03d}" for i in range(n)],
                           "role": [random.choice([1, 2, 3, 9]) for _ in range(n)],
                           "trust": [random.choice([1, 2, 3, 4, 5, 99]) for _ in range(n)],
                           "years": [random.choice([None, 3, 7, 12, 20]) for _ in range(n)]})
        labels = {"role": {1: "Radiologist", 2: "Data scientist", 3: "Physicist", 9: "No answer"},
                  "trust": {1: "Strongly disagree", 2: "Disagree", 3: "Neutral", 4: "Agree", 5: "Strongly agree", 99: "Not applicable"}}
        texts = {"role": "What is your role?", "trust": "I trust validated AI", "years": "Years of experience"}
        pyreadstat.write_sav(df, sys.argv[1] + "/s.sav", column_labels=texts, variable_value_labels=labels, missing_ranges={"role": [9], "trust": [99]})
        pyreadstat.write_dta(df.drop(columns=["trust"]), sys.argv[1] + "/s.dta", column_labels={"role": texts["role"], "years": texts["years"]},
                             variable_value_labels={"role": labels["role"]})
        back, _ = pyreadstat.read_sav(sys.argv[1] + "/s.sav", user_missing=False)
        print(json.dumps({"n": len(back), "trust_answered": int(back["trust"].notna().sum()), "role_1": int((back["role"] == 1).sum()),
                          "agree": int(((back["trust"] == 4) & back["role"].notna()).sum())}))
        """, dir.path])
    #expect(made.status == 0, "\(made.output)")
    let expected = try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Int] ?? [:]
    let r = try InProcess.run(["--format", "json", "-e", "load survey \(dir.path)/s.sav --group role", "-e", "questions", "-e", "crosstab trust"])
    #expect(r.status == 0, "\(r.err)")
    let results = try jsonDocuments(r.out)
    guard results.count == 3 else { Issue.record("\(r.out)"); return }
    #expect(results[0]["respondents"] as? Int == expected["n"])
    let questions = results[1]["array"] as? [[String: Any]] ?? []
    let trust = questions.first { $0["id"] as? String == "trust" }
    #expect(trust?["type"] as? String == "likert" && trust?["text"] as? String == "I trust validated AI")
    #expect((trust?["categories"] as? [String])?.prefix(5) == ["1", "2", "3", "4", "5"])
    #expect(questions.first { $0["id"] as? String == "years" }?["type"] as? String == "numeric")
    // User-missing 9 (role) is not a group, and 99 (trust) is nobody's answer.
    #expect((results[2]["rows"] as? [String])?.contains("9") == false)
    let counts = results[2]["counts"] as? [[Int]] ?? []
    let columns = results[2]["columns"] as? [String] ?? []
    let agree = columns.firstIndex(of: "4").map { j in counts.reduce(0) { $0 + $1[j] } }
    #expect(agree == expected["agree"], "\(columns) \(counts)")
    #expect(columns.firstIndex(of: "99").map { j in counts.reduce(0) { $0 + $1[j] } } ?? 0 == 0)
    let dta = try InProcess.run(["--format", "json", "-e", "load survey \(dir.path)/s.dta --group role", "-e", "questions"])
    #expect(dta.status == 0, "\(dta.err)")
    let dtaResults = try jsonDocuments(dta.out)
    #expect(dtaResults.first?["respondents"] as? Int == expected["n"])
    #expect(((dtaResults.last?["array"] as? [[String: Any]])?.first { $0["id"] as? String == "role" })?["text"] as? String == "What is your role?")
}

/// A SAS file written by R's haven (`write_sas`, ReadStat's own SAS writer; pyreadstat cannot write .sas7bdat):
/// variable labels become question texts and the character id the respondent id. SAS keeps value labels in a
/// separate format catalog, so coded answers arrive as numbers; `set Q type single|likert` makes them answers, as
/// on a plain file. Respondents, answered cells and the crosstab are counted as haven reads the same file back.
@Test func sasFilesLoadAndTheirCodesCanBeMadeAnswers() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-sas-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let made = try Binary.tool(["Rscript", "--vanilla", "-e", """
        suppressMessages(library(haven))
        out <- commandArgs(trailingOnly = TRUE)[1]
        set.seed(5)
        n <- 70
        df <- data.frame(respondent = sprintf("R%03d", 1:n), role = sample(c(1, 2, 3), n, TRUE),
                         trust = sample(c(1:5, NA), n, TRUE), years = sample(c(NA, 3, 7, 12, 20), n, TRUE))
        attr(df$role, "label") <- "What is your role?"
        attr(df$trust, "label") <- "I trust validated AI"
        attr(df$years, "label") <- "Years of experience"
        suppressWarnings(write_sas(df, file.path(out, "s.sas7bdat")))
        back <- read_sas(file.path(out, "s.sas7bdat"))
        t <- table(factor(back$role), factor(back$trust))
        writeLines(c(nrow(back), sum(!is.na(back$trust)), sum(!is.na(back$years)), attr(back$trust, "label"),
                     paste(as.vector(t(t)), collapse = ",")), file.path(out, "expected.txt"))
        """, dir.path])
    #expect(made.status == 0, "\(made.output)")
    let expected = try String(contentsOf: dir.appendingPathComponent("expected.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
    guard expected.count == 5 else { Issue.record("haven: \(made.output)"); return }
    let file = dir.appendingPathComponent("s.sas7bdat").path
    let r = try InProcess.run(["--format", "json", "-e", "load survey \(file)", "-e", "questions", "-e", "set role type single",
                               "-e", "set trust type likert", "-e", "crosstab trust by role", "-e", "describe years by role"])
    #expect(r.status == 0, "\(r.err)")
    let results = try jsonDocuments(r.out)
    guard results.count == 6 else { Issue.record("\(r.out)"); return }
    #expect(results[0]["respondents"] as? Int == Int(expected[0]))
    let questions = results[1]["array"] as? [[String: Any]] ?? []
    #expect(questions.map { $0["id"] as? String } == ["role", "trust", "years"], "the id is not a question: \(questions)")
    #expect(questions.first { $0["id"] as? String == "trust" }?["text"] as? String == expected[3])
    let table = results[4]
    #expect(table["rows"] as? [String] == ["1", "2", "3"] && table["columns"] as? [String] == ["1", "2", "3", "4", "5"], "\(table)")
    let counts = (table["counts"] as? [[Int]] ?? []).flatMap { $0 }
    #expect(counts.map(String.init).joined(separator: ",") == expected[4])
    #expect(counts.reduce(0, +) == Int(expected[1]))
    let years = (results[5]["groups"] as? [[String: Any]])?.first
    #expect(years?["group"] as? String == "all" && years?["n"] as? Int == Int(expected[2]), "\(results[5])")
}

/// SPSS multiple-response sets (MRSETS) as PSPP writes them: a dichotomy set (one 0/1 variable per role, counted
/// value 1) and a category set (two "tool" variables holding codes) become multi-answer questions. The ticks per
/// option and group are counted as pyreadstat reads the same file back, set definitions included; the .zsav PSPP
/// writes of the same data loads the same.
@Test func spssMultipleResponseSetsLoad() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-mrsets-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let made = try Binary.tool(["python3", "-c", """
        import sys, json, random, subprocess, pyreadstat
        random.seed(11)
        out = sys.argv[1]
        rows = []
        for i in range(80):
            roles = [random.random() < p for p in (0.5, 0.3, 0.4)]
            tools = random.sample([1, 2, 3, 4], random.choice([0, 1, 2]))
            rows.append([i + 1, random.choice([1, 2]), *[int(r) for r in roles], *(tools + ["."] * (2 - len(tools)))])
        syntax = ["DATA LIST LIST /id grp rad path eng t1 t2.", "BEGIN DATA."]
        syntax += [" ".join(str(v) for v in r) for r in rows]
        syntax += ["END DATA.",
                   "VARIABLE LABELS grp 'Professional group' rad 'Radiology' path 'Pathology' eng 'Engineering'.",
                   "VALUE LABELS grp 1 'Technical' 2 'Clinical' /rad path eng 0 'Not selected' 1 'Selected' /t1 t2 1 'PACS viewer' 2 'Python' 3 'R' 4 'MATLAB'.",
                   "MRSETS /MDGROUP NAME=$roles LABEL='Which roles describe you?' VARIABLES=rad path eng VALUE=1",
                   "       /MCGROUP NAME=$tools LABEL='Which tools do you use?' VARIABLES=t1 t2.",
                   f"SAVE OUTFILE='{out}/mr.sav'.", f"SAVE OUTFILE='{out}/mr.zsav' /ZCOMPRESSED."]
        open(out + "/mr.sps", "w").write("\\n".join(syntax) + "\\n")
        subprocess.run(["pspp", out + "/mr.sps"], check=True, capture_output=True)
        df, meta = pyreadstat.read_sav(out + "/mr.sav")
        sets = meta.mr_sets
        counts = {}
        # Groups by their value labels, as trustgap names groups whose codes are numbers.
        group_names = meta.variable_value_labels["grp"]
        for name, s in sets.items():
            for g in (1, 2):
                part = df[df["grp"] == g]
                key = f"{name}|{group_names[g]}"
                if s["is_dichotomy"]:
                    counts[key] = {v: int((part[v] == s["counted_value"]).sum()) for v in s["variable_list"]}
                else:
                    counts[key] = {str(code): int(part[s["variable_list"]].eq(code).any(axis=1).sum()) for code in (1, 2, 3, 4)}
        print(json.dumps({"n": len(df), "labels": {k: s["label"] for k, s in sets.items()}, "counts": counts}))
        """, dir.path])
    #expect(made.status == 0, "\(made.output)")
    guard let expected = try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any],
          let counts = expected["counts"] as? [String: [String: Int]], let labels = expected["labels"] as? [String: String] else {
        Issue.record("pyreadstat: \(made.output)"); return
    }
    #expect(labels.keys.sorted() == ["roles", "tools"])
    // The same data ZLIB-compressed (.zsav, which pyreadstat cannot write) must read the same.
    for file in ["mr.sav", "mr.zsav"] {
        let r = try InProcess.run(["--format", "json", "-e", "load survey \(dir.path)/\(file) --group grp", "-e", "questions", "-e", "crosstab roles", "-e", "crosstab tools"])
        #expect(r.status == 0, "\(r.err)")
        let results = try jsonDocuments(r.out)
        guard results.count == 4 else { Issue.record("\(r.out)"); return }
        #expect(results[0]["respondents"] as? Int == expected["n"] as? Int)
        let questions = results[1]["array"] as? [[String: Any]] ?? []
        // The sets replace their variables.
        #expect(Set(questions.compactMap { $0["id"] as? String }) == ["grp", "roles", "tools"], "\(questions)")
        for name in ["roles", "tools"] {
            let q = questions.first { $0["id"] as? String == name }
            #expect(q?["type"] as? String == "multi" && q?["text"] as? String == labels[name])
        }
        for (k, name) in ["roles", "tools"].enumerated() {
            let table = results[2 + k]
            let rows = table["rows"] as? [String] ?? [], columns = table["columns"] as? [String] ?? []
            let cells = table["counts"] as? [[Int]] ?? []
            for (g, group) in rows.enumerated() {
                let want = counts["\(name)|\(group)"] ?? [:]
                #expect(!want.isEmpty, "no pyreadstat count for \(name) in group \(group)")
                for (code, n) in want { #expect(columns.firstIndex(of: code).map { cells[g][$0] } == n, "\(name) \(group) \(code)") }
            }
        }
    }
}
