/// Everything that can be wrong with a questionnaire, a survey file or a request about them. Each case carries the
/// context the user needs to find the problem (file, line, column, field, value); the console words them.
public enum SurveyError: Error, Equatable, Sendable {
    case unreadable(path: String, reason: String)
    case emptyFile(path: String)
    /// A header but no respondent rows.
    case noRespondents(path: String)
    case invalidUTF8(path: String, line: Int, byteOffset: Int)
    /// The header line fits several delimiters equally well (named as they appear, e.g. "," and ";").
    case ambiguousDelimiter(path: String, candidates: [String])
    /// A NUL byte: no text export has one; a binary file or a device does.
    case nulByte(path: String, line: Int, byteOffset: Int)
    /// One record (line) longer than the reader's budget (`load survey --max-record-mb`).
    case recordTooLong(path: String, line: Int, limitBytes: Int)
    case unterminatedQuote(path: String, line: Int, column: Int)
    case strayQuote(path: String, line: Int, column: Int)
    case wrongColumnCount(path: String, line: Int, expected: Int, found: Int)
    case duplicateRespondent(path: String, line: Int, id: String, firstLine: Int)
    case missingRespondentID(path: String, line: Int)
    case unknownCode(path: String, line: Int, column: String, question: String, value: String, suggestion: String?)
    case multipleAnswersInSingle(path: String, line: Int, column: String, question: String, value: String)
    case notANumber(path: String, line: Int, column: String, question: String, value: String)
    case outOfScale(path: String, line: Int, column: String, question: String, value: String, range: ClosedRange<Int>)
    case duplicateColumn(path: String, column: String)
    case missingHeader(path: String, expected: String)
    /// A questionnaire file problem at a line and column, naming the field (e.g. `sections[1].questions[3].type`).
    case questionnaire(path: String, line: Int, column: Int, field: String, message: String)
    case unknownQuestion(id: String, suggestion: String?)
    case unknownColumn(name: String, suggestion: String?)
    case unknownFormat(name: String)
    case groupingUnavailable(reason: String)
    case tooFewGroups(variable: String, levels: Int)
    case notComparable(question: String, type: String)
    /// `compare` was asked about a question that holds no numbers.
    case notNumeric(question: String, type: String)
    /// An error raised while reading a file with a questionnaire trustgap picked by matching its header.
    indirect case pickedQuestionnaire(questionnaire: String, underlying: SurveyError)
    /// The file is not text in the encoding it was read as.
    case notInEncoding(path: String, encoding: String)
    /// An error in a file read through a UTF-8 copy (`copy`) of it.
    indirect case transcoded(path: String, copy: String, encoding: String, underlying: SurveyError)
    /// A filter or recode that does not parse.
    case badFilter(text: String, problem: String)
}
