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
    /// For each respondent in survey order, the index of its level in `levels`, or −1 when it fits no group
    /// (no matching rule, or no answer to the grouping question).
    public let rowLevels: [Int32]
    /// Respondents per level, in `levels` order.
    public let sizes: [Int]
    private let ids: [String]

    /// Each respondent's level by id (built on each call: hoist it out of loops).
    public var groupOf: [String: String] {
        var d: [String: String] = [:]
        d.reserveCapacity(ids.count)
        for (row, k) in rowLevels.enumerated() where k >= 0 { d[ids[row]] = levels[Int(k)] }
        return d
    }

    /// Respondents who could not be placed.
    public var unassigned: [String] { rowLevels.indices.filter { rowLevels[$0] < 0 }.map { ids[$0] } }

    /// The level of the respondent in survey position `row`, or nil.
    public func level(ofRow row: Int) -> String? {
        let k = rowLevels[row]
        return k >= 0 ? levels[Int(k)] : nil
    }

    public func members(_ level: String, in survey: Survey) -> [Respondent] {
        guard let k = levels.firstIndex(of: level).map(Int32.init) else { return [] }
        let all = survey.respondents
        return rowLevels.indices.filter { rowLevels[$0] == k }.map { all[$0] }
    }

    public func size(_ level: String) -> Int { levels.firstIndex(of: level).map { sizes[$0] } ?? 0 }

    public init(survey: Survey, variable: GroupingVariable) throws {
        self.variable = variable
        var labels: [String: String] = [:]
        var order: [String] = []
        // Index into `order` per respondent, −1 for none; computed once per distinct answer.
        var orderIndex = [Int32](repeating: -1, count: survey.responses.count)
        switch variable {
        case .roles(let enabled):
            guard let rule = survey.questionnaire.grouping else {
                // The example names a question of this survey, not of the bundled one.
                let example = survey.questionnaire.questions.first { $0.type == .single }.map { "by \($0.id), or " } ?? ""
                throw SurveyError.groupingUnavailable(reason: "the questionnaire has no role rule; group by a question instead (\(example)load with --group COLUMN)")
            }
            for r in rule.rules { labels[r.group] = r.label.isEmpty ? r.group : r.label }
            order = rule.groups(enabledOptional: enabled)
            func place(_ codes: [String]) -> Int32 {
                rule.group(for: codes, enabledOptional: enabled).flatMap { order.firstIndex(of: $0) }.map(Int32.init) ?? -1
            }
            let column = survey.responses.columns[survey.questionnaire.question(rule.question)?.id ?? rule.question]
            switch column {
            case .choices(let codes, let words, let masks)? where words == 1:
                // A role question is multi-answer: respondents with the same roles fall in the same group.
                var known: [UInt64: Int32] = [:]
                for row in orderIndex.indices {
                    let m = masks[row]
                    if let k = known[m] { orderIndex[row] = k; continue }
                    let k = place(codes.indices.filter { m & (1 << UInt64($0)) != 0 }.map { codes[$0] })
                    known[m] = k
                    orderIndex[row] = k
                }
            case .choice(let codes, let values)?:
                let byValue = [Int32(-1)] + codes.map { place([$0]) }
                for row in orderIndex.indices { orderIndex[row] = byValue[Int(values[row])] }
            default:
                for (row, respondent) in survey.respondents.enumerated() { orderIndex[row] = place(respondent.answer(rule.question).codes) }
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
            if case .choice(let codes, let values)? = survey.responses.columns[q.id] {
                // Codes not in the questionnaire's list (Likert without a scale) come after it, in order of appearance.
                for c in codes where !order.contains(c) { order.append(c) }
                let byValue = [Int32(-1)] + codes.map { c in Int32(order.firstIndex(of: c) ?? -1) }
                for row in orderIndex.indices { orderIndex[row] = byValue[Int(values[row])] }
            }
        }
        // Numbers say nothing to a reader: groups of a question whose codes are numbers with labels (SPSS value
        // labels, REDCap choices, "1" = "Technical") are named by the labels, when every code has its own.
        if case .question = variable, !order.isEmpty, order.allSatisfy({ Int($0) != nil }) {
            let names = order.map { labels[$0] ?? "" }
            if names.allSatisfy({ !$0.isEmpty && Int($0) == nil }), Set(names).count == names.count {
                for name in names { labels[name] = name }
                order = names
            }
        }
        var counts = [Int](repeating: 0, count: order.count)
        for k in orderIndex where k >= 0 { counts[Int(k)] += 1 }
        let present = order.indices.filter { counts[$0] > 0 }
        levels = present.map { order[$0] }
        var remap = [Int32](repeating: -1, count: order.count)
        for (new, old) in present.enumerated() { remap[old] = Int32(new) }
        rowLevels = orderIndex.map { $0 >= 0 ? remap[Int($0)] : -1 }
        sizes = present.map { counts[$0] }
        ids = survey.responses.ids
        self.labels = labels
        guard levels.count >= 2 else { throw SurveyError.tooFewGroups(variable: variable.name, levels: levels.count) }
    }
}
