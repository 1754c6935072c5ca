import ArgumentParser
import Render
import Survey
@testable import Console

/// `answered Q`: how many respondents of each group answered a question. (The worked example of CONTRIBUTING.md,
/// compiled and run by ContributingTests.)
enum AnsweredCommands {
    static let all: [Command] = [answered]

    static let answered = Command(AnsweredCommand.self)

    /// The declaration is the command: its name and help, its words and options (typed), and what Tab offers.
    struct AnsweredCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "answered", abstract: "how many respondents of each group answered a question",
            usage: "answered Q [--of-group GROUP]",
            discussion: "Counts, for each group, the respondents who gave any answer to Q, out of the group's size.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("of-group"), help: "Only this group.") var group: String?

        // `run` only reads the parsed words; the work is a typed function that reports can call too.
        func run(in session: Session) throws -> CommandOutput {
            guard let id = positional.first else {
                throw ConsoleError.usage(command: "answered", message: "which question? e.g. answered Q7")
            }
            return try answeredOutput(session, question: id, group: group)
        }
    }

    static func answeredOutput(_ session: Session, question id: String, group: String? = nil) throws -> CommandOutput {
        let survey = try session.requireSurvey()
        guard let question = survey.questionnaire.question(id) else {
            throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: survey.questionnaire.questions.map(\.id)))
        }
        let grouping = try session.grouping(nil)
        let groupOf = grouping.groupOf
        let counts = grouping.levels.filter { group == nil || $0 == group }.map { level in
            (level, survey.respondents.filter { groupOf[$0.id] == level && !$0.answer(question.id).isMissing }.count, grouping.size(level))
        }
        // One set of values, two renderings: the table people read and the JSON programs read.
        var doc = Document()
        doc.heading("\(question.id): \(question.text)")
        doc.table(Table(columns: ["group", "answered", "of"], alignments: [.left, .right, .right],
                        rows: counts.map { [$0.0, String($0.1), String($0.2)] }))
        let json: JSONValue = .array(counts.map { .object([("group", .string($0.0)), ("answered", .int($0.1)), ("of", .int($0.2))]) })
        return CommandOutput(document: doc, json: json)
    }
}
