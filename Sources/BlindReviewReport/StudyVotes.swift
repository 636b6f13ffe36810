import BlindReviewCore

/// One annotator's judgment of one slot of their queue, in response terms (never sides), as the report uses it.
public struct Vote: Sendable {
    public var annotator: String
    public var slot: Int
    /// The slot in terms of the pair judged: for a hidden repeat, the original pair's item and response ids
    /// (sides as this annotator saw the repeat), so a repeat and its original compare directly.
    public var entry: QueueEntry
    public var judgment: SlotJudgment
    /// The preferred response id; nil for a tie or no preference.
    public var favoured: String?
    /// True when a preference was given (a tie counts).
    public var hasPreference: Bool

    /// True for a hidden repeat (known from the key, or from a version 1 study's queue; see ``RepeatMap``).
    public var isRepeat: Bool

    public var item: String { entry.item }
    /// The pair's two response ids in a fixed order (sorted), so labels mean the same for every annotator.
    public var canonical: (first: String, second: String) {
        entry.a < entry.b ? (entry.a, entry.b) : (entry.b, entry.a)
    }

    /// The preference as a response-level label: 0 = first response, 1 = tie, 2 = second response, with the
    /// pair's responses in sorted-id order. That order is arbitrary: agreement on these labels must be computed in
    /// a form that does not depend on it (``OrientationFreeAgreement``).
    public var label: Int? { label(first: canonical.first) }

    /// The preference as a label with `first` as the first response (0 first, 1 tie, 2 the other).
    public func label(first: String) -> Int? {
        guard hasPreference else { return nil }
        guard let favoured else { return 1 }
        return favoured == first ? 0 : 2
    }

    /// The side the preferred response was shown on; nil for ties.
    public var chosenSide: Side? { favoured.flatMap(entry.side(of:)) }

    /// The sum of this annotator's scores for a response, when every criterion is scored.
    public func total(_ response: String, rubric: Rubric) -> Int? {
        var sum = 0
        for criterion in rubric.criteria {
            guard let score = judgment.rating(response: response, criterion: criterion.id) else { return nil }
            sum += score
        }
        return sum
    }
}

/// Every judgment in a study's journals, gathered for the report.
public struct StudyVotes: Sendable {
    public var votes: [Vote]
    public var annotators: [String]

    public static func collect(study: Study, journals: [String: LoadedJournal], repeats: RepeatMap) -> StudyVotes {
        var votes: [Vote] = []
        for plan in study.annotators {
            guard let state = journals[plan.name]?.state else { continue }
            for (slot, shown) in plan.queue.enumerated() {
                var judgment = state.slots[slot]
                guard judgment.preference != nil || judgment.hasRatings else { continue }
                let entry = repeats.original(of: shown)
                // A withdrawn pair (or a repeat of one) leaves every count; its judgments stay in the journal.
                guard study.withdrawn.isEmpty || (study.withdrawn[shown.item] == nil && study.withdrawn[entry.item] == nil) else { continue }
                if entry != shown { judgment = judgment.renamingResponses([shown.a: entry.a, shown.b: entry.b]) }
                var favoured: String?
                if let option = judgment.preference.flatMap(study.rubric.preference.option), let side = option.favours {
                    favoured = entry.response(on: side)
                }
                votes.append(Vote(
                    annotator: plan.name, slot: slot, entry: entry, judgment: judgment, favoured: favoured,
                    hasPreference: judgment.preference != nil, isRepeat: repeats.isRepeat(shown)))
            }
        }
        return StudyVotes(votes: votes, annotators: study.annotators.map(\.name))
    }

    /// Votes on original (not repeated) slots.
    public var originals: [Vote] { votes.filter { !$0.isRepeat } }
}
