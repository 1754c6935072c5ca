import Foundation

/// The values a template sees, built from facts only. Every string made from a fact is remembered in `rendered`, so
/// the traceability check can tell a fact's number from an invented one, and `used` lists the facts behind the text.
///
/// A view model comes in two halves. The record's half (`record`) reads the record's facts only, so it is built
/// once per record and audience however many cases are explained; the case's half (`forCase`) holds every value
/// that can change from one case to the next. Their keys are disjoint (`caseKeys`), which is what lets a part of a
/// template that reads no case key be rendered once for all the cases of a record (`CaseExplainer`).
struct ViewModel {
    let style: NumberStyle
    private(set) var values: [String: TemplateValue] = [:]
    private(set) var rendered: [String] = []
    private(set) var used: Set<String> = []
    private(set) var qcProblem: String?
    /// Which half this is: a key of the other half is a programming error, caught by `put`.
    private let isCase: Bool
    private let decimals: Decimals

    private init(style: NumberStyle, isCase: Bool, decimals: Decimals) {
        self.style = style
        self.isCase = isCase
        self.decimals = decimals
        values.reserveCapacity(isCase ? Self.caseKeys.count : 40)
    }

    /// The keys the case's half may set; every other key belongs to the record's half.
    static let caseKeys: Set<String> = [
        "qc_problem", "has_case", "case_id", "label", "probability", "frequency", "value", "outline", "has_uq", "confidence",
        "confidence_rule", "patient_certainty", "sd", "epistemic", "aleatoric", "interval", "conformal_set", "two_labels",
        "ood_score", "ood_threshold", "attributions", "region", "has_xai", "similar_cases", "has_similar",
    ]

    private mutating func put(_ key: String, _ value: TemplateValue) {
        assert(Self.caseKeys.contains(key) == isCase, "view-model key \(key) is set by the wrong half")
        values[key] = value
    }

    private mutating func put(_ key: String, _ value: String) { put(key, .string(value)) }
    private mutating func put(_ key: String, _ value: Bool) { put(key, .bool(value)) }

    /// A fact's value in the audience's number style.
    mutating func number(_ f: Fact, proportion: Bool = false) -> String {
        used.insert(f.id)
        guard let v = f.number else { return text(f) }
        let s: String
        switch style {
        case .percent where proportion: s = "\(Int((v * 100).rounded()))%"
        case .naturalFrequency: s = String(Int(v.rounded()))
        default: s = decimals.format(v)
        }
        rendered.append(s)
        return s
    }

    mutating func ci(_ f: Fact, proportion: Bool = false) -> String? {
        guard let c = f.ci else { return nil }
        let s = style == .percent && proportion
            ? "\(Int((c.lowerBound * 100).rounded()))–\(Int((c.upperBound * 100).rounded()))%"
            : "\(decimals.format(c.lowerBound))–\(decimals.format(c.upperBound))"
        rendered.append(s)
        return s
    }

    mutating func text(_ f: Fact) -> String {
        used.insert(f.id)
        let s: String
        switch f.value {
        case .text(let t): s = t
        case .list(let l): s = l.joined(separator: "; ")
        case .flag(let b): s = b ? "yes" : "no"
        case .number(let v): s = decimals.format(v)
        }
        rendered.append(s)
        return s
    }

    /// Numbers formatted with up to three significant digits, no trailing zeros (0.85, 0.078, 320, 5.28), and
    /// remembered: cases repeat the same few hundred values, and Foundation's formatting was the costliest step of
    /// building a view model. One table per thread (not locked: two threads formatting through one shared, locked
    /// table spent more time waiting for each other than formatting).
    final class Decimals {
        private var known: [Double: String] = [:]

        func format(_ v: Double) -> String {
            if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
            if let s = known[v] { return s }
            var s = String(format: "%.3g", v)
            if s.contains("e") { s = String(format: "%.4f", v) }
            if known.count < 100_000 { known[v] = s }
            return s
        }
    }

    static let proportions: Set<String> = ["auc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "dice", "interval_coverage"]

    /// The record's half, from the record's facts (`FactTable.recordLevel`): model, data, performance, calibration,
    /// fairness, methods, traceability and the sections in their order.
    static func record(_ t: FactTable, style: NumberStyle, sections: [String], reason: String?, metrics: [String]? = nil,
                       decimals: Decimals = Decimals()) -> ViewModel {
        precondition(t.caseID == nil, "the record's half of a view model is built from record-level facts")
        var m = ViewModel(style: style, isCase: false, decimals: decimals)
        // Section flags are prefixed so they cannot shadow a value of the same name (intended_use, privacy, ...).
        m.put("sections", .list(sections.map { .map(["s_" + $0: .bool(true)]) }))
        if let r = reason { m.put("reason", r); m.rendered.append(r) }
        func put(_ key: String, _ id: String) { if let f = t[id] { m.put(key, m.text(f)) } }
        put("model_name", "model.name"); put("model_version", "model.version"); put("intended_use", "model.intended_use")
        put("intended_users", "model.intended_users"); put("out_of_scope", "model.out_of_scope"); put("risk_class", "model.risk_class")
        put("commit", "trace.code_commit"); put("created", "trace.created"); put("pipeline", "trace.pipeline"); put("training_sha", "trace.training_sha256")
        if let f = t["data.training.n"] { m.put("training_n", m.number(f)) }
        if let f = t["data.training.sites"] { m.put("training_sites", m.number(f)) }
        put("privacy_text", "privacy"); put("oversight_text", "oversight"); put("monitoring_text", "monitoring")
        put("xai_methods", "xai.methods"); put("xai_evaluated", "xai.evaluated"); put("uq_method", "uq.method")
        var limitations: [String] = []
        if let l = t["limitations"]?.list { m.used.insert("limitations"); m.rendered += l; limitations = l }
        m.put("items", .list(limitations.map(TemplateValue.string)))
        if let f = t["uq.conformal.coverage"], let a = t["uq.conformal.alpha"] {
            m.put("conformal_coverage", m.number(f))
            m.put("conformal_alpha", m.number(a))
        }
        let global = t.with(prefix: "xai.top[").prefix(4).map { f -> TemplateValue in
            m.rendered.append(f.label)
            return .map(["label": .string(f.label), "value": .string(m.number(f))])
        }
        if !global.isEmpty { m.put("global", .map(["items": .list(global)])) }
        // Performance, calibration, fairness.
        var perf: [TemplateValue] = []
        for f in t.with(prefix: "perf.") {
            let parts = f.id.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count >= 3 else { continue }
            let metric = parts[1]
            if let keep = metrics, !keep.contains(metric) { continue }
            let proportion = Self.proportions.contains(metric)
            var row: [String: TemplateValue] = ["name": .string(metric == "auc" ? "AUC" : metric.replacing("_", with: " ")), "test_set": .string(parts[2]),
                                                "value": .string(m.number(f, proportion: proportion))]
            if parts.count == 4 {
                let sub = parts[3].split(separator: "=", maxSplits: 1).map(String.init)
                row["subgroup"] = .string(sub.joined(separator: " "))
                m.rendered.append(parts[3])
            }
            if let ci = m.ci(f, proportion: proportion) { row["ci"] = .string(ci) }
            if let n = f.n { row["n"] = .string(String(n)); m.rendered.append(String(n)) }
            perf.append(.map(row))
        }
        m.put("perf", .list(perf))
        m.put("external", t.facts.contains { $0.id.hasPrefix("test_set.") && $0.text == "external" })
        if let f = t["calib.ece"] {
            m.put("ece", m.number(f))
            m.put("ece_level", f.level ?? "")
            let bins = f.label.replacing("expected calibration error (", with: "").replacing(")", with: "")
            m.put("bins", bins)
            m.rendered.append(bins)
        }
        m.put("gaps", .list(t.with(prefix: "fair.").map { f -> TemplateValue in
            let parts = f.id.split(separator: ".").map(String.init)
            m.rendered += parts
            return .map(["attribute": .string(parts.count > 1 ? parts[1] : ""), "metric": .string(parts.count > 2 ? parts[2] : ""),
                         "gap": .string(m.number(f)), "level": .string(f.level ?? "")])
        }))
        m.put("ai_act", checklist(aiAct(t)))
        m.put("future_ai", checklist(futureAI(t)))
        return m
    }

    /// The case's half, from a table with the case's facts (record-level values it needs, such as whether the record
    /// names an uncertainty method, are read from the same table). A record-level table gives the values a rendering
    /// without a case needs (no case, whether uncertainty and explanations are reported at all).
    static func forCase(_ t: FactTable, style: NumberStyle, decimals: Decimals = Decimals()) -> ViewModel {
        var m = ViewModel(style: style, isCase: true, decimals: decimals)
        // Quality control: told first to everyone.
        var problems: [String] = []
        if t["qc.input_ok"]?.flag == false {
            m.used.insert("qc.input_ok")
            problems.append(t["qc.flags"].map { m.text($0) } ?? "the input failed quality control")
        }
        if t["qc.ood"]?.flag == true {
            m.used.insert("qc.ood")
            problems.append(style == .naturalFrequency ? "the scan is unlike the scans the program learned from" : "the scan is outside the data the model was trained on")
        }
        if !problems.isEmpty {
            let problem = problems.joined(separator: "; ")
            m.qcProblem = problem
            m.put("qc_problem", problem)
        }
        // The case.
        if let f = t["case.id"] {
            m.put("has_case", true)
            m.put("case_id", m.text(f))
            if let l = t["case.label"] { m.put("label", m.text(l)) }
            if let p = t["case.probability"], style != .naturalFrequency { m.put("probability", m.number(p, proportion: true)) }
            if let fr = t["case.frequency"], style == .naturalFrequency { m.put("frequency", m.number(fr)) }
            if let v = t["case.value"] {
                m.put("value", m.number(v) + (v.unit.map { " \($0)" } ?? ""))
                if let u = v.unit { m.rendered.append(u) }
            }
            if let d = t["case.dice_estimate"] {
                // A Dice estimate means nothing to a patient; they are told what the program did instead.
                if style == .naturalFrequency { m.used.insert(d.id); m.put("outline", true) } else { m.put("value", "estimated Dice " + m.number(d)) }
            }
        }
        // Uncertainty is reported when the case has an estimate, or (record level) the record names its method.
        let hasUQ = t["uq.confidence"] != nil || t["uq.predictive_sd"] != nil || (t["case.id"] == nil && t["uq.method"] != nil)
        m.put("has_uq", hasUQ)
        if let f = t["uq.confidence"] {
            m.put("confidence", m.text(f))
            m.put("confidence_rule", f.levelRule ?? "")
            m.rendered.append(f.levelRule ?? "")
            m.put("patient_certainty", ["high": "it is quite sure", "moderate": "it is fairly sure", "low": "it is not sure"][f.level ?? ""] ?? "it is not sure")
        }
        if let f = t["uq.predictive_sd"] { m.put("sd", m.number(f)) }
        if let f = t["uq.epistemic"] { m.put("epistemic", m.number(f)) }
        if let f = t["uq.aleatoric"] { m.put("aleatoric", m.number(f)) }
        if let f = t["uq.interval"], let ci = m.ci(f) { m.used.insert(f.id); m.put("interval", ci) }
        if let f = t["uq.conformal_set"] { m.put("conformal_set", m.text(f)); m.put("two_labels", (f.list?.count ?? 0) > 1) }
        if let f = t["qc.ood.score"], let th = t["qc.ood.threshold"] { m.put("ood_score", m.number(f)); m.put("ood_threshold", m.number(th)) }
        // Explanations.
        let attributions = t.with(prefix: "xai.attr[").prefix(3).map { f -> (label: String, value: String, direction: String) in
            (f.label, m.number(f), f.level ?? "")
        }
        m.rendered += attributions.map(\.label)
        m.put("attributions", .list(attributions.map { .map(["label": .string($0.label), "value": .string($0.value), "direction": .string($0.direction)]) }))
        if let f = t["xai.saliency.region"] { m.put("region", m.text(f)) }
        m.put("has_xai", !attributions.isEmpty || t["xai.methods"] != nil || t["xai.saliency.region"] != nil)
        let similar = t.with(prefix: "similar[").map { f -> TemplateValue in
            m.used.insert(f.id)
            m.rendered.append(f.label)
            // The label is "similar case ID (LABEL)" (FactBuilder): the id, and the label without its parentheses.
            let body = f.label.utf8.starts(with: "similar case ".utf8) ? f.label.utf8.dropFirst(13) : f.label.utf8[...]
            let space = body.firstIndex(of: 0x20)
            let id = space.map { body[..<$0] } ?? body
            var label = space.map { body[body.index(after: $0)...] } ?? body[body.endIndex...]
            while let c = label.first, c == 0x28 || c == 0x29 { label.removeFirst() }
            while let c = label.last, c == 0x28 || c == 0x29 { label.removeLast() }
            return .map(["id": .string(String(Substring(id))), "label": .string(String(Substring(label)))])
        }
        m.put("similar_cases", .list(similar))
        m.put("has_similar", !similar.isEmpty)
        return m
    }

    private static func checklist(_ items: [(item: String, status: String)]) -> TemplateValue {
        .list(items.map { .map(["item": .string($0.item), "status": .string($0.status)]) })
    }

    /// EU AI Act Art. 13(3) items (a)–(f), covered or missing, from the facts present.
    static func aiAct(_ t: FactTable) -> [(item: String, status: String)] {
        func status(_ ok: Bool) -> String { ok ? "covered" : "MISSING" }
        return [
            ("(a) provider identity and contact", status(t["model.provider"] != nil)),
            ("(b)(i) intended purpose", status(t["model.intended_use"] != nil)),
            ("(b)(ii) accuracy and robustness metrics", status(!t.with(prefix: "perf.").isEmpty)),
            ("(b)(iv) explanation of outputs", status(t["xai.methods"] != nil)),
            ("(b)(v) performance for specific groups", status(!t.with(prefix: "fair.").isEmpty)),
            ("(b)(vi) input data specifications", status(t["data.training.n"] != nil)),
            ("(d) human oversight measures", status(t["oversight"] != nil)),
            ("(e) lifetime, maintenance and monitoring", status(t["monitoring"] != nil)),
        ]
    }

    /// FUTURE-AI principles (Fairness, Universality, Traceability, Usability, Robustness, Explainability).
    static func futureAI(_ t: FactTable) -> [(item: String, status: String)] {
        func status(_ ok: Bool) -> String { ok ? "evidenced" : "not evidenced" }
        return [
            ("Fairness", status(!t.with(prefix: "fair.").isEmpty)),
            ("Universality", status(t.facts.contains { $0.id.hasPrefix("test_set.") && $0.text == "external" })),
            ("Traceability", status(t["trace.code_commit"] != nil || t["trace.training_sha256"] != nil)),
            ("Usability", status(t["model.intended_users"] != nil)),
            ("Robustness", status(t["uq.method"] != nil)),
            ("Explainability", status(t["xai.evaluated"] != nil)),
        ]
    }
}
