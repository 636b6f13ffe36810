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
        /// Pair-cluster inference: bootstrap intervals over pairs (with all their votes), the sign-flip test over
        /// pairs, the numbers of pairs and votes and the design effect.
        public var inference: PairClusterWinRate.Result
        /// The test's p-value adjusted (Holm) across the comparisons between pairs of models.
        public var pHolm: Double?
    }

    public struct CriterionResult: Sendable {
        public var criterion: String
        public var name: String
        /// Per model: mean score and bootstrap 95% interval over pairs.
        public var means: [(model: String, mean: Double, low: Double?, high: Double?, n: Int)]
        /// Per pair of models: mean paired difference (first minus second), the Wilcoxon signed-rank p, how it was
        /// computed, and its Holm adjustment across the criteria of that pair of models.
        public var differences: [Difference]
        /// Per model: how many times each score (min...max) was given.
        public var distribution: [(model: String, counts: [Int])]
    }

    public struct Difference: Sendable {
        public var first: String
        public var second: String
        public var meanDifference: Double
        public var pairs: Int
        public var p: Double?
        public var method: WilcoxonSignedRank.Method?
        public var pHolm: Double?
    }

    /// One model's Bradley-Terry strength (normalised within its connected component), bootstrap interval over
    /// pairs, and rank by Chatbot Arena's rule within its component.
    public struct Ranked: Sendable {
        public var model: String
        public var strength: Double
        public var low: Double?
        public var high: Double?
        public var rank: Int
        /// 1, 2, ...: which connected part of the comparison graph the model is in.
        public var component: Int
    }

    public var models: [String]
    /// What the intervals of the win rates resampled.
    public var resampling: ResamplingUnit
    public var pairs: [PairResult]
    public var criteria: [CriterionResult]
    /// With more than two models: Bradley-Terry strengths, intervals and ranks, and the win matrix.
    public var bradleyTerry: [Ranked]?
    /// Set when the comparison graph is not connected.
    public var bradleyTerryWarning: String?
    /// `winMatrix[i][j]`: votes for `models[i]` over `models[j]` (a tie counts half to each), with three or
    /// more models.
    public var winMatrix: [[Double]]?

    /// The win matrix as rows of text, a header first: for every format's table.
    public func winMatrixRows() -> [[String]]? {
        guard let winMatrix else { return nil }
        func count(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value) }
        return [["wins over →"] + models] + models.indices.map { i in
            [models[i]] + models.indices.map { j in i == j ? "–" : count(winMatrix[i][j]) }
        }
    }
    /// Description only: how often the longer response was preferred (non-tie votes with different lengths).
    public var longerPreferred: Double?
    public var lengthVotes: Int
    /// The length model (``LengthModel``); nil when it cannot be estimated.
    public var lengthModel: LengthModel.Fit?
    /// Tie votes left out of the length model.
    public var lengthTiesLeftOut: Int
    /// How often the preferred response also had the higher rubric total, per annotator and overall.
    public var consistency: [(annotator: String, share: Double?, votes: Int)]

    /// Each pair of models reads "candidate vs reference": the baseline, if any, comes second; otherwise the model
    /// given later (by convention the new one: --model base=... --model tuned=...) comes first.
    public static func leads(key: StudyKey) -> (String, String) -> Bool {
        let models = key.models
        return { x, y in
            if let baseline = key.baseline, x == baseline || y == baseline { return y == baseline }
            return (models.firstIndex(of: x) ?? 0) > (models.firstIndex(of: y) ?? 0)
        }
    }

    public static func compute(
        study: Study, items: [String: StudyItem], key: StudyKey, votes: StudyVotes, bootstrap: Int, seed: UInt64,
        resampling: ResamplingUnit = .pairs
    ) -> ModelComparison {
        let originals = votes.originals
        let models = key.models
        func model(_ vote: Vote, _ response: String) -> String { key.model(pair: vote.item, response: response) ?? "?" }
        let leads = leads(key: key)
        // Pairs in the study's order (no blinding choice affects it): the order resampling draws from.
        let pairOrder = study.itemIndex()
        let annotatorIndex = Dictionary(uniqueKeysWithValues: votes.annotators.enumerated().map { ($1, $0) })

        // Pairwise results.
        // Grouped by the two models (the one that leads first), named by the joined names only once per group.
        struct ModelPair: Hashable { var first: String, second: String }
        // Each original vote's two models (of its responses a and b), looked up in the key once.
        let votedModels = originals.map { vote -> (a: String, b: String) in
            let entry = key.pairs[vote.item]
            return (entry?.responses[vote.entry.a] ?? "?", entry?.responses[vote.entry.b] ?? "?")
        }
        func modelOf(_ index: Int, _ response: String) -> String {
            response == originals[index].entry.a ? votedModels[index].a
                : response == originals[index].entry.b ? votedModels[index].b : model(originals[index], response)
        }
        var byModels: [ModelPair: [Int]] = [:]
        for (index, vote) in originals.enumerated() where vote.hasPreference {
            let (x, y) = votedModels[index]
            byModels[leads(y, x) ? ModelPair(first: y, second: x) : ModelPair(first: x, second: y), default: []].append(index)
        }
        let groups = byModels.map { ($0.key.first + "\u{1F}" + $0.key.second, $0.value) }
        var pairs: [PairResult] = []
        for (group, list) in groups.sorted(by: { $0.0 < $1.0 }) {
            let names = group.components(separatedBy: "\u{1F}")
            let (first, second) = (names[0], names[1])
            var wins = 0, ties = 0, losses = 0
            var perItem: [Int: (Int, Int, Int)] = [:]
            var clusterVotes: [(Int, Int, Double)] = []
            for index in list {
                let vote = originals[index]
                let position = pairOrder[vote.item] ?? -1
                var tally = perItem[position] ?? (0, 0, 0)
                var score = 0.5
                if let favoured = vote.favoured {
                    if modelOf(index, favoured) == first { wins += 1; tally.0 += 1; score = 1 } else { losses += 1; tally.2 += 1; score = 0 }
                } else { ties += 1; tally.1 += 1 }
                perItem[position] = tally
                clusterVotes.append((position, annotatorIndex[vote.annotator] ?? 0, score))
            }
            var mw = 0, mt = 0, ml = 0, split = 0
            for (w, t, l) in perItem.values {
                let top = max(w, t, l)
                if [w, t, l].filter({ $0 == top }).count > 1 { split += 1 } else if top == w { mw += 1 } else if top == t { mt += 1 } else { ml += 1 }
            }
            let ordered = perItem.keys.sorted()
            let slot = Dictionary(uniqueKeysWithValues: ordered.enumerated().map { ($1, $0) })
            let tally = PairClusterWinRate.Tally(
                wins: ordered.map { Double(perItem[$0]!.0) }, ties: ordered.map { Double(perItem[$0]!.1) },
                losses: ordered.map { Double(perItem[$0]!.2) })
            let inference = PairClusterWinRate.estimate(
                tally, votes: clusterVotes.map { PairClusterWinRate.Vote(pair: slot[$0.0]!, annotator: $0.1, score: $0.2) },
                annotators: votes.annotators.count, unit: resampling, replicates: bootstrap, seed: seed)
            pairs.append(PairResult(
                first: first, second: second, wins: wins, ties: ties, losses: losses,
                majorityWins: mw, majorityTies: mt, majorityLosses: ml, split: split,
                winRateTiesHalf: inference.winRateTiesHalf, winRateNoTies: inference.winRateNoTies,
                inference: inference, pHolm: nil))
        }
        let pairAdjusted = HolmAdjustment.adjust(pairs.map { $0.inference.test.p })
        for i in pairs.indices { pairs[i].pHolm = pairAdjusted[i] }

        // Criteria: per-model means with bootstrap over pairs; paired differences per pair of models. Scores are
        // first summed per (criterion, model, pair), so a resample only adds up those sums.
        var criteria: [CriterionResult] = []
        let judged = Set(originals.map(\.item))
        let itemIDs = study.itemIDs.filter { judged.contains($0) }
        let itemPosition = Dictionary(uniqueKeysWithValues: itemIDs.enumerated().map { ($1, $0) })
        let modelPosition = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
        let rubricCriteria = study.rubric.criteria
        let (nItems, nModels, nCriteria) = (itemIDs.count, models.count, rubricCriteria.count)
        func slot(_ c: Int, _ m: Int, _ i: Int) -> Int { (c * nModels + m) * nItems + i }
        var sums = [Double](repeating: 0, count: nCriteria * nModels * nItems)
        var counts = [Double](repeating: 0, count: nCriteria * nModels * nItems)
        for (index, vote) in originals.enumerated() {
            let i = itemPosition[vote.item]!
            for (response, name) in [(vote.entry.a, votedModels[index].a), (vote.entry.b, votedModels[index].b)] {
                guard let m = modelPosition[name] else { continue }
                for (c, criterion) in rubricCriteria.enumerated() {
                    if let score = vote.judgment.rating(response: response, criterion: criterion.id) {
                        sums[slot(c, m, i)] += Double(score)
                        counts[slot(c, m, i)] += 1
                    }
                }
            }
        }
        var histograms = rubricCriteria.map { criterion in [[Int]](repeating: [Int](repeating: 0, count: criterion.max - criterion.min + 1), count: nModels) }
        for (index, vote) in originals.enumerated() {
            for (response, name) in [(vote.entry.a, votedModels[index].a), (vote.entry.b, votedModels[index].b)] {
                guard let m = modelPosition[name] else { continue }
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
            var differences: [Difference] = []
            for pair in pairs {
                guard let x = modelPosition[pair.first], let y = modelPosition[pair.second] else { continue }
                var diffs: [Double] = []
                for i in 0..<nItems where counts[slot(c, x, i)] > 0 && counts[slot(c, y, i)] > 0 {
                    diffs.append(sums[slot(c, x, i)] / counts[slot(c, x, i)] - sums[slot(c, y, i)] / counts[slot(c, y, i)])
                }
                guard !diffs.isEmpty else { continue }
                let test = WilcoxonSignedRank.test(diffs)
                differences.append(Difference(
                    first: pair.first, second: pair.second, meanDifference: diffs.reduce(0, +) / Double(diffs.count),
                    pairs: diffs.count, p: test.p, method: test.method, pHolm: nil))
            }
            criteria.append(CriterionResult(
                criterion: criterion.id, name: criterion.name, means: means, differences: differences,
                distribution: models.indices.map { (models[$0], histograms[c][$0]) }))
        }

        // Holm within each pair of models, across its criteria.
        for pair in pairs {
            var where_: [(Int, Int)] = []
            for (c, criterion) in criteria.enumerated() {
                for (d, difference) in criterion.differences.enumerated() where difference.first == pair.first && difference.second == pair.second {
                    where_.append((c, d))
                }
            }
            let adjusted = HolmAdjustment.adjust(where_.map { criteria[$0.0].differences[$0.1].p })
            for (k, (c, d)) in where_.enumerated() { criteria[c].differences[d].pHolm = adjusted[k] }
        }

        // Bradley-Terry with more than two models, per connected component, with bootstrap intervals over pairs.
        var bradleyTerry: [Ranked]?
        var bradleyTerryWarning: String?
        var winMatrix: [[Double]]?
        if models.count > 2 {
            let position = Dictionary(uniqueKeysWithValues: models.enumerated().map { ($1, $0) })
            var perItem: [Int: [(Int, Int, Double)]] = [:]  // pair position -> (winner, loser, weight)
            for vote in originals where vote.hasPreference {
                let x = position[model(vote, vote.entry.a)] ?? 0, y = position[model(vote, vote.entry.b)] ?? 0
                let item = pairOrder[vote.item] ?? -1
                if let favoured = vote.favoured {
                    let winner = position[model(vote, favoured)] ?? 0
                    perItem[item, default: []].append((winner, winner == x ? y : x, 1))
                } else {
                    perItem[item, default: []].append((x, y, 0.5))
                    perItem[item, default: []].append((y, x, 0.5))
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
            let components = BradleyTerry.components(wins: full)
            if components.count > 1 {
                bradleyTerryWarning = "the models were not all compared with each other, directly or through others: "
                    + components.map { "{" + $0.map { models[$0] }.joined(separator: ", ") + "}" }.joined(separator: " and ")
                    + " are ranked separately, and strengths are comparable only within a group"
            }
            func normalised(_ wins: [[Double]], _ component: [Int]) -> [Double] {
                let theta = BradleyTerry.logStrengths(wins: wins, models: component)
                let total = theta.reduce(0) { $0 + exp($1) }
                return theta.map { exp($0) / total }
            }
            var samples = [[Double]](repeating: [], count: models.count)
            var btRNG = SplitMix64(seed: seed, stream: "bradley-terry")
            for _ in 0..<(keys.isEmpty ? 0 : bootstrap) {
                let w = matrix((0..<keys.count).map { _ in btRNG.below(keys.count) })
                for component in components where component.count > 1 {
                    for (k, s) in normalised(w, component).enumerated() { samples[component[k]].append(s) }
                }
            }
            var ranked: [Ranked] = []
            for (number, component) in components.enumerated() where component.count > 1 {
                let strengths = normalised(full, component)
                var entries = component.enumerated().map { k, i -> Ranked in
                    let sorted = samples[i].sorted()
                    return Ranked(model: models[i], strength: strengths[k],
                                  low: sorted.isEmpty ? nil : PercentileBootstrap.quantile(sorted, 0.025),
                                  high: sorted.isEmpty ? nil : PercentileBootstrap.quantile(sorted, 0.975),
                                  rank: 1, component: number + 1)
                }
                let ranks = BradleyTerry.arenaRanks(entries.map { ($0.low ?? $0.strength, $0.high ?? $0.strength) })
                for k in entries.indices { entries[k].rank = ranks[k] }
                ranked += entries.sorted { ($0.rank, -$0.strength) < ($1.rank, -$1.strength) }
            }
            bradleyTerry = ranked
        }

        // Length bias: the raw share (description only) and the model controlling for the models (ties counted).
        var longer = 0, lengthVotes = 0, lengthTies = 0
        var lengthData: [LengthModel.Observation] = []
        var lengthGroups: [String] = []
        // A response's length in characters, counted once per response (each pair has several votes).
        var lengths: [String: [(response: String, count: Int)]] = [:]
        func length(_ item: StudyItem, _ pair: String, _ response: String) -> Int? {
            if let known = lengths[pair]?.first(where: { $0.response == response }) { return known.count }
            guard let count = item.response(response)?.text.count else { return nil }
            lengths[pair, default: []].append((response, count))
            return count
        }
        // The joined name of each pair of models, made once.
        var groupNames: [ModelPair: String] = [:]
        for (index, vote) in originals.enumerated() where vote.hasPreference {
            guard let item = items[vote.item],
                let lengthA = length(item, vote.item, vote.entry.a), let lengthB = length(item, vote.item, vote.entry.b)
            else { continue }
            guard let favoured = vote.favoured else { lengthTies += 1; continue }
            let other = favoured == vote.entry.a ? vote.entry.b : vote.entry.a
            let chosen = favoured == vote.entry.a ? lengthA : lengthB, rejected = favoured == vote.entry.a ? lengthB : lengthA
            if chosen != rejected {
                lengthVotes += 1
                if chosen > rejected { longer += 1 }
            }
            // Orient by model: "first" is the leading model of the pair of models.
            let names = [modelOf(index, favoured), modelOf(index, other)]
            let firstIsFavoured = leads(names[0], names[1])
            let (firstLength, secondLength) = firstIsFavoured ? (chosen, rejected) : (rejected, chosen)
            // [x, y] sorted by `leads` is [y, x] exactly when y leads x.
            let sortedNames = leads(names[1], names[0]) ? ModelPair(first: names[1], second: names[0]) : ModelPair(first: names[0], second: names[1])
            let group = groupNames[sortedNames] ?? {
                let joined = sortedNames.first + "\u{1F}" + sortedNames.second
                groupNames[sortedNames] = joined
                return joined
            }()
            lengthGroups.append(group)
            lengthData.append(LengthModel.Observation(
                pair: pairOrder[vote.item] ?? -1, group: 0,
                logLengthDifference: log(Double(max(1, firstLength))) - log(Double(max(1, secondLength))), firstWon: firstIsFavoured))
        }
        // Groups numbered by name and observations in pair order, so the fit's sums run in an order no blinding
        // choice affects (identical to the last bit for every seed).
        let groupIndex = Dictionary(uniqueKeysWithValues: Set(lengthGroups).sorted().enumerated().map { ($1, $0) })
        for k in lengthData.indices { lengthData[k].group = groupIndex[lengthGroups[k]]! }
        lengthData.sort { ($0.pair, $0.group, $0.logLengthDifference, $0.firstWon ? 1 : 0) < ($1.pair, $1.group, $1.logLengthDifference, $1.firstWon ? 1 : 0) }

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
            models: models, resampling: resampling, pairs: pairs, criteria: criteria, bradleyTerry: bradleyTerry,
            bradleyTerryWarning: bradleyTerryWarning, winMatrix: winMatrix,
            longerPreferred: lengthVotes > 0 ? Double(longer) / Double(lengthVotes) : nil, lengthVotes: lengthVotes,
            lengthModel: LengthModel.fit(lengthData), lengthTiesLeftOut: lengthTies,
            consistency: consistency)
    }
}
