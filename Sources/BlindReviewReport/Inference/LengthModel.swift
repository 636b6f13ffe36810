import AgreementStats
import Foundation

/// Length bias controlled for the models: a logistic regression of each non-tie vote on the log length
/// difference of the two responses, with one intercept per pair of models, and standard errors clustered by pair.
///
/// The model: `logit P(first model's response wins) = alpha[model pair] + beta * (log len(first) - log len(second))`.
/// The intercepts absorb how much better one model is on average, so a better model that also writes longer
/// answers does not make length look influential; beta is the effect of length within a pair of models.
/// This is the idea behind AlpacaEval's length-controlled win rate (Dubois, Galambosi, Liang & Hashimoto 2024,
/// "Length-Controlled AlpacaEval: A Simple Way to Debias Automatic Evaluators", arXiv:2404.04475, eq. 1: a GLM
/// with a model term and a length-difference term). Fitted by Newton-Raphson to |step| < 1e-10; the
/// variance is the cluster-robust sandwich `H^-1 (sum over pairs of g g') H^-1 * G / (G - 1)` with G pairs
/// (Liang & Zeger 1986; Cameron & Miller 2015, "A Practitioner's Guide to Cluster-Robust Inference",
/// J. Human Resources 50:317-372, eq. 11 with the G/(G-1) factor), and the test is the Wald z. Ties are left
/// out (and counted). Model pairs whose votes all went one way carry no information about beta once their
/// intercept is free (their maximum-likelihood intercept is infinite) and are set aside.
///
///     let fit = LengthModel.fit([.init(pair: 0, group: 0, logLengthDifference: 0.3, firstWon: true), ...])
///     fit?.beta   // the log-odds change per unit of log length ratio
public enum LengthModel {
    public struct Observation: Sendable {
        public var pair: Int
        public var group: Int
        public var logLengthDifference: Double
        public var firstWon: Bool
        public init(pair: Int, group: Int, logLengthDifference: Double, firstWon: Bool) {
            (self.pair, self.group, self.logLengthDifference, self.firstWon) = (pair, group, logLengthDifference, firstWon)
        }
    }

    public struct Fit: Sendable {
        public var beta: Double
        public var standardError: Double
        public var z: Double
        public var p: Double
        /// Votes and pairs used (ties and one-sided model pairs left out).
        public var votes: Int
        public var pairs: Int
        /// The clustered variance of beta over its model-based (independent votes) variance.
        public var designEffect: Double
        /// Odds multiplier when a response is twice as long as the other: exp(beta * ln 2).
        public var oddsPerDoubling: Double { exp(beta * log(2)) }
    }

    /// The fit, or nil when beta cannot be estimated (fewer than 3 pairs, no variation in length, separation).
    public static func fit(_ observations: [Observation]) -> Fit? {
        // Drop model pairs whose votes all went one way.
        var outcome: [Int: (Int, Int)] = [:]
        for o in observations { var t = outcome[o.group] ?? (0, 0); if o.firstWon { t.0 += 1 } else { t.1 += 1 }; outcome[o.group] = t }
        let informative = Set(outcome.filter { $0.value.0 > 0 && $0.value.1 > 0 }.keys)
        let data = observations.filter { informative.contains($0.group) }
        let groups = informative.sorted()
        let groupIndex = Dictionary(uniqueKeysWithValues: groups.enumerated().map { ($1, $0) })
        let clusters = Set(data.map(\.pair))
        guard clusters.count >= 3, !groups.isEmpty else { return nil }
        let k = groups.count + 1  // beta first, then one intercept per group
        var theta = [Double](repeating: 0, count: k)
        func features(_ o: Observation) -> (Double, Int) { (o.logLengthDifference, 1 + groupIndex[o.group]!) }
        var converged = false
        var hessian = [[Double]]()
        for _ in 0..<100 {
            var gradient = [Double](repeating: 0, count: k)
            hessian = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
            for o in data {
                let (x, g) = features(o)
                let p = 1 / (1 + exp(-(theta[0] * x + theta[g])))
                let residual = (o.firstWon ? 1 : 0) - p
                let w = p * (1 - p)
                gradient[0] += residual * x; gradient[g] += residual
                hessian[0][0] += w * x * x; hessian[0][g] += w * x; hessian[g][0] += w * x; hessian[g][g] += w
            }
            guard let step = LinearSolve.solve(hessian, gradient) else { return nil }
            for i in 0..<k { theta[i] += step[i] }
            if step.map(abs).max()! < 1e-10 { converged = true; break }
            if theta.contains(where: { abs($0) > 30 }) { return nil }
        }
        guard converged, let inverse = LinearSolve.inverse(hessian) else { return nil }
        // Sandwich: scores summed within each pair, pairs taken in order (so the sums run in a fixed order).
        let clusterOrder = clusters.sorted()
        let clusterIndex = Dictionary(uniqueKeysWithValues: clusterOrder.enumerated().map { ($1, $0) })
        var scores = [[Double]](repeating: [Double](repeating: 0, count: k), count: clusterOrder.count)
        for o in data {
            let (x, g) = features(o)
            let p = 1 / (1 + exp(-(theta[0] * x + theta[g])))
            let residual = (o.firstWon ? 1 : 0) - p
            let c = clusterIndex[o.pair]!
            scores[c][0] += residual * x
            scores[c][g] += residual
        }
        var meat = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for s in scores { for i in 0..<k where s[i] != 0 { for j in 0..<k { meat[i][j] += s[i] * s[j] } } }
        let g = Double(clusters.count)
        var variance = 0.0
        for i in 0..<k { for j in 0..<k { variance += inverse[0][i] * meat[i][j] * inverse[j][0] } }
        variance *= g / (g - 1)
        guard variance > 0 else { return nil }
        let se = variance.squareRoot()
        let z = theta[0] / se
        return Fit(beta: theta[0], standardError: se, z: z, p: NormalDistribution.twoSidedP(z), votes: data.count, pairs: clusters.count,
                   designEffect: variance / inverse[0][0])
    }
}

/// Small dense linear algebra for the report's models (a handful of parameters).
enum LinearSolve {
    /// Solves A x = b by Gaussian elimination with partial pivoting; nil when A is singular.
    static func solve(_ a: [[Double]], _ b: [Double]) -> [Double]? {
        let n = b.count
        var m = a
        var x = b
        for col in 0..<n {
            let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            guard abs(m[pivot][col]) > 1e-300 else { return nil }
            m.swapAt(col, pivot); x.swapAt(col, pivot)
            for row in (col + 1)..<max(col + 1, n) {
                let factor = m[row][col] / m[col][col]
                guard factor != 0 else { continue }
                for c in col..<n { m[row][c] -= factor * m[col][c] }
                x[row] -= factor * x[col]
            }
        }
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = x[row]
            for c in (row + 1)..<max(row + 1, n) { sum -= m[row][c] * x[c] }
            x[row] = sum / m[row][row]
        }
        return x.allSatisfy(\.isFinite) ? x : nil
    }

    static func inverse(_ a: [[Double]]) -> [[Double]]? {
        let n = a.count
        var columns: [[Double]] = []
        for i in 0..<n {
            var e = [Double](repeating: 0, count: n)
            e[i] = 1
            guard let column = solve(a, e) else { return nil }
            columns.append(column)
        }
        return (0..<n).map { i in (0..<n).map { j in columns[j][i] } }
    }
}
