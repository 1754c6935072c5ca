import Foundation

/// Monte Carlo p-value for Pearson's X² (R's `chisq.test(simulate.p.value = TRUE)`): B random tables with the
/// observed margins, p = (1 + #{X²* ≥ X²_obs}) / (B + 1).
///
/// Tables are drawn from the multiple hypergeometric distribution (all tables with the observed margins, each with
/// its probability under independence), row by row and cell by cell as conditional hypergeometric draws, which is
/// the scheme of Patefield (1981, AS 159). The observed and every simulated statistic come from one function,
/// `statistic(_:)`, on integer cells in the same order, so a simulated table equal to the observed one has exactly
/// the observed X²; a simulated statistic counts when X²* ≥ (1 − 64ε) X²_obs, R's `almost.1` rule for ties that
/// differ only by rounding. The standard error is sqrt(p (1 − p) / B).
/// B < 1 throws; a table with one possible arrangement (every simulated X² equals the observed) gives p = 1.
/// Ctrl-C (`Interruption`) stops the draws and throws `StatisticsError.interrupted`.
public struct MonteCarloChiSquare: Sendable {
    public let p: Double
    public let standardError: Double
    public let replicates: Int
    public let seed: UInt64
    /// Simulated tables with X² at least the observed: with none, p is only known to be below 1/(B + 1).
    public let asExtreme: Int
    /// The observed statistic as the simulation compares it (equal to `PearsonChiSquare`'s up to rounding).
    public let statistic: Double

    public init(_ table: ContingencyTable, replicates: Int, seed: UInt64) throws {
        guard replicates >= 1 else {
            throw StatisticsError.invalidParameter(name: "replicates", value: Double(replicates), allowed: "a whole number ≥ 1")
        }
        // Each hypergeometric draw walks from its mode, about one standard deviation (√N) of steps: beyond 10⁹ a run
        // of B tables would not end in reasonable time.
        guard table.total <= 1e9 else {
            throw StatisticsError.tableTooLarge(test: "the Monte Carlo p", total: table.total, largest: 1e9,
                                                reason: "each simulated table takes about √N steps to draw; the chi-square p is the one to read at this size")
        }
        let rows = table.rowTotals.map { Int($0) }, cols = table.columnTotals.map { Int($0) }
        let pearson = PearsonStatistic(rowTotals: rows, columnTotals: cols)
        let observedCells = table.counts.flatMap { $0.map { Int($0) } }
        let observed = pearson(observedCells)
        let threshold = observed * (1 - 64 * Double.ulpOfOne)
        let hits = try TableSimulation.count(rowTotals: rows, columnTotals: cols, replicates: replicates, seed: seed) {
            pearson($0) >= threshold
        }
        let pv = Double(1 + hits) / Double(replicates + 1)
        p = pv
        standardError = (pv * (1 - pv) / Double(replicates)).squareRoot()
        self.replicates = replicates
        self.seed = seed
        asExtreme = hits
        statistic = observed
    }
}

/// X² = Σ (O − E)² / E over the cells of a row-major integer table with fixed margins. One function for the observed
/// and the simulated tables: computing one as Σ O²/E − N and the other as Σ (O − E)²/E lost ties to cancellation.
struct PearsonStatistic: Sendable {
    let expected: [Double]
    let inverseExpected: [Double]

    init(rowTotals: [Int], columnTotals: [Int]) {
        let n = Double(rowTotals.reduce(0, +))
        var e: [Double] = []
        e.reserveCapacity(rowTotals.count * columnTotals.count)
        for r in rowTotals { for c in columnTotals { e.append(Double(r) * Double(c) / n) } }
        expected = e
        inverseExpected = e.map { 1 / $0 }
    }

    @inline(__always)
    func callAsFunction(_ cells: [Int]) -> Double {
        var x2 = 0.0
        for k in cells.indices {
            let d = Double(cells[k]) - expected[k]
            x2 += d * d * inverseExpected[k]
        }
        return x2
    }
}

/// Draws B tables with fixed margins in seeded blocks on every core and counts those `accept` takes.
enum TableSimulation {
    /// Replicates per block. Block k draws from its own generator, seeded from (seed, k), so the blocks can run on
    /// every core and the count is the same whatever the number of cores.
    static let blockSize = 1 << 16

    static func count(rowTotals rows: [Int], columnTotals cols: [Int], replicates: Int, seed: UInt64,
                      accept: @Sendable ([Int]) -> Bool) throws -> Int {
        let blocks = (replicates + blockSize - 1) / blockSize
        let start = HypergeometricStart(total: rows.reduce(0, +))
        let hits = BlockCounts(blocks)
        defer { hits.buffer.deallocate() }
        DispatchQueue.concurrentPerform(iterations: blocks) { block in
            var sampler = RandomTableSampler(rowTotals: rows, columnTotals: cols, seed: blockSeed(seed, block), start: start)
            var cell = [Int](repeating: 0, count: rows.count * cols.count)
            let count = min(blockSize, replicates - block * blockSize)
            var found = 0
            for k in 0..<count {
                // A Ctrl-C abandons the block; the caller throws once every block has returned.
                if k & 1023 == 0 && Interruption.isRequested { return }
                sampler.draw(into: &cell)
                if accept(cell) { found += 1 }
            }
            hits.buffer[block] = found
        }
        try Interruption.check()
        return hits.buffer.reduce(0, +)
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

/// The hypergeometric probability at the mode, where each draw starts. The mode's probability is at least
/// 1 / (support size), so it never underflows, whatever N (starting at the lower end of the support did: for
/// 1,600 draws from 1,600 + 1,600, P(X = lo) = 1/C(3200, 1600) is 0 in double and every draw came out extreme).
/// For N ≤ 100 every (draws, successes, population) is computed once into a table of (N + 1)³ values (8 MB at
/// N = 100), which takes the exp and log-factorials out of the inner loop; above that it is computed per draw.
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

    /// The mode of the number of successes, floor((n + 1)(K + 1) / (N + 2)), inside the support.
    @inline(__always)
    static func mode(draws n: Int, successes k: Int, population big: Int) -> Int {
        let lo = max(0, n - (big - k)), hi = min(n, k)
        let m = Int((Double(n + 1) * Double(k + 1) / Double(big + 2)).rounded(.down))
        return min(hi, max(lo, m))
    }

    @inline(__always)
    func probabilityAtMode(draws n: Int, successes k: Int, population big: Int) -> Double {
        if table.isEmpty { return Self.compute(n, k, big, logFactorial) }
        let side = total + 1
        return table[(n * side + k) * side + big]
    }

    private static func compute(_ n: Int, _ k: Int, _ big: Int, _ lf: LogFactorialTable) -> Double {
        let m = mode(draws: n, successes: k, population: big)
        return exp(lf[k] - lf[m] - lf[k - m] + lf[big - k] - lf[n - m] - lf[big - k - n + m]
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

    /// One draw of the number of successes in `draws` draws without replacement, by inversion that starts at the
    /// mode and walks outwards, one step up and one step down in turn, with the pmf recurrences
    /// P(x+1)/P(x) = (K−x)(n−x) / ((x+1)(N−K−n+x+1)) and P(x−1)/P(x) = x(N−K−n+x) / ((K−x+1)(n−x+1)).
    /// Any fixed order of the support gives the exact distribution; this one needs about one standard deviation of
    /// steps and never multiplies up from an underflowed start.
    @inline(__always)
    private mutating func hypergeometric(draws n: Int, successes k: Int, population big: Int) -> Int {
        let lo = max(0, n - (big - k)), hi = min(n, k)
        if lo == hi { return lo }
        let m = HypergeometricStart.mode(draws: n, successes: k, population: big)
        let pm = start.probabilityAtMode(draws: n, successes: k, population: big)
        var u = rng.nextUniform()
        if u < pm { return m }
        u -= pm
        var up = m, down = m, pUp = pm, pDown = pm
        let rest = Double(big - k - n)
        while up < hi || down > lo {
            if up < hi {
                pUp *= Double(k - up) * Double(n - up) / (Double(up + 1) * (rest + Double(up + 1)))
                up += 1
                if u < pUp { return up }
                u -= pUp
            }
            if down > lo {
                pDown *= Double(down) * (rest + Double(down)) / (Double(k - down + 1) * Double(n - down + 1))
                down -= 1
                if u < pDown { return down }
                u -= pDown
            }
        }
        // Rounding left u a hair above the total mass: the mode is the most probable answer.
        return m
    }
}
