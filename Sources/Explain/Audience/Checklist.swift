import Foundation

/// The regulator's checklists (EU AI Act Art. 13(3)(a)–(f) and the FUTURE-AI principles), earned: an item is
/// covered only when the record has every part of it, the regulator text prints that part, and the per-case data
/// contradict none of the figures it rests on; partial when some of that holds; missing when none. Each item says
/// which record paths evidence it and, for a part that fails, why.
extension ViewModel {
    static func checklist(_ items: [ChecklistItem], _ t: FactTable) -> TemplateValue {
        .list(marked(items.map { item in
            // A figure named as NOT REPRODUCED in the evidence is a claim of the item too.
            let failing = item.evidence.contains("NOT REPRODUCED") ? t.with(prefix: "perf.").filter { $0.check?.verdict == .contradicted }.map(\.id) : []
            let facts = item.present.flatMap { evidenceFacts($0, t) } + failing.filter { !item.present.flatMap { evidenceFacts($0, t) }.contains($0) }
            return .map(["item": .string(item.item), "status": .string(item.status.rawValue), "evidence": .string(item.evidence),
                         "_facts": .list(facts.map(TemplateValue.string))])
        }))
    }

    /// Where a checklist item's content is, as a fact (MeaningChecks checks that a covered item's content is printed).
    private static let checklistContent: [String: String] = [
        "model.provider": "model.provider", "model.contact": "model.contact", "model.intended_use": "model.intended_use",
        "model.out_of_scope": "model.out_of_scope", "model.intended_users": "model.intended_users", "cybersecurity": "cybersecurity",
        "limitations": "limitations", "explainability.methods": "xai.methods", "explainability.evaluated": "xai.evaluated",
        "uncertainty.method": "uq.method", "changes": "changes", "human_oversight": "oversight", "monitoring": "monitoring",
        "lifetime": "lifetime", "logging": "logging", "provenance.code_commit": "trace.code_commit",
        "data.training.n": "data.training.n", "data.training.sites": "data.training.sites", "data.training.period": "data.training.period",
    ]

    /// The facts whose words (or numbers) a covered item must print (the others are figures, told in the evidence lines).
    static let checklistContentFacts = Set(checklistContent.values)

    /// The facts behind one piece of checklist evidence (a record path as `aiAct` and `futureAI` name it).
    static func evidenceFacts(_ path: String, _ t: FactTable) -> [String] {
        let prefixes: [String: String] = ["performance": "perf.", "performance[].subgroup": "perf.", "data.test_sets": "test_set.",
                                          "data.test_sets (external)": "test_set.", "calibration per test set": "calib.set."]
        if let prefix = prefixes[path] {
            return t.with(prefix: prefix).filter { path != "performance[].subgroup" || $0.id.split(separator: ".", maxSplits: 3).count == 4 }.map(\.id)
        }
        let ids: [String: String] = ["data.training.sha256 (full SHA-256)": "trace.training_sha256", "calibration": "calib.ece"]
        let id = ids[path] ?? checklistContent[path] ?? path
        return t[id] == nil ? [] : [id]
    }

    /// One item of a regulatory checklist: covered, partial or missing, with the record paths that evidence it.
    struct ChecklistItem {
        enum Status: String { case covered, partial, missing }
        let item: String
        let status: Status
        let evidence: String
        /// The paths of the parts the record has.
        let present: [String]
    }

    /// Whether the record reports any figure for a subgroup (a performance fact's id ends in ".attribute=value").
    static func hasSubgroups(_ t: FactTable) -> Bool {
        t.with(prefix: "perf.").contains { $0.id.split(separator: ".", maxSplits: 3).count == 4 }
    }

    /// The subgroup attributes with fewer than two subgroups on a test set and metric: nothing to compare them with.
    static func loneSubgroups(_ t: FactTable) -> [String] {
        var counts: [String: Set<String>] = [:], order: [String] = []
        for f in t.with(prefix: "perf.") {
            let parts = f.id.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count == 4, let attr = parts[3].split(separator: "=", maxSplits: 1).first.map(String.init) else { continue }
            if counts[attr] == nil { order.append(attr) }
            counts[attr, default: []].insert(parts[3])
        }
        return order.filter { (counts[$0]?.count ?? 0) < 2 }
    }

    /// The figures the per-case data contradict, as "metric (test set) NOT REPRODUCED at path", optionally only on
    /// external test sets.
    static func contradicted(_ t: FactTable, externalOnly: Bool = false) -> [String] {
        t.with(prefix: "perf.").compactMap { f in
            guard f.check?.verdict == .contradicted else { return nil }
            let parts = f.id.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count >= 3 else { return nil }
            if externalOnly && t["test_set." + parts[2]]?.text != "external" { return nil }
            return "\(metricName(parts[1])) on the \(t["test_set." + parts[2]]?.label ?? parts[2]) NOT REPRODUCED at \(f.source)"
        }
    }

    /// Status from which of the item's parts the record has and prints, and from what fails in it: all parts and no
    /// failure → covered; some → partial; none → missing.
    private static func item(_ name: String, _ parts: [(present: Bool, path: String)], failures: [String] = []) -> ChecklistItem {
        let present = parts.filter(\.present)
        let status: ChecklistItem.Status = present.isEmpty ? .missing : present.count == parts.count && failures.isEmpty ? .covered : .partial
        var evidence = present.isEmpty ? "the record has no " + parts.map(\.path).joined(separator: " or ")
            : present.map(\.path).joined(separator: ", ") + (present.count < parts.count ? "; missing " + parts.filter { !$0.present }.map(\.path).joined(separator: ", ") : "")
        if !failures.isEmpty && !present.isEmpty { evidence += "; but " + failures.joined(separator: ", ") }
        return ChecklistItem(item: name, status: status, evidence: evidence, present: present.map(\.path))
    }

    static func hasExternal(_ t: FactTable) -> Bool { t.with(prefix: "test_set.").contains { $0.text == "external" } }

    /// EU AI Act Art. 13(3)(a)–(f): every item, with what of it the record holds and the regulator text prints.
    static func aiAct(_ t: FactTable) -> [ChecklistItem] {
        let hasPerf = !t.with(prefix: "perf.").isEmpty
        let lone = loneSubgroups(t).map { "only one subgroup of \(readable($0)) to compare" }
        let calibrated = t["calib.ece"] != nil || !t.with(prefix: "calib.set.").isEmpty
        return [
            item("(a) Identity and contact details of the provider", [(t["model.provider"] != nil, "model.provider"), (t["model.contact"] != nil, "model.contact")]),
            item("(b)(i) Intended purpose", [(t["model.intended_use"] != nil, "model.intended_use")]),
            item("(b)(ii) Accuracy, robustness and cybersecurity", [(hasPerf, "performance"), (hasExternal(t), "data.test_sets (external)"),
                                                                    (t["cybersecurity"] != nil, "cybersecurity")], failures: contradicted(t)),
            item("(b)(iii) Circumstances that may lead to risks", [(t["limitations"] != nil, "limitations"), (t["model.out_of_scope"] != nil, "model.out_of_scope")]),
            item("(b)(iv) Capabilities to explain the output", [(t["xai.methods"] != nil, "explainability.methods"), (t["xai.evaluated"] != nil, "explainability.evaluated")],
                 failures: t["xai.case_attributions"] != nil ? ["per-case attributions without a named method"] : []),
            item("(b)(v) Performance for specific persons or groups", [(hasSubgroups(t), "performance[].subgroup")], failures: lone),
            item("(b)(vi) Input data and training, validation and testing data", [(t["data.training.n"] != nil, "data.training.n"),
                                                                                  (t["data.training.sites"] != nil, "data.training.sites"),
                                                                                  (t["data.training.period"] != nil, "data.training.period"),
                                                                                  (!t.with(prefix: "test_set.").isEmpty, "data.test_sets")]),
            item("(b)(vii) Information to interpret the output", [(t["uq.method"] != nil, "uncertainty.method"), (calibrated, "calibration per test set")]),
            item("(c) Pre-determined changes to the system and its performance", [(t["changes"] != nil, "changes")]),
            item("(d) Human oversight measures", [(t["oversight"] != nil, "human_oversight")]),
            item("(e) Resources, expected lifetime, maintenance and care", [(t["monitoring"] != nil, "monitoring"), (t["lifetime"] != nil, "lifetime")]),
            item("(f) Mechanisms to collect, store and interpret logs", [(t["logging"] != nil, "logging")]),
        ]
    }

    /// FUTURE-AI principles (Fairness, Universality, Traceability, Usability, Robustness, Explainability). A
    /// training-data digest shorter than a full SHA-256 (64 hexadecimal digits) identifies nothing: partial. An
    /// external figure the per-case data contradict makes universality and robustness partial.
    static func futureAI(_ t: FactTable) -> [ChecklistItem] {
        let sha = t["trace.training_sha256"]?.text ?? ""
        let fullSHA = sha.utf8.count == 64 && sha.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) || ($0 >= 0x41 && $0 <= 0x46) }
        let external = contradicted(t, externalOnly: true)
        return [
            item("Fairness", [(hasSubgroups(t), "performance[].subgroup")], failures: loneSubgroups(t).map { "only one subgroup of \(readable($0)) to compare" }),
            item("Universality", [(hasExternal(t), "data.test_sets (external)")], failures: external),
            item("Traceability", [(t["trace.code_commit"] != nil, "provenance.code_commit"), (fullSHA, "data.training.sha256 (full SHA-256)")]),
            item("Usability", [(t["model.intended_users"] != nil, "model.intended_users")]),
            item("Robustness", [(t["uq.method"] != nil, "uncertainty.method"), (hasExternal(t), "data.test_sets (external)")], failures: external),
            item("Explainability", [(t["xai.methods"] != nil, "explainability.methods"), (t["xai.evaluated"] != nil, "explainability.evaluated")],
                 failures: t["xai.case_attributions"] != nil ? ["per-case attributions without a named method"] : []),
        ]
    }
}
