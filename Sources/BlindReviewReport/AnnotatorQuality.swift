import BlindReviewCore
import Foundation

/// How each annotator rated: agreement with the others, self-consistency on hidden repeats, position bias,
/// and speed.
public struct AnnotatorQuality: Sendable {
    public var annotator: String
    public var judged: Int
    /// The mean of this annotator's orientation-free Cohen's kappas against each co-rater, each on the pairs
    /// both judged (every shared pair counts, the hard ones included).
    public var meanKappa: Double?
    /// Co-raters with a defined kappa, and the pairs shared with them (summed).
    public var coRaters: Int
    public var sharedPairs: Int
    /// Share of hidden repeats judged the same (response-level) as the first time, with its Wilson interval.
    public var selfConsistency: Double?
    public var selfConsistencyWilson: (low: Double, high: Double)?
    public var repeatsCompared: Int
    /// Fewer than ``minimumRepeats`` repeats: too few to say much.
    public var tooFewRepeats: Bool { repeatsCompared < AnnotatorQuality.minimumRepeats }
    /// Share of non-tie choices that went to the left (A) side, with a test of "no position preference" that
    /// treats the pair as the unit (``SignFlipTest`` on left minus right choices per pair, hidden repeats
    /// included) and its Holm adjustment across the annotators.
    public var leftShare: Double?
    public var leftChoices: Int
    public var sideChoices: Int
    public var leftP: Double?
    public var leftPHolm: Double?
    public var leftTestMethod: String?
    public var medianSeconds: Double?
    /// Far faster than the rest: median under half the median of the others' medians.
    public var tooFast: Bool

    public static let minimumRepeats = 5

    /// The position test pooled over every annotator, clustered by pair.
    public struct PooledPosition: Sendable {
        public var leftShare: Double?
        public var leftChoices: Int
        public var sideChoices: Int
        public var pairs: Int
        public var designEffect: Double?
        public var test: SignFlipTest.Result
    }

    public static func compute(
        votes: StudyVotes, kappas: [AgreementSection.PairKappa], pairOrder: [String: Int], bootstrap: Int, seed: UInt64
    ) -> (annotators: [AnnotatorQuality], pooled: PooledPosition) {
        var medians: [String: Double] = [:]
        for annotator in votes.annotators {
            let seconds = votes.votes.filter { $0.annotator == annotator && $0.judgment.activeSeconds > 0 }.map(\.judgment.activeSeconds)
            if let median = StudyStatus.median(seconds) { medians[annotator] = median }
        }
        // Left minus right choices per pair (in the study's pair order), per annotator and pooled.
        func differences(_ list: [Vote]) -> [Int] {
            var perPair: [Int: Int] = [:]
            for vote in list {
                guard let side = vote.chosenSide, let position = pairOrder[vote.item] else { continue }
                perPair[position, default: 0] += side == .a ? 1 : -1
            }
            return perPair.keys.sorted().map { perPair[$0]! }
        }
        var result = votes.annotators.map { annotator -> AnnotatorQuality in
            let mine = votes.votes.filter { $0.annotator == annotator }
            let withMe = kappas.filter { $0.raters.0 == annotator || $0.raters.1 == annotator }
            let defined = withMe.compactMap(\.kappa.value)
            var same = 0, repeats = 0
            for vote in mine where vote.isRepeat {
                guard let label = vote.label, let first = mine.first(where: { !$0.isRepeat && $0.item == vote.item })?.label else { continue }
                repeats += 1
                if label == first { same += 1 }
            }
            let sides = mine.compactMap(\.chosenSide)
            let left = sides.filter { $0 == .a }.count
            let test = sides.isEmpty ? nil : SignFlipTest.test(differences(mine), replicates: bootstrap, seed: seed)
            let othersMedians = medians.filter { $0.key != annotator }.map(\.value)
            let fast = medians[annotator].map { mine in
                othersMedians.count >= 2 && mine < 0.5 * (StudyStatus.median(othersMedians) ?? 0)
            } ?? false
            return AnnotatorQuality(
                annotator: annotator, judged: mine.filter { !$0.isRepeat && $0.hasPreference }.count,
                meanKappa: defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count),
                coRaters: defined.count, sharedPairs: withMe.filter { $0.kappa.value != nil }.reduce(0) { $0 + $1.pairs },
                selfConsistency: repeats > 0 ? Double(same) / Double(repeats) : nil,
                selfConsistencyWilson: ProportionTests.wilson(successes: Double(same), trials: Double(repeats)), repeatsCompared: repeats,
                leftShare: sides.isEmpty ? nil : Double(left) / Double(sides.count), leftChoices: left, sideChoices: sides.count,
                leftP: test?.p, leftPHolm: nil, leftTestMethod: test?.method,
                medianSeconds: medians[annotator], tooFast: fast)
        }
        let adjusted = HolmAdjustment.adjust(result.map(\.leftP))
        for i in result.indices { result[i].leftPHolm = adjusted[i] }
        let allSides = votes.votes.compactMap(\.chosenSide)
        let allLeft = allSides.filter { $0 == .a }.count
        let pooledDifferences = differences(votes.votes)
        var leftPerPair: [Int: (Double, Double)] = [:]
        for vote in votes.votes {
            guard let side = vote.chosenSide, let position = pairOrder[vote.item] else { continue }
            var t = leftPerPair[position] ?? (0, 0)
            t.1 += 1
            if side == .a { t.0 += 1 }
            leftPerPair[position] = t
        }
        let orderedPairs = leftPerPair.keys.sorted()
        let pooled = PooledPosition(
            leftShare: allSides.isEmpty ? nil : Double(allLeft) / Double(allSides.count), leftChoices: allLeft,
            sideChoices: allSides.count, pairs: pooledDifferences.count,
            designEffect: PairClusterWinRate.designEffect(successes: orderedPairs.map { leftPerPair[$0]!.0 }, trials: orderedPairs.map { leftPerPair[$0]!.1 }),
            test: SignFlipTest.test(pooledDifferences, replicates: bootstrap, seed: seed))
        return (result, pooled)
    }
}
