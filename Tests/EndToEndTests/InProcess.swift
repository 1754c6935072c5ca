import Console
import Foundation

/// Runs the trustgap command line in this process, on a captured terminal, exactly as the program runs it
/// (`TrustgapCommandLine.run`, which `main.swift` calls): the arguments, piped input, output, errors and exit
/// status. Most end-to-end tests use this; the binary (`Binary.run`) is kept for what needs a process of its own:
/// the REPL on a terminal, signals, exit codes as a shell sees them, peak memory, the workspace lock between two
/// sessions, and environment variables.
enum InProcess {
    /// The package root as the working folder, as `Binary.run` gives the binary (set once; `swift test` already
    /// runs there, so this changes nothing when it does).
    private static let inRoot: Bool = FileManager.default.changeCurrentDirectoryPath(Binary.root.path)

    static func run(_ args: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        guard inRoot else { throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: Binary.root.path]) }
        let capture = Terminal.Capture(input: stdin)
        let status = TrustgapCommandLine.run(args, terminal: capture.terminal)
        return (status, capture.output, capture.errors)
    }
}
