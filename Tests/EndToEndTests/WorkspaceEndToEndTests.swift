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
        p.currentDirectoryURL = Binary.root
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
    p.currentDirectoryURL = Binary.root
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
    let r = try Binary.run(["--workspace", text, "-e", "groups"])
    #expect(r.status == 1 && r.err.contains("not a trustgap workspace"), "\(r.err)")
    let s = try Binary.run(["-e", "save /proc/trustgap-nowhere/w.tgw"])
    #expect(s.status == 1 && s.err.contains("cannot save the workspace"))
}
