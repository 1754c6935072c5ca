import Foundation
import Statistics

/// Metrics of a binary classifier from outcomes y ∈ {0, 1} and predicted probabilities p of the positive class.
public enum ClassificationMetrics {
    /// AUC as the Mann–Whitney statistic: P(p_pos > p_neg) + ½ P(tie). nil without both classes.
    public static func auc(y: [Int], p: [Double]) -> Double? {
        let pos = zip(y, p).filter { $0.0 == 1 }.map(\.1), neg = zip(y, p).filter { $0.0 == 0 }.map(\.1)
        guard !pos.isEmpty, !neg.isEmpty else { return nil }
        // Rank-based: sort once, average ranks over ties (O(n log n)).
        let order = p.indices.sorted { p[$0] < p[$1] }
        var ranks = [Double](repeating: 0, count: p.count)
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && p[order[j + 1]] == p[order[i]] { j += 1 }
            let r = Double(i + j) / 2 + 1
            for k in i...j { ranks[order[k]] = r }
            i = j + 1
        }
        let n1 = Double(pos.count), n0 = Double(neg.count)
        let rankSum = zip(y, ranks).filter { $0.0 == 1 }.reduce(0) { $0 + $1.1 }
        return (rankSum - n1 * (n1 + 1) / 2) / (n1 * n0)
    }

    /// DeLong, DeLong & Clarke-Pearson (1988) confidence interval: structural components
    /// V10(i) = mean_j ψ(pos_i, neg_j), V01(j) = mean_i ψ(pos_i, neg_j) with ψ = 1, ½, 0 for >, =, <;
    /// Var(AUC) = S10/n1 + S01/n0 with sample variances S; AUC ± z SE, clamped to [0, 1].
    public static func delongInterval(y: [Int], p: [Double], level: Double = 0.95) -> (auc: Double, se: Double, ci: ClosedRange<Double>)? {
        let pos = zip(y, p).filter { $0.0 == 1 }.map(\.1), neg = zip(y, p).filter { $0.0 == 0 }.map(\.1)
        guard pos.count >= 2, neg.count >= 2 else { return nil }
        func psi(_ a: Double, _ b: Double) -> Double { a > b ? 1 : (a == b ? 0.5 : 0) }
        let v10 = pos.map { a in neg.reduce(0.0) { $0 + psi(a, $1) } / Double(neg.count) }
        let v01 = neg.map { b in pos.reduce(0.0) { $0 + psi($1, b) } / Double(pos.count) }
        let a = v10.reduce(0, +) / Double(v10.count)
        func sampleVariance(_ v: [Double]) -> Double {
            let m = v.reduce(0, +) / Double(v.count)
            return v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
        }
        let se = (sampleVariance(v10) / Double(pos.count) + sampleVariance(v01) / Double(neg.count)).squareRoot()
        let z = NormalDistribution.upperQuantile((1 - level) / 2)
        return (a, se, max(0, a - z * se)...min(1, a + z * se))
    }

    public struct Confusion: Sendable { public let tp: Int, fp: Int, tn: Int, fn: Int }

    /// Positive when p ≥ threshold.
    public static func confusion(y: [Int], p: [Double], threshold: Double) -> Confusion {
        var tp = 0, fp = 0, tn = 0, fn = 0
        for (yy, pp) in zip(y, p) {
            switch (pp >= threshold, yy == 1) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, false): tn += 1
            case (false, true): fn += 1
            }
        }
        return Confusion(tp: tp, fp: fp, tn: tn, fn: fn)
    }

    /// Mean squared difference between p and y.
    public static func brier(y: [Int], p: [Double]) -> Double? {
        guard !y.isEmpty else { return nil }
        return zip(y, p).reduce(0) { $0 + ($1.1 - Double($1.0)) * ($1.1 - Double($1.0)) } / Double(y.count)
    }

    public struct ReliabilityBin: Sendable, Encodable {
        public let lower: Double, upper: Double, n: Int, meanConfidence: Double, observed: Double
        /// Observed minus mean confidence: above zero, the model is underconfident in the bin.
        public var gap: Double { observed - meanConfidence }

        enum CodingKeys: String, CodingKey { case lower, upper, n, meanConfidence = "mean_confidence", observed, gap }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(lower, forKey: .lower)
            try c.encode(upper, forKey: .upper)
            try c.encode(n, forKey: .n)
            try c.encode(meanConfidence, forKey: .meanConfidence)
            try c.encode(observed, forKey: .observed)
            try c.encode(gap, forKey: .gap)
        }
    }

    /// Reliability table, ECE and MCE on the positive-class probability.
    /// - equal_width: B bins [k/B, (k+1)/B), left-closed, the last bin closed at 1.
    /// - equal_mass: cases sorted by p and split into B groups as equal as possible (the first n mod B groups one
    ///   larger); bounds are each group's smallest and largest p.
    /// ECE = Σ_b (n_b / N) |observed_b − mean p_b|, MCE = max_b |observed_b − mean p_b| over non-empty bins.
    public static func calibration(y: [Int], p: [Double], bins: Int, binning: String) -> (table: [ReliabilityBin], ece: Double, mce: Double)? {
        guard !y.isEmpty, bins >= 1 else { return nil }
        var groups: [(Double, Double, [Int])] = []
        if binning == "equal_mass" {
            let order = p.indices.sorted { p[$0] < p[$1] }
            let n = order.count
            var start = 0
            for b in 0..<bins {
                let size = n / bins + (b < n % bins ? 1 : 0)
                let members = Array(order[start..<(start + size)])
                start += size
                if let first = members.first, let last = members.last { groups.append((p[first], p[last], members)) }
            }
        } else {
            var members = [[Int]](repeating: [], count: bins)
            for (i, v) in p.enumerated() { members[min(Int(v * Double(bins)), bins - 1)].append(i) }
            for b in 0..<bins where !members[b].isEmpty {
                groups.append((Double(b) / Double(bins), Double(b + 1) / Double(bins), members[b]))
            }
        }
        var table: [ReliabilityBin] = []
        var ece = 0.0, mce = 0.0
        for (lo, hi, m) in groups {
            let meanP = m.reduce(0.0) { $0 + p[$1] } / Double(m.count)
            let obs = Double(m.reduce(0) { $0 + y[$1] }) / Double(m.count)
            table.append(ReliabilityBin(lower: lo, upper: hi, n: m.count, meanConfidence: meanP, observed: obs))
            ece += Double(m.count) / Double(y.count) * abs(obs - meanP)
            mce = max(mce, abs(obs - meanP))
        }
        return (table, ece, mce)
    }

    /// Risk–coverage curve for selective prediction: cases sorted by confidence max(p, 1 − p), most confident
    /// first (ties in file order); at coverage k/n the risk is the error rate (prediction p ≥ threshold vs y) among
    /// the k most confident. AURC is the mean of the n risks (Geifman & El-Yaniv 2017).
    public static func riskCoverage(y: [Int], p: [Double], threshold: Double) -> (curve: [(coverage: Double, risk: Double)], aurc: Double)? {
        guard !y.isEmpty else { return nil }
        let order = p.indices.sorted { max(p[$0], 1 - p[$0]) > max(p[$1], 1 - p[$1]) || (max(p[$0], 1 - p[$0]) == max(p[$1], 1 - p[$1]) && $0 < $1) }
        var errors = 0
        var curve: [(Double, Double)] = []
        var total = 0.0
        for (k, i) in order.enumerated() {
            if (p[i] >= threshold ? 1 : 0) != y[i] { errors += 1 }
            let risk = Double(errors) / Double(k + 1)
            total += risk
            curve.append((Double(k + 1) / Double(order.count), risk))
        }
        return (curve, total / Double(order.count))
    }
}

/// Regression and segmentation summaries.
public enum ContinuousMetrics {
    /// Mean with a normal-approximation interval mean ± z·SD/√n (SD with n − 1).
    public static func mean(_ v: [Double], level: Double = 0.95) -> (mean: Double, sd: Double, ci: ClosedRange<Double>)? {
        guard v.count >= 2 else { return nil }
        let m = v.reduce(0, +) / Double(v.count)
        let sd = (v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)).squareRoot()
        let z = NormalDistribution.upperQuantile((1 - level) / 2)
        let h = z * sd / Double(v.count).squareRoot()
        return (m, sd, (m - h)...(m + h))
    }

    /// Quantile with linear interpolation between order statistics (R type 7, NumPy's default).
    public static func quantile(_ v: [Double], _ q: Double) -> Double? { Quantile.type7(v, q) }
}
