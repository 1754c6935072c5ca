import Statistics

/// Theme and code frequencies by group (`themes`): for every theme and code of the codebook, in tree order, the
/// respondents in each group whose answer to the question carries it or a code below it, as a share of the group's
/// respondents who answered; each row tested across groups (code present / absent × group) with Pearson's
/// chi-square and Fisher's exact test, the one to read at these sizes. Respondents, not mentions: a theme counts a
/// respondent once however many of its codes apply.
public struct ThemeFrequencies: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public let code: String
        public let depth: Int
        public let isTheme: Bool
        public let parent: String?
        /// Respondents with the code, per group (in `groups` order).
        public let counts: [Int]
        /// Pearson's chi-square on the code × group table, when the table can be tested (nil: every group answered
        /// by nobody, or a row or column without counts left fewer than two).
        public let pearson: TestResult?
        public let fisher: TestResult?

        enum CodingKeys: String, CodingKey { case code, depth, isTheme = "theme", parent, counts, pearson, fisher }
    }

    public let question: String
    public let groups: [String]
    /// Respondents in each group who answered the question.
    public let answered: [Int]
    public let rows: [Row]

    /// - Parameters:
    ///   - groupOf: each respondent's group; respondents without one are left out.
    ///   - coder: only this coder's codings (nil: everyone's).
    public init(project: CodingProject, answers: AnswerSet, question: String, groups: [String], groupOf: [String: String],
                coder: String? = nil) throws {
        self.question = question
        self.groups = groups
        let index = Dictionary(groups.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var answered = [Int](repeating: 0, count: groups.count)
        var answeredSet = Set<String>()
        for a in answers.answers(to: question) {
            answeredSet.insert(a.respondent)
            if let g = groupOf[a.respondent].flatMap({ index[$0] }) { answered[g] += 1 }
        }
        self.answered = answered
        // Each code's respondents, once: a theme's are the union of its subtree's.
        var byCode: [String: Set<String>] = [:]
        for c in project.codings where c.question == question && (coder == nil || c.coder == coder) && answeredSet.contains(c.respondent) {
            byCode[c.code, default: []].insert(c.respondent)
        }
        var rows: [Row] = []
        for (code, depth) in project.codebook.tree {
            var having = Set<String>()
            for id in project.codebook.subtree(code.id) { if let r = byCode[id] { having.formUnion(r) } }
            var counts = [Int](repeating: 0, count: groups.count)
            for r in having { if let g = groupOf[r].flatMap({ index[$0] }) { counts[g] += 1 } }
            var pearson: TestResult?, fisher: TestResult?
            if let table = try? ContingencyTable(zip(counts, answered).map { [$0, $1 - $0] }) {
                pearson = PearsonChiSquare(table).result
                fisher = try FisherExact(table).result
            }
            rows.append(Row(code: code.id, depth: depth, isTheme: !code.codable, parent: code.parent, counts: counts, pearson: pearson, fisher: fisher))
        }
        self.rows = rows
    }
}

/// How often two codes apply to the same answer (`cooccur`): for the codes used on the question's answers, in
/// codebook order, the number of answers carrying both (the diagonal: answers carrying the code). Codings of
/// respondents who are not among the answers (a filter dropped them) are left out, as `themes` leaves them out.
public struct CodeCooccurrence: Sendable, Encodable {
    public let question: String
    public let codes: [String]
    public let counts: [[Int]]

    public init(project: CodingProject, answers: AnswerSet, question: String, coder: String? = nil) {
        self.question = question
        var byRespondent: [String: Set<String>] = [:]
        for c in project.codings where c.question == question && (coder == nil || c.coder == coder) && answers.text(c.respondent, question) != nil {
            byRespondent[c.respondent, default: []].insert(c.code)
        }
        let used = Set(byRespondent.values.flatMap { $0 })
        codes = project.codebook.tree.map(\.code.id).filter(used.contains)
        let index = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        // Each answer adds one to every pair of its codes: linear in the codings, not codes² × answers.
        var counts = [[Int]](repeating: [Int](repeating: 0, count: codes.count), count: codes.count)
        for set in byRespondent.values {
            let ks = set.compactMap { index[$0] }
            for a in ks { for b in ks { counts[a][b] += 1 } }
        }
        self.counts = counts
    }
}

/// One row per respondent who answered the question, with the group and a 0/1 per code used (`matrix`): the
/// respondent × code matrix R, SPSS or a spreadsheet reads.
public struct CodeMatrix: Sendable, Encodable {
    public struct Row: Sendable, Encodable {
        public let respondent: String
        public let group: String?
        public let values: [Int]
    }

    public let question: String
    public let codes: [String]
    public let rows: [Row]

    public init(project: CodingProject, answers: AnswerSet, question: String, coder: String? = nil) {
        self.question = question
        var byRespondent: [String: Set<String>] = [:]
        for c in project.codings where c.question == question && (coder == nil || c.coder == coder) {
            byRespondent[c.respondent, default: []].insert(c.code)
        }
        let used = Set(byRespondent.values.flatMap { $0 })
        let codes = project.codebook.tree.map(\.code.id).filter(used.contains)
        self.codes = codes
        rows = answers.answers(to: question).map { a in
            let mine = byRespondent[a.respondent] ?? []
            return Row(respondent: a.respondent, group: answers.groupOf[a.respondent], values: codes.map { mine.contains($0) ? 1 : 0 })
        }
    }
}
