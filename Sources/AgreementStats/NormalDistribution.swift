import Foundation

/// The standard normal distribution, for p-values of z statistics.
public enum NormalDistribution {
    /// `P(|Z| >= |z|)`.
    ///
    ///     NormalDistribution.twoSidedP(1.959964)  // 0.05
    public static func twoSidedP(_ z: Double) -> Double {
        erfc(abs(z) / 2.0.squareRoot())
    }

    /// `P(Z <= z)`.
    public static func cdf(_ z: Double) -> Double {
        0.5 * erfc(-z / 2.0.squareRoot())
    }
}
