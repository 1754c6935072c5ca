import Statistics

/// Counts of a question's answers per group. For a multi-answer question each cell counts respondents who ticked
/// the option, so a row's percentages do not sum to 100; `n` is the number of respondents in the group who
/// answered the question at all (missing answers are left out, and counted in `missing`). A blank multi-answer
/// cell is an answer with nothing ticked unless the survey reads it as not answered (`BlankMultiAnswer`).
public struct Crosstab: Sendable {
    public let question: Question
    public let grouping: GroupAssignment
    public let rows: [String]
    public let columns: [String]
    public let counts: [[Int]]
    public let n: [Int]
    public let missing: [Int]
    /// For a multi-answer question, each group's answer patterns counted: all the multiple-response test needs.
    public let summary: MultipleResponseSummary?
    private let column: ResponseTable.Column?
    private let rowLevels: [Int32]
    /// Whether a blank multi-answer cell counts as an answer with nothing ticked (see `BlankMultiAnswer`).
    private let blankIsAnswer: Bool

    public var isMultiAnswer: Bool { question.type == .multi }

    /// Grouped respondents who answered.
    public var respondentCount: Int { n.reduce(0, +) }

    /// Group index (into `rows`) of each grouped respondent who answered, in survey order (for resampling).
    public var groupIndex: [Int] { eachAnswer().map(\.group) }

    /// The matching answers as option indicators (multi-answer: every ticked option; single: the one given).
    public var selections: [[Bool]] { eachAnswer().map(\.ticks) }

    public init(survey: Survey, question id: String, by grouping: GroupAssignment) throws {
        guard let q = survey.questionnaire.question(id) else {
            throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: survey.questionnaire.questions.map(\.id)))
        }
        guard q.isCategorical else { throw SurveyError.notComparable(question: q.id, type: q.type.rawValue) }
        question = q
        self.grouping = grouping
        rows = grouping.levels
        let columns = q.categories.map(\.code)
        self.columns = columns
        let r = rows.count, c = columns.count
        var counts = [Int](repeating: 0, count: r * c)
        var n = [Int](repeating: 0, count: r)
        var missing = [Int](repeating: 0, count: r)
        let levels = grouping.rowLevels
        let column = survey.responses.columns[q.id]
        rowLevels = levels
        self.column = column
        var summary: MultipleResponseSummary?
        let blankTicksNothing = survey.blankMultiAnswer == .tickedNothing
        blankIsAnswer = blankTicksNothing
        switch column {
        case .choice(let codes, let values)?:
            let toColumn = [-1] + Self.columnOf(codes, in: columns)
            let width = codes.count + 1
            var byValue = [Int](repeating: 0, count: r * width)
            byValue.withUnsafeMutableBufferPointer { tally in
                values.withUnsafeBufferPointer { v in
                    levels.withUnsafeBufferPointer { g in
                        for row in 0..<v.count where g[row] >= 0 { tally[Int(g[row]) * width + Int(v[row])] += 1 }
                    }
                }
            }
            for g in 0..<r {
                missing[g] = byValue[g * (codes.count + 1)]
                for k in 1...max(1, codes.count) where k <= codes.count {
                    let m = byValue[g * (codes.count + 1) + k]
                    n[g] += m
                    if toColumn[k] >= 0 { counts[g * c + toColumn[k]] += m }
                }
            }
        case .choices(let codes, let words, let masks)?:
            let toColumn = Self.columnOf(codes, in: columns)
            var patterns: [(group: Int, items: [Int], count: Int)] = []
            if words == 1 && codes.count <= 16 {
                // Every pattern of up to 16 options has its own counter: one pass, no hashing.
                let width = 1 << codes.count
                var tally = [Int](repeating: 0, count: r * width)
                tally.withUnsafeMutableBufferPointer { t in
                    masks.withUnsafeBufferPointer { m in
                        levels.withUnsafeBufferPointer { g in
                            for row in 0..<m.count where g[row] >= 0 { t[Int(g[row]) * width + Int(m[row])] += 1 }
                        }
                    }
                }
                for g in 0..<r {
                    for mask in 0..<width where tally[g * width + mask] > 0 {
                        let k = tally[g * width + mask]
                        if mask == 0 && !blankTicksNothing { missing[g] += k; continue }
                        let items = (0..<codes.count).filter { mask & (1 << $0) != 0 }.map { toColumn[$0] }
                        patterns.append((g, items, k))
                    }
                }
            } else {
                var tally: [[UInt64]: Int] = [:]
                for row in levels.indices where levels[row] >= 0 {
                    tally[[UInt64(levels[row])] + masks[(row * words)..<(row * words + words)], default: 0] += 1
                }
                for (key, k) in tally {
                    let g = Int(key[0])
                    var items: [Int] = []
                    for w in 0..<words {
                        var m = key[w + 1]
                        while m != 0 { items.append(toColumn[w * 64 + m.trailingZeroBitCount]); m &= m - 1 }
                    }
                    if items.isEmpty && !blankTicksNothing { missing[g] += k } else { patterns.append((g, items, k)) }
                }
            }
            for p in patterns {
                n[p.group] += p.count
                for j in p.items { counts[p.group * c + j] += p.count }
            }
            summary = MultipleResponseSummary(groupCount: r, itemCount: c, patterns: patterns)
        default:
            // No column for this question in the file: everyone is missing.
            for g in 0..<r { missing[g] = grouping.sizes[g] }
        }
        self.counts = (0..<r).map { g in Array(counts[(g * c)..<(g * c + c)]) }
        self.n = n
        self.missing = missing
        self.summary = summary
    }

    /// The table column of each stored code (−1 for a Likert value outside the scale); stored value k + 1 is
    /// code k.
    private static func columnOf(_ codes: [String], in columns: [String]) -> [Int] {
        codes.map { code in columns.firstIndex(of: code) ?? -1 }
    }

    /// The grouped respondents who answered, in survey order, with their answers as option indicators.
    private func eachAnswer() -> [(group: Int, ticks: [Bool])] {
        var out: [(Int, [Bool])] = []
        let c = columns.count
        switch column {
        case .choice(let codes, let values)?:
            let toColumn = [-1] + Self.columnOf(codes, in: columns)
            for row in rowLevels.indices where rowLevels[row] >= 0 && values[row] != 0 {
                var t = [Bool](repeating: false, count: c)
                if toColumn[Int(values[row])] >= 0 { t[toColumn[Int(values[row])]] = true }
                out.append((Int(rowLevels[row]), t))
            }
        case .choices(let codes, let words, let masks)?:
            let toColumn = Self.columnOf(codes, in: columns)
            for row in rowLevels.indices where rowLevels[row] >= 0 {
                var t = [Bool](repeating: false, count: c)
                var any = false
                for w in 0..<words {
                    var m = masks[row * words + w]
                    while m != 0 { t[toColumn[w * 64 + m.trailingZeroBitCount]] = true; any = true; m &= m - 1 }
                }
                if any || blankIsAnswer { out.append((Int(rowLevels[row]), t)) }
            }
        default:
            break
        }
        return out
    }

    public func label(_ code: String) -> String { question.option(code)?.label ?? code }

    /// The table Pearson's test needs for a single-answer question: groups × answers.
    public func contingencyTable() throws -> ContingencyTable {
        try ContingencyTable(counts)
    }
}

extension Crosstab {
    /// The rows a crosstab shows, with a row for all grouped respondents together when asked (`describe`): the one
    /// set of values its table and its JSON are made from. Encoded as rows, counts, n, row percentages and Wilson 95%
    /// intervals ([low, high] shares, null for an empty row).
    public struct Shown: Sendable, Encodable {
        public let levels: [String]
        public let counts: [[Int]]
        public let n: [Int]

        public func share(_ r: Int, _ j: Int) -> Double? { n[r] > 0 ? Double(counts[r][j]) / Double(n[r]) : nil }
        public func interval(_ r: Int, _ j: Int) -> WilsonInterval? { n[r] > 0 ? try? WilsonInterval(successes: counts[r][j], trials: n[r]) : nil }

        enum CodingKeys: String, CodingKey { case rows, counts, n, rowPercent = "row_percent", wilson = "wilson_95" }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(levels, forKey: .rows)
            try c.encode(counts, forKey: .counts)
            try c.encode(n, forKey: .n)
            let columns = counts.first.map { Array($0.indices) } ?? []
            try c.encode(levels.indices.map { r in columns.map { j in share(r, j).map { 100 * $0 } } }, forKey: .rowPercent)
            try c.encode(levels.indices.map { r in columns.map { j in interval(r, j).map { [$0.lower, $0.upper] } } }, forKey: .wilson)
        }
    }

    public func shown(includeAll: Bool) -> Shown {
        guard includeAll else { return Shown(levels: rows, counts: counts, n: n) }
        return Shown(levels: rows + ["all"], counts: counts + [columns.indices.map { j in counts.reduce(0) { $0 + $1[j] } }],
                     n: n + [n.reduce(0, +)])
    }
}
