import Foundation
import Testing
@testable import Console

/// The requests the Jupyter kernel sends, answered in process: a command's ndjson entry with its Jupyter outputs,
/// Tab's candidates (file names where the completer leaves them to readline), and a request that is neither.
@Test func kernelChannelAnswersRunsCompletionsAndNonsense() throws {
    let channel = KernelChannel(allowedPaths: [], terminal: Terminal.Capture().terminal)
    func ask(_ request: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(channel.respond(to: request).encoded(pretty: false).utf8)) as? [String: Any])
    }
    func outputTypes(_ answer: [String: Any]) -> [String] { (answer["outputs"] as? [[String: Any]] ?? []).compactMap { $0["output_type"] as? String } }
    let help = try ask(#"{"run": "help groups"}"#)
    #expect(help["command"] as? String == "help groups" && outputTypes(help) == ["display_data"])
    #expect(((help["outputs"] as? [[String: Any]])?.first?["data"] as? [String: Any])?["text/html"] != nil)
    let words = try ask(#"{"complete": "chisq Q7 --exa"}"#)
    #expect(words["matches"] as? [String] == ["--exact", "--exact-budget"] && words["start"] as? Int == 9)
    // `load survey` takes a file: the names in the session's folder (the package root here), folders with a slash.
    let files = try ask(#"{"complete": "load survey Sou"}"#)
    #expect(files["matches"] as? [String] == ["Sources/"] && files["start"] as? Int == 12)
    let bad = try ask("crosstab Q7")
    #expect((bad["error"] as? [String: Any])?["code"] as? String == "console.usage" && outputTypes(bad) == ["error"])
    // The session is confined to its folder, as a notebook's blocks are.
    for line in ["load survey /etc/passwd", "codebook load /etc/hostname", "codebook export /tmp/x.qdc"] {
        let outside = try ask(#"{"run": "\#(line)"}"#)
        #expect(((outside["error"] as? [String: Any])?["message"] as? String)?.contains("outside the notebook") == true, "\(line)")
    }
}
