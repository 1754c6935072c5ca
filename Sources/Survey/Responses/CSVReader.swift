import Foundation

/// An RFC 4180 CSV reader that knows where it is.
///
/// Written by hand rather than taken from CSV.swift or SwiftCSV because both report a malformed file without a
/// position (or not at all: an unterminated quote silently swallows the rest of the file), and every bad file here
/// must be answered with its line and column. It accepts a UTF-8 byte-order mark, CRLF or LF line ends, quoted
/// fields with doubled quotes and embedded newlines, and skips blank lines. Columns are counted in Unicode scalars.
public struct CSVReader {
    public struct Record: Sendable, Equatable {
        public var fields: [String]
        /// 1-based line on which the record starts.
        public var line: Int
    }

    public static func read(path: String) throws -> [Record] {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SurveyError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(data, path: path)
    }

    public static func parse(_ data: Data, path: String) throws -> [Record] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = firstInvalidUTF8(bytes) {
            let line = 1 + bytes[..<bad].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            let lineStart = bytes[..<bad].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            throw SurveyError.invalidUTF8(path: path, line: line, byteOffset: bad - lineStart + 1)
        }
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw SurveyError.emptyFile(path: path)
        }
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, column = 1
        var recordLine = 1
        var inQuotes = false, wasQuoted = false
        var quoteLine = 0, quoteColumn = 0
        var i = 0
        let n = bytes.count

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            wasQuoted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(fields: fields, line: recordLine)) }
            fields.removeAll(keepingCapacity: true)
        }

        while i < n {
            let b = bytes[i]
            if inQuotes {
                if b == 0x22 {
                    if i + 1 < n && bytes[i + 1] == 0x22 {
                        field.append(0x22); i += 2; column += 2; continue
                    }
                    inQuotes = false
                    i += 1; column += 1
                    if i < n, ![0x2C, 0x0A, 0x0D].contains(bytes[i]) {
                        throw SurveyError.strayQuote(path: path, line: line, column: column)
                    }
                    continue
                }
                if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
                field.append(b); i += 1
                continue
            }
            switch b {
            case 0x2C:
                endField(); i += 1; column += 1
            case 0x0D:
                i += 1
                if i < n && bytes[i] == 0x0A { i += 1 }
                endRecord(); line += 1; column = 1; recordLine = line
            case 0x0A:
                i += 1
                endRecord(); line += 1; column = 1; recordLine = line
            case 0x22:
                guard field.isEmpty, !wasQuoted else { throw SurveyError.strayQuote(path: path, line: line, column: column) }
                inQuotes = true; wasQuoted = true
                quoteLine = line; quoteColumn = column
                i += 1; column += 1
            default:
                field.append(b)
                if b & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
        }
        if inQuotes { throw SurveyError.unterminatedQuote(path: path, line: quoteLine, column: quoteColumn) }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { endRecord() }
        return records
    }

    /// Index of the first byte that is not part of a valid UTF-8 sequence (overlongs, surrogates and code points
    /// above U+10FFFF count as invalid, as in the Unicode standard's table 3-7), or nil.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
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
            default: return i
            }
            guard i + need < n else { return i }
            for k in 1...need {
                let x = b[i + k]
                let (l, h): (UInt8, UInt8) = k == 1 ? (lo, hi) : (0x80, 0xBF)
                if x < l || x > h { return i }
            }
            i += need + 1
        }
        return nil
    }
}
