import Foundation

/// The checks of a rendering that read it for meaning, not for numbers (EXPLANATIONS.md, "Checks"): each is named,
/// and each warning says which check failed and why. They run on every rendering, after the number, word and
/// reading-level checks of `CaseExplainer`.
enum MeaningChecks {
    /// Phrases that state a probability as a frequency of the program's answers, or a direction relative to "this
    /// result" (which reverses for a negative prediction).
    static let misleading = ["the program's answer is", "weighed towards this result", "weighed against this result"]

    static func warnings(text: String, table t: FactTable, record: ViewModel, case c: ViewModel, audience: Audience, sections: [String]) -> [String] {
        var out: [String] = []
        // The record's own contradictions (a driver's direction against its sign): a warning, never a sentence.
        for f in t.with(prefix: "problem[") { out.append("record: \(f.text ?? f.label)") }
        // 1. A probability is the chance of the named condition. (A text without the prediction section states no
        // estimate, though a figure may share its digits.)
        let shown = sections.contains("prediction") && [c.values["chance"]?.string, c.values["frequency"]?.string].contains { $0.map { UTF8Text.contains(text, $0) } ?? false }
        if let condition = record.values["condition"]?.string, shown, !UTF8Text.contains(text, condition) {
            out.append("meaning: the estimate is given without naming the condition it is the chance of (\(condition))")
        }
        // 8. The patient reads the condition in plain words: a record without them would name it by its code.
        if audience == .patient, shown, let condition = t["condition"]?.text, t["condition.plain"] == nil {
            out.append("record: plain_language.condition is missing, so the patient reads the condition as \"\(condition)\"; give it in plain words")
        }
        // 8. …and every input check it is told in plain words: a finding the record gives no words for would reach
        // the patient as recorded ("motion artefact on DWI").
        if audience == .patient, c.qcProblem != nil, let flags = t["qc.flags"]?.list {
            let plain = t["qc.flags.plain"]?.list ?? flags
            for (flag, words) in zip(flags, plain) where flag == words {
                out.append("record: plain_language.checks has no words for \"\(flag)\", so the patient reads it as recorded; give it in plain words")
            }
        }
        // 2. A figure the recomputation contradicts is never stated alone.
        if sections.contains("performance"), case .list(let rows)? = record.values["perf_contradicted"] {
            for case .map(let row) in rows {
                if let re = row["recomputed"]?.string, !UTF8Text.contains(text, re) {
                    out.append("meaning: \(row["name"]?.string ?? "a figure") on \(row["test_set"]?.string ?? "a test set") is stated without its recomputed value \(re)")
                }
            }
        }
        out += calibration(text: text, table: t, case: c, audience: audience, shown: shown)
        out += scope(text: text, table: t, case: c, audience: audience)
        // 4. Where the estimates in this range were off, a confidence from the model's own uncertainty is not told
        // alone to the clinician or the patient.
        if c.values["sure_but_off"]?.isTrue == true, audience == .clinician || audience == .patient, c.values["confidence"] != nil {
            for line in text.split(separator: "\n") where line.hasPrefix("How sure it is:") {
                if !(line.contains("off") || line.contains("wrong about results like this")) {
                    out.append("meaning: the model's confidence is told without saying that its estimates in this range were off: \"\(line.prefix(60))\"")
                }
            }
        }
        // 5. A failed input check holds back the patient's frequency and the drivers.
        let failed = t["qc.input_ok"]?.flag == false || t["qc.ood"]?.flag == true
        if failed && c.values["frequency"] != nil { out.append("meaning: the patient is given an estimate made from an input that failed its check") }
        // (Checked on what the template is given: a driver's label may appear in other sentences, such as a
        // comparator "PSA density + PI-RADS".)
        if failed && audience != .developer && audience != .regulator, case .list(let drivers)? = c.values["attributions"] {
            for case .map(let d) in drivers { out.append("meaning: the driver \"\(d["label"]?.string ?? "")\" is cited although the input check failed") }
        }
        out += directions(t)
        out += tasks(text: text, table: t, record: record, case: c, audience: audience)
        // 6. A measurement says what it is of (a bare "0.13 ng/mL/cc" tells no reader what was measured).
        if let value = c.values["value"]?.string, let measure = record.values["measure"]?.string, UTF8Text.contains(text, value), !UTF8Text.contains(text, measure) {
            out.append("meaning: the measurement \(value) is given without saying what it measures (\(measure))")
        }
        out += language(text: text, table: t, record: record, audience: audience, sections: sections)
        out += Self.record(text: text, table: t, audience: audience)
        out += nested(text)
        return out
    }

    /// 3. A driver's stated direction agrees with the sign of its value (the text takes the direction from the
    /// sign; a fact whose direction disagrees would be a builder error, and is named).
    static func directions(_ t: FactTable) -> [String] {
        t.with(prefix: "xai.attr[").compactMap { f in
            guard let v = f.number, v != 0, let level = f.level, level == "towards" || level == "against" else { return nil }
            return (v > 0) == (level == "towards") ? nil : "meaning: the driver \"\(f.label)\" is told as pointing \(level) although its value is \(v)"
        }
    }

    /// 6. Tasks have their own claims: a contour's estimated quality is not confidence in a diagnosis; an
    /// uncertainty map is where the model is unsure, never what drove it; a measurement comes with its interval and
    /// the interval's level.
    static func tasks(text: String, table t: FactTable, record: ViewModel, case c: ViewModel, audience: Audience) -> [String] {
        var out: [String] = []
        // Lines are split only for the tasks that read them (splitting every text was half of explaining 10,000 cases).
        let segmentation = t["model.task"]?.text == "segmentation"
        guard segmentation || c.values["quality"] != nil || c.values["unsure_region"] != nil || c.values["value_interval"] != nil
              || record.values["interval_level"] != nil else { return [] }
        let lines = text.split(separator: "\n").map(String.init)
        // A segmentation's text speaks of its contour's quality, never of confidence or of being sure.
        if segmentation {
            for line in lines {
                let l = line.lowercased()
                if l.contains("confiden") || l.contains("quite sure") || l.contains("fairly sure") || l.contains("how sure") {
                    out.append("meaning: the contour's estimated quality is told as confidence: \"\(line.prefix(60))\"")
                }
            }
            // …and places it against its test set's contours when the per-case data allow.
            if let rank = c.values["quality_rank"]?.string, let quality = c.values["quality"]?.string, UTF8Text.contains(text, "Dice \(quality)"), !UTF8Text.contains(text, rank) {
                out.append("meaning: the contour's estimated quality \(quality) is given without its place among the test set's contours (\(rank))")
            }
        }
        // An interval's level is in the record: never "not reported".
        if record.values["interval_level"] != nil, lines.contains(where: { $0.contains("level not reported") || $0.contains("coverage not reported") }) {
            out.append("meaning: the interval's level is told as not reported, but the record gives it (\(t["uq.interval_level"]?.source ?? ""))")
        }
        guard c.values["quality"] != nil || c.values["unsure_region"] != nil || c.values["value_interval"] != nil else { return out }
        if let unsure = c.values["unsure_region"]?.string {
            for line in lines where line.contains(unsure) {
                let l = line.lowercased()
                if !(l.contains("least sure") || l.contains("unsure") || l.contains("uncertain")) || l.contains("drove") || l.contains("looked") {
                    out.append("meaning: the uncertainty map's region \(unsure) is told as something other than where the model is unsure")
                }
            }
        }
        if let value = c.values["value"]?.string, let interval = c.values["value_interval"]?.string, UTF8Text.contains(text, value) {
            if !UTF8Text.contains(text, interval) { out.append("meaning: the measurement \(value) is given without its case interval \(interval)") }
        }
        return out
    }

    /// 7. The regulator's checklist is complete (every item of EU AI Act Art. 13(3) and every FUTURE-AI principle)
    /// and honest: an item told "covered" has its content printed in the text, and a digest shorter than a full
    /// SHA-256 is never "covered".
    static func checklist(text: String, table t: FactTable, record: ViewModel) -> [String] {
        var out: [String] = []
        for (key, expected) in [("ai_act", ViewModel.aiAct(t)), ("future_ai", ViewModel.futureAI(t))] {
            guard case .list(let shown)? = record.values[key] else { out.append("meaning: the regulator checklist \(key) is missing"); continue }
            for item in expected {
                if !UTF8Text.contains(text, item.item + ": ") {
                    out.append("meaning: the checklist item \"\(item.item)\" is not listed")
                } else if !UTF8Text.contains(text, item.item + ": " + item.status.rawValue) {
                    // The status is earned from the record, the printed text and the verdicts, not written by a template.
                    out.append("meaning: the checklist item \"\(item.item)\" is not told \(item.status.rawValue), as the record and its verdicts make it")
                }
            }
            for case .map(let row) in shown where row["status"]?.string == "covered" {
                let evidence = row["evidence"]?.string ?? ""
                // The facts the item rests on (`ViewModel.evidenceFacts`): those with words must be printed.
                guard case .list(let ids)? = row["_facts"] else { continue }
                for case .string(let id) in ids where ViewModel.checklistContentFacts.contains(id) {
                    guard let f = t[id] else { continue }
                    let content = f.list?.first ?? f.text ?? f.number.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } ?? ""
                    if !content.isEmpty && !UTF8Text.contains(text, content) {
                        out.append("meaning: \(row["item"]?.string ?? "an item") is told covered, but its \(f.source) is not printed")
                    }
                }
                if evidence.contains("sha256") {
                    let sha = t["trace.training_sha256"]?.text ?? ""
                    if sha.utf8.count != 64 { out.append("meaning: \(row["item"]?.string ?? "an item") is told covered on a digest of \(sha.utf8.count) characters, not a full SHA-256") }
                }
            }
        }
        return out
    }

    /// 8. Each audience's language: the patient's page shows no reading score and gives the record's privacy
    /// sentence; the clinician reads AUC and Dice as numbers, not percentages, and every sensitivity or specificity
    /// at its threshold.
    static func language(text: String, table t: FactTable, record: ViewModel, audience: Audience, sections: [String]) -> [String] {
        var out: [String] = []
        switch audience {
        case .patient:
            // (A next step is the required section doctor_decides, checked for silence with every required section.)
            let lower = text.lowercased()
            for score in ["flesch", "reading grade", "kincaid"] where UTF8Text.contains(lower, score) {
                out.append("meaning: the patient's text shows a reading score (\(score))")
            }
            if sections.contains("privacy"), let privacy = record.values["privacy_text"]?.string, !UTF8Text.contains(text, privacy) {
                out.append("meaning: the patient's text lacks the record's privacy sentence")
            }
        case .clinician:
            let bytes = Array(text.utf8)
            /// Where `word` occurs in the text, each followed by the bytes after it.
            func after(_ word: String) -> [ArraySlice<UInt8>] {
                let w = Array(word.utf8)
                guard w.count <= bytes.count else { return [] }
                return (0...(bytes.count - w.count)).filter { i in bytes[i] == w[0] && bytes[i..<(i + w.count)].elementsEqual(w) }.map { bytes[($0 + w.count)...] }
            }
            func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
            for metric in ["AUC", "Dice"] {
                for rest in after(metric + " ") {
                    let number = rest.prefix { isDigit($0) || $0 == 0x2E }
                    if !number.isEmpty, rest.dropFirst(number.count).first == 0x25 {
                        out.append("meaning: the clinician reads \(metric) as a percentage (\(metric) \(String(decoding: number, as: UTF8.self))%)")
                    }
                }
            }
            // Every sensitivity and specificity is told at its threshold, in the same clause.
            if sections.contains("performance"), !t.with(prefix: "threshold.").isEmpty {
                let threshold = Array("threshold".utf8)
                for metric in ["sensitivity ", "specificity "] {
                    for rest in after(metric) where rest.first.map(isDigit) == true {
                        let clause = rest.prefix { $0 != 0x3B && $0 != 0x0A && $0 != 0x2C }
                        let hasThreshold = clause.count >= threshold.count && (clause.startIndex...(clause.endIndex - threshold.count)).contains {
                            clause[$0..<($0 + threshold.count)].elementsEqual(threshold)
                        }
                        if !hasThreshold { out.append("meaning: \(metric)\(String(decoding: clause.prefix(12), as: UTF8.self)) is given without its threshold") }
                    }
                }
            }
        case .developer, .regulator:
            break
        }
        return out
    }

    /// 9. Writing, line by line (a part's lines are its own, so this runs once per distinct part): each line starts
    /// with a capital letter and ends with a full stop (or ?, !, or a colon that introduces the lines after it); no
    /// line ends with a list separator. An item's enumeration, "(b)(ii) ", is not the start of its sentence.
    static func writing(_ text: String) -> [String] {
        var out: [String] = []
        for line in text.utf8.split(separator: 0x0A) {
            var i = line.startIndex
            while i < line.endIndex && line[i] == 0x28, let close = line[i...].firstIndex(of: 0x29) { i = line.index(after: close) }
            while i < line.endIndex, !(line[i] >= 0x80 || (line[i] | 0x20 >= 0x61 && line[i] | 0x20 <= 0x7A) || (line[i] >= 0x30 && line[i] <= 0x39)) { i = line.index(after: i) }
            guard i < line.endIndex, let last = line.last else { continue }
            let quote = String(Substring(line)).prefix(40)
            let lowerCase: Bool
            if line[i] >= 0x80 {
                // Beyond ASCII: the letter as a character (rare in the bundled templates).
                let c = String(Substring(line[i...])).first
                lowerCase = c.map { $0.isLetter && !$0.isUppercase } ?? false
            } else {
                lowerCase = line[i] >= 0x61 && line[i] <= 0x7A
            }
            if lowerCase { out.append("writing: a line starts in lower case: \"\(quote)\"") }
            if ![0x2E, 0x3F, 0x21, 0x3A].contains(last) {
                let end = String(Substring(line)).suffix(40)
                out.append(last == 0x3B || last == 0x2C ? "writing: a list ends with \"\(Character(Unicode.Scalar(last)))\": \"…\(end)\"" : "writing: a line does not end with a full stop: \"…\(end)\"")
            }
        }
        return out
    }
}

extension TemplateValue {
    var string: String? { if case .string(let s) = self { return s }; return nil }
    var isTrue: Bool { if case .bool(let b) = self { return b }; return false }
}

extension MeaningChecks {
    /// 4. Calibration, per test set and per bin. Where the case's estimate lies outside what its bin observed, every
    /// reader of the estimate is told the observed rate (for the patient, the observed frequency out of 100) and the
    /// direction the data show; no reader is told the opposite direction. A patient's frequency with no such bin is
    /// left alone: a poor overall ECE says nothing of this case's bin.
    static func calibration(text: String, table t: FactTable, case c: ViewModel, audience: Audience, shown: Bool) -> [String] {
        guard shown || (audience == .regulator && c.values["has_case"] != nil), c.values["withheld"] == nil else { return [] }
        var out: [String] = []
        // The truth, from the facts (not from what the template was given).
        let bins = t.with(prefix: "calib.case[").filter { !$0.id.contains("].") && ($0.level == "more_often" || $0.level == "less_often") }
        let told = audience == .patient ? "observed_frequency" : "observed"
        let given: [[String: TemplateValue]] = {
            guard case .list(let items)? = c.values["calibration_off"] else { return [] }
            return items.compactMap { if case .map(let m) = $0 { return m }; return nil }
        }()
        for f in bins {
            let set = t[f.id + ".test_set"]?.text ?? ""
            let item = given.first { $0["test_set"]?.string == set }
            // The observed rate with its count ("22 of 142"), so that a figure elsewhere with the same digits does
            // not pass for it; the patient's in words out of 100.
            let count = audience == .patient ? nil : item.flatMap { i in i["had"]?.string.flatMap { h in i["n"]?.string.map { "\(h) of \($0)" } } }
            guard let observed = item?[told]?.string, UTF8Text.contains(text, observed), count.map({ UTF8Text.contains(text, $0) }) ?? true else {
                out.append("meaning: on the \(set) the case's bin excludes its estimate (observed \(f.number.map { String(format: "%.2f", $0) } ?? "")), and the text gives no observed rate beside the estimate")
                continue
            }
            let right = f.level == "more_often" ? "more often" : "less often", wrong = f.level == "more_often" ? "less often" : "more often"
            if !UTF8Text.contains(text, right) || UTF8Text.contains(text, wrong) {
                out.append("meaning: on the \(set) the condition was seen \(right) than estimated, and the text does not say so in that direction")
            }
        }
        if bins.isEmpty, UTF8Text.contains(text, "Caution on this estimate") || UTF8Text.contains(text, "in earlier tests") {
            out.append("meaning: a calibration caution is given although no test set's bin excludes the case's estimate")
        }
        // One denominator and no false certainty for the patient.
        if audience == .patient {
            for bad in ["out of 10 ", " about 0 ", " about 100 ", " 0 in 100", " 100 in 100"] where UTF8Text.contains(text, bad) {
                out.append("meaning: the patient's frequency is not out of 100 with bounds at the ends (\"\(bad.trimmingCharacters(in: .whitespaces))\")")
            }
        }
        if audience == .clinician, let p = t["case.probability"]?.number, p < 0.005 || p >= 0.995 {
            for bad in [" 0% chance", " 100% chance"] where UTF8Text.contains(text, bad) {
                out.append("meaning: the clinician reads an estimate at the end of the scale as a certainty (\"\(bad.trimmingCharacters(in: .whitespaces))\")")
            }
        }
        return out
    }

    /// 5. An input that failed its check, lies outside the training data or is named in `out_of_scope` is told first,
    /// in those words, and nothing resting on it is told: no estimate, measurement, contour quality, drivers or
    /// similar cases, for any audience.
    static func scope(text: String, table t: FactTable, case c: ViewModel, audience: Audience) -> [String] {
        let failed = t["qc.input_ok"]?.flag == false || t["qc.ood"]?.flag == true
        let scope = t["qc.out_of_scope"]
        guard failed || scope != nil else { return [] }
        var out: [String] = []
        if scope != nil {
            let words = audience == .patient ? "not meant for" : "out of scope"
            if !UTF8Text.firstLine(of: text, contains: words) { out.append("meaning: the input is out of scope and the first line does not say \"\(words)\"") }
        }
        for key in ["chance", "frequency", "value", "quality"] where c.values[key] != nil {
            out.append("meaning: an output (\(key)) is told although the input \(scope != nil ? "is out of scope" : "failed its check")")
        }
        if case .list(let similar)? = c.values["similar_cases"], !similar.isEmpty {
            out.append("meaning: similar cases are listed although the input \(scope != nil ? "is out of scope" : "failed its check")")
        }
        return out
    }

    /// 10. What the record says twice in ways that cannot both be true reaches the developer and the regulator, and
    /// a test set is named, not given by its id.
    static func record(text: String, table t: FactTable, audience: Audience) -> [String] {
        var out: [String] = []
        if audience == .developer || audience == .regulator {
            for f in t.with(prefix: "finding[") + t.with(prefix: "case.finding[") where !UTF8Text.contains(text, f.text ?? "") {
                out.append("meaning: the record inconsistency \(f.label) at \(f.source) is not told")
            }
        }
        for f in t.with(prefix: "test_set.") {
            let id = String(f.id.dropFirst("test_set.".count))
            if id != f.text, UTF8Text.contains(text, "the \(id) test set") { out.append("meaning: the test set \(id) is given by its id, not its name (\(f.label))") }
        }
        if let label = t["condition.label"]?.text, let short = t["condition.short"]?.text, !short.hasPrefix(label), UTF8Text.contains(text, "towards \(label)") {
            out.append("meaning: a driver's direction is told towards the label \"\(label)\", not the condition \(short)")
        }
        return out
    }

    /// 9. No nested brackets in a line (raw codes inside an explanation inside a sentence).
    static func nested(_ text: String) -> [String] {
        // One pass over the bytes; a line is cut out only when it has nested brackets.
        var out: [String] = []
        var depth = 0, lineStart = text.utf8.startIndex, reported = false
        var i = text.utf8.startIndex
        while i < text.utf8.endIndex {
            let ch = text.utf8[i]
            if ch == 0x0A { depth = 0; reported = false; lineStart = text.utf8.index(after: i) }
            else if ch == 0x28 {
                depth += 1
                if depth > 1 && !reported {
                    reported = true
                    let end = text.utf8[i...].firstIndex(of: 0x0A) ?? text.utf8.endIndex
                    out.append("writing: nested brackets: \"\(String(Substring(text.utf8[lineStart..<end])).prefix(60))\"")
                }
            } else if ch == 0x29 { depth = max(0, depth - 1) }
            i = text.utf8.index(after: i)
        }
        return out
    }
}
