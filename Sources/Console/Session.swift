import Foundation
import Render
import Survey
import Thematic
import Validation
import Workspace

/// How command output is written.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, markdown, csv
    /// One JSON object per command, one per line (`{command, result}` or `{command, error}`).
    case ndjson

    /// Formats for programs: a run prints `{command, result | error}` entries, never the screen text.
    var isMachine: Bool { self == .json || self == .ndjson }
}

/// What a command produced: a document for people and a JSON value for machines.
public struct CommandOutput {
    public var document: Document
    public var json: JSONValue
    /// Set by `quit`.
    public var quit = false
    /// A finished rendering that a command produced in a format of its own (explain --format html): printed as is.
    public var raw: String?
    /// The SVG figure the command drew and wrote (plot, wordcloud): a notebook shows it inline.
    public var figure: String?

    public init(document: Document = Document(), json: JSONValue = .null, quit: Bool = false) {
        self.document = document
        self.json = json
        self.quit = quit
    }

    public func rendered(as format: OutputFormat, colour: Bool, keepFormulas: Bool = false) -> String {
        if let raw { return raw }
        switch format {
        case .text: return TextRenderer(colour: colour).render(document)
        case .markdown: return MarkdownRenderer().render(document)
        // One tidy table per command, from the same values as the text (TidyCSV).
        case .csv: return TidyCSV.render(json, keepFormulas: keepFormulas)
        case .json: return json.encoded()
        case .ndjson: return json.encoded(pretty: false)
        }
    }
}

/// The state one trustgap session keeps between commands. Commands replace `survey` only after a load has fully
/// succeeded, so a failed load leaves the previous survey in place.
public final class Session {
    public var survey: Survey? { didSet { answerSetCache = nil } }
    /// How the survey was loaded, so that `set` can read the file again with a correction.
    public struct SurveyLoad {
        public var path: String
        public var rememberedPath: String?
        public var questionnaire: String?
        public var group: String?
        public var format: SurveyFormat
        public var blankMultiAnswer: BlankMultiAnswer
        public var maxRecordBytes: Int
        public var delimiter: UInt8?
        public var encoding: SurveyEncoding?
        public var dictionary: String?
        public var edits: [QuestionEdit]
    }
    public var lastSurveyLoad: SurveyLoad?
    /// The survey as loaded, before the cleaning steps (`filter`, `recode`); `survey` is it cleaned.
    public var loadedSurvey: Survey?
    /// The cleaning steps applied to `loadedSurvey`, in order.
    public var cleaning: [CleaningStep] = []

    /// Applies `steps` to the loaded survey (all or nothing) and makes the result the survey analysed.
    func clean(_ steps: [CleaningStep]) throws {
        guard let loaded = loadedSurvey else { throw ConsoleError.noSurvey }
        survey = loaded.cleaned(steps)
        cleaning = steps
    }
    /// Optional groups switched on (`groups --with mixed`).
    public var enabledOptionalGroups: Set<String> = []
    /// Grouping chosen at load time with `--group COLUMN`; nil means the questionnaire's role rule.
    public var defaultGroupingColumn: String?
    public var format: OutputFormat
    /// Commands entered in this session, for `history`.
    public var history: [String] = []
    /// Where questionnaires are looked for when `load survey` gets none.
    public var questionnaireFolders: [String]
    /// Codebook, codings and their undo history.
    public var coding = CodingProject()
    /// The attached workspace (--workspace, save, open): every change is committed to it as it happens.
    public var workspace: WorkspaceStore?
    /// The files behind the loaded survey and records, with their contents, for the workspace and the log.
    public var files: [LoadedFile] = []
    /// The analysis log of this session (and of the workspace it was opened from).
    public var log: [WorkspaceSnapshot.LogEntry] = []
    /// Loaded validation records, in load order.
    public var records: [ValidationRecord] = []
    /// Auto-coding suggestions waiting for accept or reject.
    public var suggestions: [Suggestion] = []

    /// CSV output and exports keep cells that start like a formula as they are (`--csv-keep-formulas`).
    public var csvKeepsFormulas = false
    /// When set (a notebook being rendered), commands may name files under these folders only (see `CommandTable`).
    public var pathRoots: [String]?
    /// SVG files this session wrote, with the SHA-256 of what it wrote: a notebook inlines only these.
    public var writtenFigures: [String: String] = [:]

    /// Notes that trustgap itself drew `svg` and wrote it to `path` (plot, wordcloud).
    func rememberFigure(_ svg: String, at path: String) {
        writtenFigures[URL(fileURLWithPath: path).standardizedFileURL.path] = WorkspaceSnapshot.sha256(Data(svg.utf8))
    }

    /// The SVG at `path` if this session wrote it, unchanged since.
    func figureWritten(at path: String) -> String? {
        guard let hash = writtenFigures[URL(fileURLWithPath: path).standardizedFileURL.path],
              let data = FileManager.default.contents(atPath: path), WorkspaceSnapshot.sha256(data) == hash else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    public init(format: OutputFormat = .text, questionnaireFolders: [String] = ["questionnaires"]) {
        self.format = format
        self.questionnaireFolders = questionnaireFolders
    }

    public func requireSurvey() throws -> Survey {
        guard let s = survey else { throw ConsoleError.noSurvey }
        return s
    }

    /// A file behind the session. A survey is hashed while it loads and its content is read again only when a
    /// workspace needs it (checked against the hash), so a large survey is not held twice; other files are small
    /// and kept as read.
    public struct LoadedFile: Sendable {
        public var kind: String
        public var path: String
        public var sha256: String
        public var options: String
        public var content: Data?

        public init(kind: String, path: String, sha256: String, options: String, content: Data?) {
            self.kind = kind; self.path = path; self.sha256 = sha256; self.options = options; self.content = content
        }

        init(_ f: WorkspaceSnapshot.File) {
            self.init(kind: f.kind, path: f.path, sha256: f.sha256, options: f.options, content: f.content)
        }

        /// The content as loaded: kept, or read again and checked against the hash.
        func contents() throws -> Data {
            if let content { return content }
            guard let data = FileManager.default.contents(atPath: path), WorkspaceSnapshot.sha256(data) == sha256 else {
                throw WorkspaceError.sourceChanged(path: path)
            }
            return data
        }
    }

    /// Remembers a file that was loaded (replacing an earlier one of the same kind and path). With `sha256` (hashed
    /// while it was read) the content is not kept.
    public func remember(kind: String, path: String, options: String = "{}", sha256: String? = nil) {
        let file: LoadedFile
        if let sha256 {
            file = LoadedFile(kind: kind, path: path, sha256: sha256, options: options, content: nil)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else { return }
            file = LoadedFile(kind: kind, path: path, sha256: WorkspaceSnapshot.sha256(data), options: options, content: data)
        }
        if kind == "survey" || kind == "questionnaire" { files.removeAll { $0.kind == kind } }
        files.removeAll { $0.kind == kind && $0.path == path }
        files.append(file)
    }

    /// Everything a workspace keeps.
    public func snapshot() throws -> WorkspaceSnapshot {
        var s = WorkspaceSnapshot()
        s.files = try storedFiles()
        s.codes = storedCodes()
        s.codings = storedCodings(coding.codings)
        s.settings = storedSettings()
        s.history = history
        s.log = log
        return s
    }

    func storedFiles() throws -> [WorkspaceSnapshot.File] {
        try files.map { .init(kind: $0.kind, path: $0.path, sha256: $0.sha256, content: try $0.contents(), options: $0.options) }
    }

    func storedCodes() -> [WorkspaceSnapshot.CodeRow] {
        coding.codebook.codes.map { .init(id: $0.id, name: $0.name, definition: $0.definition, include: $0.include, exclude: $0.exclude,
                                          example: $0.example, colour: $0.colour, parent: $0.parent, codable: $0.codable, memo: $0.memo) }
    }

    func storedCodings(_ list: some Collection<Coding>) -> [WorkspaceSnapshot.CodingRow] {
        list.map { .init(respondent: $0.respondent, question: $0.question, code: $0.code, coder: $0.coder, start: $0.start, end: $0.end) }
    }

    func storedSettings() -> [String: String] {
        var settings = ["optional_groups": enabledOptionalGroups.sorted().joined(separator: ","), "group_column": defaultGroupingColumn ?? ""]
        // Cleaning steps as data (kind, text, label), re-parsed against the survey when a workspace is opened.
        if !cleaning.isEmpty {
            settings["cleaning"] = JSONValue.array(cleaning.map { step in
                switch step {
                case .filter(let f): return .object([("kind", .string("filter")), ("text", .string(f.text))])
                case .recode(let r): return .object([("kind", .string("recode")), ("text", .string(r.text)), ("label", .string(r.label))])
                }
            }).encoded(pretty: false)
        }
        return settings
    }

    public func record(_ id: String) throws -> ValidationRecord {
        if let r = records.first(where: { $0.id == id }) { return r }
        if records.isEmpty { throw ValidationError.noRecords(path: "(session)") }
        throw ValidationError.unknownRecord(id, suggestion: Suggest.nearest(id, in: records.map(\.id)))
    }

    /// The open answers of the loaded survey, with each respondent's group.
    /// The open answers of the loaded survey, built once per survey and grouping: every coding command reads them, and
    /// building them for 300,000 respondents took 150 ms a command.
    private var answerSetCache: (key: String, set: AnswerSet)?

    public func answerSet() throws -> AnswerSet {
        let key = enabledOptionalGroups.sorted().joined(separator: ",") + "|" + (defaultGroupingColumn ?? "")
        if let cached = answerSetCache, cached.key == key, survey != nil { return cached.set }
        let built = try buildAnswerSet()
        answerSetCache = (key, built)
        return built
    }

    private func buildAnswerSet() throws -> AnswerSet {
        let survey = try requireSurvey()
        let open = survey.questionnaire.questions.filter { $0.type == .open }.map(\.id)
        var texts: [String: [String: String]] = [:]
        for r in survey.respondents {
            var t: [String: String] = [:]
            for q in open { if case .text(let s) = r.answer(q) { t[q] = s } }
            texts[r.id] = t
        }
        let groups = (try? grouping(nil))?.groupOf ?? [:]
        return AnswerSet(texts: texts, groupOf: groups, respondentOrder: survey.respondents.map(\.id))
    }

    /// The open question a thematic command works on: the one named, or the questionnaire's first open question.
    public func openQuestion(_ named: String?) throws -> String {
        let survey = try requireSurvey()
        if let named {
            guard let q = survey.questionnaire.question(named) else {
                throw SurveyError.unknownQuestion(id: named, suggestion: Suggest.nearest(named, in: survey.questionnaire.questions.map(\.id)))
            }
            guard q.type == .open else { throw ConsoleError.notOpenQuestion(id: q.id, type: q.type.rawValue) }
            return q.id
        }
        guard let q = survey.questionnaire.questions.first(where: { $0.type == .open }) else {
            throw ConsoleError.notOpenQuestion(id: "(none)", type: "missing")
        }
        return q.id
    }

    /// The grouping a command uses: `by group` (the default) or `by Q`.
    public func grouping(_ by: String?) throws -> GroupAssignment {
        let survey = try requireSurvey()
        let variable: GroupingVariable
        if let by, by.lowercased() != "group" {
            variable = .question(by)
        } else if let column = defaultGroupingColumn {
            variable = .question(column)
        } else {
            variable = .roles(enabledOptional: enabledOptionalGroups)
        }
        return try GroupAssignment(survey: survey, variable: variable)
    }
}
