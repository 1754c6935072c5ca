import Foundation
import Testing

/// A survey with numeric questions (inferred, no questionnaire): `describe`, `compare` and `chisq all` against R.
/// Reference (R 4.2): d <- read.csv("Tests/EndToEndTests/data/numeric-survey.csv");
/// oneway.test(years ~ role, d) → p 0.0170715579121009, denom df 21.6834896856962;
/// kruskal.test(years ~ factor(role), d) → p 0.00894811484746825.
@Test func numericQuestionsAreComparedAsR() throws {
    let r = try InProcess.run(["--format", "json", "-e", "load survey Tests/EndToEndTests/data/numeric-survey.csv --group role",
                            "-e", "compare years", "-e", "describe years by role", "-e", "chisq all"])
    #expect(r.status == 0, "\(r.err)")
    let documents = try jsonDocuments(r.out)
    let compare = documents[1]
    let welch = compare["welch"] as? [String: Any]
    #expect(welch?["kind"] as? String == "F")
    #expect(abs((welch?["p"] as? Double ?? 0) - 0.0170715579121009) < 1e-12)
    #expect(abs((welch?["df2"] as? Double ?? 0) - 21.6834896856962) < 1e-9)
    #expect(abs((compare["kruskal_wallis_p"] as? Double ?? 0) - 0.00894811484746825) < 1e-12)
    // describe by group: every group with n, missing and the quartiles.
    let groups = documents[2]["groups"] as? [[String: Any]] ?? []
    #expect(groups.map { $0["group"] as? String ?? "" } == ["all", "clinician", "engineer", "physicist"])
    #expect(groups.map { $0["missing"] as? Int ?? -1 } == [5, 2, 2, 1])
    // chisq all: the numeric questions are in the family, and the grouping column is not tested against itself.
    let all = documents[3]
    let tests = (all["tests"] as? [[String: Any]] ?? []).map { ($0["question"] as? String ?? "", $0["test"] as? String ?? "") }
    #expect(tests.contains { $0 == ("years", "welch-anova") } && tests.contains { $0 == ("score", "welch-anova") })
    #expect(!tests.contains { $0.0 == "role" })
    #expect(all["family_size"] as? Int == tests.count)
    // compare on a categorical question says what compare is for.
    let wrong = try InProcess.run(["-e", "load survey data/ai4hi/responses.csv", "-e", "compare Q1"])
    #expect(wrong.status == 1 && wrong.err.contains("Q1 is a single question; compare works on numeric questions (for this one: chisq Q1)"), "\(wrong.err)")
}

/// The results of a `--format json` run, one per command: the run prints one document (an array of
/// `{command, result}` or `{command, error}`), which JSONSerialization must read whole; an array result is given as
/// `["array": value]`, an error as `["error": value]`.
func jsonDocuments(_ text: String) throws -> [[String: Any]] {
    let entries = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
    return entries.map { entry in
        if let error = entry["error"] { return ["error": error] }
        let result = entry["result"] ?? NSNull()
        return result as? [String: Any] ?? ["array": result]
    }
}
