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
    let items = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [[String: Any]] ?? []
    #expect(items.count == 48)
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
