import Foundation
import SeededRandom

/// A win rate with pair-cluster inference: several annotators judging one pair give correlated votes, so the
/// pair, not the vote, is the unit that is resampled and tested.
///
/// The estimate is the ratio of sums over pairs, `sum(wins) / sum(wins + losses)` (and, with ties as half a win,
/// `sum(wins + ties / 2) / sum(votes)`). Its interval is the percentile bootstrap over pairs, each drawn with all
/// of its votes (Efron & Tibshirani 1993, "An Introduction to the Bootstrap", ch. 13; for clustered data,
/// Field & Welsh 2007, "Bootstrapping clustered data", JRSS B 69:369-390: resampling clusters is consistent
/// when clusters are independent). Only the per-pair sums are kept, so a replicate costs one draw and two
/// additions per pair. The test of "no difference" is ``SignFlipTest`` on the per-pair differences
/// wins - losses. The design effect is the linearised cluster variance of the ratio divided by the variance
/// it would have if the votes were independent (Kish 1965, "Survey Sampling", section 8.2).
///
///     let tally = PairClusterWinRate.Tally(wins: [3, 2, 0], ties: [0, 1, 0], losses: [0, 0, 3])
///     PairClusterWinRate.estimate(tally, replicates: 1000, seed: 1).winRateNoTies   // 0.625
public enum PairClusterWinRate {
    /// Per-pair vote counts, in the study's canonical pair order.
    public struct Tally: Sendable {
        public var wins: [Double]
        public var ties: [Double]
        public var losses: [Double]
        public init(wins: [Double], ties: [Double], losses: [Double]) { (self.wins, self.ties, self.losses) = (wins, ties, losses) }
        public var pairs: Int { wins.count }
    }

    /// One vote for the two-way bootstrap: its pair (index into the tally), its annotator, and its outcome.
    public struct Vote: Sendable {
        public var pair: Int
        public var annotator: Int
        /// 1 a win, 0.5 a tie, 0 a loss (for the first model).
        public var score: Double
        public init(pair: Int, annotator: Int, score: Double) { (self.pair, self.annotator, self.score) = (pair, annotator, score) }
    }

    public struct Result: Sendable {
        public var pairs: Int
        public var votes: Int
        public var winRateNoTies: Double?
        public var winRateTiesHalf: Double?
        public var intervalNoTies: ResampledInterval?
        public var intervalTiesHalf: ResampledInterval?
        /// Cluster variance over independent-vote variance of the win rate without ties; nil below two pairs.
        public var designEffect: Double?
        public var test: SignFlipTest.Result
    }

    /// Kish's design effect of a share pooled over pairs: the linearised cluster variance of
    /// `sum(successes) / sum(trials)` over the binomial variance; nil below two pairs or at a share of 0 or 1.
    public static func designEffect(successes: [Double], trials: [Double]) -> Double? {
        let n = successes.count
        let k = successes.reduce(0, +), m = trials.reduce(0, +)
        guard n >= 2, m > 0 else { return nil }
        let rate = k / m
        guard rate > 0, rate < 1 else { return nil }
        var sum = 0.0
        for i in 0..<n {
            let residual = successes[i] - rate * trials[i]
            sum += residual * residual
        }
        let clustered = Double(n) / Double(n - 1) * sum / (m * m)
        return clustered / (rate * (1 - rate) / m)
    }

    public static func estimate(
        _ tally: Tally, votes: [Vote] = [], annotators: Int = 0, unit: ResamplingUnit = .pairs,
        replicates: Int, seed: UInt64
    ) -> Result {
        let n = tally.pairs
        let wins = tally.wins.reduce(0, +), ties = tally.ties.reduce(0, +), losses = tally.losses.reduce(0, +)
        let decided = wins + losses, all = decided + ties
        let rate = decided > 0 ? wins / decided : nil
        let designEffect = PairClusterWinRate.designEffect(successes: tally.wins, trials: (0..<n).map { tally.wins[$0] + tally.losses[$0] })
        var noTies: [Double] = [], tiesHalf: [Double] = []
        if replicates > 0 && n > 0 {
            noTies.reserveCapacity(replicates)
            tiesHalf.reserveCapacity(replicates)
            var rng = SplitMix64(seed: seed, stream: "win-rate")
            if unit == .pairsAndAnnotators && annotators > 0 {
                var pairWeight = [Double](repeating: 0, count: n), annotatorWeight = [Double](repeating: 0, count: annotators)
                for _ in 0..<replicates {
                    for i in 0..<n { pairWeight[i] = 0 }
                    for a in 0..<annotators { annotatorWeight[a] = 0 }
                    for _ in 0..<n { pairWeight[rng.below(n)] += 1 }
                    for _ in 0..<annotators { annotatorWeight[rng.below(annotators)] += 1 }
                    var w = 0.0, d = 0.0, s = 0.0, v = 0.0
                    for vote in votes {
                        let weight = pairWeight[vote.pair] * annotatorWeight[vote.annotator]
                        guard weight > 0 else { continue }
                        v += weight
                        s += weight * vote.score
                        if vote.score != 0.5 { d += weight; w += weight * vote.score }
                    }
                    if d > 0 { noTies.append(w / d) }
                    if v > 0 { tiesHalf.append(s / v) }
                }
            } else {
                for _ in 0..<replicates {
                    var w = 0.0, t = 0.0, l = 0.0
                    for _ in 0..<n {
                        let i = rng.below(n)
                        w += tally.wins[i]; t += tally.ties[i]; l += tally.losses[i]
                    }
                    if w + l > 0 { noTies.append(w / (w + l)) }
                    if w + t + l > 0 { tiesHalf.append((w + t / 2) / (w + t + l)) }
                }
            }
        }
        let what = unit == .pairsAndAnnotators && annotators > 0 ? ResamplingUnit.pairsAndAnnotators.description : ResamplingUnit.pairs.description
        let differences = (0..<n).map { Int(tally.wins[$0] - tally.losses[$0]) }
        return Result(
            pairs: n, votes: Int(all), winRateNoTies: rate, winRateTiesHalf: all > 0 ? (wins + ties / 2) / all : nil,
            intervalNoTies: ResampledInterval.percentile(noTies, resampled: what, replicates: replicates),
            intervalTiesHalf: ResampledInterval.percentile(tiesHalf, resampled: what, replicates: replicates),
            designEffect: designEffect,
            test: SignFlipTest.test(differences, replicates: replicates, seed: seed))
    }
}
