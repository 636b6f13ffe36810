import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file writes that are never seen half done: write a temporary file beside the target, fsync it, rename
/// it over the target, fsync the folder. A crash leaves either the old file or the new one.
///
///     try AtomicFile.write(Data("{}".utf8), to: URL(fileURLWithPath: "study.json"), mode: 0o644)
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o644) throws {
        let directory = url.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
        let fd = open(temporary.path, O_WRONLY | O_CREAT | O_TRUNC, mode)
        guard fd >= 0 else {
            throw BlindReviewError(
                file: url.path, message: "cannot write: \(String(cString: strerror(errno)))",
                fix: "check that the folder exists and is writable")
        }
        var failure = writeAll(data, to: fd)
        if failure == 0, fchmod(fd, mode) != 0 { failure = errno }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(temporary.path, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary.path)
            throw BlindReviewError(
                file: url.path, message: "cannot write: \(String(cString: strerror(failure)))",
                fix: "check free disk space and permissions")
        }
        syncDirectory(directory)
    }

    /// Writes every byte of `data` to `fd`, retrying short writes and EINTR. Returns 0 or the errno.
    public static func writeAll(_ data: Data, to fd: Int32) -> Int32 {
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += written
            }
        }
        return failure
    }

    /// Makes a rename or a new file in `directory` durable.
    public static func syncDirectory(_ directory: URL) {
        let fd = open(directory.path, O_RDONLY | O_DIRECTORY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }
}
