import Foundation

/// Where a run reads its lines and writes its output and errors. The program uses the process's own streams
/// (`standard`); the tests run the whole command line in process with a `Terminal.Capture`, which keeps what would
/// have been printed, so most of them need not start the binary.
public struct Terminal: Sendable {
    /// Writes to standard output (the text ends with its own newline).
    public let write: @Sendable (String) -> Void
    /// Writes to standard error.
    public let writeError: @Sendable (String) -> Void
    /// The next line of piped input, without its newline; nil at the end.
    public let readLine: @Sendable () -> String?
    /// Whether input is a keyboard (the REPL then uses readline), and output a terminal that shows colour.
    public let isInteractive: Bool
    public let colour: Bool
    /// Whether a batch run installs the process's Ctrl-C handler (exit 130): the program does; a test process must not.
    public let ownsProcess: Bool

    public init(write: @escaping @Sendable (String) -> Void, writeError: @escaping @Sendable (String) -> Void,
                readLine: @escaping @Sendable () -> String?, isInteractive: Bool, colour: Bool, ownsProcess: Bool) {
        self.write = write
        self.writeError = writeError
        self.readLine = readLine
        self.isInteractive = isInteractive
        self.colour = colour
        self.ownsProcess = ownsProcess
    }

    /// The process's standard streams. Each write is flushed at once, so output and errors arrive in the order
    /// they were made (`stdout` itself is a C global Swift 6 will not touch; `fflush(nil)` flushes every stream).
    public static var standard: Terminal {
        Terminal(write: { print($0, terminator: ""); fflush(nil) },
                 writeError: { FileHandle.standardError.write(Data($0.utf8)) },
                 readLine: { Swift.readLine(strippingNewline: true) },
                 isInteractive: isatty(STDIN_FILENO) != 0,
                 colour: isatty(STDOUT_FILENO) != 0 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil,
                 ownsProcess: true)
    }

    /// A terminal that keeps what is written, and feeds the given input line by line: the command line run in
    /// process, as a test runs it.
    public final class Capture: @unchecked Sendable {
        private let lock = NSLock()
        private var out = "", err = ""
        private var lines: [String]

        public init(input: String? = nil) {
            var lines = input.map { $0.components(separatedBy: "\n") } ?? []
            if lines.last == "" { lines.removeLast() }
            self.lines = lines
        }

        public var output: String { lock.withLock { out } }
        public var errors: String { lock.withLock { err } }

        public var terminal: Terminal {
            Terminal(write: { text in self.lock.withLock { self.out += text } },
                     writeError: { text in self.lock.withLock { self.err += text } },
                     readLine: { self.lock.withLock { self.lines.isEmpty ? nil : self.lines.removeFirst() } },
                     isInteractive: false, colour: false, ownsProcess: false)
        }
    }
}
