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
        public enum Test: Sendable, Equatable { case equals(String), has(String) }
        public let question: String
        public let test: Test
        public let negated: Bool
    }

    public let text: String
    public let conditions: [Condition]

    public static func parse(_ text: String, questionnaire: Questionnaire) throws -> SurveyFilter {
        var conditions: [Condition] = []
        for raw in text.components(separatedBy: " and ") {
            var part = raw.trimmingCharacters(in: .whitespaces)
            var negated = false
            if part.lowercased().hasPrefix("not ") { negated = true; part = String(part.dropFirst(4)).trimmingCharacters(in: .whitespaces) }
            let test: Condition.Test
            let name: String
            if let r = part.range(of: " has ") {
                name = String(part[..<r.lowerBound]); test = .has(String(part[r.upperBound...]).trimmingCharacters(in: .whitespaces))
            } else if let r = part.range(of: "!=") {
                name = String(part[..<r.lowerBound]); test = .equals(String(part[r.upperBound...]).trimmingCharacters(in: .whitespaces)); negated.toggle()
            } else if let r = part.range(of: "=") {
                name = String(part[..<r.lowerBound]); test = .equals(String(part[r.upperBound...]).trimmingCharacters(in: .whitespaces))
            } else {
                throw SurveyError.badFilter(text: text, problem: "\"\(part)\" is not QUESTION = VALUE, QUESTION != VALUE or QUESTION has CODE")
            }
            let id = name.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            guard let q = questionnaire.question(id) else {
                throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: questionnaire.questions.map(\.id)))
            }
            if case .has = test, q.type != .multi {
                throw SurveyError.badFilter(text: text, problem: "\(q.id) is a \(q.type.rawValue) question; has is for multi-answer questions (use =)")
            }
            let value: String
            switch test { case .equals(let v), .has(let v): value = v.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            if q.isCategorical, q.option(value) == nil, !q.categories.contains(where: { $0.label.lowercased() == value.lowercased() }) {
                throw SurveyError.unknownCode(path: "filter", line: 0, column: q.id, question: q.id, value: value,
                                              suggestion: Suggest.nearest(value, in: q.categories.map(\.code)))
            }
            let code = q.categories.first { $0.code == value || $0.label.lowercased() == value.lowercased() }?.code ?? value
            let typed: Condition.Test
            switch test { case .equals: typed = .equals(code); case .has: typed = .has(code) }
            conditions.append(Condition(question: q.id, test: typed, negated: negated))
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
        let parts = text.components(separatedBy: "->")
        let left = parts.first?.split(separator: " ", maxSplits: 1).map(String.init) ?? []
        guard parts.count == 2, left.count == 2 else {
            throw SurveyError.badFilter(text: text, problem: "expected recode QUESTION a,b -> NEW")
        }
        guard let q = questionnaire.question(left[0]) else {
            throw SurveyError.unknownQuestion(id: left[0], suggestion: Suggest.nearest(left[0], in: questionnaire.questions.map(\.id)))
        }
        guard q.isCategorical, !(q.type == .likert && q.scale != nil) else {
            throw SurveyError.badFilter(text: text, problem: "\(q.id) is a \(q.type.rawValue) question\(q.scale != nil ? " on a numeric scale" : ""); recode merges answers of single, multi and worded likert questions")
        }
        let from = left[1].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for code in from where q.option(code) == nil {
            throw SurveyError.unknownCode(path: "recode", line: 0, column: q.id, question: q.id, value: code, suggestion: Suggest.nearest(code, in: q.options.map(\.code)))
        }
        let to = parts[1].trimmingCharacters(in: .whitespaces)
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
