import Foundation

extension ToolLayouts {
    /// SurveyMonkey's "All individual responses" CSV, as its help centre describes it: two header rows, the question
    /// text in the first above the first of its columns (blank above the rest), and in the second "Response",
    /// "Open-Ended Response", an option's label (a select-all question spread over one column per option, the cell
    /// holding the label when ticked), "Other (please specify)" (the typed text) or a matrix row's label.
    /// Respondent ID, Collector ID, Start Date, End Date, IP Address, Email Address, First Name, Last Name and
    /// Custom Data are metadata. A select-all becomes one tick list (its typed other one `other` tick plus the text
    /// in "Q (other)"); a matrix, one question per row, "Q [row]".
    public static func surveyMonkey(_ records: [CSVReader.Record], path: String) throws -> Canonical {
        guard records.count >= 2 else { throw SurveyError.missingHeader(path: path, expected: "SurveyMonkey's two header rows (questions, then Response or the options)") }
        let top = records[0].fields.map { $0.trimmingCharacters(in: .whitespaces) }, second = records[1].fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let body = Array(records.dropFirst(2))
        for r in body where r.fields.count != top.count {
            throw SurveyError.wrongColumnCount(path: path, line: r.line, expected: top.count, found: r.fields.count)
        }
        // Each column's question: the last text above it.
        var question = "", groups: [(text: String, columns: [Int])] = []
        for k in top.indices {
            if !top[k].isEmpty { question = top[k]; groups.append((question, [])) }
            if groups.isEmpty { groups.append(("column \(k + 1)", [])) }
            groups[groups.count - 1].columns.append(k)
        }
        let meta: Set<String> = ["respondent id", "collector id", "start date", "end date", "ip address", "email address", "first name", "last name"]
        let whole: Set<String> = ["", "response", "open-ended response"]
        var header: [String] = [], columns: [[String]] = []
        var out = Canonical(table: WideTable(path: path, header: [], rows: [], idColumn: nil))
        func add(_ name: String, _ cells: [String]) { header.append(name); columns.append(cells) }
        func cells(_ k: Int) -> [String] { body.map { $0.fields[k] } }
        for g in groups {
            let other = g.columns.filter { second[$0].lowercased().hasPrefix("other (please specify)") }
            let options = g.columns.filter { !other.contains($0) }
            if g.columns.count == 1 || options.allSatisfy({ whole.contains(second[$0].lowercased()) }) {
                for k in g.columns { add(g.columns.count == 1 ? g.text : "\(g.text) [\(second[k])]", cells(k)) }
                if meta.contains(g.text.lowercased()) || g.text.lowercased().hasPrefix("custom data") { out.metadata.insert(g.text) }
                continue
            }
            // A select-all: every cell of an option's column is blank or the option's label.
            let selectAll = options.allSatisfy { k in body.allSatisfy { let v = $0.fields[k].trimmingCharacters(in: .whitespaces); return v.isEmpty || v == second[k] } }
            guard selectAll else {
                for k in g.columns { add("\(g.text) [\(second[k])]", cells(k)); out.texts["\(g.text) [\(second[k])]"] = "\(g.text) [\(second[k])]" }
                continue
            }
            let typed = body.map { r in other.map { r.fields[$0].trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "; ") }
            let ticks = body.enumerated().map { i, r in
                (options.filter { !r.fields[$0].trimmingCharacters(in: .whitespaces).isEmpty }.map { second[$0] } + (typed[i].isEmpty ? [] : ["other"])).joined(separator: ";")
            }
            add(g.text, ticks)
            out.multi[g.text] = options.map { second[$0] } + (typed.contains { !$0.isEmpty } ? ["other"] : [])
            if typed.contains(where: { !$0.isEmpty }) {
                add(g.text + " (other)", typed)
                out.otherText.insert(g.text + " (other)")
            }
        }
        let rows = body.enumerated().map { i, r in (line: r.line, cells: columns.map { $0[i] }) }
        out.table = WideTable(path: path, header: header, rows: rows, idColumn: header.firstIndex { $0.lowercased() == "respondent id" })
        for h in header { out.texts[h] = out.texts[h] ?? h }
        // A response SurveyMonkey kept although the respondent left before the end: its last questions are blank.
        let answered = header.indices.filter { !out.metadata.contains(header[$0]) && $0 != out.table.idColumn }
        if let last = answered.last {
            let partial = rows.filter { r in r.cells[last].trimmingCharacters(in: .whitespaces).isEmpty && answered.contains { !r.cells[$0].trimmingCharacters(in: .whitespaces).isEmpty } }.count
            if partial > 0 { out.notes.append("\(partial) response(s) leave the last question blank: partial responses SurveyMonkey kept (filter on a question to leave them out)") }
        }
        return out
    }
}
