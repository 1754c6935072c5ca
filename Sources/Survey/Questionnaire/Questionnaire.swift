/// A questionnaire: sections of questions with their answer codes, a glossary, and the rule that turns role
/// combinations into respondent groups. Loaded from YAML (`QuestionnaireLoader`) or inferred from a CSV
/// (`QuestionnaireInference`).
public struct Questionnaire: Sendable, Equatable {
    public var id: String
    public var title: String
    public var respondentIDColumn: String
    public var sections: [Section] { didSet { index = Self.index(sections) } }
    public var glossary: [GlossaryEntry]
    public var grouping: GroupingRule?
    /// What the analyses read from this questionnaire (`analysis` in the YAML): which questions hold trust factors
    /// and explanation strategies, and the survey evidence the practice audit cites. Nothing of it is in code.
    public var analysis = AnalysisRoles()
    /// Where it came from: a file path, or "inferred from PATH".
    public var source: String
    /// Which responses the export marks complete, for `filter complete` (nil: the file does not say).
    public var completion: CompletionRule?

    public init(id: String, title: String, respondentIDColumn: String, sections: [Section], glossary: [GlossaryEntry],
                grouping: GroupingRule?, source: String) {
        self.id = id
        self.title = title
        self.respondentIDColumn = respondentIDColumn
        self.sections = sections
        index = Self.index(sections)
        self.glossary = glossary
        self.grouping = grouping
        self.source = source
    }

    /// Every question in questionnaire order.
    public var questions: [Question] { sections.flatMap(\.questions) }

    /// Each question's position by lower-cased id (the first one when ids repeat). A file with 100,000 columns
    /// looked every column up in a list of 100,000 questions and never finished loading.
    private var index: [String: Position] = [:]

    private struct Position: Sendable, Equatable {
        let section: Int
        let question: Int
    }

    private static func index(_ sections: [Section]) -> [String: Position] {
        var index: [String: Position] = [:]
        for (s, section) in sections.enumerated() {
            for (q, question) in section.questions.enumerated() where index[question.id.lowercased()] == nil {
                index[question.id.lowercased()] = Position(section: s, question: q)
            }
        }
        return index
    }

    /// The question with this id, compared without regard to case.
    public func question(_ id: String) -> Question? {
        index[id.lowercased()].map { sections[$0.section].questions[$0.question] }
    }

    /// The section a question belongs to.
    public func section(of question: Question) -> Section? {
        sections.first { $0.questions.contains { $0.id == question.id } }
    }
}

/// How an export marks a complete response: the metadata column and the answers (lower case) that mean complete,
/// "*" for any answer (LimeSurvey's submitdate is filled only when the response was submitted).
public struct CompletionRule: Sendable, Equatable {
    public var question: String
    public var complete: Set<String>

    public init(question: String, complete: Set<String>) {
        self.question = question
        self.complete = complete
    }
}

/// The practice-audit topics a questionnaire may link survey evidence to (`analysis.audit`).
public enum PracticeTopics {
    public static let all = ["external_validation", "error_analysis", "fairness", "robustness", "stability", "nomogram", "uncertainty",
                             "explainability", "confidence_intervals"]
}

/// The questions and answers particular analyses read, declared by the questionnaire (docs/questionnaire.md).
public struct AnalysisRoles: Sendable, Equatable {
    /// The multi-answer question whose answers are trust factors (`priorities`, the order of explanations).
    public var trustFactors: String?
    /// The multi-answer question whose answers are explanation strategies (`priorities`).
    public var explanationStrategies: String?
    /// Per practice-audit topic (external_validation, error_analysis, fairness, robustness, stability, nomogram,
    /// uncertainty, explainability, confidence_intervals): the question and answers whose shares support it.
    public var audit: [String: AuditEvidence] = [:]

    public init(trustFactors: String? = nil, explanationStrategies: String? = nil, audit: [String: AuditEvidence] = [:]) {
        self.trustFactors = trustFactors
        self.explanationStrategies = explanationStrategies
        self.audit = audit
    }
}

/// The survey evidence behind one practice-audit topic: the share of each group giving `codes` to `question`,
/// worded as `says`; a record whose own `practice` answer to the question is among `weak` gets the finding.
public struct AuditEvidence: Sendable, Equatable {
    public var question: String
    public var codes: [String]
    public var says: String
    public var weak: [String]

    public init(question: String, codes: [String], says: String, weak: [String] = []) {
        self.question = question
        self.codes = codes
        self.says = says
        self.weak = weak
    }
}

public struct Section: Sendable, Equatable {
    public var id: String
    public var title: String
    /// False for sections (such as the profile) left out of `chisq all` and gap rankings.
    public var compare: Bool
    public var questions: [Question]

    public init(id: String, title: String, compare: Bool, questions: [Question]) {
        self.id = id
        self.title = title
        self.compare = compare
        self.questions = questions
    }
}

public enum QuestionType: String, Sendable, CaseIterable {
    case single, multi, likert, numeric, open
}

/// A flag marks answers that mean "no substantive answer" in one way or another; the gap analysis reads them.
public enum AnswerFlag: String, Sendable, CaseIterable {
    case dontKnow = "dont_know"
    case outOfExpertise = "out_of_expertise"
    case other
    case timePermitting = "time_permitting"
}

public struct AnswerOption: Sendable, Equatable {
    public var code: String
    public var label: String
    public var flag: AnswerFlag?

    public init(code: String, label: String, flag: AnswerFlag? = nil) {
        self.code = code
        self.label = label
        self.flag = flag
    }
}

public struct LikertScale: Sendable, Equatable {
    public var min: Int
    public var max: Int
    public var minLabel: String?
    public var maxLabel: String?

    public init(min: Int, max: Int, minLabel: String? = nil, maxLabel: String? = nil) {
        self.min = min
        self.max = max
        self.minLabel = minLabel
        self.maxLabel = maxLabel
    }
}

public struct Question: Sendable, Equatable {
    public var id: String
    public var text: String
    public var type: QuestionType
    public var topic: String
    public var options: [AnswerOption]
    public var scale: LikertScale?
    /// Why the question has its type and order, when it was inferred from the data (`questions` shows it).
    public var reason: String?
    /// Numeric: cells that are not numbers are read as missing (and listed), not refused. Inferred numeric columns
    /// with stray text ("11+", "n/a") are read this way.
    public var lenient = false
    /// The analyst put the answers in an order (`set Q order a,b,c`, `order: true` in the YAML): rank tests read
    /// it, and as a grouping variable its levels are ordered for the trend test.
    public var declaredOrder = false
    /// What joins the ticks of a multi-answer cell in the file when it is not ";" (", " in Google Forms, " " in
    /// KoboToolbox and ODK): the load splits cells on it without breaking an answer that contains it.
    public var separator: String?

    /// Whether the answers have a known order: a Likert question (a scale recognised by its words, declared in
    /// the YAML or by `set Q type likert`) or an order the analyst set. Rank and trend tests run only then.
    public var hasKnownOrder: Bool { type == .likert || declaredOrder }

    public init(id: String, text: String, type: QuestionType, topic: String, options: [AnswerOption] = [],
                scale: LikertScale? = nil) {
        self.id = id
        self.text = text
        self.type = type
        self.topic = topic
        self.options = options
        self.scale = scale
    }

    /// The answer categories a crosstab uses: the options, or the scale points of a Likert question.
    public var categories: [AnswerOption] {
        if type == .likert, let s = scale {
            return (s.min...s.max).map { v in
                let label = v == s.min ? s.minLabel.map { "\(v) (\($0))" } : v == s.max ? s.maxLabel.map { "\(v) (\($0))" } : nil
                return AnswerOption(code: String(v), label: label ?? String(v))
            }
        }
        return options
    }

    public var isCategorical: Bool { type == .single || type == .multi || type == .likert }

    public func option(_ code: String) -> AnswerOption? { categories.first { $0.code == code } }
}

public struct GlossaryEntry: Sendable, Equatable {
    public var term: String
    public var definition: String

    public init(term: String, definition: String) {
        self.term = term
        self.definition = definition
    }
}

/// Groups from role combinations: rules tried in order, the first that matches wins.
public struct GroupingRule: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        public var group: String
        public var label: String
        /// Each inner list needs at least one of its codes ticked.
        public var requires: [[String]]
        /// None of these may be ticked.
        public var excludes: [String]
        /// Applies only when the group is switched on.
        public var optional: Bool
        /// What the group is, in the words explanation profiles use (technical, clinical): declared, not assumed
        /// from the group's name.
        public var meaning: String?

        public init(group: String, label: String, requires: [[String]], excludes: [String], optional: Bool, meaning: String? = nil) {
            self.meaning = meaning
            self.group = group
            self.label = label
            self.requires = requires
            self.excludes = excludes
            self.optional = optional
        }

        public func matches(_ ticked: Set<String>) -> Bool {
            requires.allSatisfy { any in any.contains(where: ticked.contains) } && !excludes.contains(where: ticked.contains)
        }
    }

    public var question: String
    public var rules: [Rule]

    public init(question: String, rules: [Rule]) {
        self.question = question
        self.rules = rules
    }

    /// The group of a respondent who ticked `codes`, or nil when no rule matches.
    public func group(for codes: [String], enabledOptional: Set<String> = []) -> String? {
        let ticked = Set(codes)
        return rules.first { (!$0.optional || enabledOptional.contains($0.group)) && $0.matches(ticked) }?.group
    }

    /// Group names in rule order, optional ones only when enabled.
    public func groups(enabledOptional: Set<String> = []) -> [String] {
        var seen: [String] = []
        for r in rules where (!r.optional || enabledOptional.contains(r.group)) && !seen.contains(r.group) {
            seen.append(r.group)
        }
        return seen
    }
}
