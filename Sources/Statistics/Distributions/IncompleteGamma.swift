import Foundation

/// The regularized incomplete gamma functions P(a, x) and Q(a, x) = 1 − P(a, x), and the chi-square distribution
/// built on them.
///
/// Both tails are computed directly: the series for P when x < a + 1, Legendre's continued fraction (evaluated with
/// the modified Lentz method) for Q otherwise (Numerical Recipes, 3rd ed., §6.2; DLMF 8.7.1 and 8.9.2). The tail
/// that is small is never formed as 1 − (the other), so Q(a, x) = 1e-300 stays 1e-300 instead of collapsing to 0.
/// Agreement with R's `pchisq(lower.tail = FALSE)` is about 1e-14 relative over the fixtures.
public enum IncompleteGamma {
    /// Regularized lower incomplete gamma P(a, x). Returns NaN for a ≤ 0, x < 0 or NaN input; 0 at x = 0; 1 at x = ∞.
    public static func lower(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x >= 0, !a.isNaN, !x.isNaN else { return .nan }
        if x == 0 { return 0 }
        if x.isInfinite { return 1 }
        return x < a + 1 ? series(a, x) : 1 - continuedFraction(a, x)
    }

    /// Regularized upper incomplete gamma Q(a, x). Returns NaN for a ≤ 0, x < 0 or NaN input; 1 at x = 0; 0 at x = ∞.
    public static func upper(_ a: Double, _ x: Double) -> Double {
        guard a > 0, x >= 0, !a.isNaN, !x.isNaN else { return .nan }
        if x == 0 { return 1 }
        if x.isInfinite { return 0 }
        return x < a + 1 ? 1 - series(a, x) : continuedFraction(a, x)
    }

    /// log of the prefactor x^a e^(−x) / Γ(a), kept in log space so large a and x do not overflow.
    private static func logPrefactor(_ a: Double, _ x: Double) -> Double {
        a * log(x) - x - lgamma(a)
    }

    /// P(a, x) = prefactor · Σ x^n / (a (a+1) … (a+n)); converges fast for x < a + 1.
    private static func series(_ a: Double, _ x: Double) -> Double {
        var term = 1 / a, sum = term, ap = a
        for _ in 0..<10_000 {
            ap += 1
            term *= x / ap
            sum += term
            if abs(term) < abs(sum) * 1e-17 { break }
        }
        return sum * exp(logPrefactor(a, x))
    }

    /// Q(a, x) by Legendre's continued fraction, modified Lentz; converges fast for x ≥ a + 1.
    private static func continuedFraction(_ a: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1..<10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b
            if abs(d) < tiny { d = tiny }
            c = b + an / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return exp(logPrefactor(a, x)) * h
    }
}

/// The chi-square distribution with `df` degrees of freedom.
public enum ChiSquareDistribution {
    /// Upper tail P(X ≥ x) = Q(df/2, x/2), computed directly (no 1 − CDF). NaN for df ≤ 0 or NaN input;
    /// 1 for x ≤ 0.
    public static func upperTail(_ x: Double, df: Double) -> Double {
        guard df > 0, !x.isNaN, !df.isNaN else { return .nan }
        if x <= 0 { return 1 }
        return IncompleteGamma.upper(df / 2, x / 2)
    }

    /// Lower tail P(X ≤ x) = P(df/2, x/2).
    public static func cdf(_ x: Double, df: Double) -> Double {
        guard df > 0, !x.isNaN, !df.isNaN else { return .nan }
        if x <= 0 { return 0 }
        return IncompleteGamma.lower(df / 2, x / 2)
    }

    /// The quantile with upper-tail probability `alpha` (R's `qchisq(alpha, df, lower.tail = FALSE)`), found by
    /// bracketing and bisection on the upper tail to full double precision. NaN for alpha outside (0, 1).
    public static func upperQuantile(_ alpha: Double, df: Double) -> Double {
        guard alpha > 0, alpha < 1, df > 0 else { return .nan }
        var lo = 0.0, hi = max(1.0, df)
        while upperTail(hi, df: df) > alpha { lo = hi; hi *= 2 }
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if mid == lo || mid == hi { break }
            if upperTail(mid, df: df) > alpha { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
