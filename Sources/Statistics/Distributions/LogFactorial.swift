import Foundation

/// ln(n!) from a table for small n and lgamma beyond it. The exact-test and table-sampling loops call this millions
/// of times, and a table lookup is several times faster than lgamma there. The table stops at 2²² entries (32 MB):
/// a table of a billion respondents must not allocate gigabytes for it.
struct LogFactorialTable: Sendable {
    private let values: [Double]
    static let largestTabulated = 1 << 22

    init(upTo requested: Int) {
        let n = min(requested, Self.largestTabulated)
        var v = [Double](repeating: 0, count: max(n, 1) + 1)
        if n >= 1 { for i in 1...n { v[i] = v[i - 1] + log(Double(i)) } }
        values = v
    }

    /// Bytes the table holds (at most 32 MB).
    var bytes: Int { values.count * MemoryLayout<Double>.stride }

    @inline(__always) subscript(_ n: Int) -> Double {
        n < values.count ? values[n] : lgamma(Double(n) + 1)
    }
}
