import Foundation
import Render
import Statistics

/// REFI-QDA 1.5 projects (`.qdpx`): a zip with `project.qde` and a `sources/` folder. Each answer is a
/// `TextSource` (its text in `sources/GUID.txt`), each coding a `PlainTextSelection` in Unicode-scalar positions
/// with a `Coding`/`CodeRef` made by the coder's `User`; a whole-answer coding spans the whole text. Respondents
/// are `Case`s carrying their variables (group, roles) as `VariableValue`s.
public enum REFIProject {
    /// Case variables per respondent, in order (e.g. group, roles).
    public typealias CaseVariables = [String: [(name: String, value: String)]]

    public static func export(to path: String, name: String, project: CodingProject, answers: AnswerSet, questions: [String],
                              variables: CaseVariables) throws {
        let sources = answers.respondentOrder.flatMap { r in questions.compactMap { q in answers.text(r, q).map { (r, q, $0) } } }
        let coders = project.coders
        var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
        xml += "<Project xmlns=\"urn:QDA-XML:project:1.0\" name=\"\(XMLText.escape(name))\" origin=\"trustgap\">\n"
        if !coders.isEmpty {
            xml += "  <Users>\n" + coders.map { "    <User guid=\"\(user($0))\" name=\"\(XMLText.escape($0))\"/>\n" }.joined() + "  </Users>\n"
        }
        if !project.codebook.codes.isEmpty {
            xml += "  <CodeBook>\n" + REFICodebook.codes(project.codebook, indent: "    ", memosAsNotes: true) + "  </CodeBook>\n"
        }
        let variableNames = Array(Set(variables.values.flatMap { $0.map(\.name) })).sorted()
        if !variableNames.isEmpty {
            xml += "  <Variables>\n" + variableNames.map {
                "    <Variable guid=\"\(StableGUID.make("variable:" + $0))\" name=\"\(XMLText.escape($0))\" typeOfVariable=\"Text\"/>\n"
            }.joined() + "  </Variables>\n"
        }
        // Sources and codings grouped once: filtering them per respondent and per source made export quadratic.
        var questionsOf: [String: [String]] = [:]
        for (r, q, _) in sources { questionsOf[r, default: []].append(q) }
        var codingsOf: [String: [Coding]] = [:]
        for c in project.codings { codingsOf[c.respondent + "\u{1F}" + c.question, default: []].append(c) }
        let cases = answers.respondentOrder.filter { questionsOf[$0] != nil }
        if !cases.isEmpty {
            xml += "  <Cases>\n"
            for r in cases {
                xml += "    <Case guid=\"\(StableGUID.make("case:" + r))\" name=\"\(XMLText.escape(r))\">\n"
                for v in variables[r] ?? [] {
                    xml += "      <VariableValue><VariableRef targetGUID=\"\(StableGUID.make("variable:" + v.name))\"/><TextValue>\(XMLText.escape(v.value))</TextValue></VariableValue>\n"
                }
                for q in questionsOf[r] ?? [] { xml += "      <SourceRef targetGUID=\"\(source(r, q))\"/>\n" }
                xml += "    </Case>\n"
            }
            xml += "  </Cases>\n"
        }
        var files: [(String, String)] = []
        if !sources.isEmpty {
            xml += "  <Sources>\n"
            for (r, q, text) in sources {
                let guid = source(r, q)
                files.append(("sources/\(guid).txt", text))
                xml += "    <TextSource guid=\"\(guid)\" name=\"\(XMLText.escape("\(r) \(q)"))\" plainTextPath=\"internal://\(guid).txt\">\n"
                let described = project.notes.filter { $0.target == .source(respondent: r, question: q) }.map(\.text)
                if !described.isEmpty { xml += "      <Description>\(XMLText.escape(described.joined(separator: "\n")))</Description>\n" }
                let length = text.unicodeScalars.count
                for (k, c) in (codingsOf[r + "\u{1F}" + q] ?? []).enumerated() {
                    let start = c.start ?? 0, end = c.end ?? length
                    let sel = StableGUID.make("selection:\(r)|\(q)|\(c.code)|\(c.coder)|\(start)|\(end)|\(k)")
                    xml += "      <PlainTextSelection guid=\"\(sel)\" startPosition=\"\(start)\" endPosition=\"\(end)\" creatingUser=\"\(user(c.coder))\">\n"
                    xml += "        <Coding guid=\"\(StableGUID.make("coding:" + sel))\" creatingUser=\"\(user(c.coder))\"><CodeRef targetGUID=\"\(REFICodebook.guid(of: c.code))\"/></Coding>\n"
                    xml += "      </PlainTextSelection>\n"
                }
                // Descriptions of spans, as selections of their own without a coding.
                // GUIDs from each note's place among the notes on the same span, so notes of other kinds, in any
                // order, change nothing.
                var onSpan: [ProjectNote.Target: Int] = [:]
                for note in project.notes {
                    guard case let .selection(nr, nq, start, end) = note.target, nr == r, nq == q else { continue }
                    let k = onSpan[note.target, default: 0]
                    onSpan[note.target] = k + 1
                    xml += "      <PlainTextSelection guid=\"\(StableGUID.make("note-selection:\(r)|\(q)|\(start)|\(end)|\(k)"))\" startPosition=\"\(start)\" endPosition=\"\(end)\">"
                    xml += "<Description>\(XMLText.escape(note.text))</Description></PlainTextSelection>\n"
                }
                // The case's variables on the source too: QualCoder ignores them on named cases, so its users could
                // not filter codings by group otherwise.
                for v in variables[r] ?? [] {
                    xml += "      <VariableValue><VariableRef targetGUID=\"\(StableGUID.make("variable:" + v.name))\"/><TextValue>\(XMLText.escape(v.value))</TextValue></VariableValue>\n"
                }
                xml += "    </TextSource>\n"
            }
            xml += "  </Sources>\n"
        }
        xml += notesXML(project)
        xml += "</Project>\n"
        // Write the zip beside the target and move it into place, so a failed export never leaves half a file.
        do {
            var archive = ZipWriter()
            // The codes' ids by GUID, so a project opened in a fresh session gets trustgap's ids back (QDA clients
            // name codes by their labels and ignore files they do not know).
            let ids = JSONValue.object(project.codebook.codes.map { (REFICodebook.guid(of: $0.id), .string($0.id)) }).encoded()
            for (entry, text) in [("project.qde", xml)] + files + [(Self.idMapEntry, ids)] { try archive.add(entry, Data(text.utf8)) }
            if let failure = SiblingFile.replace(path, with: try archive.finish()) {
                throw ThematicError.file(path: path, line: 0, column: 0, message: "cannot write the project: \(failure)")
            }
        } catch let e as ThematicError {
            throw e
        } catch {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "cannot write the project: \((error as NSError).localizedDescription)")
        }
    }

    /// Code memos and notes on the project as `<Notes>` (code memos are referred to from their codes), and the
    /// project's `<NoteRef>`s, which the schema puts last.
    static func notesXML(_ project: CodingProject) -> String {
        let memos = project.codebook.codes.filter { !$0.memo.isEmpty }
        let general = Array(project.notes.filter { $0.target == .project }.enumerated())
        guard !memos.isEmpty || !general.isEmpty else { return "" }
        func note(_ guid: String, _ name: String, _ text: String) -> String {
            "    <Note guid=\"\(guid)\" name=\"\(XMLText.escape(name))\"><PlainTextContent>\(XMLText.escape(text))</PlainTextContent></Note>\n"
        }
        var xml = "  <Notes>\n"
        xml += memos.map { note(REFICodebook.memoGUID(of: $0.id), "Memo: \($0.name)", $0.memo) }.joined()
        xml += general.map { note(projectNoteGUID($0.offset, $0.element.text), "Note \($0.offset + 1)", $0.element.text) }.joined()
        xml += "  </Notes>\n"
        return xml + general.map { "  <NoteRef targetGUID=\"\(projectNoteGUID($0.offset, $0.element.text))\"/>\n" }.joined()
    }

    static func projectNoteGUID(_ k: Int, _ text: String) -> String { StableGUID.make("note:\(k)|\(text)") }

    /// The archive entry with the codes' ids by GUID.
    static let idMapEntry = "trustgap/code-ids.json"

    static func user(_ name: String) -> String { StableGUID.make("user:" + name) }
    static func source(_ r: String, _ q: String) -> String { StableGUID.make("source:\(r)|\(q)") }

    /// What a `.qdpx` holds, mapped onto the loaded answers.
    public struct Imported {
        public var codebook: Codebook
        public var codings: [Coding]
        public var name: String
        /// What was left out or adjusted, with counts (sources that match no answer, zero-length selections, …):
        /// one imperfection in a project does not stop the rest from coming in.
        public var warnings: [String] = []
        /// Notes on the project and descriptions of answers and spans (code memos come in on the codes).
        public var notes: [ProjectNote] = []
        /// Codes that took the codebook's id: same but for case or a vendor's prefix ("Adoption::Cost" → adoption.cost).
        public var merged: [(name: String, into: String)] = []
    }

    /// Reads a `.qdpx` as NVivo, ATLAS.ti, MAXQDA and QualCoder write it. Each text source is matched to an answer
    /// by its name ("R012 Q35") or, failing that, by its text (line endings and spaces at line ends and starts aside).
    /// Memos come in: a code's notes as its memo, the project's notes, and the descriptions and notes of sources and
    /// selections as `notes`; a note with no answer to belong to (on a case, on a source that is no answer) is named
    /// in `warnings`. What
    /// cannot be placed (a source that is no answer, a zero-length selection, a selection outside its text, a
    /// reference to no code) is left out and counted in `warnings`; a source whose text really differs from its
    /// answer is an error naming the line of project.qde, since its selections would land on other words.
    /// The largest entry read from an archive unless raised (`import project … --max-entry-mb`), and the largest
    /// compression ratio of an entry over 1 MB: a 1 MB .qdpx once expanded to 5.2 GB in memory.
    public static let defaultMaxEntryBytes = 512 << 20
    public static let maxCompressionRatio = 200

    /// Budgets on the work of one import beside the bytes of one entry: XML elements, and characters of XML text
    /// plus text normalised to match sources with answers (`import project … --max-nodes N`, `--max-characters N`).
    /// The entries read count against `maxEntryBytes` in all, every time they are read: 20,000 sources naming one
    /// 1 MiB entry (a 100 KB file) once ran past 120 s.
    public static let defaultMaxNodes = 1_000_000
    public static let defaultMaxCharacters = 64_000_000

    public static func load(path: String, answers: AnswerSet, maxEntryBytes: Int = defaultMaxEntryBytes, knownCodes: [String] = [],
                            maxNodes: Int = defaultMaxNodes, maxCharacters: Int = defaultMaxCharacters) throws -> Imported {
        let archive: ZipReader
        do {
            archive = try ZipReader(path: path)
        } catch ZipReader.Problem.notAZip(let why) {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "not a readable zip (.qdpx) file: \(why)")
        }
        // Entry names are compared without case: NVivo writes Sources/, the specification sources/. Both maps are
        // built in one pass: looking an entry up by walking the directory per source made importing 8,000 answers
        // take 115 s.
        var entriesByPath: [String: ZipReader.Entry] = [:], entriesByLowercase: [String: ZipReader.Entry] = [:]
        for e in archive.entries {
            if entriesByPath[e.path] == nil { entriesByPath[e.path] = e }
            if entriesByLowercase[e.path.lowercased()] == nil { entriesByLowercase[e.path.lowercased()] = e }
        }
        var inflated = 0, normalised = 0
        // The last entry read and the last text normalised, kept: sources that all name one entry cost their
        // budget each time without being unpacked and normalised each time.
        var lastEntry: (path: String, data: Data)?, lastNormalised: (text: String, result: LineEndings.Normalised)?
        func read(_ entryPath: String) throws -> Data? {
            guard let entry = entriesByPath[entryPath] ?? entriesByLowercase[entryPath.lowercased()] else { return nil }
            let where_ = "\(path)!\(entryPath)"
            inflated += Int(clamping: entry.uncompressedSize)
            if inflated > maxEntryBytes {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "the entries read unpack to more than \(maxEntryBytes >> 20) MB in all, the budget per archive (import project … --max-entry-mb N raises it)")
            }
            let declared = entry.uncompressedSize, packed = max(1, entry.compressedSize)
            if declared > UInt64(maxEntryBytes) {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "the entry unpacks to \(declared >> 20) MB, over the budget of \(maxEntryBytes >> 20) MB (import project … --max-entry-mb N raises it)")
            }
            if declared > 1 << 20, declared / packed > UInt64(maxCompressionRatio) {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "the entry is compressed \(declared / packed):1, more than \(maxCompressionRatio):1 (an archive bomb, or not a REFI-QDA project)")
            }
            if let last = lastEntry, last.path == entry.path { return last.data }
            // The sizes in the archive may lie: the reader stops at the declared size.
            do {
                let data = try archive.contents(of: entry, budget: maxEntryBytes)
                lastEntry = (entry.path, data)
                return data
            } catch ZipReader.Problem.tooLarge {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "the entry unpacks to more than its declared size or the budget of \(maxEntryBytes >> 20) MB (import project … --max-entry-mb N raises it)")
            } catch ZipReader.Problem.entry(let why), ZipReader.Problem.notAZip(let why) {
                throw ThematicError.file(path: where_, line: 0, column: 0, message: "cannot unpack the entry: \(why)")
            }
        }
        guard let qde = try read("project.qde") else {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "the archive has no project.qde")
        }
        let qdePath = "\(path)!project.qde"
        let raise = "import project … --max-nodes N or --max-characters N raises it"
        let root = try XMLNode.parse(qde, path: qdePath, budget: .init(nodes: maxNodes, characters: maxCharacters, raise: raise))
        // Each normalisation costs about 24 bytes per character; their total counts against the characters budget.
        func normalise(_ text: String, line: Int) throws -> LineEndings.Normalised {
            normalised += text.utf8.count
            if normalised > maxCharacters {
                throw ThematicError.file(path: qdePath, line: line, column: 0, message: "more than \(maxCharacters) bytes of text compared with the answers, the import's budget (\(raise))")
            }
            if let last = lastNormalised, last.text == text { return last.result }
            let result = LineEndings.normalised(text)
            lastNormalised = (text, result)
            return result
        }
        guard root.name == "Project" else {
            throw ThematicError.file(path: qdePath, line: root.line, column: 0, message: "expected a <Project> root element, found <\(root.name)>")
        }
        var book = Codebook(), guids: [String: String] = [:]
        // Ids come back by GUID: from the session's codebook, else from the map trustgap wrote into the archive.
        var mapped: [String: String] = [:]
        if let data = try read(Self.idMapEntry), let map = (try? JSONSerialization.jsonObject(with: data)) as? [String: String] { mapped = map }
        // Notes by GUID: the memos of codes, sources and selections refer to them; the rest are the project's.
        var noteTexts: [String: String] = [:]
        for n in root.child("Notes")?.all("Note") ?? [] {
            guard let g = n.attributes["guid"]?.uppercased() else { continue }
            var text = n.child("PlainTextContent")?.text
            if text == nil, let p = n.attributes["plainTextPath"] {
                text = try read(p.hasPrefix("internal://") ? "sources/" + p.dropFirst("internal://".count) : p).flatMap { String(data: $0, encoding: .utf8) }
            }
            if let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty { noteTexts[g] = t }
        }
        var referred = Set<String>()
        func noteRefs(_ node: XMLNode) -> [String] {
            node.all("NoteRef").compactMap { $0.attributes["targetGUID"]?.uppercased() }
        }
        func allNoteRefs(_ node: XMLNode) -> [String] { noteRefs(node) + node.children.flatMap(allNoteRefs) }
        var merged: [(name: String, into: String)] = []
        if let cb = root.child("CodeBook") {
            (book, guids) = try REFICodebook.read(cb, path: qdePath, known: knownCodes, mapped: mapped, merged: &merged, notes: noteTexts)
            referred.formUnion(allNoteRefs(cb))
        }
        var notes: [ProjectNote] = []
        var droppedNotes: [String] = []
        func described(_ node: XMLNode) -> [String] {
            let refs = noteRefs(node)
            referred.formUnion(refs)
            let description = node.child("Description")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return [description].filter { !$0.isEmpty } + refs.compactMap { noteTexts[$0] }
        }
        var users: [String: String] = [:]
        for u in root.child("Users")?.all("User") ?? [] { if let g = u.attributes["guid"] { users[g] = u.attributes["name"] ?? g } }
        // The answers by their normalised text, built once and only when a source's name does not name its answer
        // (normalising every answer per source was quadratic).
        var byText: [String: [(String, String)]]?
        func answersByText() throws -> [String: [(String, String)]] {
            if let built = byText { return built }
            var map: [String: [(String, String)]] = [:]
            for (r, qs) in answers.texts { for (q, text) in qs { map[try normalise(text, line: 0).text, default: []].append((r, q)) } }
            byText = map
            return map
        }
        var codings: [Coding] = []
        var unmatched: [String] = [], noText: [String] = [], empty = 0, outside = 0, noCode = 0, reflowed = 0
        for s in root.child("Sources")?.all("TextSource") ?? [] {
            try Interruption.check()
            let name = s.attributes["name"] ?? "?"
            var text = s.child("PlainTextContent")?.text
            if text == nil, let p = s.attributes["plainTextPath"] {
                let file = p.hasPrefix("internal://") ? "sources/" + p.dropFirst("internal://".count) : p
                text = try read(file).flatMap { String(data: $0, encoding: .utf8) }
            }
            guard let body = text else { noText.append(name); continue }
            let parts = name.split(separator: " ").map(String.init)
            var target: (String, String)?
            if parts.count == 2, answers.text(parts[0], parts[1]) != nil { target = (parts[0], parts[1]) }
            if target == nil {
                // By text, line endings and spaces at line ends aside (clients rewrite them).
                let hits = try answersByText()[try normalise(body, line: s.line).text] ?? []
                if hits.count == 1 { target = hits[0] }
            }
            // A document that is no answer (field notes, a memo) is left out and counted.
            guard let (respondent, question) = target, let loaded = answers.text(respondent, question) else {
                unmatched.append(name)
                droppedNotes += described(s).map { _ in "on source \"\(name)\"" }
                droppedNotes += s.all("PlainTextSelection").flatMap(described).map { _ in "on a selection of \"\(name)\"" }
                continue
            }
            notes += described(s).map { ProjectNote(.source(respondent: respondent, question: question), $0) }
            // Positions are the source's; where the client rewrote line endings, they are mapped onto the answer.
            var place: (Int) -> Int? = { $0 }
            if loaded != body {
                let a = try normalise(body, line: s.line), b = try normalise(loaded, line: s.line)
                guard a.text == b.text else {
                    throw ThematicError.file(path: qdePath, line: s.line, column: 0,
                                             message: "the text of source \"\(name)\" differs from \(respondent)'s answer to \(question) in the loaded survey (beyond line endings), so its selections cannot be placed")
                }
                reflowed += 1
                // A boundary before the k-th scalar of the source is a boundary in the shared normalised text, which is
                // before the first scalar of the answer that lands there.
                place = { k in k <= a.position.count ? b.original(k < a.position.count ? a.position[k] : a.starts.count) : nil }
            }
            let length = body.unicodeScalars.count, loadedLength = loaded.unicodeScalars.count
            for sel in s.all("PlainTextSelection") {
                guard let rawStart = sel.attributes["startPosition"].flatMap(Int.init), let rawEnd = sel.attributes["endPosition"].flatMap(Int.init),
                      rawStart >= 0, rawStart <= rawEnd, rawEnd <= length else {
                    outside += 1
                    continue
                }
                // A zero-length selection is an anchor (a MAXQDA memo), not coded text.
                guard rawStart < rawEnd else { empty += 1; continue }
                guard let start = place(rawStart), let end = place(rawEnd), start < end, end <= loadedLength else { outside += 1; continue }
                notes += described(sel).map { ProjectNote(.selection(respondent: respondent, question: question, start: start, end: end), $0) }
                for coding in sel.all("Coding") {
                    guard let ref = coding.child("CodeRef")?.attributes["targetGUID"], let code = guids[ref] else { noCode += 1; continue }
                    let coder = (coding.attributes["creatingUser"] ?? sel.attributes["creatingUser"]).map { users[$0] ?? $0 } ?? "imported"
                    let whole = start == 0 && end == loadedLength
                    codings.append(Coding(respondent: respondent, question: question, code: code, coder: coder,
                                          start: whole ? nil : start, end: whole ? nil : end))
                }
            }
        }
        // Notes on the project: those it refers to, and those nothing refers to (free memos).
        for g in noteRefs(root) where noteTexts[g] != nil { notes.append(ProjectNote(.project, noteTexts[g] ?? "")); referred.insert(g) }
        for n in root.child("Notes")?.all("Note") ?? [] {
            if let g = n.attributes["guid"]?.uppercased(), let t = noteTexts[g], !referred.contains(g) { notes.append(ProjectNote(.project, t)); referred.insert(g) }
        }
        // What trustgap has no place for is named: descriptions and notes of cases.
        for c in root.child("Cases")?.all("Case") ?? [] {
            droppedNotes += described(c).map { _ in "on case \"\(c.attributes["name"] ?? c.attributes["guid"] ?? "?")\"" }
        }
        var warnings: [String] = []
        if !droppedNotes.isEmpty { warnings.append("\(droppedNotes.count) note(s) or description(s) were left out, having no answer to belong to: \(droppedNotes.prefix(5).joined(separator: ", "))\(droppedNotes.count > 5 ? ", …" : "")") }
        if !merged.isEmpty {
            warnings.append("\(merged.count) code(s) merged with the codebook's, differing only in case or a vendor's prefix: " + merged.prefix(5).map { "\"\($0.name)\" → \($0.into)" }.joined(separator: ", ") + (merged.count > 5 ? ", …" : ""))
        }
        func names(_ list: [String]) -> String { list.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (list.count > 5 ? ", …" : "") }
        if !unmatched.isEmpty { warnings.append("\(unmatched.count) source(s) match no answer of the loaded survey and were left out: \(names(unmatched))") }
        if !noText.isEmpty { warnings.append("\(noText.count) source(s) have no text in the project and were left out: \(names(noText))") }
        if reflowed > 0 { warnings.append("\(reflowed) source(s) differ from their answers only in line endings or spaces at line ends; their selections were mapped onto the answers") }
        if empty > 0 { warnings.append("\(empty) zero-length selection(s) (anchors, not coded text) were left out") }
        if outside > 0 { warnings.append("\(outside) selection(s) outside their text were left out") }
        if noCode > 0 { warnings.append("\(noCode) coding(s) refer to no code of the codebook and were left out") }
        return Imported(codebook: book, codings: codings, name: root.attributes["name"] ?? path, warnings: warnings, notes: notes, merged: merged)
    }
}

/// Text as QDA clients may rewrite it: CR LF and lone CR as LF, spaces and tabs at line ends and line starts dropped
/// (QualCoder reads CRLF as LF and adds a space per line). `position[k]` is where the k-th scalar of the original lands in the
/// normalised text (a dropped scalar lands where the next kept one does); `original(n)` is the first scalar of the
/// original that lands at normalised position n.
enum LineEndings {
    struct Normalised {
        let text: String
        let position: [Int]
        let starts: [Int]
        /// Scalars in the original.
        let count: Int
        func original(_ n: Int) -> Int { n < starts.count ? starts[n] : count }
    }

    static func normalised(_ s: String) -> Normalised {
        let scalars = Array(s.unicodeScalars)
        var keep = [Bool](repeating: true, count: scalars.count)
        var out = String.UnicodeScalarView()
        for (k, c) in scalars.enumerated() where c == "\r" && k + 1 < scalars.count && scalars[k + 1] == "\n" { keep[k] = false }
        // Spaces and tabs before a line break (or the end) are dropped.
        var k = scalars.count - 1
        var atLineEnd = true
        while k >= 0 {
            let c = scalars[k]
            if c == "\n" || c == "\r" { atLineEnd = true } else if (c == " " || c == "\t") && atLineEnd { keep[k] = false } else { atLineEnd = false }
            k -= 1
        }
        // And spaces and tabs after a line break: QualCoder writes "First line\n Second line" for an answer's
        // "First line\r\nSecond line" (the same number of code units, so its positions are the answer's).
        var atLineStart = false
        for (k, c) in scalars.enumerated() {
            if c == "\n" || c == "\r" { atLineStart = true } else if (c == " " || c == "\t") && atLineStart { keep[k] = false } else { atLineStart = false }
        }
        var position = [Int](repeating: 0, count: scalars.count), starts: [Int] = []
        var n = 0
        for (k, c) in scalars.enumerated() {
            position[k] = n
            if keep[k] {
                out.append(c == "\r" ? "\n" : c)
                starts.append(k)
                n += 1
            }
        }
        return Normalised(text: String(out), position: position, starts: starts, count: scalars.count)
    }
}
