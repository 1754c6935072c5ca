import Foundation

/// Tests for an ordered answer (Likert, frequency) between groups, from the groups × ordered-answers table of counts.
/// Every respondent in answer column j shares the midrank of that column, so ties are whole columns.
///
/// - Wilcoxon–Mann–Whitney (two groups): W = Σ_j x_1j R_j − n₁(n₁ + 1)/2, R's `wilcox.test(exact = FALSE,
///   correct = TRUE)`: normal approximation with the tie-corrected variance n₁n₂/12 · ((N + 1) − Σ(t³ − t)/(N(N − 1)))
///   and continuity correction 0.5·sign(W − n₁n₂/2); two-sided p. Effect: rank-biserial r = 2W/(n₁n₂) − 1
///   (positive when the first group answers higher).
/// - Kruskal–Wallis (any number of groups), R's `kruskal.test`: H = (12/(N(N + 1)) Σ R_i²/n_i − 3(N + 1)) /
///   (1 − Σ(t³ − t)/(N³ − N)), df = g − 1. Effect: ε² = H / (N − 1).
/// - Linear-by-linear association (trend): M² = (N − 1) r², df = 1, with r the Pearson correlation of the row and
///   column scores 1, 2, … (Agresti 2007, §2.5.1), as `coin::lbl_test` reports it.
///
/// Groups or answers that nobody is in are dropped first; fewer than two non-empty groups or answers throw
/// `degenerateTable`. When every respondent gave the same answer the rank tests are undefined (variance 0) and the
/// table is degenerate too.
public struct OrdinalTests: Sendable {
    public struct RankSum: Sendable, Equatable {
        public let w: Double
        public let z: Double
        public let p: Double
        public let rankBiserial: Double
    }
    public struct KruskalWallis: Sendable, Equatable {
        public let h: Double
        public let df: Int
        public let p: Double
        public let epsilonSquared: Double
    }
    public struct Trend: Sendable, Equatable {
        public let m2: Double
        public let p: Double
        public let correlation: Double
    }

    /// Present for exactly two groups.
    public let rankSum: RankSum?
    public let kruskalWallis: KruskalWallis
    public let trend: Trend
    /// Mean rank per non-empty group, in table order.
    public let meanRanks: [Double]

    public init(_ counts: [[Int]]) throws {
        let table = try ContingencyTable(counts)
        let x = table.counts
        let g = table.rowCount, k = table.columnCount
        let n = table.total
        let rowTotals = table.rowTotals, colTotals = table.columnTotals
        // Midrank of each answer column.
        var midrank = [Double](repeating: 0, count: k)
        var below = 0.0
        for j in 0..<k {
            midrank[j] = below + (colTotals[j] + 1) / 2
            below += colTotals[j]
        }
        let tieSum = colTotals.reduce(0.0) { $0 + ($1 * $1 * $1 - $1) }
        let rankSums = (0..<g).map { i in (0..<k).reduce(0.0) { $0 + x[i][$1] * midrank[$1] } }
        meanRanks = (0..<g).map { rankSums[$0] / rowTotals[$0] }

        let tieFactor = 1 - tieSum / (n * n * n - n)
        var h = 12 / (n * (n + 1)) * (0..<g).reduce(0.0) { $0 + rankSums[$1] * rankSums[$1] / rowTotals[$1] } - 3 * (n + 1)
        h /= tieFactor
        kruskalWallis = KruskalWallis(h: h, df: g - 1, p: ChiSquareDistribution.upperTail(h, df: Double(g - 1)),
                                      epsilonSquared: h / (n - 1))

        if g == 2 {
            let n1 = rowTotals[0], n2 = rowTotals[1]
            let w = rankSums[0] - n1 * (n1 + 1) / 2
            let centred = w - n1 * n2 / 2
            let sigma = (n1 * n2 / 12 * ((n + 1) - tieSum / (n * (n - 1)))).squareRoot()
            let correction = centred > 0 ? 0.5 : centred < 0 ? -0.5 : 0
            let z = (centred - correction) / sigma
            let p = 2 * min(Normal.cdf(z), Normal.cdf(-z))
            rankSum = RankSum(w: w, z: z, p: min(1, p), rankBiserial: 2 * w / (n1 * n2) - 1)
        } else {
            rankSum = nil
        }

        // Pearson correlation of the scores 1…g and 1…k over the respondents.
        var sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        for i in 0..<g {
            for j in 0..<k where x[i][j] > 0 {
                let w = x[i][j], a = Double(i + 1), b = Double(j + 1)
                sx += w * a; sy += w * b; sxx += w * a * a; syy += w * b * b; sxy += w * a * b
            }
        }
        let cov = sxy - sx * sy / n, vx = sxx - sx * sx / n, vy = syy - sy * sy / n
        let r = cov / (vx * vy).squareRoot()
        let m2 = (n - 1) * r * r
        trend = Trend(m2: m2, p: ChiSquareDistribution.upperTail(m2, df: 1), correlation: r)
    }
}

/// The standard normal distribution.
public enum Normal {
    /// P(Z ≤ z), from erfc so that the far tails keep their relative accuracy.
    public static func cdf(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }
}
