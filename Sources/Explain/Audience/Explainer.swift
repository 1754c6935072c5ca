import Foundation
import Survey

/// One rendered explanation and what was checked on it.
public struct Explanation: Sendable {
    public let audience: Audience
    public let title: String
    public let text: String
    /// The facts behind the text, sorted: the record's (shared by every case) and the case's, merged when asked,
    /// since most callers never ask.
    public var factsUsed: [String] { CaseExplainer.merged(recordFactsUsed, caseFactsUsed.sorted()) }
    let recordFactsUsed: [String]
    let caseFactsUsed: Set<String>
    public let readability: Readability?
    /// Problems the checks found (an empty list is a pass): untraceable numbers, forbidden words, reading level.
    public let warnings: [String]
    /// Why the sections are in this order.
    public let orderReason: String?
}

/// Renders a fact table for an audience: a view model built only from facts (every number formatted once, by the
/// audience's number style, and remembered), the audience's template, and the checks of EXPLANATIONS.md.
public struct Explainer: Sendable {
    public let library: ExplanationLibrary
    public let hyphenator: Hyphenator?

    public init(library: ExplanationLibrary, hyphenator: Hyphenator? = try? Hyphenator()) {
        self.library = library
        self.hyphenator = hyphenator
    }

    /// One record (and case, when the table has one) explained to one audience.
    public func explain(_ facts: FactTable, for audience: Audience, priorities: GroupPriorities? = nil) throws -> Explanation {
        let bound = try prepare(facts.recordLevel, for: audience, priorities: priorities)
        try bound.requirePlainWords(facts)
        return bound.explain(facts)
    }

    /// An explainer of one record's cases to one audience, with the record's half of the work done once.
    public func prepare(_ record: FactTable, for audience: Audience, priorities: GroupPriorities? = nil) throws -> CaseExplainer {
        guard let profile = library.profiles[audience], let template = library.templates[audience] else { throw ExplainError.unknownAudience(audience.rawValue) }
        let (sections, reason) = order(profile, priorities: priorities)
        return CaseExplainer(record: record, profile: profile, template: template, sections: sections, reason: reason, hyphenator: hyphenator)
    }

    /// QC first always; then, with a survey, the sections the group's top trust factors map to, in that order.
    func order(_ profile: AudienceProfile, priorities: GroupPriorities?) -> ([String], String?) {
        // The profile names whose trust factors order it by meaning (clinical, technical); the questionnaire says
        // which group that is.
        guard let priorities, let meaning = profile.group, let group = priorities.group(meaning: meaning), let ranking = priorities.ranking[group],
              !profile.priorities.isEmpty else {
            return (profile.sections, nil)
        }
        var front: [String] = []
        var cited: [String] = []
        for r in ranking where r.count > 0 {
            guard let section = profile.priorities[r.code] else { continue }
            if !front.contains(section) { front.append(section) }
            if cited.count < 3 { cited.append("\(r.label.lowercased()) \(Int((100 * r.share).rounded()))%") }
        }
        // The input check, what the AI did and its result stay first; the survey reorders what follows.
        let anchored = profile.sections.filter { ["qc", "what_ai_did", "prediction"].contains($0) }
        let priority = front.filter { profile.sections.contains($0) && !anchored.contains($0) }
        let rest = profile.sections.filter { !priority.contains($0) && !anchored.contains($0) }
        let reason = "ordered by what \(meaning) respondents named as trust factors (\(priorities.question)): \(cited.joined(separator: ", "))."
        return (anchored + priority + rest, reason)
    }

    /// A line without white space at either end (Swift's Character.isWhitespace; Foundation's trimming bridged
    /// every line through NSString).
    static func trimmed(_ line: Substring) -> String {
        guard let first = line.firstIndex(where: { !$0.isWhitespace }), let last = line.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(line[first...last])
    }

}

/// Whether a forbidden word or phrase occurs as a whole word: the regular expression \bWORD\b, found by searching
/// for the phrase and checking the word boundaries (\w as in ICU: letters, marks, decimal digits, connector
/// punctuation) at both ends. The scalar-level definition: explanations are checked by `UTF8Text.occurrences`, which
/// finds every phrase in one pass over the bytes and is held to this by a test (as this is to NSRegularExpression).
enum ForbiddenWords {
    static func occurs(_ word: String, in text: String) -> Bool {
        let w = Array(word.unicodeScalars), t = Array(text.unicodeScalars)
        guard !w.isEmpty, w.count <= t.count else { return false }
        func isWord(_ k: Int) -> Bool { k >= 0 && k < t.count && Readability.isWordCharacter(t[k]) }
        for start in 0...(t.count - w.count) where t[start] == w[0] {
            var k = 1
            while k < w.count && t[start + k] == w[k] { k += 1 }
            guard k == w.count else { continue }
            let end = start + w.count
            if isWord(start - 1) != isWord(start) && isWord(end - 1) != isWord(end) { return true }
        }
        return false
    }
}
