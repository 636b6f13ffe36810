import AgreementStats
import Foundation

/// The Wilcoxon signed-rank test for paired differences (zeros dropped, tied ranks averaged), two-sided,
/// with the normal approximation, tie correction and continuity correction.
///
/// `W+` is the sum of the ranks of positive differences; under the null its mean is n(n+1)/4 and its variance
/// n(n+1)(2n+1)/24 - sum(t^3 - t)/48 over groups of t tied |differences|.
///
///     WilcoxonSignedRank.test([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).p   // 0.0051
public enum WilcoxonSignedRank {
    public struct Result: Equatable, Sendable {
        public var n: Int
        public var wPlus: Double
        public var z: Double?
        public var p: Double?
    }

    public static func test(_ differences: [Double]) -> Result {
        let nonZero = differences.filter { $0 != 0 }
        let n = nonZero.count
        guard n > 0 else { return Result(n: 0, wPlus: 0, z: nil, p: nil) }
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
        let count = Double(n)
        let mean = count * (count + 1) / 4
        let variance = count * (count + 1) * (2 * count + 1) / 24 - tieCorrection / 48
        guard variance > 0 else { return Result(n: n, wPlus: wPlus, z: nil, p: nil) }
        let deviation = wPlus - mean
        let corrected = deviation == 0 ? 0 : (abs(deviation) - 0.5) * (deviation > 0 ? 1 : -1)
        let z = corrected / variance.squareRoot()
        return Result(n: n, wPlus: wPlus, z: z, p: NormalDistribution.twoSidedP(z))
    }
}
