import Foundation
import Survey
import Validation

/// Builds the fact table of a record, and of one of its cases when `caseID` is given. Nothing is invented: a
/// section the record lacks produces no facts, and the renderers say "not reported" for it.
public enum FactBuilder {
    public static func build(_ record: ValidationRecord, caseID: String? = nil, evidence: RecordEvidence = .none) throws -> FactTable {
        let table = recordFacts(record, evidence: evidence)
        guard let caseID else { return table }
        guard let c = record.cases.first(where: { $0.id == caseID }) else {
            throw ExplainError.unknownCase(record: record.id, id: caseID, suggestion: Suggest.nearest(caseID, in: record.cases.map(\.id)))
        }
        return table.adding(caseID: c.id, facts: caseFacts(c, record: record, evidence: evidence))
    }

    /// The table of every case with full outputs, in record order: the record's facts are built once and each
    /// case's added to them (what `build(record, caseID:)` gives for each id, without looking each case up).
    public static func buildCases(_ record: ValidationRecord, evidence: RecordEvidence = .none) -> [FactTable] {
        let base = recordFacts(record, evidence: evidence)
        return record.cases.map { base.adding(caseID: $0.id, facts: caseFacts($0, record: record, evidence: evidence)) }
    }

    /// The table of the case at `index` of the record, added to the record's table `base` (what `build(record)`
    /// gives): how workers that each explain a run of cases build their tables.
    public static func build(_ record: ValidationRecord, case index: Int, onto base: FactTable, evidence: RecordEvidence = .none) -> FactTable {
        let c = record.cases[index]
        return base.adding(caseID: c.id, facts: caseFacts(c, record: record, evidence: evidence))
    }

    static func recordFacts(_ record: ValidationRecord, evidence: RecordEvidence = .none) -> FactTable {
        var facts: [Fact] = []
        func add(_ f: Fact) { facts.append(f) }
        let m = record.model
        add(Fact(id: "model.name", label: "model", value: .text(m.name), source: "model.name"))
        if !m.version.isEmpty { add(Fact(id: "model.version", label: "version", value: .text(m.version), source: "model.version")) }
        add(Fact(id: "model.task", label: "task", value: .text(m.task.rawValue), source: "model.task"))
        if !m.target.isEmpty { add(Fact(id: "model.target", label: "target", value: .text(m.target), source: "model.target")) }
        // The condition a probability is the chance of: the target, else the positive label; in plain words when
        // the record gives them (patients read those).
        if m.task == .classification {
            let labels = record.classLabels
            add(Fact(id: "condition", label: "condition", value: .text(m.target.isEmpty ? labels.positive : m.target),
                     source: m.target.isEmpty ? "model.positive_label" : "model.target"))
            add(Fact(id: "condition.label", label: "positive label", value: .text(labels.positive), source: m.positiveLabel == nil ? "cases[].prediction.label" : "model.positive_label"))
            if let plain = record.plainLanguage?.condition { add(Fact(id: "condition.plain", label: "condition in plain words", value: .text(plain), source: "plain_language.condition")) }
        }
        // What a measurement is of: the target without its unit ("PSA density (ng/mL/cc)" → "PSA density"), in plain
        // words when the record gives them, so no reader is told a bare number.
        if m.task == .regression, !m.target.isEmpty {
            var name = m.target.trimmingCharacters(in: .whitespaces)
            if name.hasSuffix(")"), let open = name.lastIndex(of: "("), open > name.startIndex {
                name = String(name[..<open]).trimmingCharacters(in: .whitespaces)
            }
            add(Fact(id: "measure", label: "what is measured", value: .text(name), source: "model.target"))
            if let plain = record.plainLanguage?.condition { add(Fact(id: "measure.plain", label: "what is measured, in plain words", value: .text(plain), source: "plain_language.condition")) }
        }
        if let people = record.plainLanguage?.people { add(Fact(id: "people.plain", label: "who the people are", value: .text(people), source: "plain_language.people")) }
        if !m.intendedUse.isEmpty { add(Fact(id: "model.intended_use", label: "intended use", value: .text(m.intendedUse), source: "model.intended_use")) }
        if !m.intendedUsers.isEmpty { add(Fact(id: "model.intended_users", label: "intended users", value: .list(m.intendedUsers), source: "model.intended_users")) }
        if !m.outOfScope.isEmpty { add(Fact(id: "model.out_of_scope", label: "out of scope", value: .list(m.outOfScope), source: "model.out_of_scope")) }
        if let r = m.riskClass { add(Fact(id: "model.risk_class", label: "risk class", value: .text(r), source: "model.risk_class")) }
        if let provider = record.provider { add(Fact(id: "model.provider", label: "provider", value: .text(provider), source: "model.provider")) }
        if let contact = record.contact { add(Fact(id: "model.contact", label: "provider contact", value: .text(contact), source: "model.contact")) }
        if let n = record.trainingN { add(Fact(id: "data.training.n", label: "training cases", value: .number(Double(n)), unit: "cases", source: "data.training.n")) }
        if let s = record.trainingSites { add(Fact(id: "data.training.sites", label: "training sites", value: .number(Double(s)), unit: "sites", source: "data.training.sites")) }
        for (k, t) in record.testSets.enumerated() {
            add(Fact(id: "test_set.\(t.id)", label: "\(t.kind) test set \(t.id)\(t.site.map { " (\($0))" } ?? "")", value: .text(t.kind),
                     n: t.n, source: "data.test_sets[\(k)]"))
        }
        // Performance, one fact per reported figure; subgroup gaps per metric and test set.
        for p in record.performance {
            let sub = p.subgroup.map { ".\($0.attribute)=\($0.value)" } ?? ""
            let level = p.metric == "auc" ? Levels.auc(p.value) : nil
            add(Fact(id: "perf.\(p.metric).\(p.testSet)\(sub)", label: "\(p.metric) (\(p.testSet)\(p.subgroup.map { ", \($0.attribute) \($0.value)" } ?? ""))",
                     // n of a subgroup is not in the record; the test set's n belongs to the whole set only.
                     value: .number(p.value), unit: unit(for: p.metric, record), ci: p.ci, n: p.subgroup == nil ? record.testSet(p.testSet)?.n : nil,
                     level: level?.0, levelRule: level?.1, source: p.jsonPath,
                     check: evidence.check(metric: p.metric, testSet: p.testSet, subgroup: p.subgroup).map {
                         FigureCheck(verdict: $0.verdict, recomputed: $0.recomputed, ci: $0.ci, n: $0.n, reason: $0.flag)
                     }))
            // The operating point a figure was measured at (sensitivity and specificity depend on it).
            if let threshold = p.threshold {
                add(Fact(id: "threshold.\(p.metric).\(p.testSet)\(sub)", label: "threshold of \(p.metric) (\(p.testSet))", value: .number(threshold),
                         source: p.jsonPath + ".threshold"))
            }
        }
        let grouped = Dictionary(grouping: record.performance.filter { $0.subgroup != nil }) { "\($0.metric)|\($0.testSet)|\($0.subgroup?.attribute ?? "")" }
        for key in grouped.keys.sorted() {
            guard let entries = grouped[key], entries.count >= 2, let first = entries.first, let attr = first.subgroup?.attribute else { continue }
            let values = entries.map(\.value)
            let gap = (values.max() ?? 0) - (values.min() ?? 0)
            let onUnitScale = unit(for: first.metric, record) != nil || values.contains { abs($0) > 1 }
            let level = Levels.gap(gap, cis: entries.map(\.ci), unitScaleSmallest: onUnitScale ? values.min() : nil)
            add(Fact(id: "fair.\(attr).\(first.metric).\(first.testSet)", label: "\(first.metric) gap across \(attr)", value: .number(gap),
                     unit: unit(for: first.metric, record), level: level.0, levelRule: level.1, source: entries.map(\.jsonPath).joined(separator: ", ")))
        }
        if let c = record.comparator {
            add(Fact(id: "comparator.\(c.metric)", label: record.comparatorName ?? "comparator", value: .number(c.value), unit: unit(for: c.metric, record), ci: c.ci, source: "comparator"))
        }
        if let cal = record.calibration, let ece = cal.ece {
            let level = Levels.ece(ece)
            add(Fact(id: "calib.ece", label: "expected calibration error (\(cal.bins) \(cal.binning.replacingOccurrences(of: "_", with: "-")) bins)",
                     value: .number(ece), level: level.0, levelRule: level.1, source: "calibration.ece"))
        }
        // Calibration recomputed from the per-case data, per test set: ECE and MCE (a model card gives both).
        for c in evidence.checks where c.subgroup == nil && (c.metric == "ece" || c.metric == "mce") {
            guard let value = c.recomputed else { continue }
            add(Fact(id: "calib.set.\(c.metric).\(c.testSet)", label: "\(c.metric.uppercased()) recomputed on the \(c.testSet) test set (\(c.ciMethod))",
                     value: .number(value), n: c.n, source: "predictions_csv"))
        }
        if let u = record.uncertainty {
            if let level = u.intervalLevel { add(Fact(id: "uq.interval_level", label: "nominal coverage of case intervals", value: .number(level), source: "uncertainty.interval_level")) }
            add(Fact(id: "uq.method", label: "uncertainty method", value: .text(MethodNames.name(u.method) + (u.members.map { " (\($0) members)" } ?? "")), source: "uncertainty.method"))
            if let c = u.conformal {
                add(Fact(id: "uq.conformal.alpha", label: "conformal error rate", value: .number(c.alpha), source: "uncertainty.conformal.alpha"))
                if let cov = c.empiricalCoverage {
                    add(Fact(id: "uq.conformal.coverage", label: "conformal coverage", value: .number(cov), source: "uncertainty.conformal.empirical_coverage"))
                }
            }
        }
        if !record.explainabilityMethods.isEmpty {
            add(Fact(id: "xai.methods", label: "explanation methods", value: .list(record.explainabilityMethods.map(MethodNames.name)), source: "explainability.methods"))
        }
        for (k, g) in record.globalImportance.enumerated() {
            add(Fact(id: "xai.top[\(k)]", label: g.label, value: .number(g.importance), unit: "importance", source: "explainability.global_importance[\(k)]"))
        }
        if let e = record.explainabilityEvaluated { add(Fact(id: "xai.evaluated", label: "explanations evaluated", value: .text(e), source: "explainability.evaluated")) }
        for key in ["code_commit", "created", "pipeline"] {
            if let v = record.provenance[key] { add(Fact(id: "trace.\(key)", label: key.replacingOccurrences(of: "_", with: " "), value: .text(v), source: "provenance.\(key)")) }
        }
        if let sha = record.trainingSHA256 {
            add(Fact(id: "trace.training_sha256", label: "training data hash", value: .text(sha), source: "data.training.sha256"))
        }
        if !record.limitations.isEmpty { add(Fact(id: "limitations", label: "limitations", value: .list(record.limitations), source: "limitations")) }
        if let v = record.humanOversight { add(Fact(id: "oversight", label: "human oversight", value: .text(v), source: "human_oversight")) }
        if let v = record.monitoring { add(Fact(id: "monitoring", label: "monitoring", value: .text(v), source: "monitoring")) }
        if let v = record.privacy { add(Fact(id: "privacy", label: "privacy", value: .text(v), source: "privacy")) }
        // What EU AI Act Art. 13(3) asks beyond the core format (b)(ii) cybersecurity, (c) changes, (e) lifetime,
        // (f) logging): optional top-level texts, read when present so the checklist can count them.
        for key in ["cybersecurity", "changes", "lifetime", "logging"] {
            if let v = record.transparencyTexts[key] { add(Fact(id: key, label: key, value: .text(v), source: key)) }
        }

        return FactTable(record: record.id, caseID: nil, facts: facts)
    }

    static func caseFacts(_ c: ValidationRecord.Case, record: ValidationRecord, evidence: RecordEvidence) -> [Fact] {
        let task = record.model.task
        let p = "cases[\(c.index)]"
        var f: [Fact] = [Fact(id: "case.id", label: "case", value: .text(c.id), source: "\(p).id")]
        // The population the case comes from: figures on that kind of test set are told first.
        if let set = c.testSet, let known = record.testSet(set) {
            let name = (known.kind == set ? "\(known.kind) test set" : "\(known.kind) test set \(set)") + (known.site.map { ", \($0)" } ?? "")
            f.append(Fact(id: "case.test_set", label: "the case's test set", value: .text(name), level: known.kind,
                          levelRule: "the kind of the test set in data.test_sets", source: "\(p).test_set"))
        }
        if let input = c.inputOK { f.append(Fact(id: "qc.input_ok", label: "input passed quality control", value: .flag(input), source: "\(p).qc.input_ok")) }
        if !c.qcFlags.isEmpty {
            f.append(Fact(id: "qc.flags", label: "quality-control findings", value: .list(c.qcFlags), source: "\(p).qc.flags"))
            // Each finding in plain words where the record gives them; a finding without them is said as recorded.
            if let words = record.plainLanguage?.checks, !words.isEmpty {
                f.append(Fact(id: "qc.flags.plain", label: "quality-control findings in plain words", value: .list(c.qcFlags.map { words[$0] ?? $0 }),
                              source: "plain_language.checks"))
            }
        }
        if let s = c.oodScore, let t = c.oodThreshold {
            f.append(Fact(id: "qc.ood", label: "out of distribution", value: .flag(s > t),
                          level: s > t ? "outside the training data" : "within the training data", levelRule: "OOD score above its threshold",
                          source: "\(p).qc.ood_score"))
            f.append(Fact(id: "qc.ood.score", label: "OOD score", value: .number(s), source: "\(p).qc.ood_score"))
            f.append(Fact(id: "qc.ood.threshold", label: "OOD threshold", value: .number(t), source: "\(p).qc.ood_threshold"))
        }
        if let l = c.label { f.append(Fact(id: "case.label", label: "prediction", value: .text(l), source: "\(p).prediction.label")) }
        if let pr = c.probability {
            // The probability is the chance of the condition (the positive label), whatever label was predicted.
            f.append(Fact(id: "case.probability", label: "estimated chance of the condition", value: .number(pr), source: "\(p).prediction.probability"))
            // A natural frequency with one denominator: 10, or 100 when out of 10 would round to 0 or 10 (a
            // patient told "0 in 10" hears "none").
            let tenths = (pr * 10).rounded()
            let denominator = tenths == 0 || tenths == 10 ? 100 : 10
            f.append(Fact(id: "case.frequency", label: "natural frequency", value: .number((pr * Double(denominator)).rounded()), unit: "in \(denominator)",
                          n: denominator, source: "\(p).prediction.probability"))
            for (k, cal) in evidence.calibration(at: pr).filter(\.off).enumerated() {
                f.append(Fact(id: "calib.case[\(k)]", label: "observed rate in the \(cal.testSet) test set among cases given \(Int((cal.lower * 100).rounded()))–\(Int((cal.upper * 100).rounded()))%",
                              value: .number(cal.observed), ci: cal.interval, n: cal.n, level: "off",
                              levelRule: "mean predicted probability of the bin outside the Wilson 95% interval of the observed rate, or ECE ≥ 0.10",
                              source: "predictions_csv (\(cal.testSet) reliability bin \(cal.lower)–\(cal.upper))"))
                f.append(Fact(id: "calib.case[\(k)].test_set", label: "test set", value: .text(cal.testSet), source: "predictions_csv"))
                f.append(Fact(id: "calib.case[\(k)].predicted", label: "mean predicted probability in that bin", value: .number(cal.meanPredicted),
                              source: "predictions_csv (\(cal.testSet) reliability bin)"))
                f.append(Fact(id: "calib.case[\(k)].had", label: "cases in that bin with the condition", value: .number(Double(cal.had)), n: cal.n,
                              source: "predictions_csv (\(cal.testSet) reliability bin)"))
            }
        }
        if let v = c.value { f.append(Fact(id: "case.value", label: "predicted value", value: .number(v), unit: c.unit, ci: c.interval, source: "\(p).prediction.value")) }
        if let d = c.diceEstimate { f.append(Fact(id: "case.dice_estimate", label: "estimated contour quality (Dice)", value: .number(d), source: "\(p).prediction.dice_estimate")) }
        if let v = c.volumeML { f.append(Fact(id: "case.volume", label: "volume of the contour", value: .number(v), unit: "mL", source: "\(p).prediction.volume_ml")) }
        if let sd = c.predictiveSD { f.append(Fact(id: "uq.predictive_sd", label: "predictive SD", value: .number(sd), source: "\(p).uncertainty.predictive_sd")) }
        if let e = c.epistemic { f.append(Fact(id: "uq.epistemic", label: "epistemic (model) uncertainty", value: .number(e), source: "\(p).uncertainty.epistemic")) }
        if let a = c.aleatoric { f.append(Fact(id: "uq.aleatoric", label: "aleatoric (data) uncertainty", value: .number(a), source: "\(p).uncertainty.aleatoric")) }
        if let i = c.interval, c.value == nil { f.append(Fact(id: "uq.interval", label: "interval", value: .text("\(i.lowerBound)–\(i.upperBound)"), ci: i, source: "\(p).uncertainty.interval")) }
        if !c.conformalSet.isEmpty { f.append(Fact(id: "uq.conformal_set", label: "conformal set", value: .list(c.conformalSet), source: "\(p).uncertainty.conformal_set")) }
        // Probability-scale cut-points for classification and Dice; relative to the value for regression.
        var confidence = task == .regression
            ? c.predictiveSD.flatMap { sd in c.value.map { Levels.relativeConfidence(sd: sd, value: $0) } }
            : Levels.confidence(conformalSetSize: c.conformalSet.isEmpty ? nil : c.conformalSet.count, predictiveSD: c.predictiveSD)
        // A failed input check governs: whatever the uncertainty estimate says, confidence in this output is low.
        if c.failsQC || c.isOutOfDistribution { confidence = ("low", "input check failed or scan outside the training data → low, whatever the estimate") }
        if let level = confidence {
            f.append(Fact(id: "uq.confidence", label: "confidence", value: .text(level.0), level: level.0, levelRule: level.1, source: "\(p).uncertainty"))
        }
        // A driver's direction is relative to the condition, from the sign of its value (positive: towards). A
        // recorded direction that contradicts the sign is a problem of the record, not a sentence.
        var problems = 0
        for (k, a) in c.attributions.enumerated() {
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
                          label: (uncertaintyMap ? "region where the model is least sure" : "salient region") + (c.saliencyMethod.map { " (\($0))" } ?? ""),
                          value: .text(r), source: "\(p).saliency.region"))
        }
        for (k, s) in c.similarCases.enumerated() {
            f.append(Fact(id: "similar[\(k)]", label: "similar case \(s.id) (\(s.label))", value: .number(s.similarity), unit: "similarity", source: "\(p).similar_cases[\(k)]"))
        }
        return f
    }

    /// HD95 is conventionally in millimetres; other units are not in the record, so none is claimed.
    /// A metric's unit: HD95 in millimetres by convention; the errors of a regression in the unit of its
    /// predictions (MSE in its square). Other metrics are proportions or scores without a unit.
    static func unit(for metric: String, _ record: ValidationRecord) -> String? {
        if metric == "hd95" { return "mm" }
        guard record.model.task == .regression, let u = record.cases.lazy.compactMap(\.unit).first else { return nil }
        switch metric {
        case "mae", "rmse": return u
        case "mse": return u + "²"
        default: return nil
        }
    }
}
