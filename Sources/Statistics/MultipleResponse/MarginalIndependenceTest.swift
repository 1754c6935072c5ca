import Foundation

/// The test of multiple marginal independence (MMI) between a single-response grouping variable with r levels and a
/// "select all that apply" question with c items (Bilder & Loughin 2004, Biometrics 60:241–248; Koziol & Bilder
/// 2014, The R Journal 6/1). Counting every tick as an observation breaks Pearson's independence assumption, so the
/// items are tested as r × 2 tables (selected / not selected) and combined:
///
/// - per item j: Pearson X²_j on its r × 2 table, 0.5 added to zero cells (MRCV's `add.constant`); an item that
///   nobody or everybody ticked has a zero margin and is left out (reported in `leftOut`).
/// - X²_S = Σ_j X²_j.
/// - Bonferroni: p_j from χ²(r − 1), p_adj,j = min(1, c·p_j), overall p = min_j p_adj,j.
/// - Rao–Scott second order (RS2): X²_S = dᵀ A d for the stacked within-group item proportions d, with
///   A = Mᵀ (diag(n_i) ⊗ D⁻¹) M, M = (I − 1wᵀ) ⊗ I (centering at the pooled proportions, w_i = n_i/n) and
///   D = diag(π̂_j (1 − π̂_j)). Under MMI d has covariance ⊕ V_i / n_i, V_i the within-group covariance of the item
///   indicators (from the group's answer patterns), so X²_S ≈ Σ λ_k χ²_1 with λ the eigenvalues of A·Cov(d).
///   Σλ² = tr((A·Cov(d))²) needs no eigen-decomposition. X²_RS2 = q X²_S / Σλ², df = q² / Σλ², q = (r − 1)c.
/// - Bootstrap (on request): B resamples that keep the group sizes and draw response vectors with replacement from
///   the pooled data (independence imposed), p = share of X²*_S ≥ X²_S.
///
/// Edge cases: no respondents, no items, or fewer than two non-empty groups throw `degenerateTable`; items with a
/// zero margin are left out (and if all are, it throws); RS2 is nil when Σλ² is 0 or not finite (e.g. every kept
/// item constant within each group).
///
/// Also computed, and labelled naive: Pearson's test on the r × c table of tick counts, which is what many papers
/// report.
public struct MarginalIndependenceTest: Sendable {
    public struct Item: Sendable {
        public let index: Int
        public let statistic: Double
        public let p: Double
        public let pBonferroni: Double
        /// Per-item naive Pearson p on the unadjusted r × 2 table (no +0.5), for comparison.
        public let naiveP: Double
    }
    public struct Adjusted: Sendable {
        public let statistic: Double
        public let degreesOfFreedom: Double
        public let p: Double
    }

    public let items: [Item]
    public let leftOut: [Int]
    public let statistic: Double
    public let bonferroniP: Double
    public let rs2: Adjusted?
    public let bootstrapP: Double?
    public let bootstrapReplicates: Int?
    /// Pearson on the group × item tick counts (naive).
    public let naive: PearsonChiSquare?
    public let groupSizes: [Int]

    /// - Parameters:
    ///   - groups: group index (0..<r) per respondent.
    ///   - selections: per respondent, whether each of the c items was ticked.
    ///   - bootstrap: number of bootstrap resamples (nil: none), with `seed`.
    ///   - raoScott: false skips the RS2 adjustment (`rs2` is nil), for callers that only need the item statistics
    ///     many times over (bootstrap intervals of effect sizes).
    public init(groups: [Int], selections: [[Bool]], bootstrap: Int? = nil, seed: UInt64 = 1, raoScott: Bool = true) throws {
        guard groups.count == selections.count, let c = selections.first?.count, c > 0 else {
            throw StatisticsError.degenerateTable(rows: 0, columns: 0)
        }
        try self.init(summary: MultipleResponseSummary(groups: groups, selections: selections), raoScott: raoScott,
                      resample: bootstrap.map { ($0, seed, groups, selections) })
    }

    /// The test from per-group counts alone (group sizes, ticks and co-ticks), which is all it needs without the
    /// bootstrap: one pass over the answers however many respondents there are.
    public init(summary: MultipleResponseSummary, raoScott: Bool = true) throws {
        try self.init(summary: summary, raoScott: raoScott, resample: nil)
    }

    private init(summary: MultipleResponseSummary, raoScott: Bool,
                 resample: (replicates: Int, seed: UInt64, groups: [Int], selections: [[Bool]])?) throws {
        let c = summary.itemCount
        let sizes = summary.groupSizes
        let r = sizes.count
        guard c > 0, r > 0 else { throw StatisticsError.degenerateTable(rows: 0, columns: 0) }
        guard sizes.filter({ $0 > 0 }).count >= 2 else { throw StatisticsError.degenerateTable(rows: sizes.count, columns: c) }
        groupSizes = sizes
        let n = sizes.reduce(0, +)
        let kept = (0..<c).filter { j in
            let ticks = (0..<r).reduce(0) { $0 + summary.ticks[$1][j] }
            return ticks > 0 && ticks < n
        }
        leftOut = (0..<c).filter { !kept.contains($0) }
        guard !kept.isEmpty else { throw StatisticsError.degenerateTable(rows: r, columns: 0) }
        let activeGroups = (0..<r).filter { sizes[$0] > 0 }
        let df = Double(activeGroups.count - 1)

        let cItems = Double(kept.count)
        var built: [Item] = []
        var x2: [Double] = []
        for j in kept {
            let raw = activeGroups.map { g in [Double(summary.ticks[g][j]), Double(sizes[g] - summary.ticks[g][j])] }
            let statistic = Self.pearsonWithHalf(raw)
            x2.append(statistic)
            let p = ChiSquareDistribution.upperTail(statistic, df: df)
            let naive = (try? ContingencyTable(raw)).map { PearsonChiSquare($0).p } ?? 1
            built.append(Item(index: j, statistic: statistic, p: p, pBonferroni: min(1, cItems * p), naiveP: naive))
        }
        items = built
        let xs = x2.reduce(0, +)
        statistic = xs
        bonferroniP = built.map(\.pBonferroni).min() ?? 1

        // Naive tick-count table.
        let tickTable = activeGroups.map { g in (0..<c).map { j in Double(summary.ticks[g][j]) } }
        naive = (try? ContingencyTable(tickTable)).map(PearsonChiSquare.init)

        rs2 = raoScott ? Self.raoScott(summary, items: kept, active: activeGroups, statistic: xs) : nil

        if let resample {
            let b = resample.replicates
            guard b >= 1 else { throw StatisticsError.invalidParameter(name: "bootstrap", value: Double(b), allowed: "≥ 1") }
            let groups = resample.groups, selections = resample.selections
            func itemStatistics(_ sel: [[Bool]]) -> [Double] {
                kept.map { j in
                    var table = activeGroups.map { _ in [0.0, 0.0] }
                    for (k, g) in groups.enumerated() {
                        guard let row = activeGroups.firstIndex(of: g) else { continue }
                        table[row][sel[k][j] ? 0 : 1] += 1
                    }
                    return Self.pearsonWithHalf(table)
                }
            }
            var rng = SeededGenerator(seed: resample.seed)
            var hits = 0
            var sample = selections
            let count = groups.count
            for r in 0..<b {
                // Ctrl-C abandons the bootstrap (a few hundred resamples take well under 0.1 s).
                if r & 255 == 0 { try Interruption.check() }
                for k in 0..<count { sample[k] = selections[Int(rng.nextUniform() * Double(count))] }
                if itemStatistics(sample).reduce(0, +) >= xs { hits += 1 }
            }
            bootstrapP = Double(hits) / Double(b)
            bootstrapReplicates = b
        } else {
            bootstrapP = nil
            bootstrapReplicates = nil
        }
    }

    /// Pearson X² of an r × 2 table after adding 0.5 to zero cells.
    static func pearsonWithHalf(_ table: [[Double]]) -> Double {
        let t = table.map { $0.map { $0 == 0 ? 0.5 : $0 } }
        let rows = t.map { $0.reduce(0, +) }
        let cols = [t.reduce(0) { $0 + $1[0] }, t.reduce(0) { $0 + $1[1] }]
        let n = rows.reduce(0, +)
        var x2 = 0.0
        for i in t.indices {
            for j in 0..<2 {
                let e = rows[i] * cols[j] / n
                x2 += (t[i][j] - e) * (t[i][j] - e) / e
            }
        }
        return x2
    }

    private static func raoScott(_ summary: MultipleResponseSummary, items: [Int], active: [Int],
                                 statistic: Double) -> Adjusted? {
        let r = active.count, c = items.count, dim = r * c
        let sizes = active.map { Double(summary.groupSizes[$0]) }
        let n = sizes.reduce(0, +)
        var mean = active.map { g in items.map { Double(summary.ticks[g][$0]) } }
        var pooled = [Double](repeating: 0, count: c)
        for gi in 0..<r { for a in 0..<c { pooled[a] += mean[gi][a] } }
        pooled = pooled.map { $0 / n }
        let second = active.enumerated().map { gi, g in items.map { ja in items.map { jb in Double(summary.coTicks[g][ja][jb]) / sizes[gi] } } }
        for gi in 0..<r { for a in 0..<c { mean[gi][a] /= sizes[gi] } }
        let dInv = pooled.map { 1 / ($0 * (1 - $0)) }
        let w = sizes.map { $0 / n }
        // A = Mᵀ W M with M[(m,j),(i,l)] = (δ_mi − w_i) δ_jl and W = diag(n_m / D_j).
        var a = [[Double]](repeating: [Double](repeating: 0, count: dim), count: dim)
        for i in 0..<r {
            for k in 0..<r {
                // Σ_m (δ_mi − w_i)(δ_mk − w_k) n_m, the same for every item j.
                var s = 0.0
                for m in 0..<r {
                    s += ((m == i ? 1 : 0) - w[i]) * ((m == k ? 1 : 0) - w[k]) * sizes[m]
                }
                for j in 0..<c { a[i * c + j][k * c + j] = s * dInv[j] }
            }
        }
        // B = A · Cov(d), Cov(d) block diagonal with V_i / n_i.
        var bMatrix = [[Double]](repeating: [Double](repeating: 0, count: dim), count: dim)
        for row in 0..<dim {
            for k in 0..<r {
                for l in 0..<c {
                    var s = 0.0
                    for j in 0..<c {
                        let v = second[k][j][l] - mean[k][j] * mean[k][l]
                        s += a[row][k * c + j] * v / sizes[k]
                    }
                    bMatrix[row][k * c + l] = s
                }
            }
        }
        var sumSquares = 0.0
        for x in 0..<dim { for y in 0..<dim { sumSquares += bMatrix[x][y] * bMatrix[y][x] } }
        guard sumSquares > 0, sumSquares.isFinite else { return nil }
        let q = Double((r - 1) * c)
        let stat = q * statistic / sumSquares
        let df = q * q / sumSquares
        return Adjusted(statistic: stat, degreesOfFreedom: df, p: ChiSquareDistribution.upperTail(stat, df: df))
    }
}

/// What the MMI test needs of a multiple-response question, per group: respondents, ticks of each item, and ticks
/// of each pair of items (the diagonal is the ticks).
public struct MultipleResponseSummary: Sendable, Equatable {
    public let groupSizes: [Int]
    public let ticks: [[Int]]
    public let coTicks: [[[Int]]]

    public var itemCount: Int { ticks.first?.count ?? 0 }

    public init(groupSizes: [Int], ticks: [[Int]], coTicks: [[[Int]]]) {
        self.groupSizes = groupSizes
        self.ticks = ticks
        self.coTicks = coTicks
    }

    /// Counts per-respondent answers: group index (0..<r, r = largest + 1) and item indicators.
    public init(groups: [Int], selections: [[Bool]]) {
        let r = (groups.max() ?? -1) + 1
        let c = selections.first?.count ?? 0
        var sizes = [Int](repeating: 0, count: r)
        var ticks = [[Int]](repeating: [Int](repeating: 0, count: c), count: r)
        var co = [[[Int]]](repeating: [[Int]](repeating: [Int](repeating: 0, count: c), count: c), count: r)
        for (g, sel) in zip(groups, selections) where g >= 0 {
            sizes[g] += 1
            let on = sel.indices.filter { sel[$0] }
            for a in on {
                ticks[g][a] += 1
                for b in on { co[g][a][b] += 1 }
            }
        }
        self.init(groupSizes: sizes, ticks: ticks, coTicks: co)
    }

    /// Counts from answer patterns: (group, ticked item indices, number of respondents who gave exactly that).
    public init(groupCount: Int, itemCount c: Int, patterns: [(group: Int, items: [Int], count: Int)]) {
        var sizes = [Int](repeating: 0, count: groupCount)
        var ticks = [[Int]](repeating: [Int](repeating: 0, count: c), count: groupCount)
        var co = [[[Int]]](repeating: [[Int]](repeating: [Int](repeating: 0, count: c), count: c), count: groupCount)
        for p in patterns {
            sizes[p.group] += p.count
            for a in p.items {
                ticks[p.group][a] += p.count
                for b in p.items { co[p.group][a][b] += p.count }
            }
        }
        self.init(groupSizes: sizes, ticks: ticks, coTicks: co)
    }
}
