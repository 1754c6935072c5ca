import Foundation
import Render
import Survey

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

    public init(document: Document = Document(), json: JSONValue = .null, quit: Bool = false) {
        self.document = document
        self.json = json
        self.quit = quit
    }

    public func rendered(as format: OutputFormat, colour: Bool) -> String {
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

    public init(format: OutputFormat = .text, questionnaireFolders: [String] = ["questionnaires"]) {
        self.format = format
        self.questionnaireFolders = questionnaireFolders
    }

    public func requireSurvey() throws -> Survey {
        guard let s = survey else { throw ConsoleError.noSurvey }
        return s
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
