/// What splits respondents into groups: the questionnaire's role rule (TG/CG, optionally "mixed"), or any
/// single-answer question or column (`by Q3`, `--group COLUMN`).
public enum GroupingVariable: Sendable, Equatable {
    case roles(enabledOptional: Set<String>)
    case question(String)

    public var name: String {
        switch self {
        case .roles: return "group"
        case .question(let q): return q
        }
    }
}

/// Respondents assigned to the levels of a grouping variable.
public struct GroupAssignment: Sendable {
    public let variable: GroupingVariable
    /// Levels in display order (rule order, or answer-code order), only those with respondents.
    public let levels: [String]
    public let labels: [String: String]
    public let groupOf: [String: String]
    /// Respondents who could not be placed (no matching rule, or no answer to the grouping question).
    public let unassigned: [String]

    public func members(_ level: String, in survey: Survey) -> [Respondent] {
        survey.respondents.filter { groupOf[$0.id] == level }
    }

    public func size(_ level: String) -> Int { groupOf.values.filter { $0 == level }.count }

    public init(survey: Survey, variable: GroupingVariable) throws {
        self.variable = variable
        var groupOf: [String: String] = [:]
        var unassigned: [String] = []
        var labels: [String: String] = [:]
        var order: [String] = []
        switch variable {
        case .roles(let enabled):
            guard let rule = survey.questionnaire.grouping else {
                throw SurveyError.groupingUnavailable(reason: "the questionnaire has no role rule; group by a question instead (by Q3, or load with --group COLUMN)")
            }
            for r in rule.rules { labels[r.group] = r.label.isEmpty ? r.group : r.label }
            order = rule.groups(enabledOptional: enabled)
            for respondent in survey.respondents {
                if let g = rule.group(for: respondent.answer(rule.question).codes, enabledOptional: enabled) {
                    groupOf[respondent.id] = g
                } else {
                    unassigned.append(respondent.id)
                }
            }
        case .question(let id):
            guard let q = survey.questionnaire.question(id) else {
                throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: survey.questionnaire.questions.map(\.id)))
            }
            guard q.type == .single || q.type == .likert else {
                throw SurveyError.notComparable(question: q.id, type: q.type.rawValue + " (a grouping variable needs one answer per respondent)")
            }
            for c in q.categories { labels[c.code] = c.label }
            order = q.categories.map(\.code)
            for respondent in survey.respondents {
                if case .code(let c) = respondent.answer(q.id) { groupOf[respondent.id] = c } else { unassigned.append(respondent.id) }
            }
        }
        let present = Set(groupOf.values)
        levels = order.filter(present.contains)
        self.groupOf = groupOf
        self.unassigned = unassigned
        self.labels = labels
        guard levels.count >= 2 else { throw SurveyError.tooFewGroups(variable: variable.name, levels: levels.count) }
    }
}
