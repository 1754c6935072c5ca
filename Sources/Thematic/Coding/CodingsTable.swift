import Foundation

/// The codings as a table: what `export codings` writes and `import codings` reads, one coding per row in the
/// columns respondent, question, code, coder, start, end (start and end empty for a whole answer; Unicode-scalar
/// offsets, end exclusive, as REFI-QDA counts). Columns are found by name, in any order and any case, so a table
/// another coder edited in a spreadsheet still reads.
public enum CodingsTable {
    public static let header = ["respondent", "question", "code", "coder", "start", "end"]

    /// The header and one row per coding.
    public static func rows(_ codings: [Coding]) -> [[String]] {
        [header] + codings.map { [$0.respondent, $0.question, $0.code, $0.coder, $0.start.map(String.init) ?? "", $0.end.map(String.init) ?? ""] }
    }

    /// One coding read from a table, with its line in the file.
    public struct Row: Sendable, Equatable {
        public let line: Int
        public let coding: Coding
    }

    /// Reads the codings from a table's records (the first is the header), checking each row's shape and numbers.
    /// Whether a coding fits the answers and the codebook is `CodingProject.add`'s to say.
    public static func read(_ records: [(line: Int, fields: [String])], path: String) throws -> [Row] {
        guard let first = records.first else { throw ThematicError.file(path: path, line: 1, column: 0, message: "the file is empty; expected the columns \(header.joined(separator: ", "))") }
        let names = first.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        guard let ri = column("respondent"), let qi = column("question"), let ci = column("code"), let coderIndex = column("coder") else {
            throw ThematicError.file(path: path, line: first.line, column: 0, message: "expected the columns respondent, question, code, coder (and optionally start, end)")
        }
        let si = column("start"), ei = column("end")
        return try records.dropFirst().map { r in
            guard r.fields.count == names.count else {
                throw ThematicError.file(path: path, line: r.line, column: 0, message: "\(r.fields.count) fields where the header has \(names.count)")
            }
            func offset(_ i: Int?, _ name: String) throws -> Int? {
                guard let i else { return nil }
                let v = r.fields[i].trimmingCharacters(in: .whitespaces)
                if v.isEmpty { return nil }
                guard let n = Int(v), n >= 0 else { throw ThematicError.file(path: path, line: r.line, column: 0, message: "\(name) \"\(v)\" is not a whole number ≥ 0") }
                return n
            }
            let code = r.fields[ci].trimmingCharacters(in: .whitespaces)
            guard !code.isEmpty else { throw ThematicError.file(path: path, line: r.line, column: 0, message: "the code is empty") }
            return Row(line: r.line, coding: Coding(respondent: r.fields[ri].trimmingCharacters(in: .whitespaces),
                                                    question: r.fields[qi].trimmingCharacters(in: .whitespaces), code: code,
                                                    coder: r.fields[coderIndex].trimmingCharacters(in: .whitespaces),
                                                    start: try offset(si, "start"), end: try offset(ei, "end")))
        }
    }

    /// The codes the rows use that the codebook does not have, sorted.
    public static func unknownCodes(_ rows: [Row], in codebook: Codebook) -> [String] {
        Array(Set(rows.map(\.coding.code).filter { codebook.code($0) == nil })).sorted()
    }
}
