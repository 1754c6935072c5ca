import Foundation
import Testing

/// Runs the built `trustgap` binary as a user would and checks output and exit status.
enum Binary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static var path: String {
        // The test bundle sits beside the executable in the build folder.
        let build = Bundle.main.bundleURL.deletingLastPathComponent()
        for candidate in [build.appendingPathComponent("trustgap"), root.appendingPathComponent(".build/debug/trustgap")]
        where FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
        return root.appendingPathComponent(".build/debug/trustgap").path
    }

    /// A user's folder, not the repository: a new temporary folder holding only links to the data the tests name
    /// (`data/`, the bundled survey and records; `Tests/`, the fixtures), as an analyst's folder holds their files.
    /// The binary finds its own files (profiles, templates, stop words, questionnaires, the TEHAI frame) in itself.
    static let userFolder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("trustgap-user-\(getpid())")
        try? FileManager.default.removeItem(at: folder)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["data", "Tests"] {
            try? FileManager.default.createSymbolicLink(at: folder.appendingPathComponent(name), withDestinationURL: root.appendingPathComponent(name))
        }
        return folder
    }()

    static func run(_ args: [String], stdin: String? = nil, env: [String: String] = [:], in folder: URL? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = folder ?? userFolder
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        // Standard error is drained on its own thread, and input is written on another: a large error message or a
        // large input could otherwise fill a pipe while this thread waits on the other one.
        let errData = PipeDrain(err.fileHandleForReading)
        let writer = Thread {
            if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = errData.wait()
        p.waitUntilExit()
        #expect(p.terminationReason == .exit, "trustgap died from a signal")
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// Reads a pipe to its end on a thread of its own.
    final class PipeDrain: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)
        init(_ handle: FileHandle) {
            Thread { [self] in
                data = handle.readDataToEndOfFile()
                done.signal()
            }.start()
        }
        func wait() -> Data {
            done.wait()
            return data
        }
    }

    /// Runs a helper program from PATH (python3 scripts) in the package root; output and errors together.
    static func tool(_ args: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        p.currentDirectoryURL = root
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }
}

@Test func loadAndGroupsWithE() throws {
    let r = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "groups"])
    #expect(r.status == 0)
    #expect(r.out.contains("Loaded 49 respondents"))
    #expect(r.out.contains("TG     Technical group  30"))
    #expect(r.out.contains("CG     Clinical group   19"))
}

@Test func pipedInputRunsWithoutPrompt() throws {
    let r = try Binary.run([], stdin: "load survey data/ai4hi/responses.csv\ngroups\nchisq Q99\n")
    // The run goes on after the failing command, and the status says one failed (as `run FILE`).
    #expect(r.status == 1)
    #expect(!r.out.contains("trustgap>"))
    #expect(r.out.contains("Groups\n"))
    #expect(r.err.contains("error: no question Q99 (did you mean Q9?)"))
}

@Test func exitCodes() throws {
    let failed = try Binary.run(["-e", "load survey nowhere.csv"])
    #expect(failed.status == 1)
    #expect(failed.err.hasPrefix("error: cannot read nowhere.csv"))
    let unknown = try Binary.run(["-e", "crostab Q7"])
    #expect(unknown.status == 1)
    #expect(unknown.err.contains("did you mean crosstab?"))
    let usage = try Binary.run(["--format", "yaml", "-e", "help"])
    #expect(usage.status == 2)
    let usage2 = try Binary.run(["--no-such-flag"])
    #expect(usage2.status == 2)
    #expect(try Binary.run(["-e", "quit"]).status == 0)
}

@Test func crosstabJSONKeys() throws {
    let r = try InProcess.run(["--format", "json", "-e", "load survey data/ai4hi/responses.csv", "-e", "crosstab Q7"])
    #expect(r.status == 0)
    let last = try jsonDocuments(r.out).last
    #expect(last?["question"] as? String == "Q7")
    #expect(last?["rows"] as? [String] == ["TG", "CG"])
    #expect((last?["counts"] as? [[Int]])?.map { $0.reduce(0, +) } == [30, 19])
    #expect(last?["n"] as? [Int] == [30, 19])
    #expect(last?["labels"] != nil && last?["columns"] != nil && last?["row_percent"] != nil)
}

/// Table 1: `chisq all` finds exactly the 15 questions significant; single-answer p at the printed precision.
@Test func table1Reproduced() throws {
    let r = try InProcess.run(["--format", "json", "-e", "load survey data/ai4hi/responses.csv", "-e", "chisq all"])
    #expect(r.status == 0)
    let document = try jsonDocuments(r.out).last ?? [:]
    let rows = document["tests"] as? [[String: Any]] ?? []
    // Every question is accounted for: 30 tested (the Holm family), the 5 profile questions, the grouping
    // question and the open one skipped with a reason.
    #expect(document["family_size"] as? Int == 30)
    let skipped = (document["skipped"] as? [[String: Any]] ?? []).compactMap { $0["question"] as? String }
    #expect(skipped == ["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q35"])
    let significant = Set(rows.filter { ($0["p"] as? Double ?? 1) < 0.05 }.compactMap { $0["question"] as? String })
    #expect(significant == ["Q7", "Q9", "Q10", "Q11", "Q12", "Q13", "Q14", "Q15", "Q19", "Q20", "Q22", "Q25", "Q26", "Q33", "Q34"])
    let printed: [String: ClosedRange<Double>] = [
        "Q7": 0.0005...0.00149999, "Q12": 0.0015...0.00249999, "Q13": 0.0015...0.00249999, "Q14": 0...0.000999,
        "Q15": 0.0005...0.00149999, "Q19": 0...0.000999, "Q22": 0.0045...0.00549999,
        // Q9 cannot reach 0.007 with the published counts (see data/ai4hi/PROVENANCE.md): the closest table gives 0.0084.
        "Q9": 0.0084...0.0085,
    ]
    for row in rows {
        guard let q = row["question"] as? String, let range = printed[q], let p = row["p"] as? Double else { continue }
        #expect(range.contains(p), "\(q): p = \(p)")
    }
}

@Test func badInputLeavesPreviousSurvey() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let bad = dir.appendingPathComponent("bad.csv").path
    try "respondent,Q7\nR1,balance_performance\nR2,balanse\n".write(toFile: bad, atomically: true, encoding: .utf8)
    let r = try InProcess.run([], stdin: "load survey data/ai4hi/responses.csv\nload survey \(bad) --questionnaire questionnaires/ai-validation.yaml\ngroups\n")
    #expect(r.err.contains("bad.csv:3: column Q7: \"balanse\" is not an answer code of Q7"))
    #expect(r.out.contains("TG     Technical group  30"))
}

/// The REPL under a pseudo-terminal: readline completion and history kept across sessions.
@Test func replUnderPseudoTerminal() throws {
    let history = FileManager.default.temporaryDirectory.appendingPathComponent("tg-history-\(UUID().uuidString)").path
    let r = try Binary.tool(["python3", "Tests/EndToEndTests/pty_repl.py", Binary.path, history])
    #expect(r.status == 0, "\(r.output)")
}

/// The multi-answer questions of Table 1: the naive tick-count test reproduces the printed p (PROVENANCE.md), and the
/// MMI test that `chisq all` reads is significant as well.
@Test(arguments: [("Q10", 0.0065, 0.0075), ("Q11", 0.0075, 0.0085), ("Q33", 0.03945, 0.03955), ("Q20", 0, 0.001),
                  ("Q25", 0, 0.001), ("Q26", 0, 0.001), ("Q34", 0, 0.001)])
func table1MultiAnswer(_ question: String, _ low: Double, _ high: Double) throws {
    let r = try InProcess.run(["--format", "json", "-e", "load survey data/ai4hi/responses.csv", "-e", "chisq \(question)"])
    #expect(r.status == 0)
    let json = try jsonDocuments(r.out).last ?? [:]
    #expect(json["test"] as? String == "mmi")
    let naive = (json["naive"] as? [String: Any])?["p"] as? Double ?? -1
    #expect(naive >= low && naive < high, "\(question) naive p = \(naive)")
    #expect((json["bonferroni_p"] as? Double ?? 1) < 0.05)
    #expect(((json["rs2"] as? [String: Any])?["p"] as? Double ?? 1) < 0.05)
    #expect((json["items"] as? [[String: Any]])?.first?["p_bonferroni"] != nil)
}

/// The command line run in process (as most tests run it) behaves as the binary: the same output, errors and status
/// for a success, a failed command, piped input and usage errors.
@Test(arguments: [
    (["-e", "load survey data/ai4hi/responses.csv", "-e", "groups"], nil as String?),
    (["-e", "load survey nowhere.csv"], nil), (["--format", "yaml"], nil), (["notebook"], nil),
    (["--format", "json", "-e", "chisq table \"3,9;8,1\"", "-e", "crostab Q7"], nil),
    ([], "load survey data/ai4hi/responses.csv\nchisq Q99\ngroups\n"),
])
func inProcessRunsAsTheBinary(_ args: [String], _ stdin: String?) throws {
    // Both in the repository's folder, where the in-process runs work: the same folder, the same questionnaire found.
    let binary = try Binary.run(args, stdin: stdin, in: Binary.root), inProcess = try InProcess.run(args, stdin: stdin)
    #expect(inProcess.status == binary.status)
    #expect(inProcess.out == binary.out)
    #expect(inProcess.err == binary.err)
}

/// Installed once, run from anywhere: the binary copied alone into a folder of its own (as `scripts/install.sh`
/// does) and run from a folder holding only the analyst's survey and a validation record finds every file of its
/// own: stop words, explanation profiles and templates, hyphenation patterns, the bundled questionnaire and the
/// TEHAI frame by name.
@Test func theBinaryAloneRunsFromAFolderOfItsOwn() throws {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent("trustgap-installed-\(getpid())")
    try? FileManager.default.removeItem(at: base)
    let bin = base.appendingPathComponent("bin"), work = base.appendingPathComponent("study")
    try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: work.appendingPathComponent("records"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: base) }
    try FileManager.default.copyItem(atPath: Binary.path, toPath: bin.appendingPathComponent("trustgap").path)
    try FileManager.default.copyItem(at: Binary.root.appendingPathComponent("data/ai4hi/responses.csv"), to: work.appendingPathComponent("responses.csv"))
    try FileManager.default.copyItem(at: Binary.root.appendingPathComponent("data/validation/cspca-bpmri-v2.json"),
                                     to: work.appendingPathComponent("records/cspca-bpmri-v2.json"))
    try FileManager.default.copyItem(at: Binary.root.appendingPathComponent("data/validation/cspca-bpmri-v2.predictions.csv"),
                                     to: work.appendingPathComponent("records/cspca-bpmri-v2.predictions.csv"))
    let p = Process()
    p.executableURL = bin.appendingPathComponent("trustgap")
    p.arguments = ["-e", "load survey responses.csv --questionnaire ai-validation", "-e", "words Q35 --top 5",
                   "-e", "wordcloud Q35 --out cloud.svg", "-e", "codebook load tehai-frame", "-e", "load records records",
                   "-e", "explain cspca-bpmri-v2 --case P-017 --for patient"]
    p.currentDirectoryURL = work
    // No TRUSTGAP_HYPHEN_DIC: the patterns come from the binary (or Debian's, where it was built without them).
    var env = ProcessInfo.processInfo.environment
    env["TRUSTGAP_HYPHEN_DIC"] = nil
    p.environment = env
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let errors = Binary.PipeDrain(err.fileHandleForReading)
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errText = String(decoding: errors.wait(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(errText)")
    #expect(text.contains("Loaded 49 respondents"), "\(text)")
    #expect(text.contains("loaded 20 codes"), "\(text)")
    #expect(text.contains("out of 100 men with a result like this"), "the patient text, from the bundled profile and template: \(text)")
    #expect(FileManager.default.fileExists(atPath: work.appendingPathComponent("cloud.svg").path))
    // Nothing was written into the folder but what was asked for.
    #expect(try FileManager.default.contentsOfDirectory(atPath: work.path).sorted() == ["cloud.svg", "records", "responses.csv"])
}
