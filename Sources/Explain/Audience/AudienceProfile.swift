import Foundation
import Survey
import Mustache
import Yams

/// The four readers of an explanation.
public enum Audience: String, Sendable, CaseIterable {
    case developer, clinician, patient, regulator
}

/// How numbers are written for an audience.
public enum NumberStyle: String, Sendable { case decimal, percent, naturalFrequency = "natural_frequency" }

/// An audience's profile (explanations/profiles/AUDIENCE.yaml): number style, forbidden words, reading-level
/// target, the order of sections, and which trust factors of the survey move which sections forward.
public struct AudienceProfile: Sendable {
    public let audience: Audience
    public let title: String
    public let numbers: NumberStyle
    public let readingGradeMax: Double?
    public let forbidden: [String]
    public let sections: [String]
    /// Trust-factor answer code (of the question the questionnaire declares as analysis.trust_factors) → section id.
    public let priorities: [String: String]
    /// Whose ranking of trust factors orders the sections when a survey is loaded: a group meaning (clinical,
    /// technical) that the questionnaire gives one of its groups.
    public let group: String?
    /// Performance metrics shown to this audience (nil: all).
    public let metrics: [String]?
    /// Sections that must say something in every rendering (a missing input is said plainly, never skipped).
    public let required: [String]
    public let path: String
}

/// An explanation template (explanations/templates/AUDIENCE.mustache).
public struct ExplanationTemplate: Sendable {
    public let template: MustacheTemplate
    public let source: String
    public let path: String
    /// The template compiled for rendering: the one engine in production (swift-mustache parses it first, for its
    /// errors with line and column, and stays the tests' oracle).
    let compiled: CompiledTemplate
    /// Numbers written in the template itself (they need no fact), found once.
    let sourceNumbers: Set<String>

    init(template: MustacheTemplate, source: String, path: String, compiled: CompiledTemplate) {
        self.template = template
        self.source = source
        self.path = path
        self.compiled = compiled
        sourceNumbers = Set(UTF8Text.numberTokens(source))
    }

    func render(_ context: TemplateContext) -> String { compiled.render(context) }
}

/// The explanation generator's errors, each with what the user needs to fix it.
public enum ExplainError: Error, Equatable, Sendable {
    /// A profile or template problem at a line (and column) of a file.
    case file(path: String, line: Int, column: Int, message: String)
    case unknownAudience(String)
    case unknownCase(record: String, id: String, suggestion: String?)
    /// The hyphenation patterns the syllable counter reads are missing.
    case hyphenationUnreadable(path: String)
    /// The patient text is withheld: the record gives no plain words for a term the patient would read (the
    /// condition, an input-check finding) and the glossary has none either; `jsonPath` is the key to add.
    case plainLanguageMissing(record: String, jsonPath: String, term: String)
}

/// Reads profiles and templates from a folder (default `explanations/`), with errors naming file and line.
public struct ExplanationLibrary: Sendable {
    public let profiles: [Audience: AudienceProfile]
    public let templates: [Audience: ExplanationTemplate]

    public init(folder: String = "explanations") throws {
        var profiles: [Audience: AudienceProfile] = [:], templates: [Audience: ExplanationTemplate] = [:]
        for a in Audience.allCases {
            profiles[a] = try Self.profile((folder as NSString).appendingPathComponent("profiles/\(a.rawValue).yaml"), audience: a)
            templates[a] = try Self.template((folder as NSString).appendingPathComponent("templates/\(a.rawValue).mustache"))
        }
        self.profiles = profiles
        self.templates = templates
    }

    static func profile(_ path: String, audience: Audience) throws -> AudienceProfile {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ExplainError.file(path: path, line: 0, column: 0, message: "cannot read the profile")
        }
        func fail(_ node: Node?, _ message: String) -> ExplainError {
            .file(path: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
        }
        let root: Node
        do {
            guard let r = try Yams.compose(yaml: text, .basic) else { throw fail(nil, "the profile is empty") }
            root = r
        } catch let e as ExplainError {
            throw e
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _) {
            throw ExplainError.file(path: path, line: mark.line, column: mark.column, message: problem)
        }
        if let over = YAMLSize.firstNodeOverBudget(root) {
            throw fail(over, "more than \(YAMLSize.budget >> 20) MB of text with its aliases expanded, the budget of a profile (fixed)")
        }
        guard let m = root.mapping else { throw fail(root, "expected a mapping") }
        func strings(_ key: String) throws -> [String] {
            guard let n = m[key] else { return [] }
            guard let seq = n.sequence else { throw fail(n, "\(key): expected a list") }
            return try seq.map { item in
                guard let s = item.scalar?.string else { throw fail(item, "\(key): expected text") }
                return s
            }
        }
        let numbersName = m["numbers"]?.scalar?.string ?? "decimal"
        guard let numbers = NumberStyle(rawValue: numbersName) else {
            throw fail(m["numbers"], "numbers: expected decimal, percent or natural_frequency, found \(numbersName)")
        }
        var grade: Double?
        if let g = m["reading_grade_max"], g.scalar?.string != "null", g.scalar?.string != "~" {
            guard let v = g.float else { throw fail(g, "reading_grade_max: expected a number or null") }
            grade = v
        }
        let known: Set<String> = ["qc", "traceability", "prediction", "uncertainty", "explanation", "performance", "calibration", "fairness",
                                  "limitations", "similar", "override", "what_ai_did", "doctor_decides", "privacy", "intended_use", "oversight",
                                  "monitoring", "coverage"]
        let sections = try strings("sections")
        guard !sections.isEmpty else { throw fail(m["sections"] ?? root, "sections: list at least one section") }
        for s in sections where !known.contains(s) {
            throw fail(m["sections"], "sections: unknown section \(s) (known: \(known.sorted().joined(separator: ", ")))")
        }
        for r in try strings("required") where !sections.contains(r) {
            throw fail(m["required"], "required: \(r) is not one of this profile's sections")
        }
        var priorities: [String: String] = [:]
        if let p = m["priorities"] {
            guard let pm = p.mapping else { throw fail(p, "priorities: expected a mapping of trust-factor answer codes to sections") }
            for (k, v) in pm {
                guard let key = k.scalar?.string, let value = v.scalar?.string, sections.contains(value) else {
                    throw fail(v, "priorities: \(k.scalar?.string ?? "?") must name one of this profile's sections")
                }
                priorities[key] = value
            }
        }
        let group = m["group"]?.scalar?.string
        return AudienceProfile(audience: audience, title: m["title"]?.scalar?.string ?? audience.rawValue, numbers: numbers,
                               readingGradeMax: grade, forbidden: try strings("forbidden"), sections: sections, priorities: priorities,
                               group: group == "null" || group == "~" ? nil : group,
                               metrics: m["metrics"] == nil ? nil : try strings("metrics"), required: try strings("required"), path: path)
    }

    static func template(_ path: String) throws -> ExplanationTemplate {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ExplainError.file(path: path, line: 0, column: 0, message: "cannot read the template")
        }
        if let (line, column) = TemplateNesting.tooDeep(text) {
            throw ExplainError.file(path: path, line: line, column: column, message: "sections nested more than \(TemplateNesting.deepest) deep (fixed)")
        }
        do {
            let parsed = try MustacheTemplate(string: text)
            guard let compiled = CompiledTemplate.compile(text) else {
                // Partials, inheritance and lambdas are Mustache that trustgap does not render; say where.
                let line = text.components(separatedBy: "\n").firstIndex { $0.contains("{{>") || $0.contains("{{<") || $0.contains("{{$") }.map { $0 + 1 } ?? 1
                throw ExplainError.file(path: path, line: line, column: 0,
                                        message: "this template uses Mustache that trustgap does not render (partials, inheritance or lambdas); use variables, sections, inverted sections, comments and set delimiters")
            }
            return ExplanationTemplate(template: parsed, source: text, path: path, compiled: compiled)
        } catch let e as MustacheTemplate.ParserError {
            throw ExplainError.file(path: path, line: e.context.lineNumber, column: e.context.columnNumber, message: "template error: \(e.error)")
        }
    }
}
