/// The cut-points that turn numbers into words. Each returns the level and the rule, so a rendering can say why a
/// number was called "high"; every audience reads the same level.
public enum Levels {
    /// Discrimination by AUC, Hosmer & Lemeshow (Applied Logistic Regression, 2000, §5.2.4).
    public static func auc(_ v: Double) -> (String, String) {
        let rule = "AUC < 0.7 poor, 0.7–0.8 acceptable, 0.8–0.9 excellent, ≥ 0.9 outstanding (Hosmer & Lemeshow)"
        switch v {
        case ..<0.7: return ("poor", rule)
        case ..<0.8: return ("acceptable", rule)
        case ..<0.9: return ("excellent", rule)
        default: return ("outstanding", rule)
        }
    }

    /// Calibration by expected calibration error.
    public static func ece(_ v: Double) -> (String, String) {
        let rule = "ECE < 0.05 good, 0.05–0.10 moderate, ≥ 0.10 poor"
        return (v < 0.05 ? "good" : v < 0.10 ? "moderate" : "poor", rule)
    }

    /// Confidence in one case's output. A conformal set with more than one label means the model cannot single out an
    /// answer at its stated error rate; otherwise the predictive standard deviation decides.
    public static func confidence(conformalSetSize: Int?, predictiveSD: Double?) -> (String, String)? {
        let rule = "conformal set of 2+ labels → low; else predictive SD < 0.05 high, 0.05–0.10 moderate, ≥ 0.10 low"
        if let k = conformalSetSize, k > 1 { return ("low", rule) }
        guard let sd = predictiveSD else { return conformalSetSize == 1 ? ("high", rule) : nil }
        return (sd < 0.05 ? "high" : sd < 0.10 ? "moderate" : "low", rule)
    }

    /// Confidence in a regression output, from the predictive SD relative to the predicted value.
    public static func relativeConfidence(sd: Double, value: Double) -> (String, String) {
        let rule = "predictive SD / predicted value < 5% high, 5–10% moderate, ≥ 10% low"
        let r = value == 0 ? Double.infinity : sd / abs(value)
        return (r < 0.05 ? "high" : r < 0.10 ? "moderate" : "low", rule)
    }

    /// A subgroup gap in a performance metric. With every subgroup's CI, the gap is notable when two of them do not
    /// overlap (a rule in the metric's own unit); without, ≥ 0.05 on a 0–1 scale, and ≥ 10% of the smaller value for
    /// a metric in units (mL, mm), where 0.05 would be mere rounding.
    public static func gap(_ v: Double, cis: [ClosedRange<Double>?] = [], unitScaleSmallest smallest: Double? = nil) -> (String, String) {
        let bounds = cis.compactMap { $0 }
        if bounds.count == cis.count, bounds.count >= 2, let highestLower = bounds.map(\.lowerBound).max(), let lowestUpper = bounds.map(\.upperBound).min() {
            return (highestLower > lowestUpper ? "notable" : "small", "largest minus smallest subgroup value; notable when two subgroups' 95% CIs do not overlap")
        }
        if let smallest {
            return (v >= 0.1 * abs(smallest) ? "notable" : "small", "largest minus smallest subgroup value: ≥ 10% of the smaller value notable, else small")
        }
        return ("\(v >= 0.05 ? "notable" : "small")", "largest minus smallest subgroup value: ≥ 0.05 notable, else small")
    }
}
