/// What can be wrong in thematic work; each case carries what the user needs to find it. Console words them.
public enum ThematicError: Error, Equatable, Sendable {
    case unknownCode(String, suggestion: String?)
    case duplicateCode(String)
    /// A code colour that is not #RRGGBB (it is written into XML attributes on export).
    case invalidColour(code: String, colour: String)
    case notCodable(String)
    case cycle(code: String, parent: String)
    case unknownRespondent(String, suggestion: String?)
    case unknownQuestion(String)
    case noAnswer(respondent: String, question: String)
    case textNotInAnswer(respondent: String, question: String, text: String)
    case spanOutOfRange(respondent: String, question: String, start: Int, end: Int, length: Int)
    case overlappingSpan(respondent: String, question: String, code: String, coder: String)
    case notCoded(respondent: String, question: String, code: String)
    case nothingToUndo
    /// A file problem at a line (and column, 0 when unknown) naming the field.
    case file(path: String, line: Int, column: Int, message: String)
    /// An error of one row of a file (an imported coding), at its line.
    indirect case atLine(path: String, line: Int, ThematicError)
    case fewerThanTwoCoders(found: [String])
    case noSuggestion(Int)
    /// A rule's regular expression ran longer than its budget on one answer (catastrophic backtracking).
    case ruleTooSlow(code: String, pattern: String, respondent: String, seconds: Double)
}
