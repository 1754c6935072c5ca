/// The answers of a survey, stored by question rather than by respondent.
///
/// A million respondents × 37 questions held as one dictionary of `Answer`s per respondent took about 4 GB and
/// seconds to build; by column it is an array of small integers per question (a code index, or a bit set of ticked
/// options), about 150 MB, and a cross-tabulation is one pass over two arrays. `Answer` values are made on demand
/// for the code that reads one respondent at a time.
public struct ResponseTable: Sendable {
    /// One question's answers, in respondent order.
    public enum Column: Sendable {
        /// Single-answer and Likert questions: 0 is missing, k is `codes[k − 1]`.
        case choice(codes: [String], values: [UInt16])
        /// Multi-answer questions: `words` 64-bit words per respondent, bit j set when `codes[j]` is ticked; no bit
        /// set is missing.
        case choices(codes: [String], words: Int, masks: [UInt64])
        /// Numeric questions: NaN is missing.
        case numbers([Double])
        /// Open questions: nil is missing.
        case texts([String?])
    }

    public var ids: [String]
    /// Line of the source file on which each respondent's row starts.
    public var lines: [Int32]
    public var columns: [String: Column]

    public init(ids: [String], lines: [Int32], columns: [String: Column]) {
        self.ids = ids
        self.lines = lines
        self.columns = columns
    }

    public var count: Int { ids.count }

    /// One respondent's answer to one question (missing when the file has no column for it).
    public func answer(row: Int, question: String) -> Answer {
        guard let column = columns[question] else { return .missing }
        switch column {
        case .choice(let codes, let values):
            let v = Int(values[row])
            return v == 0 ? .missing : .code(codes[v - 1])
        case .choices(let codes, let words, let masks):
            var ticked: [String] = []
            for w in 0..<words {
                var m = masks[row * words + w]
                while m != 0 {
                    let bit = m.trailingZeroBitCount
                    ticked.append(codes[w * 64 + bit])
                    m &= m - 1
                }
            }
            return ticked.isEmpty ? .missing : .codes(ticked)
        case .numbers(let values):
            return values[row].isNaN ? .missing : .number(values[row])
        case .texts(let values):
            return values[row].map(Answer.text) ?? .missing
        }
    }

    /// Whether respondent `row` answered `question` at all.
    public func isMissing(row: Int, question: String) -> Bool {
        guard let column = columns[question] else { return true }
        switch column {
        case .choice(_, let values): return values[row] == 0
        case .choices(_, let words, let masks): return masks[(row * words)..<(row * words + words)].allSatisfy { $0 == 0 }
        case .numbers(let values): return values[row].isNaN
        case .texts(let values): return values[row] == nil
        }
    }
}

/// A view of one respondent's row in a `ResponseTable`.
public struct Respondent: Sendable, Equatable {
    public let id: String
    /// Line of the source file the respondent's row starts on.
    public let line: Int
    /// Position in the survey (0-based).
    public let row: Int
    let table: ResponseTable

    public func answer(_ question: String) -> Answer { table.answer(row: row, question: question) }

    public static func == (a: Respondent, b: Respondent) -> Bool { a.id == b.id && a.line == b.line && a.row == b.row }
}

/// The respondents of a survey as a collection, made one at a time from the columns.
public struct RespondentList: RandomAccessCollection, Sendable {
    let table: ResponseTable
    public var startIndex: Int { 0 }
    public var endIndex: Int { table.count }
    public subscript(row: Int) -> Respondent {
        Respondent(id: table.ids[row], line: Int(table.lines[row]), row: row, table: table)
    }
}
