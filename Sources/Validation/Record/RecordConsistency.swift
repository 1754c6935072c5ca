import Foundation
import Statistics

/// Something a record says twice in ways that cannot both be true. Each finding is named (`name`), points at the
/// paths involved and says what disagrees; `records`, `metrics` and the developer and regulator texts list them
/// before anything is told from the record.
public struct RecordFinding: Sendable, Equatable, Encodable {
    /// Which check found it: reference_label_conflict, feature_label_contradiction, conformal_coverage_off_target,
    /// subgroup_column_renamed.
    public let name: String
    /// The record paths (or predictions columns) involved.
    public let path: String
    /// What disagrees, as a sentence.
    public let message: String
    /// What the finding is about (a reference case's id, a feature's code), when it is one thing.
    public var subject: String? = nil
}

/// The consistency checks of a record (RECORDS.md, "Consistency"): each reads the record (and its predictions file,
/// when there is one) and never changes it.
public enum RecordConsistency {
    public static func findings(_ record: ValidationRecord, predictions: Predictions?) -> [RecordFinding] {
        referenceLabels(record) + featureLabels(record) + conformalCoverage(record) + subgroupColumns(record, predictions: predictions)
            + callLabels(record)
    }

    /// A case whose label is the positive label while its probability is below the record's threshold, or another
    /// label at or above it: the label is not the call its probability makes (the threshold of the record's
    /// figures when they share one, else 0.5).
    static func callLabels(_ record: ValidationRecord) -> [RecordFinding] {
        guard record.model.task == .classification else { return [] }
        let thresholds = Set(record.performance.compactMap(\.threshold))
        let threshold = thresholds.count == 1 ? thresholds.first ?? 0.5 : 0.5
        let positive = record.classLabels.positive
        return record.cases.compactMap { c in
            guard let p = c.probability, let label = c.label else { return nil }
            let contradicts = (label == positive) != (p >= threshold)
            guard contradicts else { return nil }
            return RecordFinding(name: "label_contradicts_probability", path: "cases[\(c.index)].prediction",
                                 message: "The case \(c.id) is labelled \"\(label)\" with probability \(p), which is \(p >= threshold ? "at or above" : "below") the threshold \(threshold) for \"\(positive)\".",
                                 subject: c.id)
        }
    }

    /// A reference case cited as similar under two labels: at most one of them is its reference standard.
    static func referenceLabels(_ record: ValidationRecord) -> [RecordFinding] {
        var seen: [String: [(label: String, path: String)]] = [:], order: [String] = []
        for c in record.cases {
            for (j, s) in c.similarCases.enumerated() where !s.label.isEmpty {
                if seen[s.id] == nil { order.append(s.id) }
                seen[s.id, default: []].append((s.label, "cases[\(c.index)].similar_cases[\(j)]"))
            }
        }
        return order.compactMap { id in
            guard let uses = seen[id] else { return nil }
            var labels: [String] = []
            for u in uses where !labels.contains(u.label) { labels.append(u.label) }
            guard labels.count > 1, let first = labels.first, let second = labels.dropFirst().first,
                  let a = uses.first(where: { $0.label == first }), let b = uses.first(where: { $0.label == second }) else { return nil }
            return RecordFinding(name: "reference_label_conflict", path: "\(a.path), \(b.path)",
                                 message: "The reference case \(id) is \"\(first)\" at \(a.path) and \"\(second)\" at \(b.path); its label cannot be both.",
                                 subject: id)
        }
    }

    /// Words whose opposites, found in a feature's label but not in its name, say the label describes another feature.
    static let opposites: [(String, String)] = [("upper", "lower"), ("left", "right"), ("anterior", "posterior"), ("apex", "base"),
                                                ("high", "low"), ("increased", "decreased"), ("inner", "outer"), ("central", "peripheral"),
                                                ("positive", "negative"), ("small", "large")]

    /// A feature whose label names the opposite of its code (`upper_lobe` labelled "lower-lobe location").
    static func featureLabels(_ record: ValidationRecord) -> [RecordFinding] {
        func words(_ s: String) -> Set<String> {
            Set(s.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init))
        }
        var out: [RecordFinding] = [], reported = Set<String>()
        func check(_ feature: String, _ label: String, _ path: String) {
            let name = words(feature), said = words(label)
            for (a, b) in opposites {
                for (mine, other) in [(a, b), (b, a)] where name.contains(mine) && !name.contains(other) && said.contains(other) && !said.contains(mine) {
                    guard reported.insert("\(feature)|\(label)").inserted else { return }
                    out.append(RecordFinding(name: "feature_label_contradiction", path: path,
                                             message: "The feature \(feature) is labelled \"\(label)\": its name says \(mine), its label says \(other).",
                                             subject: feature))
                    return
                }
            }
        }
        for (k, g) in record.globalImportance.enumerated() { check(g.feature, g.label, "explainability.global_importance[\(k)]") }
        for c in record.cases {
            for (j, a) in c.attributions.enumerated() { check(a.feature, a.label, "cases[\(c.index)].attributions[\(j)]") }
        }
        return out
    }

    /// Reported conformal coverage far from its target 1 − alpha: the target lies outside the Wilson 95% interval of
    /// the reported coverage on the test set's n (or, with no n, differs by more than 0.05). Coverage above the
    /// target means sets larger than they need to be; below it, sets that miss the truth more often than promised.
    static func conformalCoverage(_ record: ValidationRecord) -> [RecordFinding] {
        guard let c = record.uncertainty?.conformal, let coverage = c.empiricalCoverage else { return [] }
        let target = 1 - c.alpha
        let set = c.testSet.flatMap(record.testSet) ?? record.testSets.first
        let far: Bool
        var interval = ""
        if let n = set?.n, n > 0, let w = try? WilsonInterval(successes: Int((coverage * Double(n)).rounded()), trials: n) {
            far = target < w.lower || target > w.upper
            interval = String(format: " (95%% CI %.3f–%.3f on n = %d)", w.lower, w.upper, n)
        } else {
            far = abs(coverage - target) > 0.05
        }
        guard far else { return [] }
        let what = coverage > target ? "its sets are larger than the target needs" : "its sets miss the true label more often than promised"
        return [RecordFinding(name: "conformal_coverage_off_target", path: "uncertainty.conformal.empirical_coverage",
                              message: String(format: "Conformal coverage %.3f", coverage) + interval
                                  + String(format: " is far from its target %.2f (alpha %.2f): ", target, c.alpha) + what + ".")]
    }

    /// A subgroup whose column is missing from the predictions file while another column holds its value: the
    /// figure could be recomputed if the subgroup named that column (`"column"`).
    static func subgroupColumns(_ record: ValidationRecord, predictions: Predictions?) -> [RecordFinding] {
        guard let p = predictions else { return [] }
        var out: [RecordFinding] = []
        for r in record.performance {
            guard let s = r.subgroup, !p.has(s.column ?? s.attribute) else { continue }
            let holders = p.columns.filter { col in
                guard let k = p.columns.firstIndex(of: col) else { return false }
                return p.rows.contains { $0[k] == s.value }
            }
            guard let other = holders.first else { continue }
            out.append(RecordFinding(name: "subgroup_column_renamed", path: r.jsonPath + ".subgroup",
                                     message: "The subgroup \(s.attribute) = \(s.value) names the column \(s.column ?? s.attribute), which the predictions file lacks; its column \(other) holds the value \"\(s.value)\" (add \"column\": \"\(other)\" to the subgroup)."))
        }
        return out
    }
}
