import ArgumentParser
import Foundation
import Render
import Survey
import Thematic

/// Building a codebook and coding answers: codebook, code, uncode, undo, autocode, accept, reject, import.
enum CodingCommands {
    static let all: [Command] = [codebook, code, uncode, undo, autocode, accept, reject, importCodings, export]

    static func importProject(_ path: String, session: Session, maxEntryBytes: Int = REFIProject.defaultMaxEntryBytes,
                              maxNodes: Int = REFIProject.defaultMaxNodes, maxCharacters: Int = REFIProject.defaultMaxCharacters) throws -> CommandOutput {
        let answers = try session.answerSet()
        let imported = try REFIProject.load(path: path, answers: answers, maxEntryBytes: maxEntryBytes,
                                            knownCodes: session.coding.project.codebook.codes.map(\.id), maxNodes: maxNodes, maxCharacters: maxCharacters)
        // Codes and codings land together or not at all.
        var trial = session.coding.project
        try trial.editCodebook("import project \(path)") { book in
            for c in imported.codebook.codes where book.code(c.id) == nil {
                var code = c
                if let parent = code.parent, book.code(parent) == nil { code.parent = nil }
                try book.add(code)
            }
        }
        let n = try trial.add(imported.codings.map { ($0, nil) }, answers: answers, action: "import project \(path)")
        // The analytic trail: notes and descriptions not already held (an import of our own export adds none twice).
        let newNotes = imported.notes.filter { !trial.notes.contains($0) }
        trial.notes += newNotes
        session.coding.project = trial
        let coders = Set(imported.codings.map(\.coder)).sorted()
        let by = coders.isEmpty ? "" : " by \(coders.joined(separator: ", "))"
        let memos = imported.codebook.codes.filter { !$0.memo.isEmpty }.count
        var doc = Document([.paragraph("imported \(Formatting.count(imported.codebook.codes.count, "code")) and \(Formatting.count(n, "coding"))\(by) from \(path) (project \(imported.name)), with \(Formatting.count(memos, "code memo")) and \(Formatting.count(newNotes.count, "note"))")])
        for w in imported.warnings { doc.note(w) }
        return CommandOutput(document: doc, json: .object([("codes", .int(imported.codebook.codes.count)), ("codings", .int(n)), ("coders", .strings(coders)),
                                                          ("code_memos", .int(memos)), ("notes", .int(newNotes.count)),
                                                          ("merged", .array(imported.merged.map { .object([("name", .string($0.name)), ("into", .string($0.into))]) })),
                                                          ("warnings", .strings(imported.warnings))]))
    }

    static let export = Command(ExportCommand.self)

    struct ExportCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "export a REFI-QDA project, the codings, or the cleaned survey",
            usage: "export project FILE.qdpx | export codings FILE.csv | export survey FILE.csv|FILE.sav",
            discussion: "export project FILE.qdpx writes the open answers as text sources, the codebook, every coding as a selection by its coder, and each respondent as a case with group and roles, in REFI-QDA 1.5 for NVivo, ATLAS.ti, MAXQDA and QualCoder. export codings FILE.csv writes the codings in the columns import codings reads. export survey FILE.csv|FILE.sav writes the survey as it now is (after filters, recodes, set and drop): a CSV trustgap reads back, or an SPSS file with variable and value labels (each multi-answer option a 0/1 variable).")
        static let completes: Command.Completion = .files
        static let verbs: [String] = ["project", "codings", "survey"]
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard positional.count == 2, ["project", "codings", "survey"].contains(positional[0].lowercased()) else {
                throw ConsoleError.usage(command: "export", message: "expected export project FILE.qdpx, export codings FILE.csv or export survey FILE.csv|FILE.sav")
            }
            let path = positional[1]
            if positional[0].lowercased() == "survey" { return try SurveyCommands.exportSurvey(session, to: path) }
            if positional[0].lowercased() == "codings" {
                let rows = CodingsTable.rows(session.coding.project.codings)
                try FileOutput.write(rows.map { $0.map { CSVRenderer.cell($0, keepFormulas: session.csvKeepsFormulas) }.joined(separator: ",") }.joined(separator: "\n") + "\n", to: path)
                return CommandOutput(document: Document([.paragraph("wrote \(session.coding.project.codings.count) codings to \(path)")]), json: .object([("codings", .int(session.coding.project.codings.count)), ("out", .string(path))]))
            }
            let survey = try session.requireSurvey()
            let answers = try session.answerSet()
            let open = survey.questionnaire.questions.filter { $0.type == .open }.map(\.id)
            var variables: REFIProject.CaseVariables = [:]
            let roleQuestion = survey.questionnaire.grouping?.question
            for r in survey.respondents {
                var v: [(name: String, value: String)] = []
                if let g = answers.groupOf[r.id] { v.append(("group", g)) }
                if let q = roleQuestion { v.append(("roles", r.answer(q).codes.joined(separator: ";"))) }
                variables[r.id] = v
            }
            try REFIProject.export(to: path, name: survey.questionnaire.title, project: session.coding.project, answers: answers, questions: open, variables: variables)
            let project = session.coding.project
            let memos = project.codebook.codes.filter { !$0.memo.isEmpty }.count
            return CommandOutput(document: Document([.paragraph("wrote \(path): \(Formatting.count(project.codebook.codes.count, "code")), \(Formatting.count(project.codings.count, "coding")), \(Formatting.count(memos, "code memo")) and \(Formatting.count(project.notes.count, "note")) (REFI-QDA project)")]),
                                 json: .object([("out", .string(path)), ("codes", .int(project.codebook.codes.count)), ("codings", .int(project.codings.count)),
                                                ("code_memos", .int(memos)), ("notes", .int(project.notes.count))]))
        }
    }

    static let codebook = Command(CodebookCommand.self)

    struct CodebookCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "codebook", abstract: "list, load and edit codes and themes",
            usage: "codebook [show CODE | load FILE | import FILE.qdc | export FILE.qdc | add ID [--parent P] [--name N] [--definition D] [--colour #RRGGBB] [--theme] | rename ID NEW | merge FROM INTO | move ID [--parent P] | memo ID TEXT]",
            discussion: """
            Without arguments, lists the codebook as a tree with how many answers each code has. show CODE gives its
            definition, include/exclude notes, example, memo and codings. load FILE reads a codebook (and its auto-coding
            rules) from YAML, e.g. questionnaires/tehai-frame.yaml. add, rename, merge and move edit the codebook without
            losing codings (merge moves the codings of FROM to INTO); --theme adds a theme (a parent that is not codable).
            memo ID TEXT attaches a memo. import/export FILE.qdc exchange the codebook with NVivo, ATLAS.ti, MAXQDA and
            QualCoder (REFI-QDA 1.5). Every change can be undone.
            """)
        static let completes: Command.Completion = .codes
        static let verbs: [String] = ["show", "load", "import", "export", "add", "rename", "merge", "move", "memo"]
        static let fileVerbs: [String] = ["load", "import", "export"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("parent")) var parentOption: String?
        @Option(name: .customLong("name")) var name: String?
        @Option(name: .customLong("definition")) var definition: String?
        @Option(name: .customLong("colour")) var colour: String?
        @Flag(name: .customLong("theme")) var theme = false

        func run(in session: Session) throws -> CommandOutput {
            let p = positional
            var doc = Document()
            var loaded: (codes: Int, themes: Int, rules: Int)?
            switch p.first?.lowercased() {
            case nil:
                break
            case "show":
                guard p.count == 2 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook show CODE") }
                return try showCode(p[1], session: session)
            case "load":
                guard p.count == 2 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook load FILE") }
                let file = try CodebookFile.load(path: BundledFiles.questionnaire(p[1]))
                try session.coding.project.editCodebook("codebook load \(p[1])") { book in
                    for c in file.codebook.codes where book.code(c.id) == nil { try book.add(c) }
                }
                loaded = (file.codebook.codes.count, file.codebook.codes.filter { !$0.codable }.count, file.rules.count)
                doc.paragraph("loaded \(file.codebook.codes.count) codes (\(file.codebook.codes.filter { !$0.codable }.count) themes) and \(file.rules.count) auto-coding rules from \(p[1])")
            case "import":
                guard p.count == 2 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook import FILE.qdc") }
                let (imported, _) = try REFICodebook.load(path: p[1], known: session.coding.project.codebook.codes.map(\.id))
                var skipped: [String] = []
                try session.coding.project.editCodebook("codebook import \(p[1])") { book in
                    for c in imported.codes {
                        if book.code(c.id) != nil { skipped.append(c.id); continue }
                        var code = c
                        if let parent = code.parent, book.code(parent) == nil { code.parent = nil }
                        try book.add(code)
                    }
                }
                doc.paragraph("imported \(imported.codes.count - skipped.count) codes from \(p[1])")
                if !skipped.isEmpty { doc.note("already in the codebook, kept as they were: \(skipped.joined(separator: ", "))") }
            case "export":
                guard p.count == 2 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook export FILE.qdc") }
                try FileOutput.write(REFICodebook.document(session.coding.project.codebook), to: p[1])
                return CommandOutput(document: Document([.paragraph("wrote \(p[1]) (\(session.coding.project.codebook.codes.count) codes, REFI-QDA codebook)")]),
                                     json: .object([("codings", .int(session.coding.project.codings.count)), ("out", .string(p[1])), ("codes", .int(session.coding.project.codebook.codes.count))]))
            case "add":
                guard p.count == 2 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook add ID [--parent P]") }
                let c = Code(id: p[1], name: name, definition: definition ?? "",
                             colour: colour ?? "#888888", parent: parentOption, codable: !theme)
                try session.coding.project.editCodebook("codebook add \(p[1])") { try $0.add(c) }
                doc.paragraph("added \(c.codable ? "code" : "theme") \(c.id)")
            case "rename":
                guard p.count == 3 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook rename ID NEW") }
                try session.coding.project.renameCode(p[1], to: p[2])
                doc.paragraph("renamed \(p[1]) to \(p[2]); its codings follow")
            case "merge":
                guard p.count == 3 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook merge FROM INTO") }
                let moved = session.coding.project.codings.filter { $0.code == p[1] }.count
                try session.coding.project.mergeCode(p[1], into: p[2])
                doc.paragraph("merged \(p[1]) into \(p[2]) (\(moved) codings moved)")
            case "move":
                guard p.count == 2 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook move ID [--parent P]") }
                try session.coding.project.moveCode(p[1], to: parentOption)
                doc.paragraph("moved \(p[1]) under \(parentOption ?? "the top level")")
            case "memo":
                guard p.count >= 3 else { throw ConsoleError.usage(command: "codebook", message: "expected codebook memo ID TEXT") }
                let text = p[2...].joined(separator: " ")
                try session.coding.project.editCodebook("memo \(p[1])") { book in
                    var c = try book.require(p[1])
                    c.memo = c.memo.isEmpty ? text : c.memo + "\n" + text
                    try book.update(c)
                }
                doc.paragraph("memo added to \(p[1])")
            default:
                throw ConsoleError.usage(command: "codebook", message: "unknown subcommand \(p[0])\(ErrorMessages.didYouMean(Suggest.nearest(p[0], in: ["show", "load", "import", "export", "add", "rename", "merge", "move", "memo"])))")
            }
            let book = session.coding.project.codebook
            let project = session.coding.project
            let answers = project.answerCounts()
            let rows = book.tree.map { item -> [String] in
                [String(repeating: "  ", count: item.depth) + item.code.id, item.code.codable ? "code" : "theme", item.code.name, String(answers[item.code.id] ?? 0)]
            }
            doc.table(Table(title: "Codebook (\(book.codes.count) codes)", columns: ["code", "kind", "name", "answers"],
                            alignments: [.left, .left, .left, .right], rows: rows))
            if book.codes.isEmpty { doc.note("empty: codebook load questionnaires/tehai-frame.yaml loads the TEHAI + trustworthiness frame") }
            let codes: JSONValue = .array(book.codes.map { c in
                .object([("id", .string(c.id)), ("name", .string(c.name)), ("parent", c.parent.map(JSONValue.string) ?? .null),
                         ("codable", .bool(c.codable)), ("definition", .string(c.definition)), ("colour", .string(c.colour)),
                         ("answers", .int(answers[c.id] ?? 0))])
            })
            // The codebook, and what `codebook load` read from its file (codes, themes and auto-coding rules).
            let json: JSONValue = .object([
                ("codes", codes), ("themes", .int(book.codes.filter { !$0.codable }.count)),
                ("loaded", loaded.map { .object([("codes", .int($0.codes)), ("themes", .int($0.themes)), ("rules", .int($0.rules))]) } ?? .null),
            ])
            return CommandOutput(document: doc, json: json)
        }
    }

    static func showCode(_ id: String, session: Session) throws -> CommandOutput {
        let book = session.coding.project.codebook
        let c = try book.require(id)
        var doc = Document()
        doc.heading("\(c.id): \(c.name) (\(c.codable ? "code" : "theme"))")
        doc.paragraph("path: \(book.path(of: c.id))")
        for (label, value) in [("definition", c.definition), ("include", c.include), ("exclude", c.exclude), ("example", c.example), ("memo", c.memo)] where !value.isEmpty {
            doc.paragraph("\(label): \(value)")
        }
        let codings = session.coding.project.codings.filter { book.subtree(c.id).contains($0.code) }
        doc.paragraph("\(codings.count) codings of \(Set(codings.map { "\($0.respondent)|\($0.question)" }).count) answers by \(Set(codings.map(\.coder)).sorted().joined(separator: ", "))")
        let json: JSONValue = .object([("id", .string(c.id)), ("name", .string(c.name)), ("path", .string(book.path(of: c.id))),
                                       ("codable", .bool(c.codable)), ("definition", .string(c.definition)), ("include", .string(c.include)),
                                       ("exclude", .string(c.exclude)), ("example", .string(c.example)), ("memo", .string(c.memo)),
                                       ("codings", .int(codings.count))])
        return CommandOutput(document: doc, json: json)
    }

    static let code = Command(CodeCommand.self)

    struct CodeCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "code", abstract: "code an answer (whole, or a span by quoted text or offsets)",
            usage: "code RESPONDENT Q CODE [\"TEXT\"] [--start S --end E] [--coder NAME]",
            discussion: "Applies CODE to RESPONDENT's answer to Q: the whole answer, or the span given by quoted TEXT (its first occurrence, case ignored) or by --start/--end offsets in Unicode scalars (end exclusive). --coder names the coder (default: you). undo takes it back.")
        static let completes: Command.Completion = .respondents
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("start")) var start: Int?
        @Option(name: .customLong("end")) var end: Int?
        @Option(name: .customLong("coder")) var coder: String?

        func run(in session: Session) throws -> CommandOutput {
            let p = positional
            guard p.count == 3 || p.count == 4 else { throw ConsoleError.usage(command: "code", message: "expected code RESPONDENT Q CODE [\"TEXT\"]") }
            let q = try session.openQuestion(p[1])
            let coding = Coding(respondent: p[0], question: q, code: p[2], coder: coder ?? defaultCoder,
                                start: start, end: end)
            let done = try session.coding.project.code(coding, text: p.count == 4 ? p[3] : nil, answers: try session.answerSet())
            let span = done.start.map { s in " [\(s)–\(done.end ?? s))" } ?? " (whole answer)"
            return CommandOutput(document: Document([.paragraph("coded \(done.respondent) \(done.question) as \(done.code)\(span) by \(done.coder)")]),
                                 json: codingJSON(done))
        }
    }

    static let defaultCoder = ProcessInfo.processInfo.environment["USER"] ?? "analyst"

    static func codingJSON(_ c: Coding) -> JSONValue {
        // A coding's fields are strings and numbers, whose encoding cannot fail.
        (try? JSONValueEncoder.encode(c)) ?? .null
    }

    static let uncode = Command(UncodeCommand.self)

    struct UncodeCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "uncode", abstract: "remove a code from an answer",
            usage: "uncode RESPONDENT Q CODE [--coder NAME]",
            discussion: "Removes CODE from RESPONDENT's answer to Q (every span of it; only --coder's when given). undo puts it back.")
        static let completes: Command.Completion = .respondents
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("coder")) var coder: String?

        func run(in session: Session) throws -> CommandOutput {
            let p = positional
            guard p.count == 3 else { throw ConsoleError.usage(command: "uncode", message: "expected uncode RESPONDENT Q CODE") }
            let q = try session.openQuestion(p[1])
            let n = try session.coding.project.uncode(respondent: p[0], question: q, code: p[2], coder: coder)
            return CommandOutput(document: Document([.paragraph("removed \(n) coding(s) of \(p[2]) from \(p[0]) \(q)")]), json: .object([("removed", .int(n))]))
        }
    }

    static let undo = Command(UndoCommand.self)

    struct UndoCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "undo", abstract: "undo the last coding or codebook change",
            usage: "undo",
            discussion: "Undoes the last coding action (code, uncode, accepted suggestions, an import, or a codebook edit). Repeat to go further back.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            let what = try session.coding.project.undo()
            return CommandOutput(document: Document([.paragraph("undone: \(what)")]), json: .object([("undone", .string(what))]))
        }
    }

    static let autocode = Command(AutocodeCommand.self)

    struct AutocodeCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "autocode", abstract: "suggest codings from keyword/regex rules",
            usage: "autocode [Q] --rules FILE [--coder NAME]",
            discussion: "Applies the keyword, dictionary and regular-expression rules of a codebook file (e.g. questionnaires/tehai-frame.yaml) to the answers of Q and lists suggestions, numbered. Nothing is coded until you accept them (accept 1,3 or accept all; reject N or reject all). The rules' codes are added to the codebook if missing.")
        static let completes: Command.Completion = .questions
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("rules"), completion: .file()) var rules: String?
        @Option(name: .customLong("coder")) var coderOption: String?

        func run(in session: Session) throws -> CommandOutput {
            guard let rulesPath = rules else { throw ConsoleError.usage(command: "autocode", message: "--rules FILE is required") }
            let q = try session.openQuestion(positional.first)
            let file = try CodebookFile.load(path: BundledFiles.questionnaire(rulesPath))
            let missing = file.codebook.codes.filter { session.coding.project.codebook.code($0.id) == nil }
            if !missing.isEmpty {
                try session.coding.project.editCodebook("codebook load \(rulesPath)") { book in for c in missing { try book.add(c) } }
            }
            let coder = coderOption ?? "autocode"
            session.coding.suggestions = try AutoCoder.suggest(question: q, answers: try session.answerSet(), rules: file.rules, coder: coder,
                                                    existing: session.coding.project.codings)
            return suggestionsOutput(session, header: "\(session.coding.suggestions.count) suggestions for \(q) from \(rulesPath) (coder \(coder))",
                                     done: ("suggested", session.coding.suggestions.count))
        }
    }

    /// The suggestions still open, under a header saying what was just done (`done`: suggested, accepted or rejected,
    /// and how many), which the JSON carries too.
    static func suggestionsOutput(_ session: Session, header: String, done: (String, Int)) -> CommandOutput {
        var doc = Document()
        doc.heading(header)
        doc.table(Table(columns: ["#", "respondent", "code", "matched"], alignments: [.right, .left, .left, .left],
                        rows: session.coding.suggestions.enumerated().map { [String($0 + 1), $1.coding.respondent, $1.coding.code, "\"\($1.matched)\""] }))
        if !session.coding.suggestions.isEmpty { doc.note("accept N[,N…] | accept all | reject N | reject all") }
        return CommandOutput(document: doc, json: .object([
            (done.0, .int(done.1)), ("left", .int(session.coding.suggestions.count)),
            ("suggestions", .array(session.coding.suggestions.enumerated().map { k, s in
                .object([("n", .int(k + 1)), ("coding", codingJSON(s.coding)), ("matched", .string(s.matched))])
            })),
        ]))
    }

    /// "1,3,5-7" or "all" → 0-based indices.
    static func pick(_ spec: String, count: Int) throws -> [Int] {
        if spec.lowercased() == "all" { return Array(0..<count) }
        var out: [Int] = []
        for part in spec.split(separator: ",") {
            let bounds = part.split(separator: "-").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard let a = bounds.first ?? nil, let b = bounds.last ?? nil, bounds.count <= 2, a <= b else {
                throw ConsoleError.usage(command: "accept", message: "expected numbers like 1,3,5-7 or all, not \(part)")
            }
            for n in a...b {
                guard n >= 1, n <= count else { throw ThematicError.noSuggestion(n) }
                out.append(n - 1)
            }
        }
        return out
    }

    static let accept = Command(AcceptCommand.self)

    struct AcceptCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept", abstract: "accept auto-coding suggestions",
            usage: "accept N[,N…]|all",
            discussion: "Turns the numbered suggestions of the last autocode into codings, as one undoable action.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard let spec = positional.first else { throw ConsoleError.usage(command: "accept", message: "which suggestions? accept 1,3 or accept all") }
            let picked = try pick(spec, count: session.coding.suggestions.count)
            let batch = picked.map { (session.coding.suggestions[$0].coding, nil as String?) }
            let n = try session.coding.project.add(batch, answers: try session.answerSet(), action: "accept \(spec)")
            session.coding.removeSuggestions(at: Set(picked))
            return suggestionsOutput(session, header: "accepted \(n); \(session.coding.suggestions.count) suggestions left", done: ("accepted", n))
        }
    }

    static let reject = Command(RejectCommand.self)

    struct RejectCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "reject", abstract: "reject auto-coding suggestions",
            usage: "reject N[,N…]|all",
            discussion: "Drops the numbered suggestions of the last autocode.")
        @Argument(help: .hidden) var positional: [String] = []

        func run(in session: Session) throws -> CommandOutput {
            guard let spec = positional.first else { throw ConsoleError.usage(command: "reject", message: "which suggestions? reject 2 or reject all") }
            let drop = Set(try pick(spec, count: session.coding.suggestions.count))
            session.coding.removeSuggestions(at: drop)
            return suggestionsOutput(session, header: "rejected \(drop.count); \(session.coding.suggestions.count) suggestions left", done: ("rejected", drop.count))
        }
    }

    static let importCodings = Command(ImportCodingsCommand.self)

    struct ImportCodingsCommand: ConsoleCommand {
        static let configuration = CommandConfiguration(
            commandName: "import", abstract: "import codings (CSV) or a REFI-QDA project",
            usage: "import codings FILE.csv [--strict] | import project FILE.qdpx [--max-entry-mb N] [--max-nodes N] [--max-characters N]",
            discussion: """
            import codings FILE.csv imports another coder's codings from CSV with columns respondent, question, code, coder
            and optional start, end (Unicode-scalar offsets, end exclusive); codes the codebook lacks are created and
            listed (--strict refuses the file instead). import project FILE.qdpx reads a REFI-QDA 1.5
            project from NVivo, ATLAS.ti, MAXQDA or QualCoder (or trustgap): its codes join the codebook and its codings
            of answers of the loaded survey are added. Every row or selection is checked; on any error nothing is
            imported. Each import is one undoable action. An archive entry larger than 512 MB, or compressed more than 200:1, is
            refused as a possible archive bomb; --max-entry-mb N raises the size budget (which also bounds the entries read
            in all). The work of an import is bounded too: 1,000,000 XML elements (--max-nodes N) and 64,000,000 bytes of
            XML text and of text compared with the answers (--max-characters N).
            """)
        static let completes: Command.Completion = .files
        static let verbs: [String] = ["codings", "project"]
        @Argument(help: .hidden) var positional: [String] = []
        @Option(name: .customLong("max-entry-mb")) var maxEntryMb: Int?
        @Option(name: .customLong("max-nodes")) var maxNodes: Int?
        @Option(name: .customLong("max-characters")) var maxCharacters: Int?
        @Flag(name: .customLong("strict")) var strict = false

        func run(in session: Session) throws -> CommandOutput {
            guard positional.count == 2, ["codings", "project"].contains(positional[0].lowercased()) else {
                throw ConsoleError.usage(command: "import", message: "expected import codings FILE.csv or import project FILE.qdpx")
            }
            let path = positional[1]
            if positional[0].lowercased() == "project" {
                var budget = REFIProject.defaultMaxEntryBytes
                if let mb = maxEntryMb {
                    guard mb >= 1, mb <= 1 << 20 else { throw ConsoleError.usage(command: "import", message: "--max-entry-mb takes a number of megabytes from 1 to 1048576") }
                    budget = mb << 20
                }
                if let n = maxNodes ?? maxCharacters, n < 1 { throw ConsoleError.usage(command: "import", message: "--max-nodes and --max-characters take a positive number") }
                return try importProject(path, session: session, maxEntryBytes: budget, maxNodes: maxNodes ?? REFIProject.defaultMaxNodes,
                                         maxCharacters: maxCharacters ?? REFIProject.defaultMaxCharacters)
            }
            let rows = try CodingsTable.read(try CSVReader.read(path: path).map { ($0.line, $0.fields) }, path: path)
            let answers = try session.answerSet()
            for question in Set(rows.map(\.coding.question)).sorted() {
                do { _ = try session.openQuestion(question) } catch {
                    let line = rows.first { $0.coding.question == question }?.line ?? 0
                    throw ThematicError.file(path: path, line: line, column: 0, message: ErrorMessages.message(for: error))
                }
            }
            // Codes the codebook does not have yet are created, as QDA tools do (listed in one message); --strict
            // refuses the file instead.
            var trial = session.coding.project
            let unknown = CodingsTable.unknownCodes(rows, in: trial.codebook)
            // A code one typo away from an existing one is named with it ("did you mean").
            let known = trial.codebook.codes.map(\.id)
            let listed = unknown.map { u in u + (Suggest.nearest(u, in: known).map { " (did you mean \($0)?)" } ?? "") }.joined(separator: ", ")
            if !unknown.isEmpty {
                if strict {
                    throw ThematicError.file(path: path, line: 0, column: 0, message: "codes not in the codebook: \(listed) (without --strict they are created)")
                }
                try trial.editCodebook("import codings \(path)") { book in
                    for code in unknown { try book.add(Code(id: code, name: code, definition: "created by import codings \(path)")) }
                }
            }
            let n: Int
            do {
                n = try trial.add(rows.map { ($0.coding, nil) }, answers: answers, action: "import codings \(path)", path: path, lines: rows.map(\.line))
            } catch let ThematicError.atLine(file, line, problem) {
                throw ThematicError.file(path: file, line: line, column: 0, message: ErrorMessages.thematic(problem) + "; nothing was imported")
            }
            session.coding.project = trial
            let coders = Set(rows.map(\.coding.coder)).sorted()
            var doc = Document([.paragraph("imported \(n) codings by \(coders.joined(separator: ", ")) from \(path)")])
            if !unknown.isEmpty { doc.note("created \(Formatting.count(unknown.count, "code")) the codebook did not have: \(listed) (give them names, definitions and parents with codebook rename, memo and move; import with --strict to refuse such files)") }
            return CommandOutput(document: doc, json: .object([("imported", .int(n)), ("coders", .strings(coders)), ("created_codes", .strings(unknown))]))
        }
    }
}
