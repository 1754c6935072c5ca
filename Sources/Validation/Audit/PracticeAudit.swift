import Foundation
import Statistics
import Survey

/// A record's validation practice set beside what the surveyed groups do (its `practice` answers against the shares
/// of TG and CG giving each answer), and the evidence it leaves unreported or below common practice, worded as
/// actions.
public struct PracticeAudit: Sendable {
    public struct Item: Sendable {
        public let question: String
        public let topic: String
        public let answers: [String]
        public let labels: [String]
        /// Share (0–1) of each group giving any of the record's answers, and that group's commonest answer.
        public let shares: [(group: String, share: Double, n: Int, commonest: String, commonestShare: Double)]
        public let belowCommonPractice: Bool
    }

    public struct Finding: Sendable {
        public let topic: String
        public let action: String
        /// Questions whose survey shares support the action.
        public let evidence: String
    }

    public let record: String
    public let items: [Item]
    public let findings: [Finding]

    /// `survey` and `grouping` may be nil (no survey loaded): the audit then lists the record's answers without shares.
    public init(record: ValidationRecord, survey: Survey?, grouping: GroupAssignment?) {
        self.record = record.id
        let questionnaire = survey?.questionnaire
        func share(_ q: String, _ codes: [String]) -> [(group: String, share: Double, n: Int, commonest: String, commonestShare: Double)] {
            guard let survey, let grouping, let x = try? Crosstab(survey: survey, question: q, by: grouping) else { return [] }
            return x.rows.enumerated().map { r, level in
                let n = x.n[r]
                let hits = grouping.members(level, in: survey).filter { !Set($0.answer(x.question.id).codes).isDisjoint(with: codes) }.count
                let top = x.columns.indices.max { x.counts[r][$0] < x.counts[r][$1] } ?? 0
                return (level, n > 0 ? Double(hits) / Double(n) : 0, n, x.columns[top], n > 0 ? Double(x.counts[r][top]) / Double(n) : 0)
            }
        }
        var items: [Item] = []
        let order = questionnaire?.questions.map(\.id) ?? []
        for (q, codes) in record.practice.sorted(by: { (order.firstIndex(of: $0.key) ?? 999, $0.key) < (order.firstIndex(of: $1.key) ?? 999, $1.key) }) {
            let question = questionnaire?.question(q)
            let s = share(q, codes)
            // Below common practice: the record gives a weak answer (don't know, out of expertise, only if time
            // allows, never, no, not used) while some group's commonest answer is not weak. Rarity alone is not
            // weakness ("always" external validation is rare and better).
            func weak(_ code: String) -> Bool {
                if let flag = question?.option(code)?.flag, flag != .other { return true }
                return ["never", "no", "not_used", "not_applicable"].contains(code)
            }
            let below = !s.isEmpty && codes.allSatisfy(weak) && s.contains { !weak($0.commonest) }
            items.append(Item(question: q, topic: question?.topic ?? "", answers: codes,
                              labels: codes.map { question?.option($0)?.label ?? $0 }, shares: s, belowCommonPractice: below))
        }
        self.items = items
        // The survey evidence of each topic is the questionnaire's (`analysis.audit`); a questionnaire that links
        // none says so rather than citing questions it does not have.
        let evidence = questionnaire?.analysis.audit ?? [:]
        func says(_ topic: String) -> String {
            guard let e = evidence[topic] else {
                return questionnaire == nil ? "(load a survey for the shares)" : "(the questionnaire links no question to \(topic.replacingOccurrences(of: "_", with: " ")))"
            }
            let s = share(e.question, e.codes)
            return e.says + ": " + (s.isEmpty ? "(load a survey for the shares)" : s.map { "\($0.group) \(Int(($0.share * 100).rounded()))%" }.joined(separator: ", ") + " (\(e.question))")
        }
        /// Whether the record's own practice answer to the topic's question is weak, or missing.
        func weakPractice(_ topic: String) -> Bool {
            guard let e = evidence[topic] else { return false }
            let given = record.practice[e.question] ?? []
            return given.isEmpty || !Set(given).isDisjoint(with: e.weak)
        }
        var findings: [Finding] = []
        if !record.hasExternalValidation {
            findings.append(Finding(topic: "external validation", action: "Validate on an external test set from another centre or scanner and report it separately.",
                                    evidence: says("external_validation")))
        }
        if weakPractice("error_analysis") {
            findings.append(Finding(topic: "error analysis", action: "Analyse errors routinely (which cases fail and why) and act on them, not only when time permits.",
                                    evidence: says("error_analysis")))
        }
        if !record.performance.contains(where: { $0.subgroup != nil }) {
            findings.append(Finding(topic: "fairness evaluation", action: "Report performance by subgroup (age, sex, site, scanner) with CIs and the gaps between them.",
                                    evidence: says("fairness")))
        }
        if weakPractice("robustness") || (evidence["stability"].map { !Set(record.practice[$0.question] ?? []).isDisjoint(with: $0.weak) } ?? false) {
            findings.append(Finding(topic: "robustness and stability", action: "Test robustness to perturbations and adversarial inputs, and stability (e.g. target shuffling, sensitivity analysis).",
                                    evidence: says("robustness") + "; " + says("stability")))
        }
        if record.comparator == nil && record.model.task == .classification {
            findings.append(Finding(topic: "nomogram comparison", action: "Compare the model with a clinical nomogram or the current clinical score on the same test set.",
                                    evidence: says("nomogram")))
        }
        if record.calibration == nil && record.model.task == .classification {
            findings.append(Finding(topic: "calibration", action: "Report calibration: ECE with its binning and a reliability diagram.", evidence: "not asked in the survey"))
        }
        if record.uncertainty == nil {
            findings.append(Finding(topic: "uncertainty", action: "Report a per-case uncertainty estimate and how it was obtained.", evidence: says("uncertainty")))
        }
        if !record.explainabilityMethods.isEmpty && record.explainabilityEvaluated == nil {
            findings.append(Finding(topic: "explainability", action: "Evaluate the explanations themselves (e.g. deletion curves, a reader study), not only show them.",
                                    evidence: says("explainability")))
        }
        if record.performance.contains(where: { $0.ci == nil && ["auc", "sensitivity", "specificity", "dice", "mae"].contains($0.metric) }) {
            findings.append(Finding(topic: "confidence intervals", action: "Give a 95% CI with every headline metric.", evidence: says("confidence_intervals")))
        }
        if record.monitoring == nil {
            findings.append(Finding(topic: "monitoring", action: "State how performance is monitored after deployment (drift, per-site review).", evidence: "open answers: performance over time, concept drift"))
        }
        if record.humanOversight == nil {
            findings.append(Finding(topic: "human oversight", action: "State who reviews the output and when they can override it.", evidence: "EU AI Act Art. 14"))
        }
        self.findings = findings
    }
}
