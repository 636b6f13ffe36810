import Foundation

/// Bradley-Terry strengths from a win matrix (ties count as half a win for each side): P(i beats j) =
/// s_i / (s_i + s_j), with log-strengths theta_i = log s_i.
///
/// Fitted as the posterior mode under a weak Gaussian prior theta_i ~ N(0, ``priorVariance`` = 10) by Newton's
/// method with step halving, to max |change in theta| < 1e-10. The prior keeps a model that never loses (or
/// never wins) at a finite strength (e.g. 10 wins and 0 losses give a win probability of about 0.97, not 1), and
/// makes the problem strictly concave, so Newton converges in a few steps from any start; with 100 games the
/// prior moves a strength by well under its standard error. (Bradley & Terry 1952, Biometrika 39:324-345;
/// Newton's method for it: Hunter 2004, "MM algorithms for generalized Bradley-Terry models", Ann. Statist.
/// 32:384-406, section 3; a Gaussian prior on log-strengths: Caron & Doucet 2012, J. Comput. Graph. Statist.
/// 21:174-196.) Strengths are reported as exp(theta) normalised to sum to 1 within a connected component of the
/// comparison graph: models that were never compared, directly or through others, cannot be ranked against
/// each other, so each component is fitted and ranked on its own and the report warns.
///
///     BradleyTerry.fit(wins: [[0, 8], [2, 0]])   // [0.796, 0.204] (the raw ratio 4:1, shrunk slightly)
public enum BradleyTerry {
    /// The prior variance of each log-strength.
    public static let priorVariance = 10.0

    /// Normalised strengths (summing to 1 within each connected component), or nil for fewer than two models.
    public static func fit(wins: [[Double]]) -> [Double]? {
        let m = wins.count
        guard m >= 2 else { return nil }
        var strength = [Double](repeating: 1, count: m)
        for component in components(wins: wins) {
            let theta = logStrengths(wins: wins, models: component)
            let total = theta.reduce(0) { $0 + exp($1) }
            for (k, i) in component.enumerated() { strength[i] = exp(theta[k]) / total }
        }
        return strength
    }

    /// The posterior-mode log-strengths of `models` (indices into `wins`), in that order; they sum to 0.
    public static func logStrengths(wins: [[Double]], models: [Int]) -> [Double] {
        let m = models.count
        let lambda = 1 / priorVariance
        var theta = [Double](repeating: 0, count: m)
        func objective(_ t: [Double]) -> Double {
            var value = 0.0
            for a in 0..<m {
                value -= lambda / 2 * t[a] * t[a]
                for b in 0..<m where b != a {
                    let w = wins[models[a]][models[b]]
                    if w > 0 { value -= w * log1p(exp(t[b] - t[a])) }
                }
            }
            return value
        }
        var current = objective(theta)
        for _ in 0..<200 {
            var gradient = [Double](repeating: 0, count: m)
            var hessian = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
            for a in 0..<m {
                gradient[a] -= lambda * theta[a]
                hessian[a][a] += lambda
                for b in 0..<m where b > a {
                    let games = wins[models[a]][models[b]] + wins[models[b]][models[a]]
                    guard games > 0 else { continue }
                    let p = 1 / (1 + exp(theta[b] - theta[a]))
                    let excess = wins[models[a]][models[b]] - games * p
                    gradient[a] += excess; gradient[b] -= excess
                    let w = games * p * (1 - p)
                    hessian[a][a] += w; hessian[b][b] += w; hessian[a][b] -= w; hessian[b][a] -= w
                }
            }
            guard var step = LinearSolve.solve(hessian, gradient) else { break }
            var next = zip(theta, step).map { $0 + $1 }
            var value = objective(next)
            var halvings = 0
            while value < current - 1e-12 * abs(current), halvings < 50 {
                step = step.map { $0 / 2 }
                next = zip(theta, step).map { $0 + $1 }
                value = objective(next)
                halvings += 1
            }
            theta = next
            current = value
            if step.map(abs).max() ?? 0 < 1e-10 { break }
        }
        return theta
    }

    /// The connected components of the comparison graph (models joined when they played at least one game),
    /// each sorted, in order of their smallest model.
    public static func components(wins: [[Double]]) -> [[Int]] {
        let m = wins.count
        var parent = Array(0..<m)
        func root(_ i: Int) -> Int { var i = i; while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }; return i }
        for i in 0..<m { for j in 0..<m where i != j && wins[i][j] + wins[j][i] > 0 { parent[root(i)] = root(j) } }
        var groups: [Int: [Int]] = [:]
        for i in 0..<m { groups[root(i), default: []].append(i) }
        return groups.values.sorted { $0[0] < $1[0] }
    }

    /// Chatbot Arena's rank rule: 1 + the number of models whose interval lies entirely above this one's, so
    /// models whose intervals overlap share a rank (Chiang et al. 2024, "Chatbot Arena", arXiv:2403.04132,
    /// section 5; its leaderboard's rank column).
    ///
    ///     BradleyTerry.arenaRanks([(0.5, 0.7), (0.4, 0.6), (0.1, 0.3)])   // [1, 1, 3]
    public static func arenaRanks(_ intervals: [(low: Double, high: Double)]) -> [Int] {
        intervals.map { mine in 1 + intervals.filter { $0.low > mine.high }.count }
    }
}
