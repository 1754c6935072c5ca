import Foundation
import Statistics

/// The codebook in REFI-QDA 1.5: `.qdc` files (`<CodeBook xmlns="urn:QDA-XML:codebook:1.0">`) and the `<CodeBook>`
/// of a project. Themes are written as `isCodable="false"` parents. Strict on export, lenient on import: unknown
/// elements are ignored, `#RGB` colours widened, a missing colour defaulted.
public enum REFICodebook {
    /// `.qdc` document text.
    public static func document(_ book: Codebook) -> String {
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<CodeBook xmlns=\"urn:QDA-XML:codebook:1.0\" origin=\"trustgap\">\n"
            + codes(book, indent: "  ") + "</CodeBook>\n"
    }

    public static func guid(of code: String) -> String { StableGUID.make("code:" + code) }

    /// The GUID of the `<Note>` holding a code's memo in a project.
    static func memoGUID(of code: String) -> String { StableGUID.make("memo:" + code) }

    /// The `<Codes>` element.
    /// `memosAsNotes`: in a project a code's memo is a `<Note>` it refers to (`<NoteRef>`, see `memoGUID`), as
    /// NVivo, ATLAS.ti, MAXQDA and QualCoder keep memos; a `.qdc` has no notes, so there it is a "Memo: " line of
    /// the description.
    static func codes(_ book: Codebook, indent: String, memosAsNotes: Bool = false) -> String {
        func write(_ parent: String?, _ pad: String) -> String {
            book.children(of: parent).map { c in
                // Named by the label QDA users read; the id lives in the GUID (a v5 UUID of it), which a later import
                // into a session that has the codebook maps back.
                let memo = memosAsNotes ? [] : c.memo.components(separatedBy: "\n").filter { !$0.isEmpty }.map { "Memo: \($0)" }
                let description = ([c.definition, c.include.isEmpty ? "" : "Include: \(c.include)", c.exclude.isEmpty ? "" : "Exclude: \(c.exclude)",
                                    c.example.isEmpty ? "" : "Example: \(c.example)"] + memo).filter { !$0.isEmpty }.joined(separator: "\n")
                let inner = (description.isEmpty ? "" : "\(pad)  <Description>\(XMLText.escape(description))</Description>\n")
                    + (memosAsNotes && !c.memo.isEmpty ? "\(pad)  <NoteRef targetGUID=\"\(memoGUID(of: c.id))\"/>\n" : "")
                    + write(c.id, pad + "  ")
                let open = "\(pad)<Code guid=\"\(guid(of: c.id))\" name=\"\(XMLText.escape(c.name))\" isCodable=\"\(c.codable)\" color=\"\(XMLText.escape(c.colour))\""
                return inner.isEmpty ? open + "/>\n" : open + ">\n" + inner + "\(pad)</Code>\n"
            }.joined()
        }
        return "\(indent)<Codes>\n" + write(nil, indent + "  ") + "\(indent)</Codes>\n"
    }

    /// Reads a `.qdc` file.
    public static func load(path: String, known: [String] = []) throws -> (codebook: Codebook, guids: [String: String]) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThematicError.file(path: path, line: 0, column: 0, message: "cannot read the file")
        }
        let root = try XMLNode.parse(data, path: path)
        guard root.name == "CodeBook" else {
            throw ThematicError.file(path: path, line: root.line, column: 0, message: "expected a <CodeBook> root element, found <\(root.name)>")
        }
        return try read(root, path: path, known: known)
    }

    /// Codes from a `<CodeBook>` element: ids from names (a name already dotted under its parent's id is kept as
    /// written, so our own exports come back unchanged; others become parent.slug).
    /// `known`: the ids of the codebook already in the session; a code whose GUID is the v5 UUID of one of them gets
    /// that id back, whatever its name became (a round trip through NVivo or QualCoder keeps the ids).
    /// `mapped`: ids by GUID as trustgap wrote them beside a project, used when the session does not know the code.
    static func read(_ codeBook: XMLNode, path: String, known: [String] = [], mapped: [String: String] = [:]) throws -> (codebook: Codebook, guids: [String: String]) {
        var merged: [(name: String, into: String)] = []
        return try read(codeBook, path: path, known: known, mapped: mapped, merged: &merged)
    }

    /// As `read`, noting in `merged` each code that took a known id because its name differs from it only in case,
    /// in a vendor's folder prefix or in the separator of its hierarchy ("Adoption::Cost_effectiveness" is the
    /// codebook's adoption.cost_effectiveness): such a code is the codebook's, never a second one beside it.
    static func read(_ codeBook: XMLNode, path: String, known: [String], mapped: [String: String], merged: inout [(name: String, into: String)],
                     notes: [String: String] = [:]) throws -> (codebook: Codebook, guids: [String: String]) {
        let knownByGUID = Dictionary(known.map { (guid(of: $0), $0) }, uniquingKeysWith: { a, _ in a })
        let knownByFold = Dictionary(known.map { (folded($0), $0) }, uniquingKeysWith: { a, _ in a })
        guard let codesNode = codeBook.child("Codes") else {
            throw ThematicError.file(path: path, line: codeBook.line, column: 0, message: "<CodeBook> has no <Codes>")
        }
        var book = Codebook()
        var guids: [String: String] = [:]
        // The next suffix to try per id: trying _2, _3, … from the start for every repeated name made a codebook of
        // 3,000 codes of one name (89 KB) take 111 s.
        var nextSuffix: [String: Int] = [:]
        func walk(_ node: XMLNode, parent: String?) throws {
            for c in node.all("Code") {
                try Interruption.check()
                guard let guid = c.attributes["guid"], let name = c.attributes["name"], !name.isEmpty else {
                    throw ThematicError.file(path: path, line: c.line, column: 0, message: "<Code> needs guid and name attributes")
                }
                // A name that is already an id in our scheme (a token, dotted under its parent's id) is kept, so
                // our own exports come back unchanged; any other name becomes parent.slug.
                let isToken = isDottedToken(name)
                let fits = parent.map { name.hasPrefix($0 + ".") } ?? !name.contains(".")
                // A mapped id is trusted only when it is an id our codebook accepts under this parent.
                let fromMap = mapped[guid.uppercased()].flatMap { m -> String? in
                    let ok = isDottedToken(m) && (parent.map { m.hasPrefix($0 + ".") } ?? !m.contains("."))
                    return ok ? m : nil
                }
                let written = isToken && fits ? name : (parent.map { $0 + "." } ?? "") + slug(name)
                var id = knownByGUID[guid.uppercased()] ?? fromMap ?? written
                if knownByGUID[guid.uppercased()] == nil, fromMap == nil,
                   let same = knownByFold[folded(name)] ?? knownByFold[folded(written)] ?? parent.flatMap({ knownByFold[folded($0 + "." + name)] }) {
                    id = same
                    if written != same { merged.append((name, same)) }
                    // The codebook's code already came in under this id: the name is the same code.
                    if book.code(same) != nil {
                        guids[guid] = same
                        try walk(c, parent: same)
                        continue
                    }
                }
                var unique = id, k = nextSuffix[id] ?? 2
                while book.code(unique) != nil { unique = "\(id)_\(k)"; k += 1 }
                nextSuffix[id] = k
                let codable = (c.attributes["isCodable"] ?? "true").lowercased() != "false"
                var colour = c.attributes["color"] ?? "#888888"
                if colour.count == 4, colour.hasPrefix("#") { colour = "#" + colour.dropFirst().map { "\($0)\($0)" }.joined() }
                if !Codebook.isColour(colour) { colour = "#888888" }
                let description = c.child("Description")?.text.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
                var code = Code(id: unique, name: name, definition: description, colour: colour.uppercased(), parent: parent, codable: codable)
                // Our own exports carry include/exclude/example as labelled lines of the description.
                var lines: [String] = []
                for line in description.components(separatedBy: "\n") {
                    if line.hasPrefix("Name: ") { code.name = String(line.dropFirst(6)) }
                    else if line.hasPrefix("Include: ") { code.include = String(line.dropFirst(9)) }
                    else if line.hasPrefix("Exclude: ") { code.exclude = String(line.dropFirst(9)) }
                    else if line.hasPrefix("Example: ") { code.example = String(line.dropFirst(9)) }
                    else { lines.append(line) }
                }
                code.definition = lines.joined(separator: "\n")
                // Memos: our own .qdc carries them as "Memo: " lines; a project as notes the code refers to.
                let memoLines = code.definition.components(separatedBy: "\n").filter { $0.hasPrefix("Memo: ") }
                if !memoLines.isEmpty {
                    code.memo = memoLines.map { String($0.dropFirst(6)) }.joined(separator: "\n")
                    code.definition = code.definition.components(separatedBy: "\n").filter { !$0.hasPrefix("Memo: ") }.joined(separator: "\n")
                }
                let referred = c.all("NoteRef").compactMap { $0.attributes["targetGUID"].flatMap { notes[$0.uppercased()] } }
                if !referred.isEmpty { code.memo = ([code.memo].filter { !$0.isEmpty } + referred).joined(separator: "\n") }
                try book.add(code)
                guids[guid] = unique
                try walk(c, parent: unique)
            }
        }
        try walk(codesNode, parent: nil)
        return (book, guids)
    }

    /// Whether `s` is an id in trustgap's scheme: ASCII letters, digits and _ in parts joined by single dots
    /// (`^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$`, checked by hand: compiling that expression for every code was an eighth
    /// of importing 60,000 codes).
    static func isDottedToken(_ s: String) -> Bool {
        var previousWasPart = false
        for b in s.utf8 {
            if b == UInt8(ascii: ".") {
                guard previousWasPart else { return false }
                previousWasPart = false
            } else if (48...57).contains(b) || (65...90).contains(b) || (97...122).contains(b) || b == UInt8(ascii: "_") {
                previousWasPart = true
            } else {
                return false
            }
        }
        return previousWasPart
    }

    /// A code's name or id as compared across tools: without a vendor's folder prefix (NVivo's "Codes\\" or
    /// "Nodes\\", MAXQDA's "Code System\\"), with "::", "\\", "/" and " > " read as the hierarchy's ".", without case,
    /// and with spaces and punctuation between words read as the ids' "_".
    static func folded(_ name: String) -> String {
        var s = name.trimmingCharacters(in: .whitespaces)
        for prefix in ["codes\\", "nodes\\", "code system\\", "codesystem\\", "codes/", "nodes/", "code system/"] where s.lowercased().hasPrefix(prefix) {
            s = String(s.dropFirst(prefix.count))
            break
        }
        for separator in ["::", "\\", "/", " > "] { s = s.replacingOccurrences(of: separator, with: ".") }
        // Words joined as the ids join them: "cost effectiveness" is cost_effectiveness.
        var out = "", gap = false
        for c in s.lowercased().unicodeScalars {
            if c == "." || CharacterSet.alphanumerics.contains(c) {
                if gap && !out.isEmpty && c != "." && out.last != "." { out += "_" }
                out.unicodeScalars.append(c)
                gap = false
            } else {
                gap = true
            }
        }
        return out
    }

    static func slug(_ name: String) -> String {
        let lowered = name.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "_" }.joined()
        let collapsed = lowered.split(separator: "_").joined(separator: "_")
        return collapsed.isEmpty ? "code" : collapsed
    }
}
