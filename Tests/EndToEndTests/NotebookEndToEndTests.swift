import Foundation
import Testing

private let notebooks = ["01-mind-the-gap", "02-thematic-analysis", "03-auditing-a-record", "04-one-case-four-audiences"]

@Test(arguments: notebooks)
func trainingNotebookExecutes(_ name: String) throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString)/\(name).html").path
    let r = try Binary.run(["notebook", "render", "notebooks/\(name).md", "--out", out])
    #expect(r.status == 0, "\(r.err)")
    let html = try String(contentsOfFile: out, encoding: .utf8)
    #expect(html.contains("<pre class=\"output\">") && !html.contains("error: "), "a block failed in \(name)")
}

@Test func notebookErrorsNameTheLineAndKeepGoingContinues() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let nb = dir.appendingPathComponent("bad.md").path
    try "# Bad\n\ntext\n\n```trustgap\nload survey data/ai4hi/responses.csv\nchisq Q99\ngroups\n```\n\nmore text\n"
        .write(toFile: nb, atomically: true, encoding: .utf8)
    let stop = try Binary.run(["notebook", "render", nb, "--out", "\(dir.path)/bad.html"])
    #expect(stop.status == 1 && stop.err.contains("bad.md:7: no question Q99"), "\(stop.err)")
    let go = try Binary.run(["notebook", "render", nb, "--out", "\(dir.path)/bad.ipynb", "--keep-going"])
    #expect(go.status == 0 && go.out.contains("1 with errors"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir.path)/bad.ipynb"))) as? [String: Any]
    #expect(json?["nbformat"] as? Int == 4)
    let cells = json?["cells"] as? [[String: Any]] ?? []
    #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "code", "markdown"])
    let outputs = (cells[1]["outputs"] as? [[String: Any]])?.first?["text"] as? [String] ?? []
    #expect(outputs.joined().contains("error: no question Q99") && outputs.joined().contains("Groups by group"))
    let md = try Binary.run(["notebook", "render", "notebooks/03-auditing-a-record.md", "--out", "\(dir.path)/audit.md"])
    #expect(md.status == 0)
    #expect(try String(contentsOfFile: "\(dir.path)/audit.md", encoding: .utf8).contains("```text\ntrustgap> load records data/validation"))
}
