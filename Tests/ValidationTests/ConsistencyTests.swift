import Foundation
import Testing
@testable import Validation

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The bundled records: cspca's T-1200–T-1202 are cited under two labels and its conformal coverage (0.981 on 320
/// cases) is far from 0.90; the others say nothing twice.
@Test func bundledRecordsAreReadForConsistency() throws {
    let records = try RecordLoader.load(path: root.appendingPathComponent("data/validation").path)
    var names: [String: [String]] = [:]
    for r in records { names[r.id] = RecordConsistency.findings(r, predictions: try Predictions.load(for: r)).map(\.name) }
    #expect(names["cspca-bpmri-v2"] == ["reference_label_conflict", "reference_label_conflict", "reference_label_conflict", "conformal_coverage_off_target"])
    for id in ["gland-volume-reg-v1", "pirads-triage-ext-v1", "prostate-seg-t2w-v1", "psa-density-reg-v1"] { #expect(names[id] == [], "\(id): \(names[id] ?? [])") }
    let cspca = try #require(records.first { $0.id == "cspca-bpmri-v2" })
    let first = try #require(RecordConsistency.findings(cspca, predictions: nil).first)
    #expect(first.message == "The reference case T-1200 is \"csPCa\" at cases[0].similar_cases[0] and \"no csPCa\" at cases[5].similar_cases[0]; its label cannot be both.")
    #expect(first.subject == "T-1200")
}

/// Each check, on a record edited to say the wrong thing, and not on the same record said right.
@Test func eachConsistencyCheckFindsItsContradiction() throws {
    let path = root.appendingPathComponent("data/validation/pirads-triage-ext-v1.json")
    let base = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: path)) as? [String: Any])
    func findings(_ edit: (inout [String: Any]) -> Void) throws -> [RecordFinding] {
        var raw = base
        edit(&raw)
        var r = try RecordLoader.parse(raw, path: path.path)
        r.predictionsOutsideAllowed = false
        return RecordConsistency.findings(r, predictions: try Predictions.load(for: r))
    }
    #expect(try findings { _ in }.isEmpty)
    // A feature labelled as its opposite; the same feature labelled right is not.
    let feature = try findings { raw in
        var cases = raw["cases"] as? [[String: Any]] ?? []
        cases[0]["attributions"] = [["feature": "upper_lobe", "label": "lower-lobe location", "value": 0.1]]
        cases[1]["attributions"] = [["feature": "upper_lobe", "label": "upper-lobe location", "value": 0.1]]
        raw["cases"] = cases
    }
    #expect(feature.map(\.name) == ["feature_label_contradiction"] && feature.first?.path == "cases[0].attributions[0]", "\(feature)")
    // Conformal coverage against its target: 0.981 on 300 cases is far from 0.90; 0.91 is not.
    let far = try findings { raw in raw["uncertainty"] = ["method": "conformal", "conformal": ["alpha": 0.1, "empirical_coverage": 0.981, "test_set": "dev"]] }
    #expect(far.map(\.name) == ["conformal_coverage_off_target"])
    #expect(far.first?.message.contains("its sets are larger than the target needs") == true)
    #expect(try findings { raw in raw["uncertainty"] = ["method": "conformal", "conformal": ["alpha": 0.1, "empirical_coverage": 0.91, "test_set": "dev"]] }.isEmpty)
    // A subgroup whose column exists under another name: age_band holds "70+".
    let renamed = try findings { raw in
        var perf = raw["performance"] as? [[String: Any]] ?? []
        perf[3]["subgroup"] = ["attribute": "age", "value": "70+"]
        raw["performance"] = perf
    }
    #expect(renamed.map(\.name) == ["subgroup_column_renamed"] && renamed.first?.message.contains("its column age_band holds the value \"70+\"") == true, "\(renamed)")
    // The same reference case under two labels.
    let twice = try findings { raw in
        var cases = raw["cases"] as? [[String: Any]] ?? []
        cases[0]["similar_cases"] = [["id": "R-1", "label": "csPCa likely", "similarity": 0.9]]
        cases[8]["similar_cases"] = [["id": "R-1", "label": "csPCa unlikely", "similarity": 0.8]]
        raw["cases"] = cases
    }
    #expect(twice.map(\.name) == ["reference_label_conflict"])
    // A label its own probability contradicts at the record's threshold (0.5).
    let label = try findings { raw in
        var cases = raw["cases"] as? [[String: Any]] ?? []
        cases[8]["prediction"] = ["label": "csPCa likely", "probability": 0.03]
        raw["cases"] = cases
    }
    #expect(label.map(\.name) == ["label_contradicts_probability"] && label.first?.subject == "T-09")
}
