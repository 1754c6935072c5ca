/// One fact of a record or case: the single source every audience's text is rendered from, so the four texts
/// cannot disagree. Numbers keep their unit and CI; a qualitative level (when one applies) carries the rule that
/// set it; `source` is the JSON path in the record (or the predictions file) it came from.
///
/// A class, not a struct: facts are immutable and are read many times per rendering (tables, look-ups, prefix
/// queries), and copying ten fields' references on every read was a sixth of building a case's view model.
public final class Fact: Sendable, Equatable {
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
    /// For a reported figure: what the recomputation from per-case data says of it (nil: nothing to check it with).
    public let check: FigureCheck?

    public init(id: String, label: String, value: Value, unit: String? = nil, ci: ClosedRange<Double>? = nil, n: Int? = nil,
                level: String? = nil, levelRule: String? = nil, source: String, check: FigureCheck? = nil) {
        self.check = check
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

    public static func == (a: Fact, b: Fact) -> Bool {
        a.id == b.id && a.label == b.label && a.value == b.value && a.unit == b.unit && a.ci == b.ci && a.n == b.n && a.level == b.level
            && a.levelRule == b.levelRule && a.source == b.source && a.check == b.check
    }

    public var number: Double? { if case .number(let v) = value { return v }; return nil }
    public var text: String? { if case .text(let v) = value { return v }; return nil }
    public var list: [String]? { if case .list(let v) = value { return v }; return nil }
    public var flag: Bool? { if case .flag(let v) = value { return v }; return nil }
}

/// The ordered facts of one record and optionally one of its cases: the record's facts first, then the case's.
/// The two halves are kept apart so that every case of a record shares one copy of the record's facts (and their
/// index), and so that what depends on the record alone can be built from `recordLevel` once per record.
public struct FactTable: Sendable {
    public let record: String
    public let caseID: String?
    private let recordFacts: [Fact]
    private let caseFacts: [Fact]
    /// Position of the first fact with each id: a view model looks up about fifty ids per rendering.
    private let recordIndex: [String: Int]
    private let caseIndex: [String: Int]
    /// Positions of the record's facts with the id prefixes view models ask for (shared by every case's table): a
    /// case's view model asks for its attributions and similar cases, which would otherwise scan the record's facts
    /// each time. Built once, read without a lock by every thread.
    private let recordPrefixes: [String: [Int]]
    static let indexedPrefixes = ["xai.attr[", "similar[", "xai.top[", "perf.", "fair.", "test_set.", "problem[", "calib.case[", "finding[", "case.finding["]

    public init(record: String, caseID: String?, facts: [Fact]) {
        self.init(record: record, caseID: caseID, recordFacts: facts, recordIndex: Self.index(facts),
                  recordPrefixes: Dictionary(uniqueKeysWithValues: Self.indexedPrefixes.map { p in (p, facts.indices.filter { facts[$0].id.utf8.starts(with: p.utf8) }) }),
                  caseFacts: [])
    }

    private init(record: String, caseID: String?, recordFacts: [Fact], recordIndex: [String: Int], recordPrefixes: [String: [Int]],
                 caseFacts: [Fact]) {
        self.record = record
        self.caseID = caseID
        self.recordFacts = recordFacts
        self.recordIndex = recordIndex
        self.recordPrefixes = recordPrefixes
        self.caseFacts = caseFacts
        caseIndex = Self.index(caseFacts)
    }

    private static func index(_ facts: [Fact]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (k, f) in facts.enumerated() where index[f.id] == nil { index[f.id] = k }
        return index
    }

    /// This table's record facts with one case's facts after them (the record's storage is shared, not copied).
    public func adding(caseID: String, facts: [Fact]) -> FactTable {
        FactTable(record: record, caseID: caseID, recordFacts: recordFacts, recordIndex: recordIndex, recordPrefixes: recordPrefixes,
                  caseFacts: caseFacts + facts)
    }

    /// The record's facts alone, without the case's.
    public var recordLevel: FactTable {
        FactTable(record: record, caseID: nil, recordFacts: recordFacts, recordIndex: recordIndex, recordPrefixes: recordPrefixes, caseFacts: [])
    }

    /// Every fact, the record's first.
    public var facts: [Fact] { caseFacts.isEmpty ? recordFacts : recordFacts + caseFacts }

    /// The first fact with this id (the record's facts come first).
    public subscript(_ id: String) -> Fact? {
        if let k = recordIndex[id] { return recordFacts[k] }
        return caseIndex[id].map { caseFacts[$0] }
    }

    /// Facts whose id starts with a prefix (`perf.`, `xai.attr[`), in order.
    /// Ids are compared byte for byte (they are ASCII paths); `hasPrefix` compares canonical equivalents, which made
    /// these look-ups a twentieth of the time of an explanation.
    public func with(prefix: String) -> [Fact] {
        let p = prefix.utf8
        let positions = recordPrefixes[prefix] ?? recordFacts.indices.filter { recordFacts[$0].id.utf8.starts(with: p) }
        let fromCase = caseFacts.filter { $0.id.utf8.starts(with: p) }
        if positions.isEmpty { return fromCase }
        return positions.map { recordFacts[$0] } + fromCase
    }
}
