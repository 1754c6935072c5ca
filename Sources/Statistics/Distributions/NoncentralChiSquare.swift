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
        guard lambda.isFinite, x.isFinite else { return x.isFinite ? 1 : 0 }
        let mu = lambda / 2
        func weight(_ k: Int) -> Double { exp(-mu + Double(k) * log(mu) - lgamma(Double(k) + 1)) }
        // Past about 10⁵ terms (μ above 6·10⁶, as `power --n 1e18` gives) the walk term by term would run for minutes:
        // the weights beyond 40 standard deviations of the Poisson are below 10⁻³⁰⁰, and Q(df/2 + k, x/2) grows
        // with k, so when it is already 1 (to double precision) at the window's low end every term is 1, and when
        // it is 0 at the high end every term is 0. Otherwise the window is summed in 10⁵ blocks, each weight times
        // the block's width at its first term (a Riemann sum: relative error about (width/√μ)², below 10⁻⁶).
        let sd = mu.squareRoot()
        if 80 * sd > 200_000 {
            let low = max(0, mu - 40 * sd), high = mu + 40 * sd
            if IncompleteGamma.upper(df / 2 + low.rounded(.down), x / 2) >= 1 - 1e-16 { return 1 }
            if IncompleteGamma.upper(df / 2 + high.rounded(.up), x / 2) <= 1e-300 { return 0 }
            let step = ((high - low) / 100_000).rounded(.up)
            var total = 0.0
            var k = low.rounded(.down)
            while k <= high {
                let w = exp(-mu + k * log(mu) - lgamma(k + 1))
                total += w * step * IncompleteGamma.upper(df / 2 + k, x / 2)
                k += step
            }
            return min(1, total)
        }
        let mode = Int(mu.rounded(.down))
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
