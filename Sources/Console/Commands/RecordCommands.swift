import ArgumentParser
import Foundation
import Render
import Survey
import Validation

/// Validation records: load records, records, metrics, audit.
enum RecordCommands {
    static let all: [Command] = [records, metrics, audit]

    static func loadRecords(_ path: String, session: Session, allowOutside: Bool = false) throws -> CommandOutput {
        var loaded = try RecordLoader.load(path: path)
        for k in loaded.indices {
            loaded[k].predictionsOutsideAllowed = allowOutside
            _ = try Predictions.resolvedPath(for: loaded[k])
        }
        // Reloading a record replaces it; a new id is added.
        var merged = session.records.filter { r in !loaded.contains { $0.id == r.id } }
        merged += loaded
        session.records = merged
        for r in loaded {
            session.files.remember(kind: "record", path: r.path)
            if let csv = r.predictionsCSV {
                session.files.remember(kind: "predictions", path: csv.hasPrefix("/") ? csv : ((r.path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(csv))
            }
        }
        var doc = Document()
        doc.heading("Loaded \(loaded.count) validation record(s) from \(path)")
        doc.table(recordTable(loaded))
        for r in loaded where !r.unknownKeys.isEmpty { doc.note("\(r.id): unknown keys kept: \(r.unknownKeys.joined(separator: ", "))") }
        let findings = try consistency(loaded)
        for (r, list) in findings { for f in list { doc.note("\(r): inconsistent, \(f.name) at \(f.path): \(f.message)") } }
        return CommandOutput(document: doc, json: recordsJSON(loaded, findings: findings))
    }

    /// Each record's consistency findings (`RecordConsistency`), read with its predictions file.
    static func consistency(_ list: [ValidationRecord]) throws -> [(String, [RecordFinding])] {
        try list.map { r in (r.id, RecordConsistency.findings(r, predictions: try Predictions.load(for: r))) }
    }

    static func findingsJSON(_ list: [RecordFinding]) -> JSONValue {
        .array(list.map { .object([("name", .string($0.name)), ("path", .string($0.path)), ("message", .string($0.message))]) })
    }

    static func recordTable(_ list: [ValidationRecord]) -> Table {
        Table(columns: ["id", "task", "model", "test sets", "cases", "path"], alignments: [.left, .left, .left, .left, .right, .left],
              rows: list.map { [$0.id, $0.model.task.rawValue, "\($0.model.name) \($0.model.version)", $0.testSets.map { "\($0.id) (\($0.kind))" }.joined(separator: ", "),
                                String($0.cases.count), $0.path] })
    }

    static func recordsJSON(_ list: [ValidationRecord], findings: [(String, [RecordFinding])]) -> JSONValue {
        .array(list.map { r in
            .object([("id", .string(r.id)), ("task", .string(r.model.task.rawValue)), ("model", .string(r.model.name)),
                     ("version", .string(r.model.version)),
                     ("test_sets", .array(r.testSets.map { .object([("id", .string($0.id)), ("kind", .string($0.kind))]) })),
                     ("cases", .int(r.cases.count)), ("path", .string(r.path)),
                     ("findings", findingsJSON(findings.first { $0.0 == r.id }?.1 ?? []))])
        })
    }

    static let records = Command(RecordsCommand.self)

    struct RecordsCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "records", abstract: "list loaded validation records",
            usage: "records",
            discussion: "Lists the loaded validation records: id, task, model, test sets, number of cases with full outputs, and file.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard !session.records.isEmpty else { throw ValidationError.noRecords(path: "(session)") }
            // What each record says twice in ways that cannot both be true, before anything is told from it.
            let findings = try consistency(session.records)
            var doc = Document([.table(recordTable(session.records))])
            for (r, list) in findings { for f in list { doc.note("\(r): inconsistent, \(f.name) at \(f.path): \(f.message)") } }
            return CommandOutput(document: doc, json: recordsJSON(session.records, findings: findings))
        }
    }

    /// The flag column of `metrics`: only a contradicted figure is "not supported"; one the data cannot give is not.
    static func verdictWords(_ v: MetricCheck.Verdict) -> String {
        switch v {
        case .supported: return "reproduced"
        case .computedOnly: return ""
        case .contradicted: return "NOT SUPPORTED"
        case .cannotRecompute: return "CANNOT RECOMPUTE"
        }
    }

    static func format(_ v: Double?) -> String {
        guard let v else { return "—" }
        return abs(v) >= 10 ? String(format: "%.2f", v) : String(format: "%.3f", v)
    }

    static let metrics = Command(MetricsCommand.self)

    struct MetricsCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "metrics", abstract: "reported metrics beside those recomputed from per-case data",
            usage: "metrics RECORD",
            discussion: """
            Recomputes every reported figure from the record's predictions file and sets it beside the reported one: AUC
            (DeLong CI), sensitivity/specificity at the record's threshold (Wilson CI), Brier, ECE/MCE (binning stated),
            AURC, conformal coverage, Dice/HD95 means, MAE/MSE and interval coverage. A figure is flagged when the
            recomputed value lies outside the reported CI (or, without one, differs by more than 0.01, or 1% for figures in
            units).
            """)
        static let completes: Command.Completion = .records
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard let id = positional.first else { throw ConsoleError.usage(command: "metrics", message: "which record? e.g. metrics cspca-bpmri-v2") }
            return try metricsOutput(session, record: id)
        }
    }

    /// A record's reported figures beside those recomputed from its per-case data.
    static func metricsOutput(_ session: Session, record id: String) throws -> CommandOutput {
        let record = try session.record(id)
        guard let predictions = try Predictions.load(for: record) else {
            throw ConsoleError.usage(command: "metrics", message: "\(record.id) has no predictions_csv, so nothing can be recomputed")
        }
        let checks = try Recomputation.checks(record, predictions: predictions)
        var doc = Document()
        doc.heading("\(record.id): reported vs recomputed from \(predictions.path) (\(predictions.rows.count) cases)")
        if let sole = predictions.soleTestSet { doc.note(sole.reason) }
        doc.table(Table(columns: ["metric", "test set", "subgroup", "n", "reported", "reported CI", "recomputed", "CI", "method", "flag"],
                        alignments: [.left, .left, .left, .right, .right, .right, .right, .right, .left, .left],
                        rows: checks.map { c in
                            [c.metric, c.testSet, c.subgroup.map { "\($0.attribute) \($0.value)" } ?? "", String(c.n), format(c.reported),
                             c.reportedCI.map { "\(format($0.lowerBound))–\(format($0.upperBound))" } ?? "", format(c.recomputed),
                             c.ci.map { "\(format($0.lowerBound))–\(format($0.upperBound))" } ?? "", c.ciMethod, verdictWords(c.verdict)]
                        }))
        for c in checks where !c.reliability.isEmpty {
            doc.table(Table(title: "Reliability, \(c.testSet) (\(c.ciMethod))", columns: ["bin", "n", "mean p", "observed", "gap"],
                            rows: c.reliability.map { b in [String(format: "%.2f–%.2f", b.lower, b.upper), String(b.n), String(format: "%.3f", b.meanConfidence),
                                                             String(format: "%.3f", b.observed), String(format: "%+.3f", b.observed - b.meanConfidence)] }))
        }
        for c in checks where !c.riskCoverage.isEmpty {
            // The curve at every tenth of coverage: the error rate when only the most confident cases are kept.
            let n = c.riskCoverage.count
            let points = (1...10).map { k in c.riskCoverage[max(0, Int((Double(k) / 10 * Double(n)).rounded()) - 1)] }
            doc.table(Table(title: "Risk–coverage, \(c.testSet) (AURC \(format(c.recomputed)))", columns: ["coverage"] + points.map { String(format: "%.0f%%", 100 * $0.coverage) },
                            rows: [["risk"] + points.map { String(format: "%.3f", $0.risk) }]))
        }
        let findings = RecordConsistency.findings(record, predictions: predictions)
        for f in findings { doc.note("inconsistent, \(f.name) at \(f.path): \(f.message)") }
        let flagged = checks.filter { $0.flag != nil }
        for c in flagged { doc.note("\(c.metric) (\(c.testSet)\(c.subgroup.map { ", \($0.attribute) \($0.value)" } ?? "")): \(c.flag ?? "") [\(c.source ?? "")]") }
        if flagged.isEmpty { doc.note("every reported figure that can be recomputed agrees with the per-case data") }
        let json: JSONValue = .object([
            ("record", .string(record.id)), ("predictions", .string(predictions.path)), ("cases", .int(predictions.rows.count)),
            ("checks", try JSONValueEncoder.encode(checks)),
            ("findings", findingsJSON(findings)),
        ])
        return CommandOutput(document: doc, json: json)
    }

    static let audit = Command(AuditCommand.self)

    struct AuditCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "audit", abstract: "the record's validation practice against what TG and CG do",
            usage: "audit RECORD",
            discussion: "Sets each practice answer of the record beside the share of TG and CG giving it in the loaded survey (and each group's commonest answer), marks answers below common practice, and lists what the record leaves unreported (external validation, error analysis, fairness, robustness, nomogram comparison, calibration, uncertainty, explanation evaluation, CIs, monitoring, oversight), worded as actions.")
        static let completes: Command.Completion = .records
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard let id = positional.first else { throw ConsoleError.usage(command: "audit", message: "which record? e.g. audit cspca-bpmri-v2") }
            return try auditOutput(session, record: id)
        }
    }

    /// A record's validation practice against the loaded survey's groups.
    static func auditOutput(_ session: Session, record id: String) throws -> CommandOutput {
        let record = try session.record(id)
        let grouping = try? session.grouping(nil)
        let a = PracticeAudit(record: record, survey: session.survey, grouping: grouping)
        var doc = Document()
        doc.heading("Practice audit of \(record.id)")
        let levels = a.items.first?.shares.map(\.group) ?? []
        doc.table(Table(columns: ["Q", "topic", "this record"] + levels.map { "\($0) giving it" } + levels.map { "\($0) commonest" } + ["note"],
                        alignments: [.left, .left, .left] + Array(repeating: .right, count: levels.count) + Array(repeating: .left, count: levels.count) + [.left],
                        rows: a.items.map { i in
                            [i.question, i.topic, i.labels.joined(separator: "; ")]
                                + i.shares.map { String(format: "%.0f%% of %d", 100 * $0.share, $0.n) }
                                + i.shares.map { "\($0.commonest) (\(Int((100 * $0.commonestShare).rounded()))%)" }
                                + [i.belowCommonPractice ? "below common practice" : ""]
                        }))
        if session.survey == nil { doc.note("no survey loaded: load survey data/ai4hi/responses.csv to see the shares") }
        doc.heading("What to add or improve")
        doc.table(Table(columns: ["topic", "action", "what respondents do"], alignments: [.left, .left, .left],
                        rows: a.findings.map { [$0.topic, $0.action, $0.evidence] }))
        let json: JSONValue = .object([
            ("record", .string(a.record)),
            ("practice", .array(a.items.map { i in
                .object([("question", .string(i.question)), ("topic", .string(i.topic)), ("answers", .strings(i.answers)),
                         ("labels", .strings(i.labels)),
                         ("shares", .object(i.shares.map { ($0.group, .double($0.share)) })),
                         ("groups", .object(i.shares.map { s in
                             (s.group, .object([("share", .double(s.share)), ("n", .int(s.n)), ("commonest", .string(s.commonest)),
                                                ("commonest_share", .double(s.commonestShare))]))
                         })),
                         ("below_common_practice", .bool(i.belowCommonPractice))])
            })),
            ("findings", .array(a.findings.map { .object([("topic", .string($0.topic)), ("action", .string($0.action)), ("evidence", .string($0.evidence))]) })),
        ])
        return CommandOutput(document: doc, json: json)
    }
}
