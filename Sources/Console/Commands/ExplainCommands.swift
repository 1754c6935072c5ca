import ArgumentParser
import Foundation
import Statistics
import Explain
import Render
import Survey
import Validation

/// The explanation generator's facts (the renderings for the four audiences come next).
enum ExplainCommands {
    static let all: [Command] = [facts, explain]

    static let explain = Command(ExplainCommand.self)

    struct ExplainCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain", abstract: "the record (or one case) explained to an audience",
            usage: "explain RECORD [--case ID|all] --for developer|clinician|patient|regulator|all [--format text|markdown|html|json] [--out FILE] [--library DIR]",
            discussion: """
            Renders the record's facts (and one case's with --case) for an audience, from the editable profiles and
            templates in explanations/ (or --library DIR). With a survey loaded, the clinician text is ordered by the
            clinical group's trust factors (Q10) and the developer text by the technical group's, and says why. Every
            rendering is checked: each number must be a fact's value, the audience's forbidden words must not appear,
            the patient text must read at Flesch-Kincaid grade 8 or below, and a failed input check is told first;
            problems are listed as warnings. --format json gives audience, text, sentences (each with the ids of the claims behind it),
            claims (by fact id: kind, label, value, unit, ci, n, record path, verdict), facts_used, readability, order_reason, warnings.
            --case all renders every case of the record with full outputs (text, markdown or json, to --out FILE), on
            all cores; it reports how many renderings were made and how many have warnings.
            """)
        static let completes: Command.Completion = .records
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("case"), help: "A case id, or all (with --out).") var caseOption: String?
        @Option(name: .customLong("for"), help: "The audience, or all.", completion: .list(Audience.allCases.map(\.rawValue) + ["all"])) var forOption: String?
        @Option(name: .customLong("out"), help: "Write to this file (.txt, .md, .html or .json).", completion: .file()) var out: String?
        @Option(name: .customLong("library"), help: "A folder of profiles and templates (default explanations/).", completion: .directory) var library: String?
        @Option(name: .customLong("format"), help: "The rendering, when not given by --out's extension.", completion: .list(["text", "markdown", "html", "json"])) var format: String?

        func run(in session: Session) throws -> CommandOutput {
            guard let id = positional.first else { throw ConsoleError.usage(command: "explain", message: "which record? e.g. explain cspca-bpmri-v2 --case P-017 --for patient") }
            let record = try session.record(id)
            let who = forOption ?? "all"
            let audiences: [Audience]
            if who == "all" { audiences = Audience.allCases } else {
                guard let a = Audience(rawValue: who) else {
                    throw ConsoleError.usage(command: "explain", message: "--for takes developer, clinician, patient, regulator or all, not \(who)\(ErrorMessages.didYouMean(Suggest.nearest(who, in: Audience.allCases.map(\.rawValue))))")
                }
                audiences = [a]
            }
            return try explainOutput(session, ExplainRequest(record: record, caseID: caseOption, audiences: audiences,
                                                             format: format, out: out,
                                                             library: library ?? BundledFiles.path("explanations")))
        }
    }

    /// The hyphenation patterns that count syllables for the readability checks: `$TRUSTGAP_HYPHEN_DIC`, else the ones
    /// compiled in (Debian's, when they were installed at build time), else Debian's at run time.
    static var hyphenator: Hyphenator? {
        if let path = ProcessInfo.processInfo.environment["TRUSTGAP_HYPHEN_DIC"] { return try? Hyphenator(path: path) }
        if BundledFiles.contains("hyphenation/hyph_en_US.dic"), let path = try? BundledFiles.path("hyphenation/hyph_en_US.dic") {
            return try? Hyphenator(path: path)
        }
        return try? Hyphenator()
    }

    /// What `explain` was asked for, as typed values (reports ask for it too).
    struct ExplainRequest {
        var record: ValidationRecord
        /// One case, "all", or nil for the record.
        var caseID: String?
        var audiences: [Audience]
        /// text, markdown, html or json; nil: from `out`'s extension, and on screen the session's format.
        var format: String?
        var out: String?
        var library: String
    }

    /// The record (or a case, or every case) explained to each audience asked.
    static func explainOutput(_ session: Session, _ request: ExplainRequest) throws -> CommandOutput {
        let record = request.record, audiences = request.audiences
        if request.caseID == "all" {
            return try explainAllCases(record, audiences: audiences, request: request, session: session)
        }
        // Figures are told as the per-case data support them (RecordEvidence): recomputed once per command.
        let evidence = try RecordEvidence.of(record)
        let table = try FactBuilder.build(record, caseID: request.caseID, evidence: evidence)
        let explainer = Explainer(library: try ExplanationLibrary(folder: request.library), hyphenator: hyphenator)
        var priorities: GroupPriorities?
        if let survey = session.survey, let g = try? session.grouping(nil) { priorities = try? GroupPriorities(survey: survey, role: .trustFactors, grouping: g) }
        let explainers = try audiences.map { try explainer.prepare(table.recordLevel, for: $0, priorities: priorities) }
        for e in explainers { try e.requirePlainWords(table) }
        let explanations = explainers.map { $0.explain(table) }
        var doc = Document()
        for e in explanations {
            doc.heading("\(e.title) (\(e.audience.rawValue)) — \(record.id)\(table.caseID.map { ", case \($0)" } ?? "")")
            // One paragraph per line: Markdown would join the lines of one paragraph into one.
            for line in e.text.split(separator: "\n") { doc.paragraph(String(line)) }
            if let note = evidence.note { doc.note(note) }
            // The reading grade is for the analyst: a patient's page (Markdown, text or HTML) does not end with it.
            if let r = e.readability, e.audience != .patient {
                doc.note(String(format: "readability: Flesch-Kincaid grade %.1f, Flesch reading ease %.0f", r.fleschKincaidGrade, r.fleschReadingEase))
            }
            for w in e.warnings { doc.note("CHECK FAILED: \(w)") }
        }
        let json: JSONValue = .array(zip(explanations, explainers).map { e, bound in
            explanationJSON(e, record: record.id, caseID: table.caseID, sentences: bound.sentences(table))
        })
        var out = CommandOutput(document: doc, json: json)
        // --format picks the rendering; without it, --out's extension does, and on screen the session's format.
        let format = request.format
        if let f = format, !["text", "markdown", "html", "json"].contains(f) {
            throw ConsoleError.usage(command: "explain", message: "--format takes text, markdown, html or json, not \(f)")
        }
        func body(_ f: String) throws -> String {
            switch f {
            case "html": return html(record: record, table: table, evidence: evidence, explanations: explanations)
            case "json": return json.encoded()
            case "markdown": return MarkdownRenderer().render(doc)
            default: return TextRenderer().render(doc)
            }
        }
        if let f = format, request.out == nil { out.raw = try body(f) }
        if let path = request.out {
            let body = try body(format ?? (path.hasSuffix(".html") ? "html" : path.hasSuffix(".json") ? "json" : path.hasSuffix(".md") ? "markdown" : "text"))
            try FileOutput.write(body + "\n", to: path)
            out.document = Document([.paragraph("wrote \(path) (\(explanations.count) audience(s))")])
        }
        return out
    }

    /// `explain RECORD --case all`: every case for every audience asked (`BatchExplainer`), written in record order.
    static func explainAllCases(_ record: ValidationRecord, audiences: [Audience], request: ExplainRequest, session: Session) throws -> CommandOutput {
        guard let path = request.out else {
            throw ConsoleError.usage(command: "explain", message: "--case all needs --out FILE (.txt, .md or .json)")
        }
        let format = request.format ?? (path.hasSuffix(".json") ? "json" : path.hasSuffix(".md") ? "markdown"
            : path.hasSuffix(".html") || path.hasSuffix(".htm") ? "html" : "text")
        guard ["text", "markdown", "json"].contains(format) else {
            throw ConsoleError.usage(command: "explain", message: "--case all writes text, markdown or json, not \(format) (an HTML page is made for one case: --case ID --out FILE.html)")
        }
        let count = record.cases.count
        guard count > 0 else { throw ValidationError.unknownCase(record: record.id, id: "all", suggestion: nil) }
        let evidence = try RecordEvidence.of(record)
        let explainer = Explainer(library: try ExplanationLibrary(folder: request.library), hyphenator: hyphenator)
        let priorities: GroupPriorities? = session.survey.flatMap { survey in
            (try? session.grouping(nil)).flatMap { try? GroupPriorities(survey: survey, role: .trustFactors, grouping: $0) }
        }
        let id = record.id
        // JSON: one object for the record; its claims once (written last, when every case has said which it rests
        // on), each case's claims once per case, and per audience the text, its sentences and the facts they use.
        let outcome = try BatchExplainer.explainAll(record, explainer: explainer, audiences: audiences, priorities: priorities, evidence: evidence,
                                                    sentences: format == "json") { explanations, caseID, sentences, recordFacts, first in
            if format == "json" { return (first ? "" : ",\n") + caseJSON(explanations, caseID: caseID, sentences: sentences, recordFacts: recordFacts).encoded(pretty: false) }
            return explanations.map { piece($0, record: id, caseID: caseID, format: format) }.joined()
        }
        let warned = outcome.withWarnings
        try FileOutput.stream(to: path) { emit in
            if format == "json" { try emit(Array("{\"record\": \(JSONValue.string(id).encoded(pretty: false)), \"cases\": [\n".utf8)) }
            for chunk in outcome.chunks { try emit(chunk) }
            if format == "json" {
                let claims = JSONValue.object(outcome.recordClaims.map { ($0.fact, claimJSON($0)) }).encoded(pretty: false)
                try emit(Array("\n], \"claims\": \(claims)}\n".utf8))
            }
        }
        let total = count * audiences.count
        var doc = Document()
        doc.paragraph("wrote \(path): \(total) explanations (\(count) cases × \(audiences.count) audience(s)), \(warned) with warnings")
        return CommandOutput(document: doc, json: .object([("path", .string(path)), ("cases", .int(count)), ("audiences", .int(audiences.count)),
                                                          ("explanations", .int(total)), ("with_warnings", .int(warned))]))
    }

    /// One claim as JSON: its kind, label, value, unit, CI, n and record path; a figure's verdict (supported,
    /// contradicted or cannot_recompute) with its reason.
    static func claimJSON(_ c: Claim) -> JSONValue {
        var fields: [(String, JSONValue)] = [("kind", .string(c.kind.rawValue)), ("label", .string(c.label)), ("value", .string(c.value))]
        if let u = c.unit { fields.append(("unit", .string(u))) }
        if let ci = c.ci { fields.append(("ci", .array([.double(ci.lowerBound), .double(ci.upperBound)]))) }
        if let n = c.n { fields.append(("n", .int(n))) }
        fields.append(("source", .string(c.source)))
        if let v = c.verdict { fields.append(("verdict", .string(v))) }
        if let r = c.reason { fields.append(("reason", .string(r))) }
        return .object(fields)
    }

    /// The facts an explanation's sentences rest on, sorted: what this audience was told, not what was built.
    static func factsUsed(_ sentences: [ExplainedSentence]) -> [String] {
        Array(Set(sentences.flatMap { $0.claims.map(\.fact) })).sorted()
    }

    /// One explanation as JSON: its text, each sentence with the ids of the claims behind it, each claim once
    /// (when `claims` is true; `--case all` gives them once per case and once per record instead), the facts its
    /// sentences use, the reading level, the order's reason and the warnings.
    static func explanationJSON(_ e: Explanation, record: String?, caseID: String?, sentences: [ExplainedSentence], claims withClaims: Bool = true) -> JSONValue {
        var fields: [(String, JSONValue)] = [("audience", .string(e.audience.rawValue))]
        if let record { fields.append(("record", .string(record))) }
        if withClaims { fields.append(("case", caseID.map(JSONValue.string) ?? .null)) }
        fields.append(("text", .string(e.text)))
        fields.append(("sentences", .array(sentences.map { s in .object([("text", .string(s.text)), ("claims", .strings(s.claims.map(\.fact)))]) })))
        if withClaims {
            var seen = Set<String>()
            var claims: [(String, JSONValue)] = []
            for c in sentences.lazy.flatMap(\.claims) where seen.insert(c.fact).inserted { claims.append((c.fact, claimJSON(c))) }
            fields.append(("claims", .object(claims)))
        }
        fields.append(("facts_used", .strings(factsUsed(sentences))))
        fields.append(("readability", e.readability.map { .object([("fk_grade", .double($0.fleschKincaidGrade)), ("flesch", .double($0.fleschReadingEase))]) } ?? .null))
        fields.append(("order_reason", e.orderReason.map(JSONValue.string) ?? .null))
        fields.append(("warnings", .strings(e.warnings)))
        return .object(fields)
    }

    /// One case of `--case all` as JSON: the claims of the case's own facts once, then each audience's explanation
    /// (the record's claims are written once, after the cases).
    static func caseJSON(_ explanations: [Explanation], caseID: String, sentences: [[ExplainedSentence]], recordFacts: Set<String>) -> JSONValue {
        var seen = Set<String>()
        var claims: [(String, JSONValue)] = []
        for list in sentences { for c in list.lazy.flatMap(\.claims) where !recordFacts.contains(c.fact) && seen.insert(c.fact).inserted { claims.append((c.fact, claimJSON(c))) } }
        return .object([("case", .string(caseID)), ("claims", .object(claims)),
                        ("explanations", .array(zip(explanations, sentences).map { explanationJSON($0, record: nil, caseID: caseID, sentences: $1, claims: false) }))])
    }

    /// One explanation as `--case all` writes it in text or Markdown.
    static func piece(_ e: Explanation, record: String, caseID: String, format: String) -> String {
        switch format {
        case "markdown":
            return "## \(e.title) (\(e.audience.rawValue)) — \(record), case \(caseID)\n\n\(e.text.replacingOccurrences(of: "\n", with: "\n\n"))\n\n"
                + e.warnings.map { "> CHECK FAILED: \($0)\n\n" }.joined()
        default:
            return "\(e.title) (\(e.audience.rawValue)) — \(record), case \(caseID)\n\(e.text)\n"
                + e.warnings.map { "  CHECK FAILED: \($0)\n" }.joined() + "\n"
        }
    }

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

    /// A self-contained HTML page: each audience's text with its charts (reliability diagram and risk–coverage
    /// curve from the predictions file for developer and regulator, attribution bars for developer and clinician,
    /// an icon array of 100 people for the patient).
    // Swift 6.3.1's optimiser crashes on this function in release builds (CopyPropagation fails its ownership
    // check; seen with both a closure and a loop). It renders one page, so it is left unoptimised.
    @_optimize(none)
    static func html(record: ValidationRecord, table: FactTable, evidence: RecordEvidence, explanations: [Explanation]) -> String {
        var reliability: String?, riskCoverage: String?
        if record.model.task == .classification {
            let checks = evidence.checks
            if let c = checks.first(where: { !$0.reliability.isEmpty }) {
                reliability = Charts.reliability(title: "Reliability (\(c.testSet), \(record.calibration?.bins ?? 10) bins)",
                                                 bins: c.reliability.map { ($0.meanConfidence, $0.observed, $0.n) })
            }
            if let c = checks.first(where: { !$0.riskCoverage.isEmpty }) {
                riskCoverage = Charts.riskCoverage(title: "Risk–coverage (\(c.testSet))", points: c.riskCoverage)
            }
        }
        let attributions = table.with(prefix: "xai.attr[").compactMap { f in f.number.map { (label: f.label, value: $0) } }
        var sections: [HTMLPage.Section] = []
        for e in explanations {
            var charts: [String] = []
            if e.audience == .developer || e.audience == .regulator {
                if let r = reliability { charts.append(r) }
                if let r = riskCoverage { charts.append(r) }
            }
            if (e.audience == .developer || e.audience == .clinician) && !attributions.isEmpty {
                charts.append(Charts.attributions(title: e.audience == .developer ? "Attributions for case \(table.caseID ?? "")" : "What drove the result", items: attributions))
            }
            // The icon array shows the patient text's own natural frequency, and is held back where the text holds
            // the frequency back (a failed input check).
            if e.audience == .patient, let f = table["case.frequency"], let v = f.number, let d = f.n,
               table["qc.input_ok"]?.flag != false, table["qc.ood"]?.flag != true, table["qc.out_of_scope"] == nil {
                let condition = table["condition.plain"]?.text ?? table["condition"]?.text ?? "the condition"
                let people = table["people.plain"]?.text ?? "people"
                // The words of the patient's text: "about 3", or at the ends "fewer than 1" / "more than 99".
                let level = f.level ?? "about"
                let count = level == "about" ? "about \(Int(v))" : level
                let rest = level == "about" ? "about \(d - Int(v))" : level == "fewer than 1" ? "more than 99" : "fewer than 1"
                let verb = level == "fewer than 1" || (level == "about" && Int(v) == 1) ? "has" : "have"
                charts.append(Charts.iconArray(title: "\(d) \(people) with a result like this", highlighted: level == "fewer than 1" ? 0 : Int(v), total: d,
                                               caption: "Out of \(d), \(count) \(verb) \(condition); \(rest) do not.",
                                               legend: (has: "has \(condition)", hasNot: "does not")))
            }
            var notes: [String] = []
            // The reading grade is for the analyst, not the patient's page.
            if let r = e.readability, e.audience != .patient { notes.append(String(format: "Readability: Flesch-Kincaid grade %.1f.", r.fleschKincaidGrade)) }
            for w in e.warnings { notes.append("Check failed: \(w)") }
            sections.append(HTMLPage.Section(heading: "\(e.title) (\(e.audience.rawValue))", paragraphs: e.text.components(separatedBy: "\n"),
                                             notes: notes, charts: charts))
        }
        return HTMLPage.render(title: "\(record.model.name) — \(record.id)\(table.caseID.map { ", case \($0)" } ?? "")", sections: sections)
    }

    static let facts = Command(FactsCommand.self)

    struct FactsCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "facts", abstract: "the typed fact table explanations are rendered from",
            usage: "facts RECORD [--case ID]",
            discussion: "Lists the facts of a record (and of one case with --case): id, value with unit and CI, the qualitative level with the rule that set it, and the JSON path it came from. Every explanation, for every audience, is rendered from these facts and nothing else.")
        static let completes: Command.Completion = .records
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("case")) var caseOption: String?

        func run(in session: Session) throws -> CommandOutput {
            guard let id = positional.first else { throw ConsoleError.usage(command: "facts", message: "which record? e.g. facts cspca-bpmri-v2 --case P-017") }
            let record = try session.record(id)
            let table = try FactBuilder.build(record, caseID: caseOption, evidence: try RecordEvidence.of(record))
            var doc = Document()
            doc.heading("Facts of \(record.id)\(table.caseID.map { ", case \($0)" } ?? "") (\(table.facts.count))")
            doc.table(Table(columns: ["id", "label", "value", "unit", "CI", "n", "level", "per-case data", "source"],
                            alignments: [.left, .left, .left, .left, .left, .right, .left, .left, .left],
                            rows: table.facts.map { f in
                                [f.id, f.label, describe(f.value), f.unit ?? "", f.ci.map { "\(describe(.number($0.lowerBound)))–\(describe(.number($0.upperBound)))" } ?? "",
                                 f.n.map(String.init) ?? "", f.level ?? "", f.check.map { RecordCommands.verdictWords($0.verdict).lowercased() } ?? "", f.source]
                            }))
            let rules = Set(table.facts.compactMap(\.levelRule))
            for r in rules.sorted() { doc.note("levels: \(r)") }
            let json: JSONValue = .object([
                ("record", .string(record.id)), ("case", table.caseID.map(JSONValue.string) ?? .null), ("count", .int(table.facts.count)),
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
                                    ("verdict", f.check.map { .string($0.verdict.rawValue) } ?? .null),
                                    ("source", .string(f.source))])
                })),
            ])
            return CommandOutput(document: doc, json: json)
        }
    }
}
