import Foundation

/// The ordered answer scales surveys use, recognised by their words (case, punctuation and `_` ignored, so KoboToolbox
/// and ODK names such as `strongly_disagree` are the same words), with the answers that sit outside the order
/// ("don't know", "not applicable", "prefer not to say"). Three ways a scale is recognised, tried in turn:
/// - the points of a known scale (agreement, frequency, likelihood, importance, satisfaction, quality);
/// - frequencies said as periods ("never", "less than once a year", "once a year", "every few months",
///   "monthly or more often"): ordered by how many times a year each means;
/// - numbered labels ("1 - Strongly disagree", "5 = Very often", "Poor (1)"): ordered by their numbers.
/// Never alphabetically: a set of words that fits none of these is not a scale, and its order is not assumed.
enum OrderedScales {
    struct Match {
        let name: String
        /// The values in the scale's order, as written in the file.
        let order: [String]
        /// Values outside the order, kept last.
        let unordered: [String]
    }

    static let scales: [(name: String, points: [[String]])] = [
        ("agreement", [["strongly disagree", "totally disagree", "completely disagree", "disagree strongly"], ["disagree", "mostly disagree"],
                       ["somewhat disagree", "slightly disagree", "tend to disagree", "disagree somewhat"],
                       ["neither agree nor disagree", "neither agree or disagree", "neutral", "undecided", "neither"],
                       ["somewhat agree", "slightly agree", "tend to agree", "agree somewhat"], ["agree", "mostly agree"],
                       ["strongly agree", "totally agree", "completely agree", "agree strongly"]]),
        ("frequency", [["never"], ["rarely", "seldom", "almost never"], ["sometimes", "occasionally"], ["often", "frequently"],
                       ["usually", "very often", "most of the time", "almost always"], ["always"]]),
        ("likelihood", [["very unlikely", "extremely unlikely"], ["unlikely", "somewhat unlikely"], ["neither likely nor unlikely", "neutral"],
                        ["likely", "somewhat likely"], ["very likely", "extremely likely"]]),
        ("importance", [["not at all important", "not important"], ["slightly important", "of little importance", "low importance"],
                        ["moderately important", "somewhat important"], ["important"], ["very important"], ["extremely important", "essential"]]),
        ("satisfaction", [["very dissatisfied", "extremely dissatisfied"], ["dissatisfied", "somewhat dissatisfied"], ["neither satisfied nor dissatisfied", "neutral"],
                          ["satisfied", "somewhat satisfied"], ["very satisfied", "extremely satisfied"]]),
        ("quality", [["very poor"], ["poor"], ["fair", "average"], ["good"], ["very good"], ["excellent"]]),
        ("extent", [["not at all"], ["slightly", "a little", "to a small extent"], ["moderately", "somewhat", "to some extent"],
                    ["very", "a lot", "to a large extent", "considerably"], ["extremely", "completely", "to a very large extent"]]),
    ]

    /// Each scale's words with the rank of their point, made once.
    static let ranks: [(name: String, rank: [String: Int])] = scales.map { scale in
        var rank: [String: Int] = [:]
        for (k, words) in scale.points.enumerated() { for w in words { rank[w] = k } }
        return (scale.name, rank)
    }

    static let outside: Set<String> = ["dont know", "do not know", "i dont know", "i do not know", "not sure", "not applicable", "na", "n a",
                                       "prefer not to say", "prefer not to answer", "no opinion", "cannot say", "cant say", "unsure", "dk"]

    /// Lower case, apostrophes dropped ("don't" → "dont"), other punctuation and `_` as spaces, spaces collapsed.
    static func key(_ s: String) -> String {
        s.lowercased().filter { $0 != "'" && $0 != "’" }.map { $0.isLetter || $0.isNumber ? $0 : " " }.reduce(into: "") { $0.append($1) }
            .split(separator: " ").joined(separator: " ")
    }

    static func isOutside(_ s: String) -> Bool { outside.contains(key(s)) }

    /// The scale every value belongs to (apart from "don't know" and the like), when at least two of its points
    /// appear; nil otherwise.
    static func match(_ values: [String]) -> Match? {
        // Plain numbers are never words of a scale (and a wide file asks this of every column).
        if values.allSatisfy({ v in !v.isEmpty && v.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D } }) { return nil }
        let outsideValues = values.filter(isOutside)
        let inside = values.filter { !isOutside($0) }
        guard inside.count >= 2 else { return nil }
        for (name, rank) in ranks {
            guard inside.allSatisfy({ rank[key($0)] != nil }) else { continue }
            // Two spellings of one point ("neutral" twice) would make ties: the file's own order breaks them.
            let ordered = inside.enumerated().sorted { (rank[key($0.1)] ?? 0, $0.0) < (rank[key($1.1)] ?? 0, $1.0) }.map(\.1)
            return Match(name: name, order: ordered, unordered: outsideValues)
        }
        let times = inside.compactMap(perYear)
        if times.count == inside.count, Set(times).count == times.count {
            let ordered = zip(inside, times).sorted { $0.1 < $1.1 }.map(\.0)
            return Match(name: "frequency (times a year)", order: ordered, unordered: outsideValues)
        }
        let numbers = inside.compactMap(leadingNumber)
        if numbers.count == inside.count, Set(numbers).count == numbers.count {
            let ordered = zip(inside, numbers).sorted { $0.1 < $1.1 }.map(\.0)
            return Match(name: "numbered", order: ordered, unordered: outsideValues)
        }
        return nil
    }

    /// How many times a year a frequency said as a period means ("monthly or more often" a little more than 12), or
    /// nil when the words are not one.
    static func perYear(_ s: String) -> Double? {
        var k = " " + key(s).replacingOccurrences(of: " per ", with: " a ").replacingOccurrences(of: " every single ", with: " every ") + " "
        var factor = 1.0
        for (words, f) in [(" less than ", 0.7), (" less often than ", 0.7), (" more than ", 1.4), (" more often than ", 1.4), (" at least ", 1.1)]
        where k.hasPrefix(words) {
            factor *= f
            k = " " + k.dropFirst(words.count)
        }
        for (words, f) in [(" or more often ", 1.2), (" or more ", 1.2), (" or less often ", 0.8), (" or less ", 0.8), (" or more frequently ", 1.2)]
        where k.hasSuffix(words) {
            factor *= f
            k = String(k.dropLast(words.count)) + " "
        }
        return periods[k.trimmingCharacters(in: .whitespaces)].map { $0 * factor }
    }

    /// Times a year of the periods frequencies are said in.
    static let periods: [String: Double] = [
            "never": 0, "every few years": 0.3, "every two years": 0.5, "every 2 years": 0.5, "once a year": 1, "yearly": 1, "annually": 1,
            "every year": 1, "once yearly": 1, "twice a year": 2, "every six months": 2, "every 6 months": 2, "biannually": 2, "semiannually": 2,
            "half yearly": 2, "a few times a year": 4, "several times a year": 4, "every few months": 4, "quarterly": 4, "every three months": 4,
            "every 3 months": 4, "monthly": 12, "once a month": 12, "every month": 12, "a few times a month": 30, "several times a month": 30,
            "every two weeks": 26, "every 2 weeks": 26, "fortnightly": 26, "biweekly": 26, "weekly": 52, "once a week": 52, "every week": 52,
            "a few times a week": 150, "several times a week": 150, "daily": 365, "every day": 365, "once a day": 365,
            "several times a day": 1000, "a few times a day": 1000, "hourly": 8760,
        ]

    /// The number a label is numbered with: "1 - Strongly disagree", "5 = Always", "2. Rarely", "3) Sometimes",
    /// "Poor (1)"; nil when the label has no number with words beside it.
    static func leadingNumber(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let digits = t.prefix { $0.isNumber }
        if !digits.isEmpty, let v = Double(digits) {
            let rest = t.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
            if let mark = rest.first, "-–=:.)".contains(mark), rest.dropFirst().contains(where: { $0.isLetter }) { return v }
        }
        if t.hasSuffix(")"), let open = t.lastIndex(of: "(") {
            let inner = t[t.index(after: open)..<t.index(before: t.endIndex)]
            if let v = Double(inner), t[..<open].contains(where: { $0.isLetter }) { return v }
        }
        return nil
    }
}
