import Foundation
import Testing

/// A survey of one's own, as a plain CSV written by Python's csv module (not by us): the id and metadata columns
/// are not questions, the grouping and the role it was made from are not tested against the groups, the Likert
/// answers are in their scale's order with "Don't know" last, the tick list is multi-answer and the comments with
/// ";" are open, and the numbers with "11+" and "n/a" are numeric with those cells missing. Counts are checked
/// against Python reading the same file.
@Test func ownSurveyIsInferredAsAnAnalystWould() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-own-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("own.csv").path
    let written = try Binary.tool(["python3", "-c", """
        import csv, random, sys, datetime
        random.seed(11)
        agree = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
        notes = ["The model should explain itself; otherwise I will not use it.", "Validation on local data matters most",
                 "I worry about drift; we saw it twice.", "More external validation please", "Calibration is rarely reported; it should be."]
        with open(sys.argv[1], "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["ResponseId", "StartDate", "Duration (in seconds)", "IPAddress", "Email", "Finished", "role", "group",
                        "years", "trust", "tools", "comments", "satisfaction"])
            for i in range(90):
                role = random.choice(["radiologist", "clinician", "data scientist", "physicist", "engineer"])
                w.writerow([f"R_{i:03d}q", (datetime.datetime(2025, 3, 1) + datetime.timedelta(minutes=41 * i)).isoformat(sep=" "),
                            random.randint(120, 900), f"10.1.{i // 200}.{i % 200}", f"p{i}@example.org", random.choice(["True", "False"]),
                            role, "clinical" if role in ("radiologist", "clinician") else "technical",
                            random.choice(["11+", "n/a"]) if i % 10 == 3 else str(random.randint(0, 30)),
                            random.choice(agree + ["Don't know"]), ";".join(random.sample(["PACS", "RIS", "Python", "R"], random.randint(1, 2))),
                            random.choice(notes) + f" ({i})", random.randint(1, 5)])
        rows = list(csv.DictReader(open(sys.argv[1], newline="")))
        bad = [r["years"] for r in rows if not r["years"].lstrip("-").isdigit()]
        print(len(rows), len(bad), sum(r["trust"] == "Don't know" for r in rows))
        """, path])
    #expect(written.status == 0, "\(written.output)")
    let counts = written.output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    #expect(counts.count == 3)
    let r = try InProcess.run(["--format", "json", "-e", "load survey \(path) --group group", "-e", "questions", "-e", "chisq all", "-e", "crosstab trust"])
    #expect(r.status == 0, "\(r.err)")
    let results = try jsonDocuments(r.out)
    let load = results[0]
    #expect(load["respondents"] as? Int == counts.first)
    #expect((load["notes"] as? [String])?.contains { $0.hasPrefix("years: \(counts[1]) cell(s) are not numbers and were read as missing") } == true, "\(load)")
    let questions = results[1]["array"] as? [[String: Any]] ?? []
    func question(_ id: String) -> [String: Any]? { questions.first { $0["id"] as? String == id } }
    #expect(question("ResponseId") == nil)
    for meta in ["StartDate", "Duration (in seconds)", "IPAddress", "Email", "Finished"] { #expect(question(meta)?["section"] as? String == "metadata", "\(meta)") }
    #expect(question("trust")?["type"] as? String == "likert")
    #expect(question("trust")?["categories"] as? [String] == ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree", "Don't know"])
    #expect(question("tools")?["type"] as? String == "multi")
    #expect(question("comments")?["type"] as? String == "open")
    #expect(question("years")?["type"] as? String == "numeric")
    // A 1–5 rating without labels is categories until declared (set satisfaction type likert).
    #expect(question("satisfaction")?["type"] as? String == "single")
    let family = results[2]
    let skipped = (family["skipped"] as? [[String: Any]] ?? []).compactMap { $0["question"] as? String }
    #expect(Set(skipped).isSuperset(of: ["group", "role", "comments", "StartDate", "IPAddress"]), "\(skipped)")
    let tested = (family["tests"] as? [[String: Any]] ?? []).compactMap { $0["question"] as? String }
    #expect(Set(tested) == ["trust", "tools", "satisfaction", "years"], "\(tested)")
    // Don't know is a column of the crosstab (last), counted as Python counts it.
    let crosstab = results[3]
    #expect((crosstab["columns"] as? [String])?.last == "Don't know")
    let dk = (crosstab["counts"] as? [[Int]])?.reduce(0) { $0 + ($1.last ?? 0) }
    #expect(dk == counts[2])
    // Column names alone never pick a questionnaire: the bundled one, whose ids these columns are, is passed over
    // because the answers do not fit it, and the load message says so.
    let clash = dir.appendingPathComponent("q.csv").path
    try "respondent,Q1,Q7\nR1,x,balance_performance\nR2,y,only_performance\n".write(toFile: clash, atomically: true, encoding: .utf8)
    let passed = try InProcess.run(["-e", "load survey \(clash)"])
    #expect(passed.status == 0 && passed.out.contains("questionnaires/ai-validation.yaml has the file's column names but not its answers"), "\(passed.out) \(passed.err)")
    #expect(passed.out.contains("questionnaire: inferred from the file"))
    #expect(try InProcess.run(["-e", "load survey \(clash) --questionnaire none"]).status == 0)
}

/// Corrections without YAML: set Q type and set Q order re-read the file with the correction, keep the cleaning,
/// refuse an order that is not every answer once, and live in the workspace.
@Test func inferenceIsCorrectedAtThePrompt() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-set-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let csv = dir.appendingPathComponent("s.csv").path
    var text = "id,team,size,freq\n"
    for i in 0..<30 { text += "P\(i),\(i % 2 == 0 ? "a" : "b"),\(["small", "medium", "large"][i % 3]),\(["Never", "Sometimes", "Always"][i % 3])\n" }
    try text.write(toFile: csv, atomically: true, encoding: .utf8)
    let ws = dir.appendingPathComponent("w.db").path
    let r = try InProcess.run(["--workspace", ws, "--format", "json", "-e", "load survey \(csv) --group team", "-e", "filter freq != Never",
                            "-e", "set size order small,medium,large", "-e", "set size type likert", "-e", "questions", "-e", "set freq order Always,Sometimes"])
    #expect(r.status == 1)  // the last order leaves out an answer
    let results = try jsonDocuments(r.out)
    #expect((results[2]["categories"] as? [String]) == ["small", "medium", "large"])
    #expect(results[3]["type"] as? String == "likert")
    #expect(results.count == 6)
    guard results.count == 6 else { return }
    #expect((results[5]["error"] as? [String: Any])?["message"] as? String == "\"set freq order Always,Sometimes\": list every answer of freq once, in the new order: Never,Sometimes,Always")
    let q = (results[4]["array"] as? [[String: Any]])?.first { $0["id"] as? String == "size" }
    #expect(q?["type"] as? String == "likert" && (q?["reason"] as? String)?.contains("set by the analyst") == true)
    // Reopened: the correction and the filter are still there.
    let again = try InProcess.run(["--workspace", ws, "--format", "json", "-e", "questions", "-e", "groups"])
    let reopened = try jsonDocuments(again.out)
    guard !reopened.isEmpty else { Issue.record("\(again.err)"); return }
    #expect(((reopened[0]["array"] as? [[String: Any]])?.first { $0["id"] as? String == "size" })?["type"] as? String == "likert")
    #expect(again.err.isEmpty, "\(again.err)")
}
