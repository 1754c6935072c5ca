import Foundation
import Render
import Testing
@testable import Console

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Issue 16, point 2: a command's text and its JSON (and so its tidy CSV, which is drawn from the JSON) come from the
/// same values. Every number a reader sees on screen must be one the JSON holds: as it stands, rounded as shown, or
/// as a percentage. A number only the text has is drift: a figure a program reading the JSON cannot get.
///
/// Commands that only acknowledge (load, set, code, save…) or write files (report, plot, export) are not listed:
/// their text is a sentence about what was done, not a result.
private let commands: [String] = [
    "questions", "show Q7", "groups", "describe Q1", "describe Q8", "describe Q10", "crosstab Q7", "crosstab Q10",
    "crosstab Q7 by Q2", "chisq Q7", "chisq Q10", "chisq Q8", "chisq all", "chisq table \"12,5;3,9\"", "power --w 0.3 --n 49 --df 2",
    "power --w 0.3 --power 0.8 --df 2", "gap", "exposure", "priorities", "codebook", "themes Q35", "matrix Q35",
    "cooccur Q35", "uncoded Q35", "kwic model Q35", "words Q35 --ngram 2", "agreement Q35", "describe Q35", "quotes Q35", "words Q35", "records", "metrics cspca-bpmri-v2",
    "audit cspca-bpmri-v2", "facts cspca-bpmri-v2", "facts cspca-bpmri-v2 --case P-052",
    "explain cspca-bpmri-v2 --case P-052 --for clinician", "explain cspca-bpmri-v2 --case P-045 --for patient",
    "explain cspca-bpmri-v2 --for regulator", "explain prostate-seg-t2w-v1 --case S-003 --for developer", "metrics gland-volume-reg-v1",
    "metrics prostate-seg-t2w-v1", "audit prostate-seg-t2w-v1", "history", "notes",
]

/// The same on a survey of the analyst's own, inferred without a questionnaire, with numeric questions.
private let ownSurveyCommands = ["groups", "questions", "describe years", "describe score", "compare years", "compare score", "chisq all", "gap"]

/// Loading is the costly part; one session serves every command (none of the listed ones changes it), so the
/// commands run one after another in one test.
@Test func textAndJSONCarryTheSameNumbers() throws {
    let session = Session()
    for line in [
        "load survey \(root.path)/data/ai4hi/responses.csv --questionnaire \(root.path)/questionnaires/ai-validation.yaml",
        "codebook load \(root.path)/questionnaires/tehai-frame.yaml", "import codings \(root.path)/data/ai4hi/codings.csv",
        "load records \(root.path)/data/validation",
    ] { _ = try CommandTable.execute(line, in: session) }
    SameValues.check(commands, in: session)
    let own = Session()
    _ = try CommandTable.execute("load survey \(root.path)/Tests/EndToEndTests/data/numeric-survey.csv --group role", in: own)
    SameValues.check(ownSurveyCommands, in: own)
}

/// The commands that change the session or write files acknowledge what they did ("Loaded 49 respondents…",
/// "accepted 2 suggestion(s)", "wrote …"): those numbers too are in their JSON. They run in order in a session of
/// their own, writing into a temporary folder.
@Test func acknowledgementsCarryTheirNumbersInJSON() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tg-same-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let data = root.path
    let session = Session()
    SameValues.check([
        "load survey \(data)/data/ai4hi/responses.csv --questionnaire \(data)/questionnaires/ai-validation.yaml",
        "load records \(data)/data/validation",
        "questionnaire export --out \(dir)/q.yaml", "questionnaire infer \(data)/Tests/EndToEndTests/data/numeric-survey.csv",
        "set Q7 order out_of_expertise,performance_only,balance_performance,balance_interpretability,interpretability_only", "filter Q6 has model_training", "filter clear", "recode Q7 interpretability_only,balance_interpretability -> interpretability",
        "codebook load \(data)/questionnaires/tehai-frame.yaml", "codebook add extra --name Extra", "autocode Q35 --rules \(data)/questionnaires/tehai-frame.yaml",
        "accept 1,2", "reject all", "code R002 Q35 utility.safety", "uncode R002 Q35 utility.safety", "undo",
        "import codings \(data)/data/ai4hi/codings.csv", "notes add phase 2 done", "export project \(dir)/p.qdpx", "export codings \(dir)/c.csv",
        "plot Q7 --out \(dir)/q7.svg", "plot gap --out \(dir)/gap.svg", "wordcloud Q35 --out \(dir)/cloud.svg --seed 1",
        "report survey --out \(dir)/survey.html", "report cspca-bpmri-v2 --out \(dir)/record.md",
        "explain cspca-bpmri-v2 --case all --for clinician --out \(dir)/all.json", "save \(dir)/w.tgw", "open \(dir)/w.tgw",
        "log", "log export \(dir)/log.csv", "synth survey --respondents 30 --seed 2 --out \(dir)/s.csv", "drop Q35", "help", "help chisq",
    ], in: session)
    // A scale has no answer codes to reorder: the error says so (it once listed nothing after "in the new order:").
    do { _ = try CommandTable.execute("set Q8 order 5,4,3,2,1", in: session); Issue.record("set Q8 order was accepted") } catch {
        #expect("\(error)".contains("no order to set; its scale runs from 1 to 5"), "\(error)")
    }
}

/// Every declared command is run by one of the checks above, so a new command cannot skip them.
@Test func everyCommandIsChecked() {
    let run = Set((commands + ownSurveyCommands).compactMap { $0.split(separator: " ").first.map(String.init) }
        + ["load", "questionnaire", "set", "drop", "filter", "recode", "codebook", "autocode", "accept", "reject", "code", "uncode", "undo", "import",
           "export", "plot", "wordcloud", "report", "explain", "save", "open", "log", "synth", "help"])
    let unchecked = CommandTable.names.filter { !run.contains($0) && $0 != "quit" }
    #expect(unchecked.isEmpty, "commands no same-values check runs: \(unchecked)")
}

/// The checker must be able to fail: a number the JSON lacks is found, one it holds as a share is not.
@Test func theSameValuesCheckCanFail() {
    let held = SameValues.numbers(in: .object([("share", .number(0.3333)), ("n", .int(49))]))
    #expect(SameValues.holds(held, SameValues.shown(in: "33.3%")[0]))
    #expect(SameValues.holds(held, SameValues.shown(in: "49")[0]))
    #expect(!SameValues.holds(held, SameValues.shown(in: "48")[0]))
    #expect(!SameValues.holds(held, SameValues.shown(in: "33.4%")[0]))
}

enum SameValues {
    static func check(_ lines: [String], in session: Session, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in lines {
            let output: CommandOutput?
            do { output = try CommandTable.execute(line, in: session) } catch { Issue.record("\(line): \(error)", sourceLocation: sourceLocation); continue }
            guard let out = output else { Issue.record("\(line): no output", sourceLocation: sourceLocation); continue }
            let text = out.rendered(as: .text, colour: false)
            let held = numbers(in: out.json)
            let missing = shown(in: text).filter { !holds(held, $0) }
            #expect(missing.isEmpty, "\(line): the text shows \(missing.map(\.written)) that its JSON does not hold\n\(text)", sourceLocation: sourceLocation)
        }
    }

    struct Shown { var written: String; var value: Double; var decimals: Int; var percent: Bool; var scientific: Bool }

    /// Every number a reader sees: "12", "3.7", "45.2%", "0.6–16.7" (two), "1.2e-05". A p printed as "<0.001" is a
    /// bound, not a value, and numbers inside identifiers ("Q7", "P-052", "R012") or versions ("2.0.1") are names.
    static func shown(in text: String) -> [Shown] {
        let pattern = #"(?<![\w.<≤>-])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?![.\d])(%?)"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).compactMap { m in
            let written = ns.substring(with: m.range(at: 1))
            let after = m.range.location + m.range.length
            if after < ns.length, let c = Unicode.Scalar(ns.character(at: after)), CharacterSet.letters.contains(c) || c == "_" { return nil }
            let plain = written.replacingOccurrences(of: ",", with: "")
            guard let value = Double(plain) else { return nil }
            let scientific = plain.contains("e")
            let decimals = scientific ? 0 : plain.split(separator: ".").dropFirst().first.map(\.count) ?? 0
            return Shown(written: written + ns.substring(with: m.range(at: 2)), value: value, decimals: decimals,
                         percent: m.range(at: 2).length > 0, scientific: scientific)
        }
    }

    /// The numbers a JSON result holds, with those written inside its strings (labels like "18-24 years").
    static func numbers(in json: JSONValue) -> [Double] {
        switch json {
        case .null, .bool: return []
        case .int(let i): return [Double(i)]
        case .number(let d): return [d]
        case .string(let s): return shown(in: s).map(\.value)
        // A list's length is a number the JSON holds too ("Codebook (20 codes)").
        case .array(let items): return [Double(items.count)] + items.flatMap(numbers(in:))
        case .object(let pairs): return pairs.flatMap { numbers(in: $0.1) }
        }
    }

    static func holds(_ held: [Double], _ n: Shown) -> Bool {
        func matches(_ v: Double) -> Bool {
            if n.scientific { return abs(v - n.value) <= abs(n.value) * 0.051 }
            let scale = pow(10, Double(n.decimals))
            let tolerance = 0.5 / scale + 1e-9
            return abs(v - n.value) <= tolerance
        }
        return held.contains { matches($0) || matches($0 * 100) }
    }
}
