import Foundation

/// Monte Carlo p-value for Pearson's X² (R's `chisq.test(simulate.p.value = TRUE)`): B random tables with the
/// observed margins, p = (1 + #{X²* ≥ X²_obs}) / (B + 1).
///
/// Tables are drawn from the multiple hypergeometric distribution (all tables with the observed margins, each with
/// its probability under independence), row by row and cell by cell as conditional hypergeometric draws, which is
/// the scheme of Patefield (1981, AS 159). A simulated statistic counts when X²* ≥ (1 − 64ε) X²_obs, R's tolerance
/// for ties that differ only by rounding. The standard error is sqrt(p (1 − p) / B).
/// B < 1 throws; a table with one possible arrangement (every simulated X² equals the observed) gives p = 1.
public struct MonteCarloChiSquare: Sendable {
    public let p: Double
    public let standardError: Double
    public let replicates: Int
    public let seed: UInt64

    public init(_ table: ContingencyTable, replicates: Int, seed: UInt64) throws {
        guard replicates >= 1 else {
            throw StatisticsError.invalidParameter(name: "replicates", value: Double(replicates), allowed: "a whole number ≥ 1")
        }
        let observed = PearsonChiSquare(table).statistic
        let rows = table.rowTotals.map { Int($0) }, cols = table.columnTotals.map { Int($0) }
        let n = rows.reduce(0, +)
        let expected = table.expected
        var sampler = RandomTableSampler(rowTotals: rows, columnTotals: cols, seed: seed)
        let threshold = observed * (1 - 64 * Double.ulpOfOne)
        var hits = 0
        var cell = [[Int]](repeating: [Int](repeating: 0, count: cols.count), count: rows.count)
        for _ in 0..<replicates {
            sampler.draw(into: &cell)
            var x2 = -Double(n)
            for i in 0..<rows.count {
                for j in 0..<cols.count {
                    let o = Double(cell[i][j])
                    x2 += o * o / expected[i][j]
                }
            }
            if x2 >= threshold { hits += 1 }
        }
        let pv = Double(1 + hits) / Double(replicates + 1)
        p = pv
        standardError = (pv * (1 - pv) / Double(replicates)).squareRoot()
        self.replicates = replicates
        self.seed = seed
    }
}

/// Draws r × c tables with fixed margins by sequential conditional hypergeometric sampling (Patefield 1981).
struct RandomTableSampler {
    let rowTotals: [Int]
    let columnTotals: [Int]
    private var rng: SeededGenerator
    private let logFactorial: LogFactorialTable

    init(rowTotals: [Int], columnTotals: [Int], seed: UInt64) {
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        rng = SeededGenerator(seed: seed)
        logFactorial = LogFactorialTable(upTo: rowTotals.reduce(0, +))
    }

    mutating func draw(into cell: inout [[Int]]) {
        var remainingColumns = columnTotals
        var pool = columnTotals.reduce(0, +)
        for i in 0..<rowTotals.count {
            if i == rowTotals.count - 1 {
                for j in 0..<columnTotals.count { cell[i][j] = remainingColumns[j] }
                break
            }
            var need = rowTotals[i]
            var population = pool
            for j in 0..<columnTotals.count {
                let x: Int
                if j == columnTotals.count - 1 {
                    x = need
                } else {
                    x = hypergeometric(draws: need, successes: remainingColumns[j], population: population)
                }
                cell[i][j] = x
                population -= remainingColumns[j]
                remainingColumns[j] -= x
                need -= x
            }
            pool -= rowTotals[i]
        }
    }

    /// One draw of the number of successes in `draws` draws without replacement, by inversion from the lower end of
    /// the support using the pmf recurrence P(x+1)/P(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1)).
    private mutating func hypergeometric(draws n: Int, successes k: Int, population big: Int) -> Int {
        let lo = max(0, n - (big - k)), hi = min(n, k)
        if lo == hi { return lo }
        let lf = logFactorial
        var prob = exp(lf[k] - lf[lo] - lf[k - lo] + lf[big - k] - lf[n - lo] - lf[big - k - n + lo]
                       - (lf[big] - lf[n] - lf[big - n]))
        var u = rng.nextUniform()
        var x = lo
        while x < hi {
            if u < prob { return x }
            u -= prob
            prob *= Double(k - x) * Double(n - x) / (Double(x + 1) * Double(big - k - n + x + 1))
            x += 1
        }
        return hi
    }
}
