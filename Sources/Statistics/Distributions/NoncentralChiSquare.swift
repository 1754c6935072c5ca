import Foundation

/// The noncentral chi-square distribution, used for the power of Pearson's test (Cohen 1988, ch. 7).
public enum NoncentralChiSquare {
    /// Upper tail P(X > x) for df degrees of freedom and noncentrality λ, as the Poisson(λ/2) mixture of central
    /// upper tails Σ_k e^(−λ/2) (λ/2)^k / k! · Q(df/2 + k, x/2) (Johnson, Kotz & Balakrishnan, vol. 2, eq. 29.2).
    /// The sum starts at the Poisson mode and walks both ways until the weights are negligible (< 1e-17 of the
    /// total), so large λ needs no thousands of leading terms. λ = 0 gives the central tail; NaN input gives NaN.
    public static func upperTail(_ x: Double, df: Double, noncentrality lambda: Double) -> Double {
        guard df > 0, lambda >= 0, !x.isNaN, !lambda.isNaN else { return .nan }
        if x <= 0 { return 1 }
        if lambda == 0 { return ChiSquareDistribution.upperTail(x, df: df) }
        let mu = lambda / 2
        let mode = Int(mu.rounded(.down))
        func weight(_ k: Int) -> Double { exp(-mu + Double(k) * log(mu) - lgamma(Double(k) + 1)) }
        var total = 0.0
        var k = mode
        while k >= 0 {
            let w = weight(k)
            total += w * IncompleteGamma.upper(df / 2 + Double(k), x / 2)
            if w < 1e-17 { break }
            k -= 1
        }
        k = mode + 1
        while true {
            let w = weight(k)
            total += w * IncompleteGamma.upper(df / 2 + Double(k), x / 2)
            if w < 1e-17 || k > mode + 100_000 { break }
            k += 1
        }
        return min(1, total)
    }
}
