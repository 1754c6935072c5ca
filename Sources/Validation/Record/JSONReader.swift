import Foundation

/// Typed access to a decoded JSON value that names the JSON path of every type error. Foundation's decoder would
/// report a coding path too, but our format keeps unknown keys and mixes shapes (a prediction is a label, a value or
/// a Dice estimate), which a hand walk states more plainly.
struct JSONReader {
    let file: String

    func fail(_ path: String, _ message: String) -> ValidationError { .field(path: file, jsonPath: path, message: message) }

    /// JSON true/false arrive as NSNumber too; only booleans carry the Objective-C type code "c".
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    static func describe(_ v: Any?) -> String {
        switch v {
        case nil, is NSNull: return "null"
        case let s as String: return "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case let n as NSNumber: return isBoolean(n) ? (n.boolValue ? "true" : "false") : "\(n)"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        default: return "\(v!)"
        }
    }

    func object(_ v: Any?, _ path: String) throws -> [String: Any] {
        guard let o = v as? [String: Any] else { throw fail(path, "expected an object, got \(Self.describe(v))") }
        return o
    }

    func optionalObject(_ v: Any?, _ path: String) throws -> [String: Any]? {
        if v == nil || v is NSNull { return nil }
        return try object(v, path)
    }

    func list(_ v: Any?, _ path: String) throws -> [Any] {
        if v == nil || v is NSNull { return [] }
        guard let a = v as? [Any] else { throw fail(path, "expected a list, got \(Self.describe(v))") }
        return a
    }

    func string(_ v: Any?, _ path: String) throws -> String {
        guard let s = v as? String else { throw fail(path, "expected text, got \(Self.describe(v))") }
        return s
    }

    func optionalString(_ v: Any?, _ path: String) throws -> String? {
        if v == nil || v is NSNull { return nil }
        return try string(v, path)
    }

    func number(_ v: Any?, _ path: String) throws -> Double {
        guard let n = v as? NSNumber, !Self.isBoolean(n), n.doubleValue.isFinite else {
            throw fail(path, "expected a number, got \(Self.describe(v))")
        }
        return n.doubleValue
    }

    func optionalNumber(_ v: Any?, _ path: String) throws -> Double? {
        if v == nil || v is NSNull { return nil }
        return try number(v, path)
    }

    /// A count (n, bins, members, sites): a whole number from 0 to 10¹². `Int(1.2e29)` once crashed the loader.
    func optionalCount(_ v: Any?, _ path: String) throws -> Int? {
        guard let d = try optionalNumber(v, path) else { return nil }
        guard d >= 0, d <= 1e12, d == d.rounded(), let n = Int(exactly: d) else {
            throw fail(path, "expected a whole number from 0 to 10^12, got \(Self.describe(v))")
        }
        return n
    }

    func bool(_ v: Any?, _ path: String) throws -> Bool? {
        if v == nil || v is NSNull { return nil }
        guard let n = v as? NSNumber, Self.isBoolean(n) else { throw fail(path, "expected true or false, got \(Self.describe(v))") }
        return n.boolValue
    }

    /// [low, high] with low ≤ high.
    func interval(_ v: Any?, _ path: String) throws -> ClosedRange<Double>? {
        if v == nil || v is NSNull { return nil }
        let a = try list(v, path)
        guard a.count == 2 else { throw fail(path, "expected [low, high], got a list of \(a.count)") }
        let lo = try number(a[0], "\(path)[0]"), hi = try number(a[1], "\(path)[1]")
        guard lo <= hi else { throw fail(path, "the interval [\(lo), \(hi)] has low above high") }
        return lo...hi
    }

    func strings(_ v: Any?, _ path: String) throws -> [String] {
        try list(v, path).enumerated().map { try string($1, "\(path)[\($0)]") }
    }
}
