import Foundation

/// Intervals and tests for a share of successes.
public enum ProportionTests {
    /// Wilson's score interval for k successes in n trials (95% by default); nil when n is 0.
    ///
    ///     ProportionTests.wilson(successes: 8, trials: 10)   // (0.4902, 0.9433)
    public static func wilson(successes k: Double, trials n: Double, z: Double = 1.959963984540054) -> (low: Double, high: Double)? {
        guard n > 0 else { return nil }
        let p = k / n
        let z2 = z * z
        let center = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * ((p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()) / (1 + z2 / n)
        return (max(0, center - half), min(1, center + half))
    }

    /// Two-sided exact binomial test of k successes in n trials against probability 1/2 (the sign test):
    /// `min(1, 2 * P(X <= min(k, n - k)))`. 1 when n is 0.
    ///
    ///     ProportionTests.signTest(successes: 9, trials: 10)   // 0.0215
    public static func signTest(successes k: Int, trials n: Int) -> Double {
        guard n > 0 else { return 1 }
        let tail = min(k, n - k)
        var sum = 0.0
        let logHalf = Double(n) * log(0.5)
        for i in 0...tail {
            sum += exp(logChoose(n, i) + logHalf)
        }
        return min(1, 2 * sum)
    }

    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
    }
}
