import Foundation

/// Turning what survey tools write into our codes: exact code, then label (case and spacing ignored), then, where
/// the tool numbers its choices (REDCap, LimeSurvey "A1"), the 1-based position.
enum AnswerMatching {
    static func normalise(_ s: String) -> String {
        s.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    static func code(for raw: String, in question: Question, allowPosition: Bool) -> String? {
        let value = raw.trimmingCharacters(in: .whitespaces)
        let cats = question.categories
        if let exact = cats.first(where: { $0.code == value }) { return exact.code }
        let n = normalise(value)
        if let byLabel = cats.first(where: { normalise($0.label) == n }) { return byLabel.code }
        if allowPosition, let k = position(value), k >= 1, k <= cats.count { return cats[k - 1].code }
        return nil
    }

    /// The 1-based position a tool's default code gives: "3", LimeSurvey's "A3", "AO03" (answers) and "SQ003"
    /// (sub-questions); nil for anything else.
    static func position(_ value: String) -> Int? {
        let letters = value.prefix { $0.isLetter }
        guard letters.count <= 2, ["", "a", "ao", "sq"].contains(letters.lowercased()) else { return nil }
        return Int(value.dropFirst(letters.count))
    }

    /// A tick-list cell of labels (or codes) joined by `separator`, as codes: labels that contain the separator
    /// are kept whole (`TickLists.segment`); a part that is no option is typed "other" text, ticked as the
    /// question's other option and returned as `typed`. Nil when such a part has no other option to go to.
    static func ticks(_ cell: String, question: Question, separator: String, allowPosition: Bool) -> (codes: [String], typed: String)? {
        if let codes = splitLabels(cell, question: question, separator: separator) { return (codes, "") }
        var byText: [String: String] = [:]
        for c in question.categories { byText[c.label] = c.code; byText[c.code] = c.code }
        let cut = TickLists.segment(cell, separator: separator, options: Set(byText.keys))
        var codes = cut.ticks.compactMap { byText[$0] }
        var typed: [String] = []
        for run in cut.typedRuns {
            // Codes by position (Qualtrics' numeric values "1,3"), one piece each.
            let pieces = TickLists.pieces(run.text, separator).map { String(run.text[$0]) }
            let positions = allowPosition ? pieces.compactMap { code(for: $0, in: question, allowPosition: true) } : []
            if positions.count == pieces.count { codes += positions } else { typed.append(run.text) }
        }
        if !typed.isEmpty {
            guard let other = question.categories.first(where: { $0.flag == .other }) else { return nil }
            if !codes.contains(other.code) { codes.append(other.code) }
        }
        return (codes, typed.joined(separator: separator))
    }

    /// Splits a cell of several chosen labels joined by `separator` (Google Forms writes ", ", Microsoft Forms ";")
    /// when labels may themselves contain the separator: the longest label that the cell starts with wins.
    static func splitLabels(_ cell: String, question: Question, separator: String) -> [String]? {
        var rest = Substring(cell.trimmingCharacters(in: .whitespaces))
        var out: [String] = []
        let labels = question.categories.sorted { $0.label.count > $1.label.count }
        while !rest.isEmpty {
            if rest.hasPrefix(separator.trimmingCharacters(in: .whitespaces)) {
                rest = rest.dropFirst(separator.trimmingCharacters(in: .whitespaces).count)
                rest = rest.drop(while: { $0 == " " })
                continue
            }
            let lower = rest.lowercased()
            if let hit = labels.first(where: { lower.hasPrefix(normalise($0.label)) }) {
                out.append(hit.code)
                rest = rest.dropFirst(hit.label.count)
            } else if let hit = question.categories.first(where: { rest.hasPrefix($0.code) }) {
                out.append(hit.code)
                rest = rest.dropFirst(hit.code.count)
            } else {
                return nil
            }
            rest = rest.drop(while: { $0 == " " })
        }
        return out
    }

    /// The question a column header names: its id (also "Q7.", "Q7 -", "q7" forms) or its text.
    static func question(forHeader header: String, in questionnaire: Questionnaire) -> Question? {
        let h = header.trimmingCharacters(in: .whitespaces)
        if let q = questionnaire.question(h) { return q }
        let idPart = h.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        if !idPart.isEmpty, let q = questionnaire.question(String(idPart)), h.count == idPart.count || ". -:)".contains(h[h.index(h.startIndex, offsetBy: idPart.count)]) {
            return q
        }
        let n = normalise(h)
        return questionnaire.questions.first { normalise($0.text) == n }
    }
}
