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
    // A 5 × 5 table with N = 776 that ran 78 s and took 10.3 GB under the automatic budget, and the same under
    // 1 ms and 1 KB: a column's splits were gathered into an array before any limit was read.
    (Tables.fiveByFive, nil),
    (Tables.fiveByFive, "--exact-budget 1ms,1kb"),
    (Tables.fiveByFive, "--exact --exact-budget 5s,64MB"),
    // A 6 × 6 table with N = 1,967 that aborted asking for 11 GB (the 2 GB of --exact, with less work to keep the
    // suite short).
    (Tables.sixBySix, "--exact --exact-budget 5s,2GB"),
    (Tables.sixBySix, "--exact --exact-budget 5s,64MB"),
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
    let budgetMB = options?.contains("1kb") == true ? 0 : options?.contains("64MB") == true ? 64.0
        : options?.contains("256MB") == true ? 256.0 : options?.contains("--exact") == true ? 2048.0 : 512.0
    // The budget counts everything the computation holds; the process holds its own on top (runtime, the bundled
    // library, the Monte Carlo sampler: Tables.processMB, measured on a 2 × 2 table).
    #expect(peakMB < budgetMB + Tables.processMB, "peak \(peakMB) MB for a budget of \(budgetMB) MB")
    #expect(r.output.contains("Fisher's exact test: p =") || r.output.contains("Fisher's exact p estimated by Monte Carlo"), "\(r.output)")
}

enum Tables {
    static let fiveByFive = "30,108,123,94,30;12,25,38,33,11;4,9,18,12,4;12,35,50,32,19;7,16,29,18,7"
    static let sixBySix = "18,51,77,48,72,17;24,51,85,57,65,28;25,53,79,62,67,24;23,56,89,76,86,35;14,39,93,66,86,26;20,59,89,91,78,38"
    /// What the process holds beside the computation, at most: measured as the peak of `chisq table "3,9;8,1"` (the
    /// debug binary: 35–40 MB) with room for the Monte Carlo sampler's per-core buffers.
    static let processMB = 60.0
}

/// The same heavy command prints the same bytes with the machine's cores busy as with them quiet: every decision
/// that changes a printed number (exact or Monte Carlo, the Monte Carlo draws) is made on counted work and a seed,
/// never on elapsed time.
@Test func heavyCommandsPrintTheSameOnABusyMachine() throws {
    // One Python process runs the command quiet, then with two busy loops per core, and always stops the loops
    // (a loop left behind by an interrupted run would slow every later test).
    let r = try Binary.tool(["python3", "-c", """
        import os, subprocess, sys
        args = [sys.argv[1], "-e", 'chisq table "%s" --exact-budget 1s,256MB' % sys.argv[2]]
        quiet = subprocess.run(args, capture_output=True, text=True, timeout=300).stdout
        busy = [subprocess.Popen(["/bin/sh", "-c", "while :; do :; done"]) for _ in range(2 * (os.cpu_count() or 1))]
        try:
            loaded = subprocess.run(args, capture_output=True, text=True, timeout=300).stdout
        finally:
            for p in busy:
                p.kill()
                p.wait()
        print("same" if quiet == loaded else "DIFFERENT", "monte-carlo" if "estimated by Monte Carlo" in quiet else "exact")
        """, Binary.path, Tables.fiveByFive])
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("same monte-carlo"), "the output changed with the cores busy, or the budget was not reached: \(r.output)")
}

/// Ctrl-C during an exact test that would run for many seconds is seen within half a second, wherever the
/// enumeration is (here in the walk of a column's splits and the bounds' flows).
@Test func interruptIsSeenWithinHalfASecond() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Binary.path)
    p.arguments = ["-e", "chisq table \"\(Tables.sixBySix)\" --exact --exact-budget 600s,8GB"]
    p.currentDirectoryURL = Binary.userFolder
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    usleep(1_500_000)
    let sent = Date()
    kill(p.processIdentifier, SIGINT)
    p.waitUntilExit()
    #expect(p.terminationReason == .exit && p.terminationStatus == 130, "\(p.terminationReason) \(p.terminationStatus)")
    #expect(Date().timeIntervalSince(sent) < 0.5)
}

/// In a batch run, Ctrl-C (SIGINT) stops trustgap at once with status 130, as shells report an interrupted program.
@Test func batchRunsExit130OnInterrupt() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Binary.path)
    p.arguments = ["-e", "chisq table \"300,200,100;100,220,300;50,60,70\" --exact"]
    p.currentDirectoryURL = Binary.userFolder
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
