import Foundation
import Testing
import ZIPFoundation

private func temp(_ name: String, _ text: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

private let setup = ["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml"]

@Test func bundledCodingAgreementInJSON() throws {
    let r = try InProcess.run(["--format", "json"] + setup + ["-e", "import codings data/ai4hi/codings.csv", "-e", "agreement"])
    #expect(r.status == 0, "\(r.err)")
    let json = try jsonDocuments(r.out).last ?? [:]
    #expect(json["question"] as? String == "Q35")
    #expect(abs((json["kappa"] as? Double ?? 0) - 0.7657082002129926) < 1e-10)
    #expect(abs((json["alpha"] as? Double ?? 0) - 0.7660041945470888) < 1e-10)
    let perCode = json["per_code"] as? [[String: Any]] ?? []
    #expect(perCode.count == 16 && perCode.allSatisfy { $0["code"] != nil && $0["agreement"] != nil })
}

@Test func badCodingImportsNameTheLineAndImportNothing() throws {
    let cases: [(String, String)] = [
        ("respondent,question,code,coder\nR002,Q35,utility.safety,c\nR999,Q35,utility.safety,c\n", ":3: no respondent R999"),
        ("respondent,question,code,coder\nR002,Q35,utility.safty,c\n", "codes not in the codebook: utility.safty (did you mean utility.safety?)"),
        ("respondent,question,code,coder\nR002,Q7,utility.safety,c\n", ":2: Q7 is a single question"),
        ("respondent,question,code,coder,start,end\nR002,Q35,utility.safety,c,0,400\n", ":2: span 0-400 is outside"),
        ("respondent,question,code,coder,start,end\nR002,Q35,utility.safety,c,0,10\nR002,Q35,utility.safety,c,5,12\n", ":3: c already coded R002 Q35 as utility.safety on overlapping text; nothing was imported"),
    ]
    for (text, expected) in cases {
        let path = try temp("codings.csv", text)
        // --strict: a code the codebook lacks is refused (by default it would be created).
        let r = try InProcess.run([], stdin: "load survey data/ai4hi/responses.csv\ncodebook load questionnaires/tehai-frame.yaml\nimport codings \(path) --strict\nuncoded\n")
        #expect(r.err.contains(expected), "\(r.err)")
        #expect(r.out.contains("20 of 20 answers to Q35 are uncoded"), "something was half-imported")
    }
}

@Test func autocodeAcceptUndo() throws {
    let r = try InProcess.run([], stdin: """
    load survey data/ai4hi/responses.csv
    autocode Q35 --rules questionnaires/tehai-frame.yaml
    accept 1,2
    uncoded
    undo
    uncoded
    """)
    #expect(r.out.contains("accepted 2;"))
    #expect(r.out.contains("undone: accept 1,2"))
    #expect(r.out.contains("20 of 20 answers to Q35 are uncoded"))
    #expect(r.err.isEmpty, "\(r.err)")
}

@Test func refiProjectRoundTripAtTheREPL() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let qdpx = dir.appendingPathComponent("coding.qdpx").path, before = dir.appendingPathComponent("a.csv").path, after = dir.appendingPathComponent("b.csv").path
    // A memo is the analytic trail: it goes out with the project and comes back with it.
    let first = try InProcess.run(setup + ["-e", "import codings data/ai4hi/codings.csv", "-e", "codebook memo adoption.usability two meanings: ease and fit",
                                           "-e", "notes add expected more on cost", "-e", "export project \(qdpx)", "-e", "export codings \(before)"])
    #expect(first.status == 0, "\(first.err)")
    #expect(first.out.contains("20 codes, 51 codings, 1 code memo and 1 note (REFI-QDA project)"), "\(first.out)")
    let second = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "import project \(qdpx)", "-e", "export codings \(after)",
                                    "-e", "codebook show adoption.usability", "-e", "notes"])
    #expect(second.status == 0, "\(second.err)")
    #expect(second.out.contains("imported 20 codes and 51 codings by coder_a, coder_b") && second.out.contains("with 1 code memo and 1 note"), "\(second.out)")
    #expect(second.out.contains("two meanings: ease and fit") && second.out.contains("the project  expected more on cost"), "\(second.out)")
    let a = Set(try String(contentsOfFile: before, encoding: .utf8).split(separator: "\n")), b = Set(try String(contentsOfFile: after, encoding: .utf8).split(separator: "\n"))
    #expect(a == b && a.count == 52)
}

@Test func openAnswerPayloadsAreEscapedInTheWordCloud() throws {
    let csv = try temp("survey.csv", "respondent,Q35\nR1,\"<script>alert(1)</script> onerror=alert(2) drift drift\"\nR2,\"<img src=x onerror=alert(3)> drift\"\n")
    let svg = (csv as NSString).deletingLastPathComponent + "/cloud.svg"
    let r = try InProcess.run(["-e", "load survey \(csv) --questionnaire questionnaires/ai-validation.yaml", "-e", "wordcloud --out \(svg)"])
    #expect(r.status == 0, "\(r.err)")
    let text = try String(contentsOfFile: svg, encoding: .utf8)
    #expect(!text.contains("<script") && !text.contains("<img"))
    #expect(text.contains("drift"))
}

/// A codings file with codes the codebook lacks creates them (listed in one message), as QDA tools do; --strict
/// refuses it; with one code per answer, agreement reports the nominal figures.
@Test func importCreatesUnknownCodesAndNominalAgreement() throws {
    let csv = try temp("codings.csv", "respondent,question,code,coder\nR001,Q35,drift,a\nR001,Q35,drift,b\nR002,Q35,cost,a\nR002,Q35,drift,b\n")
    let survey = try temp("survey.csv", "respondent,Q35\nR001,\"the model drifts over time\"\nR002,\"it costs a lot\"\nR003,\"fine\"\n")
    let strict = try InProcess.run(["-e", "load survey \(survey)", "-e", "import codings \(csv) --strict"])
    #expect(strict.status == 1 && strict.err.contains("codes not in the codebook: cost, drift"), "\(strict.err)")
    let r = try InProcess.run(["--format", "json", "-e", "load survey \(survey)", "-e", "import codings \(csv)", "-e", "agreement Q35"])
    #expect(r.status == 0, "\(r.err)")
    let results = try jsonDocuments(r.out)
    #expect(results[1]["created_codes"] as? [String] == ["cost", "drift"])
    #expect(results[2]["one_code_per_answer"] as? Bool == true)
    #expect((results[2]["nominal"] as? [String: Any])?["alpha"] != nil)
}

/// A project from a tool that names codes its own way ("Adoption.Usability", "Codes\\Capability\\Concept drift"),
/// imported after the TEHAI codebook: its codes merge with the codebook's, the merge is reported, and no code
/// appears twice.
@Test func foreignCodeNamesMergeWithTheCodebookAtTheREPL() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let qde = """
    <?xml version="1.0" encoding="utf-8"?>
    <Project xmlns="urn:QDA-XML:project:1.0" name="vendor">
      <CodeBook><Codes>
        <Code guid="c1" name="Adoption.Usability" isCodable="true"/>
        <Code guid="c2" name="Codes\\Capability\\Concept drift" isCodable="true"/>
      </Codes></CodeBook>
    </Project>
    """
    let path = dir.appendingPathComponent("vendor.qdpx").path
    let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
    let data = Data(qde.utf8)
    try archive.addEntry(with: "project.qde", type: .file, uncompressedSize: Int64(data.count)) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
    let r = try InProcess.run(["--format", "json"] + setup + ["-e", "import project \(path)", "-e", "codebook"])
    #expect(r.status == 0, "\(r.err)")
    let entries = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [[String: Any]] ?? []
    let imported = entries.first { ($0["command"] as? String)?.hasPrefix("import project") == true }?["result"] as? [String: Any]
    let merged = (imported?["merged"] as? [[String: Any]])?.compactMap { $0["into"] as? String }
    #expect(merged == ["adoption.usability", "capability.concept_drift"], "\(r.out.prefix(2000))")
    #expect(r.out.contains("2 code(s) merged with the codebook's"))
    let codebook = entries.last?["result"]
    let ids = (codebook as? [String: Any])?["codes"] as? [[String: Any]] ?? (codebook as? [[String: Any]] ?? [])
    #expect(ids.count == 20, "the TEHAI codebook's 20 codes, none twice: \(ids.count)")
}
