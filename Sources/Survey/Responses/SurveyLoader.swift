import Foundation

/// Loads a survey file: reads the CSV, recognises the tool that wrote it, finds or infers the questionnaire, and
/// validates every cell. Either the whole file loads or an error names the first problem; nothing is half-loaded.
public enum SurveyLoader {
    public struct Options: Sendable {
        public var questionnairePath: String?
        public var format: SurveyFormat
        /// Folders searched for a questionnaire that fits the file when none is given.
        public var questionnaireFolders: [String]
        /// The longest record the CSV reader accepts (`CSVReader.defaultMaxRecordBytes` unless raised).
        public var maxRecordBytes: Int
        /// The field delimiter; nil: sniffed from the first lines (`CSVReader.sniffDelimiter`).
        public var delimiter: UInt8?
        /// Corrections to the questionnaire (`set Q type …`, `set Q order …`), applied before the answers are read.
        public var edits: [QuestionEdit] = []
        /// A REDCap data dictionary that defines the questions (`load survey … --dictionary FILE`).
        public var dictionary: String?
        /// The file's text encoding; nil: UTF-8 (with or without BOM), or UTF-16 when the file starts with its BOM.
        public var encoding: SurveyEncoding?
        /// A repeated respondent id is kept under a marked id, with a note, instead of stopping the load.
        public var keepDuplicates = false
        /// The most cells (cases × variables) read from an SPSS, Stata or SAS file (`StatFiles.defaultMaxCells`).
        public var maxCells = StatFiles.defaultMaxCells

        public init(questionnairePath: String? = nil, format: SurveyFormat = .auto, questionnaireFolders: [String] = [],
                    maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes, delimiter: UInt8? = nil, encoding: SurveyEncoding? = nil,
                    dictionary: String? = nil, edits: [QuestionEdit] = [], keepDuplicates: Bool = false) {
            self.keepDuplicates = keepDuplicates
            self.edits = edits
            self.dictionary = dictionary
            self.encoding = encoding
            self.delimiter = delimiter
            self.questionnairePath = questionnairePath
            self.format = format
            self.questionnaireFolders = questionnaireFolders
            self.maxRecordBytes = maxRecordBytes
        }
    }

    /// Loads `path`. A wide file with a known questionnaire is streamed: each record is decoded into the answer
    /// columns as it is read, so the file is never held whole. `observe` sees every block of the file as it is
    /// read (the console hashes the file in the same pass).
    public static func load(path: String, options: Options = Options(),
                            observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws -> Survey {
        var survey = try loadFile(path: path, options: options, observe: observe)
        // A dropped column (`drop Q`) is gone from the questionnaire; its cells, which the reader kept as an extra
        // column, go too.
        let dropped = Set(options.edits.compactMap { e -> String? in if case .drop(let q) = e { return q.lowercased() }; return nil })
        if !dropped.isEmpty {
            let gone = { (id: String) in dropped.contains(id.lowercased()) }
            for k in survey.questionnaire.sections.indices { survey.questionnaire.sections[k].questions.removeAll { gone($0.id) } }
            survey.questionnaire.sections.removeAll { $0.questions.isEmpty && $0.id != "inferred" }
            for name in survey.responses.columns.keys where gone(name) { survey.responses.columns[name] = nil }
            survey.extraColumns.removeAll(where: gone)
            survey.notes.append("dropped (drop Q): " + options.edits.compactMap { e -> String? in if case .drop(let q) = e { return q }; return nil }.joined(separator: ", "))
        }
        return survey
    }

    static func loadFile(path: String, options: Options, observe: ((UnsafeRawBufferPointer) -> Void)?) throws -> Survey {
        if StatFiles.handles(path) {
            // SPSS, Stata, SAS: the file's own variable and value labels are its questionnaire (or the one given).
            FileManager.default.contents(atPath: path)?.withUnsafeBytes { observe?($0) }
            let (own, table) = try StatFiles.read(path: path, maxCells: options.maxCells)
            let given = try options.questionnairePath.flatMap { $0 == "none" ? nil : try QuestionnaireLoader.load(path: $0) }
            var q = given ?? own
            // With the file's own variables as the questionnaire, `set Q type` works as on a plain file: a SAS
            // file's codes (whose value labels live in a separate catalog) can be made single or Likert answers.
            for e in options.edits { try e.apply(to: &q, values: { name in given == nil ? table.weightedValues(name) : nil }) }
            var wide = table
            if given != nil { wide.idColumn = nil }
            return try validate(wide, against: q, format: .wide, inferred: given == nil, keepDuplicates: options.keepDuplicates)
        }
        if let encoding = try options.encoding ?? SurveyEncoding.byteOrderMark(path: path), encoding != .utf8 {
            return try loadTranscoded(path: path, encoding: encoding, options: options, observe: observe)
        }
        let delimiter: UInt8
        if let forced = options.delimiter {
            delimiter = forced
        } else {
            let sniffed = try CSVReader.sniffDelimiter(path: path)
            guard let found = sniffed.delimiter else {
                throw SurveyError.ambiguousDelimiter(path: path, candidates: sniffed.candidates.map { $0 == 0x09 ? "tab" : String(UnicodeScalar($0)) })
            }
            delimiter = found
        }
        // The first three records tell the tool that wrote the file and which questionnaire fits it.
        var head: [CSVReader.Record] = []
        try CSVReader.stream(path: path, blockSize: 1 << 16, maxRecordBytes: options.maxRecordBytes, delimiter: delimiter) { view in
            head.append(CSVReader.Record(fields: view.fields, line: view.line))
            return head.count < 3
        }
        let format = options.format == .auto ? detectFormat(head) : options.format
        var questionnaire: Questionnaire?
        // A questionnaire found by matching the header is named in the load message, and an error it raises says
        // how to do without it.
        var picked: (questionnaire: String, share: Double)?
        // A data dictionary beside a questionnaire adds to it: the dictionary's labels translate the raw codes, the
        // questionnaire keeps its codes, sections and role rule. Alone, the dictionary is the questionnaire.
        var labels: Questionnaire?
        if let dictionary = options.dictionary, let qp = options.questionnairePath, qp != "none" {
            labels = try RedcapDictionary.load(path: dictionary)
            questionnaire = try QuestionnaireLoader.load(path: qp)
        } else if let dictionary = options.dictionary {
            questionnaire = try RedcapDictionary.load(path: dictionary)
        } else if let qp = options.questionnairePath, qp != "none" {
            questionnaire = try QuestionnaireLoader.load(path: qp)
        } else if options.questionnairePath == nil,
                  let found = discoverQuestionnaire(header: head.first?.fields ?? [], format: format, near: path, folders: options.questionnaireFolders) {
            questionnaire = found.questionnaire
            picked = (found.questionnaire.source, found.share)
        }
        if var q = questionnaire, !options.edits.isEmpty {
            for e in options.edits { try e.apply(to: &q, values: { _ in nil }) }
            questionnaire = q
        }
        func named(_ survey: Survey) -> Survey {
            var s = survey
            if let picked {
                s.questionnairePicked = String(format: "picked because %.0f%% of the file's columns are its question ids; load survey … --questionnaire none infers one from the file instead", 100 * picked.share)
            }
            return s
        }
        do {
            return named(try loadWith(questionnaire, format: format, path: path, options: options, delimiter: delimiter, head: head, observe: observe,
                                      dictionary: labels))
        } catch let e as SurveyError where picked != nil {
            // Column names alone never pick a questionnaire: the answers must fit it too. When they do not, the
            // file is read without it, and the load message says which questionnaire was passed over and why.
            var inferred = options
            inferred.questionnairePath = "none"
            var survey = try loadWith(nil, format: format, path: path, options: inferred, delimiter: delimiter, head: head, observe: nil)
            survey.notes.insert("questionnaire \(picked?.questionnaire ?? "") has the file's column names but not its answers (\(briefly(e))), so it was not used; the questions were inferred from the file", at: 0)
            return survey
        }
    }

    /// Where a picked questionnaire failed, in a few words for the load note (the full message is the console's).
    static func briefly(_ e: SurveyError) -> String {
        switch e {
        case let .unknownCode(_, line, column, _, value, _): return "line \(line), column \(column): \"\(value)\" is not one of its answers"
        case let .notANumber(_, line, column, _, value): return "line \(line), column \(column): \"\(value)\" is not a number"
        case let .outOfScale(_, line, column, _, value, range): return "line \(line), column \(column): \(value) is outside \(range.lowerBound)–\(range.upperBound)"
        case let .multipleAnswersInSingle(_, line, column, _, value): return "line \(line), column \(column): \"\(value)\" is several answers to a single-answer question"
        case let .duplicateRespondent(_, line, id, firstLine): return "line \(line) repeats respondent \(id) of line \(firstLine)"
        default: return "\(e)"
        }
    }

    /// The load once the questionnaire (or none) is settled.
    static func loadWith(_ questionnaire: Questionnaire?, format: SurveyFormat, path: String, options: Options, delimiter: UInt8,
                         head: [CSVReader.Record] = [], observe: ((UnsafeRawBufferPointer) -> Void)?, dictionary: Questionnaire? = nil) throws -> Survey {
        if let q = questionnaire, format == .auto || format == .wide {
            return try stream(path: path, questionnaire: q, maxRecordBytes: options.maxRecordBytes, delimiter: delimiter, observe: observe,
                              keepDuplicates: options.keepDuplicates)
        }
        let qualtricsHead = head.count >= 3 && head[2].fields.first?.hasPrefix("{\"ImportId\"") == true
        if questionnaire == nil, format == .auto || format == .wide, !qualtricsHead {
            // A plain file without a questionnaire: one streaming pass to infer it, a second to read the answers.
            // The file is hashed in this pass: the second, when there is one, is not observed.
            let state = StreamState<ColumnProfiles>()
            try CSVReader.streamBatchesAhead(path: path, maxRecordBytes: options.maxRecordBytes, delimiter: delimiter, observe: observe) { batch in
                let rows = try state.checked(batch, path: path, ColumnProfiles.init)
                state.value?.add(rows, from: 0)
            }
            // Built from the profiles when they hold every answer; otherwise the profiles are let go before the
            // second pass, and only the id column's ids go on to it.
            let (inferred, knownIDs, done) = try { () throws -> (Questionnaire, (column: Int, ids: CodeTable)?, Survey?) in
                guard let p = state.value else { throw SurveyError.emptyFile(path: path) }
                state.value = nil
                guard p.rows > 0 else { throw SurveyError.noRespondents(path: path) }
                var inferred = QuestionnaireInference.infer(from: p, path: path)
                for e in options.edits {
                    try e.apply(to: &inferred, values: { name in p.header.firstIndex(of: name).map { p.weighted($0).values } })
                }
                // Ticks joined by another separator than ";" are split on the whole table (below), not streamed.
                if inferred.questions.contains(where: { $0.separator != nil }) { return (inferred, nil, nil) }
                if let survey = try p.survey(for: inferred, path: path) { return (inferred, nil, survey) }
                return (inferred, p.idColumn.flatMap { j in p.takeIDs(j).map { (j, $0) } }, nil)
            }()
            if let done { return done }
            if inferred.questions.contains(where: { $0.separator != nil }) {
                let records = try CSVReader.read(path: path, maxRecordBytes: options.maxRecordBytes, delimiter: delimiter, observe: nil)
                var table = try WideTable(records: records, path: path)
                var q = inferred
                TickLists.canonicalize(&table, &q)
                return try validate(table, against: q, format: .wide, inferred: true, keepDuplicates: options.keepDuplicates)
            }
            return try stream(path: path, questionnaire: inferred, maxRecordBytes: options.maxRecordBytes,
                              delimiter: delimiter, observe: nil, inferred: true, knownIDs: consume knownIDs, keepDuplicates: options.keepDuplicates)
        }
        let records = try CSVReader.read(path: path, maxRecordBytes: options.maxRecordBytes, delimiter: delimiter, observe: observe)
        let table: WideTable
        switch format {
        case .auto, .wide:
            // Qualtrics' second and third header rows (question texts, ImportIds) are never respondents, even
            // when the file is read as a plain wide table.
            let qualtricsRows = records.count >= 3 && records[2].fields.first?.hasPrefix("{\"ImportId\"") == true
            var wide = try WideTable(records: records, path: path, headerRows: qualtricsRows ? 3 : 1)
            if questionnaire == nil { wide.idColumn = wide.respondentIDColumn() }
            table = wide
        case .surveymonkey:
            let canonical = try ToolLayouts.surveyMonkey(records, path: path)
            guard questionnaire != nil else { return try inferTool(canonical, format: format, name: "SurveyMonkey", options: options) }
            table = canonical.table
        case .kobo:
            // Form tools' names are the questionnaire's ids: the merged table read against it, or inferred.
            let canonical = try ToolLayouts.kobo(records, path: path)
            guard questionnaire != nil else { return try inferTool(canonical, format: format, name: "KoboToolbox/ODK", options: options) }
            table = canonical.table
        case .googleForms, .limesurvey, .qualtrics, .redcap:
            guard let q = questionnaire else {
                // No questionnaire: the export's own layout says what it can, inference the rest.
                let canonical: ToolLayouts.Canonical
                switch format {
                case .googleForms: canonical = try ToolLayouts.googleForms(records, path: path)
                case .limesurvey: canonical = try ToolLayouts.limesurvey(records, path: path)
                case .qualtrics: canonical = try ToolLayouts.qualtrics(records, path: path)
                default: canonical = try ToolLayouts.redcap(records, path: path)
                }
                let names: [SurveyFormat: String] = [.googleForms: "Google Forms", .limesurvey: "LimeSurvey", .qualtrics: "Qualtrics", .redcap: "REDCap"]
                return try inferTool(canonical, format: format, name: names[format] ?? format.rawValue, options: options)
            }
            switch format {
            case .googleForms: table = try ToolImporters.googleForms(records, q, path: path)
            case .limesurvey: table = try ToolImporters.limesurvey(records, q, path: path)
            case .qualtrics: table = try ToolImporters.qualtrics(records, q, path: path)
            default: table = try ToolImporters.redcap(records, q, path: path, dictionary: dictionary)
            }
        }
        if let q = questionnaire {
            return try validate(table, against: q, format: format == .auto ? .wide : format, inferred: false, keepDuplicates: options.keepDuplicates)
        }
        var inferredQ = QuestionnaireInference.infer(from: table)
        var canonical = table
        TickLists.canonicalize(&canonical, &inferredQ)
        return try validate(canonical, against: inferredQ, format: .wide, inferred: true, keepDuplicates: options.keepDuplicates)
    }

    /// A tool's export without a questionnaire: what its layout states, the rest inferred, the analyst's edits
    /// applied, tick lists with other separators split.
    static func inferTool(_ canonical: ToolLayouts.Canonical, format: SurveyFormat, name: String, options: Options) throws -> Survey {
        var inferred = QuestionnaireInference.infer(from: canonical, tool: name)
        for e in options.edits {
            try e.apply(to: &inferred, values: canonical.table.weightedValues)
        }
        var table = canonical.table
        TickLists.canonicalize(&table, &inferred)
        var survey = try validate(table, against: inferred, format: format, inferred: true, keepDuplicates: options.keepDuplicates)
        survey.notes = canonical.notes + survey.notes
        return survey
    }

    /// A file in UTF-16 or Windows-1252: read whole, written as UTF-8 to a private temporary file, and loaded from
    /// there (the reader works on UTF-8 bytes). The file is hashed as it is on disk; errors name it, not the copy.
    static func loadTranscoded(path: String, encoding: SurveyEncoding, options: Options,
                               observe: ((UnsafeRawBufferPointer) -> Void)?) throws -> Survey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SurveyError.unreadable(path: path, reason: "cannot read the file")
        }
        data.withUnsafeBytes { observe?($0) }
        guard let text = String(data: data, encoding: encoding.foundation) else {
            throw SurveyError.notInEncoding(path: path, encoding: encoding.rawValue)
        }
        var template = Array((NSTemporaryDirectory() + "/trustgap-utf8-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw SurveyError.unreadable(path: path, reason: "cannot make a temporary UTF-8 copy: \(String(cString: strerror(errno)))") }
        close(fd)
        let copy = String(cString: template)
        defer { unlink(copy) }
        // A BOM becomes U+FEFF at the start of the text; the UTF-8 reader skips its UTF-8 form.
        try Data(text.utf8).write(to: URL(fileURLWithPath: copy))
        var utf8 = options
        utf8.encoding = .utf8
        do {
            var survey = try loadFile(path: copy, options: utf8, observe: nil)
            survey.path = path
            survey.questionnaire.title = survey.questionnaire.title.replacingOccurrences(of: copy, with: path)
            survey.questionnaire.source = survey.questionnaire.source.replacingOccurrences(of: copy, with: path)
            return survey
        } catch let e as SurveyError {
            throw SurveyError.transcoded(path: path, copy: copy, encoding: encoding.rawValue, underlying: e)
        }
    }

    /// The streaming path for a wide file: header, then every row straight into the answer columns.
    static func stream(path: String, questionnaire: Questionnaire, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes,
                       delimiter: UInt8 = 0x2C, observe: ((UnsafeRawBufferPointer) -> Void)?, inferred: Bool = false,
                       knownIDs: consuming (column: Int, ids: CodeTable)? = nil, keepDuplicates: Bool = false) throws -> Survey {
        let state = StreamState<ResponseTableBuilder>()
        state.knownIDs = consume knownIDs
        try CSVReader.streamBatchesAhead(path: path, maxRecordBytes: maxRecordBytes, delimiter: delimiter, observe: observe) { batch in
            let rows = try state.checked(batch, path: path) { header in
                let b = ResponseTableBuilder(header: header, idColumn: nil, questionnaire: questionnaire, path: path, knownIDs: state.takeKnownIDs())
                b.keepDuplicates = keepDuplicates
                return b
            }
            try state.value?.add(rows)
        }
        guard let b = state.value else { throw SurveyError.emptyFile(path: path) }
        return try b.finish(format: .wide, inferred: inferred)
    }

    /// What a streamed load keeps between batches (they arrive one at a time, on the reader's decoding thread):
    /// the profiles or the builder, made from the header in the first batch, and the header's width.
    private final class StreamState<Value>: @unchecked Sendable {
        var value: Value?
        private var columns = 0
        /// Ids found by a first pass, held here (not by the closure) so that the builder is their only owner.
        var knownIDs: (column: Int, ids: CodeTable)?

        func takeKnownIDs() -> (column: Int, ids: CodeTable)? {
            defer { knownIDs = nil }
            return knownIDs
        }

        /// The batch's respondent records, each checked to have the header's number of fields; the first batch's
        /// header makes `value`.
        func checked(_ batch: CSVReader.RecordBatch, path: String, _ make: ([String]) -> Value) throws -> CSVReader.RecordBatch {
            var first = 0
            if value == nil {
                let header = batch.record(0).fields.map { $0.trimmingCharacters(in: .whitespaces) }
                try WideTable.checkHeader(header, path: path)
                columns = header.count
                value = make(header)
                first = 1
            }
            for r in first..<batch.count where batch.fieldCount(r) != columns {
                throw SurveyError.wrongColumnCount(path: path, line: batch.line(r), expected: columns, found: batch.fieldCount(r))
            }
            return first == 0 ? batch : batch.dropFirst()
        }
    }

    /// Recognises an export by its header: Google/Microsoft Forms' timestamp columns, Qualtrics' ImportId row,
    /// REDCap's record_id and `___` checkbox columns, LimeSurvey's submitdate and `[..]` sub-question columns.
    public static func detectFormat(_ records: [CSVReader.Record]) -> SurveyFormat {
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) else { return .wide }
        let lower = Set(header.map { $0.lowercased() })
        if records.count >= 3, records[2].fields.first?.hasPrefix("{\"ImportId\"") == true { return .qualtrics }
        if header.first == "Timestamp" || lower.contains("completion time") { return .googleForms }
        if lower.contains("record_id") || header.contains(where: { $0.contains("___") }) { return .redcap }
        // SurveyMonkey: Respondent ID and Collector ID, the options or "Response" in a second header row.
        if lower.contains("respondent id") && lower.contains("collector id") { return .surveymonkey }
        // KoboToolbox (_uuid, _submission_time, _index) and ODK Central (SubmissionDate, KEY, meta-instanceID).
        if lower.contains("_uuid") || lower.contains("_submission_time") || (lower.contains("submissiondate") && lower.contains("key"))
            || lower.contains("meta-instanceid") || lower.contains("meta/instanceid") { return .kobo }
        // REDCap's labels export: "Record ID" and checkbox columns "… (choice=Label)".
        if header.first?.lowercased() == "record id" && (lower.contains("complete?") || header.contains { $0.contains(" (choice=") && $0.hasSuffix(")") }) { return .redcap }
        if lower.contains("submitdate") || header.contains(where: { $0.contains("[") && $0.hasSuffix("]") }) { return .limesurvey }
        return .wide
    }

    /// A questionnaire from `questionnaires/` (in the given folders, then next to the file and its parents) whose
    /// question ids cover most of the file's columns.
    static func discoverQuestionnaire(header: [String], format: SurveyFormat, near path: String,
                                      folders: [String]) -> (questionnaire: Questionnaire, share: Double)? {
        guard format == .wide || format == .auto, !header.isEmpty else { return nil }
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
        return best.map { ($0.0, $0.1) }
    }

    /// Checks every cell against the questionnaire and builds the answer columns.
    public static func validate(_ table: WideTable, against questionnaire: Questionnaire, format: SurveyFormat,
                                inferred: Bool, keepDuplicates: Bool = false) throws -> Survey {
        guard !table.rows.isEmpty else { throw SurveyError.noRespondents(path: table.path) }
        let builder = ResponseTableBuilder(header: table.header, idColumn: table.idColumn, questionnaire: questionnaire, path: table.path)
        builder.keepDuplicates = keepDuplicates
        try builder.add(rows: table.rows)
        return try builder.finish(format: format, inferred: inferred)
    }

    static func parseCell(_ raw: String, question: Question, path: String, line: Int, column: String) throws -> Answer {
        let value = raw.trimmingCharacters(in: .whitespaces)
        if value.isEmpty { return .missing }
        switch question.type {
        case .open:
            return .text(raw)
        case .numeric:
            guard let v = Double(value), v.isFinite else {
                if question.lenient { return .missing }
                throw SurveyError.notANumber(path: path, line: line, column: column, question: question.id, value: value)
            }
            return .number(v)
        case .likert where question.scale == nil:
            // A scale in words: its options, in order, are the codes.
            try check(value, question, path, line, column)
            return .code(value)
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
