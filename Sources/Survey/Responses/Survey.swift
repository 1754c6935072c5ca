import Foundation
/// One respondent's answer to one question.
public enum Answer: Sendable, Equatable {
    case missing
    case code(String)
    case codes([String])
    case number(Double)
    case text(String)

    /// The codes this answer ticks (one for a single answer, several for a multi-answer, none when missing).
    public var codes: [String] {
        switch self {
        case .code(let c): return [c]
        case .codes(let cs): return cs
        case .number(let v): return [v == v.rounded() ? String(Int(v)) : String(v)]
        case .missing, .text: return []
        }
    }

    public var isMissing: Bool {
        if case .missing = self { return true }
        return false
    }
}

/// How a multi-answer question's blank cell is read.
public enum BlankMultiAnswer: String, Sendable, CaseIterable {
    /// The respondent saw the options and ticked none (the MRCV convention of Bilder & Loughin): counted in n,
    /// with every option unticked.
    case tickedNothing = "ticked-nothing"
    /// The respondent did not answer the question: left out of its tables and tests.
    case notAnswered = "not-answered"
}

/// A loaded survey: the questionnaire (given or inferred) and the validated respondents.
public struct Survey: Sendable {
    /// How blank multi-answer cells are read (`load survey --multi-blank`); MRCV's "ticked nothing" by default.
    public var blankMultiAnswer: BlankMultiAnswer = .tickedNothing
    public var questionnaire: Questionnaire
    /// The answers, by question.
    public var responses: ResponseTable
    public var path: String
    public var format: SurveyFormat
    /// Columns of the file that the questionnaire does not know, kept as extra variables.
    public var extraColumns: [String]
    /// Whether the questionnaire was inferred from the data.
    public var inferred: Bool
    /// What the load noticed and did not refuse (cells read as missing), for the load message.
    public var notes: [String] = []
    /// The cleaning steps (filters, recodes) this survey was made with, in order; empty for the file as loaded.
    public var cleaning: [String] = []
    /// Why the questionnaire was used when trustgap picked it by matching the header (nil: given, or inferred).
    public var questionnairePicked: String?

    public init(questionnaire: Questionnaire, responses: ResponseTable, path: String, format: SurveyFormat,
                extraColumns: [String], inferred: Bool) {
        self.questionnaire = questionnaire
        self.responses = responses
        self.path = path
        self.format = format
        self.extraColumns = extraColumns
        self.inferred = inferred
    }

    /// The respondents in file order, each made from the columns when read.
    public var respondents: RespondentList { RespondentList(table: responses) }
}

/// The text encodings `load survey --encoding` reads; UTF-16 is also recognised by its byte-order mark.
public enum SurveyEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8", utf16 = "utf-16", windows1252 = "windows-1252"

    var foundation: String.Encoding {
        switch self {
        case .utf8: return .utf8
        case .utf16: return .utf16
        case .windows1252: return .windowsCP1252
        }
    }

    /// UTF-16 when the file starts with FF FE or FE FF (what Excel's "Unicode text" writes); nil otherwise.
    static func byteOrderMark(path: String) throws -> SurveyEncoding? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 2)) ?? Data())
        return head == [0xFF, 0xFE] || head == [0xFE, 0xFF] ? .utf16 : nil
    }
}

/// The file layouts `load survey` understands.
public enum SurveyFormat: String, Sendable, CaseIterable {
    case auto, wide
    case googleForms = "google-forms"
    case limesurvey, qualtrics, redcap
    /// KoboToolbox and ODK Central CSV: `select_multiple` as space-joined XML names and/or one 0/1 column per option.
    case kobo
    /// SurveyMonkey's "All individual responses" CSV: two header rows.
    case surveymonkey
}
