import Render
import Survey

/// help, history, quit.
enum SessionCommands {
    static let all: [Command] = [help, history, quit]

    static let help = Command(
        name: "help", usage: "help [COMMAND]", summary: "list commands, or explain one",
        help: "Lists every command, or shows one command's usage and explanation.",
        subcommands: [], valueOptions: [], flagOptions: [], completes: .subcommands
    ) { _, args in
        if let name = args.positional.first { return try helpOutput(for: name) }
        var doc = Document()
        doc.heading("trustgap commands")
        doc.table(Table(columns: ["command", "what it does"], alignments: [.left, .left],
                        rows: CommandTable.all.map { [$0.name, $0.summary] }))
        doc.paragraph("help COMMAND for details. Start with: load survey data/ai4hi/responses.csv")
        return CommandOutput(document: doc, json: .array(CommandTable.all.map { .object([("command", .string($0.name)), ("usage", .string($0.usage)), ("summary", .string($0.summary))]) }))
    }

    static func helpOutput(for name: String) throws -> CommandOutput {
        guard let c = CommandTable.find(name) else {
            throw ConsoleError.unknownCommand(name, suggestion: Suggest.nearest(name, in: CommandTable.names))
        }
        var doc = Document()
        doc.heading("usage: \(c.usage)")
        doc.paragraph(c.help)
        return CommandOutput(document: doc, json: .object([("command", .string(c.name)), ("usage", .string(c.usage)), ("help", .string(c.help))]))
    }

    static let history = Command(
        name: "history", usage: "history", summary: "commands entered in this session",
        help: "Lists the commands entered in this session, oldest first. The REPL also keeps them across sessions in $TRUSTGAP_HISTORY (default ~/.trustgap_history).",
        subcommands: [], valueOptions: [], flagOptions: [], completes: .none
    ) { session, _ in
        var doc = Document()
        doc.table(Table(columns: ["#", "command"], alignments: [.right, .left],
                        rows: session.history.enumerated().map { [String($0 + 1), $1] }))
        return CommandOutput(document: doc, json: .strings(session.history))
    }

    static let quit = Command(
        name: "quit", usage: "quit", summary: "leave trustgap",
        help: "Leaves trustgap with status 0 (Ctrl-D does the same).",
        subcommands: [], valueOptions: [], flagOptions: [], completes: .none
    ) { _, _ in CommandOutput(quit: true) }
}
