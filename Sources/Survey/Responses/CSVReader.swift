import Foundation
import Statistics
#if canImport(Glibc)
import Glibc
#endif

/// An RFC 4180 CSV reader that knows where it is, and streams.
///
/// Written by hand rather than taken from CSV.swift or SwiftCSV because both report a malformed file without a
/// position (or not at all: an unterminated quote silently swallows the rest of the file), and every bad file here
/// must be answered with its line and column; and because a national survey of a million respondents must load
/// without holding the file, its records and its answers at once. `stream` reads the file in blocks into one
/// buffer and hands each record to the caller as byte ranges in that buffer, so no String is made for a cell the
/// caller only looks up (a million-row, 480 MB file parses in about 0.5 s on the benchmark machine, see
/// BENCHMARKS.md). It accepts a UTF-8 byte-order mark, CRLF or LF line ends, quoted fields with doubled quotes and
/// embedded newlines, and skips blank lines. Columns in errors are counted in Unicode scalars.
public struct CSVReader {
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// 1-based line on which the record starts.
        public var line: Int
    }

    /// The complete records in the reader's buffer: fields as byte ranges into it. Valid only inside the callback.
    /// Read-only while it is handed out, so it may be read from several threads at once.
    public struct RecordBatch: @unchecked Sendable {
        let base: UnsafeMutablePointer<UInt8>
        /// Field k of the batch spans starts[k]..<ends[k]; record r's fields are firstField[r]..<firstField[r + 1].
        let starts: [Int]
        let ends: [Int]
        let firstField: [Int]
        let lines: [Int]

        public var count: Int { lines.count }

        /// 1-based line on which record `r` starts.
        public func line(_ r: Int) -> Int { lines[r] }

        public func fieldCount(_ r: Int) -> Int { firstField[r + 1] - firstField[r] }

        /// The bytes of field `i` of record `r` (quotes removed, doubled quotes undone).
        @inline(__always)
        public func bytes(_ r: Int, _ i: Int) -> UnsafeBufferPointer<UInt8> {
            let k = firstField[r] + i
            return UnsafeBufferPointer(start: base + starts[k], count: ends[k] - starts[k])
        }

        public func record(_ r: Int) -> RecordView { RecordView(batch: self, index: r) }

        /// The batch over its own copy of the bytes it uses (the caller deallocates `base`), so that it outlives
        /// the reader's buffer.
        func copied() -> RecordBatch {
            let used = max(1, ends.last ?? 0)
            let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: used)
            copy.update(from: base, count: used)
            return RecordBatch(base: copy, starts: starts, ends: ends, firstField: firstField, lines: lines)
        }

        /// The batch without its first record (the header of a file).
        func dropFirst() -> RecordBatch {
            RecordBatch(base: base, starts: starts, ends: ends, firstField: Array(firstField.dropFirst()), lines: Array(lines.dropFirst()))
        }

        /// A batch over rows of text cells, valid inside `body`.
        static func withBatch<R>(_ rows: [(line: Int, cells: [String])], _ body: (RecordBatch) throws -> R) rethrows -> R {
            var bytes: [UInt8] = []
            var starts: [Int] = [], ends: [Int] = [], firstField = [0], lines: [Int] = []
            for row in rows {
                for c in row.cells {
                    starts.append(bytes.count)
                    bytes.append(contentsOf: c.utf8)
                    ends.append(bytes.count)
                }
                firstField.append(starts.count)
                lines.append(row.line)
            }
            bytes.append(0)  // never empty, so there is a base address
            return try bytes.withUnsafeMutableBufferPointer { b in
                try body(RecordBatch(base: b.baseAddress!, starts: starts, ends: ends, firstField: firstField, lines: lines))
            }
        }
    }

    /// One record of a batch.
    public struct RecordView {
        let batch: RecordBatch
        let index: Int

        /// 1-based line on which the record starts.
        public var line: Int { batch.lines[index] }
        public var count: Int { batch.fieldCount(index) }
        @inline(__always)
        public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> { batch.bytes(index, i) }
        public func string(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }
        public var fields: [String] { (0..<count).map(string) }
    }

    /// The delimiters a survey export may use: comma, semicolon (Excel in many European locales), tab and bar.
    public static let candidateDelimiters: [UInt8] = [0x2C, 0x3B, 0x09, 0x7C]

    /// The delimiter of a file from its first lines (at most 64 KB, quoted text skipped): the candidate that occurs
    /// the same number of times on every complete line, the most often; nil when two candidates fit equally well
    /// (the caller says which were in doubt). A file with one column has none of them and reads as comma-separated.
    public static func sniffDelimiter(path: String) throws -> (delimiter: UInt8?, candidates: [UInt8]) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw SurveyError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? handle.close() }
        let head = [UInt8](handle.readData(ofLength: 1 << 16))
        var counts: [[UInt8: Int]] = [[:]]
        var quoted = false
        for b in head {
            if b == 0x22 { quoted.toggle(); continue }
            if quoted { continue }
            if b == 0x0A {
                if counts.count == 20 { break }
                counts.append([:])
                continue
            }
            if candidateDelimiters.contains(b) { counts[counts.count - 1][b, default: 0] += 1 }
        }
        // The last line may be cut by the 64 KB limit (or be empty): judged on complete lines when there are any.
        let lines = counts.count > 1 ? Array(counts.dropLast()) : counts
        let consistent = candidateDelimiters.compactMap { d -> (UInt8, Int)? in
            let n = lines[0][d] ?? 0
            guard n > 0, lines.allSatisfy({ ($0[d] ?? 0) == n }) else { return nil }
            return (d, n)
        }.sorted { $0.1 > $1.1 }
        if consistent.isEmpty {
            let present = candidateDelimiters.filter { (lines[0][$0] ?? 0) > 0 }
            if present.count == 1 { return (present[0], present) }
            return present.isEmpty ? (0x2C, []) : (nil, present)
        }
        if consistent.count > 1 && consistent[0].1 == consistent[1].1 { return (nil, consistent.map(\.0)) }
        return (consistent[0].0, consistent.map(\.0))
    }

    /// The longest record a reader accepts unless told otherwise (`load survey --max-record-mb`): a file that is
    /// one endless line (`/dev/zero`, a binary file) stops there instead of growing the buffer until memory runs out.
    public static let defaultMaxRecordBytes = 64 << 20

    public static func read(path: String, maxRecordBytes: Int = defaultMaxRecordBytes, delimiter: UInt8 = 0x2C,
                            observe: ((UnsafeRawBufferPointer) -> Void)? = nil) throws -> [Record] {
        var records: [Record] = []
        try stream(path: path, maxRecordBytes: maxRecordBytes, delimiter: delimiter, observe: observe) { view in
            records.append(Record(fields: view.fields, line: view.line))
            return true
        }
        return records
    }

    public static func parse(_ data: Data, path: String) throws -> [Record] {
        var records: [Record] = []
        var bytes = [UInt8](data)
        if bytes.isEmpty { throw SurveyError.emptyFile(path: path) }
        try Parser(path: path).run(source: { _ in 0 }, initial: &bytes) { batch in
            for r in 0..<batch.count { records.append(Record(fields: batch.record(r).fields, line: batch.line(r))) }
            return true
        }
        return records
    }

    /// Reads `path` block by block and calls `body` with each record; `body` returns false to stop early.
    /// `observe` sees every block of the file as it is read.
    public static func stream(path: String, blockSize: Int = 1 << 20, maxRecordBytes: Int = defaultMaxRecordBytes,
                              delimiter: UInt8 = 0x2C, observe: ((UnsafeRawBufferPointer) -> Void)? = nil,
                              _ body: (RecordView) throws -> Bool) throws {
        try streamBatches(path: path, blockSize: blockSize, maxRecordBytes: maxRecordBytes, delimiter: delimiter, observe: observe) { batch in
            for r in 0..<batch.count where try !body(batch.record(r)) { return false }
            return true
        }
    }

    /// Reads `path` block by block and calls `body` with all the complete records in the buffer at a time, so a
    /// caller can decode column by column; `body` returns false to stop early.
    public static func streamBatches(path: String, blockSize: Int = 1 << 20, maxRecordBytes: Int = defaultMaxRecordBytes,
                                     delimiter: UInt8 = 0x2C, observe: ((UnsafeRawBufferPointer) -> Void)? = nil,
                                     _ body: (RecordBatch) throws -> Bool) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw SurveyError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw SurveyError.unreadable(path: path, reason: "it is a folder")
        }
        var empty: [UInt8] = []
        try Parser(path: path, blockSize: blockSize, maxRecordBytes: maxRecordBytes, delimiter: delimiter).run(source: { buffer in
            // A block at a time: Ctrl-C stops a large load between blocks, and nothing is loaded.
            try Interruption.check()
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n < 0 { throw SurveyError.unreadable(path: path, reason: String(cString: strerror(errno))) }
            if n > 0 { observe?(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n)) }
            return n
        }, initial: &empty, body)
    }

    /// `streamBatches` with `body` run on another thread, one batch behind the parser: while `body` decodes a
    /// batch (a copy of it), the next is read and parsed. Batches still reach `body` one at a time and in file
    /// order, and an error is the first in the file: when the parser fails, a failure of the batch before it wins.
    /// On a million-row file the parse was a third of the load, done while the cores that decode waited.
    public static func streamBatchesAhead(path: String, maxRecordBytes: Int = defaultMaxRecordBytes, delimiter: UInt8 = 0x2C,
                                          observe: ((UnsafeRawBufferPointer) -> Void)? = nil,
                                          _ body: @escaping @Sendable (RecordBatch) throws -> Void) throws {
        let ahead = BatchPipeline(body)
        let observer = observe.map(BlockObserver.init)
        defer { observer?.finish() }
        do {
            try streamBatches(path: path, maxRecordBytes: maxRecordBytes, delimiter: delimiter,
                              observe: observer.map { o in { o.submit($0) } }) { batch in
                try ahead.submit(batch)
                return true
            }
        } catch {
            try ahead.finish()
            throw error
        }
        try ahead.finish()
    }

    /// Hands copies of the file's blocks to `observe` on a serial queue of its own, in order, at most eight blocks
    /// behind the reader: the file's SHA-256 was a sixth of the reading thread's time.
    private final class BlockObserver: @unchecked Sendable {
        private let observe: (UnsafeRawBufferPointer) -> Void
        private let queue = DispatchQueue(label: "trustgap.csv.observe")
        private let room = DispatchSemaphore(value: 8)

        init(_ observe: @escaping (UnsafeRawBufferPointer) -> Void) { self.observe = observe }

        func submit(_ block: UnsafeRawBufferPointer) {
            let copy = [UInt8](block)
            room.wait()
            queue.async { [self] in
                copy.withUnsafeBytes { observe($0) }
                room.signal()
            }
        }

        func finish() { queue.sync {} }
    }

    /// One batch in flight on a serial queue; `submit` waits for the one before.
    private final class BatchPipeline: @unchecked Sendable {
        private let body: @Sendable (RecordBatch) throws -> Void
        private let queue = DispatchQueue(label: "trustgap.csv.batches")
        private let group = DispatchGroup()
        /// Written by the queue's task, read after `group.wait()`.
        private var failure: Error?

        init(_ body: @escaping @Sendable (RecordBatch) throws -> Void) { self.body = body }

        func submit(_ batch: RecordBatch) throws {
            try finish()
            let owned = batch.copied()
            group.enter()
            queue.async { [self] in
                defer { owned.base.deallocate(); group.leave() }
                do { try body(owned) } catch { failure = error }
            }
        }

        /// Waits for the batch in flight and throws its error, once.
        func finish() throws {
            group.wait()
            if let e = failure { failure = nil; throw e }
        }
    }

    /// The state machine behind `read`, `parse` and `stream`: one buffer, refilled from `source` when a record runs
    /// past its end (the unfinished record moves to the front first, and the buffer doubles if one record fills
    /// it). A class over manually managed memory so that fields can be unquoted in place while the ranges of the
    /// record are collected, without Swift's exclusive-access rules copying the buffer.
    final class Parser {
        let path: String
        let blockSize: Int
        @exclusivity(unchecked) var p: UnsafeMutablePointer<UInt8>
        @exclusivity(unchecked) var capacity: Int
        /// Bytes of the buffer in use, and how far they are checked for valid UTF-8.
        @exclusivity(unchecked) var end = 0
        @exclusivity(unchecked) var validated = 0
        @exclusivity(unchecked) var eof = false
        /// Absolute file offset of the buffer's first byte.
        @exclusivity(unchecked) var bufferOffset = 0
        @exclusivity(unchecked) var line = 1
        @exclusivity(unchecked) var recordLine = 1
        @exclusivity(unchecked) var sawContent = false
        @exclusivity(unchecked) var starts = IntRun()
        @exclusivity(unchecked) var ends = IntRun()
        @exclusivity(unchecked) var firstField: [Int] = [0]
        @exclusivity(unchecked) var lines: [Int] = []

        let maxRecordBytes: Int
        /// The delimiter in each of eight bytes.
        let delimiters: UInt64
        /// The byte between fields: `,` unless the file uses `;`, tab or `|` (see `CSVReader.sniffDelimiter`).
        let delimiter: UInt8
        /// Physical line and absolute offset of that line's first byte, at `validated`: the position of a bad
        /// byte (invalid UTF-8, NUL) is known without reading the file again.
        @exclusivity(unchecked) var scanLine = 1
        @exclusivity(unchecked) var scanLineStart = 0

        init(path: String, blockSize: Int = 1 << 20, maxRecordBytes: Int = CSVReader.defaultMaxRecordBytes, delimiter: UInt8 = 0x2C) {
            self.path = path
            self.delimiter = delimiter
            delimiters = UInt64(delimiter) &* 0x0101_0101_0101_0101
            self.maxRecordBytes = max(1 << 16, maxRecordBytes)
            self.blockSize = max(64, blockSize)
            capacity = self.blockSize
            p = .allocate(capacity: capacity)
        }

        deinit { p.deallocate(); starts.free(); ends.free() }

        enum Outcome { case record(next: Int), blank(next: Int), needMore }

        typealias Source = (UnsafeMutableBufferPointer<UInt8>) throws -> Int

        /// Moves the unread bytes from `pos` to the front, makes room for at least half a block, and reads.
        private func refill(_ pos: inout Int, _ source: Source) throws {
            if pos > 0 {
                memmove(p, p + pos, end - pos)
                bufferOffset += pos
                end -= pos
                validated -= pos
                pos = 0
            }
            if capacity - end < blockSize / 2 {
                guard capacity < maxRecordBytes + blockSize else {
                    throw SurveyError.recordTooLong(path: path, line: line, limitBytes: maxRecordBytes)
                }
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: p, count: end)
                p.deallocate()
                p = bigger
                capacity *= 2
            }
            let n = try source(UnsafeMutableBufferPointer(start: p + end, count: capacity - end))
            if n == 0 { eof = true } else { end += n }
        }

        /// Hands the collected records to `body` and starts a new batch; false when `body` wants no more.
        private func deliver(_ body: (RecordBatch) throws -> Bool) throws -> Bool {
            guard !lines.isEmpty else { return true }
            let batch = RecordBatch(base: p, starts: starts.array, ends: ends.array, firstField: firstField, lines: lines)
            let more = try body(batch)
            starts.truncate(to: 0)
            ends.truncate(to: 0)
            firstField.removeAll(keepingCapacity: true)
            firstField.append(0)
            lines.removeAll(keepingCapacity: true)
            return more
        }

        func run(source: Source, initial: inout [UInt8], _ body: (RecordBatch) throws -> Bool) throws {
            if !initial.isEmpty {
                // Everything is in memory already: one buffer, already at its end.
                if initial.count > capacity {
                    p.deallocate()
                    capacity = initial.count
                    p = .allocate(capacity: capacity)
                }
                initial.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
                end = initial.count
                initial = []
                eof = true
            }
            var pos = 0
            if !eof { try refill(&pos, source) }
            if end >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF {
                pos = 3
                validated = 3
                scanLineStart = 3
            }
            while true {
                if !eof && end - pos < blockSize / 2 {
                    // The batch points into the buffer: hand it over before the buffer moves.
                    if try !deliver(body) { return }
                    try refill(&pos, source)
                }
                try validate()
                if pos >= end && eof { break }
                switch try parseRecord(at: pos) {
                case .needMore:
                    if try !deliver(body) { return }
                    try refill(&pos, source)
                case .blank(let next):
                    pos = next
                case .record(let next):
                    pos = next
                    lines.append(recordLine)
                    firstField.append(starts.count)
                }
            }
            if try !deliver(body) { return }
            if !sawContent { throw SurveyError.emptyFile(path: path) }
        }

        /// Checks newly read bytes for valid UTF-8 (a sequence cut by the end of the buffer waits for the next read)
        /// and for NUL bytes, which no text export contains (a binary file or a device such as /dev/zero does),
        /// counting lines on the way so that either error names its line.
        private func validate() throws {
            guard validated < end else { return }
            let (bad, stop) = CSVReader.firstInvalidUTF8(UnsafeBufferPointer(start: p, count: end), from: validated, to: end, final: eof)
            let limit = bad ?? stop
            var i = validated
            // Eight bytes at a time while there is no NUL: newlines counted by the bytes that equal 0x0A (this loop
            // went byte by byte, a sixth of the reading thread's time).
            let raw = UnsafeRawPointer(p)
            while i + 8 <= limit {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if CSVReader.zeroBytes(w) != 0 { break }
                let newlines = CSVReader.zeroBytes(w ^ 0x0A0A_0A0A_0A0A_0A0A)
                if newlines != 0 {
                    scanLine += newlines.nonzeroBitCount
                    scanLineStart = bufferOffset + i + (63 - newlines.leadingZeroBitCount) / 8 + 1
                }
                i += 8
            }
            while i < limit {
                let b = p[i]
                if b == 0x0A {
                    scanLine += 1
                    scanLineStart = bufferOffset + i + 1
                } else if b == 0 {
                    throw SurveyError.nulByte(path: path, line: scanLine, byteOffset: bufferOffset + i - scanLineStart + 1)
                }
                i += 1
            }
            if let bad { throw SurveyError.invalidUTF8(path: path, line: scanLine, byteOffset: bufferOffset + bad - scanLineStart + 1) }
            validated = stop
        }

        /// 1-based column (in Unicode scalars) of buffer position `i` on the line that starts at `lineStart`.
        private func column(of i: Int, lineStart: Int) -> Int {
            var c = 1
            for k in lineStart..<i where p[k] & 0xC0 != 0x80 { c += 1 }
            return c
        }

        /// Parses the record starting at `start` into `starts`/`ends`, undoing quotes in place. Asks for more input
        /// when the record may go on past the buffer's end.
        func parseRecord(at start: Int) throws -> Outcome {
            // Locals, not properties, in the loop: the compiler then keeps them in registers.
            // The record's fields are appended to the batch; a record that needs more input or is blank is undone.
            var starts = self.starts, ends = self.ends
            let mark = starts.count
            defer { self.starts = starts; self.ends = ends }
            var escaped: [Int] = []
            let p = self.p
            let eof = self.eof
            var l = line
            var lineStart = start
            var i = start
            let n = end
            while true {
                let fieldStart = i
                if i < n && p[i] == 0x22 {
                    // Quoted field: found first, unquoted in place only once the record is complete (a record that
                    // runs past the buffer is parsed again after the refill and must find its bytes unchanged).
                    let quoteLine = l, quoteColumn = column(of: i, lineStart: lineStart)
                    i += 1
                    var doubled = false
                    var closed = false
                    while i < n {
                        let c = p[i]
                        if c == 0x22 {
                            if i + 1 < n {
                                if p[i + 1] == 0x22 { doubled = true; i += 2; continue }
                            } else if !eof {
                                starts.truncate(to: mark); ends.truncate(to: mark)
                                return .needMore
                            }
                            i += 1
                            closed = true
                            break
                        }
                        if c == 0x0A { l += 1; lineStart = i + 1 }
                        i += 1
                    }
                    if !closed {
                        if !eof { starts.truncate(to: mark); ends.truncate(to: mark); return .needMore }
                        throw SurveyError.unterminatedQuote(path: path, line: quoteLine, column: quoteColumn)
                    }
                    if doubled { escaped.append(starts.count) }
                    starts.append(fieldStart + 1)
                    ends.append(i - 1)
                    if i < n, p[i] != delimiter, p[i] != 0x0A, p[i] != 0x0D {
                        throw SurveyError.strayQuote(path: path, line: l, column: column(of: i, lineStart: lineStart))
                    }
                } else {
                    // Unquoted field: up to the next comma or line end, found eight bytes at a time first.
                    let raw = UnsafeRawPointer(p)
                    while i + 8 <= n {
                        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        let stops = CSVReader.zeroBytes(w ^ delimiters) | CSVReader.zeroBytes(w ^ 0x0A0A_0A0A_0A0A_0A0A)
                            | CSVReader.zeroBytes(w ^ 0x0D0D_0D0D_0D0D_0D0D) | CSVReader.zeroBytes(w ^ 0x2222_2222_2222_2222)
                        if stops != 0 { i += stops.trailingZeroBitCount >> 3; break }
                        i += 8
                    }
                    while i < n {
                        let c = p[i]
                        if c == delimiter || c == 0x0A || c == 0x0D { break }
                        if c == 0x22 {
                            throw SurveyError.strayQuote(path: path, line: l, column: column(of: i, lineStart: lineStart))
                        }
                        i += 1
                    }
                    if i == n && !eof { starts.truncate(to: mark); ends.truncate(to: mark); return .needMore }
                    starts.append(fieldStart)
                    ends.append(i)
                }
                // After a field: a comma, a line end, or the end of the file.
                if i == n { break }
                let c = p[i]
                if c == delimiter { i += 1; continue }
                if c == 0x0D {
                    if i + 1 == n && !eof { starts.truncate(to: mark); ends.truncate(to: mark); return .needMore }
                    i += 1
                    if i < n && p[i] == 0x0A { i += 1 }
                } else {
                    i += 1
                }
                l += 1
                break
            }
            let first = line
            line = l
            // A record of one empty field (a blank line, or `""` alone) is skipped; it is still content unless it
            // is white space only, so that a file of nothing but blank lines is empty rather than header-less.
            if starts.count == mark + 1 && ends[mark] == starts[mark] {
                starts.truncate(to: mark)
                ends.truncate(to: mark)
                for k in start..<i where !(p[k] == 0x20 || p[k] == 0x0A || p[k] == 0x0D || p[k] == 0x09) {
                    sawContent = true
                    break
                }
                return .blank(next: i)
            }
            sawContent = true
            recordLine = first
            // Undo doubled quotes now that the record will not be read again.
            for k in escaped {
                var w = starts[k], r = starts[k]
                while r < ends[k] {
                    p[w] = p[r]
                    r += p[r] == 0x22 ? 2 : 1
                    w += 1
                }
                ends[k] = w
            }
            return .record(next: i)
        }
    }

    /// A growable run of Ints for the parser's field bounds, two per field: Array checked its storage for
    /// uniqueness on every append, a twentieth of the reading thread's time. Freed by its owner.
    struct IntRun {
        private(set) var base: UnsafeMutablePointer<Int>
        private(set) var count = 0
        private var capacity: Int

        init(capacity: Int = 1 << 12) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        @inline(__always)
        mutating func append(_ x: Int) {
            if count == capacity {
                let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
                bigger.update(from: base, count: count)
                base.deallocate()
                base = bigger
                capacity *= 2
            }
            base[count] = x
            count += 1
        }

        mutating func truncate(to n: Int) { count = min(count, n) }

        subscript(i: Int) -> Int {
            get { base[i] }
            nonmutating set { base[i] = newValue }
        }

        var array: [Int] { Array(UnsafeBufferPointer(start: base, count: count)) }

        func free() { base.deallocate() }
    }

    /// The high bit of each byte of `w` that is zero, and no other bit (exact: no carry crosses a byte).
    @inline(__always)
    static func zeroBytes(_ w: UInt64) -> UInt64 {
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        return ~(((w & low7) &+ low7) | w | low7)
    }

    /// Index of the first byte that is not part of a valid UTF-8 sequence (overlongs, surrogates and code points
    /// above U+10FFFF count as invalid, as in the Unicode standard's table 3-7), or nil.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        b.withUnsafeBufferPointer { firstInvalidUTF8($0, from: 0, to: $0.count, final: true).bad }
    }

    /// The same over `from..<to`; when not `final`, a sequence cut off by `to` is not an error and `stop` is where
    /// it starts (checking resumes there once more bytes are read). Eight ASCII bytes are checked at a time.
    static func firstInvalidUTF8(_ b: UnsafeBufferPointer<UInt8>, from: Int, to n: Int, final: Bool) -> (bad: Int?, stop: Int) {
        guard let start = b.baseAddress, from < n else { return (nil, max(from, n)) }
        var i = from
        let base = UnsafeRawPointer(start)
        while i < n {
            if i + 8 <= n && (base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080) == 0 {
                i += 8
                continue
            }
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0, lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE, 0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return (i, i)
            }
            guard i + need < n else {
                // A truncated sequence is wrong only if nothing more can come; check the bytes that are there.
                for k in 1..<(n - i) {
                    let x = b[i + k]
                    let (l, h): (UInt8, UInt8) = k == 1 ? (lo, hi) : (0x80, 0xBF)
                    if x < l || x > h { return (i, i) }
                }
                return final ? (i, i) : (nil, i)
            }
            for k in 1...need {
                let x = b[i + k]
                let (l, h): (UInt8, UInt8) = k == 1 ? (lo, hi) : (0x80, 0xBF)
                if x < l || x > h { return (i, i) }
            }
            i += need + 1
        }
        return (nil, n)
    }
}
