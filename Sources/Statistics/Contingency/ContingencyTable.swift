import Foundation

/// An r × c table of counts with its margins. All-zero rows and columns are dropped on construction (they carry
/// no information and make expected counts zero, which crashes or gives NaN in other tools); which ones were
/// dropped is kept so the output can say so.
public struct ContingencyTable: Sendable, Equatable {
    /// Counts after dropping empty rows and columns.
    public let counts: [[Double]]
    /// Indices (in the table as given) of the rows and columns that remain.
    public let keptRows: [Int]
    public let keptColumns: [Int]
    public let droppedRows: [Int]
    public let droppedColumns: [Int]

    public var rowCount: Int { counts.count }
    public var columnCount: Int { counts.first?.count ?? 0 }
    public var rowTotals: [Double] { counts.map { $0.reduce(0, +) } }
    public var columnTotals: [Double] {
        (0..<columnCount).map { j in counts.reduce(0) { $0 + $1[j] } }
    }
    public var total: Double { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    /// Builds a table from rows of counts. Throws for ragged rows, negative/fractional/non-finite counts, or when
    /// fewer than 2 rows or 2 columns have a non-zero total.
    public init(_ rows: [[Double]]) throws {
        guard let width = rows.first?.count else { throw StatisticsError.degenerateTable(rows: 0, columns: 0) }
        for (i, row) in rows.enumerated() {
            guard row.count == width else { throw StatisticsError.ragged(row: i, expected: width, found: row.count) }
            // 2⁵³: beyond it a Double no longer holds every whole number, and conversions to Int could trap.
            for (j, v) in row.enumerated() where !(v.isFinite && v >= 0 && v == v.rounded() && v <= 0x1p53) {
                throw StatisticsError.invalidCount(row: i, column: j, value: v)
            }
        }
        let rowSums = rows.map { $0.reduce(0, +) }
        let colSums = (0..<width).map { j in rows.reduce(0) { $0 + $1[j] } }
        let kr = rowSums.indices.filter { rowSums[$0] > 0 }
        let kc = colSums.indices.filter { colSums[$0] > 0 }
        guard kr.count >= 2, kc.count >= 2 else {
            throw StatisticsError.degenerateTable(rows: kr.count, columns: kc.count)
        }
        keptRows = kr
        keptColumns = kc
        droppedRows = rowSums.indices.filter { rowSums[$0] == 0 }
        droppedColumns = colSums.indices.filter { colSums[$0] == 0 }
        counts = kr.map { i in kc.map { j in rows[i][j] } }
    }

    /// Convenience for integer counts.
    public init(_ rows: [[Int]]) throws {
        try self.init(rows.map { $0.map(Double.init) })
    }

    /// Expected counts under independence, E_ij = R_i C_j / N.
    public var expected: [[Double]] {
        let r = rowTotals, c = columnTotals, n = total
        return r.map { ri in c.map { cj in ri * cj / n } }
    }

    /// Degrees of freedom (r − 1)(c − 1) of the table after dropping empty rows and columns.
    public var degreesOfFreedom: Int { (rowCount - 1) * (columnCount - 1) }
}
