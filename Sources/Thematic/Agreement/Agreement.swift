/// Agreement between coders on which codes apply to which answers.
///
/// A unit is an answer (respondent × question). A coder "covered" an answer when they gave it at least one code;
/// for a covered answer each code is present (1) or absent (0), for an uncovered one it is missing.
/// - Cohen's kappa (two coders): (p_o − p_e) / (1 − p_e), p_e from the two coders' marginals (Cohen 1960); nil
///   (undefined) when p_e = 1, i.e. both coders gave the same single value everywhere. Units one coder did not
///   cover are left out.
/// - Krippendorff's alpha, nominal (Krippendorff 2004, §11.3): from the coincidence matrix
///   o_ck = Σ_u (pairs c–k in u) / (m_u − 1), units with fewer than two values dropped,
///   α = [(n − 1) Σ_c o_cc − Σ_c n_c (n_c − 1)] / [n (n − 1) − Σ_c n_c (n_c − 1)]; any number of coders, missing
///   values allowed; nil when there is no variation (the denominator is 0) or no pairable unit.
/// Per code both are computed on the present/absent values; overall, on all (answer, code) units together.
public struct Agreement: Sendable {
    public struct PerCode: Sendable {
        public let code: String
        public let kappa: Double?
        public let alpha: Double?
        /// Share of units (covered by both of the first two coders) where they agree.
        public let agreement: Double?
        public let units: Int
    }

    public let coders: [String]
    public let kappa: Double?
    public let alpha: Double?
    public let perCode: [PerCode]
    public let units: Int

    /// - Parameters:
    ///   - codings: all codings of the question(s) being compared.
    ///   - units: the answers that could be coded (respondent, question).
    ///   - codes: the codes to compare (usually every codable code used by anyone).
    public init(codings: [Coding], units: [(String, String)], codes: [String], coders wanted: [String]? = nil) throws {
        let coders = wanted ?? Array(Set(codings.map(\.coder))).sorted()
        guard coders.count >= 2 else { throw ThematicError.fewerThanTwoCoders(found: coders) }
        self.coders = coders
        var present: [String: Set<String>] = [:]   // "coder|respondent|question" → codes
        for c in codings where coders.contains(c.coder) {
            present["\(c.coder)|\(c.respondent)|\(c.question)", default: []].insert(c.code)
        }
        func value(_ coder: String, _ unit: (String, String), _ code: String) -> Int? {
            guard let codes = present["\(coder)|\(unit.0)|\(unit.1)"] else { return nil }
            return codes.contains(code) ? 1 : 0
        }
        var all: [[Int?]] = []   // one row per (unit, code), one column per coder
        var per: [PerCode] = []
        for code in codes {
            let rows = units.map { u in coders.map { value($0, u, code) } }
            all += rows
            let pair = rows.compactMap { r -> (Int, Int)? in
                guard let a = r[0], let b = r[1] else { return nil }
                return (a, b)
            }
            per.append(PerCode(code: code, kappa: coders.count == 2 ? Self.cohen(pair) : nil, alpha: Self.krippendorff(rows),
                               agreement: pair.isEmpty ? nil : Double(pair.filter { $0.0 == $0.1 }.count) / Double(pair.count),
                               units: pair.count))
        }
        perCode = per
        let pairs = all.compactMap { r -> (Int, Int)? in
            guard let a = r[0], let b = r[1] else { return nil }
            return (a, b)
        }
        kappa = coders.count == 2 ? Self.cohen(pairs) : nil
        alpha = Self.krippendorff(all)
        self.units = units.count
    }

    /// Cohen's kappa for two coders' paired nominal values.
    public static func cohen(_ pairs: [(Int, Int)]) -> Double? {
        guard !pairs.isEmpty else { return nil }
        let n = Double(pairs.count)
        let values = Set(pairs.flatMap { [$0.0, $0.1] })
        let po = Double(pairs.filter { $0.0 == $0.1 }.count) / n
        var pe = 0.0
        for v in values {
            pe += (Double(pairs.filter { $0.0 == v }.count) / n) * (Double(pairs.filter { $0.1 == v }.count) / n)
        }
        guard pe < 1 else { return nil }
        return (po - pe) / (1 - pe)
    }

    /// Krippendorff's alpha (nominal) for units × coders, nil meaning missing.
    public static func krippendorff(_ units: [[Int?]]) -> Double? {
        var coincidence: [Int: [Int: Double]] = [:]
        for u in units {
            let vals = u.compactMap { $0 }
            let m = Double(vals.count)
            guard vals.count >= 2 else { continue }
            for i in vals.indices {
                for j in vals.indices where i != j {
                    coincidence[vals[i], default: [:]][vals[j], default: 0] += 1 / (m - 1)
                }
            }
        }
        let nc = coincidence.mapValues { $0.values.reduce(0, +) }
        let n = nc.values.reduce(0, +)
        guard n > 1 else { return nil }
        let diagonal = coincidence.reduce(0.0) { $0 + ($1.value[$1.key] ?? 0) }
        let expectedPairs = nc.values.reduce(0.0) { $0 + $1 * ($1 - 1) }
        let denominator = n * (n - 1) - expectedPairs
        guard denominator > 0 else { return nil }
        return ((n - 1) * diagonal - expectedPairs) / denominator
    }
}
