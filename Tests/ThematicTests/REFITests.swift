import Foundation
import Testing
import ZIPFoundation
@testable import Thematic

private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/refi")

private func tempFile(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refi-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir.appendingPathComponent(name).path
}

/// Validates a file against one of the schema fixtures with xmllint (libxml2-utils, installed by scripts/ensure-deps.sh).
private func validates(_ path: String, schema: String) throws -> (Bool, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["xmllint", "--noout", "--schema", fixtures.appendingPathComponent(schema).path, path]
    let pipe = Pipe()
    p.standardError = pipe
    p.standardOutput = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    return (p.terminationStatus == 0, out)
}

private func sampleProject() throws -> (CodingProject, AnswerSet) {
    let answers = AnswerSet(texts: ["R1": ["Q35": "Traceability & provenance <matter>; café drift"], "R2": ["Q35": "Usability, \"easy\" to use"],
                                    "R3": [:]],
                            groupOf: ["R1": "TG", "R2": "CG", "R3": "CG"], respondentOrder: ["R1", "R2", "R3"])
    let book = try Codebook([Code(id: "trust", name: "Trust & co", definition: "Theme <one>", colour: "#CC79A7", codable: false),
                             Code(id: "trust.trace", name: "Traceability", definition: "Provenance", include: "data, models", parent: "trust"),
                             Code(id: "adoption_usability", name: "Usability", example: "\"easy\"")])
    var p = CodingProject(codebook: book)
    _ = try p.code(Coding(respondent: "R1", question: "Q35", code: "trust.trace", coder: "ana"), text: "provenance", answers: answers)
    _ = try p.code(Coding(respondent: "R1", question: "Q35", code: "trust.trace", coder: "ben"), text: nil, answers: answers)
    _ = try p.code(Coding(respondent: "R2", question: "Q35", code: "adoption_usability", coder: "ana"), text: "\"easy\"", answers: answers)
    return (p, answers)
}

@Test func codebookRoundTripAndSchema() throws {
    let (p, _) = try sampleProject()
    let path = tempFile("book.qdc")
    try REFICodebook.document(p.codebook).write(toFile: path, atomically: true, encoding: .utf8)
    let (ok, message) = try validates(path, schema: "Codebook.xsd")
    #expect(ok, "\(message)")
    let (back, _) = try REFICodebook.load(path: path)
    #expect(back == p.codebook)
}

@Test func projectRoundTripKeepsEveryCodeAndCoding() throws {
    let (p, answers) = try sampleProject()
    let path = tempFile("project.qdpx")
    try REFIProject.export(to: path, name: "test <project>", project: p, answers: answers, questions: ["Q35"],
                           variables: ["R1": [("group", "TG"), ("roles", "model_training")], "R2": [("group", "CG"), ("roles", "clinical_expert")]])
    // project.qde validates against the schema, has no byte-order mark, and sources/ holds the answers.
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    var qde = Data()
    _ = try archive.extract(archive["project.qde"]!) { qde.append($0) }
    #expect(!qde.starts(with: [0xEF, 0xBB, 0xBF]))
    #expect(archive.filter { $0.path.hasPrefix("sources/") }.count == 2)
    let qdePath = tempFile("project.qde")
    try qde.write(to: URL(fileURLWithPath: qdePath))
    let (ok, message) = try validates(qdePath, schema: "Project.xsd")
    #expect(ok, "\(message)")
    let text = String(decoding: qde, as: UTF8.self)
    #expect(text.contains("<TextValue>TG</TextValue>") && text.contains("&lt;matter&gt;") == false)  // texts live in sources/
    let back = try REFIProject.load(path: path, answers: answers)
    #expect(back.codebook == p.codebook)
    #expect(Set(back.codings) == Set(p.codings))
}

@Test func foreignCodebookImports() throws {
    let (book, guids) = try REFICodebook.load(path: fixtures.appendingPathComponent("atlasti_codebook.qdc").path)
    // Names that are already tokens stay as written; others become parent.slug.
    #expect(book.codes.map(\.id) == ["Trustworthiness", "Trustworthiness.explainability_why_the_output", "Trustworthiness.traceability", "cost_time"])
    #expect(book.code("Trustworthiness")?.codable == false)
    #expect(book.code("Trustworthiness")?.colour == "#AA00FF")
    #expect(book.code("Trustworthiness.explainability_why_the_output")?.name == "Explainability: why the output?")
    #expect(book.code("Trustworthiness.explainability_why_the_output")?.definition.contains("& which region") == true)
    #expect(book.code("cost_time")?.name == "Cost & time")
    #expect(guids["{3B3F8B52-4A7C-4D84-8E1F-6C1D3F9A2B22}"] == "Trustworthiness.traceability")
    let (ok, message) = try validates(fixtures.appendingPathComponent("atlasti_codebook.qdc").path, schema: "Codebook.xsd")
    #expect(ok, "the fixture itself is valid REFI-QDA: \(message)")
}

@Test func malformedFilesNameTheLine() throws {
    let path = tempFile("bad.qdc")
    try "<?xml version=\"1.0\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\">\n  <Codes>\n    <Code guid=\"x\" name=\"a\">\n  </Codes>\n</CodeBook>\n"
        .write(toFile: path, atomically: true, encoding: .utf8)
    do {
        _ = try REFICodebook.load(path: path)
        Issue.record("accepted malformed XML")
    } catch let ThematicError.file(p, line, _, message) {
        #expect(p == path && line == 5 && message == "malformed XML: a closing tag does not match the open element")
    }
    try "<Project name=\"x\"/>".write(toFile: path, atomically: true, encoding: .utf8)
    #expect(throws: ThematicError.self) { try REFICodebook.load(path: path) }
    let noCodes = tempFile("empty.qdc")
    try "<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"/>".write(toFile: noCodes, atomically: true, encoding: .utf8)
    #expect(throws: ThematicError.file(path: noCodes, line: 1, column: 0, message: "<CodeBook> has no <Codes>")) { try REFICodebook.load(path: noCodes) }
}

@Test func projectWithBadSelectionIsRejected() throws {
    let (p, answers) = try sampleProject()
    let other = AnswerSet(texts: ["R1": ["Q35": "short"], "R2": ["Q35": "Usability, \"easy\" to use"]], groupOf: [:], respondentOrder: ["R1", "R2"])
    let path = tempFile("project.qdpx")
    try REFIProject.export(to: path, name: "p", project: p, answers: answers, questions: ["Q35"], variables: [:])
    // R1's text differs in the loaded survey: its selection no longer fits, and that is an error, not a silent skip.
    #expect(throws: ThematicError.self) { try REFIProject.load(path: path, answers: other) }
}
