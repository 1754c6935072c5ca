import Foundation

/// Power of Pearson's chi-square test for effect size w (Cohen 1988, ch. 7): λ = N w²,
/// power = P(χ²(df, λ) > χ²_{1−α}(df)). `pwr::pwr.chisq.test` in R computes the same quantity.
public enum ChiSquarePower {
    /// Power for effect size w, sample size n, df and significance level alpha. w = 0 gives alpha.
    public static func power(w: Double, n: Double, df: Int, alpha: Double = 0.05) throws -> Double {
        try check(w: w, df: df, alpha: alpha)
        guard n > 0, n.isFinite else { throw StatisticsError.invalidParameter(name: "n", value: n, allowed: "a finite number > 0") }
        let critical = ChiSquareDistribution.upperQuantile(alpha, df: Double(df))
        return NoncentralChiSquare.upperTail(critical, df: Double(df), noncentrality: n * w * w)
    }

    /// The smallest n (real-valued, as pwr) giving at least `power`; bisection on n.
    public static func sampleSize(w: Double, power target: Double, df: Int, alpha: Double = 0.05) throws -> Double {
        try check(w: w, df: df, alpha: alpha)
        guard w > 0 else { throw StatisticsError.invalidParameter(name: "w", value: w, allowed: "> 0 to solve for n") }
        guard target > alpha, target < 1 else {
            throw StatisticsError.invalidParameter(name: "power", value: target, allowed: "between alpha and 1")
        }
        var lo = 1e-9, hi = 10.0
        // Beyond 10¹⁵ respondents no survey is meant (and w² n stops being exact in a double): say so instead of
        // doubling towards infinity (w = 1e-300 did, and the console's count of the result trapped).
        while try power(w: w, n: hi, df: df, alpha: alpha) < target {
            guard hi < largestN else {
                throw StatisticsError.invalidParameter(name: "w", value: w, allowed: "large enough to reach the power with at most 10^15 respondents")
            }
            lo = hi
            hi *= 2
        }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if try power(w: w, n: mid, df: df, alpha: alpha) < target { lo = mid } else { hi = mid }
            if hi - lo < 1e-10 * hi { break }
        }
        return hi
    }

    /// The smallest effect size w detectable with the given power at sample size n; bisection on w.
    public static func detectableEffect(n: Double, power target: Double, df: Int, alpha: Double = 0.05) throws -> Double {
        guard n > 0, n.isFinite else { throw StatisticsError.invalidParameter(name: "n", value: n, allowed: "a finite number > 0") }
        guard target > alpha, target < 1 else {
            throw StatisticsError.invalidParameter(name: "power", value: target, allowed: "between alpha and 1")
        }
        var lo = 0.0, hi = 1.0
        while try power(w: hi, n: n, df: df, alpha: alpha) < target {
            guard hi * 2 <= largestW else {
                throw StatisticsError.invalidParameter(name: "n", value: n, allowed: "large enough for an effect size w up to \(Int(largestW)) to reach the power")
            }
            lo = hi
            hi *= 2
        }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if try power(w: mid, n: n, df: df, alpha: alpha) < target { lo = mid } else { hi = mid }
            if hi - lo < 1e-12 { break }
        }
        return hi
    }

    /// Cohen's w is at most √(min(r, c) − 1): 1,000 is a table of a million categories each way.
    static let largestW = 1_000.0
    static let largestN = 1e15

    private static func check(w: Double, df: Int, alpha: Double) throws {
        guard w >= 0, w <= largestW else { throw StatisticsError.invalidParameter(name: "w", value: w, allowed: "between 0 and 1000 (Cohen's w is at most √(min(r, c) − 1))") }
        guard df <= 1_000_000_000 else { throw StatisticsError.invalidParameter(name: "df", value: Double(df), allowed: "at most 10^9") }
        guard df >= 1 else { throw StatisticsError.invalidParameter(name: "df", value: Double(df), allowed: "≥ 1") }
        guard alpha > 0, alpha < 1 else {
            throw StatisticsError.invalidParameter(name: "alpha", value: alpha, allowed: "(0, 1)")
        }
    }
}
