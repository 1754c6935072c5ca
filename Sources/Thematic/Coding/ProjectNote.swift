/// A memo that is not a code's: a note on the project, or the description of an answer (a source) or of a span of
/// one (a selection), as NVivo, ATLAS.ti, MAXQDA and QualCoder keep them. Memos are the analytic trail of reflexive
/// thematic analysis, so they cross a REFI-QDA exchange both ways (`REFIProject`).
public struct ProjectNote: Sendable, Equatable, Hashable {
    public enum Target: Sendable, Equatable, Hashable {
        case project
        case source(respondent: String, question: String)
        /// A span in Unicode scalars of the answer, as codings are.
        case selection(respondent: String, question: String, start: Int, end: Int)
    }

    public var target: Target
    public var text: String

    public init(_ target: Target, _ text: String) {
        self.target = target
        self.text = text
    }

    /// What the note is on, for people: "the project", "R012 Q35", "R012 Q35 [4, 18)".
    public var place: String {
        switch target {
        case .project: return "the project"
        case let .source(r, q): return "\(r) \(q)"
        case let .selection(r, q, s, e): return "\(r) \(q) [\(s), \(e))"
        }
    }
}
