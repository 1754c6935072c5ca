import Foundation

/// One group's summary of a numeric answer: n, missing, mean, SD (n − 1), median, quartiles (type 7, R's default),
/// minimum and maximum. With n = 0 every figure is NaN; with n = 1 the SD is NaN.
public struct Descriptives: Sendable, Equatable {
    public let n: Int
    public let missing: Int
    public let mean: Double
    public let sd: Double
    public let median: Double
    public let q1: Double
    public let q3: Double
    public let min: Double
    public let max: Double
    public var iqr: Double { q3 - q1 }

    /// `values` may hold NaN for missing answers; they are counted, not used.
    public init(_ values: [Double]) {
        let present = values.filter { !$0.isNaN }.sorted()
        self.init(sorted: present, missing: values.count - present.count)
    }

    /// From the answers present, in increasing order, and the number missing.
    init(sorted present: [Double], missing: Int) {
        n = present.count
        self.missing = missing
        let count = Double(present.count)
        mean = present.isEmpty ? .nan : present.reduce(0, +) / count
        let m = mean
        sd = present.count < 2 ? .nan : (present.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (count - 1)).squareRoot()
        median = Quantile.type7(present, 0.5) ?? .nan
        q1 = Quantile.type7(present, 0.25) ?? .nan
        q3 = Quantile.type7(present, 0.75) ?? .nan
        self.min = present.first ?? .nan
        self.max = present.last ?? .nan
    }
}

/// Compares a numeric answer between groups.
///
/// - Two groups: Welch's t-test, R's `t.test(var.equal = FALSE)`: t = (m₁ − m₂)/√(v₁/n₁ + v₂/n₂), Welch–
///   Satterthwaite df, two-sided p.
/// - Any number of groups: Welch's ANOVA, R's `oneway.test(var.equal = FALSE)`: with w_i = n_i/v_i,
///   F = Σ w_i (m_i − m_w)² / ((k − 1)(1 + 2(k − 2)λ)), λ = Σ (1 − w_i/Σw)²/(n_i − 1) / (k² − 1), df (k − 1, 1/(3λ)).
/// - Rank tests (Wilcoxon–Mann–Whitney for two groups, Kruskal–Wallis) from `OrdinalTests` on the groups × distinct
///   values table, which gives every tied value its midrank, as R's `wilcox.test(exact = FALSE, correct = TRUE)` and
///   `kruskal.test` do.
///
/// Groups with no answers are left out. Fewer than two groups with answers, a group of one (no variance), or a
/// group whose answers are all equal (variance 0, so Welch's weights are infinite) throw `degenerateTable` or
/// `invalidParameter` for the parametric tests; the rank tests need only two groups and two distinct values.
public struct NumericComparison: Sendable {
    public struct Welch: Sendable, Equatable {
        public let statistic: Double
        public let df1: Double
        public let df2: Double
        public let p: Double
        /// "t" for two groups (statistic is t, df2 its df), "F" for more.
        public let kind: String
    }

    public let groups: [Descriptives]
    public let welch: Welch?
    /// Why Welch's test could not be computed (a group with fewer than two answers or with no spread).
    public let welchUnavailable: String?
    public let ranks: OrdinalTests

    /// `samples[i]` holds group i's answers (NaN for missing).
    public init(samples: [[Double]]) throws {
        // Each group's answers are sorted once: for its summary, and to count each distinct value by walking the
        // sorted runs (a Set and a Dictionary of a million doubles took a fifth of `chisq all` on a large survey).
        let sorted = samples.map { $0.filter { !$0.isNaN }.sorted() }
        groups = zip(sorted, samples).map { Descriptives(sorted: $0, missing: $1.count - $0.count) }
        let present = sorted.filter { !$0.isEmpty }
        guard present.count >= 2 else { throw StatisticsError.degenerateTable(rows: present.count, columns: 0) }
        var distinct = present.flatMap(Self.runs).map(\.value)
        distinct.sort()
        distinct = distinct.indices.compactMap { $0 == 0 || distinct[$0] != distinct[$0 - 1] ? distinct[$0] : nil }
        let counts = present.map { values -> [Int] in
            var row = [Int](repeating: 0, count: distinct.count)
            var j = 0
            for run in Self.runs(values) {
                while distinct[j] < run.value { j += 1 }
                row[j] = run.count
            }
            return row
        }
        ranks = try OrdinalTests(counts)

        let stats = groups.filter { $0.n > 0 }
        // Two groups need two answers each and some spread between them (R's t.test); Welch's ANOVA weights each
        // group by n/variance, so every group needs spread of its own (R's oneway.test gives NaN otherwise).
        let unavailable: String? = stats.contains { $0.n < 2 } ? "a group has fewer than two answers"
            : stats.count == 2 ? (stats.allSatisfy { !($0.sd > 0) } ? "every answer in both groups is the same (no spread)" : nil)
            : stats.contains { !($0.sd > 0) } ? "a group's answers are all the same (no spread), so Welch's weights are undefined" : nil
        if let unavailable {
            welch = nil
            welchUnavailable = unavailable
            return
        }
        welchUnavailable = nil
        if stats.count == 2 {
            let a = stats[0], b = stats[1]
            let va = a.sd * a.sd / Double(a.n), vb = b.sd * b.sd / Double(b.n)
            let t = (a.mean - b.mean) / (va + vb).squareRoot()
            let df = (va + vb) * (va + vb) / (va * va / Double(a.n - 1) + vb * vb / Double(b.n - 1))
            welch = Welch(statistic: t, df1: 1, df2: df, p: StudentT.twoSidedP(t, df: df), kind: "t")
        } else {
            let k = Double(stats.count)
            let w = stats.map { Double($0.n) / ($0.sd * $0.sd) }
            let sumW = w.reduce(0, +)
            let meanW = zip(w, stats).reduce(0.0) { $0 + $1.0 * $1.1.mean } / sumW
            let lambda = zip(w, stats).reduce(0.0) { acc, pair in
                let share = 1 - pair.0 / sumW
                return acc + share * share / Double(pair.1.n - 1)
            } / (k * k - 1)
            let between = zip(w, stats).reduce(0.0) { $0 + $1.0 * ($1.1.mean - meanW) * ($1.1.mean - meanW) }
            let f = between / ((k - 1) * (1 + 2 * (k - 2) * lambda))
            let df2 = 1 / (3 * lambda)
            welch = Welch(statistic: f, df1: k - 1, df2: df2, p: FDistribution.upperTail(f, d1: k - 1, d2: df2), kind: "F")
        }
    }

    /// The distinct values of a sorted array with how often each occurs (-0 and +0 are one value, as they are equal).
    private static func runs(_ sorted: [Double]) -> [(value: Double, count: Int)] {
        var out: [(value: Double, count: Int)] = []
        for v in sorted {
            if let last = out.last, last.value == v { out[out.count - 1].count += 1 } else { out.append((v, 1)) }
        }
        return out
    }
}
