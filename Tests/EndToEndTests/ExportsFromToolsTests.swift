import Foundation
import Testing

/// Exports an analyst brings, read right or refused with a reason (issue 26). Counts and statistics are compared with
/// what pandas and SciPy read from the same files (scripts/make_form_exports.py prints them; it writes the
/// KoboToolbox, ODK Central and comma-joined samples, and reads the shared monitoring exports), never with trustgap's
/// own reader.

private let shared = Binary.root.appendingPathComponent("../shared/data/exports").standardizedFileURL.path
private let haveShared = FileManager.default.fileExists(atPath: shared + "/monitoring/wide.csv")

/// The script's truth, and the folder it wrote the samples into.
private func reference() throws -> (dir: String, truth: [String: Any]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-forms-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let made = try Binary.tool(["python3", "scripts/make_form_exports.py", dir.path] + (haveShared ? [shared] : []))
    #expect(made.status == 0, "\(made.output)")
    return (dir.path, try JSONSerialization.jsonObject(with: Data(made.output.utf8)) as? [String: Any] ?? [:])
}

/// Each answer's respondents summed over the groups of a crosstab's JSON, by label.
private func ticks(_ crosstab: [String: Any]) -> [String: Int] {
    let labels = crosstab["labels"] as? [String] ?? [], counts = crosstab["counts"] as? [[Int]] ?? []
    return Dictionary(uniqueKeysWithValues: labels.enumerated().map { j, l in (l, counts.reduce(0) { $0 + $1[j] }) })
}

private func run(_ lines: [String]) throws -> [[String: Any]] {
    let r = try InProcess.run(["--format", "json"] + lines.flatMap { ["-e", $0] })
    #expect(r.status == 0, "\(lines): \(r.err)")
    return try jsonDocuments(r.out)
}

private func question(_ questions: [String: Any], _ id: String) -> [String: Any]? {
    (questions["array"] as? [[String: Any]])?.first { $0["id"] as? String == id }
}

@Test func koboAndODKExportsAreReadAsTheirToolsWriteThem() throws {
    let (dir, truth) = try reference()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let kobo = truth["kobo"] as? [String: Any] ?? [:]
    let k = try run(["load survey \(dir)/kobo.csv", "questions", "crosstab findings by role", "chisq agree_ai by role"])
    #expect(k[0]["format"] as? String == "kobo" && k[0]["respondents"] as? Int == kobo["n"] as? Int)
    // The space-joined select_multiple and its 0/1 columns are one tick list, counted as pandas sums the columns.
    #expect(question(k[1], "findings")?["type"] as? String == "multi")
    #expect(ticks(k[2]) == kobo["findings"] as? [String: Int])
    // XML names are ordered by their meaning, and the tools' own columns are metadata, never compared.
    #expect(question(k[1], "agree_ai")?["categories"] as? [String] == ["strongly_disagree", "disagree", "neutral", "agree", "strongly_agree"])
    for meta in ["today", "_index", "_submission_time", "start", "deviceid"] { #expect(question(k[1], meta)?["section"] as? String == "metadata", "\(meta)") }
    let ordinal = k[3]["ordinal"] as? [String: Any] ?? [:], kw = kobo["kruskal_by_role"] as? [String: Double] ?? [:]
    #expect(abs((ordinal["kruskal_wallis_h"] as? Double ?? 0) - (kw["h"] ?? 1)) < 1e-9)
    #expect(abs((ordinal["kruskal_wallis_p"] as? Double ?? 0) - (kw["p"] ?? 1)) < 1e-9)
    // Roles are not ordered: no trend test, and the reason is given.
    #expect(ordinal["trend_m2"] is NSNull)
    #expect((k[3]["not_run"] as? [[String: String]])?.first?["test"] == "trend test")

    let odk = truth["odk"] as? [String: Any] ?? [:]
    let o = try run(["load survey \(dir)/odk.csv", "questions", "crosstab findings by role"])
    #expect(o[0]["respondents"] as? Int == odk["n"] as? Int)
    #expect(ticks(o[2]) == odk["findings"] as? [String: Int])
    for meta in ["SubmissionDate", "KEY", "ReviewState", "start"] { #expect(question(o[1], meta)?["section"] as? String == "metadata", "\(meta)") }
}

/// SurveyMonkey's CSV: two header rows read as one; a select-all over one column per option is one tick list
/// (an option with a comma kept whole, the typed other one `other` tick plus its text); the matrix rows ordered by
/// meaning; the metadata columns metadata; partial responses announced.
@Test func surveyMonkeyExportIsReadWithItsTwoHeaderRows() throws {
    let (dir, truth) = try reference()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let sm = truth["surveymonkey"] as? [String: Any] ?? [:]
    let findings = "Which findings does the AI report? (select all that apply)"
    let d = try run(["load survey \(dir)/surveymonkey.csv", "questions", "crosstab \"\(findings)\" by \"What is your role?\""])
    #expect(d[0]["format"] as? String == "surveymonkey" && d[0]["respondents"] as? Int == sm["n"] as? Int)
    #expect((d[0]["notes"] as? [String])?.contains { $0.hasPrefix("\(sm["partial"] ?? "") response(s) leave the last question blank") } == true, "\(d[0]["notes"] ?? "")")
    var expected = sm["findings"] as? [String: Int] ?? [:]
    expected["Other"] = sm["other"] as? Int
    #expect(ticks(d[2]) == expected)
    #expect(question(d[1], "\(findings) (other)")?["type"] as? String == "open")
    #expect(question(d[1], "How far do you agree with each statement? [AI helps me]")?["type"] as? String == "likert")
    for meta in ["Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "Custom Data 1"] {
        #expect(question(d[1], meta)?["section"] as? String == "metadata", "\(meta)")
    }
}

@Test func tickListsWithCommasNeverSplitAnAnswer() throws {
    let (dir, truth) = try reference()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let commas = truth["commas"] as? [String: Any] ?? [:]
    let c = try run(["load survey \(dir)/commas.csv", "questions", "crosstab methods by arm", "crosstab country by arm", "chisq country by arm"])
    #expect(question(c[1], "methods")?["type"] as? String == "multi")
    #expect(ticks(c[2]) == commas["methods"] as? [String: Int])
    #expect(question(c[1], "country")?["type"] as? String == "single")
    #expect(ticks(c[3]) == commas["countries"] as? [String: Int])
    let chisq = commas["country_by_arm"] as? [String: Any] ?? [:]
    #expect(abs((c[4]["statistic"] as? Double ?? 0) - (chisq["statistic"] as? Double ?? 1)) < 1e-9)
    #expect(c[4]["df"] as? Int == chisq["df"] as? Int)
    // Countries have no order: no rank test, with the reason; a 1–5 rating without labels neither, until declared.
    #expect((c[4]["not_run"] as? [[String: String]])?.first?["test"] == "rank and trend tests")
    #expect(question(c[1], "rating")?["type"] as? String == "single")
    let declared = try run(["load survey \(dir)/commas.csv", "set rating type likert", "set arm order B,A", "chisq rating by arm"])
    #expect(declared[1]["type"] as? String == "likert")
    let ordinal = declared[3]["ordinal"] as? [String: Any] ?? [:]
    #expect(ordinal["trend_m2"] is Double && ordinal["kruskal_wallis_h"] is Double)
    // An answer with a comma is one word when quoted, in filter, recode and set alike.
    let q = try run(["load survey \(dir)/commas.csv", "filter country = \"Korea, Republic of\"", "set country order \"Korea, Republic of\" Spain Greece Italy",
                     "recode country \"Korea, Republic of\" Spain -> Other"])
    #expect(q[1]["respondents"] as? Int == (commas["countries"] as? [String: Int])?["Korea, Republic of"])
    #expect(q[2]["categories"] as? [String] == ["Korea, Republic of", "Spain", "Greece", "Italy"])
    #expect(q[3]["from"] as? [String] == ["Korea, Republic of", "Spain"])
    // Typed with its own separator, a tick list is split on it.
    let sep = try run(["load survey \(dir)/commas.csv", "set methods type single", "set methods type multi --separator \", \"", "crosstab methods by arm"])
    #expect(sep[1]["type"] as? String == "single")
    #expect(ticks(sep[3]) == commas["methods"] as? [String: Int])
}

@Test func repeatedRespondentIDsAreNamedOrKeptWithANote() throws {
    let (dir, truth) = try reference()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let dup = truth["duplicates"] as? [String: Any] ?? [:], lines = dup["lines"] as? [Int] ?? []
    let refused = try InProcess.run(["-e", "load survey \(dir)/duplicates.csv"])
    #expect(refused.status == 1)
    #expect(lines.count == 2 && refused.err.contains("duplicates.csv:\(lines[1])") && refused.err.contains("line \(lines[0])") && refused.err.contains("\(dup["id"] ?? "")"), "\(refused.err)")
    let kept = try run(["load survey \(dir)/duplicates.csv --keep-duplicates"])
    #expect(kept[0]["respondents"] as? Int == 6)
    #expect((kept[0]["notes"] as? [String])?.contains { $0.contains("line \(lines[1]) repeats respondent \(dup["id"] ?? "") of line \(lines[0])") } == true)
}

@Test(.enabled(if: haveShared, "needs ../shared/data/exports/ beside the clone (the monitoring exports)"))
func monitoringExportsAreReadRight() throws {
    let (dir, truth) = try reference()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let m = shared + "/monitoring"
    // Plain wide file: the frequency scale in the order of its meaning; R's X² for governance (the README's figure).
    let w = try run(["load survey \(m)/wide.csv", "questions", "crosstab methods by background", "chisq governance by background"])
    #expect(question(w[1], "monitor_freq")?["categories"] as? [String] == ["Never", "Less than once a year", "Once a year", "Every few months", "Monthly or more often", "I don't know"])
    #expect(ticks(w[2]) == (truth["wide"] as? [String: Any])?["methods"] as? [String: Int])
    #expect(abs((w[3]["statistic"] as? Double ?? 0) - 14.989) < 5e-4 && w[3]["df"] as? Int == 4)
    #expect(question(w[1], "submitted")?["section"] as? String == "metadata")

    // Google Forms: ", "-joined ticks with "Reader study (e.g., radiologists vs AI)" whole; ids with spaces quoted.
    let gf = truth["google_forms"] as? [String: Any] ?? [:]
    let methods = "Which validation methods have you used or seen used for an AI tool? (select all that apply)"
    let g = try run(["load survey \(m)/google_forms.csv", "crosstab \"\(methods)\" by \"Is your professional background mainly clinical or technical?\"",
                     "crosstab \"In which country do you work?\" by \"Is your professional background mainly clinical or technical?\"",
                     "set \"On a scale from 1 to 5, how much would you trust a CE-marked AI tool without any local validation?\" type metadata",
                     "drop \"Anything else you would like to tell us about validating AI tools?\"", "questions"])
    #expect(ticks(g[1]) == gf["methods"] as? [String: Int])
    #expect(ticks(g[2]) == gf["countries"] as? [String: Int])
    #expect(g[3]["metadata"] as? Bool == true)
    #expect(question(g[5], "Anything else you would like to tell us about validating AI tools?") == nil)

    // LimeSurvey: full-answer multiple choice is one tick list; the array is ordered by meaning; incomplete counted.
    let ls = truth["limesurvey"] as? [String: Any] ?? [:], n = ls["n"] as? Int ?? 0, incomplete = ls["incomplete"] as? Int ?? 0
    let l = try run(["load survey \(m)/limesurvey.csv", "questions", "crosstab methods by background", "chisq agree[SQ001] by background", "filter complete"])
    #expect(question(l[1], "methods")?["type"] as? String == "multi")
    let yes = ls["methods"] as? [String: Int] ?? [:]
    #expect(ticks(l[2]) == Dictionary(uniqueKeysWithValues: yes.map { (String($0.key.dropFirst("methods[".count).dropLast()), $0.value) }))
    #expect(question(l[1], "agree[SQ001]")?["categories"] as? [String] == ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"])
    let kw = ls["agree_sq001_by_background"] as? [String: Double] ?? [:]
    #expect(abs(((l[3]["ordinal"] as? [String: Any])?["kruskal_wallis_h"] as? Double ?? 0) - (kw["h"] ?? 1)) < 1e-9)
    #expect((l[0]["notes"] as? [String])?.contains { $0.hasPrefix("\(incomplete) incomplete response(s)") } == true)
    #expect(l[4]["respondents"] as? Int == n - incomplete)

    // Qualtrics numeric values: codes without labels are categories, never ranked.
    let q = try run(["load survey \(m)/qualtrics_numeric.csv", "chisq Q4 by Q2"])
    #expect(q[1]["ordinal"] == nil && (q[1]["not_run"] as? [[String: String]])?.first?["test"] == "rank and trend tests")

    // REDCap labels export: Checked/Unchecked "(choice=…)" columns are one tick list; Complete? is completeness.
    let rc = truth["redcap_labels"] as? [String: Any] ?? [:]
    let r = try run(["load survey \(m)/redcap_labels.csv", "crosstab \"Which validation methods have you used or seen used for an AI tool?\" by \"Is your professional background mainly clinical or technical?\"",
                     "filter complete"])
    #expect(ticks(r[1]) == rc["methods"] as? [String: Int])
    #expect(r[2]["respondents"] as? Int == (rc["n"] as? Int ?? 0) - (rc["incomplete"] as? Int ?? 0))
}

/// The bundled questionnaire with every tool's export of it loads with nothing refused and nothing lost: Q7 and Q10
/// as the shared README states them for five respondents, the typed "other" answer (Forms' text, LimeSurvey's
/// `Q10[other]`, Qualtrics' `Q10_7_TEXT`) one Other tick with its text kept, a REDCap radio coded from 0 read through
/// its dictionary while the questionnaire keeps its role rule.
@Test(.enabled(if: haveShared, "needs ../shared/data/exports/ beside the clone (the ai-validation exports)"))
func bundledQuestionnaireReadsEveryToolsExport() throws {
    let a = shared + "/ai-validation"
    let q7 = ["Interpretability first, even at the cost of performance": 0,
              "Seek a balance between interpretability and performance, leaning towards interpretability": 1,
              "Seek a balance between interpretability and performance, leaning towards performance": 2,
              "Performance first, even at the cost of interpretability": 1, "Out of my expertise": 1]
    let withOther = ["google_forms_other_text.csv", "limesurvey_questionnaire_codes_other.csv", "qualtrics_choice_text.csv", "qualtrics_choice_text_bom.csv",
                     "qualtrics_numeric_values.csv", "qualtrics_other_text_column.csv", "qualtrics_recaptcha_column.csv", "redcap_raw_codes_from_0.csv",
                     "redcap_raw_headers_label_values.csv", "redcap_raw_no_timestamp.csv", "redcap_raw_survey_timestamp.csv"]
    let files = try FileManager.default.contentsOfDirectory(atPath: a).filter { $0.hasSuffix(".csv") && $0 != "redcap_data_dictionary.csv" }.sorted()
    #expect(files.count == 17)
    for f in files {
        let dictionary = f == "redcap_raw_codes_from_0.csv" ? " --dictionary \(a)/redcap_data_dictionary.csv" : ""
        let r = try InProcess.run(["--format", "json", "-e", "load survey \(a)/\(f) --questionnaire questionnaires/ai-validation.yaml\(dictionary)", "-e", "crosstab Q7", "-e", "crosstab Q10"])
        #expect(r.status == 0, "\(f): \(r.err)")
        let d = try jsonDocuments(r.out)
        guard d.count == 3 else { continue }
        #expect(d[0]["respondents"] as? Int == 5, "\(f)")
        // The role rule still groups them (a dictionary adds to the questionnaire, never replaces it).
        #expect(d[0]["groups"] as? [String: Int] == ["TG": 3, "CG": 2], "\(f)")
        #expect(ticks(d[1]) == q7, "\(f): \(ticks(d[1]))")
        let q10 = ticks(d[2])
        #expect(q10["Explainable models"] == 3, "\(f)")
        if withOther.contains(f) { #expect(q10["Other"] == 1, "\(f): \(q10)") }
        if f.contains("other_text") || f.hasSuffix("_other.csv") {
            #expect((d[0]["extra_columns"] as? [String])?.contains { $0.hasPrefix("Q10") } == true, "\(f): the typed text is kept")
        }
    }
}

/// `export survey` writes what the analyst now has: after a filter and a recode, the .sav (ReadStat's writer) read
/// back by pyreadstat holds the kept respondents, each answer's label as its value label and the counts crosstab
/// shows; the .csv loads back into trustgap with the same counts.
@Test func cleanedSurveyIsExportedAsCSVAndSAV() throws {
    let (dir, _) = try reference()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let d = try run(["load survey \(dir)/commas.csv", "filter rating != 1", "recode country \"Korea, Republic of\" Spain -> Iberia_Korea --label \"Korea or Spain\"",
                     "crosstab country by arm", "crosstab methods by arm", "export survey \(dir)/clean.sav", "export survey \(dir)/clean.csv"])
    guard d.count == 7 else { return }
    let kept = d[1]["respondents"] as? Int ?? 0
    #expect(d[5]["respondents"] as? Int == kept && (d[5]["cleaning"] as? [String])?.count == 2)
    let script = """
    import json, sys, pyreadstat
    df, meta = pyreadstat.read_sav(sys.argv[1])
    labels = meta.variable_value_labels
    country = {labels["country"][v]: int(n) for v, n in df["country"].value_counts().items()}
    methods = {meta.column_names_to_labels[c].split(": ", 1)[1]: int(df[c].sum()) for c in df.columns if c.startswith("methods_")}
    print(json.dumps({"n": len(df), "country": country, "methods": methods, "label": meta.column_names_to_labels["country"]}))
    """
    let py = try Binary.tool(["python3", "-c", script, "\(dir)/clean.sav"])
    #expect(py.status == 0, "\(py.output)")
    let sav = try JSONSerialization.jsonObject(with: Data(py.output.utf8)) as? [String: Any] ?? [:]
    #expect(sav["n"] as? Int == kept)
    #expect(sav["country"] as? [String: Int] == ticks(d[3]).filter { $0.value > 0 })
    #expect(sav["methods"] as? [String: Int] == ticks(d[4]))
    let back = try run(["load survey \(dir)/clean.csv", "crosstab country by arm"])
    #expect(back[0]["respondents"] as? Int == kept)
    #expect(ticks(back[1]) == Dictionary(uniqueKeysWithValues: ((d[3]["columns"] as? [String]) ?? []).enumerated().map { j, code in
        (code, ((d[3]["counts"] as? [[Int]]) ?? []).reduce(0) { $0 + $1[j] }) }).filter { $0.value > 0 })
}
