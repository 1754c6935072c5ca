import Foundation

/// Fisher's exact test for an r × c table, two-sided as R's `fisher.test`.
///
/// p = Σ P(T) over all tables T with the observed margins and P(T) ≤ P(obs)·(1 + 1e-7), where
/// P(T) = Π R_i! Π C_j! / (N! Π x_ij!), all in log space.
///
/// Tables are enumerated column by column in the network algorithm of Mehta & Patel (1983): a node is the multiset
/// of row margins still to fill, and paths into a node with the same probability so far are merged (on a grid of
/// 16 ulp of ln N!, see `PastTable`). Two bounds on the rest of the path decide each past as it reaches a node,
/// without storing or expanding it, as FEXACT does: if even
/// the most probable completion is improbable enough, every completion counts and their total probability is added
/// in closed form (Σ over completions of Π 1/x_ij! = N'! / (Π r'_i! Π C'_j!)); if even the least probable completion
/// is too probable, none counts. The bounds are the exact shortest and longest paths where walking the node's
/// completions is affordable; otherwise the least completion exactly (a minimum convex-cost flow) and the most as
/// the smaller of a row-wise and a column-wise relaxation, both always valid. Two columns from the end, and where
/// pasts meet their completions halfway, open pasts are settled by binary searches over sorted scores.
///
/// The enumeration runs within an `ExactBudget` of time and memory (the network's storage, counted as it grows at
/// a measured cost per node and per stored past). Beyond the budget the test returns a Monte Carlo estimate
/// instead, labelled `.monteCarlo` with the reason, B replicates, the seed and its standard error: never a failure
/// and never more memory than the budget. Ctrl-C (`Interruption`) throws `StatisticsError.interrupted`. The table
/// comes from `ContingencyTable`, so it is never empty or NaN; a table with a single possible arrangement gives
/// p = 1.
public struct FisherExact: Sendable {
    public enum Method: Sendable, Equatable {
        case exact
        /// Tables were sampled because the exact enumeration went over its budget: B replicates, seed, standard
        /// error, which limit was reached, and how many sampled tables were at most as probable as the observed one
        /// (none: p is only known to be below 1/(B + 1), and the standard error says nothing).
        case monteCarlo(replicates: Int, seed: UInt64, standardError: Double, reason: BudgetLimit, asExtreme: Int)
    }

    /// The limit an exact enumeration reached.
    public enum BudgetLimit: Sendable, Equatable {
        /// The steps of work the budget allows (`ExactBudget.steps`), named as seconds on the reference machine.
        case work(seconds: Double)
        case memory(bytes: Int)
        /// The user's wall-clock limit (`--timeout`): the one limit that depends on the machine's load.
        case timeout(seconds: Double)
    }

    public let p: Double
    public let method: Method
    /// Sample odds ratio ad/bc for a 2 × 2 table (infinite or NaN when a cell is 0), nil otherwise.
    public let sampleOddsRatio: Double?
    /// Steps of work the enumeration took (or had taken when it stopped): the measure its budget counts, the same
    /// on every run.
    public let steps: Int

    /// Bytes the networks' storage costs. Both networks count their past tables as the slots they hold
    /// (`PastTable.bytes`), and these constants for the rest: a completion kept by the meeting in the middle, and a
    /// node. Measured with peak RSS against the bytes counted on a 3 × 6 table with N = 182 at budgets of 64 and
    /// 128 MB: the process stayed within 1.1 times the budget above its 21 MB at start.
    static let bytesPerPast = 56, bytesPerNode = 320

    /// The largest N the test takes: up to it, 16 ulp of ln N! (the grid pasts are merged on, `PastTable`) is below
    /// R's tie tolerance of 1e-7 on the log scale, so tables as probable as the observed one are told apart from
    /// the others. At N = 2^53 every table's score rounded to the same double and the p came out 1.
    public static let largestTotal = 2_000_000.0

    /// Steps charged for one edge relaxed in the least-completion flow (a log and a comparison), against one step
    /// for a past decided at a node: see `ExactBudget.stepsPerSecond` for how the steps were weighed.
    static let stepsPerRelaxation = 2

    /// Steps charged for a new node: its key stored, its bounds made over the remaining columns, and the probes of a
    /// map that outgrows the caches.
    static let stepsPerNewNode = 48

    /// Steps charged for a split of a column: its child's key packed and looked up. (Charging 2 let a 6 × 6 table
    /// with N = 1,967 spend 150 ns a step where a 4 × 5 table spent 10.)
    static let stepsPerSplit = 12

    /// A node's working arrays: the open and arriving pasts (16 bytes each, at their largest capacity so far) and a
    /// sorted copy of the open ones with its sort's scratch and the tuples it is made from (`ScoreTail`: 88 bytes a past).
    static func workingBytes(open: [(score: Double, paths: Double)], arriving: [(score: Double, paths: Double)]) -> Int {
        16 * (open.capacity + arriving.capacity) + 96 * open.count
    }

    public init(_ table: ContingencyTable, budget: ExactBudget = .automatic, fallbackReplicates: Int = 100_000,
                seed: UInt64 = 1) throws {
        // Fewer rows than columns keeps each column's split cheap to enumerate. A square table is turned so that the
        // margin with the largest total is the one filled column by column: on the 12 random 4 × 4 to 6 × 6 tables
        // tried where the two ways round differed, that was the quicker 10 times, by up to 3 times (0.40 s against
        // 0.14 s, 1.8 s against 0.9 s); the two wrong choices cost 0.06 s, and 4% of a 6 × 6 table's 45 s.
        guard table.total <= Self.largestTotal else {
            throw StatisticsError.tableTooLarge(test: "Fisher's exact test", total: table.total, largest: Self.largestTotal,
                reason: "tables this large differ in probability by less than double precision resolves (R's tie tolerance is 1e-7 relative); read the chi-square p, which is reliable at this size unless a row or column total is tiny")
        }
        let rowTotals = table.counts.map { $0.reduce(0, +) }
        let columnTotals = (0..<table.columnCount).map { j in table.counts.reduce(0) { $0 + $1[j] } }
        let turn = table.rowCount > table.columnCount
            || (table.rowCount == table.columnCount && (rowTotals.max() ?? 0) > (columnTotals.max() ?? 0))
        let counts = turn ? Self.transpose(table.counts) : table.counts
        let x = counts.map { $0.map { Int($0) } }
        if table.rowCount == 2 && table.columnCount == 2 {
            let a = table.counts[0][0], b = table.counts[0][1], c = table.counts[1][0], d = table.counts[1][1]
            sampleOddsRatio = (a * d) / (b * c)
        } else {
            sampleOddsRatio = nil
        }
        let meter = BudgetMeter(budget)
        let outcome: Outcome
        do {
            outcome = x.count == 2 ? try TwoRowNetwork(table: x).run(meter) : try Enumeration(table: x).run(meter)
        } catch let over as BudgetMeter.Over {
            outcome = .over(over.limit)
        }
        steps = meter.steps
        switch outcome {
        case .finished(let exact):
            p = min(1, exact)
            method = .exact
        case .over(let limit):
            let mc = try Self.monteCarlo(x, replicates: fallbackReplicates, seed: seed)
            p = mc.p
            method = .monteCarlo(replicates: fallbackReplicates, seed: seed, standardError: mc.se, reason: limit, asExtreme: mc.hits)
        }
    }

    enum Outcome { case finished(Double), over(BudgetLimit) }

    /// log(e^a + e^b), exact when either is −∞.
    static func logAdd(_ a: Double, _ b: Double) -> Double {
        let hi = max(a, b), lo = min(a, b)
        return hi == -.infinity ? hi : hi + log1p(exp(lo - hi))
    }

    /// min Σ ln x_ik! over tables with row totals `rows` and column totals `columns` (equal sums): successive
    /// shortest augmenting paths of one unit, each cell's next unit costing ln(x + 1) and a unit taken back
    /// −ln x. Convex costs make the greedy augmentations optimal, so the result is the exact minimum.
    static func leastCompletion(rows: [Int], columns: [Int], lf: LogFactorialTable) -> Double {
        var relaxations = 0
        return leastCompletion(rows: rows, columns: columns, lf: lf, relaxations: &relaxations)
    }

    /// As above, counting the edges relaxed (each a log and a comparison): the work a budget charges for it.
    static func leastCompletion(rows: [Int], columns: [Int], lf: LogFactorialTable, relaxations: inout Int) -> Double {
        let r = rows.count, m = columns.count
        var x = [Int](repeating: 0, count: r * m)
        var rowLeft = rows, colLeft = columns
        let units = rows.reduce(0, +)
        var dist = [Double](repeating: 0, count: r + m)
        var prev = [Int](repeating: -1, count: r + m)
        for _ in 0..<units {
            for v in 0..<(r + m) { dist[v] = v < r && rowLeft[v] > 0 ? 0 : .infinity; prev[v] = -1 }
            // Bellman–Ford over rows → columns (a unit more) and columns → rows (a unit back).
            var changed = true, rounds = 0
            while changed && rounds < r + m {
                changed = false
                rounds += 1
                for i in 0..<r where dist[i] < .infinity {
                    relaxations += m
                    for k in 0..<m {
                        let d = dist[i] + log(Double(x[i * m + k] + 1))
                        if d < dist[r + k] - 1e-12 { dist[r + k] = d; prev[r + k] = i; changed = true }
                    }
                }
                for k in 0..<m where dist[r + k] < .infinity {
                    relaxations += r
                    for i in 0..<r where x[i * m + k] > 0 {
                        let d = dist[r + k] - log(Double(x[i * m + k]))
                        if d < dist[i] - 1e-12 { dist[i] = d; prev[i] = r + k; changed = true }
                    }
                }
            }
            guard let end = (0..<m).filter({ colLeft[$0] > 0 && dist[r + $0] < .infinity }).min(by: { dist[r + $0] < dist[r + $1] }) else { break }
            // Back along the path: column ← row adds a unit, row ← column takes one back.
            var v = r + end
            colLeft[end] -= 1
            while true {
                let u = prev[v]
                if v >= r {
                    x[u * m + (v - r)] += 1
                } else {
                    x[v * m + (u - r)] -= 1
                }
                v = u
                if v < r && prev[v] == -1 { rowLeft[v] -= 1; break }
            }
        }
        return x.reduce(0.0) { $0 + lf[$1] }
    }


    private static func transpose(_ m: [[Double]]) -> [[Double]] {
        (0..<(m.first?.count ?? 0)).map { j in m.map { $0[j] } }
    }

    /// Share of tables (drawn with fixed margins) at most as probable as the observed one, R's rule with its
    /// 1e-7 relative tolerance, drawn in seeded blocks on every core.
    private static func monteCarlo(_ x: [[Int]], replicates: Int, seed: UInt64) throws -> (p: Double, se: Double, hits: Int) {
        let rows = x.map { $0.reduce(0, +) }
        let cols = (0..<x[0].count).map { j in x.reduce(0) { $0 + $1[j] } }
        let lf = LogFactorialTable(upTo: rows.reduce(0, +))
        let observed = x.flatMap { $0 }.reduce(0) { $0 + lf[$1] } - log1p(1e-7)
        let hits = try TableSimulation.count(rowTotals: rows, columnTotals: cols, replicates: replicates, seed: seed) { cell in
            var score = 0.0
            for v in cell { score += lf[v] }
            return score >= observed
        }
        let p = Double(1 + hits) / Double(replicates + 1)
        return (p, (p * (1 - p) / Double(replicates)).squareRoot(), hits)
    }

    /// The network of Mehta & Patel (1983). Stage k holds the nodes reachable after filling columns 0..<k; a node is
    /// the multiset (sorted) of row totals still to fill, since the completions of a node depend on nothing else.
    /// Each node keeps the distinct "past" scores S = Σ ln x_ij! of the paths into it, with how many paths share
    /// each (paths whose scores agree to the problem's grid are merged, see `PastTable`).
    /// A table counts when S ≥ S_obs − ln(1 + 1e-7). Per node, bounds on the rest of the path decide each past
    /// score without expanding it (see the type's comment).
    private struct Enumeration {
        let columns: [Int]
        let rowTotals: [Int]
        let lf: LogFactorialTable
        let threshold: Double
        let logConstant: Double
        /// Σ ln C_j! and Σ C_j over columns j..<c, for the closed-form completion sum.
        let suffixColumnLogFactorials: [Double]
        let suffixColumnTotals: [Int]
        let packing: NodePacking?
        /// An empty table of pasts on the problem's grid.
        let noPasts: PastTable

        init(table: [[Int]]) {
            let setup = NetworkSetup(table)
            rowTotals = setup.rowTotals
            columns = setup.columns
            lf = setup.lf
            threshold = setup.threshold
            logConstant = setup.logConstant
            suffixColumnLogFactorials = setup.suffixLogFactorials
            suffixColumnTotals = setup.suffixTotals
            noPasts = setup.pasts
            packing = NodePacking(rows: rowTotals.count, largest: rowTotals.max() ?? 0)
        }

        /// The nodes of one stage: each node's key, and the past scores reaching it.
        struct Stage {
            /// An empty table on the problem's grid, for each new node.
            let noPasts: PastTable
            var index = NodeMap<Int>()
            var keys: [NodeKey] = []
            var pasts: [PastTable] = []
            /// Each node's bounds on the scores of its completions (per column until a past needs better, then
            /// exact or refined: `refined`), and the log of its completions' total weight: what decides a past as
            /// it arrives.
            var bounds: [(lower: Double, upper: Double, logAll: Double, refined: Bool)] = []

            /// The node's place, made (with an empty table of pasts) when new; `made` says whether it was.
            mutating func node(_ key: NodeKey) -> (id: Int, made: Bool) {
                if let id = index[key] { return (id, false) }
                let id = keys.count
                index[key] = id
                keys.append(key)
                pasts.append(noPasts)
                return (id, true)
            }
        }

        /// The two-sided p, or the limit of the budget that was reached first.
        func run(_ meter: BudgetMeter) throws -> Outcome {
            // Four words hold the row totals of any table whose network could fit in memory: 23 rows of totals
            // up to 2,047. A larger one is over any memory budget before it starts.
            guard let packing else { return .over(.memory(bytes: meter.budget.bytes)) }
            let r = rowTotals.count
            meter.cacheBytes = lf.bytes
            // About 1 s of split evaluations in a release build.
            let cache = BoundCache(stages: columns.count, workLimit: 4_000_000)
            // Pasts meet completions (see `Futures`) once the columns filled so far hold half the table, where the
            // pasts and the completions are about equally many: on a 3 × 6 table with N = 182 that is after three
            // columns (1.4 s; meeting after two ran out of its 30 s, and not meeting out of 2 GB). With three columns
            // or fewer the forward network alone is as quick.
            let meet: Int = {
                guard columns.count >= 4 else { return -1 }
                let n = suffixColumnTotals[0]
                var filled = 0
                for j in 0..<(columns.count - 1) {
                    filled += columns[j]
                    if 2 * filled >= n { return max(1, min(j + 1, columns.count - 2)) }
                }
                return columns.count - 2
            }()
            let futureCache = FutureCache(stages: columns.count)
            var stage = Stage(noPasts: noPasts)
            let root = stage.node(packing.pack(rowTotals.sorted()))
            stage.bounds.append(columnBounds(0, rowTotals))
            stage.pasts[root.id].add(score: 0, paths: 1)
            var total = 0.0
            var stageBytes = FisherExact.bytesPerNode + stage.pasts[root.id].bytes
            var remaining = [Int](repeating: 0, count: r)
            var splits = Splits(rows: r)
            var open: [(score: Double, paths: Double)] = []
            for j in 0..<columns.count {
                var next = Stage(noPasts: noPasts)
                var nextBytes = 0
                for id in stage.keys.indices {
                    packing.unpack(stage.keys[id], into: &remaining)
                    // Every node's bounds were made when it was reached, and its pasts decided as they arrived (those
                    // stored are open under them).
                    var b = stage.bounds[id]
                    if !b.refined && stage.pasts[id].contains(where: { $0 + b.lower < threshold && $0 + b.upper >= threshold }) {
                        b = try refinedBounds(j, stage.keys[id], remaining, b, meet: meet, cache: cache, meter: meter)
                    }
                    try Interruption.check()
                    if let over = try stage.pasts[id].settle(lower: b.lower, upper: b.upper, threshold: threshold, logAll: b.logAll,
                                                              total: &total, open: &open, meter: meter) { return .over(over) }
                    if open.isEmpty { continue }
                    if j == meet {
                        // Meet in the middle: the node's completions, by score, against its open pasts.
                        meter.bytes = stageBytes + FisherExact.workingBytes(open: open, arriving: [])
                        total += try meeting(j, stage.keys[id], open: open, cache: futureCache, meter: meter)
                        continue
                    }
                    // Inside a walk of splits the budget throws (`BudgetMeter.Over`), which ends the walk at once: a
                    // flag checked per split left the odometer turning through the 10¹¹ splits of a 6 × 6 table's column.
                    if j == columns.count - 2 {
                        // Two columns from the end each split leaves one completion (the last column takes what is
                        // left), so the open pasts that count for it are those with score ≥ threshold − split −
                        // completion: sorted once, a binary search per split instead of storing every complete table
                        // in the last stage (which took a 3 × 3 table with N = 1,400 past 2 GB).
                        let tail = ScoreTail(open.map { ($0.score, $0.paths) })
                        if let limit = try meter.exceeded(work: tail.count) { return .over(limit) }
                        // A completion is a few lookups and one binary search: about a third of a split's cost.
                        let completionSteps = 2 + (Int.bitWidth - tail.count.leadingZeroBitCount) / 4
                        try splits.forEachCompletion(of: columns[j], over: remaining, lf: lf) { fixed in
                            try meter.charge(completionSteps)
                            if let logWeight = tail.logWeight(atLeast: threshold - fixed) { total += exp(logConstant - fixed + logWeight) }
                        }
                        continue
                    }
                    meter.bytes = stageBytes + nextBytes + FisherExact.workingBytes(open: open, arriving: [])
                    if let limit = try meter.exceeded() { return .over(limit) }
                    let sorted = ScoreTail(open.map { ($0.score, $0.paths) })
                    let searchSteps = 2 * (Int.bitWidth - sorted.count.leadingZeroBitCount)
                    if let limit = try meter.exceeded(work: sorted.count) { return .over(limit) }
                    try splits.forEach(of: columns[j], over: remaining, lf: lf) { child, splitScore in
                        // A split's steps: its node found or made (a hash probe into a map that outgrows the caches),
                        // and two binary searches over the open pasts.
                        try meter.charge(FisherExact.stepsPerSplit + searchSteps)
                        let key = packing.pack(child)
                        // A new node is counted before it is made, whether or not a past is stored in it (nodes whose
                        // pasts were all summed or dropped took a 6 × 6 table with N = 1,967 past 1.6 GB under 64 MB).
                        if next.index[key] == nil {
                            meter.bytes = stageBytes + nextBytes + FisherExact.bytesPerNode + FisherExact.workingBytes(open: open, arriving: [])
                            try meter.charge(FisherExact.stepsPerNewNode)
                        }
                        let node = next.node(key)
                        if node.made {
                            nextBytes += FisherExact.bytesPerNode
                            next.bounds.append(columnBounds(j + 1, child))
                        }
                        // Each past is decided as it reaches the child, as FEXACT does: one whose every completion
                        // counts is summed now, one that none can is dropped, and only the open ones are stored
                        // (storing all and deciding them a stage later took a 4 × 5 table with N = 200 to 7.9 GB).
                        // With the pasts sorted, those are a prefix (summed from the running log-sum), a suffix and
                        // the open range between, found by two binary searches per split.
                        var b = next.bounds[node.id]
                        var summed = sorted.count(atLeast: threshold - b.lower - splitScore)
                        var kept = sorted.count(atLeast: threshold - b.upper - splitScore)
                        if kept > summed && !b.refined {
                            b = try refinedBounds(j + 1, key, child, b, meet: meet, cache: cache, meter: meter)
                            next.bounds[node.id] = b
                            summed = sorted.count(atLeast: threshold - b.lower - splitScore)
                            kept = sorted.count(atLeast: threshold - b.upper - splitScore)
                        }
                        if summed > 0 { total += exp(b.logAll - splitScore + sorted.logCumulative[summed - 1]) }
                        if kept <= summed { return }
                        let before = next.pasts[node.id].bytes
                        let working = FisherExact.workingBytes(open: open, arriving: [])
                        meter.bytes = stageBytes + nextBytes - before + next.pasts[node.id].peakBytes(adding: kept - summed) + working
                        try meter.charge()
                        next.pasts[node.id].add(scores: sorted.scores, weights: sorted.weights, plus: splitScore, range: summed..<kept)
                        nextBytes += next.pasts[node.id].bytes - before
                        try meter.charge(kept - summed)
                        meter.bytes = stageBytes + nextBytes + FisherExact.workingBytes(open: open, arriving: [])
                    }
                }
                if j == meet { return .finished(total) }
                stage = next
                stageBytes = nextBytes
                meter.bytes = stageBytes
            }
            // After the last column every surviving node is the empty table: its pasts are complete tables.
            for id in stage.pasts.indices {
                stage.pasts[id].forEach { score, paths in
                    if score >= threshold { total += paths * exp(logConstant - score) }
                }
            }
            return .finished(total)
        }

        /// The completions of a node: every way to fill the remaining columns, as distinct scores Σ ln x! (merged on
        /// the grid, as pasts are) with how many completions share each, sorted by score from the highest, with the
        /// running log-sum of count · e^(−score).
        ///
        /// Why: on a 3 × 6 table with N = 182 the forward network held 2.5 million pasts at its middle stage and 21
        /// million one stage later, because most pasts there can neither be counted nor dropped by the bounds. Meeting
        /// in the middle, a past with score s counts against exactly the completions with score ≥ threshold − s, a
        /// prefix of the sorted completions: one binary search per past instead of one expansion per past and split.
        final class Futures {
            let tail: ScoreTail

            init(_ tail: ScoreTail) { self.tail = tail }
        }

        final class FutureCache {
            var stages: [NodeMap<Futures>]
            init(stages: Int) { self.stages = Array(repeating: NodeMap(), count: stages + 1) }
        }

        /// The open pasts of a node at the meeting against its completions: Σ over pasts and completions with past +
        /// completion ≥ threshold of paths · count · e^(C − score). Only the completions between threshold − the
        /// highest open past and threshold − the lowest are kept one by one: those above count for every past and are
        /// summed as they come (a prefix of each child's sorted completions, one binary search), those below count for
        /// none. Storing them all was two thirds of the time on a 6 × 6 table with N = 90. The children's completions
        /// are memoised (`futures`); this node's, which depend on its pasts, are not. Throws `BudgetMeter.Over`.
        private func meeting(_ j: Int, _ key: NodeKey, open: [(score: Double, paths: Double)], cache: FutureCache,
                             meter: BudgetMeter) throws -> Double {
            guard let lowest = open.map(\.score).min(), let highest = open.map(\.score).max() else { return 0 }
            let countsForAll = threshold - lowest, countsForSome = threshold - highest
            var logAll = -Double.infinity
            var window = noPasts
            // The window is held while the children's completions are made: counted in the meter until it is let go.
            var held = 0
            defer { meter.bytes -= held }
            try forEachChild(j, key) { child, splitScore in
                let rest = try futures(j + 1, child, cache: cache, meter: meter).tail
                // Sorted from the highest: [0, a) count for every past, [a, b) for some, the rest for none.
                let a = rest.count(atLeast: countsForAll - splitScore), b = rest.count(atLeast: countsForSome - splitScore)
                if a > 0 { logAll = FisherExact.logAdd(logAll, rest.logCumulative[a - 1] - splitScore) }
                if b > a {
                    let peak = window.peakBytes(adding: b - a)
                    if meter.wouldExceedMemory(adding: peak - held) { throw BudgetMeter.Over(limit: .memory(bytes: meter.budget.bytes)) }
                    window.add(scores: rest.scores, weights: rest.weights, plus: splitScore, range: a..<b)
                    meter.bytes += window.bytes - held
                    held = window.bytes
                }
                try meter.charge(b - a + 2)
            }
            // The window sorted (its tail: three arrays and the sort's scratch, `ScoreTail.bytesPerEntry` an entry).
            if meter.wouldExceedMemory(adding: window.count * ScoreTail.bytesPerEntry) {
                throw BudgetMeter.Over(limit: .memory(bytes: meter.budget.bytes))
            }
            let some = window.tail
            try meter.charge(window.count + open.count)
            return open.reduce(0.0) { total, past in
                let logWeight = FisherExact.logAdd(logAll, some.logWeight(atLeast: threshold - past.score) ?? -.infinity)
                return logWeight == -.infinity ? total : total + past.paths * exp(logConstant - past.score + logWeight)
            }
        }

        /// Each split of column j from node `key`: its child node and the split's score, one at a time. (They were
        /// gathered into an array first: a column of 200 over five rows has 7·10⁷ splits, and a 5 × 5 table with
        /// N = 776 took 10 GB that way before any limit was read.)
        private func forEachChild(_ j: Int, _ key: NodeKey, _ body: (NodeKey, Double) throws -> Void) throws {
            guard let packing else { return }
            var remaining = [Int](repeating: 0, count: rowTotals.count)
            packing.unpack(key, into: &remaining)
            var splits = Splits(rows: rowTotals.count)
            try splits.forEach(of: columns[j], over: remaining, lf: lf) { child, score in try body(packing.pack(child), score) }
        }

        /// The completions of node `key` from column j on, memoised per stage and node. The table being merged is
        /// counted in the meter while it is made (the merges of the nodes above it are still held), and each kept
        /// completion at `bytesPerPast` in the caches. Throws `BudgetMeter.Over`.
        private func futures(_ j: Int, _ key: NodeKey, cache: FutureCache, meter: BudgetMeter) throws -> Futures {
            if let hit = cache.stages[j][key] { return hit }
            if j == columns.count { return Futures(ScoreTail([(0, 1)])) }
            var merged = noPasts
            var held = 0
            defer { meter.bytes -= held }
            try forEachChild(j, key) { child, splitScore in
                let rest = try futures(j + 1, child, cache: cache, meter: meter).tail
                let peak = merged.peakBytes(adding: rest.count)
                if meter.wouldExceedMemory(adding: peak - held) { throw BudgetMeter.Over(limit: .memory(bytes: meter.budget.bytes)) }
                merged.add(scores: rest.scores, weights: rest.weights, plus: splitScore)
                meter.bytes += merged.bytes - held
                held = merged.bytes
                try meter.charge(rest.count + 2)
            }
            let kept = merged.count * FisherExact.bytesPerPast
            let growth = cache.stages[j].peakBytesForInsert - cache.stages[j].bytes
            if meter.wouldExceedMemory(adding: kept + merged.count * ScoreTail.bytesPerEntry + growth) {
                throw BudgetMeter.Over(limit: .memory(bytes: meter.budget.bytes))
            }
            let future = Futures(merged.tail)
            try meter.charge(merged.count)
            let before = cache.stages[j].bytes
            cache.stages[j][key] = future
            meter.cacheBytes += kept + cache.stages[j].bytes - before
            return future
        }

        /// Exact smallest and largest Σ ln x! over all completions of a node (the shortest and longest paths of the
        /// network, as FEXACT computes them), memoised per stage and node. The bounds decide most pasts without
        /// expanding them: on a 3 × 6 table with N = 182 the per-column bounds left the network to grow past 2 GB,
        /// and the exact ones finish it in a fraction of a second. Finding them walks every node and split once, so
        /// the walk has its own allowance of split evaluations (`workLimit`); past it, the cache is marked exhausted
        /// and the nodes not yet known fall back to the per-column bounds, which are looser but always valid.
        final class BoundCache {
            var stages: [NodeMap<(Double, Double)>]
            var work = 0
            let workLimit: Int
            var exhausted = false
            /// The bounds of `looseBounds`, for the nodes the exact walk did not reach.
            private var looseStages: [NodeMap<(Double, Double)>]
            init(stages: Int, workLimit: Int) {
                self.stages = Array(repeating: NodeMap(), count: stages + 1)
                looseStages = Array(repeating: NodeMap(), count: stages + 1)
                self.workLimit = workLimit
            }

            /// The loose bounds of a node, memoised while the memory budget allows (they are cheap to make again).
            func loose(_ j: Int, _ key: NodeKey, meter: BudgetMeter, _ make: () -> (Double, Double)) -> (Double, Double) {
                if let hit = looseStages[j][key] { return hit }
                let made = make()
                let before = looseStages[j].bytes
                guard !meter.wouldExceedMemory(adding: looseStages[j].peakBytesForInsert - before) else { return made }
                looseStages[j][key] = made
                meter.cacheBytes += looseStages[j].bytes - before
                return made
            }

            /// Keeps a node's exact bounds when the memory budget allows; false when it does not (the walk then stops
            /// and the nodes not yet known use the loose bounds).
            func keep(_ j: Int, _ key: NodeKey, _ bounds: (Double, Double), meter: BudgetMeter) -> Bool {
                let before = stages[j].bytes
                guard !meter.wouldExceedMemory(adding: stages[j].peakBytesForInsert - before) else { return false }
                stages[j][key] = bounds
                meter.cacheBytes += stages[j].bytes - before
                return true
            }
        }

        /// Bounds on Σ ln x! over the completions of a node that cost no walk of its network. The least is exact: the
        /// minimum of a separable convex cost over the transportation polytope of the node's row totals and the
        /// remaining columns, which unit augmentations along shortest paths reach (Busacker–Gowen) in Σ rows steps
        /// of a graph of r + c nodes. The most is the smaller of two relaxations: each row concentrated in the
        /// largest columns on its own, and each column in the largest rows (the per-column bound). On a 4 × 4 table
        /// with N = 160, where the exact walk would need 2·10⁸ split evaluations, the per-column bounds left 28
        /// million pasts open.
        private func looseBounds(_ j: Int, _ remaining: [Int], relaxations: inout Int) -> (Double, Double) {
            let cols = Array(columns[j...])
            let byColumn = cols.reduce(0.0) { $0 + columnBounds($1, caps: remaining).max }
            let byRow = remaining.reduce(0.0) { $0 + columnBounds($1, caps: cols).max }
            return (FisherExact.leastCompletion(rows: remaining, columns: cols, lf: lf, relaxations: &relaxations), min(byColumn, byRow))
        }



        /// A node's first bounds at stage `j`: the per-column ones (each remaining column's most even and most
        /// concentrated split on its own), and the log of the total weight of its completions. When they already
        /// decide every past of a node (an exactly independent table decides all at the root), no walk is needed.
        private func columnBounds(_ j: Int, _ remaining: [Int]) -> (lower: Double, upper: Double, logAll: Double, refined: Bool) {
            let (lower, upper) = (j..<columns.count).reduce((0.0, 0.0)) { acc, k in
                let b = columnBounds(columns[k], caps: remaining)
                return (acc.0 + b.min, acc.1 + b.max)
            }
            let restLog = lf[suffixColumnTotals[j]] - remaining.reduce(0.0) { $0 + lf[$1] } - suffixColumnLogFactorials[j]
            return (lower, upper, logConstant + restLog, false)
        }

        /// Better bounds once a past is open under the per-column ones: exact from the walk of the node's network
        /// when it is within its allowance (with three columns or fewer it is not tried: settling costs what the walk
        /// would, two columns from the end each split being one binary search; on a 3 × 3 table it doubled the
        /// time); else the least completion exactly (a flow) and the most bounded row-wise as well as column-wise,
        /// except two columns from the end, where an open past costs one binary search, less than the flow.
        private func refinedBounds(_ j: Int, _ key: NodeKey, _ remaining: [Int],
                                   _ b: (lower: Double, upper: Double, logAll: Double, refined: Bool), meet: Int, cache: BoundCache,
                                   meter: BudgetMeter) throws
            -> (lower: Double, upper: Double, logAll: Double, refined: Bool) {
            if meet >= 0, let exact = try exactBounds(j, key, cache: cache, meter: meter) { return (exact.0, exact.1, b.logAll, true) }
            guard j < columns.count - 2 else { return (b.lower, b.upper, b.logAll, true) }
            // The flow behind the least completion is charged by the edges it relaxes (a log each): on a 5 × 5 table
            // with N = 776 it was 40% of the time.
            var relaxations = 0
            let loose = cache.loose(j, key, meter: meter) { looseBounds(j, remaining, relaxations: &relaxations) }
            try meter.charge(relaxations * FisherExact.stepsPerRelaxation)
            return (max(b.lower, loose.0), min(b.upper, loose.1), b.logAll, true)
        }

        /// Thrown to stop a walk of splits early.
        private struct WalkStopped: Error {}

        /// nil when the walk ran out of its allowance of splits or of memory for its cache. Each split is a step of
        /// the meter too, so the whole test's budget and Ctrl-C hold inside the walk (they throw).
        private func exactBounds(_ j: Int, _ key: NodeKey, cache: BoundCache, meter: BudgetMeter) throws -> (Double, Double)? {
            if j == columns.count { return (0, 0) }
            if let hit = cache.stages[j][key] { return hit }
            if cache.exhausted { return nil }
            var lo = Double.infinity, hi = -Double.infinity
            do {
                try forEachChild(j, key) { child, score in
                    cache.work += 1
                    try meter.charge(2)
                    if cache.work > cache.workLimit { cache.exhausted = true; throw WalkStopped() }
                    guard let rest = try exactBounds(j + 1, child, cache: cache, meter: meter) else { throw WalkStopped() }
                    lo = min(lo, score + rest.0)
                    hi = max(hi, score + rest.1)
                }
            } catch is WalkStopped {
                return nil
            }
            guard cache.keep(j, key, (lo, hi), meter: meter) else { cache.exhausted = true; return nil }
            return (lo, hi)
        }

        /// Most even split of `c` under the caps (smallest Σ ln x!, by water-filling, which is optimal because
        /// ln x! is convex) and most concentrated split (largest Σ ln x!, filling the largest caps first).
        private func columnBounds(_ c: Int, caps: [Int]) -> (min: Double, max: Double) {
            var left = c, maxScore = 0.0
            for cap in caps.sorted(by: >) where left > 0 {
                let take = min(cap, left)
                maxScore += lf[take]
                left -= take
            }
            var x = [Int](repeating: 0, count: caps.count)
            let order = caps.indices.sorted { caps[$0] < caps[$1] }
            left = c
            var k = caps.count
            for idx in order {
                let share = left / k
                x[idx] = min(caps[idx], share)
                left -= x[idx]
                k -= 1
            }
            // Floors leave at most one unit per row; give them to the rows that are lowest and not full.
            while left > 0 {
                guard let idx = caps.indices.filter({ x[$0] < caps[$0] }).min(by: { x[$0] < x[$1] }) else { break }
                x[idx] += 1
                left -= 1
            }
            return (x.reduce(0.0) { $0 + lf[$1] }, maxScore)
        }
    }

    /// A node of the r-row network is the multiset of row totals still to fill: sorted, and packed `width` bits a
    /// row into four words, so that it is hashed and compared without an array. With arrays as keys, copying,
    /// sorting and hashing a new array for every split was half the time on a 3 × 4 table (retain and release
    /// alone 46%).
    struct NodeKey: Hashable {
        var w0: UInt64 = 0, w1: UInt64 = 0, w2: UInt64 = 0, w3: UInt64 = 0
    }

    /// Values by node key in open addressing, hashed by a fixed mix of the four words: Swift's dictionary spent
    /// more time in its seeded hasher than in the walk it memoised (half of a 3 × 4 table's time with N = 200).
    struct NodeMap<Value> {
        private var keys: [NodeKey] = []
        private var values: [Value] = []
        /// Index + 1 into keys and values; 0 is an empty slot.
        private var slots = [Int32](repeating: 0, count: 16)

        var count: Int { keys.count }

        /// Bytes held: the keys' and values' storage at its capacity, and the slots.
        var bytes: Int {
            keys.capacity * MemoryLayout<NodeKey>.stride + values.capacity * MemoryLayout<Value>.stride + slots.count * 4
        }

        /// The most bytes held while one more key goes in: a full array keeps its old storage until its doubled one
        /// is filled, and so do the slots when they are rebuilt.
        var peakBytesForInsert: Int {
            var peak = bytes
            if keys.count == keys.capacity {
                peak += max(2, 2 * keys.capacity) * (MemoryLayout<NodeKey>.stride + MemoryLayout<Value>.stride)
            }
            if (keys.count + 1) * 2 > slots.count { peak += 2 * slots.count * 4 }
            return peak
        }

        @inline(__always)
        private static func hash(_ k: NodeKey) -> Int {
            var h = k.w0 &* 0x9E37_79B9_7F4A_7C15
            h = (h ^ (h >> 32) ^ k.w1) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ (h >> 29) ^ k.w2) &* 0x94D0_49BB_1331_11EB
            h = (h ^ (h >> 32) ^ k.w3) &* 0x9E37_79B9_7F4A_7C15
            return Int(truncatingIfNeeded: h ^ (h >> 29))
        }

        /// The slot of `key`, or of the empty slot where it would go.
        @inline(__always)
        private func slot(of key: NodeKey) -> Int {
            let mask = slots.count - 1
            var s = Self.hash(key) & mask
            while true {
                let k = Int(slots[s])
                if k == 0 || keys[k - 1] == key { return s }
                s = (s + 1) & mask
            }
        }

        subscript(key: NodeKey) -> Value? {
            get {
                let k = Int(slots[slot(of: key)])
                return k == 0 ? nil : values[k - 1]
            }
            set {
                guard let newValue else { return }
                let s = slot(of: key)
                let k = Int(slots[s])
                if k > 0 { values[k - 1] = newValue; return }
                keys.append(key)
                values.append(newValue)
                slots[s] = Int32(keys.count)
                if keys.count * 2 > slots.count {
                    slots = [Int32](repeating: 0, count: slots.count * 2)
                    let mask = slots.count - 1
                    for (i, key) in keys.enumerated() {
                        var s = Self.hash(key) & mask
                        while slots[s] != 0 { s = (s + 1) & mask }
                        slots[s] = Int32(i + 1)
                    }
                }
            }
        }
    }

    struct NodePacking {
        let rows: Int, width: Int, perWord: Int

        /// nil when the rows do not fit in four words.
        init?(rows: Int, largest: Int) {
            let width = max(1, Int.bitWidth - largest.leadingZeroBitCount)
            let perWord = 64 / width
            guard (rows + perWord - 1) / perWord <= 4 else { return nil }
            self.rows = rows
            self.width = width
            self.perWord = perWord
        }

        /// The key of row totals given in ascending order.
        @inline(__always)
        func pack(_ sorted: [Int]) -> NodeKey {
            var key = NodeKey()
            for i in 0..<rows {
                let bits = UInt64(sorted[i]) << UInt64((i % perWord) * width)
                switch i / perWord {
                case 0: key.w0 |= bits
                case 1: key.w1 |= bits
                case 2: key.w2 |= bits
                default: key.w3 |= bits
                }
            }
            return key
        }

        func unpack(_ key: NodeKey, into values: inout [Int]) {
            let mask: UInt64 = (1 << UInt64(width)) - 1
            for i in 0..<rows {
                let word: UInt64
                switch i / perWord {
                case 0: word = key.w0
                case 1: word = key.w1
                case 2: word = key.w2
                default: word = key.w3
                }
                values[i] = Int((word >> UInt64((i % perWord) * width)) & mask)
            }
        }
    }

    /// Every way to fill one column: spread its total over the rows under their caps (the row totals still to
    /// fill), giving each split's child (the caps less the split, sorted) and its score Σ ln x_i!. An odometer over
    /// reusable arrays, so a split allocates nothing.
    struct Splits {
        private var x: [Int], left: [Int], score: [Double], capAfter: [Int], child: [Int]

        init(rows: Int) {
            x = [Int](repeating: 0, count: rows)
            left = x
            child = x
            score = [Double](repeating: 0, count: rows)
            capAfter = [Int](repeating: 0, count: rows + 1)
        }

        /// Two columns from the end: every split of the column with the last column's, which takes what each row has
        /// left, as the one score Σ ln x_i! + ln (cap_i − x_i)!. The last two rows are one tight loop: on a 3 × 3
        /// table with N = 1,400 this loop runs 10⁸ times.
        mutating func forEachCompletion(of total: Int, over caps: [Int], lf: LogFactorialTable, _ body: (Double) throws -> Void) rethrows {
            let r = caps.count
            capAfter[r] = 0
            for i in stride(from: r - 1, through: 0, by: -1) { capAfter[i] = capAfter[i + 1] + caps[i] }
            guard total <= capAfter[0], total >= 0 else { return }
            if r == 1 { try body(lf[total] + lf[caps[0] - total]); return }
            let a = r - 2, capA = caps[a], capB = caps[r - 1]
            // The rows before the last two, as an odometer; `score[i]` and `left[i]` are what rows 0..<i took.
            var i = 0
            left[0] = total
            score[0] = 0
            if a > 0 { x[0] = max(0, total - capAfter[1]) }
            while true {
                while i < a {
                    score[i + 1] = score[i] + lf[x[i]] + lf[caps[i] - x[i]]
                    left[i + 1] = left[i] - x[i]
                    i += 1
                    if i < a { x[i] = max(0, left[i] - capAfter[i + 1]) }
                }
                let rest = left[a], base = score[a]
                let lo = max(0, rest - capB), hi = min(capA, rest)
                if lo <= hi {
                    for xa in lo...hi {
                        let xb = rest - xa
                        try body(base + lf[xa] + lf[capA - xa] + lf[xb] + lf[capB - xb])
                    }
                }
                // Up to the last of the earlier rows that can take one more.
                i = a - 1
                while i >= 0 && x[i] >= min(caps[i], left[i]) { i -= 1 }
                if i < 0 { return }
                x[i] += 1
            }
        }

        mutating func forEach(of total: Int, over caps: [Int], lf: LogFactorialTable, _ body: ([Int], Double) throws -> Void) rethrows {
            let r = caps.count
            capAfter[r] = 0
            for i in stride(from: r - 1, through: 0, by: -1) { capAfter[i] = capAfter[i + 1] + caps[i] }
            guard total <= capAfter[0], total >= 0 else { return }
            var i = 0
            left[0] = total
            score[0] = 0
            x[0] = max(0, total - capAfter[1])
            while true {
                // Down to the last row, each row at the least it can take; the last takes what is left.
                while i < r - 1 {
                    score[i + 1] = score[i] + lf[x[i]]
                    left[i + 1] = left[i] - x[i]
                    i += 1
                    x[i] = max(0, left[i] - capAfter[i + 1])
                }
                for k in 0..<r {
                    // Insertion into ascending order: rows are few.
                    let v = caps[k] - x[k]
                    var p = k
                    while p > 0 && child[p - 1] > v { child[p] = child[p - 1]; p -= 1 }
                    child[p] = v
                }
                try body(child, score[r - 1] + lf[x[r - 1]])
                // Up to the last row that can take one more.
                i = r - 2
                while i >= 0 && x[i] >= min(caps[i], left[i]) { i -= 1 }
                if i < 0 { return }
                x[i] += 1
            }
        }
    }

    /// Past scores of one node: open addressing on the score rounded to a grid (paths whose scores agree that far
    /// are merged). One array of slots, an empty slot marked by its key; Swift's dictionary with its seeded hashing
    /// was 40% of the time on a 3 × 6 table. A slot keeps the rounded score only (16 bytes instead of 24 took a
    /// third off the network's memory). The grid is as fine as the problem's doubles allow: 16 units in the last
    /// place of the largest score ln N! (at least 1e-13), so paths that are the same table in another order, whose
    /// sums differ by rounding only, mostly still merge, and a score moves by half that at most: for N = 100, p
    /// within 1e-13 of the exact rational sum (R's within 1.2e-13); for N = 5,000, within 6e-11. On the slowest
    /// r × c tables this costs 10% against a 1e-8 grid (4 × 4 with N = 160: 0.93 s instead of 0.83).
    /// (A grid of 1e-8 moved 2 × c p by up to 5e-9 against R's; `randomTableFisherMatchesR` holds them to 1e-9.)
    struct PastTable {
        struct Slot { var key: Int64, paths: Double }
        private static let empty = Int64.min
        private var slots: [Slot] = []
        private(set) var count = 0
        /// Keys per unit of score, and its inverse.
        private let scale: Double
        private let grid: Double

        /// An empty table for scores from 0 to `largestScore` (keys stay far inside Int64: below 2^49).
        init(largestScore: Double) {
            grid = max(1e-13, 16 * max(1, largestScore).ulp)
            scale = 1 / grid
        }

        /// Bytes of storage, counted by the budget.
        var bytes: Int { slots.count * MemoryLayout<Slot>.stride }

        @inline(__always)
        mutating func add(score: Double, paths: Double) {
            reserve(count + 1)
            let scale = self.scale
            slots.withUnsafeMutableBufferPointer { Self.insert(key: Int64(score * scale + 0.5), paths: paths, into: $0, count: &count) }
        }

        /// Adds each past moved by `step`: the table grows once, and the slots are written without a uniqueness
        /// check per past.
        mutating func add(_ pasts: [(score: Double, paths: Double)], plus step: Double) {
            reserve(count + pasts.count)
            let scale = self.scale
            slots.withUnsafeMutableBufferPointer { buffer in
                for past in pasts { Self.insert(key: Int64((past.score + step) * scale + 0.5), paths: past.paths, into: buffer, count: &count) }
            }
        }

        /// Adds scores with their weights, each moved by `step` (a child's completions, in `futures`).
        mutating func add(scores: [Double], weights: [Double], plus step: Double, range: Range<Int>? = nil) {
            let range = range ?? scores.indices
            reserve(count + range.count)
            let scale = self.scale
            slots.withUnsafeMutableBufferPointer { buffer in
                for k in range { Self.insert(key: Int64((scores[k] + step) * scale + 0.5), paths: weights[k], into: buffer, count: &count) }
            }
        }

        /// The bytes held while `more` entries are added: when the table grows, its old slots and its new ones
        /// at once. The callers count this before adding, so that a growing table cannot take the network past its
        /// budget before the budget is checked.
        func peakBytes(adding more: Int) -> Int {
            let size = Self.size(for: count + more, from: slots.count)
            return size == slots.count ? bytes : bytes + size * MemoryLayout<Slot>.stride
        }

        /// The slot count that holds `wanted` entries at a load of at most 3/4.
        private static func size(for wanted: Int, from current: Int) -> Int {
            guard wanted * 4 > current * 3 else { return current }
            var size = max(8, current)
            while wanted * 4 > size * 3 { size <<= 1 }
            return size
        }

        /// Room for `wanted` entries at a load of at most 3/4.
        @inline(__always)
        private mutating func reserve(_ wanted: Int) {
            guard wanted * 4 > slots.count * 3 else { return }
            let size = Self.size(for: wanted, from: slots.count)
            let old = slots
            slots = [Slot](repeating: Slot(key: Self.empty, paths: 0), count: size)
            count = 0
            slots.withUnsafeMutableBufferPointer { buffer in
                for s in old where s.key != Self.empty { Self.insert(key: s.key, paths: s.paths, into: buffer, count: &count) }
            }
        }

        @inline(__always)
        /// Scores are sums of ln x! ≥ 0, so the callers' `score * scale + 0.5` truncated rounds to nearest (as
        /// `rounded()`, which cost 5% as a libm call).
        private static func insert(key: Int64, paths: Double, into slots: UnsafeMutableBufferPointer<Slot>, count: inout Int) {
            let mask = slots.count - 1
            var slot = Int(truncatingIfNeeded: (UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 17) & mask
            while true {
                let k = slots[slot].key
                if k == key { slots[slot].paths += paths; return }
                if k == empty {
                    slots[slot] = Slot(key: key, paths: paths)
                    count += 1
                    return
                }
                slot = (slot + 1) & mask
            }
        }

        /// The scores with their paths, sorted from the highest, with the running log-sum (what a node's
        /// completions are kept as, and what a meeting searches).
        var tail: ScoreTail {
            var entries: [(score: Double, weight: Double)] = []
            entries.reserveCapacity(count)
            forEach { entries.append(($0, $1)) }
            return ScoreTail(entries)
        }

        func forEach(_ body: (Double, Double) throws -> Void) rethrows {
            for s in slots where s.key != Self.empty { try body(Double(s.key) * grid, s.paths) }
        }

        /// Decides each past of a node by the bounds on its completions: a past whose every completion counts adds
        /// its paths · e^(logAll − score) to `total` (the completions summed in closed form), one that some may count
        /// for goes into `open` (emptied first), the rest are dropped. The budget limit reached, if any.
        func settle(lower: Double, upper: Double, threshold: Double, logAll: Double, total: inout Double,
                    open: inout [(score: Double, paths: Double)], meter: BudgetMeter) throws -> BudgetLimit? {
            open.removeAll(keepingCapacity: true)
            for s in slots where s.key != Self.empty {
                if let limit = try meter.exceeded() { return limit }
                let score = Double(s.key) * grid
                if score + lower >= threshold {
                    total += s.paths * exp(logAll - score)
                } else if score + upper >= threshold {
                    open.append((score, s.paths))
                }
            }
            return nil
        }

        func contains(where predicate: (Double) -> Bool) -> Bool {
            slots.contains { $0.key != Self.empty && predicate(Double($0.key) * grid) }
        }
    }

    /// The network for two-row tables (after transposing, any 2 × c or r × 2 table), where a node is just how much
    /// of the first row is left (`a`; the second row's rest follows from the column totals, and a node and its
    /// mirror image have the same completions, so they are merged under min(a, T − a)). The exact shortest and
    /// longest completion of every node come from one backward pass, so each past is decided or expanded with the
    /// tightest bounds, and pasts live in the same flat open-addressing tables as the r-row network's. Same
    /// arithmetic and the same merging of pasts (on the same grid) as `Enumeration`, so the same p.
    /// Two columns from the end, the rest of each path is settled by sums instead (see `lastTwoColumns`).
    private struct TwoRowNetwork {
        let columns: [Int]
        let rowTotal: Int
        let lf: LogFactorialTable
        let threshold: Double
        let logConstant: Double
        /// T_j: total of columns j..<c; and Σ ln C_k! over them.
        let suffixTotals: [Int]
        let suffixLogFactorials: [Double]
        /// An empty table of pasts on the problem's grid.
        let noPasts: PastTable
        /// A node's entry in a stage's dictionary (key, table and the dictionary's own share), beside its pasts.
        static let bytesPerNodeEntry = 96

        init(table: [[Int]]) {
            let setup = NetworkSetup(table)
            columns = setup.columns
            rowTotal = setup.rowTotals[0]
            lf = setup.lf
            threshold = setup.threshold
            logConstant = setup.logConstant
            suffixTotals = setup.suffixTotals
            suffixLogFactorials = setup.suffixLogFactorials
            noPasts = setup.pasts
        }

        /// The open pasts of a node two columns from the end. Each split of the next column leaves one completion,
        /// so a past counts for that split exactly when its score reaches threshold − split − completion: with the
        /// pasts sorted by score, those are a prefix, and a running log-sum of their probabilities answers every
        /// split with one binary search instead of one insertion per past and split.
        private func lastTwoColumns(open: [(score: Double, paths: Double)], a: Int, xRange: ClosedRange<Int>,
                                    lastColumn: Int) -> Double {
            let pasts = ScoreTail(open.map { ($0.score, $0.paths) })
            let cj = columns[columns.count - 2]
            var sum = 0.0
            for x in xRange {
                let rest = a - x
                let fixed = lf[x] + lf[cj - x] + lf[rest] + lf[lastColumn - rest]
                if let logWeight = pasts.logWeight(atLeast: threshold - fixed) { sum += exp(logConstant - fixed + logWeight) }
            }
            return sum
        }

        func run(_ meter: BudgetMeter) throws -> Outcome {
            let c = columns.count
            // The bound tables: two doubles per (stage, first-row rest).
            let boundBytes = suffixTotals.reduce(0) { $0 + 16 * ($1 + 1) } + lf.bytes
            meter.bytes = boundBytes
            if meter.bytes > meter.budget.bytes { return .over(.memory(bytes: meter.budget.bytes)) }
            // Exact bounds on Σ ln x! over the completions of (stage j, first-row rest a).
            var lo = [[Double]](repeating: [], count: c + 1), hi = lo
            lo[c] = [0]; hi[c] = [0]
            for j in stride(from: c - 1, through: 0, by: -1) {
                try Interruption.check()
                let tj = suffixTotals[j], cj = columns[j]
                lo[j] = [Double](repeating: .infinity, count: tj + 1)
                hi[j] = [Double](repeating: -.infinity, count: tj + 1)
                for a in 0...tj {
                    let xMin = max(0, cj - (tj - a)), xMax = min(a, cj)
                    guard xMin <= xMax else { continue }
                    if let limit = try meter.exceeded(work: xMax - xMin + 1) { return .over(limit) }
                    for x in xMin...xMax {
                        let split = lf[x] + lf[cj - x]
                        lo[j][a] = min(lo[j][a], split + lo[j + 1][a - x])
                        hi[j][a] = max(hi[j][a], split + hi[j + 1][a - x])
                    }
                }
            }
            var stage: [Int: PastTable] = [min(rowTotal, suffixTotals[0] - rowTotal): {
                var p = noPasts; p.add(score: 0, paths: 1); return p
            }()]
            var total = 0.0
            var open: [(score: Double, paths: Double)] = [], arriving: [(score: Double, paths: Double)] = []
            var stageBytes = stage.values.reduce(0) { $0 + $1.bytes }
            for j in 0..<c {
                let tj = suffixTotals[j], cj = columns[j], next = suffixTotals[j + 1]
                var nextStage: [Int: PastTable] = [:]
                var nextBytes = 0
                for (a, pasts) in stage {
                    let restLog = lf[tj] - lf[a] - lf[tj - a] - suffixLogFactorials[j]
                    let lower = lo[j][a], upper = hi[j][a]
                    if let over = try pasts.settle(lower: lower, upper: upper, threshold: threshold, logAll: logConstant + restLog,
                                                   total: &total, open: &open, meter: meter) { return .over(over) }
                    if open.isEmpty { continue }
                    // The node's working arrays count too: the open and arriving pasts (their largest capacity so
                    // far) and, two columns from the end, their sorted copy (a 2 × 10 table with N = 2,095 passed
                    // its 2 GB budget by a tenth when only the tables were counted).
                    meter.bytes = boundBytes + stageBytes + nextBytes + FisherExact.workingBytes(open: open, arriving: arriving)
                    if let limit = try meter.exceeded() { return .over(limit) }
                    let xMin = max(0, cj - (tj - a)), xMax = min(a, cj)
                    guard xMin <= xMax else { continue }
                    if j == c - 2 {
                        total += lastTwoColumns(open: open, a: a, xRange: xMin...xMax, lastColumn: next)
                        let searchSteps = Int.bitWidth - open.count.leadingZeroBitCount
                        if let limit = try meter.exceeded(work: open.count + (xMax - xMin + 1) * searchSteps) { return .over(limit) }
                        continue
                    }
                    for x in xMin...xMax {
                        // Every past is visited for each split, whether or not any is kept.
                        if let limit = try meter.exceeded(work: open.count) { return .over(limit) }
                        let split = lf[x] + lf[cj - x]
                        let rest = a - x
                        let key = min(rest, next - rest)
                        // Each past decided as it reaches the child (as in the r-row network): only open ones stored.
                        let lower = lo[j + 1][rest], upper = hi[j + 1][rest]
                        let logAll = logConstant + lf[next] - lf[rest] - lf[next - rest] - suffixLogFactorials[j + 1]
                        arriving.removeAll(keepingCapacity: true)
                        for past in open {
                            let v = past.score + split
                            if v + lower >= threshold { total += past.paths * exp(logAll - v) } else if v + upper >= threshold { arriving.append((v, past.paths)) }
                        }
                        if arriving.isEmpty { continue }
                        // Added in place (the `default:` subscript), so the node's table is not copied.
                        let before = nextStage[key]?.bytes ?? 0
                        let peak = nextStage[key]?.peakBytes(adding: arriving.count) ?? noPasts.peakBytes(adding: arriving.count)
                        meter.bytes = boundBytes + stageBytes + nextBytes - before + peak + FisherExact.workingBytes(open: open, arriving: arriving)
                        if let limit = try meter.exceeded() { return .over(limit) }
                        nextStage[key, default: noPasts].add(arriving, plus: 0)
                        // A new node costs its dictionary entry too.
                        nextBytes += (nextStage[key]?.bytes ?? 0) - before + (before == 0 ? Self.bytesPerNodeEntry : 0)
                        meter.bytes = boundBytes + stageBytes + nextBytes + FisherExact.workingBytes(open: open, arriving: arriving)
                        if let limit = try meter.exceeded() { return .over(limit) }
                    }
                }
                stage = nextStage
                stageBytes = nextBytes
            }
            // After the last column every surviving node is the empty table: its pasts are complete tables.
            for (_, pasts) in stage {
                pasts.forEach { score, paths in
                    if score >= threshold { total += paths * exp(logConstant - score) }
                }
            }
            return .finished(total)
        }
    }

    /// What both networks start from: margins (columns largest first, so the early stages branch least), log
    /// factorials, the observed score less R's tolerance, the constant Σ ln R_i! + Σ ln C_j! − ln N!, and over
    /// columns j..<c the totals and Σ ln C_k! for the closed-form completion sums.
    private struct NetworkSetup {
        let rowTotals: [Int]
        let columns: [Int]
        let lf: LogFactorialTable
        let threshold: Double
        let logConstant: Double
        let suffixTotals: [Int]
        let suffixLogFactorials: [Double]
        /// The grid past scores are merged on (see `PastTable`).
        let pasts: PastTable

        init(_ table: [[Int]]) {
            rowTotals = table.map { $0.reduce(0, +) }
            columns = (0..<table[0].count).map { j in table.reduce(0) { $0 + $1[j] } }.sorted(by: >)
            let n = rowTotals.reduce(0, +)
            let logFact = LogFactorialTable(upTo: n)
            lf = logFact
            threshold = table.reduce(0.0) { $0 + $1.reduce(0.0) { $0 + logFact[$1] } } - log1p(1e-7)
            logConstant = rowTotals.reduce(0.0) { $0 + logFact[$1] } + columns.reduce(0.0) { $0 + logFact[$1] } - logFact[n]
            var t = [Int](repeating: 0, count: columns.count + 1)
            var s = [Double](repeating: 0, count: columns.count + 1)
            for j in stride(from: columns.count - 1, through: 0, by: -1) {
                t[j] = t[j + 1] + columns[j]
                s[j] = s[j + 1] + logFact[columns[j]]
            }
            suffixTotals = t
            suffixLogFactorials = s
            pasts = PastTable(largestScore: logFact[n])
        }
    }
}

/// Scores with weights, sorted from the highest, with the running log-sum of weight · e^(−score): the total weight
/// of every score ≥ t, on the log scale, is one binary search away. Both networks settle the end of their paths
/// this way (the two-row network's last two columns, the r-row network's meeting in the middle).
struct ScoreTail {
    let scores: [Double]
    let weights: [Double]
    let logCumulative: [Double]

    var count: Int { scores.count }

    /// Bytes an entry costs while a tail is made: the three arrays kept, the entries it is made from, and the radix
    /// sort's keys, order and scratch.
    static let bytesPerEntry = 96

    init(_ entries: [(score: Double, weight: Double)]) {
        guard entries.count > 256, let order = Self.radixOrder(entries.map(\.score)) else {
            let sorted = entries.sorted { $0.score > $1.score }
            self.init(sortedDescending: sorted.map(\.score), weights: sorted.map(\.weight))
            return
        }
        self.init(sortedDescending: order.map { entries[$0].score }, weights: order.map { entries[$0].weight })
    }

    /// The order of non-negative scores from the highest, by a least-significant-digit radix sort on their bit
    /// patterns (which order as the numbers do when they are ≥ 0): 11 bits a pass. The meeting in the middle sorts
    /// millions of completions; the comparison sort of them was 15% of the time on a 3 × 6 table. nil when a score
    /// is negative or not finite (then the comparison sort is used).
    static func radixOrder(_ scores: [Double]) -> [Int]? {
        guard scores.allSatisfy({ $0 >= 0 && $0.isFinite }) else { return nil }
        // Descending: sort the complements ascending.
        let keys = scores.map { ~$0.bitPattern }
        let lowest = keys.min() ?? 0, highest = keys.max() ?? 0
        let spread = highest - lowest
        let bits = UInt64.bitWidth - spread.leadingZeroBitCount
        var order = Array(keys.indices), scratch = order
        var shift: UInt64 = 0
        var counts = [Int](repeating: 0, count: 2049)
        while shift < UInt64(bits) {
            for k in counts.indices { counts[k] = 0 }
            for i in order { counts[Int(((keys[i] - lowest) >> shift) & 2047) + 1] += 1 }
            for k in 1..<counts.count { counts[k] += counts[k - 1] }
            for i in order {
                let digit = Int(((keys[i] - lowest) >> shift) & 2047)
                scratch[counts[digit]] = i
                counts[digit] += 1
            }
            swap(&order, &scratch)
            shift += 11
        }
        return order
    }

    /// Scores already sorted from the highest, with their weights.
    init(sortedDescending scores: [Double], weights: [Double]) {
        self.scores = scores
        self.weights = weights
        var acc = -Double.infinity
        logCumulative = zip(scores, weights).map { score, weight in
            let term = log(weight) - score
            let hi = max(acc, term), lo = min(acc, term)
            acc = hi == -.infinity ? hi : hi + log1p(exp(lo - hi))
            return acc
        }
    }

    /// How many scores are ≥ `needed` (they come first).
    func count(atLeast needed: Double) -> Int {
        var lo = 0, hi = scores.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if scores[mid] >= needed { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// log Σ weight · e^(−score) over the scores ≥ `needed`; nil when there are none.
    func logWeight(atLeast needed: Double) -> Double? {
        let k = count(atLeast: needed)
        return k > 0 ? logCumulative[k - 1] : nil
    }
}
