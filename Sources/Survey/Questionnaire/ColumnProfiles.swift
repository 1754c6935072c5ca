import Foundation

/// What inference needs to know of each column of a plain file, gathered in one streaming pass without keeping the
/// file: each column's distinct values with their counts (up to `distinctLimit`; a column with more is free text
/// or numbers, never categories), how many cells are filled, whether an id-like column is unique, and, while a
/// column keeps all its distinct values, each row's index into them. When that covers every column (and none is open
/// text) the answers are built from the profiles (`survey(for:path:)`); otherwise the file is read a second time
/// straight into the answer columns with the inferred questionnaire, as a file with a questionnaire is.
///
/// Measured on a generic 1,000,000-row, 30-column CSV (216 MB): reading it whole into text rows first, then
/// inferring and converting, took 34 s and 1.6 GB; one streaming pass takes about 1 s (BENCHMARKS.md).
struct ColumnProfiles {
    /// Below UInt16's range: a column's per-row indices fit two bytes.
    static let distinctLimit = 20_000

    let header: [String]
    private let columns: [ColumnProfile]
    private(set) var rows = 0
    /// The line each row starts on: with the columns' per-row indices, enough to build the answers without reading
    /// the file again (`survey(for:path:)`).
    private var lines: [Int32] = []

    init(header: [String]) {
        self.header = header
        columns = header.map { name in
            ColumnProfile(idLike: WideTable.idNames.contains(name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" }))
        }
    }

    /// Profiles records `first...` of the batch (every record has the header's number of fields). Columns are
    /// independent tasks, shared out among the cores as `ResponseTableBuilder.add` does.
    mutating func add(_ batch: CSVReader.RecordBatch, from first: Int) {
        guard first < batch.count else { return }
        rows += batch.count - first
        for r in first..<batch.count { lines.append(Int32(clamping: batch.line(r))) }
        let columns = self.columns
        DispatchQueue.concurrentPerform(iterations: columns.count) { j in columns[j].add(batch, column: j, from: first) }
    }

    /// The first id-like column whose cells are all filled (as `WideTable.respondentIDColumn`). An id given twice
    /// (a double submission) does not make it a question: the load stops naming both lines, or with
    /// `--keep-duplicates` keeps both and says so.
    var idColumn: Int? {
        header.indices.first { columns[$0].idFilled && rows > 0 }
    }

    /// The ids of id-like column `j` in row order when they are all filled and different, handed over (the
    /// profile keeps no copy): the pass that reads the answers then only compares each row's id with its own.
    func takeIDs(_ j: Int) -> CodeTable? {
        let c = columns[j]
        defer { c.ids = nil }
        return c.unique ? c.ids : nil
    }

    /// The survey read with `questionnaire` (inferred from these profiles, edits applied) straight from the
    /// profiles, without reading the file again, when every question is a column whose distinct values were all kept
    /// (no more than `distinctLimit`) and none is open text (whose answers keep their surrounding spaces, which the
    /// profiles trim): each distinct value is decoded once, on the line where it first appears (so an error names
    /// the first row with it), and spread over the rows. Nil when the file must be read again. On a generic
    /// 1,000,000-row file this replaced a second pass that took 0.6 of the load.
    func survey(for questionnaire: Questionnaire, path: String) throws -> Survey? {
        let id = idColumn
        var places: [(question: Question, column: Int)] = []
        // Columns by name, found once: a search of the header per question made 100,000 columns take 80 s.
        var columnOf: [String: Int] = [:]
        for (j, name) in header.enumerated() where columnOf[name] == nil { columnOf[name] = j }
        for q in questionnaire.questions {
            guard let j = columnOf[q.id], j != id, columns[j].indexed, q.type != .open else { return nil }
            places.append((q, j))
        }
        guard rows > 0, places.count + (id == nil ? 0 : 1) == header.count else { return nil }
        let ids: [String]
        if let id {
            // Ids with other white space at an end are trimmed by Foundation when the file is read, which may make
            // two of them one: those files are read again.
            guard let known = takeIDs(id), known.codes.count == rows,
                  known.codes.allSatisfy({ ($0.utf8.first ?? 0) < 0x80 && ($0.utf8.last ?? 0) < 0x80 }) else { return nil }
            ids = known.codes
        } else {
            ids = (0..<rows).map(ResponseTableBuilder.defaultID)
        }
        var answers: [String: ResponseTable.Column] = [:], notes: [String] = []
        for (q, j) in places {
            let c = columns[j]
            // Distinct value 0 is the empty cell.
            let (column, unread) = try ExtraColumn.decode(values: [""] + c.table.codes, firstLines: [Int(lines[0])] + c.firstLines,
                                                          rows: c.rows, question: q, columnName: header[j], path: path)
            c.rows = []
            answers[q.id] = column
            if !unread.isEmpty {
                let cells = unread.reduce(0) { $0 + c.counts[$1 - 1] }
                let shown = unread.sorted { c.firstLines[$0 - 1] < c.firstLines[$1 - 1] }.prefix(10).map { (c.firstLines[$0 - 1], c.table.codes[$0 - 1]) }
                notes.append(ColumnBuilder.unreadNote(question: q.id, cells: cells, shown: Array(shown), more: unread.count > 10))
            }
        }
        var survey = Survey(questionnaire: questionnaire, responses: ResponseTable(ids: ids, lines: lines, columns: answers),
                            path: path, format: .wide, extraColumns: [], inferred: true)
        survey.notes = notes
        return survey
    }

    /// The column's distinct values in order of first appearance with their counts, or, beyond the distinct limit,
    /// what the rest looked like.
    func weighted(_ j: Int) -> (values: [(value: String, count: Int)], overflow: (cells: Int, numbers: Int, chars: Int)?) {
        let c = columns[j]
        let values = zip(c.table.codes, c.counts).map { (value: $0.0, count: $0.1) }
        guard c.overflow else { return (values, nil) }
        let rest = c.filled - c.counts.reduce(0, +)
        return (values, (rest, c.overflowNumbers, c.overflowChars))
    }
}

/// One column's profile while the file is read; used by one task at a time.
private final class ColumnProfile: @unchecked Sendable {
    @exclusivity(unchecked) var table = CodeTable([])
    @exclusivity(unchecked) var counts: [Int] = []
    var overflow = false
    var filled = 0
    /// Cells beyond the distinct limit that read as numbers, and their count.
    var overflowNumbers = 0
    var overflowChars = 0
    /// An id-like column: every value seen so far, while all are filled and different.
    @exclusivity(unchecked) var ids: CodeTable?
    private(set) var unique: Bool
    /// An id-like column whose every cell so far is filled.
    private(set) var idFilled: Bool
    /// Each row's cell as an index into `table` + 1 (0: empty), while every distinct value is kept (cleared when
    /// the column passes the distinct limit), and the line each distinct value first appears on.
    @exclusivity(unchecked) var rows: [UInt16] = []
    @exclusivity(unchecked) var firstLines: [Int] = []
    private(set) var indexed = true

    init(idLike: Bool) {
        unique = idLike
        idFilled = idLike
        ids = idLike ? CodeTable([]) : nil
    }

    func add(_ batch: CSVReader.RecordBatch, column j: Int, from first: Int) {
        var table = self.table
        self.table = CodeTable.empty
        defer { self.table = table }
        for r in first..<batch.count where j < batch.fieldCount(r) {
            let cell = ColumnBuilder.trimmed(batch.bytes(r, j))
            if unique {
                if cell.isEmpty || ids?.insert(cell).inserted == false { unique = false; ids = nil }
            }
            if cell.isEmpty {
                idFilled = false
                if indexed { rows.append(0) }
                continue
            }
            filled += 1
            if let k = table.index(cell) {
                counts[k] += 1
                if indexed { rows.append(UInt16(k + 1)) }
                continue
            }
            if overflow || table.codes.count >= ColumnProfiles.distinctLimit {
                overflow = true
                if indexed { indexed = false; rows = [] }
                overflowChars += cell.count
                if Self.isNumber(cell) { overflowNumbers += 1 }
                continue
            }
            _ = table.insert(cell)
            counts.append(1)
            firstLines.append(batch.line(r))
            if indexed { rows.append(UInt16(table.codes.count)) }
        }
    }

    /// Whether the cell reads as a finite number, as `Double(String)` reads it. Only a cell that starts as a number
    /// can be one (inf and nan are not finite), so text is turned down without becoming a String.
    private static func isNumber(_ cell: UnsafeBufferPointer<UInt8>) -> Bool {
        if ColumnBuilder.plainNumber(cell) != nil { return true }
        guard let c = cell.first, c == 0x2B || c == 0x2D || c == 0x2E || (c >= 0x30 && c <= 0x39) else { return false }
        return Double(String(decoding: cell, as: UTF8.self)).map { $0.isFinite } == true
    }
}
