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
