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
    /// Every table of the run as a sheet of one Excel workbook (`--out FILE.xlsx`), written when the run ends.
    case xlsx

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
    /// The SVG the command drew (with or without a file written): what a notebook or the Jupyter kernel shows.
    public var drawn: String?

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
        case .csv, .xlsx: return TidyCSV.render(json, keepFormulas: keepFormulas)
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
        public var keepDuplicates = false
    }
    public var lastSurveyLoad: SurveyLoad?
    /// The survey as loaded, before the cleaning steps (`filter`, `recode`); `survey` is it cleaned.
    public var loadedSurvey: Survey?

    /// Applies `steps` to the loaded survey (all or nothing) and makes the result the survey analysed.
    func clean(_ steps: [CleaningStep]) throws {
        guard let loaded = loadedSurvey else { throw ConsoleError.noSurvey }
        survey = loaded.cleaned(steps)
        settings.cleaning = steps
    }

    // The pieces a workspace keeps, each noting its own changes (`WorkspacePiece`).
    /// Codebook, codings, their undo history and the auto-coding suggestions.
    public var coding = CodingState()
    /// The files behind the loaded survey and records, with their contents.
    public var files = LoadedFiles()
    /// Optional groups, the grouping column and the cleaning steps.
    public var settings = AnalysisSettings()

    public var format: OutputFormat
    /// Commands entered in this session, for `history`.
    public var history: [String] = []
    /// Where questionnaires are looked for when `load survey` gets none.
    public var questionnaireFolders: [String]
    /// The attached workspace (--workspace, save, open): every change is committed to it as it happens.
    public var workspace: WorkspaceStore?
    /// The analysis log of this session (and of the workspace it was opened from).
    public var log: [WorkspaceSnapshot.LogEntry] = []
    /// Loaded validation records, in load order.
    public var records: [ValidationRecord] = []

    /// CSV output and exports keep cells that start like a formula as they are (`--csv-keep-formulas`).
    public var csvKeepsFormulas = false
    /// With `--format csv --out-dir DIR`: each command's tables are written there, one file each.
    public var csvFolder: String?
    /// Commands run so far, numbering the files written to `csvFolder` and the sheets of `workbook`.
    var commandsRun = 0
    /// With `--format xlsx --out FILE.xlsx`: the file, and the sheets gathered until the run ends.
    public var workbookPath: String?
    var workbook = XLSXWorkbook()
    /// When set (a notebook being rendered), commands may name files under these folders only (see `CommandTable`).
    public var pathRoots: [String]?
    /// SVG files this session wrote, with the SHA-256 of what it wrote: a notebook inlines only these.
    public var writtenFigures: [String: String] = [:]
    /// In a notebook or the Jupyter kernel figures are shown where they are drawn, so `plot` and `wordcloud` need no
    /// `--out`: a notebook run again keeps its figures, and writes no file the reader did not ask for.
    public var showsFigures = false

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

    /// Everything a workspace keeps.
    public func snapshot() throws -> WorkspaceSnapshot {
        var s = WorkspaceSnapshot()
        s.files = try files.stored()
        s.codes = coding.storedCodes
        s.codings = CodingState.stored(coding.project.codings)
        s.settings = settings.stored
        s.history = history
        s.log = log
        return s
    }

    /// Hands every piece's changes since the last call (or save) to `change`.
    func takeChanges() throws -> WorkspaceStore.Change {
        var change = WorkspaceStore.Change()
        try files.takeChanges(into: &change)
        coding.takeChanges(into: &change)
        settings.takeChanges(into: &change)
        return change
    }

    /// The workspace now holds the session as it is (after save or open).
    func markSaved() {
        files.markSaved()
        coding.markSaved()
        settings.markSaved()
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
        let key = settings.enabledOptionalGroups.sorted().joined(separator: ",") + "|" + (settings.groupingColumn ?? "")
        if let cached = answerSetCache, cached.key == key, survey != nil { return cached.set }
        let built = try buildAnswerSet()
        answerSetCache = (key, built)
        return built
    }

    private func buildAnswerSet() throws -> AnswerSet {
        let survey = try requireSurvey()
        // Metadata (timestamps, ids) is never text to count words in.
        let open = survey.questionnaire.sections.filter { $0.id != "metadata" }.flatMap(\.questions).filter { $0.type == .open }.map(\.id)
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
        guard let q = survey.questionnaire.sections.filter({ $0.id != "metadata" }).flatMap(\.questions).first(where: { $0.type == .open }) else {
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
        } else if let column = settings.groupingColumn {
            variable = .question(column)
        } else {
            variable = .roles(enabledOptional: settings.enabledOptionalGroups)
        }
        return try GroupAssignment(survey: survey, variable: variable)
    }
}
