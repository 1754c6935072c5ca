import Foundation

/// Infers a questionnaire from a tidy CSV so any file can be explored at once: a column with `;`-joined values is
/// multi-answer; long or mostly unique free text is open; whole numbers with many distinct values are numeric;
/// everything else is single-answer with its distinct values (in order of first appearance) as codes.
public enum QuestionnaireInference {
    public static func infer(from table: WideTable) -> Questionnaire {
        var questions: [Question] = []
        for (i, name) in table.header.enumerated() where i != table.idColumn {
            let values = table.rows.map { $0.cells[i].trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            questions.append(inferQuestion(name: name, values: values))
        }
        let idName = table.idColumn.map { table.header[$0] } ?? "respondent"
        return Questionnaire(id: "inferred", title: "Inferred from \(table.path)", respondentIDColumn: idName,
                             sections: [Section(id: "inferred", title: "Columns", compare: true, questions: questions)],
                             glossary: [], grouping: nil, source: "inferred from \(table.path)")
    }

    static func inferQuestion(name: String, values: [String]) -> Question {
        var distinct: [String] = []
        var seen = Set<String>()
        let isMulti = values.contains { $0.contains(";") }
        for v in values {
            for part in isMulti ? v.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) : [v]
            where !part.isEmpty && seen.insert(part).inserted {
                distinct.append(part)
            }
        }
        let meanLength = values.isEmpty ? 0 : Double(values.reduce(0) { $0 + $1.count }) / Double(values.count)
        let uniqueShare = values.isEmpty ? 0 : Double(Set(values).count) / Double(values.count)
        if !isMulti && (meanLength > 40 || (uniqueShare > 0.9 && meanLength > 15 && values.count > 5)) {
            return Question(id: name, text: name, type: .open, topic: name)
        }
        if !isMulti && !values.isEmpty && values.allSatisfy({ Double($0) != nil }) && distinct.count > 12 {
            return Question(id: name, text: name, type: .numeric, topic: name)
        }
        return Question(id: name, text: name, type: isMulti ? .multi : .single, topic: name,
                        options: distinct.map { AnswerOption(code: $0, label: $0) })
    }
}
