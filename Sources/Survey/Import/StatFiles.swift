import CReadStat
import Foundation
import Statistics

/// SPSS (.sav, .zsav), Stata (.dta) and SAS (.sas7bdat) files through ReadStat: each variable's label becomes the
/// question text; a variable with value labels becomes a single-answer question whose codes are its values, labelled
/// and ordered as declared (by value); user-missing values (SPSS missing values, Stata's extended missing) are
/// missing; other numbers are numeric and strings are inferred as in a plain file (open text or categories).
/// SPSS multiple-response sets (which this ReadStat does not read) come from `SPSSMultipleResponseSet`: each set
/// becomes one multi-answer question in place of its variables.
public enum StatFiles {
    public static let extensions: Set<String> = ["sav", "zsav", "dta", "sas7bdat"]

    public static func handles(_ path: String) -> Bool { extensions.contains((path as NSString).pathExtension.lowercased()) }

    /// What the callbacks collect.
    final class Collected {
        var names: [String] = []
        var labels: [String] = []
        var isString: [Bool] = []
        var labelSet: [String?] = []
        /// Each variable's user-missing ranges (SPSS missing values), so their labels are not offered as answers.
        var missing: [[ClosedRange<Double>]] = []
        var cells: [[String]] = []   // by variable
        var valueLabels: [String: [(value: Double?, text: String, code: String)]] = [:]
        var rows = 0
        var error: String?
        /// The budget on cases × variables, and the cells read so far.
        var maxCells = StatFiles.defaultMaxCells
        var cellCount = 0
        var interrupted = false
    }

    /// The most cells (cases × variables) read from one file unless raised (`load survey … --max-cells N`): about
    /// 100 bytes each by the time they are answers, so the default stays under 1 GB. A 535 KB `.zsav` declaring 20
    /// million cases once aborted at 4.7 GB; ReadStat's output had no budget.
    public static let defaultMaxCells = 10_000_000

    static func overBudget(_ what: String, _ maxCells: Int) -> String {
        "\(what), over the budget of \(maxCells) cells (cases × variables); if the file is right, raise it with load survey … --max-cells N"
    }

    static func text(_ p: UnsafePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

    /// The code of a value: integral numbers without a decimal point ("1", not "1.0"), strings as they are.
    static func code(_ v: readstat_value_t) -> (code: String, number: Double?) {
        if readstat_value_type(v) == READSTAT_TYPE_STRING { return (text(readstat_string_value(v)), nil) }
        let d = readstat_double_value(v)
        return (d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)", d)
    }

    public static func read(path: String, maxCells: Int = defaultMaxCells) throws -> (questionnaire: Questionnaire, table: WideTable) {
        guard FileManager.default.isReadableFile(atPath: path) else { throw SurveyError.unreadable(path: path, reason: "no such file or not readable") }
        let c = Collected()
        c.maxCells = maxCells
        guard let parser = readstat_parser_init() else { throw SurveyError.unreadable(path: path, reason: "ReadStat could not start") }
        defer { readstat_parser_free(parser) }
        readstat_set_metadata_handler(parser) { metadata, ctx in
            guard let ctx else { return Int32(READSTAT_HANDLER_ABORT) }
            let c = Unmanaged<Collected>.fromOpaque(ctx).takeUnretainedValue()
            c.rows = Int(readstat_get_row_count(metadata))
            // Refused before a value is read when the file says so itself (a row count of -1 means unknown; the
            // values are then counted as they come).
            let variables = Int(readstat_get_var_count(metadata))
            let (cells, overflow) = max(0, c.rows).multipliedReportingOverflow(by: max(0, variables))
            if overflow || cells > c.maxCells {
                c.error = StatFiles.overBudget("the file declares \(c.rows) cases × \(variables) variables", c.maxCells)
                return Int32(READSTAT_HANDLER_ABORT)
            }
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_variable_handler(parser) { _, variable, labelSet, ctx in
            guard let ctx, let variable else { return Int32(READSTAT_HANDLER_ABORT) }
            let c = Unmanaged<Collected>.fromOpaque(ctx).takeUnretainedValue()
            c.names.append(StatFiles.text(readstat_variable_get_name(variable)))
            c.labels.append(StatFiles.text(readstat_variable_get_label(variable)))
            c.isString.append(readstat_variable_get_type(variable) == READSTAT_TYPE_STRING)
            c.labelSet.append(labelSet.map { String(cString: $0) })
            c.missing.append((0..<Int(readstat_variable_get_missing_ranges_count(variable))).compactMap { k -> ClosedRange<Double>? in
                let lo = readstat_double_value(readstat_variable_get_missing_range_lo(variable, Int32(k)))
                let hi = readstat_double_value(readstat_variable_get_missing_range_hi(variable, Int32(k)))
                return lo <= hi ? lo...hi : nil
            })
            c.cells.append([])
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_value_handler(parser) { _, variable, value, ctx in
            guard let ctx, let variable else { return Int32(READSTAT_HANDLER_ABORT) }
            let c = Unmanaged<Collected>.fromOpaque(ctx).takeUnretainedValue()
            let k = Int(readstat_variable_get_index(variable))
            guard k < c.cells.count else { return Int32(READSTAT_HANDLER_ABORT) }
            c.cellCount += 1
            // Ctrl-C at the prompt stops the read (looked at every 65,536 values).
            if c.cellCount & 0xFFFF == 0, Interruption.isRequested {
                c.interrupted = true
                return Int32(READSTAT_HANDLER_ABORT)
            }
            if c.cellCount > c.maxCells {
                c.error = StatFiles.overBudget("the file holds more than \(c.maxCells) cells", c.maxCells)
                return Int32(READSTAT_HANDLER_ABORT)
            }
            // System- and user-missing values (SPSS missing values, Stata .a–.z) are missing answers.
            if readstat_value_is_system_missing(value) != 0 || readstat_value_is_tagged_missing(value) != 0
                || readstat_value_is_defined_missing(value, variable) != 0 {
                c.cells[k].append("")
            } else {
                c.cells[k].append(StatFiles.code(value).code)
            }
            return Int32(READSTAT_HANDLER_OK)
        }
        readstat_set_value_label_handler(parser) { set, value, label, ctx in
            guard let ctx, let set else { return Int32(READSTAT_HANDLER_ABORT) }
            let c = Unmanaged<Collected>.fromOpaque(ctx).takeUnretainedValue()
            let (code, number) = StatFiles.code(value)
            c.valueLabels[String(cString: set), default: []].append((number, StatFiles.text(label), code))
            return Int32(READSTAT_HANDLER_OK)
        }
        let ctx = Unmanaged.passUnretained(c).toOpaque()
        let status: readstat_error_t
        switch (path as NSString).pathExtension.lowercased() {
        case "dta": status = readstat_parse_dta(parser, path, ctx)
        case "sas7bdat": status = readstat_parse_sas7bdat(parser, path, ctx)
        default: status = readstat_parse_sav(parser, path, ctx)
        }
        if c.interrupted { throw StatisticsError.interrupted }
        if let error = c.error { throw SurveyError.unreadable(path: path, reason: error) }
        guard status == READSTAT_OK else {
            throw SurveyError.unreadable(path: path, reason: "ReadStat: \(String(cString: readstat_error_message(status)))")
        }
        let rows = c.cells.first?.count ?? 0
        var questions: [Question] = []
        for (k, name) in c.names.enumerated() {
            let text = c.labels[k].isEmpty ? name : c.labels[k]
            var q: Question
            if let set = c.labelSet[k], let labels = c.valueLabels[set], !labels.isEmpty {
                // Value labels: the codes in their declared order (by value), plus any value the labels do not name.
                // Labels of user-missing values (9 "No answer") are not answers anyone gave.
                let ordered = labels.filter { l in !(l.value.map { v in c.missing[k].contains { $0.contains(v) } } ?? false) }
                    .sorted { ($0.value ?? 0, $0.code) < ($1.value ?? 0, $1.code) }
                var options = ordered.map { AnswerOption(code: $0.code, label: $0.text) }
                for v in Set(c.cells[k]).subtracting(options.map(\.code)).subtracting([""]).sorted() { options.append(AnswerOption(code: v, label: v)) }
                // Labels that form an ordered scale (agreement, frequency, …) make it Likert, in the values' order.
                let scale = OrderedScales.match(options.map(\.label))
                q = Question(id: name, text: text, type: scale == nil ? .single : .likert, topic: name,
                             options: options.map { o in AnswerOption(code: o.code, label: o.label, flag: scale?.unordered.contains(o.label) == true ? .dontKnow : nil) })
                q.reason = (scale.map { "likert: a \($0.name) scale in the value labels" } ?? "single answer") + " of the \((path as NSString).pathExtension) file, ordered by value"
            } else if !c.isString[k] {
                q = Question(id: name, text: text, type: .numeric, topic: name)
                q.reason = "numeric: a numeric variable without value labels"
            } else {
                var counts: [String: Int] = [:], order: [String] = []
                for v in c.cells[k] where !v.isEmpty { if counts[v] == nil { order.append(v) }; counts[v, default: 0] += 1 }
                q = QuestionnaireInference.inferQuestion(name: name, weighted: order.map { ($0, counts[$0] ?? 0) })
                q.text = text
            }
            questions.append(q)
        }
        var names = c.names
        if ["sav", "zsav"].contains((path as NSString).pathExtension.lowercased()) {
            merge(try SPSSMultipleResponseSet.read(path: path), names: &names, questions: &questions, cells: &c.cells, rows: rows)
        }
        let table = WideTable(path: path, header: names, rows: (0..<rows).map { r in (r + 2, c.cells.map { r < $0.count ? $0[r] : "" }) }, idColumn: nil)
        var wide = table
        wide.idColumn = table.respondentIDColumn()
        let id = wide.idColumn.map { names[$0] }
        let q = Questionnaire(id: "inferred", title: "Variables of \(path)", respondentIDColumn: id ?? "\u{0}",
                              sections: [Section(id: "inferred", title: "Variables", compare: true, questions: questions.filter { $0.id != id })],
                              glossary: [], grouping: nil, source: "inferred from \(path)")
        return (q, wide)
    }

    /// Puts each multiple-response set in place of its variables: one multi-answer question (named by the set, asked
    /// in its label) where the first variable was, each respondent's cell the `;`-joined options ticked. A dichotomy
    /// set's options are its variables (ticked when they hold the counted value); a category set's options are the
    /// codes its variables hold, labelled and ordered by their value labels. A set whose variables are not all
    /// there, or already in another set, is left as separate variables. Variables are found by a dictionary and
    /// removed in one pass at the end: a lookup and a removal per set made 100,000 sets take minutes.
    static func merge(_ sets: [SPSSMultipleResponseSet], names: inout [String], questions: inout [Question], cells: inout [[String]],
                      rows: Int) {
        guard !sets.isEmpty else { return }
        var index: [String: Int] = [:]
        for (k, n) in names.enumerated() where index[n.lowercased()] == nil { index[n.lowercased()] = k }
        var used = Set<Int>(), removed = Set<Int>()
        for set in sets {
            let columns = set.variables.compactMap { index[$0.lowercased()] }
            guard columns.count == set.variables.count, columns.count >= 2, Set(columns).count == columns.count,
                  columns.allSatisfy({ k in !used.contains(k) && questions.indices.contains(k) && questions[k].type != .multi }) else { continue }
            used.formUnion(columns)
            removed.formUnion(columns.dropFirst())
            merge(set, columns: columns, names: &names, questions: &questions, cells: &cells, rows: rows)
        }
        guard !removed.isEmpty else { return }
        let kept = names.indices.filter { !removed.contains($0) }
        names = kept.map { names[$0] }
        questions = kept.map { questions[$0] }
        cells = kept.map { cells[$0] }
    }

    static func merge(_ set: SPSSMultipleResponseSet, columns: [Int], names: inout [String], questions: inout [Question], cells: inout [[String]],
                      rows: Int) {
        guard let first = columns.first else { return }
        var options: [AnswerOption]
        var ticked: [[String]] = Array(repeating: [], count: rows)
        switch set.kind {
        case .dichotomy(let counted):
            options = columns.map { AnswerOption(code: names[$0], label: questions[$0].text) }
            let countedNumber = Double(counted)
            for k in columns {
                for r in 0..<min(rows, cells[k].count) {
                    let cell = cells[k][r]
                    if cell == counted || (countedNumber != nil && Double(cell) == countedNumber) { ticked[r].append(names[k]) }
                }
            }
        case .category:
            // The members' own options (their value labels, user-missing ones left out), in the values' order.
            options = []
            var known = Set<String>()
            for k in columns { for o in questions[k].options where known.insert(o.code).inserted { options.append(o) } }
            if options.allSatisfy({ Double($0.code) != nil }) { options.sort { (Double($0.code) ?? 0) < (Double($1.code) ?? 0) } }
            options = options.map { AnswerOption(code: $0.code, label: $0.label) }
            var seen = Set(options.map(\.code))
            for r in 0..<rows {
                for k in columns where r < cells[k].count && !cells[k][r].isEmpty {
                    let code = cells[k][r]
                    if !seen.contains(code) { seen.insert(code); options.append(AnswerOption(code: code, label: code)) }
                    if !ticked[r].contains(code) { ticked[r].append(code) }
                }
            }
            // Answers in the options' order, whatever variable held them.
            let rank = Dictionary(options.enumerated().map { ($1.code, $0) }, uniquingKeysWith: { a, _ in a })
            ticked = ticked.map { $0.sorted { (rank[$0] ?? 0) < (rank[$1] ?? 0) } }
        }
        var q = Question(id: set.name, text: set.label.isEmpty ? set.name : set.label, type: .multi, topic: set.name, options: options)
        let kind: String
        if case .dichotomy(let counted) = set.kind { kind = "a dichotomy set counting \(counted)" } else { kind = "a category set" }
        q.reason = "multi answer: SPSS multiple-response set $\(set.name), \(kind) of \(columns.map { names[$0] }.joined(separator: ", "))"
        questions[first] = q
        names[first] = set.name
        cells[first] = ticked.map { $0.joined(separator: ";") }
    }
}
