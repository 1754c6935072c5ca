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
        return try command.run(session, args)
    }
}
