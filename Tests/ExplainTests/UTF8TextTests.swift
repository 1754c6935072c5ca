import Foundation
import Testing
@testable import Explain

/// Random texts over an alphabet with the awkward cases: other scripts' white space and digits, combining marks
/// (after letters, after spaces, at line starts), CR LF, a prepended mark (U+0600), capitals with non-ASCII lower
/// cases, and the explanation texts' own punctuation.
private func randomTexts(_ n: Int, seed: UInt64) -> [String] {
    let alphabet: [String] = ["a", "B", "z", " ", " ", "\t", "\n", "\n", "\r\n", "\u{A0}", "\u{2003}", "\u{301}", "\u{0600}", "1", "7", ".", "5",
                              "\u{0663}", "\u{FF15}", "É", "İ", "Σ", "ß", "–", "→", "≥", "%", "(", ")", ";", ":", "-", "_", "auc", "AUC", "roc curve",
                              "p-value", "é", "x\u{301}", "\u{200D}", "?", "!", "0.05", "12", "…", "\u{1F600}"]
    var seed = seed
    return (0..<n).map { _ in
        var s = ""
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        for _ in 0..<Int(seed >> 58) + 1 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            s += alphabet[Int(seed >> 33) % alphabet.count]
        }
        return s
    }
}

@Test func trimmedLinesAreTheCharacterLines() {
    for text in randomTexts(3000, seed: 7) + ["", "\n\n", " a \n b ", "\u{301}a\n \u{301}", "a\r\n b", "\u{0600} x", "x \u{0600}"] {
        let expected = text.split(separator: "\n", omittingEmptySubsequences: true).map(Explainer.trimmed).filter { !$0.isEmpty }.joined(separator: "\n")
        #expect(UTF8Text.trimmedLines(text) == expected, "\(text.debugDescription)")
    }
}

@Test func numberTokensAreTheExpressionsMatches() {
    for text in randomTexts(3000, seed: 11) + ["1.5.7", "0.05–0.10", "x1.y", "\u{0663}.\u{0663}4", "12."] {
        var seen: Set<String> = []
        #expect(UTF8Text.numberTokens(text) == numbers(text).filter { seen.insert($0).inserted }, "\(text.debugDescription)")
    }
}

@Test func lowerCasingIsTheStringsAndPhrasesAreFoundAsWholeWords() {
    let phrases = ["auc", "roc curve", "p-value", "ece", "é", "x\u{301}", "1", "σ", "_x", "curve\nauc"]
    let set = UTF8Text.PhraseSet(phrases)
    for text in randomTexts(3000, seed: 13) {
        let lower = UTF8Text.lowercased(text)
        #expect(lower == text.lowercased(), "\(text.debugDescription)")
        let found = UTF8Text.with(lower) { $0.occurrences(of: set) }
        #expect(found == phrases.map { ForbiddenWords.occurs($0, in: lower) }, "\(lower.debugDescription)")
    }
}

@Test func wordsAndSentencesOnBytesAreTheScalarDefinitions() {
    for text in randomTexts(3000, seed: 17) {
        #expect(Readability.words(scanning: text) == Readability.words(text), "\(text.debugDescription)")
    }
}

@Test func syllablesOfWordsWithoutLettersNeedNoSearch() throws {
    let h = try Hyphenator()
    for word in ["0052", "2025", "_", "1_000", "\u{0663}\u{0664}"] {
        #expect(h.syllables(word) == h.positions(word).count + 1)
        #expect(h.syllables(word) == 1)
    }
    #expect(h.syllables("probability") == h.positions("probability").count + 1)
}

/// Sentences of pieces joined by line breaks are counted from each piece's scan as from the joined text: pieces
/// that end inside a sentence, start with its end, hold no terminal or no word at all.
@Test func sentenceScansOfPiecesAddUpToTheJoinedText() {
    let texts = randomTexts(2000, seed: 19) + ["a b", "c. d e f", "g", "...", "h i j k.", "—", "l m", "n o. p"]
    var seed: UInt64 = 23
    for k in 0..<3000 {
        var pieces: [String] = []
        for _ in 0..<4 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            pieces.append(texts[Int(seed >> 33) % texts.count].replacingOccurrences(of: "\n", with: " "))
        }
        if k < 8 { pieces = Array(texts.suffix(8)) }
        let joined = pieces.joined(separator: "\n")
        #expect(Readability.SentenceScan.count(pieces.map(Readability.SentenceScan.init)) == Readability.sentenceCount(joined), "\(pieces)")
    }
}
