import Explain
import Foundation
import Render
import Statistics
import Survey
import Thematic
import Validation
import Workspace

/// Errors of the console itself (commands and their arguments).
public enum ConsoleError: Error, Equatable {
    case unknownCommand(String, suggestion: String?)
    case usage(command: String, message: String)
    case noSurvey
    case notOpenQuestion(id: String, type: String)
    case scriptFailed(path: String, line: Int, message: String)
    case unreadableScript(path: String, reason: String)
}

/// The one place where errors of every module become the sentence the user reads after `error: `.
public enum ErrorMessages {
    public static func message(for error: Error) -> String {
        switch error {
        case let e as ConsoleError: return console(e)
        case let e as SurveyError: return survey(e)
        case let e as StatisticsError: return statistics(e)
        case let e as ThematicError: return thematic(e)
        case let e as ValidationError: return validation(e)
        case let e as WorkspaceError:
            switch e {
            case let .cannotOpen(path, reason): return "cannot open the workspace \(path): \(reason)"
            case let .cannotSave(path, reason): return "cannot save the workspace \(path): \(reason); the previous workspace is unchanged"
            case let .notAWorkspace(path): return "\(path) is not a trustgap workspace; it was left unchanged"
            case let .newerVersion(path, found): return "\(path) was written by a newer trustgap (schema \(found)); update trustgap to open it"
            case let .sourceChanged(path): return "\(path) changed or went away since it was loaded; load it again before saving"
            case let .damaged(path, place, problem): return "\(path): \(place): \(problem); the workspace was not opened"
            case let .locked(path, holder): return "\(path) is open in another session (\(holder)); close it there first, or work on a copy"
            }
        case let e as ExplainError: return explain(e)
        // Not ours: Foundation's file errors and the like, in their own words, never as a type dump.
        case let e as CocoaError: return e.localizedDescription
        default: return (error as NSError).localizedDescription
        }
    }

    static func explain(_ e: ExplainError) -> String {
        switch e {
        case let .file(path, line, column, message):
            return line > 0 ? "\(path):\(line)\(column > 0 ? ":\(column)" : ""): \(message)" : "\(path): \(message)"
        case let .unknownAudience(name):
            return "no audience \(name)\(didYouMean(Suggest.nearest(name, in: Audience.allCases.map(\.rawValue)))); the audiences are developer, clinician, patient and regulator"
        case let .unknownCase(record, id, suggestion): return "record \(record) has no case \(id)\(didYouMean(suggestion))"
        case let .hyphenationUnreadable(path):
            return "cannot read the hyphenation patterns \(path) that the reading level is measured with (apt-get install hyphen-en-us, or set TRUSTGAP_HYPHEN_DIC)"
        case let .plainLanguageMissing(record, jsonPath, term):
            return "the patient text of \(record) is withheld: the record has no \(jsonPath) and the glossary has no plain words for \"\(term)\"; add \(jsonPath) to the record in words a patient reads"
        }
    }

    /// A stable code for a program to branch on: the module and the error's case, in snake case
    /// (`survey.unknown_question`, `explain.file`); `system.error` for errors that are not trustgap's.
    public static func code(for error: Error) -> String {
        let module: String
        switch error {
        case is ConsoleError: module = "console"
        case is SurveyError: module = "survey"
        case is StatisticsError: module = "statistics"
        case is ThematicError: module = "thematic"
        case is ValidationError: module = "validation"
        case is WorkspaceError: module = "workspace"
        case is ExplainError: module = "explain"
        default: return "system.error"
        }
        // A case with values is reflected as one child labelled with the case's name; one without, by its name.
        let name = Mirror(reflecting: error).children.first?.label ?? String(describing: error)
        var snake = ""
        for c in name {
            if c.isUppercase { snake += "_" + c.lowercased() } else { snake.append(c) }
        }
        return module + "." + snake
    }

    /// Where an error happened, from the values its case carries: the file, line, column and JSON path.
    public static func position(for error: Error) -> [(String, JSONValue)] {
        guard let payload = Mirror(reflecting: error).children.first?.value else { return [] }
        var out: [(String, JSONValue)] = []
        for child in Mirror(reflecting: payload).children {
            switch (child.label, child.value) {
            case ("path"?, let v as String): out.append(("file", .string(v)))
            case ("line"?, let v as Int) where v > 0: out.append(("line", .int(v)))
            case ("column"?, let v as Int) where v > 0: out.append(("column", .int(v)))
            case ("jsonPath"?, let v as String): out.append(("json_path", .string(v)))
            default: continue
            }
        }
        return out
    }

    static func didYouMean(_ s: String?) -> String { s.map { " (did you mean \($0)?)" } ?? "" }

    static func console(_ e: ConsoleError) -> String {
        switch e {
        case let .unknownCommand(name, suggestion):
            return "unknown command \"\(name)\"\(didYouMean(suggestion)); type help for the list"
        case let .usage(command, message):
            return "\(command): \(message) (see: help \(command))"
        case let .notOpenQuestion(id, type):
            return "\(id) is a \(type) question; thematic commands work on open questions"
        case .noSurvey:
            return "no survey loaded; start with: load survey data/ai4hi/responses.csv"
        case let .scriptFailed(path, line, message):
            return "\(path):\(line): \(message)"
        case let .unreadableScript(path, reason):
            return "cannot read \(path): \(reason)"
        }
    }

    static func survey(_ e: SurveyError) -> String {
        switch e {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .emptyFile(path): return "\(path): the file is empty"
        case let .noRespondents(path): return "\(path): the file has a header line but no respondent rows"
        case let .invalidUTF8(path, line, byte):
            return "\(path):\(line): invalid UTF-8 at byte \(byte) of the line; save the file as UTF-8, or say its encoding with load survey … --encoding windows-1252 (or utf-16)"
        case let .badFilter(text, problem): return "\"\(text)\": \(problem)"
        case let .notInEncoding(path, encoding):
            return "\(path): the file is not \(encoding) text; try another --encoding (utf-8, utf-16, windows-1252)"
        case let .transcoded(path, copy, encoding, underlying):
            // Lines are the file's; byte positions are those of its UTF-8 reading.
            return survey(underlying).replacingOccurrences(of: copy, with: path) + " (read as \(encoding))"
        case let .ambiguousDelimiter(path, candidates):
            return "\(path): the first lines fit \(candidates.map { "\"\($0)\"" }.joined(separator: " and ")) equally well as the delimiter; say which with load survey … --delimiter \(candidates.first ?? ",")"
        case let .nulByte(path, line, byte):
            return "\(path):\(line): a NUL byte at byte \(byte) of the line; this is not a text (CSV) file"
        case let .recordTooLong(path, line, limit):
            return "\(path):\(line): a record longer than \(Formatting.bytes(limit)), the reader's budget; if the file is right, raise it with load survey … --max-record-mb N"
        case let .unterminatedQuote(path, line, column):
            return "\(path):\(line):\(column): a quoted field opened here is never closed"
        case let .strayQuote(path, line, column):
            return "\(path):\(line):\(column): a quote inside an unquoted field (quote the whole field and double inner quotes)"
        case let .wrongColumnCount(path, line, expected, found):
            return "\(path):\(line): expected \(expected) columns as in the header, found \(found)"
        case let .duplicateRespondent(path, line, id, first):
            return "\(path):\(line): respondent id \(id) appears again (first on line \(first))"
        case let .missingRespondentID(path, line):
            return "\(path):\(line): the respondent id is empty"
        case let .unknownCode(path, line, column, question, value, suggestion):
            return "\(path):\(line): column \(column): \"\(value)\" is not an answer code of \(question)\(didYouMean(suggestion))"
        case let .multipleAnswersInSingle(path, line, column, question, value):
            return "\(path):\(line): column \(column): \"\(value)\" gives several answers but \(question) takes one"
        case let .notANumber(path, line, column, question, value):
            return "\(path):\(line): column \(column): \"\(value)\" is not a number (\(question))"
        case let .outOfScale(path, line, column, question, value, range):
            return "\(path):\(line): column \(column): \(value) is outside the scale \(range.lowerBound)-\(range.upperBound) of \(question)"
        case let .duplicateColumn(path, column):
            return "\(path):1: the column \"\(column)\" appears twice in the header"
        case let .missingHeader(path, expected):
            return "\(path): expected \(expected)"
        case let .questionnaire(path, line, column, field, message):
            return "\(path):\(line):\(column): \(field): \(message)"
        case let .unknownQuestion(id, suggestion):
            return "no question \(id)\(didYouMean(suggestion)); type questions for the list"
        case let .unknownColumn(name, suggestion):
            return "no question matches the column \"\(name)\"\(didYouMean(suggestion))"
        case let .unknownFormat(name):
            return "unknown format \(name) (expected one of \(SurveyFormat.allCases.map(\.rawValue).joined(separator: ", ")))"
        case let .groupingUnavailable(reason): return reason
        case let .tooFewGroups(variable, levels):
            return "grouping by \(variable) gives \(levels) group(s) with respondents; a comparison needs at least 2"
        case let .notComparable(question, type):
            return "\(question) is \(type); only single, multi and likert questions can be tabulated"
        case let .pickedQuestionnaire(questionnaire, underlying):
            return survey(underlying) + " (with \(questionnaire), picked because the file's columns match its question ids; load survey … --questionnaire none reads the file without it)"
        case let .notNumeric(question, type):
            return "\(question) is a \(type) question; compare works on numeric questions (for this one: chisq \(question))"
        }
    }

    static func validation(_ e: ValidationError) -> String {
        switch e {
        case let .unreadable(path, reason): return "cannot read \(path): \(reason)"
        case let .invalidJSON(path, message): return "\(path): not valid JSON: \(message)"
        case let .field(path, jsonPath, message): return "\(path): \(jsonPath): \(message)"
        case let .duplicateRecord(id, first, second): return "record id \(id) is used by both \(first) and \(second)"
        case let .unknownRecord(id, suggestion): return "no record \(id)\(didYouMean(suggestion)); records lists them"
        case let .noRecords(path):
            return path == "(session)" ? "no records loaded; start with: load records data/validation" : "\(path): no *.json records in this folder"
        case let .predictions(path, line, message): return line > 0 ? "\(path):\(line): \(message)" : "\(path): \(message)"
        case let .unknownCase(record, id, suggestion): return "record \(record) has no case \(id)\(didYouMean(suggestion))"
        }
    }

    static func thematic(_ e: ThematicError) -> String {
        switch e {
        case let .unknownCode(id, suggestion):
            return "no code \(id) in the codebook\(didYouMean(suggestion)); codebook lists them, codebook load FILE loads a frame"
        case let .duplicateCode(id): return "the codebook already has a code \(id)"
        case let .invalidColour(code, colour): return "code \(code): colour \"\(colour)\" is not #RRGGBB (for example #1F77B4)"
        case let .notCodable(id): return "\(id) is a theme (not codable); code one of its codes (codebook show \(id))"
        case let .cycle(code, parent): return "cannot move \(code) under \(parent): \(parent) is inside \(code)"
        case let .unknownRespondent(id, suggestion): return "no respondent \(id)\(didYouMean(suggestion))"
        case let .unknownQuestion(id): return "no question \(id)"
        case let .noAnswer(respondent, question): return "\(respondent) gave no answer to \(question)"
        case let .textNotInAnswer(respondent, question, text): return "\"\(text)\" does not occur in \(respondent)'s answer to \(question)"
        case let .spanOutOfRange(respondent, question, start, end, length):
            return "span \(start)-\(end) is outside \(respondent)'s answer to \(question) (\(length) characters; start < end ≤ length)"
        case let .overlappingSpan(respondent, question, code, coder):
            return "\(coder) already coded \(respondent) \(question) as \(code) on overlapping text"
        case let .notCoded(respondent, question, code): return "\(respondent) \(question) is not coded \(code)"
        case .nothingToUndo: return "nothing to undo"
        case let .file(path, line, column, message):
            return line > 0 ? "\(path):\(line)\(column > 0 ? ":\(column)" : ""): \(message)" : "\(path): \(message)"
        case let .atLine(path, line, inner): return "\(path):\(line): \(thematic(inner))"
        case let .fewerThanTwoCoders(found):
            return "agreement needs codings by at least two coders; found \(found.isEmpty ? "none" : found.joined(separator: ", ")) (import codings FILE.csv)"
        case let .noSuggestion(n): return "no suggestion \(n); autocode lists them"
        case let .ruleTooSlow(code, pattern, respondent, seconds):
            return "the rule for \(code) (\"\(pattern)\") searched \(respondent)'s answer for more than \(Formatting.number(seconds)) s and was stopped: the expression backtracks (nested repetition such as (a+)+); rewrite it"
        }
    }

    static func statistics(_ e: StatisticsError) -> String {
        switch e {
        case let .degenerateTable(rows, columns):
            return "the table has \(rows) non-empty row(s) and \(columns) non-empty column(s) after dropping empty ones; a test needs at least 2 × 2"
        case let .invalidCount(row, column, value):
            return value.isFinite && value == value.rounded() && value > 0x1p53
                ? "row \(row + 1), column \(column + 1): \(Formatting.number(value)) is beyond 2^53 = 9,007,199,254,740,992, the largest count a double holds exactly"
                : "row \(row + 1), column \(column + 1): \(value) is not a count (a whole number ≥ 0)"
        case let .ragged(row, expected, found):
            return "row \(row + 1) has \(found) cells, the first row has \(expected)"
        case let .invalidParameter(name, value, allowed):
            return "\(name) = \(Formatting.number(value)) is not allowed (\(allowed))"
        case .interrupted:
            return "interrupted; nothing was changed"
        case let .tableTooLarge(test, total, largest, reason):
            return "\(test) is not computed for N = \(Formatting.number(total)) (at most \(Formatting.number(largest))): \(reason)"
        }
    }
}
