import Foundation

/// Explains the cases of one record to one audience (`Explainer.prepare`). What does not depend on the case is done
/// once: the record's half of the view model, the numbers it allows, and every part of the template's rendering
/// (what precedes the sections, each section, what follows) that reads no case value, rendered and checked the
/// first time and reused after. For the bundled records that is about two thirds of each text.
///
/// Not thread-safe (it remembers parts as it goes): give each thread its own.
public final class CaseExplainer {
    public let audience: Audience
    public let record: String
    let profile: AudienceProfile
    let template: ExplanationTemplate
    let sections: [String]
    let reason: String?
    let hyphenator: Hyphenator?
    let recordModel: ViewModel
    /// The numbers a text may show without a case: the template's own and those of the record's values.
    let recordNumbers: Set<String>
    let recordUsed: [String]
    let lines: PartChecker
    /// Checked parts that read no case value, by position (0: before the sections, k: the k-th section, last: after).
    private var shared: [Int: CheckedPart] = [:]
    /// Parts found to read a case value: rendered for every case.
    private var perCase: Set<Int> = []
    let decimals = ViewModel.Decimals()
    /// The regulator checklist's warnings, found on the first rendering (see `explain`).
    private var checklistWarnings: [String]?

    init(record: FactTable, profile: AudienceProfile, template: ExplanationTemplate, sections: [String], reason: String?, hyphenator: Hyphenator?) {
        audience = profile.audience
        self.record = record.record
        self.profile = profile
        self.template = template
        self.sections = sections
        self.reason = reason
        self.hyphenator = hyphenator
        recordModel = ViewModel.record(record, style: profile.numbers, sections: sections, reason: reason, metrics: profile.metrics, decimals: decimals)
        var numbers = template.sourceNumbers
        for r in recordModel.rendered { numbers.formUnion(UTF8Text.numberTokens(r)) }
        recordNumbers = numbers
        recordUsed = recordModel.used.sorted()
        // The misleading phrases of MeaningChecks are found with the forbidden words, in the same pass over a part.
        lines = PartChecker(forbidden: profile.forbidden + MeaningChecks.misleading, hyphenator: hyphenator)
    }

    /// Throws when the patient would read a code: the record gives no plain words for the condition, or for an
    /// input-check finding the text must tell, and the glossary has none. The patient text is then withheld, never
    /// shipped with a note. Other audiences read the record's words and need none.
    public func requirePlainWords(_ t: FactTable) throws {
        guard audience == .patient else { return }
        if t["condition"] != nil, t["condition.plain"] == nil {
            throw ExplainError.plainLanguageMissing(record: record, jsonPath: "plain_language.condition", term: t["condition"]?.text ?? "")
        }
        let told = t["qc.input_ok"]?.flag == false || t["qc.ood"]?.flag == true || t["qc.out_of_scope"] != nil
        if told, let missing = t["qc.flags.unworded"]?.list?.first {
            throw ExplainError.plainLanguageMissing(record: record, jsonPath: "plain_language.checks[\"\(missing)\"]", term: missing)
        }
    }

    /// The explanation of one case of this record (or of the record itself, for a table without a case).
    public func explain(_ t: FactTable) -> Explanation {
        explain(t, ViewModel.forCase(t, style: profile.numbers, decimals: decimals))
    }

    /// With the case's half of the view model already built (for another audience with the same number style).
    func explain(_ t: FactTable, _ caseModel: ViewModel) -> Explanation {
        precondition(t.record == record, "a case of \(t.record) given to the explainer of \(record)")
        precondition(caseModel.style == profile.numbers, "a view model in another number style")
        let context = TemplateContext(record: recordModel.values, case: caseModel.values, table: t, caseKeys: ViewModel.caseKeys)
        // A case from outside the internal population reads the record's lists in another order (see the
        // context), so its parts are rendered afresh, neither taken from nor kept in `shared`.
        let outside = caseModel.values["from_outside"]?.isTrue == true
        var parts: [CheckedPart]
        var blank: [String: Bool] = [:]
        let compiled = template.compiled
        if compiled.sectionsLoop != nil, let items = compiled.sectionItems(context), items.count == sections.count {
            let all: [CompiledTemplate.Part] = [.beforeSections] + items.map { .section($0) } + [.afterSections]
            parts = []
            parts.reserveCapacity(all.count)
            for (k, part) in all.enumerated() {
                if !outside, let known = shared[k] { parts.append(known); continue }
                var readsCase = false
                let known = outside || perCase.contains(k)
                let checked = lines.checkRemembered(compiled.render(part, context, readsCase: &readsCase, tracking: !known))
                if !known { if readsCase { perCase.insert(k) } else { shared[k] = checked } }
                parts.append(checked)
            }
            // Rendered with one section alone, the template gives the outside parts and that section's.
            let outsideBlank = parts[0].blank && parts[parts.count - 1].blank
            for (k, section) in sections.enumerated() { blank[section] = outsideBlank && parts[k + 1].blank }
            // Lines never straddle two parts when each ends its last line; else the text is checked whole.
            if !lines.partsCompose(parts) { parts = [lines.check(parts.map(\.raw).joined())] }
        } else {
            // The template whole, and once per required section alone.
            parts = [lines.check(template.render(context))]
            for section in profile.required {
                var alone = context
                alone.record["sections"] = .list([.map(["s_" + section: .bool(true)])])
                blank[section] = CheckedPart.isBlank(template.render(alone))
            }
        }
        var text = ""
        text.reserveCapacity(parts.reduce(0) { $0 + $1.text.utf8.count + 1 })
        for part in parts where !part.text.isEmpty {
            if !text.isEmpty { text += "\n" }
            text += part.text
        }

        var warnings: [String] = []
        for section in profile.required where blank[section] == true {
            warnings.append("the required section \(section) says nothing")
        }
        var caseNumbers: [String]?
        var reported: [String] = []
        for part in parts {
            for token in part.numbers where !recordNumbers.contains(token) && !reported.contains(token) {
                if caseNumbers == nil { caseNumbers = caseModel.rendered.flatMap(UTF8Text.numberTokens) }
                if caseNumbers?.contains(token) == true { continue }
                reported.append(token)
                warnings.append("the number \(token) is not the value of any fact used")
            }
        }
        for (k, word) in profile.forbidden.enumerated() where parts.contains(where: { $0.forbidden[k] }) {
            warnings.append("forbidden for the \(audience.rawValue) text: \"\(word)\"")
        }
        for (k, phrase) in MeaningChecks.misleading.enumerated() where parts.contains(where: { $0.forbidden[profile.forbidden.count + k] }) {
            warnings.append("meaning: \"\(phrase)\" does not say what the estimate is the chance of")
        }
        for part in parts { warnings += part.writing }
        var readability: Readability?
        if hyphenator != nil {
            readability = Readability(words: parts.reduce(0) { $0 + $1.words }, sentences: Readability.SentenceScan.count(parts.map(\.sentences)),
                                      syllables: parts.reduce(0) { $0 + $1.syllables })
        }
        if let max = profile.readingGradeMax {
            if let r = readability, r.fleschKincaidGrade > max {
                warnings.append(String(format: "Flesch-Kincaid grade %.1f is above the target %.0f", r.fleschKincaidGrade, max))
            } else if readability == nil {
                warnings.append("reading level not measured: hyphenation patterns missing (apt-get install hyphen-en-us)")
            }
        }
        if t["qc.input_ok"]?.flag == false || t["qc.ood"]?.flag == true,
           !UTF8Text.firstLine(of: text, contains: caseModel.qcProblem ?? "\u{0}") {
            warnings.append("the failed input check is not told first")
        }
        warnings += MeaningChecks.warnings(text: text, table: t, record: recordModel, case: caseModel, audience: audience, sections: sections)
        // The regulator's checklist is made from the record's half alone, so its check is the same for every case:
        // done once (per case it was a third of explaining 10,000 cases).
        if audience == .regulator && sections.contains("coverage") {
            if checklistWarnings == nil { checklistWarnings = MeaningChecks.checklist(text: text, table: t, record: recordModel) }
            warnings += checklistWarnings ?? []
        }
        return Explanation(audience: audience, title: profile.title, text: text, recordFactsUsed: recordUsed, caseFactsUsed: caseModel.used,
                           readability: readability, warnings: warnings, orderReason: reason)
    }

    /// Two sorted lists as one, without repeats.
    static func merged(_ a: [String], _ b: [String]) -> [String] {
        var out: [String] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count || j < b.count {
            let next: String
            if j == b.count || (i < a.count && a[i] <= b[j]) { next = a[i]; i += 1 } else { next = b[j]; j += 1 }
            if out.last != next { out.append(next) }
        }
        return out
    }
}

/// Explainers of one record's cases for several audiences: each case's half of the view model is built once per
/// number style and shared by the audiences that write numbers the same way (developer and regulator).
/// Not thread-safe: give each thread its own.
public final class CaseExplainers {
    public let explainers: [CaseExplainer]

    public init(_ explainers: [CaseExplainer]) { self.explainers = explainers }

    /// The case explained to each audience, in the order of `explainers`.
    public func explain(_ t: FactTable) -> [Explanation] {
        var models: [NumberStyle: ViewModel] = [:]
        return explainers.map { e in
            let style = e.profile.numbers
            let model = models[style] ?? ViewModel.forCase(t, style: style, decimals: e.decimals)
            models[style] = model
            return e.explain(t, model)
        }
    }
}

/// One part of a rendering and what the checks found in it. The explainer keeps only the trimmed, non-blank lines
/// of a text; numbers, forbidden words, words and syllables of the whole text are those of its parts taken
/// together, as long as no line straddles two parts (`PartChecker.partsCompose`).
struct CheckedPart {
    /// The part as rendered.
    let raw: String
    /// The rendering is only white space (what the required-section check asks).
    let blank: Bool
    /// The part's lines, trimmed, without blank ones, joined by newlines.
    let text: String
    /// Number tokens in the text, each once, in order.
    let numbers: [String]
    /// Whether each of the profile's forbidden words occurs, in the profile's order (then MeaningChecks.misleading).
    let forbidden: [Bool]
    /// What the writing check found in the part's lines.
    let writing: [String]
    let words: Int
    let syllables: Int
    let sentences: Readability.SentenceScan

    static func isBlank(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) } || s.unicodeScalars.allSatisfy(\.properties.isWhitespace)
    }
}

/// The line-level checks of one audience, applied to a part of a rendering or to a whole one, on UTF-8 bytes
/// (`UTF8Text`).
struct PartChecker {
    /// The forbidden words, lower-cased as the text is.
    let forbidden: UTF8Text.PhraseSet
    let syllables: SyllableCounter?
    /// A forbidden phrase spanning lines could run across two parts; then texts are checked whole.
    let phraseSpansLines: Bool
    /// Checked parts by their rendering. Parts that read a case often render the same for many cases (a patient's
    /// "how sure" line has three wordings); the table stops growing at `rememberedLimit` parts.
    private let remembered = Remembered()
    static let rememberedLimit = 4_096

    private final class Remembered { var parts: [String: CheckedPart] = [:] }

    func checkRemembered(_ raw: String) -> CheckedPart {
        if let known = remembered.parts[raw] { return known }
        let checked = check(raw)
        if remembered.parts.count < Self.rememberedLimit { remembered.parts[raw] = checked }
        return checked
    }

    init(forbidden: [String], hyphenator: Hyphenator?) {
        self.forbidden = UTF8Text.PhraseSet(forbidden.map { $0.lowercased() })
        syllables = hyphenator.map(SyllableCounter.init)
        phraseSpansLines = forbidden.contains { $0.contains("\n") || $0.contains("\r") }
    }

    func check(_ raw: String) -> CheckedPart {
        if CheckedPart.isBlank(raw) {
            return CheckedPart(raw: raw, blank: true, text: "", numbers: [], forbidden: Array(repeating: false, count: forbidden.phrases.count), writing: [],
                               words: 0, syllables: 0, sentences: Readability.SentenceScan(""))
        }
        // Blank lines left by empty sections are dropped; the text is a sequence of short paragraphs.
        let text = UTF8Text.trimmedLines(raw)
        let hits = UTF8Text.with(UTF8Text.lowercased(text)) { $0.occurrences(of: forbidden) }
        var words = 0, total = 0
        if let syllables {
            Readability.forEachWordBytes(text) { w in
                words += 1
                total += syllables.syllables(bytes: w)
            }
        }
        return CheckedPart(raw: raw, blank: false, text: text, numbers: UTF8Text.numberTokens(text), forbidden: hits, writing: MeaningChecks.writing(text), words: words,
                           syllables: total, sentences: Readability.SentenceScan(text))
    }

    /// Whether the parts' checks add up to the checks of their concatenation: each part that renders something ends
    /// with a line break of its own (so lines, numbers and words stay within parts), and no forbidden phrase spans
    /// lines.
    func partsCompose(_ parts: [CheckedPart]) -> Bool {
        !phraseSpansLines && parts.allSatisfy { $0.raw.isEmpty || $0.raw.last == "\n" }
    }
}
