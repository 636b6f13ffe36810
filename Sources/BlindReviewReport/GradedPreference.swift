import AgreementStats
import BlindReviewCore
import SeededRandom

/// For a rubric whose preference is a graded scale ("A much better" ... "B much better", options with a
/// `strength`): the mean signed strength per pair of models with an interval from a bootstrap over pairs, and
/// agreement on the scale as ordinal (Krippendorff's alpha, orientation-free, see ``OrientationFreeAgreement``).
///
/// A vote's margin toward a model is +strength when it prefers that model's response, -strength when it prefers
/// the other, 0 for a tie; a pair of models reads "candidate vs reference" as everywhere in the report.
///
///     GradedPreference.compute(study: study, key: key, votes: votes, bootstrap: 1000, seed: 1)?.pairs[0].mean  // 0.8
public struct GradedPreference: Sendable {
    public struct PairMargin: Sendable {
        public var first: String
        public var second: String
        /// Mean signed strength toward `first`, over votes.
        public var mean: Double
        public var interval: ResampledInterval?
        public var pairs: Int
        public var votes: Int
    }

    /// The largest strength (the scale runs from -maxStrength to +maxStrength).
    public var maxStrength: Int
    public var alphaOrdinal: AgreementSection.Coefficient
    public var pairs: [PairMargin]

    public static func compute(study: Study, key: StudyKey?, votes: StudyVotes, bootstrap: Int, seed: UInt64) -> GradedPreference? {
        let question = study.rubric.preference
        guard question.isGraded else { return nil }
        let top = question.maxStrength
        let order = study.itemIndex()
        func strength(_ vote: Vote, toward response: String) -> Int? {
            guard let id = vote.judgment.preference, let option = question.option(id) else { return nil }
            guard let side = vote.entry.side(of: response) else { return nil }
            return option.signedStrength(toward: side)
        }
        // Agreement: one row per pair, labels from "first response preferred most" (0) to "second most" (2 top).
        let originals = votes.votes.filter { !$0.isRepeat && $0.hasPreference && order[$0.item] != nil }
        let annotators = Array(Set(originals.map(\.annotator))).sorted()
        let column = Dictionary(uniqueKeysWithValues: annotators.enumerated().map { ($1, $0) })
        var rows = [[Int?]](repeating: [Int?](repeating: nil, count: annotators.count), count: study.itemIDs.count)
        for vote in originals {
            guard let signed = strength(vote, toward: vote.canonical.first) else { continue }
            rows[order[vote.item]!][column[vote.annotator]!] = top - signed
        }
        let categories = (0...(2 * top)).map { String(top - $0) }
        let judged = rows.filter { $0.contains { $0 != nil } }
        var alpha = AgreementSection.Coefficient(estimate: .undefined("fewer than two annotators judged a pair"), interval: nil)
        if let data = try? RatingData(rows: judged, categories: categories, raters: annotators), annotators.count >= 2 {
            var interval: BootstrapInterval?
            if bootstrap > 0 {
                interval = PercentileBootstrap.intervals(data, replicates: bootstrap, seed: seed) { m in
                    ["alpha": OrientationFreeAgreement.alpha(data, ordinal: true, multiplicity: m)]
                }["alpha"]
            }
            alpha = AgreementSection.Coefficient(estimate: OrientationFreeAgreement.alpha(data, ordinal: true), interval: interval)
        }
        // Margins per pair of models (with the key).
        var margins: [PairMargin] = []
        if let key {
            let leads = ModelComparison.leads(key: key)
            var groups: [String: (first: String, second: String, perPair: [Int: (sum: Double, votes: Double)])] = [:]
            for vote in originals {
                guard let ma = key.model(pair: vote.item, response: vote.entry.a), let mb = key.model(pair: vote.item, response: vote.entry.b) else { continue }
                let (first, second) = leads(ma, mb) ? (ma, mb) : (mb, ma)
                let firstResponse = ma == first ? vote.entry.a : vote.entry.b
                guard let signed = strength(vote, toward: firstResponse) else { continue }
                let name = first + "\u{1F}" + second
                var group = groups[name] ?? (first, second, [:])
                let position = order[vote.item]!
                let current = group.perPair[position] ?? (0, 0)
                group.perPair[position] = (current.sum + Double(signed), current.votes + 1)
                groups[name] = group
            }
            for name in groups.keys.sorted() {
                let group = groups[name]!
                let cells = group.perPair.sorted { $0.key < $1.key }.map(\.value)
                let votes = cells.reduce(0.0) { $0 + $1.votes }
                let mean = cells.reduce(0.0) { $0 + $1.sum } / votes
                var interval: ResampledInterval?
                if bootstrap > 0 {
                    var rng = SplitMix64(seed: seed, stream: "graded:" + name)
                    var samples: [Double] = []
                    for _ in 0..<bootstrap {
                        var sum = 0.0, count = 0.0
                        for _ in cells.indices { let cell = cells[rng.below(cells.count)]; sum += cell.sum; count += cell.votes }
                        if count > 0 { samples.append(sum / count) }
                    }
                    interval = ResampledInterval.percentile(samples, resampled: "pairs with all their votes", replicates: bootstrap)
                }
                margins.append(PairMargin(first: group.first, second: group.second, mean: mean, interval: interval, pairs: cells.count, votes: Int(votes)))
            }
        }
        return GradedPreference(maxStrength: top, alphaOrdinal: alpha, pairs: margins)
    }
}
