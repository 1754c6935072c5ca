import Foundation
import Testing

/// `--format csv` gives one tidy table per command that pandas reads: unique column names, full labels, one value
/// per cell, plain numbers, interval ends in their own columns; and the numbers are the JSON result's.
@Test func everyCommandsCSVLoadsInPandas() throws {
    let commands = ["groups", "crosstab Q7", "crosstab Q10", "chisq all", "chisq Q7", "describe Q7", "gap", "exposure", "priorities",
                    "compare Q7", "metrics cspca-bpmri-v2", "audit cspca-bpmri-v2", "records"]
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-csv-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let setup = ["-e", "load survey data/ai4hi/responses.csv", "-e", "load records data/validation"]
    var files: [String] = [], checked: [String] = []
    for command in commands {
        let csv = try InProcess.run(["--format", "csv"] + setup + ["-e", command])
        let json = try InProcess.run(["--format", "json"] + setup + ["-e", command])
        guard csv.status == 0 else {
            // A command that refuses (compare on a categorical question) refuses in every format.
            #expect(json.status == csv.status, "\(command): \(csv.err)")
            continue
        }
        let tables = csv.out.components(separatedBy: "\n\n").filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(tables.count == 3, "\(command): \(tables.count) tables")
        let file = dir.appendingPathComponent("\(command.replacingOccurrences(of: " ", with: "_")).csv").path
        try (tables.last ?? "").write(toFile: file, atomically: true, encoding: .utf8)
        let result = try jsonDocuments(json.out).last ?? [:]
        let resultFile = file + ".json"
        try JSONSerialization.data(withJSONObject: result).write(to: URL(fileURLWithPath: resultFile))
        checked.append(command)
        files += [file, resultFile]
    }
    // One Python process reads every table (pandas takes half a second to import; once per command took 6 s).
    let check = try Binary.tool(["python3", "-c", """
        import json, sys, pandas as pd
        args = sys.argv[1:]
        for csv, js in zip(args[0::2], args[1::2]):
            df = pd.read_csv(csv)
            assert len(df) > 0, csv + ": empty table"
            assert len(set(df.columns)) == len(df.columns), csv + ": duplicate columns"
            assert not any(str(v).endswith("…") for v in df.astype(str).values.flatten()), csv + ": a cut label"
            result = json.load(open(js))
            # The numbers are the JSON result's: counts of a crosstab, p of tests.
            if "counts" in df.columns or "count" in df.columns and "group" in df.columns and "counts" in result:
                assert int(df["count"].sum()) == sum(sum(r) for r in result["counts"]), csv + ": counts differ"
            if "p" in df.columns and "tests" in result:
                assert [round(x, 12) for x in df["p"]] == [round(t["p"], 12) for t in result["tests"]], csv + ": p differ"
            print("ok", len(df))
        """] + files)
    #expect(check.status == 0 && check.output.components(separatedBy: "ok ").count - 1 == checked.count, "\(checked): \(check.output)")
}

/// `--format csv --out-dir DIR` writes each command's tables as files of their own (chisq all: its summary, tests and
/// skipped questions; metrics: its summary, its figures and each figure's reliability table), and every file loads in pandas and
/// in R's read.csv with the same rows and unique column names.
@Test func csvTablesGoToFilesThatPandasAndRRead() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-csvdir-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    let commands = ["load survey data/ai4hi/responses.csv", "load records data/validation", "groups", "crosstab Q7", "chisq all", "chisq Q7",
                    "describe Q7", "gap", "exposure", "priorities", "metrics cspca-bpmri-v2", "audit cspca-bpmri-v2", "records"]
    let r = try InProcess.run(["--format", "csv", "--out-dir", dir.path] + commands.flatMap { ["-e", $0] })
    #expect(r.status == 0, "\(r.err)")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(files.contains("05-chisq-summary.csv") && files.contains("05-chisq-tests.csv") && files.contains("05-chisq-skipped.csv"), "\(files)")
    #expect(files.contains("11-metrics-checks.csv") && files.contains("11-metrics-reliability.csv"), "\(files)")
    #expect(r.out.components(separatedBy: "wrote ").count - 1 == files.count)
    let pandas = try Binary.tool(["python3", "-c", """
        import sys, os, json, pandas as pd
        out = {}
        for name in sorted(os.listdir(sys.argv[1])):
            df = pd.read_csv(os.path.join(sys.argv[1], name))
            assert len(set(df.columns)) == len(df.columns), name
            out[name] = [len(df), len(df.columns)]
        print(json.dumps(out))
        """, dir.path])
    #expect(pandas.status == 0, "\(pandas.output)")
    let shapes = try JSONSerialization.jsonObject(with: Data(pandas.output.utf8)) as? [String: [Int]] ?? [:]
    #expect(shapes.count == files.count)
    let rScript = """
        args <- commandArgs(trailingOnly = TRUE)
        for (name in sort(list.files(args[1]))) {
          df <- read.csv(file.path(args[1], name), check.names = FALSE, encoding = "UTF-8")
          stopifnot(anyDuplicated(names(df)) == 0)
          cat(name, nrow(df), ncol(df), "\\n")
        }
        """
    let rOut = try Binary.tool(["Rscript", "--vanilla", "-e", rScript, dir.path])
    #expect(rOut.status == 0, "\(rOut.output)")
    for line in rOut.output.split(separator: "\n") {
        let parts = line.split(separator: " ")
        guard parts.count >= 3 else { continue }
        #expect(shapes[String(parts[0])] == [Int(parts[1]) ?? -1, Int(parts[2]) ?? -1], "\(line) vs pandas \(shapes[String(parts[0])] ?? [])")
    }
    #expect(rOut.output.split(separator: "\n").count == files.count, "\(rOut.output)")
    // A script run (`trustgap run FILE`) writes the same files.
    let script = dir.appendingPathComponent("s.tg").path
    try (commands.prefix(5).joined(separator: "\n") + "\n").write(toFile: script, atomically: true, encoding: .utf8)
    let scripted = dir.appendingPathComponent("scripted").path
    let run = try InProcess.run(["run", script, "--format", "csv", "--out-dir", scripted])
    #expect(run.status == 0, "\(run.err)")
    #expect(Set(try FileManager.default.contentsOfDirectory(atPath: scripted)) == Set(files.filter { Int($0.prefix(2)) ?? 99 <= 5 }))
}
