import Foundation
import Statistics

/// One tidy table per command for `--format csv`, made from the command's JSON result (the same values as its
/// text): one row per observation, one value per cell, full labels, numbers as plain decimals, an interval's two
/// ends in their own columns. Programs (pandas, R's read.csv) read it; the screen tables are for people.
///
/// - a crosstab (`rows`, `columns`, `counts`): one row per group and answer, with count, n, percent and the Wilson
///   interval's ends;
/// - a list of objects, or an object holding such lists (the first is the table: `tests`, `findings`): one row per
///   item;
/// - any other object: one row.
/// Nested objects become `parent_child` columns; a two-number `ci` becomes `ci_low` and `ci_high`; a list of plain
/// values is joined by "; " (the only place a cell holds several values, and it says so in the column name `_list`).
public enum TidyCSV {
    /// A tidy table: its name (`tests`, `skipped`, `table`), its columns and its rows of plain cells, before CSV
    /// quoting. `--format csv` writes it as CSV and `--format xlsx` as a sheet.
    public struct Tidy: Sendable, Equatable {
        public let name: String
        public let columns: [String]
        public let rows: [[String]]
    }

    public static func render(_ value: JSONValue, keepFormulas: Bool = false) -> String {
        csv(tidy("table", table(value)), keepFormulas: keepFormulas)
    }

    static func tidy(_ name: String, _ rows: [[(String, String)]]) -> Tidy {
        var columns: [String] = []
        for row in rows { for (k, _) in row where !columns.contains(k) { columns.append(k) } }
        let cells = rows.map { row in
            let map = Dictionary(row, uniquingKeysWith: { a, _ in a })
            return columns.map { map[$0] ?? "" }
        }
        return Tidy(name: name, columns: columns, rows: columns.isEmpty ? [] : cells)
    }

    static func csv(_ t: Tidy, keepFormulas: Bool) -> String {
        guard !t.columns.isEmpty else { return "" }
        return ([t.columns] + t.rows).map { $0.map { CSVRenderer.cell($0, keepFormulas: keepFormulas) }.joined(separator: ",") }.joined(separator: "\n")
    }

    /// Every table of a result, for `--out-dir DIR` (one file each): each list of objects of an object result under
    /// its key (`chisq all`: `tests` and `skipped`), with the object's other plain fields as a one-row `summary`
    /// when it has any; any other result is the one table `render` gives, named `table`.
    public static func tables(_ value: JSONValue, keepFormulas: Bool = false) -> [(name: String, csv: String)] {
        tidyTables(value).map { ($0.name, csv($0, keepFormulas: keepFormulas)) }
    }

    /// The tables of `tables`, as cells.
    public static func tidyTables(_ value: JSONValue) -> [Tidy] {
        let whole = [tidy("table", table(value))].filter { !$0.columns.isEmpty }
        if case .array(let items) = value {
            return whole + nestedTables(items)
        }
        guard case .object(let fields) = value, crosstabRows(fields) == nil else { return whole }
        let lists = objectLists(fields)
        let nested = lists.flatMap { list -> [Tidy] in
            guard case .array(let items) = list.1 else { return [] }
            return nestedTables(items)
        }
        guard lists.count > 1 || !nested.isEmpty else { return whole }
        var out: [Tidy] = []
        let plain = fields.filter { field in !lists.contains { $0.0 == field.0 } && scalar(field.1) != nil }
        if !plain.isEmpty { out.append(tidy("summary", table(.object(plain)))) }
        for (name, list) in lists { out.append(tidy(name, table(list))) }
        return out + nested
    }

    /// A list whose items hold lists of their own (metrics: each figure's reliability table): each nested list as
    /// one table, its rows led by the item's text fields (metric, test set) that say whose they are.
    static func nestedTables(_ items: [JSONValue]) -> [Tidy] {
        var nested: [String: [JSONValue]] = [:], order: [String] = []
        for case .object(let fields) in items {
            let keys = fields.filter { if case .string = $0.1 { return true }; return false }
            for (name, field) in fields {
                guard case .array(let rows) = field, !rows.isEmpty, rows.allSatisfy({ if case .object = $0 { return true }; return false }) else { continue }
                if nested[name] == nil { order.append(name) }
                for case .object(let row) in rows { nested[name, default: []].append(.object(keys + row)) }
            }
        }
        return order.map { tidy($0, table(.array(nested[$0] ?? []))) }
    }

    /// The fields of an object that hold a non-empty list of objects: the tables a result carries.
    static func objectLists(_ fields: [(String, JSONValue)]) -> [(String, JSONValue)] {
        fields.filter { if case .array(let items) = $0.1, !items.isEmpty, items.allSatisfy({ if case .object = $0 { return true }; return false }) { return true }; return false }
    }

    /// The rows as (column, cell) pairs in column order.
    static func table(_ value: JSONValue) -> [[(String, String)]] {
        switch value {
        case .object(let fields):
            if let crosstab = crosstabRows(fields) { return crosstab }
            let lists = objectLists(fields)
            // The first list of objects is the command's table (chisq all: `tests`; its `skipped` list is counted).
            if let first = lists.first, case .array(let items) = first.1 {
                return items.map { flatten($0, prefix: "") }
            }
            // Lists keyed by names (priorities: question → group → ranked answers): one row per item, the keys in
            // columns of their own.
            if let nested = unnest(value, keys: []), !nested.isEmpty { return nested }
            return [flatten(value, prefix: "")]
        case .array(let items):
            return items.map { flatten($0, prefix: "") }
        default:
            return [[("value", scalar(value) ?? "")]]
        }
    }

    /// An object whose every field is a list of objects or another such object, as rows with a `level_k` column
    /// per key; nil when anything else is in it.
    static func unnest(_ value: JSONValue, keys: [(String, String)]) -> [[(String, String)]]? {
        switch value {
        case .array(let items) where items.allSatisfy({ if case .object = $0 { return true }; return false }):
            return items.map { keys + flatten($0, prefix: "") }
        case .object(let fields) where !fields.isEmpty:
            var out: [[(String, String)]] = []
            for (k, v) in fields {
                guard let rows = unnest(v, keys: keys + [("level_\(keys.count + 1)", k)]) else { return nil }
                out += rows
            }
            return out
        default:
            return nil
        }
    }

    /// A crosstab in long form.
    static func crosstabRows(_ fields: [(String, JSONValue)]) -> [[(String, String)]]? {
        let f = Dictionary(fields, uniquingKeysWith: { a, _ in a })
        guard case .array(let rowNames)? = f["rows"], case .array(let columnNames)? = f["columns"], case .array(let counts)? = f["counts"] else { return nil }
        var labels: [JSONValue] = []
        if case .array(let l)? = f["labels"] { labels = l }
        var n: [JSONValue] = []
        if case .array(let l)? = f["n"] { n = l }
        var out: [[(String, String)]] = []
        for (r, group) in rowNames.enumerated() {
            guard case .array(let row)? = counts.indices.contains(r) ? counts[r] : nil else { continue }
            let total = n.indices.contains(r) ? Int(scalar(n[r]) ?? "") : nil
            for (j, code) in columnNames.enumerated() where j < row.count {
                let count = Int(scalar(row[j]) ?? "") ?? 0
                var cells: [(String, String)] = []
                if case .string(let q)? = f["question"] { cells.append(("question", q)) }
                cells += [("group", scalar(group) ?? ""), ("answer", scalar(code) ?? ""),
                          ("label", labels.indices.contains(j) ? scalar(labels[j]) ?? "" : scalar(code) ?? ""), ("count", String(count))]
                if let total {
                    cells.append(("n", String(total)))
                    if total > 0 {
                        cells.append(("percent", number(100 * Double(count) / Double(total))))
                        if let w = try? WilsonInterval(successes: count, trials: total) {
                            cells += [("ci_low_percent", number(100 * w.lower)), ("ci_high_percent", number(100 * w.upper))]
                        }
                    }
                }
                out.append(cells)
            }
        }
        return out
    }

    static func flatten(_ value: JSONValue, prefix: String) -> [(String, String)] {
        switch value {
        case .object(let fields):
            return fields.flatMap { k, v -> [(String, String)] in
                let name = prefix.isEmpty ? k : prefix + "_" + k
                if case .array(let items) = v, items.count == 2, k.lowercased().hasSuffix("ci") || k.lowercased().hasSuffix("interval"),
                   let lo = scalar(items[0]), let hi = scalar(items[1]) {
                    return [(name + "_low", lo), (name + "_high", hi)]
                }
                return flatten(v, prefix: name)
            }
        case .array(let items):
            if items.allSatisfy({ scalar($0) != nil }) { return [(prefix + "_list", items.compactMap(scalar).joined(separator: "; "))] }
            // Nested lists of objects are a table of their own: counted here, not spread over columns.
            return [(prefix + "_count", String(items.count))]
        default:
            return [(prefix.isEmpty ? "value" : prefix, scalar(value) ?? "")]
        }
    }

    static func scalar(_ v: JSONValue) -> String? {
        switch v {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .number(let d): return number(d)
        case .string(let s): return s
        case .array, .object: return nil
        }
    }

    /// A plain decimal: no thousands separators, no exponent below 1e21 unless the value is tiny (p-values).
    static func number(_ d: Double) -> String {
        guard d.isFinite else { return "" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        return "\(d)"
    }

}
