import Foundation

/// Pearson's chi-square test of independence for an r × c table, with the quantities an analyst reads beside it.
///
/// - X² = Σ (O − E)² / E, df = (r − 1)(c − 1), p = Q(df/2, X²/2) (upper tail computed directly).
/// - Yates (2 × 2 only, as R's `chisq.test(correct = TRUE)`): Σ (|O − E| − δ)² / E with δ = min(0.5, |O − E|),
///   so a cell with |O − E| < 0.5 is not over-corrected.
/// - Likelihood ratio G = 2 Σ O ln(O / E), with 0 ln 0 = 0; p from χ²(df).
/// - Cramér's V = sqrt(X² / (N (min(r, c) − 1))) from the uncorrected X².
/// - Adjusted residuals (O − E) / sqrt(E (1 − R_i/N)(1 − C_j/N)), R's `$stdres`.
/// - Warnings: R's rule (any E < 5: "Chi-squared approximation may be incorrect") and Cochran's (more than 20%
///   of cells with E < 5, or any E < 1).
///
/// Edge cases: a `ContingencyTable` never holds an empty, NaN or fewer-than-2×2 table (its initialiser throws), so
/// every quantity here is finite; a table whose rows are proportional gives X² = 0, p = 1, V = 0. Adjusted residuals
/// are NaN only for a cell whose row or column holds the whole table, which the dropping of empty rows rules out.
public struct PearsonChiSquare: Sendable {
    public let table: ContingencyTable
    public let statistic: Double
    public let degreesOfFreedom: Int
    public let p: Double
    public let expected: [[Double]]
    public let adjustedResiduals: [[Double]]
    public let likelihoodRatio: Double
    public let likelihoodRatioP: Double
    public let cramersV: Double
    /// Yates-corrected statistic and p, for 2 × 2 tables only.
    public let yatesStatistic: Double?
    public let yatesP: Double?
    public var minExpected: Double { expected.flatMap { $0 }.min() ?? .nan }
    /// Share of cells with E < 5 (Cochran's rule looks for more than 20%).
    public var shareExpectedBelow5: Double {
        let cells = expected.flatMap { $0 }
        return cells.isEmpty ? 0 : Double(cells.filter { $0 < 5 }.count) / Double(cells.count)
    }

    public init(_ table: ContingencyTable) {
        self.table = table
        let e = table.expected, o = table.counts
        let n = table.total, rt = table.rowTotals, ct = table.columnTotals
        var x2 = 0.0, g = 0.0
        var residuals = e
        for i in o.indices {
            for j in o[i].indices {
                let diff = o[i][j] - e[i][j]
                x2 += diff * diff / e[i][j]
                if o[i][j] > 0 { g += o[i][j] * log(o[i][j] / e[i][j]) }
                residuals[i][j] = diff / (e[i][j] * (1 - rt[i] / n) * (1 - ct[j] / n)).squareRoot()
            }
        }
        g *= 2
        let df = table.degreesOfFreedom
        statistic = x2
        degreesOfFreedom = df
        p = ChiSquareDistribution.upperTail(x2, df: Double(df))
        expected = e
        adjustedResiduals = residuals
        likelihoodRatio = g
        likelihoodRatioP = ChiSquareDistribution.upperTail(g, df: Double(df))
        let k = Double(min(table.rowCount, table.columnCount) - 1)
        cramersV = (x2 / (n * k)).squareRoot()
        if table.rowCount == 2 && table.columnCount == 2 {
            var y = 0.0
            for i in 0..<2 {
                for j in 0..<2 {
                    let d = abs(o[i][j] - e[i][j])
                    let corrected = d - min(0.5, d)
                    y += corrected * corrected / e[i][j]
                }
            }
            yatesStatistic = y
            yatesP = ChiSquareDistribution.upperTail(y, df: 1)
        } else {
            yatesStatistic = nil
            yatesP = nil
        }
    }

    /// Plain-language warnings about the asymptotic approximation; empty when it is sound.
    public var warnings: [String] {
        var out: [String] = []
        let cells = expected.flatMap { $0 }
        let below5 = cells.filter { $0 < 5 }.count
        if below5 > 0 {
            out.append(String(format: "%d of %d expected counts are below 5 (min E = %.2f): the chi-square approximation may be incorrect; read the exact or Monte Carlo p-value",
                              below5, cells.count, minExpected))
        }
        if shareExpectedBelow5 > 0.2 || minExpected < 1 {
            out.append("Cochran's rule is not met (\(String(format: "%.0f", shareExpectedBelow5 * 100))% of cells with E < 5\(minExpected < 1 ? ", a cell with E < 1" : ""))")
        }
        if !table.droppedRows.isEmpty || !table.droppedColumns.isEmpty {
            out.append("dropped \(table.droppedRows.count) empty row(s) and \(table.droppedColumns.count) empty column(s) before testing")
        }
        return out
    }
}
