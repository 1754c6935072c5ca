import Foundation
import Testing
@testable import Console

/// Every command is a swift-argument-parser declaration: its help renders, every option its usage line names is
/// declared (and no declared option is missing from it), and a mistyped option is refused with the nearest one.
@Test func everyCommandIsDeclaredOnce() throws {
    #expect(CommandTable.all.count >= 45)
    #expect(Set(CommandTable.names).count == CommandTable.names.count, "two commands share a name")
    for command in CommandTable.all {
        #expect(command.help.contains("USAGE:"), "\(command.name): no help")
        let mentioned = Set(command.usage.matches(of: /--([a-z][a-z0-9-]*)/).map { String($0.1) })
        let declared = command.valueOptions.union(command.flagOptions)
        #expect(mentioned == declared, "\(command.name): usage names \(mentioned.sorted()), declaration has \(declared.sorted())")
        if let option = declared.sorted().first {
            let typo = "--" + option.dropLast() + "x"
            do {
                _ = try command.parse([typo])
                Issue.record("\(command.name) accepted \(typo)")
            } catch let ConsoleError.usage(name, message) {
                #expect(name == command.name && message.contains("Unknown option"), "\(command.name): \(message)")
            }
        }
    }
}
