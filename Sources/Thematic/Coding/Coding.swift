/// One code applied by one coder to one answer: the whole answer, or the span [start, end) counted in Unicode
/// scalars (as REFI-QDA tools count), end exclusive.
public struct Coding: Sendable, Equatable, Hashable, Encodable {
    public var respondent: String
    public var question: String
    public var code: String
    public var coder: String
    public var start: Int?
    public var end: Int?

    public init(respondent: String, question: String, code: String, coder: String, start: Int? = nil, end: Int? = nil) {
        self.respondent = respondent
        self.question = question
        self.code = code
        self.coder = coder
        self.start = start
        self.end = end
    }

    public var isSpan: Bool { start != nil }
}

/// The answers that can be coded: respondent × question → text, with each respondent's group for write-up.
public struct AnswerSet: Sendable {
    public var texts: [String: [String: String]]
    public var groupOf: [String: String]
    public var respondentOrder: [String]

    public init(texts: [String: [String: String]], groupOf: [String: String], respondentOrder: [String]) {
        self.texts = texts
        self.groupOf = groupOf
        self.respondentOrder = respondentOrder
    }

    public func text(_ respondent: String, _ question: String) -> String? { texts[respondent]?[question] }

    /// Answers to a question, in respondent order.
    public func answers(to question: String) -> [(respondent: String, text: String)] {
        respondentOrder.compactMap { r in text(r, question).map { (r, $0) } }
    }
}

/// A codebook, the codings made with it, and an undo history of coding actions. Every change is checked against
/// the answers; a failed change leaves everything as it was.
public struct CodingProject: Sendable {
    public var codebook: Codebook
    public private(set) var codings: [Coding] = []
    /// Notes on the project, and descriptions of answers and of spans of them, as QDA tools keep them (REFI-QDA).
    public var notes: [ProjectNote] = []
    private var undoStack: [(description: String, codebook: Codebook, codings: [Coding])] = []

    public init(codebook: Codebook = Codebook(), codings: [Coding] = []) {
        self.codebook = codebook
        self.codings = codings
    }

    /// Remembers the state before a change, for `undo`.
    private mutating func checkpoint(_ what: String) {
        undoStack.append((what, codebook, codings))
        if undoStack.count > 200 { undoStack.removeFirst() }
    }

    /// Undoes the last change; returns what it was.
    public mutating func undo() throws -> String {
        guard let last = undoStack.popLast() else { throw ThematicError.nothingToUndo }
        codebook = last.codebook
        codings = last.codings
        return last.description
    }

    /// Validates a coding against the codebook and the answers and returns it with a span resolved from `text`.
    public func resolve(_ coding: Coding, text quoted: String?, answers: AnswerSet) throws -> Coding {
        let key = SameAnswer(coding)
        return try resolve(coding, text: quoted, answers: answers, among: codings.filter { SameAnswer($0) == key })
    }

    /// The codings that can clash with one another: one coder's codings of one answer with one code.
    struct SameAnswer: Hashable {
        let respondent: String, question: String, code: String, coder: String
        init(_ c: Coding) { (respondent, question, code, coder) = (c.respondent, c.question, c.code, c.coder) }
    }

    /// `resolve` against the existing codings with the coding's `SameAnswer` key only (the caller finds them).
    private func resolve(_ coding: Coding, text quoted: String?, answers: AnswerSet, among same: [Coding]) throws -> Coding {
        let c = try codebook.require(coding.code)
        guard c.codable else { throw ThematicError.notCodable(c.id) }
        guard answers.texts[coding.respondent] != nil else {
            throw ThematicError.unknownRespondent(coding.respondent, suggestion: Codebook.closest(coding.respondent, answers.respondentOrder))
        }
        guard let answer = answers.text(coding.respondent, coding.question) else {
            throw ThematicError.noAnswer(respondent: coding.respondent, question: coding.question)
        }
        var out = coding
        let length = answer.unicodeScalars.count
        if let q = quoted, !q.isEmpty {
            guard let range = answer.range(of: q, options: [.caseInsensitive]) else {
                throw ThematicError.textNotInAnswer(respondent: coding.respondent, question: coding.question, text: q)
            }
            out.start = answer.unicodeScalars.distance(from: answer.unicodeScalars.startIndex, to: range.lowerBound)
            out.end = (out.start ?? 0) + q.unicodeScalars.count
        }
        if let s = out.start, let e = out.end {
            guard s >= 0, e <= length, s < e else {
                throw ThematicError.spanOutOfRange(respondent: coding.respondent, question: coding.question, start: s, end: e, length: length)
            }
            // The same coder giving the same code to overlapping text is a double count, not a second coding.
            if same.contains(where: { $0.start == nil || (($0.start ?? 0) < e && s < ($0.end ?? 0)) }) {
                throw ThematicError.overlappingSpan(respondent: out.respondent, question: out.question, code: out.code, coder: out.coder)
            }
        } else if out.start != nil || out.end != nil {
            throw ThematicError.spanOutOfRange(respondent: coding.respondent, question: coding.question, start: out.start ?? -1, end: out.end ?? -1, length: length)
        } else if !same.isEmpty {
            throw ThematicError.overlappingSpan(respondent: out.respondent, question: out.question, code: out.code, coder: out.coder)
        }
        return out
    }

    public mutating func code(_ coding: Coding, text: String?, answers: AnswerSet) throws -> Coding {
        let resolved = try resolve(coding, text: text, answers: answers)
        checkpoint("code \(coding.respondent) \(coding.question) \(coding.code)")
        codings.append(resolved)
        return resolved
    }

    /// Adds many codings at once (an import or accepted suggestions): all are checked first, then all are added as
    /// one undoable action, so nothing is half-imported. `lines` (with `path`) are where each coding came from: an
    /// error then names the file and line (`ThematicError.atLine`). The clash check looks codings up by answer,
    /// code and coder; scanning every coding per new one made importing 40,000 codings take 77 s.
    public mutating func add(_ batch: [(Coding, String?)], answers: AnswerSet, action: String, path: String? = nil, lines: [Int]? = nil) throws -> Int {
        var index: [SameAnswer: [Coding]] = [:]
        for c in codings { index[SameAnswer(c), default: []].append(c) }
        var added: [Coding] = []
        added.reserveCapacity(batch.count)
        for (k, (c, text)) in batch.enumerated() {
            let key = SameAnswer(c)
            do {
                let resolved = try resolve(c, text: text, answers: answers, among: index[key] ?? [])
                index[key, default: []].append(resolved)
                added.append(resolved)
            } catch let e as ThematicError {
                guard let path, let lines, k < lines.count else { throw e }
                throw ThematicError.atLine(path: path, line: lines[k], e)
            }
        }
        checkpoint(action)
        codings += added
        return added.count
    }

    /// Removes a code from an answer (all of that coder's codings of it).
    public mutating func uncode(respondent: String, question: String, code: String, coder: String?) throws -> Int {
        let match: (Coding) -> Bool = { $0.respondent == respondent && $0.question == question && $0.code == code && (coder == nil || $0.coder == coder) }
        let n = codings.filter(match).count
        guard n > 0 else { throw ThematicError.notCoded(respondent: respondent, question: question, code: code) }
        checkpoint("uncode \(respondent) \(question) \(code)")
        codings.removeAll(where: match)
        return n
    }

    public mutating func renameCode(_ id: String, to newID: String) throws {
        var book = codebook
        try book.rename(id, to: newID)
        checkpoint("rename \(id) → \(newID)")
        codebook = book
        for i in codings.indices where codings[i].code == id { codings[i].code = newID }
    }

    /// Merges `from` into `into`: its codings and children move, then `from` is removed. Duplicate codings that
    /// the merge creates (same coder, answer and span) are kept once.
    public mutating func mergeCode(_ from: String, into: String) throws {
        var book = codebook
        _ = try book.require(into)
        try book.remove(from, childrenTo: into)
        checkpoint("merge \(from) into \(into)")
        codebook = book
        var seen = Set<Coding>()
        codings = codings.map { var c = $0; if c.code == from { c.code = into }; return c }.filter { seen.insert($0).inserted }
    }

    public mutating func moveCode(_ id: String, to parent: String?) throws {
        var book = codebook
        try book.move(id, to: parent)
        checkpoint("move \(id)")
        codebook = book
    }

    public mutating func editCodebook(_ action: String, _ change: (inout Codebook) throws -> Void) throws {
        var book = codebook
        try change(&book)
        checkpoint(action)
        codebook = book
    }

    /// Coders who made codings, sorted.
    public var coders: [String] { Array(Set(codings.map(\.coder))).sorted() }

    /// The answers (respondent and question) that carry `code` or any code below it, by any coder: what the codebook
    /// listing counts beside each code.
    public func answerCount(carrying code: String) -> Int {
        let ids = codebook.subtree(code)
        return Set(codings.lazy.filter { ids.contains($0.code) }.map { AnswerKey(respondent: $0.respondent, question: $0.question) }).count
    }

    /// `answerCount(carrying:)` of every code at once: each coding counted for its code and the codes above it, in
    /// one pass over the codings (a pass per code made listing 60,000 codes quadratic).
    public func answerCounts() -> [String: Int] {
        var answers: [String: Set<AnswerKey>] = [:]
        for c in codings {
            let key = AnswerKey(respondent: c.respondent, question: c.question)
            var current: String? = c.code, steps = 0
            // A parent is added before its children, so the chain ends (the count of steps is a guard all the same);
            // where the answer is counted already, it is counted above too.
            while let id = current, steps <= codebook.codes.count {
                guard answers[id, default: []].insert(key).inserted else { break }
                current = codebook.code(id)?.parent
                steps += 1
            }
        }
        return answers.mapValues(\.count)
    }

    private struct AnswerKey: Hashable { let respondent: String, question: String }

    /// Respondents (answering `question`) who have `code` or any code below it, for the given coder (nil: any).
    public func respondents(with code: String, question: String, coder: String? = nil) -> Set<String> {
        let ids = codebook.subtree(code)
        return Set(codings.filter { ids.contains($0.code) && $0.question == question && (coder == nil || $0.coder == coder) }.map(\.respondent))
    }
}

import Foundation
