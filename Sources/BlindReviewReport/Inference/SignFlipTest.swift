import AgreementStats
import Foundation
import SeededRandom

/// A test of "no difference" that treats the pair as the unit: each pair contributes one integer difference
/// (votes for one side minus votes for the other, summed over that pair's annotators), and under the null
/// hypothesis each pair's difference is as likely to have either sign (the pair's votes are exchangeable
/// between the two sides). The statistic is the sum of differences; the two-sided p-value is the share of the
/// 2^n sign patterns whose sum is at least as far from 0 (Fisher's randomization test for paired data; see
/// Good, "Permutation, Parametric and Bootstrap Tests of Hypotheses", 3rd ed., section 3.6.2).
///
/// With one vote per pair every |difference| is 1 and this is exactly the two-sided sign test. The p-value is
/// computed exactly by dynamic programming over the attainable sums when that is cheap (pairs x sum of
/// |differences| up to 2e7), else from `replicates` random sign patterns (p = (1 + hits) / (1 + B)), else (B = 0)
/// from the normal approximation z = sum / sqrt(sum of squares). ``Result/method`` says which.
///
///     SignFlipTest.test([1, 1, 1, 1, 1, 1, 1, 1, 1, -1]).p   // 0.0215 (the sign test's 22/1024)
public enum SignFlipTest {
    public struct Result: Sendable, Equatable {
        public var p: Double
        /// "exact", "random sign flips (B = 1000)" or "normal approximation".
        public var method: String
        /// Pairs with a non-zero difference.
        public var pairs: Int
    }

    public static func test(_ differences: [Int], replicates: Int = 0, seed: UInt64 = 1) -> Result {
        let d = differences.filter { $0 != 0 }.map { abs($0) }
        let n = d.count
        guard n > 0 else { return Result(p: 1, method: "exact", pairs: 0) }
        let observed = abs(differences.reduce(0, +))
        let total = d.reduce(0, +)
        if d.allSatisfy({ $0 == d[0] }) {
            // Equal magnitudes: the count of + signs is binomial(n, 1/2), i.e. the exact sign test.
            let positives = differences.filter { $0 > 0 }.count
            return Result(p: ProportionTests.signTest(successes: positives, trials: n), method: "exact", pairs: n)
        }
        if n * total <= 20_000_000 {
            // prob[s] = P(sum of the |d| given a + sign = s) with fair signs; T = 2 s - total.
            var prob = [Double](repeating: 0, count: total + 1)
            prob[0] = 1
            var reach = 0
            for value in d {
                reach += value
                for s in stride(from: reach, through: value, by: -1) { prob[s] = 0.5 * (prob[s] + prob[s - value]) }
                for s in 0..<min(value, reach + 1) { prob[s] *= 0.5 }
            }
            var p = 0.0
            for s in 0...total where abs(2 * s - total) >= observed { p += prob[s] }
            return Result(p: min(1, p), method: "exact", pairs: n)
        }
        if replicates > 0 {
            var rng = SplitMix64(seed: seed, stream: "sign-flip")
            var hits = 0
            for _ in 0..<replicates {
                var sum = 0
                var bits: UInt64 = 0, left = 0
                for value in d {
                    if left == 0 { bits = rng.next(); left = 64 }
                    sum += bits & 1 == 1 ? value : -value
                    bits >>= 1
                    left -= 1
                }
                if abs(sum) >= observed { hits += 1 }
            }
            return Result(p: Double(1 + hits) / Double(1 + replicates), method: "random sign flips (B = \(replicates))", pairs: n)
        }
        let squares = d.reduce(0.0) { $0 + Double($1) * Double($1) }
        return Result(p: NormalDistribution.twoSidedP(Double(observed) / squares.squareRoot()), method: "normal approximation", pairs: n)
    }
}
