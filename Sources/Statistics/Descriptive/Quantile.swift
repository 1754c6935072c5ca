/// Sample quantiles.
public enum Quantile {
    /// Type-7 quantile (Hyndman & Fan 1996): linear interpolation between order statistics at h = (n − 1) q, R's
    /// default and NumPy's `percentile`. nil for an empty sample; q outside [0, 1] is clamped.
    public static func type7(_ v: [Double], _ q: Double) -> Double? {
        guard !v.isEmpty else { return nil }
        let s = v.sorted()
        let h = Double(s.count - 1) * min(1, max(0, q))
        let lo = Int(h.rounded(.down)), hi = min(lo + 1, s.count - 1)
        return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
    }
}
