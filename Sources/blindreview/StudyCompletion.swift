import ArgumentParser
import Foundation

/// Shell completion for a study argument: the names of the studies under `sessions/` in the current folder.
enum StudyCompletion {
    static let kind = CompletionKind.custom { _, _, prefix in
        let root = URL(fileURLWithPath: "sessions")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { name in
            !name.hasPrefix(".") && name.hasPrefix(prefix)
                && FileManager.default.fileExists(atPath: root.appendingPathComponent(name).appendingPathComponent("study.json").path)
        }.sorted()
    }
}
