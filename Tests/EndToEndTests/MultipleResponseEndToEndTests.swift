import Foundation
import Testing

/// MRCV's published farmer1 example (../shared/data/mrcv, 262 farmers, 5 education levels, 5 water sources),
/// loaded as an analyst's own CSV with no questionnaire: X²_S = 30.836, Bonferroni p = 0.1357, Rao–Scott
/// second-order 28.679 on 18.601 df, p = 0.0632, as MRCV's documentation prints them.
@Test(.enabled(if: FileManager.default.fileExists(atPath: Binary.root.appendingPathComponent("../shared/data/mrcv/farmer1-long.csv").standardized.path),
               "needs ../shared/data/mrcv (MRCV's published farmer1 example) beside the clone"))
func mrcvFarmerExampleReproducesThePublishedResults() throws {
    let path = Binary.root.appendingPathComponent("../shared/data/mrcv/farmer1-long.csv").standardized.path
    guard FileManager.default.fileExists(atPath: path) else { Issue.record("shared/data/mrcv is missing beside the repository"); return }
    let r = try InProcess.run(["--format", "json", "-e", "load survey \(path) --group education", "-e", "chisq water_source"])
    #expect(r.status == 0, "\(r.err)")
    let mmi = try jsonDocuments(r.out)[1]
    #expect(String(format: "%.3f", mmi["statistic"] as? Double ?? 0) == "30.836")
    #expect(String(format: "%.4f", mmi["bonferroni_p"] as? Double ?? 0) == "0.1357")
    let rs2 = mmi["rs2"] as? [String: Any] ?? [:]
    #expect(String(format: "%.3f", rs2["statistic"] as? Double ?? 0) == "28.679")
    #expect(String(format: "%.3f", rs2["df"] as? Double ?? 0) == "18.601")
    #expect(String(format: "%.4f", rs2["p"] as? Double ?? 0) == "0.0632")
}

/// A blank multi-answer cell: "ticked nothing" by default (MRCV), "not answered" with --multi-blank.
@Test func blankMultiAnswerCellsFollowTheChosenConvention() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-blank-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var lines = ["respondent,role,sources"]
    for k in 0..<40 { lines.append("R\(k),\(k % 2 == 0 ? "a" : "b"),\(k % 5 == 0 ? "" : ["x;y", "y", "x;z", "z;y"][k % 4])") }
    let path = dir.appendingPathComponent("blank.csv").path
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    let ticked = try jsonDocuments(try InProcess.run(["--format", "json", "-e", "load survey \(path) --group role", "-e", "chisq sources"]).out)[1]
    let skipped = try jsonDocuments(try InProcess.run(["--format", "json", "-e", "load survey \(path) --group role --multi-blank not-answered",
                                                    "-e", "chisq sources"]).out)[1]
    #expect(ticked["n"] as? Int == 40)
    #expect(skipped["n"] as? Int == 32)
    let bad = try InProcess.run(["-e", "load survey \(path) --multi-blank maybe"])
    #expect(bad.status == 1 && bad.err.contains("'maybe' is invalid for '--multi-blank") && bad.err.contains("'ticked-nothing' and 'not-answered'"), "\(bad.err)")
}
