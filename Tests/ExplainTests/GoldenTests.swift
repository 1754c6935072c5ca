import Foundation
import Mustache
import Testing
@testable import Explain
@testable import Survey
@testable import Validation

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")
private let records = try! RecordLoader.load(path: root.appendingPathComponent("data/validation").path)
private let explainer = Explainer(library: try! ExplanationLibrary(folder: root.appendingPathComponent("explanations").path))
/// Each record's predictions recomputed, as `explain` does: the goldens show figures as the per-case data judge them.
private let evidence = Dictionary(uniqueKeysWithValues: records.map { ($0.id, try! RecordEvidence.of($0)) })

/// (record, case or nil, audience): every bundled record for every audience at record level, and one case of each
/// record that fails QC or is out of distribution, plus a clear case.
private let renderings: [(String, String?, Audience)] = records.flatMap { r in
    Audience.allCases.map { (r.id, nil as String?, $0) } + Audience.allCases.map { (r.id, r.cases.first { $0.failsQC || $0.isOutOfDistribution }?.id, $0) }
} + Audience.allCases.map { ("cspca-bpmri-v2", "P-017", $0) }

/// Compares with the committed rendering; TRUSTGAP_UPDATE_GOLDEN=1 rewrites it (review the diff before committing).
@Test(arguments: renderings.indices)
func renderingMatchesGolden(_ k: Int) throws {
    let (id, caseID, audience) = renderings[k]
    let record = try #require(records.first { $0.id == id })
    let e = try explainer.explain(try FactBuilder.build(record, caseID: caseID, evidence: evidence[id] ?? .none), for: audience)
    #expect(e.warnings.isEmpty, "\(id) \(caseID ?? "") \(audience): \(e.warnings)")
    let file = golden.appendingPathComponent("\(id)\(caseID.map { ".\($0)" } ?? "").\(audience.rawValue).txt")
    if ProcessInfo.processInfo.environment["TRUSTGAP_UPDATE_GOLDEN"] == "1" {
        try (e.text + "\n").write(to: file, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(e.text + "\n" == expected, "wording changed for \(file.lastPathComponent)")
}

/// Every case of every bundled record, for every audience, passes every check (numbers, words, reading level and
/// meaning), with and without the per-case data.
@Test(arguments: ["cspca-bpmri-v2", "gland-volume-reg-v1", "prostate-seg-t2w-v1", "pirads-triage-ext-v1", "psa-density-reg-v1"], [true, false])
func checksOnEveryRendering(_ id: String, _ withEvidence: Bool) throws {
    let record = try #require(records.first { $0.id == id })
    for caseID in record.cases.map(\.id) {
        let facts = try FactBuilder.build(record, caseID: caseID, evidence: withEvidence ? evidence[id] ?? .none : .none)
        let all = try Audience.allCases.map { try explainer.explain(facts, for: $0) }
        for e in all { #expect(e.warnings.isEmpty, "\(caseID) \(e.audience): \(e.warnings)") }
        let patient = try #require(all.first { $0.audience == .patient })
        #expect((patient.readability?.fleschKincaidGrade ?? 99) <= 8, "\(caseID) patient grade")
        // A failed input check or OOD is told first, to every audience.
        if facts["qc.input_ok"]?.flag == false || facts["qc.ood"]?.flag == true {
            for e in all { #expect(e.text.split(separator: "\n").first.map { $0.contains("scan") || $0.contains("input") || $0.contains("INPUT") } == true, "\(caseID) \(e.audience)") }
        }
        // No reader is given an estimate, or confidence in one, made from an input that failed its check.
        let unusable = facts["qc.input_ok"]?.flag == false || facts["qc.ood"]?.flag == true || facts["qc.out_of_scope"] != nil
        if unusable, facts["uq.confidence"] != nil {
            let clinician = try #require(all.first { $0.audience == .clinician })
            #expect(clinician.text.contains("How sure it is: not given, because of the input problem above."), "\(caseID)")
            #expect(patient.text.contains("How sure it is: there is no result to be sure about."), "\(caseID)")
        }
        // One level of confidence, worded for each reader.
        if let level = facts["uq.confidence"]?.level, !unusable {
            let clinician = try #require(all.first { $0.audience == .clinician })
            #expect(clinician.text.contains("\(level) confidence"))
            let words = ["high": "quite sure", "moderate": "fairly sure", "low": "not sure"][level] ?? "?"
            #expect(patient.text.contains(words))
        }
    }
}

@Test func aNumberNotInTheFactsIsCaught() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("expl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("profiles"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
    for a in Audience.allCases {
        try FileManager.default.copyItem(at: root.appendingPathComponent("explanations/profiles/\(a.rawValue).yaml"), to: dir.appendingPathComponent("profiles/\(a.rawValue).yaml"))
        try FileManager.default.copyItem(at: root.appendingPathComponent("explanations/templates/\(a.rawValue).mustache"), to: dir.appendingPathComponent("templates/\(a.rawValue).mustache"))
    }
    // An invented figure computed in a lambda-free way: the template doubles nothing, so we splice a number into a fact.
    let record = try #require(records.first { $0.id == "cspca-bpmri-v2" })
    var facts = try FactBuilder.build(record, caseID: "P-017")
    facts = FactTable(record: facts.record, caseID: facts.caseID, facts: facts.facts.map {
        $0.id == "case.label" ? Fact(id: $0.id, label: $0.label, value: .text("csPCa"), source: $0.source) : $0
    })
    let e = try Explainer(library: try ExplanationLibrary(folder: dir.path)).explain(facts, for: .patient)
    #expect(e.warnings.isEmpty)
    // A template that prints a number of its own making is flagged.
    try String(contentsOf: dir.appendingPathComponent("templates/patient.mustache"), encoding: .utf8)
        .replacingOccurrences(of: "{{frequency}} {{have}}", with: "{{frequency}}7 {{have}}")
        .write(to: dir.appendingPathComponent("templates/patient.mustache"), atomically: true, encoding: .utf8)
    let bad = try Explainer(library: try ExplanationLibrary(folder: dir.path)).explain(facts, for: .patient)
    #expect(bad.warnings.contains { $0.contains("the number 937 is not the value of any fact used") }, "\(bad.warnings)")
    // A broken template names its file and line.
    try "{{% CONTENT_TYPE: TEXT}}\nline two\n{{#s_qc}}unclosed\n".write(to: dir.appendingPathComponent("templates/regulator.mustache"), atomically: true, encoding: .utf8)
    do {
        _ = try ExplanationLibrary(folder: dir.path)
        Issue.record("a broken template loaded")
    } catch let ExplainError.file(path, line, _, _) {
        #expect(path.hasSuffix("templates/regulator.mustache") && line >= 3)
    }
    // A broken profile names its file, line and field.
    try "audience: patient\nnumbers: roman\nsections: [qc]\n".write(to: dir.appendingPathComponent("profiles/patient.yaml"), atomically: true, encoding: .utf8)
    #expect(throws: ExplainError.file(path: dir.appendingPathComponent("profiles/patient.yaml").path, line: 2, column: 10,
                                      message: "numbers: expected decimal, percent or natural_frequency, found roman")) {
        try ExplanationLibrary(folder: dir.path)
    }
}

/// The compiled templates render what swift-mustache renders for every bundled record at record level and for
/// every case, for every audience, including the single-section renderings of the required-section check: the same
/// text once blank lines and spaces at line ends are dropped, as the explainer drops them (the two place the
/// newlines of standalone tag lines differently; the compiled one follows the Mustache spec).
@Test func compiledTemplatesRenderAsSwiftMustache() throws {
    var compared = 0
    for record in records {
        for caseID in [nil] + record.cases.map(\.id) {
            let facts = try FactBuilder.build(record, caseID: caseID)
            for audience in Audience.allCases {
                let profile = try #require(explainer.library.profiles[audience])
                let template = try #require(explainer.library.templates[audience])
                let compiled = template.compiled
                let half = ViewModel.record(facts.recordLevel, style: profile.numbers, sections: profile.sections,
                                            reason: "a reason with <markup> & \"quotes\"", metrics: profile.metrics)
                let context = TemplateContext(record: half.values, case: ViewModel.forCase(facts, style: profile.numbers).values,
                                              caseKeys: ViewModel.caseKeys)
                let expected = template.template.render(context.any)
                #expect(normal(compiled.render(context)) == normal(expected), "\(record.id) \(caseID ?? "-") \(audience): \(firstDifference(normal(compiled.render(context)), normal(expected)))")
                // Part by part: before the sections, each section, after them.
                let items = try #require(compiled.sectionItems(context))
                var readsCase = false
                let before = compiled.render(.beforeSections, context, readsCase: &readsCase)
                let after = compiled.render(.afterSections, context, readsCase: &readsCase)
                let pieces = items.map { compiled.render(.section($0), context, readsCase: &readsCase) }
                #expect(normal(before + pieces.joined() + after) == normal(expected))
                for (k, section) in profile.sections.enumerated() {
                    var alone = context
                    alone.record["sections"] = .list([.map(["s_" + section: .bool(true)])])
                    let reference = template.template.render(alone.any)
                    #expect(normal(before + pieces[k] + after) == normal(reference), "\(record.id) \(caseID ?? "-") \(audience) \(section)")
                    #expect(normal(compiled.render(alone)) == normal(reference), "\(record.id) \(caseID ?? "-") \(audience) \(section): \(firstDifference(normal(compiled.render(alone)), normal(reference)))")
                }
                compared += 1
            }
        }
    }
    #expect(compared > 100)
}

/// What a part of a rendering reads decides whether it is shared by every case: a part that looks up a case's value
/// at the root (even one the case lacks) is not; a name found in a section's own item, or a record value, is.
@Test func partsThatReadACaseValueAreNotShared() throws {
    let compiled = try #require(CompiledTemplate.compile("""
    {{#sections}}
    {{#s_a}}{{#perf}}{{value}};{{/perf}}
    {{/s_a}}
    {{#s_b}}{{#ece}}{{label}}{{/ece}}
    {{/s_b}}
    {{#s_c}}{{#qc_problem}}!{{/qc_problem}}
    {{/s_c}}
    {{/sections}}
    """))
    let context = TemplateContext(record: ["sections": .list(["a", "b", "c"].map { .map(["s_" + $0: .bool(true)]) }),
                                           "perf": .list([.map(["value": .string("0.9")])])],
                                  case: ["label": .string("csPCa")], caseKeys: ViewModel.caseKeys)
    let items = try #require(compiled.sectionItems(context))
    var reads: [Bool] = []
    for item in items {
        var readsCase = false
        _ = compiled.render(.section(item), context, readsCase: &readsCase)
        reads.append(readsCase)
    }
    // a: "value" is found in the perf item, never at the root; b: "ece" is absent and no case sets it, so "label"
    // is never looked up; c: "qc_problem" is a case key even where this case has none.
    #expect(reads == [false, false, true])
}

/// Templates that use what the compiled renderer does not implement fall back to swift-mustache; the ones it does
/// implement follow the Mustache rules (escaping, falsy values, lists, dotted names, standalone lines, delimiters).
@Test func compiledTemplateRules() throws {
    #expect(CompiledTemplate.compile("{{> partial}}") == nil)
    #expect(CompiledTemplate.compile("{{uppercased(name)}}") == nil)
    #expect(CompiledTemplate.compile("{{#a}}unclosed") == nil)
    let source = """
    {{! a comment }}
    {{#items}}
      {{.}} & {{{raw}}} {{esc}}
    {{/items}}
    {{^missing}}no {{a.b}}{{/missing}}
    {{=<% %>=}}
    <%#flag%>flag<%/flag%><%^empty%> empty<%/empty%>
    """
    let compiled = try #require(CompiledTemplate.compile(source))
    let values: [String: TemplateValue] = ["items": .list([.string("x<"), .string("y")]), "raw": .string("<b>"), "esc": .string("\"q\""),
                                           "a": .map(["b": .string("deep")]), "flag": .bool(true), "empty": .list([])]
    let any: [String: Any] = ["items": ["x<", "y"], "raw": "<b>", "esc": "\"q\"", "a": ["b": "deep"], "flag": true, "empty": [String]()]
    let expected = try MustacheTemplateBridge.render(source, any)
    #expect(normal(compiled.render(TemplateContext(record: values))) == normal(expected))
    // Standalone tag lines leave no line behind (Mustache spec).
    #expect(compiled.render(TemplateContext(record: values)).hasPrefix("  x&lt; & <b> &quot;q&quot;\n  y & <b> &quot;q&quot;\nno deep\n"))
    #expect(expected.contains("x&lt; & <b> &quot;q&quot;"))
}

/// swift-mustache directly, the reference the compiled templates are held to.
enum MustacheTemplateBridge {
    static func render(_ source: String, _ context: [String: Any]) throws -> String {
        try MustacheTemplate(string: source).render(context)
    }
}

/// A rendering as the explainer keeps it: lines trimmed, blank lines dropped.
private func normal(_ s: String) -> String {
    s.split(separator: "\n").map(Explainer.trimmed).filter { !$0.isEmpty }.joined(separator: "\n")
}

/// Where two renderings part, with a little context.
private func firstDifference(_ a: String, _ b: String) -> String {
    let x = Array(a), y = Array(b)
    var k = 0
    while k < x.count && k < y.count && x[k] == y[k] { k += 1 }
    return "at \(k): compiled \(String(x[max(0, k - 20)..<min(x.count, k + 20)]).debugDescription) vs \(String(y[max(0, k - 20)..<min(y.count, k + 20)]).debugDescription)"
}
