import Foundation

/// Where `report --output` and `export --output` may write: never inside a study folder (study.json, items,
/// journals) or the key folder, whatever links the path goes through.
///
///     try OutputLocation.check(URL(fileURLWithPath: "report.html"), keyFile: store.defaultKeyFile)
public enum OutputLocation {
    public static func check(_ output: URL, keyFile: URL) throws {
        let url = output.standardizedFileURL
        let real = resolved(url)
        let keyFolder = resolved(keyFile.standardizedFileURL.deletingLastPathComponent())
        if real.path == resolved(keyFile.standardizedFileURL).path || real.path.hasPrefix(keyFolder.path + "/") {
            throw BlindReviewError(file: output.path, message: "this output path is inside the key folder \(keyFolder.path); --output never writes there", fix: "write the output somewhere else")
        }
        var ancestor = real.deletingLastPathComponent()
        while true {
            if FileManager.default.fileExists(atPath: ancestor.appendingPathComponent("study.json").path) {
                throw BlindReviewError(file: output.path, message: "this output path is inside the study folder \(ancestor.path); --output never writes there", fix: "write the output outside every study folder")
            }
            if ancestor.path == "/" || ancestor.path.isEmpty { break }
            ancestor.deleteLastPathComponent()
        }
    }

    /// The real path: links resolved for the part that exists (the file itself too, when it is a link).
    static func resolved(_ url: URL) -> URL {
        var existing = url
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) && !SafeFile.isSymbolicLink(existing) && existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing.deleteLastPathComponent()
        }
        var result = URL(fileURLWithPath: StudyReplacement.realPath(existing.path))
        for part in rest { result.appendPathComponent(part) }
        return result
    }
}
