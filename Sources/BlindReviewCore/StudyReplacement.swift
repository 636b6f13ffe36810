import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What `create --force` may replace, and where the old study goes: never deleted, moved with its default-path
/// key to `.trash/<time>/` beside it.
///
/// A folder is replaced only when, after resolving its real path, it is not `/`, a home folder, the sessions
/// root or the current folder, is a real folder (not a link), and is a study of that very name (its
/// `study.json` parses and names it). When any journal has an event after its header, it is refused unless
/// judgments are explicitly discarded (and even then they go to the trash, not away).
///
///     try StudyReplacement.checkArgument("../x")            // refused: ".." in a study name
///     let trash = try StudyReplacement.moveToTrash(store, keyFile: store.defaultKeyFile, discardJudgments: false)
public enum StudyReplacement {
    /// Refuses study arguments that name something other than one study folder: empty, `.` or `..` parts.
    public static func checkArgument(_ argument: String) throws {
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            throw BlindReviewError(message: "the study name is empty", fix: "give the study a name, e.g. `blindreview create support-v2 ...`")
        }
        let parts = trimmed.split(separator: "/", omittingEmptySubsequences: true)
        // A leading "./" (as in `./pilot`) names a folder here; any other "." part, and every "..", is refused.
        let dots = parts.enumerated().filter { $0.element == "." && !($0.offset == 0 && parts.count > 1) }
        if parts.isEmpty || parts.contains("..") || !dots.isEmpty {
            throw BlindReviewError(message: "the study \"\(argument)\" has a \".\" or \"..\" part", fix: "name the study folder itself, e.g. sessions/NAME or a path without . and ..")
        }
    }

    /// Folders no command may ever replace: `/`, home folders, the sessions root and the current folder.
    static func protectedFolders() -> [String] {
        var paths = ["/", NSHomeDirectory(), FileManager.default.currentDirectoryPath,
                     URL(fileURLWithPath: "sessions").path]
        if let home = ProcessInfo.processInfo.environment["HOME"] { paths.append(home) }
        paths.append(contentsOf: ["/home", "/root", "/Users", "/tmp"])
        return paths.map { realPath($0) }
    }

    /// The path with every symbolic link resolved (the path itself when it does not exist).
    public static func realPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return URL(fileURLWithPath: path).standardizedFileURL.path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Checks that `store.folder` may be replaced, as described above; throws a named refusal otherwise.
    public static func checkReplaceable(_ store: StudyStore, discardJudgments: Bool) throws {
        let path = store.folder.path
        if SafeFile.isSymbolicLink(store.folder) {
            throw BlindReviewError(file: path, message: "this is a symbolic link, not a study folder; --force replaces only a real study folder", fix: "remove the link yourself, or choose another name")
        }
        let real = realPath(path)
        if protectedFolders().contains(real) {
            throw BlindReviewError(file: path, message: "\(real) is a protected folder (/, a home folder, the sessions root or the current folder); --force never replaces it", fix: "name the study folder itself")
        }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: real, isDirectory: &isFolder), isFolder.boolValue else {
            throw BlindReviewError(file: path, message: "this is not a folder; --force replaces only a study folder", fix: "move it away yourself, or choose another name")
        }
        let study: Study
        do {
            // study.json alone: a study whose amendment log is damaged is still a study that can be replaced.
            study = try StudyStore(folder: URL(fileURLWithPath: real)).loadStudyFile().study
        } catch {
            throw BlindReviewError(file: path, message: "this folder is not a blindreview study (no valid study.json); --force replaces only a study", fix: "choose another name, or move the folder away yourself")
        }
        guard study.name == store.name else {
            throw BlindReviewError(file: path, message: "this folder holds study \"\(study.name)\", not \"\(store.name)\"; --force will not replace it", fix: "choose another name")
        }
        guard !discardJudgments else { return }
        let journals = URL(fileURLWithPath: real).appendingPathComponent("journals")
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: journals.path)) ?? []).sorted() where file.contains(".jsonl") {
            let url = journals.appendingPathComponent(file)
            let data = (try? Data(contentsOf: url)) ?? Data()
            let lines = data.split(separator: UInt8(ascii: "\n")).filter { !$0.allSatisfy { $0 == 32 || $0 == 13 } }
            // Opening and leaving a pair is a visit, not a judgment; anything else (or anything unreadable) counts.
            let judgments = lines.dropFirst().filter { line in
                let type = (try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])?["type"] as? String
                return type != "open" && type != "leave"
            }
            if !judgments.isEmpty {
                throw BlindReviewError(
                    file: url.path, message: "this study has judgments (\(judgments.count) change(s) after the header); --force will not replace it",
                    fix: "export or move the study away first, or add --discard-judgments (the old study then goes to .trash/, not away)")
            }
        }
    }

    /// Moves the study folder, and the key when it is at the default key path, to `.trash/<time>/` beside the
    /// study (folder mode 0700, as it may hold a key). Returns the trash folder.
    @discardableResult
    public static func moveToTrash(_ store: StudyStore, keyFile: URL, now: Date = Date()) throws -> URL {
        let parent = store.folder.deletingLastPathComponent()
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        var trash = parent.appendingPathComponent(".trash").appendingPathComponent("\(store.name)-\(formatter.string(from: now))")
        var attempt = 1
        while FileManager.default.fileExists(atPath: trash.path) {
            attempt += 1
            trash = parent.appendingPathComponent(".trash").appendingPathComponent("\(store.name)-\(formatter.string(from: now))-\(attempt)")
        }
        do {
            try FileManager.default.createDirectory(at: trash, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            chmod(trash.deletingLastPathComponent().path, 0o700)
        } catch {
            throw BlindReviewError(file: trash.path, message: "cannot create the trash folder", fix: "check permissions on \(parent.path)")
        }
        if rename(store.folder.path, trash.appendingPathComponent(store.name).path) != 0 {
            throw BlindReviewError(file: store.folder.path, message: "cannot move the old study to \(trash.path): \(SafeFile.reason(errno))", fix: "check permissions")
        }
        let defaultKey = store.defaultKeyFile
        if keyFile.standardizedFileURL.path == defaultKey.path, FileManager.default.fileExists(atPath: defaultKey.path) {
            if rename(defaultKey.path, trash.appendingPathComponent("\(store.name).key.json").path) != 0 {
                throw BlindReviewError(file: defaultKey.path, message: "cannot move the old key to \(trash.path): \(SafeFile.reason(errno))", fix: "check permissions")
            }
            // The key's parts (pairs added by amendments) go with it, named so that they sit beside the moved key.
            let keys = defaultKey.deletingLastPathComponent()
            let prefix = "\(store.name).amendment-"
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: keys.path)) ?? []).sorted() where name.hasPrefix(prefix) && name.hasSuffix(".json") {
                let moved = trash.appendingPathComponent("\(store.name).key.amendment-" + name.dropFirst(prefix.count))
                if rename(keys.appendingPathComponent(name).path, moved.path) != 0 {
                    throw BlindReviewError(file: keys.appendingPathComponent(name).path, message: "cannot move the old key's part to \(trash.path): \(SafeFile.reason(errno))", fix: "check permissions")
                }
            }
            SafeFile.syncDirectory(defaultKey.deletingLastPathComponent())
        }
        SafeFile.syncDirectory(trash)
        SafeFile.syncDirectory(parent)
        return trash
    }
}
