import Foundation
import Testing
@testable import Console
import Thematic
import Workspace

/// Each piece of the session reports what changed since it was last saved, once: a new coding is one row after the
/// kept ones, an undo rewrites from where the codings differ, files are written again only when their contents or
/// options change, settings only when they differ.
@Test func eachPieceReportsItsOwnChangesOnce() throws {
    let answers = AnswerSet(texts: ["R1": ["Q": "a"], "R2": ["Q": "b"]], groupOf: [:], respondentOrder: ["R1", "R2"])
    var coding = CodingState()
    coding.project = CodingProject(codebook: try Codebook([Code(id: "x"), Code(id: "y")]))
    coding.markSaved()
    _ = try coding.project.code(Coding(respondent: "R1", question: "Q", code: "x", coder: "me"), text: nil, answers: answers)
    _ = try coding.project.code(Coding(respondent: "R2", question: "Q", code: "y", coder: "me"), text: nil, answers: answers)
    var change = WorkspaceStore.Change()
    coding.takeChanges(into: &change)
    #expect(change.codes == nil && change.codings?.keep == 0 && change.codings?.add.map(\.respondent) == ["R1", "R2"])
    var again = WorkspaceStore.Change()
    coding.takeChanges(into: &again)
    #expect(again.codings == nil && again.codes == nil)
    _ = try coding.project.undo()
    var undone = WorkspaceStore.Change()
    coding.takeChanges(into: &undone)
    #expect(undone.codings?.keep == 1 && undone.codings?.add.isEmpty == true)

    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pieces-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("s.csv").path
    try Data("id,q\n1,a\n".utf8).write(to: URL(fileURLWithPath: path))
    var files = LoadedFiles()
    files.remember(kind: "survey", path: path)
    var f1 = WorkspaceStore.Change()
    try files.takeChanges(into: &f1)
    #expect(f1.files?.count == 1)
    files.remember(kind: "survey", path: path)  // the same file again: nothing to write
    var f2 = WorkspaceStore.Change()
    try files.takeChanges(into: &f2)
    #expect(f2.files == nil)
    files.remember(kind: "survey", path: path, options: "{\"group\":\"q\"}")
    var f3 = WorkspaceStore.Change()
    try files.takeChanges(into: &f3)
    #expect(f3.files?.first?.options == "{\"group\":\"q\"}")

    var settings = AnalysisSettings()
    settings.markSaved()
    settings.enabledOptionalGroups.insert("mixed")
    var s1 = WorkspaceStore.Change()
    settings.takeChanges(into: &s1)
    #expect(s1.settings?["optional_groups"] == "mixed")
    var s2 = WorkspaceStore.Change()
    settings.takeChanges(into: &s2)
    #expect(s2.settings == nil)
}
