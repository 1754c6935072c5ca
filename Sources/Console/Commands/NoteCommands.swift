import ArgumentParser
import Render
import Thematic

/// `notes`: the memos that are not a code's (code memos are `codebook memo`): notes on the project, and the
/// descriptions of answers and of spans of them that a REFI-QDA project brought in. They go out with `export project`.
enum NoteCommands {
    static let all: [Command] = [notes]

    static let notes = Command(NotesCommand.self)

    struct NotesCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "notes", abstract: "notes on the project and on answers (the analytic trail)",
            usage: "notes [add TEXT]",
            discussion: """
            Without arguments, lists the notes: those on the project, and the descriptions of answers and of spans of
            answers that import project brought in from NVivo, ATLAS.ti, MAXQDA or QualCoder, each with where it is.
            add TEXT writes a note on the project. export project carries them all, with the code memos
            (codebook memo ID TEXT).
            """)
        static let verbs: [String] = ["add"]
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            switch positional.first?.lowercased() {
            case nil:
                return notesOutput(session)
            case "add":
                let text = positional.dropFirst().joined(separator: " ").trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { throw ConsoleError.usage(command: "notes", message: "expected notes add TEXT") }
                session.coding.project.notes.append(ProjectNote(.project, text))
                return CommandOutput(document: Document([.paragraph("note \(session.coding.project.notes.count) added on the project")]),
                                     json: .object([("notes", .int(session.coding.project.notes.count))]))
            default:
                throw ConsoleError.usage(command: "notes", message: "expected notes or notes add TEXT, got \(positional.joined(separator: " "))")
            }
        }
    }

    static func notesOutput(_ session: Session) -> CommandOutput {
        let notes = session.coding.project.notes
        var doc = Document()
        doc.table(Table(title: "Notes (\(notes.count))", columns: ["on", "note"], alignments: [.left, .left], rows: notes.map { [$0.place, $0.text] }))
        if notes.isEmpty { doc.note("no notes yet: notes add TEXT, or import project FILE.qdpx") }
        return CommandOutput(document: doc, json: .array(notes.map { .object([("on", .string($0.place)), ("note", .string($0.text))]) }))
    }
}
