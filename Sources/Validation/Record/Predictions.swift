import Foundation
import Survey

/// A record's per-case predictions (`predictions_csv`, resolved next to the record): named columns of text cells.
public struct Predictions: Sendable {
    public let path: String
    public let columns: [String]
    public let rows: [[String]]
    public let lines: [Int]
    /// When the file has no `test_set` column, the one test set its rows belong to and why that one (RECORDS.md:
    /// the set whose n equals the row count, else the first internal set). The rows are never judged against another.
    public private(set) var soleTestSet: (id: String, reason: String)?

    /// Where a record's predictions are: next to the record, and inside its folder unless the record allows
    /// otherwise; nil when it names none.
    public static func resolvedPath(for record: ValidationRecord) throws -> String? {
        guard let file = record.predictionsCSV else { return nil }
        let folder = (record.path as NSString).deletingLastPathComponent
        let path = file.hasPrefix("/") ? file : (folder as NSString).appendingPathComponent(file)
        if !record.predictionsOutsideAllowed {
            // Symbolic links resolved on both sides, so a link inside the folder cannot point out of it.
            let root = URL(fileURLWithPath: folder.isEmpty ? "." : folder).resolvingSymlinksInPath().standardizedFileURL.path
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
            guard target.hasPrefix(root.hasSuffix("/") ? root : root + "/") else {
                throw ValidationError.field(path: record.path, jsonPath: "predictions_csv",
                                            message: "\"\(file)\" is outside the record's folder; move it next to the record, or load records … --allow-outside")
            }
        }
        return path
    }

    public static func load(for record: ValidationRecord) throws -> Predictions? {
        guard let path = try resolvedPath(for: record) else { return nil }
        let records: [CSVReader.Record]
        do {
            records = try CSVReader.read(path: path)
        } catch {
            throw ValidationError.predictions(path: path, line: 0, message: "\(error)")
        }
        guard let header = records.first?.fields else { throw ValidationError.predictions(path: path, line: 1, message: "the file is empty") }
        for r in records.dropFirst() where r.fields.count != header.count {
            throw ValidationError.predictions(path: path, line: r.line, message: "expected \(header.count) columns as in the header, found \(r.fields.count)")
        }
        var p = Predictions(path: path, columns: header, rows: records.dropFirst().map(\.fields), lines: records.dropFirst().map(\.line))
        if !header.contains("test_set"), let first = record.testSets.first {
            let n = p.rows.count
            if let match = record.testSets.first(where: { $0.n == n }) {
                p.soleTestSet = (match.id, "the predictions file has no test_set column; its \(n) rows are the \(match.id) test set, whose n is \(n)")
            } else {
                let set = record.testSets.first { $0.kind == "internal" } ?? first
                p.soleTestSet = (set.id, "the predictions file has no test_set column and no test set has its \(n) rows; they are taken as the \(set.id) test set (the first \(set.kind) one)")
            }
        }
        return p
    }

    init(path: String, columns: [String], rows: [[String]], lines: [Int]) {
        self.path = path
        self.columns = columns
        self.rows = rows
        self.lines = lines
    }

    /// Why a figure on this test set and subgroup cannot be recomputed from this file, or nil when it can.
    public func cannotSelect(testSet: String?, subgroup: ValidationRecord.Subgroup?) -> String? {
        if let t = testSet, !t.isEmpty, let sole = soleTestSet, sole.id != t {
            return "cannot recompute: the predictions file holds the \(sole.id) test set only (no test_set column)"
        }
        if let s = subgroup, !columns.contains(s.column ?? s.attribute) {
            return "cannot recompute: the predictions file has no column \(s.column ?? s.attribute) for the subgroup \(s.attribute) = \(s.value)"
                + (s.column == nil ? " (a subgroup may name its column with \"column\")" : "")
        }
        return nil
    }

    public func has(_ column: String) -> Bool { columns.contains(column) }

    /// Row indices for a test set (all rows when the file has no test_set column) and optional subgroup.
    public func select(testSet: String?, subgroup: ValidationRecord.Subgroup?) throws -> [Int] {
        var idx = Array(rows.indices)
        if let t = testSet, let c = columns.firstIndex(of: "test_set") { idx = idx.filter { rows[$0][c] == t } }
        if let t = testSet, !t.isEmpty, let sole = soleTestSet, sole.id != t { return [] }
        if let s = subgroup {
            guard let c = columns.firstIndex(of: s.column ?? s.attribute) else {
                throw ValidationError.predictions(path: path, line: 1, message: "no column \(s.column ?? s.attribute) for the subgroup \(s.attribute) = \(s.value)")
            }
            idx = idx.filter { rows[$0][c] == s.value }
        }
        return idx
    }

    public func numbers(_ column: String, _ idx: [Int]) throws -> [Double] {
        guard let c = columns.firstIndex(of: column) else {
            throw ValidationError.predictions(path: path, line: 1, message: "no column \(column) (columns: \(columns.joined(separator: ", ")))")
        }
        return try idx.map { i in
            guard let v = Double(rows[i][c].trimmingCharacters(in: .whitespaces)), v.isFinite else {
                throw ValidationError.predictions(path: path, line: lines[i], message: "column \(column): \"\(rows[i][c])\" is not a number")
            }
            return v
        }
    }

    public func texts(_ column: String, _ idx: [Int]) throws -> [String] {
        guard let c = columns.firstIndex(of: column) else {
            throw ValidationError.predictions(path: path, line: 1, message: "no column \(column)")
        }
        return idx.map { rows[$0][c] }
    }

    /// 0/1 outcomes.
    public func outcomes(_ column: String, _ idx: [Int]) throws -> [Int] {
        let v = try numbers(column, idx)
        for (k, x) in v.enumerated() where x != 0 && x != 1 {
            throw ValidationError.predictions(path: path, line: lines[idx[k]], message: "column \(column): expected 0 or 1, got \(x)")
        }
        return v.map { Int($0) }
    }
}
