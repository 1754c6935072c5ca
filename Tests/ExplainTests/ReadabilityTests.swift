import Foundation
import Testing
@testable import Explain

struct ReadabilityReference: Decodable {
    struct Text: Decodable {
        let text: String; let words: Int; let sentences: Int; let syllables: Int
        let fk_grade: Double; let flesch: Double; let textstat_fk_grade: Double; let textstat_flesch: Double
    }
    struct Counts: Decodable { let text: String; let words: Int; let sentences: Int }
    let texts: [Text]
    let counts: [Counts]
    let syllables: [String: Int]
    static let shared: ReadabilityReference = {
        let url = Bundle.module.url(forResource: "readability_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(ReadabilityReference.self, from: Data(contentsOf: url))
    }()
}

@Test(arguments: ReadabilityReference.shared.texts.indices)
func readabilityMatchesTextstat(_ k: Int) throws {
    let t = ReadabilityReference.shared.texts[k]
    let r = Readability(t.text, hyphenator: try Hyphenator())
    #expect(r.words == t.words && r.sentences == t.sentences && r.syllables == t.syllables,
            "\(t.text.prefix(30)): words \(r.words)/\(t.words), sentences \(r.sentences)/\(t.sentences), syllables \(r.syllables)/\(t.syllables)")
    #expect(abs(r.fleschKincaidGrade - t.fk_grade) < 1e-10 && abs(r.fleschReadingEase - t.flesch) < 1e-10)
    // textstat rounds its averages to one decimal before combining them.
    #expect(abs(r.fleschKincaidGrade - t.textstat_fk_grade) < 0.7 && abs(r.fleschReadingEase - t.textstat_flesch) < 6)
}

@Test func hyphenationFollowsLiang() throws {
    let h = try Hyphenator()
    // pyphen with the same patterns gives these positions (hy-phen-ation; p-r-o-b|a|b-i-l|i|t-y).
    #expect(h.positions("hyphenation") == [2, 6])
    #expect(h.positions("probability") == [4, 5, 8, 9])
    #expect(h.positions("a") == [] && h.positions("scan") == [])
    #expect(throws: ExplainError.hyphenationUnreadable(path: "/nonexistent.dic")) { try Hyphenator(path: "/nonexistent.dic") }
}

/// Words and sentences are counted as textstat 0.7.3 counts them, on the golden renderings and on generated texts
/// full of what the rules decide (marks, other scripts' digits and spaces, separators, joiners, terminals): the
/// counts in the fixture are textstat's own (scripts/make_readability_fixtures.py).
@Test func wordAndSentenceCountsAreTextstats() throws {
    let counts = ReadabilityReference.shared.counts
    #expect(counts.count > 400)
    for c in counts {
        let scanned = Readability.scan(c.text)
        #expect(scanned.words.count == c.words, "words of \(c.text.debugDescription): \(scanned.words)")
        #expect(scanned.sentences == c.sentences, "sentences of \(c.text.debugDescription)")
        #expect(Readability.words(c.text).count == c.words, "definition: words of \(c.text.debugDescription)")
    }
}

/// Syllables of every word of the golden renderings and of generated codes are textstat's, from the hyphenator
/// and from a thread's table of counted words (asked twice, so the second answers come from the table, which
/// grows past its first size on the way).
@Test func syllablesAreTextstats() throws {
    let h = try Hyphenator()
    let counter = SyllableCounter(h)
    let words = ReadabilityReference.shared.syllables.sorted { $0.key < $1.key }
    #expect(words.count > 600)
    for _ in 0..<2 {
        for (word, n) in words {
            #expect(h.syllables(word) == n, "\(word)")
            #expect(counter.syllables(word) == n, "\(word) (table)")
        }
    }
}

/// Forbidden words are found as the expression \bWORD\b finds them.
@Test func forbiddenWordsMatchTheWordBoundaryExpression() {
    let words = ["auc", "p-value", "roc curve", "ece", "99%", "guarantee", "x"]
    let texts = ["The AUC was high.".lowercased(), "aucs and sauce", "a p-value of 0.03", "p-values", "the roc curve.", "roc  curve",
                 "ece: 0.05", "reece", "99% sure", "x-ray", "box", "guaranteed", "no guarantee!", "é auc é", "_auc", "auc_", ""]
    for w in words {
        let regex = try! NSRegularExpression(pattern: "\\b\(NSRegularExpression.escapedPattern(for: w))\\b")
        for t in texts {
            let expected = regex.firstMatch(in: t, range: NSRange(location: 0, length: (t as NSString).length)) != nil
            #expect(ForbiddenWords.occurs(w, in: t) == expected, "\(w) in \(t.debugDescription)")
        }
    }
}
