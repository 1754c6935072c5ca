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
        var text = template.template.render(context)
        // Blank lines left by empty sections are dropped; the text is a sequence of short paragraphs.
        text = text.split(separator: "\n", omittingEmptySubsequences: true).map(Self.trimmed)
            .filter { !$0.isEmpty }.joined(separator: "\n")
        var warnings: [String] = []
        for section in profile.required {
            var alone = context
            alone["sections"] = [["s_" + section: true]]
            if template.template.render(alone).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                warnings.append("the required section \(section) says nothing")
            }
        }
        let allowed = Set(model.rendered.flatMap(Self.numberTokens) + Self.numberTokens(template.source))
        for token in Set(Self.numberTokens(text)) where !allowed.contains(token) {
            warnings.append("the number \(token) is not the value of any fact used")
        }
        let lower = text.lowercased()
        for word in profile.forbidden where ForbiddenWords.pattern(word).firstMatch(in: lower, range: NSRange(location: 0, length: (lower as NSString).length)) != nil {
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

    /// A line without white space at either end (Swift's Character.isWhitespace; Foundation's trimming bridged
    /// every line through NSString).
    static func trimmed(_ line: Substring) -> String {
        guard let first = line.firstIndex(where: { !$0.isWhitespace }), let last = line.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(line[first...last])
    }

    nonisolated(unsafe) static let numberPattern = try? NSRegularExpression(pattern: "\\d+(?:\\.\\d+)?")

    /// Numbers as they appear in text: digits with an optional decimal part.
    static func numberTokens(_ s: String) -> [String] {
        guard let regex = numberPattern else { return [] }
        let ns = s as NSString
        return regex.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
    }
}

/// Whole-word patterns of forbidden words, compiled once per word: compiling one per check was a quarter of the
/// time of rendering an explanation.
enum ForbiddenWords {
    private final class Cache: @unchecked Sendable {
        let lock = NSLock()
        var patterns: [String: NSRegularExpression] = [:]
    }
    private static let cache = Cache()

    static func pattern(_ word: String) -> NSRegularExpression {
        cache.lock.lock()
        defer { cache.lock.unlock() }
        if let p = cache.patterns[word] { return p }
        // An escaped literal between word boundaries always compiles.
        let p = try! NSRegularExpression(pattern: "\\b\(NSRegularExpression.escapedPattern(for: word.lowercased()))\\b")
        cache.patterns[word] = p
        return p
    }
}
