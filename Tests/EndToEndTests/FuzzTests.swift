import Foundation
import Testing
@testable import Console
@testable import Survey
@testable import Validation
@testable import Thematic
import Workspace
import ZIPFoundation
import Statistics

/// A seeded fuzz harness: mutated and random inputs through the command parser, the CSV importers, the
/// questionnaire loader, the record loader, REFI-QDA archives and their XML, workspaces, notebooks and `chisq table`
/// arguments, a fixed number of times (TRUSTGAP_FUZZ_ITERATIONS, default 400 per target; 10,000 once, with the
/// numbers in SECURITY.md). Every input must either work or fail with an error the console can word; none may crash or hang.
enum Fuzz {
    static let iterations = Int(ProcessInfo.processInfo.environment["TRUSTGAP_FUZZ_ITERATIONS"] ?? "") ?? 400
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Byte-level mutations of a seed: flips, insertions of structural characters, deletions, splices, truncation.
    static func mutate(_ seed: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var b = seed
        let specials: [UInt8] = Array("\",;\n\r:{}[]-#&<>'\\\t ".utf8) + [0x00, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0xFF, 0x80]
        for _ in 0..<(1 + Int(rng.nextUniform() * 8)) {
            guard !b.isEmpty else { b = [specials[Int(rng.nextUniform() * Double(specials.count))]]; continue }
            let i = Int(rng.nextUniform() * Double(b.count))
            switch Int(rng.nextUniform() * 6) {
            case 0: b[i] = specials[Int(rng.nextUniform() * Double(specials.count))]
            case 1: b.insert(specials[Int(rng.nextUniform() * Double(specials.count))], at: i)
            case 2: b.remove(at: i)
            case 3: b = Array(b.prefix(i))
            case 4: let j = Int(rng.nextUniform() * Double(b.count)); b.insert(contentsOf: b[min(i, j)..<max(i, j)].prefix(200), at: i)
            default: b[i] = UInt8(truncatingIfNeeded: Int(rng.nextUniform() * 256))
            }
        }
        return b
    }

    static func temp(_ bytes: [UInt8], _ name: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent(name).path
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    /// Errors must be worded (no empty message, no raw Swift dump of an unknown type).
    static func worded(_ error: Error) -> Bool {
        let m = ErrorMessages.message(for: error)
        return !m.isEmpty && !m.hasPrefix("Swift.")
    }
}

@Test func fuzzCommandParser() throws {
    var rng = SeededGenerator(seed: 11)
    let session = Session()
    _ = try CommandTable.execute("load survey \(Fuzz.root.path)/data/ai4hi/responses.csv --questionnaire \(Fuzz.root.path)/questionnaires/ai-validation.yaml", in: session)
    _ = try CommandTable.execute("load records \(Fuzz.root.path)/data/validation", in: session)
    let seeds = ["chisq Q7 --exact", "crosstab Q10 by Q3", "chisq table \"1,2;3,4\"", "power --w 0.3 --n 49 --df 1", "show Q7 balance_performance",
                 "describe Q8", "groups --with mixed", "codebook add x --parent y", "code R002 Q35 utility.safety \"abc\"", "quotes",
                 "metrics cspca-bpmri-v2", "facts cspca-bpmri-v2 --case P-017", "explain cspca-bpmri-v2 --for patient", "gap Q14",
                 "chisq Q7 --simulate 100 --seed 3", "words --ngram 3", "exposure CG", "accept 1-3", "help chisq"]
    for k in 0..<Fuzz.iterations {
        let seed = Array(seeds[k % seeds.count].utf8)
        let line = String(decoding: Fuzz.mutate(seed, &rng), as: UTF8.self)
        // --out is skipped: a fuzzed path could write anywhere.
        if line.contains("out") { continue }
        do { _ = try CommandTable.execute(line, in: session) } catch { #expect(Fuzz.worded(error), "\(line)") }
    }
}

@Test func fuzzSurveyFiles() throws {
    var rng = SeededGenerator(seed: 12)
    let q = Fuzz.root.appendingPathComponent("questionnaires/ai-validation.yaml").path
    let bundled = Array(try Data(contentsOf: Fuzz.root.appendingPathComponent("data/ai4hi/responses.csv")).prefix(1500))
    let fixtures = ["google_forms.csv", "limesurvey.csv", "qualtrics.csv", "redcap.csv"].map {
        Array((try? Data(contentsOf: Fuzz.root.appendingPathComponent("Tests/SurveyTests/Fixtures/\($0)"))) ?? Data())
    }
    let seeds = [bundled] + fixtures
    for k in 0..<Fuzz.iterations {
        let path = Fuzz.temp(Fuzz.mutate(seeds[k % seeds.count], &rng), "s.csv")
        do { _ = try SurveyLoader.load(path: path, options: .init(questionnairePath: k % 3 == 0 ? nil : q)) }
        catch { #expect(Fuzz.worded(error)) }
    }
}

@Test func fuzzQuestionnaires() throws {
    var rng = SeededGenerator(seed: 13)
    let seed = Array(try Data(contentsOf: Fuzz.root.appendingPathComponent("questionnaires/ai-validation.yaml")).prefix(4000))
    for _ in 0..<Fuzz.iterations {
        let text = String(decoding: Fuzz.mutate(seed, &rng), as: UTF8.self)
        do { _ = try QuestionnaireLoader.parse(text, path: "fuzz.yaml") } catch { #expect(Fuzz.worded(error)) }
    }
}

@Test func fuzzRecords() throws {
    var rng = SeededGenerator(seed: 14)
    let seed = Array(try Data(contentsOf: Fuzz.root.appendingPathComponent("data/validation/gland-volume-reg-v1.json")))
    for _ in 0..<Fuzz.iterations {
        let path = Fuzz.temp(Fuzz.mutate(seed, &rng), "r.json")
        do {
            let r = try RecordLoader.loadFile(path)
            if let p = try Predictions.load(for: r) { _ = try? Recomputation.checks(r, predictions: p) }
        } catch { #expect(Fuzz.worded(error)) }
    }
}

/// A few answers for REFI-QDA projects to be mapped onto (the names of the bundled sample project's sources).
private func fuzzAnswers() -> AnswerSet {
    AnswerSet(texts: ["R1": ["Q35": "Traceability & provenance matter; café drift"], "R2": ["Q35": "Usability, \"easy\" to use"]],
              groupOf: ["R1": "TG", "R2": "CG"], respondentOrder: ["R1", "R2"])
}

/// Seed projects: the two real ATLAS.ti exports in shared/ (when beside the clone) and one trustgap writes.
private func refiSeeds() throws -> [[UInt8]] {
    let shared = Fuzz.root.deletingLastPathComponent().appendingPathComponent("shared/interop/refi-qda")
    var seeds = ["blank-atlas-project.qdpx", "target-atlas-project.qdpx"].compactMap { try? Data(contentsOf: shared.appendingPathComponent($0)) }.map { Array($0) }
    let answers = fuzzAnswers()
    var project = CodingProject(codebook: try Codebook([Code(id: "trust", name: "Trust", codable: false), Code(id: "trust.trace", name: "Traceability", parent: "trust")]))
    _ = try project.code(Coding(respondent: "R1", question: "Q35", code: "trust.trace", coder: "ana"), text: "provenance", answers: answers)
    _ = try project.code(Coding(respondent: "R2", question: "Q35", code: "trust.trace", coder: "ben"), text: nil, answers: answers)
    let path = Fuzz.temp([], "seed.qdpx")
    try REFIProject.export(to: path, name: "seed", project: project, answers: answers, questions: ["Q35"], variables: ["R1": [("group", "TG")]])
    seeds.append(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    return seeds
}

/// REFI-QDA archives: the zip bytes themselves mutated (central directory, sizes, compressed streams).
@Test func fuzzREFIArchives() throws {
    var rng = SeededGenerator(seed: 15)
    let seeds = try refiSeeds()
    let answers = fuzzAnswers()
    for k in 0..<Fuzz.iterations {
        let path = Fuzz.temp(Fuzz.mutate(seeds[k % seeds.count], &rng), "p.qdpx")
        do { _ = try REFIProject.load(path: path, answers: answers, maxEntryBytes: 64 << 20) } catch { #expect(Fuzz.worded(error)) }
    }
}

/// REFI-QDA XML: project.qde (and a codebook .qdc) mutated, then packed as a well-formed archive, so the XML reader
/// and the mapping onto answers see the damage rather than the zip reader.
@Test func fuzzREFIXML() throws {
    var rng = SeededGenerator(seed: 16)
    var xmls: [[UInt8]] = []
    for seed in try refiSeeds() {
        let archive = try Archive(data: Data(seed), accessMode: .read)
        if let entry = archive["project.qde"] {
            var xml = Data()
            _ = try archive.extract(entry) { xml.append($0) }
            xmls.append(Array(xml.prefix(60_000)))
        }
    }
    let codebook = Array((try? Data(contentsOf: Fuzz.root.appendingPathComponent("Tests/ThematicTests/Fixtures/refi/atlasti_codebook.qdc"))) ?? Data())
    let answers = fuzzAnswers()
    for k in 0..<Fuzz.iterations {
        if k % 4 == 3, !codebook.isEmpty {
            let path = Fuzz.temp(Fuzz.mutate(codebook, &rng), "c.qdc")
            do { _ = try REFICodebook.load(path: path) } catch { #expect(Fuzz.worded(error)) }
            continue
        }
        let xml = Data(Fuzz.mutate(xmls[k % xmls.count], &rng))
        let path = Fuzz.temp([], "x.qdpx")
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        try archive.addEntry(with: "project.qde", type: .file, uncompressedSize: Int64(xml.count), compressionMethod: .deflate) { position, size in
            xml.subdata(in: Int(position)..<Int(position) + size)
        }
        do { _ = try REFIProject.load(path: path, answers: answers) } catch { #expect(Fuzz.worded(error)) }
    }
}

/// Workspaces: a saved workspace mutated byte by byte (SQLite pages, the header, the schema) and opened as `open`
/// does, then restored into a session. Every damage is an error; nothing is written outside the private folder.
@Test func fuzzWorkspaces() throws {
    var rng = SeededGenerator(seed: 17)
    let session = Session()
    _ = try CommandTable.execute("load survey \(Fuzz.root.path)/Tests/EndToEndTests/data/numeric-survey.csv", in: session)
    _ = try CommandTable.execute("codebook add trust --name Trust", in: session)
    let seedPath = Fuzz.temp([], "seed.tgw")
    try? FileManager.default.removeItem(atPath: seedPath)
    try WorkspaceStore.save(session.snapshot(), to: seedPath)
    let seed = Array(try Data(contentsOf: URL(fileURLWithPath: seedPath)))
    for _ in 0..<Fuzz.iterations {
        var bytes = seed
        // SQLite files are mostly pages of structure: flips across the file, a few per input, keep the size.
        for _ in 0..<(1 + Int(rng.nextUniform() * 6)) {
            bytes[Int(rng.nextUniform() * Double(bytes.count))] = UInt8(truncatingIfNeeded: Int(rng.nextUniform() * 256))
        }
        if rng.nextUniform() < 0.1 { bytes = Array(bytes.prefix(Int(rng.nextUniform() * Double(bytes.count)))) }
        let path = Fuzz.temp(bytes, "w.tgw")
        do {
            let store = try WorkspaceStore(path: path)
            try WorkspaceCommands.restore(try store.load(), into: Session())
        } catch { #expect(Fuzz.worded(error)) }
    }
}

/// Notebooks: the bundled notebooks mutated and rendered in a folder of their own (blocks may not leave it).
@Test func fuzzNotebooks() throws {
    var rng = SeededGenerator(seed: 18)
    let seeds = ["01-mind-the-gap.md", "02-thematic-analysis.md", "03-auditing-a-record.md", "04-one-case-four-audiences.md"].map {
        Array(((try? Data(contentsOf: Fuzz.root.appendingPathComponent("notebooks/\($0)"))) ?? Data()).prefix(3000))
    }
    for k in 0..<Fuzz.iterations {
        let input = Fuzz.temp(Fuzz.mutate(seeds[k % seeds.count], &rng), "n.md")
        let output = (input as NSString).deletingLastPathComponent + (k % 2 == 0 ? "/n.html" : "/n.ipynb")
        do {
            _ = try Notebook.render(input: input, output: output, to: nil, keepGoing: true, session: Session())
            let page = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            #expect(!page.lowercased().contains("<script"), "a notebook page carries a script")
        } catch { #expect(Fuzz.worded(error)) }
    }
}

/// `chisq table` arguments: random shapes and cells, including huge, negative, fractional and non-numeric ones.
@Test func fuzzChisqTables() throws {
    var rng = SeededGenerator(seed: 19)
    let session = Session()
    let odd = ["1e308", "-1", "2.5", "", "x", "9223372036854775807", "1e19", "0", "nan", "inf", "0x10", "+3", " 4", "00012"]
    for _ in 0..<Fuzz.iterations {
        // Up to 3 × 3: larger tables of this size run Fisher's test to its 2 s budget in a debug build, which tests
        // the budget, not the parsing (ExactBudgetEndToEndTests does that).
        let rows = 1 + Int(rng.nextUniform() * 3), columns = 1 + Int(rng.nextUniform() * 3)
        let table = (0..<rows).map { _ in
            (0..<columns).map { _ in rng.nextUniform() < 0.1 ? odd[Int(rng.nextUniform() * Double(odd.count))] : String(Int(rng.nextUniform() * 12)) }
                .joined(separator: rng.nextUniform() < 0.05 ? ";" : ",")
        }.joined(separator: ";")
        let option = ["", " --simulate 200 --seed 2", " --exact --exact-budget 1s,256MB", " --bootstrap 20"][Int(rng.nextUniform() * 4)]
        do { _ = try CommandTable.execute("chisq table \"\(table)\"\(option)", in: session) } catch { #expect(Fuzz.worded(error), "\(table)") }
    }
}

/// SPSS and Stata files, written by pyreadstat (with value labels, user-missing values and, from PSPP when it is
/// there, multiple-response sets), mutated and loaded through ReadStat and our dictionary walker.
@Test func fuzzStatisticalFiles() throws {
    var rng = SeededGenerator(seed: 19)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-stat-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let made = try Binary.tool(["python3", "-c", """
        import sys, subprocess, pandas as pd, pyreadstat
        out = sys.argv[1]
        df = pd.DataFrame({"id": [1, 2, 3, 4], "grp": [1, 2, 1, 9], "a": [0, 1, 1, 0], "b": [1, 1, 0, 0], "t": ["x", "yy", "", "z"]})
        pyreadstat.write_sav(df, out + "/s.sav", column_labels={"grp": "Group"}, variable_value_labels={"grp": {1: "Tech", 2: "Clin", 9: "NA"}},
                             missing_ranges={"grp": [9]})
        pyreadstat.write_dta(df, out + "/s.dta", variable_value_labels={"grp": {1: "Tech", 2: "Clin"}})
        syntax = "DATA LIST LIST /id grp a b.\\nBEGIN DATA.\\n1 1 1 0\\n2 2 0 1\\nEND DATA.\\nMRSETS /MDGROUP NAME=$ab LABEL='Both' VARIABLES=a b VALUE=1.\\n"
        open(out + "/m.sps", "w").write(syntax + f"SAVE OUTFILE='{out}/m.sav'.\\n")
        try: subprocess.run(["pspp", out + "/m.sps"], check=True, capture_output=True)
        except Exception: pass
        """, dir.path])
    #expect(made.status == 0, "\(made.output)")
    let seeds = ["s.sav", "s.dta", "m.sav"].compactMap { name in (try? Data(contentsOf: dir.appendingPathComponent(name))).map { (name, Array($0)) } }
    #expect(seeds.count >= 2)
    for k in 0..<Fuzz.iterations {
        let (name, seed) = seeds[k % seeds.count]
        let path = Fuzz.temp(Fuzz.mutate(seed, &rng), name)
        do { _ = try SurveyLoader.load(path: path) } catch { #expect(Fuzz.worded(error), "\(name) #\(k)") }
    }
}
