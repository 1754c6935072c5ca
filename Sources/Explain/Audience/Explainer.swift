import Foundation
import Survey

/// One rendered explanation and what was checked on it.
public struct Explanation: Sendable {
    public let audience: Audience
    public let title: String
    public let text: String
    public let factsUsed: [String]
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

    public func explain(_ facts: FactTable, for audience: Audience, priorities: GroupPriorities? = nil) throws -> Explanation {
        guard let profile = library.profiles[audience], let template = library.templates[audience] else { throw ExplainError.unknownAudience(audience.rawValue) }
        var model = ViewModel(style: profile.numbers)
        let (sections, reason) = order(profile, priorities: priorities)
        let context = model.build(facts, sections: sections, reason: reason, metrics: profile.metrics)
        var typed: [String: TemplateValue]?
        if case .map(let m)? = TemplateValue(any: context) { typed = m }
        // One rendering answers the required-section checks too when the template allows (else one per section).
        let checked = template.renderChecking(typed, sections: sections)
        var text = checked?.text ?? template.render(context, typed: typed)
        // Blank lines left by empty sections are dropped; the text is a sequence of short paragraphs.
        text = text.split(separator: "\n", omittingEmptySubsequences: true).map(Self.trimmed)
            .filter { !$0.isEmpty }.joined(separator: "\n")
        var warnings: [String] = []
        for section in profile.required {
            if let blank = checked?.blank[section] {
                if blank { warnings.append("the required section \(section) says nothing") }
                continue
            }
            var alone = context
            alone["sections"] = [["s_" + section: true]]
            var aloneTyped = typed
            aloneTyped?["sections"] = .list([.map(["s_" + section: .bool(true)])])
            if template.render(alone, typed: aloneTyped).unicodeScalars.allSatisfy(\.properties.isWhitespace) {
                warnings.append("the required section \(section) says nothing")
            }
        }
        var allowed = template.sourceNumbers
        for r in model.rendered {
            if let known = Self.renderedNumbers.get(r) { allowed.formUnion(known); continue }
            let tokens = Self.numberTokens(r)
            Self.renderedNumbers.set(r, tokens)
            allowed.formUnion(tokens)
        }
        for token in Set(Self.numberTokens(text)) where !allowed.contains(token) {
            warnings.append("the number \(token) is not the value of any fact used")
        }
        let lower = text.lowercased()
        for word in profile.forbidden where ForbiddenWords.occurs(word.lowercased(), in: lower) {
            warnings.append("forbidden for the \(audience.rawValue) text: \"\(word)\"")
        }
        let readability = hyphenator.map { Readability(text, hyphenator: $0) }
        if let max = profile.readingGradeMax {
            if let r = readability, r.fleschKincaidGrade > max {
                warnings.append(String(format: "Flesch-Kincaid grade %.1f is above the target %.0f", r.fleschKincaidGrade, max))
            } else if readability == nil {
                warnings.append("reading level not measured: hyphenation patterns missing (apt-get install hyphen-en-us)")
            }
        }
        if (facts["qc.input_ok"]?.flag == false || facts["qc.ood"]?.flag == true), let first = text.split(separator: "\n").first,
           !(first.contains(model.qcProblem ?? "\u{0}")) {
            warnings.append("the failed input check is not told first")
        }
        return Explanation(audience: audience, title: profile.title, text: text, factsUsed: model.used.sorted(), readability: readability,
                           warnings: warnings, orderReason: reason)
    }

    /// QC first always; then, with a survey, the sections the group's top trust factors map to, in that order.
    func order(_ profile: AudienceProfile, priorities: GroupPriorities?) -> ([String], String?) {
        guard let priorities, let group = profile.group, let ranking = priorities.ranking[group], !profile.priorities.isEmpty else {
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
        let who = group == "CG" ? "clinical" : group == "TG" ? "technical" : group
        let reason = "ordered by what \(who) respondents named as trust factors (\(priorities.question)): \(cited.joined(separator: ", "))."
        return (anchored + priority + rest, reason)
    }

    /// Number tokens of the strings a view model rendered, remembered: record-level texts recur in every case.
    static let renderedNumbers = LockedCache<String, [String]>()

    /// A line without white space at either end (Swift's Character.isWhitespace; Foundation's trimming bridged
    /// every line through NSString).
    static func trimmed(_ line: Substring) -> String {
        guard let first = line.firstIndex(where: { !$0.isWhitespace }), let last = line.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(line[first...last])
    }

    /// Numbers as they appear in text: digits with an optional decimal part (the regular expression
    /// \d+(?:\.\d+)?, with \d any Unicode decimal digit), scanned by hand: the expression took a tenth of the time of
    /// an explanation.
    static func numberTokens(_ s: String) -> [String] {
        let u = Array(s.unicodeScalars)
        func digit(_ k: Int) -> Bool {
            guard k < u.count else { return false }
            let v = u[k].value
            return v < 0x80 ? (v >= 0x30 && v <= 0x39) : u[k].properties.generalCategory == .decimalNumber
        }
        var tokens: [String] = []
        var k = 0
        while k < u.count {
            guard digit(k) else { k += 1; continue }
            let start = k
            while digit(k) { k += 1 }
            if k < u.count, u[k] == ".", digit(k + 1) {
                k += 1
                while digit(k) { k += 1 }
            }
            var token = String.UnicodeScalarView()
            token.append(contentsOf: u[start..<k])
            tokens.append(String(token))
        }
        return tokens
    }
}

/// Whether a forbidden word or phrase occurs as a whole word: the regular expression \bWORD\b, found by searching
/// for the phrase and checking the word boundaries (\w as in ICU: letters, marks, decimal digits, connector
/// punctuation) at both ends. Compiling and running an expression per word was a tenth of an explanation's time.
enum ForbiddenWords {
    static func occurs(_ word: String, in text: String) -> Bool {
        guard !word.isEmpty else { return false }
        let t = Array(text.unicodeScalars), w = Array(word.unicodeScalars)
        guard w.count <= t.count else { return false }
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
