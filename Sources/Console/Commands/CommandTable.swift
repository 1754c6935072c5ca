import ArgumentParser
import Foundation
import Survey

/// A REPL command, declared once with swift-argument-parser: its positional words, typed options and flags, its
/// help (`configuration`), what Tab offers for its words (`completes`, `verbs`), and what it does with the session.
/// The usage errors, `help CMD`, "did you mean" for options and Tab's option names and values all come from this one
/// declaration (see `Command`).
protocol ConsoleCommand: ParsableCommand {
    /// What Tab offers for the positional words.
    static var completes: Command.Completion { get }
    /// Leading words that choose what the command does (`load survey`, `codebook add`), offered by Tab.
    static var verbs: [String] { get }
    /// Verbs whose next word names a file although the command's words are not files (`codebook load|import|export
    /// FILE`): a notebook confines that word like any file.
    static var fileVerbs: [String] { get }
    func run(in session: Session) throws -> CommandOutput
}

extension ConsoleCommand {
    static var completes: Command.Completion { .none }
    static var verbs: [String] { [] }
    static var fileVerbs: [String] { [] }
}

/// One REPL command as the table, Tab and notebooks see it, derived from its declaration: the names of its options
/// and flags, the values an option takes (an enum's cases or a declared completion list), and which options name
/// files or folders (declared with `completion: .file()` or `.directory`).
///
/// `@unchecked Sendable`: it holds the command's metatype (immutable) and a cache of what swift-argument-parser says
/// of the declaration, behind a lock.
struct Command: @unchecked Sendable {
    enum Completion: Sendable { case none, questions, files, subcommands, codes, respondents, records }

    let type: any ConsoleCommand.Type
    let name: String
    let usage: String
    let summary: String
    let subcommands: [String]
    let fileVerbs: [String]
    let completes: Completion
    private let described: Described

    init(_ type: any ConsoleCommand.Type) {
        self.type = type
        let configuration = type.configuration
        name = configuration.commandName ?? String(describing: type).lowercased()
        usage = configuration.usage ?? name
        summary = configuration.abstract
        subcommands = type.verbs
        fileVerbs = type.fileVerbs
        completes = type.completes
        described = Described(type)
    }

    var valueOptions: Set<String> { described.options.values }
    var flagOptions: Set<String> { described.options.flags }
    /// The values an option takes, for Tab (`--for` of explain: the audiences).
    var optionValues: [String: [String]] { described.options.optionValues }
    /// Options whose value names a file or folder (a notebook confines them to its folder).
    var pathOptions: Set<String> { described.options.paths }

    /// The declaration's options as swift-argument-parser describes them (its `--experimental-dump-help` JSON), read
    /// the first time they are asked for: reading all fifty at start-up cost 4 ms of the 16 ms to a first result.
    final class Described: @unchecked Sendable {
        struct Options {
            var values: Set<String> = [], flags: Set<String> = [], paths: Set<String> = []
            var optionValues: [String: [String]] = [:]
        }

        private let type: any ConsoleCommand.Type
        private let lock = NSLock()
        private var cached: Options?

        init(_ type: any ConsoleCommand.Type) { self.type = type }

        var options: Options {
            lock.lock()
            defer { lock.unlock() }
            if let cached { return cached }
            var o = Options()
            let dump = (try? JSONSerialization.jsonObject(with: Data(type._dumpHelp().utf8))) as? [String: Any]
            let arguments = ((dump?["command"] as? [String: Any])?["arguments"] as? [[String: Any]]) ?? []
            for argument in arguments {
                guard let long = ((argument["names"] as? [[String: Any]]) ?? []).first(where: { $0["kind"] as? String == "long" })?["name"] as? String,
                      long != "help" else { continue }
                switch argument["kind"] as? String {
                case "flag": o.flags.insert(long)
                case "option":
                    o.values.insert(long)
                    let completion = argument["completionKind"] as? [String: Any]
                    if completion?["file"] != nil || completion?["directory"] != nil { o.paths.insert(long) }
                    if let list = (completion?["list"] as? [String: Any])?["values"] as? [String] {
                        o.optionValues[long] = list
                    } else if let all = argument["allValues"] as? [String] {
                        o.optionValues[long] = all
                    }
                default: break
                }
            }
            cached = o
            return o
        }
    }

    /// Parses the words after the command's name as its declaration says and runs it. A word the declaration does
    /// not accept is a usage error worded by swift-argument-parser ("Unknown option '--adjst'. Did you mean
    /// '--adjust'?").
    func run(_ session: Session, _ words: [String]) throws -> CommandOutput {
        try parse(words).run(in: session)
    }

    func parse(_ words: [String]) throws -> any ConsoleCommand {
        do {
            guard let command = try type.parse(words) as? any ConsoleCommand else {
                throw ConsoleError.usage(command: name, message: "cannot be parsed")
            }
            return command
        } catch let error as ConsoleError {
            throw error
        } catch {
            throw ConsoleError.usage(command: name, message: Self.oneLine(type.message(for: error)))
        }
    }

    /// A parser message on one line, as every error is printed: its list of values ("one of the following:\n  -
    /// auto\n  - wide") joined by commas.
    static func oneLine(_ message: String) -> String {
        let lines = message.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let items = lines.filter { $0.hasPrefix("- ") }.map { String($0.dropFirst(2)) }
        let text = lines.filter { !$0.hasPrefix("- ") }.joined(separator: " ")
        return items.isEmpty ? text : text + " " + items.joined(separator: ", ")
    }

    /// `help CMD`: swift-argument-parser's help of the declaration.
    var help: String { type.helpMessage(columns: 116) }
}

/// The positional grammar several commands share.
enum Grammar {
    /// `Q [by X]`: the question and the grouping word after `by`.
    static func questionAndBy(_ words: [String], command: String) throws -> (question: String, by: String?) {
        guard let q = words.first else { throw ConsoleError.usage(command: command, message: "which question? e.g. \(command) Q7") }
        if words.count == 1 { return (q, nil) }
        guard words.count == 3, words[1].lowercased() == "by" else {
            throw ConsoleError.usage(command: command, message: "expected \(command) Q [by group|by Q], got \"\(words.joined(separator: " "))\"")
        }
        return (q, words[2])
    }
}

/// Every command, in the order `help` lists them.
enum CommandTable {
    static let all: [Command] = SurveyCommands.all + StatisticsCommands.all + CodingCommands.all + NoteCommands.all + ReviewCommands.all + RecordCommands.all + GapCommands.all + ExplainCommands.all + ReportCommands.all + WorkspaceCommands.all + SynthCommands.all + SessionCommands.all

    static func find(_ name: String) -> Command? { all.first { $0.name == name.lowercased() } }

    static var names: [String] { all.map(\.name) }

    /// Runs one line. Blank lines and `#` comments do nothing.
    static func execute(_ line: String, in session: Session) throws -> CommandOutput? {
        let words = try Tokenizer.split(line)
        guard let name = words.first, !name.hasPrefix("#") else { return nil }
        guard let command = find(name) else {
            throw ConsoleError.unknownCommand(name, suggestion: Suggest.nearest(name, in: names))
        }
        let rest = Array(words.dropFirst())
        if rest.contains("--help") || rest.contains("-h") { return try SessionCommands.helpOutput(for: command.name) }
        let parsed = try command.parse(rest)
        if let roots = session.pathRoots { try confine(parsed, words: rest, of: command, to: roots) }
        return try parsed.run(in: session)
    }

    /// In a notebook (`Session.pathRoot`), every file a command names must lie under the notebook's folder: the
    /// values of its file and folder options (declared with `completion: .file()` or `.directory`) and, for commands whose words are files, its
    /// positional words less their verbs. A notebook from someone else cannot read ~/.ssh into its page or write
    /// over the user's files.
    static func confine(_ parsed: any ConsoleCommand, words: [String], of command: Command, to roots: [String]) throws {
        let paths = pathWords(words, of: command)
        // A flag that lets a command read outside its own rules (load records … --allow-outside) is not a notebook's.
        if let flag = words.first(where: { $0 == "--allow-outside" }) {
            throw ConsoleError.usage(command: command.name, message: "\(flag) is not allowed in a notebook; a notebook reads and writes in its folder only")
        }
        let bases = roots.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().standardizedFileURL.path }
        func inside(_ resolved: String) -> Bool { bases.contains { resolved == $0 || resolved.hasPrefix($0.hasSuffix("/") ? $0 : $0 + "/") } }
        for path in paths {
            // A file that does not exist yet is judged by its folder.
            var url = URL(fileURLWithPath: path).standardizedFileURL
            var tail: [String] = []
            while !FileManager.default.fileExists(atPath: url.path), url.path != "/" {
                tail.insert(url.lastPathComponent, at: 0)
                url.deleteLastPathComponent()
            }
            let resolved = tail.reduce(url.resolvingSymlinksInPath()) { $0.appendingPathComponent($1) }.standardizedFileURL.path
            guard inside(resolved) else {
                throw ConsoleError.usage(command: command.name, message: "\(path) is outside the notebook's folder \(roots[0]); a notebook reads and writes there only (notebook render … --allow-paths DIR allows another folder)")
            }
            // A folder's files are read too (load records DIR, --library DIR): each one, links resolved, must lie
            // inside as well; a template in a library that is a link to a secret file was once rendered into the page.
            if let outside = firstEntryOutside(resolved, inside: inside) {
                throw ConsoleError.usage(command: command.name, message: "\(outside) in \(path) is a link to a place outside the notebook's folder \(roots[0]); a notebook reads and writes there only (notebook render … --allow-paths DIR allows another folder)")
            }
        }
    }

    /// The words of a command line (less the command's name) that name files or folders: the values of its file
    /// and folder options and, for commands whose words are files, its positional words less their verbs.
    static func pathWords(_ words: [String], of command: Command) -> [String] {
        var paths: [String] = []
        // The values as parsed: each file option's value, found by its name in the word list as the parser saw it.
        var k = 0
        while k < words.count {
            let w = words[k]
            if w.hasPrefix("--") {
                let body = String(w.dropFirst(2))
                if let eq = body.firstIndex(of: "=") {
                    if command.pathOptions.contains(String(body[..<eq])) { paths.append(String(body[body.index(after: eq)...])) }
                } else if command.pathOptions.contains(body), k + 1 < words.count {
                    paths.append(words[k + 1]); k += 1
                } else if command.valueOptions.contains(body) {
                    k += 1
                }
            } else if command.completes == .files, !command.subcommands.map({ $0.lowercased() }).contains(w.lowercased()) {
                paths.append(w)
            } else if k == 1, command.fileVerbs.contains(words[0].lowercased()) {
                paths.append(w)
            }
            k += 1
        }
        return paths
    }

    /// The first entry of a folder (three levels down, at most 10,000 entries looked at) whose real path lies
    /// outside, named relative to the folder; nil for a file or when all lie inside.
    static func firstEntryOutside(_ folder: String, inside: (String) -> Bool) -> String? {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else { return nil }
        var pending = [(folder, 0)], looked = 0
        while let (dir, level) = pending.popLast() {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                looked += 1
                if looked > 10_000 { return "(more than 10,000 entries)" }
                let entry = (dir as NSString).appendingPathComponent(name)
                let real = URL(fileURLWithPath: entry).resolvingSymlinksInPath().standardizedFileURL.path
                if !inside(real) { return String(entry.dropFirst(folder.count + 1)) }
                var sub: ObjCBool = false
                if level < 2, FileManager.default.fileExists(atPath: real, isDirectory: &sub), sub.boolValue { pending.append((real, level + 1)) }
            }
        }
        return nil
    }
}
