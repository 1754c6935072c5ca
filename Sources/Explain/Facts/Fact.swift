/// One fact of a record or case: the single source every audience's text is rendered from, so the four texts
/// cannot disagree. Numbers keep their unit and CI; a qualitative level (when one applies) carries the rule that
/// set it; `source` is the JSON path in the record (or the predictions file) it came from.
public struct Fact: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case number(Double)
        case text(String)
        case list([String])
        case flag(Bool)
    }

    public let id: String
    public let label: String
    public let value: Value
    public let unit: String?
    public let ci: ClosedRange<Double>?
    public let n: Int?
    public let level: String?
    public let levelRule: String?
    public let source: String

    public init(id: String, label: String, value: Value, unit: String? = nil, ci: ClosedRange<Double>? = nil, n: Int? = nil,
                level: String? = nil, levelRule: String? = nil, source: String) {
        self.id = id
        self.label = label
        self.value = value
        self.unit = unit
        self.ci = ci
        self.n = n
        self.level = level
        self.levelRule = levelRule
        self.source = source
    }

    public var number: Double? { if case .number(let v) = value { return v }; return nil }
    public var text: String? { if case .text(let v) = value { return v }; return nil }
    public var list: [String]? { if case .list(let v) = value { return v }; return nil }
    public var flag: Bool? { if case .flag(let v) = value { return v }; return nil }
}

/// The ordered facts of one record (and optionally one case).
public struct FactTable: Sendable {
    public let record: String
    public let caseID: String?
    public let facts: [Fact]
    /// Position of the first fact with each id: a view model looks up about fifty ids per rendering.
    private let index: [String: Int]

    public init(record: String, caseID: String?, facts: [Fact]) {
        self.record = record
        self.caseID = caseID
        self.facts = facts
        var index: [String: Int] = [:]
        for (k, f) in facts.enumerated() where index[f.id] == nil { index[f.id] = k }
        self.index = index
    }

    public subscript(_ id: String) -> Fact? { index[id].map { facts[$0] } }

    /// Facts whose id starts with a prefix (`perf.`, `xai.attr.`), in order.
    public func with(prefix: String) -> [Fact] { facts.filter { $0.id.hasPrefix(prefix) } }
}
