import Foundation

/// Loads a survey file: reads the CSV, recognises the tool that wrote it, finds or infers the questionnaire, and
/// validates every cell. Either the whole file loads or an error names the first problem; nothing is half-loaded.
public enum SurveyLoader {
    public struct Options: Sendable {
        public var questionnairePath: String?
        public var format: SurveyFormat
        /// Folders searched for a questionnaire that fits the file when none is given.
        public var questionnaireFolders: [String]

        public init(questionnairePath: String? = nil, format: SurveyFormat = .auto, questionnaireFolders: [String] = []) {
            self.questionnairePath = questionnairePath
            self.format = format
            self.questionnaireFolders = questionnaireFolders
        }
    }

    public static func load(path: String, options: Options = Options()) throws -> Survey {
        let records = try CSVReader.read(path: path)
        let format = options.format == .auto ? detectFormat(records) : options.format
        var questionnaire: Questionnaire?
        if let qp = options.questionnairePath {
            questionnaire = try QuestionnaireLoader.load(path: qp)
        } else {
            questionnaire = discoverQuestionnaire(for: records, format: format, near: path, folders: options.questionnaireFolders)
        }
        let table: WideTable
        switch format {
        case .auto, .wide:
            table = try WideTable(records: records, path: path)
        case .googleForms, .limesurvey, .qualtrics, .redcap:
            guard let q = questionnaire else {
                throw SurveyError.groupingUnavailable(reason: "a \(format.rawValue) export needs --questionnaire to map question texts and labels to codes")
            }
            switch format {
            case .googleForms: table = try ToolImporters.googleForms(records, q, path: path)
            case .limesurvey: table = try ToolImporters.limesurvey(records, q, path: path)
            case .qualtrics: table = try ToolImporters.qualtrics(records, q, path: path)
            default: table = try ToolImporters.redcap(records, q, path: path)
            }
        }
        if let q = questionnaire {
            return try validate(table, against: q, format: format == .auto ? .wide : format, inferred: false)
        }
        let inferredQ = QuestionnaireInference.infer(from: table)
        return try validate(table, against: inferredQ, format: .wide, inferred: true)
    }

    /// Recognises an export by its header: Google/Microsoft Forms' timestamp columns, Qualtrics' ImportId row,
    /// REDCap's record_id and `___` checkbox columns, LimeSurvey's submitdate and `[..]` sub-question columns.
    public static func detectFormat(_ records: [CSVReader.Record]) -> SurveyFormat {
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else { return .wide }
        let lower = Set(header.map { $0.lowercased() })
        if records.count >= 3, records[2].fields.first?.hasPrefix("{\"ImportId\"") == true { return .qualtrics }
        if header.first == "Timestamp" || lower.contains("completion time") { return .googleForms }
        if lower.contains("record_id") || header.contains(where: { $0.contains("___") }) { return .redcap }
        if lower.contains("submitdate") || header.contains(where: { $0.contains("[") && $0.hasSuffix("]") }) { return .limesurvey }
        return .wide
    }

    /// A questionnaire from `questionnaires/` (in the given folders, then next to the file and its parents) whose
    /// question ids cover most of the file's columns.
    static func discoverQuestionnaire(for records: [CSVReader.Record], format: SurveyFormat, near path: String,
                                      folders: [String]) -> Questionnaire? {
        guard format == .wide || format == .auto, let header = records.first?.fields else { return nil }
        var dirs = folders
        var dir = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL
        for _ in 0..<4 {
            dirs.append(dir.appendingPathComponent("questionnaires").path)
            dir = dir.deletingLastPathComponent()
        }
        var best: (Questionnaire, Double)?
        let fm = FileManager.default
        for d in dirs {
            guard let files = try? fm.contentsOfDirectory(atPath: d) else { continue }
            for f in files.sorted() where f.hasSuffix(".yaml") || f.hasSuffix(".yml") {
                guard let q = try? QuestionnaireLoader.load(path: (d as NSString).appendingPathComponent(f)) else { continue }
                let ids = Set(q.questions.map { $0.id.lowercased() })
                let cols = header.filter { $0.lowercased() != q.respondentIDColumn.lowercased() }
                guard !cols.isEmpty else { continue }
                let share = Double(cols.filter { ids.contains($0.lowercased()) }.count) / Double(cols.count)
                if share >= 0.8, best == nil || share > best!.1 { best = (q, share) }
            }
        }
        return best?.0
    }

    /// Checks every cell against the questionnaire and builds the respondents.
    public static func validate(_ table: WideTable, against questionnaire: Questionnaire, format: SurveyFormat,
                                inferred: Bool) throws -> Survey {
        let path = table.path
        guard !table.rows.isEmpty else { throw SurveyError.noRespondents(path: path) }
        let idIndex = table.idColumn
            ?? table.header.firstIndex { $0.caseInsensitiveCompare(questionnaire.respondentIDColumn) == .orderedSame }
        var q = questionnaire
        var columnQuestion: [Int: Question] = [:]
        var extras: [String] = []
        for (i, h) in table.header.enumerated() where i != idIndex {
            if let question = q.question(h) {
                columnQuestion[i] = question
            } else {
                extras.append(h)
            }
        }
        if !extras.isEmpty {
            // Columns the questionnaire does not know are kept as extra variables (inferred), usable with --group.
            let extraTable = WideTable(path: path, header: extras,
                                       rows: table.rows.map { row in (row.line, extras.compactMap { e in table.header.firstIndex(of: e).map { row.cells[$0] } }) },
                                       idColumn: nil)
            var section = QuestionnaireInference.infer(from: extraTable).sections[0]
            section = Section(id: "extra", title: "Extra columns", compare: false, questions: section.questions)
            q.sections.append(section)
            for (i, h) in table.header.enumerated() where columnQuestion[i] == nil && i != idIndex {
                columnQuestion[i] = q.question(h)
            }
        }
        var respondents: [Respondent] = []
        var firstLine: [String: Int] = [:]
        for (k, row) in table.rows.enumerated() {
            let id = idIndex.map { row.cells[$0].trimmingCharacters(in: .whitespaces) } ?? String(format: "R%03d", k + 1)
            guard !id.isEmpty else { throw SurveyError.missingRespondentID(path: path, line: row.line) }
            if let first = firstLine[id] {
                throw SurveyError.duplicateRespondent(path: path, line: row.line, id: id, firstLine: first)
            }
            firstLine[id] = row.line
            var answers: [String: Answer] = [:]
            for (i, question) in columnQuestion {
                answers[question.id] = try parseCell(row.cells[i], question: question, path: path, line: row.line,
                                                     column: table.header[i])
            }
            respondents.append(Respondent(id: id, line: row.line, answers: answers))
        }
        return Survey(questionnaire: q, respondents: respondents, path: path, format: format, extraColumns: extras,
                      inferred: inferred)
    }

    static func parseCell(_ raw: String, question: Question, path: String, line: Int, column: String) throws -> Answer {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return .missing }
        switch question.type {
        case .open:
            return .text(raw)
        case .numeric:
            guard let v = Double(value), v.isFinite else {
                throw SurveyError.notANumber(path: path, line: line, column: column, question: question.id, value: value)
            }
            return .number(v)
        case .likert:
            guard let v = Int(value) else {
                throw SurveyError.notANumber(path: path, line: line, column: column, question: question.id, value: value)
            }
            if let s = question.scale, !(s.min...s.max).contains(v) {
                throw SurveyError.outOfScale(path: path, line: line, column: column, question: question.id, value: value,
                                             range: s.min...s.max)
            }
            return .code(String(v))
        case .single:
            if value.contains(";") {
                throw SurveyError.multipleAnswersInSingle(path: path, line: line, column: column, question: question.id, value: value)
            }
            try check(value, question, path, line, column)
            return .code(value)
        case .multi:
            var codes: [String] = []
            for part in value.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
                try check(part, question, path, line, column)
                if !codes.contains(part) { codes.append(part) }
            }
            return codes.isEmpty ? .missing : .codes(codes)
        }
    }

    private static func check(_ code: String, _ question: Question, _ path: String, _ line: Int, _ column: String) throws {
        guard question.option(code) != nil else {
            throw SurveyError.unknownCode(path: path, line: line, column: column, question: question.id, value: code,
                                          suggestion: Suggest.nearest(code, in: question.categories.map(\.code)))
        }
    }
}
