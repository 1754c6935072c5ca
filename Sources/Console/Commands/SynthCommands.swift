import ArgumentParser
import Foundation
import Render
import Survey

/// Workloads: synthetic files of a real shape, for benchmarks and for trying the tool at scale.
public enum SynthCommands {
    static let all: [Command] = [synth]

    static let synth = Command(SynthCommand.self)

    struct SynthCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "synth", abstract: "write a synthetic survey of the questionnaire's shape",
            usage: "synth survey --respondents N --seed S --out FILE.csv [--questionnaire YAML]",
            discussion: """
            synth survey writes N respondents in the canonical wide CSV layout of a questionnaire (default
            questionnaires/ai-validation.yaml): the respondent id, then every question (single-answer, `;`-joined
            multi-answer, Likert, numeric and open), with roles that the questionnaire's grouping rule maps to the
            technical and clinical groups, and a last column `group` with the group they give (empty when none). The same --seed (default 1) always gives the same file. Half of the compared
            questions differ between the groups and half do not; about 2% of answers are blank, and some open answers
            carry commas, quotes, line breaks and accents. For benchmarks (see BENCHMARKS.md), not for analysis.
            """)
        static let completes: Command.Completion = .files
        static let verbs: [String] = ["survey"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("respondents")) var respondents: Int?
        @Option(name: .customLong("seed")) var seedOption: Int?
        @Option(name: .customLong("out"), completion: .file()) var outOption: String?
        @Option(name: .customLong("questionnaire"), completion: .file()) var questionnaire: String?

        func run(in session: Session) throws -> CommandOutput {
            guard positional == ["survey"] else {
                throw ConsoleError.usage(command: "synth", message: "expected synth survey --respondents N --seed S --out FILE.csv")
            }
            guard let out = outOption else { throw ConsoleError.usage(command: "synth", message: "--out FILE.csv is required") }
            guard let n = respondents, n >= 1 else {
                throw ConsoleError.usage(command: "synth", message: "--respondents N (a whole number ≥ 1) is required")
            }
            let seed = seedOption ?? 1
            guard seed >= 0 else { throw ConsoleError.usage(command: "synth", message: "--seed takes a whole number ≥ 0") }
            return try synthSurvey(session, respondents: n, seed: seed, out: out, questionnaire: questionnaire)
        }
    }

    /// `synth survey`, at the prompt and from the command line (`trustgap synth survey`).
    public static func synthSurvey(_ session: Session, respondents n: Int, seed: Int, out: String, questionnaire path: String?) throws -> CommandOutput {
        // The bundled AI-validation questionnaire unless another is named (by path or by a bundled name).
        let questionnairePath = path ?? "ai-validation"
        let questionnaire = try QuestionnaireLoader.load(path: try BundledFiles.questionnaire(questionnairePath))
        let synthetic = SyntheticSurvey(questionnaire: questionnaire, respondents: n, seed: UInt64(seed))
        var bytes = 0
        try FileOutput.stream(to: out) { emit in
            func line(_ cells: [String]) throws {
                var row = Array(cells.map(CSVRenderer.quote).joined(separator: ",").utf8)
                row.append(0x0A)
                bytes += row.count
                try emit(row)
            }
            try line(synthetic.header)
            try synthetic.generate(line)
        }
        var doc = Document()
        doc.paragraph("wrote \(out): \(n) respondents × \(questionnaire.questions.count) questions of \(questionnaire.id) (seed \(seed)), \(Formatting.bytes(bytes))")
        return CommandOutput(document: doc, json: .object([("path", .string(out)), ("respondents", .int(n)), ("questions", .int(questionnaire.questions.count)), ("seed", .int(seed)),
                                                          ("questionnaire", .string(questionnairePath)), ("bytes", .int(bytes)), ("size", .string(Formatting.bytes(bytes)))]))
    }
}
