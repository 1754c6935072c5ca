import ArgumentParser
import Foundation
import Render
import Statistics
import Survey
import Thematic
import Workspace

/// The workspace and the analysis log: save, open, log.
enum WorkspaceCommands {
    static let all: [Command] = [save, open, log]

    static let save = Command(SaveCommand.self)

    struct SaveCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "save", abstract: "save the session to a workspace file (atomically)",
            usage: "save [PATH]",
            discussion: "Saves the loaded survey and records (their files' contents and SHA-256 hashes), the codebook, the codings, settings, history and the analysis log to an SQLite workspace, writing a new file and renaming it into place so an interrupted save leaves the old workspace intact. Without PATH, saves to the attached workspace. From then on the workspace is attached: codings and log entries are committed as they happen.")
        static let completes: Command.Completion = .files
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard let path = positional.first ?? session.workspace?.path else {
                throw ConsoleError.usage(command: "save", message: "no workspace attached; give a path: save project.tgw")
            }
            if let store = session.workspace, store.readOnly, store.path == path {
                throw WorkspaceError.cannotSave(path: path, reason: "the file is read-only; save to a copy: save COPY.tgw")
            }
            // The saved file's lock is held until the store attached to it shares it.
            let saved = try WorkspaceStore.save(session.snapshot(), to: path)
            session.workspace = try withExtendedLifetime(saved) { try WorkspaceStore(path: path) }
            session.markSaved()
            return CommandOutput(document: Document([.paragraph("saved \(path): \(session.files.list.count) files, \(session.coding.project.codebook.codes.count) codes, \(session.coding.project.codings.count) codings, \(session.log.count) log entries")]),
                                 json: .object([("path", .string(path)), ("files", .int(session.files.list.count)), ("codes", .int(session.coding.project.codebook.codes.count)),
                                                ("codings", .int(session.coding.project.codings.count)), ("log_entries", .int(session.log.count))]))
        }
    }

    static let open = Command(OpenCommand.self)

    struct OpenCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "open", abstract: "open a workspace: its survey, records, codes and codings",
            usage: "open PATH",
            discussion: "Opens a workspace (migrating one written by an older trustgap): reloads the survey and records from the contents stored in it (the original files are not needed), restores the codebook, codings, settings, history and log, and attaches it.")
        static let completes: Command.Completion = .files
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard let path = positional.first else { throw ConsoleError.usage(command: "open", message: "which workspace? open project.tgw") }
            guard FileManager.default.fileExists(atPath: path) else { throw WorkspaceError.cannotOpen(path: path, reason: "no such file") }
            let store = try WorkspaceStore(path: path)
            try restore(try store.load(), into: session)
            session.workspace = store
            session.markSaved()
            var doc = Document([.paragraph("opened \(path): \(session.survey.map { "\($0.respondents.count) respondents" } ?? "no survey"), \(session.records.count) records, \(session.coding.project.codings.count) codings")])
            if store.readOnly {
                doc.note("the file is read-only: it is opened read-only, and changes stay in this session (save COPY.tgw keeps them)")
            }
            return CommandOutput(document: doc,
                                 json: .object([("path", .string(path)), ("respondents", session.survey.map { .int($0.respondents.count) } ?? .null),
                                                ("records", .int(session.records.count)), ("codings", .int(session.coding.project.codings.count))]))
        }
    }

    /// Rebuilds a session from a snapshot. Files are reloaded from their stored contents (written to a private
    /// folder), so a workspace opens on another machine; the rebuilt session is swapped in only when all of it worked.
    /// Nothing stored is taken as a path or as command text: the workspace has already checked each stored file
    /// against its SHA-256 (64 hex digits), file names are reduced to safe ones, and the load options are decoded as
    /// data (an unknown format is an error, not text pasted into a command).
    static func restore(_ s: WorkspaceSnapshot, into session: Session) throws {
        let trial = Session(format: session.format, questionnaireFolders: session.questionnaireFolders)
        let dir = try PrivateFolder.shared.make("workspace")
        func materialise(_ f: WorkspaceSnapshot.File) throws -> String {
            let sub = dir.appendingPathComponent(f.sha256)
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            let target = sub.appendingPathComponent(FileNames.safe(f.path))
            try f.content.write(to: target)
            return target.path
        }
        if let survey = s.files.first(where: { $0.kind == "survey" }) {
            let q = try s.files.first(where: { $0.kind == "questionnaire" }).map(materialise)
            guard let opts = (try? JSONSerialization.jsonObject(with: Data(survey.options.utf8))) as? [String: String] else {
                throw WorkspaceError.damaged(path: session.workspace?.path ?? "workspace", place: "file \(survey.path), column options",
                                             problem: "the load options are not a JSON object of strings")
            }
            let formatName = opts["format"] ?? "auto"
            guard let format = SurveyFormat(rawValue: formatName) else { throw SurveyError.unknownFormat(name: formatName) }
            // Workspaces saved before the option existed read blanks as not answered, as trustgap did then.
            let blankName = opts["multi_blank"] ?? BlankMultiAnswer.notAnswered.rawValue
            guard let blank = BlankMultiAnswer(rawValue: blankName) else {
                throw WorkspaceError.damaged(path: session.workspace?.path ?? "workspace", place: "file \(survey.path), column options",
                                             problem: "multi_blank is \"\(blankName)\", not ticked-nothing or not-answered")
            }
            // A forced delimiter is one byte of , ; tab |; anything else in the options is damage.
            var delimiter: UInt8?
            if let d = opts["delimiter"] {
                guard d.utf8.count == 1, let byte = d.utf8.first, CSVReader.candidateDelimiters.contains(byte) else {
                    throw WorkspaceError.damaged(path: session.workspace?.path ?? "workspace", place: "file \(survey.path), column options",
                                                 problem: "delimiter is \"\(d)\", not one of , ; tab |")
                }
                delimiter = byte
            }
            var encoding: SurveyEncoding?
            if let e = opts["encoding"] {
                guard let known = SurveyEncoding(rawValue: e) else {
                    throw WorkspaceError.damaged(path: session.workspace?.path ?? "workspace", place: "file \(survey.path), column options",
                                                 problem: "encoding is \"\(e)\", not utf-8, utf-16 or windows-1252")
                }
                encoding = known
            }
            // Corrections made with set: data, parsed as the prompt parses them.
            var edits: [QuestionEdit] = []
            if let stored = opts["edits"], let list = (try? JSONSerialization.jsonObject(with: Data(stored.utf8))) as? [String] {
                edits = try list.map(QuestionEdit.parse)
            }
            try SurveyCommands.loadSurvey(path: try materialise(survey), questionnaire: q, group: opts["group"], format: format,
                                          blankMultiAnswer: blank, delimiter: delimiter, encoding: encoding, edits: edits, into: trial)
        }
        let recordFiles = s.files.filter { $0.kind == "record" }
        if !recordFiles.isEmpty {
            let recordDir = dir.appendingPathComponent("records")
            try FileManager.default.createDirectory(at: recordDir, withIntermediateDirectories: true)
            for f in s.files where f.kind == "record" || f.kind == "predictions" {
                try f.content.write(to: recordDir.appendingPathComponent(FileNames.safe(f.path)))
            }
            _ = try RecordCommands.loadRecords(recordDir.path, session: trial)
        }
        var book = Codebook()
        for c in s.codes {
            try book.add(Code(id: c.id, name: c.name, definition: c.definition, include: c.include, exclude: c.exclude, example: c.example,
                              colour: c.colour, parent: c.parent, codable: c.codable, memo: c.memo))
        }
        trial.coding.project = CodingProject(codebook: book, codings: s.codings.map { Coding(respondent: $0.respondent, question: $0.question, code: $0.code, coder: $0.coder, start: $0.start, end: $0.end) })
        if let g = s.settings["optional_groups"], !g.isEmpty { trial.settings.enabledOptionalGroups = Set(g.split(separator: ",").map(String.init)) }
        // Cleaning steps are data: each re-parsed against the survey it was made for.
        if let stored = s.settings["cleaning"], !stored.isEmpty, let loaded = trial.survey {
            let place = "settings, cleaning"
            guard let items = (try? JSONSerialization.jsonObject(with: Data(stored.utf8))) as? [[String: String]] else {
                throw WorkspaceError.damaged(path: session.workspace?.path ?? "workspace", place: place, problem: "not a list of cleaning steps")
            }
            // Each step is parsed against the questionnaire the steps before it made, which only a recode changes:
            // cleaning the whole survey again for every step made 3,000 steps (a 200 KB workspace) take minutes.
            var steps: [CleaningStep] = []
            var current = loaded
            for item in items {
                try Interruption.check()
                switch (item["kind"], item["text"]) {
                case ("filter"?, let text?): steps.append(.filter(try SurveyFilter.parse(text, questionnaire: current.questionnaire)))
                case ("recode"?, let text?):
                    let recode = try Recode.parse(text, questionnaire: current.questionnaire, label: item["label"])
                    steps.append(.recode(recode))
                    current = current.cleaned([.recode(recode)])
                default: throw WorkspaceError.damaged(path: session.workspace?.path ?? "workspace", place: place, problem: "a step is neither a filter nor a recode")
                }
            }
            trial.loadedSurvey = loaded
            try trial.clean(steps)
        }
        // Keep the original paths in the session, so the log and a later save name the user's files.
        trial.files.replace(with: s.files.map(Session.LoadedFile.init))
        trial.history = s.history
        trial.log = s.log
        session.loadedSurvey = trial.loadedSurvey
        session.settings.cleaning = trial.settings.cleaning
        session.survey = trial.survey
        session.records = trial.records
        session.coding = trial.coding
        session.settings.enabledOptionalGroups = trial.settings.enabledOptionalGroups
        session.settings.groupingColumn = trial.settings.groupingColumn
        session.files = trial.files
        session.history = trial.history
        session.log = trial.log
    }

    static let log = Command(LogCommand.self)

    struct LogCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "log", abstract: "the analysis log: every command with time, input hashes and result digest",
            usage: "log [export FILE.csv|FILE.json]",
            discussion: "Lists every command run in this session (and in the workspace it came from): when, the SHA-256 of the files it ran against, a SHA-256 digest of its result, and whether it succeeded, so a reported number can be traced to its data and re-run. log export writes the log as CSV or JSON.")
        static let completes: Command.Completion = .files
        static let verbs: [String] = ["export"]
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let entries = session.log
            func json() -> JSONValue {
                .array(entries.map { .object([("time", .string($0.time)), ("command", .string($0.command)), ("input_hashes", .string($0.inputHashes)),
                                             ("result_digest", .string($0.resultDigest)), ("status", .string($0.status))]) })
            }
            if positional.first == "export" {
                guard positional.count == 2 else { throw ConsoleError.usage(command: "log", message: "expected log export FILE.csv|FILE.json") }
                let path = positional[1]
                let text = path.hasSuffix(".json") ? json().encoded() + "\n"
                    : ([["time", "command", "input_hashes", "result_digest", "status"]] + entries.map { [$0.time, $0.command, $0.inputHashes, $0.resultDigest, $0.status] })
                        .map { $0.map { CSVRenderer.cell($0, keepFormulas: session.csvKeepsFormulas) }.joined(separator: ",") }.joined(separator: "\n") + "\n"
                try FileOutput.write(text, to: path)
                return CommandOutput(document: Document([.paragraph("wrote \(entries.count) log entries to \(path)")]), json: .object([("entries", .int(entries.count)), ("out", .string(path))]))
            }
            var doc = Document()
            doc.table(Table(columns: ["time", "command", "status", "inputs", "result"], alignments: [.left, .left, .left, .left, .left],
                            rows: entries.map { [$0.time, $0.command, $0.status, $0.inputHashes.split(separator: ";").map { String($0.prefix(22)) }.joined(separator: " "), String($0.resultDigest.prefix(12))] }))
            return CommandOutput(document: doc, json: json())
        }
    }
}

extension Session {
    /// Attaches a workspace for `--workspace PATH`: opens it when it exists, creates it otherwise.
    public func attach(workspace path: String) throws {
        if FileManager.default.fileExists(atPath: path) {
            let store = try WorkspaceStore(path: path)
            try WorkspaceCommands.restore(try store.load(), into: self)
            workspace = store
        } else {
            let saved = try WorkspaceStore.save(snapshot(), to: path)
            workspace = try withExtendedLifetime(saved) { try WorkspaceStore(path: path) }
        }
        markSaved()
    }
}
