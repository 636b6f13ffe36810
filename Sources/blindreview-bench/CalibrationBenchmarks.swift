import BlindReviewReport
import Foundation
import SeededRandom

/// Does the report's inference mean what it says? Simulated studies with a known truth: two models, 200 pairs,
/// 3 annotators per pair, 10% ties, and a pair-level random effect (a pair is easy or hard for everyone) of
/// standard deviation tau on the logit scale. For each tau and a true win rate (ties excluded) of 0.5 and 0.6,
/// 2,000 studies; each gets the report's 95% win-rate interval (bootstrap over pairs, B = 1000, as the report's
/// default) and its test of no difference (sign flips over pairs), and, with the better model writing longer
/// answers that do not sway anyone, the report's length model. For contrast, the vote-counting methods the
/// report used before (Wilson interval, sign test on votes, longer-response share against 50%).
enum CalibrationBenchmarks {
    static let pairs = 200, annotators = 3, replications = 2000, bootstrap = 1000
    static let taus = [0.0, 0.5, 1.0, 2.0]

    struct Outcome {
        var covered = false, rejected = false, lengthFlagged = false
        var wilsonCovered = false, signRejected = false, shareFlagged = false
    }

    static func run() {
        print("calibration: \(replications) simulated studies per row, \(pairs) pairs x \(annotators) annotators, bootstrap B = \(bootstrap)")
        print("  tau = SD of the pair effect (logit); coverage of the 95% interval should be 0.93-0.97, rejections under")
        print("  the null 0.03-0.07, false length flags at most 0.07. In brackets: counting votes as independent.")
        print("  tau   truth  coverage          rejects (5% test)  length false flags  design effect")
        let start = Date()
        for tau in taus {
            for truth in [0.5, 0.6] {
                let mu = location(for: truth, tau: tau)
                let outcomes = ResultBox<Outcome>(count: replications)
                let effects = ResultBox<Double>(count: replications)
                DispatchQueue.concurrentPerform(iterations: replications) { r in
                    var rng = SplitMix64(seed: UInt64(r + 1), stream: "calibration \(tau) \(truth)")
                    let (outcome, deff) = simulate(mu: mu, tau: tau, truth: truth, rng: &rng, seed: UInt64(r + 1))
                    outcomes.set(r, outcome)
                    effects.set(r, deff)
                }
                let all = outcomes.values.compactMap { $0 }
                func share(_ f: (Outcome) -> Bool) -> String { String(format: "%.3f", Double(all.filter(f).count) / Double(all.count)) }
                let deff = effects.values.compactMap { $0 }.reduce(0, +) / Double(replications)
                let rejects = truth == 0.5 ? "\(share(\.rejected)) (\(share(\.signRejected)))" : "power \(share(\.rejected))"
                let length = truth == 0.6 ? "\(share(\.lengthFlagged)) (\(share(\.shareFlagged)))" : "-"
                print("  " + [String(format: "%.1f", tau).padding(toLength: 5, withPad: " ", startingAt: 0),
                              String(format: "%.1f", truth).padding(toLength: 6, withPad: " ", startingAt: 0),
                              "\(share(\.covered)) (\(share(\.wilsonCovered)))".padding(toLength: 17, withPad: " ", startingAt: 0),
                              rejects.padding(toLength: 18, withPad: " ", startingAt: 0),
                              length.padding(toLength: 19, withPad: " ", startingAt: 0),
                              String(format: "%.2f", deff)].joined(separator: " "))
            }
        }
        print(String(format: "  (%.1f s)", Date().timeIntervalSince(start)))
    }

    /// One simulated study: the report's interval and tests, and the old vote-counting ones.
    static func simulate(mu: Double, tau: Double, truth: Double, rng: inout SplitMix64, seed: UInt64) -> (Outcome, Double) {
        var wins = [Double](repeating: 0, count: pairs), ties = wins, losses = wins
        var lengthData: [LengthModel.Observation] = []
        var longerWon = 0, lengthVotes = 0
        for i in 0..<pairs {
            let p = logistic(mu + tau * normal(&rng))
            // The better model (first, when truth > 0.5) writes longer answers: log length ratio about +0.4.
            let logRatio = 0.4 + 0.3 * normal(&rng)
            for _ in 0..<annotators {
                if uniform(&rng) < 0.1 { ties[i] += 1; continue }
                let firstWon = uniform(&rng) < p
                if firstWon { wins[i] += 1 } else { losses[i] += 1 }
                lengthData.append(.init(pair: i, group: 0, logLengthDifference: logRatio, firstWon: firstWon))
                lengthVotes += 1
                if firstWon == (logRatio > 0) { longerWon += 1 }
            }
        }
        let result = PairClusterWinRate.estimate(
            .init(wins: wins, ties: ties, losses: losses), replicates: bootstrap, seed: seed)
        var outcome = Outcome()
        if let interval = result.intervalNoTies { outcome.covered = interval.low <= truth && truth <= interval.high }
        outcome.rejected = result.test.p < 0.05
        if let fit = LengthModel.fit(lengthData) { outcome.lengthFlagged = fit.p < 0.05 }
        let w = wins.reduce(0, +), l = losses.reduce(0, +)
        if let wilson = ProportionTests.wilson(successes: w, trials: w + l) { outcome.wilsonCovered = wilson.low <= truth && truth <= wilson.high }
        outcome.signRejected = ProportionTests.signTest(successes: Int(w), trials: Int(w + l)) < 0.05
        outcome.shareFlagged = ProportionTests.signTest(successes: longerWon, trials: lengthVotes) < 0.05
        return (outcome, result.designEffect ?? .nan)
    }

    /// The location mu with E[logistic(mu + tau Z)] = truth, Z standard normal (midpoint rule, bisection).
    static func location(for truth: Double, tau: Double) -> Double {
        func mean(_ mu: Double) -> Double {
            guard tau > 0 else { return logistic(mu) }
            var sum = 0.0, weight = 0.0
            for k in -400...400 {
                let z = Double(k) / 50
                let density = exp(-z * z / 2)
                sum += density * logistic(mu + tau * z)
                weight += density
            }
            return sum / weight
        }
        var low = -10.0, high = 10.0
        for _ in 0..<100 {
            let mid = (low + high) / 2
            if mean(mid) < truth { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
    static func uniform(_ rng: inout SplitMix64) -> Double { Double(rng.next() >> 11) * 0x1p-53 }
    /// Box-Muller.
    static func normal(_ rng: inout SplitMix64) -> Double {
        let u = max(uniform(&rng), 0x1p-60), v = uniform(&rng)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}

/// Slots written from concurrent iterations, each index by one writer.
final class ResultBox<T>: @unchecked Sendable {
    private var storage: [T?]
    private let lock = NSLock()
    init(count: Int) { storage = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: T) { lock.lock(); storage[index] = value; lock.unlock() }
    var values: [T?] { lock.lock(); defer { lock.unlock() }; return storage }
}
