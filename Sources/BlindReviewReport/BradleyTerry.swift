import Foundation

/// Bradley-Terry strengths from a win matrix, fitted with Hunter's (2004) MM iteration; ties count as half a
/// win for each side. Strengths are normalised to sum to 1; the probability that i beats j is
/// `s_i / (s_i + s_j)`.
///
///     BradleyTerry.fit(wins: [[0, 8], [2, 0]])   // [0.8, 0.2]
public enum BradleyTerry {
    public static func fit(wins: [[Double]], iterations: Int = 500, tolerance: Double = 1e-10) -> [Double]? {
        let m = wins.count
        guard m >= 2 else { return nil }
        var strength = [Double](repeating: 1 / Double(m), count: m)
        let totalWins = wins.map { $0.reduce(0, +) }
        // A model that never won gets strength 0 and would stall the iteration; a tiny prior keeps it finite.
        let prior = 0.01
        for _ in 0..<iterations {
            var next = [Double](repeating: 0, count: m)
            for i in 0..<m {
                var denominator = 0.0
                for j in 0..<m where j != i {
                    let games = wins[i][j] + wins[j][i] + 2 * prior
                    denominator += games / (strength[i] + strength[j])
                }
                next[i] = denominator > 0 ? (totalWins[i] + prior * Double(m - 1)) / denominator : strength[i]
            }
            let sum = next.reduce(0, +)
            guard sum > 0 else { return nil }
            next = next.map { $0 / sum }
            let change = zip(next, strength).map { abs($0 - $1) }.max() ?? 0
            strength = next
            if change < tolerance { break }
        }
        return strength
    }
}
