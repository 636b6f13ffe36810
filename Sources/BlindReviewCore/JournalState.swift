import Foundation

/// What one annotator has said about one slot of their queue, after folding the journal.
public struct SlotJudgment: Equatable, Sendable {
    /// Response id to criterion id to score.
    public var ratings: [String: [String: Int]] = [:]
    /// The chosen preference option id.
    public var preference: String?
    /// For a judge: why its verdict for this slot could not be had (an `error` event in force; the preference
    /// is then nil). Kept so the report counts errors instead of dropping them.
    public var verdictError: String?
    public var note: String?
    /// The flag raised for the lead (a ``PairFlag`` raw value) and its optional note.
    public var flag: String?
    public var flagNote: String?
    /// Active seconds summed over every visit.
    public var activeSeconds: Double = 0
    public var visits: Int = 0
    public var lastChange: String?

    public init() {}

    public func rating(response: String, criterion: String) -> Int? { ratings[response]?[criterion] }

    /// The same judgment with its ratings moved to other response ids (a hidden repeat read as its original).
    public func renamingResponses(_ names: [String: String]) -> SlotJudgment {
        var copy = self
        copy.ratings = Dictionary(uniqueKeysWithValues: ratings.map { (names[$0.key] ?? $0.key, $0.value) })
        return copy
    }

    /// Done when every required criterion is scored for both responses and a required preference is chosen.
    public func isComplete(rubric: Rubric, entry: QueueEntry) -> Bool {
        for criterion in rubric.criteria where criterion.required {
            if rating(response: entry.a, criterion: criterion.id) == nil
                || rating(response: entry.b, criterion: criterion.id) == nil
            {
                return false
            }
        }
        return !rubric.preference.required || preference != nil
    }

    /// The required fields still empty, for the "leave anyway?" prompt.
    public func missing(rubric: Rubric, entry: QueueEntry) -> [String] {
        var result: [String] = []
        for criterion in rubric.criteria where criterion.required {
            for side in Side.allCases where rating(response: entry.response(on: side), criterion: criterion.id) == nil {
                result.append("\(criterion.name) \(side.label)")
            }
        }
        if rubric.preference.required, preference == nil { result.append("preference") }
        return result
    }
}

/// A journal folded into current state. Undo takes back one change event; the value of a field is then the
/// latest change to it that has not been undone.
///
///     var state = JournalState(slotCount: 3)
///     try state.apply(JournalEvent(seq: 1, type: .preference, slot: 0, item: "q1", option: "a"))
///     try state.apply(JournalEvent(seq: 2, type: .undo, target: 1))
///     state.slots[0].preference   // nil
public struct JournalState: Equatable, Sendable {
    public var slots: [SlotJudgment]
    public private(set) var lastSeq = 0
    public private(set) var lastTime: String?
    /// Seqs of change events not undone, oldest first: the undo stack.
    public private(set) var undoable: [Int] = []
    /// Per field, the changes still in force (event number and value), oldest first.
    private var history: [FieldKey: [FieldChange]] = [:]
    private var changes: [Int: FieldKey] = [:]

    struct FieldChange: Equatable, Sendable {
        var seq: Int
        var number: Int?
        var text: String?
        var note: String? = nil
        var isError = false
    }

    struct FieldKey: Hashable, Sendable {
        var slot: Int
        var kind: JournalEvent.Kind
        var response: String?
        var criterion: String?
    }

    public init(slotCount: Int) {
        slots = Array(repeating: SlotJudgment(), count: slotCount)
    }

    /// Room for slots appended to the queue by an amendment (existing slots keep their judgments).
    public mutating func extend(to slotCount: Int) {
        if slotCount > slots.count { slots += Array(repeating: SlotJudgment(), count: slotCount - slots.count) }
    }

    /// The slot the next undo would change, if any.
    public var nextUndoSlot: Int? {
        undoable.last.flatMap { changes[$0]?.slot }
    }

    /// What the next undo would take back: the slot, the kind of change, and for a rating its response and
    /// criterion (so the UI can put the focus back where that change was made).
    public var nextUndoField: (slot: Int, kind: JournalEvent.Kind, response: String?, criterion: String?)? {
        guard let seq = undoable.last, let key = changes[seq] else { return nil }
        return (key.slot, key.kind, key.response, key.criterion)
    }

    /// Applies one event whose fields have been checked against the study (see ``JournalLoader``).
    public mutating func apply(_ event: JournalEvent) throws {
        lastSeq = max(lastSeq, event.seq)
        if !event.t.isEmpty { lastTime = event.t }
        switch event.type {
        case .rating, .preference, .note, .flag, .error:
            // An error takes the preference's place: one field, so a later preference (or an undo) replaces it.
            let kind = event.type == .error ? JournalEvent.Kind.preference : event.type
            let key = FieldKey(slot: event.slot!, kind: kind, response: event.response, criterion: event.criterion)
            var change = FieldChange(
                seq: event.seq, number: event.value, text: event.type == .preference || event.type == .flag ? event.option : event.text,
                note: event.type == .flag ? event.text : nil)
            if event.type == .error {
                change.text = nil
                change.note = "\(event.option ?? JudgeErrorSource.command.rawValue): \(event.text ?? "")"
                change.isError = true
            }
            history[key, default: []].append(change)
            changes[event.seq] = key
            undoable.append(event.seq)
            set(key, from: change)
            slots[key.slot].lastChange = event.t
        case .undo:
            guard let target = event.target, let key = changes[target],
                let position = undoable.lastIndex(of: target)
            else {
                throw BlindReviewError(message: "undo of event \(event.target.map(String.init) ?? "?"), which is not an undoable change still in force")
            }
            undoable.remove(at: position)
            changes[target] = nil
            var stack = history[key]!
            stack.removeAll { $0.seq == target }
            history[key] = stack
            set(key, from: stack.last)
        case .open:
            slots[event.slot!].visits += 1
        case .leave:
            slots[event.slot!].activeSeconds += max(0, event.activeSeconds ?? 0)
        }
    }

    private mutating func set(_ key: FieldKey, from change: FieldChange?) {
        switch key.kind {
        case .rating:
            let response = key.response!, criterion = key.criterion!
            var scores = slots[key.slot].ratings.removeValue(forKey: response) ?? [:]
            scores[criterion] = change?.number
            if !scores.isEmpty { slots[key.slot].ratings[response] = scores }
        case .preference:
            slots[key.slot].preference = change?.text
            slots[key.slot].verdictError = change?.isError == true ? change?.note : nil
        case .note:
            let text = change?.text
            slots[key.slot].note = (text?.isEmpty ?? true) ? nil : text
        case .flag:
            slots[key.slot].flag = change?.text
            slots[key.slot].flagNote = change?.text == nil || (change?.note?.isEmpty ?? true) ? nil : change?.note
        default:
            break
        }
    }
}
