import Foundation

/// Tokens, stop words, n-grams and word frequencies of open answers.
///
/// Tokens are maximal runs of Unicode letters and digits; an apostrophe between letters stays inside the word
/// ("don't"); everything is lower-cased. Stop words (and one-letter tokens) are removed first; n-grams of 1–3 are
/// then formed over the remaining words of one answer, the way word-cloud tools count phrases.
public enum TextStatistics {
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        let scalars = Array(text.lowercased().unicodeScalars)
        for (i, s) in scalars.enumerated() {
            let isWord = CharacterSet.letters.contains(s) || CharacterSet.decimalDigits.contains(s)
            let innerApostrophe = (s == "'" || s == "\u{2019}") && !current.isEmpty && i + 1 < scalars.count
                && CharacterSet.letters.contains(scalars[i + 1])
            if isWord || innerApostrophe {
                current.unicodeScalars.append(s == "\u{2019}" ? "'" : s)
            } else if !current.isEmpty {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// n-grams (n = 1...3) of the tokens not in `stopWords`, stemmed when a stemmer is given (stop words are
    /// matched before stemming).
    public static func ngrams(_ text: String, n: Int, stopWords: Set<String>, stemmer: Stemmer? = nil) -> [String] {
        let words = tokens(text).filter { !stopWords.contains($0) && $0.count > 1 }.map { stemmer?.stem($0) ?? $0 }
        guard n >= 1, words.count >= n else { return [] }
        return (0...(words.count - n)).map { words[$0..<($0 + n)].joined(separator: " ") }
    }

    /// Frequencies of n-grams over texts, most frequent first (ties alphabetical).
    public static func frequencies(_ texts: [String], n: Int, stopWords: Set<String>, stemmer: Stemmer? = nil) -> [(term: String, count: Int)] {
        var counts: [String: Int] = [:]
        for t in texts { for g in ngrams(t, n: n, stopWords: stopWords, stemmer: stemmer) { counts[g, default: 0] += 1 } }
        return counts.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.term < $1.term }
    }

    /// Reads a stop-word file: one word per line, `#` comments.
    public static func stopWords(path: String) throws -> Set<String> {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "cannot read the stop-word list (missing or not UTF-8)")
        }
        return Set(text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    /// Keyword in context: each occurrence of `word` (case-insensitive, whole word) with `width` characters around.
    public static func keywordInContext(_ text: String, word: String, width: Int = 30) -> [(left: String, match: String, right: String)] {
        guard let regex = try? NSRegularExpression(pattern: "\\b" + NSRegularExpression.escapedPattern(for: word) + "\\w*",
                                                   options: [.caseInsensitive]) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            let leftStart = max(0, m.range.location - width)
            let rightEnd = min(ns.length, m.range.location + m.range.length + width)
            return (ns.substring(with: NSRange(location: leftStart, length: m.range.location - leftStart)),
                    ns.substring(with: m.range),
                    ns.substring(with: NSRange(location: m.range.location + m.range.length, length: rightEnd - m.range.location - m.range.length)))
        }
    }
}
