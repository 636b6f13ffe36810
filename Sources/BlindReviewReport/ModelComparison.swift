import AgreementStats
import BlindReviewCore
import Foundation
import SeededRandom

/// The unblinded results: which model wins, by how much, how sure we are, and whether length or the rubric
/// scores line up with the choices. Needs the key.
public struct ModelComparison: Sendable {
    public struct PairResult: Sendable {
        public var first: String
        public var second: String
        /// Over all votes.
        public var wins: Int, ties: Int, losses: Int
        /// By per-pair majority (pairs without a majority are "split").
        public var majorityWins: Int, majorityTies: Int, majorityLosses: Int, split: Int
        public var winRateTiesHalf: Double?
        public var winRateNoTies: Double?
        public var wilson: (low: Double, high: Double)?
        public var signTestP: Double
    }

    public struct CriterionResult: Sendable {
        public var criterion: String
        public var name: String
        /// Per model: mean score and bootstrap 95% interval over pairs.
        public var means: [(model: String, mean: Double, low: Double?, high: Double?, n: Int)]
        /// Per pair of models: mean paired difference (first minus second) and the Wilcoxon signed-rank p.
        public var differences: [(first: String, second: String, meanDifference: Double, pairs: Int, p: Double?)]
        /// Per model: how many times each score (min...max) was given.
        public var distribution: [(model: String, counts: [Int])]
    }

    public var models: [String]
    public var pairs: [PairResult]
    public var criteria: [CriterionResult]
    /// With more than two models: Bradley-Terry strengths (with bootstrap intervals) and the win matrix.
    public var bradleyTerry: [(model: String, strength: Double, low: Double?, high: Double?)]?
    public var winMatrix: [[Double]]?
    /// How often the longer response was preferred (non-tie votes with different lengths), and the sign test.
    public var longerPreferred: Double?
    public var lengthVotes: Int
    public var lengthP: Double?
    /// How often the preferred response also had the higher rubric total, per annotator and overall.
    public var consistency: [(annotator: String, share: Double?, votes: Int)]

    public static func compute(study: Study, items: [String: StudyItem], key: StudyKey, votes: StudyVotes, bootstrap: Int, seed: UInt64) -> ModelComparison {
        let originals = votes.originals
        let models = key.models
        func model(_ vote: Vote, _ response: String) -> String { key.model(pair: vote.item, response: response) ?? "?" }
        // Each pair reads "candidate vs reference": the baseline, if any, comes second; otherwise the model given
        // later (by convention the new one: --model base=... --model tuned=...) comes first.
        func leads(_ x: String, _ y: String) -> Bool {
            if let baseline = key.baseline, x == baseline || y == baseline { return y == baseline }
            return (models.firstIndex(of: x) ?? 0) > (models.firstIndex(of: y) ?? 0)
        }

        // Pairwise results.
        var groups: [String: [Vote]] = [:]
        for vote in originals where vote.hasPreference {
            let names = [model(vote, vote.entry.a), model(vote, vote.entry.b)].sorted { leads($0, $1) }
            groups[names.joined(separator: "\u{1F}"), default: []].append(vote)
        }
        var pairs: [PairResult] = []
        for (group, list) in groups.sorted(by: { $0.key < $1.key }) {
            let names = group.components(separatedBy: "\u{1F}")
            let (first, second) = (names[0], names[1])
            var wins = 0, ties = 0, losses = 0
            var perItem: [String: (Int, Int, Int)] = [:]
            for vote in list {
                var tally = perItem[vote.item] ?? (0, 0, 0)
                if let favoured = vote.favoured {
                    if model(vote, favoured) == first { wins += 1; tally.0 += 1 } else { losses += 1; tally.2 += 1 }
                } else { ties += 1; tally.1 += 1 }
                perItem[vote.item] = tally
            }
            var mw = 0, mt = 0, ml = 0, split = 0
            for (w, t, l) in perItem.values {
                let top = max(w, t, l)
                if [w, t, l].filter({ $0 == top }).count > 1 { split += 1 } else if top == w { mw += 1 } else if top == t { mt += 1 } else { ml += 1 }
            }
            let n = wins + ties + losses
            let decided = wins + losses
            pairs.append(PairResult(
                first: first, second: second, wins: wins, ties: ties, losses: losses,
                majorityWins: mw, majorityTies: mt, majorityLosses: ml, split: split,
                winRateTiesHalf: n > 0 ? (Double(wins) + Double(ties) / 2) / Double(n) : nil,
                winRateNoTies: decided > 0 ? Double(wins) / Double(decided) : nil,
                wilson: ProportionTests.wilson(successes: Double(wins), trials: Double(decided)),
                signTestP: ProportionTests.signTest(successes: wins, trials: decided)))
        }

        // Criteria: per-model means with bootstrap over pairs; paired differences per pair of models. Scores are
        // first summed per (criterion, model, pair), so a resample only adds up those sums.
        var criteria: [CriterionResult] = []
        let itemIDs = Array(Set(originals.map(\.item))).sorted()
        let itemPosition = Dictionary(uniqueKeysWithValues: itemIDs.enumerated().map { ($1, $0) })
        let modelPosition = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
        let rubricCriteria = study.rubric.criteria
        let (nItems, nModels, nCriteria) = (itemIDs.count, models.count, rubricCriteria.count)
        func slot(_ c: Int, _ m: Int, _ i: Int) -> Int { (c * nModels + m) * nItems + i }
        var sums = [Double](repeating: 0, count: nCriteria * nModels * nItems)
        var counts = [Double](repeating: 0, count: nCriteria * nModels * nItems)
        for vote in originals {
            let i = itemPosition[vote.item]!
            for response in [vote.entry.a, vote.entry.b] {
                guard let m = modelPosition[model(vote, response)] else { continue }
                for (c, criterion) in rubricCriteria.enumerated() {
                    if let score = vote.judgment.rating(response: response, criterion: criterion.id) {
                        sums[slot(c, m, i)] += Double(score)
                        counts[slot(c, m, i)] += 1
                    }
                }
            }
        }
        var histograms = rubricCriteria.map { criterion in [[Int]](repeating: [Int](repeating: 0, count: criterion.max - criterion.min + 1), count: nModels) }
        for vote in originals {
            for response in [vote.entry.a, vote.entry.b] {
                guard let m = modelPosition[model(vote, response)] else { continue }
                for (c, criterion) in rubricCriteria.enumerated() {
                    if let score = vote.judgment.rating(response: response, criterion: criterion.id) { histograms[c][m][score - criterion.min] += 1 }
                }
            }
        }
        var samples = [[Double]](repeating: [], count: nCriteria * nModels)
        if bootstrap > 0 && nItems > 0 {
            var rng = SplitMix64(seed: seed, stream: "report-criteria")
            var drawn = [Int](repeating: 0, count: nItems)
            for _ in 0..<bootstrap {
                for k in 0..<nItems { drawn[k] = rng.below(nItems) }
                for c in 0..<nCriteria {
                    for m in 0..<nModels {
                        let base = (c * nModels + m) * nItems
                        var sum = 0.0, count = 0.0
                        for i in drawn { sum += sums[base + i]; count += counts[base + i] }
                        if count > 0 { samples[c * nModels + m].append(sum / count) }
                    }
                }
            }
        }
        for (c, criterion) in rubricCriteria.enumerated() {
            var means: [(String, Double, Double?, Double?, Int)] = []
            for (m, name) in models.enumerated() {
                let base = (c * nModels + m) * nItems
                let total = sums[base..<(base + nItems)].reduce(0, +), n = counts[base..<(base + nItems)].reduce(0, +)
                guard n > 0 else { continue }
                let sorted = samples[c * nModels + m].sorted()
                means.append((name, total / n, sorted.isEmpty ? nil : PercentileBootstrap.quantile(sorted, 0.025),
                              sorted.isEmpty ? nil : PercentileBootstrap.quantile(sorted, 0.975), Int(n)))
            }
            var differences: [(String, String, Double, Int, Double?)] = []
            for pair in pairs {
                guard let x = modelPosition[pair.first], let y = modelPosition[pair.second] else { continue }
                var diffs: [Double] = []
                for i in 0..<nItems where counts[slot(c, x, i)] > 0 && counts[slot(c, y, i)] > 0 {
                    diffs.append(sums[slot(c, x, i)] / counts[slot(c, x, i)] - sums[slot(c, y, i)] / counts[slot(c, y, i)])
                }
                guard !diffs.isEmpty else { continue }
                differences.append((pair.first, pair.second, diffs.reduce(0, +) / Double(diffs.count), diffs.count, WilcoxonSignedRank.test(diffs).p))
            }
            criteria.append(CriterionResult(
                criterion: criterion.id, name: criterion.name, means: means, differences: differences,
                distribution: models.indices.map { (models[$0], histograms[c][$0]) }))
        }

        // Bradley-Terry with more than two models.
        var bradleyTerry: [(String, Double, Double?, Double?)]?
        var winMatrix: [[Double]]?
        if models.count > 2 {
            let position = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
            var perItem: [String: [(Int, Int, Double)]] = [:]  // item -> (winner, loser, weight)
            for vote in originals where vote.hasPreference {
                let x = position[model(vote, vote.entry.a)] ?? 0, y = position[model(vote, vote.entry.b)] ?? 0
                if let favoured = vote.favoured {
                    let winner = position[model(vote, favoured)] ?? 0
                    perItem[vote.item, default: []].append((winner, winner == x ? y : x, 1))
                } else {
                    perItem[vote.item, default: []].append((x, y, 0.5))
                    perItem[vote.item, default: []].append((y, x, 0.5))
                }
            }
            let keys = perItem.keys.sorted()
            func matrix(_ selection: [Int]) -> [[Double]] {
                var w = [[Double]](repeating: [Double](repeating: 0, count: models.count), count: models.count)
                for index in selection { for (winner, loser, weight) in perItem[keys[index]]! { w[winner][loser] += weight } }
                return w
            }
            let full = matrix(Array(keys.indices))
            winMatrix = full
            if let strengths = BradleyTerry.fit(wins: full) {
                var samples = [[Double]](repeating: [], count: models.count)
                var btRNG = SplitMix64(seed: seed, stream: "bradley-terry")
                for _ in 0..<(keys.isEmpty ? 0 : bootstrap) {
                    if let s = BradleyTerry.fit(wins: matrix((0..<keys.count).map { _ in btRNG.below(keys.count) }), iterations: 200) {
                        for i in s.indices { samples[i].append(s[i]) }
                    }
                }
                bradleyTerry = models.indices.map { i in
                    let sorted = samples[i].sorted()
                    return (models[i], strengths[i], sorted.isEmpty ? nil : PercentileBootstrap.quantile(sorted, 0.025), sorted.isEmpty ? nil : PercentileBootstrap.quantile(sorted, 0.975))
                }.sorted { $0.1 > $1.1 }
            }
        }

        // Length bias.
        var longer = 0, lengthVotes = 0
        for vote in originals {
            guard let favoured = vote.favoured, let item = items[vote.item] else { continue }
            let other = favoured == vote.entry.a ? vote.entry.b : vote.entry.a
            guard let chosen = item.response(favoured)?.text.count, let rejected = item.response(other)?.text.count, chosen != rejected else { continue }
            lengthVotes += 1
            if chosen > rejected { longer += 1 }
        }

        // Preference against own rubric totals.
        var consistency: [(String, Double?, Int)] = []
        var allAgree = 0, allVotes = 0
        for annotator in votes.annotators {
            var agree = 0, counted = 0
            for vote in originals where vote.annotator == annotator {
                guard let favoured = vote.favoured else { continue }
                let other = favoured == vote.entry.a ? vote.entry.b : vote.entry.a
                guard let x = vote.total(favoured, rubric: study.rubric), let y = vote.total(other, rubric: study.rubric), x != y else { continue }
                counted += 1
                if x > y { agree += 1 }
            }
            allAgree += agree
            allVotes += counted
            consistency.append((annotator, counted > 0 ? Double(agree) / Double(counted) : nil, counted))
        }
        consistency.append(("all", allVotes > 0 ? Double(allAgree) / Double(allVotes) : nil, allVotes))

        return ModelComparison(
            models: models, pairs: pairs, criteria: criteria, bradleyTerry: bradleyTerry, winMatrix: winMatrix,
            longerPreferred: lengthVotes > 0 ? Double(longer) / Double(lengthVotes) : nil, lengthVotes: lengthVotes,
            lengthP: lengthVotes > 0 ? ProportionTests.signTest(successes: longer, trials: lengthVotes) : nil,
            consistency: consistency)
    }
}
