import Foundation
import Testing
@testable import Render

@Test func tablesRenderInEveryFormat() {
    var doc = Document()
    doc.table(Table(columns: ["answer", "n"], rows: [["yes, always", "12"], ["a | b", "3"]]))
    #expect(TextRenderer().render(doc) == "answer        n\n-----------  --\nyes, always  12\na | b         3")
    #expect(MarkdownRenderer().render(doc).contains("| a \\| b | 3 |"))
    #expect(CSVRenderer().render(doc) == "answer,n\n\"yes, always\",12\na | b,3")
}

@Test func jsonKeepsKeyOrderAndEscapes() {
    let v: JSONValue = .object([("b", .int(1)), ("a", .string("<x>\"")), ("c", .double(.nan)), ("d", .array([.int(1), .int(2)]))])
    #expect(v.encoded(pretty: false) == "{\"b\": 1,\"a\": \"\\u003cx>\\\"\",\"c\": null,\"d\": [1, 2]}")
}

/// Legibility: WCAG ratios as the standard computes them, text colour chosen by luminance, labels cut at words with
/// the full text kept, round ticks.
@Test func legibilityHelpers() {
    #expect(abs(Legibility.contrast("#000000", "#ffffff") - 21) < 1e-9)
    // WebAIM's checker gives 5.18:1 for #0072B2 on white (rounded down there).
    #expect((5.18...5.19).contains(Legibility.contrast("#0072B2", "#ffffff")))
    for fill in SurveyCharts.palette { #expect(Legibility.contrast(Legibility.text(on: fill), fill) >= 4.5, "\(fill)") }
    for colour in WordCloud.palette { #expect(Legibility.contrast(colour, "#ffffff") >= 4.5, "\(colour)") }
    #expect(Legibility.fit("metrics to validate segmentation models in practice", 36) == ("metrics to validate segmentation…", true))
    #expect(Legibility.fit("short", 36) == ("short", false))
    #expect(Legibility.label("a long label that is cut", 12, attributes: "x=\"1\"") == "<text x=\"1\"><title>a long label that is cut</title>a long…</text>")
    #expect(zip(Legibility.ticks(upTo: 0.11), [0, 0.05, 0.1, 0.15]).allSatisfy { abs($0 - $1) < 1e-12 } && Legibility.ticks(upTo: 0.11).count == 4)
    #expect(Legibility.ticks(upTo: 1) == [0, 0.25, 0.5, 0.75, 1])
    #expect(Legibility.tickLabel(0.05, step: 0.05) == "0.05" && Legibility.tickLabel(0.075, step: 0.025) == "0.075" && Legibility.tickLabel(25, step: 25) == "25")
}

/// A domain result encodes into JSON in its own key order, with missing optionals and non-finite numbers as null,
/// and holds what Foundation's JSONEncoder writes for the same value (compared as parsed JSON, order aside).
@Test func encodableResultsBecomeJSONInTheirOwnOrder() throws {
    struct Interval: Encodable { let low: Double, high: Double }
    enum Kind: String, Encodable { case exact }
    struct Result: Encodable {
        let zeta: String, alpha: Int, missing: Double?, nan: Double, small: UInt8, kind: Kind
        let interval: Interval?, list: [Interval], matrix: [[Int]], names: [String: Int]
    }
    let r = Result(zeta: "z", alpha: 1, missing: nil, nan: .nan, small: 7, kind: .exact, interval: Interval(low: 0.25, high: 0.5),
                   list: [Interval(low: 1, high: 2)], matrix: [[1, 2], [3]], names: ["a": 1])
    let v = try JSONValueEncoder.encode(r)
    #expect(v.encoded(pretty: false).hasPrefix("{\"zeta\": \"z\",\"alpha\": 1,\"missing\": null,\"nan\": null,\"small\": 7,\"kind\": \"exact\",\"interval\": {\"low\": 0.25,\"high\": 0.5}"),
            "\(v.encoded(pretty: false))")
    // Foundation's encoder on a value without NaN: the same document once parsed.
    let clean = Result(zeta: "z", alpha: 1, missing: 2, nan: 3, small: 7, kind: .exact, interval: nil, list: [], matrix: [[1]], names: ["a": 1, "b": 2])
    let ours = try JSONSerialization.jsonObject(with: Data(try JSONValueEncoder.encode(clean).encoded().utf8)) as? NSDictionary
    var theirs = try JSONSerialization.jsonObject(with: JSONEncoder().encode(clean)) as? [String: Any] ?? [:]
    theirs["interval"] = NSNull()  // JSONEncoder leaves a nil optional out; we write null
    #expect(ours == NSDictionary(dictionary: theirs))
}

/// Text bound for a terminal shows bidirectional controls and zero-width characters as escapes, as it does control
/// characters; XML and SVG text drops Unicode's non-characters (U+FFFE once reached an SVG).
@Test func invisibleAndNonCharactersAreNeverPassedOn() {
    let shown = TerminalText.visible("a\u{202E}b\u{2066}c\u{200B}d\u{FEFF}e\u{1B}f\u{00E9}")
    #expect(shown == "a\\u{202e}b\\u{2066}c\\u{200b}d\\u{feff}e\\x1bf\u{00E9}")
    // (Swift does not accept non-characters in a literal.)
    func scalar(_ v: UInt32) -> String { Unicode.Scalar(v).map { String($0) } ?? "?" }
    #expect(Markup.escape("x" + scalar(0xFFFE) + "y" + scalar(0xFFFF) + "z" + scalar(0xFDD0) + "w" + scalar(0x1FFFE) + "v<") == "xyzwv&lt;")
    #expect(Markup.escape("\u{FFFD}\u{FDCF}") == "\u{FFFD}\u{FDCF}")
}
