import Crypto
import Foundation
import GRDB

/// Errors of the workspace, worded by the console.
public enum WorkspaceError: Error, Equatable, Sendable {
    case cannotOpen(path: String, reason: String)
    case cannotSave(path: String, reason: String)
    case notAWorkspace(path: String)
    case newerVersion(path: String, found: String)
    /// A file the session loaded changed (or went) before its content could be kept.
    case sourceChanged(path: String)
}

/// What a workspace keeps, independent of the console: source files with content hashes, codes, codings, settings,
/// the command history and the analysis log.
public struct WorkspaceSnapshot: Sendable, Equatable {
    public struct File: Sendable, Equatable {
        public var kind: String      // "survey", "questionnaire", "record", "predictions"
        public var path: String
        public var sha256: String
        public var content: Data
        public var options: String   // load options (JSON), e.g. --group
        public init(kind: String, path: String, sha256: String, content: Data, options: String) {
            self.kind = kind; self.path = path; self.sha256 = sha256; self.content = content; self.options = options
        }
    }
    public struct CodeRow: Sendable, Equatable {
        public var id, name, definition, include, exclude, example, colour: String
        public var parent: String?
        public var codable: Bool
        public var memo: String
        public init(id: String, name: String, definition: String, include: String, exclude: String, example: String, colour: String,
                    parent: String?, codable: Bool, memo: String) {
            self.id = id; self.name = name; self.definition = definition; self.include = include; self.exclude = exclude
            self.example = example; self.colour = colour; self.parent = parent; self.codable = codable; self.memo = memo
        }
    }
    public struct CodingRow: Sendable, Equatable, Hashable {
        public var respondent, question, code, coder: String
        public var start, end: Int?
        public init(respondent: String, question: String, code: String, coder: String, start: Int?, end: Int?) {
            self.respondent = respondent; self.question = question; self.code = code; self.coder = coder; self.start = start; self.end = end
        }
    }
    public struct LogEntry: Sendable, Equatable {
        public var time: String
        public var command: String
        public var inputHashes: String
        public var resultDigest: String
        public var status: String
        public init(time: String, command: String, inputHashes: String, resultDigest: String, status: String) {
            self.time = time; self.command = command; self.inputHashes = inputHashes; self.resultDigest = resultDigest; self.status = status
        }
    }

    public var files: [File] = []
    public var codes: [CodeRow] = []
    public var codings: [CodingRow] = []
    public var settings: [String: String] = [:]
    public var history: [String] = []
    public var log: [LogEntry] = []

    public init() {}

    public static func sha256(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}

/// SHA-256 fed block by block, so a file is hashed in the same pass that reads it.
public struct StreamingSHA256 {
    private var hasher = SHA256()
    public init() {}
    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }
    public func hex() -> String { hasher.finalize().map { String(format: "%02x", $0) }.joined() }
}

/// The SQLite workspace (GRDB). Versioned migrations: opening a workspace written by an older trustgap migrates it.
/// `save` writes the whole snapshot into a temporary database beside the target and renames it into place, so a
/// killed process leaves either the old or the new workspace, never a mix. While a workspace is attached, coding
/// actions and log entries are committed as they happen (`append`).
public final class WorkspaceStore: @unchecked Sendable {
    public let path: String
    let queue: DatabaseQueue

    public static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.create(table: "meta") { t in t.column("key", .text).primaryKey(); t.column("value", .text).notNull() }
            try db.create(table: "file") { t in
                t.autoIncrementedPrimaryKey("id"); t.column("kind", .text).notNull(); t.column("path", .text).notNull()
                t.column("sha256", .text).notNull(); t.column("content", .blob).notNull(); t.column("options", .text).notNull()
            }
            try db.create(table: "code") { t in
                t.column("position", .integer).notNull(); t.column("id", .text).primaryKey(); t.column("name", .text).notNull()
                t.column("definition", .text).notNull(); t.column("include", .text).notNull(); t.column("exclude", .text).notNull()
                t.column("example", .text).notNull(); t.column("colour", .text).notNull(); t.column("parent", .text)
                t.column("codable", .boolean).notNull(); t.column("memo", .text).notNull()
            }
            try db.create(table: "coding") { t in
                t.autoIncrementedPrimaryKey("rowid"); t.column("respondent", .text).notNull(); t.column("question", .text).notNull()
                t.column("code", .text).notNull(); t.column("coder", .text).notNull(); t.column("start", .integer); t.column("end", .integer)
            }
            try db.create(table: "setting") { t in t.column("key", .text).primaryKey(); t.column("value", .text).notNull() }
            try db.create(table: "history") { t in t.autoIncrementedPrimaryKey("id"); t.column("command", .text).notNull() }
        }
        // v2 added the analysis log; a v1 workspace gains an empty log when opened.
        m.registerMigration("v2-analysis-log") { db in
            try db.create(table: "log") { t in
                t.autoIncrementedPrimaryKey("id"); t.column("time", .text).notNull(); t.column("command", .text).notNull()
                t.column("input_hashes", .text).notNull(); t.column("result_digest", .text).notNull(); t.column("status", .text).notNull()
            }
        }
        return m
    }

    /// Opens (creating when missing) and migrates.
    public init(path: String) throws {
        self.path = path
        do {
            queue = try DatabaseQueue(path: path)
            let known = try queue.read { db in try Self.migrator.appliedIdentifiers(db) }
            let mine = Set(Self.migrator.migrations)
            if let newer = known.first(where: { !mine.contains($0) }) { throw WorkspaceError.newerVersion(path: path, found: newer) }
            try Self.migrator.migrate(queue)
            try queue.write { db in try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('format', 'trustgap-workspace')") }
        } catch let e as WorkspaceError {
            throw e
        } catch let e as DatabaseError where e.resultCode == .SQLITE_NOTADB {
            throw WorkspaceError.notAWorkspace(path: path)
        } catch {
            throw WorkspaceError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    public func load() throws -> WorkspaceSnapshot {
        try queue.read { db in
            var s = WorkspaceSnapshot()
            s.files = try Row.fetchAll(db, sql: "SELECT kind, path, sha256, content, options FROM file ORDER BY id").map {
                .init(kind: $0["kind"], path: $0["path"], sha256: $0["sha256"], content: $0["content"], options: $0["options"])
            }
            s.codes = try Row.fetchAll(db, sql: "SELECT * FROM code ORDER BY position").map {
                .init(id: $0["id"], name: $0["name"], definition: $0["definition"], include: $0["include"], exclude: $0["exclude"],
                      example: $0["example"], colour: $0["colour"], parent: $0["parent"], codable: $0["codable"], memo: $0["memo"])
            }
            s.codings = try Row.fetchAll(db, sql: "SELECT * FROM coding ORDER BY rowid").map {
                .init(respondent: $0["respondent"], question: $0["question"], code: $0["code"], coder: $0["coder"], start: $0["start"], end: $0["end"])
            }
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") { s.settings[row["key"]] = row["value"] }
            s.history = try String.fetchAll(db, sql: "SELECT command FROM history ORDER BY id")
            s.log = try Row.fetchAll(db, sql: "SELECT * FROM log ORDER BY id").map {
                .init(time: $0["time"], command: $0["command"], inputHashes: $0["input_hashes"], resultDigest: $0["result_digest"], status: $0["status"])
            }
            return s
        }
    }

    /// Replaces the stored codes and codings (one transaction: committed as the coding action happens).
    public func replaceCoding(codes: [WorkspaceSnapshot.CodeRow], codings: [WorkspaceSnapshot.CodingRow]) throws {
        do {
            try queue.write { db in try Self.writeCoding(db, codes: codes, codings: codings) }
        } catch { throw WorkspaceError.cannotSave(path: path, reason: "\(error)") }
    }

    /// Appends a history line and a log entry (committed at once).
    public func append(command: String, log entry: WorkspaceSnapshot.LogEntry?) throws {
        do {
            try queue.write { db in
                try db.execute(sql: "INSERT INTO history(command) VALUES (?)", arguments: [command])
                if let e = entry {
                    try db.execute(sql: "INSERT INTO log(time, command, input_hashes, result_digest, status) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [e.time, e.command, e.inputHashes, e.resultDigest, e.status])
                }
            }
        } catch { throw WorkspaceError.cannotSave(path: path, reason: "\(error)") }
    }

    static func writeCoding(_ db: Database, codes: [WorkspaceSnapshot.CodeRow], codings: [WorkspaceSnapshot.CodingRow]) throws {
        try db.execute(sql: "DELETE FROM code")
        try db.execute(sql: "DELETE FROM coding")
        for (k, c) in codes.enumerated() {
            try db.execute(sql: "INSERT INTO code(position, id, name, definition, include, exclude, example, colour, parent, codable, memo) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           arguments: [k, c.id, c.name, c.definition, c.include, c.exclude, c.example, c.colour, c.parent, c.codable, c.memo])
        }
        for c in codings {
            try db.execute(sql: "INSERT INTO coding(respondent, question, code, coder, start, end) VALUES (?,?,?,?,?,?)",
                           arguments: [c.respondent, c.question, c.code, c.coder, c.start, c.end])
        }
    }

    /// Replaces the files, codes, codings and settings in one transaction (SQLite commits it durably), after a command
    /// changed them; history and log are appended separately.
    public func sync(_ s: WorkspaceSnapshot) throws {
        do {
            try queue.write { db in
                try db.execute(sql: "DELETE FROM file")
                for f in s.files {
                    try db.execute(sql: "INSERT INTO file(kind, path, sha256, content, options) VALUES (?,?,?,?,?)", arguments: [f.kind, f.path, f.sha256, f.content, f.options])
                }
                try Self.writeCoding(db, codes: s.codes, codings: s.codings)
                try db.execute(sql: "DELETE FROM setting")
                for (k, v) in s.settings { try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?)", arguments: [k, v]) }
            }
        } catch { throw WorkspaceError.cannotSave(path: path, reason: "\(error)") }
    }

    /// Writes a complete snapshot to `path` atomically: a new database beside it, fsynced by SQLite on commit, then
    /// renamed over the old one. A crash before the rename leaves the old workspace; after it, the new one.
    public static func save(_ s: WorkspaceSnapshot, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).saving-\(getpid())").path
        try? FileManager.default.removeItem(atPath: tmp)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let queue = try DatabaseQueue(path: tmp)
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('format', 'trustgap-workspace')")
                for f in s.files {
                    try db.execute(sql: "INSERT INTO file(kind, path, sha256, content, options) VALUES (?,?,?,?,?)", arguments: [f.kind, f.path, f.sha256, f.content, f.options])
                }
                try writeCoding(db, codes: s.codes, codings: s.codings)
                for (k, v) in s.settings { try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?)", arguments: [k, v]) }
                for h in s.history { try db.execute(sql: "INSERT INTO history(command) VALUES (?)", arguments: [h]) }
                for e in s.log {
                    try db.execute(sql: "INSERT INTO log(time, command, input_hashes, result_digest, status) VALUES (?, ?, ?, ?, ?)",
                                   arguments: [e.time, e.command, e.inputHashes, e.resultDigest, e.status])
                }
            }
            try queue.close()
            guard rename(tmp, path) == 0 else { throw WorkspaceError.cannotSave(path: path, reason: String(cString: strerror(errno))) }
        } catch let e as WorkspaceError {
            try? FileManager.default.removeItem(atPath: tmp)
            throw e
        } catch {
            try? FileManager.default.removeItem(atPath: tmp)
            throw WorkspaceError.cannotSave(path: path, reason: "\(error)")
        }
    }
}
