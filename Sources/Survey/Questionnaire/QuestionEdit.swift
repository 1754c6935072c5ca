import Foundation

/// A correction to what inference decided, made at the prompt instead of in YAML (`set Q type open`, `set Q order
/// a,b,c`, `set Q type multi --separator ", "`, `set Q type metadata`, `drop Q`). Edits are applied when the file is
/// read, so a new type re-reads the column's cells; they are kept with the load in the workspace. Ids and answers
/// with spaces or commas are quoted, as everywhere at the prompt (`set "What is your role?" type multi`).
public enum QuestionEdit: Sendable, Equatable {
    case type(question: String, QuestionType)
    /// A tick list whose ticks are joined by `separator` in the file.
    case multi(question: String, separator: String)
    /// The answers in this order (each word an answer, or answers joined by ","), declared ordered.
    case order(question: String, [String])
    /// Kept as a variable of the response, never compared or tested.
    case metadata(question: String)
    /// Left out of the survey altogether.
    case drop(question: String)

    /// Whether two edits set the same thing (a later one replaces the earlier).
    public func isSameKind(_ other: QuestionEdit) -> Bool {
        switch (self, other) {
        case (.type, .type), (.type, .multi), (.type, .metadata), (.multi, .type), (.multi, .multi), (.multi, .metadata),
             (.metadata, .type), (.metadata, .multi), (.metadata, .metadata), (.order, .order), (.drop, .drop): return true
        default: return false
        }
    }

    public var question: String {
        switch self { case .type(let q, _), .multi(let q, _), .order(let q, _), .metadata(let q), .drop(let q): return q }
    }

    /// As typed at the prompt after `set` (`drop Q` is kept as "Q drop"), ids and answers quoted where needed.
    public var text: String {
        let q = CommandWords.shown(question)
        switch self {
        case let .type(_, t): return "\(q) type \(t.rawValue)"
        case let .multi(_, separator): return "\(q) type multi --separator \(CommandWords.quote(separator))"
        case let .order(_, codes):
            return "\(q) order " + (codes.contains { $0.contains(",") || $0.contains(" ") } ? codes.map { CommandWords.shown($0) }.joined(separator: " ") : codes.joined(separator: ","))
        case .metadata: return "\(q) type metadata"
        case .drop: return "\(q) drop"
        }
    }

    public static func parse(_ text: String) throws -> QuestionEdit {
        guard let words = CommandWords.split(text) else { throw SurveyError.badFilter(text: text, problem: "a quote is not closed") }
        return try parse(words: words)
    }

    /// From the words after `set` (the tokenizer's, so a quoted id is one word).
    public static func parse(words: [String]) throws -> QuestionEdit {
        let text = words.map { CommandWords.shown($0) }.joined(separator: " ")
        let usage = "expected set Q type TYPE, set Q type multi --separator \", \", set Q order a,b,c or drop Q"
        guard words.count >= 2 else { throw SurveyError.badFilter(text: text, problem: usage) }
        let id = words[0]
        switch words[1].lowercased() {
        case "drop" where words.count == 2:
            return .drop(question: id)
        case "type":
            guard words.count >= 3 else { throw SurveyError.badFilter(text: text, problem: usage) }
            let rest = Array(words.dropFirst(3))
            if words[2].lowercased() == "metadata", rest.isEmpty { return .metadata(question: id) }
            guard let t = QuestionType(rawValue: words[2].lowercased()) else {
                throw SurveyError.badFilter(text: text, problem: "a type is one of \((QuestionType.allCases.map(\.rawValue) + ["metadata"]).joined(separator: ", "))")
            }
            if rest.isEmpty { return .type(question: id, t) }
            guard t == .multi, rest.count == 2, rest[0] == "--separator", !rest[1].isEmpty else {
                throw SurveyError.badFilter(text: text, problem: "only a multi-answer type takes --separator, e.g. set Q type multi --separator \", \"")
            }
            return .multi(question: id, separator: rest[1])
        case "order" where words.count >= 3:
            return .order(question: id, Array(words.dropFirst(2)))
        default:
            throw SurveyError.badFilter(text: text, problem: usage)
        }
    }

    /// The answers an order names: each word an answer when it is one whole ("Korea, Republic of"), otherwise
    /// answers joined by ",".
    static func answers(_ words: [String], of q: Question) -> [String] {
        words.flatMap { w -> [String] in
            if let o = q.options.first(where: { $0.code == w || $0.label == w }) { return [o.code] }
            return w.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                .map { part in q.options.first { $0.label == part }?.code ?? part }
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
        case .drop:
            q.sections[s].questions.remove(at: k)
            q.sections.removeAll { $0.questions.isEmpty && $0.id == "metadata" }
            return
        case .metadata:
            // Into the metadata section (never compared), made if the questionnaire has none.
            q.sections[s].questions.remove(at: k)
            target.reason = "metadata: set by the analyst; kept as a variable, never compared" + (target.reason.map { "; was " + $0 } ?? "")
            if let m = q.sections.firstIndex(where: { $0.id == "metadata" }) {
                q.sections[m].questions.append(target)
            } else {
                q.sections.append(Section(id: "metadata", title: "Metadata", compare: false, questions: [target]))
            }
            return
        case .order(_, let words):
            let current = target.options.map(\.code)
            guard !current.isEmpty else {
                // A scale (1–5), a number or a text has no list of answers to put in order.
                throw SurveyError.badFilter(text: "set " + text, problem: "\(target.id) is a \(target.type.rawValue) question without answer codes, so there is no order to set"
                                            + (target.scale.map { "; its scale runs from \($0.min) to \($0.max)" } ?? ""))
            }
            let codes = Self.answers(words, of: target)
            guard Set(codes) == Set(current), codes.count == current.count else {
                throw SurveyError.badFilter(text: "set " + text, problem: "list every answer of \(target.id) once, in the new order: \(current.map { CommandWords.shown($0, commas: true) }.joined(separator: ","))")
            }
            target.options = codes.compactMap { c in target.options.first { $0.code == c } }
            target.declaredOrder = true
            target.reason = "\(target.type.rawValue): order set by the analyst, \(codes.joined(separator: " < "))" + (target.reason.map { " (inferred: \($0))" } ?? "")
        case .type(_, let type):
            guard let weighted = values(target.id) else {
                throw SurveyError.badFilter(text: "set " + text, problem: "a type can be set on a file read without a questionnaire; with one, edit the questionnaire (questionnaire export --out Q.yaml)")
            }
            var made = QuestionnaireInference.forced(type, name: target.id, weighted: weighted)
            made.text = target.text
            target = made
        case .multi(_, let separator):
            guard let weighted = values(target.id) else {
                throw SurveyError.badFilter(text: "set " + text, problem: "a type can be set on a file read without a questionnaire; with one, edit the questionnaire (questionnaire export --out Q.yaml)")
            }
            let split = TickLists.split(weighted, separator: separator, typedOther: false)
            var made = Question(id: target.id, text: target.text, type: .multi, topic: target.topic, options: split.options.map { AnswerOption(code: $0, label: $0) })
            made.separator = separator
            made.reason = "multi: set by the analyst, ticks joined by \(CommandWords.quote(separator)) (\(split.options.count) answers; an answer containing the separator is kept whole)"
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
        case .multi where !weighted.contains(where: { $0.value.contains(";") }):
            // Ticks joined by something else than ";": the separator found as inference finds it.
            if let (separator, split) = TickLists.sniff(weighted) {
                q = Question(id: name, text: name, type: .multi, topic: name, options: split.options.map { AnswerOption(code: $0, label: $0) })
                q.separator = separator
            } else {
                q = Question(id: name, text: name, type: .multi, topic: name, options: weighted.map { AnswerOption(code: $0.value, label: $0.value) })
            }
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
                q = Question(id: name, text: name, type: .likert, topic: name, options: scaleOptions(scale))
            } else {
                let values = weighted.map(\.value).sorted { $0.compare($1, options: .numeric) == .orderedAscending }
                q = Question(id: name, text: name, type: .likert, topic: name, options: values.map { AnswerOption(code: $0, label: $0) })
            }
        }
        q.reason = "\(type.rawValue): set by the analyst"
        return q
    }
}
