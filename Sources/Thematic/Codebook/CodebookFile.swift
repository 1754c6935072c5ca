import Foundation
import Yams

/// A codebook in YAML, optionally with auto-coding rules per code:
///
///     codebook: TEHAI + trustworthiness
///     codes:
///       - id: capability                 # a theme: not codable, groups the codes below it
///         theme: true
///       - id: capability.concept_drift
///         parent: capability
///         name: Concept drift
///         definition: ...
///         keywords: [drift, "re-validat*"]     # whole words, case-insensitive; * ends a prefix
///         patterns: ["performance over time"]  # regular expressions
///
/// Errors name the file, line and field.
public struct CodebookFile: Sendable {
    public var title: String
    public var codebook: Codebook
    public var rules: [AutoCodingRule]

    public static func load(path: String) throws -> CodebookFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "the file is not valid UTF-8")
        }
        return try parse(text, path: path)
    }

    public static func parse(_ text: String, path: String) throws -> CodebookFile {
        func fail(_ node: Node?, _ field: String, _ message: String) -> ThematicError {
            .file(path: path, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: "\(field): \(message)")
        }
        let root: Node
        do {
            guard let r = try Yams.compose(yaml: text, .basic) else { throw fail(nil, "(document)", "the file is empty") }
            root = r
        } catch let e as ThematicError {
            throw e
        } catch let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _) {
            throw ThematicError.file(path: path, line: mark.line, column: mark.column, message: problem)
        } catch {
            throw ThematicError.file(path: path, line: 1, column: 1, message: "\(error)")
        }
        guard let top = root.mapping else { throw fail(root, "(document)", "expected a mapping with codes:") }
        guard let codesNode = top["codes"], let list = codesNode.sequence else {
            throw fail(top["codes"] ?? root, "codes", "expected a list of codes")
        }
        var book = Codebook()
        var rules: [AutoCodingRule] = []
        for (i, node) in list.enumerated() {
            let field = "codes[\(i)]"
            guard let m = node.mapping else { throw fail(node, field, "expected a mapping") }
            func string(_ key: String) throws -> String? {
                guard let v = m[key] else { return nil }
                guard let s = v.scalar?.string else { throw fail(v, "\(field).\(key)", "expected text") }
                return s
            }
            func list(_ key: String) throws -> [String] {
                guard let v = m[key] else { return [] }
                guard let seq = v.sequence else { throw fail(v, "\(field).\(key)", "expected a list") }
                return try seq.enumerated().map { k, item in
                    guard let s = item.scalar?.string else { throw fail(item, "\(field).\(key)[\(k)]", "expected text") }
                    return s
                }
            }
            guard let id = try string("id"), !id.isEmpty else { throw fail(node, "\(field).id", "every code needs an id") }
            var isTheme = false
            if let t = m["theme"] {
                guard let b = t.bool else { throw fail(t, "\(field).theme", "expected true or false") }
                isTheme = b
            }
            let colour = try string("colour") ?? "#888888"
            guard colour.range(of: "^#[0-9A-Fa-f]{6}$", options: .regularExpression) != nil else {
                throw fail(m["colour"], "\(field).colour", "expected #RRGGBB, found \(colour)")
            }
            let code = Code(id: id, name: try string("name"), definition: try string("definition") ?? "",
                            include: try string("include") ?? "", exclude: try string("exclude") ?? "",
                            example: try string("example") ?? "", colour: colour, parent: try string("parent"),
                            codable: !isTheme)
            do { try book.add(code) } catch { throw fail(node, field, "\(error)") }
            let keywords = try list("keywords"), patterns = try list("patterns")
            if !keywords.isEmpty || !patterns.isEmpty {
                do {
                    rules.append(try AutoCodingRule(code: id, keywords: keywords, patterns: patterns))
                } catch {
                    throw fail(m["patterns"] ?? node, "\(field).patterns", "not a valid regular expression")
                }
            }
        }
        return CodebookFile(title: (top["codebook"]?.scalar?.string) ?? path, codebook: book, rules: rules)
    }
}
