import Foundation
import Testing
@testable import Explain

struct ReadabilityReference: Decodable {
    struct Text: Decodable {
        let text: String; let words: Int; let sentences: Int; let syllables: Int
        let fk_grade: Double; let flesch: Double; let textstat_fk_grade: Double; let textstat_flesch: Double
    }
    let texts: [Text]
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
    #expect(throws: Hyphenator.Error.unreadable(path: "/nonexistent.dic")) { try Hyphenator(path: "/nonexistent.dic") }
}

/// The one-pass scanner counts words and sentences exactly as the definition does (strip punctuation, split on
/// white space; the regular expression \b[^.!?]+[.!?]* for sentences), on the golden renderings, the textstat
/// fixtures and generated strings full of punctuation, digits, marks, tabs and non-ASCII letters.
@Test func scannerMatchesTheRegularExpressionDefinition() throws {
    func reference(_ text: String) -> (words: [String], sentences: Int) {
        let regex = try! NSRegularExpression(pattern: "\\b[^.!?]+[.!?]*")
        let ns = text as NSString
        let found = regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
        let ignored = found.filter { Readability.words($0).count <= 2 }.count
        return (Readability.words(text), max(1, found.count - ignored))
    }
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")
    var texts = try FileManager.default.contentsOfDirectory(atPath: golden.path).map {
        try String(contentsOf: golden.appendingPathComponent($0), encoding: .utf8)
    }
    let alphabet = Array("ab cD. é! ü? 1.5 0,7 – don't\t_x\n(AUC) 95% e\u{301} \u{A0}end... Ünïcödé; 2–3 ?!".unicodeScalars)
    var seed: UInt64 = 42
    for _ in 0..<400 {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int(seed % 120) {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            s.append(alphabet[Int(seed >> 33) % alphabet.count])
        }
        texts.append(String(s))
    }
    texts += ["", "   ", "One.", "A b. C d e f g.", "...", "Hello world. This is fine! Is it? Yes."]
    for text in texts {
        let fast = Readability.scan(text), slow = reference(text)
        #expect(fast.words == slow.words, "\(text.debugDescription)")
        #expect(fast.sentences == slow.sentences, "\(text.debugDescription)")
    }
    #expect(texts.count > 400)
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
