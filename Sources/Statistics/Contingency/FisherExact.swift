import Foundation

/// Fisher's exact test for an r × c table, two-sided as R's `fisher.test`.
///
/// p = Σ P(T) over all tables T with the observed margins and P(T) ≤ P(obs)·(1 + 1e-7), where
/// P(T) = Π R_i! Π C_j! / (N! Π x_ij!), all in log space.
///
/// Tables are enumerated column by column in the network algorithm of Mehta & Patel (1983): a node is the multiset
/// of row margins still to fill, and paths into a node with the same probability so far are merged. At each node two
/// bounds on the rest of the path decide without expanding it: if even
/// the most probable completion is improbable enough, every completion counts and their total probability is added
/// in closed form (Σ over completions of Π 1/x_ij! = N'! / (Π r'_i! Π C'_j!)); if even the least probable completion
/// is too probable, none counts. The bounds treat the remaining columns independently (each column's most even and
/// most concentrated split under the row caps), which is looser than the exact shortest/longest path but always
/// valid.
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
        /// error, and which limit was reached.
        case monteCarlo(replicates: Int, seed: UInt64, standardError: Double, reason: BudgetLimit)
    }

    /// The limit an exact enumeration reached.
    public enum BudgetLimit: Sendable, Equatable {
        case time(seconds: Double)
        case memory(bytes: Int)
    }

    public let p: Double
    public let method: Method
    /// Sample odds ratio ad/bc for a 2 × 2 table (infinite or NaN when a cell is 0), nil otherwise.
    public let sampleOddsRatio: Double?

    /// Bytes the networks' storage costs, measured on this implementation with peak RSS against the counted
    /// entries (Swift dictionaries at their load factor, with the transient copy while one grows): a stored past
    /// of the r-row network, a node of it, and a slot of the two-row network's open-addressing tables. Measured on
    /// three tables (3 × 3, N = 1,400; 3 × 6, N = 182; 3 × 5, N = 330) at budgets of 256 MB and 1 GB: peak RSS was
    /// 0.50–0.57 of the bytes counted at 96 and 256, so these counts keep the process at about 0.85 of the budget.
    static let bytesPerPast = 56, bytesPerNode = 160, bytesPerTwoRowSlot = 25

    public init(_ table: ContingencyTable, budget: ExactBudget = .automatic, fallbackReplicates: Int = 100_000,
                seed: UInt64 = 1) throws {
        // Fewer rows than columns keeps each column's split cheap to enumerate.
        let counts = table.rowCount <= table.columnCount ? table.counts : Self.transpose(table.counts)
        let x = counts.map { $0.map { Int($0) } }
        if table.rowCount == 2 && table.columnCount == 2 {
            let a = table.counts[0][0], b = table.counts[0][1], c = table.counts[1][0], d = table.counts[1][1]
            sampleOddsRatio = (a * d) / (b * c)
        } else {
            sampleOddsRatio = nil
        }
        var meter = BudgetMeter(budget)
        let outcome = x.count == 2 ? try TwoRowNetwork(table: x).run(&meter) : try Enumeration(table: x).run(&meter)
        switch outcome {
        case .finished(let exact):
            p = min(1, exact)
            method = .exact
        case .over(let limit):
            let mc = try Self.monteCarlo(x, replicates: fallbackReplicates, seed: seed)
            p = mc.p
            method = .monteCarlo(replicates: fallbackReplicates, seed: seed, standardError: mc.se, reason: limit)
        }
    }

    enum Outcome { case finished(Double), over(BudgetLimit) }

    private static func transpose(_ m: [[Double]]) -> [[Double]] {
        (0..<(m.first?.count ?? 0)).map { j in m.map { $0[j] } }
    }

    /// Share of tables (drawn with fixed margins) at most as probable as the observed one, R's rule with its
    /// 1e-7 relative tolerance, drawn in seeded blocks on every core.
    private static func monteCarlo(_ x: [[Int]], replicates: Int, seed: UInt64) throws -> (p: Double, se: Double) {
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
        return (p, (p * (1 - p) / Double(replicates)).squareRoot())
    }

    /// The network of Mehta & Patel (1983). Stage k holds the nodes reachable after filling columns 0..<k; a node is
    /// the multiset (sorted) of row totals still to fill, since the completions of a node depend on nothing else.
    /// Each node keeps the distinct "past" scores S = Σ ln x_ij! of the paths into it, with how many paths share
    /// each (paths whose scores agree to 1e-8 are merged: their probabilities agree far inside R's 1e-7 tolerance).
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

        init(table: [[Int]]) {
            let setup = NetworkSetup(table)
            rowTotals = setup.rowTotals
            columns = setup.columns
            lf = setup.lf
            threshold = setup.threshold
            logConstant = setup.logConstant
            suffixColumnLogFactorials = setup.suffixLogFactorials
            suffixColumnTotals = setup.suffixTotals
        }

        /// Past scores reaching one node: key (score rounded to 1e-8) → (score, number of paths).
        typealias Pasts = [Int64: (score: Double, paths: Double)]

        /// The two-sided p, or the limit of the budget that was reached first.
        func run(_ meter: inout BudgetMeter) throws -> Outcome {
            // About 1 s of split evaluations in a release build (each allocates the child node).
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
            var stage: [[Int]: Pasts] = [rowTotals.sorted(): [0: (0, 1)]]
            var total = 0.0
            var stageBytes = FisherExact.bytesPerNode + FisherExact.bytesPerPast
            for j in 0..<columns.count {
                var next: [[Int]: Pasts] = [:]
                var nextBytes = 0
                for (remaining, pasts) in stage {
                    // The per-column bounds first: when they already decide every past of the node (an exactly
                    // independent table decides all at the root), the exact walk is not needed.
                    var (lower, upper) = (j..<columns.count).reduce((0.0, 0.0)) { acc, k in
                        let b = columnBounds(columns[k], caps: remaining)
                        return (acc.0 + b.min, acc.1 + b.max)
                    }
                    if pasts.values.contains(where: { $0.score + lower < threshold && $0.score + upper >= threshold }),
                       let exact = exactBounds(j, remaining, cache: cache) {
                        (lower, upper) = exact
                    }
                    try Interruption.check()
                    let restLog = lf[suffixColumnTotals[j]] - remaining.reduce(0.0) { $0 + lf[$1] } - suffixColumnLogFactorials[j]
                    var open: [(score: Double, paths: Double)] = []
                    for (_, past) in pasts {
                        if let limit = try meter.exceeded() { return .over(limit) }
                        if past.score + lower >= threshold {
                            total += past.paths * exp(logConstant - past.score + restLog)
                        } else if past.score + upper >= threshold {
                            open.append(past)
                        }
                    }
                    if open.isEmpty { continue }
                    if j == meet {
                        // Meet in the middle: the node's completions, by score, against its open pasts.
                        guard let future = try futures(j, remaining, cache: futureCache, meter: &meter, baseBytes: stageBytes) else {
                            return .over(futureCache.limit ?? .memory(bytes: meter.budget.bytes))
                        }
                        total += future.sum(over: open, threshold: threshold, logConstant: logConstant)
                        continue
                    }
                    var overBudget: BudgetLimit?
                    var stopped: Error?
                    forEachSplit(of: columns[j], over: remaining) { split, splitScore in
                        if overBudget != nil || stopped != nil { return }
                        do {
                            if let limit = try meter.exceeded(work: open.count) { overBudget = limit; return }
                        } catch { stopped = error; return }
                        var child = remaining
                        for i in child.indices { child[i] -= split[i] }
                        child.sort()
                        if next[child] == nil { nextBytes += FisherExact.bytesPerNode }
                        // In place: copying a node's pasts out and back in would copy the whole table each time.
                        let added = Self.merge(open, adding: splitScore, into: &next[child, default: [:]])
                        nextBytes += added * FisherExact.bytesPerPast
                        meter.bytes = stageBytes + nextBytes
                    }
                    if let stopped { throw stopped }
                    if let overBudget { return .over(overBudget) }
                }
                if j == meet { return .finished(total) }
                stage = next
                stageBytes = nextBytes
                meter.bytes = stageBytes
            }
            // After the last column every surviving node is the empty table: its pasts are complete tables.
            for (_, pasts) in stage {
                for (_, past) in pasts where past.score >= threshold {
                    total += past.paths * exp(logConstant - past.score)
                }
            }
            return .finished(total)
        }

        /// The completions of a node: every way to fill the remaining columns, as distinct scores Σ ln x! (merged to
        /// 1e-8, as pasts are) with how many completions share each, sorted by score from the highest, with the
        /// running log-sum of count · e^(−score).
        ///
        /// Why: on a 3 × 6 table with N = 182 the forward network held 2.5 million pasts at its middle stage and 21
        /// million one stage later, because most pasts there can neither be counted nor dropped by the bounds. Meeting
        /// in the middle, a past with score s counts against exactly the completions with score ≥ threshold − s, a
        /// prefix of the sorted completions: one binary search per past instead of one expansion per past and split.
        final class Futures {
            let tail: ScoreTail

            init(_ entries: [(score: Double, count: Double)]) { tail = ScoreTail(entries.map { ($0.score, $0.count) }) }

            /// Σ over open pasts and completions with past + completion ≥ threshold of paths · count · e^(C − score).
            func sum(over open: [(score: Double, paths: Double)], threshold: Double, logConstant: Double) -> Double {
                open.reduce(0.0) { total, past in
                    guard let logWeight = tail.logWeight(atLeast: threshold - past.score) else { return total }
                    return total + past.paths * exp(logConstant - past.score + logWeight)
                }
            }
        }

        final class FutureCache {
            var stages: [[[Int]: Futures]]
            var entries = 0
            /// The budget limit that stopped the walk.
            var limit: BudgetLimit?
            init(stages: Int) { self.stages = Array(repeating: [:], count: stages + 1) }
        }

        /// The completions of `remaining` from column j on, memoised per stage and node; nil when the budget ran out.
        /// Their storage is counted in the meter at `bytesPerPast` an entry, on top of `baseBytes`.
        private func futures(_ j: Int, _ remaining: [Int], cache: FutureCache, meter: inout BudgetMeter, baseBytes: Int) throws -> Futures? {
            if let hit = cache.stages[j][remaining] { return hit }
            if j == columns.count { return Futures([(0, 1)]) }
            var merged: [Int64: (score: Double, count: Double)] = [:]
            var failed = false
            var children: [([Int], Double)] = []
            forEachSplit(of: columns[j], over: remaining) { split, splitScore in
                var child = remaining
                for i in child.indices { child[i] -= split[i] }
                child.sort()
                children.append((child, splitScore))
            }
            for (child, splitScore) in children {
                guard let rest = try futures(j + 1, child, cache: cache, meter: &meter, baseBytes: baseBytes)?.tail else { failed = true; break }
                for k in rest.scores.indices {
                    let score = splitScore + rest.scores[k]
                    merged[Int64((score * 1e8).rounded()), default: (score, 0)].count += rest.weights[k]
                }
                meter.bytes = baseBytes + (cache.entries + merged.count) * FisherExact.bytesPerPast
                if let limit = try meter.exceeded(work: rest.scores.count) {
                    cache.limit = limit
                    failed = true
                    break
                }
            }
            if failed { return nil }
            let future = Futures(Array(merged.values))
            cache.entries += future.tail.scores.count
            cache.stages[j][remaining] = future
            return future
        }

        /// Adds each open past, moved by `step`, to a node's pasts; returns how many new entries that made.
        private static func merge(_ open: [(score: Double, paths: Double)], adding step: Double, into pasts: inout Pasts) -> Int {
            let before = pasts.count
            for past in open {
                let score = past.score + step
                let key = Int64((score * 1e8).rounded())
                pasts[key, default: (score, 0)].paths += past.paths
            }
            return pasts.count - before
        }

        /// Exact smallest and largest Σ ln x! over all completions of a node (the shortest and longest paths of the
        /// network, as FEXACT computes them), memoised per stage and node. The bounds decide most pasts without
        /// expanding them: on a 3 × 6 table with N = 182 the per-column bounds left the network to grow past 2 GB,
        /// and the exact ones finish it in a fraction of a second. Finding them walks every node and split once, so
        /// the walk has its own allowance of split evaluations (`workLimit`); past it, the cache is marked exhausted
        /// and the nodes not yet known fall back to the per-column bounds, which are looser but always valid.
        final class BoundCache {
            var stages: [[[Int]: (Double, Double)]]
            var work = 0
            let workLimit: Int
            var exhausted = false
            init(stages: Int, workLimit: Int) {
                self.stages = Array(repeating: [:], count: stages + 1)
                self.workLimit = workLimit
            }
        }

        /// nil when the walk ran out of its allowance (or the user pressed Ctrl-C; the caller's meter then throws).
        private func exactBounds(_ j: Int, _ remaining: [Int], cache: BoundCache) -> (Double, Double)? {
            if j == columns.count { return (0, 0) }
            if let hit = cache.stages[j][remaining] { return hit }
            if cache.exhausted { return nil }
            var lo = Double.infinity, hi = -Double.infinity
            var failed = false
            forEachSplit(of: columns[j], over: remaining) { split, score in
                if failed { return }
                cache.work += 1
                if cache.work > cache.workLimit || (cache.work & 0xFFFF == 0 && Interruption.isRequested) {
                    cache.exhausted = true
                    failed = true
                    return
                }
                var child = remaining
                for i in child.indices { child[i] -= split[i] }
                child.sort()
                guard let rest = exactBounds(j + 1, child, cache: cache) else { failed = true; return }
                lo = min(lo, score + rest.0)
                hi = max(hi, score + rest.1)
            }
            if failed { return nil }
            cache.stages[j][remaining] = (lo, hi)
            return (lo, hi)
        }

        /// Every way to spread `total` over rows with the given caps, with its score Σ ln x_i!.
        private func forEachSplit(of total: Int, over caps: [Int], _ body: ([Int], Double) -> Void) {
            var split = [Int](repeating: 0, count: caps.count)
            var capAfter = [Int](repeating: 0, count: caps.count + 1)
            for i in stride(from: caps.count - 1, through: 0, by: -1) { capAfter[i] = capAfter[i + 1] + caps[i] }
            func place(_ i: Int, _ left: Int, _ score: Double) {
                if i == caps.count - 1 {
                    guard left <= caps[i] else { return }
                    split[i] = left
                    body(split, score + lf[left])
                    return
                }
                let lo = max(0, left - capAfter[i + 1]), hi = min(caps[i], left)
                if lo > hi { return }
                for x in lo...hi {
                    split[i] = x
                    place(i + 1, left - x, score + lf[x])
                }
            }
            place(0, total, 0)
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

    /// The network for two-row tables (after transposing, any 2 × c or r × 2 table), where a node is just how much
    /// of the first row is left (`a`; the second row's rest follows from the column totals, and a node and its
    /// mirror image have the same completions, so they are merged under min(a, T − a)). The exact shortest and
    /// longest completion of every node come from one backward pass, so each past is decided or expanded with the
    /// tightest bounds, and pasts live in flat open-addressing tables instead of dictionaries of arrays. Same
    /// arithmetic and the same merging of pasts (scores equal to 1e-8) as `Enumeration`, so the same p.
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

        init(table: [[Int]]) {
            let setup = NetworkSetup(table)
            columns = setup.columns
            rowTotal = setup.rowTotals[0]
            lf = setup.lf
            threshold = setup.threshold
            logConstant = setup.logConstant
            suffixTotals = setup.suffixTotals
            suffixLogFactorials = setup.suffixLogFactorials
        }

        /// Past scores of one node: open addressing on the score rounded to 1e-8.
        struct Pasts {
            var keys: [Int64]
            var scores: [Double]
            var paths: [Double]
            var used: [Bool]
            var count = 0
            var mask: Int

            init(capacity: Int = 8) {
                var size = 8
                while size < capacity * 2 { size <<= 1 }
                keys = [Int64](repeating: 0, count: size)
                scores = [Double](repeating: 0, count: size)
                paths = [Double](repeating: 0, count: size)
                used = [Bool](repeating: false, count: size)
                mask = size - 1
            }

            @inline(__always)
            mutating func add(score: Double, paths p: Double) {
                let key = Int64((score * 1e8).rounded())
                var slot = Int(truncatingIfNeeded: UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15 >> 20) & mask
                while used[slot] {
                    if keys[slot] == key { paths[slot] += p; return }
                    slot = (slot + 1) & mask
                }
                used[slot] = true
                keys[slot] = key
                scores[slot] = score
                paths[slot] = p
                count += 1
                if count * 2 > keys.count { grow() }
            }

            private mutating func grow() {
                var bigger = Pasts(capacity: keys.count)
                for k in used.indices where used[k] { bigger.add(score: scores[k], paths: paths[k]) }
                self = bigger
            }
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

        func run(_ meter: inout BudgetMeter) throws -> Outcome {
            let c = columns.count
            // The bound tables: two doubles per (stage, first-row rest).
            let boundBytes = suffixTotals.reduce(0) { $0 + 16 * ($1 + 1) }
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
                    for x in xMin...xMax {
                        let split = lf[x] + lf[cj - x]
                        lo[j][a] = min(lo[j][a], split + lo[j + 1][a - x])
                        hi[j][a] = max(hi[j][a], split + hi[j + 1][a - x])
                    }
                }
            }
            var stage: [Int: Pasts] = [min(rowTotal, suffixTotals[0] - rowTotal): {
                var p = Pasts(); p.add(score: 0, paths: 1); return p
            }()]
            var total = 0.0
            var open: [(score: Double, paths: Double)] = []
            var stageBytes = 8 * FisherExact.bytesPerTwoRowSlot
            for j in 0..<c {
                let tj = suffixTotals[j], cj = columns[j], next = suffixTotals[j + 1]
                var nextStage: [Int: Pasts] = [:]
                var nextBytes = 0
                for (a, pasts) in stage {
                    let restLog = lf[tj] - lf[a] - lf[tj - a] - suffixLogFactorials[j]
                    let lower = lo[j][a], upper = hi[j][a]
                    open.removeAll(keepingCapacity: true)
                    for k in pasts.used.indices where pasts.used[k] {
                        if let limit = try meter.exceeded() { return .over(limit) }
                        let score = pasts.scores[k]
                        if score + lower >= threshold {
                            total += pasts.paths[k] * exp(logConstant - score + restLog)
                        } else if score + upper >= threshold {
                            open.append((score, pasts.paths[k]))
                        }
                    }
                    if open.isEmpty { continue }
                    let xMin = max(0, cj - (tj - a)), xMax = min(a, cj)
                    guard xMin <= xMax else { continue }
                    if j == c - 2 {
                        total += lastTwoColumns(open: open, a: a, xRange: xMin...xMax, lastColumn: next)
                        if let limit = try meter.exceeded(work: open.count) { return .over(limit) }
                        continue
                    }
                    for x in xMin...xMax {
                        let split = lf[x] + lf[cj - x]
                        let rest = a - x
                        let key = min(rest, next - rest)
                        let existing = nextStage.removeValue(forKey: key)
                        var child = existing ?? Pasts(capacity: open.count)
                        let slotsBefore = existing == nil ? 0 : child.keys.count
                        for past in open { child.add(score: past.score + split, paths: past.paths) }
                        nextBytes += (child.keys.count - slotsBefore) * FisherExact.bytesPerTwoRowSlot
                        nextStage[key] = child
                        meter.bytes = boundBytes + stageBytes + nextBytes
                        if let limit = try meter.exceeded(work: open.count) { return .over(limit) }
                    }
                }
                stage = nextStage
                stageBytes = nextBytes
            }
            // After the last column every surviving node is the empty table: its pasts are complete tables.
            for (_, pasts) in stage {
                for k in pasts.used.indices where pasts.used[k] && pasts.scores[k] >= threshold {
                    total += pasts.paths[k] * exp(logConstant - pasts.scores[k])
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

    init(_ entries: [(score: Double, weight: Double)]) {
        let sorted = entries.sorted { $0.score > $1.score }
        scores = sorted.map(\.score)
        weights = sorted.map(\.weight)
        var acc = -Double.infinity
        logCumulative = sorted.map { e in
            let term = log(e.weight) - e.score
            let hi = max(acc, term), lo = min(acc, term)
            acc = hi == -.infinity ? hi : hi + log1p(exp(lo - hi))
            return acc
        }
    }

    /// log Σ weight · e^(−score) over the scores ≥ `needed`; nil when there are none.
    func logWeight(atLeast needed: Double) -> Double? {
        var lo = 0, hi = scores.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if scores[mid] >= needed { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? logCumulative[lo - 1] : nil
    }
}
