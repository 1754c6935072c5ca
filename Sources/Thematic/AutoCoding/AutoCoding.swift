import Foundation

/// Keyword, dictionary and regular-expression rules for one code.
public struct AutoCodingRule: Sendable {
    public let code: String
    public let keywords: [String]
    public let patterns: [String]
    private let regexes: [NSRegularExpression]

    public init(code: String, keywords: [String], patterns: [String]) throws {
        self.code = code
        self.keywords = keywords
        self.patterns = patterns
        // A keyword is a whole word; a trailing * makes it a prefix ("re-validat*").
        let fromKeywords = keywords.map { k -> String in
            let stem = k.hasSuffix("*") ? String(k.dropLast()) : k
            return "\\b" + NSRegularExpression.escapedPattern(for: stem) + (k.hasSuffix("*") ? "\\w*" : "\\b")
        }
        regexes = try (fromKeywords + patterns).map { try NSRegularExpression(pattern: $0, options: [.caseInsensitive]) }
    }

    /// How long one expression may search one answer. ICU's engine backtracks, so a pattern such as `(a+)+$` from
    /// someone's rules file can take exponential time on a long answer; the search is stopped at this budget.
    public static let secondsPerMatch = 0.5

    /// The first match in `text` as a Unicode-scalar span; `ThematicError.ruleTooSlow` when an expression runs past
    /// its budget (ICU reports progress during a long search, and the search stops there).
    public func firstMatch(in text: String, respondent: String = "") throws -> (start: Int, end: Int, matched: String)? {
        let ns = text as NSString
        var hits: [NSTextCheckingResult] = []
        for (k, regex) in regexes.enumerated() {
            let started = DispatchTime.now().uptimeNanoseconds
            var tooSlow = false, found: NSTextCheckingResult?
            regex.enumerateMatches(in: text, options: [.reportProgress], range: NSRange(location: 0, length: ns.length)) { match, _, stop in
                if let match { found = match; stop.pointee = true; return }
                if Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9 > Self.secondsPerMatch { tooSlow = true; stop.pointee = true }
            }
            if tooSlow {
                let pattern = k < keywords.count ? keywords[k] : patterns[k - keywords.count]
                throw ThematicError.ruleTooSlow(code: code, pattern: pattern, respondent: respondent, seconds: Self.secondsPerMatch)
            }
            if let found { hits.append(found) }
        }
        guard let first = hits.min(by: { $0.range.location < $1.range.location }),
              let range = Range(first.range, in: text) else { return nil }
        let start = text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: range.lowerBound)
        let matched = String(text[range])
        return (start, start + matched.unicodeScalars.count, matched)
    }
}

/// A suggested coding from a rule, waiting for the analyst to accept or reject it (never silently final).
public struct Suggestion: Sendable, Equatable {
    public let coding: Coding
    public let matched: String
}

public enum AutoCoder {
    /// One suggestion per (answer, code) whose rule matches, skipping what `existing` already codes for that coder.
    public static func suggest(question: String, answers: AnswerSet, rules: [AutoCodingRule], coder: String,
                               existing: [Coding]) throws -> [Suggestion] {
        var out: [Suggestion] = []
        for (respondent, text) in answers.answers(to: question) {
            for rule in rules {
                guard let m = try rule.firstMatch(in: text, respondent: respondent) else { continue }
                if existing.contains(where: { $0.respondent == respondent && $0.question == question && $0.code == rule.code && $0.coder == coder }) { continue }
                out.append(Suggestion(coding: Coding(respondent: respondent, question: question, code: rule.code, coder: coder,
                                                     start: m.start, end: m.end), matched: m.matched))
            }
        }
        return out
    }
}
