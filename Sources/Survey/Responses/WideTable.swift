/// The canonical layout every importer produces: a header of column names and one row of text cells per
/// respondent, multi-answer cells as `;`-joined codes. `SurveyLoader` validates it against a questionnaire.
public struct WideTable: Sendable {
    public var path: String
    public var header: [String]
    public var rows: [(line: Int, cells: [String])]
    /// The column holding respondent ids, if the source has one.
    public var idColumn: Int?

    public init(path: String, header: [String], rows: [(line: Int, cells: [String])], idColumn: Int?) {
        self.path = path
        self.header = header
        self.rows = rows
        self.idColumn = idColumn
    }

    /// Builds a table from CSV records whose first record is the header, checking the column count of every row.
    public init(records: [CSVReader.Record], path: String, headerRows: Int = 1) throws {
        guard let first = records.first else { throw SurveyError.emptyFile(path: path) }
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        try Self.checkHeader(header, path: path)
        var rows: [(line: Int, cells: [String])] = []
        for record in records.dropFirst(headerRows) {
            guard record.fields.count == header.count else {
                throw SurveyError.wrongColumnCount(path: path, line: record.line, expected: header.count, found: record.fields.count)
            }
            rows.append((record.line, record.fields))
        }
        self.init(path: path, header: header, rows: rows, idColumn: nil)
    }

    /// The distinct trimmed, non-empty values of the column named `name`, in order of first appearance, with how
    /// often each occurs (what `set Q type` makes a question's answers from); nil when there is no such column.
    public func weightedValues(_ name: String) -> [(value: String, count: Int)]? {
        guard let j = header.firstIndex(of: name) else { return nil }
        var counts: [String: Int] = [:], order: [String] = []
        for row in rows {
            let v = row.cells[j].trimmingCharacters(in: .whitespaces)
            if v.isEmpty { continue }
            if counts[v] == nil { order.append(v) }
            counts[v, default: 0] += 1
        }
        return order.map { ($0, counts[$0] ?? 0) }
    }

    /// Names that tools give the respondent id column, compared without case, spaces, "_" and "-": Qualtrics'
    /// ResponseId, REDCap's record_id, LimeSurvey's id, and the usual others.
    static let idNames: Set<String> = ["id", "respondent", "respondentid", "responseid", "recordid", "participant",
                                       "participantid", "caseid", "subject", "subjectid", "uuid", "token"]

    /// The column that holds the respondent ids when nothing says which: the first one with an id-like name whose
    /// cells are all filled in. An id column inferred as a question once entered `chisq all`
    /// with hundreds of degrees of freedom.
    public func respondentIDColumn() -> Int? {
        for (j, name) in header.enumerated() {
            let key = name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" }
            guard Self.idNames.contains(key) else { continue }
            // Filled in every row; a repeated id is the builder's to report (with both lines), not a reason to read
            // the column as a question.
            if rows.allSatisfy({ !$0.cells[j].trimmingCharacters(in: .whitespaces).isEmpty }) { return j }
        }
        return nil
    }

    /// A header may not name a column twice (ignoring case).
    static func checkHeader(_ header: [String], path: String) throws {
        var seen = Set<String>()
        for h in header where !h.isEmpty {
            if !seen.insert(h.lowercased()).inserted { throw SurveyError.duplicateColumn(path: path, column: h) }
        }
    }
}

import Foundation
