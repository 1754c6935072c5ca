import Foundation

/// The nesting of a template's sections, bounded before swift-mustache and `CompiledTemplate` see it: both parse
/// sections by recursion, and 3,000 nested sections in a `--library` template overflowed the stack.
enum TemplateNesting {
    /// Far beyond any explanation template (the bundled ones nest three deep).
    static let deepest = 100

    /// Line and column (1-based) of the first section opened deeper than `deepest`, or nil. Tags are found with
    /// the delimiters in force (`{{=<% %>=}}` changes them), as Mustache finds them.
    static func tooDeep(_ text: String, deepest: Int = deepest) -> (line: Int, column: Int)? {
        let bytes = Array(text.utf8)
        var open = Array("{{".utf8), close = Array("}}".utf8)
        var depth = 0, i = 0, line = 1, lineStart = 0
        func matches(_ needle: [UInt8], at k: Int) -> Bool {
            k + needle.count <= bytes.count && bytes[k..<(k + needle.count)].elementsEqual(needle)
        }
        while i < bytes.count {
            if bytes[i] == 0x0A { line += 1; lineStart = i + 1; i += 1; continue }
            guard !open.isEmpty, matches(open, at: i) else { i += 1; continue }
            let tagStart = i
            var j = i + open.count
            while j < bytes.count, !matches(close, at: j) { if bytes[j] == 0x0A { line += 1; lineStart = j + 1 }; j += 1 }
            guard j < bytes.count else { return nil }  // an unclosed tag: Mustache's own parser reports it
            let content = bytes[(i + open.count)..<j].drop { $0 == 0x20 }
            switch content.first {
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                depth += 1
                if depth > deepest { return (line, tagStart - lineStart + 1) }
            case UInt8(ascii: "/"):
                depth = max(0, depth - 1)
            case UInt8(ascii: "="):
                // {{=<% %>=}}: the new delimiters, separated by spaces.
                let inner = content.dropFirst().reversed().drop { $0 == 0x20 }.reversed()
                let parts = Array(inner.dropLast(inner.last == UInt8(ascii: "=") ? 1 : 0)).split(separator: 0x20)
                if parts.count == 2 { open = Array(parts[0]); close = Array(parts[1]) }
            default: break
            }
            i = j + close.count
        }
        return nil
    }
}
