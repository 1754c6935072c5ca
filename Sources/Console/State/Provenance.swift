import BundledLibrary
import Foundation
import Render
import Survey

/// What produced a result, so that a table, a JSON document or a report handed on can be reproduced from itself:
/// the trustgap version, every input file with its SHA-256, the cleaning steps in force (filters and recodes, in
/// order), the grouping, and how to read each p. Seeds and each p's method (exact, asymptotic, Monte Carlo with B,
/// seed and SE) are fields of the results themselves (`fisher_method`, `fisher_seed`, `monte_carlo_replicates` …).
struct Provenance: Encodable, Equatable {
    struct Input: Encodable, Equatable {
        let kind: String
        let path: String
        let sha256: String
    }

    let trustgapVersion: String
    let inputs: [Input]
    let cleaning: [String]
    let grouping: String?
    /// Weights in force: none yet (trustgap does not weight respondents; every count is unweighted).
    let weights: String

    enum CodingKeys: String, CodingKey {
        case trustgapVersion = "trustgap_version", inputs, cleaning, grouping, weights
    }

    init(_ session: Session) {
        trustgapVersion = BundledLibrary.version
        inputs = session.files.list.map { Input(kind: $0.kind, path: $0.path, sha256: $0.sha256) }
        cleaning = session.settings.cleaning.map { step in
            switch step {
            case .filter(let f): "filter \(f.text)"
            case .recode(let r): "recode \(r.text)"
            }
        }
        grouping = session.survey == nil ? nil : session.settings.groupingColumn.map { "by column \($0)" } ?? "the questionnaire's role rule"
        weights = "none (unweighted)"
    }

    /// How every p in trustgap's output says what it is.
    static let readingP = "A p is asymptotic (the chi-square or normal approximation named beside it) unless it is marked exact (Fisher's test, run in full) or Monte Carlo (with its B, seed and standard error; \"< 1/(B + 1)\" when no simulated table was as extreme). Adjusted p-values name their adjustment and the family they were adjusted in."

    /// The colophon of a report: one row per fact.
    var document: Document {
        var doc = Document()
        var rows: [[String]] = [["trustgap", trustgapVersion]]
        rows += inputs.map { ["\($0.kind) file", "\(($0.path as NSString).lastPathComponent) (SHA-256 \($0.sha256))"] }
        if let grouping { rows.append(["groups", grouping]) }
        rows.append(["cleaning", cleaning.isEmpty ? "none: every respondent as loaded" : cleaning.joined(separator: "; then ")])
        rows.append(["weights", weights])
        doc.table(Table(columns: ["", "produced from"], alignments: [.left, .left], rows: rows))
        doc.note(Self.readingP)
        return doc
    }

    var json: JSONValue { (try? JSONValueEncoder.encode(self)) ?? .null }
}
