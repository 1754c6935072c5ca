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
        var kept: [Int] = []
        for (i, h) in raw.header.enumerated() {
            // Timestamp, e-mail and the like are kept as extra variables, never refused.
            if metadata.contains(h.lowercased()) || QuestionnaireInference.isMetadata(h) { kept.append(i); continue }
            guard let question = AnswerMatching.question(forHeader: h, in: q) else {
                throw SurveyError.unknownColumn(name: h, suggestion: nil)
            }
            columns.append((i, question))
        }
        let idIndex = microsoft ? raw.header.firstIndex(of: "ID") : nil
        // Text typed into a checkbox question's "Other:" box: its other tick, and the text in a column of its own.
        var typed: [String: [String]] = [:]
        var rows: [(line: Int, cells: [String])] = []
        for (k, row) in raw.rows.enumerated() {
            var cells = [idIndex.map { row.cells[$0] } ?? String(format: "R%03d", k + 1)]
            for (i, question) in columns {
                if question.type == .multi, !row.cells[i].trimmingCharacters(in: .whitespaces).isEmpty {
                    guard let t = AnswerMatching.ticks(row.cells[i], question: question, separator: microsoft ? ";" : ", ", allowPosition: false) else {
                        throw SurveyError.unknownCode(path: path, line: row.line, column: raw.header[i], question: question.id, value: row.cells[i], suggestion: nil)
                    }
                    cells.append(t.codes.joined(separator: ";"))
                    typed[question.id, default: Array(repeating: "", count: raw.rows.count)][k] = t.typed
                    continue
                }
                cells.append(try convert(row.cells[i], question: question, separator: microsoft ? ";" : ", ",
                                         allowPosition: false, path: path, line: row.line, column: raw.header[i]))
            }
            rows.append((row.line, cells + kept.map { row.cells[$0] }))
        }
        let others = columns.map(\.question.id).filter { typed[$0]?.contains { !$0.isEmpty } == true }
        for (r, _) in rows.enumerated() { rows[r].cells += others.map { typed[$0]?[r] ?? "" } }
        return WideTable(path: path, header: [q.respondentIDColumn] + columns.map(\.question.id) + kept.map { raw.header[$0] } + others.map { $0 + " (other)" },
                         rows: rows, idColumn: 0)
    }

    /// LimeSurvey "question code" export: `id`, `submitdate`, ... then one column per question code; multi-answer
    /// questions as one column per sub-question `Q10[code]` (or `Q10[SQ001]`, by position) holding `Y` when ticked.
    static func limesurvey(_ records: [CSVReader.Record], _ q: Questionnaire, path: String) throws -> WideTable {
        var raw = try WideTable(records: records, path: path)
        // Question-code headings (submitdate …) or full-text headings (Date submitted …): metadata kept as variables.
        let meta: Set<String> = ["submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp", "ipaddr", "refurl",
                                 "date submitted", "last page", "start language", "date started", "date last action", "ip address", "referrer url", "token"]
        raw.header = raw.header.map { meta.contains($0.lowercased()) ? "\u{1}" + $0 : $0 }
        return try fromColumns(raw, q, path: path, idNames: ["id", "response id"], subquestion: { header in
            guard let open = header.lastIndex(of: "["), header.hasSuffix("]") else { return nil }
            let base = String(header[..<open]).trimmingCharacters(in: .whitespaces)
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
        filtered.header = raw.header.map { meta.contains($0.lowercased()) ? "\u{1}" + $0 : $0 }
        // "Use numeric values": recode values, which Qualtrics numbers by the choices' order.
        return try fromColumns(filtered, q, path: path, idNames: ["responseid"], subquestion: { header in
            guard let us = header.lastIndex(of: "_"), Int(header[header.index(after: us)...]) != nil else { return nil }
            return (String(header[..<us]), String(header[header.index(after: us)...]))
        }, ticked: { !$0.trimmingCharacters(in: .whitespaces).isEmpty && $0 != "0" }, allowPosition: true,
           multiSeparator: ",")
    }

    /// REDCap raw export: `record_id`, one column per field in lower case, checkbox fields as `q10___code` (or by
    /// position `q10___1`) holding 0/1; `redcap_*` and `*_complete` columns are bookkeeping and skipped.
    /// With a data dictionary beside the questionnaire (`--dictionary`), each raw code is first read as the
    /// dictionary's label for it ("0" → "Interpretability first, …"), which the questionnaire then knows by label:
    /// a radio coded from 0 reads right, and the questionnaire keeps its codes and its role rule.
    static func redcap(_ records: [CSVReader.Record], _ q: Questionnaire, path: String, dictionary: Questionnaire? = nil) throws -> WideTable {
        var raw = try WideTable(records: records, path: path)
        // Bookkeeping (redcap_*, *_timestamp, *_complete) is not a question; it is kept as a variable.
        raw.header = raw.header.map { QuestionnaireInference.isMetadata($0) ? "\u{1}" + $0 : $0 }
        if let dictionary {
            for (k, h) in raw.header.enumerated() {
                if let r = h.range(of: "___"), let field = dictionary.question(String(h[..<r.lowerBound])),
                   let label = field.option(String(h[r.upperBound...]))?.label {
                    raw.header[k] = String(h[..<r.lowerBound]) + "___" + label
                } else if let field = dictionary.question(h), field.type != .multi, !field.options.isEmpty {
                    raw.rows = raw.rows.map { row in
                        var cells = row.cells
                        cells[k] = field.option(cells[k].trimmingCharacters(in: .whitespaces))?.label ?? cells[k]
                        return (row.line, cells)
                    }
                }
            }
        }
        return try fromColumns(raw, q, path: path, idNames: ["record_id"], subquestion: { header in
            guard let r = header.range(of: "___") else { return nil }
            return (String(header[..<r.lowerBound]), String(header[r.upperBound...]))
        }, ticked: { ["1", "checked"].contains($0.trimmingCharacters(in: .whitespaces).lowercased()) }, allowPosition: dictionary == nil)
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
        // Columns kept as they are, as extra variables: the tools' bookkeeping (marked "\u{1}" by the caller),
        // Qualtrics' "_TEXT" and LimeSurvey's "[other]" typed answers, bot scores.
        var kept: [Int] = []
        func name(_ h: String) -> String { h.hasPrefix("\u{1}") ? String(h.dropFirst()) : h }
        for (i, h) in raw.header.enumerated() where i != idIndex {
            if h.hasPrefix("\u{1}") || QuestionnaireInference.isMetadata(h) || h.uppercased().hasSuffix("_TEXT") { kept.append(i); continue }
            let parts = subquestion(h)
            // LimeSurvey names the typed answer `[other]`, in lower case (a REDCap choice labelled "Other" is a tick).
            if let (base, sub) = parts, sub == "other",
               let question = q.question(base) ?? AnswerMatching.question(forHeader: base, in: q), question.type == .multi,
               let other = question.categories.first(where: { $0.flag == .other }) {
                // The typed "other" answer ticks the other option, and its text is kept.
                if split[question.id] == nil { order.append(question.id) }
                split[question.id, default: (question, [])].1.append((i, "\u{2}" + other.code))
                kept.append(i)
                continue
            }
            if let (base, sub) = parts, let question = q.question(base) ?? AnswerMatching.question(forHeader: base, in: q), question.type == .multi {
                guard let code = AnswerMatching.code(for: sub, in: question, allowPosition: true) else {
                    throw SurveyError.unknownCode(path: path, line: 1, column: h, question: question.id, value: sub,
                                                  suggestion: Suggest.nearest(sub, in: question.options.map(\.code)))
                }
                if split[question.id] == nil { order.append(question.id) }
                split[question.id, default: (question, [])].1.append((i, code))
            } else if let question = q.question(h) ?? AnswerMatching.question(forHeader: h, in: q) {
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
                if let (_, parts) = split[qid] {
                    let codes = parts.compactMap { (i, code) -> String? in
                        let v = row.cells[i].trimmingCharacters(in: .whitespaces)
                        if code.hasPrefix("\u{2}") { return v.isEmpty ? nil : String(code.dropFirst()) }
                        return ticked(v) ? code : nil
                    }
                    cells.append(codes.joined(separator: ";"))
                } else if let (i, question) = plain.first(where: { $0.1.id == qid }) {
                    cells.append(try convert(row.cells[i], question: question, separator: multiSeparator,
                                             allowPosition: allowPosition, path: path, line: row.line, column: raw.header[i]))
                }
            }
            rows.append((row.line, cells + kept.map { row.cells[$0] }))
        }
        return WideTable(path: path, header: [q.respondentIDColumn] + order + kept.map { name(raw.header[$0]) }, rows: rows, idColumn: 0)
    }

    /// One cell of labels/codes to our canonical text.
    private static func convert(_ cell: String, question: Question, separator: String, allowPosition: Bool,
                                path: String, line: Int, column: String) throws -> String {
        let value = cell.trimmingCharacters(in: .whitespaces)
        if value.isEmpty || !question.isCategorical { return value }
        if question.type == .multi {
            if let t = AnswerMatching.ticks(value, question: question, separator: separator, allowPosition: allowPosition), t.typed.isEmpty {
                return t.codes.joined(separator: ";")
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
