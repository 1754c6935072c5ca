import Foundation

/// A decoded JSON value: what `JSONReader` reads, with no dynamic casts (casting `Any` to a dictionary on Linux went
/// through Foundation's bridging, a third of loading a large record).
enum JSON {
    case object([String: JSON])
    case array([JSON])
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// Foundation's values (JSONSerialization's output: a record built in code or read by another parser) as JSON.
    init(foundation v: Any) {
        switch v {
        case let s as String: self = .string(s)
        case let n as NSNumber: self = JSONReader.isBoolean(n) ? .bool(n.boolValue) : .number(n.doubleValue)
        case let a as [Any]: self = .array(a.map(JSON.init(foundation:)))
        case let o as [String: Any]: self = .object(o.mapValues(JSON.init(foundation:)))
        case let b as Bool: self = .bool(b)
        case let d as Double: self = .number(d)
        case let i as Int: self = .number(Double(i))
        default: self = .null
        }
    }
}

/// A JSON parser over the file's bytes that gives `JSON` values, with an error naming the line and column.
///
/// Why not JSONSerialization: on Linux it took 1.2 s and 420 MB of peak memory for a 10 MB record of 10,000 cases
/// (Python's json.load: 0.19 s, 81 MB for the whole process); this parser builds the same tree in a fraction of that
/// (BENCHMARKS.md, explanations). Nesting is limited to 512 levels, so a hostile file cannot exhaust the stack.
enum JSONBytes {
    struct Failure: Error {
        let line: Int
        let column: Int
        let message: String
    }

    static let maxDepth = 512

    static func parse(_ data: Data) throws -> JSON {
        try data.withUnsafeBytes { raw -> JSON in
            let bytes = raw.bindMemory(to: UInt8.self)
            var p = Parser(b: bytes)
            p.skipSpace()
            let value = try p.value(depth: 0)
            p.skipSpace()
            guard p.i == bytes.count else { throw p.fail("unexpected text after the JSON value") }
            return value
        }
    }

    struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0

        func fail(_ message: String) -> Failure {
            var line = 1, column = 1
            for k in 0..<min(i, b.count) { if b[k] == 0x0A { line += 1; column = 1 } else { column += 1 } }
            return Failure(line: line, column: column, message: message)
        }

        mutating func skipSpace() {
            while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
        }

        mutating func value(depth: Int) throws -> JSON {
            guard depth < JSONBytes.maxDepth else { throw fail("nested more than \(JSONBytes.maxDepth) levels deep") }
            guard i < b.count else { throw fail("the file ends where a value was expected") }
            switch b[i] {
            case 0x7B: return .object(try object(depth: depth))
            case 0x5B: return .array(try array(depth: depth))
            case 0x22: return .string(try string())
            case 0x74: try literal("true"); return .bool(true)
            case 0x66: try literal("false"); return .bool(false)
            case 0x6E: try literal("null"); return .null
            default: return .number(try number())
            }
        }

        mutating func literal(_ word: StaticString) throws {
            let n = word.utf8CodeUnitCount
            guard i + n <= b.count, let base = b.baseAddress, memcmp(base + i, word.utf8Start, n) == 0 else { throw fail("expected \(word)") }
            i += n
        }

        mutating func object(depth: Int) throws -> [String: JSON] {
            i += 1
            var out: [String: JSON] = [:]
            skipSpace()
            if i < b.count, b[i] == 0x7D { i += 1; return out }
            while true {
                skipSpace()
                guard i < b.count, b[i] == 0x22 else { throw fail("expected a key in quotes") }
                let key = try string()
                skipSpace()
                guard i < b.count, b[i] == 0x3A else { throw fail("expected : after a key") }
                i += 1
                skipSpace()
                out[key] = try value(depth: depth + 1)
                skipSpace()
                guard i < b.count else { throw fail("the file ends inside an object") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x7D { i += 1; return out }
                throw fail("expected , or } in an object")
            }
        }

        mutating func array(depth: Int) throws -> [JSON] {
            i += 1
            var out: [JSON] = []
            skipSpace()
            if i < b.count, b[i] == 0x5D { i += 1; return out }
            while true {
                skipSpace()
                out.append(try value(depth: depth + 1))
                skipSpace()
                guard i < b.count else { throw fail("the file ends inside a list") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x5D { i += 1; return out }
                throw fail("expected , or ] in a list")
            }
        }

        mutating func string() throws -> String {
            i += 1
            let start = i
            // The common case: no escapes, decoded straight from the bytes.
            while i < b.count, b[i] != 0x22, b[i] != 0x5C, b[i] >= 0x20 { i += 1 }
            if i < b.count, b[i] == 0x22 {
                defer { i += 1 }
                guard let s = String(validating: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self) else { throw fail("text that is not UTF-8") }
                return s
            }
            var bytes = Array(b[start..<i])
            while i < b.count {
                let c = b[i]
                if c == 0x22 {
                    i += 1
                    guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("text that is not UTF-8") }
                    return s
                }
                if c < 0x20 { throw fail("a control character inside text") }
                if c != 0x5C { bytes.append(c); i += 1; continue }
                i += 1
                guard i < b.count else { break }
                switch b[i] {
                case 0x22: bytes.append(0x22)
                case 0x5C: bytes.append(0x5C)
                case 0x2F: bytes.append(0x2F)
                case 0x62: bytes.append(0x08)
                case 0x66: bytes.append(0x0C)
                case 0x6E: bytes.append(0x0A)
                case 0x72: bytes.append(0x0D)
                case 0x74: bytes.append(0x09)
                case 0x75:
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), i + 2 < b.count, b[i + 1] == 0x5C, b[i + 2] == 0x75 {
                        i += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw fail("a \\u escape pairs a high surrogate with no low one") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw fail("a \\u escape that is no character") }
                    bytes += Array(String(Character(u)).utf8)
                default: throw fail("an unknown escape in text")
                }
                i += 1
            }
            throw fail("text whose quote is never closed")
        }

        /// The four hex digits after \u (i at the u); leaves i on the last digit.
        mutating func hex4() throws -> UInt32 {
            guard i + 4 < b.count else { throw fail("a short \\u escape") }
            var v: UInt32 = 0
            for k in 1...4 {
                let c = b[i + k]
                let d: UInt32
                switch c {
                case 0x30...0x39: d = UInt32(c - 0x30)
                case 0x41...0x46: d = UInt32(c - 0x41 + 10)
                case 0x61...0x66: d = UInt32(c - 0x61 + 10)
                default: throw fail("a \\u escape with a character that is not hexadecimal")
                }
                v = v << 4 | d
            }
            i += 4
            return v
        }

        mutating func number() throws -> Double {
            let start = i
            if i < b.count, b[i] == 0x2D { i += 1 }
            guard i < b.count, (0x30...0x39).contains(b[i]) else { throw fail("expected a value") }
            var integral = true
            while i < b.count {
                let c = b[i]
                if (0x30...0x39).contains(c) { i += 1; continue }
                if c == 0x2E || c == 0x65 || c == 0x45 || ((c == 0x2B || c == 0x2D) && (b[i - 1] == 0x65 || b[i - 1] == 0x45)) { integral = false; i += 1; continue }
                break
            }
            // strtod on a copy that ends with NUL: the bytes of the number only.
            var text = Array(b[start..<i])
            text.append(0)
            if integral, text.count <= 19, let n = Int(String(decoding: text.dropLast(), as: UTF8.self)) { return Double(n) }
            var end: UnsafeMutablePointer<CChar>?
            let v = text.withUnsafeBufferPointer { p in p.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: p.count) { strtod($0, &end) } } ?? .nan }
            guard v.isFinite else { throw fail("a number too large for a double") }
            return v
        }
    }
}
