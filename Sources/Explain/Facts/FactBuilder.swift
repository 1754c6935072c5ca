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
        // The condition a probability is the chance of: the target, else the positive label (never a case's label);
        // in plain words for patients from the record, else from the glossary. Without either, no plain fact: the
        // patient text is withheld (`CaseExplainer.requirePlainWords`).
        if m.task == .classification {
            let labels = record.classLabels
            let name = m.target.isEmpty ? labels.positive : m.target
            add(Fact(id: "condition", label: "condition", value: .text(name), source: m.target.isEmpty ? "model.positive_label" : "model.target"))
            add(Fact(id: "condition.short", label: "condition, without its bracket", value: .text(Prose.withoutBracket(name)),
                     source: m.target.isEmpty ? "model.positive_label" : "model.target"))
            add(Fact(id: "condition.label", label: "positive label", value: .text(labels.positive), source: m.positiveLabel == nil ? "cases[].prediction.label" : "model.positive_label"))
            if let plain = record.plainLanguage?.condition {
                add(Fact(id: "condition.plain", label: "condition in plain words", value: .text(plain), source: "plain_language.condition"))
            } else if let plain = Glossary.condition(name) ?? Glossary.condition(labels.positive) {
                add(Fact(id: "condition.plain", label: "condition in plain words", value: .text(plain), source: "glossary (docs/records.md)"))
            }
        }
        // What a measurement is of: the target without its unit ("PSA density (ng/mL/cc)" → "PSA density"), in plain
        // words when the record gives them, so no reader is told a bare number.
        if m.task == .regression, !m.target.isEmpty {
            add(Fact(id: "measure", label: "what is measured", value: .text(Prose.withoutBracket(m.target)), source: "model.target"))
            if let plain = record.plainLanguage?.condition { add(Fact(id: "measure.plain", label: "what is measured, in plain words", value: .text(plain), source: "plain_language.condition")) }
        }
        if let people = record.plainLanguage?.people { add(Fact(id: "people.plain", label: "who the people are", value: .text(people), source: "plain_language.people")) }
        // Texts a template prints as sentences are finished here (capital, full stop), once, for every audience.
        if !m.intendedUse.isEmpty { add(Fact(id: "model.intended_use", label: "intended use", value: .text(Prose.sentence(m.intendedUse)), source: "model.intended_use")) }
        if !m.intendedUsers.isEmpty { add(Fact(id: "model.intended_users", label: "intended users", value: .list(m.intendedUsers), source: "model.intended_users")) }
        if !m.outOfScope.isEmpty { add(Fact(id: "model.out_of_scope", label: "out of scope", value: .list(m.outOfScope), source: "model.out_of_scope")) }
        if let r = m.riskClass { add(Fact(id: "model.risk_class", label: "risk class", value: .text(r), source: "model.risk_class")) }
        if let provider = record.provider { add(Fact(id: "model.provider", label: "provider", value: .text(provider), source: "model.provider")) }
        if let contact = record.contact { add(Fact(id: "model.contact", label: "provider contact", value: .text(contact), source: "model.contact")) }
        if let n = record.trainingN { add(Fact(id: "data.training.n", label: "training cases", value: .number(Double(n)), unit: "cases", source: "data.training.n")) }
        if let s = record.trainingSites { add(Fact(id: "data.training.sites", label: "training sites", value: .number(Double(s)), unit: "sites", source: "data.training.sites")) }
        if let v = record.trainingPeriod { add(Fact(id: "data.training.period", label: "training period", value: .text(v), source: "data.training.period")) }
        if let v = record.trainingName { add(Fact(id: "data.training.name", label: "training data", value: .text(v), source: "data.training.name")) }
        // A test set is told by its name (kind and site), never by its id alone.
        for (k, t) in record.testSets.enumerated() {
            add(Fact(id: "test_set.\(t.id)", label: testSetName(record, t.id), value: .text(t.kind), n: t.n, source: "data.test_sets[\(k)]"))
        }
        // What the record says twice in ways that cannot both be true: told before anything else to the developer
        // and the regulator.
        // A finding about one case (its label against its probability) is told with that case only.
        for (k, finding) in evidence.findings.filter({ !caseFindings.contains($0.name) }).enumerated() {
            add(Fact(id: "finding[\(k)]", label: finding.name, value: .text(finding.message), source: finding.path))
        }
        // Performance, one fact per reported figure; subgroup gaps per metric and test set.
        for p in record.performance {
            let sub = p.subgroup.map { ".\($0.attribute)=\($0.value)" } ?? ""
            let level = p.metric == "auc" ? Levels.auc(p.value) : nil
            let check = evidence.check(metric: p.metric, testSet: p.testSet, subgroup: p.subgroup)
            // n of a subgroup is not in the record: the rows the per-case data select for it, when they can.
            let n = p.subgroup == nil ? record.testSet(p.testSet)?.n : check.flatMap { $0.n > 0 ? $0.n : nil }
            add(Fact(id: "perf.\(p.metric).\(p.testSet)\(sub)", label: "\(p.metric) (\(p.testSet)\(p.subgroup.map { ", \($0.attribute) \($0.value)" } ?? ""))",
                     value: .number(p.value), unit: unit(for: p.metric, record), ci: p.ci, n: n,
                     level: level?.0, levelRule: level?.1, source: p.jsonPath,
                     check: check.map { FigureCheck(verdict: $0.verdict, recomputed: $0.recomputed, ci: $0.ci, n: $0.n, reason: $0.flag) }))
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
            // The test set the reported ECE was measured on (calibration.test_set, else the first).
            if let set = cal.testSet ?? record.testSets.first?.id {
                add(Fact(id: "calib.ece.test_set", label: "test set of the reported ECE", value: .text(testSetName(record, set)), source: "calibration.test_set"))
            }
        }
        // Calibration recomputed from the per-case data, per test set: ECE and MCE (a model card gives both).
        for c in evidence.checks where c.subgroup == nil && (c.metric == "ece" || c.metric == "mce") {
            guard let value = c.recomputed else { continue }
            add(Fact(id: "calib.set.\(c.metric).\(c.testSet)", label: "\(c.metric.uppercased()) recomputed on the \(testSetName(record, c.testSet)), \(c.ciMethod)",
                     value: .number(value), n: c.n, source: "predictions_csv"))
        }
        if let u = record.uncertainty {
            // The level the case intervals were built for: stated in the uncertainty section, or as the nominal
            // coverage of the reported interval coverage.
            if let level = u.intervalLevel {
                add(Fact(id: "uq.interval_level", label: "nominal coverage of case intervals", value: .number(level), source: "uncertainty.interval_level"))
            } else if let p = record.performance.first(where: { $0.metric == "interval_coverage" && $0.nominal != nil }), let level = p.nominal {
                add(Fact(id: "uq.interval_level", label: "nominal coverage of case intervals", value: .number(level), source: p.jsonPath + ".nominal"))
            }
            add(Fact(id: "uq.method", label: "uncertainty method", value: .text(MethodNames.name(u.method) + (u.members.map { ", \($0) members" } ?? "")), source: "uncertainty.method"))
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
        // Cases with attributions in a record that names no method: the explanations exist, their method is unknown.
        if record.explainabilityMethods.isEmpty, let k = record.cases.firstIndex(where: { !$0.attributions.isEmpty }) {
            add(Fact(id: "xai.case_attributions", label: "per-case attributions without a named method", value: .flag(true), source: "cases[\(k)].attributions"))
        }
        for key in ["code_commit", "created", "pipeline"] {
            if let v = record.provenance[key] { add(Fact(id: "trace.\(key)", label: key.replacingOccurrences(of: "_", with: " "), value: .text(v), source: "provenance.\(key)")) }
        }
        if let sha = record.trainingSHA256 {
            add(Fact(id: "trace.training_sha256", label: "training data hash", value: .text(sha), source: "data.training.sha256"))
        }
        if !record.limitations.isEmpty { add(Fact(id: "limitations", label: "limitations", value: .list(record.limitations.map(Prose.sentence)), source: "limitations")) }
        if let v = record.humanOversight { add(Fact(id: "oversight", label: "human oversight", value: .text(Prose.sentence(v)), source: "human_oversight")) }
        if let v = record.monitoring { add(Fact(id: "monitoring", label: "monitoring", value: .text(Prose.sentence(v)), source: "monitoring")) }
        if let v = record.privacy { add(Fact(id: "privacy", label: "privacy", value: .text(Prose.sentence(v)), source: "privacy")) }
        // What EU AI Act Art. 13(3) asks beyond the core format (b)(ii) cybersecurity, (c) changes, (e) lifetime,
        // (f) logging): optional top-level texts, read when present so the checklist can count them.
        for key in ["cybersecurity", "changes", "lifetime", "logging"] {
            if let v = record.transparencyTexts[key] { add(Fact(id: key, label: key, value: .text(Prose.sentence(v)), source: key)) }
        }

        return FactTable(record: record.id, caseID: nil, facts: facts)
    }

    /// Findings about one case rather than the record.
    static let caseFindings: Set<String> = ["label_contradicts_probability"]

    /// A test set as the texts name it: its kind and site ("external test set at centre D"), its id only when it
    /// has no site and is not the only set of its kind.
    static func testSetName(_ record: ValidationRecord, _ id: String) -> String {
        guard let t = record.testSet(id) else { return id.isEmpty ? "test set" : "\(id) test set" }
        if let site = t.site { return "\(t.kind) test set at \(site)" }
        let sameKind = record.testSets.filter { $0.kind == t.kind }.count
        return sameKind > 1 && t.id != t.kind ? "\(t.kind) test set \(t.id)" : "\(t.kind) test set"
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
