import Foundation

/// What inference needs to know of each column of a plain file, gathered in one streaming pass without keeping the
/// file: each column's distinct values with their counts (up to `distinctLimit`; a column with more is free text
/// or numbers, never categories), how many cells are filled, and whether an id-like column is unique. The file is
/// then read a second time straight into the answer columns with the inferred questionnaire, as a file with a
/// questionnaire is.
///
/// Measured on a generic 1,000,000-row, 30-column CSV (216 MB): reading it whole into text rows first, then
/// inferring and converting, took 34 s and 1.6 GB; two streaming passes take a fraction (BENCHMARKS.md).
struct ColumnProfiles {
    static let distinctLimit = 20_000

    let header: [String]
    private let columns: [ColumnProfile]
    private(set) var rows = 0

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
        let columns = self.columns
        DispatchQueue.concurrentPerform(iterations: columns.count) { j in columns[j].add(batch, column: j, from: first) }
    }

    /// The first id-like column whose cells are all filled and different (as `WideTable.respondentIDColumn`).
    var idColumn: Int? {
        header.indices.first { columns[$0].unique && rows > 0 }
    }

    /// The ids of id-like column `j` in row order when they are all filled and different, handed over (the
    /// profile keeps no copy): the pass that reads the answers then only compares each row's id with its own.
    func takeIDs(_ j: Int) -> CodeTable? {
        let c = columns[j]
        defer { c.ids = nil }
        return c.unique ? c.ids : nil
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

    init(idLike: Bool) {
        unique = idLike
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
            if cell.isEmpty { continue }
            filled += 1
            if let k = table.index(cell) { counts[k] += 1; continue }
            if overflow || table.codes.count >= ColumnProfiles.distinctLimit {
                overflow = true
                overflowChars += cell.count
                if Self.isNumber(cell) { overflowNumbers += 1 }
                continue
            }
            _ = table.insert(cell)
            counts.append(1)
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
