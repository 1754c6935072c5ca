import ArgumentParser
import BundledLibrary
import Foundation

/// The command line of the `trustgap` program: argument parsing and wiring only. Usage errors exit 2, failed
/// commands 1, success 0. It lives here, not in the executable, so that the tests can run it in process on a
/// captured terminal (`Terminal.Capture`); the executable only calls `TrustgapCommandLine.run`.
public enum TrustgapCommandLine {
    /// Runs `arguments` (without the program's name) and returns the exit status.
    public static func run(_ arguments: [String], terminal: Terminal) -> Int32 {
        // Parsed by hand so that a usage error exits 2 (ArgumentParser's default is 64).
        do {
            let command = try Trustgap.parseAsRoot(Self.workbookOption(arguments))
            if let top = command as? any TopLevelCommand { return try top.execute(on: terminal) }
            // A group without its subcommand (`trustgap notebook`): its help.
            var group = command
            try group.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            if Trustgap.exitCode(for: error) == .success {
                terminal.write(Trustgap.fullMessage(for: error) + "\n")
                return 0
            }
            terminal.writeError("error: \(Trustgap.fullMessage(for: error))\n")
            return 2
        }
    }
}

extension TrustgapCommandLine {
    /// `--out FILE.xlsx` before any subcommand is the top level's (`--format xlsx`), read as `--xlsx-out`: the
    /// subcommands name their own files with `--out`, and a top-level option of that name would take their value.
    static func workbookOption(_ arguments: [String]) -> [String] {
        var out = arguments, k = 0
        while k < out.count {
            let word = out[k]
            if word == "--out" { out[k] = "--xlsx-out"; k += 2; continue }
            if word.hasPrefix("--out=") { out[k] = "--xlsx-out=" + word.dropFirst("--out=".count); k += 1; continue }
            // Past a subcommand's name the words are the subcommand's.
            if !word.hasPrefix("-") { break }
            k += ["-e", "--format", "--workspace", "--out-dir"].contains(word) ? 2 : 1
        }
        return out
    }
}

/// A command of the command line that runs on a terminal and returns its exit status.
protocol TopLevelCommand: ParsableCommand {
    func execute(on terminal: Terminal) throws -> Int32
}

extension TopLevelCommand {
    func run() throws { throw ExitCode(try execute(on: .standard)) }
}

/// The command line: argument parsing and wiring only. Usage errors exit 2, failed commands 1, success 0.
struct Trustgap: TopLevelCommand {
    static let configuration = CommandConfiguration(
        commandName: "trustgap",
        abstract: "Explore AI-validation surveys: crosstabs, chi-square and exact tests, technical vs clinical gaps.",
        discussion: "Without arguments, starts the REPL (readline on a terminal; plain lines when input is piped).",
        version: BundledLibrary.version,
        subcommands: [Run.self, NotebookCommand.self, SynthCommand.self, LibraryCommand.self])

    @Option(name: .customShort("e"), help: "Run a command (repeatable); stop at the first failure with status 1.")
    var commands: [String] = []

    @OptionGroup var common: CommonOptions

    // Here and not in CommonOptions, which `synth survey` shares while naming its own file with --out.
    @Option(name: .customLong("xlsx-out"), help: .hidden)
    var out: String?

    func validate() throws {
        if common.format == "xlsx" && out == nil { throw ValidationError("--format xlsx goes with --out FILE.xlsx") }
        if let out, common.format != "xlsx" || !out.lowercased().hasSuffix(".xlsx") {
            throw ValidationError("--out FILE.xlsx goes with --format xlsx (for one file per table: --format csv --out-dir DIR)")
        }
    }

    func execute(on terminal: Terminal) throws -> Int32 {
        let session = try common.session(terminal)
        session.workbookPath = out
        let runner = Runner(session: session, terminal: terminal)
        return commands.isEmpty ? runner.repl() : runner.runCommands(commands)
    }
}

struct CommonOptions: ParsableArguments {
    @Option(help: "Output format: text, markdown, csv, json (one document for the whole run: an array of {command, result} or {command, error}), ndjson (one such object per line) or xlsx (with --out FILE.xlsx, the workbook to write: one Excel sheet per table of every command).")
    var format: String = "text"

    @Option(help: "The SQLite workspace: opened (or created) first; every change is committed to it as it happens.")
    var workspace: String?

    @Flag(help: "In CSV output and exports, keep cells that start with =, +, -, @ as they are (by default they get a leading ' so that spreadsheets do not run them).")
    var csvKeepFormulas = false

    // Not `--out`: the subcommands (notebook render, synth survey) name their output file with it, and a parent's
    // option takes the value before a subcommand sees it.
    @Option(help: "With --format csv: write each command's tables into this folder, one file each (NN-COMMAND-TABLE.csv).")
    var outDir: String?

    func validate() throws {
        guard OutputFormat(rawValue: format) != nil else {
            throw ValidationError("--format must be one of text, json, ndjson, markdown, csv, xlsx (got \"\(format)\")")
        }
        if outDir != nil && format != "csv" { throw ValidationError("--out-dir DIR goes with --format csv") }
    }

    /// A new session, attached to the workspace when one is given (opened if it exists, created otherwise).
    func session(_ terminal: Terminal) throws -> Session {
        let s = Session(format: OutputFormat(rawValue: format) ?? .text)
        s.csvKeepsFormulas = csvKeepFormulas
        s.csvFolder = outDir
        guard let path = workspace else { return s }
        do {
            try s.attach(workspace: path)
        } catch {
            terminal.writeError("error: \(ErrorMessages.message(for: error))\n")
            throw ExitCode(1)
        }
        return s
    }
}

struct Run: TopLevelCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script of commands, one per line.")

    @Argument(help: "The script file.") var file: String
    @OptionGroup var common: CommonOptions

    func validate() throws {
        if common.format == "xlsx" { throw ValidationError("--format xlsx needs its workbook: trustgap --format xlsx --out FILE.xlsx < \(file)") }
    }

    func execute(on terminal: Terminal) throws -> Int32 {
        Runner(session: try common.session(terminal), terminal: terminal).runScript(path: file)
    }
}

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notebook", abstract: "Notebooks: Markdown with ```trustgap blocks.",
                                                    subcommands: [RenderNotebook.self, NotebookKernel.self])
}

struct RenderNotebook: TopLevelCommand {
    static let configuration = CommandConfiguration(commandName: "render",
        abstract: "Execute a notebook's trustgap blocks in one session and write it with outputs and figures inline.")

    @Argument(help: "The notebook (Markdown).") var input: String
    @Option(help: "OUT.html, OUT.md or OUT.ipynb.") var out: String
    @Option(help: "Output kind: ipynb writes a Jupyter notebook.") var to: String?
    @Flag(help: "Go on after a failing command (its error is shown in the output).") var keepGoing = false
    @Option(help: "A folder the notebook's blocks may read and write besides the notebook's own (repeatable); e.g. --allow-paths . for the bundled notebooks, which read data/.")
    var allowPaths: [String] = []

    func validate() throws {
        guard out.hasSuffix(".html") || out.hasSuffix(".md") || out.hasSuffix(".ipynb") || to == "ipynb" else {
            throw ValidationError("--out must end in .html, .md or .ipynb")
        }
        if let to, to != "ipynb" && to != "html" && to != "md" { throw ValidationError("--to takes html, md or ipynb") }
    }

    func execute(on terminal: Terminal) throws -> Int32 {
        if terminal.ownsProcess { Runner.stopOnInterrupt() }
        do {
            let blocks = try Notebook.render(input: input, output: out, to: to, keepGoing: keepGoing, allowedPaths: allowPaths, session: Session())
            let failed = blocks.filter { $0.error != nil }.count
            terminal.write("wrote \(out): \(blocks.count) blocks\(failed > 0 ? ", \(failed) with errors (--keep-going)" : "")\n")
            return 0
        } catch {
            terminal.writeError("error: \(ErrorMessages.message(for: error))\n")
            return 1
        }
    }
}

struct NotebookKernel: TopLevelCommand {
    static let configuration = CommandConfiguration(commandName: "kernel",
        abstract: "The session the Jupyter kernel talks to: one JSON request a line on standard input, one JSON answer a line on standard output.",
        discussion: "Started by the trustgap Jupyter kernel (kernel/trustgap_kernel), in the notebook's folder. Requests are {\"run\": LINE} and {\"complete\": TEXT}; answers are the --format ndjson entries with the command's Jupyter outputs, or {\"matches\", \"start\"}. Commands may name files under the folder it starts in and --allow-paths only; Ctrl-C (SIGINT) stops the running command and keeps the session.")

    @Option(help: "A folder the notebook's commands may read and write besides its own (repeatable).")
    var allowPaths: [String] = []

    func execute(on terminal: Terminal) throws -> Int32 {
        KernelChannel(allowedPaths: allowPaths, terminal: terminal).serve()
    }
}

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synth", abstract: "Synthetic workloads for benchmarks.",
                                                    subcommands: [SynthSurvey.self])
}

struct SynthSurvey: TopLevelCommand {
    static let configuration = CommandConfiguration(commandName: "survey",
        abstract: "Write a synthetic survey of the questionnaire's shape (canonical wide CSV), the same for the same seed.")

    @Option(help: "Number of respondents.") var respondents: Int
    @Option(help: "Seed of the generator.") var seed: Int = 1
    @Option(help: "The CSV file to write.") var out: String
    @Option(help: "Questionnaire YAML (default questionnaires/ai-validation.yaml).") var questionnaire: String?
    @OptionGroup var common: CommonOptions

    func validate() throws {
        guard respondents >= 1 else { throw ValidationError("--respondents must be at least 1") }
        guard seed >= 0 else { throw ValidationError("--seed must be 0 or more") }
    }

    func execute(on terminal: Terminal) throws -> Int32 {
        // The same function as the prompt's command, so both give the same file and the same messages; the line is
        // what the history and the analysis log show.
        var line = "synth survey --respondents \(respondents) --seed \(seed) --out \(Tokenizer.quote(out))"
        if let questionnaire { line += " --questionnaire \(Tokenizer.quote(questionnaire))" }
        return Runner(session: try common.session(terminal), terminal: terminal).runTyped(line) { session in
            try SynthCommands.synthSurvey(session, respondents: respondents, seed: seed, out: out, questionnaire: questionnaire)
        }
    }
}


/// `trustgap library list | export DIR`: the files the binary carries (explanation profiles and templates, stop
/// words, bundled questionnaires, the TEHAI frame, hyphenation patterns), and a copy of them to edit and pass back
/// with `explain --library DIR/explanations`, `words --stopwords FILE` or `codebook load FILE`.
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "library", abstract: "The files trustgap carries, and a copy of them to edit.",
                                                    subcommands: [LibraryList.self, LibraryExport.self])
}

struct LibraryList: TopLevelCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the bundled files by name.")

    func execute(on terminal: Terminal) throws -> Int32 {
        terminal.write(BundledLibrary.names.joined(separator: "\n") + "\n")
        return 0
    }
}

struct LibraryExport: TopLevelCommand {
    static let configuration = CommandConfiguration(commandName: "export",
        abstract: "Copy the bundled files into a folder (made when missing; existing files are never overwritten).")
    @Argument(help: "The folder.") var folder: String

    func execute(on terminal: Terminal) throws -> Int32 {
        var written = 0
        do {
            for name in BundledLibrary.names where name != "VERSION" {
                guard let data = BundledLibrary.contents(name) else { continue }
                let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .withoutOverwriting)
                written += 1
            }
        } catch {
            terminal.writeError("error: \(folder): \(error.localizedDescription) (after \(written) files)\n")
            return 1
        }
        terminal.write("wrote \(written) files under \(folder): explain --library \((folder as NSString).appendingPathComponent("explanations")) uses its templates\n")
        return 0
    }
}
