import ArgumentParser
import Console
import Foundation

/// The command line: argument parsing and wiring only. Usage errors exit 2, failed commands 1, success 0.
struct Trustgap: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trustgap",
        abstract: "Explore AI-validation surveys: crosstabs, chi-square and exact tests, technical vs clinical gaps.",
        discussion: "Without arguments, starts the REPL (readline on a terminal; plain lines when input is piped).",
        subcommands: [Run.self, NotebookCommand.self, SynthCommand.self])

    @Option(name: .customShort("e"), help: "Run a command (repeatable); stop at the first failure with status 1.")
    var commands: [String] = []

    @OptionGroup var common: CommonOptions

    func run() throws {
        let runner = Runner(session: try common.session())
        throw ExitCode(commands.isEmpty ? runner.repl() : runner.runCommands(commands))
    }
}

struct CommonOptions: ParsableArguments {
    @Option(help: "Output format: text, markdown, csv, json (one document for the whole run: an array of {command, result} or {command, error}) or ndjson (one such object per line).")
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
            throw ValidationError("--format must be one of text, json, ndjson, markdown, csv (got \"\(format)\")")
        }
        if outDir != nil && format != "csv" { throw ValidationError("--out-dir DIR goes with --format csv") }
    }

    /// A new session, attached to the workspace when one is given (opened if it exists, created otherwise).
    func session() throws -> Session {
        let s = Session(format: OutputFormat(rawValue: format) ?? .text)
        s.csvKeepsFormulas = csvKeepFormulas
        s.csvFolder = outDir
        guard let path = workspace else { return s }
        do {
            try s.attach(workspace: path)
        } catch {
            FileHandle.standardError.write(Data("error: \(ErrorMessages.message(for: error))\n".utf8))
            throw ExitCode(1)
        }
        return s
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run a script of commands, one per line.")

    @Argument(help: "The script file.") var file: String
    @OptionGroup var common: CommonOptions

    func run() throws {
        throw ExitCode(Runner(session: try common.session()).runScript(path: file))
    }
}

struct NotebookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "notebook", abstract: "Notebooks: Markdown with ```trustgap blocks.",
                                                    subcommands: [RenderNotebook.self])
}

struct RenderNotebook: ParsableCommand {
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

    func run() throws {
        Runner.stopOnInterrupt()
        do {
            let blocks = try Notebook.render(input: input, output: out, to: to, keepGoing: keepGoing, allowedPaths: allowPaths, session: Session())
            let failed = blocks.filter { $0.error != nil }.count
            print("wrote \(out): \(blocks.count) blocks\(failed > 0 ? ", \(failed) with errors (--keep-going)" : "")")
        } catch {
            FileHandle.standardError.write(Data("error: \(ErrorMessages.message(for: error))\n".utf8))
            throw ExitCode(1)
        }
    }
}

struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "synth", abstract: "Synthetic workloads for benchmarks.",
                                                    subcommands: [SynthSurvey.self])
}

struct SynthSurvey: ParsableCommand {
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

    func run() throws {
        // The same function as the prompt's command, so both give the same file and the same messages; the line is
        // what the history and the analysis log show.
        var line = "synth survey --respondents \(respondents) --seed \(seed) --out \(Tokenizer.quote(out))"
        if let questionnaire { line += " --questionnaire \(Tokenizer.quote(questionnaire))" }
        throw ExitCode(Runner(session: try common.session()).runTyped(line) { session in
            try SynthCommands.synthSurvey(session, respondents: respondents, seed: seed, out: out, questionnaire: questionnaire)
        })
    }
}

// Parse by hand so a usage error exits 2 (ArgumentParser's default is 64).
do {
    var command = try Trustgap.parseAsRoot()
    try command.run()
} catch let code as ExitCode {
    exit(code.rawValue)
} catch {
    let status = Trustgap.exitCode(for: error)
    if status == .success {
        print(Trustgap.fullMessage(for: error))
        exit(0)
    }
    FileHandle.standardError.write(Data("error: \(Trustgap.fullMessage(for: error))\n".utf8))
    exit(2)
}
