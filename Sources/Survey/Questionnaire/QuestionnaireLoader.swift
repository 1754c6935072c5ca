import Foundation
import Yams

/// Reads a questionnaire from YAML. Works on Yams' node tree rather than Codable so every problem can name the
/// line, column and field path (`sections[2].questions[0].type`) of the offending value.
public enum QuestionnaireLoader {
    public static func load(path: String) throws -> Questionnaire {
        let text: String
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            guard let s = String(data: data, encoding: .utf8) else {
                throw SurveyError.questionnaire(path: path, line: 1, column: 1, field: "(file)", message: "the file is not valid UTF-8")
            }
            text = s
        } catch let error as SurveyError {
            throw error
        } catch {
            throw SurveyError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> Questionnaire {
        let root: Node
        do {
            // The basic resolver leaves scalars as text; NodeReader reads numbers and booleans when a field asks for
            // one. Yams' default resolver matches every scalar against its regular expressions, which was half of
            // `load` on the bundled survey (about 30 ms).
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw SurveyError.questionnaire(path: path, line: 1, column: 1, field: "(document)", message: "the file is empty")
            }
            root = node
        } catch let error as SurveyError {
            throw error
        } catch let error as YamlError {
            throw yamlSyntax(error, path: path)
        }
        let reader = NodeReader(path: path)
        if let over = YAMLSize.firstNodeOverBudget(root) {
            throw reader.error(over, "(document)", "more than \(YAMLSize.budget >> 20) MB of text with its aliases expanded, the budget of a questionnaire (fixed)")
        }
        let top = try reader.mapping(root, "(document)")
        let sectionsNode = try reader.required(top, "sections", in: "(document)")
        var sections: [Section] = []
        var seenIDs: [String: String] = [:]
        for (i, sNode) in try reader.sequence(sectionsNode, "sections").enumerated() {
            let field = "sections[\(i)]"
            let s = try reader.mapping(sNode, field)
            var questions: [Question] = []
            let qs = try reader.sequence(try reader.required(s, "questions", in: field), "\(field).questions")
            for (j, qNode) in qs.enumerated() {
                let qField = "\(field).questions[\(j)]"
                let question = try readQuestion(qNode, field: qField, reader: reader)
                if let other = seenIDs[question.id.uppercased()] {
                    throw reader.error(qNode, "\(qField).id", "question id \(question.id) is used twice (also at \(other))")
                }
                seenIDs[question.id.uppercased()] = qField
                questions.append(question)
            }
            sections.append(Section(id: try reader.string(s, "id", in: field),
                                    title: try reader.string(s, "title", in: field),
                                    compare: try reader.optionalBool(s, "compare", in: field) ?? true,
                                    questions: questions))
        }
        var glossary: [GlossaryEntry] = []
        if let g = top["glossary"] {
            for (i, entry) in try reader.sequence(g, "glossary").enumerated() {
                let m = try reader.mapping(entry, "glossary[\(i)]")
                glossary.append(GlossaryEntry(term: try reader.string(m, "term", in: "glossary[\(i)]"),
                                              definition: try reader.string(m, "definition", in: "glossary[\(i)]")))
            }
        }
        var grouping: GroupingRule?
        if let gNode = top["grouping"] {
            let g = try reader.mapping(gNode, "grouping")
            let qid = try reader.string(g, "question", in: "grouping")
            guard let groupQuestion = sections.flatMap(\.questions).first(where: { $0.id == qid }) else {
                throw reader.error(g["question"] ?? gNode, "grouping.question", "no question \(qid) in this questionnaire")
            }
            let codes = Set(groupQuestion.options.map(\.code))
            var rules: [GroupingRule.Rule] = []
            for (i, rNode) in try reader.sequence(try reader.required(g, "rules", in: "grouping"), "grouping.rules").enumerated() {
                let f = "grouping.rules[\(i)]"
                let r = try reader.mapping(rNode, f)
                var requires: [[String]] = []
                if let req = r["requires"] {
                    for (k, inner) in try reader.sequence(req, "\(f).requires").enumerated() {
                        requires.append(try reader.stringList(inner, "\(f).requires[\(k)]"))
                    }
                }
                let excludes = try r["excludes"].map { try reader.stringList($0, "\(f).excludes") } ?? []
                for code in requires.flatMap({ $0 }) + excludes where !codes.contains(code) {
                    throw reader.error(rNode, f, "\(code) is not an answer code of \(qid)")
                }
                rules.append(GroupingRule.Rule(group: try reader.string(r, "group", in: f),
                                               label: try reader.optionalString(r, "label", in: f) ?? "",
                                               requires: requires, excludes: excludes,
                                               optional: try reader.optionalBool(r, "optional", in: f) ?? false,
                                               meaning: try reader.optionalString(r, "meaning", in: f)))
            }
            grouping = GroupingRule(question: qid, rules: rules)
        }
        var analysis = AnalysisRoles()
        if let aNode = top["analysis"] {
            let a = try reader.mapping(aNode, "analysis")
            let questions = sections.flatMap(\.questions)
            func known(_ id: String, _ node: Node?, _ field: String) throws -> String {
                guard let q = questions.first(where: { $0.id.lowercased() == id.lowercased() }) else {
                    throw reader.error(node ?? aNode, field, "no question \(id) in this questionnaire")
                }
                return q.id
            }
            if let id = try reader.optionalString(a, "trust_factors", in: "analysis") { analysis.trustFactors = try known(id, a["trust_factors"], "analysis.trust_factors") }
            if let id = try reader.optionalString(a, "explanation_strategies", in: "analysis") {
                analysis.explanationStrategies = try known(id, a["explanation_strategies"], "analysis.explanation_strategies")
            }
            if let auditNode = a["audit"] {
                let topics = try reader.mapping(auditNode, "analysis.audit")
                for (k, v) in topics {
                    guard let topic = k.scalar?.string else { continue }
                    let f = "analysis.audit.\(topic)"
                    guard PracticeTopics.all.contains(topic) else {
                        throw reader.error(k, f, "unknown audit topic \(topic) (known: \(PracticeTopics.all.joined(separator: ", ")))")
                    }
                    let m = try reader.mapping(v, f)
                    let qid = try known(try reader.string(m, "question", in: f), m["question"], "\(f).question")
                    let codes = try reader.stringList(try reader.required(m, "codes", in: f), "\(f).codes")
                    let weak = try m["weak"].map { try reader.stringList($0, "\(f).weak") } ?? []
                    let options = Set(questions.first { $0.id == qid }?.categories.map(\.code) ?? [])
                    for code in codes + weak where !options.contains(code) {
                        throw reader.error(v, f, "\(code) is not an answer code of \(qid)")
                    }
                    analysis.audit[topic] = AuditEvidence(question: qid, codes: codes, says: try reader.string(m, "says", in: f), weak: weak)
                }
            }
        }
        var questionnaire = Questionnaire(id: try reader.string(top, "id", in: "(document)"),
                                          title: try reader.optionalString(top, "title", in: "(document)") ?? "",
                                          respondentIDColumn: try reader.optionalString(top, "respondent_id", in: "(document)") ?? "respondent",
                                          sections: sections, glossary: glossary, grouping: grouping, source: path)
        questionnaire.analysis = analysis
        return questionnaire
    }

    private static func readQuestion(_ node: Node, field: String, reader: NodeReader) throws -> Question {
        let q = try reader.mapping(node, field)
        let id = try reader.string(q, "id", in: field)
        let typeName = try reader.string(q, "type", in: field)
        guard let type = QuestionType(rawValue: typeName) else {
            throw reader.error(q["type"] ?? node, "\(field).type",
                               "unknown question type \"\(typeName)\" (expected one of \(QuestionType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var options: [AnswerOption] = []
        if let oNode = q["options"] {
            for (k, o) in try reader.sequence(oNode, "\(field).options").enumerated() {
                let f = "\(field).options[\(k)]"
                let m = try reader.mapping(o, f)
                var flag: AnswerFlag?
                if let flagName = try reader.optionalString(m, "flag", in: f) {
                    guard let parsed = AnswerFlag(rawValue: flagName) else {
                        throw reader.error(m["flag"] ?? o, "\(f).flag",
                                           "unknown flag \"\(flagName)\" (expected one of \(AnswerFlag.allCases.map(\.rawValue).joined(separator: ", ")))")
                    }
                    flag = parsed
                }
                let code = try reader.string(m, "code", in: f)
                if options.contains(where: { $0.code == code }) {
                    throw reader.error(o, "\(f).code", "answer code \(code) is used twice in \(id)")
                }
                options.append(AnswerOption(code: code, label: try reader.string(m, "label", in: f), flag: flag))
            }
        }
        var scale: LikertScale?
        if let sNode = q["scale"] {
            let s = try reader.mapping(sNode, "\(field).scale")
            let lo = try reader.int(s, "min", in: "\(field).scale"), hi = try reader.int(s, "max", in: "\(field).scale")
            guard lo < hi else { throw reader.error(sNode, "\(field).scale", "min (\(lo)) must be below max (\(hi))") }
            scale = LikertScale(min: lo, max: hi, minLabel: try reader.optionalString(s, "min_label", in: "\(field).scale"),
                                maxLabel: try reader.optionalString(s, "max_label", in: "\(field).scale"))
        }
        switch type {
        case .single where options.isEmpty, .multi where options.isEmpty:
            throw reader.error(node, "\(field).options", "a \(type.rawValue) question needs answer options")
        case .likert where scale == nil && options.isEmpty:
            throw reader.error(node, "\(field).scale", "a likert question needs a scale with min and max, or its options in order")
        default: break
        }
        var question = Question(id: id, text: try reader.string(q, "text", in: field), type: type,
                                topic: try reader.optionalString(q, "topic", in: field) ?? "", options: options, scale: scale)
        // What `questionnaire infer` wrote about how it read the column, kept so `questions` can show it again.
        question.reason = try reader.optionalString(q, "inferred", in: field)
        if let nonNumbers = try reader.optionalString(q, "non_numbers", in: field) {
            guard nonNumbers == "missing" || nonNumbers == "error" else {
                throw reader.error(q["non_numbers"] ?? node, "\(field).non_numbers", "expected missing or error, found \(nonNumbers)")
            }
            question.lenient = nonNumbers == "missing"
        }
        return question
    }

    private static func yamlSyntax(_ error: YamlError, path: String) -> SurveyError {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return .questionnaire(path: path, line: mark.line, column: mark.column, field: "(syntax)", message: problem)
        default:
            return .questionnaire(path: path, line: 1, column: 1, field: "(syntax)", message: "\(error)")
        }
    }
}

/// Typed access to YAML nodes that reports line, column and field path on every type error.
struct NodeReader {
    let path: String

    func error(_ node: Node, _ field: String, _ message: String) -> SurveyError {
        .questionnaire(path: path, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, field: field, message: message)
    }

    func mapping(_ node: Node, _ field: String) throws -> Node.Mapping {
        guard let m = node.mapping else { throw error(node, field, "expected a mapping (key: value pairs), found \(describe(node))") }
        return m
    }

    func sequence(_ node: Node, _ field: String) throws -> [Node] {
        guard let s = node.sequence else { throw error(node, field, "expected a list, found \(describe(node))") }
        return Array(s)
    }

    func required(_ m: Node.Mapping, _ key: String, in field: String) throws -> Node {
        guard let v = m[key] else {
            let anchor = m.keys.first ?? Node("")
            throw error(anchor, field == "(document)" ? key : "\(field).\(key)", "the required field \"\(key)\" is missing")
        }
        return v
    }

    func string(_ m: Node.Mapping, _ key: String, in field: String) throws -> String {
        let node = try required(m, key, in: field)
        guard let s = node.scalar?.string, !s.isEmpty else {
            throw error(node, field == "(document)" ? key : "\(field).\(key)", "expected text, found \(describe(node))")
        }
        return s
    }

    func optionalString(_ m: Node.Mapping, _ key: String, in field: String) throws -> String? {
        guard m[key] != nil else { return nil }
        return try string(m, key, in: field)
    }

    func int(_ m: Node.Mapping, _ key: String, in field: String) throws -> Int {
        let node = try required(m, key, in: field)
        guard let v = node.int else { throw error(node, "\(field).\(key)", "expected a whole number, found \(describe(node))") }
        return v
    }

    func optionalBool(_ m: Node.Mapping, _ key: String, in field: String) throws -> Bool? {
        guard let node = m[key] else { return nil }
        guard let v = node.bool else { throw error(node, "\(field).\(key)", "expected true or false, found \(describe(node))") }
        return v
    }

    func stringList(_ node: Node, _ field: String) throws -> [String] {
        try sequence(node, field).enumerated().map { k, item in
            guard let s = item.scalar?.string else { throw error(item, "\(field)[\(k)]", "expected text, found \(describe(item))") }
            return s
        }
    }

    private func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return s.string.isEmpty ? "nothing" : "\"\(s.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
