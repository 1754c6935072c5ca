/// Each group's ranking of the answers to a multi-answer question (Q10, trust factors; Q11, explanation
/// strategies), with the percentages behind it: the link from what a group values to how an explanation for that
/// group is ordered. Flagged answers (don't know, out of expertise, other) are left out of the ranking.
public struct GroupPriorities: Sendable {
    public struct Ranked: Sendable, Equatable {
        public let code: String
        public let label: String
        public let count: Int
        public let n: Int
        public var share: Double { n > 0 ? Double(count) / Double(n) : 0 }
    }

    public let question: String
    /// group → answers, most chosen first (ties in questionnaire order).
    public let ranking: [String: [Ranked]]

    public init(survey: Survey, question: String, grouping: GroupAssignment) throws {
        let x = try Crosstab(survey: survey, question: question, by: grouping)
        self.question = x.question.id
        var ranking: [String: [Ranked]] = [:]
        for (r, level) in x.rows.enumerated() {
            let items = x.columns.enumerated().filter { _, code in x.question.option(code)?.flag == nil }.map { j, code in
                Ranked(code: code, label: x.label(code), count: x.counts[r][j], n: x.n[r])
            }
            ranking[level] = items.enumerated().sorted { ($0.element.count, -$0.offset) > ($1.element.count, -$1.offset) }.map(\.element)
        }
        self.ranking = ranking
    }

    /// Trust factors (Q10) and explanation strategies (Q11) for every group of the loaded survey.
    public static func forExplanations(survey: Survey, grouping: GroupAssignment) throws -> (trust: GroupPriorities, strategies: GroupPriorities) {
        (try GroupPriorities(survey: survey, question: "Q10", grouping: grouping), try GroupPriorities(survey: survey, question: "Q11", grouping: grouping))
    }
}
