import Foundation
import Survey

/// One REPL command: its name, the words that may follow it (for completion), help, and what it does.
struct Command: Sendable {
    enum Completion: Sendable { case none, questions, files, subcommands, codes, respondents, records }

    let name: String
    let usage: String
    let summary: String
    let help: String
    let subcommands: [String]
    let valueOptions: Set<String>
    let flagOptions: Set<String>
    let completes: Completion
    /// The values an option takes, for Tab (`--for` of explain: the audiences).
    var optionValues: [String: [String]] = [:]
    let run: @Sendable (Session, Arguments) throws -> CommandOutput
}

/// Every command, in the order `help` lists them.
enum CommandTable {
    static let all: [Command] = SurveyCommands.all + StatisticsCommands.all + CodingCommands.all + ReviewCommands.all + RecordCommands.all + GapCommands.all + ExplainCommands.all + ReportCommands.all + WorkspaceCommands.all + SynthCommands.all + SessionCommands.all

    static func find(_ name: String) -> Command? { all.first { $0.name == name.lowercased() } }

    static var names: [String] { all.map(\.name) }

    /// Runs one line. Blank lines and `#` comments do nothing.
    static func execute(_ line: String, in session: Session) throws -> CommandOutput? {
        let words = try Tokenizer.split(line)
        guard let name = words.first, !name.hasPrefix("#") else { return nil }
        guard let command = find(name) else {
            throw ConsoleError.unknownCommand(name, suggestion: Suggest.nearest(name, in: names))
        }
        let args = try Arguments(Array(words.dropFirst()), command: command.name, valueOptions: command.valueOptions,
                                 flagOptions: command.flagOptions.union(["help"]))
        if args.flags.contains("help") { return try SessionCommands.helpOutput(for: command.name) }
        if let roots = session.pathRoots { try confine(args, of: command, to: roots) }
        return try command.run(session, args)
    }

    /// Options whose value names a file.
    static let pathOptions: Set<String> = ["out", "questionnaire", "rules", "library", "dictionary"]

    /// In a notebook (`Session.pathRoot`), every file a command names must lie under the notebook's folder: its
    /// file positionals (commands that complete file names, less their subcommand words) and the options that name
    /// files. A notebook from someone else cannot read ~/.ssh into its page or write over the user's files.
    static func confine(_ args: Arguments, of command: Command, to roots: [String]) throws {
        var paths = pathOptions.compactMap { args.options[$0] }
        if command.completes == .files {
            let subcommands = Set(command.subcommands.map { $0.lowercased() })
            paths += args.positional.filter { !subcommands.contains($0.lowercased()) }
        }
        let bases = roots.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().standardizedFileURL.path }
        for path in paths {
            // A file that does not exist yet is judged by its folder.
            var url = URL(fileURLWithPath: path).standardizedFileURL
            var tail: [String] = []
            while !FileManager.default.fileExists(atPath: url.path), url.path != "/" {
                tail.insert(url.lastPathComponent, at: 0)
                url.deleteLastPathComponent()
            }
            let resolved = tail.reduce(url.resolvingSymlinksInPath()) { $0.appendingPathComponent($1) }.standardizedFileURL.path
            guard bases.contains(where: { resolved == $0 || resolved.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") }) else {
                throw ConsoleError.usage(command: command.name, message: "\(path) is outside the notebook's folder \(roots[0]); a notebook reads and writes there only (notebook render … --allow-paths DIR allows another folder)")
            }
        }
    }
}
