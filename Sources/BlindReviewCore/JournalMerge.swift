import Foundation

/// Merges another copy of one annotator's journal (an orphan left by a replaced file, or the copy from their
/// second machine) into theirs, field by field.
///
/// Each journal is folded to the value every field (a score, the preference, the note of a slot) ends with and
/// the time of the last event that touched it (a change or an undo). A field only the other copy has is taken;
/// a field both have with the same value is a duplicate; a field with different values is resolved by time, the
/// later wins. It is a *conflict* (reported) only when both copies changed it on their own, that is when neither
/// copy holds the other's last change to it. Visits (`open`, `leave`) the base lacks are added, so active time is
/// kept. The events returned keep their original times; the writer numbers them.
///
///     let merge = JournalMerge.merge(base: mine.events, other: theirs.events)
///     try writer.append(contentsOf: merge.events, keepingTimes: true)
///     merge.conflicts.map(\.description)   // ["slot 3 rating accuracy of r1a2: kept 2 (10:05, other copy) over 4 (10:01)"]
public enum JournalMerge {
    /// Two copies changed the same field to different values; `kept` is the later one.
    public struct Conflict: CustomStringConvertible, Equatable, Sendable {
        public var slot: Int
        public var field: String
        public var kept: String
        public var keptTime: String
        public var keptFrom: String
        public var dropped: String
        public var droppedTime: String

        public var description: String {
            "pair slot \(slot + 1) \(field): kept \(kept) (\(keptTime), \(keptFrom)) over \(dropped) (\(droppedTime))"
        }
    }

    public struct Result: Sendable {
        /// Events to append to the base journal, oldest first, with their original times.
        public var events: [JournalEvent]
        public var conflicts: [Conflict]
        /// Fields and visits both copies already agree on.
        public var duplicates: Int
        /// Changes taken from the other copy.
        public var taken: Int
    }

    /// What to append to `base` so that it also holds what `other` has.
    public static func merge(base: [JournalEvent], other: [JournalEvent]) -> Result {
        let mine = fold(base), theirs = fold(other)
        let mineIdentities = Set(base.map(identity)), theirIdentities = Set(other.map(identity))
        var result = Result(events: [], conflicts: [], duplicates: 0, taken: 0)
        for key in theirs.fields.keys.sorted(by: { $0.order < $1.order }) {
            let their = theirs.fields[key]!
            guard let my = mine.fields[key] else {
                if their.value != nil {
                    result.events.append(key.event(value: their.value, t: their.time))
                    result.taken += 1
                }
                continue
            }
            if my.value == their.value {
                result.duplicates += 1
                continue
            }
            let theirsLater = their.time > my.time
            let independent = !(their.last.map { mineIdentities.contains(identity($0)) } ?? true)
                && !(my.last.map { theirIdentities.contains(identity($0)) } ?? true)
            if independent {
                result.conflicts.append(Conflict(
                    slot: key.slot, field: key.label,
                    kept: describe(theirsLater ? their.value : my.value), keptTime: theirsLater ? their.time : my.time,
                    keptFrom: theirsLater ? "other copy" : "this journal",
                    dropped: describe(theirsLater ? my.value : their.value), droppedTime: theirsLater ? my.time : their.time))
            }
            if theirsLater {
                result.events.append(key.event(value: their.value, t: their.time))
                result.taken += 1
            }
        }
        for visit in other where visit.type == .open || visit.type == .leave {
            if mineIdentities.contains(identity(visit)) {
                result.duplicates += 1
            } else {
                var copy = visit
                copy.seq = 0
                result.events.append(copy)
            }
        }
        result.events.sort { $0.t < $1.t }
        return result
    }

    /// A field of one slot: a score of one response on one criterion, the preference, or the note.
    struct FieldKey: Hashable {
        var slot: Int
        var kind: JournalEvent.Kind
        var item: String?
        var response: String?
        var criterion: String?

        var order: String { "\(String(format: "%08d", slot)) \(kind.rawValue) \(response ?? "") \(criterion ?? "")" }

        var label: String {
            switch kind {
            case .rating: return "score \(criterion ?? "?") of response \(response ?? "?")"
            case .preference: return "preference"
            default: return "note"
            }
        }

        func event(value: String?, t: String) -> JournalEvent {
            switch kind {
            case .rating:
                return JournalEvent(t: t, type: .rating, slot: slot, item: item, response: response, criterion: criterion, value: value.flatMap { Int($0) })
            case .preference:
                return JournalEvent(t: t, type: .preference, slot: slot, item: item, option: value)
            default:
                return JournalEvent(t: t, type: .note, slot: slot, item: item, text: value)
            }
        }
    }

    struct FieldValue {
        var value: String?
        var time: String
        /// The change event in force, if any.
        var last: JournalEvent?
    }

    struct Folded {
        var fields: [FieldKey: FieldValue] = [:]
    }

    /// Folds a journal's events to each field's final value, honouring undo.
    static func fold(_ events: [JournalEvent]) -> Folded {
        var folded = Folded()
        var history: [FieldKey: [JournalEvent]] = [:]
        var bySeq: [Int: FieldKey] = [:]
        for event in events {
            switch event.type {
            case .rating, .preference, .note:
                guard let slot = event.slot else { continue }
                let key = FieldKey(slot: slot, kind: event.type, item: event.item, response: event.response, criterion: event.criterion)
                history[key, default: []].append(event)
                bySeq[event.seq] = key
                folded.fields[key] = FieldValue(value: value(of: event), time: event.t, last: event)
            case .undo:
                guard let target = event.target, let key = bySeq[target] else { continue }
                bySeq[target] = nil
                history[key]?.removeAll { $0.seq == target }
                let last = history[key]?.last
                folded.fields[key] = FieldValue(value: last.flatMap(value(of:)), time: event.t, last: last)
            default:
                continue
            }
        }
        return folded
    }

    static func value(of event: JournalEvent) -> String? {
        switch event.type {
        case .rating: return event.value.map(String.init)
        case .preference: return event.option
        default: return (event.text?.isEmpty ?? true) ? nil : event.text
        }
    }

    static func describe(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "(cleared)" }

    /// What an event says and when, without its number (numbers differ between copies).
    static func identity(_ event: JournalEvent) -> String {
        var copy = event
        copy.seq = 0
        if copy.type == .undo { copy.target = nil }
        return String(decoding: (try? JSONEncoder.sorted.encode(copy)) ?? Data(), as: UTF8.self)
    }
}

extension JSONEncoder {
    /// Keys sorted, slashes unescaped: the journal's encoding.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}

extension JournalMerge {
    /// Merges the journal copy at `copy` into `annotator`'s journal in `store`: the copy must be a journal of this
    /// study and annotator; the annotator's lock is held meanwhile (refused while a session runs); the events are
    /// appended through ``JournalWriter`` (all or nothing, fsynced).
    ///
    ///     let result = try JournalMerge.mergeCopy(at: URL(fileURLWithPath: "alice-laptop.jsonl"), into: store, annotator: "alice")
    public static func mergeCopy(at copy: URL, into store: StudyStore, annotator: String) throws -> Result {
        let (study, hash) = try store.load()
        let data = try JSONLines.readFile(copy.path)
        let other = try JournalLoader.load(data: data, file: copy.path, study: study, studySHA256: hash, annotator: annotator)
        let lock = try AnnotatorLock.acquire(store: store, annotator: annotator)
        defer { lock.release() }
        let writer = try JournalWriter.open(store: store, study: study, studySHA256: hash, annotator: annotator)
        let result = merge(base: writer.events, other: other.events)
        if !result.events.isEmpty { try writer.append(contentsOf: result.events, keepingTimes: true) }
        return result
    }
}
