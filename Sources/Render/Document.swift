/// What a command shows, independent of how it is written out: headings, paragraphs, tables and notes.
/// `TextRenderer`, `MarkdownRenderer` and `CSVRenderer` turn it into terminal text, Markdown or CSV.
public struct Document: Sendable, Equatable {
    public enum Block: Sendable, Equatable {
        case heading(String)
        case paragraph(String)
        case table(Table)
        /// A remark under a result: a warning, a caveat, a hint.
        case note(String)
    }

    public var blocks: [Block]

    public init(_ blocks: [Block] = []) { self.blocks = blocks }

    public mutating func heading(_ s: String) { blocks.append(.heading(s)) }
    public mutating func paragraph(_ s: String) { blocks.append(.paragraph(s)) }
    public mutating func table(_ t: Table) { blocks.append(.table(t)) }
    public mutating func note(_ s: String) { blocks.append(.note(s)) }
}

/// A table of text cells with a header and per-column alignment.
public struct Table: Sendable, Equatable {
    public enum Alignment: Sendable, Equatable { case left, right }

    public var title: String?
    public var columns: [String]
    public var alignments: [Alignment]
    public var rows: [[String]]

    public init(title: String? = nil, columns: [String], alignments: [Alignment]? = nil, rows: [[String]]) {
        self.title = title
        self.columns = columns
        self.alignments = alignments ?? columns.indices.map { $0 == 0 ? .left : .right }
        self.rows = rows
    }
}
