import AgreementStats
import Foundation
import SeededRandom

/// Agreement between two sources of preference labels (a judge and a person, a judge and the people's majority,
/// or people among themselves) with pair-cluster intervals, as MT-Bench's paper compares them (Zheng et al. 2023,
/// "Judging LLM-as-a-Judge with MT-Bench and Chatbot Arena", NeurIPS Datasets and Benchmarks, section 4.2 and
/// table 2: GPT-4 agreed with experts 66% with ties and 85% without, about as often as experts agreed with each
/// other).
///
/// Labels are 0 = first response preferred, 1 = tie, 2 = second (``Vote/label``). Each comparison is one pair
/// of labels on one study pair; a study pair may give several (all pairs of people who judged it).
/// - `withTies`: the share of comparisons with the same label.
/// - `withoutTies`: the same share over the comparisons where neither label is a tie.
/// - `kappa`: Cohen's kappa on the pooled comparisons with symmetric marginals (free of which response is first,
///   as ``OrientationFreeAgreement/cohenKappa(_:)``).
/// Shares are ratios of sums over pairs. Intervals: percentile bootstrap over pairs, each drawn with all its
/// comparisons (Field & Welsh 2007; see ``PairClusterWinRate``).
///
///     let result = PairClusterAgreement.estimate([.init(pair: 0, x: 0, y: 0), .init(pair: 1, x: 0, y: 1)], replicates: 0, seed: 1)
///     result.withTies   // 0.5
///     result.withoutTies   // 1.0 (one comparison without a tie)
public enum PairClusterAgreement {
    public struct Comparison: Sendable, Equatable {
        public var pair: Int
        public var x: Int
        public var y: Int
        public init(pair: Int, x: Int, y: Int) { (self.pair, self.x, self.y) = (pair, x, y) }
    }

    public struct Result: Sendable {
        /// Study pairs and comparisons counted.
        public var pairs: Int
        public var comparisons: Int
        public var withTies: Double?
        public var withTiesInterval: ResampledInterval?
        /// Comparisons in which neither side said tie.
        public var comparisonsWithoutTies: Int
        public var withoutTies: Double?
        public var withoutTiesInterval: ResampledInterval?
        public var kappa: Estimate
        public var kappaInterval: ResampledInterval?
    }

    public static func estimate(_ comparisons: [Comparison], replicates: Int, seed: UInt64, stream: String = "judge-agreement") -> Result {
        // Per pair, a 3x3 table of counts.
        let pairIDs = Array(Set(comparisons.map(\.pair))).sorted()
        let position = Dictionary(uniqueKeysWithValues: pairIDs.enumerated().map { ($1, $0) })
        var tables = [[Double]](repeating: [Double](repeating: 0, count: 9), count: pairIDs.count)
        for c in comparisons { tables[position[c.pair]!][c.x * 3 + c.y] += 1 }
        func statistics(_ weights: [Double]?) -> (Double?, Double?, Double?) {
            var table = [Double](repeating: 0, count: 9)
            for (i, t) in tables.enumerated() {
                let w = weights?[i] ?? 1
                guard w > 0 else { continue }
                for k in 0..<9 { table[k] += w * t[k] }
            }
            return (share(table, withTies: true), share(table, withTies: false), kappa(table).value)
        }
        let (withTies, withoutTies, _) = statistics(nil)
        var samples: ([Double], [Double], [Double]) = ([], [], [])
        let n = pairIDs.count
        if replicates > 0 && n > 0 {
            var rng = SplitMix64(seed: seed, stream: stream)
            var weights = [Double](repeating: 0, count: n)
            for _ in 0..<replicates {
                for i in 0..<n { weights[i] = 0 }
                for _ in 0..<n { weights[rng.below(n)] += 1 }
                let (a, b, k) = statistics(weights)
                if let a { samples.0.append(a) }
                if let b { samples.1.append(b) }
                if let k { samples.2.append(k) }
            }
        }
        var total = [Double](repeating: 0, count: 9)
        for t in tables { for k in 0..<9 { total[k] += t[k] } }
        let what = ResamplingUnit.pairs.description
        return Result(
            pairs: n, comparisons: comparisons.count,
            withTies: withTies, withTiesInterval: ResampledInterval.percentile(samples.0, resampled: what, replicates: replicates),
            comparisonsWithoutTies: Int(total[0] + total[2] + total[6] + total[8]),
            withoutTies: withoutTies, withoutTiesInterval: ResampledInterval.percentile(samples.1, resampled: what, replicates: replicates),
            kappa: kappa(total), kappaInterval: ResampledInterval.percentile(samples.2, resampled: what, replicates: replicates))
    }

    /// The share of agreeing comparisons in a 3x3 table (row x, column y), with or without the tie row and column.
    static func share(_ table: [Double], withTies: Bool) -> Double? {
        let cells = withTies ? Array(0..<9) : [0, 2, 6, 8]
        let all = cells.reduce(0.0) { $0 + table[$1] }
        guard all > 0 else { return nil }
        let same = cells.filter { $0 % 4 == 0 }.reduce(0.0) { $0 + table[$1] }
        return same / all
    }

    /// Cohen's kappa with symmetric marginals from a 3x3 table of (weighted) comparisons.
    static func kappa(_ table: [Double]) -> Estimate {
        let n = table.reduce(0, +)
        guard n > 0 else { return .undefined("nothing to compare") }
        var x = [0.0, 0.0, 0.0], y = [0.0, 0.0, 0.0]
        for i in 0..<3 { for j in 0..<3 { x[i] += table[i * 3 + j]; y[j] += table[i * 3 + j] } }
        let same = table[0] + table[4] + table[8]
        let xs = (x[0] + x[2]) / (2 * n), ys = (y[0] + y[2]) / (2 * n)
        let chance = 2 * xs * ys + (x[1] / n) * (y[1] / n)
        guard 1 - chance > 1e-12 else { return .undefined("both gave only ties, so chance agreement is 1") }
        return .defined((same / n - chance) / (1 - chance))
    }
}
