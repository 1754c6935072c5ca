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

    /// A header may not name a column twice (ignoring case).
    static func checkHeader(_ header: [String], path: String) throws {
        var seen = Set<String>()
        for h in header where !h.isEmpty {
            if !seen.insert(h.lowercased()).inserted { throw SurveyError.duplicateColumn(path: path, column: h) }
        }
    }
}

import Foundation
