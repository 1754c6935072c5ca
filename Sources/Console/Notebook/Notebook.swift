import Foundation
import Ink
import Render

/// A notebook: Markdown prose with fenced ```trustgap blocks, executed in order in one session (knitr/Quarto
/// style). Each block's commands run like `trustgap run`; their text output is kept, and SVG figures they write
/// (`plot`, `wordcloud`, `--out FILE.svg`) are shown inline.
public struct Notebook {
    public enum Chunk {
        case prose(String)
        case code(lines: [String], line: Int)
    }

    public struct ExecutedBlock {
        public let source: [String]
        public let line: Int
        public var output: String
        /// The figures drawn, with the file each was written to (none when it was only shown).
        public var figures: [(path: String?, svg: String)]
        public var error: String?
        /// The block's outputs as Jupyter shows them (`JupyterOutputs`), in order.
        var jupyter: [JSONValue] = []
        /// Files and folders the block's commands named that existed when they ran: what a copy needs beside it.
        var inputs: [String] = []
    }

    public let path: String
    public let chunks: [Chunk]

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConsoleError.unreadableScript(path: path, reason: "no such file, or not UTF-8")
        }
        self.path = path
        // Nesting Ink would parse by recursion is bounded before it gets there (see ProseNesting).
        if let (line, column, what) = ProseNesting.tooDeep(text) {
            throw ConsoleError.scriptFailed(path: path, line: line, message: "column \(column): \(what) nested more than \(ProseNesting.deepest) deep in the prose (fixed)")
        }
        var chunks: [Chunk] = [], prose: [String] = [], code: [String]?, start = 0
        for (k, line) in text.components(separatedBy: "\n").enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if code == nil, trimmed.hasPrefix("```"), trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).hasPrefix("trustgap") {
                if !prose.isEmpty { chunks.append(.prose(prose.joined(separator: "\n"))); prose = [] }
                code = []
                start = k + 1
            } else if code != nil, trimmed.hasPrefix("```") {
                chunks.append(.code(lines: code ?? [], line: start))
                code = nil
            } else if code != nil {
                code?.append(line)
            } else {
                prose.append(line)
            }
        }
        if code != nil { throw ConsoleError.scriptFailed(path: path, line: start, message: "the trustgap block opened here is never closed (```)") }
        if !prose.isEmpty { chunks.append(.prose(prose.joined(separator: "\n"))) }
        self.chunks = chunks
    }

    /// Runs every block in one session. Without `keepGoing` the first failing command stops the run with an error
    /// naming the notebook and the line of that command.
    public func execute(session: Session, keepGoing: Bool) throws -> [ExecutedBlock] {
        session.showsFigures = true
        var results: [ExecutedBlock] = []
        for chunk in chunks {
            guard case let .code(lines, first) = chunk else { continue }
            var block = ExecutedBlock(source: lines, line: first, output: "", figures: [], error: nil)
            for (k, line) in lines.enumerated() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
                block.inputs += NotebookResources.inputs(of: trimmed)
                do {
                    guard var out = try CommandTable.execute(line, in: session) else { continue }
                    Runner.noteCleaning(&out, command: trimmed, in: session)
                    let text = out.rendered(as: .text, colour: false)
                    Runner.log(trimmed, output: out, error: nil, in: session)
                    if !text.isEmpty { block.output += "trustgap> \(trimmed)\n" + text + "\n" }
                    // Only a figure trustgap drew in this run is inlined (the SVG it drew, not a file read back):
                    // any other file named .svg (an exported CSV, say) could carry a script into the page.
                    if let svg = out.drawn { block.figures.append((out.figure, svg)) }
                    block.jupyter += JupyterOutputs.displays(out)
                } catch {
                    let message = ErrorMessages.message(for: error)
                    Runner.log(trimmed, output: nil, error: message, in: session)
                    block.output += "trustgap> \(trimmed)\nerror: \(message)\n"
                    block.error = message
                    block.jupyter.append(JupyterOutputs.error(error))
                    if !keepGoing {
                        results.append(block)
                        throw ConsoleError.scriptFailed(path: path, line: first + k + 1, message: message)
                    }
                }
            }
            results.append(block)
        }
        return results
    }

    /// HTML with the prose rendered by Ink, outputs in <pre> and figures inline.
    public func html(_ blocks: [ExecutedBlock], title: String) -> String {
        let parser = MarkdownParser()
        var body = ""
        var index = 0
        for chunk in chunks {
            switch chunk {
            case .prose(let text):
                body += ProseSanitizer.clean(ProseSanitizer.restoringAngles(parser.html(from: ProseSanitizer.protectingAngles(text)))) + "\n"
            case .code:
                guard index < blocks.count else { continue }
                let b = blocks[index]
                index += 1
                body += "<pre class=\"source\">\(Markup.escape(b.source.joined(separator: "\n")))</pre>\n"
                if !b.output.isEmpty { body += "<pre class=\"output\">\(Markup.escape(b.output))</pre>\n" }
                body += b.figures.map { Markup.figure($0.svg) }.joined()
            }
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(Markup.escape(title))</title>
        <style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;max-width:62em;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
        pre{padding:.6em;overflow-x:auto;font-size:.8em}pre.source{background:#eef3f8;border-left:4px solid #0072B2}pre.output{background:#f6f6f6}
        figure{margin:1em 0}figcaption{font-size:.85em;color:#444}
        @media print{figure,pre,table{break-inside:avoid;page-break-inside:avoid}}</style></head><body>
        \(body)</body></html>

        """
    }

    /// Markdown with each block's source, its output in a text block and its figures linked.
    public func markdown(_ blocks: [ExecutedBlock]) -> String {
        var out = "", index = 0
        for chunk in chunks {
            switch chunk {
            case .prose(let text): out += text + "\n"
            case .code:
                guard index < blocks.count else { continue }
                let b = blocks[index]
                index += 1
                let source = b.source.joined(separator: "\n"), sourceFence = Self.fence(for: source), outputFence = Self.fence(for: b.output)
                out += sourceFence + "trustgap\n" + source + "\n" + sourceFence + "\n\n"
                if !b.output.isEmpty { out += outputFence + "text\n" + b.output + outputFence + "\n\n" }
                out += b.figures.compactMap { f in f.path.map { "![\(Markup.title(ofSVG: f.svg) ?? ($0 as NSString).lastPathComponent)](\($0))\n\n" } }.joined()
            }
        }
        return out
    }

    /// A code fence longer than any run of backticks in `text` (at least three), so data holding ``` cannot close
    /// the block and turn what follows into Markdown.
    static func fence(for text: String) -> String {
        var longest = 0, run = 0
        for c in text.utf8 {
            if c == UInt8(ascii: "`") { run += 1; longest = max(longest, run) } else { run = 0 }
        }
        return String(repeating: "`", count: max(3, longest + 1))
    }

    /// A Jupyter notebook (nbformat 4.5) for the trustgap kernel (`kernel/trustgap_kernel`): prose as markdown
    /// cells, each block as a code cell holding its trustgap commands, with the outputs the kernel gives (tables as
    /// HTML and text, figures as SVG, errors with trustgap's code), so the stored outputs are the ones
    /// `jupyter nbconvert --execute` writes again.
    public func ipynb(_ blocks: [ExecutedBlock]) -> String {
        var cells: [JSONValue] = [], index = 0
        func lines(_ s: String) -> JSONValue {
            let parts = s.components(separatedBy: "\n")
            return .array(parts.enumerated().map { k, p in .string(k < parts.count - 1 ? p + "\n" : p) })
        }
        for chunk in chunks {
            switch chunk {
            case .prose(let text):
                cells.append(.object([("cell_type", .string("markdown")), ("id", .string("m\(cells.count)")), ("metadata", .object([])), ("source", lines(text))]))
            case .code:
                guard index < blocks.count else { continue }
                let b = blocks[index]
                index += 1
                cells.append(.object([("cell_type", .string("code")), ("execution_count", .int(index)), ("id", .string("c\(cells.count)")),
                                      ("metadata", .object([])), ("outputs", .array(b.jupyter.map(Self.multiline))),
                                      ("source", lines(b.source.joined(separator: "\n")))]))
            }
        }
        return JSONValue.object([
            ("cells", .array(cells)),
            ("metadata", .object([("kernelspec", .object([("display_name", .string("trustgap")), ("language", .string("trustgap")), ("name", .string("trustgap"))])),
                                  ("language_info", .object([("name", .string("trustgap")), ("file_extension", .string(".tg")), ("mimetype", .string("text/x-trustgap"))]))])),
            ("nbformat", .int(4)), ("nbformat_minor", .int(5)),
        ]).encoded() + "\n"
    }

    /// An output as nbformat stores it: text split into lines, as Jupyter writes it.
    static func multiline(_ output: JSONValue) -> JSONValue {
        guard case .object(let fields) = output else { return output }
        return .object(fields.map { (key: String, value: JSONValue) -> (String, JSONValue) in
            guard key == "data", case .object(let data) = value else { return (key, value) }
            return (key, .object(data.map { (mime: String, v: JSONValue) -> (String, JSONValue) in
                guard case .string(let s) = v else { return (mime, v) }
                let parts = s.components(separatedBy: "\n")
                return (mime, .array(parts.enumerated().compactMap { (k: Int, p: String) -> JSONValue? in
                    k < parts.count - 1 ? .string(p + "\n") : (p.isEmpty ? nil : .string(p))
                }))
            }))
        })
    }

    /// Runs and writes: OUT.html, OUT.md, or (to = ipynb) OUT.ipynb. Returns the executed blocks.
    /// Blocks may name files under the notebook's folder and `allowedPaths` only.
    public static func render(input: String, output: String, to: String?, keepGoing: Bool, allowedPaths: [String] = [],
                              session: Session) throws -> [ExecutedBlock] {
        let notebook = try Notebook(path: input)
        let folder = (input as NSString).deletingLastPathComponent
        session.pathRoots = [folder.isEmpty ? "." : folder] + allowedPaths
        let blocks = try notebook.execute(session: session, keepGoing: keepGoing)
        let title = notebook.chunks.compactMap { chunk -> String? in
            if case .prose(let t) = chunk { return t.components(separatedBy: "\n").first { $0.hasPrefix("# ") }.map { String($0.dropFirst(2)) } }
            return nil
        }.first ?? (input as NSString).lastPathComponent
        let text: String
        if to == "ipynb" || output.hasSuffix(".ipynb") {
            // The kernel runs the cells in the notebook's folder: what they read goes there too, so the folder is a
            // hand-out that runs wherever it is copied.
            try NotebookResources.copy(blocks.flatMap(\.inputs) + session.files.list.map(\.path), besides: output)
            text = notebook.ipynb(blocks)
        }
        else if output.hasSuffix(".md") { text = notebook.markdown(try NotebookResources.writingFigures(blocks, besides: output)) }
        else { text = notebook.html(blocks, title: title) }
        try FileOutput.write(text, to: output)
        return blocks
    }
}
