import ArgumentParser
import Foundation
import Render
import Survey

/// Repairs without YAML: set, drop, filter, recode. Each takes ids and answers as the tokenizer gives them, so a
/// quoted id with spaces ("What is your role?") or an answer with a comma ("Korea, Republic of") is one word in
/// every one of them, as in crosstab.
extension SurveyCommands {
    static let set = Command(SetCommand.self)

    struct SetCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "correct what inference decided, without YAML",
            usage: "set Q type single|multi|likert|numeric|open|metadata [--separator S] | set Q order a,b,c",
            discussion: """
            set Q type TYPE gives a column of a file read without a questionnaire another type (its answers become the
            codes of a single, multi or Likert question; numbers with stray text become missing); set Q type multi
            --separator ", " splits tick lists joined by that separator (an answer that contains it stays whole);
            set Q type metadata keeps the column as a variable of the response, never compared or tested. set Q order
            a,b,c puts a question's answers in that order (every answer once) and declares them ordered: rank tests
            read the order, and grouped by Q the trend test runs. Quote ids and answers with spaces or commas:
            set "What is your role?" type multi, set country order "Korea, Republic of" Spain. The file is read
            again with the correction, the cleaning steps are applied again, and the correction is kept with the load
            in the workspace; questions shows it. To keep corrections for later files: questionnaire export --out Q.yaml.
            """)
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("separator"), help: "What joins the ticks of a multi-answer cell.") var separator: String?

        func run(in session: Session) throws -> CommandOutput {
            let edit = try QuestionEdit.parse(words: positional + (separator.map { ["--separator", $0] } ?? []))
            return try applyEdit(edit, session)
        }
    }

    static let drop = Command(DropCommand.self)

    struct DropCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "drop", abstract: "leave a column out of the survey",
            usage: "drop Q",
            discussion: """
            drop Q leaves the question or column out of every table, test and report (an id with spaces is quoted:
            drop "Email Address"). The file is read again without it and the cleaning steps are applied again; the
            change is kept with the load in the workspace. load the file again to bring it back.
            """)
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard positional.count == 1 else { throw ConsoleError.usage(command: "drop", message: "which question? e.g. drop \"Email Address\"") }
            return try applyEdit(.drop(question: positional[0]), session)
        }
    }

    /// Reads the file again with the edit (replacing an earlier one of its kind), then the cleaning steps: all or
    /// nothing, so a failed edit leaves the session as it was.
    static func applyEdit(_ edit: QuestionEdit, _ session: Session) throws -> CommandOutput {
        guard let last = session.lastSurveyLoad else { throw ConsoleError.noSurvey }
        let steps = session.settings.cleaning
        let previous = (session.survey, session.loadedSurvey, session.settings.cleaning, session.lastSurveyLoad, session.files)
        do {
            try loadSurvey(path: last.path, questionnaire: last.questionnaire, group: last.group, format: last.format, blankMultiAnswer: last.blankMultiAnswer,
                           maxRecordBytes: last.maxRecordBytes, delimiter: last.delimiter, encoding: last.encoding, dictionary: last.dictionary,
                           keepDuplicates: last.keepDuplicates,
                           edits: last.edits.filter { !($0.question.lowercased() == edit.question.lowercased() && $0.isSameKind(edit)) } + [edit],
                           into: session, rememberedPath: last.rememberedPath)
            try session.clean(steps)
        } catch {
            (session.survey, session.loadedSurvey, session.settings.cleaning, session.lastSurveyLoad, session.files) = previous
            throw error
        }
        var doc = Document()
        if case .drop = edit {
            let left = session.survey?.questionnaire.questions.count ?? 0
            doc.paragraph("\(edit.question): dropped; \(left) questions left")
            return CommandOutput(document: doc, json: .object([("question", .string(edit.question)), ("type", .string("dropped")), ("questions_left", .int(left)),
                                                              ("categories", .strings([]))]))
        }
        let q = session.survey?.questionnaire.question(edit.question)
        let metadata = session.survey.flatMap { s in q.flatMap { s.questionnaire.section(of: $0) } }?.compare == false
        let answers = q?.categories.map(\.label) ?? []
        let shown = answers.prefix(12).joined(separator: " < ") + (answers.count > 12 ? " < … (\(answers.count) answers)" : "")
        let type = (q?.type.rawValue ?? "") + (metadata ? " (metadata, never compared)" : "")
        doc.paragraph("\(q?.id ?? edit.question): \(type)\(answers.isEmpty ? "" : ", answers " + shown)")
        return CommandOutput(document: doc, json: .object([("question", .string(q?.id ?? edit.question)), ("type", .string(q?.type.rawValue ?? "")),
                                                          ("metadata", .bool(metadata)), ("categories", .strings(q?.categories.map(\.code) ?? []))]))
    }

    static let filter = Command(FilterCommand.self)

    struct FilterCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "filter", abstract: "keep only the respondents whose answers meet a condition",
            usage: "filter EXPR | filter complete | filter clear",
            discussion: """
            filter QUESTION = VALUE, QUESTION != VALUE, QUESTION has CODE (multi-answer) or not …, joined by and: for example
            filter Finished = True, filter Status != "Survey Preview", filter Q6 has clinical_expert,
            filter "In which country do you work?" = "Korea, Republic of". A value is an answer's code or its label.
            filter complete keeps the responses the export marks complete (Qualtrics Finished, LimeSurvey submitdate,
            REDCap *_complete); filter not complete the others. Each filter narrows the ones before; filter clear goes
            back to the file as loaded (recodes stay). Every table, test and report made afterwards says which cleaning
            produced it; the steps are kept in the workspace and the analysis log.
            """)
        static let completes: Command.Completion = .questions
        static let verbs: [String] = ["clear", "complete"]
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let before = session.survey?.respondents.count ?? 0
            if positional.map({ $0.lowercased() }) == ["clear"] {
                try session.clean(session.settings.cleaning.filter { if case .filter = $0 { return false }; return true })
            } else {
                guard !positional.isEmpty, let loaded = session.loadedSurvey else {
                    if session.loadedSurvey == nil { throw ConsoleError.noSurvey }
                    throw ConsoleError.usage(command: "filter", message: "which condition? e.g. filter Finished = True")
                }
                let f = try SurveyFilter.parse(words: positional, questionnaire: session.survey?.questionnaire ?? loaded.questionnaire)
                try session.clean(session.settings.cleaning + [.filter(f)])
            }
            let after = session.survey?.respondents.count ?? 0
            let total = session.loadedSurvey?.respondents.count ?? 0
            var doc = Document()
            doc.paragraph("\(after) of \(total) respondents kept (\(before) before this command)")
            for step in session.settings.cleaning { doc.note(step.text) }
            return CommandOutput(document: doc, json: .object([("respondents", .int(after)), ("of", .int(total)), ("before", .int(before)), ("cleaning", .strings(session.settings.cleaning.map(\.text)))]))
        }
    }

    static let recode = Command(RecodeCommand.self)

    struct RecodeCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "recode", abstract: "merge answer categories of a question",
            usage: "recode Q a,b -> NEW [--label TEXT]",
            discussion: "Merges answer codes of a single, multi-answer or worded Likert question into a new code (recode Q7 only_performance,balance_performance -> performance_leaning --label \"Leaning to performance\"), placed where the first merged answer was. Quote ids and answers with spaces or commas, each answer a word of its own: recode \"In which country do you work?\" \"Korea, Republic of\" \"United States of America\" -> Other. The file is not changed; the recode is a cleaning step, named under every later table and kept in the workspace. filter clear leaves recodes in place; load the file again to drop them.")
        static let completes: Command.Completion = .questions
        // The arrow "->" starts with a dash, which the parser would take for an option: the words are taken as they
        // come, and `validate` refuses the options that are not declared.
        @Argument(parsing: .allUnrecognized, help: .hidden) var positional: [String] = []
        @Option(name: .customLong("label")) var label: String?

        func validate() throws {
            if let unknown = positional.first(where: { $0.hasPrefix("--") }) {
                let nearest = Suggest.nearest(String(unknown.dropFirst(2)), in: ["label"])
                throw ValidationError("Unknown option '\(unknown)'.\(nearest.map { " Did you mean '--\($0)'?" } ?? "")")
            }
        }

        func run(in session: Session) throws -> CommandOutput {
            guard let current = session.survey else { throw ConsoleError.noSurvey }
            let r = try Recode.parse(words: positional, questionnaire: current.questionnaire, label: label)
            try session.clean(session.settings.cleaning + [.recode(r)])
            var doc = Document()
            doc.paragraph("\(r.question): \(r.from.joined(separator: ", ")) → \(r.to) (\(r.label))")
            return CommandOutput(document: doc, json: .object([("question", .string(r.question)), ("from", .strings(r.from)), ("to", .string(r.to)), ("label", .string(r.label))]))
        }
    }

    /// `export survey FILE.csv|FILE.sav`: the survey as it now is, with the cleaning that made it.
    static func exportSurvey(_ session: Session, to path: String) throws -> CommandOutput {
        let survey = try session.requireSurvey()
        let ext = (path as NSString).pathExtension.lowercased()
        guard ext == "csv" || ext == "sav" else {
            throw ConsoleError.usage(command: "export", message: "export survey writes FILE.csv or FILE.sav, not \"\(path)\"")
        }
        let variables = try SurveyExport.write(survey, to: path)
        var doc = Document()
        doc.paragraph("wrote \(path): \(survey.respondents.count) respondents, \(variables) variables")
        for step in survey.cleaning { doc.note(step) }
        return CommandOutput(document: doc, json: .object([("out", .string(path)), ("respondents", .int(survey.respondents.count)),
                                                          ("variables", .int(variables)), ("cleaning", .strings(survey.cleaning))]))
    }
}
