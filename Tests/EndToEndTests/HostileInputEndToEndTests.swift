import Foundation
import Testing

private func temp(_ name: String, _ bytes: [UInt8]) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let path = dir.appendingPathComponent(name).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
}

/// Escape sequences in answers (set the terminal title, clear the screen) and in error messages are shown as
/// visible text, never sent to the terminal.
@Test func escapeSequencesInDataAreShownVisibly() throws {
    let csv = Array("respondent,role,answer\nR1,a,\"x\u{1B}]0;pwned\u{07}y\"\nR2,b,\"c\u{1B}[2Jd\"\nR3,a,plain\n".utf8)
    let path = try temp("esc.csv", csv)
    let r = try InProcess.run(["-e", "load survey \(path)", "-e", "crosstab answer by role", "-e", "show answer \u{1B}[2J"])
    #expect(!r.out.utf8.contains(0x1B) && !r.err.utf8.contains(0x1B) && !r.out.utf8.contains(0x07), "raw control bytes reached the terminal")
    // (The ";" makes the inferred question multi-answer, so the first answer is split in two.)
    #expect(r.out.contains("x\\x1b]0") && r.out.contains("pwned\\x07y") && r.out.contains("c\\x1b[2Jd"))
    #expect(r.err.contains("\\x1b[2J"))
}

/// CSV and Markdown at the terminal show control, bidi and zero-width characters as escapes, as text does (with
/// --format csv an answer once changed the window title, and a right-to-left override reversed what followed).
@Test func everyTerminalFormatEscapesInvisibleCharacters() throws {
    let path = try temp("bidi.csv", Array("id,role,a\nR1,x,\"\u{202E}evil\u{1B}]0;t\u{07}\u{200B}\"\nR2,y,b\n".utf8))
    for format in ["csv", "markdown", "text"] {
        let r = try InProcess.run(["--format", format, "-e", "load survey \(path)", "-e", "crosstab a by role"])
        let raw = r.out.unicodeScalars.filter { $0.value == 0x1B || $0.value == 0x07 || $0 == "\u{202E}" || $0 == "\u{200B}" }
        #expect(raw.isEmpty, "\(format): \(raw.map { String($0.value, radix: 16) })")
        #expect(r.out.contains("\\u{202e}evil\\x1b]0"), "\(format): \(r.out)")
    }
}

/// CSV output neutralises cells that a spreadsheet would run as formulas (OWASP), keeps plain negative numbers, and
/// keeps everything as it is with --csv-keep-formulas.
@Test func csvOutputNeutralisesFormulas() throws {
    let csv = Array("respondent,role,answer\nR1,a,\"=HYPERLINK(\"\"http://x\"\")\"\nR2,b,@SUM(A1)\nR3,a,plain\nR4,b,plain\n".utf8)
    let path = try temp("formula.csv", csv)
    let safe = try InProcess.run(["--format", "csv", "-e", "load survey \(path)", "-e", "crosstab answer by role"])
    #expect(safe.out.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "\(safe.out)")
    #expect(safe.out.contains("'@SUM(A1)"))
    let kept = try InProcess.run(["--format", "csv", "--csv-keep-formulas", "-e", "load survey \(path)", "-e", "crosstab answer by role"])
    #expect(kept.out.contains("\"=HYPERLINK(\"\"http://x\"\")\"") && !kept.out.contains("'@SUM"))
}

/// A CSV of 100,000 columns loads (it never finished while every column was looked up in a list of questions), and
/// a 1 MB unknown word gets an error without a "did you mean" matrix of a trillion cells.
@Test func wideFilesAndLongWordsStayCheap() throws {
    var text = "id," + (0..<100_000).map { "c\($0)" }.joined(separator: ",") + "\n"
    for r in 0..<3 { text += "R\(r)," + (0..<100_000).map { ($0 + r) % 2 == 0 ? "a" : "b" }.joined(separator: ",") + "\n" }
    let path = try temp("wide.csv", Array(text.utf8))
    let long = String(repeating: "q", count: 1_000_000)
    let r = try InProcess.run([], stdin: "load survey \(path)\nshow \(long)\n")
    #expect(r.out.contains("100000 questions"), "\(r.out.prefix(300))")  // the id column is the id, not a question
    #expect(r.err.hasPrefix("error: no question"), "\(r.err.prefix(200))")
}

/// Files that are not text, or one endless line: an error that names the line and the budget, never unbounded
/// memory (`load survey /dev/zero` once grew until it aborted).
@Test func binaryAndEndlessFilesStopAtOnce() throws {
    let zero = try InProcess.run(["-e", "load survey /dev/zero"])
    #expect(zero.status == 1 && zero.err.contains("/dev/zero:1: a NUL byte at byte 1 of the line"), "\(zero.err)")
    let nul = try temp("nul.csv", Array("id,a\nR1,x\nR2,y".utf8) + [0] + Array("z\n".utf8))
    #expect(try InProcess.run(["-e", "load survey \(nul)"]).err.contains("nul.csv:3: a NUL byte at byte 5 of the line"))
    let long = try temp("long.csv", Array(("id,a\nR1," + String(repeating: "x", count: 3_000_000) + "\n").utf8))
    let refused = try InProcess.run(["-e", "load survey \(long) --max-record-mb 1"])
    #expect(refused.err.contains("long.csv:2: a record longer than 1 MB, the reader's budget") && refused.err.contains("--max-record-mb"))
    #expect(try InProcess.run(["-e", "load survey \(long) --max-record-mb 8"]).status == 0)
}

/// Inputs that crashed trustgap now give an `error:` with the place: a record count of 1.2e29, an invalid UTF-8 byte
/// in an XML element name, 10,000 nested codes.
@Test func formerCrashesGiveErrors() throws {
    let record = try temp("huge-n.json", Array(#"""
    {"schema": "trustgap.validation-record/1", "id": "x", "model": {"name": "m", "task": "classification"},
     "data": {"test_sets": [{"id": "t", "kind": "internal", "n": 1.2e29}]}}
    """#.utf8))
    let r = try InProcess.run(["-e", "load records \(record)"])
    #expect(r.status == 1 && r.err.contains("data.test_sets[0].n: expected a whole number from 0 to 10^12"), "\(r.err)")

    let header = Array(#"<?xml version="1.0" encoding="utf-8"?>"#.utf8) + [0x0A]
    let badName = try temp("bad.qdc", header + Array("<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes><Co".utf8) + [0xC3, 0x28]
                        + Array("de guid=\"x\" name=\"a\" isCodable=\"true\"/></Codes></CodeBook>\n".utf8))
    let x = try InProcess.run(["-e", "codebook import \(badName)"])
    #expect(x.status == 1 && x.err.contains("bad.qdc:2:") && x.err.contains("invalid UTF-8"), "\(x.err)")

    var nested = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\"><Codes>"
    for k in 0..<10_000 { nested += "<Code guid=\"00000000-0000-4000-8000-\(String(format: "%012d", k))\" name=\"c\(k)\" isCodable=\"true\">" }
    nested += String(repeating: "</Code>", count: 10_000) + "</Codes></CodeBook>\n"
    let deep = try temp("deep.qdc", Array(nested.utf8))
    let d = try InProcess.run(["-e", "codebook import \(deep)"])
    #expect(d.status == 1 && d.err.contains("elements nested more than 1000 deep"), "\(d.err.prefix(300))")
}

/// An archive bomb: a .qdpx whose project.qde unpacks from about 100 KB to 100 MB is refused before it is unpacked.
@Test func archiveBombsAreRefused() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-bomb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let bomb = dir.appendingPathComponent("bomb.qdpx").path
    let made = try Binary.tool(["python3", "-c", """
        import zipfile, sys
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("project.qde", "<?xml version='1.0'?><Project>" + " " * 100_000_000 + "</Project>")
        """, bomb])
    #expect(made.status == 0, "\(made.output)")
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "import project \(bomb)"])
    #expect(r.status == 1 && r.err.contains("bomb.qdpx!project.qde") && r.err.contains("more than 200:1"), "\(r.err)")
}

/// Names and links from data stay data: a record's predictions_csv cannot leave the record's folder, a code colour
/// cannot carry XML, Markdown output escapes HTML, and a column named ../../x cannot place a report figure outside
/// the report's folder.
@Test func namesFromDataStayInTheirPlace() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-names-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("out"), withIntermediateDirectories: true)
    try #"{"schema": "trustgap.validation-record/1", "id": "x", "model": {"name": "m", "task": "classification"}, "predictions_csv": "../../etc/passwd"}"#
        .write(to: dir.appendingPathComponent("r.json"), atomically: true, encoding: .utf8)
    let rec = try InProcess.run(["-e", "load records \(dir.appendingPathComponent("r.json").path)"])
    #expect(rec.status == 1 && rec.err.contains("predictions_csv: \"../../etc/passwd\" is outside the record's folder"), "\(rec.err)")

    let colour = try InProcess.run(["-e", ##"codebook add x --colour "#fff\" onload=\"alert(1)""##])
    #expect(colour.status == 1 && colour.err.contains("is not #RRGGBB"), "\(colour.err)")

    var csv = "respondent,role,<script>alert(1)</script>,../../escaped\n"
    // Both questions differ sharply between the groups, so the report shows them with their figures.
    for k in 0..<30 { csv += "R\(k),\(k % 2 == 0 ? "a" : "b"),\(k % 2 == 0 || k % 7 == 0 ? "yes" : "no"),\(k % 2 == 0 ? "x" : "y")\n" }
    let survey = dir.appendingPathComponent("s.csv").path
    try csv.write(toFile: survey, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out/report.md").path
    let r = try InProcess.run(["-e", "load survey \(survey) --group role", "-e", "report survey --out \(out)"])
    #expect(r.status == 0, "\(r.err)")
    let md = try String(contentsOfFile: out, encoding: .utf8)
    #expect(!md.contains("<script>") && md.contains("&lt;script&gt;"))
    let outside = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".svg") }
    #expect(outside.isEmpty, "a figure was written outside the report's folder: \(outside)")
}

/// Semicolon- and tab-separated files (what Excel writes in many European locales) load with their delimiter found
/// from the first lines, and give the counts Python's csv module reads from the same file; a file that fits two
/// delimiters equally well asks which one.
@Test func delimitersAreFoundFromTheFile() throws {
    let semi = "\u{FEFF}respondent;role;answer;note\r\n" + (0..<40).map { k in
        "R\(k);\(k % 3 == 0 ? "clinical" : "technical");\(k % 4 == 0 ? "yes" : "no");\"said: \"\"a; b\"\"\r\nand more\"\r\n"
    }.joined()
    let tab = "respondent\trole\tanswer\n" + (0..<25).map { "R\($0)\t\($0 % 2 == 0 ? "a" : "b")\t\($0 % 5 == 0 ? "yes" : "no")\n" }.joined()
    for (name, text, delimiter) in [("semi.csv", semi, ";"), ("tab.tsv", tab, "\t")] {
        let path = try temp(name, Array(text.utf8))
        let r = try InProcess.run(["--format", "json", "-e", "load survey \(path) --group role", "-e", "crosstab answer"])
        #expect(r.status == 0, "\(name): \(r.err)")
        let docs = try jsonDocuments(r.out)
        let reference = try Binary.tool(["python3", "-c", """
            import csv, sys, collections
            rows = list(csv.DictReader(open(sys.argv[1], newline='', encoding='utf-8-sig'), delimiter=sys.argv[2]))
            c = collections.Counter((r['role'], r['answer']) for r in rows)
            print(len(rows), c[(rows[0]['role'], 'yes')])
            """, path, delimiter])
        let expected = reference.output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(docs.first?["respondents"] as? Int == expected.first, "\(name): \(r.out.prefix(300))")
    }
    let ambiguous = try temp("amb.csv", Array("a,b;c\n1,2;3\n1;2,3\n".utf8))
    let a = try InProcess.run(["-e", "load survey \(ambiguous)"])
    #expect(a.status == 1 && a.err.contains("fit \",\" and \";\" equally well") && a.err.contains("--delimiter"), "\(a.err)")
    #expect(try InProcess.run(["-e", "load survey \(ambiguous) --delimiter ';'"]).status == 0)
}

/// Encodings: UTF-16 with its BOM is read as it is; Windows-1252 with --encoding; without it, the error names the
/// line and the option. Counts and text are checked against Python decoding the same bytes.
@Test func encodingsAreReadOrNamed() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-enc-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let w1252 = dir.appendingPathComponent("excel.csv").path, u16 = dir.appendingPathComponent("unicode.txt").path
    let made = try Binary.tool(["python3", "-c", """
        import sys, csv, io
        rows = [("respondent", "role", "answer")] + [(f"R{i}", "ab"[i % 2], ["café", "naïve", "€ 5", "Müller"][i % 4]) for i in range(30)]
        open(sys.argv[1], "wb").write("\\r\\n".join(";".join(r) for r in rows).encode("cp1252") + b"\\r\\n")
        open(sys.argv[2], "wb").write("\\n".join("\\t".join(r) for r in rows).encode("utf-16"))
        back = list(csv.reader(io.StringIO(open(sys.argv[1], encoding="cp1252").read()), delimiter=";"))[1:]
        print(len(back), sum(r[2] == "€ 5" for r in back))
        """, w1252, u16])
    #expect(made.status == 0, "\(made.output)")
    let expected = made.output.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    let refused = try InProcess.run(["-e", "load survey \(w1252)"])
    #expect(refused.status == 1 && refused.err.contains("\(w1252):2: invalid UTF-8") && refused.err.contains("--encoding windows-1252"), "\(refused.err)")
    for (path, extra) in [(w1252, " --encoding windows-1252"), (u16, "")] {
        let r = try InProcess.run(["--format", "json", "-e", "load survey \(path)\(extra) --group role", "-e", "crosstab answer"])
        #expect(r.status == 0, "\(path): \(r.err)")
        let results = try jsonDocuments(r.out)
        #expect(results.first?["respondents"] as? Int == expected.first && results.first?["path"] as? String == path)
        let x = results.last ?? [:]
        let columns = x["columns"] as? [String] ?? []
        let euro = columns.firstIndex(of: "€ 5").map { j in (x["counts"] as? [[Int]] ?? []).reduce(0) { $0 + $1[j] } }
        #expect(euro == expected.last, "\(columns)")
    }
}

/// A YAML alias bomb (ten aliases of ten aliases, eleven deep: 10^12 nodes if expanded) as a questionnaire's
/// sections and as a profile's lists, and a 1 MB label named by 1,000 aliases (1 GB of text once printed), are an
/// error naming the budget on the text after aliases, measured without expanding anything.
@Test func yamlAliasBombIsNeverExpanded() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-yaml-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("lib/profiles"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("lib/templates"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var bomb = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for k in 1...11 { bomb.append("a\(k): &a\(k) [" + Array(repeating: "*a\(k - 1)", count: 10).joined(separator: ", ") + "]") }
    let q = dir.appendingPathComponent("bomb.yaml").path
    try (bomb + ["id: q", "sections: *a11"]).joined(separator: "\n").write(toFile: q, atomically: true, encoding: .utf8)
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv --questionnaire \(q)"])
    #expect(r.status == 1 && r.err.contains("bomb.yaml:") && r.err.contains("more than 16 MB of text with its aliases expanded"), "\(r.err)")
    let label = dir.appendingPathComponent("label.yaml").path
    let questions = (0..<1_000).map { "      - {id: Q\($0), text: *big, type: open}" }.joined(separator: "\n")
    try "big: &big \(String(repeating: "x", count: 1 << 20))\nid: q\ntitle: t\nsections:\n  - id: s\n    title: s\n    questions:\n\(questions)\n"
        .write(toFile: label, atomically: true, encoding: .utf8)
    let started = Date()
    let l = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv --questionnaire \(label)", "-e", "questions"])
    #expect(l.status == 1 && l.err.contains("label.yaml:") && l.err.contains("more than 16 MB of text with its aliases expanded"), "\(l.err.prefix(300))")
    #expect(l.out.utf8.count < 1 << 20 && Date().timeIntervalSince(started) < 5)
    for a in ["developer", "clinician", "patient", "regulator"] {
        try FileManager.default.copyItem(atPath: "explanations/templates/\(a).mustache", toPath: dir.appendingPathComponent("lib/templates/\(a).mustache").path)
        try FileManager.default.copyItem(atPath: "explanations/profiles/\(a).yaml", toPath: dir.appendingPathComponent("lib/profiles/\(a).yaml").path)
    }
    try (bomb + ["audience: developer", "sections: *a11", "forbidden: *a11"]).joined(separator: "\n")
        .write(toFile: dir.appendingPathComponent("lib/profiles/developer.yaml").path, atomically: true, encoding: .utf8)
    let e = try InProcess.run(["-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --for developer --library \(dir.path)/lib"])
    #expect(e.status == 1 && e.err.contains("developer.yaml:") && e.err.contains("more than 16 MB of text with its aliases expanded"), "\(e.err)")
}
