import Foundation
import Render

/// What one command shows in Jupyter, as nbformat's outputs: its document as HTML (tables as `<table>`) with the
/// text beside it, and the figure it drew as SVG. The kernel (`trustgap notebook kernel`) sends these and
/// `notebook render --to ipynb` stores them, so a notebook holds the same outputs before and after it is run again.
enum JupyterOutputs {
    /// The `display_data` outputs of a command's result: its document, then its figure.
    static func displays(_ output: CommandOutput) -> [JSONValue] {
        var bundles: [JSONValue] = []
        if let raw = output.raw {
            // A finished rendering (explain --format markdown|html) is shown as the text it is.
            bundles.append(.object([("text/plain", .string(TerminalText.visible(raw)))]))
        } else if !output.document.blocks.isEmpty {
            let text = TextRenderer(colour: false).render(output.document)
            bundles.append(.object([("text/html", .string(HTMLRenderer().render(output.document))), ("text/plain", .string(text))]))
        }
        if let svg = output.drawn {
            bundles.append(.object([("image/svg+xml", .string(svg)), ("text/plain", .string(Markup.title(ofSVG: svg) ?? "figure"))]))
        }
        return bundles.map { .object([("output_type", .string("display_data")), ("data", $0), ("metadata", .object([]))]) }
    }

    /// An `error` output: trustgap's stable code as the name, its sentence as the value, and where it happened.
    static func error(_ error: Error) -> JSONValue {
        let message = ErrorMessages.message(for: error)
        var traceback = ["error: " + TerminalText.visible(message, keepNewlines: false)]
        let position = ErrorMessages.position(for: error)
        if !position.isEmpty {
            traceback.append("at " + position.map { "\($0.0) \(Self.plain($0.1))" }.joined(separator: ", "))
        }
        return .object([("output_type", .string("error")), ("ename", .string(ErrorMessages.code(for: error))),
                        ("evalue", .string(message)), ("traceback", .strings(traceback))])
    }

    private static func plain(_ value: JSONValue) -> String {
        if case .string(let s) = value { return s }
        return value.encoded(pretty: false)
    }
}
