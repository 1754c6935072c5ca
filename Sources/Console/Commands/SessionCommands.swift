import ArgumentParser
import Render
import Survey

/// help, history, quit.
enum SessionCommands {
    static let all: [Command] = [help, history, quit]

    static let help = Command(HelpCommand.self)

    struct HelpCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "help", abstract: "list commands, or explain one",
            usage: "help [COMMAND]",
            discussion: "Lists every command, or shows one command's usage and explanation.")
        static let completes: Command.Completion = .subcommands
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            if let name = positional.first { return try helpOutput(for: name) }
            var doc = Document()
            doc.heading("trustgap commands")
            doc.table(Table(columns: ["command", "what it does"], alignments: [.left, .left],
                            rows: CommandTable.all.map { [$0.name, $0.summary] }))
            doc.paragraph("help COMMAND for details. Start with: load survey data/ai4hi/responses.csv")
            return CommandOutput(document: doc, json: .array(CommandTable.all.map { .object([("command", .string($0.name)), ("usage", .string($0.usage)), ("summary", .string($0.summary))]) }))
        }
    }

    static func helpOutput(for name: String) throws -> CommandOutput {
        guard let c = CommandTable.find(name) else {
            throw ConsoleError.unknownCommand(name, suggestion: Suggest.nearest(name, in: CommandTable.names))
        }
        // swift-argument-parser's help of the command's declaration: what it does, its usage, its options.
        var doc = Document()
        doc.paragraph(c.help)
        return CommandOutput(document: doc, json: .object([("command", .string(c.name)), ("usage", .string(c.usage)), ("help", .string(c.help))]))
    }

    static let history = Command(HistoryCommand.self)

    struct HistoryCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "history", abstract: "commands entered in this session",
            usage: "history",
            discussion: "Lists the commands entered in this session, oldest first. The REPL also keeps them across sessions in $TRUSTGAP_HISTORY (default ~/.trustgap_history).")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            var doc = Document()
            doc.table(Table(columns: ["#", "command"], alignments: [.right, .left],
                            rows: session.history.enumerated().map { [String($0 + 1), $1] }))
            return CommandOutput(document: doc, json: .strings(session.history))
        }
    }

    static let quit = Command(QuitCommand.self)

    struct QuitCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "quit", abstract: "leave trustgap",
            usage: "quit",
            discussion: "Leaves trustgap with status 0 (Ctrl-D does the same).")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
     CommandOutput(quit: true) 
        }
    }
}
