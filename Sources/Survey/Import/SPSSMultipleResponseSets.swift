import Foundation

/// SPSS multiple-response sets (`MRSETS`), read from a system file's dictionary. Debian's ReadStat (1.1.8) has no
/// API for them, so the dictionary is walked here, as the PSPP developers' guide documents the system file format
/// ("System File Format": the 176-byte header, then records of type 2, 3+4, 6 and 7 up to the type 999 record that
/// ends the dictionary). Only two type-7 records are read: subtype 7/19 (the sets) and 13 (long variable names, which
/// the sets do not use). The same walk serves `.zsav`, whose dictionary is not compressed.
public struct SPSSMultipleResponseSet: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// One variable per option, ticked when it holds the counted value (MDGROUP).
        case dichotomy(countedValue: String)
        /// Variables that each hold one of the options' codes (MCGROUP).
        case category
    }

    /// The set's name without its leading "$".
    public var name: String
    public var label: String
    public var kind: Kind
    /// The member variables by their (long) names, in the set's order.
    public var variables: [String]

    /// Reads the sets of the `.sav` or `.zsav` file at `path`; a file with none gives an empty list. The walk is
    /// bounded by the file: a count or length that points past its end is an error naming the byte offset.
    public static func read(path: String) throws -> [SPSSMultipleResponseSet] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw SurveyError.unreadable(path: path, reason: error.localizedDescription)
        }
        var walker = DictionaryWalker(data: data, path: path)
        return try walker.sets()
    }

    /// Parses the text of a subtype 7 or 19 record: one set per line, `$name=C 13 Tools you use t1 t2` or
    /// `$name=D1 1 25 Which roles describe you? rad path eng` (E for CATEGORYLABELS=COUNTEDVALUES, followed by
    /// " 1 " or " 11 "). Lengths count bytes, so the text is parsed as bytes. `longNames` maps the lower-cased short
    /// names the record uses to the variables' names.
    static func parse(_ bytes: [UInt8], longNames: [String: String], decode: ([UInt8]) -> String) throws -> [SPSSMultipleResponseSet] {
        var sets: [SPSSMultipleResponseSet] = []
        var i = 0
        func fail(_ why: String) -> SPSSFormatProblem { SPSSFormatProblem(offsetInRecord: i, message: why) }
        func skipSpaces() { while i < bytes.count, bytes[i] == 0x20 { i += 1 } }
        func number() throws -> Int {
            let start = i
            while i < bytes.count, (0x30...0x39).contains(bytes[i]), i - start < 9 { i += 1 }
            guard i > start, let n = Int(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw fail("expected a number") }
            return n
        }
        func counted() throws -> [UInt8] {
            let n = try number()
            guard i < bytes.count, bytes[i] == 0x20 else { throw fail("expected a space after a length") }
            i += 1
            guard n <= bytes.count - i else { throw fail("a length of \(n) runs past the record") }
            defer { i += n }
            return Array(bytes[i..<(i + n)])
        }
        while i < bytes.count {
            if bytes[i] == 0x0A || bytes[i] == 0x20 || bytes[i] == 0 { i += 1; continue }
            guard let eq = bytes[i...].firstIndex(of: UInt8(ascii: "=")) else { throw fail("a set without \"=\"") }
            var name = decode(Array(bytes[i..<eq]))
            if name.hasPrefix("$") { name.removeFirst() }
            i = eq + 1
            guard i < bytes.count else { throw fail("a set without its kind") }
            let kindByte = bytes[i]
            i += 1
            let kind: Kind
            switch kindByte {
            case UInt8(ascii: "C"):
                kind = .category
                skipSpaces()
            case UInt8(ascii: "D"), UInt8(ascii: "E"):
                if kindByte == UInt8(ascii: "E") {
                    skipSpaces()
                    _ = try number()   // 1, or 11 for LABELSOURCE=VARLABEL
                    skipSpaces()
                }
                let value = decode(try counted()).trimmingCharacters(in: .whitespaces)
                kind = .dichotomy(countedValue: value)
                skipSpaces()
            default:
                throw fail("unknown set kind \"\(Character(UnicodeScalar(kindByte)))\"")
            }
            let label = decode(try counted())
            let end = bytes[i...].firstIndex(of: 0x0A) ?? bytes.count
            // A set naming one variable twice once crashed the merge (and, in the middle, silently dropped another
            // variable): it is an error at the repeated name.
            var variables: [String] = [], seen: Set<String> = []
            var at = i
            for word in bytes[i..<end].split(separator: 0x20, omittingEmptySubsequences: false) {
                defer { at += word.count + 1 }
                guard !word.isEmpty else { continue }
                let short = String(decoding: word, as: UTF8.self)
                let variable = longNames[short.lowercased()] ?? short
                guard seen.insert(variable.lowercased()).inserted else {
                    i = at
                    throw fail("set $\(name) lists variable \(variable) twice")
                }
                variables.append(variable)
            }
            i = end
            sets.append(SPSSMultipleResponseSet(name: name, label: label, kind: kind, variables: variables))
        }
        return sets
    }
}

/// A record the walk could not follow, at an offset within it (the walker adds the file offset).
struct SPSSFormatProblem: Error {
    var offsetInRecord: Int
    var message: String
}

/// Walks the dictionary records of an SPSS system file, in the file's byte order.
private struct DictionaryWalker {
    let data: Data
    let path: String
    var offset = 0
    var bigEndian = false

    init(data: Data, path: String) {
        self.data = data
        self.path = path
    }

    func problem(_ message: String, at position: Int? = nil) -> SurveyError {
        .unreadable(path: path, reason: "SPSS dictionary at byte \(position ?? offset): \(message)")
    }

    mutating func bytes(_ n: Int) throws -> Data {
        guard n >= 0, n <= data.count - offset else { throw problem("the file ends inside a record (\(n) bytes wanted)") }
        defer { offset += n }
        return data.subdata(in: (data.startIndex + offset)..<(data.startIndex + offset + n))
    }

    mutating func int32() throws -> Int {
        let raw = try bytes(4)
        var v: UInt32 = 0
        for (k, b) in raw.enumerated() { v |= UInt32(b) << (bigEndian ? UInt32(8 * (3 - k)) : UInt32(8 * k)) }
        return Int(Int32(bitPattern: v))
    }

    mutating func skip(_ n: Int) throws { _ = try bytes(n) }

    mutating func sets() throws -> [SPSSMultipleResponseSet] {
        let magic = try bytes(4)
        guard magic == Data("$FL2".utf8) || magic == Data("$FL3".utf8) else { throw problem("not an SPSS system file", at: 0) }
        try skip(60)
        // The layout code is 2 or 3 in the writer's byte order.
        let layout = try int32()
        if ![2, 3].contains(layout) {
            bigEndian = true
            offset -= 4
            guard [2, 3].contains(try int32()) else { throw problem("unknown layout code", at: 64) }
        }
        offset = 176
        // Each set record's text and the file offset it starts at, so an error names the byte in the file.
        var setBytes: [(text: [UInt8], at: Int)] = []
        var longNames: [String: String] = [:]
        var utf8 = true
        while true {
            let start = offset
            let type = try int32()
            switch type {
            case 2:
                _ = try int32()  // width
                let hasLabel = try int32()
                let missing = try int32()
                try skip(16)     // print and write formats, name
                if hasLabel == 1 {
                    let length = try int32()
                    guard (0...65_535).contains(length) else { throw problem("a variable label of \(length) bytes", at: start) }
                    try skip((length + 3) / 4 * 4)
                }
                guard (-3...3).contains(missing) else { throw problem("\(missing) missing values", at: start) }
                try skip(abs(missing) * 8)
            case 3:
                let count = try int32()
                guard count >= 0, count <= (data.count - offset) / 9 else { throw problem("\(count) value labels", at: start) }
                for _ in 0..<count {
                    try skip(8)
                    let length = Int(try bytes(1)[0])
                    try skip((length + 1 + 7) / 8 * 8 - 1)
                }
            case 4:
                let count = try int32()
                guard count >= 0, count <= (data.count - offset) / 4 else { throw problem("\(count) variables in a value label record", at: start) }
                try skip(count * 4)
            case 6:
                let lines = try int32()
                guard lines >= 0, lines <= (data.count - offset) / 80 else { throw problem("\(lines) document lines", at: start) }
                try skip(lines * 80)
            case 7:
                let subtype = try int32()
                let size = try int32()
                let count = try int32()
                guard size >= 0, count >= 0, size == 0 || count <= (data.count - offset) / size else {
                    throw problem("an extension record of \(count) × \(size) bytes", at: start)
                }
                let body = try bytes(size * count)
                switch subtype {
                case 7, 19: setBytes.append(([UInt8](body), offset - body.count))
                case 13:
                    for pair in String(decoding: body, as: UTF8.self).split(separator: "\t") {
                        let parts = pair.split(separator: "=", maxSplits: 1)
                        if parts.count == 2 { longNames[parts[0].lowercased()] = String(parts[1]) }
                    }
                case 20:
                    utf8 = String(decoding: body, as: UTF8.self).uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
                default: break
                }
            case 999:
                _ = try int32()  // filler
                let decode: ([UInt8]) -> String = { bytes in
                    utf8 ? String(decoding: bytes, as: UTF8.self) : (String(bytes: bytes, encoding: .utf8) ?? String(bytes: bytes, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self))
                }
                var out: [SPSSMultipleResponseSet] = []
                for record in setBytes {
                    do { out += try SPSSMultipleResponseSet.parse(record.text, longNames: longNames, decode: decode) } catch let p as SPSSFormatProblem {
                        throw problem("multiple-response sets: \(p.message) (byte \(p.offsetInRecord) of the record)", at: record.at + p.offsetInRecord)
                    }
                }
                return out
            default:
                throw problem("unknown record type \(type)", at: start)
            }
        }
    }
}
