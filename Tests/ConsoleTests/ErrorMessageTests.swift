import Foundation
import Testing
@testable import Console
import Explain
import Statistics
import Survey
import Thematic
import Validation
import Workspace

/// One case of each module's error type, worded by the one place that words them all, with its stable code and
/// position: never the error value itself.
@Test func everyModulesErrorsAreWordedInOnePlace() {
    let samples: [(Error, String, String)] = [
        (ConsoleError.noSurvey, "console.no_survey", "no survey loaded; start with: load survey data/ai4hi/responses.csv"),
        (SurveyError.unterminatedQuote(path: "a.csv", line: 3, column: 7), "survey.unterminated_quote", "a.csv:3:7: a quoted field opened here is never closed"),
        (StatisticsError.ragged(row: 1, expected: 2, found: 1), "statistics.ragged", "row 2 has 1 cells, the first row has 2"),
        (ThematicError.nothingToUndo, "thematic.nothing_to_undo", "nothing to undo"),
        (ValidationError.field(path: "r.json", jsonPath: "cases[3].prediction.probability", message: "expected a number, got \"high\""), "validation.field",
         "r.json: cases[3].prediction.probability: expected a number, got \"high\""),
        (WorkspaceError.notAWorkspace(path: "w.db"), "workspace.not_a_workspace", "w.db is not a trustgap workspace; it was left unchanged"),
        (ExplainError.file(path: "p.yaml", line: 2, column: 10, message: "numbers: expected decimal"), "explain.file", "p.yaml:2:10: numbers: expected decimal"),
        (ExplainError.hyphenationUnreadable(path: "/x.dic"), "explain.hyphenation_unreadable",
         "cannot read the hyphenation patterns /x.dic that the reading level is measured with (apt-get install hyphen-en-us, or set TRUSTGAP_HYPHEN_DIC)"),
        (CocoaError(.fileNoSuchFile), "system.error", CocoaError(.fileNoSuchFile).localizedDescription),
    ]
    for (error, code, message) in samples {
        #expect(ErrorMessages.code(for: error) == code)
        #expect(ErrorMessages.message(for: error) == message)
    }
    let position = ErrorMessages.position(for: SurveyError.unterminatedQuote(path: "a.csv", line: 3, column: 7)).map(\.0)
    #expect(position == ["file", "line", "column"])
    #expect(ErrorMessages.position(for: ValidationError.field(path: "r.json", jsonPath: "cases[3]", message: "m")).map(\.0) == ["file", "json_path"])
}
