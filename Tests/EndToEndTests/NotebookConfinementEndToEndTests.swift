import Foundation
import Testing

/// A notebook's commands reach only its folder, for every command that opens a file: `codebook load|import|export`
/// (never checked before: `codebook export ../x.qdc` and an absolute path both wrote), the files inside a
/// `--library` folder and a records folder, links resolved (a template linked to a secret file was rendered into the
/// page; a linked record was loaded), and `--allow-outside` is refused.
@Test func everyFileANotebookOpensIsConfined() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-confine-\(UUID().uuidString)")
    let nb = dir.appendingPathComponent("nb")
    let fm = FileManager.default
    defer { try? fm.removeItem(at: dir) }
    for sub in ["nb/recs-ok", "nb/recs-linked", "nb/lib/profiles", "nb/lib/templates"] {
        try fm.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true)
    }
    try fm.copyItem(atPath: "data/ai4hi/responses.csv", toPath: nb.appendingPathComponent("responses.csv").path)
    try fm.copyItem(atPath: "questionnaires/tehai-frame.yaml", toPath: dir.appendingPathComponent("frame.yaml").path)
    for file in try fm.contentsOfDirectory(atPath: "data/validation") {
        try fm.copyItem(atPath: "data/validation/\(file)", toPath: nb.appendingPathComponent("recs-ok/\(file)").path)
    }
    let record = try fm.contentsOfDirectory(atPath: "data/validation").first { $0.hasSuffix(".json") } ?? "x.json"
    try fm.createSymbolicLink(atPath: nb.appendingPathComponent("recs-linked/r.json").path,
                              withDestinationPath: Binary.root.appendingPathComponent("data/validation/\(record)").path)
    for sub in ["profiles", "templates"] {
        for file in try fm.contentsOfDirectory(atPath: "explanations/\(sub)") {
            try fm.copyItem(atPath: "explanations/\(sub)/\(file)", toPath: nb.appendingPathComponent("lib/\(sub)/\(file)").path)
        }
    }
    // The secret the linked template points at.
    let secret = dir.appendingPathComponent("secret.mustache").path
    try "SECRET-TOKEN-4711\n".write(toFile: secret, atomically: true, encoding: .utf8)
    try fm.removeItem(atPath: nb.appendingPathComponent("lib/templates/developer.mustache").path)
    try fm.createSymbolicLink(atPath: nb.appendingPathComponent("lib/templates/developer.mustache").path, withDestinationPath: secret)
    let absolute = fm.temporaryDirectory.appendingPathComponent("tg-abs-\(UUID().uuidString).qdc").path
    // Paths in a notebook are read from the folder trustgap runs in; these name the notebook's folder in full.
    let n = nb.path, d = dir.path
    let lines = [
        "load survey \(n)/responses.csv",
        "codebook export \(n)/../x.qdc",
        "codebook export \(absolute)",
        "codebook load \(d)/frame.yaml",
        "codebook import \(d)/frame.yaml",
        "load records \(n)/recs-linked",
        "load records \(n)/recs-ok --allow-outside",
        "load records \(n)/recs-ok",
        "explain cspca-bpmri-v2 --for developer --library \(n)/lib",
    ]
    let notebook = nb.appendingPathComponent("n.md").path
    try ("# Confined\n\n```trustgap\n" + lines.joined(separator: "\n") + "\n```\n").write(toFile: notebook, atomically: true, encoding: .utf8)
    let r = try InProcess.run(["notebook", "render", notebook, "--out", nb.appendingPathComponent("n.md.out.md").path, "--keep-going"])
    #expect(r.status == 0, "\(r.err)")
    let page = try String(contentsOfFile: nb.appendingPathComponent("n.md.out.md").path, encoding: .utf8)
    func refusal(after command: String) -> String {
        guard let at = page.range(of: "trustgap> \(command)\n") else { return "" }
        return String(page[at.upperBound...].prefix { $0 != "\n" })
    }
    #expect(!refusal(after: "load survey \(n)/responses.csv").hasPrefix("error:"), "\(page)")
    for command in ["codebook export \(n)/../x.qdc", "codebook export \(absolute)", "codebook load \(d)/frame.yaml", "codebook import \(d)/frame.yaml"] {
        #expect(refusal(after: command).contains("is outside the notebook's folder"), "\(command): \(refusal(after: command))")
    }
    #expect(refusal(after: "load records \(n)/recs-linked").contains("r.json in \(n)/recs-linked is a link to a place outside the notebook's folder"), "\(page)")
    #expect(refusal(after: "load records \(n)/recs-ok --allow-outside").contains("--allow-outside is not allowed in a notebook"))
    #expect(!refusal(after: "load records \(n)/recs-ok").hasPrefix("error:"), "\(page)")
    #expect(refusal(after: "explain cspca-bpmri-v2 --for developer --library \(n)/lib").contains("templates/developer.mustache in \(n)/lib is a link to a place outside"), "\(page)")
    #expect(!page.contains("SECRET-TOKEN-4711"))
    #expect(!fm.fileExists(atPath: dir.appendingPathComponent("x.qdc").path) && !fm.fileExists(atPath: absolute), "a codebook was written outside")
}

/// Data holding a run of backticks cannot close the code fence of a notebook's Markdown output and turn what
/// follows into Markdown: each fence is longer than any backtick run of its block.
@Test func dataCannotCloseANotebooksCodeFence() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-fence-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try "id,role,a\nR1,x,\"`````\n# injected heading\"\nR2,y,b\n".write(to: dir.appendingPathComponent("s.csv"), atomically: true, encoding: .utf8)
    let notebook = dir.appendingPathComponent("n.md").path
    try "# Fence\n\n```trustgap\nload survey \(dir.path)/s.csv\nshow a\n```\n".write(toFile: notebook, atomically: true, encoding: .utf8)
    let out = dir.appendingPathComponent("out.md").path
    let r = try InProcess.run(["notebook", "render", notebook, "--out", out])
    #expect(r.status == 0, "\(r.err)")
    let page = try String(contentsOfFile: out, encoding: .utf8)
    #expect(page.contains("``````text\n") && page.contains("injected heading"), "\(page)")
    // The data's five backticks stay inside the block: it closes only at its own fence, after them.
    let lines = (page.components(separatedBy: "``````text\n").last ?? "").components(separatedBy: "\n")
    let closing = lines.firstIndex { $0.hasPrefix("```") && $0.allSatisfy { $0 == "`" } && $0.count >= 3 }
    let data = lines.firstIndex { $0.contains("`````") && $0.contains("injected heading") }
    #expect(closing.map { lines[$0] } == "``````" && (data ?? .max) < (closing ?? -1), "\(page)")
}
