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
    let r = try Binary.run(["--format", "json", "-e", "load records data/validation", "-e", "records", "-e", "metrics cspca-bpmri-v2"])
    #expect(r.status == 0, "\(r.err)")
    // The last JSON document is the metrics list.
    guard let start = r.out.range(of: "\n[\n  {\n    \"metric\"", options: .backwards) else { Issue.record("no metrics JSON"); return }
    let rows = try JSONSerialization.jsonObject(with: Data(r.out[r.out.index(after: start.lowerBound)...].utf8)) as? [[String: Any]] ?? []
    #expect(rows.allSatisfy { Set($0.keys).isSuperset(of: ["metric", "test_set", "subgroup", "reported", "recomputed", "ci", "ci_method", "flag"]) })
    let flagged = rows.filter { !($0["flag"] is NSNull) }
    #expect(flagged.count == 1 && flagged.first?["metric"] as? String == "sensitivity" && flagged.first?["test_set"] as? String == "external")
    #expect(r.out.contains("\"id\": \"cspca-bpmri-v2\",\n    \"task\": \"classification\",\n    \"cases\": 12,\n    \"path\": \"data/validation/cspca-bpmri-v2.json\""))
}

@Test func brokenRecordsAreRejectedWholeWithTheJSONPath() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-rec-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try #"{"schema": "trustgap.validation-record/1", "id": "ok", "model": {"name": "m", "task": "regression"}}"#
        .write(to: dir.appendingPathComponent("a.json"), atomically: true, encoding: .utf8)
    try #"{"schema": "trustgap.validation-record/1", "id": "bad", "model": {"name": "m", "task": "regression"}, "cases": [{"id": "c1", "uncertainty": {"epistemic": "high"}}]}"#
        .write(to: dir.appendingPathComponent("b.json"), atomically: true, encoding: .utf8)
    let r = try Binary.run([], stdin: "load records \(dir.path)\nrecords\nload records \(dir.path)/a.json\nrecords\n")
    #expect(r.err.contains("b.json: cases[0].uncertainty.epistemic: expected a number, got \"high\""))
    #expect(r.err.contains("no records loaded"), "the folder with one broken record loads nothing")
    #expect(r.out.contains("Loaded 1 validation record(s)"))
}
