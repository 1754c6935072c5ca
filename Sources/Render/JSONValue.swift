import Foundation

/// A JSON value with object keys kept in the order they were written, so command output reads in a stable,
/// documented order. Encoded by hand: Foundation's JSONSerialization reorders keys and writes 1.0 as 1 only
/// sometimes; we want integers as integers, non-finite numbers as null, and the same bytes on every platform.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.encoded() == b.encoded() }

    public static func double(_ v: Double?) -> JSONValue {
        guard let v, v.isFinite else { return .null }
        return .number(v)
    }

    public static func strings(_ v: [String]) -> JSONValue { .array(v.map(JSONValue.string)) }

    public func encoded(pretty: Bool = true, indent: Int = 0) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: indent)
        return out
    }

    /// Appends the encoding to `out`: one growing string, not one string per value joined at each level (which made
    /// writing 10,000 cases' explanations as JSON allocate for every value).
    public func write(into out: inout String, pretty: Bool = true, indent: Int = 0) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .number(let d):
            if !d.isFinite { out += "null" } else if d == d.rounded(), abs(d) < 1e15 { out += String(format: "%.1f", d) } else { out += "\(d)" }
        case .string(let s): Self.quote(s, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Arrays of scalars stay on one line: matrices of counts read better that way.
            let scalars = items.allSatisfy { $0.isScalar }
            if !pretty || scalars {
                out += "["
                for (k, item) in items.enumerated() {
                    if k > 0 { out += scalars ? ", " : "," }
                    item.write(into: &out, pretty: false)
                }
                out += "]"
                return
            }
            out += "[\n"
            for (k, item) in items.enumerated() {
                if k > 0 { out += ",\n" }
                Self.pad(&out, indent + 1)
                item.write(into: &out, pretty: true, indent: indent + 1)
            }
            out += "\n"
            Self.pad(&out, indent)
            out += "]"
        case .object(let pairs):
            if pairs.isEmpty { out += "{}"; return }
            out += pretty ? "{\n" : "{"
            for (k, pair) in pairs.enumerated() {
                if k > 0 { out += pretty ? ",\n" : "," }
                if pretty { Self.pad(&out, indent + 1) }
                Self.quote(pair.0, into: &out)
                out += ": "
                pair.1.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n"; Self.pad(&out, indent) }
            out += "}"
        }
    }

    private static func pad(_ out: inout String, _ indent: Int) {
        for _ in 0..<indent { out += "  " }
    }

    var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    static func quote(_ s: String) -> String {
        var out = ""
        quote(s, into: &out)
        return out
    }

    static func quote(_ s: String, into out: inout String) {
        // Most strings need no escape: one scan of the bytes, and the string is copied whole (escaping scalar by
        // scalar was a fifth of writing 10,000 cases' explanations as JSON).
        out += "\""
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C }) { out += s; out += "\""; return }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"  // safe to embed in HTML
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }
}
