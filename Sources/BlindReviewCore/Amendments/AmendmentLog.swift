import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `amendments.jsonl`: the append-only log of changes to a running study. `study.json` is never rewritten (every
/// journal carries its hash); the study everyone works with is `study.json` with this log applied in order (see
/// ``Study/applying(_:file:)``).
///
/// Line 1 is an ``AmendmentHeader`` naming the study; each later line an ``AmendmentEntry`` numbered 1, 2, ...
/// whose `prev` is the SHA-256 of the line before it (its bytes without the newline), so a line edited, removed
/// from the middle, or moved is a named error with the file and line, never a partial study. A last line cut off
/// by a crash while `amend` wrote it (no newline, not a whole entry) is skipped with a warning, as journals do:
/// the amendment was never reported as made, and the next `amend` cuts it off before appending.
///
///     let log = try AmendmentLog.read(store: store, studyID: study.studyID, studySHA256: hash)
///     log.entries.map(\.entry.change.kind)   // ["withdraw", "add-annotator"]
public enum AmendmentLog {
    public static let fileName = "amendments.jsonl"

    /// A log read back and checked.
    public struct Contents: Sendable {
        public var entries: [(entry: AmendmentEntry, line: Int)]
        public var warnings: [BlindReviewWarning]
        /// Byte length of the intact part (a torn last line excluded).
        public var intactLength: Int
        /// SHA-256 of the last intact line: the next entry's `prev`. Nil when there is no header yet.
        public var lastLineHash: String?
        /// True when the intact part ends without a newline (a whole last line whose newline was lost).
        public var needsNewline: Bool

        public static let empty = Contents(entries: [], warnings: [], intactLength: 0, lastLineHash: nil, needsNewline: false)
    }

    public static func file(in store: StudyStore) -> URL { store.folder.appendingPathComponent(fileName) }

    /// Reads and checks the log of a study; a study without one has no amendments.
    public static func read(store: StudyStore, studyID: String?, studySHA256: String) throws -> Contents {
        let url = file(in: store)
        guard FileManager.default.fileExists(atPath: url.path) || SafeFile.isSymbolicLink(url) else { return .empty }
        try SafeFile.refuseSymbolicLink(url, what: "amendment log")
        let data = try JSONLines.readFile(url.path)
        return try parse(data: data, file: url.path, studyID: studyID, studySHA256: studySHA256)
    }

    /// Checks every line: the header, the numbering, the chain of hashes and each change's form.
    public static func parse(data: Data, file: String, studyID: String?, studySHA256: String) throws -> Contents {
        let bytes = [UInt8](data)
        let lines = JSONLines.lineRanges(bytes)
        let decoder = JSONDecoder()
        func fail(_ line: Int, _ message: String, _ fix: String = restoreFix) -> BlindReviewError {
            BlindReviewError(file: file, line: line, message: message, fix: fix)
        }
        func end(_ line: JSONLines.LineRange) -> Int { line.terminated ? min(bytes.count, line.end + 1) : line.end }
        var contents = Contents.empty
        guard let first = lines.first, first.end > first.start else {
            guard bytes.isEmpty else { throw fail(1, "the first line is empty; it must be the log's header") }
            return contents
        }
        guard first.terminated || lines.count > 1 || (try? decoder.decode(AmendmentHeader.self, from: Data(bytes[first.start..<first.end]))) != nil else {
            // Only a header, cut off while the first `amend` wrote it: nothing was amended.
            contents.warnings.append(BlindReviewWarning(file: file, line: 1, message: "the log's header is incomplete (probably a crash while the first amendment was written); no amendment is in force"))
            return contents
        }
        guard let header = try? decoder.decode(AmendmentHeader.self, from: Data(bytes[first.start..<first.end])), header.type == "amendments" else {
            throw fail(first.number, "not a blindreview amendment log (the first line must be its header)")
        }
        guard header.schema <= AmendmentHeader.schemaVersion else {
            throw fail(first.number, "amendment log schema \(header.schema) is newer than this blindreview understands (\(AmendmentHeader.schemaVersion)); it is refused rather than misread", "update blindreview")
        }
        guard header.schema >= 1 else { throw fail(first.number, "amendment log schema \(header.schema) is not a version blindreview wrote") }
        guard header.studySHA256 == studySHA256 else {
            throw fail(first.number, "this log amends another study (study.json hash \(header.studySHA256.prefix(12))…, this study's is \(studySHA256.prefix(12))…)", "copy the study folder again, or remove amendments.jsonl if it came from another study")
        }
        if let expected = studyID, let given = header.studyID, given != expected {
            throw fail(first.number, "this log amends study id \(given), not this study's \(expected)", "copy the study folder again")
        }
        var previous = SHA256Digest.hex(of: Data(bytes[first.start..<first.end]))
        contents.intactLength = end(first)
        let body = lines.dropFirst()
        for line in body {
            let slice = Data(bytes[line.start..<line.end])
            let isLast = line.number == lines.last?.number
            guard line.end > line.start else {
                if isLast && !line.terminated { break }
                throw fail(line.number, "empty line in the amendment log")
            }
            let entry: AmendmentEntry
            do {
                entry = try decoder.decode(AmendmentEntry.self, from: slice)
            } catch {
                if isLast && !line.terminated {
                    contents.warnings.append(BlindReviewWarning(
                        file: file, line: line.number,
                        message: "last line is incomplete (probably a crash while `amend` wrote it); that amendment is not in force, every earlier one is"))
                    break
                }
                if let unknown = AmendmentLog.unknownKind(in: error) {
                    throw fail(line.number, "unknown change \"\(VisibleText.line(unknown))\" (this blindreview knows \(AmendmentChange.kinds.joined(separator: ", ")))", "update blindreview, or restore the log from a copy")
                }
                throw fail(line.number, "not a valid amendment")
            }
            let expected = contents.entries.count + 1
            guard entry.seq == expected else {
                throw fail(line.number, "amendment number \(entry.seq) where \(expected) was expected (a line is missing, repeated or out of order)")
            }
            guard JournalTime.date(entry.t) != nil else {
                throw fail(line.number, "amendment \(entry.seq) has no valid time (\"\(VisibleText.line(String(entry.t.prefix(40))))\")")
            }
            guard entry.prev == previous else {
                throw fail(line.number, "amendment \(entry.seq) does not follow the line before it (its prev hash differs): the log was edited, reordered or cut")
            }
            contents.entries.append((entry, line.number))
            previous = SHA256Digest.hex(of: slice)
            contents.intactLength = end(line)
        }
        contents.lastLineHash = previous
        contents.needsNewline = contents.intactLength > 0 && bytes[contents.intactLength - 1] != UInt8(ascii: "\n")
        return contents
    }

    static let restoreFix = "restore amendments.jsonl from the lead's copy; never edit it by hand"

    static func unknownKind(in error: Error) -> String? {
        if let unknown = error as? AmendmentChange.UnknownKind { return unknown.kind }
        if case DecodingError.dataCorrupted(let context) = error, let unknown = context.underlyingError as? AmendmentChange.UnknownKind { return unknown.kind }
        return nil
    }

    // MARK: - Writing

    /// Runs `body` holding `amendments.lock` (an exclusive `flock` in the study folder), so two `amend` runs never
    /// interleave: each reads the log, decides and appends while the other waits for it or is refused.
    public static func withLock<T>(store: StudyStore, _ body: () throws -> T) throws -> T {
        let url = store.folder.appendingPathComponent("amendments.lock")
        // The lead's alone: annotators read the study folder, and anyone who can open the lock can hold it.
        let fd = try SafeFile.open(url, flags: O_RDWR | O_CREAT, mode: 0o600, what: "amendment lock")
        _ = fchmod(fd, 0o600)  // one made 0644 by an earlier version
        defer { close(fd) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            throw BlindReviewError(
                file: url.path, message: "another `blindreview amend` is changing this study right now",
                fix: "wait for it to finish and run this one again")
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Appends one amendment (numbered, timed and chained here) and fsyncs it; call inside ``withLock(store:_:)``
    /// after reading `contents` under the same lock. A torn last line is cut off first; on a failed write the file
    /// is cut back to where it was, so the log never holds half an entry written by this call.
    @discardableResult
    public static func append(
        _ change: AmendmentChange, reason: String?, to contents: Contents, store: StudyStore, studyID: String?, studySHA256: String,
        now: Date = Date(), io: FileIO = .system
    ) throws -> AmendmentEntry {
        let url = file(in: store)
        let encoder = JSONEncoder.sorted
        var data = Data()
        var previous = contents.lastLineHash
        if previous == nil {
            let header = try encoder.encode(AmendmentHeader(studyID: studyID, studySHA256: studySHA256))
            previous = SHA256Digest.hex(of: header)
            data.append(header)
            data.append(UInt8(ascii: "\n"))
        } else if contents.needsNewline {
            data.append(UInt8(ascii: "\n"))
        }
        let entry = AmendmentEntry(seq: contents.entries.count + 1, t: JournalTime.string(now), prev: previous!, change: change, reason: reason)
        data.append(try encoder.encode(entry))
        data.append(UInt8(ascii: "\n"))
        if contents.lastLineHash == nil {
            // A new log appears whole or not at all; an empty or torn-header file left by a crash goes first.
            if FileManager.default.fileExists(atPath: url.path) { try SafeFile.replace(data, at: url, io: io) } else { try SafeFile.createNew(data, at: url, io: io) }
            return entry
        }
        let fd = try SafeFile.open(url, flags: O_RDWR | O_APPEND, what: "amendment log")
        defer { close(fd) }
        var info = stat()
        let before = fstat(fd, &info) == 0 ? Int(info.st_size) : 0
        if before > contents.intactLength { ftruncate(fd, off_t(contents.intactLength)) }
        var failure = SafeFile.writeAll(data, to: fd, io: io)
        if failure == 0 { failure = io.fsync(fd) }
        if failure != 0 {
            ftruncate(fd, off_t(contents.intactLength))
            _ = io.fsync(fd)
            throw BlindReviewError(file: url.path, message: "cannot write the amendment: \(SafeFile.reason(failure)); nothing was changed", fix: "free disk space and run the command again")
        }
        return entry
    }
}
