import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One process per (study, annotator): an exclusive `flock` on `journals/<annotator>.lock`, which also holds the
/// holder's PID so a refused second process can say who has it. The kernel drops the lock if the process dies,
/// so a crash never leaves a stale lock.
///
///     let lock = try AnnotatorLock.acquire(store: store, annotator: "alice")
///     // ... annotate ...
///     lock.release()
public final class AnnotatorLock {
    private var fd: Int32
    public let url: URL

    public static func acquire(store: StudyStore, annotator: String) throws -> AnnotatorLock {
        try AnnotatorName.validate(annotator)
        try? FileManager.default.createDirectory(at: store.journalsFolder, withIntermediateDirectories: true)
        let url = store.lockFile(for: annotator)
        let fd = try SafeFile.open(url, flags: O_RDWR | O_CREAT, mode: JournalPermissions.lockMode, what: "lock file")
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let count = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let holder = count > 0 ? String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "unknown"
            throw BlindReviewError(
                file: url.path,
                message: "the journal of \"\(annotator)\" is already open in process \(holder) (an annotate, adjudicate, judge, import or journal merge of this study)",
                fix: "finish that session (q in annotate or adjudicate, Ctrl-C in judge), or stop process \(holder)")
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        return AnnotatorLock(fd: fd, url: url)
    }

    private init(fd: Int32, url: URL) {
        self.fd = fd
        self.url = url
    }

    public func release() {
        guard fd >= 0 else { return }
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}
