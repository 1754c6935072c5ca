import Foundation
import Testing

/// A folder that arrived from someone else (a zip, a git clone): files and links planted beside a workspace.
private func plantedFolder() throws -> (dir: URL, victim: String) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-links-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let victim = dir.appendingPathComponent("victim.txt").path
    try "precious\n".write(toFile: victim, atomically: false, encoding: .utf8)
    return (dir, victim)
}

private func link(_ name: String, in dir: URL, to target: String) throws {
    try FileManager.default.createSymbolicLink(atPath: dir.appendingPathComponent(name).path, withDestinationPath: target)
}

/// The lock file of a workspace planted as a link to another file: opening, saving and saving anew leave that file
/// as it was (the lock once truncated it and wrote "trustgap process … on …" into it).
@Test func aPlantedLockLinkIsNotFollowed() throws {
    let (dir, victim) = try plantedFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ws = dir.appendingPathComponent("study.tgw").path
    #expect(try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "save \(ws)"]).status == 0)
    try? FileManager.default.removeItem(atPath: dir.appendingPathComponent(".study.tgw.lock").path)
    try link(".study.tgw.lock", in: dir, to: victim)
    try link(".fresh.tgw.lock", in: dir, to: victim)
    let r = try InProcess.run(["-e", "open \(ws)", "-e", "codebook add x", "-e", "save", "-e", "save \(dir.appendingPathComponent("fresh.tgw").path)"])
    #expect(r.status == 0, "\(r.err)")
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "the lock was written through a planted link")
    // A link to a file that does not exist is not followed to create one either.
    let nowhere = dir.appendingPathComponent("nowhere.txt").path
    try link("dangling.tgw", in: dir, to: nowhere)
    let d = try InProcess.run(["--workspace", dir.appendingPathComponent("dangling.tgw").path, "-e", "groups"])
    #expect(!FileManager.default.fileExists(atPath: nowhere), "a file was created through a dangling link")
    _ = d
}

/// Temporary files beside outputs had names anyone could plant beforehand (`.NAME.tmp-PID`, `.NAME.saving-PID`):
/// planted as links under this process's id, they once received the output. Now their names are mkstemp's.
@Test func plantedTemporaryNamesAreNotFollowed() throws {
    let (dir, victim) = try plantedFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let pid = getpid()  // InProcess runs trustgap in this process
    for name in [".log.csv.tmp-\(pid)", ".study.tgw.saving-\(pid)", ".coding.qdpx.tmp-\(pid)", ".frame.qdc.tmp-\(pid)"] {
        try link(name, in: dir, to: victim)
    }
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
                               "-e", "log export \(dir.path)/log.csv", "-e", "save \(dir.path)/study.tgw",
                               "-e", "export project \(dir.path)/coding.qdpx", "-e", "codebook export \(dir.path)/frame.qdc"])
    #expect(r.status == 0, "\(r.err)")
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "an output was written through a planted link")
    for out in ["log.csv", "study.tgw", "coding.qdpx", "frame.qdc"] {
        let attributes = try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(out).path)
        #expect(attributes[.type] as? FileAttributeType == .typeRegular && (attributes[.size] as? Int ?? 0) > 0, "\(out)")
    }
    // No temporary file is left behind.
    let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.contains(".tmp-") || $0.contains(".saving-") }
    #expect(Set(left) == Set([".log.csv.tmp-\(pid)", ".study.tgw.saving-\(pid)", ".coding.qdpx.tmp-\(pid)", ".frame.qdc.tmp-\(pid)"]), "\(left)")
    // The journal SQLite keeps beside a workspace is not followed either (SQLite opens it with O_NOFOLLOW).
    try link("study.tgw-journal", in: dir, to: victim)
    _ = try InProcess.run(["-e", "open \(dir.path)/study.tgw", "-e", "code R002 Q35 utility.safety"])
    #expect(try String(contentsOfFile: victim, encoding: .utf8) == "precious\n", "the journal was written through a planted link")
}

/// The lock is on the database file itself (device and inode): a second name of a workspace held by one session,
/// a symbolic or a hard link, is "open in another session" (a lock per name once let the second name lose an
/// acknowledged coding).
@Test func aSecondNameOfAHeldWorkspaceIsRefused() throws {
    let (dir, _) = try plantedFolder()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ws = dir.appendingPathComponent("shared.tgw").path
    #expect(try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "save \(ws)"]).status == 0)
    try link("alias.tgw", in: dir, to: ws)
    try FileManager.default.linkItem(atPath: ws, toPath: dir.appendingPathComponent("hard.tgw").path)
    let first = Process()
    first.executableURL = URL(fileURLWithPath: Binary.path)
    first.arguments = ["--workspace", ws]
    first.currentDirectoryURL = Binary.root
    let input = Pipe(), output = Pipe()
    first.standardInput = input
    first.standardOutput = output
    first.standardError = FileHandle.nullDevice
    try first.run()
    defer {
        try? input.fileHandleForWriting.close()
        first.waitUntilExit()
    }
    input.fileHandleForWriting.write(Data("codebook add x\n".utf8))
    var seen = Data()
    let deadline = Date().addingTimeInterval(20)
    while !String(decoding: seen, as: UTF8.self).contains("added"), Date() < deadline { seen += output.fileHandleForReading.availableData }
    for name in ["alias.tgw", "hard.tgw"] {
        let second = try Binary.run(["-e", "open \(dir.path)/\(name)"])
        #expect(second.status == 1 && second.err.contains("is open in another session"), "\(name): \(second.err)")
        let overwrite = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "save \(dir.path)/\(name)"])
        #expect(overwrite.status == 1 && overwrite.err.contains("is open in another session"), "\(name): \(overwrite.err)")
    }
    // Through the symbolic link the holder's note is found, and names the process.
    let viaLink = try Binary.run(["-e", "open \(dir.path)/alias.tgw"])
    #expect(viaLink.err.contains("trustgap process \(first.processIdentifier)"), "\(viaLink.err)")
}
