import Foundation
import Testing
@testable import Validation

struct MetricReference: Decodable {
    struct Bin: Decodable { let lower: Double; let upper: Double; let n: Int; let mean_confidence: Double; let observed: Double }
    struct Calibration: Decodable { let table: [Bin]; let ece: Double; let mce: Double }
    struct Classification: Decodable {
        let name: String; let y: [Int]; let p: [Double]; let auc: Double; let delong_auc: Double; let delong_se: Double; let delong_ci: [Double]
        let sensitivity: Double; let sensitivity_ci: [Double]; let specificity: Double; let specificity_ci: [Double]; let brier: Double
        let equal_width: Calibration; let equal_mass: Calibration; let aurc: Double
    }
    struct Continuous: Decodable { let name: String; let values: [Double]; let mean: Double; let sd: Double; let ci: [Double]; let median: Double; let q1: Double; let q3: Double }
    let classification: [Classification]
    let continuous: [Continuous]

    static let shared: MetricReference = {
        let url = Bundle.module.url(forResource: "metric_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(MetricReference.self, from: Data(contentsOf: url))
    }()
}

func close(_ a: Double?, _ b: Double, rel: Double = 1e-10) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= rel * max(1, abs(b))
}

@Test(arguments: MetricReference.shared.classification.indices)
func classificationMetricsMatchScikitLearn(_ k: Int) throws {
    let c = MetricReference.shared.classification[k]
    #expect(close(ClassificationMetrics.auc(y: c.y, p: c.p), c.auc), "\(c.name) AUC")
    let d = try #require(ClassificationMetrics.delongInterval(y: c.y, p: c.p))
    #expect(close(d.auc, c.delong_auc) && close(d.se, c.delong_se) && close(d.ci.lowerBound, c.delong_ci[0]) && close(d.ci.upperBound, c.delong_ci[1]), "\(c.name) DeLong")
    #expect(close(ClassificationMetrics.brier(y: c.y, p: c.p), c.brier))
    for (binning, ref) in [("equal_width", c.equal_width), ("equal_mass", c.equal_mass)] {
        let cal = try #require(ClassificationMetrics.calibration(y: c.y, p: c.p, bins: 10, binning: binning))
        #expect(close(cal.ece, ref.ece) && close(cal.mce, ref.mce), "\(c.name) \(binning) ECE/MCE")
        #expect(cal.table.count == ref.table.count)
        for (a, b) in zip(cal.table, ref.table) {
            #expect(a.n == b.n && close(a.lower, b.lower) && close(a.upper, b.upper) && close(a.meanConfidence, b.mean_confidence) && close(a.observed, b.observed))
        }
    }
    #expect(close(ClassificationMetrics.riskCoverage(y: c.y, p: c.p, threshold: 0.5)?.aurc, c.aurc), "\(c.name) AURC")
}

@Test(arguments: MetricReference.shared.continuous.indices)
func continuousSummariesMatchNumPy(_ k: Int) throws {
    let c = MetricReference.shared.continuous[k]
    let m = try #require(ContinuousMetrics.mean(c.values))
    #expect(close(m.mean, c.mean) && close(m.sd, c.sd) && close(m.ci.lowerBound, c.ci[0]) && close(m.ci.upperBound, c.ci[1]))
    #expect(close(ContinuousMetrics.quantile(c.values, 0.5), c.median) && close(ContinuousMetrics.quantile(c.values, 0.25), c.q1)
            && close(ContinuousMetrics.quantile(c.values, 0.75), c.q3))
}

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

@Test func bundledRecordsLoadAndThePlantedFigureIsFlagged() throws {
    let records = try RecordLoader.load(path: root.appendingPathComponent("data/validation").path)
    #expect(Set(records.map(\.model.task)) == [.classification, .segmentation, .regression])
    for r in records {
        #expect(r.cases.count >= 10, "\(r.id) has full UQ/XAI for at least 10 cases")
        #expect(r.hasExternalValidation || r.id == "psa-density-reg-v1")
        #expect(r.performance.contains { $0.subgroup != nil }, "\(r.id) reports subgroup results")
        #expect(r.cases.contains { $0.failsQC || $0.isOutOfDistribution }, "\(r.id) has a case failing QC or out of distribution")
        // psa-density-reg-v1 comes without per-case data on purpose: its figures are "as reported".
        guard let predictions = try Predictions.load(for: r) else {
            #expect(r.id == "psa-density-reg-v1")
            continue
        }
        #expect(predictions.rows.count >= 200)
        let checks = try Recomputation.checks(r, predictions: predictions)
        let flagged = checks.filter { $0.flag != nil }
        if r.id == "pirads-triage-ext-v1" {
            // The reported site-d AUC is planted wrong; the dev set and the subgroup without a column cannot be recomputed.
            #expect(checks.filter { $0.verdict == .contradicted }.map(\.source) == ["performance[1]"])
            #expect(checks.filter { $0.verdict == .cannotRecompute }.map(\.source) == ["performance[0]", "performance[4]"])
            #expect(predictions.soleTestSet?.id == "site-d")
        } else if r.id == "cspca-bpmri-v2" {
            #expect(flagged.map(\.source) == ["performance[7]"])
            #expect(flagged.first?.metric == "sensitivity" && flagged.first?.testSet == "external")
            #expect(r.unknownKeys == ["x_site_notes"])
        } else {
            #expect(flagged.isEmpty, "\(r.id): \(flagged.map { $0.flag ?? "" })")
        }
    }
}

@Test func recordErrorsNameTheJSONPath() throws {
    func error(_ json: String) -> ValidationError? {
        do { _ = try RecordLoader.parse(try JSONSerialization.jsonObject(with: Data(json.utf8)), path: "r.json"); return nil }
        catch let e as ValidationError { return e } catch { return nil }
    }
    let base = #"{"schema": "trustgap.validation-record/1", "id": "m1", "model": {"name": "m", "task": "classification"}"#
    #expect(error(base + #", "cases": [{"id": "a"}, {"id": "b", "uncertainty": {"epistemic": "high"}}]}"#)
            == .field(path: "r.json", jsonPath: "cases[1].uncertainty.epistemic", message: "expected a number, got \"high\""))
    #expect(error(base + #", "cases": [{"id": "a"}, {"id": "a"}]}"#) == .field(path: "r.json", jsonPath: "cases[1].id", message: "case id a appears twice"))
    #expect(error(#"{"schema": "trustgap.validation-record/2", "id": "x"}"#)
            == .field(path: "r.json", jsonPath: "schema", message: "expected \"trustgap.validation-record/1\", got \"trustgap.validation-record/2\""))
    #expect(error(base.replacingOccurrences(of: "classification", with: "detection") + "}")
            == .field(path: "r.json", jsonPath: "model.task", message: "expected classification, segmentation or regression, got \"detection\""))
    #expect(error(base + #", "performance": [{"metric": "auc", "value": 0.9, "ci": [0.95, 0.9]}]}"#)
            == .field(path: "r.json", jsonPath: "performance[0].ci", message: "the interval [0.95, 0.9] has low above high"))
    #expect(error(base + #", "cases": [{"id": "a", "prediction": {"probability": 1.4}}]}"#)
            == .field(path: "r.json", jsonPath: "cases[0].prediction.probability", message: "expected a probability between 0 and 1, got 1.4"))
    #expect(error(base + #", "cases": [{"id": "a", "qc": {"input_ok": "yes"}}]}"#)
            == .field(path: "r.json", jsonPath: "cases[0].qc.input_ok", message: "expected true or false, got \"yes\""))
    #expect(error(base + "}") == nil)
}

/// A test set with one class: AUC (and sensitivity with no positives) is undefined, and says so, rather than
/// "cannot be recomputed".
@Test func oneClassTestSetSaysUndefined() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-oneclass-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let record = #"""
    {"schema": "trustgap.validation-record/1", "id": "one-class", "model": {"name": "m", "task": "classification"},
     "data": {"test_sets": [{"id": "screen", "kind": "external", "n": 6}]},
     "performance": [{"metric": "auc", "value": 0.9, "test_set": "screen"},
                     {"metric": "sensitivity", "value": 0.8, "test_set": "screen", "threshold": 0.5}],
     "predictions_csv": "p.csv"}
    """#
    try record.write(to: dir.appendingPathComponent("r.json"), atomically: true, encoding: .utf8)
    let csv = "case_id,test_set,y_true,p\n" + (1...6).map { "c\($0),screen,0,0.\($0)\n" }.joined()
    try csv.write(to: dir.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
    let r = try #require(try RecordLoader.load(path: dir.appendingPathComponent("r.json").path).first)
    let checks = try Recomputation.checks(r, predictions: try #require(try Predictions.load(for: r)))
    #expect(checks.first { $0.metric == "auc" }?.flag == "undefined: only one class in this test set")
    #expect(checks.first { $0.metric == "sensitivity" }?.flag == "undefined: no positive cases in this test set")
}

/// Predictions in the wild (RECORDS.md): a file without a test_set column belongs to the one test set whose n is
/// its row count (else the first internal set), and is never judged against another; a subgroup whose attribute
/// names no column is "cannot recompute" (or found through its declared "column") while every other figure is
/// still computed.
@Test(arguments: [true, false])
func predictionsWithoutTestSetOrSubgroupColumn(_ matchingN: Bool) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-wild-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // 40 rows: y alternates, p tracks y with some overlap; an age_group column, no test_set column.
    var csv = "case_id,y_true,p,age_group\n"
    for k in 0..<40 { csv += "c\(k),\(k % 2),\(k % 2 == 1 ? 0.55 + Double(k % 7) / 20 : 0.1 + Double(k % 9) / 20),\(k < 20 ? "<70" : ">=70")\n" }
    try csv.write(to: dir.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
    let record = """
    {"schema": "trustgap.validation-record/1", "id": "wild", "model": {"name": "m", "task": "classification"},
     "data": {"test_sets": [{"id": "dev", "kind": "internal", "n": 500}, {"id": "site-b", "kind": "external", "n": \(matchingN ? 40 : 70)}]},
     "performance": [{"metric": "sensitivity", "value": 0.9, "test_set": "site-b", "threshold": 0.5},
                     {"metric": "sensitivity", "value": 0.9, "test_set": "dev", "threshold": 0.5},
                     {"metric": "auc", "value": 0.9, "test_set": "\(matchingN ? "site-b" : "dev")", "subgroup": {"attribute": "age", "value": "<70"}},
                     {"metric": "auc", "value": 0.9, "test_set": "\(matchingN ? "site-b" : "dev")", "subgroup": {"attribute": "age", "value": ">=70", "column": "age_group"}}],
     "predictions_csv": "p.csv"}
    """
    try record.write(to: dir.appendingPathComponent("r.json"), atomically: true, encoding: .utf8)
    let r = try #require(try RecordLoader.load(path: dir.appendingPathComponent("r.json").path).first)
    let predictions = try #require(try Predictions.load(for: r))
    let sole = try #require(predictions.soleTestSet)
    #expect(sole.id == (matchingN ? "site-b" : "dev"), "\(sole.reason)")
    #expect(sole.reason.contains(matchingN ? "whose n is 40" : "no test set has its 40 rows"))
    let checks = try Recomputation.checks(r, predictions: predictions)
    let held = checks.filter { $0.metric == "sensitivity" && $0.testSet == sole.id }
    let other = checks.filter { $0.metric == "sensitivity" && $0.testSet != sole.id }
    // The rows are judged against one test set only: the other's figure cannot be recomputed.
    #expect(held.count == 1 && held[0].n == 40 && held[0].recomputed != nil && held[0].verdict != .cannotRecompute)
    #expect(other.count == 1 && other[0].verdict == .cannotRecompute && other[0].flag?.contains("holds the \(sole.id) test set only") == true)
    // The subgroup named "age" has no column: cannot recompute, with a note; the one declaring its column is computed.
    let byAge = checks.filter { $0.subgroup?.attribute == "age" }
    #expect(byAge.count == 2)
    #expect(byAge.first { $0.subgroup?.value == "<70" }?.flag?.contains("no column age") == true)
    #expect(byAge.first { $0.subgroup?.value == ">=70" }?.n == 20 && byAge.first { $0.subgroup?.value == ">=70" }?.recomputed != nil)
    // Brier, ECE and the rest are computed for the file's test set only.
    #expect(Set(checks.filter { $0.metric == "brier" }.map(\.testSet)) == [sole.id])
}

/// The record parser: the same values as JSONSerialization on valid JSON (escapes, surrogate pairs, numbers), and on
/// hostile bytes an error with line and column, never a crash or a deep recursion.
@Test func recordParserAgreesWithFoundationAndRefusesHostileBytes() throws {
    let text = #"{"a": "x\"y\\z\u00e9\ud83d\ude00\n", "n": [0, -1.5e3, 12345678901234, 3.25, true, false, null], "o": {"k": []}}"#
    let mine = try JSONBytes.parse(Data(text.utf8))
    let foundation = JSON(foundation: try JSONSerialization.jsonObject(with: Data(text.utf8)))
    #expect(JSONReader.describe(mine) == "an object")
    guard case .object(let a) = mine, case .object(let b) = foundation else { Issue.record("not objects"); return }
    #expect(a["a"].map { if case .string(let s) = $0 { return s }; return "" } == "x\"y\\zé😀\n")
    if case .array(let x)? = a["n"], case .array(let y)? = b["n"] {
        #expect(x.count == y.count)
        for (p, q) in zip(x, y) { #expect(JSONReader.describe(p) == JSONReader.describe(q)) }
    } else { Issue.record("n is not a list") }
    for (bytes, expected) in [(String(repeating: "[", count: 100_000), "nested more than 512 levels deep"), ("{\"a\": 1", "the file ends inside an object"),
                              ("{\"a\": \"\\q\"}", "an unknown escape in text"), ("{\"a\": 1}\n{", "unexpected text after the JSON value"),
                              ("{\"a\": 1e999}", "a number too large for a double")] {
        do {
            _ = try JSONBytes.parse(Data(bytes.utf8))
            Issue.record("\(bytes.prefix(20)) parsed")
        } catch let e as JSONBytes.Failure {
            #expect(e.message == expected && e.line >= 1 && e.column >= 1, "\(e)")
        }
    }
}
