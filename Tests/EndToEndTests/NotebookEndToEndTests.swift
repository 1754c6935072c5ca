import Foundation
import Testing

private let notebooks = ["01-mind-the-gap", "02-thematic-analysis", "03-auditing-a-record", "04-one-case-four-audiences"]

@Test(arguments: notebooks)
func trainingNotebookExecutes(_ name: String) throws {
    let out = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString)/\(name).html").path
    // The training notebooks read data/ beside their folder: allowed explicitly.
    let r = try InProcess.run(["notebook", "render", "notebooks/\(name).md", "--out", out, "--allow-paths", "."])
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
    let stop = try InProcess.run(["notebook", "render", nb, "--out", "\(dir.path)/bad.html", "--allow-paths", "."])
    #expect(stop.status == 1 && stop.err.contains("bad.md:7: no question Q99"), "\(stop.err)")
    let go = try InProcess.run(["notebook", "render", nb, "--out", "\(dir.path)/bad.ipynb", "--keep-going", "--allow-paths", "."])
    #expect(go.status == 0 && go.out.contains("1 with errors"))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir.path)/bad.ipynb"))) as? [String: Any]
    #expect(json?["nbformat"] as? Int == 4)
    let cells = json?["cells"] as? [[String: Any]] ?? []
    #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "code", "markdown"])
    // The kernel's outputs: each command's document as HTML and text, the failing one as a Jupyter error with
    // trustgap's code, and the commands after it (--keep-going).
    let outputs = cells[1]["outputs"] as? [[String: Any]] ?? []
    #expect(outputs.map { $0["output_type"] as? String } == ["display_data", "error", "display_data"])
    #expect(outputs[1]["ename"] as? String == "survey.unknown_question" && (outputs[1]["evalue"] as? String)?.hasPrefix("no question Q99") == true)
    let groups = (outputs[2]["data"] as? [String: Any])?["text/html"] as? [String] ?? []
    #expect(groups.joined().contains("<table>") && groups.joined().contains("<h3>Groups</h3>"), "\(groups)")
    let md = try InProcess.run(["notebook", "render", "notebooks/03-auditing-a-record.md", "--out", "\(dir.path)/audit.md", "--allow-paths", "."])
    #expect(md.status == 0)
    #expect(try String(contentsOfFile: "\(dir.path)/audit.md", encoding: .utf8).contains("```text\ntrustgap> load records data/validation"))
}

/// A notebook from someone else: raw HTML and javascript: links in its prose are shown as text or dropped, its
/// blocks cannot name files outside its folder, a file that trustgap did not draw is not inlined as a figure, and
/// its commands go to the analysis log.
@Test func hostileNotebooksAreContained() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let evil = dir.appendingPathComponent("evil.md").path
    try """
    # Evil

    Links: [click](javascript:alert(3)) and [fine](https://example.org).

    <script>alert(1)</script> <img src=x onerror="alert(2)">

    An unfinished tag at the end, which made Ink 0.6.0 loop for ever: x <p

    ```trustgap
    load survey /etc/passwd
    ```
    """.write(toFile: evil, atomically: true, encoding: .utf8)
    let r = try InProcess.run(["notebook", "render", evil, "--out", dir.appendingPathComponent("evil.html").path, "--keep-going"])
    #expect(r.status == 0, "\(r.err)")
    let html = try String(contentsOfFile: dir.appendingPathComponent("evil.html").path, encoding: .utf8)
    #expect(!html.contains("<script>alert") && html.contains("&lt;script&gt;") && html.contains("x &lt;p"))
    #expect(!html.contains("onerror") || html.contains("&lt;img"))
    #expect(!html.contains("javascript:alert(3)\"") && html.contains("href=\"https://example.org\""))
    #expect(html.contains("/etc/passwd is outside the notebook&#39;s folder") || html.contains("/etc/passwd is outside the notebook's folder"), "\(html)")

    // An exported CSV named .svg is not inlined; a figure trustgap drew is.
    let figures = dir.appendingPathComponent("figures.md").path
    try """
    # Figures

    ```trustgap
    load survey data.csv --group role
    log export trap.svg
    plot answer --out drawn.svg
    ```
    """.write(toFile: figures, atomically: true, encoding: .utf8)
    var csv = "respondent,role,answer\n"
    for k in 0..<20 { csv += "R\(k),\(k % 2 == 0 ? "a" : "b"),\(k % 3 == 0 ? "yes" : "no")\n" }
    try csv.write(toFile: dir.appendingPathComponent("data.csv").path, atomically: true, encoding: .utf8)
    let f = Process()
    f.executableURL = URL(fileURLWithPath: Binary.path)
    f.arguments = ["notebook", "render", "figures.md", "--out", "figures.html"]
    f.currentDirectoryURL = dir
    try f.run()
    f.waitUntilExit()
    #expect(f.terminationStatus == 0)
    let page = try String(contentsOfFile: dir.appendingPathComponent("figures.html").path, encoding: .utf8)
    #expect(page.components(separatedBy: "<figure>").count == 2, "exactly the drawn figure is inlined")
}

/// The training notebooks as Jupyter notebooks for the trustgap kernel (kernel/trustgap_kernel), installed with
/// `jupyter kernelspec install` into a folder of the test's own: rendered into one folder (which gets the files they
/// read), executed twice by nbconvert (the figures survive), then once from a copy in another folder, and a kernel
/// driven by hand for Tab, errors, the sandbox and an interrupt (`jupyter_kernel.py` says what each step checks).
@Test func notebooksRunOnTheTrustgapKernel() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbj-\(UUID().uuidString)")
    let folder = dir.appendingPathComponent("handout").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for name in notebooks {
        let r = try InProcess.run(["notebook", "render", "notebooks/\(name).md", "--to", "ipynb", "--out", "\(folder)/\(name).ipynb", "--allow-paths", "."])
        #expect(r.status == 0, "\(name): \(r.err)")
    }
    // What the notebooks read came with them, at the paths the cells name.
    for file in ["data/ai4hi/responses.csv", "data/ai4hi/codings.csv", "questionnaires/ai-validation.yaml", "questionnaires/tehai-frame.yaml",
                 "data/validation/cspca-bpmri-v2.json", "explanations"] {
        #expect(FileManager.default.fileExists(atPath: "\(folder)/\(file)"), "\(file) was not copied beside the notebooks")
    }
    let prefix = dir.appendingPathComponent("jupyter").path
    let install = try Binary.tool(["env", "PYTHONPATH=kernel", "python3", "-m", "trustgap_kernel", "install", "--prefix", prefix])
    #expect(install.status == 0, "\(install.output)")
    let check = try Binary.tool(["env", "TRUSTGAP=\(Binary.path)", "JUPYTER_PATH=\(prefix)/share/jupyter", "python3", "Tests/EndToEndTests/jupyter_kernel.py",
                                 folder, dir.appendingPathComponent("elsewhere/deeper/copy").path] + notebooks.map { "\($0).ipynb" })
    #expect(check.status == 0 && check.output.contains("session ok"), "\(check.output.suffix(3000))")
    #expect(check.output.components(separatedBy: "ran from the copy").count - 1 == notebooks.count, "\(check.output.suffix(3000))")
}

/// In a notebook `plot` needs no --out: HTML inlines the figure with its caption, and Markdown gets it as a file beside
/// it, linked by what it shows.
@Test func notebookFiguresNeedNoFile() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let md = dir.appendingPathComponent("gap.md").path, html = dir.appendingPathComponent("gap.html").path
    for out in [md, html] {
        let r = try InProcess.run(["notebook", "render", "notebooks/01-mind-the-gap.md", "--out", out, "--allow-paths", "."])
        #expect(r.status == 0, "\(r.err)")
    }
    let text = try String(contentsOfFile: md, encoding: .utf8)
    #expect(text.contains("![Q7: balance interpretability and performance](gap-figure-1.svg)"))
    #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("gap-figure-2.svg").path))
    let page = try String(contentsOfFile: html, encoding: .utf8)
    #expect(page.components(separatedBy: "<figure><svg").count == 3 && page.contains("<figcaption>Stacked bars, one per group"))
    // Outside a notebook a figure still needs its file.
    let plain = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "plot Q7"])
    #expect(plain.status == 1 && plain.err.contains("--out FILE.svg is required"))
}
