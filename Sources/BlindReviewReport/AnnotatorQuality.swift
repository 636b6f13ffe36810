import BlindReviewCore
import Foundation

/// How each annotator rated: agreement with the others, self-consistency on hidden repeats, position bias,
/// and speed.
public struct AnnotatorQuality: Sendable {
    public var annotator: String
    public var judged: Int
    /// Share of pairs where this annotator's preference equals the majority of the others' (pairs with a strict
    /// majority among at least one other annotator).
    public var agreementWithOthers: Double?
    public var agreementPairs: Int
    /// Share of hidden repeats judged the same (response-level) as the first time.
    public var selfConsistency: Double?
    public var repeatsCompared: Int
    /// Share of non-tie choices that went to the left (A) side, with a two-sided sign test against 1/2.
    public var leftShare: Double?
    public var leftChoices: Int
    public var sideChoices: Int
    public var leftP: Double?
    public var medianSeconds: Double?
    /// Far faster than the rest: median under half the median of the others' medians.
    public var tooFast: Bool

    public static func compute(votes: StudyVotes) -> [AnnotatorQuality] {
        var labels: [String: [String: Int]] = [:]  // item -> annotator -> label (originals)
        for vote in votes.originals { if let label = vote.label { labels[vote.item, default: [:]][vote.annotator] = label } }
        var medians: [String: Double] = [:]
        for annotator in votes.annotators {
            let seconds = votes.votes.filter { $0.annotator == annotator && $0.judgment.activeSeconds > 0 }.map(\.judgment.activeSeconds)
            if let median = StudyStatus.median(seconds) { medians[annotator] = median }
        }
        return votes.annotators.map { annotator in
            let mine = votes.votes.filter { $0.annotator == annotator }
            var agree = 0, compared = 0
            for vote in mine where !vote.isRepeat {
                guard let label = vote.label else { continue }
                let others = (labels[vote.item] ?? [:]).filter { $0.key != annotator }.map(\.value)
                guard !others.isEmpty else { continue }
                let counts = Dictionary(grouping: others, by: { $0 }).mapValues(\.count)
                let top = counts.max { $0.value < $1.value }!
                guard counts.values.filter({ $0 == top.value }).count == 1 else { continue }
                compared += 1
                if top.key == label { agree += 1 }
            }
            var same = 0, repeats = 0
            for vote in mine where vote.isRepeat {
                guard let label = vote.label, let first = mine.first(where: { !$0.isRepeat && $0.item == vote.item })?.label else { continue }
                repeats += 1
                if label == first { same += 1 }
            }
            let sides = mine.compactMap(\.chosenSide)
            let left = sides.filter { $0 == .a }.count
            let othersMedians = medians.filter { $0.key != annotator }.map(\.value)
            let fast = medians[annotator].map { mine in
                othersMedians.count >= 2 && mine < 0.5 * (StudyStatus.median(othersMedians) ?? 0)
            } ?? false
            return AnnotatorQuality(
                annotator: annotator, judged: mine.filter { !$0.isRepeat && $0.hasPreference }.count,
                agreementWithOthers: compared > 0 ? Double(agree) / Double(compared) : nil, agreementPairs: compared,
                selfConsistency: repeats > 0 ? Double(same) / Double(repeats) : nil, repeatsCompared: repeats,
                leftShare: sides.isEmpty ? nil : Double(left) / Double(sides.count), leftChoices: left, sideChoices: sides.count,
                leftP: sides.isEmpty ? nil : ProportionTests.signTest(successes: left, trials: sides.count),
                medianSeconds: medians[annotator], tooFast: fast)
        }
    }
}
