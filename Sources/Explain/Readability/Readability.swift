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
        let (words, sentences) = Self.scan(text)
        let syllables = words.reduce(0) { $0 + hyphenator.syllables($1) }
        self.words = words.count
        self.sentences = sentences
        self.syllables = syllables
        let wps = words.isEmpty ? 0 : Double(words.count) / Double(sentences)
        let spw = words.isEmpty ? 0 : Double(syllables) / Double(words.count)
        fleschKincaidGrade = words.isEmpty ? 0 : 0.39 * wps + 11.8 * spw - 15.59
        fleschReadingEase = words.isEmpty ? 0 : 206.835 - 1.015 * wps - 84.6 * spw
    }

    /// Words and sentences in one pass over the text's scalars, the same as `words(_:)` and `sentenceCount(_:)`
    /// (a test holds them to each other): those strip, split and match a regular expression, and were a fifth of
    /// the time of an explanation.
    static func scan(_ text: String) -> (words: [String], sentences: Int) {
        let u = Array(text.unicodeScalars)
        var words: [String] = []
        var current = String.UnicodeScalarView()
        // Words: kept scalars (letters, marks, numbers, "_") joined across dropped punctuation, ended by white space.
        var afterSpace = false
        for c in u {
            switch kind(c, afterSpace: afterSpace) {
            case .kept: current.append(c); afterSpace = false
            case .space:
                if !current.isEmpty { words.append(String(current)); current = String.UnicodeScalarView() }
                afterSpace = true
            case .dropped: break
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        // Sentences: Python's \b[^.!?]+[.!?]* found left to right; a match starts at a word boundary on a
        // non-terminal, runs to the next terminal marks and takes them. Matches of two words or fewer do not count.
        func terminal(_ c: Unicode.Scalar) -> Bool { c == "." || c == "!" || c == "?" }
        let isWord = Self.isWordCharacter
        func boundary(_ j: Int) -> Bool {
            // Combining marks belong to the character before them: no boundary in front of one.
            if u[j].value >= 0x80 && isMark(u[j]) { return false }
            var p = j - 1
            while p >= 0 && u[p].value >= 0x80 && isMark(u[p]) { p -= 1 }
            let before = p >= 0 ? isWord(u[p]) : (j > 0 ? isWord(u[j - 1]) : false)
            return before != isWord(u[j])
        }
        var found = 0, ignored = 0
        var i = 0
        while i < u.count {
            var j = i
            while j < u.count && (terminal(u[j]) || !boundary(j)) { j += 1 }
            if j >= u.count { break }
            var k = j
            while k < u.count && !terminal(u[k]) { k += 1 }
            while k < u.count && terminal(u[k]) { k += 1 }
            found += 1
            if wordCount(u[j..<k]) <= 2 { ignored += 1 }
            i = k
        }
        return (words, max(1, found - ignored))
    }

    private enum Kind { case kept, space, dropped }

    /// A word character of regular expressions (ICU's \w): letters, marks, decimal digits, connector punctuation,
    /// zero-width (non-)joiners. Also what the forbidden-word check takes for a word boundary.
    @inline(__always)
    static func isWordCharacter(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            let v = c.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
        }
        if c.properties.isAlphabetic || c.value == 0x200C || c.value == 0x200D { return true }
        switch c.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation: return true
        default: return false
        }
    }

    /// What `stripPunctuation` does with a scalar, and whether `split` then breaks a word at it. A combining mark
    /// right after kept white space joins it in one Character, which `split` treats as white space.
    @inline(__always)
    private static func kind(_ c: Unicode.Scalar, afterSpace: Bool) -> Kind {
        guard stripped(c) else { return .dropped }
        if c.value < 0x80 { return c.value == 0x20 || (c.value >= 0x09 && c.value <= 0x0D) ? .space : .kept }
        if c.properties.isWhitespace { return .space }
        if afterSpace, isMark(c) { return .space }
        return .kept
    }

    private static func isMark(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    @inline(__always)
    private static func stripped(_ u: Unicode.Scalar) -> Bool {
        // ASCII without a table lookup: letters, digits, "_", space, tab to carriage return.
        if u.value < 0x80 {
            let v = u.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F || v == 0x20 || (v >= 0x09 && v <= 0x0D)
        }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber,
             .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return u == "_" || (0x09...0x0D).contains(u.value) || u.value == 0x85
        }
    }

    private static func wordCount(_ s: ArraySlice<Unicode.Scalar>) -> Int {
        var n = 0, inWord = false, afterSpace = false
        for c in s {
            switch kind(c, afterSpace: afterSpace) {
            case .kept: if !inWord { n += 1; inWord = true }; afterSpace = false
            case .space: inWord = false; afterSpace = true
            case .dropped: break
            }
        }
        return n
    }

    /// Keeps letters, marks, numbers (CharacterSet.alphanumerics: general categories L*, M*, N*), "_" and white
    /// space (CharacterSet.whitespacesAndNewlines: Z*, U+0009–U+000D, U+0085). By general category rather than
    /// through CharacterSet, whose lookups were a sixth of the time of rendering an explanation.
    static func stripPunctuation(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for u in text.unicodeScalars where stripped(u) { kept.append(u) }
        return String(kept)
    }

    /// The definition `scan` follows (and a test holds it to): punctuation stripped, split on white space.
    static func words(_ text: String) -> [String] {
        stripPunctuation(text).split(whereSeparator: { $0.isWhitespace }).map(String.init)
    }
}
