import Foundation
import Testing

/// Tables that made the unbounded exact test freeze the REPL: each now finishes within its budget (exactly, or with
/// a labelled Monte Carlo p), and the process's peak memory stays under the budget plus what it holds anyway.
@Test(arguments: [
    // A 6 × 3 table of a few hundred respondents (run automatically: an expected count is below 5).
    ("12,8,1;10,9,2;15,6,3;11,12,4;9,14,1;20,17,4", nil as String?),
    // An exactly independent 3 × 3 table with N = 2,160 (p = 1), asked for.
    ("240,240,240;240,240,240;240,240,240", "--exact"),
    // R's fisher.test needs 9 s for this one; trustgap gives way within the budget it was given.
    ("300,200,100;100,220,300;50,60,70", "--exact --exact-budget 2s,256MB"),
    // A sparse 6 × 7 table with N = 63.
    ("2,1,3,0,1,2,1;1,2,0,3,1,1,2;0,1,2,1,3,1,1;2,2,1,1,0,2,1;1,0,2,2,1,1,3;3,1,1,0,2,1,1;1,1,1,1,1,1,0", nil),
])
func exactTestsStayWithinTheirBudget(_ table: String, _ options: String?) throws {
    let command = "chisq table \"\(table)\"" + (options.map { " " + $0 } ?? "")
    let r = try Binary.tool(["python3", "Tests/EndToEndTests/peak_memory.py", Binary.path, "-e", command])
    let first = r.output.split(separator: "\n").first.map(String.init) ?? ""
    #expect(first.hasPrefix("status=0"), "\(r.output)")
    let fields = Dictionary(uniqueKeysWithValues: first.split(separator: " ").compactMap { f -> (String, Double)? in
        let kv = f.split(separator: "=")
        guard kv.count == 2, let v = Double(kv[1]) else { return nil }
        return (String(kv[0]), v)
    })
    let peakMB = (fields["peak_kb"] ?? .infinity) / 1024
    let budgetMB = options?.contains("256MB") == true ? 256.0 : options?.contains("--exact") == true ? 2048.0 : 512.0
    // The budget counts the network's storage; the rest of the process (runtime, tables, sampler) is well under 100 MB.
    #expect(peakMB < budgetMB + 100, "peak \(peakMB) MB for a budget of \(budgetMB) MB")
    #expect(r.output.contains("Fisher's exact test: p =") || r.output.contains("Fisher's exact p estimated by Monte Carlo"), "\(r.output)")
}

/// In a batch run, Ctrl-C (SIGINT) stops trustgap at once with status 130, as shells report an interrupted program.
@Test func batchRunsExit130OnInterrupt() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Binary.path)
    p.arguments = ["-e", "chisq table \"300,200,100;100,220,300;50,60,70\" --exact"]
    p.currentDirectoryURL = Binary.root
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    usleep(800_000)
    let sent = Date()
    kill(p.processIdentifier, SIGINT)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus == 130, "\(p.terminationReason) \(p.terminationStatus)")
    #expect(Date().timeIntervalSince(sent) < 2)
}
