import Foundation
import Testing

/// The binary run on one input with a time limit, as measure.py reports it: exit status ("timeout" when killed),
/// peak resident memory, wall and CPU time, and output and errors together.
enum Measured {
    struct Run {
        let status: String
        let peakMB: Double
        let seconds: Double
        let cpuSeconds: Double
        let output: String
    }

    static func run(_ args: [String], limit: Double = 30) throws -> Run {
        let r = try Binary.tool(["python3", "Tests/EndToEndTests/measure.py", String(limit), Binary.path] + args)
        let first = r.output.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        var fields: [String: String] = [:]
        for f in first.split(separator: " ") {
            let kv = f.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { fields[String(kv[0])] = String(kv[1]) }
        }
        return Run(status: fields["status"] ?? "?", peakMB: (fields["peak_kb"].flatMap(Double.init) ?? .infinity) / 1024,
                   seconds: fields["wall_s"].flatMap(Double.init) ?? .infinity, cpuSeconds: fields["cpu_s"].flatMap(Double.init) ?? .infinity, output: String(r.output.dropFirst(first.count)))
    }
}

/// What every reproducer must keep to: an `error:` within 5 s of CPU time and 1 GB (the debug build; the tests run
/// side by side on two cores shared with other builds, so the wall time is only checked against the run's limit).
private func expectRefused(_ run: Measured.Run, _ text: String, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(run.status == "1", "\(what): status \(run.status): \(run.output.prefix(400))", sourceLocation: sourceLocation)
    #expect(run.output.contains("error: ") && run.output.contains(text), "\(what): \(run.output.prefix(600))", sourceLocation: sourceLocation)
    #expect(run.cpuSeconds < 5, "\(what) took \(run.cpuSeconds) s of CPU (\(run.seconds) s wall)", sourceLocation: sourceLocation)
    #expect(run.peakMB < 1024, "\(what) peaked at \(run.peakMB) MB", sourceLocation: sourceLocation)
}

private func hostileDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-work-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

private func python(_ script: String, _ args: [String]) throws {
    let made = try Binary.tool(["python3", "-c", script] + args)
    #expect(made.status == 0, "\(made.output)")
}

/// A 42-byte archive: a ZIP64 locator and an end record that asks for it. `size - 56` once wrapped around and
/// crashed (ZipReader.swift:58).
@Test func aTinyZip64LocatorIsAnError() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    var bytes: [UInt8] = [0x50, 0x4B, 0x06, 0x07] + [UInt8](repeating: 0, count: 16)   // locator, record at offset 0
    bytes += [0x50, 0x4B, 0x05, 0x06] + [0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF] + [UInt8](repeating: 0xFF, count: 8) + [0, 0]
    #expect(bytes.count == 42)
    let path = dir.appendingPathComponent("tiny.qdpx").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let r = try Measured.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "import project \(path)"])
    expectRefused(r, "tiny.qdpx: not a readable zip (.qdpx) file: the ZIP64 end record lies outside the file", "42-byte ZIP64")
}

/// An SPSS multiple-response set that lists a variable twice, at the end and in the middle (a SIGILL at
/// StatFiles.swift:185, or another variable silently dropped): an error naming the byte of the repeated name.
@Test func anMRSetListingAVariableTwiceIsAnError() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try python("""
        import sys, subprocess
        out = sys.argv[1]
        syntax = "DATA LIST LIST /id grp va vb vc.\\nBEGIN DATA.\\n1 1 1 0 1\\n2 2 0 1 1\\nEND DATA.\\n"
        syntax += "MRSETS /MDGROUP NAME=$abc LABEL='Three' VARIABLES=va vb vc VALUE=1.\\n"
        open(out + "/m.sps", "w").write(syntax + f"SAVE OUTFILE='{out}/m.sav'.\\n")
        subprocess.run(["pspp", out + "/m.sps"], check=True, capture_output=True)
        data = open(out + "/m.sav", "rb").read()
        assert data.count(b"va vb vc") == 1
        open(out + "/end.sav", "wb").write(data.replace(b"va vb vc", b"va vb va"))
        open(out + "/middle.sav", "wb").write(data.replace(b"va vb vc", b"va va vc"))
        """, [dir.path])
    for name in ["end", "middle"] {
        let r = try Measured.run(["-e", "load survey \(dir.path)/\(name).sav"])
        expectRefused(r, "\(name).sav", name)
        #expect(r.output.contains("multiple-response sets: set $abc lists variable va twice") && r.output.contains("SPSS dictionary at byte"), "\(r.output)")
    }
}

/// ReadStat's output has a budget on cases × variables: a file that declares 20 million cases is refused before a
/// value is read (a 535 KB .zsav once aborted at 4.7 GB), one that does not say is stopped when its values pass the
/// budget, and --max-cells raises it.
@Test func statFilesHaveACellBudget() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try python("""
        import sys, struct, subprocess
        out = sys.argv[1]
        syntax = ["INPUT PROGRAM.", "LOOP #i = 1 TO 2100000.", "COMPUTE a = MOD(#i, 3).", "COMPUTE b = MOD(#i, 5).",
                  "COMPUTE c = 1.", "COMPUTE d = 2.", "COMPUTE e = 3.", "END CASE.", "END LOOP.", "END FILE.", "END INPUT PROGRAM.",
                  f"SAVE OUTFILE='{out}/big.zsav' /ZCOMPRESSED.",
                  "SELECT IF (a = 0 AND b = 0 AND c = 1).", "EXECUTE.", "N OF CASES 4.", f"SAVE OUTFILE='{out}/small.sav'."]
        open(out + "/b.sps", "w").write("\\n".join(syntax) + "\\n")
        subprocess.run(["pspp", out + "/b.sps"], check=True, capture_output=True)
        small = bytearray(open(out + "/small.sav", "rb").read())
        struct.pack_into("<i", small, 80, 20_000_000)      # the header's case count
        open(out + "/declares.sav", "wb").write(small)
        big = bytearray(open(out + "/big.zsav", "rb").read())
        struct.pack_into("<i", big, 80, -1)                # "unknown": the values are counted as they come
        open(out + "/undeclared.zsav", "wb").write(big)
        """, [dir.path])
    let declares = try Measured.run(["-e", "load survey \(dir.path)/declares.sav"])
    expectRefused(declares, "the file declares 20000000 cases × 5 variables, over the budget of 10000000 cells", "declared 20M cases")
    #expect(declares.output.contains("load survey … --max-cells N"))
    for file in ["big.zsav", "undeclared.zsav"] {
        let r = try Measured.run(["-e", "load survey \(dir.path)/\(file)"], limit: 60)
        expectRefused(r, "over the budget of 10000000 cells", file)
    }
    let small = try InProcess.run(["-e", "load survey \(dir.path)/small.sav --max-cells 10"])
    #expect(small.status == 1 && small.err.contains("over the budget of 10 cells"), "\(small.err)")
    #expect(try InProcess.run(["-e", "load survey \(dir.path)/small.sav"]).status == 0)
}

/// REFI-QDA imports are bounded by their work, not only their bytes: 1.1 million elements in a stored (uncompressed)
/// project.qde, text beyond the characters budget, and 2,000 sources naming one 1 MiB entry, each an error naming
/// the budget and its option, within 5 s and 1 GB.
@Test func refiImportsHaveWorkBudgets() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    try python("""
        import sys, zipfile, random
        out = sys.argv[1]
        head = "<?xml version='1.0' encoding='utf-8'?>\\n<Project xmlns='urn:QDA-XML:project:1.0' name='x'>"
        with zipfile.ZipFile(out + "/nodes.qdpx", "w", zipfile.ZIP_STORED) as z:
            z.writestr("project.qde", head + "<a/>" * 1_100_000 + "</Project>\\n")
        random.seed(3)
        text = "".join(random.choice("abcdefghijklmnop \\n") for _ in range(1 << 20))
        sources = "".join(f"<TextSource guid='{k:08d}-0000-4000-8000-000000000000' name='S{k}' plainTextPath='internal://one.txt'/>" for k in range(2000))
        with zipfile.ZipFile(out + "/sources.qdpx", "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("project.qde", head + "<Sources>" + sources + "</Sources></Project>\\n")
            z.writestr("sources/one.txt", text)
        """, [dir.path])
    let load = ["-e", "load survey data/ai4hi/responses.csv"]
    let nodes = try Measured.run(load + ["-e", "import project \(dir.path)/nodes.qdpx"])
    expectRefused(nodes, "nodes.qdpx!project.qde:2:", "1.1M elements")
    #expect(nodes.output.contains("more than 1000000 elements, the import's budget (import project … --max-nodes N"), "\(nodes.output.prefix(400))")
    let sources = try Measured.run(load + ["-e", "import project \(dir.path)/sources.qdpx"])
    expectRefused(sources, "bytes of text compared with the answers, the import's budget (import project … --max-nodes N or --max-characters N", "2,000 sources of 1 MiB")
    let entries = try Measured.run(load + ["-e", "import project \(dir.path)/sources.qdpx --max-characters 2000000000 --max-entry-mb 16"])
    expectRefused(entries, "unpack to more than 16 MB in all, the budget per archive (import project … --max-entry-mb N", "2,000 reads of one entry")
}

/// Sections nested 3,000 deep in a `--library` template (a stack overflow in swift-mustache): an error at the first
/// section past the bound, with its line and column.
@Test func deepTemplateSectionsAreAnError() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let lib = dir.appendingPathComponent("lib")
    for sub in ["profiles", "templates"] {
        try FileManager.default.createDirectory(at: lib.appendingPathComponent(sub), withIntermediateDirectories: true)
        for file in try FileManager.default.contentsOfDirectory(atPath: "explanations/\(sub)") {
            try FileManager.default.copyItem(atPath: "explanations/\(sub)/\(file)", toPath: lib.appendingPathComponent("\(sub)/\(file)").path)
        }
    }
    let template = lib.appendingPathComponent("templates/developer.mustache").path
    try ("intro\n" + String(repeating: "{{#a}}", count: 3_000) + "x" + String(repeating: "{{/a}}", count: 3_000) + "\n")
        .write(toFile: template, atomically: true, encoding: .utf8)
    let r = try Measured.run(["-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --for developer --library \(lib.path)"])
    expectRefused(r, "developer.mustache:2:601: sections nested more than 100 deep", "3,000 nested sections")
}

/// Nested brackets in a notebook's prose (56 bytes of them hung Ink's link parser; 10,000 overflowed the stack) and
/// deep quotes: an error naming the notebook, line and column, before Ink sees them.
@Test func deepProseNestingIsAnError() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, prose, place) in [("short", String(repeating: "[", count: 56), "short.md:3: column 5: brackets ([)"),
                                 ("deep", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), "deep.md:3: column 5: brackets ([)"),
                                 ("quotes", String(repeating: ">", count: 10_000) + " x", "quotes.md:3: column 5: quotes (>)")] {
        let nb = dir.appendingPathComponent("\(name).md").path
        try "# Nested\n\n\(prose)\n".write(toFile: nb, atomically: true, encoding: .utf8)
        let r = try Measured.run(["notebook", "render", nb, "--out", dir.appendingPathComponent("\(name).html").path])
        expectRefused(r, place, name)
        #expect(r.output.contains("nested more than 4 deep in the prose"), "\(r.output)")
    }
    // Brackets as prose uses them render as they did.
    let fine = dir.appendingPathComponent("fine.md").path
    try "# Fine\n\nSee [the [nested] link](https://example.org) and [[wiki]].\n".write(toFile: fine, atomically: true, encoding: .utf8)
    let ok = try InProcess.run(["notebook", "render", fine, "--out", dir.appendingPathComponent("fine.html").path])
    #expect(ok.status == 0, "\(ok.err)")
}

/// The 64 KB workspace whose `coding` table has a generated column of 400 MB per row (5.5 GB and a crash) is
/// refused within 5 s and 1 GB by the binary.
@Test func aGeneratedColumnWorkspaceIsRefusedCheaply() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let ws = dir.appendingPathComponent("w.tgw").path
    #expect(try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
                               "-e", "code R002 Q35 utility.safety", "-e", "save \(ws)"]).status == 0)
    try python("""
        import sqlite3, sys
        db = sqlite3.connect(sys.argv[1])
        db.execute("ALTER TABLE coding ADD COLUMN big BLOB GENERATED ALWAYS AS (zeroblob(400000000)) VIRTUAL")
        db.commit()
        """, [ws])
    let r = try Measured.run(["-e", "open \(ws)"])
    expectRefused(r, "table coding, column big: an extra column, which trustgap never writes", "generated column")
}

/// Ctrl-C at the prompt during each slow reading path (ReadStat's values, the XML tree of a project, a codebook of
/// repeated names) brings the prompt back within 0.5 s, and the next command runs (pty_interrupt.py, on a terminal).
@Test func ctrlCStopsEachSlowReadingPath() throws {
    let dir = try hostileDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try Binary.tool(["python3", "Tests/EndToEndTests/pty_interrupt.py", Binary.path, dir.path])
    #expect(r.status == 0, "\(r.output)")
    #expect(r.output.contains("Ctrl-C checks passed"), "\(r.output)")
}
