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
    private var tables: [CodeTable]
    private var counts: [[Int]]
    private var overflow: [Bool]
    private var filled: [Int]
    /// Cells beyond the distinct limit that read as numbers, and their count.
    private var overflowNumbers: [Int]
    private var overflowChars: [Int]
    /// Id-like columns: every value seen, to tell whether all are filled and different.
    private var idValues: [Int: Set<String>] = [:]
    private var idBroken: Set<Int> = []
    private(set) var rows = 0

    init(header: [String]) {
        self.header = header
        tables = header.map { _ in CodeTable([]) }
        counts = header.map { _ in [] }
        overflow = header.map { _ in false }
        filled = header.map { _ in 0 }
        overflowNumbers = header.map { _ in 0 }
        overflowChars = header.map { _ in 0 }
        for (j, name) in header.enumerated() where WideTable.idNames.contains(name.lowercased().filter { $0 != " " && $0 != "_" && $0 != "-" }) {
            idValues[j] = []
        }
    }

    mutating func add(_ batch: CSVReader.RecordBatch, from first: Int) {
        for r in first..<batch.count {
            rows += 1
            for j in header.indices where j < batch.fieldCount(r) {
                let cell = ColumnBuilder.trimmed(batch.bytes(r, j))
                if idValues[j] != nil, !idBroken.contains(j) {
                    if cell.isEmpty || idValues[j]?.insert(String(decoding: cell, as: UTF8.self)).inserted == false { idBroken.insert(j); idValues[j] = nil }
                }
                if cell.isEmpty { continue }
                filled[j] += 1
                if let k = tables[j].index(cell) { counts[j][k] += 1; continue }
                if overflow[j] || tables[j].codes.count >= Self.distinctLimit {
                    overflow[j] = true
                    overflowChars[j] += cell.count
                    if Double(String(decoding: cell, as: UTF8.self)).map({ $0.isFinite }) == true { overflowNumbers[j] += 1 }
                    continue
                }
                _ = tables[j].indexAdding(String(decoding: cell, as: UTF8.self))
                counts[j].append(1)
            }
        }
    }

    /// The first id-like column whose cells are all filled and different (as `WideTable.respondentIDColumn`).
    var idColumn: Int? {
        header.indices.first { idValues[$0] != nil && !idBroken.contains($0) && rows > 0 }
    }

    /// The column's distinct values in order of first appearance with their counts, or, beyond the distinct limit,
    /// what the rest looked like.
    func weighted(_ j: Int) -> (values: [(value: String, count: Int)], overflow: (cells: Int, numbers: Int, chars: Int)?) {
        let values = zip(tables[j].codes, counts[j]).map { (value: $0.0, count: $0.1) }
        guard overflow[j] else { return (values, nil) }
        let rest = filled[j] - counts[j].reduce(0, +)
        return (values, (rest, overflowNumbers[j], overflowChars[j]))
    }
}
