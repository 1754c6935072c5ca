import Foundation

/// Builds a `ResponseTable` row by row from a file's cells, checking each against its question.
///
/// Cells arrive as UTF-8 bytes (from the streaming CSV reader, or from a String's storage). The common cell — an
/// answer code, `;`-joined codes or a small whole number with ASCII spaces around it — is decoded without making a
/// String: its bytes are looked up in a hash table of the question's codes. Anything else (an unknown code, other
/// white space, a number in another notation) goes through `SurveyLoader.parseCell`, which has the final word and
/// words the error, so the fast path can only ever accept what the slow path accepts.
/// `@unchecked Sendable`: `add` shares one batch out as tasks that touch disjoint state (the id task the ids and
/// lines, the extra task the extra columns, each column task its own builder).
final class ResponseTableBuilder: @unchecked Sendable {
    let path: String
    let header: [String]
    let idIndex: Int?
    private(set) var questionnaire: Questionnaire
    /// The column each question or extra column reads from, and its builder.
    @exclusivity(unchecked) private var builders: [(column: Int, builder: ColumnBuilder)] = []
    /// Columns the questionnaire does not know: their raw cells, typed once every row is in.
    let extras: [(column: Int, name: String)]
    @exclusivity(unchecked) private var extraCells: [ExtraColumn]
    /// Respondent ids in row order: row r's id is code r, since a repeated id stops the load.
    @exclusivity(unchecked) private var ids = CodeTable([])
    @exclusivity(unchecked) private var lines: [Int32] = []

    /// Rows whose ids are already in `ids`, in row order, from the pass that profiled the file: each is only
    /// compared with its row's id. The first that differs (the file changed, or other white space was trimmed)
    /// ends this, and the ids are filed again from there.
    @exclusivity(unchecked) private var prefilled = 0
    /// A repeated respondent id is kept under a marked id (`load survey --keep-duplicates`) instead of stopping the load.
    var keepDuplicates = false
    /// The repeated ids kept, for the load message (touched by the id task only).
    @exclusivity(unchecked) private var duplicates: [String] = []

    /// `knownIDs`: the distinct ids of column `column` in row order, when a first pass over the file found them.
    init(header: [String], idColumn: Int?, questionnaire: Questionnaire, path: String,
         knownIDs: (column: Int, ids: CodeTable)? = nil) {
        self.path = path
        self.header = header
        idIndex = idColumn
            ?? header.firstIndex { $0.caseInsensitiveCompare(questionnaire.respondentIDColumn) == .orderedSame }
        if let known = knownIDs, known.column == idIndex {
            ids = known.ids
            prefilled = known.ids.codes.count
        }
        self.questionnaire = questionnaire
        var extras: [(Int, String)] = []
        for (i, h) in header.enumerated() where i != idIndex {
            if let question = questionnaire.question(h) {
                builders.append((i, ColumnBuilder(question: question, columnName: h, path: path)))
            } else {
                extras.append((i, h))
            }
        }
        self.extras = extras
        extraCells = extras.map { _ in ExtraColumn() }
    }

    var rowCount: Int { lines.count }

    /// Adds a batch of records (all with the header's number of fields): ids and line numbers row by row, each
    /// column in one tight loop, and the extra columns. These are independent tasks, shared out among the cores as
    /// each finishes its last (the id column alone took as long as five answer columns). An id error in the batch
    /// is reported first, as before; when a cell is wrong, the batch is checked again row by row so that the error
    /// reported is the first in the file, as a row-by-row reader would report it.
    func add(_ batch: CSVReader.RecordBatch) throws {
        let failures = FirstFailure(), idFailure = FirstFailure()
        let columns = builders
        let extraTasks = extras.isEmpty ? 0 : 1
        DispatchQueue.concurrentPerform(iterations: 1 + extraTasks + columns.count) { task in
            do {
                if task == 0 {
                    for r in 0..<batch.count { try addID(batch, r) }
                } else if task < 1 + extraTasks {
                    for (k, e) in extras.enumerated() {
                        for r in 0..<batch.count { extraCells[k].add(batch.bytes(r, e.column), line: batch.line(r)) }
                    }
                } else {
                    let c = columns[task - 1 - extraTasks]
                    try c.builder.add(batch, column: c.column, rows: 0..<batch.count)
                }
            } catch {
                (task == 0 ? idFailure : failures).record(error)
            }
        }
        if let error = idFailure.error { throw error }
        if let error = failures.error {
            let probes = builders.map { ($0.column, $0.builder.emptyCopy()) }
            for r in 0..<batch.count {
                for (column, probe) in probes { try probe.add(batch, column: column, rows: r..<(r + 1)) }
            }
            throw error
        }
    }

    private func addID(_ batch: CSVReader.RecordBatch, _ r: Int) throws {
        let line = batch.line(r)
        let added: (index: Int, inserted: Bool)
        if let idIndex {
            let raw = batch.bytes(r, idIndex)
            let ascii = ColumnBuilder.trimmed(raw)
            // ASCII spaces are trimmed on the bytes; other white space at either end takes Foundation's trimming.
            if let first = ascii.first, let last = ascii.last, first < 0x80, last < 0x80 {
                let row = lines.count
                if row < prefilled {
                    if ids.holds(row, ascii) { lines.append(Int32(clamping: line)); return }
                    refile(from: row)
                }
                added = ids.insert(ascii)
            } else {
                refile(from: lines.count)
                let id = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                guard !id.isEmpty else { throw SurveyError.missingRespondentID(path: path, line: line) }
                added = Array(id.utf8).withUnsafeBufferPointer { ids.insert($0) }
            }
        } else {
            added = Array(Self.defaultID(lines.count).utf8).withUnsafeBufferPointer { ids.insert($0) }
        }
        guard added.inserted else {
            let id = ids.codes[added.index], first = Int(lines[added.index])
            guard keepDuplicates else { throw SurveyError.duplicateRespondent(path: path, line: line, id: id, firstLine: first) }
            // Both submissions kept, the later one under a marked id, and named in the load message.
            var k = 2
            while !Array("\(id) (\(k))".utf8).withUnsafeBufferPointer({ ids.insert($0).inserted }) { k += 1 }
            duplicates.append("line \(line) repeats respondent \(id) of line \(first), kept as \"\(id) (\(k))\"")
            lines.append(Int32(clamping: line))
            return
        }
        lines.append(Int32(clamping: line))
    }

    /// Ends the prefilled ids at `row`: the ids of the rows before it are filed again, without the rest.
    private func refile(from row: Int) {
        guard row < prefilled else { return }
        ids = CodeTable(Array(ids.codes.prefix(row)))
        prefilled = 0
    }

    /// Adds rows of text cells (importers, inferred questionnaires) through the same batch path.
    func add(rows: [(line: Int, cells: [String])]) throws {
        try CSVReader.RecordBatch.withBatch(rows) { try add($0) }
    }

    /// "R001", "R002", ... for files without an id column.
    static func defaultID(_ row: Int) -> String {
        let digits = String(row + 1)
        return "R" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// The finished survey: extra columns are typed from their values (as an inferred section) and decoded.
    func finish(format: SurveyFormat, inferred: Bool) throws -> Survey {
        guard !lines.isEmpty else { throw SurveyError.noRespondents(path: path) }
        var columns: [String: ResponseTable.Column] = [:]
        for (_, builder) in builders { columns[builder.question.id] = builder.finish() }
        refile(from: lines.count)
        let ids = self.ids.codes
        self.ids = CodeTable.empty
        if !extras.isEmpty {
            // Columns the questionnaire does not know are kept as extra variables (inferred), usable with --group.
            // Each is typed from its distinct values with their counts, and decoded once per distinct value.
            var questions: [Question] = []
            for (k, e) in extras.enumerated() {
                let column = extraCells[k]
                var weighted: [String: Int] = [:]
                var order: [String] = []
                for (raw, n) in zip(column.table.codes, column.counts) {
                    let v = raw.trimmingCharacters(in: .whitespaces)
                    if v.isEmpty { continue }
                    if weighted[v] == nil { order.append(v) }
                    weighted[v, default: 0] += n
                }
                var q = QuestionnaireInference.inferQuestion(name: e.name, weighted: order.map { ($0, weighted[$0] ?? 0) })
                if q.separator != nil {
                    // An extra column is never compared: its cells are kept whole rather than split as they stream.
                    q = QuestionnaireInference.forced(.single, name: e.name, weighted: order.map { ($0, weighted[$0] ?? 0) })
                    q.reason = "single answer: an extra column, each cell read whole"
                }
                questions.append(q)
            }
            // The tools' bookkeeping (timestamps, status, completeness) is metadata, as it is in an inferred survey.
            let metadata = questions.filter { QuestionnaireInference.isMetadata($0.id) }, others = questions.filter { !QuestionnaireInference.isMetadata($0.id) }
            if !others.isEmpty { questionnaire.sections.append(Section(id: "extra", title: "Extra columns", compare: false, questions: others)) }
            if !metadata.isEmpty {
                if let m = questionnaire.sections.firstIndex(where: { $0.id == "metadata" }) { questionnaire.sections[m].questions += metadata }
                else { questionnaire.sections.append(Section(id: "metadata", title: "Metadata", compare: false, questions: metadata)) }
            }
            for (k, e) in extras.enumerated() {
                guard let question = questionnaire.question(e.name) else { continue }
                columns[question.id] = try extraCells[k].decode(question, columnName: e.name, path: path)
            }
        }
        var survey = Survey(questionnaire: questionnaire, responses: ResponseTable(ids: ids, lines: lines, columns: columns),
                            path: path, format: format, extraColumns: extras.map(\.name), inferred: inferred)
        if !duplicates.isEmpty {
            survey.notes.append("\(duplicates.count) repeated respondent id(s) kept (--keep-duplicates): " + duplicates.prefix(10).joined(separator: "; ") + (duplicates.count > 10 ? "; …" : ""))
        }
        for (_, b) in builders where b.unreadCount > 0 {
            survey.notes.append(ColumnBuilder.unreadNote(question: b.question.id, cells: b.unreadCount, shown: b.unread, more: b.unreadCount > b.unread.count))
        }
        return survey
    }
}

/// A column the questionnaire does not know, while the file is read: its distinct cells (with counts and the line
/// each first appears on) and, per row, which one it holds. Typing and decoding then work on distinct values, so a
/// million-row group column costs one lookup per row instead of a String per row typed and parsed again.
final class ExtraColumn {
    private(set) var table = CodeTable([])
    private(set) var counts: [Int] = []
    private var firstLines: [Int] = []
    private var rows: [Int32] = []

    func add(_ cell: UnsafeBufferPointer<UInt8>, line: Int) {
        let k: Int
        if let known = table.index(cell) {
            k = known
        } else {
            k = table.indexAdding(String(decoding: cell, as: UTF8.self))
            counts.append(0)
            firstLines.append(line)
        }
        counts[k] += 1
        rows.append(Int32(k))
    }

    /// The column as `question` reads it (see the static `decode`).
    func decode(_ question: Question, columnName: String, path: String) throws -> ResponseTable.Column {
        try Self.decode(values: table.codes, firstLines: firstLines, rows: rows, question: question, columnName: columnName, path: path).column
    }

    /// A column from its distinct cells and each row's index into them: the distinct cells decoded by a
    /// `ColumnBuilder` (one row each, on the line where it first appears, so an error names the first row with that
    /// value), then spread over the rows. Also the indices of the non-empty values a lenient numeric question read
    /// as missing.
    static func decode<Index: FixedWidthInteger>(values: [String], firstLines: [Int], rows: [Index], question: Question,
                                                 columnName: String, path: String) throws -> (column: ResponseTable.Column, unread: [Int]) {
        let builder = ColumnBuilder(question: question, columnName: columnName, path: path)
        try CSVReader.RecordBatch.withBatch(values.enumerated().map { (firstLines[$0.offset], [$0.element]) }) {
            try builder.add($0, column: 0, rows: 0..<$0.count)
        }
        switch builder.finish() {
        case .choice(let codes, let decoded): return (.choice(codes: codes, values: rows.map { decoded[Int($0)] }), [])
        case .choices(let codes, let words, let masks):
            return (.choices(codes: codes, words: words, masks: rows.flatMap { masks[(Int($0) * words)..<(Int($0) * words + words)] }), [])
        case .numbers(let decoded):
            let unread = decoded.indices.filter { decoded[$0].isNaN && !values[$0].trimmingCharacters(in: .whitespaces).isEmpty }
            return (.numbers(rows.map { decoded[Int($0)] }), unread)
        case .texts(let decoded): return (.texts(rows.map { decoded[Int($0)] }), [])
        }
    }
}

/// Whether any parallel task failed (which one does not matter: the batch is checked again row by row).
private final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var error: Error?
    func record(_ e: Error) { lock.lock(); if error == nil { error = e }; lock.unlock() }
}

/// One question's answers while a file is read. Each builder is used by one task at a time.
final class ColumnBuilder: @unchecked Sendable {
    let question: Question
    let columnName: String
    let path: String
    private let kind: QuestionType
    @exclusivity(unchecked) private var codes: CodeTable
    @exclusivity(unchecked) private var values: [UInt16] = []
    @exclusivity(unchecked) private var masks: [UInt64] = []
    private let words: Int
    @exclusivity(unchecked) private var numbers: [Double] = []
    @exclusivity(unchecked) private var texts: [String?] = []
    /// Cells of a lenient numeric column that were not numbers: how many, and the first few with their lines.
    private(set) var unreadCount = 0
    private(set) var unread: [(line: Int, value: String)] = []

    init(question: Question, columnName: String, path: String) {
        self.question = question
        self.columnName = columnName
        self.path = path
        kind = question.type
        codes = CodeTable(question.categories.map(\.code))
        words = max(1, (question.categories.count + 63) / 64)
    }

    func finish() -> ResponseTable.Column {
        switch question.type {
        case .single, .likert: return .choice(codes: codes.codes, values: values)
        case .multi: return .choices(codes: codes.codes, words: words, masks: masks)
        case .numeric: return .numbers(numbers)
        case .open: return .texts(texts)
        }
    }

    /// A builder for the same column with nothing in it yet.
    func emptyCopy() -> ColumnBuilder { ColumnBuilder(question: question, columnName: columnName, path: path) }

    /// Decodes column `column` of the batch's `rows`. Each kind has its own loop over the rows, with the storage
    /// and the code table taken into locals for the loop.
    func add(_ batch: CSVReader.RecordBatch, column: Int, rows: Range<Int>) throws {
        var codes = self.codes
        self.codes = CodeTable.empty
        defer { self.codes = codes }
        switch kind {
        case .single, .likert:
            var values = self.values
            self.values = []
            defer { self.values = values }
            for r in rows {
                let t = Self.trimmed(batch.bytes(r, column))
                if t.isEmpty { values.append(0); continue }
                if let k = codes.index(t) { values.append(UInt16(k + 1)); continue }
                if case .code(let c) = try slowly(batch, r, column) {
                    values.append(UInt16(codes.indexAdding(c) + 1))
                } else {
                    values.append(0)
                }
            }
        case .multi:
            let words = self.words
            var masks = self.masks
            self.masks = []
            defer { self.masks = masks }
            for r in rows {
                let cell = Self.trimmed(batch.bytes(r, column))
                let at = masks.count
                masks.append(contentsOf: repeatElement(0, count: words))
                var fast = true
                var partStart = 0
                var i = 0
                while i <= cell.count {
                    if i == cell.count || cell[i] == 0x3B {
                        let part = Self.trimmed(UnsafeBufferPointer(rebasing: cell[partStart..<i]))
                        if !part.isEmpty {
                            guard let k = codes.index(part) else { fast = false; break }
                            masks[at + k >> 6] |= 1 << UInt64(k & 63)
                        }
                        partStart = i + 1
                    }
                    i += 1
                }
                if fast { continue }
                for w in 0..<words { masks[at + w] = 0 }
                if case .codes(let cs) = try slowly(batch, r, column) {
                    for c in cs { let k = codes.indexAdding(c); masks[at + k >> 6] |= 1 << UInt64(k & 63) }
                }
            }
        case .numeric:
            for r in rows {
                if let v = Self.plainNumber(Self.trimmed(batch.bytes(r, column))) { numbers.append(v); continue }
                if case .number(let v) = try slowly(batch, r, column) {
                    numbers.append(v)
                } else {
                    numbers.append(.nan)
                    // A lenient column reads stray text as missing; the load message lists it.
                    if question.lenient, !Self.trimmed(batch.bytes(r, column)).isEmpty {
                        unreadCount += 1
                        if unread.count < 10 { unread.append((batch.line(r), String(decoding: Self.trimmed(batch.bytes(r, column)), as: UTF8.self))) }
                    }
                }
            }
        case .open:
            for r in rows {
                let raw = batch.bytes(r, column), t = Self.trimmed(raw)
                if t.isEmpty { texts.append(nil); continue }
                // Not blank whatever white space is trimmed: the cell is its own answer, untrimmed as parseCell keeps it.
                if let first = t.first, let last = t.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
                    texts.append(String(decoding: raw, as: UTF8.self))
                    continue
                }
                if case .text(let t) = try slowly(batch, r, column) { texts.append(t) } else { texts.append(nil) }
            }
        }
    }

    /// The load note for a lenient numeric question's cells that were not numbers: how many, and examples with
    /// their lines.
    static func unreadNote(question: String, cells: Int, shown: [(line: Int, value: String)], more: Bool) -> String {
        let examples = shown.map { "line \($0.line) \"\($0.value)\"" }.joined(separator: ", ")
        return "\(question): \(cells) cell(s) are not numbers and were read as missing: \(examples)\(more ? ", …" : "")"
    }

    /// The general path: the cell as text through `SurveyLoader.parseCell`.
    private func slowly(_ batch: CSVReader.RecordBatch, _ r: Int, _ column: Int) throws -> Answer {
        try SurveyLoader.parseCell(String(decoding: batch.bytes(r, column), as: UTF8.self), question: question, path: path,
                                   line: batch.line(r), column: columnName)
    }

    /// The value of a cell that is a plain decimal number (`-12`, `3.25`, `+0.5`: ASCII digits with at most one
    /// point, 15 significant digits at most, no exponent), or nil for anything else, which `parseCell` then reads.
    /// Exact by Clinger's fast path: the digits as an integer below 2^53 and a power of ten up to 10^22 are both
    /// exact doubles, so the one division rounds correctly, as `Double(String)` (strtod) does. Six numeric columns
    /// of a million rows went through Foundation's trimming and `Double(String)`: 1.9 s of a 4.5 s load.
    @inline(__always)
    static func plainNumber(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = b.count
        var i = 0
        guard n > 0, n <= 17 else { return nil }
        var negative = false
        if b[0] == 0x2D || b[0] == 0x2B { negative = b[0] == 0x2D; i = 1 }
        var mantissa: UInt64 = 0, digits = 0, fraction = 0, point = false
        while i < n {
            let c = b[i]
            if c == 0x2E {
                if point { return nil }
                point = true
            } else if c >= 0x30 && c <= 0x39 {
                mantissa = mantissa * 10 + UInt64(c - 0x30)
                digits += 1
                if point { fraction += 1 }
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, digits <= 15 else { return nil }
        var v = Double(mantissa)
        if fraction > 0 { v /= powersOfTen[fraction] }
        return negative ? -v : v
    }

    private static let powersOfTen: [Double] = (0...22).map { k in (0..<k).reduce(1.0) { x, _ in x * 10 } }

    /// The cell without ASCII spaces and tabs at either end (other white space takes the slow path).
    @inline(__always)
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }
}

/// A question's answer codes with their UTF-8 bytes in an open-addressing hash table, so a cell's bytes find their
/// code without becoming a String. Likert questions without a scale grow it as new values appear.
struct CodeTable {
    private(set) var codes: [String] = []
    /// All codes' bytes end to end; code k is flat[offsets[k]..<offsets[k + 1]].
    private var flat: [UInt8] = []
    private var offsets: [Int] = [0]
    /// 0 for an empty slot, else the value's 32-bit hash above its index + 1: a probe compares bytes only when
    /// the hashes agree, and growing the table re-places values without hashing their bytes again (a million
    /// respondent ids of one length spent more time in `memcmp` than in hashing).
    private var slots: [UInt64]
    private var mask: Int

    static let empty = CodeTable([])

    init(_ codes: [String]) {
        let size = max(16, (codes.count * 4).nextPowerOfTwo)
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        for c in codes { _ = indexAdding(c) }
    }

    /// Mixes the length and every eight bytes of the value (the last, partial word read as the value's last eight
    /// bytes) into a 64-bit hash, starting from a per-process random seed. All bytes count, so values that differ
    /// only in the middle (respondent ids such as `user_000123_final`, long free-text answers) still spread over
    /// the table; the seed keeps a file from choosing its own collisions.
    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        let n = b.count
        var x = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
        if let base = b.baseAddress {
            let raw = UnsafeRawPointer(base)
            if n >= 8 {
                var at = 0
                while at + 8 < n {
                    x ^= raw.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                    x = (x ^ (x >> 31)) &* 0xBF58_476D_1CE4_E5B9
                    at += 8
                }
                x ^= raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            } else {
                for k in 0..<n { x = (x ^ UInt64(base[k])) &* 0x100_0000_01b3 }
            }
        }
        x = (x ^ (x >> 29)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: x ^ (x >> 32))
    }

    private static let seed = UInt64.random(in: .min ... .max)

    @inline(__always)
    func index(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let tag = UInt64(UInt32(truncatingIfNeeded: Self.hash(b)))
        var s = Int(tag) & mask
        return slots.withUnsafeBufferPointer { slots in
            offsets.withUnsafeBufferPointer { offsets in
                flat.withUnsafeBufferPointer { flat in
                    while true {
                        let slot = slots[s]
                        if slot == 0 { return nil }
                        if slot >> 32 == tag {
                            let k = Int(slot & 0xFFFF_FFFF) - 1
                            let lo = offsets[k], len = offsets[k + 1] - lo
                            if len == b.count && (len == 0 || memcmp(flat.baseAddress! + lo, b.baseAddress!, len) == 0) { return k }
                        }
                        s = (s + 1) & mask
                    }
                }
            }
        }
    }

    mutating func indexAdding(_ code: String) -> Int {
        let utf8 = Array(code.utf8)
        if let k = utf8.withUnsafeBufferPointer({ index($0) }) { return k }
        flat.append(contentsOf: utf8)
        return added(code)
    }

    /// Whether code `k` has exactly these bytes.
    func holds(_ k: Int, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let lo = offsets[k], len = offsets[k + 1] - lo
        guard len == b.count else { return false }
        return len == 0 || flat.withUnsafeBufferPointer { memcmp($0.baseAddress! + lo, b.baseAddress!, len) == 0 }
    }

    /// Adds the value of `bytes` unless it is there: its index, and whether it was new. One hash for both, and no
    /// String for a value already in the table.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>) -> (index: Int, inserted: Bool) {
        if let k = index(bytes) { return (k, false) }
        flat.append(contentsOf: bytes)
        return (added(String(decoding: bytes, as: UTF8.self)), true)
    }

    /// Files the code whose bytes were just appended to `flat`.
    private mutating func added(_ code: String) -> Int {
        codes.append(code)
        offsets.append(flat.count)
        let k = codes.count - 1
        let (lo, hi) = (offsets[k], offsets[k + 1])
        let tag = UInt64(UInt32(truncatingIfNeeded: flat.withUnsafeBufferPointer { Self.hash(UnsafeBufferPointer(rebasing: $0[lo..<hi])) }))
        if codes.count * 2 > slots.count {
            let old = slots
            slots = [UInt64](repeating: 0, count: slots.count * 2)
            mask = slots.count - 1
            for slot in old where slot != 0 { place(slot) }
        }
        place(tag << 32 | UInt64(k + 1))
        return k
    }

    private mutating func place(_ slot: UInt64) {
        var s = Int(slot >> 32) & mask
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = slot
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
