import Foundation

/// Plain words for the conditions and input-check findings a record may name without giving its own
/// (`plain_language`). Small on purpose: a term is found only when the whole term (without a trailing bracket such
/// as a reference standard, and without a leading article) is an entry, so nothing is half translated. A term not
/// here, in a record without plain words for it, withholds the patient text with an error naming the
/// `plain_language` key to add (`ExplainError.plainLanguageMissing`). Listed in docs/records.md; each entry is read
/// as a patient would read it by `GlossaryTests`.
public enum Glossary {
    /// Conditions, as the sentence "about 7 have …" needs them.
    public static let conditions: [String: String] = [
        "clinically significant prostate cancer": "a prostate cancer that needs treatment",
        "cspca": "a prostate cancer that needs treatment",
        "prostate cancer": "prostate cancer",
        "malignant": "cancer",
        "malignancy": "cancer",
        "malignant pulmonary nodule": "a lung spot that is cancer",
        "malignant lung nodule": "a lung spot that is cancer",
        "lung cancer": "lung cancer",
        "breast cancer": "breast cancer",
        "malignant breast lesion": "a breast change that is cancer",
        "pneumothorax": "a collapsed lung",
        "pulmonary embolism": "a blood clot in the lung",
        "intracranial haemorrhage": "bleeding inside the head",
        "intracranial hemorrhage": "bleeding inside the head",
        "fracture": "a broken bone",
    ]

    /// Input-check findings, as the sentence "there was a problem with your scan (…)" needs them.
    public static let checks: [String: String] = [
        "motion artefact": "the patient moved during the scan",
        "motion artifact": "the patient moved during the scan",
        "metal artefact": "metal in the body disturbed the pictures",
        "metal artifact": "metal in the body disturbed the pictures",
        "low signal-to-noise ratio": "the pictures were not clear enough",
        "incomplete coverage": "part of the body was outside the pictures",
    ]

    /// The glossary's words for a condition, or nil.
    public static func condition(_ term: String) -> String? { conditions[key(term)] }

    /// The glossary's words for an input-check finding, or nil.
    public static func check(_ term: String) -> String? { checks[key(term)] }

    /// A term as the glossary looks it up: lower case, without a trailing bracket or a leading article.
    static func key(_ term: String) -> String {
        var s = term.trimmingCharacters(in: .whitespaces).lowercased()
        if s.hasSuffix(")"), let open = s.lastIndex(of: "("), open > s.startIndex { s = String(s[..<open]).trimmingCharacters(in: .whitespaces) }
        for article in ["a ", "an ", "the "] where s.hasPrefix(article) { s = String(s.dropFirst(article.count)) }
        return s
    }
}

/// Text taken from a record, finished as a sentence by the generator (a record's "Not validated on contrast-enhanced
/// CT" is printed "Not validated on contrast-enhanced CT."): a capital first letter and a full stop, unless it
/// already ends with one (or ?, !).
enum Prose {
    static func sentence(_ s: String) -> String {
        var t = s.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let first = t.first else { return t }
        if first.isLowercase { t = first.uppercased() + t.dropFirst() }
        if let last = t.last, !".?!".contains(last) {
            // A list separator left at the end becomes the full stop.
            if last == ";" || last == "," || last == ":" { t.removeLast() }
            t += "."
        }
        return t
    }

    /// A name without its trailing bracket ("PSA density (ng/mL/cc)" → "PSA density").
    static func withoutBracket(_ s: String) -> String {
        let name = s.trimmingCharacters(in: .whitespaces)
        guard name.hasSuffix(")"), let open = name.lastIndex(of: "("), open > name.startIndex else { return name }
        return String(name[..<open]).trimmingCharacters(in: .whitespaces)
    }
}
