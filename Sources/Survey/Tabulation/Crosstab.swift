import Statistics

/// Counts of a question's answers per group. For a multi-answer question each cell counts respondents who ticked
/// the option, so a row's percentages do not sum to 100; `n` is the number of respondents in the group who
/// answered the question at all (missing answers are left out, and counted in `missing`).
public struct Crosstab: Sendable {
    public let question: Question
    public let grouping: GroupAssignment
    public let rows: [String]
    public let columns: [String]
    public let counts: [[Int]]
    public let n: [Int]
    public let missing: [Int]
    /// Answers per respondent as item indicators, in respondent order, for the multiple-response test.
    public let groupIndex: [Int]
    public let selections: [[Bool]]

    public var isMultiAnswer: Bool { question.type == .multi }

    public init(survey: Survey, question id: String, by grouping: GroupAssignment) throws {
        guard let q = survey.questionnaire.question(id) else {
            throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: survey.questionnaire.questions.map(\.id)))
        }
        guard q.isCategorical else { throw SurveyError.notComparable(question: q.id, type: q.type.rawValue) }
        question = q
        self.grouping = grouping
        rows = grouping.levels
        columns = q.categories.map(\.code)
        var counts = [[Int]](repeating: [Int](repeating: 0, count: columns.count), count: rows.count)
        var n = [Int](repeating: 0, count: rows.count)
        var missing = [Int](repeating: 0, count: rows.count)
        var groupIndex: [Int] = []
        var selections: [[Bool]] = []
        let columnIndex = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        for respondent in survey.respondents {
            guard let level = grouping.groupOf[respondent.id], let r = rows.firstIndex(of: level) else { continue }
            let codes = respondent.answer(q.id).codes
            if codes.isEmpty { missing[r] += 1; continue }
            n[r] += 1
            var ticks = [Bool](repeating: false, count: columns.count)
            for c in codes { if let j = columnIndex[c] { counts[r][j] += 1; ticks[j] = true } }
            groupIndex.append(r)
            selections.append(ticks)
        }
        self.counts = counts
        self.n = n
        self.missing = missing
        self.groupIndex = groupIndex
        self.selections = selections
    }

    public func label(_ code: String) -> String { question.option(code)?.label ?? code }

    /// Percent of the row's respondents for each cell.
    public var rowPercent: [[Double]] {
        counts.enumerated().map { r, row in row.map { n[r] > 0 ? 100 * Double($0) / Double(n[r]) : .nan } }
    }

    /// Wilson 95% interval of each cell's share of its row.
    public var intervals: [[WilsonInterval?]] {
        counts.enumerated().map { r, row in row.map { try? WilsonInterval(successes: $0, trials: n[r]) } }
    }

    /// The table Pearson's test needs for a single-answer question: groups × answers.
    public func contingencyTable() throws -> ContingencyTable {
        try ContingencyTable(counts)
    }
}
