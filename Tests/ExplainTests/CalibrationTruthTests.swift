import Foundation
import Testing
@testable import Explain
@testable import Validation

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Every bundled case, in all four texts, read against the per-case data computed here from the predictions file
/// alone (equal-width bins of 0.1, left-closed with the last closed; Wilson 95% intervals written out): where the
/// case's bin on a test set excludes its estimate, the patient reads the observed frequency beside the program's
/// and the clinician the observed rate in the direction the data show; where no bin excludes it, no one is cautioned.
@Test func everyPatientFrequencyAgreesWithItsBin() throws {
    let records = try RecordLoader.load(path: root.appendingPathComponent("data/validation").path)
    let explainer = Explainer(library: try ExplanationLibrary(folder: root.appendingPathComponent("explanations").path))
    var checked = 0, cautioned = 0
    for r in records where r.model.task == .classification {
        let bins = try observedBins(r)
        let evidence = try RecordEvidence.of(r)
        for c in r.cases {
            guard let p = c.probability else { continue }
            let facts = try FactBuilder.build(r, caseID: c.id, evidence: evidence)
            let texts = Dictionary(uniqueKeysWithValues: try Audience.allCases.map { ($0, try explainer.explain(facts, for: $0).text) })
            let patient = texts[.patient] ?? "", clinician = texts[.clinician] ?? ""
            let unusable = c.failsQC || c.isOutOfDistribution || facts["qc.out_of_scope"] != nil
            if unusable {
                // No estimate at all: nothing to compare.
                #expect(!patient.contains("out of 100"), "\(c.id)")
                continue
            }
            checked += 1
            #expect(patient.contains("out of 100 "), "\(r.id) \(c.id): one denominator")
            var off: [(had: Int, n: Int, more: Bool)] = []
            for (_, list) in bins.sorted(by: { $0.key < $1.key }) {
                let k = min(9, Int(p * 10))
                let bin = list[k]
                guard bin.n > 0 else { continue }
                let (lo, hi) = wilson(bin.had, bin.n)
                if p < lo || p > hi { off.append((bin.had, bin.n, p < lo)) }
            }
            if off.isEmpty {
                #expect(!patient.contains("earlier tests") && !clinician.contains("Caution on this estimate"), "\(r.id) \(c.id): cautioned without a bin that excludes \(p)")
            }
            for o in off {
                cautioned += 1
                let observed = o.had == 0 ? "none of the \(o.n) in those tests" : "\(Int((100 * Double(o.had) / Double(o.n)).rounded())) in 100"
                #expect(patient.contains("had it \(o.more ? "more" : "less") often than the program says: \(observed), not \(Int((p * 100).rounded())) in 100."),
                        "\(r.id) \(c.id): \(patient)")
                #expect(clinician.contains("(\(o.had) of \(o.n); 95% CI") && clinician.contains("\(o.more ? "more" : "less") often than this estimate"),
                        "\(r.id) \(c.id): \(clinician)")
            }
        }
    }
    #expect(checked >= 15 && cautioned >= 5, "checked \(checked), cautioned \(cautioned)")
}

/// Each test set's ten bins (had, n) from the predictions file, read as text.
private func observedBins(_ r: ValidationRecord) throws -> [String: [(had: Int, n: Int)]] {
    guard let file = r.predictionsCSV else { return [:] }
    let path = URL(fileURLWithPath: r.path).deletingLastPathComponent().appendingPathComponent(file)
    let lines = try String(contentsOf: path, encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    guard let header = lines.first, let y = header.firstIndex(of: "y_true"), let pc = header.firstIndex(of: "p") else { return [:] }
    let setColumn = header.firstIndex(of: "test_set")
    // Without a test_set column the rows are the set whose n is their count (RECORDS.md).
    let sole = r.testSets.first { $0.n == lines.count - 1 }?.id ?? r.testSets.first?.id ?? ""
    var bins: [String: [(had: Int, n: Int)]] = [:]
    for row in lines.dropFirst() where row.count == header.count {
        guard let p = Double(row[pc]), let outcome = Int(row[y]) else { continue }
        let set = setColumn.map { row[$0] } ?? sole
        var list = bins[set] ?? Array(repeating: (0, 0), count: 10)
        let k = min(9, Int(p * 10))
        list[k] = (list[k].had + outcome, list[k].n + 1)
        bins[set] = list
    }
    return bins
}

/// Wilson score interval at 95% (z = 1.959964).
private func wilson(_ k: Int, _ n: Int) -> (Double, Double) {
    let z = 1.959964, p = Double(k) / Double(n), nn = Double(n)
    let centre = (p + z * z / (2 * nn)) / (1 + z * z / nn)
    let half = z * ((p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()) / (1 + z * z / nn)
    return (centre - half, centre + half)
}
