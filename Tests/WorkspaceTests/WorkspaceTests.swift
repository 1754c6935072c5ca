import Foundation
import GRDB
import Testing
@testable import Workspace

private func tempPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ws-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

private func sample() -> WorkspaceSnapshot {
    var s = WorkspaceSnapshot()
    let data = Data("respondent,Q7\nR1,balance_performance\n".utf8)
    s.files = [.init(kind: "survey", path: "data/x.csv", sha256: WorkspaceSnapshot.sha256(data), content: data, options: "{}")]
    s.codes = [.init(id: "t", name: "Theme", definition: "", include: "", exclude: "", example: "", colour: "#112233", parent: nil, codable: false, memo: ""),
               .init(id: "t.c", name: "Code", definition: "d", include: "i", exclude: "e", example: "x", colour: "#445566", parent: "t", codable: true, memo: "m")]
    s.codings = [.init(respondent: "R1", question: "Q35", code: "t.c", coder: "a", start: 3, end: 9)]
    s.settings = ["optional_groups": "mixed"]
    s.history = ["load survey data/x.csv"]
    s.log = [.init(time: "2026-11-23T00:00:00Z", command: "load survey data/x.csv", inputHashes: "h", resultDigest: "d", status: "ok")]
    return s
}

@Test func saveAndLoadRoundTrip() throws {
    let path = tempPath("w.tgw")
    try WorkspaceStore.save(sample(), to: path)
    #expect(try WorkspaceStore(path: path).load() == sample())
    #expect(WorkspaceSnapshot.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}

@Test func anOlderWorkspaceIsMigrated() throws {
    let path = tempPath("old.tgw")
    // A workspace as version 1 wrote it: no analysis log table.
    let queue = try DatabaseQueue(path: path)
    try WorkspaceStore.migrator.migrate(queue, upTo: "v1")
    try queue.write { db in
        // trustgap has always marked its workspaces in `meta` (a SQLite file without the mark is refused).
        try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('format', 'trustgap-workspace')")
        try db.execute(sql: "INSERT INTO coding(respondent, question, code, coder, start, end) VALUES ('R1', 'Q35', 'x', 'a', NULL, NULL)")
        try db.execute(sql: "INSERT INTO history(command) VALUES ('code R1 Q35 x')")
    }
    try queue.close()
    let store = try WorkspaceStore(path: path)
    let s = try store.load()
    #expect(s.codings.count == 1 && s.history == ["code R1 Q35 x"] && s.log.isEmpty)
    try store.append(command: "log", log: .init(time: "t", command: "log", inputHashes: "", resultDigest: "", status: "ok"))
    #expect(try store.load().log.count == 1)
}

@Test func badPathsGiveErrorsNotFiles() throws {
    #expect(throws: WorkspaceError.self) { try WorkspaceStore.save(sample(), to: "/proc/trustgap-cannot-write/w.tgw") }
    let notDB = tempPath("notes.txt")
    try "just text, not a database".write(toFile: notDB, atomically: true, encoding: .utf8)
    #expect(throws: WorkspaceError.self) { try WorkspaceStore(path: notDB) }
}

/// A survey larger than one SQLite value (1,000,000,000 bytes) is kept in pieces; here with 1,000-byte pieces.
@Test func largeFilesAreStoredInPiecesAndCheckedWhenRead() throws {
    let path = tempPath("big.tgw")
    var s = sample()
    let data = Data((0..<10_500).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    s.files.append(.init(kind: "survey", path: "data/big.sav", sha256: WorkspaceSnapshot.sha256(data), content: data, options: "{}"))
    try WorkspaceStore.save(s, to: path, chunkBytes: 1_000)
    let queue = try DatabaseQueue(path: path)
    #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM file_chunk") } == 11)
    #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT max(length(content)) FROM file") } == sample().files[0].content.count)
    try queue.close()
    #expect(try WorkspaceStore(path: path).load() == s)

    // A missing piece is damage, named, not a short file.
    let queue2 = try DatabaseQueue(path: path)
    try queue2.write { db in try db.execute(sql: "DELETE FROM file_chunk WHERE seq = 4") }
    try queue2.close()
    #expect(throws: WorkspaceError.damaged(path: path, place: "file row 2, piece 4", problem: "the pieces of the file are not numbered 0, 1, 2, … without a gap")) {
        try WorkspaceStore(path: path).load()
    }
}
