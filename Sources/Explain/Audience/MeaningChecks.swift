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
        // 2. A figure the recomputation contradicts is never stated alone.
        if sections.contains("performance"), case .list(let rows)? = record.values["perf_contradicted"] {
            for case .map(let row) in rows {
                if let re = row["recomputed"]?.string, !UTF8Text.contains(text, re) {
                    out.append("meaning: \(row["name"]?.string ?? "a figure") on \(row["test_set"]?.string ?? "a test set") is stated without its recomputed value \(re)")
                }
            }
        }
        // 4. Calibration off in the case's range reaches every reader of the probability (in numbers, except for
        // the patient, whose template says it in words).
        if case .list(let bins)? = c.values["calibration_off"], !bins.isEmpty, audience != .patient, shown {
            for case .map(let bin) in bins where !(bin["observed"]?.string.map { UTF8Text.contains(text, $0) } ?? false) {
                out.append("meaning: the model was off in this case's probability range on the \(bin["test_set"]?.string ?? "") test set, and the text does not say so")
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
}
