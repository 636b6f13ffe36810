import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The two system calls whose failure loses data, as a seam: tests replace them to return ENOSPC, EDQUOT,
/// EFBIG or EIO (or to write half a buffer and then fail) at a chosen moment.
///
///     let full = FileIO(write: { _, _ in -ENOSPC }, fsync: { _ in 0 })
///     let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: "a", io: full)
public struct FileIO: Sendable {
    /// Writes from the buffer; returns the number of bytes written, or minus the errno.
    public var write: @Sendable (_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int
    /// Flushes the file to the disk; returns 0 or the errno.
    public var fsync: @Sendable (_ fd: Int32) -> Int32

    public init(write: @escaping @Sendable (Int32, UnsafeRawBufferPointer) -> Int, fsync: @escaping @Sendable (Int32) -> Int32) {
        self.write = write
        self.fsync = fsync
    }

    /// The real system calls.
    public static let system = FileIO(
        write: { fd, bytes in
            let written = Glibc.write(fd, bytes.baseAddress!, bytes.count)
            return written < 0 ? -Int(errno) : written
        },
        fsync: { fd in Glibc.fsync(fd) == 0 ? 0 : errno })
}

/// The one layer every file blindreview writes goes through (study files, keys, journals, locks, reports):
///
/// - opens never follow a symbolic link (`O_NOFOLLOW`); a link where a file should be is a named error;
/// - whole-file writes go to a temporary file with a random name, created with `O_CREAT | O_EXCL | O_NOFOLLOW`
///   (so nobody can prepare it in advance), fsynced, renamed over the target, and the folder fsynced;
/// - ``createNew(_:at:mode:io:)`` never replaces anything: it is how keys are written;
/// - secrets get mode 0600 from the moment the file exists.
///
///     try SafeFile.replace(Data("{}".utf8), at: URL(fileURLWithPath: "study.json"))
///     try SafeFile.createNew(keyData, at: keyURL, mode: 0o600)     // refuses if the key exists
public enum SafeFile {
    /// Opens `url` without following a symbolic link at its last component. `O_CLOEXEC` is always added.
    public static func open(_ url: URL, flags: Int32, mode: mode_t = 0o644, what: String = "file") throws -> Int32 {
        let fd = Glibc.open(url.path, flags | O_NOFOLLOW | O_CLOEXEC, mode)
        if fd >= 0 { return fd }
        let code = errno
        throw openError(url, code: code, what: what)
    }

    /// The error for a failed open, naming a symbolic link as such.
    public static func openError(_ url: URL, code: Int32, what: String) -> BlindReviewError {
        if code == ELOOP || isSymbolicLink(url) {
            return BlindReviewError(
                file: url.path, message: "the \(what) is a symbolic link; blindreview never writes through links",
                fix: "replace the link with a regular file (or remove it) and try again")
        }
        return BlindReviewError(file: url.path, message: "cannot open the \(what): \(reason(code))", fix: "check that the folder exists and is writable")
    }

    /// True when the path itself (not what it points to) is a symbolic link.
    public static func isSymbolicLink(_ url: URL) -> Bool {
        var info = stat()
        return lstat(url.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// Refuses a symbolic link at `url` (for files read before they are written, such as journals).
    public static func refuseSymbolicLink(_ url: URL, what: String) throws {
        if isSymbolicLink(url) { throw openError(url, code: ELOOP, what: what) }
    }

    /// Replaces the file at `url` with `data` atomically: a crash leaves the old file or the new one.
    public static func replace(_ data: Data, at url: URL, mode: mode_t = 0o644, io: FileIO = .system) throws {
        let (fd, temporary) = try createTemporary(beside: url, mode: mode)
        try fill(fd, temporary: temporary, with: data, target: url, mode: mode, io: io)
        if Glibc.rename(temporary.path, url.path) != 0 {
            let code = errno
            unlink(temporary.path)
            throw BlindReviewError(file: url.path, message: "cannot write: \(reason(code))", fix: "check permissions")
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    /// Writes a new file at `url` and refuses (with EEXIST) if anything is there already, even a dangling
    /// link; the content appears complete or not at all (`link(2)` of a fsynced temporary file).
    public static func createNew(_ data: Data, at url: URL, mode: mode_t = 0o644, io: FileIO = .system) throws {
        let (fd, temporary) = try createTemporary(beside: url, mode: mode)
        try fill(fd, temporary: temporary, with: data, target: url, mode: mode, io: io)
        defer { unlink(temporary.path) }
        if Glibc.link(temporary.path, url.path) != 0 {
            let code = errno
            if code == EEXIST {
                throw BlindReviewError(file: url.path, message: "a file already exists here; blindreview never overwrites it", fix: "choose another path, or move that file away yourself")
            }
            throw BlindReviewError(file: url.path, message: "cannot write: \(reason(code))", fix: "check permissions")
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    /// Creates `.NAME.tmp-<random>` beside `url` with `O_CREAT | O_EXCL | O_NOFOLLOW`, retrying on a name
    /// that exists. The random part comes from the system's generator, so nobody can create it first.
    public static func createTemporary(beside url: URL, mode: mode_t) throws -> (Int32, URL) {
        let directory = url.deletingLastPathComponent()
        var lastError: Int32 = 0
        for _ in 0..<16 {
            var generator = SystemRandomNumberGenerator()
            let suffix = String(generator.next(), radix: 16)
            let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(suffix)")
            let fd = Glibc.open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
            if fd >= 0 { return (fd, temporary) }
            lastError = errno
            if lastError != EEXIST { break }
        }
        throw BlindReviewError(file: url.path, message: "cannot write: \(reason(lastError))", fix: "check that the folder exists and is writable")
    }

    /// Writes, sets the mode, fsyncs and closes `fd`; on failure removes the temporary file and throws.
    static func fill(_ fd: Int32, temporary: URL, with data: Data, target: URL, mode: mode_t, io: FileIO) throws {
        var failure = writeAll(data, to: fd, io: io)
        if failure == 0, fchmod(fd, mode) != 0 { failure = errno }
        if failure == 0 { failure = io.fsync(fd) }
        close(fd)
        if failure != 0 {
            unlink(temporary.path)
            throw BlindReviewError(file: target.path, message: "cannot write: \(reason(failure))", fix: "check free disk space and permissions")
        }
    }

    /// Writes every byte of `data` to `fd`, retrying short writes and EINTR. Returns 0 or the errno.
    public static func writeAll(_ data: Data, to fd: Int32, io: FileIO = .system) -> Int32 {
        data.withUnsafeBytes { writeAll($0, to: fd, io: io) }
    }

    /// Writes every byte of `bytes` to `fd`, retrying short writes and EINTR. Returns 0 or the errno.
    public static func writeAll(_ raw: UnsafeRawBufferPointer, to fd: Int32, io: FileIO = .system) -> Int32 {
        var offset = 0
        while offset < raw.count {
            let written = io.write(fd, UnsafeRawBufferPointer(rebasing: raw[offset...]))
            if written < 0 {
                if -written == Int(EINTR) { continue }
                return Int32(-written)
            }
            if written == 0 { return EIO }
            offset += written
        }
        return 0
    }

    /// Makes a rename or a new file in `directory` durable.
    public static func syncDirectory(_ directory: URL) {
        let fd = Glibc.open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            Glibc.fsync(fd)
            close(fd)
        }
    }

    /// The system's words for an errno, e.g. "No space left on device".
    public static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}
