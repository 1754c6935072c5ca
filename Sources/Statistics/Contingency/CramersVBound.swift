import Foundation

/// The one-sided lower confidence bound for Cramér's V by inverting the noncentral chi-square distribution, as R's
/// `effectsize::cramers_v(alternative = "greater", adjust = FALSE)` computes it (Steiger 2004): λ_L solves
/// P(χ²(df, λ) ≤ X²_obs) = level, and V_L = √(λ_L / (N k)) with k = min(r, c) − 1; the upper end is 1. When even
/// λ = 0 puts X²_obs below the level's quantile, λ_L = 0.
///
/// Why one-sided: the sample V = √(X²/(N k)) is biased upwards (E X² = df + λ), and a two-sided interval by the
/// same inversion excludes it whenever X² is small against df (a 2 × 4 table with X² = 0.31 and N = 49 gives the
/// interval 0–0.078 around V = 0.079). The lower bound always lies at or below V, because the noncentral
/// chi-square with λ = X²_obs puts less than half its mass below X²_obs; "the groups differ at least this much" is
/// also what a ranking of differences needs. λ_L is found by bisection to 1e-10 relative.
public enum CramersVBound {
    public static func lower(statistic x2: Double, df: Int, n: Double, k: Int, level: Double = 0.95) -> Double {
        guard x2.isFinite, x2 > 0, df > 0, n > 0, k > 0, level > 0, level < 1 else { return 0 }
        let d = Double(df)
        func below(_ lambda: Double) -> Double { 1 - NoncentralChiSquare.upperTail(x2, df: d, noncentrality: lambda) }
        if below(0) <= level { return 0 }
        var lo = 0.0, hi = max(1.0, x2)
        while below(hi) > level { lo = hi; hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if below(mid) > level { lo = mid } else { hi = mid }
            if hi - lo <= 1e-10 * hi { break }
        }
        return min(1, ((lo + hi) / 2 / (n * Double(k))).squareRoot())
    }
}
