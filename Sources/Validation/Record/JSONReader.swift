import Foundation

/// Typed access to a decoded JSON value that names the JSON path of every type error. Paths are autoclosures: a
/// record of 10,000 cases reads about 300,000 fields, and formatting each one's path before knowing it was needed
/// was a third of loading it. Foundation's decoder would
/// report a coding path too, but our format keeps unknown keys and mixes shapes (a prediction is a label, a value or
/// a Dice estimate), which a hand walk states more plainly.
struct JSONReader {
    let file: String

    func fail(_ path: String, _ message: String) -> ValidationError { .field(path: file, jsonPath: path, message: message) }

    /// JSON true/false arrive as NSNumber too; only booleans carry the Objective-C type code "c".
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    static func describe(_ v: JSON?) -> String {
        switch v {
        case nil, .null?: return "null"
        case .string(let s)?: return "\"\(s.count > 40 ? String(s.prefix(40)) + "…" : s)\""
        case .bool(let b)?: return b ? "true" : "false"
        case .number(let d)?: return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
        case .array?: return "a list"
        case .object?: return "an object"
        }
    }

    func object(_ v: JSON?, _ path: @autoclosure () -> String) throws -> [String: JSON] {
        guard case .object(let o)? = v else { throw fail(path(), "expected an object, got \(Self.describe(v))") }
        return o
    }

    func optionalObject(_ v: JSON?, _ path: @autoclosure () -> String) throws -> [String: JSON]? {
        if v.isNull { return nil }
        return try object(v, path())
    }

    func list(_ v: JSON?, _ path: @autoclosure () -> String) throws -> [JSON] {
        if v.isNull { return [] }
        guard case .array(let a)? = v else { throw fail(path(), "expected a list, got \(Self.describe(v))") }
        return a
    }

    func string(_ v: JSON?, _ path: @autoclosure () -> String) throws -> String {
        guard case .string(let s)? = v else { throw fail(path(), "expected text, got \(Self.describe(v))") }
        return s
    }

    func optionalString(_ v: JSON?, _ path: @autoclosure () -> String) throws -> String? {
        if v.isNull { return nil }
        return try string(v, path())
    }

    func number(_ v: JSON?, _ path: @autoclosure () -> String) throws -> Double {
        guard case .number(let n)? = v, n.isFinite else {
            throw fail(path(), "expected a number, got \(Self.describe(v))")
        }
        return n
    }

    func optionalNumber(_ v: JSON?, _ path: @autoclosure () -> String) throws -> Double? {
        if v.isNull { return nil }
        return try number(v, path())
    }

    /// A count (n, bins, members, sites): a whole number from 0 to 10¹². `Int(1.2e29)` once crashed the loader.
    func optionalCount(_ v: JSON?, _ path: @autoclosure () -> String) throws -> Int? {
        guard let d = try optionalNumber(v, path()) else { return nil }
        guard d >= 0, d <= 1e12, d == d.rounded(), let n = Int(exactly: d) else {
            throw fail(path(), "expected a whole number from 0 to 10^12, got \(Self.describe(v))")
        }
        return n
    }

    func bool(_ v: JSON?, _ path: @autoclosure () -> String) throws -> Bool? {
        if v.isNull { return nil }
        guard case .bool(let b)? = v else { throw fail(path(), "expected true or false, got \(Self.describe(v))") }
        return b
    }

    /// [low, high] with low ≤ high.
    func interval(_ v: JSON?, _ path: @autoclosure () -> String) throws -> ClosedRange<Double>? {
        if v.isNull { return nil }
        let a = try list(v, path())
        guard a.count == 2 else { throw fail(path(), "expected [low, high], got a list of \(a.count)") }
        let lo = try number(a[0], "\(path())[0]"), hi = try number(a[1], "\(path())[1]")
        guard lo <= hi else { throw fail(path(), "the interval [\(lo), \(hi)] has low above high") }
        return lo...hi
    }

    func strings(_ v: JSON?, _ path: @autoclosure () -> String) throws -> [String] {
        try list(v, path()).enumerated().map { try string($1, "\(path())[\($0)]") }
    }
}

extension Optional where Wrapped == JSON {
    /// Absent or JSON null.
    var isNull: Bool {
        switch self {
        case nil, .null?: return true
        default: return false
        }
    }
}
