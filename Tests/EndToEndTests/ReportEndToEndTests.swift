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
    let r = try Binary.run(["-e", "load survey \(dir.path)/s.csv --questionnaire \(dir.path)/q.yaml --group G",
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
    let r = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "codebook load questionnaires/tehai-frame.yaml",
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
    let r = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "report survey --out \(plain)", "-e", "report survey --out \(hidden) --suppress --k 3"])
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
    let bad = try Binary.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "report survey --out \(plain) --k 1"])
    #expect(bad.status == 1 && bad.err.contains("--k takes a whole number of at least 2"))
}
