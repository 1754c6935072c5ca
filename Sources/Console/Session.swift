import Foundation
import Render
import Survey
import Thematic
import Validation

/// How command output is written.
public enum OutputFormat: String, Sendable, CaseIterable {
    case text, json, markdown, csv
}

/// What a command produced: a document for people and a JSON value for machines.
public struct CommandOutput {
    public var document: Document
    public var json: JSONValue
    /// Set by `quit`.
    public var quit = false
    /// A finished rendering that a command produced in a format of its own (explain --format html): printed as is.
    public var raw: String?

    public init(document: Document = Document(), json: JSONValue = .null, quit: Bool = false) {
        self.document = document
        self.json = json
        self.quit = quit
    }

    public func rendered(as format: OutputFormat, colour: Bool) -> String {
        if let raw { return raw }
        switch format {
        case .text: return TextRenderer(colour: colour).render(document)
        case .markdown: return MarkdownRenderer().render(document)
        case .csv: return CSVRenderer().render(document)
        case .json: return json.encoded()
        }
    }
}

/// The state one trustgap session keeps between commands. Commands replace `survey` only after a load has fully
/// succeeded, so a failed load leaves the previous survey in place.
public final class Session {
    public var survey: Survey?
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
    /// Loaded validation records, in load order.
    public var records: [ValidationRecord] = []
    /// Auto-coding suggestions waiting for accept or reject.
    public var suggestions: [Suggestion] = []

    public init(format: OutputFormat = .text, questionnaireFolders: [String] = ["questionnaires"]) {
        self.format = format
        self.questionnaireFolders = questionnaireFolders
    }

    public func requireSurvey() throws -> Survey {
        guard let s = survey else { throw ConsoleError.noSurvey }
        return s
    }

    public func record(_ id: String) throws -> ValidationRecord {
        if let r = records.first(where: { $0.id == id }) { return r }
        if records.isEmpty { throw ValidationError.noRecords(path: "(session)") }
        throw ValidationError.unknownRecord(id, suggestion: Suggest.nearest(id, in: records.map(\.id)))
    }

    /// The open answers of the loaded survey, with each respondent's group.
    public func answerSet() throws -> AnswerSet {
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
