import Foundation
import Testing
@testable import Console

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// CONTRIBUTING.md shows AnsweredCommand.swift as it is: the worked example is the file this target compiles.
@Test func theWorkedExampleIsTheCompiledFile() throws {
    let guide = try String(contentsOf: root.appendingPathComponent("CONTRIBUTING.md"), encoding: .utf8)
    let file = try String(contentsOf: root.appendingPathComponent("Tests/ConsoleTests/AnsweredCommand.swift"), encoding: .utf8)
    #expect(guide.contains("```swift\n" + file + "```"), "CONTRIBUTING.md's example differs from Tests/ConsoleTests/AnsweredCommand.swift")
}

/// The example command runs as a registered command would, and its JSON and its table carry the same numbers.
@Test func theWorkedExampleRuns() throws {
    let session = Session()
    _ = try CommandTable.execute("load survey \(root.path)/data/ai4hi/responses.csv --questionnaire \(root.path)/questionnaires/ai-validation.yaml", in: session)
    let out = try AnsweredCommands.answered.run(session, ["Q7"])
    let text = out.rendered(as: .text, colour: false)
    #expect(text.contains("TG") && text.contains("30") && text.contains("19"), "\(text)")
    guard case .array(let rows) = out.json else { Issue.record("no rows"); return }
    #expect(rows.count == 2)
    #expect(throws: ConsoleError.usage(command: "answered", message: "which question? e.g. answered Q7")) {
        try AnsweredCommands.answered.run(session, [])
    }
    // The typed option comes from the declaration: Tab offers it, and a mistyped one is a usage error that names it.
    #expect(AnsweredCommands.answered.valueOptions == ["of-group"])
    guard case .array(let one) = try AnsweredCommands.answered.run(session, ["Q7", "--of-group", "CG"]).json else { Issue.record("no rows"); return }
    #expect(one.count == 1)
    do { _ = try AnsweredCommands.answered.run(session, ["Q7", "--of-grop", "CG"]); Issue.record("accepted --of-grop") } catch let ConsoleError.usage(_, message) {
        #expect(message.contains("--of-group"), "\(message)")
    }
}
