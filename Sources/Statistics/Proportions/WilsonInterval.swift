import Foundation

/// The Wilson score interval for a binomial proportion, without continuity correction, as R's
/// `prop.test(x, n, correct = FALSE)$conf.int` (Wilson 1927; Newcombe 1998, method 3):
/// (p̂ + z²/2n ± z sqrt(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), clamped to [0, 1].
public struct WilsonInterval: Sendable, Equatable {
    public let lower: Double
    public let upper: Double

    /// `successes` of `trials` at the given confidence level (default 0.95). n = 0 gives [0, 1] (no information);
    /// successes outside 0...n or a level outside (0, 1) throws.
    public init(successes x: Int, trials n: Int, confidence: Double = 0.95) throws {
        guard n >= 0, x >= 0, x <= n else {
            throw StatisticsError.invalidParameter(name: "successes", value: Double(x), allowed: "0 ... \(n)")
        }
        guard confidence > 0, confidence < 1 else {
            throw StatisticsError.invalidParameter(name: "confidence", value: confidence, allowed: "(0, 1)")
        }
        if n == 0 { lower = 0; upper = 1; return }
        let z = NormalDistribution.upperQuantile((1 - confidence) / 2)
        let nn = Double(n), p = Double(x) / nn, z2 = z * z
        let centre = p + z2 / (2 * nn)
        let half = z * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
        let denom = 1 + z2 / nn
        lower = max(0, (centre - half) / denom)
        upper = min(1, (centre + half) / denom)
    }
}

/// The standard normal distribution.
public enum NormalDistribution {
    /// Upper tail P(Z > z) = erfc(z/√2)/2, accurate far into the tail.
    public static func upperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// z with P(Z > z) = alpha, by Acklam's rational approximation refined with two Halley steps on erfc, which
    /// brings it to full double precision (R's `qnorm(alpha, lower.tail = FALSE)` within 1e-15 relative).
    public static func upperQuantile(_ alpha: Double) -> Double {
        guard alpha > 0, alpha < 1 else { return alpha == 0 ? .infinity : (alpha == 1 ? -.infinity : .nan) }
        let p = 1 - alpha
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
                 -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
                 -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
                 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        } else if p <= 1 - 0.02425 {
            let q = p - 0.5, r = q * q
            x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        } else {
            let q = (-2 * log(alpha)).squareRoot()
            x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        for _ in 0..<2 {
            // Halley refinement on f(x) = Φ̄(x) − alpha, using the upper tail so small alpha stays accurate.
            let e = upperTail(x) - alpha
            let u = -e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
            x = x - u / (1 + x * u / 2)
        }
        return x
    }
}
