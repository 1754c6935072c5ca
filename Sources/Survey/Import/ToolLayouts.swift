import Foundation

/// The four survey tools' exports read without a questionnaire: each layout is turned into the canonical wide table
/// (multi-answer cells as `;`-joined codes) with what the export itself says about its columns (question texts,
/// which columns are metadata, which are tick lists), and the inference (`QuestionnaireInference.infer(from:)`)
/// types the rest. Nothing is guessed that the export states: a column that fits no rule is kept as a variable.
public enum ToolLayouts {
    public struct Canonical {
        public var table: WideTable
        /// Question text per column, where the export gives one (Qualtrics' second header row, Forms' headers).
        public var texts: [String: String] = [:]
        public var metadata: Set<String> = []
        /// Columns the layout says are tick lists, with their options in the export's order.
        public var multi: [String: [String]] = [:]
        /// Columns holding the text typed into an "other" choice.
        public var otherText: Set<String> = []
        /// What the load message says about the layout (previews, unfinished responses, …).
        public var notes: [String] = []
        /// Sub-questions of an array (a Likert grid): each a rated item, its answer codes in code order.
        public var ratedItems: Set<String> = []
        /// How the export marks complete responses (`filter complete`).
        public var completion: CompletionRule?
        /// The separator a tick list was joined by in the file (", " in Forms), for the reason `questions` gives.
        public var separators: [String: String] = [:]
        /// Whole numbers are answer codes (REDCap raw exports code every choice 1, 2, 3 …), never a rating scale.
        public var numbersAreCodes = false
    }

    /// Qualtrics (choice text or numeric values): ids in the first header row, question texts in the second,
    /// `{"ImportId": …}` in the third. Multi-answer questions come as one column of choices joined by "," (choice
    /// text) or as `Q10_1`, `Q10_2`, … columns; `_TEXT` columns hold typed "other" answers; Status 1 / "Survey
    /// Preview" marks previews and Finished false / 0 unfinished responses.
    public static func qualtrics(_ records: [CSVReader.Record], path: String) throws -> Canonical {
        var raw = try WideTable(records: records, path: path, headerRows: 3)
        let texts = records.count > 1 ? records[1].fields : []
        var out = Canonical(table: raw)
        for (k, h) in raw.header.enumerated() where k < texts.count { out.texts[h] = texts[k] }
        out.metadata = Set(raw.header.filter(QuestionnaireInference.isMetadata))
        out.otherText = Set(raw.header.filter { $0.uppercased().hasSuffix("_TEXT") })
        // Choice columns Q10_1, Q10_2, … of one question: a tick list (each cell the choice's text or 1, or empty).
        let (qualtricsNames, order) = columnGroups(raw.header.filter { !out.metadata.contains($0) && !out.otherText.contains($0) }) { h in
            guard let us = h.lastIndex(of: "_"), Int(h[h.index(after: us)...]) != nil else { return nil }
            return String(h[..<us])
        }
        for base in order {
            let columns = (qualtricsNames[base] ?? []).compactMap { raw.header.firstIndex(of: $0) }
            guard columns.count >= 2,
                  columns.allSatisfy({ k in Set(raw.rows.map { $0.cells[k] }.filter { !$0.isEmpty }).count <= 1 }) else { continue }
            // One column per choice, ticked or empty: merged into one tick-list column named by the question.
            let options = columns.map { k in raw.rows.lazy.map { $0.cells[k] }.first { !$0.isEmpty && $0 != "1" } ?? String(raw.header[k].split(separator: "_").last ?? "") }
            raw = merge(raw, columns: columns, into: base, options: options)
            out.multi[base] = options
            if let text = columns.first.flatMap({ k in texts.indices.contains(k) ? texts[k] : nil }) {
                out.texts[base] = text.components(separatedBy: " - ").first ?? text
            }
        }
        // Choice-text exports join a multi-answer question's choices by "," in one column.
        for h in raw.header where !out.metadata.contains(h) && !out.otherText.contains(h) && out.multi[h] == nil {
            if let k = raw.header.firstIndex(of: h) { splitTickList(&raw, &out, column: k, name: h, separator: ",", typedOther: false) }
        }
        out.table = raw
        // Previews and unfinished responses are counted, not dropped unannounced.
        func count(_ column: String, _ matches: (String) -> Bool) -> Int {
            guard let k = raw.header.firstIndex(where: { $0.lowercased() == column }) else { return 0 }
            return raw.rows.filter { matches($0.cells[k].trimmingCharacters(in: .whitespaces).lowercased()) }.count
        }
        let previews = count("status") { $0 == "1" || $0 == "survey preview" }
        let unfinished = count("finished") { $0 == "0" || $0 == "false" }
        if previews + unfinished > 0 {
            out.notes.append("\(previews) preview response(s) (Status) and \(unfinished) unfinished (Finished) are included; they are kept as the metadata columns Status and Finished"
                             + (unfinished > 0 ? "; filter complete keeps the finished ones" : "") + (previews > 0 ? ", filter Status != \"Survey Preview\" leaves out previews" : ""))
        }
        if let finished = raw.header.first(where: { $0.lowercased() == "finished" }) {
            out.completion = CompletionRule(question: finished, complete: ["1", "true"])
        }
        out.table.idColumn = raw.header.firstIndex { $0.lowercased() == "responseid" }
        return out
    }

    /// LimeSurvey (question codes): `id`, `submitdate`, `lastpage`, … then one column per question code;
    /// multiple-choice questions as one column per sub-question `Q10[SQ001]` (Y or empty) with `Q10[other]` the
    /// typed other answer; array questions as `agree[SQ001]`, one rated item each. An empty submitdate is an
    /// incomplete response.
    public static func limesurvey(_ records: [CSVReader.Record], path: String) throws -> Canonical {
        var raw = try WideTable(records: records, path: path)
        var out = Canonical(table: raw)
        out.metadata = Set(raw.header.filter { QuestionnaireInference.isMetadata($0) || ["lastpage", "startlanguage", "seed", "ipaddr", "refurl", "datestamp"].contains($0.lowercased()) })
        // Indices by name at each step: merging a group removes columns and moves the ones after it.
        let (names, order) = columnGroups(raw.header) { h in h.firstIndex(of: "[").flatMap { h.hasSuffix("]") ? String(h[..<$0]) : nil } }
        for base in order {
            let columns = (names[base] ?? []).compactMap { raw.header.firstIndex(of: $0) }
            guard !columns.isEmpty else { continue }
            func sub(_ k: Int) -> String {
                let h = raw.header[k]
                return h.firstIndex(of: "[").map { String(h[h.index(after: $0)..<h.index(before: h.endIndex)]) } ?? h
            }
            let ticks = columns.filter { sub($0).lowercased() != "other" }
            // A multiple-choice question: every sub-question cell is Y (or N) or empty, or, exported as full answers,
            // Yes / No / N/A (not reached).
            let tickWords: Set<String> = ["", "y", "n", "yes", "no", "n/a"]
            let isTickList = ticks.allSatisfy { k in raw.rows.allSatisfy { tickWords.contains($0.cells[k].trimmingCharacters(in: .whitespaces).lowercased()) } }
            // A list question's typed "other" (`role[other]` beside `role`) is open text.
            if ticks.isEmpty { columns.forEach { out.otherText.insert(raw.header[$0]) }; continue }
            // An array: each sub-question stays its own rated item.
            guard isTickList else { columns.forEach { out.ratedItems.insert(raw.header[$0]) }; continue }
            let options = ticks.map(sub)
            if let other = columns.first(where: { sub($0).lowercased() == "other" }) {
                // The typed "other" answer: kept as its own open column, and as the tick of option "other".
                out.otherText.insert(raw.header[other])
                let otherTicked = raw.rows.map { !$0.cells[other].trimmingCharacters(in: .whitespaces).isEmpty }
                raw = merge(raw, columns: ticks, into: base, options: options, ticked: { ["y", "yes"].contains($0.lowercased()) }, extra: ("other", otherTicked))
                out.multi[base] = options + ["other"]
            } else {
                raw = merge(raw, columns: ticks, into: base, options: options, ticked: { ["y", "yes"].contains($0.lowercased()) })
                out.multi[base] = options
            }
        }
        out.table = raw
        if let k = raw.header.firstIndex(where: { $0.lowercased() == "submitdate" }) {
            let incomplete = raw.rows.filter { $0.cells[k].trimmingCharacters(in: .whitespaces).isEmpty }.count
            if incomplete > 0 { out.notes.append("\(incomplete) incomplete response(s) (no submitdate) are included; submitdate is kept as a metadata column; filter complete keeps the submitted ones") }
            out.completion = CompletionRule(question: raw.header[k], complete: ["*"])
        }
        out.table.idColumn = raw.header.firstIndex { $0.lowercased() == "id" }
        return out
    }

    /// REDCap raw or label export: `record_id`, checkbox fields as `field___code` (0/1 raw, Checked/Unchecked in
    /// labels), `redcap_*`, `*_timestamp` and `*_complete` bookkeeping; `_complete` other than 2 (Complete) is an
    /// unfinished instrument.
    public static func redcap(_ records: [CSVReader.Record], path: String) throws -> Canonical {
        var raw = try WideTable(records: records, path: path)
        var out = Canonical(table: raw)
        out.metadata = Set(raw.header.filter(QuestionnaireInference.isMetadata))
        // Raw export: `methods___1`; labels export: "Which methods …? (choice=External test set)".
        func split(_ h: String) -> (base: String, code: String)? {
            if let r = h.range(of: "___") { return (String(h[..<r.lowerBound]), String(h[r.upperBound...])) }
            if h.hasSuffix(")"), let r = h.range(of: " (choice=", options: .backwards) {
                return (String(h[..<r.lowerBound]), String(h[r.upperBound..<h.index(before: h.endIndex)]))
            }
            return nil
        }
        let (redcapNames, order) = columnGroups(raw.header) { split($0)?.base }
        for base in order {
            let columns = (redcapNames[base] ?? []).compactMap { raw.header.firstIndex(of: $0) }
            guard !columns.isEmpty else { continue }
            let codes = columns.map { k in split(raw.header[k])?.code ?? raw.header[k] }
            raw = merge(raw, columns: columns, into: base, options: codes, ticked: { ["1", "checked"].contains($0.lowercased()) })
            out.multi[base] = codes
            out.texts[base] = base
        }
        // The labels export names its bookkeeping in words.
        out.metadata.formUnion(raw.header.filter { ["survey identifier", "survey timestamp", "complete?", "repeat instrument", "repeat instance", "event name"].contains($0.lowercased())
            || $0.lowercased().hasSuffix(" timestamp") })
        out.table = raw
        for (k, h) in raw.header.enumerated() where h.lowercased().hasSuffix("_complete") || h.lowercased() == "complete?" {
            let unfinished = raw.rows.filter { !["2", "complete"].contains($0.cells[k].trimmingCharacters(in: .whitespaces).lowercased()) }.count
            if unfinished > 0 { out.notes.append("\(unfinished) response(s) with \(h) other than Complete (2) are included; filter complete keeps the complete ones") }
            if out.completion == nil { out.completion = CompletionRule(question: h, complete: ["2", "complete"]) }
        }
        out.table.idColumn = raw.header.firstIndex { $0.lowercased() == "record_id" || $0.lowercased() == "record id" }
        out.numbersAreCodes = true
        return out
    }

    /// Google Forms (and Microsoft Forms): question texts as headers after Timestamp (Microsoft: ID, Start time,
    /// Completion time, Email, Name); checkbox answers joined by ", " (Microsoft ";"), an "Other:" answer written
    /// as its typed text among the choices.
    public static func googleForms(_ records: [CSVReader.Record], path: String) throws -> Canonical {
        var raw = try WideTable(records: records, path: path)
        var out = Canonical(table: raw)
        let microsoft = raw.header.contains("Completion time")
        let meta: Set<String> = ["timestamp", "id", "start time", "completion time", "email", "name", "email address", "last modified time", "score"]
        out.metadata = Set(raw.header.filter { meta.contains($0.lowercased()) || QuestionnaireInference.isMetadata($0) })
        for h in raw.header { out.texts[h] = h }
        // A checkbox question: cells joined by the separator whose parts recur across respondents; the typed
        // "Other:" answers are the parts given once.
        let separator = microsoft ? ";" : ", "
        for (k, h) in raw.header.enumerated() where !out.metadata.contains(h) {
            splitTickList(&raw, &out, column: k, name: h, separator: separator, typedOther: true)
        }
        out.table = raw
        out.table.idColumn = microsoft ? raw.header.firstIndex(of: "ID") : nil
        return out
    }

    /// Columns that belong to one question (`base` gives the question of a column name, nil for a column of its
    /// own), by name, with the questions in the order they first appear.
    static func columnGroups(_ header: [String], base: (String) -> String?) -> (names: [String: [String]], order: [String]) {
        var names: [String: [String]] = [:], order: [String] = []
        for h in header {
            guard let b = base(h) else { continue }
            if names[b] == nil { order.append(b) }
            names[b, default: []].append(h)
        }
        return (names, order)
    }

    /// Turns column `k` into a tick list when its cells are choices joined by `separator` that recur across
    /// respondents (`TickLists.detect`: an answer containing the separator stays whole). With `typedOther`, a run
    /// given by one respondent only is a typed "other" answer: ticked as option `other`, its text kept whole in a
    /// new column "NAME (other)".
    static func splitTickList(_ raw: inout WideTable, _ out: inout Canonical, column k: Int, name h: String, separator: String, typedOther: Bool) {
        let cells = raw.rows.map { $0.cells[k].trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard let split = TickLists.detect(QuestionnaireInference.counted(cells), separator: separator, typedOther: typedOther) else { return }
        let choices = Set(split.options)
        var otherText: [String] = []
        raw.rows = raw.rows.map { row in
            var cells = row.cells
            let cut = TickLists.segment(cells[k], separator: separator, options: choices)
            let typed = typedOther ? cut.typedRuns.map(\.text).joined(separator: separator) : ""
            let ticks = cut.ticks + (typedOther ? [] : cut.typedRuns.map(\.text))
            cells[k] = (ticks + (typed.isEmpty ? [] : ["other"])).joined(separator: ";")
            otherText.append(typed)
            return (row.line, cells)
        }
        let anyTyped = otherText.contains { !$0.isEmpty }
        out.multi[h] = split.options + (anyTyped ? ["other"] : [])
        out.separators[h] = separator
        if anyTyped {
            let name = h + " (other)"
            raw.header.append(name)
            raw.rows = zip(raw.rows, otherText).map { ($0.0.line, $0.0.cells + [$0.1]) }
            out.otherText.insert(name)
            out.texts[name] = (out.texts[h] ?? h) + " (Other:)"
        }
    }

    /// The table with `columns` (one per option) replaced by one tick-list column `name`, placed where the first
    /// was: each cell the `;`-joined options whose column is ticked (non-empty and not 0 by default).
    static func merge(_ t: WideTable, columns: [Int], into name: String, options: [String],
                      ticked: (String) -> Bool = { let v = $0.trimmingCharacters(in: .whitespaces); return !v.isEmpty && v != "0" },
                      extra: (code: String, ticked: [Bool])? = nil) -> WideTable {
        guard let first = columns.first else { return t }
        let drop = Set(columns)
        var out = t
        out.header = t.header.enumerated().compactMap { k, h in k == first ? name : drop.contains(k) ? nil : h }
        out.rows = t.rows.enumerated().map { r, row in
            var chosen = zip(columns, options).filter { ticked(row.cells[$0.0].trimmingCharacters(in: .whitespaces)) }.map(\.1)
            if let extra, extra.ticked[r] { chosen.append(extra.code) }
            let cells = row.cells.enumerated().compactMap { k, c in k == first ? chosen.joined(separator: ";") : drop.contains(k) ? nil : c }
            return (row.line, cells)
        }
        return out
    }
}
