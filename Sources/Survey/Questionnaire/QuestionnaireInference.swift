import Foundation

/// Infers a questionnaire from a tidy CSV so any file can be explored at once, and says why each column was read
/// as it was (`Question.reason`, shown by `questions`):
/// - the respondent id is found by `WideTable.respondentIDColumn`; metadata columns (timestamps, durations, IP
///   addresses, e-mail, status, progress) go to a "metadata" section that is never compared;
/// - free text is open when answers are long, mostly different or sentence-like, whatever punctuation they hold;
/// - a column is multi-answer only when its `;`-separated parts recur across respondents;
/// - answers from a known ordered scale (agreement, frequency, likelihood, importance, satisfaction) or whole
///   numbers on 1–5, 1–7, 0–10 are Likert, in the scale's order, with "don't know" and "not applicable" last and
///   flagged;
/// - mostly numbers with many values are numeric; the cells that are not numbers ("11+", "n/a") are read as missing
///   and listed in the load message;
/// - everything else is single-answer, its values in order of first appearance.
public enum QuestionnaireInference {
    public static func infer(from table: WideTable) -> Questionnaire {
        var plain = ToolLayouts.Canonical(table: table)
        plain.metadata = Set(table.header.filter(isMetadata))
        return infer(from: plain, tool: nil)
    }

    /// A plain file profiled in one streaming pass (`ColumnProfiles`): the same decisions as `infer(from: WideTable)`,
    /// made from each column's distinct values and counts; a column with more distinct values than the profile
    /// keeps is numeric when 80% of its cells are numbers, and open text otherwise.
    static func infer(from p: ColumnProfiles, path: String) -> Questionnaire {
        var questions: [Question] = [], metadata: [Question] = []
        let id = p.idColumn
        for (j, name) in p.header.enumerated() where j != id {
            let (values, overflow) = p.weighted(j)
            var q: Question
            if let rest = overflow {
                let numbers = values.filter { Double($0.value).map { $0.isFinite } == true }.reduce(0) { $0 + $1.count } + rest.numbers
                let cells = values.reduce(0) { $0 + $1.count } + rest.cells
                if Double(numbers) >= 0.8 * Double(cells) {
                    q = Question(id: name, text: name, type: .numeric, topic: name)
                    q.lenient = numbers < cells
                    q.reason = String(format: "numeric: %.0f%% of the answers are numbers with more than %d different values", 100 * Double(numbers) / Double(cells), ColumnProfiles.distinctLimit)
                        + (numbers < cells ? "; the cells that are not numbers are read as missing" : "")
                } else {
                    q = Question(id: name, text: name, type: .open, topic: name)
                    q.reason = "open text: more than \(ColumnProfiles.distinctLimit) different answers"
                }
            } else {
                q = inferQuestion(name: name, weighted: values)
            }
            if isMetadata(name) {
                q.reason = "metadata of the response (by its name): kept as a variable, never compared; " + (q.reason ?? "")
                metadata.append(q)
            } else {
                questions.append(q)
            }
        }
        var sections = [Section(id: "inferred", title: "Columns", compare: true, questions: questions)]
        if !metadata.isEmpty { sections.append(Section(id: "metadata", title: "Metadata", compare: false, questions: metadata)) }
        // Without an id column, a name no header can have: the builder numbers the respondents.
        return Questionnaire(id: "inferred", title: "Inferred from \(path)", respondentIDColumn: id.map { p.header[$0] } ?? "\u{0}",
                             sections: sections, glossary: [], grouping: nil, source: "inferred from \(path)")
    }

    /// A tool's export read without a questionnaire: what its layout states (question texts, metadata, tick lists,
    /// typed "other" answers) is taken as stated, and every other column is inferred as in a plain file.
    /// (`tool` nil: a plain file, whose metadata is found by column name.)
    public static func infer(from canonical: ToolLayouts.Canonical, tool: String?) -> Questionnaire {
        let source = tool ?? "file"
        let table = canonical.table
        var questions: [Question] = [], metadata: [Question] = []
        for (i, name) in table.header.enumerated() where i != table.idColumn {
            let values = table.rows.map { $0.cells[i].trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var q: Question
            if let options = canonical.multi[name] {
                q = Question(id: name, text: name, type: .multi, topic: name,
                             options: options.map { AnswerOption(code: $0, label: $0, flag: $0 == "other" ? .other : nil) })
                q.reason = "multi-answer: a tick list in the \(source) export (\(options.count) choices)"
            } else if canonical.ratedItems.contains(name) {
                // An array sub-question: the answer codes (AO01 … AO05, A1 … A5) in their natural order.
                let codes = Set(values).sorted { $0.compare($1, options: .numeric) == .orderedAscending }
                q = Question(id: name, text: name, type: .likert, topic: name, options: codes.map { AnswerOption(code: $0, label: $0) })
                q.reason = "likert: a sub-question of an array in the \(source) export, its codes in order \(codes.joined(separator: " < "))"
            } else if canonical.otherText.contains(name) {
                q = Question(id: name, text: name, type: .open, topic: name)
                q.reason = "open text: the answer typed into an \"other\" choice"
            } else {
                q = inferQuestion(name: name, values: values)
                if canonical.numbersAreCodes, q.type == .likert, q.options.isEmpty {
                    // A raw export's choice codes: categories in code order, not a scale (a data dictionary names them).
                    let codes = Set(values).sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
                    q = Question(id: name, text: name, type: .single, topic: name, options: codes.map { AnswerOption(code: $0, label: $0) })
                    q.reason = "single answer: the \(source) export's raw choice codes (load survey … --dictionary FILE gives their labels)"
                }
            }
            if let text = canonical.texts[name], !text.isEmpty { q.text = text }
            if canonical.metadata.contains(name) {
                q.reason = "metadata of the response (\(tool ?? "by its name")): kept as a variable, never compared; " + (q.reason ?? "")
                metadata.append(q)
            } else {
                questions.append(q)
            }
        }
        let idName = table.idColumn.map { table.header[$0] } ?? "respondent"
        var sections = [Section(id: "inferred", title: tool == nil ? "Columns" : "Questions", compare: true, questions: questions)]
        if !metadata.isEmpty { sections.append(Section(id: "metadata", title: "Metadata", compare: false, questions: metadata)) }
        return Questionnaire(id: "inferred", title: tool.map { "Inferred from the \($0) export \(table.path)" } ?? "Inferred from \(table.path)", respondentIDColumn: idName,
                             sections: sections, glossary: [], grouping: nil, source: "inferred from \(table.path)")
    }

    /// Column names survey tools give to what they record about a response rather than ask: compared without case,
    /// spaces and punctuation (Qualtrics' StartDate, Duration (in seconds), IPAddress, Finished, Progress;
    /// LimeSurvey's submitdate, lastpage, startlanguage, seed; REDCap's *_timestamp and *_complete; Forms' Timestamp
    /// and Email Address).
    static let metadataNames: Set<String> = [
        "startdate", "enddate", "recordeddate", "submitdate", "datestamp", "startdatetime", "timestamp", "date", "time",
        "durationinseconds", "duration", "ipaddress", "ip", "email", "emailaddress", "status", "progress", "finished",
        "locationlatitude", "locationlongitude", "distributionchannel", "userlanguage", "recipientlastname", "recipientfirstname",
        "recipientemail", "externalreference", "externaldatareference", "lastpage", "startlanguage", "seed", "refurl", "useragent",
        "interviewtime", "completed", "complete", "redcapsurveyidentifier", "redcapeventname", "redcaprepeatinstrument", "redcaprepeatinstance",
    ]

    public static func isMetadata(_ name: String) -> Bool {
        let key = name.lowercased().filter { $0.isLetter || $0.isNumber }
        if metadataNames.contains(key) { return true }
        let lower = name.lowercased()
        return lower.hasSuffix("_timestamp") || lower.hasSuffix("_complete") || lower.hasPrefix("redcap_") || key.contains("recaptcha")
            || key.hasPrefix("ipaddress") || key.hasPrefix("emailaddress")
    }

    static func inferQuestion(name: String, values: [String]) -> Question {
        // Distinct values in order of first appearance, with how often each occurs.
        var counts: [String: Int] = [:]
        var order: [String] = []
        for v in values {
            if counts[v] == nil { order.append(v) }
            counts[v, default: 0] += 1
        }
        return inferQuestion(name: name, weighted: order.map { ($0, counts[$0] ?? 0) })
    }

    /// The same from distinct (trimmed, non-empty) values in order of first appearance and their counts.
    static func inferQuestion(name: String, weighted: [(value: String, count: Int)]) -> Question {
        let total = weighted.reduce(0) { $0 + $1.count }
        func question(_ type: QuestionType, _ options: [AnswerOption] = [], scale: LikertScale? = nil, reason: String) -> Question {
            var q = Question(id: name, text: name, type: type, topic: name, options: options, scale: scale)
            q.reason = reason
            return q
        }
        guard total > 0 else { return question(.single, reason: "no answers") }
        let meanLength = Double(weighted.reduce(0) { $0 + $1.value.count * $1.count }) / Double(total)
        let uniqueShare = Double(weighted.count) / Double(total)
        let meanWords = Double(weighted.reduce(0) { $0 + $1.value.split(separator: " ").count * $1.count }) / Double(total)

        // Multi-answer: `;`-separated parts that recur across respondents (a tick-list), not punctuation in prose.
        if weighted.contains(where: { $0.value.contains(";") }) {
            var parts: [String: Int] = [:], partOrder: [String] = []
            for (v, n) in weighted {
                // In the cell's own order (iterating a Set gave the options a different order in every process).
                var seen: Set<String> = []
                for p in v.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !p.isEmpty && seen.insert(p).inserted {
                    if parts[p] == nil { partOrder.append(p) }
                    parts[p, default: 0] += n
                }
            }
            let occurrences = parts.values.reduce(0, +)
            let recurring = parts.values.filter { $0 >= 2 }.reduce(0, +)
            let share = occurrences == 0 ? 0 : Double(recurring) / Double(occurrences)
            let partWords = Double(parts.reduce(0) { $0 + $1.key.split(separator: " ").count * $1.value }) / Double(max(1, occurrences))
            // Parts that read like tick-box labels: a few words, no sentence punctuation.
            let tokenLike = partWords <= 4 && !parts.keys.contains { $0.contains(". ") || $0.hasSuffix(".") || $0.contains("?") || $0.contains("!") }
            if tokenLike && (share >= 0.5 || total < 10) && parts.count <= max(30, total / 2) {
                return question(.multi, partOrder.map { AnswerOption(code: $0, label: $0) },
                                reason: String(format: "multi-answer: \";\"-separated parts, %.0f%% of them given by 2 or more respondents", 100 * share))
            }
        }
        // Free text: long, mostly different, or sentences.
        if meanLength > 40 || (uniqueShare > 0.9 && meanLength > 15 && total > 5) || (meanWords >= 5 && uniqueShare > 0.5) {
            return question(.open, reason: String(format: "open text: answers average %.0f characters, %.0f%% of them different", meanLength, 100 * uniqueShare))
        }
        // Ordered scales in words.
        if let scale = OrderedScales.match(weighted.map(\.value)) {
            let options = scale.order.map { AnswerOption(code: $0, label: $0) } + scale.unordered.map { AnswerOption(code: $0, label: $0, flag: .dontKnow) }
            return question(.likert, options, reason: "likert: \(scale.name) scale, ordered \(scale.order.joined(separator: " < "))"
                                + (scale.unordered.isEmpty ? "" : "; \(scale.unordered.joined(separator: ", ")) kept last and left out of rank tests"))
        }
        // Numbers.
        let numbers = weighted.compactMap { w in Double(w.value).flatMap { $0.isFinite ? ($0, w.count) : nil } }
        let numericCount = numbers.reduce(0) { $0 + $1.1 }
        // Whole numbers on a usual rating range, the smallest range that holds them.
        if numericCount == total, numbers.count >= 3, numbers.allSatisfy({ $0.0 == $0.0.rounded() }),
           let lo = numbers.map(\.0).min(), let hi = numbers.map(\.0).max(),
           let range = [(1, 5), (1, 7), (1, 10), (0, 10)].first(where: { lo >= Double($0.0) && hi <= Double($0.1) }) {
            return question(.likert, scale: LikertScale(min: range.0, max: range.1), reason: "likert: whole numbers within \(range.0)–\(range.1)")
        }
        // Whole numbers spread thinly over a wide range (ages 23–64 in a small survey: 12 values over 41 years) are
        // a measurement, not 12 categories; a few codes with a gap (1, 2, 3, 99) are not spread enough to count.
        let spread: Bool = {
            guard numbers.count >= 6, let lo = numbers.map(\.0).min(), let hi = numbers.map(\.0).max() else { return false }
            return hi - lo >= 2 * Double(numbers.count)
        }()
        if numericCount > 0, Double(numericCount) >= 0.8 * Double(total),
           numbers.count > 12 || (numbers.count > 5 && numbers.contains { $0.0 != $0.0.rounded() }) || spread {
            var q = question(.numeric, reason: String(format: "numeric: %.0f%% of the answers are numbers with %d different values", 100 * Double(numericCount) / Double(total), numbers.count)
                                + (numericCount < total ? "; the cells that are not numbers are read as missing" : ""))
            q.lenient = numericCount < total
            return q
        }
        return question(.single, weighted.map { AnswerOption(code: $0.value, label: $0.value) },
                        reason: "single answer: \(weighted.count) different values, in order of first appearance")
    }
}

/// The ordered answer scales surveys use, recognised by their words (case and punctuation ignored), with the
/// answers that sit outside the order ("don't know", "not applicable", "prefer not to say").
enum OrderedScales {
    struct Match {
        let name: String
        /// The values in the scale's order, as written in the file.
        let order: [String]
        /// Values outside the order, kept last.
        let unordered: [String]
    }

    static let scales: [(name: String, points: [[String]])] = [
        ("agreement", [["strongly disagree", "totally disagree", "completely disagree"], ["disagree", "mostly disagree"], ["somewhat disagree", "slightly disagree", "tend to disagree"],
                       ["neither agree nor disagree", "neither agree or disagree", "neutral", "undecided", "neither"],
                       ["somewhat agree", "slightly agree", "tend to agree"], ["agree", "mostly agree"], ["strongly agree", "totally agree", "completely agree"]]),
        ("frequency", [["never"], ["rarely", "seldom"], ["sometimes", "occasionally"], ["often", "frequently"], ["usually", "very often", "most of the time"], ["always"]]),
        ("likelihood", [["very unlikely", "extremely unlikely"], ["unlikely", "somewhat unlikely"], ["neither likely nor unlikely", "neutral"],
                        ["likely", "somewhat likely"], ["very likely", "extremely likely"]]),
        ("importance", [["not at all important", "not important"], ["slightly important", "of little importance", "low importance"],
                        ["moderately important", "somewhat important"], ["important"], ["very important"], ["extremely important", "essential"]]),
        ("satisfaction", [["very dissatisfied", "extremely dissatisfied"], ["dissatisfied", "somewhat dissatisfied"], ["neither satisfied nor dissatisfied", "neutral"],
                          ["satisfied", "somewhat satisfied"], ["very satisfied", "extremely satisfied"]]),
        ("quality", [["very poor"], ["poor"], ["fair", "average"], ["good"], ["very good"], ["excellent"]]),
    ]

    static let outside: Set<String> = ["dont know", "do not know", "not sure", "not applicable", "na", "n a", "prefer not to say",
                                       "prefer not to answer", "no opinion", "cannot say", "unsure"]

    /// Lower case, apostrophes dropped ("don't" → "dont"), other punctuation as spaces, spaces collapsed.
    static func key(_ s: String) -> String {
        s.lowercased().filter { $0 != "'" && $0 != "’" }.map { $0.isLetter || $0.isNumber ? $0 : " " }.reduce(into: "") { $0.append($1) }
            .split(separator: " ").joined(separator: " ")
    }

    /// The scale every value belongs to (apart from "don't know" and the like), when at least two of its points
    /// appear; nil otherwise.
    /// Each scale with the rank of each of its words, made once: made per column, they were half of loading a
    /// file of 100,000 columns.
    static let ranks: [(scale: (name: String, points: [[String]]), rank: [String: Int])] = scales.map { scale in
        var rank: [String: Int] = [:]
        for (k, words) in scale.points.enumerated() { for w in words { rank[w] = k } }
        return (scale, rank)
    }

    static func match(_ values: [String]) -> Match? {
        let outsideValues = values.filter { outside.contains(key($0)) }
        let inside = values.filter { !outside.contains(key($0)) }
        guard inside.count >= 2 else { return nil }
        for (scale, rank) in ranks {
            guard inside.allSatisfy({ rank[key($0)] != nil }) else { continue }
            let ordered = inside.sorted { (rank[key($0)] ?? 0, $0) < (rank[key($1)] ?? 0, $1) }
            return Match(name: scale.name, order: ordered, unordered: outsideValues)
        }
        return nil
    }
}
