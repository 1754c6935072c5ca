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
        var distinct: [String] = []
        var seen = Set<String>()
        let isMulti = weighted.contains { $0.value.contains(";") }
        for (v, _) in weighted {
            for part in isMulti ? v.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) : [v]
            where !part.isEmpty && seen.insert(part).inserted {
                distinct.append(part)
            }
        }
        let total = weighted.reduce(0) { $0 + $1.count }
        let meanLength = total == 0 ? 0 : Double(weighted.reduce(0) { $0 + $1.value.count * $1.count }) / Double(total)
        let uniqueShare = total == 0 ? 0 : Double(weighted.count) / Double(total)
        if !isMulti && (meanLength > 40 || (uniqueShare > 0.9 && meanLength > 15 && total > 5)) {
            return Question(id: name, text: name, type: .open, topic: name)
        }
        if !isMulti && total > 0 && weighted.allSatisfy({ Double($0.value) != nil }) && distinct.count > 12 {
            return Question(id: name, text: name, type: .numeric, topic: name)
        }
        return Question(id: name, text: name, type: isMulti ? .multi : .single, topic: name,
                        options: distinct.map { AnswerOption(code: $0, label: $0) })
    }
}
