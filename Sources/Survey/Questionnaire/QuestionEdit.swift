import Foundation

/// A correction to what inference decided, made at the prompt instead of in YAML (`set Q type open`, `set Q order
/// a,b,c`). Edits are applied when the file is read, so a new type re-reads the column's cells; they are kept with
/// the load in the workspace.
public enum QuestionEdit: Sendable, Equatable {
    case type(question: String, QuestionType)
    case order(question: String, [String])

    /// Whether two edits set the same thing (a later one replaces the earlier).
    public func isSameKind(_ other: QuestionEdit) -> Bool {
        switch (self, other) {
        case (.type, .type), (.order, .order): return true
        default: return false
        }
    }

    public var question: String {
        switch self { case .type(let q, _), .order(let q, _): return q }
    }

    /// As typed at the prompt: "Q type open", "Q order a,b,c".
    public var text: String {
        switch self {
        case let .type(q, t): return "\(q) type \(t.rawValue)"
        case let .order(q, codes): return "\(q) order \(codes.joined(separator: ","))"
        }
    }

    public static func parse(_ text: String) throws -> QuestionEdit {
        let words = text.split(separator: " ", maxSplits: 2).map(String.init)
        guard words.count == 3 else { throw SurveyError.badFilter(text: text, problem: "expected set Q type TYPE or set Q order a,b,c") }
        switch words[1].lowercased() {
        case "type":
            guard let t = QuestionType(rawValue: words[2].lowercased()) else {
                throw SurveyError.badFilter(text: text, problem: "a type is one of \(QuestionType.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return .type(question: words[0], t)
        case "order":
            return .order(question: words[0], words[2].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        default:
            throw SurveyError.badFilter(text: text, problem: "expected set Q type TYPE or set Q order a,b,c")
        }
    }

    /// Applies the edit to a questionnaire; `values` gives a column's distinct answers with their counts when the
    /// type changes (the answers a new single, multi or Likert question takes as its codes).
    func apply(to q: inout Questionnaire, values: (String) -> [(value: String, count: Int)]?) throws {
        guard let s = q.sections.firstIndex(where: { $0.questions.contains { $0.id.lowercased() == question.lowercased() } }),
              let k = q.sections[s].questions.firstIndex(where: { $0.id.lowercased() == question.lowercased() }) else {
            throw SurveyError.unknownQuestion(id: question, suggestion: Suggest.nearest(question, in: q.questions.map(\.id)))
        }
        var target = q.sections[s].questions[k]
        switch self {
        case .order(_, let codes):
            let current = target.options.map(\.code)
            guard !current.isEmpty else {
                // A scale (1–5), a number or a text has no list of answers to put in order.
                throw SurveyError.badFilter(text: "set " + text, problem: "\(target.id) is a \(target.type.rawValue) question without answer codes, so there is no order to set"
                                            + (target.scale.map { "; its scale runs from \($0.min) to \($0.max)" } ?? ""))
            }
            guard Set(codes) == Set(current), codes.count == current.count else {
                throw SurveyError.badFilter(text: "set " + text, problem: "list every answer of \(target.id) once, in the new order: \(current.joined(separator: ","))")
            }
            target.options = codes.compactMap { c in target.options.first { $0.code == c } }
            target.reason = (target.reason.map { $0 + "; " } ?? "") + "order set by the analyst"
        case .type(_, let type):
            guard let weighted = values(target.id) else {
                throw SurveyError.badFilter(text: "set " + text, problem: "a type can be set on a file read without a questionnaire; with one, edit the questionnaire (questionnaire export --out Q.yaml)")
            }
            var made = QuestionnaireInference.forced(type, name: target.id, weighted: weighted)
            made.text = target.text
            target = made
        }
        q.sections[s].questions[k] = target
    }
}

extension QuestionnaireInference {
    /// A question of the given type from a column's distinct answers: the analyst's correction of inference.
    static func forced(_ type: QuestionType, name: String, weighted: [(value: String, count: Int)]) -> Question {
        var q: Question
        switch type {
        case .open, .numeric:
            q = Question(id: name, text: name, type: type, topic: name)
            q.lenient = type == .numeric
        case .multi:
            var parts: [String] = []
            for (v, _) in weighted {
                for p in v.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !p.isEmpty && !parts.contains(p) { parts.append(p) }
            }
            q = Question(id: name, text: name, type: .multi, topic: name, options: parts.map { AnswerOption(code: $0, label: $0) })
        case .single:
            // Numeric codes (a SAS or CSV column of 1, 2, 3) in the order of their values, as SPSS lists them;
            // words in the order the file first gives them.
            let numeric = weighted.allSatisfy { Double($0.value) != nil }
            let values = numeric ? weighted.map(\.value).sorted { (Double($0) ?? 0) < (Double($1) ?? 0) } : weighted.map(\.value)
            q = Question(id: name, text: name, type: .single, topic: name, options: values.map { AnswerOption(code: $0, label: $0) })
        case .likert:
            if let scale = OrderedScales.match(weighted.map(\.value)) {
                q = Question(id: name, text: name, type: .likert, topic: name,
                             options: scale.order.map { AnswerOption(code: $0, label: $0) } + scale.unordered.map { AnswerOption(code: $0, label: $0, flag: .dontKnow) })
            } else {
                let values = weighted.map(\.value).sorted { $0.compare($1, options: .numeric) == .orderedAscending }
                q = Question(id: name, text: name, type: .likert, topic: name, options: values.map { AnswerOption(code: $0, label: $0) })
            }
        }
        q.reason = "\(type.rawValue): set by the analyst"
        return q
    }
}
