import Foundation
import Testing
import ZIPFoundation
@testable import Thematic

/// The analytic trail across REFI-QDA: code memos, notes on the project, descriptions of sources and of selections,
/// both ways; QualCoder's line starts; codes that differ only in case or a vendor's prefix.
private enum Trail {
    static func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("refi-trail-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// project.qde of an archive, as written.
    static func qde(_ path: String) throws -> Data {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        guard let entry = archive["project.qde"] else { throw ThematicError.file(path: path, line: 0, column: 0, message: "no project.qde") }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return data
    }

    /// An archive of `project.qde` and source files, as another client writes it.
    static func archive(_ entries: [(String, String)], in dir: URL) throws -> String {
        let path = dir.appendingPathComponent("foreign.qdpx").path
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in entries {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count)) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        return path
    }
}

@Test func memosNotesAndDescriptionsCrossBothWays() throws {
    let answers = AnswerSet(texts: ["R1": ["Q35": "Traceability & provenance matter"], "R2": ["Q35": "Usability, easy to use"]],
                            groupOf: [:], respondentOrder: ["R1", "R2"])
    let book = try Codebook([Code(id: "trust", name: "Trust", codable: false),
                             Code(id: "trust.trace", name: "Traceability", definition: "Provenance", parent: "trust", memo: "Read as audit trail <not> blame\nsecond thought"),
                             Code(id: "usability", name: "Usability")])
    var project = CodingProject(codebook: book)
    _ = try project.code(Coding(respondent: "R1", question: "Q35", code: "trust.trace", coder: "ana"), text: "provenance", answers: answers)
    project.notes = [ProjectNote(.project, "Reflexive note: I expected more on cost."),
                     ProjectNote(.source(respondent: "R2", question: "Q35"), "Answered after the workshop"),
                     ProjectNote(.selection(respondent: "R2", question: "Q35", start: 0, end: 9), "Irony? & <check>")]
    let dir = try Trail.folder()
    let first = dir.appendingPathComponent("first.qdpx").path
    try REFIProject.export(to: first, name: "trail", project: project, answers: answers, questions: ["Q35"], variables: [:])
    let qde = try Trail.qde(first)
    let qdePath = dir.appendingPathComponent("project.qde").path
    try qde.write(to: URL(fileURLWithPath: qdePath))
    let (ok, message) = try validates(qdePath, schema: "Project-mrt2019.xsd")
    #expect(ok, "\(message)")
    let text = String(decoding: qde, as: UTF8.self)
    #expect(text.contains("<NoteRef targetGUID=\"\(REFICodebook.memoGUID(of: "trust.trace"))\"/>") && text.contains("<Description>Answered after the workshop</Description>"))

    let back = try REFIProject.load(path: first, answers: answers, knownCodes: book.codes.map(\.id))
    #expect(back.codebook.code("trust.trace")?.memo == "Read as audit trail <not> blame\nsecond thought")
    #expect(back.codebook == book)
    #expect(Set(back.notes) == Set(project.notes) && back.notes.count == project.notes.count)
    #expect(back.warnings.isEmpty, "\(back.warnings)")

    // And out again: the same project.qde, byte for byte.
    var again = CodingProject(codebook: back.codebook, codings: back.codings)
    again.notes = back.notes
    let second = dir.appendingPathComponent("second.qdpx").path
    try REFIProject.export(to: second, name: "trail", project: again, answers: answers, questions: ["Q35"], variables: [:])
    #expect(String(decoding: try Trail.qde(second), as: UTF8.self) == text)

    // A .qdc has no notes: the memo rides in the description and comes back from it.
    let qdc = REFICodebook.document(book)
    #expect(qdc.contains("Memo: Read as audit trail &lt;not&gt; blame&#10;Memo: second thought"))
    let qdcPath = dir.appendingPathComponent("book.qdc").path
    try qdc.write(toFile: qdcPath, atomically: true, encoding: .utf8)
    #expect(try REFICodebook.load(path: qdcPath, known: book.codes.map(\.id)).codebook == book)
}

/// A project as NVivo or ATLAS.ti writes memos: a free `<Note>` and one the project refers to, a code memo through
/// `<NoteRef>`, descriptions on a source and on a selection with no coding; a description on a case has nowhere to
/// go in trustgap and is named in a warning, as are the notes of a source that matches no answer.
@Test func foreignMemosComeInAndWhatIsDroppedIsNamed() throws {
    let answers = AnswerSet(texts: ["R1": ["Q35": "We check drift monthly"]], groupOf: [:], respondentOrder: ["R1"])
    let qde = """
    <?xml version="1.0" encoding="utf-8"?>
    <Project xmlns="urn:QDA-XML:project:1.0" name="foreign">
      <CodeBook><Codes>
        <Code guid="c1" name="drift" isCodable="true"><Description>Performance over time</Description><NoteRef targetGUID="n1"/></Code>
      </Codes></CodeBook>
      <Cases><Case guid="k1" name="R1"><Description>Senior radiologist</Description></Case></Cases>
      <Sources>
        <TextSource guid="s1" name="R1 Q35" plainTextPath="internal://s1.txt">
          <Description>Interview, second half</Description>
          <PlainTextSelection guid="p1" startPosition="9" endPosition="14"><Coding guid="g1"><CodeRef targetGUID="c1"/></Coding><NoteRef targetGUID="n2"/></PlainTextSelection>
          <PlainTextSelection guid="p2" startPosition="15" endPosition="22"><Description>How often is enough?</Description></PlainTextSelection>
        </TextSource>
        <TextSource guid="s2" name="Field notes" plainTextPath="internal://s2.txt"><Description>Workshop day</Description></TextSource>
      </Sources>
      <Notes>
        <Note guid="n1" name="Memo on drift"><PlainTextContent>Distinguish data drift from concept drift</PlainTextContent></Note>
        <Note guid="n2" name="On a quote"><PlainTextContent>Strong wording</PlainTextContent></Note>
        <Note guid="n3" name="Project memo"><PlainTextContent>Phase 2 done</PlainTextContent></Note>
        <Note guid="n4" name="Free memo"><PlainTextContent>Ask coder B about drift</PlainTextContent></Note>
      </Notes>
      <NoteRef targetGUID="n3"/>
    </Project>
    """
    let path = try Trail.archive([("project.qde", qde), ("sources/s1.txt", "We check drift monthly"), ("sources/s2.txt", "Notes")], in: try Trail.folder())
    let imported = try REFIProject.load(path: path, answers: answers)
    #expect(imported.codebook.codes.first?.memo == "Distinguish data drift from concept drift")
    #expect(imported.notes == [ProjectNote(.source(respondent: "R1", question: "Q35"), "Interview, second half"),
                               ProjectNote(.selection(respondent: "R1", question: "Q35", start: 9, end: 14), "Strong wording"),
                               ProjectNote(.selection(respondent: "R1", question: "Q35", start: 15, end: 22), "How often is enough?"),
                               ProjectNote(.project, "Phase 2 done"), ProjectNote(.project, "Ask coder B about drift")])
    let w = imported.warnings.joined(separator: "\n")
    #expect(w.contains("2 note(s) or description(s) were left out") && w.contains("on source \"Field notes\"") && w.contains("on case \"R1\""), "\(w)")
}

/// QualCoder's export of a multi-line answer: "First line\n Second line" for the survey's "First line\r\nSecond
/// line" (two code units each), matched by its text and its selection placed on the same words.
@Test func qualCoderLineStartsMatchTheAnswer() throws {
    let answer = "First line\r\nSecond line about drift"
    let answers = AnswerSet(texts: ["R7": ["Q35": answer]], groupOf: [:], respondentOrder: ["R7"])
    let qde = """
    <?xml version="1.0" encoding="utf-8"?>
    <Project xmlns="urn:QDA-XML:project:1.0" name="qualcoder">
      <CodeBook><Codes><Code guid="c1" name="drift" isCodable="true"/></Codes></CodeBook>
      <Sources>
        <TextSource guid="s1" name="answer_7.txt" plainTextPath="internal://s1.txt">
          <PlainTextSelection guid="p1" startPosition="12" endPosition="23"><Coding guid="g1"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
          <PlainTextSelection guid="p2" startPosition="30" endPosition="35"><Coding guid="g2"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>
        </TextSource>
      </Sources>
    </Project>
    """
    let path = try Trail.archive([("project.qde", qde), ("sources/s1.txt", "First line\n Second line about drift")], in: try Trail.folder())
    let imported = try REFIProject.load(path: path, answers: answers)
    let scalars = Array(answer.unicodeScalars)
    let spans = imported.codings.compactMap { c in c.start.flatMap { s in c.end.map { String(String.UnicodeScalarView(scalars[s..<$0])) } } }
    #expect(spans == ["Second line", "drift"], "\(imported.codings)")
    #expect(imported.codings.allSatisfy { $0.respondent == "R7" })
}

/// Codes named as another tool names them take the codebook's ids: "Adoption" and "Adoption.cost_effectiveness"
/// (case), "Codes\\Adoption\\Usability" (NVivo's folder and separator) and "adoption::cost effectiveness" never sit
/// beside adoption.cost_effectiveness; each merge is reported.
@Test func codesDifferingInCaseOrVendorPrefixMerge() throws {
    let answers = AnswerSet(texts: ["R1": ["Q35": "too expensive to run"]], groupOf: [:], respondentOrder: ["R1"])
    let qde = """
    <?xml version="1.0" encoding="utf-8"?>
    <Project xmlns="urn:QDA-XML:project:1.0" name="vendor">
      <CodeBook><Codes>
        <Code guid="c1" name="Adoption" isCodable="false">
          <Code guid="c2" name="Adoption.cost_effectiveness" isCodable="true"/>
        </Code>
        <Code guid="c3" name="Codes\\Adoption\\Usability" isCodable="true"/>
        <Code guid="c4" name="adoption::cost effectiveness" isCodable="true"/>
        <Code guid="c5" name="new idea" isCodable="true"/>
      </Codes></CodeBook>
      <Sources>
        <TextSource guid="s1" name="R1 Q35" plainTextPath="internal://s1.txt">
          <PlainTextSelection guid="p1" startPosition="0" endPosition="14"><Coding guid="g1"><CodeRef targetGUID="c2"/></Coding></PlainTextSelection>
          <PlainTextSelection guid="p2" startPosition="4" endPosition="14"><Coding guid="g2"><CodeRef targetGUID="c4"/></Coding></PlainTextSelection>
        </TextSource>
      </Sources>
    </Project>
    """
    let path = try Trail.archive([("project.qde", qde), ("sources/s1.txt", "too expensive to run")], in: try Trail.folder())
    let known = ["adoption", "adoption.cost_effectiveness", "adoption.usability"]
    let imported = try REFIProject.load(path: path, answers: answers, knownCodes: known)
    #expect(imported.codebook.codes.map(\.id) == ["adoption", "adoption.cost_effectiveness", "adoption.usability", "new_idea"])
    #expect(Set(imported.codings.map(\.code)) == ["adoption.cost_effectiveness"])
    #expect(imported.merged.map(\.into) == ["adoption", "adoption.cost_effectiveness", "adoption.usability", "adoption.cost_effectiveness"])
    #expect(imported.warnings.contains { $0.contains("4 code(s) merged with the codebook's") && $0.contains("\"Codes\\Adoption\\Usability\" → adoption.usability") })
}
