import BlindReviewCore

/// Pairs annotators flagged for the lead (`f` in the annotation screen): broken, duplicate, offensive or unsure,
/// with their notes. `report` lists them; `export --exclude-flagged` leaves them out.
///
///     FlaggedPairs.collect(study: study, journals: journals).text()
///     // "Flagged pairs (1):\n  q7  alice: broken, \"cut off mid-word\"\n"
public struct FlaggedPairs: Sendable {
    public struct Flag: Equatable, Sendable {
        /// The pair (a flag on a hidden repeat counts for the pair it repeats, when the key tells).
        public var item: String
        /// The prompt's id in the inputs, when the key is at hand (for the lead; never shown to annotators).
        public var sourceID: String?
        public var annotator: String
        public var reason: String
        public var note: String?
    }

    /// Flags in force, by pair id then annotator.
    public var flags: [Flag]

    /// The pair ids someone flagged.
    public var items: Set<String> { Set(flags.map(\.item)) }

    public static func collect(study: Study, journals: [String: LoadedJournal], repeats: RepeatMap? = nil, key: StudyKey? = nil) -> FlaggedPairs {
        var flags: [Flag] = []
        for plan in study.annotators {
            guard let state = journals[plan.name]?.state else { continue }
            for (slot, entry) in plan.queue.enumerated() where state.slots.indices.contains(slot) {
                guard let reason = state.slots[slot].flag else { continue }
                let item = repeats?.original(of: entry).item ?? entry.item
                // A pair the lead withdrew is out of every list, as it is out of the results.
                guard study.withdrawn[item] == nil, study.withdrawn[entry.item] == nil else { continue }
                flags.append(Flag(item: item, sourceID: key?.pairs[item]?.sourceID, annotator: plan.name, reason: reason, note: state.slots[slot].flagNote))
            }
        }
        flags.sort { ($0.item, $0.annotator) < ($1.item, $1.annotator) }
        return FlaggedPairs(flags: flags)
    }

    /// The list for the lead, one flag a line; empty when nothing is flagged.
    public func text() -> String {
        guard !flags.isEmpty else { return "" }
        var out = "Flagged pairs (\(items.count)):\n"
        for flag in flags {
            let pair = flag.item + (flag.sourceID.map { " (source \($0))" } ?? "")
            out += "  \(pair)  \(flag.annotator): \(flag.reason)" + (flag.note.map { ", \"\($0)\"" } ?? "") + "\n"
        }
        return out
    }
}
