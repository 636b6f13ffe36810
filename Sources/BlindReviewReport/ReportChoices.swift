import BlindReviewCore

/// What the lead chose for the unblinded results of `report` (and the votes `export` writes): whether gold pairs
/// and adjudicated verdicts are used, and the gold-accuracy threshold.
///
///     var choices = ReportChoices()
///     choices.adjudicated = true      // report --adjudicated
public struct ReportChoices: Sendable {
    /// Use adjudicators' verdicts in place of the people's votes on the pairs they settled (``AdjudicatedVotes``).
    public var adjudicated = false
    /// Count gold pairs in win rates and exports (by default they are left out: the lead chose them and their
    /// answer, so they are no sample of the models' behaviour).
    public var includeGold = false
    /// Gold accuracy below this flags an annotator (``GoldAccuracy``).
    public var goldThreshold = GoldAccuracy.defaultThreshold

    public init() {}

    /// The votes the model comparison and exports use: gold pairs left out unless asked for, adjudicated verdicts
    /// in place of the people's where asked for. Agreement and annotator quality always use the people's votes.
    public func resultVotes(
        _ votes: StudyVotes, study: Study, key: StudyKey?, derived: [String: DerivedJournal], repeats: RepeatMap
    ) -> (votes: StudyVotes, goldLeftOut: Int, adjudication: AdjudicatedVotes?) {
        var result = votes
        var adjudication: AdjudicatedVotes?
        if adjudicated {
            let applied = AdjudicatedVotes.apply(to: result, study: study, derived: derived, repeats: repeats)
            result = applied.votes
            adjudication = applied
        }
        // After adjudication, so that a verdict on a gold pair does not bring it back.
        var goldLeftOut = 0
        if !includeGold, let gold = key?.gold, !gold.isEmpty {
            let before = Set(result.votes.map(\.item))
            result.votes.removeAll { gold[$0.item] != nil }
            goldLeftOut = before.filter { gold[$0] != nil }.count
            if var applied = adjudication {
                // The summary counts only the verdicts the results use.
                applied.settledGold = applied.settledItems.filter { gold[$0] != nil }.count
                applied.settled -= applied.settledGold
                adjudication = applied
            }
        }
        return (result, goldLeftOut, adjudication)
    }
}
