import Foundation

extension ToolLayouts {
    /// KoboToolbox and ODK Central CSV, as their documentation describes the "XML values and headers" export:
    /// question names with their group prefixes joined by "/" (Kobo: `group_x/q1`) or "-" (ODK Central:
    /// `group_x-q1`), a `select_multiple` as one column of option names joined by spaces (`ich pe fracture`) and/or
    /// one 0/1 column per option (`q1/ich`), and the tools' own columns (start, end, today, deviceid, _id, _uuid,
    /// _submission_time, _validation_status, _index, …; SubmissionDate, KEY, meta-instanceID, SubmitterID,
    /// ReviewState, …) as metadata. The option columns and the joined column are merged into one multi-answer
    /// question named by the question; prefixes are dropped from a name when what is left is still unique.
    public static func kobo(_ records: [CSVReader.Record], path: String) throws -> Canonical {
        var raw = try WideTable(records: records, path: path)
        var out = Canonical(table: raw)
        let odk = raw.header.contains { ["submissiondate", "key"].contains($0.lowercased()) }
        out.metadata = Set(raw.header.filter(QuestionnaireInference.isMetadata))
        let flags: Set<String> = ["", "0", "1", "true", "false"]
        // One 0/1 column per option, `QUESTION/option`.
        let (groups, order) = columnGroups(raw.header.filter { !out.metadata.contains($0) }) { h in
            h.lastIndex(of: "/").map { String(h[..<$0]) }
        }
        for base in order {
            let columns = (groups[base] ?? []).compactMap { raw.header.firstIndex(of: $0) }
            let joined = raw.header.firstIndex(of: base)
            guard !columns.isEmpty, joined != nil || columns.count >= 2,
                  columns.allSatisfy({ k in raw.rows.allSatisfy { flags.contains($0.cells[k].trimmingCharacters(in: .whitespaces).lowercased()) } }) else { continue }
            let options = columns.map { k in String(raw.header[k].split(separator: "/").last ?? "") }
            if let j = joined {
                // The joined column says the same: its names, split on spaces, are the ticks; the option columns go.
                var extra: [String] = []
                raw.rows = raw.rows.map { row in
                    var cells = row.cells
                    let names = cells[j].split(whereSeparator: { $0.isWhitespace }).map(String.init)
                    for n in names where !options.contains(n) && !extra.contains(n) { extra.append(n) }
                    cells[j] = names.joined(separator: ";")
                    return (row.line, cells)
                }
                let drop = Set(columns)
                raw.header = raw.header.enumerated().filter { !drop.contains($0.offset) }.map(\.element)
                raw.rows = raw.rows.map { ($0.line, $0.cells.enumerated().filter { !drop.contains($0.offset) }.map(\.element)) }
                out.multi[base] = options + extra
            } else {
                raw = merge(raw, columns: columns, into: base, options: options, ticked: { ["1", "true"].contains($0.lowercased()) })
                out.multi[base] = options
            }
        }
        // Group prefixes: the question's own name when it stays unique.
        let separator: Character = odk ? "-" : "/"
        let short = raw.header.map { h -> String in
            guard !out.metadata.contains(h), let k = h.lastIndex(of: separator) else { return h }
            return String(h[h.index(after: k)...])
        }
        let counts = Dictionary(short.map { ($0, 1) }, uniquingKeysWith: +)
        var renamed: [String: String] = [:]
        for (k, h) in raw.header.enumerated() where short[k] != h && counts[short[k]] == 1 && !raw.header.contains(short[k]) {
            renamed[h] = short[k]
            out.texts[short[k]] = h
        }
        out.multi = Dictionary(uniqueKeysWithValues: out.multi.map { (renamed[$0.key] ?? $0.key, $0.value) })
        raw.header = raw.header.map { renamed[$0] ?? $0 }
        out.table = raw
        out.table.idColumn = raw.header.firstIndex { ["_uuid", "key", "meta-instanceid", "meta/instanceid", "instanceid"].contains($0.lowercased()) }
        if !renamed.isEmpty { out.notes.append("group prefixes dropped from \(renamed.count) column name(s) (questions shows each full name as its text)") }
        return out
    }
}
