import Explain
import Render
import Validation

/// The explanation generator's facts (the renderings for the four audiences come next).
enum ExplainCommands {
    static let all: [Command] = [facts]

    static func describe(_ v: Fact.Value) -> String {
        switch v {
        case .number(let d): return d == d.rounded() && abs(d) < 1e9 ? String(Int(d)) : String(format: "%.4g", d)
        case .text(let t): return t.count > 60 ? String(t.prefix(59)) + "…" : t
        case .list(let l):
            let joined = l.joined(separator: "; ")
            return joined.count > 60 ? String(joined.prefix(59)) + "…" : joined
        case .flag(let b): return b ? "yes" : "no"
        }
    }

    static let facts = Command(
        name: "facts", usage: "facts RECORD [--case ID]", summary: "the typed fact table explanations are rendered from",
        help: "Lists the facts of a record (and of one case with --case): id, value with unit and CI, the qualitative level with the rule that set it, and the JSON path it came from. Every explanation, for every audience, is rendered from these facts and nothing else.",
        subcommands: [], valueOptions: ["case"], flagOptions: [], completes: .records
    ) { session, args in
        guard let id = args.positional.first else { throw ConsoleError.usage(command: "facts", message: "which record? e.g. facts cspca-bpmri-v2 --case P-017") }
        let record = try session.record(id)
        let table: FactTable
        do {
            table = try FactBuilder.build(record, caseID: args.options["case"])
        } catch let FactBuilder.Error.unknownCase(r, c, suggestion) {
            throw ValidationError.unknownCase(record: r, id: c, suggestion: suggestion)
        }
        var doc = Document()
        doc.heading("Facts of \(record.id)\(table.caseID.map { ", case \($0)" } ?? "") (\(table.facts.count))")
        doc.table(Table(columns: ["id", "label", "value", "unit", "CI", "n", "level", "source"], alignments: [.left, .left, .left, .left, .left, .right, .left, .left],
                        rows: table.facts.map { f in
                            [f.id, f.label.count > 40 ? String(f.label.prefix(39)) + "…" : f.label, describe(f.value), f.unit ?? "", f.ci.map { "\(describe(.number($0.lowerBound)))–\(describe(.number($0.upperBound)))" } ?? "",
                             f.n.map(String.init) ?? "", f.level ?? "", f.source]
                        }))
        let rules = Set(table.facts.compactMap(\.levelRule))
        for r in rules.sorted() { doc.note("levels: \(r)") }
        let json: JSONValue = .object([
            ("record", .string(record.id)), ("case", table.caseID.map(JSONValue.string) ?? .null),
            ("facts", .array(table.facts.map { f in
                let value: JSONValue
                switch f.value {
                case .number(let d): value = .double(d)
                case .text(let t): value = .string(t)
                case .list(let l): value = .strings(l)
                case .flag(let b): value = .bool(b)
                }
                return .object([("id", .string(f.id)), ("label", .string(f.label)), ("value", value), ("unit", f.unit.map(JSONValue.string) ?? .null),
                                ("ci", f.ci.map { .array([.double($0.lowerBound), .double($0.upperBound)]) } ?? .null), ("n", f.n.map(JSONValue.int) ?? .null),
                                ("level", f.level.map(JSONValue.string) ?? .null), ("level_rule", f.levelRule.map(JSONValue.string) ?? .null),
                                ("source", .string(f.source))])
            })),
        ])
        return CommandOutput(document: doc, json: json)
    }
}
