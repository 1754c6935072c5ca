import Foundation
import Testing
@testable import Console
@testable import Survey
@testable import Validation
import Statistics

/// A seeded fuzz harness: mutated and random inputs through the command parser, the CSV importers, the
/// questionnaire loader and the record loader, a fixed number of times (TRUSTGAP_FUZZ_ITERATIONS, default 400 per
/// target). Every input must either work or fail with an error the console can word; none may crash or hang.
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
