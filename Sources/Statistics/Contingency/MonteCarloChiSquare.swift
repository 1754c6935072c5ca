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

    /// Replicates per block. Block k draws from its own generator, seeded from (seed, k), so the blocks can run on
    /// every core and the p-value is the same whatever the number of cores.
    static let blockSize = 1 << 16

    public init(_ table: ContingencyTable, replicates: Int, seed: UInt64) throws {
        guard replicates >= 1 else {
            throw StatisticsError.invalidParameter(name: "replicates", value: Double(replicates), allowed: "a whole number ≥ 1")
        }
        let observed = PearsonChiSquare(table).statistic
        let rows = table.rowTotals.map { Int($0) }, cols = table.columnTotals.map { Int($0) }
        let n = rows.reduce(0, +)
        let inverseExpected = table.expected.flatMap { $0.map { 1 / $0 } }
        let threshold = observed * (1 - 64 * Double.ulpOfOne)
        let blocks = (replicates + Self.blockSize - 1) / Self.blockSize
        let hypergeometric = HypergeometricStart(total: n)
        let hits = BlockCounts(blocks)
        defer { hits.buffer.deallocate() }
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            var sampler = RandomTableSampler(rowTotals: rows, columnTotals: cols, seed: Self.blockSeed(seed, block), start: hypergeometric)
            var cell = [Int](repeating: 0, count: rows.count * cols.count)
            let count = min(Self.blockSize, replicates - block * Self.blockSize)
            var found = 0
            for _ in 0..<count {
                sampler.draw(into: &cell)
                var x2 = -Double(n)
                for k in cell.indices {
                    let o = Double(cell[k])
                    x2 += o * o * inverseExpected[k]
                }
                if x2 >= threshold { found += 1 }
            }
            hits.buffer[block] = found
        }
        let pv = Double(1 + hits.buffer.reduce(0, +)) / Double(replicates + 1)
        p = pv
        standardError = (pv * (1 - pv) / Double(replicates)).squareRoot()
        self.replicates = replicates
        self.seed = seed
    }

    /// The seed of block k: SplitMix64 of the user's seed and the block number, so neighbouring blocks' streams
    /// share nothing.
    static func blockSeed(_ seed: UInt64, _ block: Int) -> UInt64 {
        var z = seed &+ UInt64(block + 1) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One count per block, each written by the one task that runs the block (so no two threads touch the same slot).
private struct BlockCounts: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Int>
    init(_ n: Int) { buffer = .allocate(capacity: n); buffer.initialize(repeating: 0) }
}

/// P(X = lo) of the hypergeometric draws a table of total N needs, where inversion starts. For N ≤ 100 every
/// (draws, successes, population) is computed once into a table of (N + 1)³ values (8 MB at N = 100), which takes
/// the exp and six log-factorials out of the inner loop; above that it is computed per draw.
final class HypergeometricStart: @unchecked Sendable {
    let total: Int
    let logFactorial: LogFactorialTable
    private let table: [Double]

    init(total: Int) {
        self.total = total
        logFactorial = LogFactorialTable(upTo: total)
        guard total <= 100 else { table = []; return }
        let side = total + 1
        var t = [Double](repeating: 0, count: side * side * side)
        for big in 0...total {
            for k in 0...big {
                for n in 0...big {
                    t[(n * side + k) * side + big] = Self.compute(n, k, big, logFactorial)
                }
            }
        }
        table = t
    }

    @inline(__always)
    func probability(draws n: Int, successes k: Int, population big: Int) -> Double {
        if table.isEmpty { return Self.compute(n, k, big, logFactorial) }
        let side = total + 1
        return table[(n * side + k) * side + big]
    }

    private static func compute(_ n: Int, _ k: Int, _ big: Int, _ lf: LogFactorialTable) -> Double {
        let lo = max(0, n - (big - k))
        return exp(lf[k] - lf[lo] - lf[k - lo] + lf[big - k] - lf[n - lo] - lf[big - k - n + lo]
                   - (lf[big] - lf[n] - lf[big - n]))
    }
}

/// Draws r × c tables with fixed margins by sequential conditional hypergeometric sampling (Patefield 1981), into a
/// flat row-major array.
struct RandomTableSampler {
    let rowTotals: [Int]
    let columnTotals: [Int]
    private var rng: SeededGenerator
    private let start: HypergeometricStart
    private var remainingColumns: [Int]

    init(rowTotals: [Int], columnTotals: [Int], seed: UInt64, start: HypergeometricStart? = nil) {
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        rng = SeededGenerator(seed: seed)
        self.start = start ?? HypergeometricStart(total: rowTotals.reduce(0, +))
        remainingColumns = columnTotals
    }

    mutating func draw(into cell: inout [Int]) {
        let r = rowTotals.count, c = columnTotals.count
        for j in 0..<c { remainingColumns[j] = columnTotals[j] }
        var pool = start.total
        for i in 0..<r {
            if i == r - 1 {
                for j in 0..<c { cell[i * c + j] = remainingColumns[j] }
                break
            }
            var need = rowTotals[i]
            var population = pool
            for j in 0..<c {
                let x = j == c - 1 ? need : hypergeometric(draws: need, successes: remainingColumns[j], population: population)
                cell[i * c + j] = x
                population -= remainingColumns[j]
                remainingColumns[j] -= x
                need -= x
            }
            pool -= rowTotals[i]
        }
    }

    /// One draw of the number of successes in `draws` draws without replacement, by inversion from the lower end of
    /// the support using the pmf recurrence P(x+1)/P(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1)).
    @inline(__always)
    private mutating func hypergeometric(draws n: Int, successes k: Int, population big: Int) -> Int {
        let lo = max(0, n - (big - k)), hi = min(n, k)
        if lo == hi { return lo }
        var prob = start.probability(draws: n, successes: k, population: big)
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
