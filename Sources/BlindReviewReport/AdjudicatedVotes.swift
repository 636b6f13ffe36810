import BlindReviewCore

/// The votes with adjudicated verdicts in place of the people's: on every pair an adjudicator gave a verdict, the
/// people's votes are set aside and the adjudicator's verdict (with its scores) is the pair's vote. With two or
/// more adjudicators on one pair, each of their verdicts is a vote. Agreement is never computed on these votes
/// (adjudication settles a dispute; it does not make the annotators agree).
///
///     let applied = AdjudicatedVotes.apply(to: votes, study: study, derived: journals.derived, repeats: repeats)
///     applied.settled   // 4 (pairs whose vote is now the adjudicator's)
public struct AdjudicatedVotes: Sendable {
    public var votes: StudyVotes
    /// Pairs decided by an adjudicator whose verdict the results use (gold pairs left out of the results are
    /// counted in `settledGold` instead).
    public var settled: Int
    /// Gold pairs an adjudicator decided while gold pairs are left out of the results (so their verdicts are unused).
    public var settledGold = 0
    /// The pairs decided, by id.
    public var settledItems: Set<String> = []
    /// Adjudicators with at least one verdict, by name.
    public var adjudicators: [String]

    public static func apply(to votes: StudyVotes, study: Study, derived: [String: DerivedJournal], repeats: RepeatMap) -> AdjudicatedVotes {
        var verdicts: [Vote] = []
        var names: [String] = []
        for name in derived.keys.sorted() {
            guard let journal = derived[name], journal.kind == .adjudicator else { continue }
            var alone = study
            alone.annotators = [journal.plan]
            var mine = StudyVotes.collect(study: alone, journals: [name: journal.journal], repeats: repeats).votes
                .filter(\.hasPreference).map { vote -> Vote in
                    var copy = vote
                    copy.isRepeat = false  // one slot per pair: a verdict on a hidden repeat settles the pair it repeats
                    return copy
                }
            var seen = Set<String>()
            mine = mine.filter { seen.insert($0.item).inserted }
            guard !mine.isEmpty else { continue }
            names.append(name)
            verdicts += mine
        }
        let settled = Set(verdicts.map(\.item))
        var result = votes
        result.votes.removeAll { settled.contains($0.item) }
        result.votes += verdicts
        result.annotators += names.filter { !result.annotators.contains($0) }
        return AdjudicatedVotes(votes: result, settled: settled.count, settledItems: settled, adjudicators: names)
    }

    /// The line each format prints: how many pairs carry an adjudicated verdict.
    public var summary: String {
        settled == 0 && settledGold > 0
            ? "adjudicated: \(settledGold) gold pair\(settledGold == 1 ? "" : "s") decided by \(adjudicators.joined(separator: ", ")), left out of the results with the other gold pairs; no other pair has an adjudicated verdict yet"
            : settled == 0
            ? "adjudicated: no pair has an adjudicated verdict yet; the people's votes are used"
            : "adjudicated: \(settled) pair\(settled == 1 ? "" : "s") decided by \(adjudicators.joined(separator: ", ")) in place of the people's votes"
                + (settledGold == 0 ? "" : " (and \(settledGold) gold pair\(settledGold == 1 ? "" : "s"), left out of the results with the other gold pairs)")
    }
}
