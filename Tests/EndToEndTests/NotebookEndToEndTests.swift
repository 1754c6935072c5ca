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
    let outputs = (cells[1]["outputs"] as? [[String: Any]])?.first?["text"] as? [String] ?? []
    #expect(outputs.joined().contains("error: no question Q99") && outputs.joined().contains("Groups\n"))
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

/// Each training notebook as .ipynb opens in Jupyter: nbformat validates it, nbconvert converts it to HTML, and
/// nbconvert's ExecutePreprocessor runs it again on the Python 3 kernel (each cell pipes its commands into trustgap,
/// with a workspace carrying the session from cell to cell); a cell whose commands fail stops the execution.
/// One Python process does all four through nbconvert's API: starting Python and importing nbconvert eight times
/// (`jupyter nbconvert` twice per notebook) took 16 of the suite's seconds; each notebook still gets its own kernel.
@Test func notebooksOpenAndRunInJupyter() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nbj-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var files: [String] = []
    for name in notebooks {
        let ipynb = dir.appendingPathComponent("\(name).ipynb").path
        let r = try InProcess.run(["notebook", "render", "notebooks/\(name).md", "--out", ipynb, "--allow-paths", "."])
        #expect(r.status == 0, "\(name): \(r.err)")
        files.append(ipynb)
    }
    let check = try Binary.tool(["env", "TRUSTGAP=\(Binary.path)", "python3", "-c", """
        import os, sys, nbformat
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import ExecutePreprocessor
        for path in sys.argv[1:]:
            name = os.path.basename(path)
            # Each notebook's cells share one workspace of their own.
            os.environ["TRUSTGAP_NOTEBOOK_WORKSPACE"] = path + ".session.db"
            nb = nbformat.read(path, as_version=4)
            nbformat.validate(nb)
            assert nb.metadata.kernelspec.name == "python3", name
            HTMLExporter().from_notebook_node(nb)
            # Generous start-up time: a kernel starting beside the rest of the suite on two cores can be slow.
            ExecutePreprocessor(timeout=600, startup_timeout=600).preprocess(nb, {"metadata": {"path": os.path.dirname(path)}})
            html, _ = HTMLExporter().from_notebook_node(nb)
            assert "no survey loaded" not in html and "no records loaded" not in html, name
            print("ok", name)
        """] + files)
    #expect(check.status == 0 && check.output.components(separatedBy: "ok ").count - 1 == notebooks.count, "\(check.output.suffix(3000))")
}
