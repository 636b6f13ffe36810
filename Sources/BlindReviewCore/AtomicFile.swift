import Foundation

/// Whole-file writes that are never seen half done; a thin name over ``SafeFile/replace(_:at:mode:io:)`` (random
/// temporary name opened with `O_EXCL | O_NOFOLLOW`, fsync, rename, fsync of the folder).
///
///     try AtomicFile.write(Data("{}".utf8), to: URL(fileURLWithPath: "study.json"), mode: 0o644)
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL, mode: mode_t = 0o644) throws {
        try SafeFile.replace(data, at: url, mode: mode)
    }

    /// Writes every byte of `data` to `fd`, retrying short writes and EINTR. Returns 0 or the errno.
    public static func writeAll(_ data: Data, to fd: Int32) -> Int32 {
        SafeFile.writeAll(data, to: fd)
    }

    /// Makes a rename or a new file in `directory` durable.
    public static func syncDirectory(_ directory: URL) {
        SafeFile.syncDirectory(directory)
    }
}
