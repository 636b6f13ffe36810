import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Appends events to one annotator's journal. `append` returns only after the line is written and fsynced, so
/// whatever the UI shows as saved survives a crash or power loss.
///
/// Every append records the file's length first; if the write or the fsync fails (a full disk, a quota, a
/// file-size limit, an I/O error) the file is cut back to that length and fsynced, so a failed change leaves no
/// torn line and a later append (when space returns) lands on a clean end. Before and after each append the
/// open file is compared with the one at the path (device and inode): when the journal was replaced (an rsync,
/// an editor saving), the writer stops writing to the old file, keeps its content as
/// `NAME.jsonl.orphan-<time>`, loads the new file, merges into it the changes it lacks (``JournalMerge``) and
/// says so in ``takeNotice()``. It never writes to an unlinked file.
///
///     let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "alice")
///     try writer.append(.preference(slot: 0, item: "q1", option: "a"))
public final class JournalWriter {
    public let url: URL
    /// The journal folded. Events appended in a batch are folded when the state is first read after it (an
    /// import appends hundreds of thousands and never reads it again).
    public var state: JournalState {
        foldPending()
        return folded
    }
    public private(set) var warnings: [BlindReviewWarning]
    private var fd: Int32
    private var folded: JournalState
    /// Events written but not yet folded into ``folded`` (only changes that cannot fail to fold: see ``append(contentsOf:keepingTimes:)``).
    private var pending: [JournalEvent] = []
    /// True when more was written than is worth keeping in memory until the state is read (an import's
    /// hundreds of thousands of events): the state is then folded from the file again when it is read.
    private var stale = false
    /// Batches larger than this are not kept for the fold: the file is read again instead.
    static let largestPendingBatch = 4096
    /// The seq of the last event in the journal.
    private var lastSeq = 0
    private var study: Study
    private let studySHA256: String
    private let annotator: String
    private let encoder: JSONEncoder
    private let now: () -> Date
    private let io: FileIO
    /// The journal's file mode (see ``JournalPermissions``), for the file and any orphan copy.
    private let mode: mode_t
    private var notice: String?
    /// How many replaced journals this writer has followed; a length measured before one is another file's.
    public private(set) var replacementsFollowed = 0
    /// The length of the journal this writer last followed to, before the changes it lacked were merged into
    /// it (what a roll-back cuts back to once the file measured before is gone: see ``rollBack(to:followed:)``).
    public private(set) var lengthWhenFollowed = 0

    /// Opens (creating with a header if needed) the journal of `annotator`, folding what is already there. A torn
    /// last line is cut off before anything is appended. A journal that is a symbolic link is refused. For a
    /// judge or an adjudicator, pass the study with its derived plan added (``Study/adding(_:)``); the header
    /// records the plan's kind.
    public static func open(
        store: StudyStore, study: Study, studySHA256: String, annotator: String, now: @escaping () -> Date = Date.init,
        io: FileIO = .system
    ) throws -> JournalWriter {
        try AnnotatorName.validate(annotator)
        guard study.plan(for: annotator) != nil else {
            throw BlindReviewError(
                message: "annotator \"\(annotator)\" is not in study \"\(study.name)\"",
                fix: "use one of: \(study.annotators.map(\.name).joined(separator: ", "))")
        }
        let url = store.journalFile(for: annotator)
        try? FileManager.default.createDirectory(at: store.journalsFolder, withIntermediateDirectories: true)
        let writer = JournalWriter(url: url, study: study, studySHA256: studySHA256, annotator: annotator, now: now, io: io, mode: JournalPermissions.fileMode(in: store.journalsFolder))
        try writer.attach(create: true)
        return writer
    }

    private init(url: URL, study: Study, studySHA256: String, annotator: String, now: @escaping () -> Date, io: FileIO, mode: mode_t) {
        self.url = url
        self.study = study
        self.studySHA256 = studySHA256
        self.annotator = annotator
        self.now = now
        self.io = io
        self.mode = mode
        fd = -1
        warnings = []
        folded = JournalState(slotCount: study.plan(for: annotator)?.queue.count ?? 0)
        encoder = JSONEncoder.sorted
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Every event in the journal, in order (after the header), read back from the open file (the writer keeps
    /// none in memory: only a merge asks). Empty if the file cannot be read back.
    public var events: [JournalEvent] {
        guard fd >= 0 else { return [] }
        return JournalWriter.events(in: JournalWriter.readAll(fd), file: url.path, study: study, studySHA256: studySHA256, annotator: annotator)
    }

    /// The events of a journal's content as this writer wrote it (a torn tail left out).
    private static func events(in content: Data, file: String, study: Study, studySHA256: String, annotator: String) -> [JournalEvent] {
        guard content.contains(UInt8(ascii: "\n")) else { return [] }
        return (try? JournalLoader.load(data: content, file: file, study: study, studySHA256: studySHA256, annotator: annotator).events) ?? []
    }

    private func foldPending() {
        if stale, fd >= 0 {
            stale = false
            pending = []
            let content = JournalWriter.readAll(fd)
            // The file holds what was folded and every event written since; it loaded before and was only
            // appended to by this writer. Should it no longer load, the state keeps what was folded before.
            if let loaded = try? JournalLoader.load(
                data: content, file: url.path, study: study, studySHA256: studySHA256, annotator: annotator, keepingEvents: false) {
                folded = loaded.state
                folded.extend(to: study.plan(for: annotator)?.queue.count ?? 0)
            }
            return
        }
        guard !pending.isEmpty else { return }
        let list = pending
        pending = []
        // Only events that never fail to fold are left pending (no undo among them).
        for event in list { try? folded.apply(event) }
    }

    /// Opens the file at ``url`` (never through a link), folds it, cuts a torn tail and writes a header into an
    /// empty file.
    private func attach(create: Bool) throws {
        let opened = try SafeFile.open(url, flags: O_RDWR | O_APPEND | (create ? O_CREAT : 0), mode: mode, what: "journal")
        var info = stat()
        guard fstat(opened, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(opened)
            throw BlindReviewError(file: url.path, message: "the journal is not a regular file", fix: "move it out of journals/")
        }
        let existing = JournalWriter.readAll(opened)
        var state = JournalState(slotCount: study.plan(for: annotator)?.queue.count ?? 0)
        var warnings: [BlindReviewWarning] = []
        // A file with no complete line holds no judgment (at most a header cut off by a crash): start it anew.
        let hasLines = existing.contains(UInt8(ascii: "\n"))
        var truncateTo: Int?
        if hasLines {
            let loaded: LoadedJournal
            do {
                loaded = try JournalLoader.load(data: existing, file: url.path, study: study, studySHA256: studySHA256, annotator: annotator, keepingEvents: false)
            } catch {
                close(opened)
                throw error
            }
            state = loaded.state
            warnings = loaded.warnings
            truncateTo = loaded.intactLength
        } else if !existing.isEmpty {
            ftruncate(opened, 0)
        }
        if fd >= 0 { close(fd) }
        fd = opened
        folded = state
        pending = []
        stale = false
        lastSeq = state.lastSeq
        self.warnings += warnings
        if let truncateTo {
            if truncateTo < existing.count { ftruncate(fd, off_t(truncateTo)) }
            // A last line kept without its newline gets one, so the next event starts on its own line.
            if truncateTo > 0, existing[truncateTo - 1] != UInt8(ascii: "\n") { try writeLine(Data()) }
        } else {
            let header = JournalHeader(
                study: study.name, studySHA256: studySHA256, annotator: annotator, created: JournalTime.string(now()),
                kind: study.plan(for: annotator)?.kind)
            try writeLine(CanonicalJSON.encode(header))
            SafeFile.syncDirectory(url.deletingLastPathComponent())
        }
    }

    /// A one-line message for the annotator about something the writer did on its own (a replaced journal
    /// merged), once.
    public func takeNotice() -> String? {
        defer { notice = nil }
        return notice
    }

    /// Follows an amended study (the same study.json, a queue that only grew): later appends are checked
    /// against it and the state gets room for the appended slots. Pass it as the writer was opened with it (for a
    /// judge or an adjudicator, with the derived plan added again: ``Study/adding(_:)``).
    public func adopt(_ amended: Study) {
        study = amended
        folded.extend(to: amended.plan(for: annotator)?.queue.count ?? 0)
    }

    /// The journal's current length in bytes (what ``rollBack(to:followed:)`` takes).
    public var length: Int {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int(info.st_size) : 0
    }

    /// Numbers, timestamps, writes and fsyncs the event, then folds it into ``state``. Returns the stored event.
    @discardableResult
    public func append(_ event: JournalEvent) throws -> JournalEvent {
        var event = event
        event.seq = lastSeq + 1
        event.t = JournalTime.string(now())
        return try append(contentsOf: [event], keepingTimes: true).last!
    }

    /// Appends events with one fsync at the end: all of them, or (on any failure) none, the file cut back to
    /// its length before. With `keepingTimes` each event's `t` is kept (a merge); otherwise it is now.
    ///
    /// A batch with an undo is folded before it is written (an undo of nothing is refused and nothing written);
    /// other changes always fold, so a batch of them is folded only when ``state`` is next read.
    @discardableResult
    public func append(contentsOf list: consuming [JournalEvent], keepingTimes: Bool = false) throws -> [JournalEvent] {
        try followIfReplaced()
        var stored = consume list
        // Events written together get one time (taken once: a clock and a calendar per event cost most of an
        // import of 50,000 rows).
        var time: String?
        var seq = lastSeq
        var undoes = false
        for index in stored.indices {
            seq += 1
            stored[index].seq = seq
            if !keepingTimes || stored[index].t.isEmpty {
                if time == nil { time = JournalTime.string(now()) }
                stored[index].t = time!
            }
            if stored[index].type == .undo { undoes = true }
            // A slot outside the queue would make the journal unreadable: refused before anything is written.
            if let slot = stored[index].slot, !(0..<folded.slots.count).contains(slot) {
                throw BlindReviewError(file: url.path, message: "event for slot \(slot), outside the queue of \(folded.slots.count) slots", fix: "this is a bug: report it")
            }
        }
        var next: JournalState?
        if undoes {
            var state = self.state
            for event in stored { try state.apply(event) }
            next = state
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(stored.count * 150)
        // By index, so that no event is copied out of the array on the way.
        for index in stored.indices {
            if !JournalLineWriter.append(stored[index], to: &bytes) { bytes.append(contentsOf: try encode(stored[index])) }
            bytes.append(UInt8(ascii: "\n"))
        }
        guard !bytes.isEmpty else { return [] }
        try write(bytes)
        lastSeq = seq
        if let next {
            folded = next
        } else if stale || pending.count + stored.count > JournalWriter.largestPendingBatch {
            stale = true
            pending = []
        } else if pending.isEmpty {
            pending = stored
        } else {
            pending += stored
        }
        // Written to a file that was replaced meanwhile: the orphan keeps it and the merge carries it over.
        try followIfReplaced()
        return stored
    }

    /// Undoes the latest change still in force; returns the event written, or nil when there is nothing to undo.
    @discardableResult
    public func undo() throws -> JournalEvent? {
        guard let target = state.undoable.last else { return nil }
        return try append(JournalEvent(type: .undo, target: target))
    }

    /// Cuts the journal back to `length` bytes and reloads it (for `import`, undoing its own appends when
    /// another journal failed). `length` is the file's as measured when `followed` was ``replacementsFollowed``:
    /// when the journal was replaced since, the new file is cut back only to its length when this writer took it
    /// up (the old file, with what was appended to it, is kept as the orphan), never to a length of the old one.
    public func rollBack(to length: Int, followed: Int = 0) throws {
        let length = followed == replacementsFollowed ? length : lengthWhenFollowed
        guard length < self.length else { return }
        guard ftruncate(fd, off_t(length)) == 0, io.fsync(fd) == 0 else {
            throw BlindReviewError(file: url.path, message: "cannot cut the journal back: \(SafeFile.reason(errno))", fix: "restore the journal from a copy")
        }
        try attach(create: false)
    }

    private func encode(_ event: JournalEvent) throws -> Data {
        if let line = JournalLineWriter.line(event) { return line }
        do { return try encoder.encode(event) } catch {
            throw BlindReviewError(file: url.path, message: "cannot encode the event: \(error)")
        }
    }

    private func writeLine(_ data: Data) throws {
        var line = [UInt8](data)
        line.append(UInt8(ascii: "\n"))
        try write(line)
    }

    /// Writes and fsyncs `data` at the end; on failure cuts the file back to its length before and fsyncs.
    private func write(_ data: [UInt8]) throws {
        guard fd >= 0 else {
            throw BlindReviewError(file: url.path, message: "the journal is closed after an earlier error", fix: "quit and start the session again")
        }
        let before = length
        var failure = data.withUnsafeBytes { SafeFile.writeAll($0, to: fd, io: io) }
        if failure == 0 { failure = io.fsync(fd) }
        guard failure != 0 else { return }
        ftruncate(fd, off_t(before))
        _ = io.fsync(fd)
        throw JournalSaveError(file: url.path, code: failure)
    }

    // MARK: - A journal replaced under the session

    /// True when the path no longer names the file this writer has open.
    public var isReplaced: Bool {
        var open = stat(), named = stat()
        guard fstat(fd, &open) == 0 else { return true }
        guard lstat(url.path, &named) == 0 else { return true }
        return open.st_dev != named.st_dev || open.st_ino != named.st_ino
    }

    /// Checks for a replaced journal between appends (the session calls it once a second while idle), so a
    /// replacement is noticed even when no change follows. Returns true when it merged one.
    @discardableResult
    public func followIfReplacedNow() throws -> Bool {
        guard fd >= 0, isReplaced else { return false }
        try followIfReplaced()
        return true
    }

    private func followIfReplaced() throws {
        guard fd >= 0, isReplaced else { return }
        let old = JournalWriter.readAll(fd)
        let oldEvents = JournalWriter.events(in: old, file: url.path, study: study, studySHA256: studySHA256, annotator: annotator)
        close(fd)
        fd = -1
        let orphan = try JournalWriter.keepOrphan(old, of: url, time: now(), mode: mode)
        if !FileManager.default.fileExists(atPath: url.path) && !SafeFile.isSymbolicLink(url) {
            // Deleted rather than replaced: put the old content back.
            try SafeFile.createNew(old, at: url, mode: mode)
        }
        do {
            try attach(create: false)
        } catch let error as BlindReviewError {
            throw BlindReviewError(
                file: url.path,
                message: "the journal was replaced by a file that cannot be used (\(error.message)); your saved changes are in \(orphan.lastPathComponent)",
                fix: "move the new file away, then run `blindreview journal merge` with the orphan")
        }
        replacementsFollowed += 1
        lengthWhenFollowed = length
        let merge = JournalMerge.merge(base: events, other: oldEvents)
        if !merge.events.isEmpty { try append(contentsOf: merge.events, keepingTimes: true) }
        let conflicts = merge.conflicts.isEmpty ? "" : "; \(merge.conflicts.count) conflicting change(s), the later kept"
        notice = "The journal was replaced on disk; the old copy is kept as \(orphan.lastPathComponent) and \(merge.taken) change(s) from it were merged\(conflicts)"
    }

    /// Writes `content` to `NAME.orphan-<time>` beside `url`, never over an existing file.
    static func keepOrphan(_ content: Data, of url: URL, time: Date, mode: mode_t) throws -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let stamp = formatter.string(from: time)
        for attempt in 0..<100 {
            let name = "\(url.lastPathComponent).orphan-\(stamp)" + (attempt == 0 ? "" : "-\(attempt)")
            let orphan = url.deletingLastPathComponent().appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: orphan.path) || SafeFile.isSymbolicLink(orphan) { continue }
            try SafeFile.createNew(content, at: orphan, mode: mode)
            return orphan
        }
        throw BlindReviewError(file: url.path, message: "cannot name an orphan copy", fix: "clean up old .orphan- files")
    }

    static func readAll(_ fd: Int32) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let count = pread(fd, &buffer, buffer.count, offset)
            if count <= 0 { break }
            data.append(contentsOf: buffer[0..<count])
            offset += off_t(count)
        }
        return data
    }
}

/// A journal write or fsync failed; the file was cut back, so nothing of the change is on disk.
///
///     JournalSaveError(file: "journals/a.jsonl", code: ENOSPC).reason   // "No space left on device"
public struct JournalSaveError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var code: Int32

    public init(file: String, code: Int32) {
        self.file = file
        self.code = code
    }

    public var reason: String { SafeFile.reason(code) }

    public var description: String {
        "\(file): could not save: \(reason) (fix: free disk space or raise the limit; nothing after the last saved change was lost)"
    }
}
