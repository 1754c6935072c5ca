import CXLSXWriter
import Foundation
import Render

/// `--format xlsx --out FILE.xlsx`: every table of every command as a sheet of one Excel workbook, for those who take
/// results into Excel or SPSS. The sheets are the tidy tables of `--format csv` (`TidyCSV`), written by
/// libxlsxwriter (Debian's libxlsxwriter-dev) with typed cells: numbers as numbers, true/false as booleans, the rest
/// as text (never as a formula, so a cell from a file cannot run in the spreadsheet).
struct XLSXWorkbook {
    private(set) var sheets: [(name: String, table: TidyCSV.Tidy)] = []

    /// Adds a command's tables, each named "NN command table" as `--out-dir` names its files (Excel allows 31
    /// characters and no []:*?/\ in a sheet's name, and no two alike).
    mutating func add(_ tables: [TidyCSV.Tidy], command: String, number: Int) {
        for t in tables {
            let allowed = "\(String(format: "%02d", number)) \(command) \(t.name)".map { "[]:*?/\\".contains($0) ? "_" : $0 }
            var name = String(String(allowed).prefix(31)), k = 2
            while sheets.contains(where: { $0.name.lowercased() == name.lowercased() }) {
                let suffix = " (\(k))"
                name = String(String(allowed).prefix(31 - suffix.count)) + suffix
                k += 1
            }
            sheets.append((name, t))
        }
    }

    /// A cell as Excel should type it: a number only when it is the plain decimal trustgap writes (so an id such
    /// as "007" stays text), a boolean for true and false.
    enum Cell: Equatable {
        case number(Double), boolean(Bool), text(String), empty
        init(_ s: String) {
            if s.isEmpty { self = .empty }
            else if s == "true" || s == "false" { self = .boolean(s == "true") }
            else if let d = Double(s), d.isFinite, Self.plain(d) == s { self = .number(d) }
            else { self = .text(s) }
        }
        private static func plain(_ d: Double) -> String {
            d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
        }
    }

    /// Writes the workbook beside `path` and moves it into place, so a failed write leaves the old file.
    func write(to path: String) throws {
        let target = URL(fileURLWithPath: path)
        let tmp = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).tmp-\(getpid()).xlsx")
        func failure(_ why: String) -> ConsoleError { .usage(command: "--format xlsx", message: "cannot write \(path): \(why)") }
        guard let workbook = workbook_new(tmp.path) else { throw failure("cannot create the file") }
        let bold = workbook_add_format(workbook)
        format_set_bold(bold)
        var problem: String?
        for sheet in sheets where problem == nil {
            guard let ws = workbook_add_worksheet(workbook, sheet.name) else { problem = "cannot add the sheet \(sheet.name)"; break }
            for (c, column) in sheet.table.columns.enumerated() {
                worksheet_write_string(ws, 0, lxw_col_t(c), column, bold)
            }
            worksheet_freeze_panes(ws, 1, 0)
            for (r, row) in sheet.table.rows.enumerated() {
                guard r + 1 < 1_048_576 else { problem = "the sheet \(sheet.name) has more rows than Excel's 1,048,576"; break }
                for (c, value) in row.enumerated() {
                    let (rr, cc) = (lxw_row_t(r + 1), lxw_col_t(c))
                    let error: lxw_error
                    switch Cell(value) {
                    case .number(let d): error = worksheet_write_number(ws, rr, cc, d, nil)
                    case .boolean(let b): error = worksheet_write_boolean(ws, rr, cc, b ? 1 : 0, nil)
                    case .text(let s): error = worksheet_write_string(ws, rr, cc, s, nil)
                    case .empty: error = LXW_NO_ERROR
                    }
                    if error != LXW_NO_ERROR { problem = "\(sheet.name), row \(r + 2), column \(c + 1): \(String(cString: lxw_strerror(error)))"; break }
                }
                if problem != nil { break }
            }
        }
        // workbook_close frees the workbook whatever happened, and writes the file only now.
        let closed = workbook_close(workbook)
        if problem == nil && closed != LXW_NO_ERROR { problem = String(cString: lxw_strerror(closed)) }
        if let problem {
            try? FileManager.default.removeItem(at: tmp)
            throw failure(problem)
        }
        guard rename(tmp.path, target.path) == 0 else {
            let why = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: tmp)
            throw failure(why)
        }
    }
}
