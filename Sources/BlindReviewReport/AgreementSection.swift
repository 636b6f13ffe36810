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

    public struct Preference: Sendable {
        public var items: Int
        public var pairwiseStrict: Coefficient
        public var pairwiseRelaxed: Coefficient
        public var unanimous: Coefficient
        public var fleissKappa: Coefficient
        public var alphaNominal: Coefficient
        public var cohen: [RaterPairAgreement]
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
    public var notApplicable: String?

    public static let preferenceLabels = ["first", "tie", "second"]

    public static func compute(study: Study, votes: StudyVotes, bootstrap: Int, seed: UInt64) -> AgreementSection {
        let annotators = votes.annotators
        let index = Dictionary(uniqueKeysWithValues: annotators.enumerated().map { ($1, $0) })
        let originals = votes.originals
        var notApplicable: String?
        let raters = Set(originals.filter(\.hasPreference).map(\.annotator))
        if raters.count < 2 { notApplicable = "agreement needs two or more annotators with judgments (\(raters.count) so far)" }

        // Preference: one row per pair, one column per annotator.
        var itemOrder: [String] = []
        var rows: [String: [Int?]] = [:]
        for vote in originals {
            guard let label = vote.label else { continue }
            if rows[vote.item] == nil {
                rows[vote.item] = Array(repeating: nil, count: annotators.count)
                itemOrder.append(vote.item)
            }
            rows[vote.item]![index[vote.annotator]!] = label
        }
        var preference: Preference?
        var disputed: [(String, String, Double)] = []
        if notApplicable == nil, !itemOrder.isEmpty,
            let data = try? RatingData(rows: itemOrder.map { rows[$0]! }, categories: preferenceLabels, raters: annotators)
        {
            let relaxedScore = { (m: [Double]) -> Estimate in relaxed(data, multiplicity: m) }
            let intervals = bootstrap > 0 ? PercentileBootstrap.intervals(data, replicates: bootstrap, seed: seed) { m in
                [
                    "strict": PercentAgreement.pairwise(data, multiplicity: m), "relaxed": relaxedScore(m),
                    "unanimous": PercentAgreement.unanimous(data, multiplicity: m),
                    "fleiss": FleissKappa.compute(data, multiplicity: m).kappa,
                    "alpha": KrippendorffAlpha.compute(data, level: .nominal, multiplicity: m),
                ]
            } : [:]
            preference = Preference(
                items: itemOrder.count,
                pairwiseStrict: Coefficient(estimate: PercentAgreement.pairwise(data), interval: intervals["strict"]),
                pairwiseRelaxed: Coefficient(estimate: relaxedScore(data.multiplicity), interval: intervals["relaxed"]),
                unanimous: Coefficient(estimate: PercentAgreement.unanimous(data), interval: intervals["unanimous"]),
                fleissKappa: Coefficient(estimate: FleissKappa.compute(data).kappa.value.map(Estimate.defined) ?? GwetFleissKappa.compute(data), interval: intervals["fleiss"]),
                alphaNominal: Coefficient(estimate: KrippendorffAlpha.compute(data, level: .nominal), interval: intervals["alpha"]),
                cohen: RaterPairAgreement.all(data, level: .nominal))
            for item in itemOrder {
                let labels = rows[item]!.compactMap { $0 }
                guard labels.count >= 2 else { continue }
                var score = 0.0, pairs = 0.0
                for i in labels.indices { for j in labels.indices where j > i { score += pairScore(labels[i], labels[j]); pairs += 1 } }
                let text = labels.map { preferenceLabels[$0] }.joined(separator: ",")
                disputed.append((item, text, score / pairs))
            }
            disputed.sort { $0.2 != $1.2 ? $0.2 < $1.2 : $0.0 < $1.0 }
            disputed = Array(disputed.prefix(10).filter { $0.2 < 1 })
        }

        // Criteria: units are (pair, response), indexed 2 x pair position + (0 first response, 1 second);
        // each annotator's score of that response. Integer indices keep this fast on large studies.
        var criteria: [Criterion] = []
        if notApplicable == nil {
            let positions = study.itemIndex()
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
                for unit in 0..<units where used[unit] {
                    try? builder.addItem(Array(cells[(unit * r)..<((unit + 1) * r)]))
                    count += 1
                }
                guard count > 0 else { return }
                let data = builder.finish()
                let values = data.scaleValues
                let intervals = bootstrap > 0 ? PercentileBootstrap.intervals(data, replicates: bootstrap, seed: seed &+ UInt64(position + 1)) { m in
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
        return AgreementSection(preference: preference, criteria: criteria, disputed: disputed, notApplicable: notApplicable)
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
        let strength = Interpretation.alpha(value)
        switch strength {
        case "reliable": return String(format: "%@: annotators agree well (alpha %.2f); scores can be relied on.", name, value)
        case "tentative": return String(format: "%@: moderate agreement (alpha %.2f); draw only tentative conclusions.", name, value)
        default: return String(format: "%@: annotators disagree (alpha %.2f); the rubric needs a clearer definition of this criterion.", name, value)
        }
    }
}
