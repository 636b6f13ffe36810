import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Appends events to one annotator's journal. `append` returns only after the line is written and fsynced, so
/// whatever the UI shows as saved survives a crash or power loss.
///
///     let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice")
///     try writer.append(.preference(slot: 0, item: "q1", option: "a"))
public final class JournalWriter {
    public let url: URL
    public private(set) var state: JournalState
    public private(set) var warnings: [BlindReviewWarning]
    private let fd: Int32
    private let encoder: JSONEncoder
    private let now: () -> Date

    /// Opens (creating with a header if needed) the journal of `annotator`, folding what is already there. A torn
    /// last line is cut off before anything is appended.
    public static func open(
        store: StudyStore, study: Study, studySHA256: String, annotator: String, now: @escaping () -> Date = Date.init
    ) throws -> JournalWriter {
        try AnnotatorName.validate(annotator)
        let url = store.journalFile(for: annotator)
        let fm = FileManager.default
        try? fm.createDirectory(at: store.journalsFolder, withIntermediateDirectories: true)
        var state = JournalState(slotCount: study.plan(for: annotator)?.queue.count ?? 0)
        var warnings: [BlindReviewWarning] = []
        // A file with no complete line holds no judgment (at most a header cut off by a crash): start it anew.
        let existing = fm.fileExists(atPath: url.path) ? (try? Data(contentsOf: url)) ?? Data() : Data()
        let exists = existing.contains(UInt8(ascii: "\n"))
        if !exists && !existing.isEmpty { truncate(url.path, 0) }
        var truncateTo: Int?
        if exists {
            let loaded = try JournalLoader.load(url, study: study, studySHA256: studySHA256, annotator: annotator)
            state = loaded.state
            warnings = loaded.warnings
            truncateTo = loaded.intactLength
        } else {
            guard study.plan(for: annotator) != nil else {
                throw BlindReviewError(
                    message: "annotator \"\(annotator)\" is not in study \"\(study.name)\"",
                    fix: "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
            }
        }
        let fd = Glibc.open(url.path, O_WRONLY | O_CREAT | O_APPEND, JournalPermissions.fileMode(in: store.journalsFolder))
        guard fd >= 0 else {
            throw BlindReviewError(file: url.path, message: "cannot open the journal: \(String(cString: strerror(errno)))", fix: "check permissions")
        }
        let writer = JournalWriter(url: url, fd: fd, state: state, warnings: warnings, now: now)
        if let truncateTo {
            let size = Int(lseek(fd, 0, SEEK_END))
            if truncateTo < size {
                ftruncate(fd, off_t(truncateTo))
            }
            if truncateTo > 0 {
                // A last line kept without its newline gets one, so the next event starts on its own line.
                let check = Glibc.open(url.path, O_RDONLY)
                var last: UInt8 = 0
                if check >= 0 {
                    pread(check, &last, 1, off_t(truncateTo - 1))
                    close(check)
                }
                if last != UInt8(ascii: "\n") { try writer.writeLine(Data()) }
            }
        } else {
            let header = JournalHeader(study: study.name, studySHA256: studySHA256, annotator: annotator, created: JournalTime.string(now()))
            try writer.writeLine(CanonicalJSON.encode(header))
            AtomicFile.syncDirectory(store.journalsFolder)
        }
        return writer
    }

    private init(url: URL, fd: Int32, state: JournalState, warnings: [BlindReviewWarning], now: @escaping () -> Date) {
        self.url = url
        self.fd = fd
        self.state = state
        self.warnings = warnings
        self.now = now
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { close(fd) }

    /// Numbers, timestamps, writes and fsyncs the event, then folds it into ``state``. Returns the stored event.
    @discardableResult
    public func append(_ event: JournalEvent) throws -> JournalEvent {
        var event = event
        event.seq = state.lastSeq + 1
        event.t = JournalTime.string(now())
        var next = state
        try next.apply(event)
        let data: Data
        do { data = try encoder.encode(event) } catch {
            throw BlindReviewError(file: url.path, message: "cannot encode the event: \(error)")
        }
        try writeLine(data)
        state = next
        return event
    }

    /// Appends many events with one fsync at the end (for `import`); all or, on a write error, a prefix.
    public func append(contentsOf events: [JournalEvent]) throws {
        var next = state
        var data = Data()
        for var event in events {
            event.seq = next.lastSeq + 1
            event.t = JournalTime.string(now())
            try next.apply(event)
            data.append(try encoder.encode(event))
            data.append(UInt8(ascii: "\n"))
        }
        guard !data.isEmpty else { return }
        var failure = AtomicFile.writeAll(data, to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if failure != 0 {
            throw BlindReviewError(file: url.path, message: "could not save: \(String(cString: strerror(failure)))", fix: "free disk space and import again")
        }
        state = next
    }

    /// Undoes the latest change still in force; returns the event written, or nil when there is nothing to undo.
    @discardableResult
    public func undo() throws -> JournalEvent? {
        guard let target = state.undoable.last else { return nil }
        return try append(JournalEvent(type: .undo, target: target))
    }

    private func writeLine(_ data: Data) throws {
        var line = data
        line.append(UInt8(ascii: "\n"))
        var failure = AtomicFile.writeAll(line, to: fd)
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if failure != 0 {
            throw BlindReviewError(
                file: url.path, message: "could not save: \(String(cString: strerror(failure)))",
                fix: "free disk space; nothing after the last saved change was lost")
        }
    }
}
