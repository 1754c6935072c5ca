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
    /// The workspace holds something trustgap never writes (a wrong type or NULL in a column, a stored file whose
    /// content does not match its hash, a trigger or view): nothing of it is used. `place` names table, row, column.
    case damaged(path: String, place: String, problem: String)
    /// Another session holds the workspace (see `WorkspaceLock`).
    case locked(path: String, holder: String)
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
    /// Held for as long as the store is attached: one session at a time (nil for a read-only workspace, whose
    /// folder may not even allow the lock file).
    let lock: WorkspaceLock?
    /// The file is not writable: it is opened read-only, and the session's changes are not written to it.
    public let readOnly: Bool

    /// SQLite waits this long for a lock instead of failing at once with "database is locked".
    static func configuration() -> Configuration {
        var c = Configuration()
        c.busyMode = .timeout(5)
        return c
    }

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
        // v3 keeps large files in pieces: SQLite refuses a single value over 1,000,000,000 bytes (SQLITE_TOOBIG),
        // which once crashed saving a survey over 1 GB.
        m.registerMigration("v3-file-chunks") { db in
            try db.create(table: "file_chunk") { t in
                t.column("file_id", .integer).notNull(); t.column("seq", .integer).notNull(); t.column("content", .blob).notNull()
                t.primaryKey(["file_id", "seq"])
            }
        }
        return m
    }

    /// Files larger than this are stored as pieces of this size in `file_chunk` (the `file` row's content is then
    /// empty). 64 MB: far below SQLite's 1 GB value limit, and small enough that no piece needs a second copy.
    public static let defaultChunkBytes = 64 << 20

    /// Opens (creating when missing) and migrates.
    public init(path: String) throws {
        self.path = path
        let exists = FileManager.default.fileExists(atPath: path)
        // No write permission, or no write bit at all (root may write anything, but a file made read-only with chmod
        // a-w is meant to stay as it is).
        let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0o644
        readOnly = exists && (access(path, W_OK) != 0 || mode & 0o222 == 0)
        lock = readOnly ? nil : try WorkspaceLock.acquire(path)
        do {
            let isNew = !exists || (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) == 0
            var configuration = Self.configuration()
            configuration.readonly = readOnly
            queue = try DatabaseQueue(path: path, configuration: configuration)
            if !isNew { try Self.checkIsWorkspace(queue, path: path) }
            let known = try queue.read { db in try Self.migrator.appliedIdentifiers(db) }
            let mine = Set(Self.migrator.migrations)
            if let newer = known.first(where: { !mine.contains($0) }) { throw WorkspaceError.newerVersion(path: path, found: newer) }
            if readOnly {
                // A read-only workspace of an older trustgap is read as it is when what it lacks only adds tables
                // that reading can do without (the pieces of large files).
                guard mine.subtracting(known).isSubset(of: ["v3-file-chunks"]) else {
                    throw WorkspaceError.cannotOpen(path: path, reason: "it was written by an older trustgap and must be migrated, but the file is read-only; open a writable copy")
                }
                return
            }
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

    /// A file that is not empty must already be a trustgap workspace (its `meta` table says so) and hold exactly the
    /// tables and columns trustgap writes (`WorkspaceSchema`): no triggers or views, which would run code of someone
    /// else's on every write, and no generated or extra columns, which would run it on every read. Checked before
    /// anything is migrated, so a foreign SQLite file is refused without being modified.
    static func checkIsWorkspace(_ queue: DatabaseQueue, path: String) throws {
        try queue.read { db in
            let executable = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')") ?? 0
            if executable > 0 {
                throw WorkspaceError.damaged(path: path, place: "sqlite_master", problem: "it holds \(executable) trigger(s) or view(s), which trustgap never writes")
            }
            let hasMeta = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'") ?? 0
            guard hasMeta > 0 else { throw WorkspaceError.notAWorkspace(path: path) }
            try WorkspaceSchema.check(db, path: path)
            let format = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'format' AND typeof(value) = 'text'")
            guard format == "trustgap-workspace" else { throw WorkspaceError.notAWorkspace(path: path) }
        }
    }

    public func load() throws -> WorkspaceSnapshot {
        let path = self.path
        return try queue.read { db in
            var s = WorkspaceSnapshot()
            var fileRow = 0
            s.files = try Row.fetchAll(db, sql: "SELECT id, kind, path, sha256, content, options FROM file ORDER BY id").map { row in
                fileRow += 1
                let cell = CellReader(path: path, table: "file", row: fileRow, values: row)
                var content = try cell.blob("content")
                if content.isEmpty, let id = try cell.optionalInt("id") { content = try Self.chunks(of: id, fileRow: fileRow, db, path: path) ?? content }
                let file = WorkspaceSnapshot.File(kind: try cell.text("kind"), path: try cell.text("path"), sha256: try cell.text("sha256"),
                                                  content: content, options: try cell.text("options"))
                // The hash names the stored file on disk when it is opened again: only 64 hex digits, and only the
                // hash of the content itself, are accepted.
                guard file.sha256.utf8.count == 64, file.sha256.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
                    throw WorkspaceError.damaged(path: path, place: "file row \(fileRow), column sha256", problem: "not a SHA-256 digest (64 hex digits)")
                }
                guard WorkspaceSnapshot.sha256(file.content) == file.sha256 else {
                    throw WorkspaceError.damaged(path: path, place: "file row \(fileRow), column content", problem: "the content does not match its SHA-256")
                }
                return file
            }
            var k = 0
            s.codes = try Row.fetchAll(db, sql: "SELECT id, name, definition, include, exclude, example, colour, parent, codable, memo FROM code ORDER BY position").map { row in
                k += 1
                let c = CellReader(path: path, table: "code", row: k, values: row)
                return .init(id: try c.text("id"), name: try c.text("name"), definition: try c.text("definition"), include: try c.text("include"),
                             exclude: try c.text("exclude"), example: try c.text("example"), colour: try c.text("colour"),
                             parent: try c.optionalText("parent"), codable: try c.bool("codable"), memo: try c.text("memo"))
            }
            k = 0
            s.codings = try Row.fetchAll(db, sql: "SELECT respondent, question, code, coder, start, \"end\" FROM coding ORDER BY rowid").map { row in
                k += 1
                let c = CellReader(path: path, table: "coding", row: k, values: row)
                return .init(respondent: try c.text("respondent"), question: try c.text("question"), code: try c.text("code"),
                             coder: try c.text("coder"), start: try c.optionalInt("start"), end: try c.optionalInt("end"))
            }
            k = 0
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM setting") {
                k += 1
                let c = CellReader(path: path, table: "setting", row: k, values: row)
                s.settings[try c.text("key")] = try c.text("value")
            }
            k = 0
            s.history = try Row.fetchAll(db, sql: "SELECT command FROM history ORDER BY id").map { row in
                k += 1
                return try CellReader(path: path, table: "history", row: k, values: row).text("command")
            }
            k = 0
            s.log = try Row.fetchAll(db, sql: "SELECT time, command, input_hashes, result_digest, status FROM log ORDER BY id").map { row in
                k += 1
                let c = CellReader(path: path, table: "log", row: k, values: row)
                return .init(time: try c.text("time"), command: try c.text("command"), inputHashes: try c.text("input_hashes"),
                             resultDigest: try c.text("result_digest"), status: try c.text("status"))
            }
            return s
        }
    }

    /// Appends a history line and a log entry (committed at once).
    public func append(command: String, log entry: WorkspaceSnapshot.LogEntry?) throws {
        do {
            try queue.write { db in
                try Self.insert(history: [command], db)
                try Self.insert(log: entry.map { [$0] } ?? [], db)
            }
        } catch { throw WorkspaceError.cannotSave(path: path, reason: "\(error)") }
    }

    // The rows of each part, as `save`, `apply` and `append` write them.
    static func insert(history: [String], _ db: Database) throws {
        for h in history { try db.execute(sql: "INSERT INTO history(command) VALUES (?)", arguments: [h]) }
    }

    static func insert(log: [WorkspaceSnapshot.LogEntry], _ db: Database) throws {
        for e in log {
            try db.execute(sql: "INSERT INTO log(time, command, input_hashes, result_digest, status) VALUES (?, ?, ?, ?, ?)",
                           arguments: [e.time, e.command, e.inputHashes, e.resultDigest, e.status])
        }
    }

    static func insert(files: [WorkspaceSnapshot.File], _ db: Database, chunkBytes: Int = defaultChunkBytes) throws {
        for f in files {
            let whole = f.content.count <= chunkBytes
            try db.execute(sql: "INSERT INTO file(kind, path, sha256, content, options) VALUES (?,?,?,?,?)",
                           arguments: [f.kind, f.path, f.sha256, whole ? f.content : Data(), f.options])
            guard !whole else { continue }
            let id = db.lastInsertedRowID
            var seq = 0, offset = f.content.startIndex
            while offset < f.content.endIndex {
                let end = min(offset + chunkBytes, f.content.endIndex)
                try db.execute(sql: "INSERT INTO file_chunk(file_id, seq, content) VALUES (?, ?, ?)", arguments: [id, seq, f.content[offset..<end]])
                seq += 1
                offset = end
            }
        }
    }

    /// The pieces of a stored file, joined, or nil when it has none. Pieces must be numbered 0, 1, 2, … without a
    /// gap: a workspace is a file from someone else.
    static func chunks(of id: Int, fileRow: Int, _ db: Database, path: String) throws -> Data? {
        guard try db.tableExists("file_chunk") else { return nil }
        var joined = Data(), expected = 0
        for row in try Row.fetchAll(db, sql: "SELECT seq, content FROM file_chunk WHERE file_id = ? ORDER BY seq", arguments: [id]) {
            let cell = CellReader(path: path, table: "file_chunk", row: expected + 1, values: row)
            guard try cell.optionalInt("seq") == expected else {
                throw WorkspaceError.damaged(path: path, place: "file row \(fileRow), piece \(expected)", problem: "the pieces of the file are not numbered 0, 1, 2, … without a gap")
            }
            joined.append(try cell.blob("content"))
            expected += 1
        }
        return expected == 0 ? nil : joined
    }

    static func insert(codes: [WorkspaceSnapshot.CodeRow], _ db: Database) throws {
        for (k, c) in codes.enumerated() {
            try db.execute(sql: "INSERT INTO code(position, id, name, definition, include, exclude, example, colour, parent, codable, memo) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                           arguments: [k, c.id, c.name, c.definition, c.include, c.exclude, c.example, c.colour, c.parent, c.codable, c.memo])
        }
    }

    static func insert(codings: [WorkspaceSnapshot.CodingRow], _ db: Database) throws {
        for c in codings {
            try db.execute(sql: "INSERT INTO coding(respondent, question, code, coder, start, end) VALUES (?,?,?,?,?,?)",
                           arguments: [c.respondent, c.question, c.code, c.coder, c.start, c.end])
        }
    }

    static func insert(settings: [String: String], _ db: Database) throws {
        for (k, v) in settings { try db.execute(sql: "INSERT INTO setting(key, value) VALUES (?, ?)", arguments: [k, v]) }
    }

    /// What one command changed, for `apply`: only these parts are written.
    public struct Change: Sendable {
        /// The loaded files, when they changed (their contents are written again).
        public var files: [WorkspaceSnapshot.File]?
        public var codes: [WorkspaceSnapshot.CodeRow]?
        /// Codings: how many of the stored ones stay (a common prefix), and the ones after them.
        public var codings: (keep: Int, add: [WorkspaceSnapshot.CodingRow])?
        public var settings: [String: String]?

        public init(files: [WorkspaceSnapshot.File]? = nil, codes: [WorkspaceSnapshot.CodeRow]? = nil,
                    codings: (keep: Int, add: [WorkspaceSnapshot.CodingRow])? = nil, settings: [String: String]? = nil) {
            self.files = files; self.codes = codes; self.codings = codings; self.settings = settings
        }

        public var isEmpty: Bool { files == nil && codes == nil && codings == nil && settings == nil }
    }

    /// Writes what a command changed, and nothing else, in one transaction: a coding adds one row, instead of the
    /// whole state (a coding on a workspace holding a 154 MB survey once took 3.5 s to rewrite it).
    public func apply(_ change: Change) throws {
        guard !change.isEmpty else { return }
        do {
            try queue.write { db in
                if let files = change.files {
                    try db.execute(sql: "DELETE FROM file_chunk")
                    try db.execute(sql: "DELETE FROM file")
                    try Self.insert(files: files, db)
                }
                if let codes = change.codes {
                    try db.execute(sql: "DELETE FROM code")
                    try Self.insert(codes: codes, db)
                }
                if let codings = change.codings {
                    try db.execute(sql: "DELETE FROM coding WHERE rowid IN (SELECT rowid FROM coding ORDER BY rowid LIMIT -1 OFFSET ?)", arguments: [codings.keep])
                    try Self.insert(codings: codings.add, db)
                }
                if let settings = change.settings {
                    try db.execute(sql: "DELETE FROM setting")
                    try Self.insert(settings: settings, db)
                }
            }
        } catch { throw WorkspaceError.cannotSave(path: path, reason: "\(error)") }
    }

    /// Writes a complete snapshot to `path` atomically: a new database beside it, fsynced by SQLite on commit, then
    /// renamed over the old one. A crash before the rename leaves the old workspace; after it, the new one. The new
    /// file is made by `mkstemp` (a name nobody can plant a link under beforehand, created with O_EXCL) and locked
    /// before it is written; the lock moves with it into place and is returned, so whoever opens it next in this
    /// process shares it and no other session can take the new file in between.
    @discardableResult
    public static func save(_ s: WorkspaceSnapshot, to path: String, chunkBytes: Int = defaultChunkBytes) throws -> WorkspaceLock {
        let url = URL(fileURLWithPath: path)
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch { throw WorkspaceError.cannotSave(path: path, reason: "\(error)") }
        // Another session's workspace is not written over (this process's own lock is shared).
        let existing: WorkspaceLock?
        let fresh: WorkspaceLock
        var tmp = ""
        do {
            existing = FileManager.default.fileExists(atPath: path) ? try WorkspaceLock.acquire(path) : nil
            var template = Array(url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).saving-XXXXXX").path.utf8CString)
            let fd = mkstemp(&template)
            guard fd >= 0 else { throw WorkspaceError.cannotSave(path: path, reason: String(cString: strerror(errno))) }
            tmp = String(cString: template)
            // mkstemp makes the file 0600; a workspace gets the mode any new file of the user gets.
            let mask = umask(0)
            umask(mask)
            fchmod(fd, 0o666 & ~mask)
            fresh = try WorkspaceLock.lock(fd: fd, path: path)
        } catch WorkspaceError.cannotOpen(_, let reason) {
            if !tmp.isEmpty { unlink(tmp) }
            throw WorkspaceError.cannotSave(path: path, reason: reason)
        }
        defer { withExtendedLifetime(existing) {} }
        do {
            let queue = try DatabaseQueue(path: tmp, configuration: configuration())
            try migrator.migrate(queue)
            try queue.write { db in
                try db.execute(sql: "INSERT OR REPLACE INTO meta(key, value) VALUES ('format', 'trustgap-workspace')")
                try insert(files: s.files, db, chunkBytes: chunkBytes)
                try insert(codes: s.codes, db)
                try insert(codings: s.codings, db)
                try insert(settings: s.settings, db)
                try insert(history: s.history, db)
                try insert(log: s.log, db)
            }
            try queue.close()
            guard rename(tmp, path) == 0 else { throw WorkspaceError.cannotSave(path: path, reason: String(cString: strerror(errno))) }
            return fresh
        } catch let e as WorkspaceError {
            unlink(tmp)
            throw e
        } catch {
            unlink(tmp)
            throw WorkspaceError.cannotSave(path: path, reason: "\(error)")
        }
    }
}

/// Reads the cells of one stored row with a typed error instead of GRDB's trap on a NULL or a wrong type: a
/// workspace is a file from someone else.
private struct CellReader {
    let path: String
    let table: String
    let row: Int
    let values: Row

    private func damaged(_ column: String, _ problem: String) -> WorkspaceError {
        .damaged(path: path, place: "\(table) row \(row), column \(column)", problem: problem)
    }

    private func value(_ column: String) throws -> DatabaseValue {
        guard values.hasColumn(column) else { throw damaged(column, "the column is missing") }
        return values[column]
    }

    func text(_ column: String) throws -> String {
        guard case .string(let s) = try value(column).storage else { throw damaged(column, "expected text") }
        return s
    }

    func optionalText(_ column: String) throws -> String? {
        switch try value(column).storage {
        case .null: return nil
        case .string(let s): return s
        default: throw damaged(column, "expected text or NULL")
        }
    }

    func blob(_ column: String) throws -> Data {
        switch try value(column).storage {
        case .blob(let d): return d
        case .string(let s): return Data(s.utf8)
        default: throw damaged(column, "expected file content")
        }
    }

    func bool(_ column: String) throws -> Bool {
        guard case .int64(let v) = try value(column).storage, v == 0 || v == 1 else { throw damaged(column, "expected 0 or 1") }
        return v == 1
    }

    func optionalInt(_ column: String) throws -> Int? {
        switch try value(column).storage {
        case .null: return nil
        case .int64(let v): return Int(exactly: v)
        default: throw damaged(column, "expected a whole number or NULL")
        }
    }
}
