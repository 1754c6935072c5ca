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
    /// Agreement over which code each answer got, as content analysts report it (krippendorff.alpha with
    /// level_of_measurement "nominal", Cohen's and Fleiss' kappa): when every coder gave at most one code per answer.
    public let nominal: Nominal?
    /// Krippendorff's alpha with the MASI distance between the sets of codes coders gave an answer (Passonneau 2006):
    /// for answers with several codes; computed always.
    public let masiAlpha: Double?
    /// Whether every coder gave at most one code per answer.
    public var oneCodePerAnswer: Bool { nominal != nil }

    public struct Nominal: Sendable {
        /// Krippendorff's alpha over the codes (answers a coder did not code are missing).
        public let alpha: Double?
        /// Cohen's kappa over the answers both of two coders coded.
        public let cohen: Double?
        /// Fleiss' kappa over the answers every coder coded (three or more coders).
        public let fleiss: Double?
        /// Answers every coder coded (the units of Cohen's and Fleiss' kappa).
        public let complete: Int
    }

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
        // The codes each coder gave each answer (nil: did not code it).
        let given: [[Set<String>?]] = units.map { u in coders.map { present["\($0)|\(u.0)|\(u.1)"] } }
        masiAlpha = Self.krippendorff(given, distance: Self.masiDistance)
        if given.allSatisfy({ row in row.allSatisfy { ($0?.count ?? 0) <= 1 } }) {
            // One code per answer: the code itself is the nominal value.
            let index = Dictionary(uniqueKeysWithValues: Array(Set(given.flatMap { $0.compactMap { $0?.first } })).sorted().enumerated().map { ($1, $0) })
            let values: [[Int?]] = given.map { row in row.map { $0?.first.flatMap { index[$0] } } }
            let complete = values.filter { $0.allSatisfy { $0 != nil } }
            nominal = Nominal(alpha: Self.krippendorff(values),
                              cohen: coders.count == 2 ? Self.cohen(values.compactMap { r in r[0].flatMap { a in r[1].map { (a, $0) } } }) : nil,
                              fleiss: coders.count >= 3 ? Self.fleiss(complete.map { $0.compactMap { $0 } }, categories: index.count) : nil,
                              complete: complete.count)
        } else {
            nominal = nil
        }
    }

    /// Fleiss' kappa for units each rated by the same number of raters (Fleiss 1971): P̄ the mean share of agreeing
    /// rater pairs per unit, P̄e = Σ_j p_j² from the category shares; nil when P̄e = 1 or no unit has two ratings.
    public static func fleiss(_ ratings: [[Int]], categories: Int) -> Double? {
        guard let m = ratings.first?.count, m >= 2, ratings.allSatisfy({ $0.count == m }), categories > 0 else { return nil }
        var totals = [Double](repeating: 0, count: categories)
        var pBar = 0.0
        for unit in ratings {
            var counts = [Double](repeating: 0, count: categories)
            for v in unit where v < categories { counts[v] += 1; totals[v] += 1 }
            pBar += (counts.reduce(0) { $0 + $1 * $1 } - Double(m)) / Double(m * (m - 1))
        }
        let n = Double(ratings.count)
        pBar /= n
        let pe = totals.reduce(0) { $0 + ($1 / (n * Double(m))) * ($1 / (n * Double(m))) }
        guard pe < 1 else { return nil }
        return (pBar - pe) / (1 - pe)
    }

    /// MASI distance between two sets of codes: 1 − Jaccard × monotonicity (1 equal, 2/3 one inside the other,
    /// 1/3 overlapping, 0 disjoint), as NLTK's masi_distance (Passonneau 2006 prints 0.67 and 0.33; NLTK and we
    /// use the exact thirds).
    public static func masiDistance(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count, both = a.intersection(b).count
        guard union > 0 else { return 0 }
        let m: Double = a == b ? 1 : (a.isSubset(of: b) || b.isSubset(of: a)) ? 2.0 / 3 : both > 0 ? 1.0 / 3 : 0
        return 1 - Double(both) / Double(union) * m
    }

    /// Krippendorff's alpha with any distance between values (units × coders, nil missing): 1 − D_o / D_e, the
    /// observed disagreement within units over the expected one between all pairable values (Krippendorff 2004).
    /// (The expected disagreement is summed over distinct values with their counts: δ(v, v) = 0, so pairs of equal
    /// values add nothing, and a survey of 300,000 answers has a few hundred distinct sets of codes.)
    public static func krippendorff<V: Hashable>(_ units: [[V?]], distance: (V, V) -> Double) -> Double? {
        let pairable = units.map { $0.compactMap { $0 } }.filter { $0.count >= 2 }
        let n = Double(pairable.reduce(0) { $0 + $1.count })
        guard n > 1 else { return nil }
        var observed = 0.0
        for vals in pairable {
            var sum = 0.0
            for i in vals.indices { for j in vals.indices where i != j { sum += distance(vals[i], vals[j]) } }
            observed += sum / Double(vals.count - 1)
        }
        observed /= n
        var counts: [V: Double] = [:]
        for vals in pairable { for v in vals { counts[v, default: 0] += 1 } }
        let distinct = Array(counts)
        var expected = 0.0
        for (a, na) in distinct { for (b, nb) in distinct { expected += na * nb * distance(a, b) } }
        expected /= n * (n - 1)
        guard expected > 0 else { return nil }
        return 1 - observed / expected
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
