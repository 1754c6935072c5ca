import Foundation

/// Importers for the CSV files that survey tools export, each turning the file into the canonical `WideTable`.
/// They need a questionnaire to map question texts and answer labels to ids and codes.
enum ToolImporters {
    /// Google Forms (and Microsoft Forms, whose export has the same shape): a header of question texts after a
    /// "Timestamp" (Microsoft: "ID", "Start time", "Completion time", "Email", "Name") column, answers as labels,
    /// checkbox answers joined by ", " (Microsoft: ";").
    static func googleForms(_ records: [CSVReader.Record], _ q: Questionnaire, path: String) throws -> WideTable {
        let raw = try WideTable(records: records, path: path)
        let microsoft = raw.header.contains("Completion time")
        let metadata: Set<String> = ["timestamp", "id", "start time", "completion time", "email", "name",
                                     "email address", "last modified time"]
        var columns: [(index: Int, question: Question)] = []
        for (i, h) in raw.header.enumerated() {
            if metadata.contains(h.lowercased()) { continue }
            guard let question = AnswerMatching.question(forHeader: h, in: q) else {
                throw SurveyError.unknownColumn(name: h, suggestion: nil)
            }
            columns.append((i, question))
        }
        let idIndex = microsoft ? raw.header.firstIndex(of: "ID") : nil
        var rows: [(line: Int, cells: [String])] = []
        for (k, row) in raw.rows.enumerated() {
            var cells = [idIndex.map { row.cells[$0] } ?? String(format: "R%03d", k + 1)]
            for (i, question) in columns {
                cells.append(try convert(row.cells[i], question: question, separator: microsoft ? ";" : ", ",
                                         allowPosition: false, path: path, line: row.line, column: raw.header[i]))
            }
            rows.append((row.line, cells))
        }
        return WideTable(path: path, header: [q.respondentIDColumn] + columns.map(\.question.id), rows: rows, idColumn: 0)
    }

    /// LimeSurvey "question code" export: `id`, `submitdate`, ... then one column per question code; multi-answer
    /// questions as one column per sub-question `Q10[code]` (or `Q10[SQ001]`, by position) holding `Y` when ticked.
    static func limesurvey(_ records: [CSVReader.Record], _ q: Questionnaire, path: String) throws -> WideTable {
        var raw = try WideTable(records: records, path: path)
        let meta: Set<String> = ["submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl"]
        let keep = raw.header.indices.filter { !meta.contains(raw.header[$0].lowercased()) }
        let header = keep.map { raw.header[$0] }
        raw.rows = raw.rows.map { row in (row.line, keep.map { i in row.cells[i] }) }
        raw.header = header
        return try fromColumns(raw, q, path: path, idNames: ["id", "response id"], subquestion: { header in
            guard let open = header.firstIndex(of: "["), header.hasSuffix("]") else { return nil }
            let base = String(header[..<open])
            let sub = String(header[header.index(after: open)..<header.index(before: header.endIndex)])
            return (base, sub)
        }, ticked: { ["y", "yes", "1"].contains($0.lowercased()) }, allowPosition: true)
    }

    /// Qualtrics: three header rows (ids, question texts, `{"ImportId":...}`), metadata columns (StartDate,
    /// ResponseId, ...), multi-answer either as one column of comma-joined choice texts or as `Q10_1`, `Q10_2` ...
    static func qualtrics(_ records: [CSVReader.Record], _ q: Questionnaire, path: String) throws -> WideTable {
        guard records.count >= 3, records[2].fields.first?.hasPrefix("{\"ImportId\"") == true else {
            throw SurveyError.missingHeader(path: path, expected: "Qualtrics' three header rows (ids, question texts, {\"ImportId\": ...})")
        }
        let raw = try WideTable(records: records, path: path, headerRows: 3)
        let meta: Set<String> = ["startdate", "enddate", "status", "ipaddress", "progress", "duration (in seconds)",
                                 "finished", "recordeddate", "recipientlastname", "recipientfirstname",
                                 "recipientemail", "externalreference", "locationlatitude", "locationlongitude",
                                 "distributionchannel", "userlanguage"]
        var filtered = raw
        let keep = raw.header.indices.filter { !meta.contains(raw.header[$0].lowercased()) }
        filtered.header = keep.map { raw.header[$0] }
        filtered.rows = raw.rows.map { row in (row.line, keep.map { i in row.cells[i] }) }
        return try fromColumns(filtered, q, path: path, idNames: ["responseid"], subquestion: { header in
            guard let us = header.lastIndex(of: "_"), Int(header[header.index(after: us)...]) != nil else { return nil }
            return (String(header[..<us]), String(header[header.index(after: us)...]))
        }, ticked: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0 != "0" }, allowPosition: false,
           multiSeparator: ",")
    }

    /// REDCap raw export: `record_id`, one column per field in lower case, checkbox fields as `q10___code` (or by
    /// position `q10___1`) holding 0/1; `redcap_*` and `*_complete` columns are bookkeeping and skipped.
    static func redcap(_ records: [CSVReader.Record], _ q: Questionnaire, path: String) throws -> WideTable {
        var raw = try WideTable(records: records, path: path)
        // Bookkeeping (redcap_*, *_timestamp, *_complete) is not a question.
        let keep = raw.header.indices.filter { !QuestionnaireInference.isMetadata(raw.header[$0]) }
        let header = keep.map { raw.header[$0] }
        raw.rows = raw.rows.map { row in (row.line, keep.map { i in row.cells[i] }) }
        raw.header = header
        return try fromColumns(raw, q, path: path, idNames: ["record_id"], subquestion: { header in
            guard let r = header.range(of: "___") else { return nil }
            return (String(header[..<r.lowerBound]), String(header[r.upperBound...]))
        }, ticked: { ["1", "checked"].contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }, allowPosition: true)
    }

    /// Shared by the code-based exports: columns are question ids, possibly split into one column per option.
    private static func fromColumns(_ raw: WideTable, _ q: Questionnaire, path: String, idNames: Set<String>,
                                    subquestion: (String) -> (String, String)?, ticked: (String) -> Bool,
                                    allowPosition: Bool, multiSeparator: String = ";") throws -> WideTable {
        guard let idIndex = raw.header.firstIndex(where: { idNames.contains($0.lowercased()) }) else {
            throw SurveyError.missingHeader(path: path, expected: "a respondent id column (\(idNames.sorted().joined(separator: " or ")))")
        }
        var plain: [(Int, Question)] = []
        var split: [String: (Question, [(Int, String)])] = [:]
        var order: [String] = []
        for (i, h) in raw.header.enumerated() where i != idIndex {
            if let (base, sub) = subquestion(h), let question = q.question(base), question.type == .multi {
                guard let code = AnswerMatching.code(for: sub, in: question, allowPosition: true) else {
                    throw SurveyError.unknownCode(path: path, line: 1, column: h, question: question.id, value: sub,
                                                  suggestion: Suggest.nearest(sub, in: question.options.map(\.code)))
                }
                if split[question.id] == nil { order.append(question.id) }
                split[question.id, default: (question, [])].1.append((i, code))
            } else if let question = q.question(h) {
                plain.append((i, question))
                order.append(question.id)
            } else {
                throw SurveyError.unknownColumn(name: h, suggestion: Suggest.nearest(h, in: q.questions.map(\.id)))
            }
        }
        var rows: [(line: Int, cells: [String])] = []
        for row in raw.rows {
            var cells = [row.cells[idIndex]]
            for qid in order {
                if let (question, parts) = split[qid] {
                    cells.append(parts.filter { ticked(row.cells[$0.0]) }.map(\.1).joined(separator: ";"))
                } else if let (i, question) = plain.first(where: { $0.1.id == qid }) {
                    cells.append(try convert(row.cells[i], question: question, separator: multiSeparator,
                                             allowPosition: allowPosition, path: path, line: row.line, column: raw.header[i]))
                }
            }
            rows.append((row.line, cells))
        }
        return WideTable(path: path, header: [q.respondentIDColumn] + order, rows: rows, idColumn: 0)
    }

    /// One cell of labels/codes to our canonical text.
    private static func convert(_ cell: String, question: Question, separator: String, allowPosition: Bool,
                                path: String, line: Int, column: String) throws -> String {
        let value = cell.trimmingCharacters(in: .whitespaces)
        if value.isEmpty || !question.isCategorical { return value }
        if question.type == .multi {
            if let codes = AnswerMatching.splitLabels(value, question: question, separator: separator) {
                return codes.joined(separator: ";")
            }
            throw SurveyError.unknownCode(path: path, line: line, column: column, question: question.id, value: value,
                                          suggestion: nil)
        }
        guard let code = AnswerMatching.code(for: value, in: question, allowPosition: allowPosition) else {
            throw SurveyError.unknownCode(path: path, line: line, column: column, question: question.id, value: value,
                                          suggestion: Suggest.nearest(value, in: question.categories.map(\.label)))
        }
        return code
    }
}
