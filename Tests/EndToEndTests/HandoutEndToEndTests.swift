import Foundation
import Testing

private func handoutDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-handout-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// `report RECORD` carries the figures a validation paper prints, per test set: the ROC curve with its band, the
/// reliability diagram and the risk–coverage curve; every figure has a <title>, a <desc> and a caption.
@Test func recordReportCarriesThePapersFigures() throws {
    let dir = try handoutDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let html = dir.appendingPathComponent("record.html").path
    let r = try InProcess.run(["--format", "json", "-e", "load records data/validation", "-e", "report cspca-bpmri-v2 --out \(html)"])
    #expect(r.status == 0, "\(r.err)")
    let page = try String(contentsOfFile: html, encoding: .utf8)
    for testSet in ["internal", "external"] {
        for title in ["<title>ROC (\(testSet)), n = ", "<title>Reliability (\(testSet)), ", "<title>Risk–coverage (\(testSet))</title>"] {
            #expect(page.contains(title), "missing \(title)")
        }
    }
    #expect(r.out.contains("\"figures\": 6"), "\(r.out.suffix(400))")
    let figures = page.components(separatedBy: "<figure>").dropFirst()
    #expect(figures.count == 6 && figures.allSatisfy { $0.contains("<title>") && $0.contains("<desc>") && $0.contains("<figcaption>") })
    #expect(page.contains("shaded: 95% Wilson interval of the sensitivity at each threshold"))
}

/// Survey bar charts carry each share's Wilson interval (whiskers on grouped bars, in the legend of stacked ones) and
/// a value axis, with the interval the tidy CSV gives for the same cell.
@Test func surveyChartsCarryWilsonIntervalsAndAValueAxis() throws {
    let dir = try handoutDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let q10 = dir.appendingPathComponent("q10.svg").path, q7 = dir.appendingPathComponent("q7.svg").path
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "plot Q10 --out \(q10)", "-e", "plot Q7 --out \(q7)"])
    #expect(r.status == 0, "\(r.err)")
    let grouped = try String(contentsOfFile: q10, encoding: .utf8), stacked = try String(contentsOfFile: q7, encoding: .utf8)
    #expect(grouped.contains("whiskers: 95% Wilson interval") && grouped.contains(">100%</text>") && grouped.contains("<path d=\"M"))
    #expect(stacked.contains("(with its 95% Wilson interval)"))
    // The first group's first answer of Q7, as the tidy table gives its interval (its last two columns; the labels
    // before them hold commas).
    let csv = try InProcess.run(["--format", "csv", "-e", "load survey data/ai4hi/responses.csv", "-e", "crosstab Q7"])
    let lines = csv.out.components(separatedBy: "\n")
    #expect(lines.first { $0.hasPrefix("question,") }?.hasSuffix(",ci_low_percent,ci_high_percent") == true)
    let ends = (lines.first { $0.hasPrefix("Q7,") }?.components(separatedBy: ",").suffix(2).compactMap(Double.init)) ?? []
    try #require(ends.count == 2)
    #expect(stacked.contains("TG 3% [\(Int(ends[0].rounded()))–\(Int(ends[1].rounded()))%]"), "no [\(ends[0])–\(ends[1])] in the legend")
}

/// Printed from Chromium, the survey and record reports keep each table and figure whole on a page, and no page is
/// blank (scripts/check_print.py reads the PDF page by page with pdftoppm and pdftotext).
@Test func reportsPrintWithTablesAndFiguresWhole() throws {
    let dir = try handoutDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let survey = dir.appendingPathComponent("survey.html").path, record = dir.appendingPathComponent("record.html").path
    let r = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "load records data/validation",
                               "-e", "report survey --out \(survey)", "-e", "report cspca-bpmri-v2 --out \(record)"])
    #expect(r.status == 0, "\(r.err)")
    for file in [survey, record] {
        let check = try Binary.tool(["python3", "scripts/check_print.py", file])
        #expect(check.status == 0 && check.output.contains("whole on a page"), "\(file): \(check.output.suffix(2000))")
    }
}

/// `--format xlsx --out FILE.xlsx`: every table of every command a sheet, read back with openpyxl: the sheets are
/// the `--format csv --out-dir` files in order, with the same cells, numbers typed as numbers and the rest as text.
@Test func tablesGoToAnExcelWorkbook() throws {
    let dir = try handoutDir()
    defer { try? FileManager.default.removeItem(at: dir) }
    let book = dir.appendingPathComponent("tables.xlsx").path, folder = dir.appendingPathComponent("csv").path
    let commands = ["-e", "load survey data/ai4hi/responses.csv", "-e", "crosstab Q7", "-e", "chisq all", "-e", "load records data/validation",
                    "-e", "metrics cspca-bpmri-v2"]
    let x = try InProcess.run(["--format", "xlsx", "--out", book] + commands)
    #expect(x.status == 0 && x.out.contains("wrote \(book):"), "\(x.err)")
    let c = try InProcess.run(["--format", "csv", "--out-dir", folder] + commands)
    #expect(c.status == 0, "\(c.err)")
    let check = try Binary.tool(["python3", "-c", """
        import csv, os, sys, openpyxl
        book, folder = sys.argv[1], sys.argv[2]
        wb = openpyxl.load_workbook(book)
        # Each command's provenance file (what produced its tables) is the CSV folder's own; the workbook holds the tables.
        files = sorted(f for f in os.listdir(folder) if f.endswith(".csv") and not f.endswith("-provenance.csv"))
        # Sheet "03 chisq tests" is the file 03-chisq-tests.csv.
        assert sorted(n.replace(" ", "-") + ".csv" for n in wb.sheetnames) == files, (wb.sheetnames, files)
        numbers = 0
        for name in wb.sheetnames:
            f = name.replace(" ", "-") + ".csv"
            rows = list(csv.reader(open(os.path.join(folder, f), encoding="utf-8")))
            sheet = [[c.value for c in r] for r in wb[name].iter_rows()]
            assert len(sheet) == len(rows), (name, len(sheet), len(rows))
            for want, got in zip(rows, sheet):
                for w, g in zip(want, got + [None] * (len(want) - len(got))):
                    w = w[1:] if w[:1] == "'" and w[1:2] in "=+-@" else w
                    if g is None:
                        assert w == "", (name, w)
                    elif isinstance(g, bool):
                        assert w == str(g).lower(), (name, w, g)
                    elif isinstance(g, (int, float)):
                        numbers += 1
                        assert abs(float(w) - g) <= 1e-12 * max(1, abs(g)), (name, w, g)
                    else:
                        assert isinstance(g, str) and g == w, (name, w, g)
        assert numbers > 100, numbers
        print("ok", len(files), "sheets", numbers, "numbers")
        """, book, folder])
    #expect(check.status == 0 && check.output.contains("ok "), "\(check.output.suffix(2000))")
    let refused = try InProcess.run(["--format", "xlsx", "-e", "groups"])
    #expect(refused.status == 2 && refused.err.contains("--format xlsx goes with --out FILE.xlsx"))
}
