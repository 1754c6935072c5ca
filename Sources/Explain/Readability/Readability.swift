import Foundation

/// Flesch Reading Ease (Flesch 1948) and Flesch–Kincaid grade (Kincaid et al. 1975), computed unrounded:
/// FRE = 206.835 − 1.015 (words/sentences) − 84.6 (syllables/words);
/// FK grade = 0.39 (words/sentences) + 11.8 (syllables/words) − 15.59.
///
/// Counting follows textstat 0.7.3 so its numbers can be checked: words are split on white space after removing
/// every character that is neither a word character nor white space (Python's `[^\w\s]`: combining marks go too);
/// sentences are the matches of Python's `\b[^.!?]+[.!?]*`, and a "sentence" of two words or fewer is not counted
/// (at least one sentence always); syllables are Liang hyphenation points + 1 per word (Debian's hyphen-en-us
/// patterns, left and right minimum 2). Words and sentences equal textstat's on any text (a fixture holds them to
/// it); syllables equal its count on single-spaced one-line texts, since textstat splits on single spaces to count
/// them. textstat rounds its intermediate averages to one decimal; we do not, so its grade can differ by rounding.
public struct Readability: Sendable, Equatable {
    public let words: Int
    public let sentences: Int
    public let syllables: Int
    public let fleschKincaidGrade: Double
    public let fleschReadingEase: Double

    public init(_ text: String, hyphenator: Hyphenator) {
        let (words, sentences) = Self.scan(text)
        self.init(words: words.count, sentences: sentences, syllables: words.reduce(0) { $0 + hyphenator.syllables($1) })
    }

    /// The measures from the counts (a text of no words measures 0).
    public init(words: Int, sentences: Int, syllables: Int) {
        self.words = words
        self.sentences = sentences
        self.syllables = syllables
        let wps = words == 0 ? 0 : Double(words) / Double(sentences)
        let spw = words == 0 ? 0 : Double(syllables) / Double(words)
        fleschKincaidGrade = words == 0 ? 0 : 0.39 * wps + 11.8 * spw - 15.59
        fleschReadingEase = words == 0 ? 0 : 206.835 - 1.015 * wps - 84.6 * spw
    }

    /// Words and sentences in one pass over the text's scalars, the same as `words(_:)` and `sentenceCount(_:)`
    /// (a test holds them to each other): those strip, split and match a regular expression, and were a fifth of
    /// the time of an explanation.
    static func scan(_ text: String) -> (words: [String], sentences: Int) {
        (words(scanning: text), sentenceCount(text))
    }

    /// Words: word characters joined across dropped punctuation, ended by white space.
    static func words(scanning text: String) -> [String] {
        var words: [String] = []
        forEachWord(text) { words.append($0) }
        return words
    }

    /// Calls `body` with each word, read on the text's UTF-8 bytes (a word's kept bytes, without the punctuation
    /// dropped from inside it).
    static func forEachWord(_ text: String, _ body: (String) -> Void) {
        forEachWordBytes(text) { body(String(decoding: $0, as: UTF8.self)) }
    }

    /// The same words as UTF-8 bytes, valid only during the call (no string is made for them).
    static func forEachWordBytes(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        UTF8Text.with(text) { t in
            let table = asciiClass
            var current: [UInt8] = []
            current.reserveCapacity(32)
            func flush() {
                if !current.isEmpty {
                    current.withUnsafeBufferPointer(body)
                    current.removeAll(keepingCapacity: true)
                }
            }
            var i = 0
            while i < t.count {
                let b = t.bytes[i]
                if b < 0x80 {
                    let k = table[Int(b)]
                    if k & 1 != 0 { current.append(b) } else if k & 2 != 0 { flush() }
                    i += 1
                    continue
                }
                let (c, n) = t.scalar(at: i)
                if isPythonWord(c) {
                    current.append(contentsOf: UnsafeBufferPointer(rebasing: t.bytes[i..<(i + n)]))
                } else if isPythonSpace(c) {
                    flush()
                }
                i += n
            }
            flush()
        }
    }

    /// Sentences: the matches of Python's \b[^.!?]+[.!?]* found left to right (a match starts at a word boundary on
    /// a non-terminal, runs to the next terminal marks and takes them); matches of two words or fewer do not count,
    /// and there is always at least one sentence.
    static func sentenceCount(_ text: String) -> Int { SentenceScan.count([SentenceScan(text)]) }

    /// What a piece of text contributes to the sentence count when pieces are joined by line breaks, so that pieces
    /// shared by many texts are scanned once. A line break ends a match that has taken its terminal marks, and else
    /// leaves it open (no match starts at one); a piece scanned alone starts outside any match, which is where a
    /// line break leaves the scan unless a match is open. One pass over the scalars: outside a match, a boundary on
    /// a non-terminal starts one (matches start on word characters); inside, the first non-terminal after
    /// terminals ends it.
    struct SentenceScan: Equatable {
        /// Matches found and ignored (two words or fewer) when the piece starts outside a match, one still open at
        /// its end not included.
        var found = 0, ignored = 0
        /// The words before the first terminal mark (at most 3 counted), whether there is one, and all the words.
        var wordsBeforeTerminal = 0, hasTerminal = false, words = 0
        /// The words (at most 3 counted) of a match still open at the end, waiting for its terminal marks.
        var openWords: Int?

        init(_ text: String) {
            self = UTF8Text.with(text) { t -> SentenceScan in
                var scan = SentenceScan(found: 0)
                let table = Readability.asciiClass
                var inMatch = false, sawTerminal = false
                // Words of the current match (only whether there are more than two matters), counted as `words` counts.
                var matchWords = 0, inWord = false
                var previousIsWord = false, allInWord = false
                var i = 0
                while i < t.count {
                    let terminal: Bool, word: Bool, space: Bool, n: Int
                    let b = t.bytes[i]
                    if b < 0x80 {
                        let k = table[Int(b)]
                        terminal = k & 4 != 0; word = k & 1 != 0; space = k & 2 != 0; n = 1
                    } else {
                        let (c, length) = t.scalar(at: i)
                        terminal = false; word = Readability.isPythonWord(c); space = Readability.isPythonSpace(c); n = length
                    }
                    if word {
                        if !allInWord { scan.words += 1; allInWord = true }
                    } else if space {
                        allInWord = false
                    }
                    if terminal && !scan.hasTerminal { scan.hasTerminal = true; scan.wordsBeforeTerminal = min(3, scan.words) }
                    if inMatch && !terminal && sawTerminal {
                        scan.found += 1
                        if matchWords <= 2 { scan.ignored += 1 }
                        inMatch = false
                    }
                    if !inMatch && !terminal && previousIsWord != word {
                        inMatch = true
                        sawTerminal = false
                        matchWords = 0
                        inWord = false
                    }
                    if inMatch {
                        if terminal { sawTerminal = true }
                        if word {
                            if !inWord { matchWords += 1; inWord = true }
                        } else if space {
                            inWord = false
                        }
                    }
                    previousIsWord = word
                    i += n
                }
                if inMatch {
                    if sawTerminal {
                        scan.found += 1
                        if matchWords <= 2 { scan.ignored += 1 }
                    } else {
                        scan.openWords = min(3, matchWords)
                    }
                }
                scan.words = min(3, scan.words)
                return scan
            }
        }

        private init(found: Int) { self.found = found }

        /// The sentences of the pieces joined by line breaks.
        static func count(_ pieces: [SentenceScan]) -> Int {
            var found = 0, ignored = 0
            var open: Int?
            for s in pieces {
                guard let w = open else {
                    found += s.found
                    ignored += s.ignored
                    open = s.openWords
                    continue
                }
                guard s.hasTerminal else {
                    open = min(3, w + s.words)
                    continue
                }
                // The open match takes this piece's words up to its first terminal marks, and ends there; the piece
                // scanned alone counted those words as a match of their own, if there were any.
                let before = s.wordsBeforeTerminal
                found += s.found - (before >= 1 ? 1 : 0) + 1
                ignored += s.ignored - (before >= 1 && before <= 2 ? 1 : 0) + (w + before <= 2 ? 1 : 0)
                open = s.openWords
            }
            if let w = open {
                found += 1
                if w <= 2 { ignored += 1 }
            }
            return max(1, found - ignored)
        }
    }

    /// ASCII classes for the sentence scan: 1 word character, 2 white space, 4 terminal (. ! ?).
    fileprivate static let asciiClass: [UInt8] = (0..<128).map { v in
        let c = Unicode.Scalar(UInt8(v))
        return (isPythonWord(c) ? 1 : 0) | (isPythonSpace(c) ? 2 : 0) | (c == "." || c == "!" || c == "?" ? 4 : 0)
    }

    /// Python's \w on text: letters (L*), characters with a numeric value (digits, ½, Ⅻ) and "_". Not marks.
    @inline(__always)
    static func isPythonWord(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 {
            let v = c.value
            return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F
        }
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return c.properties.numericType != nil
        }
    }

    /// Python's \s (str.isspace): Unicode white space and the information separators U+001C–U+001F.
    @inline(__always)
    static func isPythonSpace(_ c: Unicode.Scalar) -> Bool {
        if c.value < 0x80 { return c.value == 0x20 || (c.value >= 0x09 && c.value <= 0x0D) || (c.value >= 0x1C && c.value <= 0x1F) }
        return c.properties.isWhitespace
    }

    /// A word character of ICU regular expressions (\w): letters, marks, decimal digits, connector punctuation,
    /// zero-width (non-)joiners. What the forbidden-word check (held to NSRegularExpression) takes for a word boundary.
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

    /// The definition the scanners follow, step by step as textstat takes them: punctuation removed
    /// (`[^\w\s]`), then split on white space.
    static func words(_ text: String) -> [String] {
        var kept = String.UnicodeScalarView()
        for u in text.unicodeScalars where isPythonWord(u) || isPythonSpace(u) { kept.append(u) }
        return kept.split(whereSeparator: isPythonSpace).map { String(String.UnicodeScalarView($0)) }
    }
}
