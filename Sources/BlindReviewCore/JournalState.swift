import Foundation

/// What one annotator has said about one slot of their queue, after folding the journal.
public struct SlotJudgment: Equatable, Sendable {
    /// Every score in force, one entry per response and criterion, sorted by response id then criterion id: one
    /// flat array per slot (a 100,000-pair study has half a million slots; nested dictionaries cost three tables
    /// each). The ids share storage with the study's plan and rubric when read by ``JournalLoader``.
    public private(set) var scores: [Score] = []
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

    /// One criterion score for one response.
    public struct Score: Equatable, Sendable {
        public var response: String
        public var criterion: String
        public var value: Int

        public init(response: String, criterion: String, value: Int) {
            self.response = response
            self.criterion = criterion
            self.value = value
        }
    }

    public init() {}

    /// Response id to criterion id to score, built from ``scores`` (kept for readers that want the nested form;
    /// setting it replaces every score).
    ///
    ///     judgment.ratings   // ["r1": ["accuracy": 4, "format": 3], "r2": ["accuracy": 2]]
    public var ratings: [String: [String: Int]] {
        get {
            var result: [String: [String: Int]] = [:]
            for score in scores { result[score.response, default: [:]][score.criterion] = score.value }
            return result
        }
        set {
            scores = newValue.flatMap { response, values in
                values.map { Score(response: response, criterion: $0.key, value: $0.value) }
            }.sorted(by: SlotJudgment.ordered)
        }
    }

    /// True when no score is in force.
    public var hasRatings: Bool { !scores.isEmpty }

    public func rating(response: String, criterion: String) -> Int? {
        for score in scores where score.criterion == criterion && score.response == response { return score.value }
        return nil
    }

    /// The scores of one response, by criterion id (sorted), or nil when it has none.
    public func ratings(of response: String) -> [(criterion: String, value: Int)]? {
        let found = scores.filter { $0.response == response }.map { ($0.criterion, $0.value) }
        return found.isEmpty ? nil : found
    }

    /// Sets (or with nil clears) one score, keeping ``scores`` sorted.
    public mutating func setRating(response: String, criterion: String, value: Int?) {
        var low = 0, high = scores.count
        while low < high {
            let middle = (low + high) / 2
            let score = scores[middle]
            if score.response < response || (score.response == response && score.criterion < criterion) { low = middle + 1 } else { high = middle }
        }
        let found = low < scores.count && scores[low].response == response && scores[low].criterion == criterion
        if let value {
            if found { scores[low].value = value } else { scores.insert(Score(response: response, criterion: criterion, value: value), at: low) }
        } else if found {
            scores.remove(at: low)
        }
    }

    static func ordered(_ x: Score, _ y: Score) -> Bool { (x.response, x.criterion) < (y.response, y.criterion) }

    /// The same judgment with its ratings moved to other response ids (a hidden repeat read as its original).
    public func renamingResponses(_ names: [String: String]) -> SlotJudgment {
        var copy = self
        copy.scores = scores.map { Score(response: names[$0.response] ?? $0.response, criterion: $0.criterion, value: $0.value) }
            .sorted(by: SlotJudgment.ordered)
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
    /// Every change event, oldest first, each linked to the change of the same field it replaced: what undo
    /// needs, in one flat array (no table per field or per event, so folding millions of events stays cheap).
    private var log: [FieldChange] = []
    /// Per slot, the log positions of the change in force for each field of that slot that has one.
    private var heads: [[Int32]]

    struct FieldChange: Equatable, Sendable {
        var seq: Int
        var slot: Int32
        /// The log position of the change to the same field in force before this one, or -1.
        var previous: Int32 = -1
        var kind: JournalEvent.Kind
        var isError = false
        var number: Int?
        var response: String?
        var criterion: String?
        var text: String?
        var note: String? = nil

        func sameField(as other: FieldChange) -> Bool {
            kind == other.kind && response == other.response && criterion == other.criterion
        }
    }

    public init(slotCount: Int) {
        slots = Array(repeating: SlotJudgment(), count: slotCount)
        heads = Array(repeating: [], count: slotCount)
    }

    /// Room for slots appended to the queue by an amendment (existing slots keep their judgments).
    public mutating func extend(to slotCount: Int) {
        if slotCount > slots.count {
            slots += Array(repeating: SlotJudgment(), count: slotCount - slots.count)
            heads += Array(repeating: [], count: slotCount - heads.count)
        }
    }

    /// The slot the next undo would change, if any.
    public var nextUndoSlot: Int? {
        undoable.last.flatMap { logIndex(of: $0) }.map { Int(log[$0].slot) }
    }

    /// What the next undo would take back: the slot, the kind of change, and for a rating its response and
    /// criterion (so the UI can put the focus back where that change was made).
    public var nextUndoField: (slot: Int, kind: JournalEvent.Kind, response: String?, criterion: String?)? {
        guard let seq = undoable.last, let index = logIndex(of: seq) else { return nil }
        let change = log[index]
        return (Int(change.slot), change.kind, change.response, change.criterion)
    }

    /// The log position of change event `seq` (seqs only grow, so a binary search finds it).
    private func logIndex(of seq: Int) -> Int? {
        var low = 0, high = log.count
        while low < high {
            let middle = (low + high) / 2
            if log[middle].seq < seq { low = middle + 1 } else { high = middle }
        }
        if low < log.count, log[low].seq == seq { return low }
        return log.lastIndex { $0.seq == seq }
    }

    /// Applies one event whose fields have been checked against the study (see ``JournalLoader``).
    public mutating func apply(_ event: JournalEvent) throws {
        lastSeq = max(lastSeq, event.seq)
        if !event.t.isEmpty { lastTime = event.t }
        switch event.type {
        case .rating, .preference, .note, .flag, .error:
            // An error takes the preference's place: one field, so a later preference (or an undo) replaces it.
            let slot = event.slot!
            var change = FieldChange(
                seq: event.seq, slot: Int32(slot), kind: event.type == .error ? .preference : event.type, number: event.value,
                response: event.type == .rating ? event.response : nil, criterion: event.type == .rating ? event.criterion : nil,
                text: event.type == .preference || event.type == .flag ? event.option : event.text,
                note: event.type == .flag ? event.text : nil)
            if event.type == .error {
                change.text = nil
                change.note = "\(event.option ?? JudgeErrorSource.command.rawValue): \(event.text ?? "")"
                change.isError = true
            }
            let index = Int32(log.count)
            if let position = heads[slot].firstIndex(where: { log[Int($0)].sameField(as: change) }) {
                change.previous = heads[slot][position]
                heads[slot][position] = index
            } else {
                heads[slot].append(index)
            }
            log.append(change)
            undoable.append(event.seq)
            set(change, from: change)
            slots[slot].lastChange = event.t
        case .undo:
            guard let target = event.target, let position = undoable.lastIndex(of: target), let index = logIndex(of: target) else {
                throw BlindReviewError(message: "undo of event \(event.target.map(String.init) ?? "?"), which is not an undoable change still in force")
            }
            undoable.remove(at: position)
            let undone = log[index], slot = Int(undone.slot)
            guard let head = heads[slot].firstIndex(where: { log[Int($0)].sameField(as: undone) }) else { return }
            if Int(heads[slot][head]) == index {
                // The change in force: the one it replaced (if still in force) takes its place.
                if undone.previous >= 0 {
                    heads[slot][head] = undone.previous
                    set(undone, from: log[Int(undone.previous)])
                } else {
                    heads[slot].remove(at: head)
                    set(undone, from: nil)
                }
            } else {
                // A later change is in force: unlink the undone one from the chain, the value stays.
                var later = Int(heads[slot][head])
                while later >= 0, Int(log[later].previous) != index { later = Int(log[later].previous) }
                if later >= 0 { log[later].previous = undone.previous }
            }
        case .open:
            slots[event.slot!].visits += 1
        case .leave:
            slots[event.slot!].activeSeconds += max(0, event.activeSeconds ?? 0)
        }
    }

    /// Sets the field `key` names (in its slot) to `change`'s value, or clears it.
    private mutating func set(_ key: FieldChange, from change: FieldChange?) {
        let slot = Int(key.slot)
        switch key.kind {
        case .rating:
            slots[slot].setRating(response: key.response!, criterion: key.criterion!, value: change?.number)
        case .preference:
            slots[slot].preference = change?.text
            slots[slot].verdictError = change?.isError == true ? change?.note : nil
        case .note:
            let text = change?.text
            slots[slot].note = (text?.isEmpty ?? true) ? nil : text
        case .flag:
            slots[slot].flag = change?.text
            slots[slot].flagNote = change?.text == nil || (change?.note?.isEmpty ?? true) ? nil : change?.note
        default:
            break
        }
    }
}
