/// Each group's ranking of the answers to a multi-answer question (the questionnaire's trust factors or explanation
/// strategies; Q10 and Q11 in the bundled one), with the percentages behind it: the link from what a group values to how an explanation for that
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

    /// Trust factors and explanation strategies for every group of the loaded survey, from the questions the
    /// questionnaire declares (`analysis.trust_factors`, `analysis.explanation_strategies`).
    public static func forExplanations(survey: Survey, grouping: GroupAssignment) throws -> (trust: GroupPriorities, strategies: GroupPriorities) {
        (try GroupPriorities(survey: survey, role: .trustFactors, grouping: grouping), try GroupPriorities(survey: survey, role: .explanationStrategies, grouping: grouping))
    }

    /// The two questions a questionnaire may declare for priorities.
    public enum Role: String, Sendable {
        case trustFactors = "trust_factors", explanationStrategies = "explanation_strategies"
    }

    /// The ranking of the question the questionnaire declares for `role`; an error that says which key to add when
    /// it declares none.
    public init(survey: Survey, role: Role, grouping: GroupAssignment) throws {
        let a = survey.questionnaire.analysis
        guard let question = role == .trustFactors ? a.trustFactors : a.explanationStrategies else {
            throw SurveyError.groupingUnavailable(reason: "the questionnaire names no \(role == .trustFactors ? "trust-factor" : "explanation-strategy") question; declare it as analysis.\(role.rawValue) (docs/questionnaire.md)")
        }
        try self.init(survey: survey, question: question, grouping: grouping)
        meanings = Dictionary(survey.questionnaire.grouping?.rules.compactMap { r in r.meaning.map { (r.group, $0) } } ?? [], uniquingKeysWith: { a, _ in a })
    }

    /// What each group is (technical, clinical), as the questionnaire's grouping rules declare; empty for groups
    /// made from a column.
    public var meanings: [String: String] = [:]

    /// The group whose declared meaning is `meaning`; for groups made from a column, a group named so.
    public func group(meaning: String) -> String? {
        meanings.first { $0.value == meaning }?.key ?? (ranking[meaning] != nil ? meaning : nil)
    }
}
