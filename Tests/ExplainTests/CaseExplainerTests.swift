import Foundation
import Testing
@testable import Explain
@testable import Validation

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
private let records = try! RecordLoader.load(path: root.appendingPathComponent("data/validation").path)

/// Numbers as the expression \d+(?:\.\d+)? finds them.
func numbers(_ s: String) -> [String] {
    let regex = try! NSRegularExpression(pattern: "\\d+(?:\\.\\d+)?")
    // By UTF-16 offsets: a token can end inside a Character ("5" before a combining mark).
    let ns = s as NSString
    return regex.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
}

/// The bundled profiles and templates in a scratch folder, with edits: `edit(audience, template)` returns the
/// template to use, and `profile` the profile's text.
private func library(template edit: (Audience, String) -> String = { $1 }, profile: (Audience, String) -> String = { $1 }) throws -> ExplanationLibrary {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("case-explainer-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("profiles"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: dir.appendingPathComponent("templates"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for a in Audience.allCases {
        let t = try String(contentsOf: root.appendingPathComponent("explanations/templates/\(a.rawValue).mustache"), encoding: .utf8)
        try edit(a, t).write(to: dir.appendingPathComponent("templates/\(a.rawValue).mustache"), atomically: true, encoding: .utf8)
        let p = try String(contentsOf: root.appendingPathComponent("explanations/profiles/\(a.rawValue).yaml"), encoding: .utf8)
        try profile(a, p).write(to: dir.appendingPathComponent("profiles/\(a.rawValue).yaml"), atomically: true, encoding: .utf8)
    }
    return try ExplanationLibrary(folder: dir.path)
}

/// What EXPLANATIONS.md asks of a rendering, computed the plain way on the whole text: swift-mustache renders the
/// template, the text is its trimmed non-blank lines, and each check reads that text.
private struct Reference {
    let text: String
    let untraced: Set<String>
    let forbidden: [String]
    let blankRequired: [String]
    let readability: Readability

    init(_ facts: FactTable, _ audience: Audience, _ library: ExplanationLibrary, hyphenator: Hyphenator) throws {
        let profile = try #require(library.profiles[audience])
        let template = try #require(library.templates[audience])
        let record = ViewModel.record(facts.recordLevel, style: profile.numbers, sections: profile.sections, reason: nil, metrics: profile.metrics)
        let forCase = ViewModel.forCase(facts, style: profile.numbers)
        let context = TemplateContext(record: record.values, case: forCase.values, table: facts)
        text = template.template.render(context.any).split(separator: "\n").map(Explainer.trimmed).filter { !$0.isEmpty }.joined(separator: "\n")
        let allowed = template.sourceNumbers.union((record.rendered + forCase.rendered).flatMap(numbers))
        untraced = Set(numbers(text)).subtracting(allowed)
        let lower = text.lowercased()
        forbidden = profile.forbidden.filter { ForbiddenWords.occurs($0.lowercased(), in: lower) }
        blankRequired = profile.required.filter { section in
            var alone = context
            alone.record["sections"] = .list([.map(["s_" + section: .bool(true)])])
            return template.template.render(alone.any).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        }
        readability = Readability(text, hyphenator: hyphenator)
    }

    func expectMatches(_ e: Explanation, _ what: String) {
        #expect(e.text == text, "\(what): text")
        #expect(e.readability == readability, "\(what): readability \(String(describing: e.readability)) vs \(readability)")
        let numbers = Set(e.warnings.compactMap { w -> String? in
            guard w.hasPrefix("the number ") else { return nil }
            return String(w.dropFirst("the number ".count).prefix { $0 != " " })
        })
        #expect(numbers == untraced, "\(what): untraced numbers \(numbers) vs \(untraced)")
        #expect(e.warnings.filter { $0.hasPrefix("forbidden") } == forbidden.map { "forbidden for the \(e.audience.rawValue) text: \"\($0)\"" }, "\(what): forbidden")
        #expect(e.warnings.filter { $0.hasPrefix("the required section") } == blankRequired.map { "the required section \($0) says nothing" }, "\(what): required")
    }
}

/// Explaining every case of a record with one bound explainer (which shares the parts that read no case value)
/// gives what explaining each case alone gives, and what the whole-text checks give.
@Test func everyCaseExplainedAsAloneAndAsTheWholeTextReference() throws {
    let hyphenator = try Hyphenator()
    let explainer = Explainer(library: try library(), hyphenator: hyphenator)
    var compared = 0
    for record in records {
        let base = try FactBuilder.build(record)
        for audience in Audience.allCases {
            let bound = try explainer.prepare(base, for: audience)
            for facts in [base] + FactBuilder.buildCases(record) + [base] {
                let shared = bound.explain(facts), alone = try explainer.explain(facts, for: audience)
                let what = "\(record.id) \(facts.caseID ?? "-") \(audience)"
                #expect(shared.text == alone.text && shared.warnings == alone.warnings && shared.factsUsed == alone.factsUsed
                        && shared.readability == alone.readability, "\(what)")
                try Reference(facts, audience, explainer.library, hyphenator: hyphenator).expectMatches(shared, what)
                compared += 1
            }
        }
    }
    #expect(compared > 150)
    // Several audiences at once share each case's view model between those with the same number style.
    for record in records {
        let base = try FactBuilder.build(record)
        let group = CaseExplainers(try Audience.allCases.map { try explainer.prepare(base, for: $0) })
        for facts in FactBuilder.buildCases(record) {
            let together = group.explain(facts)
            for (k, audience) in Audience.allCases.enumerated() {
                let alone = try explainer.explain(facts, for: audience)
                #expect(together[k].text == alone.text && together[k].warnings == alone.warnings && together[k].factsUsed == alone.factsUsed,
                        "\(record.id) \(facts.caseID ?? "-") \(audience)")
            }
        }
    }
}

/// Templates and profiles where parts cannot be checked apart (sections that do not end their lines, a forbidden
/// phrase across a line break), where the template renders whole (a second sections loop), and where a shared part shows an
/// invented number: the checks still equal the whole-text ones.
@Test(arguments: ["one line", "phrase across lines", "two sections loops", "invented number", "blank required"])
func checksHoldOnUnusualTemplates(_ variant: String) throws {
    let hyphenator = try Hyphenator()
    let lib: ExplanationLibrary
    switch variant {
    case "one line":
        // Everything after the pragma on one line: no part ends its line, so the text is checked whole.
        lib = try library(template: { _, t in
            let lines = t.split(separator: "\n", maxSplits: 1)
            return lines[0] + "\n" + lines[1].replacingOccurrences(of: "\n", with: " ")
        })
    case "phrase across lines":
        lib = try library(profile: { a, p in a == .patient ? p.replacingOccurrences(of: "forbidden: [", with: "forbidden: [\"sure.\\nyour doctor\", ") : p })
    case "two sections loops":
        lib = try library(template: { _, t in t + "{{#sections}}{{/sections}}\n" })
    case "invented number":
        lib = try library(template: { _, t in t.replacingOccurrences(of: "{{/sections}}", with: "{{#s_limitations}}Seen in {{#items}}7{{/items}} 12.5 cases.\n{{/s_limitations}}{{#s_privacy}}Kept 30 days.\n{{/s_privacy}}{{/sections}}") })
    default:
        // The patient's privacy section says nothing when the record has no privacy text: reported for every case.
        lib = try library(template: { a, t in a == .patient ? t.replacingOccurrences(of: "{{^privacy_text}}Ask your doctor how your data are kept safe.{{/privacy_text}}", with: "") : t })
    }
    let explainer = Explainer(library: lib, hyphenator: hyphenator)
    var warned = 0
    for record in records {
        let base = try FactBuilder.build(record)
        for audience in Audience.allCases {
            let bound = try explainer.prepare(base, for: audience)
            for facts in [base] + FactBuilder.buildCases(record) {
                let e = bound.explain(facts)
                try Reference(facts, audience, lib, hyphenator: hyphenator).expectMatches(e, "\(variant): \(record.id) \(facts.caseID ?? "-") \(audience)")
                if !e.warnings.isEmpty { warned += 1 }
            }
        }
    }
    // The variants that break a check do break it somewhere, so the comparison above is not between two silences.
    if ["phrase across lines", "invented number", "blank required"].contains(variant) { #expect(warned > 0, "\(variant)") }
}


/// One rendering engine: a template with Mustache trustgap does not render (a partial) is refused at load with its
/// file and line, not rendered by another engine.
@Test func templatesWithPartialsAreRefused() throws {
    do {
        _ = try library(template: { a, t in a == .clinician ? t + "{{> missing}}\n" : t })
        Issue.record("a template with a partial loaded")
    } catch let ExplainError.file(path, line, _, message) {
        #expect(path.hasSuffix("clinician.mustache") && line > 1 && message.contains("partials"), "\(path):\(line) \(message)")
    }
}

/// Batch explaining (`explain --case all`) gives, in record order, exactly what explaining each case alone gives,
/// across the workers; with sentences, the claims of each.
@Test func batchExplainingMatchesOneCaseAtATime() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let library = try ExplanationLibrary(folder: root.appendingPathComponent("explanations").path)
    let record = try #require(try RecordLoader.load(path: root.appendingPathComponent("data/validation").path).first { $0.id == "cspca-bpmri-v2" })
    let evidence = try RecordEvidence.of(record)
    let explainer = Explainer(library: library)
    let outcome = try BatchExplainer.explainAll(record, explainer: explainer, audiences: [.clinician, .patient], priorities: nil, evidence: evidence,
                                                sentences: true) { explanations, caseID, sentences, _, first in
        zip(explanations, sentences).enumerated().map { a, pair in
            (first && a == 0 ? "" : "\u{1E}") + "\(caseID)|\(pair.0.audience.rawValue)|\(pair.1.count)|\(pair.0.text)"
        }.joined()
    }
    let written = String(decoding: outcome.chunks.joined(), as: UTF8.self).split(separator: "\u{1E}").map(String.init)
    var expected: [String] = []
    for c in record.cases {
        let table = try FactBuilder.build(record, caseID: c.id, evidence: evidence)
        for a in [Audience.clinician, .patient] {
            let bound = try explainer.prepare(table.recordLevel, for: a)
            expected.append("\(c.id)|\(a.rawValue)|\(bound.sentences(table).count)|\(bound.explain(table).text)")
        }
    }
    #expect(written == expected)
    #expect(outcome.explanations == record.cases.count * 2 && outcome.withWarnings == 0)
}
