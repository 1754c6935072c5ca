import Foundation
import Testing

@Test func bundledRecordsValidateAgainstTheShippedSchema() throws {
    let records = try FileManager.default.contentsOfDirectory(atPath: Binary.root.appendingPathComponent("data/validation").path)
        .filter { $0.hasSuffix(".json") }.map { "data/validation/" + $0 }
    #expect(records.count >= 3)
    let r = try Binary.tool(["python3", "scripts/validate_records.py"] + records)
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.components(separatedBy: ": valid").count - 1 == records.count)
}

@Test func metricsAndRecordsJSON() throws {
    let r = try InProcess.run(["--format", "json", "-e", "load records data/validation", "-e", "records", "-e", "metrics cspca-bpmri-v2"])
    #expect(r.status == 0, "\(r.err)")
    // One document for the run; the last command's result is the metrics: the record, its predictions file and the checks.
    let results = try jsonDocuments(r.out)
    #expect(results.count == 3)
    #expect(results.last?["cases"] as? Int == 540 && results.last?["record"] as? String == "cspca-bpmri-v2")
    let rows = results.last?["checks"] as? [[String: Any]] ?? []
    #expect(rows.count > 10)
    #expect(rows.allSatisfy { Set($0.keys).isSuperset(of: ["metric", "test_set", "subgroup", "reported", "recomputed", "ci", "ci_method", "flag", "verdict"]) })
    let flagged = rows.filter { !($0["flag"] is NSNull) }
    #expect(flagged.count == 1 && flagged.first?["metric"] as? String == "sensitivity" && flagged.first?["test_set"] as? String == "external")
    let records = results[1]["array"] as? [[String: Any]] ?? []
    #expect(records.first { $0["id"] as? String == "cspca-bpmri-v2" }.map { $0["task"] as? String == "classification" && $0["cases"] as? Int == 12 } == true)
}

@Test func brokenRecordsAreRejectedWholeWithTheJSONPath() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-rec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try #"{"schema": "trustgap.validation-record/1", "id": "ok", "model": {"name": "m", "task": "regression"}}"#
        .write(to: dir.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
    try #"{"schema": "trustgap.validation-record/1", "id": "bad", "model": {"name": "m", "task": "regression"}, "cases": [{"id": "c1", "uncertainty": {"epistemic": "high"}}]}"#
        .write(to: dir.appendingPathComponent("b.json"), atomically: true, encoding: .utf8)
    let r = try InProcess.run([], stdin: "load records \(dir.path)\nrecords\nload records \(dir.path)/a.json\nrecords\n")
    #expect(r.err.contains("b.json: cases[0].uncertainty.epistemic: expected a number, got \"high\""))
    #expect(r.err.contains("no records loaded"), "the folder with one broken record loads nothing")
    #expect(r.out.contains("Loaded 1 validation record(s)"))
}
