import Foundation
import Testing

/// `--format json` prints one document for the whole run (an array of {command, result, provenance} or {command, error,
/// provenance}), which
/// Python's json.load reads; errors are objects with a code, the message and the position; the status is still 1.
@Test func jsonIsOneDocumentPerRun() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-machine-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let bad = dir.appendingPathComponent("bad.csv").path
    try "id,role,answer\n1,a,\"open\n".write(toFile: bad, atomically: true, encoding: .utf8)
    // The README's own example: several -e, then a failing one.
    let r = try InProcess.run(["--format", "json", "-e", "load survey data/ai4hi/responses.csv", "-e", "crosstab Q7", "-e", "chisq Q7", "-e", "load survey \(bad)"])
    #expect(r.status == 1)
    let out = dir.appendingPathComponent("out.json").path
    try r.out.write(toFile: out, atomically: true, encoding: .utf8)
    let python = try Binary.tool(["python3", "-c", """
        import json, sys
        entries = json.load(open(sys.argv[1]))
        print(len(entries), [sorted(e) for e in entries][3], json.dumps(entries[3]['error'], sort_keys=True))
        print(entries[1]['result']['n'])
        p = entries[2]['provenance']
        print("version", p['trustgap_version'], [i['kind'] for i in p['inputs']], len(p['inputs'][0]['sha256']), p['weights'])
        """, out])
    #expect(python.status == 0, "\(python.output)")
    #expect(python.output.contains("4 ['command', 'error', 'provenance']"), "\(python.output)")
    // Each entry names what produced it: the version, the input files with their SHA-256, the weights.
    #expect(python.output.contains("version 0.") && python.output.contains("['survey', 'questionnaire'] 64 none (unweighted)"), "\(python.output)")
    #expect(python.output.contains(#""code": "survey.unterminated_quote""#))
    #expect(python.output.contains(#""position": {"column": 5, "file": "\#(bad)", "line": 2}"#), "\(python.output)")
    #expect(python.output.contains("[30, 19]"))
    // ndjson: one object per line, as it happens.
    let nd = try InProcess.run(["--format", "ndjson", "-e", "load records data/validation", "-e", "explain nope"])
    #expect(nd.status == 1)
    let lines = nd.out.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    #expect(lines.count == 2 && lines.allSatisfy { $0?["command"] != nil })
    #expect((lines.last??["error"] as? [String: Any])?["code"] as? String == "validation.unknown_record")
    // Piped input: still one document, and status 1 when a command failed.
    let piped = try InProcess.run(["--format", "json"], stdin: "load survey data/ai4hi/responses.csv\ncrosstab Q99\ngroups\n")
    #expect(piped.status == 1)
    let entries = try JSONSerialization.jsonObject(with: Data(piped.out.utf8)) as? [[String: Any]] ?? []
    #expect(entries.count == 3 && entries[1]["error"] != nil && entries[2]["result"] != nil)
}

/// Every module's errors are worded as sentences, never as a dump of the error value.
@Test func errorsAreWordedNotDumped() throws {
    let cases: [(args: [String], expected: String)] = [
        (["-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --for patient --library /missing"], "error: /missing/profiles/developer.yaml: cannot read the profile"),
        (["-e", "load records data/validation", "-e", "facts cspca-bpmri-v2 --case P-17"], "error: record cspca-bpmri-v2 has no case P-17 (did you mean P-017?)"),
        (["-e", "chisq table \"1,2;3\""], "error: row 2 has 1 cells, the first row has 2"),
        (["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook show X9"], "error: no code X9 in the codebook"),
    ]
    for c in cases {
        let r = try InProcess.run(c.args)
        #expect(r.status == 1)
        #expect(r.err.contains(c.expected), "\(c.args): \(r.err)")
        #expect(!r.err.contains("(path:") && !r.err.contains("Error("), "\(r.err)")
    }
}
