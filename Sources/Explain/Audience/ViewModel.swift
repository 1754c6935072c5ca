import Foundation

/// The values a template sees, built from facts only. Every string made from a fact is remembered in `rendered`, so
/// the traceability check can tell a fact's number from an invented one, and `used` lists the facts behind the text.
struct ViewModel {
    let style: NumberStyle
    var rendered: [String] = []
    var used: Set<String> = []
    var qcProblem: String?

    init(style: NumberStyle) { self.style = style }

    /// A fact's value in the audience's number style.
    mutating func number(_ f: Fact, proportion: Bool = false) -> String {
        used.insert(f.id)
        guard let v = f.number else { return text(f) }
        let s: String
        switch style {
        case .percent where proportion: s = "\(Int((v * 100).rounded()))%"
        case .naturalFrequency: s = String(Int(v.rounded()))
        default: s = Self.decimal(v)
        }
        rendered.append(s)
        return s
    }

    mutating func ci(_ f: Fact, proportion: Bool = false) -> String? {
        guard let c = f.ci else { return nil }
        let s = style == .percent && proportion
            ? "\(Int((c.lowerBound * 100).rounded()))–\(Int((c.upperBound * 100).rounded()))%"
            : "\(Self.decimal(c.lowerBound))–\(Self.decimal(c.upperBound))"
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
        case .number(let v): s = Self.decimal(v)
        }
        rendered.append(s)
        return s
    }

    /// Up to three significant digits, no trailing zeros: 0.85, 0.078, 320, 5.28.
    static func decimal(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e9 { return String(Int(v)) }
        if let known = decimals.get(v) { return known }
        var s = String(format: "%.3g", v)
        if s.contains("e") { s = String(format: "%.4f", v) }
        decimals.set(v, s)
        return s
    }

    /// Formatted decimals, remembered: cases repeat the same few hundred values, and Foundation's formatting was
    /// the costliest step of building a view model.
    private static let decimals = LockedCache<Double, String>()

    static let proportions: Set<String> = ["auc", "sensitivity", "specificity", "ppv", "npv", "accuracy", "dice", "interval_coverage"]

    mutating func build(_ t: FactTable, sections: [String], reason: String?, metrics: [String]? = nil) -> [String: Any] {
        var c: [String: Any] = [:]
        // Section flags are prefixed so they cannot shadow a value of the same name (intended_use, privacy, ...).
        c["sections"] = sections.map { ["s_" + $0: true] }
        if let r = reason { c["reason"] = r; rendered.append(r) }
        func put(_ key: String, _ id: String) { if let f = t[id] { c[key] = text(f) } }
        put("model_name", "model.name"); put("model_version", "model.version"); put("intended_use", "model.intended_use")
        put("intended_users", "model.intended_users"); put("out_of_scope", "model.out_of_scope"); put("risk_class", "model.risk_class")
        put("commit", "trace.code_commit"); put("created", "trace.created"); put("pipeline", "trace.pipeline"); put("training_sha", "trace.training_sha256")
        if let f = t["data.training.n"] { c["training_n"] = number(f) }
        if let f = t["data.training.sites"] { c["training_sites"] = number(f) }
        put("privacy_text", "privacy"); put("oversight_text", "oversight"); put("monitoring_text", "monitoring")
        put("xai_methods", "xai.methods"); put("xai_evaluated", "xai.evaluated"); put("uq_method", "uq.method")
        c["items"] = t["limitations"]?.list.map { l -> [String] in used.insert("limitations"); rendered += l; return l } ?? []
        // Quality control: told first to everyone.
        var problems: [String] = []
        if t["qc.input_ok"]?.flag == false {
            used.insert("qc.input_ok")
            problems.append(t["qc.flags"].map { text($0) } ?? "the input failed quality control")
        }
        if t["qc.ood"]?.flag == true {
            used.insert("qc.ood")
            problems.append(style == .naturalFrequency ? "the scan is unlike the scans the program learned from" : "the scan is outside the data the model was trained on")
        }
        if !problems.isEmpty { qcProblem = problems.joined(separator: "; "); c["qc_problem"] = qcProblem }
        // The case.
        if let f = t["case.id"] {
            c["has_case"] = true
            c["case_id"] = text(f)
            if let l = t["case.label"] { c["label"] = text(l) }
            if let p = t["case.probability"], style != .naturalFrequency { c["probability"] = number(p, proportion: true) }
            if let fr = t["case.frequency"], style == .naturalFrequency { c["frequency"] = number(fr) }
            if let v = t["case.value"] { c["value"] = number(v) + (v.unit.map { " \($0)" } ?? "") ; if let u = v.unit { rendered.append(u) } }
            if let d = t["case.dice_estimate"] {
                // A Dice estimate means nothing to a patient; they are told what the program did instead.
                if style == .naturalFrequency { used.insert(d.id); c["outline"] = true } else { c["value"] = "estimated Dice " + number(d) }
            }
        }
        // Uncertainty.
        // Uncertainty is reported when the case has an estimate, or (record level) the record names its method.
        let hasUQ = t["uq.confidence"] != nil || t["uq.predictive_sd"] != nil || (t["case.id"] == nil && t["uq.method"] != nil)
        c["has_uq"] = hasUQ
        if let f = t["uq.confidence"] {
            c["confidence"] = text(f)
            c["confidence_rule"] = f.levelRule ?? ""
            rendered.append(f.levelRule ?? "")
            c["patient_certainty"] = ["high": "it is quite sure", "moderate": "it is fairly sure", "low": "it is not sure"][f.level ?? ""] ?? "it is not sure"
        }
        if let f = t["uq.predictive_sd"] { c["sd"] = number(f) }
        if let f = t["uq.epistemic"] { c["epistemic"] = number(f) }
        if let f = t["uq.aleatoric"] { c["aleatoric"] = number(f) }
        if let f = t["uq.interval"], let ci = ci(f) { used.insert(f.id); c["interval"] = ci }
        if let f = t["uq.conformal_set"] { c["conformal_set"] = text(f); c["two_labels"] = (f.list?.count ?? 0) > 1 }
        if let f = t["qc.ood.score"], let th = t["qc.ood.threshold"] { c["ood_score"] = number(f); c["ood_threshold"] = number(th) }
        if let f = t["uq.conformal.coverage"], let a = t["uq.conformal.alpha"] { c["conformal_coverage"] = number(f); c["conformal_alpha"] = number(a) }
        // Explanations.
        let attributions = t.with(prefix: "xai.attr[").prefix(3).map { f -> [String: String] in
            ["label": f.label, "value": number(f), "direction": f.level ?? ""]
        }
        rendered += attributions.map { $0["label"] ?? "" }
        c["attributions"] = attributions
        if let f = t["xai.saliency.region"] { c["region"] = text(f) }
        let global = t.with(prefix: "xai.top[").prefix(4).map { f -> [String: String] in rendered.append(f.label); return ["label": f.label, "value": number(f)] }
        if !global.isEmpty { c["global"] = ["items": global] }
        c["has_xai"] = !attributions.isEmpty || t["xai.methods"] != nil || t["xai.saliency.region"] != nil
        let similar = t.with(prefix: "similar[").map { f -> [String: String] in
            used.insert(f.id)
            rendered.append(f.label)
            let parts = f.label.replacing("similar case ", with: "").split(separator: " ", maxSplits: 1)
            let label = (parts.dropFirst().first ?? "").drop { $0 == "(" || $0 == ")" }
            return ["id": String(parts.first ?? ""), "label": String(label.reversed().drop { $0 == "(" || $0 == ")" }.reversed())]
        }
        c["similar_cases"] = similar
        c["has_similar"] = !similar.isEmpty
        // Performance, calibration, fairness.
        var perf: [[String: String]] = []
        for f in t.with(prefix: "perf.") {
            let parts = f.id.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count >= 3 else { continue }
            let metric = parts[1]
            if let keep = metrics, !keep.contains(metric) { continue }
            let proportion = Self.proportions.contains(metric)
            var row = ["name": metric == "auc" ? "AUC" : metric.replacing("_", with: " "), "test_set": parts[2],
                       "value": number(f, proportion: proportion)]
            if parts.count == 4 {
                let sub = parts[3].split(separator: "=", maxSplits: 1).map(String.init)
                row["subgroup"] = sub.joined(separator: " ")
                rendered.append(parts[3])
            }
            if let ci = ci(f, proportion: proportion) { row["ci"] = ci }
            if let n = f.n { row["n"] = String(n); rendered.append(String(n)) }
            perf.append(row)
        }
        c["perf"] = perf
        c["external"] = t.facts.contains { $0.id.hasPrefix("test_set.") && $0.text == "external" }
        if let f = t["calib.ece"] {
            c["ece"] = number(f)
            c["ece_level"] = f.level ?? ""
            let bins = f.label.replacing("expected calibration error (", with: "").replacing(")", with: "")
            c["bins"] = bins
            rendered.append(bins)
        }
        c["gaps"] = t.with(prefix: "fair.").map { f -> [String: String] in
            let parts = f.id.split(separator: ".").map(String.init)
            rendered += parts
            return ["attribute": parts.count > 1 ? parts[1] : "", "metric": parts.count > 2 ? parts[2] : "", "gap": number(f), "level": f.level ?? ""]
        }
        c["ai_act"] = aiAct(t)
        c["future_ai"] = futureAI(t)
        return c
    }

    /// EU AI Act Art. 13(3) items (a)–(f), covered or missing, from the facts present.
    func aiAct(_ t: FactTable) -> [[String: String]] {
        func status(_ ok: Bool) -> String { ok ? "covered" : "MISSING" }
        return [
            ["item": "(a) provider identity and contact", "status": status(t["model.provider"] != nil)],
            ["item": "(b)(i) intended purpose", "status": status(t["model.intended_use"] != nil)],
            ["item": "(b)(ii) accuracy and robustness metrics", "status": status(!t.with(prefix: "perf.").isEmpty)],
            ["item": "(b)(iv) explanation of outputs", "status": status(t["xai.methods"] != nil)],
            ["item": "(b)(v) performance for specific groups", "status": status(!t.with(prefix: "fair.").isEmpty)],
            ["item": "(b)(vi) input data specifications", "status": status(t["data.training.n"] != nil)],
            ["item": "(d) human oversight measures", "status": status(t["oversight"] != nil)],
            ["item": "(e) lifetime, maintenance and monitoring", "status": status(t["monitoring"] != nil)],
        ]
    }

    /// FUTURE-AI principles (Fairness, Universality, Traceability, Usability, Robustness, Explainability).
    func futureAI(_ t: FactTable) -> [[String: String]] {
        func status(_ ok: Bool) -> String { ok ? "evidenced" : "not evidenced" }
        return [
            ["item": "Fairness", "status": status(!t.with(prefix: "fair.").isEmpty)],
            ["item": "Universality", "status": status(t.facts.contains { $0.id.hasPrefix("test_set.") && $0.text == "external" })],
            ["item": "Traceability", "status": status(t["trace.code_commit"] != nil || t["trace.training_sha256"] != nil)],
            ["item": "Usability", "status": status(t["model.intended_users"] != nil)],
            ["item": "Robustness", "status": status(t["uq.method"] != nil)],
            ["item": "Explainability", "status": status(t["xai.evaluated"] != nil)],
        ]
    }
}
