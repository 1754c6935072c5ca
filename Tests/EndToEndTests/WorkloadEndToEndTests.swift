import Foundation
import Testing

/// The workload commands the benchmarks use, run as a user would.
@Test func synthSurveyWritesAFileThatLoadsAndTests() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("trustgap-synth-\(UUID().uuidString)")
    let out = dir.appendingPathComponent("survey.csv").path
    let r = try InProcess.run(["synth", "survey", "--respondents", "2000", "--seed", "5", "--out", out])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("wrote \(out): 2000 respondents × 37 questions of ai-validation (seed 5), 1.1 MB"))
    let first = try Data(contentsOf: URL(fileURLWithPath: out))
    // The same seed gives the same file; the REPL command writes it too.
    let again = dir.appendingPathComponent("again.csv").path
    #expect(try InProcess.run(["-e", "synth survey --respondents 2000 --seed 5 --out \(again)"]).status == 0)
    #expect(try Data(contentsOf: URL(fileURLWithPath: again)) == first)
    let header = String(decoding: first.prefix(40), as: UTF8.self)
    #expect(header.hasPrefix("respondent,Q1,Q2,Q3"))
    let t = try InProcess.run(["--format", "json", "-e", "load survey \(out)", "-e", "chisq all"])
    #expect(t.status == 0, "\(t.err)")
    #expect(t.out.contains("\"question\": \"Q34\""))
    // Bad arguments are usage errors.
    #expect(try InProcess.run(["synth", "survey", "--respondents", "0", "--out", out]).status == 2)
    #expect(try InProcess.run(["-e", "synth survey --respondents 10"]).status == 1)
    #expect(try InProcess.run(["-e", "synth survey --respondents 10 --out \(out) --questionnaire /nonexistent.yaml"]).status == 1)
}

@Test func explainEveryCaseOfARecord() throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("trustgap-all-\(UUID().uuidString).json").path
    let r = try InProcess.run(["-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --case all --for all --out \(out)"])
    #expect(r.status == 0, "\(r.err)")
    #expect(r.out.contains("wrote \(out): 48 explanations (12 cases × 4 audience(s)), 0 with warnings"))
    // One object: the record's claims once, each case's own claims once, then each audience's text and sentences.
    let document = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any] ?? [:]
    #expect(document["record"] as? String == "cspca-bpmri-v2")
    let cases = document["cases"] as? [[String: Any]] ?? []
    #expect(cases.count == 12)
    let recordClaims = document["claims"] as? [String: Any] ?? [:]
    #expect(recordClaims["perf.auc.internal"] != nil && recordClaims["case.probability"] == nil)
    let items = cases.flatMap { c in (c["explanations"] as? [[String: Any]] ?? []).map { e in e.merging(["case": c["case"] ?? ""]) { a, _ in a } } }
    #expect(items.count == 48)
    for c in cases {
        let claims = c["claims"] as? [String: Any] ?? [:]
        #expect(claims.keys.allSatisfy { recordClaims[$0] == nil }, "a record claim repeated in case \(c["case"] ?? "")")
    }
    // Every verdict is one of three, with its reason when not supported.
    for case let claim as [String: Any] in recordClaims.values {
        if let verdict = claim["verdict"] as? String {
            #expect(["supported", "contradicted", "cannot_recompute"].contains(verdict))
            if verdict != "supported" { #expect(claim["reason"] is String) }
        }
    }
    // facts_used is what each audience's sentences rest on: the patient's is not the developer's.
    let p017 = cases.first { $0["case"] as? String == "P-017" }?["explanations"] as? [[String: Any]] ?? []
    let used = p017.map { Set($0["facts_used"] as? [String] ?? []) }
    #expect(used.count == 4 && used[2] != used[0] && used[2].count < used[0].count)
    // Each rendering is the one `explain --case ID` gives.
    let oneFile = out + ".one.json"
    #expect(try InProcess.run(["-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --case P-024 --for patient --out \(oneFile)"]).status == 0)
    let single = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: oneFile))) as? [[String: Any]]
    let fromAll = items.first { $0["case"] as? String == "P-024" && $0["audience"] as? String == "patient" }
    #expect(fromAll?["text"] as? String == single?.first?["text"] as? String)
    #expect(try InProcess.run(["-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --case all --for all"]).status == 1)
    // An HTML file is one case's page; asked of every case it is refused, not written as text under an .html name.
    let html = try InProcess.run(["-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --case all --out \(out).html"])
    #expect(html.status == 1 && html.err.contains("--case all writes text, markdown or json, not html"), "\(html.err)")
    #expect(!FileManager.default.fileExists(atPath: out + ".html"))
}
