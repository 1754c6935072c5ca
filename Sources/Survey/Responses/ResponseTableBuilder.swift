import Foundation

/// Builds a `ResponseTable` row by row from a file's cells, checking each against its question.
///
/// Cells arrive as UTF-8 bytes (from the streaming CSV reader, or from a String's storage). The common cell — an
/// answer code, `;`-joined codes or a small whole number with ASCII spaces around it — is decoded without making a
/// String: its bytes are looked up in a hash table of the question's codes. Anything else (an unknown code, other
/// white space, a number in another notation) goes through `SurveyLoader.parseCell`, which has the final word and
/// words the error, so the fast path can only ever accept what the slow path accepts.
final class ResponseTableBuilder {
    let path: String
    let header: [String]
    let idIndex: Int?
    private(set) var questionnaire: Questionnaire
    /// The column each question or extra column reads from, and its builder.
    private var builders: [(column: Int, builder: ColumnBuilder)] = []
    /// Columns the questionnaire does not know: their raw cells, typed once every row is in.
    let extras: [(column: Int, name: String)]
    private var extraCells: [[String]]
    private var ids: [String] = []
    private var lines: [Int32] = []
    private var firstLine: [String: Int32] = [:]

    init(header: [String], idColumn: Int?, questionnaire: Questionnaire, path: String) {
        self.path = path
        self.header = header
        idIndex = idColumn
            ?? header.firstIndex { $0.caseInsensitiveCompare(questionnaire.respondentIDColumn) == .orderedSame }
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
        extraCells = extras.map { _ in [] }
    }

    var rowCount: Int { ids.count }

    /// Adds one row; `cell(i)` gives column i's bytes.
    func add(line: Int, cell: (Int) -> UnsafeBufferPointer<UInt8>) throws {
        let row = ids.count
        let id: String
        if let idIndex {
            id = String(decoding: cell(idIndex), as: UTF8.self).trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { throw SurveyError.missingRespondentID(path: path, line: line) }
        } else {
            id = Self.defaultID(row)
        }
        if let first = firstLine.updateValue(Int32(clamping: line), forKey: id) {
            throw SurveyError.duplicateRespondent(path: path, line: line, id: id, firstLine: Int(first))
        }
        ids.append(id)
        lines.append(Int32(clamping: line))
        for (column, builder) in builders {
            try builder.add(cell(column), line: line)
        }
        for (k, e) in extras.enumerated() {
            extraCells[k].append(String(decoding: cell(e.column), as: UTF8.self))
        }
    }

    /// Adds a row of text cells (importers, inferred questionnaires).
    func add(line: Int, cells: [String]) throws {
        // Copies into one contiguous buffer with offsets, so cells can be handed out as bytes like the reader's.
        var bytes: [UInt8] = []
        var bounds: [Range<Int>] = []
        for c in cells {
            let start = bytes.count
            bytes.append(contentsOf: c.utf8)
            bounds.append(start..<bytes.count)
        }
        try bytes.withUnsafeBufferPointer { b in
            try add(line: line) { i in UnsafeBufferPointer(rebasing: b[bounds[i]]) }
        }
    }

    /// "R001", "R002", ... for files without an id column.
    static func defaultID(_ row: Int) -> String {
        let digits = String(row + 1)
        return "R" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }

    /// The finished survey: extra columns are typed from their values (as an inferred section) and decoded.
    func finish(format: SurveyFormat, inferred: Bool) throws -> Survey {
        guard !ids.isEmpty else { throw SurveyError.noRespondents(path: path) }
        var columns: [String: ResponseTable.Column] = [:]
        for (_, builder) in builders { columns[builder.question.id] = builder.finish() }
        if !extras.isEmpty {
            // Columns the questionnaire does not know are kept as extra variables (inferred), usable with --group.
            let table = WideTable(path: path, header: extras.map(\.name),
                                  rows: lines.indices.map { r in (Int(lines[r]), extraCells.map { $0[r] }) }, idColumn: nil)
            var section = QuestionnaireInference.infer(from: table).sections[0]
            section = Section(id: "extra", title: "Extra columns", compare: false, questions: section.questions)
            questionnaire.sections.append(section)
            for (k, e) in extras.enumerated() {
                guard let question = questionnaire.question(e.name) else { continue }
                let builder = ColumnBuilder(question: question, columnName: e.name, path: path)
                for (r, value) in extraCells[k].enumerated() {
                    var v = value
                    try v.withUTF8 { try builder.add($0, line: Int(lines[r])) }
                }
                columns[question.id] = builder.finish()
            }
        }
        return Survey(questionnaire: questionnaire, responses: ResponseTable(ids: ids, lines: lines, columns: columns),
                      path: path, format: format, extraColumns: extras.map(\.name), inferred: inferred)
    }
}

/// One question's answers while a file is read.
final class ColumnBuilder {
    let question: Question
    let columnName: String
    let path: String
    private var codes: CodeTable
    private var values: [UInt16] = []
    private var masks: [UInt64] = []
    private let words: Int
    private var numbers: [Double] = []
    private var texts: [String?] = []

    init(question: Question, columnName: String, path: String) {
        self.question = question
        self.columnName = columnName
        self.path = path
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

    func add(_ cell: UnsafeBufferPointer<UInt8>, line: Int) throws {
        switch question.type {
        case .single:
            let t = Self.trimmed(cell)
            if t.isEmpty { values.append(0); return }
            if let k = codes.index(t) { values.append(UInt16(k + 1)); return }
            try addSlowly(cell, line: line)
        case .likert:
            let t = Self.trimmed(cell)
            if t.isEmpty { values.append(0); return }
            if let v = Self.smallInteger(t), question.scale.map({ ($0.min...$0.max).contains(v) }) ?? true {
                values.append(UInt16(codes.indexAdding(String(v)) + 1))
                return
            }
            try addSlowly(cell, line: line)
        case .multi:
            let start = masks.count
            masks.append(contentsOf: repeatElement(0, count: words))
            var fast = true
            Self.forEachPart(Self.trimmed(cell)) { part in
                guard fast else { return }
                let t = Self.trimmed(part)
                if t.isEmpty { return }
                if let k = codes.index(t) { masks[start + k / 64] |= 1 << UInt64(k % 64) } else { fast = false }
            }
            if !fast {
                masks.removeLast(words)
                try addSlowly(cell, line: line)
            }
        case .numeric:
            try addSlowly(cell, line: line)
        case .open:
            if Self.trimmed(cell).isEmpty { texts.append(nil); return }
            try addSlowly(cell, line: line)
        }
    }

    /// The general path: the cell as text through `SurveyLoader.parseCell`.
    private func addSlowly(_ cell: UnsafeBufferPointer<UInt8>, line: Int) throws {
        let raw = String(decoding: cell, as: UTF8.self)
        let answer = try SurveyLoader.parseCell(raw, question: question, path: path, line: line, column: columnName)
        switch (question.type, answer) {
        case (.numeric, .number(let v)): numbers.append(v)
        case (.numeric, _): numbers.append(.nan)
        case (.open, .text(let s)): texts.append(s)
        case (.open, _): texts.append(nil)
        case (.multi, .codes(let cs)):
            var m = [UInt64](repeating: 0, count: words)
            for c in cs { let k = codes.indexAdding(c); m[k / 64] |= 1 << UInt64(k % 64) }
            masks.append(contentsOf: m)
        case (.multi, _): masks.append(contentsOf: repeatElement(0, count: words))
        case (_, .code(let c)): values.append(UInt16(codes.indexAdding(c) + 1))
        default: values.append(0)
        }
    }

    /// The cell without ASCII spaces and tabs at either end (other white space takes the slow path).
    @inline(__always)
    static func trimmed(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lo = 0, hi = b.count
        while lo < hi && (b[lo] == 0x20 || b[lo] == 0x09) { lo += 1 }
        while hi > lo && (b[hi - 1] == 0x20 || b[hi - 1] == 0x09) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: b[lo..<hi])
    }

    @inline(__always)
    static func forEachPart(_ b: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        for i in 0..<b.count where b[i] == 0x3B {
            body(UnsafeBufferPointer(rebasing: b[start..<i]))
            start = i + 1
        }
        body(UnsafeBufferPointer(rebasing: b[start..<b.count]))
    }

    /// Plain decimal digits (at most four) as an integer; anything else is left to the slow path.
    @inline(__always)
    static func smallInteger(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.isEmpty, b.count <= 4 else { return nil }
        var v = 0
        for c in b {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }
}

/// A question's answer codes with their UTF-8 bytes in an open-addressing hash table, so a cell's bytes find their
/// code without becoming a String. Likert questions without a scale grow it as new values appear.
struct CodeTable {
    private(set) var codes: [String] = []
    private var bytes: [[UInt8]] = []
    private var slots: [Int32]
    private var mask: Int

    init(_ codes: [String]) {
        let size = max(16, (codes.count * 4).nextPowerOfTwo)
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for c in codes { _ = indexAdding(c) }
    }

    @inline(__always)
    private static func hash(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in b { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    @inline(__always)
    func index(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        var s = Self.hash(b) & mask
        while true {
            let k = Int(slots[s])
            if k < 0 { return nil }
            if bytes[k].count == b.count && (b.isEmpty || bytes[k].withUnsafeBufferPointer({ memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0 })) {
                return k
            }
            s = (s + 1) & mask
        }
    }

    mutating func indexAdding(_ code: String) -> Int {
        let utf8 = Array(code.utf8)
        if let k = utf8.withUnsafeBufferPointer({ index($0) }) { return k }
        codes.append(code)
        bytes.append(utf8)
        if codes.count * 2 > slots.count {
            slots = [Int32](repeating: -1, count: slots.count * 2)
            mask = slots.count - 1
            for (k, b) in bytes.enumerated() { place(b, k) }
        } else {
            place(utf8, codes.count - 1)
        }
        return codes.count - 1
    }

    private mutating func place(_ b: [UInt8], _ k: Int) {
        var s = b.withUnsafeBufferPointer { Self.hash($0) } & mask
        while slots[s] >= 0 { s = (s + 1) & mask }
        slots[s] = Int32(k)
    }
}

private extension Int {
    var nextPowerOfTwo: Int { self <= 1 ? 1 : 1 << (Int.bitWidth - (self - 1).leadingZeroBitCount) }
}
