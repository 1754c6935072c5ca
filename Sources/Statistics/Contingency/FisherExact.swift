import Foundation

/// Fisher's exact test for an r × c table, two-sided as R's `fisher.test`.
///
/// p = Σ P(T) over all tables T with the observed margins and P(T) ≤ P(obs)·(1 + 1e-7), where
/// P(T) = Π R_i! Π C_j! / (N! Π x_ij!), all in log space.
///
/// Tables are enumerated column by column as in the network algorithm of Mehta & Patel (1983): a node is the set of
/// row margins still to fill. At each node two bounds on the rest of the path decide without expanding it: if even
/// the most probable completion is improbable enough, every completion counts and their total probability is added
/// in closed form (Σ over completions of Π 1/x_ij! = N'! / (Π r'_i! Π C'_j!)); if even the least probable completion
/// is too probable, none counts. The bounds treat the remaining columns independently (each column's most even and
/// most concentrated split under the row caps), which is looser than the exact shortest/longest path but always
/// valid. When the enumeration would exceed `nodeLimit`, the test returns a Monte Carlo estimate instead, labelled
/// `.monteCarlo`, never a failure.
public struct FisherExact: Sendable {
    public enum Method: Sendable, Equatable {
        case exact
        /// Tables were sampled because the exact enumeration was too large: B replicates, seed, standard error.
        case monteCarlo(replicates: Int, seed: UInt64, standardError: Double)
    }

    public let p: Double
    public let method: Method
    /// Sample odds ratio ad/bc for a 2 × 2 table (infinite or NaN when a cell is 0), nil otherwise.
    public let sampleOddsRatio: Double?

    public init(_ table: ContingencyTable, nodeLimit: Int = 20_000_000, fallbackReplicates: Int = 1_000_000,
                seed: UInt64 = 1) {
        // Fewer rows than columns keeps each column's split cheap to enumerate.
        let counts = table.rowCount <= table.columnCount ? table.counts : Self.transpose(table.counts)
        let x = counts.map { $0.map { Int($0) } }
        if table.rowCount == 2 && table.columnCount == 2 {
            let a = table.counts[0][0], b = table.counts[0][1], c = table.counts[1][0], d = table.counts[1][1]
            sampleOddsRatio = (a * d) / (b * c)
        } else {
            sampleOddsRatio = nil
        }
        var search = Enumeration(table: x, nodeLimit: nodeLimit)
        if let exact = search.run() {
            p = min(1, exact)
            method = .exact
        } else {
            let mc = Self.monteCarlo(x, replicates: fallbackReplicates, seed: seed)
            p = mc.p
            method = .monteCarlo(replicates: fallbackReplicates, seed: seed, standardError: mc.se)
        }
    }

    private static func transpose(_ m: [[Double]]) -> [[Double]] {
        (0..<(m.first?.count ?? 0)).map { j in m.map { $0[j] } }
    }

    /// Share of tables (drawn with fixed margins) at most as probable as the observed one.
    private static func monteCarlo(_ x: [[Int]], replicates: Int, seed: UInt64) -> (p: Double, se: Double) {
        let rows = x.map { $0.reduce(0, +) }
        let cols = (0..<x[0].count).map { j in x.reduce(0) { $0 + $1[j] } }
        let lf = LogFactorialTable(upTo: rows.reduce(0, +))
        func score(_ t: [[Int]]) -> Double { t.reduce(0) { $0 + $1.reduce(0) { $0 + lf[$1] } } }
        let observed = score(x) - log1p(1e-7)
        var sampler = RandomTableSampler(rowTotals: rows, columnTotals: cols, seed: seed)
        var cell = x
        var hits = 0
        for _ in 0..<replicates {
            sampler.draw(into: &cell)
            if score(cell) >= observed { hits += 1 }
        }
        let p = Double(1 + hits) / Double(replicates + 1)
        return (p, (p * (1 - p) / Double(replicates)).squareRoot())
    }

    /// The bounded depth-first enumeration. Scores are S = Σ ln x_ij!; a table counts when S ≥ S_obs − ln(1+1e-7).
    private struct Enumeration {
        let columns: [Int]
        let rowTotals: [Int]
        let lf: LogFactorialTable
        let threshold: Double
        let logConstant: Double
        let nodeLimit: Int
        var nodes = 0
        var total = 0.0
        /// Σ ln C_j! over columns j..<c, for the closed-form completion sum.
        let suffixColumnLogFactorials: [Double]
        let suffixColumnTotals: [Int]

        init(table: [[Int]], nodeLimit: Int) {
            let rowSums = table.map { $0.reduce(0, +) }
            let colSums = (0..<table[0].count).map { j in table.reduce(0) { $0 + $1[j] } }
            rowTotals = rowSums
            columns = colSums
            let n = rowSums.reduce(0, +)
            let logFact = LogFactorialTable(upTo: n)
            lf = logFact
            let observed = table.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + logFact[$1] } }
            threshold = observed - log1p(1e-7)
            logConstant = rowSums.reduce(0.0) { $0 + logFact[$1] } + colSums.reduce(0.0) { $0 + logFact[$1] } - logFact[n]
            self.nodeLimit = nodeLimit
            var s = [Double](repeating: 0, count: columns.count + 1)
            var t = [Int](repeating: 0, count: columns.count + 1)
            for j in stride(from: columns.count - 1, through: 0, by: -1) {
                s[j] = s[j + 1] + lf[columns[j]]
                t[j] = t[j + 1] + columns[j]
            }
            suffixColumnLogFactorials = s
            suffixColumnTotals = t
        }

        /// Returns the two-sided p, or nil when the node limit was reached.
        mutating func run() -> Double? {
            var remaining = rowTotals
            guard visit(column: 0, remaining: &remaining, past: 0) else { return nil }
            return total
        }

        /// Most even split of `c` under the caps (smallest Σ ln x!) and most concentrated split (largest).
        private func columnBounds(_ c: Int, caps: [Int]) -> (min: Double, max: Double) {
            if caps.count == 2 {
                let lo = max(0, c - caps[1]), hi = min(caps[0], c)
                let even = min(max(c / 2, lo), hi)
                let evenScore = min(lf[even] + lf[c - even], even + 1 <= hi ? lf[even + 1] + lf[c - even - 1] : .infinity)
                let maxScore = max(lf[lo] + lf[c - lo], lf[hi] + lf[c - hi])
                return (evenScore, maxScore)
            }
            // Concentrated: fill the largest caps first. Even: water-filling, one unit at a time to the emptiest row.
            var left = c, maxScore = 0.0
            for cap in caps.sorted(by: >) where left > 0 {
                let take = min(cap, left)
                maxScore += lf[take]
                left -= take
            }
            var x = [Int](repeating: 0, count: caps.count)
            var order = caps.indices.sorted { caps[$0] < caps[$1] }
            left = c
            var k = caps.count
            // Give each row an equal share, capping the small ones first.
            for idx in order {
                let share = left / k
                let take = min(caps[idx], share)
                x[idx] = take
                left -= take
                k -= 1
            }
            order = caps.indices.filter { x[$0] < caps[$0] }.sorted { x[$0] < x[$1] }
            var pos = 0
            while left > 0 && !order.isEmpty {
                let idx = order[pos % order.count]
                if x[idx] < caps[idx] { x[idx] += 1; left -= 1 }
                pos += 1
                if pos > 4 * caps.count * (c + 1) { break }
            }
            return (x.reduce(0.0) { $0 + lf[$1] }, maxScore)
        }

        private mutating func visit(column j: Int, remaining: inout [Int], past: Double) -> Bool {
            nodes += 1
            if nodes > nodeLimit { return false }
            if j == columns.count {
                if past >= threshold { total += exp(logConstant - past) }
                return true
            }
            var lower = 0.0, upper = 0.0
            for k in j..<columns.count {
                let b = columnBounds(columns[k], caps: remaining)
                lower += b.min
                upper += b.max
            }
            if past + lower >= threshold {
                // Every completion counts: add Σ over completions of P in closed form.
                let restLog = lf[suffixColumnTotals[j]] - remaining.reduce(0.0) { $0 + lf[$1] } - suffixColumnLogFactorials[j]
                total += exp(logConstant - past + restLog)
                return true
            }
            if past + upper < threshold { return true }
            var split = [Int](repeating: 0, count: remaining.count)
            return splitColumn(j, row: 0, left: columns[j], remaining: &remaining, split: &split, past: past)
        }

        /// Enumerates the ways column j's total can be spread over the rows, recursing into the next column.
        private mutating func splitColumn(_ j: Int, row i: Int, left: Int, remaining: inout [Int], split: inout [Int],
                                          past: Double) -> Bool {
            if i == remaining.count - 1 {
                guard left <= remaining[i] else { return true }
                split[i] = left
                var score = past
                for k in 0..<split.count { score += lf[split[k]]; remaining[k] -= split[k] }
                let ok = visit(column: j + 1, remaining: &remaining, past: score)
                for k in 0..<split.count { remaining[k] += split[k] }
                return ok
            }
            let capAfter = remaining[(i + 1)...].reduce(0, +)
            let lo = max(0, left - capAfter), hi = min(remaining[i], left)
            if lo > hi { return true }
            for x in lo...hi {
                split[i] = x
                if !splitColumn(j, row: i + 1, left: left - x, remaining: &remaining, split: &split, past: past) {
                    return false
                }
            }
            return true
        }
    }
}
