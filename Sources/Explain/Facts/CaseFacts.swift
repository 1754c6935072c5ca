import Foundation
import Validation

extension FactBuilder {
    /// The facts of one case, after the record's. What a case's output rests on is checked first: an input that failed
    /// quality control, an OOD score above its threshold, or an input named in the record's `out_of_scope`.
    static func caseFacts(_ c: ValidationRecord.Case, record: ValidationRecord, evidence: RecordEvidence) -> [Fact] {
        let task = record.model.task
        let p = "cases[\(c.index)]"
        var f: [Fact] = [Fact(id: "case.id", label: "case", value: .text(c.id), source: "\(p).id")]
        // The population the case comes from: figures on that kind of test set are told first.
        if let set = c.testSet, let known = record.testSet(set) {
            f.append(Fact(id: "case.test_set", label: "the case's test set", value: .text(testSetName(record, set)), level: known.kind,
                          levelRule: "the kind of the test set in data.test_sets", source: "\(p).test_set"))
        }
        if let input = c.inputOK { f.append(Fact(id: "qc.input_ok", label: "input passed quality control", value: .flag(input), source: "\(p).qc.input_ok")) }
        if !c.qcFlags.isEmpty {
            f.append(Fact(id: "qc.flags", label: "quality-control findings", value: .list(c.qcFlags), source: "\(p).qc.flags"))
            // Each finding in plain words: the record's, else the glossary's; a finding with neither is left out of
            // this fact, and the patient text is withheld (`CaseExplainer.requirePlainWords`).
            let words = c.qcFlags.map { record.plainLanguage?.checks[$0] ?? Glossary.check($0) }
            if words.allSatisfy({ $0 != nil }) {
                f.append(Fact(id: "qc.flags.plain", label: "quality-control findings in plain words", value: .list(words.compactMap { $0 }),
                              source: "plain_language.checks"))
            } else {
                f.append(Fact(id: "qc.flags.unworded", label: "findings without plain words", value: .list(zip(c.qcFlags, words).filter { $0.1 == nil }.map(\.0)),
                              source: "plain_language.checks"))
            }
        }
        // An input the record itself puts out of scope: named in those words, first, to every reader.
        if let (k, entry) = outOfScope(c, record: record) {
            f.append(Fact(id: "qc.out_of_scope", label: "outside the intended use", value: .text(entry), source: "model.out_of_scope[\(k)]"))
        }
        if let s = c.oodScore, let t = c.oodThreshold {
            f.append(Fact(id: "qc.ood", label: "out of distribution", value: .flag(s > t),
                          level: s > t ? "outside the training data" : "within the training data", levelRule: "OOD score above its threshold",
                          source: "\(p).qc.ood_score"))
            f.append(Fact(id: "qc.ood.score", label: "OOD score", value: .number(s), source: "\(p).qc.ood_score"))
            f.append(Fact(id: "qc.ood.threshold", label: "OOD threshold", value: .number(t), source: "\(p).qc.ood_threshold"))
        }
        // A label the record's own probability contradicts is not told as the case's call (a finding says why, in
        // this case's texts: the finding is the case's, after the record's).
        let own = evidence.findings.filter { caseFindings.contains($0.name) && $0.subject == c.id }
        for (k, finding) in own.enumerated() {
            f.append(Fact(id: "case.finding[\(k)]", label: finding.name, value: .text(finding.message), source: finding.path))
        }
        let labelContradicted = own.contains { $0.name == "label_contradicts_probability" }
        if let l = c.label, !labelContradicted { f.append(Fact(id: "case.label", label: "prediction", value: .text(l), source: "\(p).prediction.label")) }
        if let pr = c.probability {
            // The probability is the chance of the condition (the positive label), whatever label was predicted.
            f.append(Fact(id: "case.probability", label: "estimated chance of the condition", value: .number(pr), source: "\(p).prediction.probability"))
            // A natural frequency with one denominator, 100, for every case; at the ends of the scale it is a bound
            // ("fewer than 1 in 100"), never a certainty ("0 in 100").
            let level = pr < 0.005 ? "fewer than 1" : pr >= 0.995 ? "more than 99" : "about"
            f.append(Fact(id: "case.frequency", label: "natural frequency", value: .number(min(99, max(1, (pr * 100).rounded()))), unit: "in 100",
                          n: 100, level: level, levelRule: "out of 100; below 0.5% fewer than 1, at or above 99.5% more than 99",
                          source: "\(p).prediction.probability"))
            // Where the case's own estimate lies outside what its bin observed on a test set: the observed rate, its
            // interval and the direction (more or less often than estimated).
            for (k, cal) in evidence.calibration(at: pr).filter(\.off).enumerated() {
                let name = testSetName(record, cal.testSet)
                f.append(Fact(id: "calib.case[\(k)]", label: "observed rate on the \(name) among cases given \(Int((cal.lower * 100).rounded()))–\(Int((cal.upper * 100).rounded()))%",
                              value: .number(cal.observed), ci: cal.interval, n: cal.n, level: cal.direction.rawValue,
                              levelRule: "the case's estimate outside the Wilson 95% interval of its bin's observed rate: more_often when the interval lies above it, less_often when below",
                              source: "predictions_csv (\(cal.testSet) reliability bin \(cal.lower)–\(cal.upper))"))
                f.append(Fact(id: "calib.case[\(k)].test_set", label: "test set", value: .text(name), source: "data.test_sets (\(cal.testSet))"))
                f.append(Fact(id: "calib.case[\(k)].range", label: "the bin's range of estimates",
                              value: .text("\(Int((cal.lower * 100).rounded()))–\(Int((cal.upper * 100).rounded()))%"), source: "calibration.bins"))
                f.append(Fact(id: "calib.case[\(k)].predicted", label: "mean predicted probability in that bin", value: .number(cal.meanPredicted),
                              source: "predictions_csv (\(cal.testSet) reliability bin)"))
                f.append(Fact(id: "calib.case[\(k)].had", label: "cases in that bin with the condition", value: .number(Double(cal.had)), n: cal.n,
                              source: "predictions_csv (\(cal.testSet) reliability bin)"))
            }
        }
        if let v = c.value {
            f.append(Fact(id: "case.value", label: "predicted value", value: .number(v), unit: c.unit, ci: c.interval, source: "\(p).prediction.value"))
            // How often intervals like this one held the true value, on the case's test set (else the first).
            let set = c.testSet ?? record.testSets.first?.id ?? ""
            if let cov = record.performance.first(where: { $0.metric == "interval_coverage" && $0.testSet == set && $0.subgroup == nil }) {
                let check = evidence.check(metric: "interval_coverage", testSet: set, subgroup: nil)
                let observed = check.flatMap { $0.verdict == .contradicted ? $0.recomputed : nil } ?? cov.value
                f.append(Fact(id: "uq.interval_observed", label: "observed interval coverage on the \(testSetName(record, set))", value: .number(observed),
                              n: record.testSet(set)?.n, source: check?.verdict == .contradicted ? "predictions_csv" : cov.jsonPath))
                f.append(Fact(id: "uq.interval_observed.test_set", label: "test set", value: .text(testSetName(record, set)), source: "data.test_sets (\(set))"))
            }
        }
        if let d = c.diceEstimate {
            f.append(Fact(id: "case.dice_estimate", label: "estimated contour quality (Dice)", value: .number(d), source: "\(p).prediction.dice_estimate"))
            f += diceRank(d, c, record: record, evidence: evidence)
        }
        if let v = c.volumeML { f.append(Fact(id: "case.volume", label: "volume of the contour", value: .number(v), unit: "mL", source: "\(p).prediction.volume_ml")) }
        if let sd = c.predictiveSD { f.append(Fact(id: "uq.predictive_sd", label: "predictive SD", value: .number(sd), source: "\(p).uncertainty.predictive_sd")) }
        if let e = c.epistemic { f.append(Fact(id: "uq.epistemic", label: "epistemic (model) uncertainty", value: .number(e), source: "\(p).uncertainty.epistemic")) }
        if let a = c.aleatoric { f.append(Fact(id: "uq.aleatoric", label: "aleatoric (data) uncertainty", value: .number(a), source: "\(p).uncertainty.aleatoric")) }
        if let i = c.interval, c.value == nil { f.append(Fact(id: "uq.interval", label: "interval", value: .text("\(i.lowerBound)–\(i.upperBound)"), ci: i, source: "\(p).uncertainty.interval")) }
        if !c.conformalSet.isEmpty { f.append(Fact(id: "uq.conformal_set", label: "conformal set", value: .list(c.conformalSet), source: "\(p).uncertainty.conformal_set")) }
        // Confidence is a claim about a diagnosis or a measurement; a contour's estimated Dice is its quality, told
        // against its test set (`diceRank`), never as confidence.
        var confidence = task == .regression
            ? c.predictiveSD.flatMap { sd in c.value.map { Levels.relativeConfidence(sd: sd, value: $0) } }
            : task == .segmentation ? nil : Levels.confidence(conformalSetSize: c.conformalSet.isEmpty ? nil : c.conformalSet.count, predictiveSD: c.predictiveSD)
        // A failed input check governs: whatever the uncertainty estimate says, confidence in this output is low.
        if task != .segmentation, c.failsQC || c.isOutOfDistribution || outOfScope(c, record: record) != nil {
            confidence = ("low", "input check failed, scan outside the training data or input out of scope → low, whatever the estimate")
        }
        if let level = confidence {
            f.append(Fact(id: "uq.confidence", label: "confidence", value: .text(level.0), level: level.0, levelRule: level.1, source: "\(p).uncertainty"))
        }
        // A driver's direction is relative to the condition, from the sign of its value (positive: towards). A
        // recorded direction that contradicts the sign is a problem of the record, not a sentence.
        var problems = 0
        // A feature whose label names its opposite is not cited at all: which of the two drove the output is unknown.
        let mislabelled = Set(evidence.findings.filter { $0.name == "feature_label_contradiction" }.compactMap(\.subject))
        for (k, a) in c.attributions.enumerated() where !mislabelled.contains(a.feature) {
            let signed: String? = a.value > 0 ? "towards" : a.value < 0 ? "against" : nil
            if let recorded = a.direction, let signed, recorded != signed {
                f.append(Fact(id: "problem[\(problems)]", label: "direction contradicts sign",
                              value: .text("\(p).attributions[\(k)] (\(a.label)): the direction \"\(recorded)\" contradicts the value \(a.value); the driver is not cited"),
                              source: "\(p).attributions[\(k)]"))
                problems += 1
                continue
            }
            guard let direction = signed ?? a.direction else { continue }
            f.append(Fact(id: "xai.attr[\(k)]", label: a.label, value: .number(a.value), level: direction,
                          levelRule: "relative to the condition: a positive value points towards it, a negative one away from it",
                          source: "\(p).attributions[\(k)]"))
        }
        if let r = c.saliencyRegion {
            // An entropy or variance map shows where the model is unsure, not what drove its output.
            let method = c.saliencyMethod?.lowercased() ?? ""
            let uncertaintyMap = ["entropy", "uncertainty", "variance"].contains { method.contains($0) }
            f.append(Fact(id: uncertaintyMap ? "uq.map.region" : "xai.saliency.region",
                          label: (uncertaintyMap ? "region where the model is least sure" : "salient region") + (c.saliencyMethod.map { ", \(MethodNames.name($0))" } ?? ""),
                          value: .text(r), source: "\(p).saliency.region"))
        }
        // A reference case the record labels two ways is cited without either label.
        let conflicted = Set(evidence.findings.filter { $0.name == "reference_label_conflict" }.compactMap(\.subject))
        for (k, s) in c.similarCases.enumerated() {
            let label = conflicted.contains(s.id) ? "label contradicted elsewhere in the record" : s.label
            f.append(Fact(id: "similar[\(k)]", label: "similar case \(s.id) (\(label))", value: .number(s.similarity), unit: "similarity", source: "\(p).similar_cases[\(k)]"))
        }
        return f
    }

    /// The entry of `model.out_of_scope` a case's input matches: every word of the entry (plural or singular,
    /// without short words such as "and") is among the words of the case's quality-control findings. "1.5 T
    /// scanners" matches the finding "scanner not seen in training (1.5 T)".
    static func outOfScope(_ c: ValidationRecord.Case, record: ValidationRecord) -> (Int, String)? {
        guard !c.qcFlags.isEmpty, !record.model.outOfScope.isEmpty else { return nil }
        func words(_ s: String) -> Set<String> {
            Set(s.lowercased().split { $0 == " " || $0 == "(" || $0 == ")" || $0 == "," || $0 == ";" || $0 == "/" }.map { w -> String in
                w.count > 3 && w.hasSuffix("s") ? String(w.dropLast()) : String(w)
            })
        }
        let found = words(c.qcFlags.joined(separator: " "))
        let small: Set<String> = ["and", "or", "the", "a", "an", "of", "in", "on", "with", "for", "men", "under"]
        for (k, entry) in record.model.outOfScope.enumerated() {
            let needed = words(entry).subtracting(small)
            if !needed.isEmpty && needed.isSubset(of: found) { return (k, entry) }
        }
        return nil
    }

    /// Where a case's estimated Dice falls among the true Dice of a test set's contours (the case's test set, else
    /// the first with per-case Dice): the share of contours below it, as a percentile, with a level in words.
    static func diceRank(_ d: Double, _ c: ValidationRecord.Case, record: ValidationRecord, evidence: RecordEvidence) -> [Fact] {
        let set = c.testSet.flatMap { evidence.dice[$0] == nil ? nil : $0 } ?? record.testSets.map(\.id).first { evidence.dice[$0] != nil }
        guard let set, let values = evidence.dice[set], !values.isEmpty else { return [] }
        let below = values.firstIndex { $0 >= d } ?? values.count
        let percentile = 100 * Double(below) / Double(values.count)
        let level = percentile < 5 ? "lowest 5%" : percentile < 10 ? "lowest 10%" : percentile < 25 ? "lowest quarter"
            : percentile < 75 ? "middle half" : "highest quarter"
        let median = values.count % 2 == 1 ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
        let name = testSetName(record, set)
        return [
            Fact(id: "case.dice_rank", label: "share of \(name) contours with a lower Dice", value: .number(percentile.rounded()), unit: "%",
                 n: values.count, level: level,
                 levelRule: "share of the test set's contours whose true Dice is below the estimate: < 5% lowest 5%, < 10% lowest 10%, < 25% lowest quarter, < 75% middle half, else highest quarter",
                 source: "predictions_csv (\(set) dice)"),
            Fact(id: "case.dice_rank.test_set", label: "test set", value: .text(name), source: "data.test_sets (\(set))"),
            Fact(id: "case.dice_rank.median", label: "median Dice on the \(name)", value: .number(median), n: values.count, source: "predictions_csv (\(set) dice)"),
        ]
    }
}
