import Foundation
import Testing

private func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-ws-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// Kills `trustgap` with SIGKILL in the middle of saves, again and again; the workspace must always open with either
/// the old state (1 coding) or the new one (51 codings).
@Test func killedSavesLeaveTheOldOrTheNewWorkspace() throws {
    let dir = try tempDir()
    let ws = dir.appendingPathComponent("w.tgw").path
    let setup = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
                                "-e", "code R002 Q35 utility.safety", "-e", "save \(ws)"])
    #expect(setup.status == 0, "\(setup.err)")
    var states = Set<Int>()
    for k in 0..<12 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Binary.path)
        // The new state is built without attaching the workspace (attached, every change would commit at once),
        // then saved over it, several times, while the kill comes at a different moment each round.
        p.arguments = ["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
                       "-e", "import codings data/ai4hi/codings.csv", "-e", "save \(ws)", "-e", "save \(ws)", "-e", "save \(ws)"]
        p.currentDirectoryURL = Binary.userFolder
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        usleep(useconds_t(20_000 + (k * 37_000) % 400_000))
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let check = try Binary.run(["--format", "json", "-e", "open \(ws)"])
        #expect(check.status == 0, "run \(k): \(check.err)")
        if let range = check.out.range(of: "\"codings\": ") {
            let n = Int(check.out[range.upperBound...].prefix { $0.isNumber }) ?? -1
            #expect(n == 1 || n == 51, "run \(k): \(n) codings")
            states.insert(n)
        }
        // Put the old state back for the next round, half of the time.
        if k % 2 == 1 { _ = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml", "-e", "code R002 Q35 utility.safety", "-e", "save \(ws)"]) }
    }
    #expect(!states.isEmpty)
}

/// A coding acknowledged at the REPL is in the workspace even if the process is killed right after.
@Test func anAcknowledgedCodingSurvivesKill() throws {
    let dir = try tempDir()
    let ws = dir.appendingPathComponent("w.tgw").path
    #expect(try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml", "-e", "save \(ws)"]).status == 0)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Binary.path)
    p.arguments = ["--workspace", ws]
    p.currentDirectoryURL = Binary.userFolder
    let input = Pipe(), output = Pipe()
    p.standardInput = input
    p.standardOutput = output
    p.standardError = FileHandle.nullDevice
    try p.run()
    input.fileHandleForWriting.write(Data("code R002 Q35 utility.safety\n".utf8))
    // Wait for the acknowledgement, then kill without letting the process finish.
    var seen = ""
    let deadline = Date().addingTimeInterval(20)
    while !seen.contains("coded R002") && Date() < deadline {
        let chunk = output.fileHandleForReading.availableData
        if chunk.isEmpty { break }
        seen += String(decoding: chunk, as: UTF8.self)
    }
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    #expect(seen.contains("coded R002"))
    let after = try Binary.run(["-e", "open \(ws)", "-e", "codebook show utility.safety"])
    #expect(after.out.contains("1 codings of 1 answers"), "\(after.out)")
}

@Test func workspaceErrorsAreWorded() throws {
    let dir = try tempDir()
    let text = dir.appendingPathComponent("notes.txt").path
    try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
    let r = try InProcess.run(["--workspace", text, "-e", "groups"])
    #expect(r.status == 1 && r.err.contains("not a trustgap workspace"), "\(r.err)")
    let s = try InProcess.run(["-e", "save /proc/trustgap-nowhere/w.tgw"])
    #expect(s.status == 1 && s.err.contains("cannot save the workspace"))
}

/// Hostile workspaces (made at test time by hostile_workspaces.py): each is refused with an `error:` that names the
/// workspace and what is wrong, nothing is written outside trustgap's private folder, and a foreign SQLite file is
/// left byte for byte as it was.
@Test func hostileWorkspacesAreRefused() throws {
    let dir = try tempDir()
    let good = dir.appendingPathComponent("good.tgw").path
    let setup = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
                                "-e", "code R002 Q35 utility.safety", "-e", "save \(good)"])
    #expect(setup.status == 0, "\(setup.err)")
    let target = dir.appendingPathComponent("target")
    try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
    let made = try Binary.tool(["python3", "Tests/EndToEndTests/hostile_workspaces.py", good, dir.appendingPathComponent("hostile").path, target.path])
    #expect(made.status == 0, "\(made.output)")
    let expected: [String: String] = [
        "traversal-hash": "column sha256: not a SHA-256 digest", "wrong-hash": "the content does not match its SHA-256",
        "tampered-content": "the content does not match its SHA-256", "option-injection": "unknown format wide\" --questionnaire",
        "blob-command": "history row 1, column command: expected text", "blob-code-name": "column name: expected text",
        "codable-text": "column codable: expected 0 or 1", "trigger": "trigger(s) or view(s)", "view": "trigger(s) or view(s)",
        "foreign": "is not a trustgap workspace; it was left unchanged",
        "generated-column": "table coding, column big: an extra column", "extra-column": "table code, column extra: an extra column",
        "generated-in-place": "table coding, column 5: coder BLOB (generated or hidden), where trustgap writes coder TEXT NOT NULL",
        "wrong-type": "table history, column 2: command BLOB NOT NULL, where trustgap writes command TEXT NOT NULL",
        "extra-table": "table notes: trustgap never writes this table", "index": "index expensive: an index trustgap never writes",
        "check-constraint": "table setting: a CHECK constraint",
    ]
    for name in made.output.split(separator: "\n").map(String.init) {
        let path = dir.appendingPathComponent("hostile/\(name).tgw").path
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let started = Date()
        let r = try InProcess.run(["-e", "open \(path)"])
        // Refused before a row is read: a generated column of 400 MB per row once took 5.5 GB.
        #expect(Date().timeIntervalSince(started) < 5, "\(name) took \(Date().timeIntervalSince(started)) s")
        #expect(r.status == 1, "\(name): \(r.out)")
        #expect(r.err.hasPrefix("error: "), "\(name): \(r.err)")
        if let text = expected[name] { #expect(r.err.contains(text), "\(name): \(r.err)") }
        #expect(!r.err.contains("Fatal error"), "\(name) crashed")
        if ["foreign", "trigger", "generated-column", "extra-table"].contains(name) { #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before, "\(name) was modified") }
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).isEmpty, "something was written outside the private folder")
}

/// A survey whose file name has quotes, spaces and non-ASCII letters is saved and opened again (the restore once
/// rebuilt a `load survey "…"` line and failed on the quote).
@Test func workspaceRestoresAnyFileName() throws {
    let dir = try tempDir()
    let odd = dir.appendingPathComponent("my \"survey\" — Ümläut's.csv").path
    try FileManager.default.copyItem(atPath: "\(Binary.root.path)/data/ai4hi/responses.csv", toPath: odd)
    let ws = dir.appendingPathComponent("odd.tgw").path
    let save = try InProcess.run(["-e", "load survey \(Tokenizer_quote(odd))", "-e", "save \(ws)"])
    #expect(save.status == 0, "\(save.err)")
    let open = try InProcess.run(["-e", "open \(ws)", "-e", "groups"])
    #expect(open.status == 0, "\(open.err)")
    #expect(open.out.contains("opened \(ws): 49 respondents"), "\(open.out)")
    #expect(open.out.contains("TG     Technical group  30"))
}

/// The REPL's quoting: backslash escapes a quote inside double quotes.
private func Tokenizer_quote(_ s: String) -> String {
    "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}

/// Two sessions on one workspace: the second is refused with the holder named, and gets it once the first has gone;
/// the first session's acknowledged coding is in the workspace afterwards.
@Test func aSecondSessionIsRefusedWhileTheFirstHoldsTheWorkspace() throws {
    let dir = try tempDir()
    let ws = dir.appendingPathComponent("shared.tgw").path
    let setup = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml", "-e", "save \(ws)"])
    #expect(setup.status == 0, "\(setup.err)")
    // The first session: attached, codes one answer, then waits for more input.
    let first = Process()
    first.executableURL = URL(fileURLWithPath: Binary.path)
    first.arguments = ["--workspace", ws]
    first.currentDirectoryURL = Binary.userFolder
    let input = Pipe(), output = Pipe()
    first.standardInput = input
    first.standardOutput = output
    first.standardError = FileHandle.nullDevice
    try first.run()
    input.fileHandleForWriting.write(Data("code R002 Q35 utility.safety\n".utf8))
    // Wait for the acknowledgement.
    var seen = Data()
    let deadline = Date().addingTimeInterval(20)
    while !String(decoding: seen, as: UTF8.self).contains("coded"), Date() < deadline {
        seen += output.fileHandleForReading.availableData
    }
    #expect(String(decoding: seen, as: UTF8.self).contains("coded"))
    let second = try Binary.run(["-e", "open \(ws)"])
    #expect(second.status == 1)
    #expect(second.err.contains("is open in another session (trustgap process \(first.processIdentifier)"), "\(second.err)")
    let overwrite = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "save \(ws)"])
    #expect(overwrite.status == 1 && overwrite.err.contains("is open in another session"), "a second session saved over it")
    try input.fileHandleForWriting.close()
    first.waitUntilExit()
    let after = try Binary.run(["--format", "json", "-e", "open \(ws)"])
    #expect(after.status == 0, "\(after.err)")
    #expect(after.out.contains("\"codings\": 1"), "\(after.out)")
}

/// A read-only workspace opens read-only, says so, keeps changes in the session only, and is left unchanged.
@Test func aReadOnlyWorkspaceOpensReadOnly() throws {
    let dir = try tempDir()
    let ws = dir.appendingPathComponent("frozen.tgw").path
    #expect(try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml", "-e", "save \(ws)"]).status == 0)
    try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: ws)
    let before = try Data(contentsOf: URL(fileURLWithPath: ws))
    let r = try InProcess.run(["-e", "open \(ws)", "-e", "code R002 Q35 utility.safety", "-e", "save"])
    #expect(r.out.contains("the file is read-only: it is opened read-only"), "\(r.out)")
    #expect(r.out.contains("coded R002"))
    #expect(r.status == 1 && r.err.contains("the file is read-only; save to a copy"), "\(r.err)")
    #expect(try Data(contentsOf: URL(fileURLWithPath: ws)) == before)
}

/// Cleaning steps are kept in the workspace and named under every table made from the cleaned survey.
@Test func cleaningIsKeptAndNamed() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-clean-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let ws = dir.appendingPathComponent("clean.db").path
    let first = try InProcess.run(["--workspace", ws, "-e", "load survey data/ai4hi/responses.csv", "-e", "filter not Q1 = age_over_60",
                                "-e", "recode Q7 balance_interpretability,balance_performance -> balance --label \"Seek a balance\"", "-e", "crosstab Q7"])
    #expect(first.status == 0, "\(first.err)")
    #expect(first.out.contains("note: cleaned: filter not Q1 = age_over_60; recode Q7 balance_interpretability,balance_performance -> balance ("))
    #expect(first.out.contains("Seek a balance"))
    // Reopened: the same cleaning, the same table.
    let again = try InProcess.run(["--workspace", ws, "-e", "crosstab Q7"])
    #expect(again.status == 0, "\(again.err)")
    #expect(again.out == first.out.components(separatedBy: "Q7: ").last.map { "Q7: " + $0 }, "\(again.out)")
    let cleared = try InProcess.run(["--workspace", ws, "-e", "filter clear", "-e", "groups"])
    #expect(cleared.out.contains("49 of 49 respondents kept") && cleared.out.contains("note: cleaned: recode Q7"))
}
