import Foundation
import GRDB

/// The tables and columns trustgap writes, and the check that a workspace holds nothing else. A 64 KB workspace
/// whose `coding` table had a column `GENERATED ALWAYS AS (zeroblob(400000000))` once took 5.5 GB and crashed when its
/// rows were read; only triggers and views were refused then. The reference is made by running the migrations on an
/// empty database in memory, so it is the schema this trustgap writes, never a second list kept by hand.
enum WorkspaceSchema {
    /// One column as `PRAGMA table_xinfo` describes it; `hidden` is 2 or 3 for generated columns.
    struct Column: Equatable {
        let name: String
        let type: String
        let notNull: Bool
        let defaultValue: String?
        let primaryKey: Int
        let hidden: Int

        var described: String {
            "\(name) \(type.isEmpty ? "(no type)" : type)\(notNull ? " NOT NULL" : "")\(primaryKey > 0 ? " PRIMARY KEY" : "")"
                + (hidden != 0 ? " (generated or hidden)" : "") + (defaultValue.map { " DEFAULT \($0)" } ?? "")
        }
    }

    /// Tables SQLite and GRDB keep for themselves beside trustgap's.
    static let bookkeeping: Set<String> = ["sqlite_sequence", "grdb_migrations"]

    /// Every table of the newest schema, by name, with its columns in order.
    static let reference: [String: [Column]] = {
        do {
            let queue = try DatabaseQueue()
            try WorkspaceStore.migrator.migrate(queue)
            return try queue.read { db in try tables(db) }
        } catch {
            // The migrations are trustgap's own and run on an empty database in memory: they cannot fail but by a bug.
            preconditionFailure("the workspace migrations do not run on an empty database: \(error)")
        }
    }()

    static func tables(_ db: Database) throws -> [String: [Column]] {
        var out: [String: [Column]] = [:]
        for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") where !name.hasPrefix("sqlite_") || name == "sqlite_sequence" {
            out[name] = try columns(of: name, db)
        }
        return out
    }

    static func columns(of table: String, _ db: Database) throws -> [Column] {
        try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)", arguments: [table]).map { row in
            Column(name: (row[0] as String?) ?? "", type: ((row[1] as String?) ?? "").uppercased(), notNull: ((row[2] as Int64?) ?? 0) != 0,
                   defaultValue: row[3] as String?, primaryKey: Int((row[4] as Int64?) ?? 0), hidden: Int((row[5] as Int64?) ?? 0))
        }
    }

    /// Refuses, before anything is read or migrated, a workspace holding a table, column, index or constraint that
    /// trustgap does not write. Tables of a newer migration may be missing (an older workspace, migrated later);
    /// a table that is there must have exactly the reference's columns, in order, with their types.
    static func check(_ db: Database, path: String) throws {
        func refuse(_ place: String, _ problem: String) -> WorkspaceError { .damaged(path: path, place: place, problem: problem) }
        let reference = Self.reference
        for row in try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master") {
            let type: String = (row[0] as String?) ?? "", name: String = (row[1] as String?) ?? "", sql: String = (row[2] as String?) ?? ""
            switch type {
            case "table":
                guard let expected = reference[name] else {
                    throw refuse("table \(name)", "trustgap never writes this table")
                }
                guard !sql.uppercased().hasPrefix("CREATE VIRTUAL") else { throw refuse("table \(name)", "a virtual table, which trustgap never writes") }
                // CHECK constraints are not in table_xinfo, and would run an expression of someone else's on every write.
                guard sql.range(of: #"\bcheck\s*\("#, options: [.regularExpression, .caseInsensitive]) == nil else {
                    throw refuse("table \(name)", "a CHECK constraint, which trustgap never writes")
                }
                let found = try columns(of: name, db)
                for (k, column) in found.enumerated() {
                    guard k < expected.count else { throw refuse("table \(name), column \(column.name)", "an extra column, which trustgap never writes") }
                    guard column == expected[k] else {
                        throw refuse("table \(name), column \(k + 1)", "\(column.described), where trustgap writes \(expected[k].described)")
                    }
                }
                if found.count < expected.count { throw refuse("table \(name), column \(expected[found.count].name)", "the column is missing") }
            case "index":
                // Indexes SQLite makes for primary keys have no SQL; any other index was made by someone else.
                guard sql.isEmpty else { throw refuse("index \(name)", "an index trustgap never writes") }
            default:
                throw refuse("sqlite_master", "it holds a \(type) (\(name)), which trustgap never writes")
            }
        }
    }
}
