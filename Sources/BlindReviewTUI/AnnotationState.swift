import BlindReviewCore

/// Which panel PgUp/PgDn/Space scroll.
public enum Panel: Int, CaseIterable, Sendable {
    case prompt, responseA, responseB
}

/// A row of the rubric panel: a criterion (by index), the preference, or the note.
public enum RubricRow: Equatable, Sendable {
    case criterion(Int)
    case preference
    case note
}

/// What covers the screen, if anything.
public enum Overlay: Equatable, Sendable {
    case none
    case help
    /// Leaving a pair with required fields missing: where to go if confirmed, and what is missing.
    case confirmLeave(target: Int, missing: [String])
    case summary
    /// Choosing why to flag the pair (``PairFlag``).
    case flag
    /// The study's guidelines (`i`, and on a first open).
    case guidelines
    /// Adjudication: the other annotators' verdicts and scores on this pair, in this screen's sides (`v`).
    case verdicts
}

/// A flag being written: its reason is chosen, its optional note is being typed.
public struct FlagDraft: Equatable, Sendable {
    public var reason: PairFlag
    public var note: String
}

/// Everything the annotation screen shows, as a value. `update` makes a new one from a message; `view` draws it.
public struct AnnotationState: Sendable {
    /// The effective study (amendments applied); replaced when the lead amends it (``Message/studyAmended(_:items:journal:)``).
    public internal(set) var study: Study
    public internal(set) var items: StudyItems
    public let annotator: String
    public internal(set) var queue: [QueueEntry]
    /// Slots whose pair the lead withdrew: skipped, and neither done nor left.
    public internal(set) var withdrawnSlots: Set<Int> = []
    public var journal: JournalState

    /// The queue position being shown.
    public var slot: Int
    public var item: StudyItem?
    public var loadError: String?
    public var focus: Panel = .responseA
    public var rubricRow: RubricRow = .criterion(0)
    public var rubricSide: Side = .a
    /// Scroll offsets (first visible line) per panel, for the current pair.
    public var scroll: [Panel: Int] = [:]
    public var showReference = true
    public var overlay: Overlay = .none
    /// The note being typed, while editing.
    public var noteDraft: String?
    /// The flag's note being typed, after its reason was chosen.
    public var flagDraft: FlagDraft?
    /// The longest note, in characters.
    public static let noteLimit = 2000
    public var width: Int
    public var height: Int
    /// The last save's outcome, for the header.
    public var saveStatus: SaveStatus = .idle
    public var message: String?
    /// Until when (seconds since 1970) `message` survives keys: set for notices the annotator must not miss
    /// (``hold(_:at:)``); nil for ordinary lines, which the next key clears.
    public var heldMessageUntil: Double?
    /// How long a held notice stays on screen while the annotator keeps typing.
    public static let noticeSeconds: Double = 8
    public var quitting = false
    /// The lead retired this annotator while the session ran: it ends (see ``AnnotationUpdate/amended``).
    public var retired = false
    /// Journal writes that failed, oldest first, retried on `s` or the next key; while any is pending no other
    /// change is accepted. Nothing in them is shown as saved.
    public var unsaved: [Effect] = []
    /// Why the pending writes failed, as the system says it.
    public var unsavedReason: String?

    /// Active time on the current visit: pauses longer than ``idleLimit`` do not count.
    public var visitSeconds: Double = 0
    public var lastInput: Double?
    public static let idleLimit: Double = 300

    public let wrapCache = WrapCache()
    public let searchCache = SearchCache()
    public let diffCache = DiffCache()
    /// Each response's lines as shown (raw or Markdown), per width, wrapped as far as read.
    public let responseLineCache = WrappedLinesCache()
    /// Each response turn made safe to draw (independent of the width).
    public let safeLineCache = SafeLinesCache()
    /// Whether `m` shows responses Markdown-aware (raw text is the default).
    public var showMarkdown = false
    /// Set by `blindreview adjudicate`: only these slots are visited, in this order, a pair is done once it has a
    /// final verdict (a preference; scores optional), and `v` shows what the others said (``AdjudicationBrief``).
    public private(set) var adjudication: AdjudicationBrief?
    /// The study's guidelines for annotators, if it has any (see ``showGuidelinesOnFirstOpen()``).
    public var guidelines: String?
    /// The first line shown of a scrolling overlay (help, guidelines).
    public var overlayScroll = 0
    /// Whether `d` marks what differs between A and B.
    public var showDiff = false

    /// The search text being typed after `/`.
    public var searchDraft: String?
    /// The active search: its hits are marked, `n` / `N` move between them, Esc ends it.
    public var search: SearchState?

    public enum SaveStatus: Equatable, Sendable {
        case idle, saving, saved, failed(String)
    }

    /// Opens on the first unfinished pair (or the first pair, when all are done: then the summary shows).
    public init(study: Study, items: StudyItems, annotator: String, journal: JournalState, width: Int, height: Int) {
        self.study = study
        self.items = items
        self.annotator = annotator
        let queue = study.plan(for: annotator)?.queue ?? []
        self.queue = queue
        withdrawnSlots = Set(queue.indices.filter { study.withdrawn[queue[$0].item] != nil })
        self.journal = journal
        self.width = width
        self.height = height
        slot = 0
        // A rubric may have no criterion (a preference only): start on its first row, whatever it is.
        rubricRow = rubricRows[0]
        if let first = queue.indices.first(where: { !withdrawnSlots.contains($0) && !isComplete($0) }) {
            slot = first
        } else if !queue.isEmpty {
            slot = queue.indices.first { !withdrawnSlots.contains($0) } ?? 0
            overlay = .summary
        }
        loadItem()
    }

    /// Sets the guidelines, and opens them on this annotator's first visit (no pair opened
    /// before this one, nothing judged yet).
    public mutating func showGuidelinesOnFirstOpen(_ text: String?) {
        guidelines = text
        if text != nil, journal.slots.reduce(0, { $0 + $1.visits }) <= 1, journal.undoable.isEmpty {
            overlay = .guidelines
            overlayScroll = 0
        }
    }

    public var entry: QueueEntry? { queue.indices.contains(slot) ? queue[slot] : nil }
    public var judgment: SlotJudgment { journal.slots.indices.contains(slot) ? journal.slots[slot] : SlotJudgment() }
    public var rubric: Rubric { study.rubric }

    public func isComplete(_ slot: Int) -> Bool {
        if adjudication != nil { return journal.slots[slot].preference != nil }
        return journal.slots[slot].isComplete(rubric: study.rubric, entry: queue[slot])
    }

    /// Pairs done among those this session goes through (withdrawn ones not counted).
    public var doneCount: Int { visitOrder.filter(isComplete).count }

    /// The pairs this session goes through: the whole queue, or the pairs to adjudicate, without withdrawn pairs.
    public var totalCount: Int {
        if let brief = adjudication { return withdrawnSlots.isEmpty ? brief.slots.count : brief.slots.filter { !withdrawnSlots.contains($0) }.count }
        return queue.count - withdrawnSlots.count
    }

    /// Pairs to rate: ``totalCount``.
    public var activeCount: Int { totalCount }

    /// Every pair still to rate is done.
    public var allDone: Bool { doneCount == totalCount }

    /// Whether the slot's pair was withdrawn by the lead.
    public func isWithdrawn(_ slot: Int) -> Bool { withdrawnSlots.contains(slot) }

    /// The slots in the order `n`, `p` and `g` visit them (withdrawn pairs skipped).
    public var visitOrder: [Int] {
        let all = adjudication?.slots ?? Array(queue.indices)
        return withdrawnSlots.isEmpty ? all : all.filter { !withdrawnSlots.contains($0) }
    }

    /// The current pair's place in ``visitOrder`` (nil when an undo led outside it, or on a withdrawn pair).
    public var visitPosition: Int? { adjudication == nil && withdrawnSlots.isEmpty ? slot : visitOrder.firstIndex(of: slot) }

    /// What the current pair still needs before it counts as done.
    public var missingHere: [String] {
        guard let entry else { return [] }
        if adjudication != nil { return judgment.preference == nil ? ["the final verdict (" + rubric.preference.options.map(\.key).joined(separator: "/") + ")"] : [] }
        return judgment.missing(rubric: rubric, entry: entry)
    }

    /// Restricts the session to the pairs of an adjudication, opening on the first without a verdict (the summary
    /// when all have one).
    public mutating func adjudicate(_ brief: AdjudicationBrief) {
        adjudication = brief
        overlay = .none
        if let first = visitOrder.first(where: { !isComplete($0) }) {
            slot = first
        } else if let first = visitOrder.first {
            slot = first
            overlay = .summary
        }
        loadItem()
    }

    /// Rows of the rubric panel, in order.
    public var rubricRows: [RubricRow] {
        rubric.criteria.indices.map(RubricRow.criterion) + [.preference, .note]
    }

    /// Response id shown on `side` for the current pair.
    public func responseID(_ side: Side) -> String? { entry?.response(on: side) }

    public func response(_ side: Side) -> BlindResponse? {
        guard let id = responseID(side) else { return nil }
        return item?.response(id)
    }

    mutating func loadItem() {
        guard let entry else { item = nil; return }
        do {
            item = try items.item(id: entry.item)
            loadError = nil
        } catch {
            item = nil
            loadError = "\(error)"
        }
    }
}

extension AnnotationState {
    /// Shows `notice` and keeps it through the keys of the next ``noticeSeconds`` from `time`.
    ///
    ///     state.hold("The journal was replaced on disk; …", at: now)
    ///     // a key 2 s later: still shown; a key 9 s later: cleared
    public mutating func hold(_ notice: String, at time: Double) {
        message = notice
        heldMessageUntil = time + AnnotationState.noticeSeconds
    }
}
