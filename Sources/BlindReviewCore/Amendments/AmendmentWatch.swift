import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Notices, cheaply, that a study's amendment log changed: one `stat` of `amendments.jsonl` (device, inode, size,
/// modification time) compared with the last one. A running `annotate` session asks at each move to another
/// pair and once a second while idle, and reloads the study only when the answer is yes.
///
///     var watch = AmendmentWatch(store: store)
///     if watch.changed() { let (study, _) = try store.load() }
public struct AmendmentWatch: Sendable {
    public let url: URL
    private var signature: [Int]

    public init(store: StudyStore) {
        url = AmendmentLog.file(in: store)
        signature = []
        signature = current()
    }

    /// True (once) when the log differs from the last look.
    public mutating func changed() -> Bool {
        let now = current()
        defer { signature = now }
        return now != signature
    }

    private func current() -> [Int] {
        var info = stat()
        guard lstat(url.path, &info) == 0 else { return [] }
        return [Int(info.st_dev), Int(info.st_ino), Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec)]
    }
}
