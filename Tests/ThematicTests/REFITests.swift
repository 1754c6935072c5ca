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

/// The official REFI-QDA schemas (shared/interop/refi-qda, beside the clone): Project-mrt2019.xsd and Codebook.xsd.
let officialSchemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/interop/refi-qda")

/// Whether ../shared/ sits beside the clone: a clone alone skips the tests that need its schemas and exports.
private let sharedIsBeside = FileManager.default.fileExists(atPath: officialSchemas.appendingPathComponent("Codebook.xsd").path)
private let sharedIsMissing: Comment = "needs ../shared/interop/refi-qda (the official REFI-QDA schemas and ATLAS.ti exports) beside the clone"

/// Validates a file against an official schema with xmllint (libxml2-utils, installed by scripts/ensure-deps.sh).
func validates(_ path: String, schema: String) throws -> (Bool, String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["xmllint", "--noout", "--schema", officialSchemas.appendingPathComponent(schema).path, path]
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

@Test(.enabled(if: sharedIsBeside, sharedIsMissing)) func codebookRoundTripAndSchema() throws {
    let (p, _) = try sampleProject()
    let path = tempFile("book.qdc")
    try REFICodebook.document(p.codebook).write(toFile: path, atomically: true, encoding: .utf8)
    let (ok, message) = try validates(path, schema: "Codebook.xsd")
    #expect(ok, "\(message)")
    // Codes are named by their labels; the ids come back through the GUIDs into a session that has the codebook,
    // and from the names without one.
    let written = try String(contentsOfFile: path, encoding: .utf8)
    #expect(written.contains("name=\"Trust &amp; co\"") && written.contains("name=\"Traceability\"") && !written.contains("Name: "))
    let (back, _) = try REFICodebook.load(path: path, known: p.codebook.codes.map(\.id))
    #expect(back == p.codebook)
    let (fresh, _) = try REFICodebook.load(path: path)
    #expect(fresh.codes.map(\.name) == p.codebook.codes.map(\.name))
}

@Test(.enabled(if: sharedIsBeside, sharedIsMissing)) func projectRoundTripKeepsEveryCodeAndCoding() throws {
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
    let (ok, message) = try validates(qdePath, schema: "Project-mrt2019.xsd")
    #expect(ok, "\(message)")
    let text = String(decoding: qde, as: UTF8.self)
    #expect(text.contains("<TextValue>TG</TextValue>") && text.contains("&lt;matter&gt;") == false)  // texts live in sources/
    // Variables on each source as well as on the case (QualCoder reads only the former for named cases).
    #expect(text.components(separatedBy: "<TextValue>TG</TextValue>").count - 1 == 2)
    let back = try REFIProject.load(path: path, answers: answers, knownCodes: p.codebook.codes.map(\.id))
    #expect(back.codebook == p.codebook)
    #expect(Set(back.codings) == Set(p.codings))
}

@Test(.enabled(if: sharedIsBeside, sharedIsMissing)) func foreignCodebookImports() throws {
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

/// A project as other clients write it: NVivo's Sources/ folder (any case), a field-notes document that is no
/// answer, a source whose line endings QualCoder rewrote (CR LF read as LF, a space added at each line end), a
/// zero-length MAXQDA anchor, a selection past its text and a reference to no code. The imperfections are counted
/// in warnings and everything else comes in, with the rewritten source's selection mapped onto the answer's words.
@Test(arguments: ["Sources", "sources", "SOURCES"])
func foreignProjectImportsWhatFits(_ folder: String) throws {
    let answers = AnswerSet(texts: ["R1": ["Q35": "First line\r\nsecond line about drift"], "R2": ["Q35": "Usability matters"]],
                            groupOf: [:], respondentOrder: ["R1", "R2"])
    let qde = """
    <?xml version="1.0" encoding="utf-8"?>
    <Project xmlns="urn:QDA-XML:project:1.0" name="foreign">
      <Users><User guid="u1" name="nvivo coder"/></Users>
      <CodeBook><Codes>
        <Code guid="c1" name="drift" isCodable="true"/>
        <Code guid="c2" name="usability" isCodable="true"/>
      </Codes></CodeBook>
      <Sources>
        <TextSource guid="s1" name="Interview R1" plainTextPath="internal://s1.txt">
          <PlainTextSelection guid="p1" startPosition="29" endPosition="34" creatingUser="u1"><Coding guid="k1" creatingUser="u1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
          <PlainTextSelection guid="p2" startPosition="3" endPosition="3" creatingUser="u1"><Coding guid="k2" creatingUser="u1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
        </TextSource>
        <TextSource guid="s2" name="R2 Q35" plainTextPath="internal://s2.txt">
          <PlainTextSelection guid="p3" startPosition="0" endPosition="9" creatingUser="u1"><Coding guid="k3" creatingUser="u1"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection>
          <PlainTextSelection guid="p4" startPosition="0" endPosition="90" creatingUser="u1"><Coding guid="k4" creatingUser="u1"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection>
          <PlainTextSelection guid="p5" startPosition="0" endPosition="4" creatingUser="u1"><Coding guid="k5" creatingUser="u1"><CodeRef targetGUID="c9"/></Coding></PlainTextSelection>
        </TextSource>
        <TextSource guid="s3" name="Field notes" plainTextPath="internal://s3.txt"/>
      </Sources>
    </Project>
    """
    let path = tempFile("foreign.qdpx")
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    // R1's text as QualCoder gives it back: CR LF read as LF, and a space added at the end of a line.
    for (name, text) in [("project.qde", qde), ("\(folder)/s1.txt", "First line\nsecond line about drift "), ("\(folder)/s2.txt", "Usability matters"),
                         ("\(folder)/s3.txt", "Notes from the workshop")] {
        let data = Data(text.utf8)
        try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count)) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
    }
    let imported = try REFIProject.load(path: path, answers: answers)
    #expect(imported.codebook.codes.count == 2)
    // "drift" is at scalars 29..<34 of the rewritten text, and at 30..<35 of the answer (which has CR LF).
    let drift = try #require(imported.codings.first { $0.code == imported.codebook.codes.first { $0.name == "drift" }?.id })
    #expect(drift.respondent == "R1" && drift.start == 30 && drift.end == 35)
    let scalars = Array("First line\r\nsecond line about drift".unicodeScalars)
    #expect(String(String.UnicodeScalarView(scalars[30..<35])) == "drift")
    #expect(imported.codings.count == 2)
    let w = imported.warnings.joined(separator: "\n")
    #expect(w.contains("1 source(s) match no answer of the loaded survey and were left out: \"Field notes\""))
    #expect(w.contains("1 source(s) differ from their answers only in line endings"))
    #expect(w.contains("1 zero-length selection(s)") && w.contains("1 selection(s) outside their text") && w.contains("1 coding(s) refer to no code"))
}

/// The real ATLAS.ti exports in shared/interop: their documents are no answers of our survey, so their codebook
/// comes in and every document is counted as left out, instead of the import stopping at the first.
@Test(.enabled(if: sharedIsBeside, sharedIsMissing)) func realAtlasExportsImportTheirCodebook() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/interop/refi-qda")
    let answers = AnswerSet(texts: ["R1": ["Q35": "unrelated"]], groupOf: [:], respondentOrder: ["R1"])
    for name in ["target-atlas-project.qdpx", "blank-atlas-project.qdpx"] {
        let path = folder.appendingPathComponent(name).path
        guard FileManager.default.fileExists(atPath: path) else { Issue.record("\(path) is missing: shared/ must sit beside the clone"); continue }
        let imported = try REFIProject.load(path: path, answers: answers)
        #expect(imported.codings.isEmpty, "\(name)")
        #expect(imported.warnings.allSatisfy { !$0.isEmpty }, "\(name): \(imported.warnings)")
    }
}


/// GUIDs are RFC 4122 version 5 UUIDs, as Python's uuid module computes them from the same namespace and name.
@Test func guidsAreVersionFiveUUIDs() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import uuid; ns = uuid.uuid5(uuid.NAMESPACE_URL, 'trustgap.refi-qda'); print(str(uuid.uuid5(ns, 'code:trust')).upper(), str(uuid.uuid5(ns, 'code:trust.trace')).upper())"]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    p.waitUntilExit()
    #expect(out == REFICodebook.guid(of: "trust") + " " + REFICodebook.guid(of: "trust.trace"))
}

/// trustgap's own export of 18,000 coded answers (a project.qde over 10 MB, which libxml2 refused as one push
/// without XML_PARSE_HUGE) comes back whole, and named sources are found by dictionary, not by a walk per source.
@Test func aProjectOverTenMegabytesReimports() throws {
    let ids = (0..<18_000).map { "R\($0)" }
    var texts: [String: [String: String]] = [:]
    for (k, r) in ids.enumerated() { texts[r] = ["Q35": "answer \(k): traceability of the model matters"] }
    let answers = AnswerSet(texts: texts, groupOf: [:], respondentOrder: ids)
    var p = CodingProject(codebook: try Codebook([Code(id: "trace", name: "Traceability")]))
    let n = try p.add(ids.map { (Coding(respondent: $0, question: "Q35", code: "trace", coder: "ana"), "traceability") }, answers: answers, action: "test")
    #expect(n == 18_000)
    let path = tempFile("big.qdpx")
    try REFIProject.export(to: path, name: "big", project: p, answers: answers, questions: ["Q35"], variables: [:])
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
    #expect((archive["project.qde"]?.uncompressedSize ?? 0) > 10 << 20)
    let back = try REFIProject.load(path: path, answers: answers, knownCodes: ["trace"])
    #expect(Set(back.codings) == Set(p.codings) && back.warnings.isEmpty)
}

/// The zip writer's archives read in Python's zipfile (CRCs tested) and in ZIPFoundation, and come back through our
/// reader; 70,000 entries take the ZIP64 end records.
@Test(arguments: [3, 70_000])
func zipWriterArchivesReadElsewhere(_ entries: Int) throws {
    var writer = ZipWriter()
    for k in 0..<entries { try writer.add("sources/\(k)-café.txt", Data("answer \(k): traceability — ü\n".utf8)) }
    let path = tempFile("w.zip")
    try writer.finish().write(to: URL(fileURLWithPath: path))
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", "-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; n = z.namelist(); print(len(n), z.read(n[-1]).decode())", path]
    let pipe = Pipe()
    p.standardOutput = pipe
    try p.run()
    let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0 && out == "\(entries) answer \(entries - 1): traceability — ü\n\n", "\(out)")
    let reader = try ZipReader(path: path)
    #expect(reader.entries.count == entries)
    if let last = reader.entries.last { #expect(String(decoding: try reader.contents(of: last, budget: 1 << 20), as: UTF8.self) == "answer \(entries - 1): traceability — ü\n") }
    if entries < 0xFFFF {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        #expect(archive.map(\.path).count == entries)
    }
}
