import Foundation
import PackagePlugin

/// Compiles the program's own files into the `BundledLibrary` module, so an installed `trustgap` finds its explanation
/// profiles and templates, stop-word lists, bundled questionnaires and TEHAI frame wherever it is run from: the
/// repository's `explanations/` and `questionnaires/` folders (every file under them), and Debian's English
/// hyphenation patterns when they are installed at build time (`hyphen-en-us`; without them the program reads
/// them from `/usr/share/hyphen` at run time).
@main
struct EmbedLibrary: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        let root = context.package.directoryURL
        var inputs: [URL] = []
        var arguments: [String] = []
        for folder in ["explanations", "questionnaires"] {
            let base = root.appending(path: folder)
            guard let walk = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walk {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                      !url.lastPathComponent.hasPrefix(".") else { continue }
                let relative = folder + "/" + url.path.dropFirst(base.path.count).drop(while: { $0 == "/" })
                inputs.append(url)
                arguments += [relative, url.path]
            }
        }
        // The version every output names (`trustgap --version`, JSON, reports).
        let version = root.appending(path: "VERSION")
        inputs.append(version)
        arguments += ["VERSION", version.path]
        let hyphenation = URL(fileURLWithPath: "/usr/share/hyphen/hyph_en_US.dic")
        if FileManager.default.isReadableFile(atPath: hyphenation.path) {
            inputs.append(hyphenation)
            arguments += ["hyphenation/hyph_en_US.dic", hyphenation.path]
        }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [.buildCommand(displayName: "Embedding \(inputs.count) library files", executable: try context.tool(named: "EmbedFiles").url,
                              arguments: [output.path] + arguments, inputFiles: inputs, outputFiles: [output])]
    }
}
