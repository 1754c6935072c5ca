import ArgumentParser
import Foundation
import Render
import Statistics
import Survey
import Workspace

/// Loading and exploring a survey: load, questions, show, groups, describe, crosstab.
enum SurveyCommands {
    static let all: [Command] = [load, questions, questionnaire, set, drop, filter, recode, show, groups, describe, crosstab]

    static let load = Command(LoadCommand.self)

    struct LoadCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "load", abstract: "load a survey CSV or validation records",
            usage: "load survey PATH [--questionnaire YAML] [--group COLUMN] [--format auto|wide|google-forms|limesurvey|qualtrics|redcap|kobo|surveymonkey] [--multi-blank ticked-nothing|not-answered] [--delimiter ,|;|tab|\\|] [--encoding utf-8|utf-16|windows-1252] [--dictionary REDCAP_DICTIONARY.csv] [--max-record-mb N] [--max-cells N] [--keep-duplicates] | load records PATH|DIR [--allow-outside]",
            discussion: """
            Loads survey responses. Without --questionnaire, a questionnaire in questionnaires/ whose question ids match
            the columns is used when the answers fit it too (the load message names it, or says why it was passed over);
            failing that, or with --questionnaire none, the structure is inferred: the respondent id and metadata columns
            (timestamps and dates, durations, IP, e-mail, status, the tools' own columns) are found, free text is open,
            tick lists joined by ";", ",", a space or "|" are multi-answer (an answer that contains the separator stays
            whole), ordered scales (agreement, frequency, likelihood, importance, periods such as "once a year",
            numbered labels) are Likert in the order of their meaning with "don't know" last, whole numbers without
            labels are categories whose order is not assumed (set Q type likert declares it), mostly-numeric columns
            are numeric with stray text read as missing, the rest single-answer; the load message lists every guess and
            `questions` shows why. A respondent id given twice stops the load naming both lines; --keep-duplicates
            keeps both with a note. --group COLUMN makes any column the grouping variable. --format picks the
            exporter's layout (auto recognises Google/Microsoft Forms, LimeSurvey, Qualtrics, REDCap, SurveyMonkey,
            KoboToolbox and ODK Central). --dictionary with --questionnaire adds a REDCap data dictionary's labels to it.
            Every cell is checked; on any error nothing is loaded and the previous survey stays.
            --multi-blank says how a blank multi-answer cell is read: ticked-nothing (the default, MRCV's convention: the
            respondent is counted, with no option ticked) or not-answered (left out of that question).
            The delimiter (comma, semicolon, tab or |) is found from the first lines; --delimiter sets it. Text is UTF-8
            (with or without BOM) or UTF-16 with its BOM; --encoding windows-1252 reads Excel's "CSV" of Western Windows.
            --max-record-mb N raises the reader's budget for one record (default 64 MB): a file that is one endless line,
            or not text at all, stops with an error instead of filling the memory. --max-cells N raises the budget on
            the cases × variables read from an SPSS, Stata or SAS file (default 10,000,000).
            load records PATH|DIR loads one validation record (JSON, trustgap.validation-record/1) or every *.json in a
            folder, all or nothing; errors name the file and JSON path. A record's predictions_csv must lie in the
            record's folder unless --allow-outside is given.
            """)
        static let completes: Command.Completion = .files
        static let verbs: [String] = ["survey", "records"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("questionnaire"), help: "Questionnaire YAML (none: infer the structure from the file).", completion: .file()) var questionnaire: String?
        @Option(name: .customLong("group"), help: "The column that defines the groups.") var group: String?
        @Option(name: .customLong("format"), help: "The exporter's layout (auto recognises the tools).") var formatOption: SurveyFormat?
        @Option(name: .customLong("multi-blank"), help: "How a blank multi-answer cell is read.") var multiBlank: BlankMultiAnswer?
        @Option(name: .customLong("max-record-mb"), help: "The reader's budget for one record, in MB (default 64).") var maxRecordMb: Int?
        @Option(name: .customLong("max-cells"), help: "The budget on cases × variables of an SPSS, Stata or SAS file (default 10000000).") var maxCells: Int?
        @Option(name: .customLong("delimiter"), completion: .list([",", ";", "tab", "|"])) var delimiterOption: String?
        @Option(name: .customLong("encoding"), help: "The file's text encoding (UTF-16 is found by its BOM).") var encodingOption: SurveyEncoding?
        @Option(name: .customLong("dictionary"), help: "A REDCap data dictionary.", completion: .file()) var dictionary: String?
        @Flag(name: .customLong("allow-outside"), help: "Let a record's predictions_csv lie outside its folder.") var allowOutside = false
        @Flag(name: .customLong("keep-duplicates"), help: "Keep both rows of a repeated respondent id (noted) instead of stopping.") var keepDuplicates = false

        func run(in session: Session) throws -> CommandOutput {
            if positional.first == "records" {
                guard positional.count == 2 else { throw ConsoleError.usage(command: "load", message: "expected load records PATH|DIR") }
                return try RecordCommands.loadRecords(positional[1], session: session, allowOutside: allowOutside)
            }
            guard positional.first == "survey" else { throw ConsoleError.usage(command: "load", message: "expected load survey PATH or load records PATH|DIR") }
            guard positional.count == 2 else { throw ConsoleError.usage(command: "load", message: "expected load survey PATH") }
            let format = formatOption ?? .auto
            let blank = multiBlank ?? .tickedNothing
            var maxRecordBytes = CSVReader.defaultMaxRecordBytes
            if let mb = maxRecordMb {
                guard mb >= 1, mb <= 1 << 20 else { throw ConsoleError.usage(command: "load", message: "--max-record-mb takes a number of megabytes from 1 to 1048576") }
                maxRecordBytes = mb << 20
            }
            if let maxCells, maxCells < 1 { throw ConsoleError.usage(command: "load", message: "--max-cells takes a positive number of cells") }
            var delimiter: UInt8?
            if let d = delimiterOption {
                guard let byte = delimiterByte(d) else {
                    throw ConsoleError.usage(command: "load", message: "--delimiter takes , ; tab or |, not \"\(d)\"")
                }
                delimiter = byte
            }
            let survey = try loadSurvey(path: positional[1], questionnaire: questionnaire, group: group,
                                        format: format, blankMultiAnswer: blank, maxRecordBytes: maxRecordBytes, delimiter: delimiter, encoding: encodingOption,
                                        dictionary: dictionary, keepDuplicates: keepDuplicates, maxCells: maxCells ?? StatFiles.defaultMaxCells, into: session)
            return overview(survey, session: session)
        }
    }

    /// Loads a survey into the session (all or nothing) and remembers its file for the log and the workspace.
    /// `load survey` and workspace restore both call this with typed values: stored options are data, never
    /// command text.
    @discardableResult
    static func loadSurvey(path: String, questionnaire: String?, group: String?, format: SurveyFormat,
                           blankMultiAnswer: BlankMultiAnswer = .tickedNothing, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
                           delimiter: UInt8? = nil, encoding: SurveyEncoding? = nil, dictionary: String? = nil, keepDuplicates: Bool = false,
                           edits: [QuestionEdit] = [], maxCells: Int = StatFiles.defaultMaxCells, into session: Session,
                           rememberedPath: String? = nil) throws -> Survey {
        // The file is hashed (for the log and a workspace) in the same pass that reads it.
        var hash = StreamingSHA256()
        var loadOptions = SurveyLoader.Options(
            questionnairePath: try questionnaire.map { $0 == "none" ? $0 : try BundledFiles.questionnaire($0) }, format: format,
            questionnaireFolders: session.questionnaireFolders + [try BundledFiles.path("questionnaires")], maxRecordBytes: maxRecordBytes,
            delimiter: delimiter, encoding: encoding, dictionary: dictionary, edits: edits, keepDuplicates: keepDuplicates)
        loadOptions.maxCells = maxCells
        var survey = try SurveyLoader.load(path: path, options: loadOptions, observe: { hash.update($0) })
        survey.blankMultiAnswer = blankMultiAnswer
        if let group {
            // Check the grouping works before the survey replaces the old one.
            _ = try GroupAssignment(survey: survey, variable: .question(group))
        }
        // What `set` re-reads the file with.
        session.lastSurveyLoad = Session.SurveyLoad(path: path, rememberedPath: rememberedPath, questionnaire: questionnaire, group: group, format: format,
                                                    blankMultiAnswer: blankMultiAnswer, maxRecordBytes: maxRecordBytes, delimiter: delimiter,
                                                    encoding: encoding, dictionary: dictionary, edits: edits, keepDuplicates: keepDuplicates)
        // A new file starts with no cleaning steps.
        session.loadedSurvey = survey
        session.settings.cleaning = []
        session.survey = survey
        session.settings.groupingColumn = group
        var options: [(String, JSONValue)] = [("format", .string(format.rawValue)), ("multi_blank", .string(blankMultiAnswer.rawValue))]
        if let delimiter { options.append(("delimiter", .string(String(UnicodeScalar(delimiter))))) }
        if let encoding { options.append(("encoding", .string(encoding.rawValue))) }
        // Stored options are a map of strings: the edits as one JSON-encoded list.
        if !edits.isEmpty { options.append(("edits", .string(JSONValue.strings(edits.map(\.text)).encoded(pretty: false)))) }
        if let group { options.append(("group", .string(group))) }
        if keepDuplicates { options.append(("keep_duplicates", .string("true"))) }
        session.files.remember(kind: "survey", path: rememberedPath ?? path, options: JSONValue.object(options).encoded(pretty: false),
                         sha256: hash.hex())
        if let dictionary { session.files.remember(kind: "questionnaire", path: dictionary) } else if !survey.inferred { session.files.remember(kind: "questionnaire", path: survey.questionnaire.source) } else { session.files.forget(kind: "questionnaire") }
        return survey
    }

    /// What `load` prints: the file, the questionnaire, respondents and groups.
    static func overview(_ survey: Survey, session: Session) -> CommandOutput {
        var doc = Document()
        let q = survey.questionnaire
        doc.heading("Loaded \(survey.respondents.count) respondents from \(survey.path)")
        doc.paragraph("questionnaire: \(survey.inferred ? "inferred from the file" : q.source) — \(q.title)")
        if let why = survey.questionnairePicked { doc.note("questionnaire \(q.source) \(why)") }
        doc.paragraph("format: \(survey.format.rawValue); \(q.questions.count) questions in \(q.sections.count) sections")
        if !survey.extraColumns.isEmpty {
            doc.note("columns not in the questionnaire, kept as extra variables: \(survey.extraColumns.joined(separator: ", "))")
        }
        for note in survey.notes { doc.note(note) }
        var guesses: [JSONValue] = []
        if survey.inferred {
            // Every decision inference made from the values is a guess: one line per kind, the ids listed (a few,
            // then how many); `questions` shows each with why, and set / drop correct it.
            func listed(_ ids: [String]) -> String {
                ids.prefix(12).map { CommandWords.shown($0) }.joined(separator: ", ") + (ids.count > 12 ? ", … (\(ids.count) in all)" : "")
            }
            let metadata = q.sections.filter { $0.id == "metadata" }.flatMap(\.questions).map(\.id)
            if !metadata.isEmpty { doc.note("metadata columns, kept as variables and never compared: \(listed(metadata))") }
            let compared = q.sections.filter { $0.compare }.flatMap(\.questions)
            let kinds: [(String, [Question])] = [
                ("ordered scales (likert), ordered by the meaning of their words", compared.filter { $0.type == .likert }),
                ("tick lists (multi-answer)", compared.filter { $0.type == .multi }),
                ("categories (single answer), their order not assumed", compared.filter { $0.type == .single }),
                ("numbers", compared.filter { $0.type == .numeric }),
                ("open text", compared.filter { $0.type == .open }),
            ]
            for (kind, questions) in kinds where !questions.isEmpty {
                doc.note("guessed from the values — \(kind): \(listed(questions.map(\.id)))")
            }
            let separators = compared.filter { $0.type == .multi }.compactMap { question -> String? in
                guard let r = question.reason, let at = r.range(of: "joined by \"") else { return nil }
                return "\(CommandWords.shown(question.id)) (\"\(r[at.upperBound...].prefix { $0 != "\"" })\")"
            }
            if !separators.isEmpty { doc.note("tick-list separators guessed: \(separators.prefix(12).joined(separator: ", "))") }
            if !compared.isEmpty { doc.note("questions shows why each was read so; set Q type …, set Q order …, set Q type metadata and drop Q correct a guess") }
            guesses = kinds.filter { !$0.1.isEmpty }.map { .object([("kind", .string($0.0)), ("questions", .strings($0.1.map(\.id)))]) }
        }
        var groupsJSON: JSONValue = .null, unassigned = 0
        if let g = try? session.grouping(nil) {
            unassigned = g.unassigned.count
            let parts = g.levels.map { "\($0) \(g.size($0))" }.joined(separator: ", ")
            doc.paragraph("groups (\(g.variable.name)): \(parts)" + (g.unassigned.isEmpty ? "" : "; \(g.unassigned.count) unassigned"))
            groupsJSON = .object(g.levels.map { ($0, .int(g.size($0))) })
        }
        let json: JSONValue = .object([
            ("path", .string(survey.path)), ("respondents", .int(survey.respondents.count)),
            ("questionnaire", .string(survey.inferred ? "inferred" : q.source)), ("format", .string(survey.format.rawValue)),
            ("questions", .int(q.questions.count)), ("sections", .int(q.sections.count)), ("groups", groupsJSON),
            ("unassigned", .int(unassigned)), ("extra_columns", .strings(survey.extraColumns)),
            ("notes", .strings(survey.notes)), ("guesses", .array(guesses)),
        ])
        return CommandOutput(document: doc, json: json)
    }

    static let questions = Command(QuestionsCommand.self)

    struct QuestionsCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "questions", abstract: "list the questions by section",
            usage: "questions [SECTION]",
            discussion: "Lists every question with its type and topic, section by section; give a section id to list one.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let q = try session.requireSurvey().questionnaire
            var doc = Document()
            var items: [JSONValue] = []
            for section in q.sections where positional.isEmpty || positional.contains(section.id) {
                // An inferred questionnaire says why each column was read as it was, with the order of its answers.
                let inferred = section.questions.contains { $0.reason != nil }
                let rows = section.questions.map { question -> [String] in
                    inferred ? [question.id, question.type.rawValue, question.reason ?? ""]
                        : [question.id, question.type.rawValue, question.topic, question.text]
                }
                doc.table(Table(title: section.title, columns: inferred ? ["id", "type", "why"] : ["id", "type", "topic", "question"],
                                alignments: Array(repeating: .left, count: inferred ? 3 : 4), rows: rows))
                items += section.questions.map { question in
                    .object([("id", .string(question.id)), ("section", .string(section.id)), ("type", .string(question.type.rawValue)),
                             ("topic", .string(question.topic)), ("text", .string(question.text)),
                             ("categories", .strings(question.categories.map(\.code))), ("reason", question.reason.map(JSONValue.string) ?? .null)])
                }
            }
            return CommandOutput(document: doc, json: .array(items))
        }
    }

    static let questionnaire = Command(QuestionnaireCommand.self)

    struct QuestionnaireCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "questionnaire", abstract: "write the questionnaire YAML inferred from a file (or the loaded survey's)",
            usage: "questionnaire infer FILE [--out Q.yaml] [--delimiter D] | questionnaire export --out Q.yaml",
            discussion: """
            questionnaire infer FILE reads a survey file without any questionnaire and writes what trustgap inferred as
            the YAML that load survey … --questionnaire reads (docs/questionnaire.md): each question's type, its answers
            in order, don't-know flags, and why it was read so (the `inferred` key). Correct it in an editor and load the
            file with it. questionnaire export writes the loaded survey's questionnaire the same way. Without --out, the
            YAML is printed.
            """)
        static let completes: Command.Completion = .files
        static let verbs: [String] = ["infer", "export"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("out"), completion: .file()) var outOption: String?
        @Option(name: .customLong("delimiter")) var delimiter: String?

        func run(in session: Session) throws -> CommandOutput {
            let q: Questionnaire
            switch positional.first {
            case "infer":
                guard positional.count >= 2 else { throw ConsoleError.usage(command: "questionnaire", message: "infer which file? e.g. questionnaire infer my-survey.csv --out my-survey.yaml") }
                var options = SurveyLoader.Options(questionnairePath: "none")
                if let d = delimiter {
                    guard let byte = delimiterByte(d) else { throw ConsoleError.usage(command: "questionnaire", message: "--delimiter takes , ; tab or |, not \"\(d)\"") }
                    options.delimiter = byte
                }
                q = try SurveyLoader.load(path: positional[1], options: options).questionnaire
            case "export":
                q = try session.requireSurvey().questionnaire
            default:
                throw ConsoleError.usage(command: "questionnaire", message: "questionnaire infer FILE or questionnaire export --out Q.yaml")
            }
            let yaml = try QuestionnaireWriter.yaml(q)
            var out = CommandOutput(document: Document(), json: .object([("questions", .int(q.questions.count)), ("sections", .int(q.sections.count)),
                                                                        ("out", outOption.map(JSONValue.string) ?? .null), ("yaml", .string(yaml))]))
            if let path = outOption {
                try FileOutput.write(yaml, to: path)
                out.document.paragraph("wrote \(path): \(q.questions.count) questions in \(q.sections.count) section(s); load survey FILE --questionnaire \(path) reads the file with it")
            } else {
                out.raw = yaml
            }
            return out
        }
    }

    /// The delimiters `--delimiter` names.
    static func delimiterByte(_ name: String) -> UInt8? {
        [",": 0x2C, "comma": 0x2C, ";": 0x3B, "semicolon": 0x3B, "tab": 0x09, "\t": 0x09, "|": 0x7C, "bar": 0x7C][name.lowercased()]
    }

    static let show = Command(ShowCommand.self)

    struct ShowCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "a question's text, type, topic and answer codes",
            usage: "show Q [CODE]",
            discussion: "Shows a question: its text, type, topic and answer codes with labels and flags. With an answer code, shows that answer and how many in each group gave it.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let survey = try session.requireSurvey()
            guard let id = positional.first else { throw ConsoleError.usage(command: "show", message: "which question? e.g. show Q7") }
            guard let question = survey.questionnaire.question(id) else {
                throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: survey.questionnaire.questions.map(\.id)))
            }
            var doc = Document()
            doc.heading("\(question.id): \(question.text)")
            doc.paragraph("type: \(question.type.rawValue); topic: \(question.topic); section: \(survey.questionnaire.section(of: question)?.title ?? "-")")
            let answered = survey.respondents.filter { !$0.answer(question.id).isMissing }.count
            doc.paragraph("answered by \(answered) of \(survey.respondents.count)")
            var options = question.categories
            if positional.count > 1 {
                let code = positional[1]
                guard let option = question.option(code) else {
                    throw SurveyError.unknownCode(path: "show", line: 0, column: question.id, question: question.id, value: code,
                                                  suggestion: Suggest.nearest(code, in: question.categories.map(\.code)))
                }
                options = [option]
                if let g = try? session.grouping(nil) {
                    let parts = g.levels.map { level in
                        "\(level) \(g.members(level, in: survey).filter { $0.answer(question.id).codes.contains(code) }.count)"
                    }
                    doc.paragraph("chosen by: " + parts.joined(separator: ", "))
                }
            }
            if !options.isEmpty {
                doc.table(Table(columns: ["code", "label", "flag"], alignments: [.left, .left, .left],
                                rows: options.map { [$0.code, $0.label, $0.flag?.rawValue ?? ""] }))
            }
            let json: JSONValue = .object([
                ("id", .string(question.id)), ("text", .string(question.text)), ("type", .string(question.type.rawValue)),
                ("topic", .string(question.topic)), ("answered", .int(answered)),
                ("options", .array(options.map { .object([("code", .string($0.code)), ("label", .string($0.label)),
                                                           ("flag", $0.flag.map { .string($0.rawValue) } ?? .null)]) })),
            ])
            return CommandOutput(document: doc, json: json)
        }
    }

    static let groups = Command(GroupsCommand.self)

    struct GroupsCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "groups", abstract: "group sizes and the role combinations behind them",
            usage: "groups [--with mixed] [--without mixed]",
            discussion: """
            Shows how respondents fall into groups: each group's size and the role combinations (from the questionnaire's
            grouping rule) that lead to it. --with mixed switches on the optional "mixed" group (respondents with both
            clinical and technical roles); --without mixed switches it off again. The choice holds for later commands.
            """)
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("with")) var with: String?
        @Option(name: .customLong("without")) var without: String?

        func run(in session: Session) throws -> CommandOutput {
            if let w = with { session.settings.enabledOptionalGroups.insert(w) }
            if let w = without { session.settings.enabledOptionalGroups.remove(w) }
            return try groupsOutput(session)
        }
    }

    /// Group sizes and the role combinations behind them, with the optional groups the session has switched on.
    static func groupsOutput(_ session: Session) throws -> CommandOutput {
        let survey = try session.requireSurvey()
        let g = try session.grouping(nil)
        var doc = Document()
        doc.heading(g.variable.name == "group" ? "Groups" : "Groups by \(g.variable.name)")
        let total = survey.respondents.count
        // One row of values per group, which the table and the JSON both show.
        let groups = g.levels.map { (group: $0, label: g.labels[$0] ?? $0, n: g.size($0), share: total > 0 ? Double(g.size($0)) / Double(total) : 0) }
        doc.table(Table(columns: ["group", "label", "n", "%"], alignments: [.left, .left, .right, .right],
                        rows: groups.map { [$0.group, $0.label, String($0.n), Formatting.percent(100 * $0.share)] }))
        var combos: [JSONValue] = []
        if case .roles = g.variable, let rule = survey.questionnaire.grouping {
            var counts: [String: (group: String, n: Int)] = [:]
            for r in survey.respondents {
                let key = r.answer(rule.question).codes.joined(separator: " + ")
                counts[key, default: (g.level(ofRow: r.row) ?? "(none)", 0)].n += 1
            }
            let rows = counts.sorted { ($0.value.group, -$0.value.n, $0.key) < ($1.value.group, -$1.value.n, $1.key) }
            doc.table(Table(title: "Role combinations (\(rule.question))", columns: ["roles", "group", "n"],
                            alignments: [.left, .left, .right], rows: rows.map { [$0.key.isEmpty ? "(no answer)" : $0.key, $0.value.group, String($0.value.n)] }))
            combos = rows.map { .object([("roles", .string($0.key)), ("group", .string($0.value.group)), ("n", .int($0.value.n))]) }
            let optional = rule.rules.filter(\.optional).map(\.group).filter { !session.settings.enabledOptionalGroups.contains($0) }
            if !optional.isEmpty { doc.note("optional group(s) off: \(optional.joined(separator: ", ")) (groups --with \(optional[0]))") }
        }
        if !g.unassigned.isEmpty { doc.note("\(g.unassigned.count) respondent(s) fit no group: \(g.unassigned.prefix(10).joined(separator: ", "))") }
        let json: JSONValue = .object([
            ("by", .string(g.variable.name)),
            ("groups", .array(groups.map { .object([("group", .string($0.group)), ("label", .string($0.label)), ("n", .int($0.n)), ("share", .number($0.share))]) })),
            ("role_combinations", .array(combos)), ("unassigned", .strings(g.unassigned)),
        ])
        return CommandOutput(document: doc, json: json)
    }

    static let describe = Command(DescribeCommand.self)

    struct DescribeCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "describe", abstract: "summary of one question, overall and by group",
            usage: "describe Q [by group|by Q]",
            discussion: "Summarises a question: counts and percentages of each answer for all respondents (with Wilson 95% intervals), then by group; numeric questions get n, missing, mean, SD, median, IQR, minimum and maximum, overall and per group (compare Q tests them); open questions the number of answers and a few of them.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let survey = try session.requireSurvey()
            let (id, by) = try Grammar.questionAndBy(positional, command: "describe")
            guard let question = survey.questionnaire.question(id) else {
                throw SurveyError.unknownQuestion(id: id, suggestion: Suggest.nearest(id, in: survey.questionnaire.questions.map(\.id)))
            }
            if question.isCategorical {
                return try crosstabOutput(session: session, question: question.id, by: by, includeAll: true)
            }
            var doc = Document()
            doc.heading("\(question.id): \(question.text)")
            switch question.type {
            case .numeric:
                let grouping = try session.grouping(by)
                let split = try NumericSamples(survey: survey, question: question.id, by: grouping)
                let all = Descriptives(split.samples.flatMap { $0 })
                let summaries = [(by == nil ? "all grouped" : "all", all)] + zip(split.levels, split.samples.map(Descriptives.init)).map { ($0, $1) }
                doc.table(StatisticsCommands.descriptivesTable(summaries))
                return CommandOutput(document: doc, json: .object([
                    ("question", .string(question.id)), ("by", .string(grouping.variable.name)),
                    ("groups", .array(summaries.map { StatisticsCommands.descriptivesJSON($0.0, $0.1) })),
                ]))
            default:
                let texts = survey.respondents.compactMap { r -> (String, String, Int)? in if case .text(let t) = r.answer(question.id) { return (r.id, t, r.row) }; return nil }
                doc.paragraph("\(texts.count) answers of \(survey.respondents.count) respondents")
                let g = try? session.grouping(by)
                doc.table(Table(columns: ["respondent", "group", "answer"], alignments: [.left, .left, .left],
                                rows: texts.prefix(5).map { [$0.0, g?.level(ofRow: $0.2) ?? "", $0.1] }))
                return CommandOutput(document: doc, json: .object([
                    ("question", .string(question.id)), ("answers", .int(texts.count)), ("respondents", .int(survey.respondents.count)),
                    ("first_answers", .array(texts.prefix(5).map { .object([("respondent", .string($0.0)), ("group", .string(g?.level(ofRow: $0.2) ?? "")),
                                                                           ("answer", .string($0.1))]) })),
                ]))
            }
        }
    }

    static let crosstab = Command(CrosstabCommand.self)

    struct CrosstabCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "crosstab", abstract: "counts, percentages and Wilson 95% intervals by group",
            usage: "crosstab Q [by group|by Q]",
            discussion: "Cross-tabulates a question against the groups (or another question): count, percent of the group and its Wilson 95% interval for every answer. For a multi-answer question each cell counts respondents who ticked the option, so percentages do not sum to 100.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let (id, by) = try Grammar.questionAndBy(positional, command: "crosstab")
            return try crosstabOutput(session: session, question: id, by: by, includeAll: false)
        }
    }

    /// A crosstab as the screen and reports show it: count, percent and Wilson 95% interval per group. With
    /// `suppressBelow`, a count from 1 to k − 1 is shown as "<k" and its interval left blank (disclosure control).
    static func crosstabDocument(_ x: Crosstab, includeAll: Bool, suppressBelow k: Int? = nil) -> Document {
        var doc = Document()
        doc.heading("\(x.question.id): \(x.question.text)")
        let shown = x.shown(includeAll: includeAll)
        var columns = ["answer"]
        for (r, level) in shown.levels.enumerated() { columns += ["\(level) (n=\(shown.n[r]))", "95% CI"] }
        var rows: [[String]] = []
        for (j, code) in x.columns.enumerated() {
            var row = [x.label(code)]
            for r in shown.levels.indices {
                let c = shown.counts[r][j]
                if let k, c > 0, c < k {
                    row += ["<\(k)", ""]
                    continue
                }
                row.append("\(c) (\(Formatting.percent(100 * (shown.share(r, j) ?? .nan))))")
                if let w = shown.interval(r, j) {
                    row.append(String(format: "%.1f–%.1f", 100 * w.lower, 100 * w.upper))
                } else {
                    row.append("NA")
                }
            }
            rows.append(row)
        }
        doc.table(Table(columns: columns, alignments: [.left] + Array(repeating: .right, count: columns.count - 1), rows: rows))
        if x.isMultiAnswer {
            doc.note("multi-answer question: cells count respondents who ticked each option; percentages do not sum to 100")
        }
        let missing = x.missing.reduce(0, +)
        if missing > 0 { doc.note("\(missing) respondent(s) did not answer and are left out") }
        return doc
    }

    static func crosstabOutput(session: Session, question id: String, by: String?, includeAll: Bool) throws -> CommandOutput {
        let survey = try session.requireSurvey()
        let grouping = try session.grouping(by)
        let x = try Crosstab(survey: survey, question: id, by: grouping)
        let doc = crosstabDocument(x, includeAll: includeAll)
        // The shown rows encode themselves (counts, n, percentages, intervals); the console adds what they are of.
        guard case .object(let shown) = try JSONValueEncoder.encode(x.shown(includeAll: includeAll)) else { return CommandOutput(document: doc) }
        let json: JSONValue = .object([
            ("question", .string(x.question.id)), ("by", .string(grouping.variable.name)),
            ("multi_answer", .bool(x.isMultiAnswer)), ("confidence_level", .number(0.95)),
            ("columns", .strings(x.columns)), ("labels", .strings(x.columns.map(x.label))),
        ] + shown)
        return CommandOutput(document: doc, json: json)
    }
}
