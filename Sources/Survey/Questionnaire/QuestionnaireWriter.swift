import Foundation
import Yams

/// Writes a questionnaire as the YAML `QuestionnaireLoader` reads (docs/questionnaire.md), so what trustgap inferred
/// from a file becomes an artefact the analyst can read, correct and pass back with --questionnaire. Built as a Yams
/// node tree, so every scalar is quoted as YAML needs, whatever a column name or answer holds.
public enum QuestionnaireWriter {
    public static func yaml(_ q: Questionnaire) throws -> String {
        func text(_ s: String) -> Node { Node(s) }
        func map(_ pairs: [(String, Node)]) -> Node { .mapping(Node.Mapping(pairs.map { (Node($0.0), $0.1) })) }
        var top: [(String, Node)] = [("id", text(q.id)), ("title", text(q.title)), ("respondent_id", text(q.respondentIDColumn))]
        top.append(("sections", .sequence(Node.Sequence(q.sections.map { section in
            map([("id", text(section.id)), ("title", text(section.title)), ("compare", Node(section.compare ? "true" : "false")),
                 ("questions", .sequence(Node.Sequence(section.questions.map(question))))])
        }))))
        if let g = q.grouping {
            top.append(("grouping", map([("question", text(g.question)), ("rules", .sequence(Node.Sequence(g.rules.map { r in
                var fields: [(String, Node)] = [("group", text(r.group))]
                if !r.label.isEmpty { fields.append(("label", text(r.label))) }
                if r.optional { fields.append(("optional", Node("true"))) }
                if let m = r.meaning { fields.append(("meaning", text(m))) }
                if !r.requires.isEmpty {
                    fields.append(("requires", .sequence(Node.Sequence(r.requires.map { .sequence(Node.Sequence($0.map(text))) }))))
                }
                if !r.excludes.isEmpty { fields.append(("excludes", .sequence(Node.Sequence(r.excludes.map(text))))) }
                return map(fields)
            })))])))
        }
        let a = q.analysis
        if a.trustFactors != nil || a.explanationStrategies != nil || !a.audit.isEmpty {
            var fields: [(String, Node)] = []
            if let t = a.trustFactors { fields.append(("trust_factors", text(t))) }
            if let t = a.explanationStrategies { fields.append(("explanation_strategies", text(t))) }
            if !a.audit.isEmpty {
                fields.append(("audit", map(PracticeTopics.all.compactMap { topic in
                    a.audit[topic].map { e in
                        var m: [(String, Node)] = [("question", text(e.question)), ("codes", .sequence(Node.Sequence(e.codes.map(text)))), ("says", text(e.says))]
                        if !e.weak.isEmpty { m.append(("weak", .sequence(Node.Sequence(e.weak.map(text))))) }
                        return (topic, map(m))
                    }
                })))
            }
            top.append(("analysis", map(fields)))
        }
        if !q.glossary.isEmpty {
            top.append(("glossary", .sequence(Node.Sequence(q.glossary.map { map([("term", text($0.term)), ("definition", text($0.definition))]) }))))
        }
        return try Yams.serialize(node: map(top), allowUnicode: true)
    }

    static func question(_ q: Question) -> Node {
        var fields: [(String, Node)] = [("id", Node(q.id)), ("text", Node(q.text)), ("type", Node(q.type.rawValue))]
        if !q.topic.isEmpty { fields.append(("topic", Node(q.topic))) }
        if let reason = q.reason { fields.append(("inferred", Node(reason))) }
        if q.lenient { fields.append(("non_numbers", Node("missing"))) }
        if let s = q.scale {
            var scale: [(Node, Node)] = [(Node("min"), Node(String(s.min))), (Node("max"), Node(String(s.max)))]
            if let l = s.minLabel { scale.append((Node("min_label"), Node(l))) }
            if let l = s.maxLabel { scale.append((Node("max_label"), Node(l))) }
            fields.append(("scale", .mapping(Node.Mapping(scale))))
        }
        if !q.options.isEmpty {
            fields.append(("options", .sequence(Node.Sequence(q.options.map { o in
                var m: [(Node, Node)] = [(Node("code"), Node(o.code)), (Node("label"), Node(o.label))]
                if let f = o.flag { m.append((Node("flag"), Node(f.rawValue))) }
                return .mapping(Node.Mapping(m))
            }))))
        }
        return .mapping(Node.Mapping(fields.map { (Node($0.0), $0.1) }))
    }
}
