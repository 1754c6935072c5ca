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
