import AgreementStats
import BlindReviewCore
import Foundation
import SeededRandom

/// Agreement on the preference and on each criterion, computed on response-level labels so that each
/// annotator's own sides do not matter; hidden repeats are left out (they measure self-consistency).
public struct AgreementSection: Sendable {
    public struct Coefficient: Sendable {
        public var estimate: Estimate
        public var interval: BootstrapInterval?
    }

    /// Cohen's kappa between two annotators on the pairs both judged.
    public struct PairKappa: Sendable {
        public var raters: (String, String)
        public var pairs: Int
        public var kappa: Estimate
    }

    /// Agreement with each pair oriented by model (keyed reports only), as published studies report it.
    public struct ModelOriented: Sendable {
        /// How pairs were oriented, e.g. "tuned first (candidate before reference)".
        public var orientation: String
        public var fleissKappa: Coefficient
        public var alphaNominal: Coefficient
        public var cohen: [PairKappa]
    }

    /// Preference agreement. Kappa and alpha are orientation-free (``OrientationFreeAgreement``): the same
    /// whichever response of a pair is called first, so the same for every blinding seed and in blind and keyed
    /// reports.
    public struct Preference: Sendable {
        public var items: Int
        public var pairwiseStrict: Coefficient
        public var pairwiseRelaxed: Coefficient
        public var unanimous: Coefficient
        /// "Fleiss' kappa", or "Fleiss' kappa (Gwet's generalisation to unequal numbers of votes)" when pairs
        /// have different numbers of votes.
        public var fleissKappaName: String
        public var fleissKappa: Coefficient
        public var alphaNominal: Coefficient
        /// Krippendorff's alpha with the preference ordinal: first preferred > tie > second preferred.
        public var alphaOrdinal: Coefficient
        public var cohen: [PairKappa]
        public var modelOriented: ModelOriented?
    }

    public struct Criterion: Sendable {
        public var id: String
        public var name: String
        public var units: Int
        public var alphaOrdinal: Coefficient
        public var gwetAC2: Coefficient
        public var quadraticKappa: [RaterPairAgreement]
        public var verdict: String
        public var needsClearerDefinition: Bool
    }

    public var preference: Preference?
    public var criteria: [Criterion]
    /// Pairs whose preference labels disagree most, for adjudication: (pair id, labels as text, agreement).
    public var disputed: [(item: String, votes: String, agreement: Double)]
    /// Every pair whose labels disagree, ranked as `disputed` (which keeps the first ten): what `adjudicate` offers.
    public var allDisputed: [(item: String, votes: String, agreement: Double)] = []
    public var notApplicable: String?

    public static let preferenceLabels = ["first", "tie", "second"]

    /// How the keyed report orients each pair for the model-oriented figures: the response that goes first.
    public struct Orientation {
        public var description: String
        public var first: (Vote) -> String
        public init(description: String, first: @escaping (Vote) -> String) { (self.description, self.first) = (description, first) }
    }

    public static func compute(study: Study, votes: StudyVotes, bootstrap: Int, seed: UInt64, orientation: Orientation? = nil) -> AgreementSection {
        let annotators = votes.annotators
        let index = Dictionary(uniqueKeysWithValues: annotators.enumerated().map { ($1, $0) })
        let originals = votes.originals
        var notApplicable: String?
        let raters = Set(originals.filter(\.hasPreference).map(\.annotator))
        if raters.count < 2 { notApplicable = "agreement needs two or more annotators with judgments (\(raters.count) so far)" }

        // Preference: one row per pair (in the study's pair order, which no blinding choice affects), one column
        // per annotator.
        let positions = study.itemIndex()
        var rowVotes: [[Vote]] = Array(repeating: [], count: study.itemIDs.count)
        for vote in originals where vote.hasPreference {
            if let position = positions[vote.item] { rowVotes[position].append(vote) }
        }
        let judgedRows = rowVotes.filter { !$0.isEmpty }
        func rows(_ label: (Vote) -> Int?) -> [[Int?]] {
            judgedRows.map { votes in
                var row = [Int?](repeating: nil, count: annotators.count)
                for vote in votes { row[index[vote.annotator]!] = label(vote) }
                return row
            }
        }
        // Each row in whichever of its two orientations reads first in label order: every orientation-free number
        // is unchanged by flipping a row, and this makes the data (and so every sum, to the last bit) the same
        // whatever the response ids are.
        let canonicalRows = rows { $0.label }.map { row -> [Int?] in
            let flipped = row.map { $0.map { 2 - $0 } }
            return flipped.map { $0 ?? -1 }.lexicographicallyPrecedes(row.map { $0 ?? -1 }) ? flipped : row
        }
        let itemOrder = judgedRows.map { $0[0].item }
        var preference: Preference?
        var disputed: [(String, String, Double)] = []
        var allDisputed: [(String, String, Double)] = []
        if notApplicable == nil, !itemOrder.isEmpty,
            let data = try? RatingData(rows: canonicalRows, categories: preferenceLabels, raters: annotators)
        {
            let relaxedScore = { (m: [Double]) -> Estimate in relaxed(data, multiplicity: m) }
            let intervals = bootstrap > 0 ? PercentileBootstrap.intervals(data, replicates: bootstrap, seed: seed) { m in
                [
                    "strict": PercentAgreement.pairwise(data, multiplicity: m), "relaxed": relaxedScore(m),
                    "unanimous": PercentAgreement.unanimous(data, multiplicity: m),
                    "fleiss": OrientationFreeAgreement.fleissKappa(data, multiplicity: m),
                    "alpha": OrientationFreeAgreement.alpha(data, ordinal: false, multiplicity: m),
                    "alphaOrdinal": OrientationFreeAgreement.alpha(data, ordinal: true, multiplicity: m),
                ]
            } : [:]
            let equalVotes = Set((0..<data.patternCount).map { data.ratingsPerRow[$0] }).count == 1
            var cohen: [PairKappa] = []
            for i in annotators.indices {
                for j in annotators.indices where j > i {
                    let shared = canonicalRows.compactMap { row in row[i].flatMap { a in row[j].map { (a, $0) } } }
                    guard !shared.isEmpty else { continue }
                    cohen.append(PairKappa(raters: (annotators[i], annotators[j]), pairs: shared.count, kappa: OrientationFreeAgreement.cohenKappa(shared)))
                }
            }
            var modelOriented: ModelOriented?
            if let orientation {
                let oriented = rows { $0.label(first: orientation.first($0)) }
                if let orientedData = try? RatingData(rows: oriented, categories: preferenceLabels, raters: annotators) {
                    let orientedIntervals = bootstrap > 0 ? PercentileBootstrap.intervals(orientedData, replicates: bootstrap, seed: seed) { m in
                        ["fleiss": GwetFleissKappa.compute(orientedData, multiplicity: m),
                         "alpha": KrippendorffAlpha.compute(orientedData, level: .nominal, multiplicity: m)]
                    } : [:]
                    modelOriented = ModelOriented(
                        orientation: orientation.description,
                        fleissKappa: Coefficient(estimate: GwetFleissKappa.compute(orientedData), interval: orientedIntervals["fleiss"]),
                        alphaNominal: Coefficient(estimate: KrippendorffAlpha.compute(orientedData, level: .nominal), interval: orientedIntervals["alpha"]),
                        cohen: RaterPairAgreement.all(orientedData, level: .nominal).map {
                            PairKappa(raters: $0.raters, pairs: $0.itemsBothRated, kappa: $0.cohen.kappa)
                        })
                }
            }
            preference = Preference(
                items: itemOrder.count,
                pairwiseStrict: Coefficient(estimate: PercentAgreement.pairwise(data), interval: intervals["strict"]),
                pairwiseRelaxed: Coefficient(estimate: relaxedScore(data.multiplicity), interval: intervals["relaxed"]),
                unanimous: Coefficient(estimate: PercentAgreement.unanimous(data), interval: intervals["unanimous"]),
                fleissKappaName: equalVotes ? "Fleiss' kappa" : "Fleiss' kappa (Gwet's generalisation to unequal numbers of votes)",
                fleissKappa: Coefficient(estimate: OrientationFreeAgreement.fleissKappa(data), interval: intervals["fleiss"]),
                alphaNominal: Coefficient(estimate: OrientationFreeAgreement.alpha(data, ordinal: false), interval: intervals["alpha"]),
                alphaOrdinal: Coefficient(estimate: OrientationFreeAgreement.alpha(data, ordinal: true), interval: intervals["alphaOrdinal"]),
                cohen: cohen, modelOriented: modelOriented)
            for (row, item) in zip(canonicalRows, itemOrder) {
                let labels = row.compactMap { $0 }
                guard labels.count >= 2 else { continue }
                var score = 0.0, pairs = 0.0
                for i in labels.indices { for j in labels.indices where j > i { score += pairScore(labels[i], labels[j]); pairs += 1 } }
                // Counts, not orientation: "2 for one response, 1 tie" reads the same whichever response is first.
                let one = labels.filter { $0 == 0 }.count, tie = labels.filter { $0 == 1 }.count, other = labels.filter { $0 == 2 }.count
                let text = "\(max(one, other))-\(min(one, other))" + (tie > 0 ? ", \(tie) tie" + (tie > 1 ? "s" : "") : "")
                disputed.append((item, text, score / pairs))
            }
            disputed.sort { $0.2 != $1.2 ? $0.2 < $1.2 : (positions[$0.0] ?? 0) < (positions[$1.0] ?? 0) }
            allDisputed = disputed.filter { $0.2 < 1 }
            disputed = Array(allDisputed.prefix(10))
        }

        // Criteria: units are (pair, response), indexed 2 x pair position + offset; each annotator's score of that
        // response. The two responses of a pair are put in an order given by their scores (not their random ids),
        // and the bootstrap resamples pairs with both responses, so nothing depends on the blinding.
        // Integer indices keep this fast on large studies.
        var criteria: [Criterion] = []
        if notApplicable == nil {
            let r = annotators.count
            let units = study.itemIDs.count * 2
            let rubricCriteria = study.rubric.criteria
            let results = ResultSlots<Criterion>(count: rubricCriteria.count)
            // Criteria are independent: their bootstraps run in parallel.
            DispatchQueue.concurrentPerform(iterations: rubricCriteria.count) { position in
                let criterion = rubricCriteria[position]
                var cells = [Int32](repeating: -1, count: units * r)
                var used = [Bool](repeating: false, count: units)
                for vote in originals {
                    guard let position = positions[vote.item] else { continue }
                    let canonical = vote.canonical
                    for (offset, response) in [canonical.first, canonical.second].enumerated() {
                        guard let score = vote.judgment.rating(response: response, criterion: criterion.id) else { continue }
                        let unit = position * 2 + offset
                        cells[unit * r + index[vote.annotator]!] = Int32(score - criterion.min)
                        used[unit] = true
                    }
                }
                var builder = RatingDataBuilder(categories: criterion.scores.map(String.init), raters: annotators)
                var count = 0
                var pairUnits: [[Int]] = []
                for pair in 0..<(units / 2) {
                    var members: [ArraySlice<Int32>] = []
                    for unit in [2 * pair, 2 * pair + 1] where used[unit] { members.append(cells[(unit * r)..<((unit + 1) * r)]) }
                    guard !members.isEmpty else { continue }
                    if members.count == 2 && members[1].lexicographicallyPrecedes(members[0]) { members.swapAt(0, 1) }
                    var indices: [Int] = []
                    for member in members {
                        try? builder.addItem(Array(member))
                        indices.append(count)
                        count += 1
                    }
                    pairUnits.append(indices)
                }
                guard count > 0 else { return }
                let data = builder.finish()
                let values = data.scaleValues
                let intervals = bootstrap > 0 ? pairBootstrap(data, pairs: pairUnits, replicates: bootstrap, seed: seed &+ UInt64(position + 1)) { m in
                    ["alpha": KrippendorffAlpha.compute(data, level: .ordinal, multiplicity: m),
                     "ac2": GwetAC.compute(data, weights: .quadratic(values: values), multiplicity: m)]
                } : [:]
                let alpha = KrippendorffAlpha.compute(data, level: .ordinal)
                let ac2 = GwetAC.compute(data, weights: .quadratic(values: values))
                results.set(position, Criterion(
                    id: criterion.id, name: criterion.name, units: count,
                    alphaOrdinal: Coefficient(estimate: alpha, interval: intervals["alpha"]),
                    gwetAC2: Coefficient(estimate: ac2, interval: intervals["ac2"]),
                    quadraticKappa: RaterPairAgreement.all(data, level: .ordinal),
                    verdict: verdict(criterion.name, alpha: alpha, ac2: ac2),
                    needsClearerDefinition: (alpha.value ?? 1) < 0.667))
            }
            criteria = results.values.compactMap { $0 }
        }
        var section = AgreementSection(preference: preference, criteria: criteria, disputed: disputed, notApplicable: notApplicable)
        section.allDisputed = allDisputed
        return section
    }

    /// Percentile bootstrap intervals that resample pairs, each with all of its units (here: both responses).
    static func pairBootstrap(
        _ data: RatingData, pairs: [[Int]], replicates: Int, seed: UInt64, coefficients: ([Double]) -> [String: Estimate]
    ) -> [String: BootstrapInterval] {
        var rng = SplitMix64(seed: seed, stream: "bootstrap-pairs")
        let n = pairs.count
        guard n > 0, replicates > 0 else { return [:] }
        // Each pair's units as pattern indices, flattened (-1: no second unit), so a draw touches no array of arrays.
        var first = [Int32](repeating: -1, count: n), second = [Int32](repeating: -1, count: n)
        for (i, units) in pairs.enumerated() {
            if units.count > 0 { first[i] = data.itemPattern[units[0]] }
            if units.count > 1 { second[i] = data.itemPattern[units[1]] }
        }
        var samples: [String: [Double]] = [:]
        var keys: [String] = []
        var multiplicity = [Double](repeating: 0, count: data.patternCount)
        for _ in 0..<replicates {
            for p in multiplicity.indices { multiplicity[p] = 0 }
            for _ in 0..<n {
                let i = rng.below(n)
                if first[i] >= 0 { multiplicity[Int(first[i])] += 1 }
                if second[i] >= 0 { multiplicity[Int(second[i])] += 1 }
            }
            let values = coefficients(multiplicity)
            if keys.isEmpty { keys = values.keys.sorted() }
            for (key, estimate) in values { if let value = estimate.value { samples[key, default: []].append(value) } }
        }
        var result: [String: BootstrapInterval] = [:]
        for key in keys {
            let sorted = (samples[key] ?? []).sorted()
            result[key] = sorted.isEmpty ? BootstrapInterval(low: nil, high: nil, defined: 0, replicates: replicates)
                : BootstrapInterval(low: PercentileBootstrap.quantile(sorted, 0.025), high: PercentileBootstrap.quantile(sorted, 0.975), defined: sorted.count, replicates: replicates)
        }
        return result
    }

    /// 1 for the same label, 0.5 for a tie against a win, 0 for opposite wins.
    static func pairScore(_ x: Int, _ y: Int) -> Double {
        x == y ? 1 : (x == 1 || y == 1) ? 0.5 : 0
    }

    /// Pairwise agreement with a tie against a win counted half.
    static func relaxed(_ data: RatingData, multiplicity m: [Double]) -> Estimate {
        let q = data.categoryCount
        var total = 0.0, items = 0.0
        for p in 0..<data.patternCount where m[p] > 0 && data.ratingsPerRow[p] >= 2 {
            let r = data.ratingsPerRow[p]
            var score = 0.0
            for x in 0..<q {
                let nx = data.counts[p * q + x]
                guard nx > 0 else { continue }
                for y in 0..<q {
                    let ny = data.counts[p * q + y]
                    score += pairScore(x, y) * (x == y ? nx * (nx - 1) : nx * ny)
                }
            }
            total += m[p] * score / (r * (r - 1))
            items += m[p]
        }
        return items > 0 ? .defined(total / items) : .undefined("no pair was judged by two annotators")
    }

    static func verdict(_ name: String, alpha: Estimate, ac2: Estimate) -> String {
        guard let value = alpha.value else { return "\(name): agreement cannot be measured yet (\(alpha.reason ?? ""))" }
        let strength = VerdictScale.agreement(value)
        switch strength {
        case "reliable": return String(format: "%@: annotators agree well (alpha %.2f); scores can be relied on.", name, value)
        case "tentative": return String(format: "%@: moderate agreement (alpha %.2f); draw only tentative conclusions.", name, value)
        default: return String(format: "%@: annotators disagree (alpha %.2f); the rubric needs a clearer definition of this criterion.", name, value)
        }
    }
}
