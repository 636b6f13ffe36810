/// Which slots of the annotators' queues are hidden repeats, and of which pair.
///
/// Since study version 2 a hidden repeat is a pair of its own (opaque id, fresh response ids, a copy of the
/// text) and only the key says what it repeats, so without the key repeats cannot be told from other pairs
/// (``isKnown`` is false). Version 1 studies marked them in the queue, and their map needs no key.
///
///     let repeats = RepeatMap(study: study, key: key)
///     repeats.isRepeat(entry)        // true for a copy shown again
///     repeats.original(of: entry)    // the same slot in terms of the pair it repeats
public struct RepeatMap: Sendable {
    /// Copy item id to where it came from.
    public private(set) var origins: [String: RepeatOrigin]
    /// False for a version 2 study read without its key.
    public let isKnown: Bool
    private let legacy: Bool

    public init(study: Study, key: StudyKey?) {
        legacy = study.schemaVersion < 2
        var origins: [String: RepeatOrigin] = [:]
        if let key {
            for (item, entry) in key.pairs { if let origin = entry.repeatOf { origins[item] = origin } }
        }
        self.origins = origins
        isKnown = legacy || key != nil
    }

    /// Whether the slot is a hidden repeat; false when unknown (see ``isKnown``).
    public func isRepeat(_ entry: QueueEntry) -> Bool {
        legacy ? entry.legacyRepeat == true : origins[entry.item] != nil
    }

    /// The slot as it reads in terms of the original pair: a copy's item and response ids are replaced by the
    /// original's (sides unchanged); any other slot is returned as it is.
    public func original(of entry: QueueEntry) -> QueueEntry {
        guard !legacy, let origin = origins[entry.item],
              let a = origin.responses[entry.a], let b = origin.responses[entry.b] else { return entry }
        return QueueEntry(item: origin.item, a: a, b: b)
    }

    /// The study's pairs in play: without its hidden repeats and withdrawn pairs, nil when repeats cannot be
    /// told apart (no key).
    public func pairCount(in study: Study) -> Int? {
        isKnown ? study.itemIDs.reduce(0) { $0 + (origins[$1] == nil && study.withdrawn[$1] == nil ? 1 : 0) } : nil
    }

    /// "20 pairs", "18 pairs (2 withdrawn)", or "22 pairs (hidden repeats included)" without the key: for status
    /// and check. Withdrawn hidden repeats are not counted among the withdrawn when repeats are known.
    public func pairsDescription(in study: Study) -> String {
        let withdrawn = study.itemIDs.reduce(0) { $0 + (study.withdrawn[$1] != nil && (!isKnown || origins[$1] == nil) ? 1 : 0) }
        let note = withdrawn > 0 ? "\(withdrawn) withdrawn" : nil
        if let count = pairCount(in: study) { return "\(count) pairs" + (note.map { " (\($0))" } ?? "") }
        let count = study.itemIDs.count - withdrawn
        return "\(count) pairs (hidden repeats included\(note.map { "; \($0)" } ?? ""))"
    }

    /// The number of repeat slots in a queue, nil when unknown.
    public func count(in queue: [QueueEntry]) -> Int? {
        isKnown ? queue.reduce(0) { $0 + (isRepeat($1) ? 1 : 0) } : nil
    }
}
