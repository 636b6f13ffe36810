import Foundation

/// Which pairs are withdrawn now, for a long run (`judge`) that should stop spending calls on a pair the lead
/// withdraws while it runs: each question costs one `stat` of the amendment log (``AmendmentWatch``), and the
/// study is loaded again only when the log changed. A log that cannot be read now keeps the last answer.
///
///     let live = LiveWithdrawals(store: store, study: study)
///     if live.contains(entry.item) { /* skip it */ }
public final class LiveWithdrawals: @unchecked Sendable {
    private let lock = NSLock()
    private let store: StudyStore
    private var watch: AmendmentWatch
    private var withdrawn: Set<String>

    public init(store: StudyStore, study: Study) {
        self.store = store
        watch = AmendmentWatch(store: store)
        withdrawn = Set(study.withdrawn.keys)
    }

    /// Whether `item` is withdrawn in the study as its log reads now.
    public func contains(_ item: String) -> Bool { now.contains(item) }

    /// The pairs withdrawn in the study as its log reads now (one look for many questions).
    public var now: Set<String> {
        lock.lock(); defer { lock.unlock() }
        if watch.changed(), let (study, _) = try? store.load() { withdrawn = Set(study.withdrawn.keys) }
        return withdrawn
    }
}
