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
    /// The facts behind each value: those read since the previous value was set (`put`), or the facts of each item
    /// of a list, kept in the item under `_facts`. `explain --format json` lists them beside each sentence.
    private(set) var keyFacts: [String: [String]] = [:]
    private var pending: [String] = []
    private(set) var qcProblem: String?
    /// Which half this is: a key of the other half is a programming error, caught by `put`.
    private let isCase: Bool
    let decimals: Decimals

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
        "value_interval", "volume", "quality", "unsure_region", "chance", "denominator", "frequency_rest", "have", "do_not", "withheld", "calibration_off", "towards", "against", "drivers_withheld",
        "from_outside", "case_test_set", "case_findings", "sure_but_off", "out_of_scope_case", "quality_rank", "quality_share", "quality_set", "quality_median",
        "quality_low", "interval_observed", "interval_observed_set", "similar_withheld", "a_chance",
    ]

    private mutating func put(_ key: String, _ value: TemplateValue) {
        assert(Self.caseKeys.contains(key) == isCase, "view-model key \(key) is set by the wrong half")
        values[key] = value
        if !pending.isEmpty {
            keyFacts[key] = pending
            pending.removeAll(keepingCapacity: true)
        }
    }

    /// Notes that a fact is behind what is being built.
    mutating func mark(_ id: String) {
        used.insert(id)
        pending.append(id)
    }

    /// The facts read since the last value was set, for one item of a list (`_facts` in the item's map).
    mutating func takeFacts() -> TemplateValue {
        defer { pending.removeAll(keepingCapacity: true) }
        return .list(pending.map(TemplateValue.string))
    }

    private mutating func put(_ key: String, _ value: String) { put(key, .string(value)) }
    private mutating func put(_ key: String, _ value: Bool) { put(key, .bool(value)) }

    /// A fact's value in the audience's number style.
    mutating func number(_ f: Fact, proportion: Bool = false) -> String {
        mark(f.id)
        guard let v = f.number else { return text(f) }
        return format(v, proportion: proportion)
    }

    mutating func ci(_ f: Fact, proportion: Bool = false) -> String? {
        f.ci.map { range($0, proportion: proportion) }
    }

    mutating func text(_ f: Fact) -> String {
        mark(f.id)
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
        put("training_period", "data.training.period"); put("training_name", "data.training.name")
        // What the record says twice in ways that cannot both be true, told before anything else.
        m.put("findings", .list(marked(t.with(prefix: "finding[").map { f -> TemplateValue in
            let text = m.text(f)
            return .map(["name": .string(f.label), "text": .string(text), "path": .string(f.source), "_facts": m.takeFacts()])
        })))
        m.put("xai_case_only", t["xai.case_attributions"] != nil)
        m.put("segmentation", t["model.task"]?.text == "segmentation")
        put("privacy_text", "privacy"); put("oversight_text", "oversight"); put("monitoring_text", "monitoring")
        put("provider", "model.provider"); put("contact", "model.contact")
        put("lifetime_text", "lifetime"); put("changes_text", "changes"); put("logging_text", "logging"); put("cybersecurity_text", "cybersecurity")
        put("xai_methods", "xai.methods"); put("xai_evaluated", "xai.evaluated"); put("uq_method", "uq.method")
        // The condition a probability is the chance of: in plain words for a patient when the record has them.
        if let plain = t["condition.plain"], style == .naturalFrequency { m.put("condition", m.text(plain)) } else { put("condition", "condition") }
        put("condition_label", "condition.label")
        put("condition_short", "condition.short")
        if let plain = t["measure.plain"], style == .naturalFrequency { m.put("measure", m.text(plain)) } else { put("measure", "measure") }
        if let f = t["uq.interval_level"] { m.put("interval_level", m.number(f, proportion: true)) }
        let classifier = t["condition.label"] != nil
        // Directions are relative to the condition (the target), never to a label such as "csPCa likely".
        let short = t["condition.short"]?.text ?? ""
        m.put("towards_words", classifier ? "Pointing towards \(short)" : "Raising the estimate")
        m.put("against_words", classifier ? "Pointing away from \(short)" : "Lowering the estimate")
        if let people = t["people.plain"] { m.put("people", m.text(people)) } else { m.put("people", "people") }
        var limitations: [String] = []
        if let l = t["limitations"]?.list { m.mark("limitations"); m.rendered += l; limitations = l }
        m.put("items", .list(limitations.map(TemplateValue.string)))
        if let f = t["uq.conformal.coverage"], let a = t["uq.conformal.alpha"] {
            m.put("conformal_coverage", m.number(f))
            m.put("conformal_alpha", m.number(a))
        }
        let global = t.with(prefix: "xai.top[").prefix(4).map { f -> TemplateValue in
            m.rendered.append(f.label)
            let value = m.number(f)
            return .map(["label": .string(f.label), "value": .string(value), "_facts": m.takeFacts()])
        }
        if !global.isEmpty { m.put("global", .map(["items": .list(Self.marked(global))])) }
        // Performance, calibration, fairness.
        var perf: [TemplateValue] = []
        for f in t.with(prefix: "perf.") {
            let parts = f.id.split(separator: ".", maxSplits: 3).map(String.init)
            guard parts.count >= 3 else { continue }
            let metric = parts[1]
            if let keep = metrics, !keep.contains(metric) { continue }
            // Clinicians read AUC and Dice as numbers (0.96), not as percentages: they are not rates of patients.
            let proportion = Self.proportions.contains(metric) && !(style == .percent && (metric == "auc" || metric == "dice"))
            // A test set is named by its kind and site, not its id.
            let setName = t["test_set." + parts[2]]?.label ?? parts[2]
            m.rendered.append(setName)
            var row: [String: TemplateValue] = ["name": .string(Self.metricName(metric)), "test_set": .string(setName),
                                                "value": .string(m.number(f, proportion: proportion))]
            if parts.count == 4 {
                let sub = parts[3].split(separator: "=", maxSplits: 1).map(String.init)
                // Written for reading: "age group ≥ 70", not the record's code "age_group >=70".
                row["subgroup"] = .string(Self.readable(sub.first ?? "") + " " + Self.readable(sub.dropFirst().joined(separator: "=")))
                m.rendered.append(parts[3])
            }
            if let ci = m.ci(f, proportion: proportion) { row["ci"] = .string(ci) }
            // The operating point: the estimated chance at or above which the model calls the condition.
            if let thr = t["threshold." + String(f.id.dropFirst("perf.".count))] { row["threshold"] = .string(m.number(thr, proportion: true)) }
            if let u = f.unit { row["unit"] = .string(u); m.rendered.append(u) }
            if let n = f.n { row["n"] = .string(String(n)); m.rendered.append(String(n)) }
            // A figure the per-case data contradict is given with the recomputed value, never alone; one with no
            // data to check it is "as reported".
            switch f.check?.verdict {
            case .contradicted?:
                row["contradicted"] = .bool(true)
                if let re = f.check?.recomputed {
                    row["recomputed"] = .string(m.format(re, proportion: proportion))
                    if let c = f.check?.ci { row["recomputed_ci"] = .string(m.range(c, proportion: proportion)) }
                }
            case .supported?: row["supported"] = .bool(true)
            case .cannotRecompute?, nil: row["as_reported"] = .bool(true)
            case .computedOnly?: break
            }
            row["_facts"] = m.takeFacts()
            perf.append(.map(row))
        }
        perf = Self.marked(perf)
        // The comparator the record names (what the model should beat), on its test set.
        if let f = t.with(prefix: "comparator.").first {
            let metric = String(f.id.dropFirst("comparator.".count))
            let proportion = Self.proportions.contains(metric) && !(style == .percent && (metric == "auc" || metric == "dice"))
            m.rendered.append(f.label)
            var c: [String: TemplateValue] = ["name": .string(f.label), "metric": .string(Self.metricName(metric)), "value": .string(m.number(f, proportion: proportion))]
            if let ci = m.ci(f, proportion: proportion) { c["ci"] = .string(ci) }
            m.put("comparator", .map(c))
        }
                m.put("perf", .list(perf))
        func only(_ key: String) -> TemplateValue {
            .list(marked(perf.filter { if case .map(let r) = $0 { return r[key] != nil }; return false }))
        }
        // The threshold of the case's call, when every figure measured at a threshold was measured at the same one.
        let thresholds = Set(t.with(prefix: "threshold.").compactMap { $0.number })
        if thresholds.count == 1, let f = t.with(prefix: "threshold.").first { m.put("call_threshold", m.number(f, proportion: true)) }
        m.put("perf_supported", only("supported"))
        m.put("perf_reported", only("as_reported"))
        m.put("perf_contradicted", only("contradicted"))
        m.put("external", t.facts.contains { $0.id.hasPrefix("test_set.") && $0.text == "external" })
        if let f = t["calib.ece"] {
            m.put("ece", m.number(f))
            if let set = t["calib.ece.test_set"] { m.put("ece_test_set", m.text(set)) }
            m.put("ece_level", f.level ?? "")
            let bins = f.label.replacing("expected calibration error (", with: "").replacing(")", with: "")
            m.put("bins", bins)
            m.rendered.append(bins)
        }
        // ECE and MCE per test set, recomputed from the per-case data.
        // Overall, per test set: the clinician reads the ECE as the average gap between estimated and observed rates
        // in percentage points (`ece_points`), the others as a decimal.
        let perSet = t.with(prefix: "calib.set.ece.").compactMap { ece -> TemplateValue? in
            let set = String(ece.id.dropFirst("calib.set.ece.".count))
            let name = t["test_set." + set]?.label ?? set
            m.rendered.append(name)
            var row: [String: TemplateValue] = ["test_set": .string(name), "ece": .string(m.number(ece)), "ece_points": .string(m.format(ece.number ?? 0, proportion: true))]
            if let mce = t["calib.set.mce." + set] {
                row["mce"] = .string(m.number(mce))
                row["mce_points"] = .string(m.format(mce.number ?? 0, proportion: true))
            }
            if let n = ece.n { row["n"] = .string(String(n)); m.rendered.append(String(n)) }
            row["_facts"] = m.takeFacts()
            return .map(row)
        }
        if !perSet.isEmpty { m.put("calibration_sets", .list(Self.marked(perSet))) }
        m.put("has_subgroups", hasSubgroups(t))
        m.put("gaps", .list(t.with(prefix: "fair.").map { f -> TemplateValue in
            let parts = f.id.split(separator: ".").map(String.init)
            m.rendered += parts
            let metric = parts.count > 2 ? parts[2] : ""
            let gap = m.number(f)
            return .map(["attribute": .string(Self.readable(parts.count > 1 ? parts[1] : "")), "metric": .string(Self.metricName(metric)),
                         "gap": .string(gap), "level": .string(f.level ?? ""), "_facts": m.takeFacts()])
        }))
        let aiAct = aiAct(t), futureAI = futureAI(t)
        m.rendered += (aiAct + futureAI).map(\.evidence)
        m.put("ai_act", checklist(aiAct, t))
        m.put("future_ai", checklist(futureAI, t))
        return m
    }

    /// The case's half, from a table with the case's facts (record-level values it needs, such as whether the record
    /// names an uncertainty method, are read from the same table). A record-level table gives the values a rendering
    /// without a case needs (no case, whether uncertainty and explanations are reported at all).
    static func forCase(_ t: FactTable, style: NumberStyle, decimals: Decimals = Decimals()) -> ViewModel {
        var m = ViewModel(style: style, isCase: true, decimals: decimals)
        // A case from an external test set: its population's figures are told first (`CaseExplainer`).
        if let f = t["case.test_set"] {
            m.put("case_test_set", m.text(f))
            m.put("from_outside", f.level == "external")
        }
        // Quality control: told first to everyone. An input the record puts out of scope is named in those words,
        // then every specific finding (in plain words for a patient).
        var problems: [String] = []
        let failed = t["qc.input_ok"]?.flag == false, outside = t["qc.ood"]?.flag == true
        let scope = t["qc.out_of_scope"]
        if let scope {
            let entry = m.text(scope)
            m.put("out_of_scope_case", entry)
            problems.append(style == .naturalFrequency ? "the program is not meant for scans like this one" : "out of scope: \(entry)")
        }
        if failed || outside || scope != nil {
            if failed { m.mark("qc.input_ok") }
            let findings = style == .naturalFrequency ? t["qc.flags.plain"] : t["qc.flags"]
            // A finding that only repeats the out-of-scope entry is not said twice.
            let entry = scope?.text ?? ""
            if let f = findings, let list = f.list?.filter({ $0 != entry || style == .naturalFrequency }), !list.isEmpty {
                m.mark(f.id)
                m.rendered += list
                problems.append(list.joined(separator: "; "))
            } else if failed { problems.append("the input failed quality control") }
        }
        if outside {
            m.mark("qc.ood")
            problems.append(style == .naturalFrequency ? "the scan is unlike the scans the program learned from" : "the scan is outside the data the model was trained on")
        }
        // Nothing that rests on such an input is told as a result, to any reader: no estimate, measurement or
        // contour quality, no drivers, no similar cases.
        let unusable = failed || outside || scope != nil
        if !problems.isEmpty {
            let problem = problems.joined(separator: "; ")
            m.qcProblem = problem
            m.put("qc_problem", problem)
        }
        // What the record says of this case in ways that cannot both be true (its label against its probability).
        m.put("case_findings", .list(t.with(prefix: "case.finding[").map { f -> TemplateValue in
            let text = m.text(f)
            return .map(["name": .string(f.label), "text": .string(text), "_facts": m.takeFacts()])
        }))
        // The case.
        if let f = t["case.id"] {
            m.put("has_case", true)
            m.put("case_id", m.text(f))
            if unusable {
                for id in ["case.probability", "case.frequency", "case.value", "case.dice_estimate", "case.label"] where t[id] != nil { m.mark(id) }
                m.put("withheld", true)
            }
            if let l = t["case.label"], !unusable { m.put("label", m.text(l)) }
            if let p = t["case.probability"], let v = p.number, !unusable {
                // At the ends of the scale a percentage is a bound, never a certainty.
                if style == .percent {
                    m.mark(p.id)
                    let s = v < 0.005 ? "<1%" : v >= 0.995 ? ">99%" : m.format(v, proportion: true)
                    m.rendered.append(s)
                    m.put("chance", s)
                    // "an 81% chance", "an 8% chance", "an 11% chance": the article as the number is said.
                    let spoken = s.hasPrefix("8") || s.hasPrefix("11%") || s.hasPrefix("18%") || s.hasPrefix("11.") || s.hasPrefix("18.")
                    m.put("a_chance", (spoken ? "an " : "a ") + s)
                } else if style == .decimal {
                    m.put("chance", m.number(p, proportion: true))
                    m.put("probability", m.number(p))
                }
            }
            // A patient's natural frequency: always out of 100, "about 3", and at the ends "fewer than 1" / "more than 99".
            if let fr = t["case.frequency"], let v = fr.number, style == .naturalFrequency, !unusable {
                m.mark(fr.id)
                let level = fr.level ?? "about"
                let count = m.format(v), rest = m.format(100 - v)
                m.put("frequency", level == "about" ? "about \(count)" : level)
                m.put("denominator", "100")
                m.rendered.append("100")
                m.put("frequency_rest", level == "about" ? "about \(rest)" : level == "fewer than 1" ? "more than 99" : "fewer than 1")
                // "about 1 has", "fewer than 1 has", "about 1 does not": the verb agrees with the count.
                m.put("have", level == "fewer than 1" || (level == "about" && v == 1) ? "has" : "have")
                m.put("do_not", level == "more than 99" || (level == "about" && v == 99) ? "does not" : "do not")
            }
            // Where the case's estimate lies outside what its bin observed on a test set, every reader of the
            // estimate is told the observed rate and which way the estimate was wrong.
            let off = unusable ? [] : t.with(prefix: "calib.case[").filter { !$0.id.contains("].") && ($0.level == "more_often" || $0.level == "less_often") }
            m.put("calibration_off", .list(marked(off.compactMap { f -> TemplateValue? in
                guard let n = f.n, let observed = f.number, let predicted = t[f.id + ".predicted"]?.number, let had = t[f.id + ".had"]?.number,
                      let set = t[f.id + ".test_set"] else { return nil }
                m.mark(f.id)
                let testSet = m.text(set)
                let more = f.level == "more_often"
                let range = t[f.id + ".range"].map { m.text($0) } ?? ""
                var item: [String: TemplateValue] = ["test_set": .string(testSet), "n": .string(m.format(Double(n))), "had": .string(m.format(had)),
                                                     "predicted": .string(m.format(predicted, proportion: true)),
                                                     "observed": .string(m.format(observed, proportion: true)),
                                                     "more": .bool(more), "less": .bool(!more),
                                                     "direction": .string(more ? "more often" : "less often"), "range": .string(range)]
                if style == .naturalFrequency {
                    // "15 in 100, not 3": the observed frequency beside the program's own.
                    // A bin where none (or all) had the condition is told by its count: "0 in 100" would be a certainty
                    // that ten cases cannot give.
                    let words = had == 0 ? "none of the \(m.format(Double(n))) in those tests" : had == Double(n) ? "all \(m.format(Double(n))) in those tests"
                        : "\(m.format(observed * 100)) in 100"
                    item["observed_frequency"] = .string(words)
                    if let fr = t["case.frequency"] { item["estimate_frequency"] = .string(fr.level == "about" || fr.level == nil ? m.format(fr.number ?? 0) : fr.level ?? "") }
                }
                if let ci = f.ci { item["observed_ci"] = .string(m.range(ci, proportion: true)) }
                item["_facts"] = m.takeFacts()
                return .map(item)
            })))
            if let v = t["case.value"], let x = v.number, !unusable {
                // A measurement is a measurement in every style: never rounded to a whole number for a patient.
                m.mark(v.id)
                let s = m.decimals.format(x)
                m.rendered.append(s)
                m.put("value", s + (v.unit.map { " \($0)" } ?? ""))
                if let u = v.unit { m.rendered.append(u) }
                // A measurement is told with its case interval and how often such intervals held the true value (a
                // patient reads the value alone).
                if let ci = v.ci, style != .naturalFrequency {
                    m.put("value_interval", m.range(ci) + (v.unit.map { " \($0)" } ?? ""))
                    if let o = t["uq.interval_observed"] {
                        m.put("interval_observed", m.number(o, proportion: true))
                        if let set = t["uq.interval_observed.test_set"] { m.put("interval_observed_set", m.text(set)) }
                    }
                }
            }
            if let d = t["case.dice_estimate"], !unusable {
                // The estimated Dice is the quality of the contour, placed against the test set's contours; never
                // confidence. A patient is told what the program did instead.
                if style == .naturalFrequency { m.mark(d.id); m.put("outline", true) } else { m.put("quality", m.number(d)) }
                if let r = t["case.dice_rank"], let level = r.level {
                    m.mark(r.id)
                    m.put("quality_rank", level)
                    m.rendered.append(level)
                    m.put("quality_share", m.number(r))
                    m.put("quality_low", level == "lowest 5%" || level == "lowest 10%")
                    if let set = t["case.dice_rank.test_set"] { m.put("quality_set", m.text(set)) }
                    if let med = t["case.dice_rank.median"] { m.put("quality_median", m.number(med)) }
                }
            }
            if let v = t["case.volume"], !unusable { m.put("volume", m.number(v) + " mL") }
        }
        // Uncertainty is reported when the case has an estimate, or (record level) the record names its method.
        let hasUQ = t["uq.confidence"] != nil || t["uq.predictive_sd"] != nil || (t["case.id"] == nil && t["uq.method"] != nil)
        m.put("has_uq", hasUQ)
        if let f = t["uq.confidence"] {
            m.put("confidence", m.text(f))
            m.put("confidence_rule", f.levelRule ?? "")
            m.rendered.append(f.levelRule ?? "")
            m.mark(f.id)
            m.put("patient_certainty", ["high": "it is quite sure", "moderate": "it is fairly sure", "low": "it is not sure"][f.level ?? ""] ?? "it is not sure")
            // A high or moderate confidence from the model's own uncertainty is not the whole story where its
            // estimates in this range were off: the clinician's and patient's texts say so beside it.
            if case .list(let off)? = m.values["calibration_off"], !off.isEmpty, f.level == "high" || f.level == "moderate" {
                m.put("sure_but_off", true)
            }
        }
        // The case's uncertainty rests on the same input as its output (an interval would give the estimate away).
        if !unusable {
            if let f = t["uq.predictive_sd"] { m.put("sd", m.number(f)) }
            if let f = t["uq.epistemic"] { m.put("epistemic", m.number(f)) }
            if let f = t["uq.aleatoric"] { m.put("aleatoric", m.number(f)) }
            if let f = t["uq.interval"], let ci = m.ci(f) { m.mark(f.id); m.put("interval", ci) }
            if let f = t["uq.conformal_set"] { m.put("conformal_set", m.text(f)); m.put("two_labels", (f.list?.count ?? 0) > 1) }
        }
        if let f = t["qc.ood.score"], let th = t["qc.ood.threshold"] { m.put("ood_score", m.number(f)); m.put("ood_threshold", m.number(th)) }
        // Explanations. Drivers are told relative to the condition. After a failed input check, or for an input out
        // of scope, they are cited to no one (any of them may rest on the failed or missing input).
        let withheld = unusable && !t.with(prefix: "xai.attr[").isEmpty
        m.put("drivers_withheld", withheld)
        let attributions = withheld ? [] : t.with(prefix: "xai.attr[").prefix(3).map { f -> (label: String, value: String, direction: String, id: String) in
            (f.label, m.number(f), f.level ?? "", f.id)
        }
        _ = m.takeFacts()  // each driver names its own fact
        m.rendered += attributions.map(\.label)
        // Relative to the condition for a classifier; for a measurement, whether it raised or lowered the estimate.
        let condition = t["condition.short"]?.text
        func words(_ direction: String) -> String {
            if let condition { return direction == "towards" ? "towards \(condition)" : "away from \(condition)" }
            return direction == "towards" ? "raises the estimate" : "lowers the estimate"
        }
        m.put("attributions", .list(marked(attributions.map { .map(["label": .string($0.label), "value": .string($0.value), "direction": .string(words($0.direction)),
                                                                     "_facts": .list([.string($0.id)])]) })))
        let towards = attributions.filter { $0.direction == "towards" }.map { TemplateValue.map(["label": .string($0.label), "_facts": .list([.string($0.id)])]) }
        let against = attributions.filter { $0.direction == "against" }.map { TemplateValue.map(["label": .string($0.label), "_facts": .list([.string($0.id)])]) }
        m.put("towards", .list(marked(towards)))
        m.put("against", .list(marked(against)))
        if let f = t["xai.saliency.region"], !unusable { m.put("region", m.text(f)) }
        if let f = t["uq.map.region"], !unusable { m.put("unsure_region", m.text(f)) }
        m.put("has_xai", !t.with(prefix: "xai.attr[").isEmpty || t["xai.methods"] != nil || t["xai.saliency.region"] != nil || t["xai.case_attributions"] != nil)
        m.put("similar_withheld", unusable && !t.with(prefix: "similar[").isEmpty)
        let similar = (unusable ? [] : t.with(prefix: "similar[")).map { f -> TemplateValue in
            m.mark(f.id)
            m.rendered.append(f.label)
            // The label is "similar case ID (LABEL)" (FactBuilder): the id, and the label without its parentheses.
            let body = f.label.utf8.starts(with: "similar case ".utf8) ? f.label.utf8.dropFirst(13) : f.label.utf8[...]
            let space = body.firstIndex(of: 0x20)
            let id = space.map { body[..<$0] } ?? body
            var label = space.map { body[body.index(after: $0)...] } ?? body[body.endIndex...]
            while let c = label.first, c == 0x28 || c == 0x29 { label.removeFirst() }
            while let c = label.last, c == 0x28 || c == 0x29 { label.removeLast() }
            return .map(["id": .string(String(Substring(id))), "label": .string(String(Substring(label))), "_facts": m.takeFacts()])
        }
        m.put("similar_cases", .list(marked(similar)))
        m.put("has_similar", !similar.isEmpty)
        return m
    }

    /// A metric as it is written in prose (AUC, MAE, Dice), not as the record codes it.
    static func metricName(_ code: String) -> String {
        let names = ["auc": "AUC", "mae": "MAE", "mse": "MSE", "rmse": "RMSE", "hd95": "HD95", "dice": "Dice", "brier": "Brier score",
                     "ppv": "PPV", "npv": "NPV", "ece": "ECE", "mce": "MCE", "aurc": "AURC"]
        return names[code] ?? readable(code)
    }

    /// A record code as words: underscores as spaces, comparison operators as symbols with a space.
    static func readable(_ code: String) -> String {
        var s = code.replacing("_", with: " ")
        for (op, symbol) in [(">=", "≥ "), ("<=", "≤ "), (">", "> "), ("<", "< ")] where s.hasPrefix(op) {
            s = symbol + s.dropFirst(op.count).trimmingCharacters(in: .whitespaces)
            break
        }
        return s
    }

    /// A list whose last item says so (`last`), so that a template ends a list with a period, not a separator.
    static func marked(_ items: [TemplateValue]) -> [TemplateValue] {
        items.enumerated().map { k, item in
            guard case .map(var m) = item else { return item }
            m["last"] = .bool(k == items.count - 1)
            return .map(m)
        }
    }

    /// A number formatted as `number` formats a fact's, remembered as rendered (a value derived from facts, such
    /// as a recomputed figure or the rest of a natural frequency).
    mutating func format(_ v: Double, proportion: Bool = false) -> String {
        let s: String
        switch style {
        case .percent where proportion: s = "\(Int((v * 100).rounded()))%"
        case .naturalFrequency: s = String(Int(v.rounded()))
        default: s = decimals.format(v)
        }
        rendered.append(s)
        return s
    }

    mutating func range(_ c: ClosedRange<Double>, proportion: Bool = false) -> String {
        let s = style == .percent && proportion
            ? "\(Int((c.lowerBound * 100).rounded()))–\(Int((c.upperBound * 100).rounded()))%"
            : "\(decimals.format(c.lowerBound))–\(decimals.format(c.upperBound))"
        rendered.append(s)
        return s
    }

}
