import Foundation

/// A REDCap data dictionary (the CSV REDCap's "Data Dictionary" page downloads) as a questionnaire: each field's
/// label as the question, radio and dropdown choices ("1, Radiologist | 2, Data scientist") as codes and labels in
/// their declared order, checkboxes as multi-answer questions, yes/no and true/false with REDCap's fixed codes,
/// validated numbers as numeric and free text as open. The first field is the record id. Descriptive fields and
/// file uploads hold no answers and are left out.
public enum RedcapDictionary {
    public static func load(path: String) throws -> Questionnaire {
        let records = try CSVReader.read(path: path)
        guard let header = records.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else { throw SurveyError.emptyFile(path: path) }
        func column(_ starts: String) throws -> Int {
            guard let k = header.firstIndex(where: { $0.hasPrefix(starts) }) else {
                throw SurveyError.missingHeader(path: path, expected: "REDCap's data dictionary columns (\"Variable / Field Name\", \"Field Type\", \"Field Label\", \"Choices, Calculations, OR Slider Labels\")")
            }
            return k
        }
        let name = try column("variable / field name"), type = try column("field type"), label = try column("field label")
        let choices = try column("choices, calculations"), validation = header.firstIndex { $0.hasPrefix("text validation type") }
        var questions: [Question] = []
        var idField: String?
        for r in records.dropFirst() {
            let f = r.fields
            guard f.count == header.count else {
                throw SurveyError.wrongColumnCount(path: path, line: r.line, expected: header.count, found: f.count)
            }
            let id = f[name].trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else { continue }
            if idField == nil { idField = id; continue }
            let text = f[label].isEmpty ? id : f[label]
            var q: Question
            switch f[type].trimmingCharacters(in: .whitespaces).lowercased() {
            case "radio", "dropdown":
                q = Question(id: id, text: text, type: .single, topic: id, options: try parseChoices(f[choices], path: path, line: r.line, field: id))
            case "checkbox":
                q = Question(id: id, text: text, type: .multi, topic: id, options: try parseChoices(f[choices], path: path, line: r.line, field: id))
            case "yesno":
                q = Question(id: id, text: text, type: .single, topic: id, options: [AnswerOption(code: "1", label: "Yes"), AnswerOption(code: "0", label: "No")])
            case "truefalse":
                q = Question(id: id, text: text, type: .single, topic: id, options: [AnswerOption(code: "1", label: "True"), AnswerOption(code: "0", label: "False")])
            case "slider", "calc":
                q = Question(id: id, text: text, type: .numeric, topic: id)
            case "text" where ["integer", "number", "number_1dp", "number_2dp"].contains(validation.map { f[$0].lowercased() } ?? ""):
                q = Question(id: id, text: text, type: .numeric, topic: id)
            case "text", "notes":
                q = Question(id: id, text: text, type: .open, topic: id)
            default:
                continue  // descriptive, file, signature: no answers
            }
            q.reason = "REDCap data dictionary: \(f[type]) field"
            questions.append(q)
        }
        return Questionnaire(id: "redcap-dictionary", title: "REDCap data dictionary \(path)", respondentIDColumn: idField ?? "record_id",
                             sections: [Section(id: "fields", title: "Fields", compare: true, questions: questions)], glossary: [], grouping: nil, source: path)
    }

    /// "1, Radiologist | 2, Data scientist": codes and labels in their declared order.
    static func parseChoices(_ text: String, path: String, line: Int, field: String) throws -> [AnswerOption] {
        try text.split(separator: "|").map { part in
            let p = part.trimmingCharacters(in: .whitespaces)
            guard let comma = p.firstIndex(of: ",") else {
                throw SurveyError.questionnaire(path: path, line: line, column: 1, field: field, message: "choice \"\(p)\" is not \"code, label\"")
            }
            return AnswerOption(code: p[..<comma].trimmingCharacters(in: .whitespaces), label: p[p.index(after: comma)...].trimmingCharacters(in: .whitespaces))
        }
    }
}
