import CReadStat
import Foundation

/// The survey as the analyst now has it (after filters, recodes, types set and columns dropped), written for other
/// tools: `export survey FILE.csv` (one column per question, answers as codes, multi-answer codes joined by ";", the
/// form trustgap reads back) or `FILE.sav` through ReadStat's SPSS writer: single and Likert answers as numbers 1…k
/// with the answers' labels as value labels, each multi-answer option a 0/1 variable labelled "question: option",
/// numbers as numbers, open text as strings, the question text as every variable's label.
public enum SurveyExport {
    /// One column of the export: its name, its label, and each respondent's value.
    struct Variable {
        enum Values { case numbers([Double]), strings([String]) }
        let name: String
        let label: String
        let values: Values
        /// Value labels of a coded variable (1…k).
        let valueLabels: [(Double, String)]
    }

    /// Writes `survey` to `path` (.csv or .sav) and returns the number of variables written.
    @discardableResult
    public static func write(_ survey: Survey, to path: String) throws -> Int {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv": return try writeCSV(survey, to: path)
        case "sav": return try writeSAV(survey, to: path)
        default: throw SurveyError.unreadable(path: path, reason: "export survey writes .csv or .sav files")
        }
    }

    static func writeCSV(_ survey: Survey, to path: String) throws -> Int {
        let questions = survey.questionnaire.questions
        let idName = survey.questionnaire.respondentIDColumn == "\u{0}" ? "respondent" : survey.questionnaire.respondentIDColumn
        func cell(_ s: String) -> String {
            s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || s.hasPrefix(" ") || s.hasSuffix(" ")
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var text = ([idName] + questions.map(\.id)).map(cell).joined(separator: ",") + "\n"
        for r in survey.respondents {
            let cells = questions.map { q -> String in
                switch r.answer(q.id) {
                case .missing: return ""
                case .code(let c): return c
                case .codes(let cs): return cs.joined(separator: ";")
                case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
                case .text(let t): return t
                }
            }
            text += ([r.id] + cells).map(cell).joined(separator: ",") + "\n"
        }
        do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw SurveyError.unreadable(path: path, reason: "cannot write it: \(error.localizedDescription)")
        }
        return questions.count + 1
    }

    /// SPSS names: letters, digits and "_" (a letter first), at most 64 bytes, unique without regard to case.
    static func spssNames(_ wanted: [String]) -> [String] {
        var used: Set<String> = []
        return wanted.map { w in
            var base = String(w.map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" }.prefix(56))
            if base.first.map({ !$0.isLetter }) ?? true { base = "V" + base }
            var name = base, k = 2
            while used.contains(name.lowercased()) { name = "\(base)_\(k)"; k += 1 }
            used.insert(name.lowercased())
            return name
        }
    }

    static func variables(_ survey: Survey) -> [Variable] {
        let rs = survey.respondents
        var out = [Variable(name: survey.questionnaire.respondentIDColumn == "\u{0}" ? "respondent" : survey.questionnaire.respondentIDColumn,
                            label: "respondent", values: .strings(rs.map(\.id)), valueLabels: [])]
        for q in survey.questionnaire.questions {
            switch q.type {
            case .single, .likert:
                let cats = q.categories
                let index = Dictionary(cats.enumerated().map { ($1.code, Double($0 + 1)) }, uniquingKeysWith: { a, _ in a })
                out.append(Variable(name: q.id, label: q.text, values: .numbers(rs.map { r in r.answer(q.id).codes.first.flatMap { index[$0] } ?? .nan }),
                                    valueLabels: cats.enumerated().map { (Double($0 + 1), $1.label) }))
            case .multi:
                for o in q.categories {
                    out.append(Variable(name: "\(q.id)_\(o.code)", label: "\(q.text): \(o.label)",
                                        values: .numbers(rs.map { r in r.answer(q.id).isMissing ? .nan : (r.answer(q.id).codes.contains(o.code) ? 1 : 0) }),
                                        valueLabels: [(0, "not ticked"), (1, "ticked")]))
                }
            case .numeric:
                out.append(Variable(name: q.id, label: q.text, values: .numbers(rs.map { r in if case .number(let v) = r.answer(q.id) { return v }; return .nan }), valueLabels: []))
            case .open:
                out.append(Variable(name: q.id, label: q.text, values: .strings(rs.map { r in if case .text(let t) = r.answer(q.id) { return t }; return "" }), valueLabels: []))
            }
        }
        return out
    }

    /// Where ReadStat's writer puts its bytes.
    private final class Sink {
        let handle: FileHandle
        init(_ handle: FileHandle) { self.handle = handle }
    }

    static func writeSAV(_ survey: Survey, to path: String) throws -> Int {
        let vars = variables(survey)
        let names = spssNames(vars.map(\.name))
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw SurveyError.unreadable(path: path, reason: "cannot create it")
        }
        defer { try? handle.close() }
        let sink = Sink(handle)
        guard let writer = readstat_writer_init() else { throw SurveyError.unreadable(path: path, reason: "ReadStat could not start a writer") }
        defer { readstat_writer_free(writer) }
        readstat_set_data_writer(writer) { data, length, ctx in
            guard let data, let ctx else { return -1 }
            Unmanaged<Sink>.fromOpaque(ctx).takeUnretainedValue().handle.write(Data(bytes: data, count: length))
            return length
        }
        var handles: [UnsafeMutablePointer<readstat_variable_t>?] = []
        for (k, v) in vars.enumerated() {
            let variable: UnsafeMutablePointer<readstat_variable_t>?
            switch v.values {
            case .numbers:
                variable = readstat_add_variable(writer, names[k], READSTAT_TYPE_DOUBLE, 0)
                if !v.valueLabels.isEmpty, let set = readstat_add_label_set(writer, READSTAT_TYPE_DOUBLE, "labels\(k)") {
                    for (value, label) in v.valueLabels { readstat_label_double_value(set, value, String(label.utf8.prefix(120)) ?? label) }
                    readstat_variable_set_label_set(variable, set)
                }
            case .strings(let s):
                variable = readstat_add_variable(writer, names[k], READSTAT_TYPE_STRING, max(1, s.map(\.utf8.count).max() ?? 1))
            }
            readstat_variable_set_label(variable, v.label)
            handles.append(variable)
        }
        let context = Unmanaged.passUnretained(sink).toOpaque()
        func check(_ e: readstat_error_t) throws {
            guard e == READSTAT_OK else { throw SurveyError.unreadable(path: path, reason: "ReadStat: " + String(cString: readstat_error_message(e))) }
        }
        try check(readstat_begin_writing_sav(writer, context, survey.respondents.count))
        for row in 0..<survey.respondents.count {
            try check(readstat_begin_row(writer))
            for (k, v) in vars.enumerated() {
                switch v.values {
                case .numbers(let x):
                    try check(x[row].isNaN ? readstat_insert_missing_value(writer, handles[k]) : readstat_insert_double_value(writer, handles[k], x[row]))
                case .strings(let s):
                    try check(readstat_insert_string_value(writer, handles[k], s[row]))
                }
            }
            try check(readstat_end_row(writer))
        }
        try check(readstat_end_writing(writer))
        return vars.count
    }
}
