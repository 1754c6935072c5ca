import Foundation

/// Tick lists whose ticks are joined in one cell by any separator (";" in plain files, ", " in Google Forms, "," in
/// Qualtrics, " " in KoboToolbox and ODK), split without ever breaking an answer that contains the separator.
///
/// An answer is a run of separator-separated pieces that stands for one tick: a known option, a cell's whole value
/// that holds no separator, or a run that recurs whole across respondents ("Reader study (e.g., radiologists vs AI)",
/// "Korea, Republic of"). Runs are accepted shortest first, so two answers that happen to be ticked together are
/// never taken for one. With `typedOther` (Forms' "Other:" box), an answer must recur to be a choice, and a run given
/// by one respondent only is the text typed into "Other": one `other` tick plus the text, never cut in two.
enum TickLists {
    struct Split {
        /// The answers, known options first, then in order of first appearance.
        var options: [String]
        /// Respondents whose cell ticks two answers or more (the evidence the column is a tick list at all).
        var multiTicked = 0
        /// Ticks in all, and those that were typed "other" text (or, without `typedOther`, answers given once).
        var ticks = 0
        var typed = 0
        /// Whether some cell holds typed "other" text (with `typedOther`).
        var hasTypedOther: Bool { typed > 0 }
    }

    /// The separators a plain file's tick list is tried with, in turn (";" is tried first by the inference).
    static let candidates = [",", " ", "|"]

    /// Splits the distinct cells (with their respondent counts) joined by `separator` into answers.
    static func split(_ weighted: [(value: String, count: Int)], separator: String, typedOther: Bool, known: [String] = []) -> Split {
        let cells = weighted.map { (value: $0.value.trimmingCharacters(in: .whitespaces), count: $0.count) }.filter { !$0.value.isEmpty }
        var vocabulary = Set(known)
        if !typedOther {
            for c in cells where pieces(c.value, separator).count == 1 { vocabulary.insert(c.value) }
        }
        // Runs of pieces no answer covers, accepted when they recur, the shortest first, until nothing changes.
        for _ in 0..<32 {
            var runs: [String: (count: Int, length: Int)] = [:]
            for c in cells {
                for run in segment(c.value, separator: separator, options: vocabulary).typedRuns {
                    runs[run.text, default: (0, run.length)].count += c.count
                }
            }
            let recurring = runs.filter { $0.value.count >= 2 }
            guard let shortest = recurring.map(\.value.length).min() else { break }
            for (text, r) in recurring where r.length == shortest { vocabulary.insert(text) }
        }
        var out = Split(options: known)
        var listed = Set(known)
        for c in cells {
            let s = segment(c.value, separator: separator, options: vocabulary)
            var ticks = s.ticks
            if !typedOther {
                // Without an "Other" box, an answer given once is an answer all the same.
                ticks += s.typedRuns.map(\.text)
            } else if !s.typedRuns.isEmpty {
                out.typed += c.count
            }
            for t in ticks where listed.insert(t).inserted { out.options.append(t) }
            out.ticks += c.count * (ticks.count + (typedOther && !s.typedRuns.isEmpty ? 1 : 0))
            if ticks.count + (typedOther && !s.typedRuns.isEmpty ? 1 : 0) >= 2 { out.multiTicked += c.count }
        }
        return out
    }

    /// The split when the cells read as a tick list joined by `separator`: several respondents tick two answers or
    /// more, the answers read like tick-box labels (eight words at most), and typed "other" text is the exception.
    static func detect(_ weighted: [(value: String, count: Int)], separator: String, typedOther: Bool, known: [String] = []) -> Split? {
        let core = separator.trimmingCharacters(in: .whitespaces)
        guard weighted.contains(where: { core.isEmpty ? $0.value.trimmingCharacters(in: .whitespaces).contains(" ") : $0.value.contains(core) }) else { return nil }
        if core.isEmpty {
            // Space-joined ticks are XML names (KoboToolbox, ODK): `ich pe fracture`, never words of a sentence.
            let nameLike = weighted.allSatisfy { w in w.value.split(separator: " ").allSatisfy { p in p.allSatisfy { $0.isLetter || $0.isNumber || "_.-".contains($0) } && p.contains { $0.isLowercase || $0 == "_" || $0.isNumber } && !p.contains { $0.isUppercase } } }
            guard nameLike else { return nil }
        }
        let s = split(weighted, separator: separator, typedOther: typedOther, known: known)
        let total = weighted.reduce(0) { $0 + $1.count }
        guard s.multiTicked >= 2, s.options.count >= 2, s.options.count <= max(30, total / 2),
              s.options.allSatisfy({ $0.split(separator: " ").count <= 8 && !$0.contains(". ") && !$0.hasSuffix("?") }),
              Double(s.typed) <= 0.3 * Double(max(1, total)) else { return nil }
        return s
    }

    /// The separator a column's cells are joined by, tried in `candidates` order, with its split.
    static func sniff(_ weighted: [(value: String, count: Int)]) -> (separator: String, split: Split)? {
        for sep in candidates {
            if let s = detect(weighted, separator: sep == "," ? ", " : sep, typedOther: false) { return (sep == "," ? ", " : sep, s) }
        }
        return nil
    }

    /// The pieces of a cell between separators, as ranges of the cell trimmed of spaces (empty pieces left out:
    /// Microsoft Forms ends its lists with ";").
    static func pieces(_ cell: String, _ separator: String) -> [Range<String.Index>] {
        let core = separator.trimmingCharacters(in: .whitespaces)
        var out: [Range<String.Index>] = []
        var start = cell.startIndex
        func close(_ end: String.Index) {
            var lo = start, hi = end
            while lo < hi, cell[lo].isWhitespace { lo = cell.index(after: lo) }
            while hi > lo, cell[cell.index(before: hi)].isWhitespace { hi = cell.index(before: hi) }
            if lo < hi { out.append(lo..<hi) }
        }
        if core.isEmpty {
            var i = cell.startIndex
            while i < cell.endIndex {
                if cell[i].isWhitespace { close(i); start = cell.index(after: i) }
                i = cell.index(after: i)
            }
        } else {
            var search = cell.startIndex..<cell.endIndex
            while let r = cell.range(of: core, range: search) {
                close(r.lowerBound)
                start = r.upperBound
                search = r.upperBound..<cell.endIndex
            }
        }
        close(cell.endIndex)
        return out
    }

    /// A cell as ticks of `options` (the longest answers that cover it) and the runs of pieces no option covers.
    static func segment(_ cell: String, separator: String, options: Set<String>) -> (ticks: [String], typedRuns: [(text: String, length: Int)]) {
        let p = pieces(cell, separator)
        guard !p.isEmpty else { return ([], []) }
        let whole = cell.trimmingCharacters(in: .whitespaces)
        if options.contains(whole) { return ([whole], []) }
        // Fewest uncovered pieces, then fewest answers: cost[j] covers pieces 0..<j.
        let n = p.count
        var cost = [(Int, Int)](repeating: (Int.max, Int.max), count: n + 1)
        var from = [(start: Int, option: Bool)](repeating: (0, false), count: n + 1)
        cost[0] = (0, 0)
        for j in 1...n {
            for i in 0..<j where cost[i].0 != Int.max {
                let text = String(cell[p[i].lowerBound..<p[j - 1].upperBound])
                if options.contains(text) {
                    let c = (cost[i].0, cost[i].1 + 1)
                    if c < cost[j] { cost[j] = c; from[j] = (i, true) }
                }
            }
            let c = (cost[j - 1].0 + 1, cost[j - 1].1)
            if c < cost[j] { cost[j] = c; from[j] = (j - 1, false) }
        }
        var parts: [(Range<Int>, Bool)] = []
        var j = n
        while j > 0 { parts.append((from[j].start..<j, from[j].option)); j = from[j].start }
        parts.reverse()
        var ticks: [String] = [], runs: [(text: String, length: Int)] = []
        var runStart: Int?
        func endRun(_ end: Int) {
            if let s = runStart { runs.append((String(cell[p[s].lowerBound..<p[end - 1].upperBound]), end - s)); runStart = nil }
        }
        for (range, isOption) in parts {
            if isOption {
                endRun(range.lowerBound)
                let t = String(cell[p[range.lowerBound].lowerBound..<p[range.upperBound - 1].upperBound])
                if !ticks.contains(t) { ticks.append(t) }
            } else if runStart == nil {
                runStart = range.lowerBound
            }
        }
        endRun(n)
        return (ticks, runs)
    }

    /// The table with each multi-answer question that has a `separator` rewritten as the canonical ";"-joined
    /// answers (the questionnaire's question then has none). Text typed into "other" becomes one `other` tick,
    /// and the text itself a new open question "ID (other)" beside it, so nothing typed is lost or cut in two.
    static func canonicalize(_ table: inout WideTable, _ q: inout Questionnaire) {
        for s in q.sections.indices {
            var k = 0
            while k < q.sections[s].questions.count {
                defer { k += 1 }
                let question = q.sections[s].questions[k]
                guard question.type == .multi, let sep = question.separator,
                      let column = table.header.firstIndex(where: { $0.caseInsensitiveCompare(question.id) == .orderedSame }) else { continue }
                let options = Set(question.options.filter { $0.flag != .other }.map(\.code))
                var typed: [String] = []
                table.rows = table.rows.map { row in
                    var cells = row.cells
                    let cut = segment(cells[column], separator: sep, options: options)
                    let text = cut.typedRuns.map(\.text).joined(separator: sep)
                    cells[column] = (cut.ticks + (text.isEmpty ? [] : ["other"])).joined(separator: ";")
                    typed.append(text)
                    return (row.line, cells)
                }
                var fixed = question
                fixed.separator = nil
                if typed.contains(where: { !$0.isEmpty }) {
                    if fixed.option("other") == nil { fixed.options.append(AnswerOption(code: "other", label: "Other", flag: .other)) }
                    let name = question.id + " (other)"
                    table.header.append(name)
                    table.rows = zip(table.rows, typed).map { ($0.0.line, $0.0.cells + [$0.1]) }
                    var open = Question(id: name, text: question.text + " (Other:)", type: .open, topic: question.topic)
                    open.reason = "open text: typed into the \"other\" choice of \(question.id) (\(typed.filter { !$0.isEmpty }.count) respondents), which counts them as one other tick"
                    q.sections[s].questions.insert(open, at: k + 1)
                }
                q.sections[s].questions[k] = fixed
            }
        }
    }
}
