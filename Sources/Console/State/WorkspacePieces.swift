import Foundation
import Render
import Survey
import Thematic
import Workspace

/// A piece of session state that a workspace keeps. Each piece notes what of it changed as the change is made and
/// hands that over once (`takeChanges`), so the runner writes what a command changed without comparing the whole
/// session before and after it; `markSaved` says the workspace now holds the piece as it is (after save or open).
protocol WorkspacePiece {
    mutating func takeChanges(into change: inout WorkspaceStore.Change) throws
    mutating func markSaved()
}

/// The codebook and the codings (with their undo history), and the auto-coding suggestions waiting for a decision.
/// A coding is written to the workspace as one new row: the piece remembers how many of the saved codings are
/// still as they were.
public struct CodingState: WorkspacePiece {
    public var project = CodingProject() { didSet { note(from: oldValue) } }
    /// Auto-coding suggestions waiting for accept or reject (not kept in a workspace).
    public var suggestions: [Suggestion] = []
    private var codebookChanged = false
    /// Codings after the first `keptCodings` changed since the last save (nil: none did).
    private var keptCodings: Int?

    /// Drops the suggestions at these positions (accepted or rejected).
    public mutating func removeSuggestions(at positions: Set<Int>) {
        suggestions = suggestions.enumerated().filter { !positions.contains($0.offset) }.map(\.element)
    }

    private mutating func note(from old: CodingProject) {
        if old.codebook != project.codebook { codebookChanged = true }
        let a = old.codings, b = project.codings
        if a != b {
            let keep = zip(a, b).prefix { $0 == $1 }.count
            keptCodings = min(keptCodings ?? keep, keep)
        }
    }

    var storedCodes: [WorkspaceSnapshot.CodeRow] {
        project.codebook.codes.map { .init(id: $0.id, name: $0.name, definition: $0.definition, include: $0.include, exclude: $0.exclude,
                                           example: $0.example, colour: $0.colour, parent: $0.parent, codable: $0.codable, memo: $0.memo) }
    }

    static func stored(_ list: some Collection<Coding>) -> [WorkspaceSnapshot.CodingRow] {
        list.map { .init(respondent: $0.respondent, question: $0.question, code: $0.code, coder: $0.coder, start: $0.start, end: $0.end) }
    }

    mutating func takeChanges(into change: inout WorkspaceStore.Change) {
        if codebookChanged { change.codes = storedCodes }
        if let keep = keptCodings { change.codings = (keep, Self.stored(project.codings[keep...])) }
        markSaved()
    }

    mutating func markSaved() {
        codebookChanged = false
        keptCodings = nil
    }
}

/// The files behind the loaded survey and records, with their contents, for the workspace and the analysis log.
/// A file set whose contents or load options differ from the saved one is written again.
public struct LoadedFiles: WorkspacePiece {
    public private(set) var list: [Session.LoadedFile] = []
    /// What the workspace holds: each file's kind, path, hash and options.
    private var saved: [String] = []

    private var fingerprint: [String] { list.map { "\($0.kind)\u{0}\($0.path)\u{0}\($0.sha256)\u{0}\($0.options)" } }

    /// Remembers a file that was loaded (replacing an earlier one of the same kind and path; one survey and one
    /// questionnaire at a time). With `sha256` (hashed while it was read) the content is not kept.
    mutating func remember(kind: String, path: String, options: String = "{}", sha256: String? = nil) {
        let file: Session.LoadedFile
        if let sha256 {
            file = Session.LoadedFile(kind: kind, path: path, sha256: sha256, options: options, content: nil)
        } else {
            guard let data = FileManager.default.contents(atPath: path) else { return }
            file = Session.LoadedFile(kind: kind, path: path, sha256: WorkspaceSnapshot.sha256(data), options: options, content: data)
        }
        if kind == "survey" || kind == "questionnaire" { list.removeAll { $0.kind == kind } }
        list.removeAll { $0.kind == kind && $0.path == path }
        list.append(file)
    }

    mutating func forget(kind: String) { list.removeAll { $0.kind == kind } }

    /// The files as a workspace stores them (contents read again where only the hash was kept).
    func stored() throws -> [WorkspaceSnapshot.File] {
        try list.map { .init(kind: $0.kind, path: $0.path, sha256: $0.sha256, content: try $0.contents(), options: $0.options) }
    }

    /// The files of an opened workspace, as they were saved.
    mutating func replace(with files: [Session.LoadedFile]) { list = files }

    mutating func takeChanges(into change: inout WorkspaceStore.Change) throws {
        let now = fingerprint
        if now != saved { change.files = try stored() }
        saved = now
    }

    mutating func markSaved() { saved = fingerprint }
}

/// The analysis settings a workspace keeps: optional groups switched on, the grouping column chosen at load time,
/// and the cleaning steps (filters and recodes, as data re-parsed against the survey when a workspace is opened).
public struct AnalysisSettings: WorkspacePiece {
    /// Optional groups switched on (`groups --with mixed`).
    public var enabledOptionalGroups: Set<String> = []
    /// Grouping chosen at load time with `--group COLUMN`; nil means the questionnaire's role rule.
    public var groupingColumn: String?
    /// The cleaning steps applied to the survey as loaded, in order.
    public var cleaning: [CleaningStep] = []
    private var saved: [String: String]?

    /// The settings as a workspace stores them.
    var stored: [String: String] {
        var settings = ["optional_groups": enabledOptionalGroups.sorted().joined(separator: ","), "group_column": groupingColumn ?? ""]
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

    mutating func takeChanges(into change: inout WorkspaceStore.Change) {
        let now = stored
        if now != saved { change.settings = now }
        saved = now
    }

    mutating func markSaved() { saved = stored }
}
