import Foundation

/// Number wording shared by every command, so a p-value reads the same everywhere.
enum Formatting {
    /// p-values: 3 significant digits, "< 1e-300"-style scientific below 0.001.
    static func p(_ v: Double?) -> String {
        guard let v, !v.isNaN else { return "NA" }
        // An upper tail below the smallest Double (X² in the thousands) is not zero; say how small it is.
        if v == 0 { return "< 1e-307" }
        if v < 0.001 { return String(format: "%.2e", v) }
        return String(format: "%.4f", v)
    }

    /// A standard error: like a p-value, except that 0 (every draw agreed) is printed as 0.
    static func se(_ v: Double) -> String {
        v == 0 ? "0" : p(v)
    }

    static func stat(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "NA" }
        return String(format: "%.3f", v)
    }

    /// "1 figure", "3 figures": a count with its noun, singular or plural.
    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
    }

    static func percent(_ v: Double) -> String {
        v.isNaN ? "NA" : String(format: "%.1f%%", v)
    }

    /// A size in bytes as people read it: "512 MB", "2 GB" (binary units, as the budgets are set).
    static func bytes(_ b: Int) -> String {
        let units = [(1 << 30, "GB"), (1 << 20, "MB"), (1 << 10, "KB")]
        for (size, name) in units where b >= size {
            return number((Double(b) / Double(size) * 10).rounded() / 10) + " " + name
        }
        return "\(b) bytes"
    }

    static func number(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%g", v)
    }
}
