import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a key may be written. A key is written once and never overwritten or deleted by any command; its
/// folder must belong to the user and be closed to everyone else (mode 0700), like OpenSSH's `StrictModes`;
/// and its real path (links resolved) must not lie inside any study folder, which annotators get.
///
///     try KeyLocation.write(keyData, to: URL(fileURLWithPath: "sessions/.keys/demo.json"))
public enum KeyLocation {
    /// Checks everything ``write(_:to:)`` would refuse, without writing: the folder (when it exists), a file
    /// already at the path, and a path into a study folder.
    public static func check(_ url: URL) throws {
        let folder = url.deletingLastPathComponent()
        var ancestor = URL(fileURLWithPath: StudyReplacement.realPath(deepestExisting(folder).path))
        while true {
            if FileManager.default.fileExists(atPath: ancestor.appendingPathComponent("study.json").path) {
                throw BlindReviewError(
                    file: url.path, message: "this key path resolves into the study folder \(ancestor.path), which annotators get",
                    fix: "put the key outside every study folder (the default is sessions/.keys/)")
            }
            if ancestor.path == "/" { break }
            ancestor.deleteLastPathComponent()
        }
        if FileManager.default.fileExists(atPath: folder.path) {
            try checkFolder(folder)
        }
        var info = stat()
        if lstat(url.path, &info) == 0 {
            throw BlindReviewError(file: url.path, message: "a file is already at this key path; keys are never overwritten", fix: "choose another --key path (or move the old key away yourself)")
        }
    }

    /// Refuses a key folder that is not owned by the user or that others can enter, naming owner and mode.
    public static func checkFolder(_ folder: URL) throws {
        var info = stat()
        guard stat(folder.path, &info) == 0 else {
            throw BlindReviewError(file: folder.path, message: "cannot read the key folder: \(SafeFile.reason(errno))", fix: "check the path")
        }
        let mode = info.st_mode & 0o777
        if info.st_uid != getuid() || mode & 0o077 != 0 {
            let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(info.st_uid)"
            let me = getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(getuid())"
            throw BlindReviewError(
                file: folder.path,
                message: "the key folder is owned by \(owner) with mode \(String(mode, radix: 8)); a key needs a folder owned by \(me) with mode 700",
                fix: info.st_uid == getuid() ? "chmod 700 \(folder.path)" : "choose a --key path in a folder of your own with mode 700")
        }
    }

    /// Writes a new key (mode 0600) after ``check(_:)``, creating its folder with mode 0700 when missing.
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: folder.path) {
            do {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw BlindReviewError(file: folder.path, message: "cannot create the key folder", fix: "check permissions or pass --key PATH")
            }
        }
        try check(url)
        try SafeFile.createNew(data, at: url, mode: 0o600)
    }

    static func deepestExisting(_ url: URL) -> URL {
        var current = url.standardizedFileURL
        while !FileManager.default.fileExists(atPath: current.path), current.path != "/" { current.deleteLastPathComponent() }
        return current
    }
}
