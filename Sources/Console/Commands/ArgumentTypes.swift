import ArgumentParser
import Survey

// The survey's own enums as typed options: `load survey … --format qualtrics` is parsed into `SurveyFormat`, and a
// value that is none of its cases is a usage error that lists them.
extension SurveyFormat: ExpressibleByArgument {}
extension SurveyEncoding: ExpressibleByArgument {
    /// Also as other tools spell them: utf8, UTF16, cp1252.
    public init?(argument: String) {
        let name = argument.lowercased().replacingOccurrences(of: "cp1252", with: "windows-1252")
            .replacingOccurrences(of: "utf8", with: "utf-8").replacingOccurrences(of: "utf16", with: "utf-16")
        self.init(rawValue: name)
    }
}
extension BlankMultiAnswer: ExpressibleByArgument {}
