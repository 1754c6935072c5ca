/// File names made from data (stored paths, question ids): what is written under them cannot leave its folder.
enum FileNames {
    /// The last component of a stored path, reduced to letters, digits, '.', '-' and '_' (other characters become
    /// '_'), never empty, "." or "..", and at most 120 bytes: a stored name cannot climb out of the folder.
    static func safe(_ stored: String) -> String {
        let last = stored.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var name = String(last.unicodeScalars.map { s -> Character in
            (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "." || s == "-" || s == "_") && s.isASCII ? Character(s) : "_"
        }.prefix(120))
        while name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name.isEmpty ? "file" : name
    }
}
