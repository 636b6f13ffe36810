import BlindReviewCore

/// Each annotator's accuracy on the gold (known-answer) pairs of `create --gold`: the share of gold pairs they gave
/// a preference on where they preferred the response the key expects. A tie counts as a miss (a gold pair is one
/// the lead judged clearly decided). With a gold `min_score`, a preference for the expected response also needs
/// every score the annotator gave that response to be at least the minimum. Hidden repeats of a gold pair are not
/// counted again (they measure self-consistency). The interval is Wilson's score interval (95%).
///
///     let gold = GoldAccuracy.compute(votes: votes, key: key, threshold: 0.7)
///     gold.annotators[0]   // alice: 9 of 10 (0.90, Wilson [0.60, 0.98])
public struct GoldAccuracy: Sendable {
    public struct Annotator: Sendable {
        public var annotator: String
        /// Gold pairs this annotator gave a preference on.
        public var judged: Int
        public var correct: Int
        public var accuracy: Double? { judged > 0 ? Double(correct) / Double(judged) : nil }
        public var wilson: (low: Double, high: Double)?
        /// Accuracy below the threshold.
        public var below: Bool
    }

    /// The default `--gold-threshold`: an annotator right on fewer than 70% of gold pairs is flagged.
    public static let defaultThreshold = 0.7

    /// Gold pairs in the study (from the key).
    public var goldPairs: Int
    public var threshold: Double
    /// One row per annotator, in the study's order (an annotator with no gold judgment has `judged` 0).
    public var annotators: [Annotator]

    /// The annotators flagged as below the threshold.
    public var flagged: [String] { annotators.filter(\.below).map(\.annotator) }

    /// nil when the key lists no gold pairs (or there is no key).
    public static func compute(votes: StudyVotes, key: StudyKey?, rubric: Rubric, threshold: Double = defaultThreshold) -> GoldAccuracy? {
        guard let gold = key?.gold, !gold.isEmpty else { return nil }
        var judged: [String: Int] = [:], correct: [String: Int] = [:]
        for vote in votes.votes where !vote.isRepeat && vote.hasPreference {
            guard let answer = gold[vote.item] else { continue }
            judged[vote.annotator, default: 0] += 1
            if passes(vote, answer: answer, rubric: rubric) { correct[vote.annotator, default: 0] += 1 }
        }
        let rows = votes.annotators.map { name -> Annotator in
            let n = judged[name] ?? 0, k = correct[name] ?? 0
            return Annotator(
                annotator: name, judged: n, correct: k,
                wilson: ProportionTests.wilson(successes: Double(k), trials: Double(n)),
                below: n > 0 && Double(k) / Double(n) < threshold)
        }
        return GoldAccuracy(goldPairs: gold.count, threshold: threshold, annotators: rows)
    }

    /// True when the vote prefers the expected response (and meets the minimum score, when there is one).
    public static func passes(_ vote: Vote, answer: GoldAnswer, rubric: Rubric) -> Bool {
        guard vote.favoured == answer.expected else { return false }
        guard let minimum = answer.minScore else { return true }
        for criterion in rubric.criteria {
            if let score = vote.judgment.rating(response: answer.expected, criterion: criterion.id), score < minimum { return false }
        }
        return true
    }

    /// The text report's block.
    public func text() -> [String] {
        var out = ["Gold checks (\(goldPairs) known-answer pairs; a tie counts as a miss; flagged below \(Int((threshold * 100).rounded()))%):"]
        for row in annotators {
            let figure = row.accuracy.map { accuracy in
                let interval = row.wilson.map { String(format: " [%.2f, %.2f]", $0.low, $0.high) } ?? ""
                return "\(row.correct) of \(row.judged) right, " + String(format: "%.2f", accuracy) + interval
            } ?? "no gold pair judged yet"
            out.append("  \(row.annotator): \(figure)\(row.below ? "  BELOW THRESHOLD" : "")")
        }
        return out
    }
}
