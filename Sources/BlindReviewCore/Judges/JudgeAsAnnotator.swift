import Foundation

/// `--include-judges`: a judge counted as one more annotator, with one verdict per pair made from its two orders
/// by MT-Bench's conservative rule (Zheng et al. 2023, "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena",
/// section 3.4: a win only when both orders agree, otherwise a tie):
/// - both orders favour the same response, or both say tie: that verdict;
/// - the orders disagree (each favours the response it showed first, or a tie in one order only): a tie;
/// - only one order judged: that order's verdict;
/// - an error in either order: no verdict for the pair (the error is counted in the judge section).
/// Scores come from the first order (else the second). Adjudicators are never merged.
///
///     let (study, journals) = JudgeAsAnnotator.merge(study: study, journals: all)
///     journals.journals["gpt-4"]?.state.slots[0].preference
public enum JudgeAsAnnotator {
    public static func merge(study: Study, journals: StudyJournals) -> (Study, StudyJournals) {
        var study = study
        var merged = journals
        for (name, derived) in journals.derived.sorted(by: { $0.key < $1.key }) where derived.kind == .judge {
            var queue: [QueueEntry] = []
            var state = JournalState(slotCount: study.itemIDs.count)
            var seq = 0
            for index in study.itemIDs.indices {
                let firstSlot = DerivedQueue.judgeSlot(pairIndex: index, swapped: false)
                guard firstSlot + 1 < derived.plan.queue.count else { break }
                let entry = derived.plan.queue[firstSlot]
                queue.append(entry)
                let one = derived.journal.state.slots[firstSlot], two = derived.journal.state.slots[firstSlot + 1]
                let option = verdict(one, two, entry: entry, swapped: derived.plan.queue[firstSlot + 1], rubric: study.rubric)
                func apply(_ event: JournalEvent) {
                    seq += 1
                    var numbered = event
                    numbered.seq = seq
                    try? state.apply(numbered)
                }
                if let option { apply(.preference(slot: queue.count - 1, item: entry.item, option: option)) }
                let scored = one.hasRatings ? one : two
                // `scores` are sorted by response id, then criterion id.
                for score in scored.scores {
                    apply(.rating(slot: queue.count - 1, item: entry.item, response: score.response, criterion: score.criterion, value: score.value))
                }
            }
            study.annotators.append(AnnotatorPlan(name: name, queue: queue))
            var header = derived.journal.header
            header.kind = nil
            merged.journals[name] = LoadedJournal(header: header, state: state, events: [], eventCount: 0, warnings: [], intactLength: 0)
        }
        return (study, merged)
    }

    /// A judge's verdict on a pair from its two orders.
    public enum PairVerdict: Equatable, Sendable {
        /// The favoured response id.
        case favours(String)
        case tie
    }

    /// The pair's verdict by the rule above: `one` is the slot showing `entry`, `two` the swapped slot; nil when
    /// neither order was judged or either holds an error.
    public static func pairVerdict(_ one: SlotJudgment, _ two: SlotJudgment, entry: QueueEntry, swapped: QueueEntry, rubric: Rubric) -> PairVerdict? {
        guard one.verdictError == nil, two.verdictError == nil else { return nil }
        func favoured(_ judgment: SlotJudgment, _ shown: QueueEntry) -> PairVerdict? {
            guard let id = judgment.preference, let option = rubric.preference.option(id) else { return nil }
            return option.favours.map { .favours(shown.response(on: $0)) } ?? .tie
        }
        switch (favoured(one, entry), favoured(two, swapped)) {
        case (nil, nil): return nil
        case (.some(let x), nil): return x
        case (nil, .some(let y)): return y
        case (.some(let x), .some(let y)): return x == y ? x : .tie
        }
    }

    /// The pair's verdict as an option id of the rubric, sides as `entry` shows them.
    static func verdict(_ one: SlotJudgment, _ two: SlotJudgment, entry: QueueEntry, swapped: QueueEntry, rubric: Rubric) -> String? {
        switch pairVerdict(one, two, entry: entry, swapped: swapped, rubric: rubric) {
        case nil: return nil
        case .tie: return JudgeJournal.option(favouring: nil, rubric: rubric)
        case .favours(let response): return JudgeJournal.option(favouring: entry.side(of: response), rubric: rubric)
        }
    }
}
