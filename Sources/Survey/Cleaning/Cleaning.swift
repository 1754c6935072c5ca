import Foundation

/// Cleaning steps applied to a loaded survey, in order, each with its text for provenance: which respondents are
/// kept (`filter`) and which answers are merged (`recode`). The loaded file is never changed; the steps are
/// re-applied to it, so they can be cleared, saved in a workspace and named under every table they produce.
public enum CleaningStep: Sendable, Equatable {
    case filter(SurveyFilter)
    case recode(Recode)

    public var text: String {
        switch self {
        case .filter(let f): return "filter " + f.text
        case .recode(let r): return "recode " + r.text
        }
    }
}

/// Keeps the respondents whose answers meet every condition: `Finished = True`, `Q6 has clinical_expert`,
/// `Status != Survey Preview`, `not Q7 = out_of_expertise`, joined by `and`. A value matches an answer's code or its
/// label (case ignored); a number matches a numeric answer; `has` is for multi-answer questions.
public struct SurveyFilter: Sendable, Equatable {
    public struct Condition: Sendable, Equatable {
        public enum Test: Sendable, Equatable {
            case equals(String), has(String)
            /// The answer (code, text or number, case ignored) is one of these: `filter complete`.
            case oneOf(Set<String>)
        }
        public let question: String
        public let test: Test
        public let negated: Bool
    }

    public let text: String
    public let conditions: [Condition]

    public static func parse(_ text: String, questionnaire: Questionnaire) throws -> SurveyFilter {
        guard let words = CommandWords.split(text) else { throw SurveyError.badFilter(text: text, problem: "a quote is not closed") }
        return try parse(words: words, questionnaire: questionnaire)
    }

    /// From the prompt's words, so a quoted id or answer ("What is your role?", "Korea, Republic of") is one word;
    /// `complete` keeps the responses the export marks complete (Qualtrics Finished, LimeSurvey submitdate, REDCap
    /// `*_complete`), `not complete` the others.
    public static func parse(words: [String], questionnaire: Questionnaire) throws -> SurveyFilter {
        let text = words.map { CommandWords.shown($0) }.joined(separator: " ")
        var conditions: [Condition] = []
        var parts: [[String]] = [[]]
        for w in words { if w.lowercased() == "and" { parts.append([]) } else { parts[parts.count - 1].append(w) } }
        for var part in parts {
            var negated = false
            if part.first?.lowercased() == "not" { negated = true; part.removeFirst() }
            if part.count == 1, part[0].lowercased() == "complete" {
                guard let rule = questionnaire.completion, let q = questionnaire.question(rule.question) else {
                    throw SurveyError.badFilter(text: text, problem: "this file does not say which responses are complete (no Finished, submitdate or *_complete column); filter on a column instead")
                }
                conditions.append(Condition(question: q.id, test: .oneOf(rule.complete), negated: negated))
                continue
            }
            let name: String, op: String, value: String
            if let k = part.firstIndex(where: { ["=", "!=", "has"].contains($0.lowercased()) }), k > 0, k < part.count - 1 {
                name = part[..<k].joined(separator: " "); op = part[k].lowercased(); value = part[(k + 1)...].joined(separator: " ")
            } else {
                // Operators written against their words (Finished=True): read from the text.
                let joined = part.joined(separator: " ")
                if let r = joined.range(of: " has ") { (name, op, value) = (String(joined[..<r.lowerBound]), "has", String(joined[r.upperBound...])) }
                else if let r = joined.range(of: "!=") { (name, op, value) = (String(joined[..<r.lowerBound]), "!=", String(joined[r.upperBound...])) }
                else if let r = joined.range(of: "=") { (name, op, value) = (String(joined[..<r.lowerBound]), "=", String(joined[r.upperBound...])) }
                else {
                    throw SurveyError.badFilter(text: text, problem: "\"\(joined)\" is not QUESTION = VALUE, QUESTION != VALUE, QUESTION has CODE or complete")
                }
            }
            if op == "!=" { negated.toggle() }
            let id = name.trimmingCharacters(in: .whitespaces)
            guard let q = questionnaire.question(id) else {
                throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: questionnaire.questions.map(\.id)))
            }
            if op == "has", q.type != .multi {
                throw SurveyError.badFilter(text: text, problem: "\(q.id) is a \(q.type.rawValue) question; has is for multi-answer questions (use =)")
            }
            let v = value.trimmingCharacters(in: .whitespaces)
            if q.isCategorical, q.option(v) == nil, !q.categories.contains(where: { $0.label.lowercased() == v.lowercased() }) {
                throw SurveyError.unknownCode(path: "filter", line: 0, column: q.id, question: q.id, value: v,
                                              suggestion: Suggest.nearest(v, in: q.categories.map(\.code)))
            }
            let code = q.categories.first { $0.code == v || $0.label.lowercased() == v.lowercased() }?.code ?? v
            conditions.append(Condition(question: q.id, test: op == "has" ? .has(code) : .equals(code), negated: negated))
        }
        return SurveyFilter(text: text, conditions: conditions)
    }

    public func keeps(_ r: Respondent) -> Bool {
        conditions.allSatisfy { c in
            let a = r.answer(c.question)
            let hit: Bool
            switch (c.test, a) {
            case (.equals(let v), .code(let code)): hit = code == v
            case (.equals(let v), .codes(let codes)): hit = codes == [v]
            case (.equals(let v), .number(let x)): hit = Double(v) == x
            case (.equals(let v), .text(let t)): hit = t.trimmingCharacters(in: .whitespaces).lowercased() == v.lowercased()
            case (.has(let v), .codes(let codes)): hit = codes.contains(v)
            case (.oneOf(let values), .code(let c)): hit = values.contains(c.lowercased()) || values.contains("*")
            case (.oneOf(let values), .text(let t)): hit = values.contains(t.trimmingCharacters(in: .whitespaces).lowercased()) || values.contains("*")
            case (.oneOf(let values), .number(let x)): hit = values.contains(x == x.rounded() ? String(Int(x)) : String(x)) || values.contains("*")
            case (.oneOf(let values), .codes): hit = values.contains("*")
            default: hit = false
            }
            return hit != c.negated
        }
    }
}

/// Merges answer codes of one question into a new code (`recode Q7 a,b -> ab`), for single, Likert and multi-answer
/// questions: the new answer takes the place of the first merged one.
public struct Recode: Sendable, Equatable {
    public let text: String
    public let question: String
    public let from: [String]
    public let to: String
    public let label: String

    public static func parse(_ text: String, questionnaire: Questionnaire, label: String?) throws -> Recode {
        guard let words = CommandWords.split(text) else { throw SurveyError.badFilter(text: text, problem: "a quote is not closed") }
        return try parse(words: words, questionnaire: questionnaire, label: label)
    }

    /// From the prompt's words: `recode Q a,b -> NEW`, the id and each answer quoted when it has spaces or commas
    /// (`recode "In which country?" "Korea, Republic of" "South Korea" -> Korea`). A word that is one answer whole
    /// is that answer; otherwise its ","-separated parts are.
    public static func parse(words raw: [String], questionnaire: Questionnaire, label: String?) throws -> Recode {
        var words = raw
        if !words.contains("->") {
            // "a,b->new" typed without spaces round the arrow.
            words = words.flatMap { w -> [String] in
                guard let r = w.range(of: "->") else { return [w] }
                return [String(w[..<r.lowerBound]), "->", String(w[r.upperBound...])].filter { !$0.isEmpty }
            }
        }
        let text = words.map { $0 == "->" ? $0 : CommandWords.shown($0) }.joined(separator: " ")
        guard let arrow = words.firstIndex(of: "->"), arrow >= 2, arrow < words.count - 1 else {
            throw SurveyError.badFilter(text: text, problem: "expected recode QUESTION a,b -> NEW")
        }
        guard let q = questionnaire.question(words[0]) else {
            throw SurveyError.unknownQuestion(id: words[0], suggestion: Suggest.nearest(words[0], in: questionnaire.questions.map(\.id)))
        }
        guard q.isCategorical, !(q.type == .likert && q.scale != nil) else {
            throw SurveyError.badFilter(text: text, problem: "\(q.id) is a \(q.type.rawValue) question\(q.scale != nil ? " on a numeric scale" : ""); recode merges answers of single, multi and worded likert questions")
        }
        let from = QuestionEdit.answers(Array(words[1..<arrow]), of: q)
        for code in from where q.option(code) == nil {
            throw SurveyError.unknownCode(path: "recode", line: 0, column: q.id, question: q.id, value: code, suggestion: Suggest.nearest(code, in: q.options.map(\.code)))
        }
        let to = words[(arrow + 1)...].joined(separator: " ").trimmingCharacters(in: .whitespaces)
        guard !to.isEmpty, from.count >= 1 else { throw SurveyError.badFilter(text: text, problem: "name the answers to merge and the new code") }
        if q.option(to) != nil, !from.contains(to) {
            throw SurveyError.badFilter(text: text, problem: "\(to) is already an answer of \(q.id); merge it by listing it among the answers")
        }
        return Recode(text: text, question: q.id, from: from, to: to,
                      label: label ?? from.map { q.option($0)?.label ?? $0 }.joined(separator: " or "))
    }
}

extension Survey {
    /// The survey with the cleaning steps applied in order; `steps` are kept for provenance.
    public func cleaned(_ steps: [CleaningStep]) -> Survey {
        var s = self
        for step in steps {
            switch step {
            case .filter(let f):
                let keep = s.respondents.filter(f.keeps).map(\.row)
                s.responses = s.responses.selecting(rows: keep)
            case .recode(let r):
                s.apply(r)
            }
        }
        s.cleaning = steps.map(\.text)
        return s
    }

    mutating func apply(_ r: Recode) {
        let sections = questionnaire.sections
        guard let position = sections.indices.compactMap({ k in sections[k].questions.firstIndex { $0.id == r.question }.map { (k, $0) } }).first
        else { return }
        var q = questionnaire.sections[position.0].questions[position.1]
        let merged = Set(r.from)
        let firstIndex = q.options.firstIndex { merged.contains($0.code) } ?? q.options.count
        var options = q.options.filter { !merged.contains($0.code) }
        options.insert(AnswerOption(code: r.to, label: r.label), at: min(firstIndex, options.count))
        q.options = options
        questionnaire.sections[position.0].questions[position.1] = q
        guard let column = responses.columns[r.question] else { return }
        let codes = options.map(\.code)
        func mapped(_ c: String) -> String { merged.contains(c) ? r.to : c }
        switch column {
        case .choice(let old, let values):
            let index = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, UInt16($0 + 1)) })
            responses.columns[r.question] = .choice(codes: codes, values: values.map { v in v == 0 ? 0 : index[mapped(old[Int(v) - 1])] ?? 0 })
        case .choices(let old, let words, let masks):
            let newWords = max(1, (codes.count + 63) / 64)
            let index = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1, $0) })
            var out = [UInt64](repeating: 0, count: responses.count * newWords)
            for row in 0..<responses.count {
                for w in 0..<words {
                    var m = masks[row * words + w]
                    while m != 0 {
                        let bit = m.trailingZeroBitCount
                        if let j = index[mapped(old[w * 64 + bit])] { out[row * newWords + j >> 6] |= 1 << UInt64(j & 63) }
                        m &= m - 1
                    }
                }
            }
            responses.columns[r.question] = .choices(codes: codes, words: newWords, masks: out)
        case .numbers, .texts:
            return
        }
    }
}

extension ResponseTable {
    /// The table with only the given rows, in their order.
    public func selecting(rows: [Int]) -> ResponseTable {
        var out = ResponseTable(ids: rows.map { ids[$0] }, lines: rows.map { lines[$0] }, columns: [:])
        for (name, column) in columns {
            switch column {
            case .choice(let codes, let values): out.columns[name] = .choice(codes: codes, values: rows.map { values[$0] })
            case .choices(let codes, let words, let masks):
                out.columns[name] = .choices(codes: codes, words: words, masks: rows.flatMap { masks[($0 * words)..<($0 * words + words)] })
            case .numbers(let v): out.columns[name] = .numbers(rows.map { v[$0] })
            case .texts(let v): out.columns[name] = .texts(rows.map { v[$0] })
            }
        }
        return out
    }
}
