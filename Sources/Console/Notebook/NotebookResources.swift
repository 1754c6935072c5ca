import Foundation
import Render

/// The files a rendered notebook needs beside it. A Jupyter notebook runs in its own folder (the kernel starts there
/// and is confined to it), so `notebook render --to ipynb` copies what the blocks read into the output's folder at
/// the same relative paths: the folder then runs wherever it is copied, with the notebook's sandbox as it is.
enum NotebookResources {
    /// Words of a command line that name a file or folder existing now under the current folder (relative, not the
    /// folder itself): what the command may read.
    static func existingPaths(in line: String) -> [String] {
        guard let words = try? Tokenizer.split(line) else { return [] }
        return words.dropFirst().filter { word in
            !word.hasPrefix("-") && relativeUnderCurrentFolder(word) != nil && FileManager.default.fileExists(atPath: word)
        }
    }

    /// Files a command reads when the line does not name them (a default), by command: a copy needs them too.
    static let defaults: [String: [String]] = [
        "words": [ReviewCommands.defaultStopWords], "wordcloud": [ReviewCommands.defaultStopWords],
        // The profiles and templates of explain and report RECORD (ExplainCommands: `library ?? "explanations"`).
        "explain": ["explanations"], "report": ["explanations"],
    ]

    /// What a command line reads: the files and folders it names, and the defaults its command reads.
    static func inputs(of line: String) -> [String] {
        let command = line.split(separator: " ").first.map { $0.lowercased() } ?? ""
        return existingPaths(in: line) + (defaults[command] ?? []).filter { FileManager.default.fileExists(atPath: $0) }
    }

    /// `path` relative to the current folder when it lies under it (and is not the folder itself).
    static func relativeUnderCurrentFolder(_ path: String) -> String? {
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).standardizedFileURL.path
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        guard full.hasPrefix(here + "/") else { return nil }
        return String(full.dropFirst(here.count + 1))
    }

    /// Copies each of `paths` (files or folders under the current folder) into the folder of `output` at the same
    /// relative path. Nothing is copied onto itself, and a folder that holds the output is not copied into it.
    static func copy(_ paths: [String], besides output: String) throws {
        let folder = URL(fileURLWithPath: (output as NSString).deletingLastPathComponent.isEmpty ? "." : (output as NSString).deletingLastPathComponent).standardizedFileURL
        let fm = FileManager.default
        var done = Set<String>()
        for path in paths {
            guard let relative = relativeUnderCurrentFolder(path), done.insert(relative).inserted else { continue }
            let source = URL(fileURLWithPath: path).standardizedFileURL
            let target = folder.appendingPathComponent(relative).standardizedFileURL
            guard source.path != target.path, !(folder.path + "/").hasPrefix(source.path + "/"),
                  // A file inside a folder already copied came with it.
                  !done.contains(where: { relative.hasPrefix($0 + "/") }) else { continue }
            do {
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
                try fm.copyItem(at: source, to: target)
            } catch {
                throw ConsoleError.usage(command: "notebook render", message: "cannot copy \(path) beside \(output), which reads it: \(error.localizedDescription)")
            }
        }
    }

    /// For Markdown output: figures that were only shown are written beside the output (`NAME-figure-N.svg`), since
    /// Markdown links its figures.
    static func writingFigures(_ blocks: [Notebook.ExecutedBlock], besides output: String) throws -> [Notebook.ExecutedBlock] {
        let stem = (output as NSString).deletingPathExtension
        var count = 0
        return try blocks.map { block in
            var block = block
            block.figures = try block.figures.map { figure -> (path: String?, svg: String) in
                guard figure.path == nil else { return figure }
                count += 1
                let path = "\(stem)-figure-\(count).svg"
                try FileOutput.write(figure.svg, to: path)
                return ((path as NSString).lastPathComponent, figure.svg)
            }
            return block
        }
    }
}
