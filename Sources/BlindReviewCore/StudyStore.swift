import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a study lives on disk, and reading and writing it.
///
///     sessions/
///       demo/                    the study folder: copy it to annotators
///         study.json             the blinded study: rubric, queues (no model names)
///         items.jsonl            the pairs' text, one pair per line
///         journals/alice.jsonl   alice's append-only journal
///         journals/alice.lock    held while alice's session runs
///       .keys/demo.json          the key (folder 0700, file 0600)
///
/// A bare name (`demo`) means `sessions/demo`; anything with a `/` is a path.
public struct StudyStore: Sendable {
    public var folder: URL

    public init(folder: URL) {
        self.folder = folder.standardizedFileURL
    }

    /// Resolves a study argument: a bare name is a folder under `sessions/` in the current directory.
    public static func resolve(_ argument: String, sessionsRoot: String = "sessions") -> StudyStore {
        if argument.contains("/") || argument == "." || argument == ".." {
            return StudyStore(folder: URL(fileURLWithPath: argument))
        }
        return StudyStore(folder: URL(fileURLWithPath: sessionsRoot).appendingPathComponent(argument))
    }

    public var name: String { folder.lastPathComponent }
    public var studyFile: URL { folder.appendingPathComponent("study.json") }
    public var itemsFile: URL { folder.appendingPathComponent("items.jsonl") }
    public var journalsFolder: URL { folder.appendingPathComponent("journals") }

    public func journalFile(for annotator: String) -> URL {
        journalsFolder.appendingPathComponent("\(annotator).jsonl")
    }

    public func lockFile(for annotator: String) -> URL {
        journalsFolder.appendingPathComponent("\(annotator).lock")
    }

    /// The default key location: `.keys/<study>.json` beside the study folder, outside what annotators get.
    public var defaultKeyFile: URL {
        folder.deletingLastPathComponent().appendingPathComponent(".keys").appendingPathComponent("\(name).json")
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: studyFile.path) }

    /// Loads `study.json` and its SHA-256 (the study hash journals carry).
    public func load() throws -> (study: Study, sha256: String) {
        guard FileManager.default.fileExists(atPath: folder.path) else {
            throw BlindReviewError(
                file: folder.path, message: "no such study folder",
                fix: "check the name, or create it with `blindreview create`")
        }
        let data = try JSONLines.readFile(studyFile.path)
        do {
            let study = try JSONDecoder().decode(Study.self, from: data)
            guard study.schemaVersion <= Study.schemaVersion else {
                throw BlindReviewError(
                    file: studyFile.path, message: "study schema \(study.schemaVersion) is newer than this blindreview understands",
                    fix: "update blindreview")
            }
            return (study, SHA256Digest.hex(of: data))
        } catch let error as BlindReviewError {
            throw error
        } catch {
            throw BlindReviewError(
                file: studyFile.path, message: "not a valid study file",
                fix: "recreate the study with `blindreview create`; do not edit study.json by hand")
        }
    }

    /// Loads `items.jsonl` (lines are decoded on demand) and checks it is the one the study recorded.
    public func loadItems(for study: Study) throws -> StudyItems {
        let data = try JSONLines.readFile(itemsFile.path)
        guard SHA256Digest.hex(of: data) == study.itemsSHA256 else {
            throw BlindReviewError(
                file: itemsFile.path, message: "this file does not match study.json (its SHA-256 differs from the one recorded)",
                fix: "copy the study folder again; do not edit items.jsonl by hand")
        }
        return try StudyItems(data: data, file: itemsFile.path, ids: study.itemIDs)
    }

    /// Loads a key and checks it belongs to this study (its SHA-256 must be the one the study recorded).
    public static func loadKey(at url: URL, for study: Study) throws -> StudyKey {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BlindReviewError(file: url.path, message: "no key file here", fix: "pass the key with --key PATH")
        }
        let data = try JSONLines.readFile(url.path)
        let hash = SHA256Digest.hex(of: data)
        guard hash == study.keySHA256 else {
            throw BlindReviewError(
                file: url.path,
                message: "this key does not belong to study \"\(study.name)\" (its SHA-256 is \(hash.prefix(12))…, the study expects \(study.keySHA256.prefix(12))…)",
                fix: "pass the key written when this study was created")
        }
        do {
            return try JSONDecoder().decode(StudyKey.self, from: data)
        } catch {
            throw BlindReviewError(file: url.path, message: "not a valid key file", fix: "restore the key from backup")
        }
    }

    /// Writes a new study folder and its key. The folder is built under a temporary name and renamed into place,
    /// so a failure leaves nothing half-written. An existing folder is replaced only with `force`, only when it is
    /// a study of this name, never when any journal has events unless `discardJudgments`, and never by deleting:
    /// the old study (and its key at the default path) moves to `.trash/` (see ``StudyReplacement``). A key is
    /// never overwritten (see ``KeyLocation``). Returns the trash folder the old study went to, if any.
    @discardableResult
    public func create(_ built: BuiltStudy, keyFile: URL, force: Bool, discardJudgments: Bool = false) throws -> URL? {
        let fm = FileManager.default
        let parent = folder.deletingLastPathComponent()
        let replacing = fm.fileExists(atPath: folder.path) || SafeFile.isSymbolicLink(folder)
        if replacing {
            guard force else {
                throw BlindReviewError(
                    file: folder.path, message: "a study folder already exists here",
                    fix: "choose another name, or pass --force to replace it")
            }
            try StudyReplacement.checkReplaceable(self, discardJudgments: discardJudgments)
        }
        // The old key at the default path goes to the trash with its study; any other existing key is refused.
        let keyGoesToTrash = replacing && keyFile.standardizedFileURL.path == defaultKeyFile.path
        if !(keyGoesToTrash && fm.fileExists(atPath: keyFile.path)) { try KeyLocation.check(keyFile) }
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw BlindReviewError(file: parent.path, message: "cannot create the folder", fix: "check permissions")
        }
        var generator = SystemRandomNumberGenerator()
        let staging = parent.appendingPathComponent(".\(name).creating-\(String(generator.next(), radix: 16))")
        do {
            try fm.createDirectory(at: staging.appendingPathComponent("journals"), withIntermediateDirectories: true)
            try SafeFile.replace(built.itemsData, at: staging.appendingPathComponent("items.jsonl"))
            try SafeFile.replace(built.studyData, at: staging.appendingPathComponent("study.json"))
            var trash: URL?
            if replacing { trash = try StudyReplacement.moveToTrash(self, keyFile: keyFile) }
            // The key before the study: a study without its key could never be unblinded.
            try StudyStore.writeKey(built.keyData, to: keyFile)
            try fm.moveItem(at: staging, to: folder)
            SafeFile.syncDirectory(parent)
            return trash
        } catch let error as BlindReviewError {
            try? fm.removeItem(at: staging)
            throw error
        } catch {
            try? fm.removeItem(at: staging)
            throw BlindReviewError(file: folder.path, message: "cannot write the study: \(error.localizedDescription)", fix: "check permissions and disk space")
        }
    }

    /// Writes a new key with mode 0600 in a folder of mode 0700 owned by the user; never over an existing file.
    static func writeKey(_ data: Data, to url: URL) throws {
        try KeyLocation.write(data, to: url)
    }
}
