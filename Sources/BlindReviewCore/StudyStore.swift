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

    /// The key a command reads: the `--key PATH` it was given, else ``defaultKeyFile``.
    public func keyFile(_ argument: String?) -> URL {
        argument.map { URL(fileURLWithPath: $0) } ?? defaultKeyFile
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: studyFile.path) }

    /// Fails with "no such study" (naming the folder) unless a study is here: checked first, so that a misspelt
    /// name is not reported as a missing key or journal.
    public func requireStudy() throws {
        guard FileManager.default.fileExists(atPath: studyFile.path) else {
            let exists = FileManager.default.fileExists(atPath: folder.path)
            throw BlindReviewError(
                file: folder.path, message: exists ? "this folder holds no study (no study.json)" : "no such study",
                fix: "check the name (`ls \(folder.deletingLastPathComponent().path)`), or create it with `blindreview create`")
        }
    }

    /// Loads `study.json` and its SHA-256 (the study hash journals carry), with the amendment log applied: the
    /// effective study (see ``AmendmentLog``).
    public func load() throws -> (study: Study, sha256: String) {
        let (study, hash) = try loadStudyFile()
        return (try applyAmendments(to: study, studySHA256: hash), hash)
    }

    /// `study.json` alone, as it was created (for deciding whether a folder is a study at all).
    func loadStudyFile() throws -> (study: Study, sha256: String) {
        try requireStudy()
        let data = try JSONLines.readFile(studyFile.path)
        do {
            // The plain shape blindreview writes is read by hand; anything else by JSONDecoder, as before.
            let study = try StudyFileDecoder.decode(data) ?? JSONDecoder().decode(Study.self, from: data)
            guard study.schemaVersion <= Study.schemaVersion else {
                throw BlindReviewError(
                    file: studyFile.path, message: "study schema \(study.schemaVersion) is newer than this blindreview understands (\(Study.schemaVersion))",
                    fix: "update blindreview")
            }
            guard study.schemaVersion >= 1 else {
                throw BlindReviewError(file: studyFile.path, message: "study schema \(study.schemaVersion) is not a version blindreview wrote", fix: "recreate the study with `blindreview create`; do not edit study.json by hand")
            }
            try StudyStore.validate(study, file: studyFile.path)
            return (study, SHA256Digest.hex(of: data))
        } catch let error as BlindReviewError {
            throw error
        } catch {
            throw BlindReviewError(
                file: studyFile.path, message: "not a valid study file",
                fix: "recreate the study with `blindreview create`; do not edit study.json by hand")
        }
    }

    /// Checks what a hand-edited or damaged `study.json` could get wrong, so that no command traps on it: the
    /// rubric (as `create` checks it), unique pair ids, valid and unique annotator names, and queues that name
    /// only pairs of the study, each once, with two different responses.
    static func validate(_ study: Study, file: String) throws {
        do {
            try RubricLoader.validate(study.rubric, file: file, stored: true)
        } catch let error as BlindReviewError {
            throw BlindReviewError(file: file, message: "the study's rubric is invalid: \(error.message)", fix: "recreate the study with `blindreview create`; do not edit study.json by hand")
        }
        func fail(_ message: String) -> BlindReviewError {
            BlindReviewError(file: file, message: message, fix: "recreate the study with `blindreview create`; do not edit study.json by hand")
        }
        // Each pair id to its position, so that each queue entry costs one lookup (a 100,000-pair study has
        // half a million entries).
        var items = [String: Int](minimumCapacity: study.itemIDs.count)
        for (position, id) in study.itemIDs.enumerated() where items.updateValue(position, forKey: id) != nil {
            throw fail("pair id \"\(VisibleText.line(id))\" appears twice")
        }
        guard study.annotators.count <= InputLimits.maxAnnotators else { throw fail("more than \(InputLimits.maxAnnotators) annotators") }
        var names = Set<String>()
        // Every queue showing a pair must show the same two responses (a queue naming another pair's response
        // would show an empty side).
        var responses = [(String, String)?](repeating: nil, count: study.itemIDs.count)
        // The last plan (by number) that showed each pair: a pair shown twice in one queue is refused.
        var shownBy = [Int](repeating: -1, count: study.itemIDs.count)
        for (planNumber, plan) in study.annotators.enumerated() {
            guard AnnotatorName.isValid(plan.name), names.insert(plan.name).inserted else {
                throw fail("annotator name \"\(VisibleText.line(plan.name))\" is invalid or appears twice")
            }
            guard AnnotatorKind.of(plan.kind) == .human else {
                throw fail("\(plan.name) is listed as a \(plan.kind!.rawValue); judges and adjudicators are never written into study.json")
            }
            for entry in plan.queue {
                guard let position = items[entry.item] else { throw fail("\(plan.name)'s queue names pair \"\(VisibleText.line(entry.item))\", which the study does not have") }
                guard entry.a != entry.b else { throw fail("\(plan.name)'s queue shows the same response on both sides of pair \(VisibleText.line(entry.item))") }
                let pair = entry.a < entry.b ? (entry.a, entry.b) : (entry.b, entry.a)
                if let known = responses[position] {
                    guard known == pair else {
                        throw fail("\(plan.name)'s queue shows pair \(VisibleText.line(entry.item)) with responses other than the other queues show")
                    }
                } else {
                    responses[position] = pair
                }
                // Version 1 studies list a hidden repeat's pair twice (the second marked as a repeat).
                let firstShowing = shownBy[position] != planNumber
                shownBy[position] = planNumber
                guard firstShowing || entry.legacyRepeat == true else {
                    throw fail("\(plan.name)'s queue lists pair \"\(VisibleText.line(entry.item))\" twice")
                }
            }
        }
    }

    /// Loads `items.jsonl` (lines are decoded on demand) and checks it is the one the study recorded; with
    /// amendments, also each `items-<seq>.jsonl` of added pairs against the hash its amendment recorded.
    public func loadItems(for study: Study) throws -> StudyItems {
        let data = try JSONLines.readFile(itemsFile.path)
        guard SHA256Digest.hex(of: data) == study.itemsSHA256 else {
            throw BlindReviewError(
                file: itemsFile.path, message: "this file does not match study.json (its SHA-256 differs from the one recorded)",
                fix: "copy the study folder again; do not edit items.jsonl by hand")
        }
        let added = Set(study.addedItems.flatMap(\.itemIDs))
        var items = try StudyItems(data: data, file: itemsFile.path, ids: study.itemIDs.filter { !added.contains($0) })
        for part in study.addedItems {
            let url = folder.appendingPathComponent(part.file)
            let partData = try JSONLines.readFile(url.path)
            guard SHA256Digest.hex(of: partData) == part.sha256 else {
                throw BlindReviewError(
                    file: url.path, message: "this file does not match amendment \(part.seq) (its SHA-256 differs from the one recorded)",
                    fix: "copy the study folder again; do not edit \(part.file) by hand")
            }
            items = try items.appending(data: partData, file: url.path, ids: part.itemIDs)
        }
        return items
    }

    /// Loads a key and checks it belongs to this study: the study's random `study_id` must be the key's (version
    /// 1 studies recorded the key's SHA-256 instead, which is still checked for them).
    public static func loadKey(at url: URL, for study: Study) throws -> StudyKey {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BlindReviewError(file: url.path, message: "no key file here", fix: "pass the key with --key PATH")
        }
        let data = try JSONLines.readFile(url.path)
        let key: StudyKey
        do {
            key = try JSONDecoder().decode(StudyKey.self, from: data)
        } catch {
            throw BlindReviewError(file: url.path, message: "not a valid key file", fix: "restore the key from backup")
        }
        guard key.schemaVersion <= StudyKey.schemaVersion else {
            throw BlindReviewError(
                file: url.path, message: "key schema \(key.schemaVersion) is newer than this blindreview understands (\(StudyKey.schemaVersion))",
                fix: "update blindreview")
        }
        if let expected = study.studyID {
            guard key.studyID == expected else {
                throw BlindReviewError(
                    file: url.path,
                    message: "this key does not belong to study \"\(study.name)\" (the key is for study id \(key.studyID ?? "none"), the study's id is \(expected))",
                    fix: "pass the key written when this study was created")
            }
        } else if let expected = study.legacyKeySHA256 {
            let hash = SHA256Digest.hex(of: data)
            guard hash == expected else {
                throw BlindReviewError(
                    file: url.path,
                    message: "this key does not belong to study \"\(study.name)\" (its SHA-256 is \(hash.prefix(12))…, the study expects \(expected.prefix(12))…)",
                    fix: "pass the key written when this study was created")
            }
        } else {
            throw BlindReviewError(file: url.path, message: "the study records no study id to check the key against", fix: "copy study.json again")
        }
        return try AmendmentKeyPart.merge(into: key, keyFile: url, study: study)
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
            // items.jsonl and study.json side by side (both are in place before the key); the first failure in
            // that order is reported.
            let files = [(built.itemsData, "items.jsonl"), (built.studyData, "study.json")]
            let written = ResultSlots<Result<Void, Error>>(count: files.count)
            DispatchQueue.concurrentPerform(iterations: files.count) { index in
                written.set(index, Result { try SafeFile.replace(files[index].0, at: staging.appendingPathComponent(files[index].1)) })
            }
            for outcome in written.values { try outcome!.get() }
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
