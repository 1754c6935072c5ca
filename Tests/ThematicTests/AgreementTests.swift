import Foundation
import Testing
@testable import Thematic

struct AgreementReference: Decodable {
    struct C: Decodable { let respondent: String; let question: String; let code: String; let coder: String }
    struct Per: Decodable { let code: String; let kappa: Double?; let alpha: Double?; let agreement: Double? }
    struct Case: Decodable {
        let name: String; let codings: [C]; let units: [[String]]; let codes: [String]; let coders: [String]
        let kappa: Double?; let alpha: Double?; let per_code: [Per]
        let masi_alpha: Double?; let nominal: Nominal?
    }
    struct Nominal: Decodable { let alpha: Double?; let cohen: Double?; let fleiss: Double?; let complete: Int }
    let cases: [Case]
    static let shared: AgreementReference = {
        let url = Bundle.module.url(forResource: "agreement_reference", withExtension: "json", subdirectory: "Fixtures")!
        return try! JSONDecoder().decode(AgreementReference.self, from: Data(contentsOf: url))
    }()
}

func close(_ a: Double?, _ b: Double?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= 1e-10 * max(1, abs(b))
}

@Test(arguments: AgreementReference.shared.cases.indices)
func agreementMatchesScikitLearnAndKrippendorff(_ k: Int) throws {
    let c = AgreementReference.shared.cases[k]
    let codings = c.codings.map { Coding(respondent: $0.respondent, question: $0.question, code: $0.code, coder: $0.coder) }
    let a = try Agreement(codings: codings, units: c.units.map { ($0[0], $0[1]) }, codes: c.codes, coders: c.coders)
    #expect(close(a.kappa, c.kappa), "\(c.name) kappa \(String(describing: a.kappa)) vs \(String(describing: c.kappa))")
    #expect(close(a.alpha, c.alpha), "\(c.name) alpha")
    for (mine, ref) in zip(a.perCode, c.per_code) {
        #expect(mine.code == ref.code)
        #expect(close(mine.kappa, ref.kappa), "\(c.name) \(ref.code) kappa")
        #expect(close(mine.alpha, ref.alpha), "\(c.name) \(ref.code) alpha")
        #expect(close(mine.agreement, ref.agreement))
    }
    // The sets of codes, by MASI distance (NLTK), and, with one code per answer, the codes as nominal values
    // (krippendorff, scikit-learn, statsmodels' Fleiss).
    #expect(close(a.masiAlpha, c.masi_alpha), "\(c.name) MASI alpha \(String(describing: a.masiAlpha)) vs \(String(describing: c.masi_alpha))")
    #expect(a.oneCodePerAnswer == (c.nominal != nil), "\(c.name)")
    if let n = c.nominal, let mine = a.nominal {
        #expect(close(mine.alpha, n.alpha) && close(mine.cohen, n.cohen) && close(mine.fleiss, n.fleiss) && mine.complete == n.complete,
                "\(c.name): \(mine) vs \(n)")
    }
}

@Test func agreementNeedsTwoCoders() {
    #expect(throws: ThematicError.fewerThanTwoCoders(found: ["a"])) {
        try Agreement(codings: [Coding(respondent: "P1", question: "Q", code: "x", coder: "a")], units: [("P1", "Q")], codes: ["x"])
    }
    #expect(Agreement.cohen([(1, 1), (1, 1)]) == nil)  // chance agreement 1: undefined, not NaN
}
