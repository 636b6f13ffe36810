import AgreementStats
import Foundation

/// The Wilcoxon signed-rank test for paired differences (zeros dropped, tied |differences| given their mean
/// rank), two-sided, with the p-value computed the way SciPy's `wilcoxon` decides (`method="auto"`, SciPy 1.13):
///
/// - **exact**: up to 50 non-zero differences with no ties and no zeros, from the exact null distribution of
///   W+ (every sign pattern equally likely), `p = min(1, 2 min(P(W+ <= w), P(W+ >= w)))`;
/// - **permutation**: up to 50 non-zero differences with ties or zeros, the same sign-flip distribution
///   conditional on the tied (mid)ranks, again exactly (ranks doubled to integers, dynamic programming);
/// - **normal**: beyond 50, the normal approximation with tie and continuity corrections:
///   mean n(n+1)/4, variance n(n+1)(2n+1)/24 - sum(t^3 - t)/48 over groups of t tied |differences|.
///
/// (Wilcoxon 1945, Biometrics Bulletin 1:80-83; Hollander, Wolfe & Chicken 2014, "Nonparametric Statistical
/// Methods", 3rd ed., section 3.1, for the exact and large-sample forms.) ``Result/method`` says which was used.
///
///     WilcoxonSignedRank.test([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).p   // 0.001953 (exact: 2 / 1024)
public enum WilcoxonSignedRank {
    public enum Method: String, Sendable { case exact, permutation, normal }

    public struct Result: Equatable, Sendable {
        public var n: Int
        public var wPlus: Double
        public var z: Double?
        public var p: Double?
        public var method: Method?
    }

    /// Up to this many non-zero differences the p-value is exact (or an exact permutation p with ties).
    public static let exactLimit = 50

    public static func test(_ differences: [Double]) -> Result {
        let nonZero = differences.filter { $0 != 0 }
        let hadZeros = nonZero.count < differences.count
        let n = nonZero.count
        guard n > 0 else { return Result(n: 0, wPlus: 0, z: nil, p: nil, method: nil) }
        let order = nonZero.indices.sorted { abs(nonZero[$0]) < abs(nonZero[$1]) }
        var ranks = [Double](repeating: 0, count: n)
        var tieCorrection = 0.0
        var i = 0
        while i < n {
            var j = i
            while j + 1 < n, abs(nonZero[order[j + 1]]) == abs(nonZero[order[i]]) { j += 1 }
            let rank = Double(i + j + 2) / 2
            for k in i...j { ranks[order[k]] = rank }
            let t = Double(j - i + 1)
            tieCorrection += t * t * t - t
            i = j + 1
        }
        let wPlus = zip(nonZero, ranks).reduce(0) { $0 + ($1.0 > 0 ? $1.1 : 0) }
        if n <= exactLimit {
            // Doubled ranks are integers (mid-ranks are multiples of 1/2).
            let doubled = ranks.map { Int(($0 * 2).rounded()) }
            let total = doubled.reduce(0, +)
            var prob = [Double](repeating: 0, count: total + 1)
            prob[0] = 1
            var reach = 0
            for value in doubled {
                reach += value
                for s in stride(from: reach, through: value, by: -1) { prob[s] = 0.5 * (prob[s] + prob[s - value]) }
                for s in 0..<min(value, reach + 1) { prob[s] *= 0.5 }
            }
            let observed = Int((wPlus * 2).rounded())
            var lower = 0.0, upper = 0.0
            for s in 0...total {
                if s <= observed { lower += prob[s] }
                if s >= observed { upper += prob[s] }
            }
            let method: Method = tieCorrection == 0 && !hadZeros ? .exact : .permutation
            return Result(n: n, wPlus: wPlus, z: nil, p: min(1, 2 * min(lower, upper)), method: method)
        }
        let count = Double(n)
        let mean = count * (count + 1) / 4
        let variance = count * (count + 1) * (2 * count + 1) / 24 - tieCorrection / 48
        guard variance > 0 else { return Result(n: n, wPlus: wPlus, z: nil, p: nil, method: nil) }
        let deviation = wPlus - mean
        let corrected = deviation == 0 ? 0 : (abs(deviation) - 0.5) * (deviation > 0 ? 1 : -1)
        let z = corrected / variance.squareRoot()
        return Result(n: n, wPlus: wPlus, z: z, p: NormalDistribution.twoSidedP(z), method: .normal)
    }
}
