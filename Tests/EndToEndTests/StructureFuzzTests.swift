import Foundation
import Testing
@testable import Console
@testable import Explain
@testable import Survey
@testable import Thematic
import Statistics

/// Structure-aware fuzzing: inputs built from the structures the readers walk, where byte mutation found nothing
/// and an attack by hand found crashes (an MR set listing a variable twice, a 42-byte ZIP64 locator, 3,000 nested
/// sections, 10,000 nested brackets). Fuzz.iterations inputs per target (TRUSTGAP_FUZZ_ITERATIONS; 10,000 by
/// benchmarks/fuzz.sh, its numbers in SECURITY.md). Each must load or give an error the console words.
enum StructureFuzz {
    static func pick<T>(_ options: [T], _ rng: inout SeededGenerator) -> T { options[Int(rng.nextUniform() * Double(options.count)) % options.count] }
    static func int32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: Int32(truncatingIfNeeded: v).littleEndian) { Array($0) } }
    static func u16(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian) { Array($0) } }
    static func u32(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: UInt32(truncatingIfNeeded: v).littleEndian) { Array($0) } }
    static func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}

/// SPSS multiple-response sets: the set record of a PSPP file rewritten with random sets (kinds C, D, E and unknown
/// ones, counted values and labels whose lengths may lie, variables repeated, unknown or in two sets).
@Test func fuzzMultipleResponseSetRecords() throws {
    var rng = SeededGenerator(seed: 31)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-mr-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let made = try Binary.tool(["python3", "-c", """
        import sys, subprocess
        out = sys.argv[1]
        syntax = "DATA LIST LIST /id grp va vb vc vd.\\nBEGIN DATA.\\n1 1 1 0 1 2\\n2 2 0 1 1 3\\n3 1 1 1 0 2\\nEND DATA.\\n"
        syntax += "VALUE LABELS vc vd 1 'one' 2 'two' 3 'three'.\\n"
        syntax += "MRSETS /MDGROUP NAME=$abc LABEL='Three' VARIABLES=va vb vc VALUE=1.\\n"
        open(out + "/m.sps", "w").write(syntax + f"SAVE OUTFILE='{out}/m.sav'.\\n")
        subprocess.run(["pspp", out + "/m.sps"], check=True, capture_output=True)
        """, dir.path])
    #expect(made.status == 0, "\(made.output)")
    let seed = [UInt8](try Data(contentsOf: dir.appendingPathComponent("m.sav")))
    // The record: type 7, subtype 7, size 1, count N, then N bytes of text starting "$abc=".
    guard let text = (0..<(seed.count - 5)).first(where: { seed[$0..<($0 + 5)].elementsEqual(Array("$abc=".utf8)) }), text >= 16 else {
        Issue.record("no set record in the PSPP file"); return
    }
    let count = Int(seed[text - 4]) | Int(seed[text - 3]) << 8 | Int(seed[text - 2]) << 16 | Int(seed[text - 1]) << 24
    let before = Array(seed[..<(text - 16)]), after = Array(seed[(text + count)...])
    let names = ["va", "vb", "vc", "vd", "VA", "grp", "id", "zz", "", "va va"]
    var loaded = 0, refused = 0
    for k in 0..<Fuzz.iterations {
        var record = ""
        for _ in 0..<(1 + Int(rng.nextUniform() * 3)) {
            let label = StructureFuzz.pick(["Three", "", "é ü", String(repeating: "L", count: 40)], &rng)
            let labelLength = rng.nextUniform() < 0.8 ? label.utf8.count : Int(rng.nextUniform() * 60)
            let kind = StructureFuzz.pick(["C ", "D1 1 ", "D1 2 ", "E 1 1 1 ", "E 11 1 2 ", "D5 1 ", "X ", "D"], &rng)
            let members = (0..<Int(rng.nextUniform() * 5)).map { _ in StructureFuzz.pick(names, &rng) }.joined(separator: " ")
            record += "$" + StructureFuzz.pick(["abc", "s", "", "x y", "$"], &rng) + "=" + kind + "\(labelLength) \(label) " + members + "\n"
        }
        let body = Array(record.utf8)
        let declared = rng.nextUniform() < 0.9 ? body.count : Int(rng.nextUniform() * Double(body.count + 20))
        let file = before + StructureFuzz.int32(7) + StructureFuzz.int32(7) + StructureFuzz.int32(1) + StructureFuzz.int32(declared) + body + after
        let path = Fuzz.temp(file, "mr\(k % 7).sav")
        do {
            _ = try SurveyLoader.load(path: path)
            loaded += 1
        } catch {
            refused += 1
            #expect(Fuzz.worded(error), "\(record)")
        }
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
    print("fuzzMultipleResponseSetRecords: \(Fuzz.iterations) inputs, \(loaded) loaded, \(refused) refused with a worded error")
}

/// Zip archives whose end records are built at random: ZIP64 locators and end records pointing anywhere (before,
/// inside, past the file, into themselves), counts and sizes of 0xFFFF / 0xFFFFFFFF, ZIP64 extra fields of any
/// length, files shorter than a record.
@Test func fuzzZip64Records() throws {
    var rng = SeededGenerator(seed: 32)
    var writer = ZipWriter()
    try writer.add("project.qde", Data("<?xml version='1.0'?><Project xmlns='urn:QDA-XML:project:1.0' name='p'/>".utf8))
    let valid = [UInt8](writer.finish())
    let edges: [UInt64] = [0, 1, 20, 22, 42, 55, 56, 57, 0xFFFF, 0xFFFF_FFFF, 0xFFFF_FFFF_FFFF_FFFF, 1 << 63]
    var read = 0, refused = 0
    for k in 0..<Fuzz.iterations {
        func value() -> UInt64 { rng.nextUniform() < 0.6 ? StructureFuzz.pick(edges, &rng) : UInt64(rng.nextUniform() * Double(valid.count + 200)) }
        var bytes = rng.nextUniform() < 0.5 ? valid : Array(valid.prefix(Int(rng.nextUniform() * Double(valid.count))))
        // A ZIP64 end record (56 bytes), sometimes cut short.
        if rng.nextUniform() < 0.7 {
            var record: [UInt8] = [0x50, 0x4B, 0x06, 0x06] + StructureFuzz.u64(value()) + StructureFuzz.u16(45) + StructureFuzz.u16(45)
            record += StructureFuzz.u32(value()) + StructureFuzz.u32(value()) + StructureFuzz.u64(value()) + StructureFuzz.u64(value())
            record += StructureFuzz.u64(value()) + StructureFuzz.u64(value())
            bytes += record.prefix(rng.nextUniform() < 0.8 ? 56 : Int(rng.nextUniform() * 56))
        }
        // Its locator (20 bytes) and the end record (22 bytes) that sends the reader to it.
        bytes += [0x50, 0x4B, 0x06, 0x07] + StructureFuzz.u32(0) + StructureFuzz.u64(value()) + StructureFuzz.u32(1)
        bytes += [0x50, 0x4B, 0x05, 0x06] + StructureFuzz.u16(0) + StructureFuzz.u16(0)
        bytes += StructureFuzz.u16(rng.nextUniform() < 0.5 ? 0xFFFF : Int(truncatingIfNeeded: value())) + StructureFuzz.u16(rng.nextUniform() < 0.5 ? 0xFFFF : Int(truncatingIfNeeded: value()))
        bytes += StructureFuzz.u32(rng.nextUniform() < 0.5 ? 0xFFFF_FFFF : value()) + StructureFuzz.u32(rng.nextUniform() < 0.5 ? 0xFFFF_FFFF : value())
        bytes += StructureFuzz.u16(0)
        if rng.nextUniform() < 0.2 { bytes = Array(bytes.suffix(Int(rng.nextUniform() * 60))) }
        let path = Fuzz.temp(bytes, "z\(k % 7).qdpx")
        do {
            let archive = try ZipReader(path: path)
            for entry in archive.entries.prefix(5) { _ = try? archive.contents(of: entry, budget: 1 << 20) }
            read += 1
        } catch let problem as ZipReader.Problem {
            refused += 1
            switch problem {
            case .notAZip(let why), .entry(let why): #expect(!why.isEmpty)
            case .tooLarge: break
            }
        }
        try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
    }
    print("fuzzZip64Records: \(Fuzz.iterations) inputs, \(read) read, \(refused) refused with a reason")
}

/// Nesting at random depths around and far past each bound: codes in a codebook (XML, 1,000), sections in a
/// template (100, with delimiters changed), brackets and quotes in a notebook's prose (4), YAML aliases of aliases.
@Test func fuzzNestingDepth() throws {
    var rng = SeededGenerator(seed: 33)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fuzz-nest-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let depths = [0, 1, 3, 4, 5, 8, 99, 100, 101, 999, 1000, 1001, 3000, 10_000]
    var accepted = 0, refused = 0
    for k in 0..<Fuzz.iterations {
        let depth = StructureFuzz.pick(depths, &rng)
        let closed = rng.nextUniform() < 0.8 ? depth : Int(rng.nextUniform() * Double(depth + 1))
        let path: String
        do {
            switch k % 4 {
            case 0:
                path = dir.appendingPathComponent("n.qdc").path
                var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>"
                for d in 0..<depth { xml += "<Code guid=\"\(d)\" name=\"\(StructureFuzz.pick(["c", "c.d", "é", ""], &rng))\(d)\" isCodable=\"true\">" }
                xml += String(repeating: "</Code>", count: closed) + "</Codes></CodeBook>\n"
                try xml.write(toFile: path, atomically: false, encoding: .utf8)
                _ = try REFICodebook.load(path: path)
            case 1:
                path = dir.appendingPathComponent("t.mustache").path
                var template = "", open: [String] = []
                for d in 0..<depth {
                    if rng.nextUniform() < 0.02 { template += "{{=<% %>=}}<%={{ }}=%>" }
                    let name = StructureFuzz.pick(["a", "b", "case", "x\(d)"], &rng)
                    template += StructureFuzz.pick(["{{#", "{{^", "{{ #"], &rng) + name + "}}" + (rng.nextUniform() < 0.1 ? "\n" : "")
                    open.append(name)
                }
                for name in open.reversed().prefix(closed) { template += "{{/\(name)}}" }
                try template.write(toFile: path, atomically: false, encoding: .utf8)
                _ = try ExplanationLibrary.template(path)
            case 2:
                path = dir.appendingPathComponent("n.md").path
                let unit = StructureFuzz.pick(["[", "> ", "[x", "!["], &rng)
                let prose = String(repeating: unit, count: depth) + "text" + String(repeating: unit == "> " ? "" : "](u)", count: closed)
                try "# N\n\n\(prose)\n\n```trustgap\n```\n".write(toFile: path, atomically: false, encoding: .utf8)
                let notebook = try Notebook(path: path)
                _ = notebook.html([], title: "n")
            default:
                path = dir.appendingPathComponent("q.yaml").path
                let width = 1 + Int(rng.nextUniform() * 12)
                var yaml = ["a0: &a0 \"\(String(repeating: "x", count: 1 + Int(rng.nextUniform() * 4096)))\""]
                for d in 1...max(1, min(depth, 40)) {
                    yaml.append("a\(d): &a\(d) [" + Array(repeating: "*a\(d - 1)", count: width).joined(separator: ", ") + "]")
                }
                yaml += ["id: q", "title: t", "sections: [{id: s, title: s, questions: [{id: Q1, text: *a0, type: open}]}]"]
                _ = try QuestionnaireLoader.parse(yaml.joined(separator: "\n") + "\n", path: path)
            }
            accepted += 1
        } catch {
            refused += 1
            #expect(Fuzz.worded(error), "case \(k % 4), depth \(depth): \(error)")
        }
    }
    print("fuzzNestingDepth: \(Fuzz.iterations) inputs, \(accepted) accepted, \(refused) refused with a worded error")
}
