import Foundation

/// Flesch Reading Ease (Flesch 1948) and Flesch–Kincaid grade (Kincaid et al. 1975), computed unrounded:
/// FRE = 206.835 − 1.015 (words/sentences) − 84.6 (syllables/words);
/// FK grade = 0.39 (words/sentences) + 11.8 (syllables/words) − 15.59.
///
/// Counting follows textstat 0.7.3 so its numbers can be checked: words are whitespace-separated after removing
/// every character that is not a letter, digit, underscore or space; syllables are Liang hyphenation points + 1 per
/// word (Debian's hyphen-en-us patterns, left and right minimum 2); sentences are runs of non-terminal characters
/// followed by . ! or ?, and a "sentence" of two words or fewer is not counted (at least one sentence always).
/// textstat rounds its intermediate averages to one decimal; we do not, so its grade can differ by rounding only.
public struct Readability: Sendable, Equatable {
    public let words: Int
    public let sentences: Int
    public let syllables: Int
    public let fleschKincaidGrade: Double
    public let fleschReadingEase: Double

    public init(_ text: String, hyphenator: Hyphenator) {
        let words = Self.words(text)
        let syllables = words.reduce(0) { $0 + hyphenator.syllables($1.lowercased()) }
        let sentences = Self.sentenceCount(text)
        self.words = words.count
        self.sentences = sentences
        self.syllables = syllables
        let wps = words.isEmpty ? 0 : Double(words.count) / Double(sentences)
        let spw = words.isEmpty ? 0 : Double(syllables) / Double(words.count)
        fleschKincaidGrade = words.isEmpty ? 0 : 0.39 * wps + 11.8 * spw - 15.59
        fleschReadingEase = words.isEmpty ? 0 : 206.835 - 1.015 * wps - 84.6 * spw
    }

    /// Keeps letters, marks, numbers (CharacterSet.alphanumerics: general categories L*, M*, N*), "_" and white
    /// space (CharacterSet.whitespacesAndNewlines: Z*, U+000A–U+000D, U+0085). By general category rather than
    /// through CharacterSet, whose lookups were a sixth of the time of rendering an explanation.
    static func stripPunctuation(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            switch u.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                 .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
                 .spaceSeparator, .lineSeparator, .paragraphSeparator:
                kept.append(u)
            default:
                if u == "_" || (0x0A...0x0D).contains(u.value) || u.value == 0x85 { kept.append(u) }
            }
        }
        return String(kept)
    }

    static func words(_ text: String) -> [String] {
        stripPunctuation(text).split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }

    /// Python's \b[^.!?]+[.!?]*: from a word boundary, a run of non-terminals and its terminal marks. Compiled
    /// once (matching with one NSRegularExpression from several threads is safe; it is immutable).
    nonisolated(unsafe) static let sentencePattern = try? NSRegularExpression(pattern: "\\b[^.!?]+[.!?]*")

    static func sentenceCount(_ text: String) -> Int {
        guard let regex = sentencePattern else { return 1 }
        let ns = text as NSString
        let found = regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
        let ignored = found.filter { words($0).count <= 2 }.count
        return max(1, found.count - ignored)
    }
}
